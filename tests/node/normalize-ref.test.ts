import { describe, expect, it } from 'vitest';
import {
  columnStatsRef,
  conditionRef,
  costGridRef,
  costRef,
  descentRef,
  eigenSym2,
  excessCost,
  gridCoordinate,
  gridDataRef,
  gridWindow,
  secondMomentsRef,
  solveSymmetric,
  subsampleRows,
  symmetricEigenvalues,
  transformParams,
  transformRef,
} from '../../src/labs/normalize/cpu/normalize-ref';
import { makeRng } from '../../src/kernels/cpu/random';

describe('statistics (float64 reference)', () => {
  it('mean and population σ match the textbook formulas', () => {
    // The classic example: mean 5, population σ 2.
    const col = [2, 4, 4, 4, 5, 5, 7, 9];
    const x = new Float64Array(col.length * 2);
    col.forEach((v, r) => {
      x[2 * r] = v;
      x[2 * r + 1] = 1e4 + v / 1000; // large offset, tiny spread
    });
    const { mean, sigma } = columnStatsRef(x, col.length, 2);
    expect(mean[0]).toBe(5);
    expect(sigma[0]).toBeCloseTo(2, 14);
    expect(mean[1]).toBeCloseTo(1e4 + 0.005, 9);
    expect(sigma[1]).toBeCloseTo(0.002, 12);
    // Direct formula on random data.
    const rng = makeRng(3);
    const n = 101;
    const y = Array.from({ length: n }, () => 500 + 50 * rng.normal());
    const mu = y.reduce((a, b) => a + b) / n;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - mu) ** 2, 0) / n);
    const s = columnStatsRef(y, n, 1);
    expect(s.mean[0]).toBeCloseTo(mu, 10);
    expect(s.sigma[0] / sd).toBeCloseTo(1, 12);
  });

  it('transforms: each mode subtracts and divides what the lecture says', () => {
    const train = { mean: [10, 2], sigma: [4, 0.5] };
    const test = { mean: [20, 3], sigma: [8, 0.25] };
    const raw = transformParams('raw', train, test);
    expect([...raw.trainMu, ...raw.trainDivisor, ...raw.testMu, ...raw.testDivisor]).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    const st = transformParams('standardize', train, test);
    expect([...st.trainMu, ...st.trainDivisor]).toEqual([10, 2, 4, 0.5]);
    expect([...st.testMu, ...st.testDivisor]).toEqual([10, 2, 4, 0.5]); // the SAME train μ, σ
    const dv = transformParams('divide-variance', train, test);
    expect([...dv.trainDivisor, ...dv.testDivisor]).toEqual([16, 0.25, 16, 0.25]);
    const own = transformParams('test-own-stats', train, test);
    expect([...own.trainMu, ...own.trainDivisor]).toEqual([10, 2, 4, 0.5]);
    expect([...own.testMu, ...own.testDivisor]).toEqual([20, 3, 8, 0.25]);
    expect([...transformRef([14, 2.5], 1, 2, st.trainMu, st.trainDivisor)]).toEqual([1, 1]);
  });

  it('a constant feature gives a specific error naming it', () => {
    expect(() => transformParams('standardize', { mean: [1, 2], sigma: [1, 0] }, null, ['size', 'rooms'])).toThrow(
      /feature "rooms" is constant in the training set \(σ = 0\)/,
    );
    expect(() => transformParams('test-own-stats', { mean: [1, 2], sigma: [1, 1] }, { mean: [1, 2], sigma: [0, 1] })).toThrow(
      /"x1" is constant in the test set/,
    );
    expect(() => transformParams('raw', { mean: [1, 2], sigma: [1, 0] }, null)).not.toThrow();
  });
});

describe('Hessian, κ and the stable learning rate', () => {
  it('2×2 closed form: [[2, 1], [1, 2]] has λ = 3, 1, κ = 3, 2/λmax = 2/3', () => {
    const c = conditionRef([2, 1, 1, 2], 2);
    expect(c.lambdaMax).toBeCloseTo(3, 14);
    expect(c.lambdaMin).toBeCloseTo(1, 14);
    expect(c.kappa).toBeCloseTo(3, 13);
    expect(c.maxStableLr).toBeCloseTo(2 / 3, 14);
  });

  it('2×2 with the lecture’s ranges: κ = var(x1)/var(x2) ≈ 10⁶, λmin accurate (no cancellation)', () => {
    const v1 = 999 ** 2 / 12;
    const v2 = 1 / 12;
    const { max, min } = eigenSym2(v1, 0, v2);
    expect(max).toBe(v1);
    expect(min / v2).toBeCloseTo(1, 14);
    expect(conditionRef([v1, 0, 0, v2], 2).kappa / (v1 / v2)).toBeCloseTo(1, 12);
    // With a correlation the eigenvalues still multiply to det and add to the trace.
    const b = 0.3 * Math.sqrt(v1 * v2);
    const e = eigenSym2(v1, b, v2);
    expect((e.max + e.min) / (v1 + v2)).toBeCloseTo(1, 12);
    expect((e.max * e.min) / (v1 * v2 - b * b)).toBeCloseTo(1, 12);
  });

  it('H from data is the covariance: XcᵀXc/m of the centred features', () => {
    // x1 = ±a, x2 = ±c independent (4 points): covariance diag(a², c²), so κ = a²/c².
    const x = [1 + 3, 5 + 0.5, 1 - 3, 5 + 0.5, 1 + 3, 5 - 0.5, 1 - 3, 5 - 0.5];
    const y = [1, 2, 3, 4];
    const t = secondMomentsRef(x, y, 4, 2, [1, 5], 2.5);
    expect(Array.from(t)).toEqual([9, 0, -1.5, 0, 0.25, -0.5, -1.5, -0.5, 1.25]);
    expect(conditionRef([t[0], t[1], t[3], t[4]], 2).kappa).toBeCloseTo(36, 12);
  });

  it('Jacobi eigenvalues for d > 2 match Q·diag·Qᵀ', () => {
    const lambdas = [100, 7, 2, 0.5, 1e-3];
    const d = lambdas.length;
    // Q from Gram–Schmidt of a seeded random matrix.
    const rng = makeRng(11);
    const q: number[][] = [];
    for (let i = 0; i < d; i++) {
      let v = Array.from({ length: d }, () => rng.normal());
      for (const u of q) {
        const dot = v.reduce((s, x, k) => s + x * u[k], 0);
        v = v.map((x, k) => x - dot * u[k]);
      }
      const n = Math.hypot(...v);
      q.push(v.map((x) => x / n));
    }
    const h = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) for (let i = 0; i < d; i++) h[a * d + b] += q[i][a] * lambdas[i] * q[i][b];
    const ev = symmetricEigenvalues(h, d);
    lambdas.forEach((l, i) => expect(Math.abs(ev[i] - l)).toBeLessThan(1e-11 * 100));
  });

  it('solves H w = g and reports linearly dependent features', () => {
    const w = solveSymmetric([4, 1, 1, 3], [1, 2], 2);
    expect(w[0]).toBeCloseTo(1 / 11, 14);
    expect(w[1]).toBeCloseTo(7 / 11, 14);
    expect(() => solveSymmetric([1, 2, 2, 4], [1, 2], 2)).toThrow(/linearly dependent/);
  });
});

describe('gradient descent (float64)', () => {
  const h = [2, 1, 1, 2];
  const wStar = [1, -2];
  const g = [2 * 1 + 1 * -2, 1 * 1 + 2 * -2]; // g = H w*
  const q = { hessian: h, gradient: g, d: 2, wStar, jStar: 0.5 };
  const lrMax = 2 / 3;

  it('diverges just above 2/λmax and converges just below', () => {
    const above = descentRef(q, { lr: 1.05 * lrMax, steps: 10_000, tol: 1e-6, start: [0, 0] });
    expect(above.diverged).toBe(true);
    expect(above.converged).toBe(false);
    expect(above.costs[above.steps]).toBeGreaterThan(1e6 * above.costs[0]);
    const below = descentRef(q, { lr: 0.95 * lrMax, steps: 10_000, tol: 1e-6, start: [0, 0] });
    expect(below.converged).toBe(true);
    expect(below.diverged).toBe(false);
    expect(below.costs[below.steps] - 0.5).toBeLessThanOrEqual(1e-6 * 0.5);
    expect(below.path.length).toBe(2 * (below.steps + 1));
  });

  it('iterates match the closed form e_k = (I − lr·H)^k e_0 and costs are J* + ½eᵀHe', () => {
    const lr = 0.3;
    const run = descentRef(q, { lr, steps: 5, tol: 1e-30, start: [0, 0] });
    // Eigenvectors (1,1)/√2 (λ = 3) and (1,−1)/√2 (λ = 1): e0 = −w* = (−1, 2).
    const e0 = [-1, 2];
    const a = (e0[0] + e0[1]) / 2;
    const b = (e0[0] - e0[1]) / 2;
    for (let k = 0; k <= 5; k++) {
      const ak = a * (1 - 3 * lr) ** k;
      const bk = b * (1 - lr) ** k;
      expect(run.path[2 * k]).toBeCloseTo(wStar[0] + ak + bk, 12);
      expect(run.path[2 * k + 1]).toBeCloseTo(wStar[1] + ak - bk, 12);
      expect(run.costs[k]).toBeCloseTo(0.5 + 3 * ak * ak + bk * bk, 12);
    }
    expect(excessCost(h, 2, [1, 1])).toBe(3);
  });

  it('stops at once when the start is already converged, and takes no steps when steps = 0', () => {
    expect(descentRef(q, { lr: 0.1, steps: 100, tol: 1e-6, start: wStar }).steps).toBe(0);
    const none = descentRef(q, { lr: 0.1, steps: 0, tol: 1e-6, start: [0, 0] });
    expect(none.steps).toBe(0);
    expect(none.converged).toBe(false);
  });
});

describe('cost grid (float64)', () => {
  it('the moment form equals the literal cost at every checked point', () => {
    const rng = makeRng(5);
    const rows = 63;
    const d = 3;
    const x = Float64Array.from({ length: rows * d }, () => 100 * rng.uniform());
    const y = Float64Array.from({ length: rows }, (_, r) => 0.02 * x[r * d] - 3 * x[r * d + 1] + x[r * d + 2] + rng.normal());
    const xm = columnStatsRef(x, rows, d).mean;
    const ym = y.reduce((s, v) => s + v) / rows;
    const wStar = [0.02, -3, 1];
    const axes: [number, number] = [0, 2];
    const idx = subsampleRows(rows, 1000);
    const z = gridDataRef(x, y, d, idx, xm, ym, wStar, axes);
    const window = gridWindow([0, 0, 0], wStar, axes);
    const size = 7;
    const grid = costGridRef(z, rows, window, size);
    for (const [r, c] of [
      [0, 0],
      [3, 3],
      [6, 1],
      [2, 5],
    ]) {
      const w = [gridCoordinate(window.x, c, size), wStar[1], gridCoordinate(window.y, r, size)];
      const b = ym - xm.reduce((s, m, j) => s + m * w[j], 0);
      expect(grid[r * size + c] / costRef(x, y, rows, d, w, b)).toBeCloseTo(1, 11);
    }
  });

  it('the default window is square, centred on the optimum, and holds the start', () => {
    const w = gridWindow([0, 0], [0.003, 3], [0, 1]);
    expect(w.x.max - w.x.min).toBeCloseTo(w.y.max - w.y.min, 12);
    for (const [px, py] of [
      [0, 0],
      [0.003, 3],
    ]) {
      expect(px).toBeGreaterThan(w.x.min);
      expect(px).toBeLessThan(w.x.max);
      expect(py).toBeGreaterThan(w.y.min);
      expect(py).toBeLessThan(w.y.max);
    }
    // Centred on w*: the optimum is in the middle of the window, not in a corner.
    expect((w.x.min + w.x.max) / 2).toBeCloseTo(0.003, 12);
    expect((w.y.min + w.y.max) / 2).toBeCloseTo(3, 12);
    const c = gridWindow([0, 0, 0], [2, -7, 5], [0, 2]);
    expect((c.x.min + c.x.max) / 2).toBeCloseTo(2, 12);
    expect((c.y.min + c.y.max) / 2).toBeCloseTo(5, 12);
    expect(c.x.max - c.x.min).toBeCloseTo(2 * 1.2 * 5, 12);
    const same = gridWindow([1, 1], [1, 1], [0, 1]);
    expect(same.x.max).toBeGreaterThan(same.x.min);
  });

  it('subsamples evenly: all rows when few, ⌊i·m/n⌋ when many', () => {
    expect(Array.from(subsampleRows(5, 10))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(subsampleRows(10, 4))).toEqual([0, 2, 5, 7]);
  });
});
