// DOM-free model of a two-split scatter plot (the Normalization lab's): two features of the train and test
// rows, axis ranges with nice ticks and titles the caller words, and an even subsample when there are many
// rows (the plot says "showing N of M points").

import { msg, str } from '@lit/localize';
import { formatCount, formatMagnitude, formatSignificant } from '../locale-format';

/** Rows of features, row-major: m rows of d values (plain data; a dataset split fits). */
export interface PointRows {
  readonly x: Float32Array;
  readonly m: number;
}

/** A linear axis: its range, tick values and title (with units). */
export interface ScatterAxis {
  min: number;
  max: number;
  ticks: number[];
  title: string;
}

/** The points of one split that are drawn. */
export interface ScatterSeries {
  /** x and y of the points drawn. */
  xs: Float32Array;
  ys: Float32Array;
  /** Points drawn / points in the split. */
  shown: number;
  total: number;
}

export interface ScatterModel {
  x: ScatterAxis;
  y: ScatterAxis;
  train: ScatterSeries;
  test: ScatterSeries;
  /** "showing 4,000 of 800,000 points" when subsampled, else "all 1,000 points". */
  note: string;
  /** A text alternative for the canvas. */
  description: string;
  /** Both axes span the same width (draw the plot area square: one unit is as long on x as on y). */
  equalScale: boolean;
  /**
   * With equal scale, a cloud whose narrow side is under a third of its wide side is a thin line: the inset
   * shows it again with each axis fitted to its own data (stretched), so its spread stays visible.
   */
  inset: { x: { min: number; max: number }; y: { min: number; max: number }; label: string } | null;
}

/** Options of `makeScatterModel`. */
export interface ScatterInput {
  train: PointRows;
  test: PointRows;
  /** Features per row. */
  d: number;
  featureNames: readonly string[];
  /** Which features go on x and y (default [0, 1]). */
  axes?: readonly [number, number];
  /** The axis title of a feature, e.g. with its unit after a transform (default: the feature's name). */
  axisTitle?: (feature: string) => string;
  /** Most points drawn in total (default 4000), split between train and test in proportion. */
  maxPoints?: number;
  /** Title before the plot's description, e.g. "Before normalizing". */
  title?: string;
  /** Same units per pixel on both axes (default true): the raw x1 ∈ [1, 1000], x2 ∈ [0, 1] cloud is then a thin line. */
  equalScale?: boolean;
}

/** Two ranges widened about their centres to the larger one's width (equal units per pixel on a square plot). */
export function equalRanges(
  rx: { min: number; max: number },
  ry: { min: number; max: number },
): { x: { min: number; max: number }; y: { min: number; max: number } } {
  const w = Math.max(rx.max - rx.min, ry.max - ry.min);
  const cx = (rx.min + rx.max) / 2;
  const cy = (ry.min + ry.max) / 2;
  return { x: { min: cx - w / 2, max: cx + w / 2 }, y: { min: cy - w / 2, max: cy + w / 2 } };
}

const nf = { format: formatCount };

/**
 * Nice 1-2-5 ticks covering [min, max] (at most about `maxTicks`), all inside the range (give or take a
 * millionth of a step), and at least two: when the first nice step ≥ (max − min) / maxTicks has fewer
 * multiples in the range (it can be up to 1.25× the range), the next smaller nice step is used.
 */
export function niceTicks(min: number, max: number, maxTicks = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min > max) [min, max] = [max, min];
  if (min === max) return [min];
  const n = Math.max(2, Math.floor(maxTicks));
  const raw = (max - min) / n;
  const e = Math.floor(Math.log10(raw));
  // Nice steps from 10^e up; take the first one ≥ raw, stepping down while fewer than two multiples fall in
  // the range. 10^e ≤ raw ≤ (max − min) / 2 always has two.
  const steps = [1, 2, 5, 10].map((m) => m * 10 ** e);
  let i = steps.findIndex((step) => step >= raw * (1 - 1e-12));
  if (i < 0) i = steps.length - 1;
  for (; ; i--) {
    const step = steps[i];
    const first = Math.ceil(min / step - 1e-6);
    const last = Math.floor(max / step + 1e-6);
    if (last - first < 1 && i > 0) continue;
    const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
    const ticks: number[] = [];
    for (let k = first; k <= last; k++) ticks.push(Number((k * step).toFixed(Math.min(20, digits))) + 0);
    return ticks;
  }
}

/** A range with 4 % padding each side; a single value becomes ±0.5 (or ±5 % of it) around it. */
export function paddedRange(min: number, max: number): { min: number; max: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: -1, max: 1 };
  if (max === min) {
    const h = min === 0 ? 0.5 : Math.abs(min) * 0.05;
    return { min: min - h, max: max + h };
  }
  const pad = (max - min) * 0.04;
  return { min: min - pad, max: max + pad };
}

/** Indices 0..total−1 evenly strided down to at most `limit` of them (all when total ≤ limit). */
export function strideIndices(total: number, limit: number): Uint32Array {
  const n = Math.max(0, Math.min(total, Math.floor(limit)));
  const out = new Uint32Array(n);
  if (n === 0) return out;
  if (n === total) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = Math.floor((i * total) / n);
  return out;
}

function series(split: PointRows, d: number, ax: number, ay: number, limit: number): ScatterSeries {
  const idx = strideIndices(split.m, limit);
  const xs = new Float32Array(idx.length);
  const ys = new Float32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    xs[i] = split.x[idx[i] * d + ax];
    ys[i] = split.x[idx[i] * d + ay];
  }
  return { xs, ys, shown: idx.length, total: split.m };
}

function rangeOf(a: Float32Array, b: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const arr of [a, b]) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { min, max };
}

/** The scatter plot of two features of train and test (subsampled to `maxPoints` in total). */
export function makeScatterModel(input: ScatterInput): ScatterModel {
  const { d, featureNames, axisTitle = (feature: string) => feature } = input;
  const [ax, ay] = input.axes ?? [0, 1];
  if (!(ax >= 0 && ax < d && ay >= 0 && ay < d)) throw new RangeError(`axes [${ax}, ${ay}] are outside the ${d} features`);
  const total = input.train.m + input.test.m;
  const maxPoints = Math.max(2, Math.floor(input.maxPoints ?? 4000));
  const trainLimit = total <= maxPoints ? input.train.m : Math.max(1, Math.round((maxPoints * input.train.m) / total));
  const testLimit = total <= maxPoints ? input.test.m : Math.max(input.test.m > 0 ? 1 : 0, maxPoints - trainLimit);
  const train = series(input.train, d, ax, ay, trainLimit);
  const test = series(input.test, d, ax, ay, testLimit);
  const fx = paddedRange(...(Object.values(rangeOf(train.xs, test.xs)) as [number, number]));
  const fy = paddedRange(...(Object.values(rangeOf(train.ys, test.ys)) as [number, number]));
  const equalScale = input.equalScale ?? true;
  const eq = equalScale ? equalRanges(fx, fy) : { x: fx, y: fy };
  const rx = eq.x;
  const ry = eq.y;
  const wx = fx.max - fx.min;
  const wy = fy.max - fy.min;
  const nx = featureNames[ax] ?? `x${ax + 1}`;
  const ny = featureNames[ay] ?? `x${ay + 1}`;
  // The inset's label names the feature whose axis it stretches (not "y", which a learner reads as the target).
  const stretch = formatSignificant(Math.max(wx, wy) / Math.min(wx, wy), 2);
  const inset = equalScale && Math.min(wx, wy) < Math.max(wx, wy) / 3 ? { x: fx, y: fy, label: msg(str`${wx > wy ? ny : nx} stretched ×${stretch}`) } : null;
  const x: ScatterAxis = { ...rx, ticks: niceTicks(rx.min, rx.max), title: axisTitle(nx) };
  const y: ScatterAxis = { ...ry, ticks: niceTicks(ry.min, ry.max), title: axisTitle(ny) };
  const shown = train.shown + test.shown;
  const note = shown < total ? msg(str`showing ${nf.format(shown)} of ${nf.format(total)} points`) : msg(str`all ${nf.format(total)} points`);
  const description =
    (input.title ? input.title + ': ' : '') +
    msg(str`scatter plot of ${ny} against ${nx}, ${note};`) +
    ' ' +
    msg(str`train ${nf.format(train.total)} points (filled circles), test ${nf.format(test.total)} points (crosses).`) +
    ' ' +
    msg(
      str`x axis ${x.title} from ${formatMagnitude(x.min)} to ${formatMagnitude(x.max)}; y axis ${y.title} from ${formatMagnitude(y.min)} to ${formatMagnitude(y.max)}`,
    ) +
    (equalScale ? msg(', same scale on both axes') : '') +
    (inset
      ? msg(
          str`; an inset stretches the axes to show the spread (${nx} ${formatMagnitude(fx.min)} to ${formatMagnitude(fx.max)}, ${ny} ${formatMagnitude(fy.min)} to ${formatMagnitude(fy.max)}).`,
        )
      : '.');
  return { x, y, train, test, note, description, equalScale, inset };
}
