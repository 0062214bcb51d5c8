/** Running moments of a sample: count, mean and M2 = Σ (x − mean)². */
export interface MomentState {
  count: number;
  mean: number;
  m2: number;
}

/** Mean and population variance (÷ n). */
export interface Moments {
  mean: number;
  variance: number;
}

/** float64 Welford over `x` (optionally a strided subset: start, start + step, …). */
export function welfordRef(x: ArrayLike<number>, start = 0, step = 1): MomentState {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (let i = start; i < x.length; i += step) {
    count++;
    const d = x[i] - mean;
    mean += d / count;
    m2 += d * (x[i] - mean);
  }
  return { count, mean, m2 };
}

/** float64 merge of two states (Chan, Golub & LeVeque): the formula the GPU kernel's tree reduction uses. */
export function mergeMomentsRef(a: MomentState, b: MomentState): MomentState {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  const wb = b.count / count;
  return { count, mean: a.mean + delta * wb, m2: a.m2 + b.m2 + delta * delta * a.count * wb };
}

/** float64 corrected two-pass mean and population variance of `x` (all of it). */
export function momentsAllRef(x: ArrayLike<number>): Moments {
  const n = x.length;
  if (n === 0) return { mean: NaN, variance: NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i];
  const mean = sum / n;
  // Σ d is zero in exact arithmetic; subtracting (Σ d)²/n removes what rounding of the mean left.
  let ss = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    ss += d * d;
    s += d;
  }
  return { mean, variance: Math.max(0, (ss - (s * s) / n) / n) };
}

/** float64 per-column mean and population variance of a row-major rows×cols matrix (corrected two-pass). */
export function momentsRef(x: ArrayLike<number>, rows: number, cols: number): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += x[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  const ss = new Float64Array(cols);
  const s = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = x[r * cols + c] - mean[c];
      ss[c] += d * d;
      s[c] += d;
    }
  }
  for (let c = 0; c < cols; c++) variance[c] = Math.max(0, (ss[c] - (s[c] * s[c]) / rows) / rows);
  return { mean, variance };
}

/**
 * The textbook E[x²] − E[x]² in f32, rounding at every step like a naive shader would. Only here to show
 * catastrophic cancellation: on data with a large mean and a small spread it is far off, even negative.
 */
export function naiveVarianceF32(x: ArrayLike<number>): number {
  const f = Math.fround;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < x.length; i++) {
    const v = f(x[i]);
    sum = f(sum + v);
    sumSq = f(sumSq + f(v * v));
  }
  const n = f(x.length);
  const mean = f(sum / n);
  return f(f(sumSq / n) - f(mean * mean));
}
