/**
 * What happened to a value computed in f32:
 * - 'overflow': |v| > 1e38 or ±Infinity. f32's largest value is ≈ 3.4e38, so anything past 1e38 is one
 *   ×3.4 step (or a sum of four such terms) from Infinity; WGSL may assume Inf never occurs, so waiting
 *   for an actual Infinity is not a reliable test.
 * - 'underflow' (norms only): |v| < 1e-37, including exactly 0. f32's smallest normal number is
 *   2^-126 ≈ 1.18e-38; below it precision drains away in subnormals, which GPUs may flush to 0, so a
 *   0 from the GPU can't be told apart from a flushed tiny value.
 * - 'nan': NaN (e.g. ∞ − ∞ or 0·∞ after an overflow).
 * - 'lost': computed from an earlier value that overflowed or became NaN (`propagateLost`). Whatever f32 holds
 *   there — NaN, a 0 that ReLU made of a NaN, an Infinity — says nothing about the net any more, so it is
 *   neither shown as vanishing (underflow) nor as a further explosion. `classify` never returns it.
 * - 'finite': anything else.
 */
export type ValueStatus = 'finite' | 'overflow' | 'underflow' | 'nan' | 'lost';

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
