// A value of exactly 0 has no place on a log axis: drawn at the axis' bottom it reads as the bottom tick (0.1, 1e-40
// …). A row chart therefore gives exact zeros no y position: it shades their layers as a band marked "exactly 0"
// (gp-line-chart's `zeroBands`), like the band of lost layers, and a sentence under it names the layers.
// Only quantities read as values (Var z, mean z) have such zeros; a norm's 0 is an underflow and keeps its marker.
import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';
import type { ValueStatus } from './classify';

/** Layers (1-based) whose value is exactly 0 and counts as a measurement ('finite' status). */
export function zeroLayers(values: ArrayLike<number>, status: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === 0 && (status[i] as ValueStatus) === 'finite') out.push(i + 1);
  return out;
}

/** Whether every layer holds an exact 0: a row chart would have no point to draw. */
export function allZero(values: ArrayLike<number>, status: readonly string[]): boolean {
  return values.length > 0 && zeroLayers(values, status).length === values.length;
}

/** The statuses a chart draws: exact zeros become 'zero' (a band, no y position); every other status is kept. */
export function chartStatus(values: ArrayLike<number>, status: readonly string[]): string[] {
  return Array.from(status, (s, i) => (values[i] === 0 && s === 'finite' ? 'zero' : s));
}

/** Sorted layers as ranges, in the language shown: "1–215", "3, 5–9". */
export function layerRanges(layers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < layers.length;) {
    let j = i;
    while (j + 1 < layers.length && layers[j + 1] === layers[j] + 1) j++;
    parts.push(j === i ? formatCount(layers[i]) : `${formatCount(layers[i])}–${formatCount(layers[j])}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** The sentence under a row chart that leaves exact zeros out, or '' when there are none. */
export function zeroGapNote(quantity: string, values: ArrayLike<number>, status: readonly string[]): string {
  const zeros = zeroLayers(values, status);
  if (zeros.length === 0) return '';
  const layers = layerRanges(zeros);
  return zeros.length === 1
    ? msg(str`${quantity} is exactly 0 at layer ${layers}: 0 has no place on a log axis, so the chart marks that layer “exactly 0” instead of drawing a point.`)
    : msg(
        str`${quantity} is exactly 0 at layers ${layers}: 0 has no place on a log axis, so the chart marks those layers “exactly 0” instead of drawing points.`,
      );
}
