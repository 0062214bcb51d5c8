import { msg } from '@lit/localize';
import type { GpuContext } from '../../gpu/context';
import { GpuBatch, f32 } from '../../gpu/batch';
import { createElementwiseKernel } from '../elementwise';
import { ACTIVATIONS } from '../activations';
import { activationBackwardRef, activationForwardRef, normalizeColumnsRef } from '../cpu/elementwise-ref';
import { makeNormal, makeUniform } from '../cpu/random';
import { compareArrays } from '../compare';
import { shapeEnglish } from './case-words';
import { guarded, totalMs, type CheckResult, type KernelCheck } from './types';

const RTOL = 2e-5;

/** Activation forward/backward for every activation, and (x−μ)/σ, on awkward sizes. */
export const elementwiseCheck: KernelCheck = {
  kernel: 'elementwise',
  // A getter, so the Kernel check shows it in the language of the moment.
  get description() {
    return msg('activation f(z) and its backward g·f′(z) for linear, ReLU, tanh, sigmoid; (x − μ)/σ per column');
  },
  async run(gpu: GpuContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const n = 4097;
    for (const activation of ACTIVATIONS) {
      const words = { kind: 'activation', n, activation } as const;
      results.push(
        await guarded('elementwise', words, RTOL, async () => {
          const z = makeNormal(n, 7, 0, 6);
          const g = makeUniform(n, 8, -2, 2);
          const kernel = await createElementwiseKernel(gpu, { activation });
          const batch = new GpuBatch(gpu, `check.elementwise[${activation}]`, { timing: true });
          try {
            const zb = batch.upload('check.z', z);
            const fwd = batch.scratch('check.fwd', z.byteLength);
            const bwd = batch.scratch('check.bwd', z.byteLength);
            kernel.encodeForward(batch, { x: zb, out: fwd, count: n });
            kernel.encodeBackward(batch, { x: zb, g: batch.upload('check.g', g), out: bwd, count: n });
            const [rf, rb] = [batch.read(fwd, z.byteLength), batch.read(bwd, z.byteLength)];
            await batch.submit();
            const cf = compareArrays(f32(rf), activationForwardRef(z, activation), { rtol: RTOL, atol: 1e-6 });
            const cb = compareArrays(f32(rb), activationBackwardRef(z, g, activation), { rtol: RTOL, atol: 1e-6 });
            return {
              kernel: 'elementwise',
              shape: shapeEnglish(words),
              ok: cf.ok && cb.ok,
              maxRelError: Math.max(cf.maxRelError, cb.maxRelError),
              rtol: RTOL,
              gpuMs: totalMs(gpu, batch.timings),
            };
          } finally {
            batch.dispose();
          }
        }),
      );
    }
    const [rows, cols] = [257, 63];
    const words = { kind: 'normalize', rows, cols } as const;
    results.push(
      await guarded('elementwise', words, RTOL, async () => {
        const x = makeUniform(rows * cols, 3, 1, 1000);
        const mean = Float32Array.from({ length: cols }, (_, c) => 500 + c);
        const std = Float32Array.from({ length: cols }, (_, c) => 288 + c);
        const kernel = await createElementwiseKernel(gpu);
        const batch = new GpuBatch(gpu, 'check.normalize', { timing: true });
        try {
          const out = batch.scratch('check.out', x.byteLength);
          kernel.encodeNormalize(batch, {
            x: batch.upload('check.x', x),
            mean: batch.upload('check.mean', mean),
            std: batch.upload('check.std', std),
            out,
            rows,
            cols,
          });
          const r = batch.read(out, x.byteLength);
          await batch.submit();
          const c = compareArrays(f32(r), normalizeColumnsRef(x, rows, cols, mean, std), { rtol: RTOL, atol: 1e-6 });
          return {
            kernel: 'elementwise',
            shape: shapeEnglish(words),
            ok: c.ok,
            maxRelError: c.maxRelError,
            rtol: RTOL,
            gpuMs: totalMs(gpu, batch.timings),
          };
        } finally {
          batch.dispose();
        }
      }),
    );
    return results;
  },
};
