import { describe, expect, it } from 'vitest';
import { DEFAULT_DATASET_OPTIONS, datasetProblems, defaultWeights, makeDataset } from '../../src/labs/normalize/data';
import { InputError } from '../../src/errors';
import { columnStatsRef } from '../../src/labs/normalize/cpu/normalize-ref';

const problem = (input: unknown, field: string) => datasetProblems(input).find((p) => p.field === field)?.message;

describe('makeDataset', () => {
  it('the default is the lecture’s data: x1 ~ U(1, 1000), x2 ~ U(0, 1), 80/20 split', () => {
    const ds = makeDataset();
    expect(ds.d).toBe(2);
    expect(ds.train.m + ds.test.m).toBe(DEFAULT_DATASET_OPTIONS.m);
    expect(ds.test.m).toBe(Math.round(DEFAULT_DATASET_OPTIONS.m * 0.2));
    expect(ds.train.x.length).toBe(ds.train.m * 2);
    const s = columnStatsRef(ds.train.x, ds.train.m, 2);
    expect(s.mean[0]).toBeGreaterThan(450);
    expect(s.mean[0]).toBeLessThan(550);
    expect(s.sigma[0] / (999 / Math.sqrt(12))).toBeCloseTo(1, 1);
    expect(s.sigma[1] / (1 / Math.sqrt(12))).toBeCloseTo(1, 1);
    for (let r = 0; r < ds.train.m; r++) {
      expect(ds.train.x[2 * r]).toBeGreaterThanOrEqual(1);
      expect(ds.train.x[2 * r]).toBeLessThanOrEqual(1000);
    }
    expect(ds.featureNames).toEqual(['x1', 'x2']);
    expect(ds.source.kind).toBe('generated');
  });

  it('targets follow y = w·x + b + noise (zero noise: exactly, up to f32)', () => {
    const ds = makeDataset({
      m: 50,
      noise: 0,
      weights: [2, -1, 0.5],
      ranges: [
        [0, 1],
        [10, 20],
        [-5, 5],
      ],
      bias: 4,
    });
    for (let r = 0; r < ds.train.m; r++) {
      const x = ds.train.x.subarray(3 * r, 3 * r + 3);
      expect(ds.train.y[r]).toBeCloseTo(2 * x[0] - x[1] + 0.5 * x[2] + 4, 4);
    }
  });

  it('default weights make standardized features matter equally: w_j·σ_j = 3/√12', () => {
    const w = defaultWeights([
      [1, 1000],
      [0, 1],
    ]);
    expect(w[0] * (999 / Math.sqrt(12))).toBeCloseTo(w[1] * (1 / Math.sqrt(12)), 12);
  });

  it('is reproducible by seed and different across seeds', () => {
    expect(makeDataset({ seed: 7 }).train.x).toEqual(makeDataset({ seed: 7 }).train.x);
    expect(makeDataset({ seed: 7 }).train.x).not.toEqual(makeDataset({ seed: 8 }).train.x);
  });

  it('testShift moves the test features by shift × range width and keeps the same true line', () => {
    const base = makeDataset({ m: 4000, testShift: 0, noise: 0 });
    const shifted = makeDataset({ m: 4000, testShift: 0.5, noise: 0 });
    const a = columnStatsRef(base.test.x, base.test.m, 2).mean;
    const b = columnStatsRef(shifted.test.x, shifted.test.m, 2).mean;
    expect(b[0] - a[0]).toBeCloseTo(0.5 * 999, 3);
    expect(b[1] - a[1]).toBeCloseTo(0.5, 6);
    const w = defaultWeights(DEFAULT_DATASET_OPTIONS.ranges);
    for (let r = 0; r < 10; r++) {
      const x = shifted.test.x.subarray(2 * r, 2 * r + 2);
      expect(shifted.test.y[r]).toBeCloseTo(w[0] * x[0] + w[1] * x[1] + 1, 3);
    }
    // The training set is unchanged by the shift.
    expect(shifted.train.x).toEqual(base.train.x);
  });

  it('throws an InputError listing the problems', () => {
    expect(() => makeDataset({ m: 5 })).toThrow(InputError);
    expect(() => makeDataset({ m: 5, noise: -1 })).toThrow(/^m: must be a whole number of examples from 10 to 1,000,000; got 5; also noise:/);
  });
});

describe('datasetProblems', () => {
  it('accepts the defaults and partial options', () => {
    expect(datasetProblems({})).toEqual([]);
    expect(datasetProblems(DEFAULT_DATASET_OPTIONS)).toEqual([]);
    expect(datasetProblems({ m: 1_000_000 })).toEqual([]);
  });

  it('says what was wrong and what is allowed, field by field', () => {
    expect(datasetProblems(null)[0].message).toMatch(/must be an object/);
    expect(problem({ m: 9 }, 'm')).toBe('must be a whole number of examples from 10 to 1,000,000; got 9');
    expect(problem({ m: 1_000_001 }, 'm')).toMatch(/from 10 to 1,000,000; got 1000001/);
    expect(problem({ m: 100.5 }, 'm')).toMatch(/whole number/);
    expect(problem({ m: '100' }, 'm')).toMatch(/got "100"/);
    expect(problem({ ranges: [[0, 1]] }, 'ranges')).toBe('must have 2 to 16 features ([lo, hi] pairs); got 1');
    expect(problem({ ranges: Array(17).fill([0, 1]) }, 'ranges')).toMatch(/2 to 16 features.*got 17/);
    expect(problem({ ranges: 'wide' }, 'ranges')).toMatch(/must be a list of \[lo, hi\] pairs/);
    expect(
      problem(
        {
          ranges: [
            [0, 1],
            [5, 5],
          ],
        },
        'ranges[1]',
      ),
    ).toBe('lo must be less than hi (feature x2 ~ U(lo, hi)); got lo = 5, hi = 5');
    expect(
      problem(
        {
          ranges: [
            [0, 1],
            [0, Infinity],
          ],
        },
        'ranges[1]',
      ),
    ).toMatch(/finite numbers/);
    expect(
      problem(
        {
          ranges: [
            [0, 1],
            [0, 1e13],
          ],
        },
        'ranges[1]',
      ),
    ).toMatch(/within ±1e\+12/);
    expect(problem({ ranges: [[0, 1], [0]] }, 'ranges[1]')).toMatch(/must be a pair \[lo, hi\]/);
    expect(problem({ weights: [1] }, 'weights')).toBe('has 1 values but there are 2 features (ranges); give one weight per feature');
    expect(problem({ weights: [1, NaN] }, 'weights[1]')).toMatch(/finite number/);
    expect(problem({ bias: Infinity }, 'bias')).toMatch(/finite number/);
    expect(problem({ noise: -0.1 }, 'noise')).toMatch(/standard deviation ≥ 0.*got -0.1/);
    expect(problem({ testFraction: 0 }, 'testFraction')).toMatch(/strictly between 0 and 1.*got 0/);
    expect(problem({ testFraction: 1 }, 'testFraction')).toMatch(/strictly between 0 and 1/);
    expect(problem({ m: 10, testFraction: 0.1 }, 'testFraction')).toMatch(/gives 9 training and 1 test rows; both need at least 2/);
    expect(problem({ testShift: 1000 }, 'testShift')).toMatch(/from -100 to 100/);
    expect(problem({ seed: -1 }, 'seed')).toMatch(/whole number from 0 to 4294967295; got -1/);
    expect(problem({ sead: 1 }, 'sead')).toMatch(/is not a dataset option/);
  });
});
