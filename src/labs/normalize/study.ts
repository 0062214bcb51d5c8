// The Normalization lab's engine: for one mode, the training statistics, the transformed splits, the
// Hessian of the cost with b profiled out, its condition number and stable learning rate, the optimum, and
// the cost on a grid of weights — on the GPU (moments, elementwise, matmul and residual-sumsq kernels), or in
// float64 on the CPU when `gpu` is null. Then gradient descent on that quadratic.
//
// GPU plan of one study (three submissions, the data uploaded once; small readbacks in between):
//   1. moments of [X | y] − c (train; and test for test-own-stats; c a rough mean, the shifted-data
//      algorithm) → μ = c + mean (beyond f32 precision), σ (population), ȳ.
//   2. elementwise normalize (two passes, μ as f32 hi + lo, see encodeAffine): the transformed splits
//      X' = (X − a)/s; the centred training data Zc = [(X − μ)/s | y − ȳ] = [X' − x̄' | y − ȳ] and the
//      test data centred on the TRAINING means, Zt = [X'ₜ − x̄' | yₜ − ȳ]; then ZcᵀZc by matmul in chunks of 1,024 rows (partial sums read back and
//      added in float64) → H = XcᵀXc/m, g = Xcᵀyc/m. κ, 2/λmax and w* = H⁻¹g follow in float64.
//   3. costs, literally: residuals R = Z · [w; −1] (a matmul of the data against the weights) squared and
//      summed per column (the residual-sumsq kernel fuses the two, so the rows × G residual matrix is never
//      stored; blocks of 1,024 rows finished in float64), J = ‖r‖²/(2m): at w* on train and test, and on the
//      grid (G = size² weight vectors against an evenly strided subsample of ≤ 4,096 training rows).

import type { GpuContext } from '../../gpu/context';
import { GpuBatch, f32, type Readback } from '../../gpu/batch';
import { InputError } from '../../errors';
import { createResidualSumsqKernel, sumBlocks, type ResidualSumsqKernel } from '../../kernels/residual-sumsq';
import { createElementwiseKernel, type ElementwiseKernel } from '../../kernels/elementwise';
import { createMatmulKernel, type MatmulKernel } from '../../kernels/matmul';
import { createMomentsKernel } from '../../kernels/moments';
import {
  columnStatsRef,
  conditionRef,
  costGridRef,
  costRef,
  dependentFeaturesError,
  descentRef,
  gridDataRef,
  gridWindow,
  optimalBias,
  secondMomentsRef,
  solveSymmetric,
  splitSecondMoments,
  subsampleRows,
  transformParams,
  transformRef,
  type GridWindow,
} from './cpu/normalize-ref';
import {
  NORMALIZE_MODES,
  type CostGrid,
  type Dataset,
  type DataSplit,
  type DescentOptions,
  type DescentResult,
  type NormalizeMode,
  type NormalizeStudy,
} from './types';

/** Limits of the study's options. */
export const STUDY_LIMITS = {
  gridSize: { min: 128, max: 512, default: 128 },
  /**
   * Training rows the cost grid is evaluated on at most (an evenly strided subsample beyond): size² × rows
   * residuals per grid, and 4,096 rows already fix the contour shapes; more only costs time (on SwiftShader
   * 128² × 16,384 rows took seconds).
   */
  gridRows: 4096,
  /** Rows per partial sum of XᵀX (f32 inside a chunk, float64 across chunks). */
  gramChunkRows: 1024,
  maxSteps: 1_000_000,
  /** Bound on the stored path, (steps + 1) × d float64 values (32 MB; d = 2 allows every step count). */
  maxPathValues: 4_000_000,
} as const;

/** Options of `normalizeStudy`. */
export interface StudyOptions {
  mode: NormalizeMode;
  /** Grid points per axis, 128..512 (default 128). */
  gridSize?: number;
  /** Which two weights the contour grid varies (default [0, 1]); the others sit at their optimum. */
  axes?: [number, number];
  /** The descent's start, so the default window contains it (default zeros). */
  start?: number[];
  /** The grid's window instead of the default (keep it square for true contour shapes). */
  window?: GridWindow;
  signal?: AbortSignal;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const isFiniteList = (v: unknown, d: number): v is number[] =>
  Array.isArray(v) && v.length === d && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function checkSplit(s: DataSplit | undefined, name: string, d: number): void {
  if (!s || !(s.x instanceof Float32Array) || !(s.y instanceof Float32Array)) {
    throw new InputError(`dataset.${name}`, 'must have Float32Array x (m×d, row-major) and y (m)');
  }
  if (!Number.isInteger(s.m) || s.m < 2) throw new InputError(`dataset.${name}.m`, `must be at least 2 rows; got ${describe(s.m)}`);
  if (s.x.length !== s.m * d) throw new InputError(`dataset.${name}.x`, `has ${s.x.length} values but m × d = ${s.m} × ${d} = ${s.m * d}`);
  if (s.y.length !== s.m) throw new InputError(`dataset.${name}.y`, `has ${s.y.length} values but m = ${s.m}`);
  for (let i = 0; i < s.x.length; i++) {
    if (!Number.isFinite(s.x[i])) {
      throw new InputError(`dataset.${name}.x`, `row ${Math.floor(i / d) + 1}, feature ${(i % d) + 1} is ${s.x[i]}; every value must be a finite number`);
    }
  }
  for (let i = 0; i < s.m; i++) {
    if (!Number.isFinite(s.y[i])) throw new InputError(`dataset.${name}.y`, `row ${i + 1} is ${s.y[i]}; every target must be a finite number`);
  }
}

/** Throws an InputError unless `dataset` has the shape of a Dataset (d ≥ 2, splits of ≥ 2 rows). */
export function checkDataset(dataset: Dataset): void {
  if (typeof dataset !== 'object' || dataset === null) throw new InputError('dataset', 'must be a Dataset from makeDataset or datasetFromTable');
  if (!Number.isInteger(dataset.d) || dataset.d < 2) {
    throw new InputError('dataset.d', `must be at least 2 features (the contour plot is over two weights); got ${describe(dataset.d)}`);
  }
  checkSplit(dataset.train, 'train', dataset.d);
  checkSplit(dataset.test, 'test', dataset.d);
}

interface CheckedStudyOptions {
  mode: NormalizeMode;
  gridSize: number;
  axes: [number, number];
  start: Float64Array;
  window: GridWindow | null;
}

/** Validates the study options against the dataset's d; InputError names the field and what is allowed. */
export function checkStudyOptions(d: number, options: StudyOptions): CheckedStudyOptions {
  if (typeof options !== 'object' || options === null) throw new InputError('options', `must be an object { mode, gridSize?, axes?, start?, window? }`);
  const { mode } = options;
  if (!NORMALIZE_MODES.includes(mode)) throw new InputError('mode', `must be one of ${NORMALIZE_MODES.join(', ')}; got ${describe(mode)}`);
  const G = STUDY_LIMITS.gridSize;
  const gridSize = options.gridSize ?? G.default;
  if (!Number.isInteger(gridSize) || gridSize < G.min || gridSize > G.max) {
    throw new InputError('gridSize', `must be a whole number of points per axis from ${G.min} to ${G.max}; got ${describe(gridSize)}`);
  }
  const axes = options.axes ?? [0, 1];
  if (!Array.isArray(axes) || axes.length !== 2 || !axes.every((a) => Number.isInteger(a) && a >= 0 && a < d) || axes[0] === axes[1]) {
    throw new InputError('axes', `must be two different feature indices from 0 to ${d - 1}; got ${describe(axes)}`);
  }
  const start = options.start ?? new Array<number>(d).fill(0);
  if (!isFiniteList(start, d)) throw new InputError('start', `must be ${d} finite numbers (one weight per feature); got ${describe(start)}`);
  let window: GridWindow | null = null;
  if (options.window !== undefined) {
    const w = options.window;
    const ok = (r: unknown) =>
      typeof r === 'object' &&
      r !== null &&
      Number.isFinite((r as { min: number }).min) &&
      Number.isFinite((r as { max: number }).max) &&
      (r as { min: number }).min < (r as { max: number }).max;
    if (typeof w !== 'object' || w === null || !ok(w.x) || !ok(w.y)) {
      throw new InputError('window', `must be { x: { min, max }, y: { min, max } } with finite min < max; got ${describe(w)}`);
    }
    window = { x: { ...w.x }, y: { ...w.y } };
  }
  return { mode, gridSize, axes: [axes[0], axes[1]], start: Float64Array.from(start), window };
}

/** Mean of a Float32Array in float64. */
function meanOf(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s / y.length;
}

/** Columns of the features followed by the target: [X | y], rows × (d+1), f32. */
function augment(s: DataSplit, d: number): Float32Array<ArrayBuffer> {
  const k = d + 1;
  const out = new Float32Array(s.m * k);
  for (let r = 0; r < s.m; r++) {
    out.set(s.x.subarray(r * d, r * d + d), r * k);
    out[r * k + d] = s.y[r];
  }
  return out;
}

/** The first d of d+1 columns. */
function features(aug: Float32Array, rows: number, d: number): Float32Array {
  const k = d + 1;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) out.set(aug.subarray(r * k, r * k + d), r * d);
  return out;
}

function gridSpec(window: GridWindow, size: number): { weights: Float32Array; G: number } {
  const G = size * size;
  const weights = new Float32Array(G * 3);
  for (let r = 0; r < size; r++) {
    const wy = window.y.min + ((window.y.max - window.y.min) * r) / (size - 1);
    for (let c = 0; c < size; c++) {
      const wx = window.x.min + ((window.x.max - window.x.min) * c) / (size - 1);
      const i = r * size + c;
      weights[3 * i] = wx;
      weights[3 * i + 1] = wy;
      weights[3 * i + 2] = -1;
    }
  }
  return { weights, G };
}

/**
 * One mode of the Normalization lab, on the GPU (or in float64 on the CPU when `gpu` is null).
 *
 * - μ, σ: mean and population standard deviation of the TRAINING features (moments kernel, Welford/Chan,
 *   on x − c for a rough mean c, so μ = c + mean(x − c) keeps more than f32 precision for large offsets).
 * - Transforms (elementwise normalize kernel): raw none; standardize (x − μ)/σ on train and test;
 *   divide-variance (x − μ)/σ² on both (the slide's error); test-own-stats (x − μ)/σ on train but the test
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

type StudyBody = Omit<NormalizeStudy, 'elapsedMs'>;

interface Core {
  mu: Float64Array;
  sigma: Float64Array;
  yMean: number;
  params: ReturnType<typeof transformParams>;
  trainMean: Float64Array;
}

/** The float64 pieces common to both backends once H and g are known. */
function finishCore(dataset: Dataset, o: CheckedStudyOptions, second: Float64Array) {
  const d = dataset.d;
  const { hessian, gradient, yVariance } = splitSecondMoments(second, d);
  const wStar = solveSymmetric(hessian, gradient, d);
  const cond = conditionRef(hessian, d);
  if (!(cond.lambdaMin > 0)) throw dependentFeaturesError();
  const window = o.window ?? gridWindow(o.start, wStar, o.axes);
  return { hessian, gradient, yVariance, wStar, cond, window };
}

function makeCore(
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

/** The float64 CPU path (the fallback for browsers without WebGPU, and the tests' reference). */
function cpuStudy(dataset: Dataset, o: CheckedStudyOptions): StudyBody {
  const { train, test, d } = dataset;
  const stats = columnStatsRef(train.x, train.m, d);
  const testStats = o.mode === 'test-own-stats' ? columnStatsRef(test.x, test.m, d) : null;
  const core = makeCore(dataset, o.mode, stats.mean, stats.sigma, meanOf(train.y), testStats);
  const { params, trainMean, yMean } = core;
  const raw = o.mode === 'raw';
  const trainT = raw ? train.x : transformRef(train.x, train.m, d, params.trainMu, params.trainDivisor);
  const testT = raw ? test.x : transformRef(test.x, test.m, d, params.testMu, params.testDivisor);
  const second = secondMomentsRef(trainT, train.y, train.m, d, trainMean, yMean);
  const f = finishCore(dataset, o, second);
  const b = optimalBias(f.wStar, trainMean, yMean);
  const rowIndex = subsampleRows(train.m, STUDY_LIMITS.gridRows);
  const z = gridDataRef(trainT, train.y, d, rowIndex, trainMean, yMean, f.wStar, o.axes);
  const costGrid: CostGrid = {
    axes: o.axes,
    x: f.window.x,
    y: f.window.y,
    size: o.gridSize,
    values: Float32Array.from(costGridRef(z, rowIndex.length, f.window, o.gridSize)),
    rowsUsed: rowIndex.length,
  };
  return assemble(dataset, o, core, f, {
    backend: 'cpu',
    trainX: raw ? train.x : Float32Array.from(trainT),
    testX: raw ? test.x : Float32Array.from(testT),
    trainCost: costRef(trainT, train.y, train.m, d, f.wStar, b),
    testCost: costRef(testT, test.y, test.m, d, f.wStar, b),
    costGrid,
  });
}

function assemble(
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

interface Kernels {
  ew: ElementwiseKernel;
  gram: MatmulKernel;
  rss: ResidualSumsqKernel;
}

async function kernelsFor(gpu: GpuContext): Promise<Kernels> {
  const [ew, gram, rss] = await Promise.all([
    createElementwiseKernel(gpu),
    // (d+1)×(d+1) outputs: small tiles waste less work than the default 64×64.
    createMatmulKernel(gpu, { tileM: 16, tileN: 16, microM: 4, microN: 4 }),
    createResidualSumsqKernel(gpu),
  ]);
  return { ew, gram, rss };
}

/**
 * Encodes the costs J = ‖Z·[w; −1]‖²/(2·rows) of G weight vectors (W stored G×width, rows of Z: width
 * values) — the matmul of the data against the weights fused with the column reduction (residual-sumsq);
 * returns a decoder to call after submit.
 */
function encodeCosts(batch: GpuBatch, k: Kernels, z: GPUBuffer, rows: number, width: number, w: GPUBuffer, G: number, label: string): () => Float64Array {
  const blocks = k.rss.blocks(rows);
  const partials = batch.scratch(`${label}.partials`, 4 * blocks * G);
  batch.group(label, () => k.rss.encode(batch, { z, rows, k: width, w, G, out: partials }));
  const read = batch.read(partials, 4 * blocks * G);
  return () => sumBlocks(f32(read), blocks, G).map((v) => v / (2 * rows));
}

/** Encodes ZᵀZ of a rows×k buffer in chunks of gramChunkRows rows; the decoder returns ZᵀZ/rows in float64. */
function encodeGram(batch: GpuBatch, kern: Kernels, z: GPUBuffer, rows: number, k: number): () => Float64Array {
  const CH = STUDY_LIMITS.gramChunkRows;
  const full = Math.floor(rows / CH);
  const rem = rows - full * CH;
  const items = full + (rem > 0 ? 1 : 0);
  const out = batch.scratch('normalize.gram.partials', 4 * items * k * k);
  batch.group(`gram[${rows}×${k}]`, () => {
    if (full > 0) {
      kern.gram.encode(batch, { a: z, b: z, c: out, m: k, n: k, k: CH, transA: true, batch: full, strideA: CH * k, strideB: CH * k, strideC: k * k });
    }
    if (rem > 0) {
      const off = full * CH * k;
      kern.gram.encode(batch, { a: z, b: z, c: out, m: k, n: k, k: rem, transA: true, offsetA: off, offsetB: off, offsetC: full * k * k });
    }
  });
  const read = batch.read(out, 4 * items * k * k);
  return () => sumBlocks(f32(read), items, k * k).map((v) => v / rows);
}

/** A rough per-column mean (float64 over ≤ 1,024 evenly strided rows), rounded to f32: the shift c of the moments pass. */
function roughMean(aug: Float32Array, rows: number, k: number): Float32Array {
  const idx = subsampleRows(rows, 1024);
  const c = new Float64Array(k);
  for (const r of idx) for (let j = 0; j < k; j++) c[j] += aug[r * k + j];
  return Float32Array.from(c, (v) => v / idx.length);
}

/**
 * Encodes dst = (src − mean) / divisor per column with a float64 mean carried as hi + lo (hi = f32(mean),
 * lo = f32(mean − hi)) in two normalize dispatches: (src − hi) is exact near the mean, so the result is
 * centred to f32 precision of the spread even when the mean is 10⁴ times the spread (one f32 μ would leave
 * an offset of up to half an ulp of μ, e.g. 5e-4 at 10⁴).
 */
function encodeAffine(
  batch: GpuBatch,
  ew: ElementwiseKernel,
  src: GPUBuffer,
  dst: GPUBuffer,
  rows: number,
  k: number,
  mean: ArrayLike<number>,
  divisor: ArrayLike<number>,
  label: string,
): void {
  const hi = Float32Array.from(mean);
  const lo = Float32Array.from(hi, (h, j) => mean[j] - h);
  const tmp = batch.scratch(`${label}.shifted`, 4 * rows * k);
  batch.group(label, () => {
    ew.encodeNormalize(batch, {
      x: src,
      out: tmp,
      rows,
      cols: k,
      mean: batch.upload(`${label}.meanHi`, hi),
      std: batch.upload(`${label}.one`, new Float32Array(k).fill(1)),
    });
    ew.encodeNormalize(batch, {
      x: tmp,
      out: dst,
      rows,
      cols: k,
      mean: batch.upload(`${label}.meanLo`, lo),
      std: batch.upload(`${label}.divisor`, Float32Array.from(divisor)),
    });
  });
}

/** [head…, last] as a float64 vector of length head.length + 1. */
const withLast = (head: ArrayLike<number>, last: number) => Float64Array.from([...Array.from(head), last]);

async function gpuStudy(gpu: GpuContext, dataset: Dataset, o: CheckedStudyOptions, signal?: AbortSignal): Promise<StudyBody> {
  const { train, test, d } = dataset;
  const k = d + 1;
  const tag = `normalize[${o.mode}]`;
  const [kern, moments] = await Promise.all([kernelsFor(gpu), createMomentsKernel(gpu)]);
  const own = o.mode === 'test-own-stats';
  const raw = o.mode === 'raw';
  // Buffers that live across the three submissions (returned to the pool at the end).
  const held: GPUBuffer[] = [];
  const batches: GpuBatch[] = []; // disposed at the end: an error while encoding one must not leak it
  const hold = (label: string, bytes: number) => {
    const b = gpu.pool.acquire(label, bytes);
    held.push(b);
    return b;
  };
  try {
    const trainAug = augment(train, d);
    const testAug = augment(test, d);
    const trainBuf = hold(`${tag}.train[X|y]`, trainAug.byteLength);
    const testBuf = hold(`${tag}.test[X|y]`, testAug.byteLength);
    gpu.device.queue.writeBuffer(trainBuf, 0, trainAug);
    gpu.device.queue.writeBuffer(testBuf, 0, testAug);

    // 1. Statistics by the shifted-data algorithm: moments of x − c (c a rough mean, exact subtraction),
    //    μ = c + mean(x − c) in float64, σ² = var(x − c). The test set's own statistics too (test-own-stats).
    const cTrain = roughMean(trainAug, train.m, k);
    const cTest = roughMean(testAug, test.m, k);
    const b1 = new GpuBatch(gpu, `${tag}.stats`);
    batches.push(b1);
    const stats = b1.scratch(`${tag}.stats`, 4 * 4 * k);
    b1.group(`${tag}.stats`, () => {
      const one = b1.upload(`${tag}.one`, new Float32Array(k).fill(1));
      const shiftedTrain = b1.scratch(`${tag}.train.shifted`, trainAug.byteLength);
      kern.ew.encodeNormalize(b1, { x: trainBuf, out: shiftedTrain, rows: train.m, cols: k, mean: b1.upload(`${tag}.train.shift`, cTrain), std: one });
      moments.encodeColumns(b1, { x: shiftedTrain, rows: train.m, cols: k, out: stats });
      if (own) {
        const shiftedTest = b1.scratch(`${tag}.test.shifted`, testAug.byteLength);
        kern.ew.encodeNormalize(b1, { x: testBuf, out: shiftedTest, rows: test.m, cols: k, mean: b1.upload(`${tag}.test.shift`, cTest), std: one });
        moments.encodeColumns(b1, { x: shiftedTest, rows: test.m, cols: k, out: stats, outOffset: 2 * k });
      }
    });
    const statsRead = b1.read(stats, 4 * 4 * k);
    await b1.submit();
    signal?.throwIfAborted();
    const s = f32(statsRead);
    const sd = (v: number) => Math.sqrt(Math.max(0, v));
    const mu = Float64Array.from({ length: d }, (_, j) => cTrain[j] + s[j]);
    const sigma = Float64Array.from({ length: d }, (_, j) => sd(s[k + j]));
    const yMean = cTrain[d] + s[d];
    const testStats = own
      ? { mean: Float64Array.from({ length: d }, (_, j) => cTest[j] + s[2 * k + j]), sigma: Float64Array.from({ length: d }, (_, j) => sd(s[3 * k + j])) }
      : null;
    const core = makeCore(dataset, o.mode, mu, sigma, yMean, testStats);
    const { params, trainMean } = core;

    // 2. Transforms, centred data and ZcᵀZc.
    const zc = hold(`${tag}.train.centred`, trainAug.byteLength);
    const zt = hold(`${tag}.test.centred`, testAug.byteLength);
    const b2 = new GpuBatch(gpu, `${tag}.transform`);
    batches.push(b2);
    let trainRead: Readback | null = null;
    let testRead: Readback | null = null;
    if (!raw) {
      const tx = b2.scratch(`${tag}.train.transformed`, trainAug.byteLength);
      const ux = b2.scratch(`${tag}.test.transformed`, testAug.byteLength);
      encodeAffine(b2, kern.ew, trainBuf, tx, train.m, k, withLast(params.trainMu, 0), withLast(params.trainDivisor, 1), `${tag}.train.transform`);
      encodeAffine(b2, kern.ew, testBuf, ux, test.m, k, withLast(params.testMu, 0), withLast(params.testDivisor, 1), `${tag}.test.transform`);
      trainRead = b2.read(tx, trainAug.byteLength);
      testRead = b2.read(ux, testAug.byteLength);
    }
    // Zc = (X − μ)/s = X' − x̄' for every mode (x̄' = (μ − a)/s); Zt centres the test set on the TRAINING
    // means in the transformed coordinates: X'ₜ − x̄' = (Xₜ − (aₜ + x̄'·sₜ))/sₜ.
    encodeAffine(b2, kern.ew, trainBuf, zc, train.m, k, withLast(mu, yMean), withLast(params.trainDivisor, 1), `${tag}.train.centre`);
    const testCentre = params.testMu.map((a, j) => a + trainMean[j] * params.testDivisor[j]);
    encodeAffine(b2, kern.ew, testBuf, zt, test.m, k, withLast(testCentre, yMean), withLast(params.testDivisor, 1), `${tag}.test.centre`);
    const gram = encodeGram(b2, kern, zc, train.m, k);
    await b2.submit();
    signal?.throwIfAborted();
    const f = finishCore(dataset, o, gram());
    const trainX = trainRead ? features(f32(trainRead), train.m, d) : train.x;
    const testX = testRead ? features(f32(testRead), test.m, d) : test.x;

    // 3. Costs at w* (train, test) and on the grid.
    const b3 = new GpuBatch(gpu, `${tag}.costs`);
    batches.push(b3);
    const vStar = new Float32Array(k);
    vStar.set(Array.from(f.wStar));
    vStar[d] = -1;
    const vBuf = b3.upload(`${tag}.optimum`, vStar);
    const trainCost = encodeCosts(b3, kern, zc, train.m, k, vBuf, 1, `${tag}.trainCost`);
    const testCost = encodeCosts(b3, kern, zt, test.m, k, vBuf, 1, `${tag}.testCost`);
    const rowIndex = subsampleRows(train.m, STUDY_LIMITS.gridRows);
    const z = Float32Array.from(gridDataRef(trainX, train.y, d, rowIndex, trainMean, yMean, f.wStar, o.axes));
    const { weights, G } = gridSpec(f.window, o.gridSize);
    const grid = encodeCosts(b3, kern, b3.upload(`${tag}.grid.data`, z), rowIndex.length, 3, b3.upload(`${tag}.grid.weights`, weights), G, `${tag}.grid`);
    await b3.submit();
    signal?.throwIfAborted();
    const costGrid: CostGrid = {
      axes: o.axes,
      x: f.window.x,
      y: f.window.y,
      size: o.gridSize,
      values: Float32Array.from(grid()),
      rowsUsed: rowIndex.length,
    };
    return assemble(dataset, o, core, f, { backend: 'gpu', trainX, testX, trainCost: trainCost()[0], testCost: testCost()[0], costGrid });
  } finally {
    for (const b of batches) b.dispose();
    for (const b of held) gpu.pool.release(b);
  }
}

interface CheckedDescent {
  lr: number;
  steps: number;
  tol: number;
  start: Float64Array;
}

/** Validates descent options for a study of d features; InputError names the field and what is allowed. */
export function checkDescentOptions(d: number, options: DescentOptions): CheckedDescent {
  if (typeof options !== 'object' || options === null) throw new InputError('options', 'must be an object { lr, steps, tol, start? }');
  const { lr, steps, tol } = options;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || !(lr > 0)) {
    throw new InputError('lr', `must be a finite learning rate > 0 (the stable limit is 2/λmax); got ${describe(lr)}`);
  }
  if (!Number.isInteger(steps) || steps < 0 || steps > STUDY_LIMITS.maxSteps) {
    throw new InputError('steps', `must be a whole number of steps from 0 to ${STUDY_LIMITS.maxSteps.toLocaleString('en-US')}; got ${describe(steps)}`);
  }
  if (typeof tol !== 'number' || !Number.isFinite(tol) || !(tol > 0) || tol > 1) {
    throw new InputError('tol', `must be a relative tolerance with 0 < tol ≤ 1 (converged when J − J* ≤ tol·J*); got ${describe(tol)}`);
  }
  if ((steps + 1) * d > STUDY_LIMITS.maxPathValues) {
    const most = Math.floor(STUDY_LIMITS.maxPathValues / d) - 1;
    throw new InputError(
      'steps',
      `${steps.toLocaleString('en-US')} steps × ${d} weights is too long a path to keep; with ${d} features use at most ${most.toLocaleString('en-US')} steps`,
    );
  }
  const start = options.start ?? new Array<number>(d).fill(0);
  if (!isFiniteList(start, d)) throw new InputError('start', `must be ${d} finite numbers (one weight per feature); got ${describe(start)}`);
  return { lr, steps, tol, start: Float64Array.from(start) };
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

/** J at (w, b*(w)) on the study's transformed train and test splits, on the GPU (one submission). */
async function gpuCostsAt(gpu: GpuContext, study: NormalizeStudy, w: ArrayLike<number>, xMean: Float64Array, yMean: number): Promise<[number, number]> {
  const d = study.d;
  const k = d + 1;
  const kern = await kernelsFor(gpu);
  const batch = new GpuBatch(gpu, `normalize[${study.mode}].descentCosts`);
  try {
    const v = new Float32Array(k);
    v.set(Array.from(w));
    v[d] = -1;
    const vBuf = batch.upload('descent.w', v);
    const costs = ([study.train, study.test] as const).map((split, i) => {
      const name = i === 0 ? 'train' : 'test';
      const z = batch.scratch(`descent.${name}.centred`, 4 * split.m * k);
      const aug = batch.upload(`descent.${name}[X|y]`, augment(split, d));
      encodeAffine(batch, kern.ew, aug, z, split.m, k, withLast(xMean, yMean), new Float64Array(k).fill(1), `descent.${name}.centre`);
      return encodeCosts(batch, kern, z, split.m, k, vBuf, 1, `descent.${name}Cost`);
    });
    await batch.submit();
    return [costs[0]()[0], costs[1]()[0]];
  } finally {
    batch.dispose();
  }
}
