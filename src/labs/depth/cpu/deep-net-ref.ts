import { InputError } from '../../../errors';
import { activateRef, derivativeRef } from '../../../kernels/cpu/elementwise-ref';
import { classifyRun } from '../classify';
import { validateDeepNetConfig, type DeepNetConfig } from '../config';
import type { DeepNetResult, LayerStats } from '../types';
import { makeInput, makeWeights } from '../init';
import { checkLength, matmulGW, matmulGtX, matmulXWt, norm2 } from './dense-ops';

export interface DeepNetRefOptions {
  /** W[1..L] as n×n row-major matrices (index l − 1); default `makeWeights(config, l)`. */
  weights?: readonly ArrayLike<number>[];
  /** X as m×n row-major (rows are examples); default `makeInput(config)`. */
  input?: ArrayLike<number>;
  /** Also return every tensor (memory: about 4·L·m·n + L·n² doubles). */
  keepTensors?: boolean;
}

/** Every tensor of a pass, float64, row-major; index l − 1 is layer l except `a`, where a[0] = X. */
export interface DeepNetTensors {
  /** A[0..L] (m×n). */
  a: Float64Array[];
  /** Z[1..L] (m×n). */
  z: Float64Array[];
  /** dJ/dA[1..L] (m×n). */
  dA: Float64Array[];
  /** dJ/dW[1..L] (n×n). */
  dW: Float64Array[];
}

export interface DeepNetRefResult extends DeepNetResult {
  tensors?: DeepNetTensors;
}

// Two-pass mean and population variance, scaled like norm2.
function meanVar(v: Float64Array): [number, number] {
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (Number.isNaN(a)) return [NaN, NaN];
    if (a > max) max = a;
  }
  if (max === 0) return [0, 0];
  if (max === Infinity) {
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i];
    return [sum / v.length, NaN];
  }
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] / max;
  const mu = s / v.length; // mean / max
  let q = 0;
  for (let i = 0; i < v.length; i++) {
    const d = v[i] / max - mu;
    q += d * d;
  }
  return [mu * max, max * max * (q / v.length)];
}

/**
 * float64 forward and backward pass of `config`, exactly the algorithm of the GPU engine (rows are examples):
 * A[0] = X; Z[l] = A[l−1]·W[l]ᵀ; A[l] = f(Z[l]); J = 1/(2m)·Σᵢ‖A[L]ᵢ‖² (targets 0);
 * dA[L] = A[L]/m; dZ[l] = dA[l] ⊙ f′(Z[l]); dW[l] = dZ[l]ᵀ·A[l−1]; dA[l−1] = dZ[l]·W[l].
 *
 * Closed form for the lecture's net (W = s·I, linear, X = ones, width n, batch m), used by the tests:
 * A[l] = s^l·ones, so actNorm[l] = s^l·√n, zMean[l] = s^l, zVar[l] = 0, J = n·s^(2L)/2;
 * dA[L] = s^L·ones/m and dA[l−1] = s·dA[l], so dA[l] = s^(2L−l)/m·ones and gradActNorm[l] = s^(2L−l)·√n/m;
 * every entry of dW[l] = dZ[l]ᵀ·A[l−1] sums m equal terms s^(2L−l)/m · s^(l−1) = s^(2L−1)/m, i.e. is
 * s^(2L−1), so gradWNorm[l] = n·s^(2L−1) for every layer — the factor is 1: the 1/m of J cancels the
 * sum over the m identical examples, so it depends on neither m nor l.
 */
export function deepNetRef(config: DeepNetConfig, options: DeepNetRefOptions = {}): DeepNetRefResult {
  const cfg = validateDeepNetConfig(config);
  const { depth: L, width: n, batch: m, activation } = cfg;
  if (options.weights && options.weights.length !== L) {
    throw new InputError('weights', `has ${options.weights.length} matrices but depth is ${L}`);
  }
  const weights: Float64Array[] = [];
  for (let l = 1; l <= L; l++) {
    const w = options.weights ? options.weights[l - 1] : makeWeights(cfg, l);
    checkLength(`weights[${l - 1}]`, w, n, n, 'width × width');
    weights.push(Float64Array.from(w));
  }
  const x = options.input ?? makeInput(cfg);
  checkLength('input', x, m, n, 'batch × width');

  const a: Float64Array[] = [Float64Array.from(x)];
  const z: Float64Array[] = [];
  for (let l = 1; l <= L; l++) {
    const prev = a[l - 1];
    const w = weights[l - 1];
    const zl = new Float64Array(m * n);
    matmulXWt(prev, w, m, n, zl);
    const al = Float64Array.from(zl, (v) => activateRef(v, activation));
    z.push(zl);
    a.push(al);
  }

  const stats: LayerStats = {
    actNorm: new Float64Array(L),
    zMean: new Float64Array(L),
    zVar: new Float64Array(L),
    gradActNorm: new Float64Array(L),
    gradWNorm: new Float64Array(L),
  };
  const sqrtM = Math.sqrt(m);
  for (let l = 1; l <= L; l++) {
    stats.actNorm[l - 1] = norm2(a[l]) / sqrtM;
    [stats.zMean[l - 1], stats.zVar[l - 1]] = meanVar(z[l - 1]);
  }
  const outNorm = stats.actNorm[L - 1];
  const loss = 0.5 * outNorm * outNorm;

  const dAs: Float64Array[] = new Array(L);
  const dWs: Float64Array[] = new Array(L);
  let dA = Float64Array.from(a[L], (v) => v / m);
  for (let l = L; l >= 1; l--) {
    dAs[l - 1] = dA;
    stats.gradActNorm[l - 1] = norm2(dA) / sqrtM;
    const zl = z[l - 1];
    const dZ = Float64Array.from(dA, (g, i) => g * derivativeRef(zl[i], activation));
    const prev = a[l - 1];
    const w = weights[l - 1];
    const dW = new Float64Array(n * n);
    matmulGtX(dZ, prev, m, n, dW);
    dWs[l - 1] = dW;
    stats.gradWNorm[l - 1] = norm2(dW);
    const next = new Float64Array(m * n);
    matmulGW(dZ, w, m, n, next);
    dA = next;
  }

  // The same classification as the GPU engine's (f32 thresholds, values after an overflow/NaN 'lost').
  const result: DeepNetRefResult = { loss, layers: stats, ...classifyRun(stats, loss) };
  if (options.keepTensors) result.tensors = { a, z, dA: dAs, dW: dWs };
  return result;
}
