// The Normalization lab's engine: for one mode, the training statistics, the transformed splits, the
// Hessian of the cost with b profiled out, its condition number and stable learning rate, the optimum, and
// the cost on a grid of weights — on the GPU (moments, elementwise, matmul and residual-sumsq kernels), or in
// float64 on the CPU when `gpu` is null. Then gradient descent on that quadratic.
// The GPU plan is in study-gpu.ts, the float64 path in study-cpu.ts, the checks of the inputs in study-options.ts.

import type { GpuContext } from '../../gpu/context';
import { InputError } from '../../errors';
import { costRef, descentRef, optimalBias } from './cpu/normalize-ref';
import { meanOf } from './study-core';
import { cpuStudy } from './study-cpu';
import { gpuCostsAt, gpuStudy } from './study-gpu';
import { checkDataset, checkDescentOptions, checkStudyOptions, type StudyOptions } from './study-options';
import type { Dataset, DescentOptions, DescentResult, NormalizeStudy } from './types';

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * One mode of the Normalization lab, on the GPU (or in float64 on the CPU when `gpu` is null).
 *
 * - μ, σ: mean and population standard deviation of the TRAINING features (moments kernel, Welford/Chan,
 *   on x − c for a rough mean c, so μ = c + mean(x − c) keeps more than f32 precision for large offsets).
 * - Transforms (elementwise normalize kernel): raw none; standardize (x − μ)/σ on train and test;
 *   divide-variance (x − μ)/σ² on both (the lecture's formula, which calls σ² σ); test-own-stats (x − μ)/σ on train but the test
 *   set standardized with its OWN μₜ, σₜ (with a shifted test set this hides the shift and raises the test cost).
 * - b is profiled out: b*(w) = ȳ − x̄ᵀw, so J(w) = 1/(2m)‖Xc w − yc‖² with centred transformed features.
 *   Its Hessian H = XcᵀXc/m is the XᵀX/m after b is profiled out; κ = λmax/λmin and the largest
 *   stable learning rate of full-batch descent is 2/λmax.
 * - The cost grid evaluates J over a square window (default: around the start and w*, see gridWindow) on
 *   at most 4,096 evenly strided training rows (`rowsUsed`); for d > 2 the other weights sit at w*.
 * Throws InputError for bad options, constant features, or linearly dependent features.
 */
export async function normalizeStudy(gpu: GpuContext | null, dataset: Dataset, options: StudyOptions): Promise<NormalizeStudy> {
  checkDataset(dataset);
  const o = checkStudyOptions(dataset.d, options);
  options.signal?.throwIfAborted();
  const t0 = now();
  const partial = gpu ? await gpuStudy(gpu, dataset, o, options.signal) : cpuStudy(dataset, o);
  return { ...partial, elapsedMs: now() - t0 };
}

/**
 * Full-batch gradient descent on the study's J(w) with b profiled out, from `start` (default zeros; in
 * the mode's own coordinates). The gradient is exactly H w − g, so the iteration runs in float64 from the
 * study's H and g (identical to descent on the data, without touching it each step). Converged when
 * J − J* ≤ tol·max(J*, 1e-12); diverged when J is non-finite or exceeds 1e6 × max(J(start), 1e-12).
 * `costs` are J* + ½(w − w*)ᵀH(w − w*); the final `trainCost` and `testCost` are evaluated literally at
 * (w, b*(w)) on the transformed splits — on the GPU, or in float64 on the CPU when `gpu` is null or the
 * run diverged (f32 could overflow).
 */
export async function gradientDescent(
  gpu: GpuContext | null,
  study: NormalizeStudy,
  options: DescentOptions & { signal?: AbortSignal },
): Promise<DescentResult> {
  if (typeof study !== 'object' || study === null || !(study.hessian instanceof Float64Array) || study.hessian.length !== study.d * study.d) {
    throw new InputError('study', 'must be a NormalizeStudy returned by normalizeStudy');
  }
  const d = study.d;
  const o = checkDescentOptions(d, options);
  options.signal?.throwIfAborted();
  const gradient = study.gradient ?? solveGradient(study);
  const run = descentRef(
    { hessian: study.hessian, gradient, d, wStar: study.optimum.w, jStar: study.optimum.trainCost },
    { lr: o.lr, steps: o.steps, tol: o.tol, start: o.start },
  );
  const w = run.path.subarray(run.steps * d, run.steps * d + d);
  const xMean = study.trainMean ?? new Float64Array(d);
  const yMean = study.yMean ?? meanOf(study.train.y);
  const b = optimalBias(w, xMean, yMean);
  let trainCost: number;
  let testCost: number;
  if (gpu && !run.diverged && w.every(Number.isFinite)) {
    [trainCost, testCost] = await gpuCostsAt(gpu, study, w, xMean, yMean);
  } else {
    trainCost = costRef(study.train.x, study.train.y, study.train.m, d, w, b);
    testCost = costRef(study.test.x, study.test.y, study.test.m, d, w, b);
  }
  return {
    path: run.path,
    costs: run.costs,
    steps: run.steps,
    converged: run.converged,
    diverged: run.diverged,
    trainCost,
    testCost,
    lr: o.lr,
    maxStableLr: study.maxStableLr,
  };
}

/** g = H w* for a study without its gradient field (hand-built fixtures). */
function solveGradient(study: NormalizeStudy): Float64Array {
  const d = study.d;
  const g = new Float64Array(d);
  for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) g[a] += study.hessian[a * d + c] * study.optimum.w[c];
  return g;
}
