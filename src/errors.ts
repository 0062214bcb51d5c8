/** Errors every layer may throw and catch: a bad input names the field, what was given and what is allowed. */

/** A bad argument to a library call: names the field, what was given and what is allowed. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly field: string,
    /** What is wrong, without the field's name (for showing next to that field). */
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** A run on the CPU fallback would be too big or too slow; names the cap, the amount and what to change. */
export class CpuCapError extends InputError {
  override name = 'CpuCapError';
  constructor(
    field: string,
    readonly cap: string,
    readonly allowed: number,
    readonly requested: number,
    readonly suggestion: string,
  ) {
    super(field, `${cap}: needs ${formatCount(requested)}, the CPU fallback allows ${formatCount(allowed)}. ${suggestion}`);
  }
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : String(n);
}

/** An error as one line for the user: `Name: message` (just the message for a plain Error), or the value as text. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}
