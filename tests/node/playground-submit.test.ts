// How Verify and Time encode a batch (playground/verify-case.ts): an error while encoding disposes the batch
// (submit() never frees a batch it is not given) and is rethrown; a batch that encodes is submitted under the
// watchdog and not disposed here (submit() frees it).
import { describe, expect, it } from 'vitest';
import { encodeOrDispose, submitCase } from '../../src/playground/verify-case';
import type { GpuBatch, Readback } from '../../src/gpu/batch';

/** A stand-in batch that records what was done to it. */
function fakeBatch() {
  const log: string[] = [];
  const batch = {
    dispose: () => void log.push('dispose'),
    submit: async () => void log.push('submit'),
  } as unknown as GpuBatch;
  return { batch, log };
}

describe('encodeOrDispose', () => {
  it('returns what encode returns and leaves the batch alone', () => {
    const { batch, log } = fakeBatch();
    expect(encodeOrDispose(batch, () => 42)).toBe(42);
    expect(log).toEqual([]);
  });
  it('disposes the batch once when encode throws, and rethrows the same error', () => {
    const { batch, log } = fakeBatch();
    const err = new Error('bad binding');
    expect(() =>
      encodeOrDispose(batch, () => {
        throw err;
      }),
    ).toThrow(err);
    expect(log).toEqual(['dispose']);
  });
});

describe('submitCase', () => {
  it('encodes, then submits under the watchdog, and returns the readback', async () => {
    const { batch, log } = fakeBatch();
    const readback = { data: null } as unknown as Readback;
    const watched: string[] = [];
    const watch = <T>(p: Promise<T>) => (watched.push('watch'), p);
    await expect(submitCase(batch, () => (log.push('encode'), readback), watch)).resolves.toBe(readback);
    expect(log).toEqual(['encode', 'submit']);
    expect(watched).toEqual(['watch']);
  });
  it('an encode error disposes and never submits', async () => {
    const { batch, log } = fakeBatch();
    await expect(
      submitCase(
        batch,
        () => {
          throw new Error('no');
        },
        (p) => p,
      ),
    ).rejects.toThrow('no');
    expect(log).toEqual(['dispose']);
  });
});
