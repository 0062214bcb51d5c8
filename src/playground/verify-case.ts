// What one Verify shape is: a runner that builds the user's kernel, runs it on seeded inputs and returns its
// output beside the float64 reference (the per-family runners are verify-matmul/-moments/-norms/-elementwise.ts).

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
 * Encodes one Verify case into `batch` (`encode` uploads, encodes and returns the output's readback), submits it
 * under `watch` and returns the readback. A throw while encoding disposes the batch, since submit() never frees it.
 */
export async function submitCase(batch: GpuBatch, encode: () => Readback, watch: <T>(work: Promise<T>) => Promise<T>): Promise<Readback> {
  let r: Readback;
  try {
    r = encode();
  } catch (err) {
    batch.dispose();
    throw err;
  }
  await watch(batch.submit());
  return r;
}
