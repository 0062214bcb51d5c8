import { InputError } from '../../errors';

/**
 * Throws an InputError unless `offsets` are segment boundaries into `length` values: at least one entry,
 * integers from 0 to `length`, non-decreasing. Segment i is [offsets[i], offsets[i+1]).
 */
export function checkOffsets(offsets: ArrayLike<number>, length: number, field = 'offsets'): void {
  if (offsets.length < 1) {
    throw new InputError(field, 'is empty; give segments + 1 boundaries (e.g. [0, n] for one segment of n values)');
  }
  for (let i = 0; i < offsets.length; i++) {
    const v = offsets[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > length) {
      throw new InputError(`${field}[${i}]`, `must be an integer from 0 to ${length} (the length of x), got ${JSON.stringify(v)}`);
    }
    if (i > 0 && v < offsets[i - 1]) {
      throw new InputError(`${field}[${i}]`, `is ${v}, less than ${field}[${i - 1}] = ${offsets[i - 1]}; boundaries must not decrease`);
    }
  }
}

/**
 * float64 L2 norm of each segment [offsets[i], offsets[i+1]) of `x`: NaN if the segment holds a NaN,
 * otherwise Infinity if it holds ±Infinity, otherwise max|x| · √Σ(x / max|x|)² (no overflow or underflow
 * even for float64 inputs like 1e200). Empty segments have norm 0.
 */
export function l2NormsRef(x: ArrayLike<number>, offsets: ArrayLike<number>): Float64Array {
  checkOffsets(offsets, x.length);
  const out = new Float64Array(offsets.length - 1);
  for (let s = 0; s < out.length; s++) {
    const [lo, hi] = [offsets[s], offsets[s + 1]];
    let scale = 0;
    let nan = false;
    let inf = false;
    for (let i = lo; i < hi; i++) {
      const a = Math.abs(x[i]);
      if (Number.isNaN(a)) nan = true;
      else if (a === Infinity) inf = true;
      else if (a > scale) scale = a;
    }
    if (nan || inf) {
      out[s] = nan ? NaN : Infinity;
      continue;
    }
    if (scale === 0) continue;
    let ssq = 0;
    for (let i = lo; i < hi; i++) {
      const r = x[i] / scale;
      ssq += r * r;
    }
    out[s] = scale * Math.sqrt(ssq);
  }
  return out;
}
