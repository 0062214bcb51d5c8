import type { Activation } from '../activations';

/** float64 activation f(v). */
export function activateRef(v: number, activation: Activation): number {
  switch (activation) {
    case 'relu':
      return Math.max(v, 0);
    case 'tanh':
      return Math.tanh(v);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    default:
      return v;
  }
}

/** float64 derivative f'(v). */
export function derivativeRef(v: number, activation: Activation): number {
  switch (activation) {
    case 'relu':
      return v > 0 ? 1 : 0;
    case 'tanh': {
      // sech²(v) = 4e/(1+e)², e = e^(−2|v|): no 1 − tanh² cancellation, which is 0 once tanh rounds to ±1
      // (|v| ≈ 19 in float64) although the true value is still e.g. 1e-17.
      const e = Math.exp(-2 * Math.abs(v));
      return (4 * e) / ((1 + e) * (1 + e));
    }
    case 'sigmoid': {
      const e = Math.exp(-Math.abs(v));
      return e / ((1 + e) * (1 + e));
    }
    default:
      return 1;
  }
}

/** float64 f(x) elementwise. */
export function activationForwardRef(x: ArrayLike<number>, activation: Activation): Float64Array {
  return Float64Array.from(x, (v) => activateRef(v, activation));
}

/** float64 g · f'(z) elementwise. */
export function activationBackwardRef(z: ArrayLike<number>, g: ArrayLike<number>, activation: Activation): Float64Array {
  return Float64Array.from(z, (v, i) => g[i] * derivativeRef(v, activation));
}

/** float64 (x − μ)/σ per column of a row-major rows×cols matrix. */
export function normalizeColumnsRef(x: ArrayLike<number>, rows: number, cols: number, mean: ArrayLike<number>, std: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = (x[r * cols + c] - mean[c]) / std[c];
  return out;
}
