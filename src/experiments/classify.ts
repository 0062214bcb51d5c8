import type { LayerStatName, LayerStats, LayerStatuses } from './deep-net-types';

/**
 * What happened to a value computed in f32:
 * - 'overflow': |v| > 1e38 or ±Infinity. f32's largest value is ≈ 3.4e38, so anything past 1e38 is one
 *   ×3.4 step (or a sum of four such terms) from Infinity; WGSL may assume Inf never occurs, so waiting
 *   for an actual Infinity is not a reliable test.
 * - 'underflow' (norms only): |v| < 1e-37, including exactly 0. f32's smallest normal number is
 *   2^-126 ≈ 1.18e-38; below it precision drains away in subnormals, which GPUs may flush to 0, so a
 *   0 from the GPU can't be told apart from a flushed tiny value.
 * - 'nan': NaN (e.g. ∞ − ∞ or 0·∞ after an overflow).
 * - 'finite': anything else.
 */
export type ValueStatus = 'finite' | 'overflow' | 'underflow' | 'nan';

/**
 * How to read a value: 'norm' for magnitudes that are only 0 when the signal has vanished (norms, the
 * loss); 'value' for quantities where 0 or a tiny number is a legitimate result (a mean, a variance —
 * e.g. an identity net on an all-ones input has zero pre-activation variance). 'value' never underflows.
 */
export type ValueKind = 'norm' | 'value';

/** |v| above this is 'overflow'. */
export const OVERFLOW_THRESHOLD = 1e38;
/** A norm with |v| below this (including 0) is 'underflow'. */
export const UNDERFLOW_THRESHOLD = 1e-37;

/** Status of one value; see `ValueStatus` for the thresholds. */
export function classify(v: number, kind: ValueKind = 'norm'): ValueStatus {
  if (Number.isNaN(v)) return 'nan';
  const a = Math.abs(v);
  if (a > OVERFLOW_THRESHOLD) return 'overflow';
  if (kind === 'norm' && a < UNDERFLOW_THRESHOLD) return 'underflow';
  return 'finite';
}

/** `classify` of every element. */
export function classifyArray(values: ArrayLike<number>, kind: ValueKind = 'norm'): ValueStatus[] {
  return Array.from(values, (v) => classify(v, kind));
}

/** How each per-layer statistic is classified. */
export const STAT_KINDS: Readonly<Record<LayerStatName, ValueKind>> = Object.freeze({
  actNorm: 'norm',
  zMean: 'value',
  zVar: 'value',
  gradActNorm: 'norm',
  gradWNorm: 'norm',
});

/** Statuses of every per-layer statistic, each read with its `STAT_KINDS` kind. */
export function classifyLayers(layers: LayerStats): LayerStatuses {
  return {
    actNorm: classifyArray(layers.actNorm, STAT_KINDS.actNorm),
    zMean: classifyArray(layers.zMean, STAT_KINDS.zMean),
    zVar: classifyArray(layers.zVar, STAT_KINDS.zVar),
    gradActNorm: classifyArray(layers.gradActNorm, STAT_KINDS.gradActNorm),
    gradWNorm: classifyArray(layers.gradWNorm, STAT_KINDS.gradWNorm),
  };
}

/**
 * The first layer (1-based: statuses[i] is layer i + 1) whose status is `status` (or one of them), or
 * null. `firstLayerWhere(s.actNorm, 'overflow')` → "activations overflow at layer N".
 */
export function firstLayerWhere(
  statuses: readonly ValueStatus[],
  status: ValueStatus | readonly ValueStatus[],
): number | null {
  const wanted: readonly ValueStatus[] = typeof status === 'string' ? [status] : status;
  const i = statuses.findIndex((s) => wanted.includes(s));
  return i < 0 ? null : i + 1;
}
