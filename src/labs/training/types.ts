import type { ValueStatus } from '../depth/classify';
import type { TrainConfig } from './config';

/**
 * Status of a training value: `classify`'s statuses (finite, overflow, underflow, nan — see classify.ts for
 * the thresholds), plus 'lost': computed from an earlier overflow/NaN (in the same pass, or in an earlier
 * step whose update used it), so it says nothing about the net any more.
 */
export type TrainStatus = ValueStatus | 'lost';

/** Status codes of the compact status arrays: `TRAIN_STATUSES[code]`. */
export const TRAIN_STATUSES: readonly TrainStatus[] = ['finite', 'overflow', 'underflow', 'nan', 'lost'];

/** The code of a status in `TRAIN_STATUSES`. */
export function statusCode(s: TrainStatus): number {
  const i = TRAIN_STATUSES.indexOf(s);
  if (i < 0) throw new Error(`unknown status ${String(s)}`);
  return i;
}

/** The status a code stands for. */
export function statusName(code: number): TrainStatus {
  return TRAIN_STATUSES[code];
}

/** Per-layer series of a run: row-major steps × depth (index t·depth + (l − 1) is step t, layer l). */
export interface TrainLayerSeries {
  /** ‖∂J/∂W[l]‖_F on step t's minibatch, before the update. */
  gradWNorm: Float64Array;
  /** ‖A[l]‖_F/√m on step t's minibatch (the Depth lab's convention). */
  actNorm: Float64Array;
  /** ‖ΔW[l]‖_F/‖W[l]‖_F: the step's update (−η·g, or Adam's) over the weights before it. */
  updateRatio: Float64Array;
}

export type TrainLayerStat = keyof TrainLayerSeries;
export const TRAIN_LAYER_STATS: readonly TrainLayerStat[] = ['gradWNorm', 'actNorm', 'updateRatio'];

/** Where a run first broke: every value computed afterwards is 'lost'. */
export interface TrainBreak {
  step: number;
  /** What overflowed or became NaN: a layer's activations (or pre-activations), a backpropagated ∂J/∂a, a weight gradient, the updated weights, or Adam's second moment (g² past f32's range). */
  what: 'activations' | 'gradActivations' | 'gradWeights' | 'weights' | 'adamMoment';
  /** 1-based layer. */
  layer: number;
  status: 'overflow' | 'nan';
}

/** Result of a training run (the float64 reference, the CPU fallback and the GPU engine share it). */
export interface TrainResult {
  config: TrainConfig;
  /** Steps run: `config.steps`, or fewer when cancelled. The arrays below hold this many steps. */
  completedSteps: number;
  cancelled: boolean;
  /** J = 1/(2m)·Σ‖ŷ − y‖² of step t's minibatch, before its update. */
  trainLoss: Float64Array;
  /** Steps whose weights the held-out loss was measured on: 0, k, 2k, … and the end (completedSteps = after the last update). */
  heldOutStep: Int32Array;
  /** Held-out loss (same formula, over the held-out set) at each `heldOutStep`. */
  heldOutLoss: Float64Array;
  layers: TrainLayerSeries;
  /** `TRAIN_STATUSES` codes of every value, shaped like the values. */
  status: {
    trainLoss: Uint8Array;
    heldOutLoss: Uint8Array;
    layers: Record<TrainLayerStat, Uint8Array>;
  };
  /** The first overflow/NaN that later values were computed from, or null. */
  brokeAt: TrainBreak | null;
}
