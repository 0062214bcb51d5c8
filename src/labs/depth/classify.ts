import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';
import type { LayerStatName, LayerStats, LayerStatuses, ValueStatus } from './types';

export type { ValueStatus };

/** Every status, in the order legends list them. */
export const VALUE_STATUSES: readonly ValueStatus[] = ['finite', 'overflow', 'underflow', 'nan', 'lost'];

/** One-line meaning of each status in English, as exports carry it (an exported file reads the same in every language). */
export const STATUS_MEANINGS_EXPORT: Readonly<Record<ValueStatus, string>> = Object.freeze({
  finite: 'inside f32’s range',
  overflow: 'past 1e38, at the edge of f32’s range (≈ 3.4e38): the value exploded',
  underflow: 'below 1e-37 or exactly 0: the value vanished',
  nan: 'not a number (∞ − ∞ or 0·∞ after an overflow)',
  lost: 'after a value passed 1e38 or became NaN: computed from a value past the lab’s overflow mark, or from NaN, so it says nothing',
});

/** One-line meaning of each status for legends and tooltips, in the language shown when read (getters around msg()). */
export const STATUS_MEANINGS: Readonly<Record<ValueStatus, string>> = Object.freeze({
  get finite() {
    return msg('inside f32’s range');
  },
  get overflow() {
    return msg('past 1e38, at the edge of f32’s range (≈ 3.4e38): the value exploded');
  },
  get underflow() {
    return msg('below 1e-37 or exactly 0: the value vanished');
  },
  get nan() {
    return msg('not a number (∞ − ∞ or 0·∞ after an overflow)');
  },
  get lost() {
    return msg('after a value passed 1e38 or became NaN: computed from a value past the lab’s overflow mark, or from NaN, so it says nothing');
  },
});

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
export function firstLayerWhere(statuses: readonly ValueStatus[], status: ValueStatus | readonly ValueStatus[]): number | null {
  const wanted: readonly ValueStatus[] = typeof status === 'string' ? [status] : status;
  const i = statuses.findIndex((s) => wanted.includes(s));
  return i < 0 ? null : i + 1;
}

/** True for the statuses that poison every value computed afterwards from them. */
export function isBroken(s: ValueStatus): boolean {
  return s === 'overflow' || s === 'nan';
}

/** The first overflow/NaN that later values were computed from (layers are 1-based). */
export interface LostCause {
  /** 'forward' when an activation or pre-activation broke, 'backward' when a gradient ∂J/∂a did. */
  pass: 'forward' | 'backward';
  stat: LayerStatName;
  layer: number;
  status: 'overflow' | 'nan';
  /**
   * For an overflow, whether the value at that layer was itself past f32's range (Infinity on the GPU, above
   * f32's largest number 3.4e38 in float64) or only past the lab's 1e38 mark. Absent when `lostCause` was
   * not given the values; then the cause reads as passing the mark, which every 'overflow' status did.
   */
  pastF32?: boolean;
}

/** f32's largest finite number: a value beyond it (or Infinity, or NaN) has left f32's range. */
const F32_LARGEST = 3.4028234663852886e38;

// The forward pass breaks at the first layer whose ‖a‖ or mean z overflowed or is NaN: A[l] = f(Z[l]) is what
// the next layer and the backward pass are computed from, and a Z[l] past f32 (∞ − ∞ = NaN in its sums)
// makes A[l] = ReLU(NaN) = 0, which must not read as vanishing. Var z is no cause: it passes 1e38 once z
// passes 1e19, long before z itself leaves f32's range.
function forwardCause(s: LayerStatuses): LostCause | null {
  for (let i = 0; i < s.actNorm.length; i++) {
    for (const stat of ['zMean', 'actNorm'] as const) {
      const v = s[stat][i];
      if (isBroken(v)) return { pass: 'forward', stat, layer: i + 1, status: v as 'overflow' | 'nan' };
    }
  }
  return null;
}

// Backprop runs from layer L down to 1: the first ∂J/∂a[l] it reaches that broke.
function backwardCause(s: LayerStatuses): LostCause | null {
  for (let i = s.gradActNorm.length - 1; i >= 0; i--) {
    const v = s.gradActNorm[i];
    if (isBroken(v)) return { pass: 'backward', stat: 'gradActNorm', layer: i + 1, status: v as 'overflow' | 'nan' };
  }
  return null;
}

/**
 * Marks as 'lost' every value computed from an earlier overflow or NaN, following the order of the pass:
 * forward, Z[l] (zMean, zVar) then A[l] (actNorm) for l = 1..L; the loss from A[L]; backward, for l = L..1,
 * ∂J/∂a[l], then ∂J/∂W[l] (from ∂J/∂a[l] and A[l−1]), then ∂J/∂a[l−1] (from ∂J/∂a[l]).
 * - forward: after the first layer whose ‖a‖ or mean z overflowed / is NaN, every statistic of every later
 *   layer is lost; in that layer, when z broke and ‖a‖ = ‖f(z)‖ did not, ‖a‖ is lost too;
 * - the loss J = ‖a[L]‖²/(2m): lost when ‖a[L]‖ is;
 * - backward: every gradient of a run whose forward pass broke (∂J/∂a[L] = A[L]/m starts from it); otherwise,
 *   from the first ∂J/∂a[l] backprop reaches that broke, ∂J/∂W[l] and every gradient of the layers below.
 * The value that broke first keeps its own status, so a heatmap shows where it happened. Whatever else f32
 * holds downstream (NaN, a ReLU of NaN = 0, Infinity, or a float64 number past f32) tells nothing, which is
 * why the GPU (f32) and the CPU fallback (float64) agree on these statuses.
 */
export function propagateLost(status: LayerStatuses, lossStatus: ValueStatus): { status: LayerStatuses; lossStatus: ValueStatus } {
  const out: LayerStatuses = {
    actNorm: [...status.actNorm],
    zMean: [...status.zMean],
    zVar: [...status.zVar],
    gradActNorm: [...status.gradActNorm],
    gradWNorm: [...status.gradWNorm],
  };
  const L = out.actNorm.length;
  let loss = lossStatus;
  const fwd = forwardCause(status);
  if (fwd) {
    if (!isBroken(out.actNorm[fwd.layer - 1])) out.actNorm[fwd.layer - 1] = 'lost';
    for (let j = fwd.layer; j < L; j++) out.actNorm[j] = out.zMean[j] = out.zVar[j] = 'lost';
    if (out.actNorm[L - 1] === 'lost') loss = 'lost';
    out.gradActNorm.fill('lost');
    out.gradWNorm.fill('lost');
  } else {
    const bwd = backwardCause(status);
    if (bwd) {
      const i = bwd.layer - 1;
      out.gradWNorm[i] = 'lost';
      for (let j = i - 1; j >= 0; j--) out.gradActNorm[j] = out.gradWNorm[j] = 'lost';
    }
  }
  return { status: out, lossStatus: loss };
}

/**
 * The overflow/NaN that made a run's values 'lost' (forward first), or null; from propagated statuses. Given
 * the run's values, an overflow also says whether the value at that layer had left f32's range (`pastF32`).
 */
export function lostCause(status: LayerStatuses, layers?: LayerStats): LostCause | null {
  const c = forwardCause(status) ?? backwardCause(status);
  if (!c || !layers || c.status !== 'overflow') return c;
  const v = Math.abs(layers[c.stat][c.layer - 1]);
  return { ...c, pastF32: !(v <= F32_LARGEST) };
}

/** Short names of the per-layer statistics, for sentences, in English (exports). */
export const STAT_SYMBOLS: Readonly<Record<LayerStatName, string>> = Object.freeze({
  actNorm: '‖a‖',
  zMean: 'mean z',
  zVar: 'Var z',
  gradActNorm: '‖∂J/∂a‖',
  gradWNorm: '‖∂J/∂W‖',
});

/** The same names in the language shown (getters around msg(); the norms are math in every language). */
export const STAT_SYMBOLS_SHOWN: Readonly<Record<LayerStatName, string>> = Object.freeze({
  actNorm: '‖a‖',
  get zMean() {
    return msg('mean z');
  },
  zVar: 'Var z',
  gradActNorm: '‖∂J/∂a‖',
  gradWNorm: '‖∂J/∂W‖',
});

/**
 * What happened at the cause's layer, e.g. "‖a‖ passed the lab's 1e38 overflow mark at layer 215" (the value
 * is still inside f32 there), "‖a‖ overflowed f32 at layer 35" (only where it had left f32's range:
 * `pastF32`) or "‖∂J/∂a‖ became NaN at layer 12": in the language shown, or in English with
 * `{ english: true }` (exports read the same in every language).
 */
export function describeCause(c: LostCause, { english = false }: { english?: boolean } = {}): string {
  if (english) {
    const what = c.status === 'nan' ? 'became NaN' : c.pastF32 ? 'overflowed f32' : "passed the lab's 1e38 overflow mark";
    return `${STAT_SYMBOLS[c.stat]} ${what} at layer ${c.layer}`;
  }
  const what = STAT_SYMBOLS_SHOWN[c.stat];
  const layer = formatCount(c.layer);
  if (c.status === 'nan') return msg(str`${what} became NaN at layer ${layer}`);
  return c.pastF32 ? msg(str`${what} overflowed f32 at layer ${layer}`) : msg(str`${what} passed the lab's 1e38 overflow mark at layer ${layer}`);
}

/**
 * Statuses of one run: `classifyLayers` and `classify(loss)`, then `propagateLost`. The one classification
 * of a run, used by the GPU engine and the float64 reference (hence the CPU fallback) alike.
 */
export function classifyRun(layers: LayerStats, loss: number): { status: LayerStatuses; lossStatus: ValueStatus } {
  return propagateLost(classifyLayers(layers), classify(loss, 'norm'));
}
