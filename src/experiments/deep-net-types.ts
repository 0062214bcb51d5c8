import type { ValueStatus } from './classify';

/**
 * Per-layer statistics of one forward + backward pass, shared by the float64 reference and the GPU
 * engine. Index i holds layer l = i + 1 (layers are 1..L; the input A[0] has no entry).
 */
export interface LayerStats {
  /** ‖A[l]‖_F/√m: the RMS over the batch of each example's L2 norm. */
  actNorm: Float64Array;
  /** Mean of all m·n entries of the pre-activation Z[l]. */
  zMean: Float64Array;
  /** Population variance (divide by m·n) of all entries of Z[l]. */
  zVar: Float64Array;
  /** ‖dJ/dA[l]‖_F/√m, the same convention as actNorm. */
  gradActNorm: Float64Array;
  /** ‖dJ/dW[l]‖_F. */
  gradWNorm: Float64Array;
}

export type LayerStatName = keyof LayerStats;
export const LAYER_STAT_NAMES: readonly LayerStatName[] = ['actNorm', 'zMean', 'zVar', 'gradActNorm', 'gradWNorm'];

/** `classify` of every per-layer value (see classify.ts for the thresholds). */
export type LayerStatuses = Record<LayerStatName, ValueStatus[]>;

/** Result of running a DeepNetConfig once. */
export interface DeepNetResult {
  /** J = 1/(2m)·Σᵢ‖ŷᵢ‖² (targets are 0). */
  loss: number;
  lossStatus: ValueStatus;
  layers: LayerStats;
  status: LayerStatuses;
}
