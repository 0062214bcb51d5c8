// The benchmark's measurement code on real WebGPU (SwiftShader in CI): every row of the tiny plan is
// verified against float64 and has finite rates; a deliberately wrong kernel fails its check; the roof
// kernels and the plain sum-of-squares baseline compute what their references say.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';
import { readShaderModule } from '../helpers/shader-module';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

describe('benchmark rows (tiny plan)', () => {
  it('measures every kernel and variant, with finite rates, and every row passes its float64 check', async () => {
    const result = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const plan = lib.makeBenchPlan('tiny');
      const rows = [];
      let lastProgress = null as null | { done: number; total: number };
      for await (const r of lib.runBench(gpu!, plan, { onProgress: (p) => (lastProgress = p) })) rows.push(r);
      return {
        rows: rows.map((r) => ({
          group: r.group,
          impl: r.impl,
          variant: r.variant,
          shape: r.shape,
          rate: r.rate,
          ms: r.ms,
          method: r.method,
          ok: r.verification.ok,
          how: r.verification.how,
        })),
        variants: lib.matmulVariants().map((v) => v.name),
        expected: lib.countRows(plan),
        matmulCases: plan.matmul.length,
        lastProgress,
        hasTimestamps: gpu!.hasTimestamps,
        allVerified: lib.summarize(rows).allVerified,
      };
    });
    expect(result.rows).toHaveLength(result.expected);
    expect(result.lastProgress).toMatchObject({ done: result.expected, total: result.expected });
    for (const r of result.rows) {
      expect(r.ok, `${r.impl} ${r.shape}: ${r.how}`).toBe(true);
      expect(Number.isFinite(r.rate) && r.rate > 0, `${r.impl} ${r.shape} rate ${r.rate}`).toBe(true);
      expect(r.method).toBe(result.hasTimestamps ? 'timestamps' : 'wall');
    }
    expect(result.allVerified).toBe(true);
    expect(result.variants).toEqual(expect.arrayContaining(['tiled', 'direct']));
    for (const v of result.variants) expect(result.rows.filter((r) => r.variant === v)).toHaveLength(result.matmulCases);
    expect(result.variants).toContain('auto'); // the adapter's tuned (or default) choice
    expect(result.rows.find((r) => r.variant === 'auto')!.impl).toMatch(/^ours: auto → (tiled|direct|vec4|subgroup) /);
    const impls = new Set(result.rows.map((r) => r.impl));
    for (const name of ['FMA roof', 'copy (vec4)', 'ours: moments', 'ours: norms', 'two-pass Σx² (plain)']) expect(impls).toContain(name);
  });

  it('a deliberately wrong matmul (one k step of each tile dropped) fails the float64 check, the right one passes', async () => {
    const tiled = readShaderModule('shaders/matmul.wgsl');
    const wrong = tiled.replace('acc[i] += tile_a[ra + i * THREADS_Y] * bv;', 'acc[i] += tile_a[ra + i * THREADS_Y] * bv * select(1.0, 0.0, p == 1u);');
    expect(wrong).not.toBe(tiled);
    const out = await h.page.evaluate(
      async (codes) => {
        const { lib, gpu } = window.gp;
        const shape = { m: 33, n: 40, k: 24 };
        const a = lib.makeUniform(shape.m * shape.k, 5);
        const b = lib.makeUniform(shape.k * shape.n, 6);
        const res = [];
        for (const code of codes) {
          const kernel = await lib.createMatmulKernel(gpu!, { variant: 'tiled', code });
          const batch = new lib.GpuBatch(gpu!, 'test.wrong-matmul');
          const c = batch.scratch('c', 4 * shape.m * shape.n);
          kernel.encode(batch, { ...shape, a: batch.upload('a', a), b: batch.upload('b', b), c });
          const r = batch.read(c, 4 * shape.m * shape.n);
          await batch.submit();
          res.push(lib.verifyMatmul(a, b, lib.f32(r), shape).ok);
        }
        return res;
      },
      [tiled, wrong],
    );
    expect(out).toEqual([true, false]);
  });

  it('a deliberately wrong copy fails its exact check', async () => {
    const copy = readFileSync('shaders/copy.wgsl', 'utf8');
    const wrong = copy.replace('dst[j] = src[j];', 'dst[j] = src[j] * 1.0001;');
    expect(wrong).not.toBe(copy);
    const out = await h.page.evaluate(
      async (codes) => {
        const { lib, gpu } = window.gp;
        const x = lib.makeUniform(4 * 1000 + 8, 9);
        const res = [];
        for (const code of codes) {
          const k = await lib.createCopyKernel(gpu!, { code, workgroup: 32, items: 3 });
          const batch = new lib.GpuBatch(gpu!, 'test.copy');
          const dst = batch.scratch('dst', x.byteLength);
          k.encode(batch, { src: batch.upload('src', x), dst, count: x.length });
          const r = batch.read(dst, x.byteLength);
          await batch.submit();
          res.push(lib.verifyExact(lib.f32(r), x, 'copy').ok);
        }
        return res;
      },
      [copy, wrong],
    );
    expect(out).toEqual([true, false]);
  });

  it('the FMA roof gives exactly seed + iterations/1024 per lane, and the plain Σx² matches l2NormsRef', async () => {
    const out = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const fma = await lib.fmaRoof(gpu!, 1000, 300);
      const fmaOk = lib.compareArrays(fma, lib.fmaRoofRef(1000, 300), { rtol: 0, atol: 0 }).ok;
      const fmaWrongIters = lib.compareArrays(fma, lib.fmaRoofRef(1000, 299), { rtol: 1e-6, atol: 0 }).ok;
      const fma2 = await lib.fmaRoof(gpu!, 1000, 300, 2);
      const fma2Ok = lib.compareArrays(fma2, lib.fmaRoofRef(1000, 300, 2), { rtol: 0, atol: 0 }).ok;
      const fma2AsEight = lib.compareArrays(fma2, lib.fmaRoofRef(1000, 300, 8), { rtol: 1e-6, atol: 0 }).ok;
      // 3 segments of 700 (not a multiple of the workgroup).
      const segLen = 700;
      const segments = 3;
      const x = lib.makeUniform(segLen * segments, 11);
      const k = await lib.createSumsqNaiveKernel(gpu!);
      const batch = new lib.GpuBatch(gpu!, 'test.sumsq');
      const partial = batch.scratch('partial', 4 * k.partialFloats(segLen, segments));
      const out = batch.scratch('out', 4 * segments);
      k.encode(batch, { x: batch.upload('x', x), partial, out, segLen, segments });
      const r = batch.read(out, 4 * segments);
      await batch.submit();
      const ref = lib.l2NormsRef(x, [0, 700, 1400, 2100]);
      return { fmaOk, fmaWrongIters, fma2Ok, fma2AsEight, sumsq: lib.compareArrays(lib.f32(r), ref, { rtol: 1e-5, atol: 0 }).ok };
    });
    expect(out).toEqual({ fmaOk: true, fmaWrongIters: false, fma2Ok: true, fma2AsEight: false, sumsq: true });
  });

  it('timeGpu: warm-up then a median of the timed runs, by timestamps when offered and by wall time on request', async () => {
    const out = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const k = await lib.createCopyKernel(gpu!);
      const src = gpu!.device.createBuffer({ label: 'test.time.src', size: 4 << 16, usage: GPUBufferUsage.STORAGE });
      const dst = gpu!.device.createBuffer({ label: 'test.time.dst', size: 4 << 16, usage: GPUBufferUsage.STORAGE });
      let encodes = 0;
      const enc = (b: InstanceType<typeof lib.GpuBatch>) => {
        encodes++;
        k.encode(b, { src, dst, count: 1 << 16 });
      };
      const stamped = await lib.timeGpu(gpu!, 'copy test', enc, { warmup: 2, reps: 3, inner: 2 });
      const encodesStamped = encodes;
      const wall = await lib.timeGpu(gpu!, 'copy test', enc, { warmup: 0, reps: 2, wallOnly: true });
      // minMs: executions per submission from the last warm-up (a day of work: the cap of 16), or 1 if short enough.
      encodes = 0;
      const long = await lib.timeGpu(gpu!, 'copy test', enc, { warmup: 1, reps: 2, minMs: 86_400_000 });
      const encodesLong = encodes;
      encodes = 0;
      const short = await lib.timeGpu(gpu!, 'copy test', enc, { warmup: 1, reps: 2, minMs: 0, inner: 3 });
      const encodesShort = encodes;
      src.destroy();
      dst.destroy();
      return { stamped, wall, encodesStamped, long, encodesLong, short, encodesShort, hasTimestamps: gpu!.hasTimestamps };
    });
    expect(out.encodesStamped).toBe((2 + 3) * 2);
    expect(out.stamped.samples).toBe(3);
    expect(out.stamped.method).toBe(out.hasTimestamps ? 'timestamps' : 'wall');
    expect(out.stamped.ms).toBeGreaterThan(0);
    expect(out.wall).toMatchObject({ method: 'wall', gpuMs: null, samples: 2 });
    expect(out.wall.ms).toBe(out.wall.wallMs);
    expect(out.stamped.inner).toBe(2);
    expect([out.long.inner, out.encodesLong]).toEqual([16, 1 + 2 * 16]);
    expect([out.short.inner, out.encodesShort]).toEqual([1, 3 + 2]);
  });

  it('the depth-sweep benchmark runs every row and checks the shallow ones against float64', async () => {
    const out = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      return lib.benchSweep(gpu!, { maxDepth: 9, width: 16, batch: 8 });
    });
    expect(out).toMatchObject({ rows: 9, ok: true, checkedDepths: [1, 2, 8] });
    expect(out.flop).toBeGreaterThan(0);
    expect(Number.isFinite(out.gflops)).toBe(true);
  });
});
