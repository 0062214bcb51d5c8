import { expect } from 'vitest';
import { InputError } from '../../src/errors';

/** The InputError `fn` throws, for assertions on its field and message; fails the test if it throws anything else or nothing. */
export function thrownInputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}
