// The Normalization study in float64 on the CPU.

import { columnStatsRef, costGridRef, costRef, gridDataRef, optimalBias, secondMomentsRef, subsampleRows, transformRef } from './cpu/normalize-ref';
import { assemble, finishCore, makeCore, meanOf, type StudyBody } from './study-core';
import { STUDY_LIMITS, type CheckedStudyOptions } from './study-options';
import type { CostGrid, Dataset } from './types';

/** The float64 CPU path (the fallback for browsers without WebGPU, and the tests' reference). */
export function cpuStudy(dataset: Dataset, o: CheckedStudyOptions): StudyBody {
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
