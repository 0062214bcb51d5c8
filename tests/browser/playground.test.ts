// The WGSL playground's engine in real WebGPU (Chromium, SwiftShader here), through window.gp.lib:
// compile errors at their line and column, the parsed interface against the real pipeline validator,
// Verify failing a K-loop off-by-one at the first wrong index and passing the naive matmul, and the
// naive matmul, switched on as an override, driving the Depth lab's nets to the built-in's results.
// Runs in its own browser context, so its overrides (localStorage) never reach other tests' pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import { openOwnContext, type OwnContextPage } from '../helpers/browser';
import { readFileSync } from 'node:fs';
import { compareArrays } from '../../src/kernels/compare';
import { matmulRef, matmulTolerance } from '../../src/kernels/cpu/matmul-ref';
import { MATMUL_VERIFY_CASES, matmulCaseInputs } from '../../src/playground/verify-matmul';
import { subgroupVec4Aligned } from '../../src/kernels/matmul';
import { readShaderModule } from '../helpers/shader-module';

let own: OwnContextPage;
let page: Page;

beforeAll(async () => {
  own = await openOwnContext({ harness: true });
  page = own.page;
});

afterAll(() => own?.close());

const DIRECT = readShaderModule('shaders/matmul-direct.wgsl');
// Off-by-one (well, by one step of 4) in the K loop: the first four depths are skipped when k ≥ 4.
const K_LOOP = 'for (var p = 0u; p < whole; p += 4u)';
const OFF_BY_ONE = DIRECT.replace(K_LOOP, 'for (var p = 4u; p < whole; p += 4u)');

describe('compile diagnostics', () => {
  it('reports a syntax error at its line and column, with the offset of that place', async () => {
    const broken = DIRECT.replace('  let k = params.k;\n  let row0', '  let k = params.k +;\n  let row0');
    const lines = broken.split('\n');
    const line = lines.findIndex((l) => l.includes('params.k +;')) + 1;
    const column = lines[line - 1].indexOf(';') + 1;
    const out = await page.evaluate(async (code) => {
      const { lib, gpu } = window.gp;
      return lib.compileKernel(gpu!, lib.findKernel('matmul-direct')!, code);
    }, broken);
    expect(out.ok).toBe(false);
    const errors = out.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ line, column });
    expect(errors[0].message).toMatch(/\+|expression/);
    // The offset CodeMirror underlines is the same place.
    const offset = lines.slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0) + column - 1;
    expect(errors[0].offset).toBe(offset);
  });

  it('a module that compiles but breaks the host contract (a missing override) fails with the pipeline error', async () => {
    const noOverride = DIRECT.replace('override THREADS_Y: u32 = 4u;', 'const THREADS_Y: u32 = 4u;');
    const out = await page.evaluate(async (code) => {
      const { lib, gpu } = window.gp;
      return lib.compileKernel(gpu!, lib.findKernel('matmul-direct')!, code);
    }, noOverride);
    expect(out.ok).toBe(false);
    expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(out.pipelineError).toMatch(/THREADS_Y/);
  });

  it('the built-in kernels compile clean and build', async () => {
    const out = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const res: Record<string, boolean> = {};
      for (const k of lib.KERNEL_CATALOG.filter((k) => k.family !== 'other')) res[k.id] = (await lib.compileKernel(gpu!, k, k.code)).ok;
      return res;
    });
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['matmul', 'matmul-direct', 'moments', 'norms', 'elementwise']));
    expect(Object.values(out).every(Boolean)).toBe(true);
  });
});

describe('the parsed interface agrees with WebGPU', () => {
  it('every library kernel builds with a layout made from its parsed bindings and its parsed overrides set; a wrong access mode does not', async () => {
    const out = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const device = gpu!.device;
      const build = async (
        code: string,
        bindings: { binding: number; addressSpace: string; access: string }[],
        entry: string,
        constants: Record<string, number>,
      ) => {
        device.pushErrorScope('validation');
        const bgl = device.createBindGroupLayout({
          // One layout entry per binding number: a shader may declare two views of one buffer.
          entries: bindings
            .filter((b, i) => bindings.findIndex((c) => c.binding === b.binding) === i)
            .map((b) => ({
              binding: b.binding,
              visibility: GPUShaderStage.COMPUTE,
              buffer: { type: (b.addressSpace === 'uniform' ? 'uniform' : b.access === 'read' ? 'read-only-storage' : 'storage') as GPUBufferBindingType },
            })),
        });
        const layout = device.createPipelineLayout({ bindGroupLayouts: [bgl] });
        const module = device.createShaderModule({ code });
        const err = await device.popErrorScope();
        if (err) return err.message;
        try {
          await device.createComputePipelineAsync({ layout, compute: { module, entryPoint: entry, constants } });
          return null;
        } catch (e) {
          return (e as Error).message;
        }
      };
      const results: Record<string, string | null> = {};
      for (const k of lib.KERNEL_CATALOG.filter((k) => k.family !== 'other')) {
        const constants: Record<string, number> = {};
        for (const o of k.iface.overrides) if (o.defaultValue && /^\d+u?$/.test(o.defaultValue)) constants[o.name] = parseInt(o.defaultValue, 10);
        for (const e of k.iface.entryPoints) results[`${k.id}:${e.name}`] = await build(k.code, k.iface.bindings, e.name, constants);
      }
      const mm = lib.findKernel('matmul')!;
      const wrongAccess = await build(
        mm.code,
        mm.iface.bindings.map((b) => (b.binding === 3 ? { ...b, access: 'read' } : b)),
        'main',
        {},
      );
      const madeUp = await build(mm.code, mm.iface.bindings, 'main', { NOT_AN_OVERRIDE: 1 });
      return { results, wrongAccess, madeUp };
    });
    expect(Object.keys(out.results).length).toBeGreaterThanOrEqual(8);
    for (const [entry, err] of Object.entries(out.results)) expect([entry, err]).toEqual([entry, null]);
    expect(out.wrongAccess).not.toBeNull();
    expect(out.madeUp).not.toBeNull();
  });
});

/** op(A) with its first four depths zeroed (what the off-by-one kernel effectively multiplies). */
function withoutFirstDepths(a: Float32Array, c: (typeof MATMUL_VERIFY_CASES)[number]): Float32Array {
  const out = a.slice();
  if (c.k < 4) return out;
  const batch = c.batch ?? 1;
  const stride = c.strideA ?? c.m * c.k;
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < c.m; i++) {
      for (let p = 0; p < 4; p++) out[t * stride + (c.transA ? p * c.m + i : i * c.k + p)] = 0;
    }
  }
  return out;
}

describe('Verify', () => {
  it('fails a matmul with an off-by-one in the K loop, at the first wrong index of each failing shape', async () => {
    expect(OFF_BY_ONE).not.toBe(DIRECT);
    const report = await page.evaluate(async (code) => {
      const { lib, gpu } = window.gp;
      return lib.verifyKernel(gpu!, lib.findKernel('matmul-direct')!, code);
    }, OFF_BY_ONE);
    expect(report.ok).toBe(false);
    expect(report.cases.length).toBe(MATMUL_VERIFY_CASES.length);
    // The expected first bad index of every shape, from a float64 model of the bug.
    for (const [i, got] of report.cases.entries()) {
      const { c, a, b } = matmulCaseInputs(i);
      const ref = matmulRef(a, b, c);
      const model = matmulRef(withoutFirstDepths(a, c), b, c);
      const expected = compareArrays(model, ref, matmulTolerance(a, b, c));
      expect({ shape: got.shape, ok: got.ok, firstBad: got.firstBad }).toEqual({ shape: c.shape, ok: expected.ok, firstBad: expected.firstBad });
    }
    // k = 1 never reaches the skipped step: that shape passes, the others do not.
    expect(report.cases[0].ok).toBe(true);
    expect(report.passed).toBeLessThan(report.total);
    const bad = report.cases[1];
    expect(bad.firstBadAt).toMatch(/^C\[\d+, \d+\]$/);
    expect(bad.maxAbsError).toBeGreaterThan(0.01);
    expect(Math.abs(bad.got! - bad.expected!)).toBeGreaterThan(1e-3);
    const summary = await page.evaluate((r) => window.gp.lib.summarizeVerify(r), report);
    expect(summary).toContain(`first mismatch at index ${bad.firstBad}`);
  });

  it("an edit of the subgroup variant's vec4 path runs on the shapes that path takes: when its partial first step of k zeroes nothing, exactly those with k not a multiple of 4 fail", async () => {
    const src = readShaderModule('shaders/matmul-subgroup-vec4.wgsl');
    const noTail = src.replace(
      'lane < r, b_rows(v, min(iota, vec4u(last)) * n4, iota < vec4u(r))',
      'true, b_rows(v, min(iota, vec4u(last)) * n4, vec4<bool>(true))',
    );
    expect(noTail).not.toBe(src);
    const report = await page.evaluate(async (code) => {
      const { lib, gpu } = window.gp;
      return lib.verifyKernel(gpu!, lib.findKernel('matmul-subgroup-vec4')!, code);
    }, noTail);
    const expected = MATMUL_VERIFY_CASES.filter((c) => subgroupVec4Aligned(c) && !c.transB && c.k % 4 !== 0).map((c) => c.shape);
    expect(expected.length).toBeGreaterThan(0);
    expect(report.cases.filter((c) => !c.ok).map((c) => c.shape)).toEqual(expected);
    // And the path is not a bystander: at least two Verify shapes take it.
    expect(MATMUL_VERIFY_CASES.filter((c) => subgroupVec4Aligned(c)).length).toBeGreaterThanOrEqual(2);
  });

  it('passes the built-in and the naive matmul (both contracts); a compile error fails every shape with its message', async () => {
    const out = await page.evaluate(
      async (broken) => {
        const { lib, gpu } = window.gp;
        const direct = lib.findKernel('matmul-direct')!;
        const tiled = lib.findKernel('matmul')!;
        const strip = (r: Awaited<ReturnType<typeof lib.verifyKernel>>) => ({
          ok: r.ok,
          passed: r.passed,
          total: r.total,
          errors: r.cases.map((c) => c.error ?? null),
        });
        return {
          builtIn: strip(await lib.verifyKernel(gpu!, direct, direct.code)),
          naiveDirect: strip(await lib.verifyKernel(gpu!, direct, lib.NAIVE_MATMUL_DIRECT_WGSL)),
          naiveTiled: strip(await lib.verifyKernel(gpu!, tiled, lib.NAIVE_MATMUL_TILED_WGSL)),
          broken: strip(await lib.verifyKernel(gpu!, direct, broken)),
        };
      },
      DIRECT.replace('let k = params.k;', 'let k = params.k +;'),
    );
    const n = MATMUL_VERIFY_CASES.length;
    expect(out.builtIn).toMatchObject({ ok: true, passed: n, total: n });
    expect(out.naiveDirect).toMatchObject({ ok: true, passed: n, total: n });
    expect(out.naiveTiled).toMatchObject({ ok: true, passed: n, total: n });
    expect(out.broken.ok).toBe(false);
    expect(out.broken.passed).toBe(0);
    expect(out.broken.errors[0]).toMatch(/shaders\/matmul-direct\.wgsl:\d+:\d+ error/);
  });

  it('passes every library kernel as shipped (all matmul variants, moments, norms, elementwise) and fails mutants where they break', async () => {
    const ew = readFileSync('shaders/elementwise.wgsl', 'utf8');
    const mo = readFileSync('shaders/moments.wgsl', 'utf8');
    const tanhBug = ew.replace('return gv * (4.0 * e / (d * d));', 'return gv * (4.0 * e / d);');
    const chanBug = mo.replace('a.m2 + b.m2 + d * d * a.n * wb', 'a.m2 + b.m2');
    expect(tanhBug).not.toBe(ew);
    expect(chanBug).not.toBe(mo);
    const out = await page.evaluate(
      async (tanhBug, chanBug) => {
        const { lib, gpu } = window.gp;
        const shipped: Record<string, string> = {};
        for (const k of lib.KERNEL_CATALOG.filter((k) => k.family !== 'other')) {
          const r = await lib.verifyKernel(gpu!, k, k.code);
          shipped[k.id] = `${r.passed}/${r.total}`;
        }
        const failing = async (id: string, code: string) =>
          (await lib.verifyKernel(gpu!, lib.findKernel(id)!, code)).cases.filter((c) => !c.ok).map((c) => `${c.shape} @ ${c.firstBadAt}`);
        return { shipped, tanh: await failing('elementwise', tanhBug), chan: await failing('moments', chanBug) };
      },
      tanhBug,
      chanBug,
    );
    for (const [id, score] of Object.entries(out.shipped)) {
      const [p, t] = score.split('/').map(Number);
      expect([id, p]).toEqual([id, t]);
      expect(t).toBeGreaterThan(0);
    }
    expect(out.tanh.length).toBe(1);
    expect(out.tanh[0]).toMatch(/^backward, tanh, 4097 values @ out\[\d+\]/);
    // Without the δ² term, the variance of merged lanes is too small: the per-column and all-values shapes fail.
    expect(out.chan.length).toBeGreaterThan(0);
    expect(out.chan.every((c) => / @ variance/.test(c))).toBe(true);
  });

  it('Time compares the naive matmul with the built-in in one run (medians, both sides measured)', async () => {
    const r = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      return lib.timeKernel(gpu!, lib.findKernel('matmul-direct')!, lib.NAIVE_MATMUL_DIRECT_WGSL, { reps: 3 });
    });
    expect(r.reps).toBe(3);
    expect(r.builtIn.samples.length).toBe(3);
    expect(r.edited.samples.length).toBe(3);
    expect(r.builtIn.wallMs).toBeGreaterThan(0);
    expect(r.edited.wallMs).toBeGreaterThan(0);
    expect(Number.isFinite(r.ratio) && r.ratio > 0).toBe(true);
    expect(r.software).toBe(true); // SwiftShader: the UI says these are CPU times
  });
});

describe('Use it: the naive matmul drives the Depth lab', () => {
  it('as the active override it runs the nets (results match the built-in to f32 tolerance, not bit for bit); switching back restores the built-in exactly', async () => {
    const out = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const direct = lib.findKernel('matmul-direct')!;
      const base = { ...lib.DEFAULT_CONFIG, width: 24, batch: 8, depth: 6, activation: 'tanh' as const, init: 'xavier-normal' as const, gain: 1, seed: 7 };
      const sweep = { base: lib.validateDeepNetConfig(base), spec: { kind: 'depth' as const, depths: [1, 2, 3, 4, 5, 6] } };
      const runAll = async () => {
        const rows: number[][] = [];
        for await (const r of lib.runSweep(gpu!, sweep)) {
          const L = r.run.layers;
          rows[r.index] = [r.run.loss, ...L.actNorm, ...L.gradActNorm, ...L.gradWNorm, ...L.zVar];
        }
        const nets = await lib.runDeepNets(gpu!, [base]);
        rows.push([nets[0].loss, ...nets[0].layers.gradWNorm]);
        return rows;
      };
      const autoVariant = lib.pickMatmulVariant(gpu!.summary);
      const builtIn = await runAll();
      const verify = await lib.verifyKernel(gpu!, direct, lib.NAIVE_MATMUL_DIRECT_WGSL);
      lib.kernelOverrides.set(direct.file, lib.NAIVE_MATMUL_DIRECT_WGSL, { passed: verify.passed, total: verify.total });
      const inUse = lib.activeKernelCode(direct.file) === lib.NAIVE_MATMUL_DIRECT_WGSL;
      const stored = localStorage.getItem(lib.OVERRIDES_KEY)?.includes('Naive matrix multiply') ?? false;
      let custom: number[][];
      try {
        custom = await runAll();
      } finally {
        lib.kernelOverrides.clear(direct.file);
      }
      const back = await runAll();
      return { autoVariant, builtIn, custom, back, inUse, stored, after: lib.activeKernelCode(direct.file) ?? null };
    });
    expect(out.autoVariant).toBe('direct'); // the kernel replaced is the one the lab runs here
    expect(out.inUse && out.stored).toBe(true);
    expect(out.after).toBeNull();
    const flat = (rows: number[][]) => rows.flat();
    const [b, c, back] = [flat(out.builtIn), flat(out.custom), flat(out.back)];
    expect(b.length).toBeGreaterThan(50);
    expect(c.length).toBe(b.length);
    expect(b.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    for (let i = 0; i < b.length; i++) expect(Math.abs(c[i] - b[i]) / b[i]).toBeLessThan(2e-4);
    // The naive kernel sums in another order: some values differ in their last bits, so it really ran.
    expect(c.some((v, i) => v !== b[i])).toBe(true);
    // Switched back: the built-in again, bit for bit.
    expect(back).toEqual(b);
  });
});
