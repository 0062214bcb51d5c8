import { msg } from '@lit/localize';
import type { GpuContext } from '../../gpu/context';
import { GpuBatch, f32 } from '../../gpu/batch';
import { createMatmulKernel } from '../matmul';
import { matmulGamma, matmulRef, matmulTolerance, type MatmulRefOptions } from '../cpu/matmul-ref';
import { makeNormal } from '../cpu/random';
import { compareArrays } from '../compare';
import { guarded, totalMs, type CheckResult, type KernelCheck } from './types';

interface Case extends MatmulRefOptions {
  shape: string;
}

// 1×1×1, tile edges on every axis with Bᵀ, a long k with Aᵀ, and a batch: m × k · k × n.
const CASES: Case[] = [
  { shape: '1×1 · 1×1', m: 1, n: 1, k: 1 },
  { shape: '65×63 · 63×257, Bᵀ', m: 65, n: 257, k: 63, transB: true },
  { shape: '7×300 · 300×5, Aᵀ', m: 7, n: 5, k: 300, transA: true },
  { shape: '3 × (33×17 · 17×9)', m: 33, n: 9, k: 17, batch: 3 },
];

/**
 * C = op(A)·op(B) on four shapes. Each case is judged by compareArrays with rtol = γ_{k+2} ≈ (k + 2)·2⁻²⁴ and
 * atol = γ_{k+2}·max(|op(A)|·|op(B)|): the worst-case f32 rounding error of a length-k dot product, so the
 * bound grows with k as the error can.
 */
export const matmulCheck: KernelCheck = {
  kernel: 'matmul',
  // A getter, so the Kernel check shows it in the language of the moment.
  get description() {
    return msg("C = op(A)·op(B) with 'auto' (the adapter's tuned or default variant; transposes, batches) vs float64");
  },
  async run(gpu: GpuContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    for (const [i, c] of CASES.entries()) {
      const batchCount = c.batch ?? 1;
      const rtol = matmulGamma(c.k);
      results.push(
        await guarded('matmul', c.shape, rtol, async () => {
          const a = makeNormal(batchCount * c.m * c.k, 100 + 2 * i);
          const b = makeNormal(batchCount * c.k * c.n, 101 + 2 * i);
          const kernel = await createMatmulKernel(gpu);
          const batch = new GpuBatch(gpu, `check.matmul[${c.shape}]`, { timing: true });
          try {
            const bytes = 4 * batchCount * c.m * c.n;
            const out = batch.scratch('check.matmul.c', bytes);
            kernel.encode(batch, { ...c, a: batch.upload('check.matmul.a', a), b: batch.upload('check.matmul.b', b), c: out });
            const r = batch.read(out, bytes);
            await batch.submit();
            const cmp = compareArrays(f32(r), matmulRef(a, b, c), matmulTolerance(a, b, c));
            return { kernel: 'matmul', shape: c.shape, ok: cmp.ok, maxRelError: cmp.maxRelError, rtol, gpuMs: totalMs(gpu, batch.timings) };
          } finally {
            batch.dispose();
          }
        }),
      );
    }
    return results;
  },
};
