import { InputError } from '../errors';

/** Throws an InputError unless `value` is an integer in [min, max]. */
export function checkInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    throw new InputError(field, `must be ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws an InputError unless `x` is a rows×cols matrix with positive integer dimensions. */
export function checkMatrix(x: ArrayLike<number>, rows: number, cols: number, name = 'x'): void {
  checkInt('rows', rows, 1);
  checkInt('cols', cols, 1);
  if (x.length !== rows * cols) {
    throw new InputError(name, `has ${x.length} values but rows × cols = ${rows} × ${cols} = ${rows * cols}`);
  }
}
