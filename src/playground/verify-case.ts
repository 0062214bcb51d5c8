// What one Verify shape is: a runner that builds the user's kernel, runs it on seeded inputs and returns its
// output beside the float64 reference (the per-family runners are verify-matmul/-moments/-norms/-elementwise.ts),
// and how a case's batch is encoded and submitted (shared with Time, timing.ts).

import type { GpuBatch, Readback } from '../gpu/batch';
import type { GpuContext } from '../gpu/context';

/** A verify shape: runs `code` and returns the output, the reference and how to name an index. */
export interface Case {
  shape: string;
  rtol: number;
  /** Multiply-adds (or element operations) of the case: sets its time limit. */
  work: number;
  lab?: boolean;
  /** Builds the kernel (not timed) and runs it, its submission under `watch` (the watchdog). */
  run(
    gpu: GpuContext,
    code: string,
    watch: <T>(work: Promise<T>) => Promise<T>,
  ): Promise<{ got: ArrayLike<number>; ref: ArrayLike<number>; tol: { rtol: number; atol: number }; at(i: number): string }>;
}

/** An output buffer's initial contents: NaN everywhere, so an element the kernel never writes cannot pass. */
export const nanFilled = (n: number) => new Float32Array(n).fill(NaN);

/**
 * Runs `encode` (uploads and encodes into `batch`) and returns what it returns; a throw disposes the batch first,
 * since submit() never frees a batch it is not given. Verify's `submitCase` and Time's submissions (timing.ts) use it.
 */
export function encodeOrDispose<R>(batch: GpuBatch, encode: () => R): R {
  try {
    return encode();
  } catch (err) {
    batch.dispose();
    throw err;
  }
}

/**
 * Encodes one Verify case into `batch` (`encode` uploads, encodes and returns the output's readback), submits it
 * under `watch` and returns the readback. A throw while encoding disposes the batch (`encodeOrDispose`).
 */
export async function submitCase(batch: GpuBatch, encode: () => Readback, watch: <T>(work: Promise<T>) => Promise<T>): Promise<Readback> {
  const r = encodeOrDispose(batch, encode);
  await watch(batch.submit());
  return r;
}
