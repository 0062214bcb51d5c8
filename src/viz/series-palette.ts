// Line colours of the charts' series (one per init in the Training lab), chosen so that no series can be
// taken for a status marker: every colour is far (CIEDE2000 ≥ 25) from each status colour of SPECIAL_COLORS
// — overflow red, underflow light blue, NaN black, lost violet, zero brown — which the line chart's markers
// and the heatmap's cells share, and from the other series. Okabe–Ito's blue, orange and bluish green, Tol's
// indigo and olive, and a dark teal; Okabe–Ito's reddish purple (≈ lost violet), vermillion (≈ overflow red,
// zero brown) and sky blue (≈ underflow) are left out for that reason.

import { srgbToLab, type Rgb, type Rgba } from './colormap';

/** Six series colours (the Training lab's most inits), in the order series take them. */
export const SERIES_PALETTE: readonly string[] = ['#0072b2', '#e69f00', '#009e73', '#332288', '#999933', '#007f86'];

/** An `#rrggbb` colour as 8-bit RGB. */
export function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** CIEDE2000 colour difference of two CIE L*a*b* colours (Sharma, Wu & Dalal 2005; ≈ 1 is just noticeable). */
export function deltaE2000Lab(p: readonly number[], q: readonly number[]): number {
  const [L1, a1, b1] = p;
  const [L2, a2, b2] = q;
  const rad = Math.PI / 180;
  const cBar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const g = 0.5 * (1 - Math.sqrt(cBar ** 7 / (cBar ** 7 + 25 ** 7)));
  const a1p = (1 + g) * a1;
  const a2p = (1 + g) * a2;
  const c1 = Math.hypot(a1p, b1);
  const c2 = Math.hypot(a2p, b2);
  const hue = (b: number, a: number) => (a === 0 && b === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360);
  const h1 = hue(b1, a1p);
  const h2 = hue(b2, a2p);
  let dh = 0;
  if (c1 * c2 !== 0) {
    dh = h2 - h1;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dL = L2 - L1;
  const dC = c2 - c1;
  const dH = 2 * Math.sqrt(c1 * c2) * Math.sin((dh * rad) / 2);
  const lBar = (L1 + L2) / 2;
  const cpBar = (c1 + c2) / 2;
  let hBar = h1 + h2;
  if (c1 * c2 !== 0) hBar = Math.abs(h1 - h2) > 180 ? (h1 + h2 + (h1 + h2 < 360 ? 360 : -360)) / 2 : (h1 + h2) / 2;
  const t =
    1 - 0.17 * Math.cos((hBar - 30) * rad) + 0.24 * Math.cos(2 * hBar * rad) + 0.32 * Math.cos((3 * hBar + 6) * rad) - 0.2 * Math.cos((4 * hBar - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hBar - 275) / 25) ** 2));
  const rc = 2 * Math.sqrt(cpBar ** 7 / (cpBar ** 7 + 25 ** 7));
  const sl = 1 + (0.015 * (lBar - 50) ** 2) / Math.sqrt(20 + (lBar - 50) ** 2);
  const sc = 1 + 0.045 * cpBar;
  const sh = 1 + 0.015 * cpBar * t;
  const rt = -Math.sin(2 * dTheta * rad) * rc;
  return Math.sqrt((dL / sl) ** 2 + (dC / sc) ** 2 + (dH / sh) ** 2 + rt * (dC / sc) * (dH / sh));
}

/** CIEDE2000 difference of two sRGB colours: unlike CIE76 it rates pink against violet as the near pair they look. */
export function deltaE2000(a: Rgb | Rgba, b: Rgb | Rgba): number {
  return deltaE2000Lab(srgbToLab(a), srgbToLab(b));
}
