// Verify's norms shapes (segments of awkward lengths, values near f32's limits) and their runner.

import { GpuBatch, u32 } from '../gpu/batch';
import { createNormsKernel, decodeNorms, NORM_WORDS, pickSegmentsPerGroup } from '../kernels/norms';
import { l2NormsRef } from '../kernels/cpu/norms-ref';
import { makeNormal } from '../kernels/cpu/random';
import { nanFilled, submitCase, type Case } from './verify-case';

/** Segment offsets (lengths.length + 1 of them) of consecutive segments of these lengths. */
export function offsetsFor(lengths: readonly number[]): Uint32Array {
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((n, i) => (offsets[i + 1] = offsets[i] + n));
  return offsets;
}

/** L2 norms of the segments between `offsets`. */
export function normsCase(shape: string, x: () => Float32Array, offsets: Uint32Array, lab = false): Case {
  return {
    shape,
    rtol: 1e-5,
    work: offsets[offsets.length - 1],
    lab,
    async run(gpu, code, watch) {
      const data = x();
      const kernel = await createNormsKernel(gpu, { code });
      const segments = offsets.length - 1;
      const batch = new GpuBatch(gpu, `verify.norms[${shape}]`);
      const r = await submitCase(
        batch,
        () => {
          const outBytes = NORM_WORDS * 4 * segments;
          const out = batch.upload('verify.norms.out', nanFilled(outBytes / 4));
          kernel.encode(batch, {
            x: batch.upload('verify.norms.x', data),
            offsets: batch.upload('verify.norms.offsets', offsets),
            segments,
            out,
            segmentsPerGroup: pickSegmentsPerGroup(offsets, kernel.workgroup),
          });
          return batch.read(out, outBytes);
        },
        watch,
      );
      return {
        got: decodeNorms(u32(r).buffer as ArrayBuffer, segments),
        ref: l2NormsRef(data, offsets),
        tol: { rtol: 1e-5, atol: 1e-300 },
        at: (i) => `norm of segment ${i} (${offsets[i + 1] - offsets[i]} values)`,
      };
    },
  };
}

/** The norms kernel's own shapes. */
export function normsCases(): Case[] {
  const lengths = [0, 1, 7, 63, 65, 257, 20_001];
  const offsets = offsetsFor(lengths);
  const big = new Float32Array(1000).fill(1e30);
  const huge = new Float32Array(100).fill(3e38);
  const tiny = new Float32Array(1000).fill(-1e-30);
  return [
    normsCase(`segments of ${lengths.join(', ')}`, () => makeNormal(offsets[offsets.length - 1], 17), offsets),
    normsCase('1,000 × 1e30, 100 × 3e38, 1,000 × −1e-30', () => new Float32Array([...big, ...huge, ...tiny]), offsetsFor([1000, 100, 1000])),
  ];
}
