// Verify's moments shapes (per column, and over all values) and their runners.

import { GpuBatch, f32 } from '../gpu/batch';
import { createMomentsKernel } from '../kernels/moments';
import { momentsAllRef, momentsRef } from '../kernels/cpu/moments-ref';
import { makeNormal, makeUniform } from '../kernels/cpu/random';
import { nanFilled, submitCase, type Case } from './verify-case';

/** Per-column mean and variance of a rows×cols matrix. */
export function momentsColumnsCase(rows: number, cols: number, lab = false, label = `${rows}×${cols}, per column`): Case {
  return {
    shape: label,
    rtol: 1e-4,
    work: rows * cols,
    lab,
    async run(gpu, code, watch) {
      const x = makeNormal(rows * cols, 41 + rows + cols, 3, 2);
      const kernel = await createMomentsKernel(gpu, { code });
      const batch = new GpuBatch(gpu, `verify.moments[${rows}×${cols}]`);
      const r = await submitCase(
        batch,
        () => {
          const out = batch.upload('verify.moments.out', nanFilled(2 * cols));
          kernel.encodeColumns(batch, { x: batch.upload('verify.moments.x', x), rows, cols, out });
          return batch.read(out, 8 * cols);
        },
        watch,
      );
      const ref = momentsRef(x, rows, cols);
      return {
        got: f32(r),
        ref: [...ref.mean, ...ref.variance],
        tol: { rtol: 1e-4, atol: 1e-6 },
        at: (i) => (i < cols ? `mean[${i}]` : `variance[${i - cols}]`),
      };
    },
  };
}

/** Mean and variance over all n values. */
export function momentsAllCase(n: number, x: () => Float32Array, label: string, rtol: number, lab = false): Case {
  return {
    shape: label,
    rtol,
    work: n,
    lab,
    async run(gpu, code, watch) {
      const data = x();
      const kernel = await createMomentsKernel(gpu, { code });
      const batch = new GpuBatch(gpu, `verify.moments[all ${n}]`);
      const r = await submitCase(
        batch,
        () => {
          const out = batch.upload('verify.moments.out', nanFilled(2));
          kernel.encodeAll(batch, { x: batch.upload('verify.moments.x', data), count: n, out });
          return batch.read(out, 8);
        },
        watch,
      );
      const ref = momentsAllRef(data);
      return { got: f32(r), ref: [ref.mean, ref.variance], tol: { rtol, atol: lab ? 1e-6 : 0 }, at: (i) => (i === 0 ? 'mean' : 'variance') };
    },
  };
}

/** The moments kernel's own shapes. */
export function momentsCases(): Case[] {
  const cases: Case[] = [];
  for (const [rows, cols] of [
    [1, 1],
    [257, 63],
    [4097, 7],
  ] as const)
    cases.push(momentsColumnsCase(rows, cols));
  const n = 100_003;
  cases.push(momentsAllCase(n, () => makeUniform(n, 12, 1e4, 1e4 + 1), `all ${n.toLocaleString('en-US')} values of 10⁴ + U(0,1)`, 1e-3));
  return cases;
}
