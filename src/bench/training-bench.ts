// The Training lab's engine as a benchmark row: a deep net trained by SGD on the GPU (runTraining, through
// its public API), its steady-state steps/s and GFLOP/s, and a float64 check of the same run's first steps
// (losses and per-layer ‖∂J/∂W[l]‖ against the CPU reference), so the row is never just a timing.
import type { GpuContext } from '../gpu/context';
import { compareArrays } from '../kernels/compare';
import { validateTrainConfig, type TrainConfig } from '../labs/training/config';
import { makeTrainData, makeTrainer } from '../labs/training/cpu/train-ref';
import { runTraining } from '../labs/training/train-gpu';
import { gflops } from './bench-math';
import { DEFAULT_TRAINING_BENCH, type TrainingBenchConfig } from './cases';

export { DEFAULT_TRAINING_BENCH, type TrainingBenchConfig };

/** Relative tolerance of the float64 check (f32 GPU against float64 after a few SGD steps). */
export const TRAINING_CHECK_RTOL = 1e-3;

/**
 * What the GFLOP/s count, per SGD step of a net of depth L, width n, batch m (written into the JSON):
 * forward Z[l] = A[l−1]·W[l]ᵀ 2·m·n² per layer; backward ∂J/∂W[l] = dZᵀ·A 2·m·n² per layer and
 * ∂J/∂A[l−1] = dZ·W 2·m·n² per layer but the first; the update W −= η·∂J/∂W 2·n² per layer.
 */
export const TRAINING_FLOP_COUNTED =
  'per SGD step: forward Z = A·Wᵀ (2·m·n² per layer), backward dW = dZᵀ·A (2·m·n² per layer) and dA = dZ·W (2·m·n² per layer except layer 1), ' +
  'update W −= η·dW (2·n² per layer). Not counted: activations and their derivatives, the loss residual, the per-layer norm statistics, ' +
  'the minibatch copies, the held-out evaluations (none fall in the timed steps).';

/** FLOPs of one SGD step as TRAINING_FLOP_COUNTED counts them. */
export function trainingStepFlop(c: Pick<TrainingBenchConfig, 'depth' | 'width' | 'batch'>): number {
  const { depth: L, width: n, batch: m } = c;
  return 2 * m * n * n * L + 2 * m * n * n * L + 2 * m * n * n * (L - 1) + 2 * n * n * L;
}

/** The training config the row runs. */
export function trainingBenchTrainConfig(c: TrainingBenchConfig): TrainConfig {
  return validateTrainConfig({
    depth: c.depth,
    width: c.width,
    batch: c.batch,
    activation: 'relu',
    init: 'he-normal',
    gain: 1,
    seed: 1,
    input: 'normal',
    optimizer: 'sgd',
    lr: c.lr,
    steps: c.steps,
    // Held-out losses before step 0 and after the last: none in the timed chunks.
    evalEvery: c.steps,
    trainSize: Math.max(c.batch, 4 * c.batch),
    heldOutSize: c.batch,
  });
}

/** Result of the training row. */
export interface TrainingBenchResult {
  config: TrainingBenchConfig;
  /** Steps run (all of config.steps unless the run broke), and the steps timed (every chunk after the first). */
  steps: number;
  timedSteps: number;
  /** Wall time of the timed chunks (submission to readback and recording, between the first chunk's end and the last's). */
  timedMs: number;
  /** Wall time of the whole runTraining call (weights set up, uploads, the warm-up chunk, the final held-out loss). */
  wallMs: number;
  stepsPerSecond: number;
  /** FLOPs of one step and of the timed steps, as `flopCounted` says. */
  flopPerStep: number;
  flop: number;
  flopCounted: string;
  gflops: number;
  /** Submissions of the run (one per chunk, plus the final held-out evaluation). */
  submissions: number;
  /** Train loss of the first and last step (the net trained: the row is a real run, not a stuck one). */
  firstLoss: number;
  lastLoss: number;
  /** The float64 check: the first `checkSteps` losses and ‖∂J/∂W[l]‖ against makeTrainer, rtol TRAINING_CHECK_RTOL. */
  checkedSteps: number;
  ok: boolean;
  maxRelError: number;
  /** Why the check failed, or ''. */
  problem: string;
}

/**
 * Runs the training row: a short warm-up run (pipelines built), then the timed run, then the float64 check
 * of its first steps. Steps/s and GFLOP/s are over the chunks after the first, from the progress callbacks.
 */
export async function benchTraining(gpu: GpuContext, config: TrainingBenchConfig = DEFAULT_TRAINING_BENCH, signal?: AbortSignal): Promise<TrainingBenchResult> {
  const train = trainingBenchTrainConfig(config);
  const data = makeTrainData(train);
  await runTraining(gpu, { ...train, steps: 1 }, { data, signal });
  const marks: { done: number; at: number }[] = [];
  const t0 = performance.now();
  const run = await runTraining(gpu, train, { data, signal, chunk: config.chunk, onProgress: (p) => marks.push({ done: p.done, at: performance.now() }) });
  const wallMs = performance.now() - t0;
  const first = marks[0];
  const last = marks[marks.length - 1];
  const timedSteps = marks.length > 1 ? last.done - first.done : 0;
  const timedMs = marks.length > 1 ? last.at - first.at : NaN;
  const flopPerStep = trainingStepFlop(config);
  const flop = timedSteps * flopPerStep;

  // float64: the same net, data and minibatches, stepped `checkSteps` times.
  const checkSteps = Math.min(config.checkSteps, run.completedSteps);
  const trainer = makeTrainer({ ...train, steps: Math.max(1, checkSteps) }, { data });
  for (let t = 0; t < checkSteps; t++) trainer.step();
  const ref = trainer.finish();
  const L = config.depth;
  const tol = { rtol: TRAINING_CHECK_RTOL, atol: 0 };
  const loss = compareArrays(run.trainLoss.subarray(0, checkSteps), ref.trainLoss.subarray(0, checkSteps), tol);
  const grad = compareArrays(run.layers.gradWNorm.subarray(0, checkSteps * L), ref.layers.gradWNorm.subarray(0, checkSteps * L), tol);
  const problems: string[] = [];
  if (run.completedSteps !== config.steps) problems.push(`ran ${run.completedSteps} of ${config.steps} steps`);
  if (run.brokeAt) problems.push(`broke at step ${run.brokeAt.step} (${run.brokeAt.what}, layer ${run.brokeAt.layer}: ${run.brokeAt.status})`);
  if (checkSteps < 1) problems.push('no step to check');
  if (!loss.ok) problems.push(`train loss of step ${loss.firstBad} off by more than rtol ${tol.rtol}`);
  if (!grad.ok) problems.push(`‖∂J/∂W‖ of step ${Math.floor(grad.firstBad / L)}, layer ${(grad.firstBad % L) + 1} off by more than rtol ${tol.rtol}`);
  return {
    config,
    steps: run.completedSteps,
    timedSteps,
    timedMs,
    wallMs,
    stepsPerSecond: timedSteps > 0 ? (1000 * timedSteps) / timedMs : NaN,
    flopPerStep,
    flop,
    flopCounted: TRAINING_FLOP_COUNTED,
    gflops: gflops(flop, timedMs),
    submissions: run.submissions,
    firstLoss: run.trainLoss[0],
    lastLoss: run.trainLoss[run.trainLoss.length - 1],
    checkedSteps: checkSteps,
    ok: problems.length === 0,
    maxRelError: Math.max(loss.maxRelError, grad.maxRelError),
    problem: problems.join('; '),
  };
}
