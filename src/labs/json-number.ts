// Numbers in the labs' JSON exports (and the command line's): Infinity and NaN survive the round trip.

/**
 * A number in JSON: finite numbers as numbers; Infinity, -Infinity and NaN as those strings, since
 * JSON.stringify would turn them into null and lose what happened.
 */
export type JsonNumber = number | 'Infinity' | '-Infinity' | 'NaN';

/** `v` as a JsonNumber. */
export function jsonNumber(v: number): JsonNumber {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** Reads a JsonNumber back (the inverse of `jsonNumber`). */
export function fromJsonNumber(v: JsonNumber): number {
  return typeof v === 'number' ? v : Number(v);
}
