// The float64 CPU path of the study (gpu = null): the lab's numbers without WebGPU.
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/labs/normalize/data';
import { gradientDescent, normalizeStudy } from '../../src/labs/normalize/study';
import { columnStatsRef, costRef } from '../../src/labs/normalize/cpu/normalize-ref';
import { NORMALIZE_MODES, type NormalizeMode, type NormalizeStudy } from '../../src/labs/normalize/types';
import { InputError } from '../../src/errors';

const ds = makeDataset({ testShift: 0.5 });
const studies = {} as Record<NormalizeMode, NormalizeStudy>;

describe('normalizeStudy(null, …): the lecture’s numbers on the CPU', async () => {
  for (const mode of NORMALIZE_MODES) studies[mode] = await normalizeStudy(null, ds, { mode });

  it('raw κ is of order 10⁶, standardized κ ≈ 1, divide-variance of order 10⁶ again', () => {
    expect(studies.raw.backend).toBe('cpu');
    expect(studies.raw.kappa).toBeGreaterThan(3e5);
    expect(studies.raw.kappa).toBeLessThan(3e6);
    expect(studies.standardize.kappa).toBeLessThan(1.2);
    expect(studies['divide-variance'].kappa).toBeGreaterThan(3e5);
    expect(studies.standardize.maxStableLr).toBeCloseTo(2 / studies.standardize.lambdaMax, 14);
    expect(studies.raw.maxStableLr).toBeLessThan(1e-4);
  });

  it('standardized training features have mean 0 and variance 1; test uses the TRAIN μ, σ', () => {
    const s = studies.standardize;
    const st = columnStatsRef(s.train.x, s.train.m, 2);
    for (let j = 0; j < 2; j++) {
      expect(Math.abs(st.mean[j])).toBeLessThan(1e-6);
      expect(st.sigma[j] ** 2).toBeCloseTo(1, 6);
      expect(s.testMu[j]).toBe(s.mu[j]);
      expect(s.testDivisor[j]).toBe(s.sigma[j]);
    }
    // The test set was shifted by half a range: its standardized mean is ≈ 0.5·width/σ = 0.5·√12 ≈ 1.73.
    const tt = columnStatsRef(s.test.x, s.test.m, 2);
    expect(tt.mean[0]).toBeGreaterThan(1.5);
    // test-own-stats hides that shift: the test set's own mean becomes 0.
    const own = columnStatsRef(studies['test-own-stats'].test.x, s.test.m, 2);
    expect(Math.abs(own.mean[0])).toBeLessThan(1e-6);
  });

  it('the same model predicts right with train statistics and wrong with the test set’s own', () => {
    expect(studies.standardize.optimum.testCost!).toBeLessThan(2 * studies.standardize.optimum.trainCost);
    expect(studies['test-own-stats'].optimum.testCost!).toBeGreaterThan(10 * studies.standardize.optimum.testCost!);
    // Raw and standardize fit the same line: equal training cost at the optimum.
    expect(studies.raw.optimum.trainCost / studies.standardize.optimum.trainCost).toBeCloseTo(1, 6);
    // w* in standardized coordinates is the raw w* scaled by σ.
    expect(studies.standardize.optimum.w[0] / (studies.raw.optimum.w[0] * studies.raw.sigma[0])).toBeCloseTo(1, 6);
  });

  it('the cost grid: square window, ≥ 128², minimum near w*, train cost from the literal formula', () => {
    const s = studies.raw;
    const g = s.costGrid;
    expect(g.size).toBe(128);
    expect(g.values.length).toBe(128 * 128);
    expect(g.x.max - g.x.min).toBeCloseTo(g.y.max - g.y.min, 10);
    expect(g.rowsUsed).toBe(s.train.m);
    expect(Math.min(...g.values)).toBeGreaterThanOrEqual(s.optimum.trainCost * (1 - 1e-9));
    const b = s.optimum.b;
    expect(s.optimum.trainCost / costRef(s.train.x, s.train.y, s.train.m, 2, s.optimum.w, b)).toBeCloseTo(1, 12);
  });

  it('descent: above 2/λmax diverges, below converges (standardized), raw needs far more steps', async () => {
    const s = studies.standardize;
    const above = await gradientDescent(null, s, { lr: 1.05 * s.maxStableLr, steps: 5000, tol: 1e-6 });
    expect(above.diverged).toBe(true);
    const below = await gradientDescent(null, s, { lr: 0.95 * s.maxStableLr, steps: 5000, tol: 1e-6 });
    expect(below.converged).toBe(true);
    expect(below.trainCost / s.optimum.trainCost - 1).toBeLessThan(2e-6);
    const raw = await gradientDescent(null, studies.raw, { lr: 0.95 * studies.raw.maxStableLr, steps: 5000, tol: 1e-6 });
    expect(raw.diverged).toBe(false);
    expect(raw.converged).toBe(false);
    expect(raw.steps).toBe(5000);
    for (let i = 1; i <= raw.steps; i++) expect(raw.costs[i]).toBeLessThanOrEqual(raw.costs[i - 1] * (1 + 1e-12));
  });

  it('bad options give specific InputErrors', async () => {
    await expect(normalizeStudy(null, ds, { mode: 'zscore' as NormalizeMode })).rejects.toThrow(
      /mode: must be one of raw, standardize, divide-variance, test-own-stats; got "zscore"/,
    );
    await expect(normalizeStudy(null, ds, { mode: 'raw', gridSize: 64 })).rejects.toThrow(
      /gridSize: must be a whole number of points per axis from 128 to 512; got 64/,
    );
    await expect(normalizeStudy(null, ds, { mode: 'raw', axes: [1, 1] })).rejects.toThrow(/axes: must be two different feature indices from 0 to 1/);
    await expect(normalizeStudy(null, ds, { mode: 'raw', start: [0] })).rejects.toThrow(/start: must be 2 finite numbers/);
    const s = studies.standardize;
    await expect(gradientDescent(null, s, { lr: 0, steps: 10, tol: 1e-6 })).rejects.toThrow(/lr: must be a finite learning rate > 0/);
    await expect(gradientDescent(null, s, { lr: 0.1, steps: 2e6, tol: 1e-6 })).rejects.toThrow(/steps: must be a whole number of steps from 0 to 1,000,000/);
    await expect(gradientDescent(null, s, { lr: 0.1, steps: 10, tol: 0 })).rejects.toThrow(InputError);
    const constant = { ...ds, train: { ...ds.train, x: ds.train.x.map((v, i) => (i % 2 ? 0.5 : v)) } };
    await expect(normalizeStudy(null, constant, { mode: 'standardize' })).rejects.toThrow(/feature "x2" is constant in the training set/);
    await expect(normalizeStudy(null, constant, { mode: 'raw' })).rejects.toThrow(/linearly dependent/);
    const nan = { ...ds, test: { ...ds.test, x: ds.test.x.map((v, i) => (i === 7 ? NaN : v)) } };
    await expect(normalizeStudy(null, nan, { mode: 'raw' })).rejects.toThrow(/dataset.test.x: row 4, feature 2 is NaN; every value must be a finite number/);
    const short = { ...ds, train: { ...ds.train, y: ds.train.y.subarray(1) } };
    await expect(normalizeStudy(null, short, { mode: 'raw' })).rejects.toThrow(/dataset.train.y: has 1599 values but m = 1600/);
    const d16 = makeDataset({ m: 200, ranges: Array.from({ length: 16 }, () => [0, 1] as [number, number]) });
    const s16 = await normalizeStudy(null, d16, { mode: 'standardize', axes: [3, 15] });
    expect(s16.costGrid.axes).toEqual([3, 15]);
    await expect(gradientDescent(null, s16, { lr: 0.1, steps: 1_000_000, tol: 1e-6 })).rejects.toThrow(
      /^steps: 1,000,000 steps × 16 weights is too long a path to keep; with 16 features use at most 249,999 steps$/,
    );
  });

  it('the grid window follows `start`, and an explicit `window` is used as given', async () => {
    const far = await normalizeStudy(null, ds, { mode: 'standardize', start: [-10, 8] });
    const g = far.costGrid;
    expect(g.x.min).toBeLessThan(-10);
    expect(g.y.max).toBeGreaterThan(8);
    const zoom = { x: { min: 1.4, max: 1.5 }, y: { min: 0.8, max: 0.9 } };
    const z = await normalizeStudy(null, ds, { mode: 'standardize', window: zoom, gridSize: 130 });
    expect(z.costGrid.x).toEqual(zoom.x);
    expect(z.costGrid.y).toEqual(zoom.y);
    expect(z.costGrid.values.length).toBe(130 * 130);
    await expect(normalizeStudy(null, ds, { mode: 'raw', window: { x: { min: 1, max: 0 }, y: { min: 0, max: 1 } } })).rejects.toThrow(
      /window: must be .* finite min < max/,
    );
  });

  it('an aborted signal stops the study and the descent', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(normalizeStudy(null, ds, { mode: 'raw', signal: controller.signal })).rejects.toThrow(/abort/i);
    await expect(gradientDescent(null, studies.raw, { lr: 1e-6, steps: 10, tol: 1e-6, signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});
