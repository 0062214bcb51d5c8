// float64 references of the Normalization lab: statistics, transforms, the profiled-b cost, its Hessian
// and eigenvalues, the optimum, the cost grid and gradient descent. The GPU study uses the pure pieces
// (transformParams, window, eigenvalues, solve, descent) on GPU-computed matrices; the CPU fallback
// (`normalizeStudy(null, …)`) and the tests use all of it.
//
// The maths. Per mode the features are transformed column-wise, x' = (x − a) / s. For any w the best bias
// is b*(w) = ȳ − x̄'ᵀw (x̄' = mean of the transformed TRAINING features), so the cost with b profiled out is
//   J(w) = 1/(2m) ‖Xc w − yc‖²,   Xc = X' − x̄',  yc = y − ȳ,
// a quadratic with Hessian H = Xcᵀ Xc / m (the covariance of the transformed features — the lecture's
// XᵀX/m once b is profiled out) and gradient ∇J(w) = H w − g, g = Xcᵀ yc / m. Its minimum is w* = H⁻¹ g.

import { InputError } from '../../../errors';
import { momentsRef } from '../../../kernels/cpu/moments-ref';
import type { NormalizeMode } from '../types';

/** Smallest J* used as the scale of the convergence test and of the divergence test. */
export const COST_FLOOR = 1e-12;
/** Descent is called diverged when the cost is non-finite or exceeds this factor times the start cost. */
export const DIVERGENCE_FACTOR = 1e6;

/** Per-column mean and population standard deviation (÷ m) in float64 (corrected two-pass). */
export function columnStatsRef(x: ArrayLike<number>, rows: number, cols: number): { mean: Float64Array; sigma: Float64Array } {
  const { mean, variance } = momentsRef(x, rows, cols);
  return { mean, sigma: variance.map(Math.sqrt) };
}

/** What each mode subtracts from and divides into the train and test features. */
export interface TransformParams {
  trainMu: Float64Array;
  trainDivisor: Float64Array;
  testMu: Float64Array;
  testDivisor: Float64Array;
}

/**
 * The transform of each mode from the training statistics (μ, σ) and the test set's own (μₜ, σₜ):
 * raw 0 / 1 for both; standardize (x − μ)/σ for both; divide-variance (x − μ)/σ² for both (the lecture's
 * formula); test-own-stats (x − μ)/σ on train but (x − μₜ)/σₜ on test (the mistake the lecture warns about).
 * Throws an InputError naming the feature when a divisor would be 0 (a constant column).
 */
export function transformParams(
  mode: NormalizeMode,
  train: { mean: ArrayLike<number>; sigma: ArrayLike<number> },
  test: { mean: ArrayLike<number>; sigma: ArrayLike<number> } | null,
  featureNames: readonly string[] = [],
): TransformParams {
  const d = train.mean.length;
  const name = (j: number) => `"${featureNames[j] ?? `x${j + 1}`}"`;
  const zero = new Float64Array(d);
  const one = new Float64Array(d).fill(1);
  const check = (sigma: ArrayLike<number>, which: string) => {
    for (let j = 0; j < d; j++) {
      if (!(sigma[j] > 0) || !Number.isFinite(sigma[j])) {
        throw new InputError(
          'dataset',
          `feature ${name(j)} is constant in the ${which} set (σ = ${sigma[j]}), so normalizing it divides by zero; ` +
            'remove that column (a constant feature carries no information) or use more rows',
        );
      }
    }
  };
  const mu = Float64Array.from(train.mean);
  const sigma = Float64Array.from(train.sigma);
  switch (mode) {
    case 'raw':
      return { trainMu: zero, trainDivisor: one, testMu: zero.slice(), testDivisor: one.slice() };
    case 'standardize':
      check(sigma, 'training');
      return { trainMu: mu, trainDivisor: sigma, testMu: mu.slice(), testDivisor: sigma.slice() };
    case 'divide-variance': {
      check(sigma, 'training');
      const v = sigma.map((s) => s * s);
      return { trainMu: mu, trainDivisor: v, testMu: mu.slice(), testDivisor: v.slice() };
    }
    case 'test-own-stats': {
      check(sigma, 'training');
      if (!test) throw new Error('transformParams: test-own-stats needs the test statistics');
      check(test.sigma, 'test');
      return { trainMu: mu, trainDivisor: sigma, testMu: Float64Array.from(test.mean), testDivisor: Float64Array.from(test.sigma) };
    }
  }
}

/** (x − mu)/divisor per column of a row-major rows×cols matrix, in float64. */
export function transformRef(x: ArrayLike<number>, rows: number, cols: number, mu: ArrayLike<number>, divisor: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = (x[r * cols + c] - mu[c]) / divisor[c];
  return out;
}

/**
 * Zᵀ Z / rows for Z = [x − xCentre | y − yCentre] (rows × (d+1)): its top-left d×d block is H, its last
 * column g, its corner the mean squared centred target. Row-major (d+1)×(d+1), float64.
 */
export function secondMomentsRef(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  d: number,
  xCentre: ArrayLike<number>,
  yCentre: number,
): Float64Array {
  const k = d + 1;
  const out = new Float64Array(k * k);
  const z = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) z[j] = x[r * d + j] - xCentre[j];
    z[d] = y[r] - yCentre;
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[a * k + b] += z[a] * z[b];
  }
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      out[a * k + b] /= rows;
      out[b * k + a] = out[a * k + b];
    }
  }
  return out;
}

/** Splits the (d+1)×(d+1) second-moment matrix into H (d×d), g (d) and the target's mean square. */
export function splitSecondMoments(t: ArrayLike<number>, d: number): { hessian: Float64Array; gradient: Float64Array; yVariance: number } {
  const k = d + 1;
  const hessian = new Float64Array(d * d);
  const gradient = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) hessian[a * d + b] = t[a * k + b];
    gradient[a] = t[a * k + d];
  }
  return { hessian, gradient, yVariance: t[d * k + d] };
}

/**
 * Eigenvalues of the symmetric 2×2 [[a, b], [b, c]] in closed form: λmax = (a+c)/2 + √(((a−c)/2)² + b²),
 * λmin = det / λmax (not (a+c)/2 − √…, which cancels catastrophically when κ is large).
 */
export function eigenSym2(a: number, b: number, c: number): { max: number; min: number } {
  const mid = (a + c) / 2;
  const rad = Math.hypot((a - c) / 2, b);
  const max = mid + rad;
  const det = a * c - b * b;
  return { max, min: max > 0 ? det / max : mid - rad };
}

/** All eigenvalues of a symmetric d×d matrix (row-major), descending: closed form for d ≤ 2, cyclic Jacobi otherwise. */
export function symmetricEigenvalues(h: ArrayLike<number>, d: number): Float64Array {
  if (d === 1) return Float64Array.of(h[0]);
  if (d === 2) {
    const { max, min } = eigenSym2(h[0], (h[1] + h[2]) / 2, h[3]);
    return Float64Array.of(max, min);
  }
  const a = Float64Array.from(h);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < d; p++) {
      diag += a[p * d + p] ** 2;
      for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          // Rotate rows/columns p and q (A ← Jᵀ A J).
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
      }
    }
  }
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) out[i] = a[i * d + i];
  return out.sort().reverse();
}

/** λmax, λmin, κ = λmax/λmin and the largest stable learning rate 2/λmax of full-batch descent on J. */
export function conditionRef(h: ArrayLike<number>, d: number): { lambdaMax: number; lambdaMin: number; kappa: number; maxStableLr: number } {
  const ev = symmetricEigenvalues(h, d);
  const lambdaMax = ev[0];
  const lambdaMin = ev[d - 1];
  return { lambdaMax, lambdaMin, kappa: lambdaMax / lambdaMin, maxStableLr: 2 / lambdaMax };
}

/** The error for a singular Hessian: collinear or constant features. */
export function dependentFeaturesError(): InputError {
  return new InputError(
    'dataset',
    'the training features are linearly dependent (the Hessian XᵀX/m is singular), so there is no single best w; ' +
      'remove duplicated, constant or collinear columns',
  );
}

/**
 * w* = H⁻¹ g by Gaussian elimination with partial pivoting (float64). Throws an InputError when H is
 * singular (collinear or constant features): then the cost has a valley floor of minima, not one point.
 */
export function solveSymmetric(h: ArrayLike<number>, g: ArrayLike<number>, d: number): Float64Array {
  const a = Float64Array.from(h);
  const b = Float64Array.from(g);
  let scale = 0;
  for (let i = 0; i < d; i++) scale = Math.max(scale, Math.abs(a[i * d + i]));
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * d + col]) > Math.abs(a[piv * d + col])) piv = r;
    if (!(Math.abs(a[piv * d + col]) > 1e-13 * scale)) throw dependentFeaturesError();
    if (piv !== col) {
      for (let k = 0; k < d; k++) [a[col * d + k], a[piv * d + k]] = [a[piv * d + k], a[col * d + k]];
      [b[col], b[piv]] = [b[piv], b[col]];
    }
    for (let r = col + 1; r < d; r++) {
      const f = a[r * d + col] / a[col * d + col];
      if (f === 0) continue;
      for (let k = col; k < d; k++) a[r * d + k] -= f * a[col * d + k];
      b[r] -= f * b[col];
    }
  }
  const w = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < d; k++) s -= a[r * d + k] * w[k];
    w[r] = s / a[r * d + r];
  }
  return w;
}

/** ½ eᵀ H e: the cost above the minimum at w = w* + e, exact for a quadratic and free of cancellation. */
export function excessCost(h: ArrayLike<number>, d: number, e: ArrayLike<number>): number {
  let s = 0;
  for (let a = 0; a < d; a++) {
    let row = 0;
    for (let b = 0; b < d; b++) row += h[a * d + b] * e[b];
    s += e[a] * row;
  }
  return s / 2;
}

/** The literal cost 1/(2m) Σ (xᵢ·w + b − yᵢ)² of a row-major m×d split, in float64. */
export function costRef(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, d: number, w: ArrayLike<number>, b: number): number {
  let s = 0;
  for (let r = 0; r < rows; r++) {
    let p = b - y[r];
    for (let j = 0; j < d; j++) p += x[r * d + j] * w[j];
    s += p * p;
  }
  return s / (2 * rows);
}

/** The profiled bias b*(w) = ȳ − x̄ᵀw. */
export function optimalBias(w: ArrayLike<number>, xMean: ArrayLike<number>, yMean: number): number {
  let b = yMean;
  for (let j = 0; j < w.length; j++) b -= xMean[j] * w[j];
  return b;
}

/** A square window over the weights w_i (x axis) and w_j (y axis). */
export interface GridWindow {
  x: { min: number; max: number };
  y: { min: number; max: number };
}

/**
 * The default contour window: square (equal scale on both axes, so ellipses keep their true shape) and
 * centred on the optimum w* (the minimum sits in the middle, where a converging path ends), 1.2× the start's
 * larger distance from w* each side, so the start lies inside with a margin.
 */
export function gridWindow(start: ArrayLike<number>, optimum: ArrayLike<number>, axes: readonly [number, number]): GridWindow {
  const [i, j] = axes;
  const cx = optimum[i];
  const cy = optimum[j];
  let half = 1.2 * Math.max(Math.abs(start[i] - optimum[i]), Math.abs(start[j] - optimum[j]));
  if (!(half > 0)) half = 0.5 * Math.max(1, Math.abs(optimum[i]), Math.abs(optimum[j]));
  return { x: { min: cx - half, max: cx + half }, y: { min: cy - half, max: cy + half } };
}

/** Row indices of an evenly strided subsample of at most `max` of `rows` rows: ⌊i·rows/n⌋, i < n. */
export function subsampleRows(rows: number, max: number): Uint32Array {
  const n = Math.min(rows, max);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor((i * rows) / n);
  return out;
}

/**
 * The grid data: for each row of the (sub)sample, [xc_i, xc_j, yc − Σ_{l≠i,j} xc_l·w*_l] (rows × 3,
 * float64), so that the cost at (w_i, w_j) with the other weights at their optimum is
 * 1/(2n) Σ (z₀ w_i + z₁ w_j − z₂)².
 */
export function gridDataRef(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  d: number,
  rowIndex: ArrayLike<number>,
  xMean: ArrayLike<number>,
  yMean: number,
  wStar: ArrayLike<number>,
  axes: readonly [number, number],
): Float64Array {
  const [ai, aj] = axes;
  const n = rowIndex.length;
  const z = new Float64Array(n * 3);
  for (let k = 0; k < n; k++) {
    const r = rowIndex[k];
    let t = y[r] - yMean;
    for (let l = 0; l < d; l++) if (l !== ai && l !== aj) t -= (x[r * d + l] - xMean[l]) * wStar[l];
    z[3 * k] = x[r * d + ai] - xMean[ai];
    z[3 * k + 1] = x[r * d + aj] - xMean[aj];
    z[3 * k + 2] = t;
  }
  return z;
}

/** The grid's weight at column c (x) or row r (y): lerp(min, max, c/(size−1)). */
export function gridCoordinate(range: { min: number; max: number }, index: number, size: number): number {
  return range.min + ((range.max - range.min) * index) / (size - 1);
}

/**
 * J on a size×size grid (values[r·size + c] at x = coordinate c, y = coordinate r) from grid data z
 * (rows × 3, see gridDataRef), in float64. Uses the data's 3×3 second moments S:
 * Σ(z₀a + z₁b − z₂)² = a²S₀₀ + b²S₁₁ + S₂₂ + 2abS₀₁ − 2aS₀₂ − 2bS₁₂ — the literal sum expanded, which in
 * float64 loses at most ~1e-13 relative near the minimum (tests also check points with `costRef`).
 */
export function costGridRef(z: ArrayLike<number>, rows: number, window: GridWindow, size: number): Float64Array {
  const s = new Float64Array(6);
  for (let k = 0; k < rows; k++) {
    const a = z[3 * k];
    const b = z[3 * k + 1];
    const c = z[3 * k + 2];
    s[0] += a * a;
    s[1] += b * b;
    s[2] += c * c;
    s[3] += a * b;
    s[4] += a * c;
    s[5] += b * c;
  }
  const out = new Float64Array(size * size);
  for (let r = 0; r < size; r++) {
    const wb = gridCoordinate(window.y, r, size);
    for (let c = 0; c < size; c++) {
      const wa = gridCoordinate(window.x, c, size);
      const sum = wa * wa * s[0] + wb * wb * s[1] + s[2] + 2 * wa * wb * s[3] - 2 * wa * s[4] - 2 * wb * s[5];
      out[r * size + c] = Math.max(0, sum) / (2 * rows);
    }
  }
  return out;
}

/** Inputs of the float64 descent: the quadratic J(w) = J* + ½ (w − w*)ᵀ H (w − w*). */
export interface Quadratic {
  hessian: ArrayLike<number>;
  gradient: ArrayLike<number>;
  d: number;
  wStar: ArrayLike<number>;
  jStar: number;
}

/** Result of `descentRef`. */
export interface DescentRefResult {
  path: Float64Array;
  costs: Float64Array;
  steps: number;
  converged: boolean;
  diverged: boolean;
}

/**
 * Full-batch gradient descent w ← w − lr·(H w − g) in float64. With b profiled out this is exactly the
 * iteration on the data (∇J = Xcᵀ(Xc w − yc)/m = H w − g). Costs are J* + ½ eᵀHe (e = w − w*), which
 * has no cancellation near the minimum. Stops when converged: J − J* ≤ tol · max(J*, 1e-12); or diverged:
 * J non-finite or > 1e6 · max(J(start), 1e-12); or after `steps` steps.
 */
export function descentRef(q: Quadratic, options: { lr: number; steps: number; tol: number; start: ArrayLike<number> }): DescentRefResult {
  const { hessian: h, gradient: g, d, wStar, jStar } = q;
  const { lr, steps, tol } = options;
  const path: number[] = [];
  const costs: number[] = [];
  const w = Float64Array.from(options.start);
  const e = new Float64Array(d);
  const cost = () => {
    for (let j = 0; j < d; j++) e[j] = w[j] - wStar[j];
    return jStar + excessCost(h, d, e);
  };
  const record = () => {
    for (let j = 0; j < d; j++) path.push(w[j]);
    const c = cost();
    costs.push(c);
    return c;
  };
  const startCost = record();
  const limit = DIVERGENCE_FACTOR * Math.max(startCost, COST_FLOOR);
  const target = tol * Math.max(jStar, COST_FLOOR);
  let converged = startCost - jStar <= target;
  let diverged = !Number.isFinite(startCost);
  let taken = 0;
  const grad = new Float64Array(d);
  while (!converged && !diverged && taken < steps) {
    for (let a = 0; a < d; a++) {
      let s = -g[a];
      for (let b = 0; b < d; b++) s += h[a * d + b] * w[b];
      grad[a] = s;
    }
    for (let a = 0; a < d; a++) w[a] -= lr * grad[a];
    taken++;
    const c = record();
    if (!Number.isFinite(c) || c > limit) diverged = true;
    else if (c - jStar <= target) converged = true;
  }
  return { path: Float64Array.from(path), costs: Float64Array.from(costs), steps: taken, converged, diverged };
}
