// Types of the Normalization lab's data and results (the contract between its engine and its views).
// Features are row-major m×d f32 everywhere; statistics and costs that the views print are float64.

/** How the inputs are transformed before fitting (the lecture's right way and its two classic mistakes). */
export type NormalizeMode = 'raw' | 'standardize' | 'divide-variance' | 'test-own-stats';

/** The modes in display order. */
export const NORMALIZE_MODES: readonly NormalizeMode[] = ['raw', 'standardize', 'divide-variance', 'test-own-stats'];

/** One split of a dataset: m rows of d features (row-major) and their targets. */
export interface DataSplit {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly m: number;
}

/** Options of `makeDataset`. */
export interface DatasetOptions {
  /** Total examples, train + test (10..1,000,000). */
  m: number;
  /** Per feature [lo, hi] of its uniform distribution; its length is d (≥ 2). Default the lecture's [[1, 1000], [0, 1]]. */
  ranges: [number, number][];
  /** True weights w of y = w·x + b + noise; default chosen so every feature matters about equally. */
  weights?: number[];
  /** True bias b. */
  bias?: number;
  /** Standard deviation of the Gaussian noise added to y. */
  noise: number;
  /** Fraction of examples held out as the test set (0 < f < 1). */
  testFraction: number;
  /** Shift of the test features, in units of each feature's range width (0 = same distribution). */
  testShift: number;
  seed: number;
}

/** A dataset: features row-major m×d, f32. */
export interface Dataset {
  readonly train: DataSplit;
  readonly test: DataSplit;
  readonly d: number;
  /** Feature names (x1, x2, … or a CSV's header) and the target's name. */
  readonly featureNames: readonly string[];
  readonly targetName: string;
  /** Where it came from: generated (with the options used) or a CSV file. */
  readonly source: { kind: 'generated'; options: DatasetOptions } | { kind: 'csv'; fileName: string; rows: number };
}

/** The cost J on a square grid over two weights (the others held at their optimum), b at its optimum. */
export interface CostGrid {
  /** Which weights vary along the axes: [i, j] = w_i along x, w_j along y. */
  readonly axes: readonly [number, number];
  /** Axis ranges; the window is square (same scale on both axes), so contour shapes are true shapes. */
  readonly x: { readonly min: number; readonly max: number };
  readonly y: { readonly min: number; readonly max: number };
  /** Points per axis (≥ 128). */
  readonly size: number;
  /** Costs, row-major: values[r * size + c] is J at x = lerp(x.min, x.max, c/(size−1)), y = lerp(y.min, y.max, r/(size−1)). */
  readonly values: Float32Array;
  /** Training rows the grid was evaluated on (all of them, or an evenly strided subsample when m is large). */
  readonly rowsUsed: number;
}

/** What `normalizeStudy` returns for one mode. */
export interface NormalizeStudy {
  readonly mode: NormalizeMode;
  /** Training mean and standard deviation per feature (population σ), as computed on the GPU. */
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  /** What was subtracted from and divided into the test features (train stats, or the test set's own). */
  readonly testMu: Float64Array;
  readonly testDivisor: Float64Array;
  /** What was subtracted from and divided into the train features (0 and 1 for raw; σ or σ² otherwise). */
  readonly trainMu: Float64Array;
  readonly trainDivisor: Float64Array;
  /** The transformed splits (f32, row-major). */
  readonly train: DataSplit;
  readonly test: DataSplit;
  readonly d: number;
  /** Hessian of J in w with b profiled out: H = Xcᵀ Xc / m over the centred transformed training features (d×d, row-major). */
  readonly hessian: Float64Array;
  readonly lambdaMax: number;
  readonly lambdaMin: number;
  /** κ = λ_max / λ_min. */
  readonly kappa: number;
  /** Largest stable learning rate of full-batch gradient descent, 2 / λ_max. */
  readonly maxStableLr: number;
  /** The least-squares optimum in this mode's coordinates and its training cost. */
  readonly optimum: { readonly w: Float64Array; readonly b: number; readonly trainCost: number; readonly testCost?: number };
  readonly costGrid: CostGrid;
  /** Where the numbers came from: WebGPU kernels, or the float64 CPU fallback (`gpu === null`). */
  readonly backend: 'gpu' | 'cpu';
  // The fields below are always set by `normalizeStudy`; optional only so hand-built fixtures stay valid.
  /** Mean of the transformed training features, x̄ (0 up to rounding except in raw mode); b*(w) = ȳ − x̄ᵀw. */
  readonly trainMean?: Float64Array;
  /** Mean of the training targets, ȳ. */
  readonly yMean?: number;
  /** g = Xcᵀ yc / m: the gradient of J at w = 0 is −g, and at w it is H w − g. */
  readonly gradient?: Float64Array;
  /** Population variance of the training targets, yc·yc / m (J at w = 0 is half of it). */
  readonly yVariance?: number;
  /** Wall time of the whole study in ms (on SwiftShader or the CPU fallback these are CPU times). */
  readonly elapsedMs?: number;
}

/** Options of `gradientDescent`. */
export interface DescentOptions {
  lr: number;
  /** Maximum number of steps. */
  steps: number;
  /** Stop when J − J* ≤ tol · max(J*, 1e-12) … or as documented by the engine. */
  tol: number;
  /** Starting weights (length d; default all zeros). */
  start?: number[];
}

/** What `gradientDescent` returns. */
export interface DescentResult {
  /** Weights after each step, starting with the start: (steps+1) × d, row-major, float64. */
  readonly path: Float64Array;
  /** Training cost after each step (steps + 1 values). */
  readonly costs: Float64Array;
  /** Steps taken (to convergence, divergence, or the step limit). */
  readonly steps: number;
  readonly converged: boolean;
  readonly diverged: boolean;
  readonly trainCost: number;
  readonly testCost: number;
  /** (Always set by `gradientDescent`; optional only so hand-built fixtures stay valid.) The learning rate used, and the study's stable limit 2/λ_max (for the UI's "× limit" label). */
  readonly lr?: number;
  readonly maxStableLr?: number;
}
