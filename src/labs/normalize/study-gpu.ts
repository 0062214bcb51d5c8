// The Normalization study on the GPU, and the costs at a descent's final weights.
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
import { createMomentsKernel } from '../../kernels/moments';
import { gridDataRef, subsampleRows } from './cpu/normalize-ref';
import { assemble, finishCore, makeCore, type StudyBody } from './study-core';
import { augment, encodeAffine, encodeCosts, encodeGram, features, gridSpec, kernelsFor, roughMean, withLast } from './study-encode';
import { STUDY_LIMITS, type CheckedStudyOptions } from './study-options';
import type { CostGrid, Dataset, NormalizeStudy } from './types';

/** The study on the GPU (three submissions, see the plan above). */
export async function gpuStudy(gpu: GpuContext, dataset: Dataset, o: CheckedStudyOptions, signal?: AbortSignal): Promise<StudyBody> {
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

/** J at (w, b*(w)) on the study's transformed train and test splits, on the GPU (one submission). */
export async function gpuCostsAt(gpu: GpuContext, study: NormalizeStudy, w: ArrayLike<number>, xMean: Float64Array, yMean: number): Promise<[number, number]> {
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
