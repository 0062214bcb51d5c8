// Verify's matmul shapes and their runner.

import { GpuBatch, f32 } from '../gpu/batch';
import { createMatmulKernel } from '../kernels/matmul';
import { matmulGamma, matmulRef, matmulTolerance, type MatmulRefOptions } from '../kernels/cpu/matmul-ref';
import { makeNormal } from '../kernels/cpu/random';
import { type CatalogKernel, matmulOptionsFor } from './catalog';
import { nanFilled, submitCase, type Case } from './verify-case';

/** A matmul shape with its name. */
export interface MatmulCase extends MatmulRefOptions {
  shape: string;
}

/**
 * The Kernel check's four matmul shapes (1×1×1; tile edges with Bᵀ; a long k with Aᵀ; a batch), plus both
 * transposes at once, α ≠ 1, a broadcast operand (stride 0, as the Depth lab's backward pass uses) and a
 * Depth-lab layer (Z = A·Wᵀ, 64 wide).
 */
export const MATMUL_VERIFY_CASES: readonly MatmulCase[] = [
  { shape: '1×1 · 1×1', m: 1, n: 1, k: 1 },
  { shape: '65×63 · 63×257, Bᵀ', m: 65, n: 257, k: 63, transB: true },
  { shape: '7×300 · 300×5, Aᵀ', m: 7, n: 5, k: 300, transA: true },
  { shape: '3 × (33×17 · 17×9)', m: 33, n: 9, k: 17, batch: 3 },
  { shape: '17×5 · 5×3, Aᵀ and Bᵀ, α = 0.5', m: 17, n: 3, k: 5, transA: true, transB: true, alpha: 0.5 },
  { shape: '2 × (8×12 · 12×6), B shared (stride 0)', m: 8, n: 6, k: 12, batch: 2, strideB: 0 },
  { shape: '32×64 · 64×64, Bᵀ (a Depth-lab layer)', m: 32, n: 64, k: 64, transB: true },
  // Shapes the vec4 paths take (vec4Aligned, subgroupVec4Aligned), so an edit of those files really runs:
  // rows not a multiple of 4, a partial last step of k, batched.
  { shape: '2 × (9×13 · 13×20), Aᵀ, α = −1', m: 9, n: 20, k: 13, batch: 2, transA: true, alpha: -1 },
  { shape: '13×36 · 36×8', m: 13, n: 8, k: 36 },
];

/** The inputs Verify feeds matmul case `index` of MATMUL_VERIFY_CASES (seeded, so tests can rebuild them). */
export function matmulCaseInputs(index: number): { c: MatmulCase; a: Float32Array; b: Float32Array } {
  const c = MATMUL_VERIFY_CASES[index];
  return { c, ...matmulInputs(c, 100 + 2 * index) };
}

function matmulInputs(c: MatmulCase, seed: number): { a: Float32Array; b: Float32Array } {
  const batchCount = c.batch ?? 1;
  const strideA = c.strideA ?? c.m * c.k;
  const strideB = c.strideB ?? c.k * c.n;
  return { a: makeNormal((batchCount - 1) * strideA + c.m * c.k, seed), b: makeNormal((batchCount - 1) * strideB + c.k * c.n, seed + 1) };
}

/** Multiply-adds of a matmul. */
export const matmulWork = (c: MatmulRefOptions) => (c.batch ?? 1) * c.m * c.n * c.k;

/** A matmul shape run with the kernel's host code (its variant), against matmulRef. */
export function matmulCase(file: Pick<CatalogKernel, 'file' | 'variant'>, c: MatmulCase, seed: number, lab = false): Case {
  const rtol = matmulGamma(c.k);
  return {
    shape: c.shape,
    rtol,
    work: matmulWork(c),
    lab,
    async run(gpu, code, watch) {
      const batchCount = c.batch ?? 1;
      const { a, b } = matmulInputs(c, seed);
      const kernel = await createMatmulKernel(gpu, matmulOptionsFor(file, code));
      const batch = new GpuBatch(gpu, `verify.matmul[${c.shape}]`);
      const r = await submitCase(
        batch,
        () => {
          const count = batchCount * c.m * c.n;
          const out = batch.upload('verify.matmul.c', nanFilled(count));
          kernel.encode(batch, { ...c, a: batch.upload('verify.matmul.a', a), b: batch.upload('verify.matmul.b', b), c: out });
          return batch.read(out, 4 * count);
        },
        watch,
      );
      return {
        got: f32(r),
        ref: matmulRef(a, b, c),
        tol: matmulTolerance(a, b, c),
        at(i) {
          const item = Math.floor(i / (c.m * c.n));
          const rest = i % (c.m * c.n);
          return `C[${Math.floor(rest / c.n)}, ${rest % c.n}]${batchCount > 1 ? ` of batch item ${item}` : ''}`;
        },
      };
    },
  };
}
