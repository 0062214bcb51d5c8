// autotuneMatmul on headless Chromium's WebGPU (SwiftShader): a wrong candidate is rejected before it is
// timed, the result is plain data cached per adapter, and 'auto' (createMatmulKernel, matmul) uses it.
// Tunings of the real adapter are kept in this page's memory only ('memory'), so other test files sharing
// the browser (and its localStorage) never see them; localStorage is exercised under a made-up adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, fromB64F32, openHarness, type HarnessPage } from '../helpers/browser';
import { makeNormal } from '../../src/kernels/cpu/random';
import { matmulErrorBound, matmulRef } from '../../src/kernels/cpu/matmul-ref';
import { readShaderModule } from '../helpers/shader-module';

const DIRECT_SOURCE = readShaderModule('shaders/matmul-direct.wgsl');
const VEC4_SOURCE = readShaderModule('shaders/matmul-vec4.wgsl');
// Small shapes keep these tests quick; the default TUNING_SHAPES run once, in the last test.
const SHAPES = [
  { m: 64, n: 64, k: 64 },
  { m: 32, n: 48, k: 40, transB: true },
];

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h?.page.evaluate(() => window.gp.lib.setMatmulTuning(window.gp.gpu!, null, false));
  await h?.close();
});

describe('autotuneMatmul', () => {
  it('rejects a deliberately wrong candidate before timing it, and the winner is a verified one', async () => {
    // Wrong by a sign in one block product, in the scalar and in the vec4 shader: both must be caught.
    const wrongDirect = DIRECT_SOURCE.replace('(*acc).c00 += a0 * b0;', '(*acc).c00 -= a0 * b0;');
    const wrongVec4 = VEC4_SOURCE.replace('(*acc).c00 += a0 * b0;', '(*acc).c00 += 1.0001 * (a0 * b0);');
    expect(wrongDirect).not.toBe(DIRECT_SOURCE);
    expect(wrongVec4).not.toBe(VEC4_SOURCE);
    const t = await h.page.evaluate(
      async (shapes, wrongDirect, wrongVec4) => {
        const { lib, gpu } = window.gp;
        return lib.autotuneMatmul(gpu!, {
          shapes,
          runs: 1,
          store: 'memory',
          candidates: [
            { variant: 'direct', constants: { microM: 4, microN: 4 }, code: wrongDirect },
            { variant: 'direct', constants: { microM: 8, microN: 8 } },
            { variant: 'vec4', constants: { microM: 8, microN: 8 }, code: wrongVec4 },
            { variant: 'vec4', constants: { microM: 4, microN: 8, threadsX: 8, threadsY: 2 } },
          ],
        });
      },
      SHAPES,
      wrongDirect,
      wrongVec4,
    );
    expect(t.candidates.map((c) => c.verified)).toEqual([false, true, false, true]);
    for (const i of [0, 2]) {
      expect(t.candidates[i].ms).toBeNull();
      expect(t.candidates[i].error).toMatch(/^wrong result on /);
    }
    for (const i of [1, 3]) {
      expect(t.candidates[i].ms).toBeGreaterThan(0);
      expect(t.candidates[i].error).toBeUndefined();
    }
    const won = [t.candidates[1], t.candidates[3]].find((c) => c.variant === t.variant && JSON.stringify(c.constants) === JSON.stringify(t.constants));
    expect(won, JSON.stringify(t)).toBeDefined();
    expect(t.adapterKey).toContain('swiftshader');
    expect(new Date(t.measuredAt).getTime()).toBeGreaterThan(Date.parse('2025-01-01'));
    // Plain data: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });

  it('fails loudly when no candidate is right, and caches nothing', async () => {
    const wrong = DIRECT_SOURCE.replace('if (whole < k) {', 'if (whole > k) {');
    const r = await h.page.evaluate(
      async (shapes, wrong) => {
        const { lib, gpu } = window.gp;
        lib.setMatmulTuning(gpu!, null, false);
        try {
          await lib.autotuneMatmul(gpu!, {
            shapes,
            runs: 1,
            store: 'memory',
            candidates: [{ variant: 'direct', constants: { microM: 4, microN: 4 }, code: wrong }],
          });
          return { message: 'no error', tuning: lib.getMatmulTuning(gpu!) };
        } catch (e) {
          return { message: (e as Error).message, tuning: lib.getMatmulTuning(gpu!) };
        }
      },
      SHAPES,
      wrong,
    );
    expect(r.message).toMatch(/^autotuneMatmul: no candidate passed verification \(wrong result on /);
    expect(r.tuning).toBeNull();
  });

  it('stops when its signal is aborted, caching nothing', async () => {
    const r = await h.page.evaluate(async (shapes) => {
      const { lib, gpu } = window.gp;
      lib.setMatmulTuning(gpu!, null, false);
      const ctl = new AbortController();
      const run = lib.autotuneMatmul(gpu!, {
        shapes,
        runs: 50,
        store: 'memory',
        signal: ctl.signal,
        candidates: [{ variant: 'direct', constants: { microM: 4, microN: 4 } }],
      });
      setTimeout(() => ctl.abort(), 50);
      try {
        await run;
        return { name: 'none', tuning: lib.getMatmulTuning(gpu!) };
      } catch (e) {
        return { name: (e as Error).name, tuning: lib.getMatmulTuning(gpu!) };
      }
    }, SHAPES);
    expect(r.name).toBe('AbortError');
    expect(r.tuning).toBeNull();
  });

  it("'auto' uses the tuned choice: createMatmulKernel and matmul() run it, and results stay right", async () => {
    const shape = { m: 37, n: 20, k: 44, transA: false, transB: true };
    const a = makeNormal(shape.m * shape.k, 3);
    const b = makeNormal(shape.k * shape.n, 4);
    const r = await h.page.evaluate(
      async (as, bs, shape) => {
        const { lib, gpu, f32, toB64 } = window.gp;
        const g = gpu!;
        const key = lib.matmulAdapterKey(g.summary);
        const before = await lib.createMatmulKernel(g);
        // A tuning that differs from the default on purpose: vec4 with 8×4 blocks on 2×8 workgroups.
        const tuned = {
          adapterKey: key,
          variant: 'vec4' as const,
          constants: { microM: 8, microN: 4, threadsX: 2, threadsY: 8 },
          candidates: [],
          measuredAt: new Date().toISOString(),
        };
        lib.setMatmulTuning(g, tuned, false);
        const after = await lib.createMatmulKernel(g);
        // Explicit size options still win over the tuned ones.
        const mixed = await lib.createMatmulKernel(g, { microM: 4 });
        const explicit = await lib.createMatmulKernel(g, { variant: 'direct' });
        const pipelinesBefore = new Set(g.pipelines.keys());
        const c = await lib.matmul(g, f32(as), f32(bs), shape);
        const added = [...g.pipelines.keys()].filter((k) => !pipelinesBefore.has(k));
        const vec4Key = [...g.pipelines.keys()].find(
          (k) =>
            k.startsWith('shaders/matmul-vec4.wgsl#') &&
            k.includes('COL_BLOCKS=1') &&
            k.includes('ROW_BLOCKS=2') &&
            k.includes('THREADS_X=2') &&
            k.includes('THREADS_Y=8'),
        );
        lib.setMatmulTuning(g, null, false);
        const cleared = await lib.createMatmulKernel(g);
        const pick = (k: { variant: string; source: string; microM: number; microN: number; tileM: number; tileN: number }) => ({
          variant: k.variant,
          source: k.source,
          microM: k.microM,
          microN: k.microN,
          tileM: k.tileM,
          tileN: k.tileN,
        });
        return {
          before: pick(before),
          after: pick(after),
          mixed: pick(mixed),
          explicit: pick(explicit),
          cleared: pick(cleared),
          added,
          vec4Key: vec4Key ?? null,
          c: toB64(c),
        };
      },
      b64(a),
      b64(b),
      shape,
    );
    expect(r.before.source).toBe('default');
    expect(r.after).toEqual({ variant: 'vec4', source: 'tuned', microM: 8, microN: 4, tileM: 64, tileN: 8 });
    expect(r.mixed).toEqual({ variant: 'vec4', source: 'tuned', microM: 4, microN: 4, tileM: 32, tileN: 8 });
    expect(r.explicit).toMatchObject({ variant: 'direct', source: 'explicit' });
    expect(r.cleared).toEqual(r.before);
    expect(r.added, 'matmul() reused the tuned pipelines').toEqual([]);
    expect(r.vec4Key).not.toBeNull();
    const c = fromB64F32(r.c);
    const ref = matmulRef(a, b, shape);
    const bound = matmulErrorBound(a, b, shape);
    expect(c.every((v, i) => Math.abs(v - ref[i]) <= bound[i])).toBe(true);
  });

  it('persists per adapter in localStorage: another page of the same origin reads it, another adapter does not', async () => {
    const fake = { vendor: 'acme', architecture: 'test-arch', device: 'unit', description: 'perf-kernels autotune test', isFallbackAdapter: false };
    const stored = await h.page.evaluate((fake) => {
      const { lib, gpu } = window.gp;
      const ctx = { summary: fake, tunings: gpu!.tunings } as unknown as Parameters<typeof lib.getMatmulTuning>[0]; // the app's store (localStorage)
      const t = {
        adapterKey: lib.matmulAdapterKey(fake as never),
        variant: 'tiled' as const,
        constants: { tileM: 32, tileN: 32, tileK: 8 },
        candidates: [],
        measuredAt: '2026-11-26T00:00:00.000Z',
      };
      lib.setMatmulTuning(ctx, t);
      return {
        key: lib.MATMUL_TUNING_PREFIX + t.adapterKey,
        raw: localStorage.getItem(lib.MATMUL_TUNING_PREFIX + t.adapterKey),
        real: lib.getMatmulTuning(gpu!),
      };
    }, fake);
    expect(stored.raw).not.toBeNull();
    expect(stored.real, 'the real adapter has no tuning').toBeNull();
    const other = await openHarness();
    try {
      const seen = await other.page.evaluate((fake) => {
        const { lib, gpu } = window.gp;
        const ctx = { summary: fake, tunings: gpu!.tunings } as unknown as Parameters<typeof lib.getMatmulTuning>[0]; // the app's store (localStorage)
        return { fake: lib.getMatmulTuning(ctx), real: lib.getMatmulTuning(gpu!) };
      }, fake);
      expect(seen.fake).toMatchObject({ variant: 'tiled', constants: { tileM: 32, tileN: 32, tileK: 8 } });
      expect(seen.real).toBeNull();
    } finally {
      await other.page.evaluate((key) => localStorage.removeItem(key), stored.key);
      await other.close();
    }
  });

  it('the default run (candidates for this adapter, TUNING_SHAPES) verifies and times every candidate', async () => {
    const r = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const t0 = performance.now();
      const t = await lib.autotuneMatmul(gpu!, { store: 'memory' });
      const ms = performance.now() - t0;
      const kernel = await lib.createMatmulKernel(gpu!);
      lib.setMatmulTuning(gpu!, null, false);
      return { t, ms, kernel: { variant: kernel.variant, source: kernel.source }, expected: lib.MATMUL_CANDIDATES.cpu.length };
    });
    console.log(`autotune on this adapter: ${r.ms.toFixed(0)} ms (compiles included); picked ${r.t.variant} ${JSON.stringify(r.t.constants)}`);
    console.table(r.t.candidates.map((c) => ({ variant: c.variant, constants: JSON.stringify(c.constants), ms: c.ms?.toFixed(2) })));
    expect(r.t.candidates.length).toBe(r.expected);
    expect(r.t.candidates.every((c) => c.verified && (c.ms ?? 0) > 0)).toBe(true);
    expect(r.kernel).toEqual({ variant: r.t.variant, source: 'tuned' });
  });
});
