// The CPU fallback of training: the float64 reference `makeTrainer`, run in chunks of steps with the event
// loop let in between, so the page can draw progress and Cancel can be clicked. Same `TrainResult` as the
// GPU engine will return.

import { msg, str } from '@lit/localize';
import { CpuCapError, InputError } from '../../../errors';
import { validateTrainConfig, type TrainConfig, type TrainConfigInput } from '../config';
import type { TrainResult } from '../types';
import { CPU_LIMITS } from '../../depth/cpu/deep-net-cpu';
import { makeTrainer } from './train-ref';

/** Steps per chunk: progress is reported, and Cancel takes effect, between chunks. */
export const TRAIN_CPU_CHUNK = 32;

/**
 * Caps of the training CPU fallback. A step costs about 3·L·m·n² multiply-adds (forward, ∂J/∂W, ∂J/∂a)
 * and a held-out evaluation L·H·n²; the Depth lab's measurement (L·m·n² = 2^25 in about a second on the
 * project's 2-core CI machine) puts `work` = 2^30 at about half a minute there.
 */
export const TRAIN_CPU_LIMITS = Object.freeze({
  width: CPU_LIMITS.width,
  batch: CPU_LIMITS.batch,
  /** steps·L·m·n² plus the held-out evaluations' L·H·n²/3 each. */
  work: 2 ** 30,
  /** Bytes of tensors, weights (and Adam's moments), data and the recorded series. */
  memoryBytes: 2 ** 28,
});

/** Held-out evaluations of a full run: before steps 0, k, 2k, … and after the last. */
function evaluations(c: TrainConfig): number {
  return Math.ceil(c.steps / c.evalEvery) + (c.steps % c.evalEvery === 0 ? 1 : 0);
}

/** The work of a run in units of L·m·n² (one third of a step's multiply-adds). */
export function trainCpuWork(c: TrainConfig): number {
  const { depth: L, width: n, batch: m, heldOutSize: H, steps } = c;
  return steps * L * m * n * n + (evaluations(c) * L * H * n * n) / 3;
}

/**
 * Bytes a CPU run keeps: float64 A, Z, ∂J/∂A of one pass (≈ 8·(3L+1)·max(m, H)·n), W and ∂J/∂W (8·2L·n²,
 * 8·4L·n² with Adam's m and v), the f32 data (4·2·(N + H)·n) and three float64 series plus their status
 * bytes (27·steps·L).
 */
export function trainCpuMemoryBytes(c: TrainConfig): number {
  const { depth: L, width: n, batch: m, heldOutSize: H, trainSize: N, steps } = c;
  const weights = 8 * (c.optimizer === 'adam' ? 4 : 2) * L * n * n;
  return 8 * (3 * L + 1) * Math.max(m, H) * n + weights + 8 * (N + H) * n + 27 * steps * L;
}

/** The first CPU cap `config` exceeds, as a CpuCapError (cap, needed vs allowed, what to change), or null. */
export function trainCpuCapProblem(c: TrainConfig): CpuCapError | null {
  if (c.width > TRAIN_CPU_LIMITS.width) {
    const max = TRAIN_CPU_LIMITS.width;
    return new CpuCapError(
      'width',
      msg('Width n'),
      max,
      c.width,
      msg(str`Use width n ≤ ${max} on the CPU fallback, or open the playground in a browser with WebGPU.`),
    );
  }
  if (c.batch > TRAIN_CPU_LIMITS.batch) {
    const max = TRAIN_CPU_LIMITS.batch;
    return new CpuCapError(
      'batch',
      msg('Batch m'),
      max,
      c.batch,
      msg(str`Use batch m ≤ ${max} on the CPU fallback, or open the playground in a browser with WebGPU.`),
    );
  }
  const mem = trainCpuMemoryBytes(c);
  if (mem > TRAIN_CPU_LIMITS.memoryBytes) {
    return new CpuCapError(
      'steps',
      msg('Memory of the run (tensors, weights, data and the steps × depth series)'),
      TRAIN_CPU_LIMITS.memoryBytes,
      mem,
      msg('Use fewer steps, a shallower or narrower net, or open the playground in a browser with WebGPU.'),
    );
  }
  const work = trainCpuWork(c);
  if (work > TRAIN_CPU_LIMITS.work) {
    const steps = Math.floor((c.steps * TRAIN_CPU_LIMITS.work) / work);
    return new CpuCapError(
      'steps',
      msg(str`Work of the run (steps·L·m·n² = ${c.steps}·${c.depth}·${c.batch}·${c.width}², plus the held-out evaluations)`),
      TRAIN_CPU_LIMITS.work,
      Math.round(work),
      steps >= 1
        ? msg(str`Use at most ${steps} steps at this size, a smaller batch or width, or open the playground in a browser with WebGPU.`)
        : msg('Use a smaller batch, width or depth, or open the playground in a browser with WebGPU.'),
    );
  }
  return null;
}

/** Progress of a chunked run, after each chunk. */
export interface TrainProgress {
  /** Steps done. */
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated from the pace so far (steps cost the same). */
  remainingMs: number;
  /** Train loss of the last step done. */
  trainLoss: number;
}

export interface TrainCpuOptions {
  /** Checked between chunks: when aborted, the run stops and resolves with the steps done (`cancelled: true`). */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Steps per chunk, 1..10,000 (default `TRAIN_CPU_CHUNK`). */
  chunk?: number;
}

// Lets the page draw and Cancel be clicked between chunks (each chunk runs synchronously).
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Trains `config` on the CPU (the float64 reference), `chunk` steps at a time. Checks the CPU caps first
 * (CpuCapError). Cancelling keeps the finished steps: the promise resolves with them and `cancelled: true`,
 * the held-out loss measured on the weights they left.
 */
export async function runTrainingCpu(input: TrainConfigInput, options: TrainCpuOptions = {}): Promise<TrainResult> {
  const config = validateTrainConfig(input);
  const chunk = options.chunk ?? TRAIN_CPU_CHUNK;
  if (typeof chunk !== 'number' || !Number.isInteger(chunk) || chunk < 1 || chunk > 10_000) {
    throw new InputError('chunk', msg(str`must be an integer from 1 to 10000 (steps per chunk), got ${String(chunk)}`));
  }
  const problem = trainCpuCapProblem(config);
  if (problem) throw problem;
  let last = NaN;
  const trainer = makeTrainer(config, { onStep: (_t, loss) => (last = loss) });
  const t0 = performance.now();
  while (trainer.done < config.steps) {
    if (options.signal?.aborted) break;
    const end = Math.min(config.steps, trainer.done + chunk);
    while (trainer.done < end) trainer.step();
    const elapsedMs = performance.now() - t0;
    options.onProgress?.({
      done: trainer.done,
      total: config.steps,
      elapsedMs,
      remainingMs: (elapsedMs * (config.steps - trainer.done)) / trainer.done,
      trainLoss: last,
    });
    await yieldToEventLoop();
  }
  return trainer.finish();
}
