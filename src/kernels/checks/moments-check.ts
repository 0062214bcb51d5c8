import { msg } from '@lit/localize';
import type { GpuContext } from '../../gpu/context';
import { GpuBatch, f32 } from '../../gpu/batch';
import { createMomentsKernel } from '../moments';
import { momentsAllRef, momentsRef } from '../cpu/moments-ref';
import { makeNormal, makeUniform } from '../cpu/random';
import { compareArrays } from '../compare';
import { shapeEnglish } from './case-words';
import { guarded, totalMs, type CheckResult, type KernelCheck } from './types';

const RTOL = 1e-4;
/** The 10⁴ + U(0,1) case: variance ≈ 1/12 under a mean of 10⁴, where E[x²] − E[x]² in f32 is useless. */
const SHIFTED_RTOL = 1e-3;

/** Per-column mean/variance on awkward shapes, and the whole-buffer moments of badly conditioned data. */
export const momentsCheck: KernelCheck = {
  kernel: 'moments',
  // A getter, so the Kernel check shows it in the language of the moment.
  get description() {
    return msg('per-column and whole-buffer mean and population variance (Welford + Chan merge, two passes)');
  },
  async run(gpu: GpuContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const [rows, cols] of [
      [1, 1],
      [257, 63],
      [4097, 7],
    ]) {
      const shape = `${rows}×${cols}`;
      results.push(
        await guarded('moments', shape, RTOL, async () => {
          const x = makeNormal(rows * cols, 41 + rows + cols, 3, 2);
          const kernel = await createMomentsKernel(gpu);
          const batch = new GpuBatch(gpu, `check.moments[${shape}]`, { timing: true });
          try {
            const out = batch.scratch('check.out', 2 * cols * 4);
            kernel.encodeColumns(batch, { x: batch.upload('check.x', x), rows, cols, out });
            const r = batch.read(out, 2 * cols * 4);
            await batch.submit();
            const ref = momentsRef(x, rows, cols);
            const c = compareArrays(f32(r), [...ref.mean, ...ref.variance], { rtol: RTOL, atol: 1e-6 });
            return { kernel: 'moments', shape, ok: c.ok, maxRelError: c.maxRelError, rtol: RTOL, gpuMs: totalMs(gpu, batch.timings) };
          } finally {
            batch.dispose();
          }
        }),
      );
    }
    const n = 100_003;
    const words = { kind: 'shifted-values', n } as const;
    const shape = shapeEnglish(words);
    results.push(
      await guarded('moments', words, SHIFTED_RTOL, async () => {
        const x = makeUniform(n, 12, 1e4, 1e4 + 1);
        const kernel = await createMomentsKernel(gpu);
        const batch = new GpuBatch(gpu, 'check.moments[all]', { timing: true });
        try {
          const out = batch.scratch('check.out', 8);
          kernel.encodeAll(batch, { x: batch.upload('check.x', x), count: n, out });
          const r = batch.read(out, 8);
          await batch.submit();
          const ref = momentsAllRef(x);
          const c = compareArrays(f32(r), [ref.mean, ref.variance], { rtol: SHIFTED_RTOL, atol: 0 });
          return { kernel: 'moments', shape, ok: c.ok, maxRelError: c.maxRelError, rtol: SHIFTED_RTOL, gpuMs: totalMs(gpu, batch.timings) };
        } finally {
          batch.dispose();
        }
      }),
    );
    return results;
  },
};
