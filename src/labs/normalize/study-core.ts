// The float64 pieces of a Normalization study common to the GPU and CPU paths: the transform parameters
// once μ and σ are known, H, g, w*, κ and the grid window once the second moments are known, and the
// study's result assembled from them.

import { conditionRef, dependentFeaturesError, gridWindow, optimalBias, solveSymmetric, splitSecondMoments, transformParams } from './cpu/normalize-ref';
import type { CheckedStudyOptions } from './study-options';
import type { CostGrid, Dataset, NormalizeMode, NormalizeStudy } from './types';

/** Mean of a Float32Array in float64. */
export function meanOf(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s / y.length;
}

/** A study without its timing (normalizeStudy adds elapsedMs). */
export type StudyBody = Omit<NormalizeStudy, 'elapsedMs'>;

/** The training statistics of a study and the transform they give. */
export interface Core {
  mu: Float64Array;
  sigma: Float64Array;
  yMean: number;
  params: ReturnType<typeof transformParams>;
  trainMean: Float64Array;
}

/** The float64 pieces common to both backends once H and g are known. */
export function finishCore(dataset: Dataset, o: CheckedStudyOptions, second: Float64Array) {
  const d = dataset.d;
  const { hessian, gradient, yVariance } = splitSecondMoments(second, d);
  const wStar = solveSymmetric(hessian, gradient, d);
  const cond = conditionRef(hessian, d);
  if (!(cond.lambdaMin > 0)) throw dependentFeaturesError();
  const window = o.window ?? gridWindow(o.start, wStar, o.axes);
  return { hessian, gradient, yVariance, wStar, cond, window };
}

/** The Core of a mode from the training (and, for test-own-stats, the test set's own) μ and σ. */
export function makeCore(
  dataset: Dataset,
  mode: NormalizeMode,
  mu: Float64Array,
  sigma: Float64Array,
  yMean: number,
  testStats: { mean: Float64Array; sigma: Float64Array } | null,
): Core {
  const params = transformParams(mode, { mean: mu, sigma }, testStats, dataset.featureNames);
  const trainMean = mu.map((m, j) => (m - params.trainMu[j]) / params.trainDivisor[j]);
  return { mu, sigma, yMean, params, trainMean };
}

/** The study's result from its Core, the finished float64 pieces and one backend's transformed data and costs. */
export function assemble(
  dataset: Dataset,
  o: CheckedStudyOptions,
  core: Core,
  f: ReturnType<typeof finishCore>,
  r: { backend: 'gpu' | 'cpu'; trainX: Float32Array; testX: Float32Array; trainCost: number; testCost: number; costGrid: CostGrid },
): StudyBody {
  const { train, test, d } = dataset;
  return {
    mode: o.mode,
    mu: core.mu,
    sigma: core.sigma,
    trainMu: core.params.trainMu,
    trainDivisor: core.params.trainDivisor,
    testMu: core.params.testMu,
    testDivisor: core.params.testDivisor,
    train: { x: r.trainX, y: train.y, m: train.m },
    test: { x: r.testX, y: test.y, m: test.m },
    d,
    hessian: f.hessian,
    lambdaMax: f.cond.lambdaMax,
    lambdaMin: f.cond.lambdaMin,
    kappa: f.cond.kappa,
    maxStableLr: f.cond.maxStableLr,
    optimum: { w: f.wStar, b: optimalBias(f.wStar, core.trainMean, core.yMean), trainCost: r.trainCost, testCost: r.testCost },
    costGrid: r.costGrid,
    backend: r.backend,
    trainMean: core.trainMean,
    yMean: core.yMean,
    gradient: f.gradient,
    yVariance: f.yVariance,
  };
}
