// What the benchmark measures at each size preset: plain data shared by `npm run bench` and the
// Performance view.
import type { MatmulShape } from '../kernels/matmul';

/** 'tiny' for tests (under a second of GPU work), 'quick' the view's default, 'full' the sizes. */
export type BenchPreset = 'tiny' | 'quick' | 'full';
export const BENCH_PRESETS: readonly BenchPreset[] = ['tiny', 'quick', 'full'];

/** A matmul case: a shape and its name in tables. */
export interface MatmulCase extends MatmulShape {
  name: string;
}

/** What the training row runs: He + ReLU, SGD, a fixed seed; `checkSteps` first steps are checked against float64. */
export interface TrainingBenchConfig {
  depth: number;
  width: number;
  batch: number;
  steps: number;
  /** SGD learning rate: small enough that the net trains without overflow at this width (the teacher's targets grow with n). */
  lr: number;
  /** Steps per submission (runTraining's `chunk`); the first chunk is the warm-up, the rest are timed. */
  chunk: number;
  /** First steps whose loss and ‖∂J/∂W[l]‖ are compared with the float64 reference (trainRef's trainer). */
  checkSteps: number;
}

/**
 * The issue's row: depth 20, n = 256, m = 128, 100 SGD steps, 25 per submission (so 75 timed steps). The
 * learning rate is smaller than the Training lab's default 0.01: at n = 256, lr 0.01 overflows on
 * the third step (layer 4's activations; measured), 0.0005 trains (loss 377 → 99 in 8 steps) and 0.002 jumps to 1065 first.
 */
export const DEFAULT_TRAINING_BENCH: TrainingBenchConfig = { depth: 20, width: 256, batch: 128, steps: 100, lr: 0.0005, chunk: 25, checkSteps: 2 };

/** Everything one benchmark run measures. */
export interface BenchPlan {
  preset: BenchPreset;
  matmul: MatmulCase[];
  /** Float counts of the moments, norms, copy and sum-of-squares rows. */
  reductions: number[];
  /** Norm segments are this long (the default sweep's ‖dW[l]‖ segments are n² = 65,536). */
  normSegment: number;
  /**
   * Floats at which ours and the plain two-pass Σx² are both timed for the norms ratio: the plain
   * reduction's barrier tree is so slow on CPU adapters (≈ 6 s per 1M floats on SwiftShader) that it runs
   * at one smaller size only.
   */
  normsBaseline: number;
  /** FMA roof: invocations and loop trips. */
  fma: { count: number; iters: number };
  /** Untimed runs before the timed ones, and timed runs per row (the median is reported). */
  warmup: number;
  reps: number;
  /** The training row (src/bench/training-bench.ts): He + ReLU trained by SGD, run once per round by `npm run bench`. */
  training: TrainingBenchConfig;
  /** The matmul case (a name in `matmul`) whose rate, in the same round, the training row is compared with. */
  trainingReference: string;
}

/**
 * The FMA roof and the matmul rows encode enough executions per timed submission to hold at least this
 * many ms of work (timeGpu's minMs): the roof is one long dispatch (≈ 30–80 ms on SwiftShader), and a
 * short matmul timed one dispatch per submission pays the submission's start-up every time (≈ 20% of a
 * 15 ms dispatch there), which the roof does not. Slow rows (the plain tiled kernel) stay at one.
 */
export const MIN_SUBMISSION_MS = 50;

/** Matmuls of at least this many FLOPs get 3 timed runs (a 1024³ tiled matmul takes seconds on a CPU adapter). */
export const BIG_MATMUL_FLOP = 1e9;

/**
 * Warm-up runs for a matmul of `flop` FLOPs: none from BIG_MATMUL_FLOP up (a 1024³ product runs for seconds
 * on a CPU adapter; its pipelines are built before timing, and one slow first run is outvoted by the
 * median of 3), else the plan's.
 */
export function matmulWarmup(plan: Pick<BenchPlan, 'warmup'>, flop: number): number {
  return flop >= BIG_MATMUL_FLOP ? 0 : plan.warmup;
}

/** Timed runs for a matmul of `flop` FLOPs under `plan`. */
export function matmulReps(plan: Pick<BenchPlan, 'reps'>, flop: number): number {
  return flop >= BIG_MATMUL_FLOP ? Math.min(plan.reps, 3) : plan.reps;
}

const square = (s: number): MatmulCase => ({ name: `${s}×${s}×${s}`, m: s, n: s, k: s });
const batched = (b: number, s: number): MatmulCase => ({ name: `batched ${b} × ${s}×${s}×${s}`, m: s, n: s, k: s, batch: b });
/** The three products of one layer's backprop in a net of width n, batch m (Depth lab: Z = A·Wᵀ, dW = dZᵀ·A, dA = dZ·W). */
export function backpropCases(n: number, m: number): MatmulCase[] {
  return [
    { name: `forward Z = A·Wᵀ (${m}×${n}·${n}×${n}ᵀ)`, m, n, k: n, transB: true },
    { name: `dW = dZᵀ·A (${m}×${n}ᵀ·${m}×${n})`, m: n, n, k: m, transA: true },
    { name: `dA = dZ·W (${m}×${n}·${n}×${n})`, m, n, k: n },
  ];
}

/**
 * The cases of a preset. 'full': 256, 512, 1024, batched 64 × 64³, the default sweep's backprop shapes; 1M,
 * 4M, 16M floats; training depth 20, n = 256, m = 128, 100 SGD steps. 'quick' and 'tiny' train smaller nets.
 */
export function makeBenchPlan(preset: BenchPreset): BenchPlan {
  const M = 1 << 20;
  switch (preset) {
    case 'tiny':
      return {
        preset,
        matmul: [square(64), batched(4, 32), ...backpropCases(32, 16)],
        reductions: [1 << 16],
        normSegment: 4096,
        normsBaseline: 1 << 16,
        fma: { count: 1024, iters: 256 },
        warmup: 1,
        reps: 3,
        training: { depth: 4, width: 32, batch: 16, steps: 12, lr: 0.01, chunk: 4, checkSteps: 3 },
        trainingReference: '64×64×64',
      };
    case 'quick':
      return {
        preset,
        matmul: [square(256), batched(64, 64), ...backpropCases(256, 128)],
        reductions: [M],
        normSegment: 65536,
        normsBaseline: 1 << 16,
        fma: { count: 8192, iters: 1024 },
        warmup: 1,
        reps: 3,
        training: { depth: 8, width: 128, batch: 64, steps: 40, lr: 0.001, chunk: 10, checkSteps: 2 },
        trainingReference: '256×256×256',
      };
    case 'full':
      return {
        preset,
        matmul: [square(256), square(512), square(1024), batched(64, 64), ...backpropCases(256, 128)],
        reductions: [M, 4 * M, 16 * M],
        normSegment: 65536,
        normsBaseline: 1 << 18,
        fma: { count: 16384, iters: 1024 },
        warmup: 1,
        reps: 5,
        training: DEFAULT_TRAINING_BENCH,
        trainingReference: '256×256×256',
      };
  }
}
