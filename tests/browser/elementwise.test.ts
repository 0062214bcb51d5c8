import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, fromB64F32, openHarness, type HarnessPage } from '../helpers/browser';
import { makeNormal, makeUniform } from '../../src/kernels/cpu/random';
import { activationBackwardRef, activationForwardRef, normalizeColumnsRef } from '../../src/kernels/cpu/elementwise-ref';
import { compareArrays } from '../../src/kernels/compare';
import { ACTIVATIONS } from '../../src/kernels/activations';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

const SIZES = [1, 7, 63, 65, 257, 70_001];

describe('elementwise kernel vs float64 reference', () => {
  for (const activation of ACTIVATIONS) {
    it(`forward and backward, ${activation}, sizes ${SIZES.join(', ')}`, async () => {
      for (const n of SIZES) {
        // Wide range so tanh/sigmoid saturate and ReLU sees both signs; plus exact zeros.
        const z = makeNormal(n, 11 + n, 0, 8);
        if (n > 3) z[3] = 0;
        const g = makeUniform(n, 29 + n, -2, 2);
        const [fwd, bwd] = await h.page.evaluate(
          async (zs, gs, act) => {
            const { lib, gpu, f32, toB64 } = window.gp;
            const f = await lib.activationForward(gpu!, f32(zs), act);
            const b = await lib.activationBackward(gpu!, f32(zs), f32(gs), act);
            return [toB64(f), toB64(b)];
          },
          b64(z),
          b64(g),
          activation,
        );
        const fwdCmp = compareArrays(fromB64F32(fwd), activationForwardRef(z, activation), { rtol: 2e-6, atol: 1e-6 });
        const bwdCmp = compareArrays(fromB64F32(bwd), activationBackwardRef(z, g, activation), { rtol: 2e-5, atol: 1e-6 });
        expect(fwdCmp, `forward ${activation} n=${n}`).toMatchObject({ ok: true });
        expect(bwdCmp, `backward ${activation} n=${n}`).toMatchObject({ ok: true });
      }
    });
  }

  it('normalizes columns with given μ and σ on awkward shapes', async () => {
    for (const [rows, cols] of [
      [1, 1],
      [7, 3],
      [65, 63],
      [257, 2],
      [3, 257],
    ]) {
      const x = makeUniform(rows * cols, rows * 1000 + cols, 1, 1000);
      const mean = Array.from({ length: cols }, (_, c) => 500 + c);
      const std = Array.from({ length: cols }, (_, c) => 250 + 3 * c);
      const out = await h.page.evaluate(
        async (xs, o) => {
          const { lib, gpu, f32, toB64 } = window.gp;
          return toB64(await lib.normalizeColumns(gpu!, f32(xs), o));
        },
        b64(x),
        { rows, cols, mean, std },
      );
      const cmp = compareArrays(fromB64F32(out), normalizeColumnsRef(x, rows, cols, mean, std), { rtol: 1e-5, atol: 1e-6 });
      expect(cmp, `${rows}×${cols}`).toMatchObject({ ok: true });
    }
  });

  it('scales by alpha at offsets (the backward seed a[L]/m)', async () => {
    const x = makeNormal(300, 5, 0, 3);
    const out = await h.page.evaluate(async (xs) => {
      const { lib, gpu, f32, toB64 } = window.gp;
      const kernel = await lib.createElementwiseKernel(gpu!);
      const batch = new lib.GpuBatch(gpu!, 'test.scale');
      const xb = batch.upload('test.x', f32(xs));
      const ob = batch.scratch('test.out', 300 * 4);
      kernel.encodeScale(batch, { x: xb, out: ob, count: 200, offsetX: 100, offsetOut: 0, alpha: 1 / 7 });
      const r = batch.read(ob, 200 * 4);
      await batch.submit();
      return toB64(lib.f32(r));
    }, b64(x));
    const ref = Float64Array.from(x.subarray(100), (v) => v / 7);
    expect(compareArrays(fromB64F32(out), ref, { rtol: 2e-7, atol: 1e-7 })).toMatchObject({ ok: true });
  });

  it('rejects σ ≤ 0 with a message naming the column', async () => {
    const msg = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      try {
        await lib.normalizeColumns(gpu!, new Float32Array(4), { rows: 2, cols: 2, mean: [0, 0], std: [1, 0] });
        return 'no error';
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(msg).toMatch(/std: column 1 has σ = 0/);
  });
});
