// Verify's element-wise shapes (activations forward and backward, column normalize) and their runners.

import { GpuBatch, f32 } from '../gpu/batch';
import { createElementwiseKernel, type Activation } from '../kernels/elementwise';
import { activationBackwardRef, activationForwardRef, normalizeColumnsRef } from '../kernels/cpu/elementwise-ref';
import { makeNormal, makeUniform } from '../kernels/cpu/random';
import { nanFilled, submitCase, type Case } from './verify-case';

/** An activation's forward or backward pass on n values of N(0, 6²) (and upstream gradients in U(−2, 2)). */
export function activationCase(
  pass: 'forward' | 'backward',
  activation: Activation,
  n: number,
  lab = false,
  label = `${pass}, ${activation}, ${n} values`,
): Case {
  return {
    shape: label,
    rtol: 2e-5,
    work: n,
    lab,
    async run(gpu, code, watch) {
      const z = makeNormal(n, 7, 0, 6);
      const g = makeUniform(n, 8, -2, 2);
      const kernel = await createElementwiseKernel(gpu, { activation, code });
      const batch = new GpuBatch(gpu, `verify.elementwise[${pass},${activation}]`);
      const r = await submitCase(
        batch,
        () => {
          const zb = batch.upload('verify.z', z);
          const out = batch.upload('verify.out', nanFilled(n));
          if (pass === 'forward') kernel.encodeForward(batch, { x: zb, out, count: n });
          else kernel.encodeBackward(batch, { x: zb, g: batch.upload('verify.g', g), out, count: n });
          return batch.read(out, 4 * n);
        },
        watch,
      );
      const ref = pass === 'forward' ? activationForwardRef(z, activation) : activationBackwardRef(z, g, activation);
      return { got: f32(r), ref, tol: { rtol: 2e-5, atol: 1e-6 }, at: (i) => `out[${i}] (z = ${z[i].toPrecision(4)})` };
    },
  };
}

/** The column normalize (x − mean)/std on a rows×cols matrix of U(1, 1000). */
export function normalizeCase(rows: number, cols: number, lab = false, label = `normalize ${rows}×${cols}`): Case {
  return {
    shape: label,
    rtol: 2e-5,
    work: rows * cols,
    lab,
    async run(gpu, code, watch) {
      const x = makeUniform(rows * cols, 3, 1, 1000);
      const mean = Float32Array.from({ length: cols }, (_, c) => 500 + c);
      const std = Float32Array.from({ length: cols }, (_, c) => 288 + c);
      const kernel = await createElementwiseKernel(gpu, { code });
      const batch = new GpuBatch(gpu, 'verify.normalize');
      const r = await submitCase(
        batch,
        () => {
          const out = batch.upload('verify.out', nanFilled(rows * cols));
          kernel.encodeNormalize(batch, {
            x: batch.upload('verify.x', x),
            mean: batch.upload('verify.mean', mean),
            std: batch.upload('verify.std', std),
            out,
            rows,
            cols,
          });
          return batch.read(out, 4 * rows * cols);
        },
        watch,
      );
      return {
        got: f32(r),
        ref: normalizeColumnsRef(x, rows, cols, mean, std),
        tol: { rtol: 2e-5, atol: 1e-6 },
        at: (i) => `out[${Math.floor(i / cols)}, ${i % cols}]`,
      };
    },
  };
}

/** The element-wise kernel's own shapes: every activation both ways, and one normalize. */
export function elementwiseCases(): Case[] {
  const cases: Case[] = [];
  for (const activation of ['linear', 'relu', 'tanh', 'sigmoid'] as const) {
    for (const pass of ['forward', 'backward'] as const) cases.push(activationCase(pass, activation, 4097));
  }
  cases.push(normalizeCase(257, 63));
  return cases;
}
