import { msg } from '@lit/localize';
import type { GpuContext } from '../../gpu/context';
import { GpuBatch, f32 } from '../../gpu/batch';
import { createResidualSumsqKernel, sumBlocks } from '../residual-sumsq';
import { residualSumsqRef } from '../cpu/residual-sumsq-ref';
import { makeNormal } from '../cpu/random';
import { compareArrays } from '../compare';
import { shapeEnglish } from './case-words';
import { guarded, totalMs, type CheckResult, type KernelCheck } from './types';

// Each partial sum adds ≤ 1024 non-negative f32 terms (relative error ≲ 1024·2⁻²⁴ ≈ 6e-5 worst case,
// far less in practice); the blocks are then added in float64.
const RTOL = 1e-4;

async function runCase(gpu: GpuContext, rows: number, k: number, G: number, blockRows: number): Promise<CheckResult> {
  const words = { kind: 'residual', rows, k, vectors: G, blockRows } as const;
  const shape = shapeEnglish(words);
  return guarded('residual-sumsq', words, RTOL, async () => {
    const z = makeNormal(rows * k, 31 + rows);
    const w = makeNormal(G * k, 37 + G);
    const kernel = await createResidualSumsqKernel(gpu);
    const blocks = kernel.blocks(rows, blockRows);
    const batch = new GpuBatch(gpu, `check.residualSumsq[${shape}]`, { timing: true });
    try {
      const bytes = 4 * blocks * G;
      const out = batch.scratch('check.residualSumsq.out', bytes);
      kernel.encode(batch, { z: batch.upload('check.residualSumsq.z', z), rows, k, w: batch.upload('check.residualSumsq.w', w), G, out, blockRows });
      const r = batch.read(out, bytes);
      await batch.submit();
      const c = compareArrays(sumBlocks(f32(r), blocks, G), residualSumsqRef(z, w, rows, k, G), { rtol: RTOL, atol: 0 });
      return { kernel: 'residual-sumsq', shape, ok: c.ok, maxRelError: c.maxRelError, rtol: RTOL, gpuMs: totalMs(gpu, batch.timings) };
    } finally {
      batch.dispose();
    }
  });
}

/** The Normalization lab's cost-grid kernel on awkward row counts, widths and grid sizes. */
export const residualSumsqCheck: KernelCheck = {
  kernel: 'residual-sumsq',
  // A getter, so the Kernel check shows it in the language of the moment.
  get description() {
    return msg("Σ over rows of (data row · w)² for many weight vectors at once (the Normalization lab's cost grid)");
  },
  async run(gpu: GpuContext): Promise<CheckResult[]> {
    return [await runCase(gpu, 1, 1, 1, 1024), await runCase(gpu, 257, 3, 65, 64), await runCase(gpu, 4099, 3, 1031, 1024)];
  },
};
