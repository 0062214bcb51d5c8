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

// Multiples of 4 run the vec4 entry points (forward4 / backward4), the others the scalar ones.
const SIZES = [1, 4, 7, 63, 64, 65, 257, 4_100, 70_001, 70_004];

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

  it('vec4 and scalar paths at offsets and with a shared z (x_period), chosen by alignment', async () => {
    // One buffer of z, one of g, one out; counts, offsets and periods whole vec4s or not.
    const cases = [
      { count: 4_096, offsetX: 8, offsetG: 4, offsetOut: 12, xPeriod: 0, vec4: true },
      { count: 4_096, offsetX: 0, offsetG: 0, offsetOut: 0, xPeriod: 1_024, vec4: true },
      { count: 4_096, offsetX: 3, offsetG: 4, offsetOut: 12, xPeriod: 0, vec4: false },
      { count: 4_096, offsetX: 0, offsetG: 0, offsetOut: 0, xPeriod: 1_026, vec4: false },
      { count: 4_094, offsetX: 8, offsetG: 4, offsetOut: 12, xPeriod: 0, vec4: false },
    ];
    const z = makeNormal(5_000, 3, 0, 8);
    const g = makeUniform(5_000, 4, -2, 2);
    for (const activation of ['relu', 'tanh'] as const) {
      for (const c of cases) {
        const got = await h.page.evaluate(
          async (zs, gs, act, c) => {
            const { lib, gpu, f32, toB64 } = window.gp;
            const kernel = await lib.createElementwiseKernel(gpu!, { activation: act });
            const batch = new lib.GpuBatch(gpu!, 'test.vec4', { timing: true });
            const zb = batch.upload('test.z', f32(zs));
            const gb = batch.upload('test.g', f32(gs));
            const fo = batch.upload('test.fwd', new Float32Array(5_000).fill(-9));
            const bo = batch.upload('test.bwd', new Float32Array(5_000).fill(-9));
            kernel.encodeForward(batch, { x: zb, offsetX: c.offsetX, out: fo, offsetOut: c.offsetOut, count: c.count });
            kernel.encodeBackward(batch, {
              x: zb,
              offsetX: c.offsetX,
              g: gb,
              offsetG: c.offsetG,
              out: bo,
              offsetOut: c.offsetOut,
              count: c.count,
              xPeriod: c.xPeriod,
            });
            const [rf, rb] = batch.readAll([
              { src: fo, bytes: 5_000 * 4 },
              { src: bo, bytes: 5_000 * 4 },
            ]);
            await batch.submit();
            return { fwd: toB64(lib.f32(rf)), bwd: toB64(lib.f32(rb)), labels: batch.timings.map((t) => t.label) };
          },
          b64(z),
          b64(g),
          activation,
          c,
        );
        const what = `${activation} ${JSON.stringify(c)}`;
        // Forward has no period: it takes the vec4 path whenever its own count and offsets are whole vec4s.
        const fwd4 = [c.count, c.offsetX, c.offsetOut].every((v) => v % 4 === 0);
        expect(
          got.labels.map((l) => l.endsWith('.vec4')),
          `${what}: ${got.labels.join(', ')}`,
        ).toEqual([fwd4, c.vec4]);
        const zs = Float32Array.from({ length: c.count }, (_, i) => z[c.offsetX + (c.xPeriod ? i % c.xPeriod : i)]);
        const gs = g.subarray(c.offsetG, c.offsetG + c.count);
        const fwd = fromB64F32(got.fwd);
        const bwd = fromB64F32(got.bwd);
        // Untouched around the range: nothing written before or after it.
        for (const out of [fwd, bwd]) {
          expect(
            out.subarray(0, c.offsetOut).every((v) => v === -9),
            `${what}: before`,
          ).toBe(true);
          expect(
            out.subarray(c.offsetOut + c.count).every((v) => v === -9),
            `${what}: after`,
          ).toBe(true);
        }
        const fwdRef = activationForwardRef(z.subarray(c.offsetX, c.offsetX + c.count), activation);
        expect(compareArrays(fwd.subarray(c.offsetOut, c.offsetOut + c.count), fwdRef, { rtol: 2e-6, atol: 1e-6 }), `${what}: forward`).toMatchObject({
          ok: true,
        });
        const bwdRef = activationBackwardRef(zs, gs, activation);
        expect(compareArrays(bwd.subarray(c.offsetOut, c.offsetOut + c.count), bwdRef, { rtol: 2e-5, atol: 1e-6 }), `${what}: backward`).toMatchObject({
          ok: true,
        });
      }
    }
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
