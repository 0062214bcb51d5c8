/**
 * Dense float64 building blocks of the CPU references (the Depth lab's deep net and the training
 * reference): an overflow-safe norm, the three products of a fully connected layer's forward and backward
 * pass, and an argument length check.
 */
import { InputError } from '../../../errors';

// ‖v‖₂ scaled by the largest |v| so squares of values past 1e154 don't overflow float64 before the norm does.
export function norm2(v: Float64Array): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (Number.isNaN(a)) return NaN;
    if (a > max) max = a;
  }
  if (max === 0 || max === Infinity) return max;
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const t = v[i] / max;
    s += t * t;
  }
  return max * Math.sqrt(s);
}

// out (m×n) = x (m×n) · wᵀ, w n×n row-major: out[i][j] = Σ_k x[i][k]·w[j][k].
export function matmulXWt(x: Float64Array, w: Float64Array, m: number, n: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const wr = j * n;
      let s = 0;
      for (let k = 0; k < n; k++) s += x[row + k] * w[wr + k];
      out[row + j] = s;
    }
  }
}

// out (n×n) += gᵀ · x for g, x m×n: out[j][k] = Σ_i g[i][j]·x[i][k].
export function matmulGtX(g: Float64Array, x: Float64Array, m: number, n: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const gij = g[row + j];
      const wr = j * n;
      for (let k = 0; k < n; k++) out[wr + k] += gij * x[row + k];
    }
  }
}

// out (m×n) += g · w: out[i][k] = Σ_j g[i][j]·w[j][k].
export function matmulGW(g: Float64Array, w: Float64Array, m: number, n: number, out: Float64Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) {
      const gij = g[row + j];
      const wr = j * n;
      for (let k = 0; k < n; k++) out[row + k] += gij * w[wr + k];
    }
  }
}

export function checkLength(field: string, x: ArrayLike<number>, rows: number, cols: number, what: string): void {
  if (x.length !== rows * cols) {
    throw new InputError(field, `has ${x.length} values but ${what} = ${rows} × ${cols} = ${rows * cols}`);
  }
}
