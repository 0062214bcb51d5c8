import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeDataset } from '../../src/labs/normalize/data';
import { makeScatterModel, niceTicks, paddedRange, strideIndices } from '../../src/viz/scatter-model';
import { featureAxisTitle } from '../../src/labs/normalize/axis-title';

describe('niceTicks', () => {
  it('gives 1-2-5 steps inside the range', () => {
    expect(niceTicks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(-0.04, 1.04, 6)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-1.73, 1.73, 6)).toEqual([-1, 0, 1]);
    expect(niceTicks(-1.73, 1.73, 10)).toEqual([-1.5, -1, -0.5, 0, 0.5, 1, 1.5]);
    expect(niceTicks(5, 5)).toEqual([5]);
    expect(niceTicks(NaN, 1)).toEqual([]);
    // The first nice step ≥ range / maxTicks (5) has no multiple in [5.5, 9.52]: the next smaller one (2) does.
    expect(niceTicks(5.5, 9.52, 2)).toEqual([6, 8]);
    // Found by the random test below (it returned no tick): 50 has one multiple in the range, 20 has three,
    // and 0 counts although it lies a millionth of a step below the range (float noise at 5e-8).
    expect(niceTicks(5.000000000000001e-8, 40.00000005004, 2)).toEqual([0, 20, 40]);
  });

  it('stays inside the range, evenly spaced, at most about maxTicks + 1 (random ranges)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        fc.integer({ min: 2, max: 10 }),
        (lo, span, n) => {
          const hi = lo + span;
          fc.pre(hi > lo);
          const t = niceTicks(lo, hi, n);
          expect(t.length).toBeGreaterThanOrEqual(2);
          expect(t.length).toBeLessThanOrEqual(2 * n + 1);
          const eps = span * 1e-6 + Math.abs(lo) * 1e-15;
          for (const v of t) {
            expect(v).toBeGreaterThanOrEqual(lo - eps);
            expect(v).toBeLessThanOrEqual(hi + eps);
          }
          for (let i = 2; i < t.length; i++) expect(t[i] - t[i - 1]).toBeCloseTo(t[1] - t[0], 4);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pads ranges, and widens a single value', () => {
    expect(paddedRange(0, 100)).toEqual({ min: -4, max: 104 });
    expect(paddedRange(0, 0)).toEqual({ min: -0.5, max: 0.5 });
    expect(paddedRange(10, 10)).toEqual({ min: 9.5, max: 10.5 });
    expect(paddedRange(Infinity, -Infinity)).toEqual({ min: -1, max: 1 });
  });
});

describe('strideIndices', () => {
  it('keeps everything up to the limit, else an even strided subset', () => {
    expect(Array.from(strideIndices(5, 10))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(strideIndices(10, 5))).toEqual([0, 2, 4, 6, 8]);
    const big = strideIndices(1_000_000, 4000);
    expect(big.length).toBe(4000);
    for (let i = 1; i < big.length; i++) expect(big[i] - big[i - 1]).toBe(250);
    expect(strideIndices(0, 10).length).toBe(0);
  });
});

describe('makeScatterModel', () => {
  it('plots the chosen two features of train and test with units per mode', () => {
    const ds = makeDataset({
      m: 200,
      seed: 5,
      testShift: 0.5,
      ranges: [
        [1, 1000],
        [0, 1],
        [5, 6],
      ],
    });
    const m = makeScatterModel({
      train: ds.train,
      test: ds.test,
      d: ds.d,
      featureNames: ds.featureNames,
      axes: [0, 2],
      axisTitle: (f) => featureAxisTitle(f, 'raw'),
    });
    expect(m.train.shown).toBe(ds.train.m);
    expect(m.test.shown).toBe(ds.test.m);
    expect(m.note).toBe('all 200 points');
    for (let i = 0; i < ds.train.m; i++) {
      expect(m.train.xs[i]).toBe(ds.train.x[i * 3]);
      expect(m.train.ys[i]).toBe(ds.train.x[i * 3 + 2]);
    }
    // every point is inside the axes
    for (const s of [m.train, m.test]) {
      for (let i = 0; i < s.shown; i++) {
        expect(s.xs[i]).toBeGreaterThanOrEqual(m.x.min);
        expect(s.xs[i]).toBeLessThanOrEqual(m.x.max);
        expect(s.ys[i]).toBeGreaterThanOrEqual(m.y.min);
        expect(s.ys[i]).toBeLessThanOrEqual(m.y.max);
      }
    }
    // the test shift of half a range width is visible: the test set starts where train's middle is
    expect(Math.min(...m.test.xs)).toBeGreaterThan(400);
    expect(m.x.title).toBe('x1 (raw units)');
    expect(m.y.title).toBe('x3 (raw units)');
    expect(m.x.ticks.length).toBeGreaterThanOrEqual(3);
    expect(m.description).toContain('train 160 points');
    expect(m.description).toContain('test 40 points');
  });

  it('subsamples large m in proportion and says so', () => {
    const ds = makeDataset({ m: 50_000, seed: 2 });
    const m = makeScatterModel({ train: ds.train, test: ds.test, d: ds.d, featureNames: ds.featureNames, maxPoints: 1000 });
    expect(m.train.shown + m.test.shown).toBe(1000);
    expect(m.train.shown).toBe(800);
    expect(m.test.shown).toBe(200);
    expect(m.note).toBe('showing 1,000 of 50,000 points');
    expect(m.description).toContain('showing 1,000 of 50,000 points');
  });

  it('rejects axes outside the features', () => {
    const ds = makeDataset({ m: 20 });
    expect(() => makeScatterModel({ train: ds.train, test: ds.test, d: 2, featureNames: ds.featureNames, axes: [0, 2] })).toThrow(/outside the 2 features/);
  });
});

describe('makeScatterModel: equal scale', () => {
  it('the raw lecture cloud (x1 ∈ [1, 1000], x2 ∈ [0, 1]) gets axes of equal width, so it is drawn as a thin line, with an inset', () => {
    const ds = makeDataset({ m: 400, seed: 2 });
    const m = makeScatterModel({ train: ds.train, test: ds.test, d: ds.d, featureNames: ds.featureNames });
    expect(m.equalScale).toBe(true);
    expect(m.x.max - m.x.min).toBeCloseTo(m.y.max - m.y.min, 9);
    expect(m.x.max - m.x.min).toBeGreaterThan(900);
    // The y axis is centred on x2's data, which fills about a thousandth of it.
    expect((m.y.min + m.y.max) / 2).toBeGreaterThan(0.3);
    expect((m.y.min + m.y.max) / 2).toBeLessThan(0.7);
    expect(m.inset).not.toBeNull();
    expect(m.inset!.y.max - m.inset!.y.min).toBeLessThan(1.2);
    expect(m.inset!.x.max - m.inset!.x.min).toBeGreaterThan(900);
    expect(m.description).toContain('same scale on both axes');
  });
  it('similar scales get no inset; equalScale: false keeps each axis fitted to its data', () => {
    const ds = makeDataset({
      m: 400,
      seed: 2,
      ranges: [
        [0, 10],
        [0, 8],
      ],
    });
    const m = makeScatterModel({ train: ds.train, test: ds.test, d: ds.d, featureNames: ds.featureNames });
    expect(m.inset).toBeNull();
    expect(m.x.max - m.x.min).toBeCloseTo(m.y.max - m.y.min, 9);
    const raw = makeDataset({ m: 400, seed: 2 });
    const f = makeScatterModel({ train: raw.train, test: raw.test, d: raw.d, featureNames: raw.featureNames, equalScale: false });
    expect(f.equalScale).toBe(false);
    expect(f.y.max - f.y.min).toBeLessThan(1.2);
    expect(f.inset).toBeNull();
  });
});
