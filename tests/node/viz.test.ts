import { describe, expect, it } from 'vitest';
import {
  BACKGROUND,
  CIVIDIS,
  COLORMAPS,
  SPECIAL_COLORS,
  VIRIDIS,
  colorAt,
  colorIndex,
  deltaE,
  hexColor,
  srgbToLab,
  type ColorTable,
  type Rgb,
} from '../../src/viz/colormap';
import { decadeLabel, fitLogAxis, formatValue, linearTicks, logTicks, niceLogDomain } from '../../src/viz/ticks';
import {
  CellStatus,
  cellAt,
  cellInfo,
  cellRect,
  effectiveStatus,
  finiteLogRange,
  labelStride,
  makeHeatmapModel,
  statusCode,
  type HeatmapData,
} from '../../src/viz/heatmap-model';

const entries = (t: ColorTable): Rgb[] => Array.from({ length: t.length / 3 }, (_, i) => [t[3 * i], t[3 * i + 1], t[3 * i + 2]] as const);

/** L* rises: strictly over every 4 entries, and never dips by more than 8-bit quantisation noise. */
function lightnessRises(t: ColorTable): boolean {
  const L = entries(t).map((c) => srgbToLab(c)[0]);
  for (let i = 0; i + 1 < L.length; i++) if (L[i + 1] - L[i] < -0.1) return false;
  for (let i = 0; i + 4 < L.length; i++) if (!(L[i + 4] > L[i])) return false;
  return true;
}

/** A jet (rainbow) table, the counter-example the lightness check must reject. */
function jetTable(): ColorTable {
  const out = new Uint8Array(768);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    const ch = (k: number) => Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - k))));
    out.set([ch(3), ch(2), ch(1)], 3 * i);
  }
  return out;
}

describe('colour maps', () => {
  it('have 256 RGB entries each', () => {
    for (const t of Object.values(COLORMAPS)) expect(t.length).toBe(256 * 3);
  });

  it("match matplotlib's viridis at its published ends and quartiles", () => {
    expect(hexColor(colorAt(VIRIDIS, 0))).toBe('#440154');
    expect(hexColor(colorAt(VIRIDIS, 0.25))).toBe('#3b528b');
    expect(hexColor(colorAt(VIRIDIS, 0.5))).toBe('#21918c');
    expect(hexColor(colorAt(VIRIDIS, 0.75))).toBe('#5ec962');
    expect(hexColor(colorAt(VIRIDIS, 1))).toBe('#fde725');
    expect(hexColor(colorAt(CIVIDIS, 0))).toBe('#00224e');
    expect(hexColor(colorAt(CIVIDIS, 1))).toBe('#fee838');
  });

  it('rise monotonically in lightness (and the check rejects a rainbow)', () => {
    expect(lightnessRises(VIRIDIS)).toBe(true);
    expect(lightnessRises(CIVIDIS)).toBe(true);
    expect(lightnessRises(jetTable())).toBe(false);
    const L = entries(VIRIDIS).map((c) => srgbToLab(c)[0]);
    expect(L[0]).toBeLessThan(20);
    expect(L[255]).toBeGreaterThan(85);
  });

  it('change smoothly: no neighbouring entries further apart than 3 ΔE', () => {
    for (const t of [VIRIDIS, CIVIDIS]) {
      const e = entries(t);
      let worst = 0;
      for (let i = 0; i + 1 < e.length; i++) worst = Math.max(worst, deltaE(e[i], e[i + 1]));
      expect(worst).toBeLessThan(3);
    }
    const j = entries(jetTable());
    expect(Math.max(...j.slice(1).map((c, i) => deltaE(j[i], c)))).toBeGreaterThan(3);
  });

  it('colorAt clamps t and maps NaN to the low end', () => {
    expect(colorAt(VIRIDIS, -5)).toEqual(colorAt(VIRIDIS, 0));
    expect(colorAt(VIRIDIS, 7)).toEqual(colorAt(VIRIDIS, 1));
    expect(colorAt(VIRIDIS, NaN)).toEqual(colorAt(VIRIDIS, 0));
    expect(colorIndex(0.5)).toBe(128);
    expect(colorIndex(1 / 256)).toBe(1);
    expect(colorIndex(0.999 / 256)).toBe(0);
    expect(colorIndex(1 - 1e-9)).toBe(255);
  });

  it('special colours are far from every map entry, from each other and from the background', () => {
    const specials = [SPECIAL_COLORS.overflow, SPECIAL_COLORS.underflow, SPECIAL_COLORS.nan, SPECIAL_COLORS.lost, SPECIAL_COLORS.zero];
    for (const s of specials) {
      for (const t of [VIRIDIS, CIVIDIS]) {
        const nearest = Math.min(...entries(t).map((c) => deltaE(s, c)));
        expect(nearest, `${hexColor(s)} vs map`).toBeGreaterThanOrEqual(30);
      }
      expect(deltaE(s, BACKGROUND)).toBeGreaterThanOrEqual(30);
      for (const o of specials) if (o !== s) expect(deltaE(s, o)).toBeGreaterThanOrEqual(30);
    }
    // "No such layer" shows the background.
    expect(SPECIAL_COLORS.none[3]).toBe(0);
    // The distance measure itself: identical colours are 0 apart, black and white 100.
    expect(deltaE([10, 20, 30], [10, 20, 30])).toBe(0);
    expect(deltaE([0, 0, 0], [255, 255, 255])).toBeCloseTo(100, 1);
  });
});

describe('log ticks', () => {
  const labels = (a: number, b: number, n = 8) => logTicks(a, b, n).map((t) => t.label);

  it('labels decades plainly near 1 and in exponent form elsewhere', () => {
    expect([0, 1, 3, 4, -1, -3, -4, 12, -30].map(decadeLabel)).toEqual(['1', '10', '1000', '1e+4', '0.1', '0.001', '1e-4', '1e+12', '1e-30']);
  });

  it('picks integer decades with a nice step', () => {
    expect(labels(0, 3)).toEqual(['1', '10', '100', '1000']);
    expect(labels(-30, 12)).toEqual(['1e-30', '1e-20', '1e-10', '1', '1e+10']);
    expect(labels(-300, 300)).toEqual(['1e-300', '1e-200', '1e-100', '1', '1e+100', '1e+200', '1e+300']);
    expect(logTicks(-30, 12).every((t) => t.exponent === t.log10 && Number.isInteger(t.log10))).toBe(true);
    expect(labels(-3, 3, 3)).toEqual(['0.01', '1', '100']);
  });

  it('covers the whole float64 range, including subnormals', () => {
    const t = logTicks(Math.log10(5e-324), Math.log10(Number.MAX_VALUE), 8);
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(t.length).toBeLessThanOrEqual(8);
    expect(t[0].log10).toBeGreaterThanOrEqual(-323.31);
    expect(t[t.length - 1].log10).toBeLessThanOrEqual(308.26);
  });

  it('respects maxTicks, stays in range, increases, and steps by 1, 2, 5 × 10^k decades (random ranges)', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const niceSteps = new Set([1, 2, 5, 10, 20, 50, 100, 200, 500]);
    for (let k = 0; k < 2000; k++) {
      const a = (rnd() - 0.5) * 700;
      const b = a + rnd() ** 3 * 650;
      const n = 2 + Math.floor(rnd() * 9);
      const t = logTicks(a, b, n);
      const ctx = `[${a}, ${b}] n=${n}: ${t.map((x) => x.label).join(' ')}`;
      expect(t.length, ctx).toBeGreaterThanOrEqual(1);
      expect(t.length, ctx).toBeLessThanOrEqual(n);
      for (let i = 0; i < t.length; i++) {
        expect(t[i].log10, ctx).toBeGreaterThanOrEqual(a - 1e-6);
        expect(t[i].log10, ctx).toBeLessThanOrEqual(b + 1e-6);
        if (i) expect(t[i].log10, ctx).toBeGreaterThan(t[i - 1].log10);
      }
      if (b - a >= 2 && t.length >= 3 && t.every((x) => x.exponent !== null)) {
        const steps = new Set(t.slice(1).map((x, i) => x.log10 - t[i].log10));
        expect(steps.size, ctx).toBe(1);
        expect(niceSteps.has([...steps][0]), ctx).toBe(true);
      }
    }
  });

  it('handles narrow, degenerate, reversed and non-finite ranges', () => {
    // Values inside the decades (up to four, where their labels fit), not just 2 and 5.
    expect(labels(0.2, 0.7)).toEqual(['2', '3', '4', '5']);
    expect(labels(0.1, 1.3)).toEqual(['2', '3', '5', '10']);
    expect(labels(3, 0)).toEqual(labels(0, 3));
    expect(labels(5, 5)).toEqual(['1e+5']);
    expect(logTicks(NaN, 3)).toEqual([]);
    expect(logTicks(0, Infinity)).toEqual([]);
    // All values equal: the domain is widened to a full decade and still gets ticks around the value.
    const d = niceLogDomain(2, 2);
    expect(d).toEqual({ min: 1.5, max: 2.5 });
    expect(logTicks(d.min, d.max).map((t) => t.label)).toEqual(['50', '100', '200', '300']);
    expect(niceLogDomain(NaN, NaN)).toEqual({ min: -1, max: 1 });
    expect(niceLogDomain(-2.3, 7.6, true)).toEqual({ min: -3, max: 8 });
    expect(niceLogDomain(0.2, 0.7, true)).toEqual({ min: 0.2, max: 0.7 });
    // A chart's narrow axis is padded so its lowest and highest points sit inside the frame (review: the Training
    // lab's last held-out loss sat on the x axis, half clipped); whole-decade axes are not padded.
    const padded = niceLogDomain(Math.log10(7.12), Math.log10(8.68), true, 0.06);
    expect(padded.min).toBeCloseTo(Math.log10(7.12) - 0.06 * Math.log10(8.68 / 7.12), 12);
    expect(padded.max).toBeCloseTo(Math.log10(8.68) + 0.06 * Math.log10(8.68 / 7.12), 12);
    expect(padded.min).toBeLessThan(Math.log10(7.12));
    expect(niceLogDomain(-2.3, 7.6, true, 0.06)).toEqual({ min: -3, max: 8 });
  });
});

describe('log ticks of a loss within a decade (the Training lab’s loss chart)', () => {
  const L = Math.log10;
  // The line chart asks for floor(plot height / 28 px) ticks: 7 at its height.
  const labels = (a: number, b: number, n = 7) => logTicks(L(a), L(b), n).map((t) => t.label);

  it('labels values inside the range, not only its ends', () => {
    expect(labels(0.31, 0.72)).toEqual(['0.4', '0.5', '0.6', '0.7']);
    expect(labels(1.2, 9.7)).toEqual(['2', '3', '5', '8']);
    expect(labels(1.2, 9.7, 8)).toEqual(['2', '3', '5', '7']);
    expect(labels(0.7, 0.72)).toEqual(['0.7', '0.71', '0.72']);
    expect(labels(0.00645, 0.0178)).toEqual(['0.007', '0.01', '0.015']);
    expect(labels(0.05, 0.3)).toEqual(['0.05', '0.1', '0.2', '0.3']);
    // Decades keep their exponent (the chart draws them as 10 with a superscript), other values do not.
    expect(logTicks(L(0.05), L(0.3), 7).map((t) => t.exponent)).toEqual([null, -1, null, null]);
  });

  it('keeps a multi-decade range as it was: whole decades with a nice step', () => {
    expect(labels(1e-3, 1e3)).toEqual(['0.001', '0.01', '0.1', '1', '10', '100', '1000']);
    expect(labels(0.02, 700, 7)).toEqual(['0.1', '1', '10', '100']);
    expect(logTicks(-30, 12, 7).map((t) => t.label)).toEqual(['1e-30', '1e-20', '1e-10', '1', '1e+10']);
  });

  it('never places two labels closer than the range over (maxTicks − 1), so they do not collide (random narrow ranges)', () => {
    let seed = 777;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 500; k++) {
      const a = (rnd() - 0.5) * 20;
      const b = a + 0.001 + rnd() * 1.9; // two decade ticks may fall inside: then the decades' rule applies
      const n = 3 + Math.floor(rnd() * 8);
      const t = logTicks(a, b, n);
      const ctx = `[${a}, ${b}] n=${n}: ${t.map((x) => x.label).join(' ')}`;
      expect(t.length, ctx).toBeGreaterThanOrEqual(2);
      expect(t.length, ctx).toBeLessThanOrEqual(n);
      expect(new Set(t.map((x) => x.label)).size, ctx).toBe(t.length);
      for (let i = 1; i < t.length; i++) expect(t[i].log10 - t[i - 1].log10, ctx).toBeGreaterThanOrEqual(((b - a) / (n - 1)) * (1 - 1e-6));
      // Within less than two whole decades, a range of 0.4 decade or more shows more than two values.
      if (Math.floor(b) - Math.ceil(a) < 1 && b - a >= 0.4 && n >= 7) expect(t.length, ctx).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('a chart’s log axis fitted to its data (fitLogAxis: the line chart’s y axis)', () => {
  const L = Math.log10;
  const axis = (a: number, b: number, n = 7) => fitLogAxis(L(a), L(b), n, 0.06);

  it('puts a tick at or below the lowest point and at or above the highest (review: He’s final loss 7.12 sat below a lowest tick of 7.5)', () => {
    const he = axis(7.12, 8.68);
    expect(he.ticks.map((t) => t.label)).toEqual(['7', '8', '9']);
    expect(he.domain.min).toBeCloseTo(L(7), 12);
    expect(he.domain.max).toBeCloseTo(L(9), 12);
    expect(axis(1.2, 9.7).ticks.map((t) => t.label)).toEqual(['1', '2', '3', '5', '10']);
    expect(axis(0.31, 0.72).ticks.map((t) => t.label)).toEqual(['0.3', '0.4', '0.5', '0.7', '1']);
    expect(axis(0.00645, 0.0178).ticks.map((t) => t.label)).toEqual(['0.005', '0.007', '0.01', '0.02']);
    // An end from a finer level (55) does not leave a hole among coarse ticks: 40 fills it (walk s11 C1: the
    // Training lab's loss axis read 15, 20, 30, 55).
    expect(axis(17.5, 50.33).ticks.map((t) => t.label)).toEqual(['15', '20', '30', '40', '55']);
    // The lab's defaults with the average-target line (15.04 … 50.33): 40 fills the hole below the top end 60.
    expect(axis(15.04, 50.33).ticks.map((t) => t.label)).toEqual(['10', '20', '30', '40', '60']);
    // Ranges whose ticks already reach both ends keep their padded domain and ticks.
    expect(axis(0.7, 0.72).ticks.map((t) => t.label)).toEqual(['0.7', '0.71', '0.72']);
    expect(axis(0.7, 0.72).domain).toEqual(niceLogDomain(L(0.7), L(0.72), true, 0.06));
    // Whole decades: widened to the step (1e+12 was above the last tick, 1e+10).
    const wide = fitLogAxis(-30, 12, 7, 0.06);
    expect(wide.ticks.map((t) => t.label)).toEqual(['1e-30', '1e-20', '1e-10', '1', '1e+10', '1e+20']);
    expect(wide.domain).toEqual({ min: -30, max: 20 });
    expect(fitLogAxis(NaN, 1, 7).domain).toEqual({ min: -1, max: 1 });
  });

  it('for random data ranges: a tick ≤ the lowest value and one ≥ the highest, all inside the domain, at most maxTicks, labels apart', () => {
    let seed = 4242;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 3000; k++) {
      const a = (rnd() - 0.5) * 80;
      // Equal values, ranges within a decade, a few decades, and wide ones.
      const kind = k % 4;
      const b = kind === 0 ? a : a + (kind === 1 ? rnd() * 1.2 : kind === 2 ? rnd() * 4 : rnd() * 100);
      const n = 3 + Math.floor(rnd() * 8);
      const { domain, ticks: t } = fitLogAxis(a, b, n, 0.06);
      const ctx = `[${a}, ${b}] n=${n}: ${t.map((x) => x.label).join(' ')} on [${domain.min}, ${domain.max}]`;
      expect(t.length, ctx).toBeGreaterThanOrEqual(2);
      expect(t.length, ctx).toBeLessThanOrEqual(n);
      expect(t[0].log10, ctx).toBeLessThanOrEqual(a + 1e-9);
      expect(t[t.length - 1].log10, ctx).toBeGreaterThanOrEqual(b - 1e-9);
      expect(domain.min, ctx).toBeLessThanOrEqual(t[0].log10 + 1e-12);
      expect(domain.max, ctx).toBeGreaterThanOrEqual(t[t.length - 1].log10 - 1e-12);
      // The padded data range stays inside (points keep off the frame).
      const padded = niceLogDomain(a, b, true, 0.06);
      expect(domain.min, ctx).toBeLessThanOrEqual(padded.min);
      expect(domain.max, ctx).toBeGreaterThanOrEqual(padded.max);
      expect(new Set(t.map((x) => x.label)).size, ctx).toBe(t.length);
      // Fill-in ticks of an uneven axis may sit at 0.75 of the gap (FILL_GAP in ticks.ts).
      const gap = ((domain.max - domain.min) / (n - 1)) * 0.75 * (1 - 1e-6);
      for (let i = 1; i < t.length; i++) expect(t[i].log10 - t[i - 1].log10, ctx).toBeGreaterThanOrEqual(gap);
    }
  });
});

describe('linear ticks', () => {
  it('labels the layer axis from 1 with a nice step', () => {
    expect(linearTicks(1, 128, 8)).toEqual([1, 16, 32, 48, 64, 80, 96, 112, 128]);
    expect(linearTicks(1, 100, 8)).toEqual([1, 20, 40, 60, 80, 100]);
    expect(linearTicks(1, 20, 8)).toEqual([1, 5, 10, 15, 20]);
    expect(linearTicks(1, 10, 8)).toEqual([1, 2, 4, 6, 8, 10]);
    expect(linearTicks(1, 3, 8)).toEqual([1, 2, 3]);
    expect(linearTicks(1, 1, 8)).toEqual([1]);
    expect(linearTicks(0, 1, 5, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('never gives more than maxTicks multiples after the start', () => {
    for (let hi = 2; hi <= 300; hi++) {
      for (const n of [2, 5, 8]) {
        const t = linearTicks(1, hi, n);
        expect(t[0]).toBe(1);
        expect(t.length - 1, `1..${hi} n=${n}`).toBeLessThanOrEqual(n);
        expect(t[t.length - 1]).toBeLessThanOrEqual(hi);
        expect(t.every(Number.isInteger)).toBe(true);
      }
    }
  });
});

describe('formatValue', () => {
  it('gives 4 significant digits, exponent form for big and small, and names non-finite values', () => {
    const cases: [number, string][] = [
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
      [0, '0'],
      [1, '1'],
      [1.5, '1.5'],
      [12.345678, '12.35'],
      [0.001234567, '0.001235'],
      [99999.5, '1e+5'],
      [123456, '1.235e+5'],
      [1.23456e12, '1.235e+12'],
      [4e-30, '4e-30'],
      [-2.5e-7, '-2.5e-7'],
      [1.7976931348623157e308, '1.798e+308'],
    ];
    for (const [v, s] of cases) expect(formatValue(v), String(v)).toBe(s);
  });
});

/** 3 rows × 4 layers with one cell of every kind. */
function smallData(): HeatmapData {
  // prettier-ignore
  const values = new Float64Array([
    1e-3, 1, 1e3, 1e300,          // last: overflow reported by the engine (excluded from the range)
    10, 0, NaN, 5,                // 0 'finite' → zero (a legitimate 0), NaN 'finite' → NaN
    1e-6, Infinity, 0, 100,       // 1e-6 'underflow' reported, Infinity 'finite' → overflow, 0 'none'
  ]);
  // prettier-ignore
  const status = [
    'finite', 'finite', 'finite', 'overflow',
    'finite', 'finite', 'finite', 'finite',
    'underflow', 'finite', 'none', 'finite',
  ];
  return { rowLabels: ['a', 'b', 'c'], rowTitle: 'gain s', colTitle: 'layer l', cols: 4, values, status, quantity: '‖a‖' };
}

const rgbaAt = (m: { rgba: Uint8ClampedArray; cols: number }, r: number, c: number) => Array.from(m.rgba.slice(4 * (r * m.cols + c), 4 * (r * m.cols + c) + 4));

describe('heatmap model', () => {
  it('takes the log range over finite cells only', () => {
    const m = makeHeatmapModel(smallData());
    expect(m.range).toEqual({ min: -3, max: 3 });
    expect(m.domain).toEqual({ min: -3, max: 3 });
    expect(m.ticks.map((t) => t.label)).toEqual(['0.001', '0.01', '0.1', '1', '10', '100', '1000']);
    expect(m.colTicks).toEqual([1, 2, 3, 4]);
  });

  it('derives effective statuses', () => {
    const m = makeHeatmapModel(smallData());
    expect(Array.from(m.status)).toEqual([0, 0, 0, 1, 0, 6, 3, 0, 2, 1, 4, 0]);
    expect(m.counts).toEqual({ finite: 6, overflow: 2, underflow: 1, nan: 1, none: 1, lost: 0, zero: 1 });
    // A 0 reported 'finite' (e.g. Var z of equal entries) is exactly 0, not a vanished value; one reported
    // 'underflow' stays underflow.
    expect(effectiveStatus(0, CellStatus.Finite)).toBe(CellStatus.Zero);
    expect(effectiveStatus(-0, CellStatus.Finite)).toBe(CellStatus.Zero);
    expect(effectiveStatus(0, CellStatus.Underflow)).toBe(CellStatus.Underflow);
    expect(effectiveStatus(-Infinity, CellStatus.Finite)).toBe(CellStatus.Overflow);
    expect(effectiveStatus(3, CellStatus.Finite)).toBe(CellStatus.Finite);
    expect(effectiveStatus(3, CellStatus.Underflow)).toBe(CellStatus.Underflow);
  });

  it('colours finite cells by log10 through the table and status cells with their own colours', () => {
    const m = makeHeatmapModel(smallData());
    const rgb = (c: Rgb) => [...c, 255];
    expect(rgbaAt(m, 0, 0)).toEqual(rgb(colorAt(VIRIDIS, 0))); // 1e-3 = min
    expect(rgbaAt(m, 0, 2)).toEqual(rgb(colorAt(VIRIDIS, 1))); // 1e3 = max
    expect(rgbaAt(m, 0, 1)).toEqual(rgb(colorAt(VIRIDIS, 0.5))); // 1 = middle
    expect(rgbaAt(m, 1, 3)).toEqual(rgb(colorAt(VIRIDIS, (Math.log10(5) + 3) / 6)));
    expect(rgbaAt(m, 0, 3)).toEqual([...SPECIAL_COLORS.overflow]);
    expect(rgbaAt(m, 2, 1)).toEqual([...SPECIAL_COLORS.overflow]);
    expect(rgbaAt(m, 1, 1)).toEqual([...SPECIAL_COLORS.zero]);
    expect(rgbaAt(m, 2, 0)).toEqual([...SPECIAL_COLORS.underflow]);
    expect(rgbaAt(m, 1, 2)).toEqual([...SPECIAL_COLORS.nan]);
    expect(rgbaAt(m, 2, 2)).toEqual([...SPECIAL_COLORS.none]);
    expect(m.rgba.length).toBe(3 * 4 * 4);
  });

  it('uses the chosen colour map', () => {
    const m = makeHeatmapModel(smallData(), { colormap: 'cividis' });
    expect(rgbaAt(m, 0, 0)).toEqual([...colorAt(CIVIDIS, 0), 255]);
    expect(rgbaAt(m, 0, 2)).toEqual([...colorAt(CIVIDIS, 1), 255]);
  });

  it('accepts status codes and names alike, and rejects bad shapes and statuses', () => {
    const d = smallData();
    const codes = new Uint8Array((d.status as string[]).map((s) => statusCode(s)));
    expect(makeHeatmapModel({ ...d, status: codes }).rgba).toEqual(makeHeatmapModel(d).rgba);
    expect(() => makeHeatmapModel({ ...d, values: new Float64Array(11) })).toThrow(/values has 11 entries, expected rows × cols = 3 × 4 = 12/);
    expect(() => makeHeatmapModel({ ...d, status: (d.status as string[]).slice(1) })).toThrow(/status has 11 entries/);
    expect(() => makeHeatmapModel({ ...d, status: [...(d.status as string[]).slice(1), 'exploded'] })).toThrow(/unknown cell status "exploded"/);
    expect(statusCode('NaN')).toBe(CellStatus.NaN);
  });

  // Walk s11 D1/D3: the legend said a bare "overflow" for cells at 1.024e38 (an f32 number, f32 overflows past
  // 3.4e38) and a bare "underflow", while the row chart said "underflow (below 1e-37)": the marks are named.
  it('lists legend entries for the statuses present, in a fixed order, with counts and the labs’ marks', () => {
    const m = makeHeatmapModel(smallData());
    expect(m.legend.map((e) => [e.name, e.label, e.count])).toEqual([
      ['overflow', 'overflow (above 1e38)', 2],
      ['underflow', 'underflow (below 1e-37)', 1],
      ['zero', 'exactly 0', 1],
      ['nan', 'NaN', 1],
      ['none', 'no such layer', 1],
    ]);
    const onlyFinite = makeHeatmapModel({ ...smallData(), values: new Float64Array(12).fill(2), status: new Uint8Array(12) });
    expect(onlyFinite.legend).toEqual([]);
  });

  it('is safe with no finite cells, no rows, and all-equal values', () => {
    const d = smallData();
    const none = makeHeatmapModel({ ...d, status: new Uint8Array(12).fill(CellStatus.None) });
    expect(none.range).toBeNull();
    expect(none.domain).toEqual({ min: -1, max: 1 });
    expect(none.ticks.map((t) => t.label)).toEqual(['0.1', '1', '10']);
    expect(none.legend.map((e) => e.name)).toEqual(['none']);

    const empty = makeHeatmapModel({ ...d, rowLabels: [], values: new Float64Array(0), status: [] });
    expect(empty.rows).toBe(0);
    expect(empty.rgba.length).toBe(0);
    expect(empty.range).toBeNull();

    const flat = makeHeatmapModel({ ...d, values: new Float64Array(12).fill(42), status: new Uint8Array(12) });
    expect(flat.range!.min).toBeCloseTo(Math.log10(42), 12);
    expect(flat.domain.max - flat.domain.min).toBeCloseTo(1, 12);
    // The value sits in the middle of the widened domain: entry 127 or 128 (t = 0.5 ± rounding).
    const mid = [127, 128].map((i) => [...VIRIDIS.slice(3 * i, 3 * i + 3), 255]);
    expect(mid).toContainEqual(rgbaAt(flat, 1, 1));
    expect(flat.ticks.length).toBeGreaterThanOrEqual(1);
  });

  it('honours a fixed domain, clamping values outside it to the end colours', () => {
    const m = makeHeatmapModel(smallData(), { domain: { min: -1, max: 1 } });
    expect(m.domain).toEqual({ min: -1, max: 1 });
    expect(m.range).toEqual({ min: -3, max: 3 });
    expect(rgbaAt(m, 0, 0)).toEqual([...colorAt(VIRIDIS, 0), 255]);
    expect(rgbaAt(m, 0, 2)).toEqual([...colorAt(VIRIDIS, 1), 255]);
    expect(rgbaAt(m, 1, 0)).toEqual([...colorAt(VIRIDIS, 1), 255]); // 10 → above the domain
  });

  it('finiteLogRange ignores non-finite and status cells', () => {
    expect(finiteLogRange([1, 100, NaN, Infinity, 0, 1e9], [0, 0, 0, 0, 0, CellStatus.Overflow])).toEqual({ min: 0, max: 2 });
    expect(finiteLogRange([NaN, 0])).toBeNull();
    expect(finiteLogRange([])).toBeNull();
  });
});

describe('hit-testing', () => {
  const plot = { x: 50, y: 20, width: 400, height: 90 };
  const grid = { rows: 3, cols: 4 };

  it('maps points to cells and rejects points outside the plot', () => {
    expect(cellAt(grid, 50, 20, plot)).toEqual({ row: 0, col: 0 });
    expect(cellAt(grid, 149.9, 49.9, plot)).toEqual({ row: 0, col: 0 });
    expect(cellAt(grid, 150, 50, plot)).toEqual({ row: 1, col: 1 });
    expect(cellAt(grid, 449.99, 109.99, plot)).toEqual({ row: 2, col: 3 });
    expect(cellAt(grid, 450, 60, plot)).toBeNull();
    expect(cellAt(grid, 49.99, 60, plot)).toBeNull();
    expect(cellAt(grid, 100, 19.99, plot)).toBeNull();
    expect(cellAt(grid, 100, 110, plot)).toBeNull();
    expect(cellAt(grid, NaN, 60, plot)).toBeNull();
    expect(cellAt({ rows: 0, cols: 4 }, 100, 60, plot)).toBeNull();
  });

  it('round-trips with cellRect for every cell, also with fractional cell sizes', () => {
    const odd = { x: 13.5, y: 7.25, width: 333, height: 101 };
    const g = { rows: 7, cols: 13 };
    for (let r = 0; r < g.rows; r++) {
      for (let c = 0; c < g.cols; c++) {
        const rect = cellRect(g, r, c, odd);
        expect(cellAt(g, rect.x + rect.width / 2, rect.y + rect.height / 2, odd)).toEqual({ row: r, col: c });
        expect(cellAt(g, rect.x + 0.01, rect.y + 0.01, odd)).toEqual({ row: r, col: c });
        expect(cellAt(g, rect.x + rect.width - 0.01, rect.y + rect.height - 0.01, odd)).toEqual({ row: r, col: c });
      }
    }
  });

  it('describes cells for tooltips, the live region and the table', () => {
    const m = makeHeatmapModel(smallData());
    expect(cellInfo(m, 1, 3)).toMatchObject({ row: 1, col: 3, layer: 4, rowLabel: 'b', value: 5, status: 'finite', valueText: '5' });
    expect(cellInfo(m, 1, 3).text).toBe('gain s = b, layer 4: ‖a‖ = 5');
    expect(cellInfo(m, 0, 3).text).toBe('gain s = a, layer 4: ‖a‖ = 1e300 (overflow)');
    expect(cellInfo(m, 1, 2).valueText).toBe('NaN');
    expect(cellInfo(m, 1, 1)).toMatchObject({ status: 'zero', valueText: '0' });
    expect(cellInfo(m, 2, 2).text).toBe('gain s = c, layer 3: no such layer');
  });

  it("shows 'lost' cells in their own colour and legend entry, with what they were lost to", () => {
    const data = {
      ...smallData(),
      rowLabels: ['a'],
      cols: 3,
      values: new Float64Array([1e39, 0, NaN]),
      status: ['overflow', 'lost', 'lost'],
      lostCauses: ['‖a‖ overflowed f32 at layer 1'],
    };
    const m = makeHeatmapModel(data);
    // A lost 0 or NaN stays lost: effectiveStatus keeps a reported status.
    expect(Array.from(m.status)).toEqual([CellStatus.Overflow, CellStatus.Lost, CellStatus.Lost]);
    expect(m.counts).toMatchObject({ overflow: 1, lost: 2, underflow: 0, nan: 0 });
    expect(m.legend.map((e) => [e.name, e.label, e.count])).toEqual([
      ['overflow', 'overflow (above 1e38)', 1],
      ['lost', 'after a value passed 1e38 or became NaN', 2],
    ]);
    expect(Array.from(m.rgba.slice(4, 8))).toEqual([...SPECIAL_COLORS.lost]);
    expect(cellInfo(m, 0, 1)).toMatchObject({
      status: 'lost',
      valueText: '0 (after a value passed 1e38 or became NaN)',
      lostCause: '‖a‖ overflowed f32 at layer 1',
    });
    expect(cellInfo(m, 0, 1).text).toBe('gain s = a, layer 2: ‖a‖ = 0 (after a value passed 1e38 or became NaN) (‖a‖ overflowed f32 at layer 1)');
    expect(cellInfo(m, 0, 0).lostCause).toBeNull();
    expect(statusCode('lost')).toBe(CellStatus.Lost);
    expect(statusCode(5)).toBe(CellStatus.Lost);
    expect(statusCode(6)).toBe(CellStatus.Zero);
    expect(() => statusCode(7)).toThrow(/0–6/);
  });

  it('labelStride spaces labels at least minGap apart', () => {
    expect(labelStride(20, 14)).toBe(1);
    expect(labelStride(7, 14)).toBe(2);
    expect(labelStride(3, 14)).toBe(5);
    expect(labelStride(2, 14)).toBe(10);
    expect(labelStride(1, 14)).toBe(20);
  });
});
