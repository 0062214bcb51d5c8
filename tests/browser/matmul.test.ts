// The matmul kernels, 'tiled' (workgroup memory), 'direct' (registers only), 'vec4' (registers, vec4
// loads where shapes allow, else the direct kernel) and 'subgroup' (registers, the four lanes of a subgroup
// sharing their loads of A through subgroupBroadcast), against the float64 reference on headless Chromium's
// WebGPU (SwiftShader); every correctness case runs on each variant, and the vec4 path gets its own
// aligned shapes (every transpose, offsets, broadcast strides, block sizes) and mutants.
//
// Tolerance: every element is judged by matmulErrorBound, the worst-case f32 error of a length-k dot product
// for any summation order: |gpu − ref|ᵢⱼ ≤ γ_{k+2}·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ + (2k + 1)·2⁻¹²⁶·max(1, |alpha|),
// γ_j = j·2⁻²⁴ / (1 − j·2⁻²⁴) (Higham §3.1; the +2 covers alpha's rounding to f32 and its multiply, the
// second term subnormals WGSL may flush). No magic constants: a correct kernel cannot exceed it, and the
// mutant-shader tests below show that a wrong one does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, fromB64F32, openHarness, type HarnessPage } from '../helpers/browser';
import { makeNormal } from '../../src/kernels/cpu/random';
import { matmulErrorBound, matmulRef, matmulTolerance, type MatmulRefOptions } from '../../src/kernels/cpu/matmul-ref';
import { compareArrays } from '../../src/kernels/compare';
import { subgroupVec4Aligned, vec4Aligned } from '../../src/kernels/matmul';
import { defaultMatmulConfig } from '../../src/kernels/matmul-variants';
import { readShaderModule } from '../helpers/shader-module';

const SOURCE = readShaderModule('shaders/matmul.wgsl');
const DIRECT_SOURCE = readShaderModule('shaders/matmul-direct.wgsl');
const VEC4_SOURCE = readShaderModule('shaders/matmul-vec4.wgsl');
const SUBGROUP_SOURCE = readShaderModule('shaders/matmul-subgroup.wgsl');
const SUBGROUP_VEC4_SOURCE = readShaderModule('shaders/matmul-subgroup-vec4.wgsl');
const VARIANTS = ['tiled', 'direct', 'vec4', 'subgroup'] as const;
type Variant = (typeof VARIANTS)[number];
type KernelOptions = {
  variant?: Variant | 'auto';
  tileM?: number;
  tileN?: number;
  tileK?: number;
  microM?: number;
  microN?: number;
  threadsX?: number;
  threadsY?: number;
};

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

/** Per-element check against matmulErrorBound; `worst` is max |gpu − ref| / bound (≤ 1 passes). */
function withinBound(gpu: ArrayLike<number>, ref: ArrayLike<number>, bound: ArrayLike<number>) {
  let worst = 0;
  let firstBad = -1;
  if (gpu.length !== ref.length) return { ok: false, worst: Infinity, firstBad: 0 };
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(gpu[i] - ref[i]);
    if (!(e <= bound[i]) && firstBad < 0) firstBad = i;
    worst = Math.max(worst, e / bound[i]);
  }
  return { ok: firstBad < 0, worst, firstBad };
}

/** Random stored operands for a shape (A is k×m when transA, B is n×k when transB). */
function operands(o: MatmulRefOptions, seed: number) {
  const batch = o.batch ?? 1;
  return { a: makeNormal(batch * o.m * o.k, seed), b: makeNormal(batch * o.k * o.n, seed + 1) };
}

/** The high-level `matmul` in the page. */
async function gpuMatmul(a: Float32Array, b: Float32Array, shape: MatmulRefOptions): Promise<Float32Array> {
  const out = await h.page.evaluate(
    async (as, bs, s) => {
      const { gpu, f32, toB64 } = window.gp;
      const mm = window.gp.lib;
      return toB64(await mm.matmul(gpu!, f32(as), f32(bs), s));
    },
    b64(a),
    b64(b),
    shape,
  );
  return fromB64F32(out);
}

interface EncodeJob {
  a: Float32Array;
  b: Float32Array;
  /** Initial contents of the C buffer; the whole buffer is read back. */
  c: Float32Array;
  args: Record<string, number | boolean>;
  /** Variant and tile / micro-tile options of createMatmulKernel. */
  options?: KernelOptions;
  code?: string;
  /** createMatmulKernel's subgroupVec4Code (the subgroup variant's vec4 path). */
  vec4Code?: string;
}

/** One `encode` into a GpuBatch in the page; returns the whole C buffer after the dispatch. */
async function gpuEncode(job: EncodeJob): Promise<Float32Array> {
  const out = await h.page.evaluate(
    async (as, bs, cs, args, options, code, vec4Code) => {
      const { lib, gpu, f32, toB64 } = window.gp;
      const mm = window.gp.lib;
      const kernel = await mm.createMatmulKernel(gpu!, { ...options, code: code ?? undefined, subgroupVec4Code: vec4Code ?? undefined });
      if (options.variant && options.variant !== 'auto' && kernel.variant !== options.variant)
        throw new Error(`asked for ${options.variant}, got ${kernel.variant}`);
      const batch = new lib.GpuBatch(gpu!, 'test.matmul');
      const c0 = f32(cs);
      const c = batch.upload('test.matmul.c', c0);
      kernel.encode(batch, {
        ...(args as { m: number; n: number; k: number }),
        a: batch.upload('test.matmul.a', f32(as)),
        b: batch.upload('test.matmul.b', f32(bs)),
        c,
      });
      const r = batch.read(c, c0.byteLength);
      await batch.submit();
      return toB64(lib.f32(r));
    },
    b64(job.a),
    b64(job.b),
    b64(job.c),
    job.args,
    job.options ?? {},
    job.code ?? null,
    job.vec4Code ?? null,
  );
  return fromB64F32(out);
}

type Shape = { m: number; n: number; k: number; transA: boolean; transB: boolean };

/** Runs each shape with `options` (operands seeded by the shape) and expects C within matmulErrorBound everywhere. */
async function expectWithinBoundOn(shapes: Shape[], options: KernelOptions, label: string): Promise<void> {
  for (const shape of shapes) {
    const { a, b } = operands(shape, shape.m * 3 + shape.n * 5 + shape.k);
    const c = await gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, options });
    expect(withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)), `${label} ${JSON.stringify(shape)}`).toMatchObject({ ok: true });
  }
}

/**
 * Runs each shape with a broken shader in the job (`code` or `vec4Code`, writing 12345 to every element) and
 * expects C to be all 12345 exactly for the shapes marked `true` (they run that shader); the others must
 * be within matmulErrorBound.
 */
async function expectBrokenWhere(job: Pick<EncodeJob, 'options' | 'code' | 'vec4Code'>, seed: number, cases: [Shape, boolean][]): Promise<void> {
  for (const [shape, broken] of cases) {
    const { a, b } = operands(shape, seed);
    const c = await gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, ...job });
    expect(
      c.every((v) => v === 12345),
      JSON.stringify(shape),
    ).toBe(broken);
    if (!broken) expect(withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)).ok).toBe(true);
  }
}

/** `source` with `from` (which must occur exactly once in it) replaced by `to`: a mutant for the tests that must reject it. */
function mutateOnce(source: string, shader: string, from: string, to: string): string {
  expect(source.split(from).length, `"${from}" occurs once in the ${shader} shader`).toBe(2);
  return source.replace(from, to);
}

/** Runs `fn` in the page and returns the thrown error's name, message and the class it is an instance of. */
async function pageError(fn: string, arg: unknown = null): Promise<{ name: string; message: string; is: string[] }> {
  return h.page.evaluate(
    async (body, x) => {
      const { lib, gpu } = window.gp;
      const mm = window.gp.lib;
      try {
        await new Function('mm', 'lib', 'gpu', 'x', `return (async () => { ${body} })();`)(mm, lib, gpu, x);
        return { name: 'none', message: 'no error', is: [] };
      } catch (e) {
        const err = e as Error;
        const classes = ['InputError', 'GpuLimitError', 'ShaderCompileError', 'PipelineError'] as const;
        return { name: err.name, message: err.message, is: classes.filter((c) => err instanceof lib[c]) };
      }
    },
    fn,
    arg,
  );
}

/** A batched case with operand strides (elements; 0 broadcasts) for stridedRun. */
interface StridedCase {
  name: string;
  m: number;
  n: number;
  k: number;
  batch: number;
  transA: boolean;
  transB: boolean;
  strideA: number;
  strideB: number;
  alpha: number;
}

const SENTINEL = -777.25;

/**
 * One batched encode at element offsets [A, B, C] with C's stride `strideC`, every element of the C
 * buffer pre-filled with a sentinel: whether the C blocks match the float64 reference within its bound,
 * how many elements outside them changed, and the arguments (for alignment checks).
 */
async function stridedRun(s: StridedCase, [offsetA, offsetB, offsetC]: [number, number, number], strideC: number, options: KernelOptions, vec4Code?: string) {
  const { m, n, k, batch, transA, transB, alpha, strideA, strideB } = s;
  const args = { m, n, k, batch, transA, transB, offsetA, offsetB, offsetC, strideA, strideB, strideC, alpha };
  const aFull = makeNormal(offsetA + (batch - 1) * strideA + m * k + 7, 61);
  const bFull = makeNormal(offsetB + (batch - 1) * strideB + k * n + 3, 62);
  const cLen = offsetC + (batch - 1) * strideC + m * n + 6;
  const c = await gpuEncode({ a: aFull, b: bFull, c: new Float32Array(cLen).fill(SENTINEL), args, options, vec4Code });
  const opts = { m, n, k, batch, transA, transB, strideA, strideB, alpha };
  const [a, b] = [aFull.subarray(offsetA), bFull.subarray(offsetB)];
  const got = new Float32Array(batch * m * n);
  const written = new Uint8Array(cLen);
  for (let t = 0; t < batch; t++) {
    const start = offsetC + t * strideC;
    got.set(c.subarray(start, start + m * n), t * m * n);
    written.fill(1, start, start + m * n);
  }
  return {
    ok: withinBound(got, matmulRef(a, b, opts), matmulErrorBound(a, b, opts)).ok,
    outside: [...c].filter((v, i) => !written[i] && v !== SENTINEL).length,
    args,
  };
}

// (m, n, k): ones, primes-ish and tile ± 1 on every axis, and a k that spans 63 tiles of TILE_K = 16.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 257, 63],
  [65, 7, 257],
  [257, 65, 7],
  [63, 65, 1000],
];
const TRANS: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe.each(VARIANTS)('matmul kernel vs float64 reference: %s', (variant) => {
  for (const [transA, transB] of TRANS) {
    it(`C = ${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'} on ${SHAPES.map((s) => s.join('×')).join(', ')} (m×n×k)`, async () => {
      for (const [m, n, k] of SHAPES) {
        const shape = { m, n, k, transA, transB };
        const { a, b } = operands(shape, m * 7919 + n * 31 + k);
        const gpu = await gpuEncode({ a, b, c: new Float32Array(m * n), args: shape, options: { variant } });
        const ref = matmulRef(a, b, shape);
        const check = withinBound(gpu, ref, matmulErrorBound(a, b, shape));
        expect(check, `${variant} ${m}×${n}×${k} transA=${transA} transB=${transB}`).toMatchObject({ ok: true });
        expect(compareArrays(gpu, ref, matmulTolerance(a, b, shape)).ok).toBe(true);
      }
    });
  }

  it('batched, contiguous items, with transposes', async () => {
    for (const [transA, transB] of TRANS) {
      const shape = { m: 33, n: 9, k: 17, batch: 3, transA, transB };
      const { a, b } = operands(shape, 401);
      const gpu = await gpuEncode({ a, b, c: new Float32Array(3 * 33 * 9), args: shape, options: { variant } });
      const check = withinBound(gpu, matmulRef(a, b, shape), matmulErrorBound(a, b, shape));
      expect(check, `${variant} batch transA=${transA} transB=${transB}`).toMatchObject({ ok: true });
    }
  });

  // Offsets (odd, so never vec4-aligned), padded strides and stride-0 broadcasting through encode(); C
  // starts as a sentinel, so the test also proves nothing is written outside each item's m×n block.
  const strided: {
    name: string;
    m: number;
    n: number;
    k: number;
    batch: number;
    transA: boolean;
    transB: boolean;
    strideA: (m: number, k: number) => number;
    strideB: (k: number, n: number) => number;
    alpha: number;
  }[] = [
    {
      name: 'A broadcast (stride 0), padded B',
      m: 65,
      n: 33,
      k: 70,
      batch: 4,
      transA: false,
      transB: false,
      strideA: () => 0,
      strideB: (k, n) => k * n + 5,
      alpha: 1,
    },
    {
      name: 'B broadcast (stride 0), Bᵀ, alpha = −1/3',
      m: 17,
      n: 66,
      k: 31,
      batch: 3,
      transA: false,
      transB: true,
      strideA: (m, k) => m * k + 3,
      strideB: () => 0,
      alpha: -1 / 3,
    },
    {
      name: 'Aᵀ·Bᵀ, both padded, alpha = 0.125',
      m: 9,
      n: 7,
      k: 129,
      batch: 5,
      transA: true,
      transB: true,
      strideA: (m, k) => m * k + 1,
      strideB: (k, n) => k * n + 2,
      alpha: 0.125,
    },
    {
      name: 'Aᵀ·B, A broadcast, alpha = 3',
      m: 21,
      n: 19,
      k: 10,
      batch: 3,
      transA: true,
      transB: false,
      strideA: () => 0,
      strideB: (k, n) => k * n + 1,
      alpha: 3,
    },
  ];
  for (const s of strided) {
    it(`batched with offsets and strides: ${s.name}`, async () => {
      const { m, n, k } = s;
      const r = await stridedRun({ ...s, strideA: s.strideA(m, k), strideB: s.strideB(k, n) }, [3, 13, 7], m * n + 11, { variant });
      expect({ ok: r.ok, outside: r.outside }, `${variant}: ${s.name}`).toEqual({ ok: true, outside: 0 });
    });
  }
});

describe('matmul variants: tile shapes, pipelines, choice', () => {
  const tileCases: KernelOptions[] = [
    { variant: 'tiled', tileM: 4, tileN: 4, tileK: 1 },
    { variant: 'tiled', tileM: 32, tileN: 16, tileK: 8 },
    { variant: 'tiled', tileM: 16, tileN: 128, tileK: 4 },
    // Every 4×4 block count down and across appears at least once (1 … 4).
    { variant: 'direct', microM: 4, microN: 4 },
    { variant: 'direct', microM: 12, microN: 8 },
    { variant: 'direct', microM: 8, microN: 16 },
    // The subgroup kernel's block counts too (its lanes interleave column blocks 16 apart).
    { variant: 'subgroup', microM: 4, microN: 4 },
    { variant: 'subgroup', microM: 12, microN: 8 },
    { variant: 'subgroup', microM: 8, microN: 12 },
    // 8 block rows (two groups of four sharing each load of B): m = 37 leaves the second group partly past C.
    { variant: 'subgroup', microM: 32, microN: 16 },
    { variant: 'subgroup', microM: 32, microN: 4 },
  ];
  for (const options of tileCases) {
    const { variant, ...sizes } = options;
    it(`${variant} with override constants ${JSON.stringify(sizes)}, every transpose`, async () => {
      const [m, n, k] = [37, 131, 45];
      for (const [transA, transB] of TRANS) {
        const shape = { m, n, k, transA, transB };
        const { a, b } = operands(shape, (options.tileM ?? options.microM ?? 0) * 100 + (options.tileK ?? options.microN ?? 0));
        const c = await gpuEncode({ a, b, c: new Float32Array(m * n), args: shape, options });
        expect(withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)), `${JSON.stringify(options)} ${transA} ${transB}`).toMatchObject({
          ok: true,
        });
      }
    });
  }

  it('the subgroup variant takes 8 block rows (microM 32: a 32×64 tile per workgroup); other sizes, and other variants, are refused with the allowed values', async () => {
    const shape = await h.page.evaluate(async () => {
      const k = await window.gp.lib.createMatmulKernel(window.gp.gpu!, { variant: 'subgroup', microM: 32, microN: 16 });
      return { variant: k.variant, tileM: k.tileM, tileN: k.tileN, microM: k.microM, microN: k.microN, constants: k.constants };
    });
    expect(shape).toEqual({ variant: 'subgroup', tileM: 32, tileN: 64, microM: 32, microN: 16, constants: { microM: 32, microN: 16 } });
    const sub = await pageError("await mm.createMatmulKernel(gpu, { variant: 'subgroup', microM: 20 });");
    expect(sub.is).toContain('InputError');
    expect(sub.message).toBe('microM: must be 4, 8, 12, 16 or 32 (the subgroup kernel keeps 1 to 4 block rows of 4, or 8), got 20');
    const direct = await pageError("await mm.createMatmulKernel(gpu, { variant: 'direct', microM: 32 });");
    expect(direct.is).toContain('InputError');
    expect(direct.message).toMatch(/^microM: .*16.*got 32/);
    const wide = await pageError("await mm.createMatmulKernel(gpu, { variant: 'subgroup', microN: 32 });");
    expect(wide.message).toMatch(/^microN: .*16.*got 32/);
  });

  it('every variant takes buffers of any size (1×1×1 in 4-byte buffers)', async () => {
    const out = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const mm = window.gp.lib;
      const d = gpu!.device;
      const results: number[] = [];
      for (const variant of ['tiled', 'direct', 'vec4', 'subgroup'] as const) {
        const kernel = await mm.createMatmulKernel(gpu!, { variant });
        const make = (label: string, v: number) => {
          const buf = d.createBuffer({ label, size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
          d.queue.writeBuffer(buf, 0, new Float32Array([v]));
          return buf;
        };
        const [a, b, c] = [make('t.a', 3), make('t.b', -0.5), make('t.c', 99)];
        const batch = new lib.GpuBatch(gpu!, `test.tiny.${variant}`);
        kernel.encode(batch, { a, b, c, m: 1, n: 1, k: 1, alpha: 2 });
        const r = batch.read(c, 4);
        await batch.submit();
        results.push(lib.f32(r)[0]);
        for (const x of [a, b, c]) x.destroy();
      }
      return results;
    });
    expect(out).toEqual([-3, -3, -3, -3]);
  });

  it('builds one pipeline per variant and tile shape and reuses it', async () => {
    const sizes = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      const mm = window.gp.lib;
      const count = () => gpu!.pipelines.size;
      const out = [count()];
      await mm.createMatmulKernel(gpu!, { variant: 'tiled', tileM: 8, tileN: 8, tileK: 2 });
      out.push(count());
      await mm.createMatmulKernel(gpu!, { variant: 'tiled', tileM: 8, tileN: 8, tileK: 2 });
      out.push(count());
      await mm.createMatmulKernel(gpu!, { variant: 'direct', microM: 4, microN: 8 });
      out.push(count());
      await mm.createMatmulKernel(gpu!, { variant: 'direct', microM: 4, microN: 8 });
      out.push(count());
      return out;
    });
    expect(sizes[1] - sizes[0], 'a new tile shape adds one pipeline (serving all four transposes)').toBe(1);
    expect(sizes[2], 'the same tile shape again adds none').toBe(sizes[1]);
    expect(sizes[3] - sizes[2], 'a new direct micro-tile adds one pipeline').toBe(1);
    expect(sizes[4], 'the same micro-tile again adds none').toBe(sizes[3]);
  });

  it('the high-level matmul() (variant auto) matches the reference: every transpose, batched', async () => {
    for (const [transA, transB] of TRANS) {
      for (const shape of [
        { m: 65, n: 7, k: 257, transA, transB },
        { m: 33, n: 9, k: 17, batch: 3, transA, transB },
      ]) {
        const { a, b } = operands(shape, 401);
        const gpu = await gpuMatmul(a, b, shape);
        expect(gpu.length).toBe((shape.batch ?? 1) * shape.m * shape.n);
        const check = withinBound(gpu, matmulRef(a, b, shape), matmulErrorBound(a, b, shape));
        expect(check, JSON.stringify(shape)).toMatchObject({ ok: true });
      }
    }
  });

  it("'auto' without a tuning runs defaultMatmulConfig ('subgroup' on this SwiftShader adapter, which has subgroups), and matmul() runs it", async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      const mm = window.gp.lib;
      mm.setMatmulTuning(gpu!, null, false); // this page's memory only; no tuning for this adapter
      const auto = await mm.createMatmulKernel(gpu!);
      const tiled = await mm.createMatmulKernel(gpu!, { variant: 'tiled' });
      const before = new Set(gpu!.pipelines.keys());
      const direct = await mm.createMatmulKernel(gpu!, { variant: 'direct' });
      await mm.matmul(gpu!, new Float32Array(6), new Float32Array(6), { m: 2, n: 2, k: 3 });
      const autoKey = [...gpu!.pipelines.keys()].find((key) => key.startsWith('shaders/matmul-subgroup.wgsl#'));
      const pipeline = autoKey ? await gpu!.pipelines.get(autoKey) : null;
      return {
        summary: gpu!.summary,
        picked: mm.pickMatmulVariant(gpu!.summary),
        auto: { variant: auto.variant, tileM: auto.tileM, tileN: auto.tileN, tileK: auto.tileK, microM: auto.microM, microN: auto.microN },
        source: auto.source,
        constants: auto.constants,
        tiled: { variant: tiled.variant, tileM: tiled.tileM, tileN: tiled.tileN, tileK: tiled.tileK, microM: tiled.microM, microN: tiled.microN },
        directVariant: direct.variant,
        hasSubgroups: gpu!.features.has('subgroups'),
        // The default subgroup pipeline existed before matmul() ran, so 'auto' built (and matmul reused) it.
        autoBuiltDefault: autoKey !== undefined && before.has(autoKey),
        label: pipeline?.label ?? null,
      };
    });
    expect(`${r.summary.vendor} ${r.summary.architecture} ${r.summary.description}`.toLowerCase()).toContain('swiftshader');
    expect(r.picked).toBe('direct');
    expect(r.hasSubgroups, "requestGpu asks for 'subgroups' when the adapter offers them (SwiftShader does)").toBe(true);
    expect(r.summary.hasSubgroups).toBe(true);
    const def = defaultMatmulConfig(r.summary);
    expect(def).toEqual({ variant: 'subgroup', constants: { microM: 16, microN: 16 } });
    expect(defaultMatmulConfig({ ...r.summary, hasSubgroups: false }).variant, 'without subgroups: the direct kernel').toBe('direct');
    expect(r.source).toBe('default');
    // One workgroup = one subgroup of 4 lanes sharing 16 rows, each lane 16 columns.
    expect(r.auto).toEqual({ variant: 'subgroup', tileM: 16, tileN: 64, tileK: 4, microM: 16, microN: 16 });
    expect(r.constants).toEqual(def.constants);
    expect(r.tiled).toEqual({ variant: 'tiled', tileM: 64, tileN: 64, tileK: 16, microM: 4, microN: 4 });
    expect(r.directVariant).toBe('direct');
    expect(r.autoBuiltDefault).toBe(true);
    expect(r.label).toMatch(/^matmul\.subgroup\.pipeline\{/);
  });
});

describe('matmul kernel check', () => {
  it('runs its four shapes on the GPU and passes each with a k-scaled tolerance', async () => {
    const results = await h.page.evaluate(async () => window.gp.checks.matmulCheck.run(window.gp.gpu!));
    expect(results.map((r) => r.shape)).toEqual(['1×1 · 1×1', '65×63 · 63×257, Bᵀ', '7×300 · 300×5, Aᵀ', '3 × (33×17 · 17×9)']);
    for (const r of results) {
      expect(r, r.shape).toMatchObject({ kernel: 'matmul', ok: true });
      expect(r.error, r.shape).toBeUndefined();
      expect(r.maxRelError, r.shape).toBeLessThanOrEqual(2 * r.rtol);
    }
    // rtol = γ_{k+2}: grows with k (1, 63, 300, 17).
    expect(results[2].rtol).toBeGreaterThan(results[1].rtol);
    expect(results[1].rtol).toBeGreaterThan(results[0].rtol);
  });
});

describe('matmul vec4 path: shapes that split into whole vec4s', () => {
  // Every case here must take the vec4 shader (vec4Aligned), with awkward sizes that are still multiples of 4
  // where the vec4 loads need it: 4, tile ± 4, non-square, long k, and the partial last step of k (k = 63,
  // 1) that only Aᵀ·B allows.
  const cases: { m: number; n: number; k: number; transA: boolean; transB: boolean }[] = [];
  for (const [transA, transB] of TRANS) {
    for (const [m, n, k] of [
      [4, 4, 4],
      [68, 260, 64],
      [260, 68, 8],
      [12, 8, 1000],
    ]) {
      cases.push({ m, n, k, transA, transB });
    }
  }
  cases.push(
    { m: 64, n: 260, k: 63, transA: true, transB: false },
    { m: 4, n: 4, k: 1, transA: true, transB: false },
    { m: 8, n: 12, k: 6, transA: true, transB: false },
  );

  it('the cases are vec4-aligned, and unaligned ones are not', () => {
    for (const c of cases) expect(vec4Aligned(c), JSON.stringify(c)).toBe(true);
    expect(vec4Aligned({ m: 7, n: 8, k: 8 })).toBe(true); // m is not A's contiguous axis unless transA
    expect(vec4Aligned({ m: 7, n: 8, k: 8, transA: true })).toBe(false);
    expect(vec4Aligned({ m: 8, n: 8, k: 63 })).toBe(false);
    expect(vec4Aligned({ m: 8, n: 7, k: 8 })).toBe(false);
    expect(vec4Aligned({ m: 8, n: 7, k: 8, transB: true })).toBe(true);
    expect(vec4Aligned({ m: 8, n: 8, k: 8, offsetA: 2 })).toBe(false);
    expect(vec4Aligned({ m: 8, n: 8, k: 8, offsetB: 4, batch: 2, strideB: 66 })).toBe(false);
    expect(vec4Aligned({ m: 8, n: 8, k: 8, batch: 2, strideA: 0, strideB: 68 })).toBe(true);
  });

  for (const sizes of [
    {},
    { microM: 4, microN: 4 },
    { microM: 12, microN: 8, threadsX: 2, threadsY: 8 },
    { microM: 8, microN: 16, threadsX: 8, threadsY: 1 },
  ] as KernelOptions[]) {
    it(`every transpose on ${cases.length} aligned shapes, sizes ${JSON.stringify(sizes)}`, async () => {
      await expectWithinBoundOn(cases, { variant: 'vec4', ...sizes }, JSON.stringify(sizes));
    });
  }

  // Offsets and strides multiples of 4 (vec4 path), stride-0 broadcasts, alpha, sentinel around every C block.
  const strided: StridedCase[] = [
    { name: 'A broadcast, padded B', m: 64, n: 36, k: 68, batch: 4, transA: false, transB: false, strideA: 0, strideB: 68 * 36 + 8, alpha: 1 },
    { name: 'Bᵀ broadcast, alpha = −1/3', m: 20, n: 66, k: 32, batch: 3, transA: false, transB: true, strideA: 20 * 32 + 4, strideB: 0, alpha: -1 / 3 },
    {
      name: 'Aᵀ·Bᵀ, padded, alpha = 0.125',
      m: 12,
      n: 7,
      k: 132,
      batch: 5,
      transA: true,
      transB: true,
      strideA: 12 * 132 + 4,
      strideB: 132 * 7 + 12,
      alpha: 0.125,
    },
    {
      name: 'Aᵀ·B, k = 10 (partial step), A broadcast',
      m: 20,
      n: 24,
      k: 10,
      batch: 3,
      transA: true,
      transB: false,
      strideA: 0,
      strideB: 10 * 24 + 4,
      alpha: 3,
    },
  ];
  for (const s of strided) {
    it(`batched with offsets and strides: ${s.name}`, async () => {
      const r = await stridedRun(s, [8, 4, 3], s.m * s.n + 5, { variant: 'vec4', microM: 8, microN: 8 });
      expect(vec4Aligned(r.args)).toBe(true);
      expect({ ok: r.ok, outside: r.outside }, s.name).toEqual({ ok: true, outside: 0 });
    });
  }

  it('unaligned shapes run the direct fallback (a broken vec4 shader does not touch them), aligned ones the vec4 shader', async () => {
    const broken = VEC4_SOURCE.replace('c[base_c + row * n + col] = params.alpha * blk[j][i];', 'c[base_c + row * n + col] = 12345.0;');
    expect(broken).not.toBe(VEC4_SOURCE);
    const unaligned = { m: 9, n: 10, k: 11, transA: false, transB: false };
    const aligned = { m: 8, n: 12, k: 16, transA: false, transB: false };
    await expectBrokenWhere({ options: { variant: 'vec4', microM: 4, microN: 4 }, code: broken }, 5, [
      [unaligned, false],
      [aligned, true],
    ]);
  });

  it('builds the vec4 pipeline plus the direct fallback once per block shape', async () => {
    const sizes = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      const mm = window.gp.lib;
      const count = () => gpu!.pipelines.size;
      const out = [count()];
      await mm.createMatmulKernel(gpu!, { variant: 'vec4', microM: 4, microN: 12, threadsX: 3, threadsY: 5 });
      out.push(count());
      await mm.createMatmulKernel(gpu!, { variant: 'vec4', microM: 4, microN: 12, threadsX: 3, threadsY: 5 });
      out.push(count());
      await mm.createMatmulKernel(gpu!, { variant: 'direct', microM: 4, microN: 12, threadsX: 3, threadsY: 5 });
      out.push(count());
      return out;
    });
    expect(sizes[1] - sizes[0], 'vec4 + its direct fallback').toBe(2);
    expect(sizes[2]).toBe(sizes[1]);
    expect(sizes[3], 'the direct kernel with the same blocks is the fallback itself').toBe(sizes[2]);
  });
});

describe("matmul subgroup variant's vec4 path (B and C as vec4s where shapes allow)", () => {
  // Every case takes the vec4 path (subgroupVec4Aligned): n a multiple of 4, and k too when transB; m and
  // (without transB) k stay awkward: 1, 7, 63, 65, 257, 1000, and partial last steps of k.
  const cases: { m: number; n: number; k: number; transA: boolean; transB: boolean }[] = [];
  for (const [transA, transB] of TRANS) {
    for (const [m, n, k] of [
      [1, 4, 1],
      [7, 260, 63],
      [65, 8, 257],
      [257, 68, 7],
      [63, 64, 1000],
    ]) {
      cases.push({ m, n, k: transB ? Math.max(4, k - (k % 4)) : k, transA, transB });
    }
  }

  it('the cases take the vec4 path; unaligned ones do not', () => {
    for (const c of cases) expect(subgroupVec4Aligned(c), JSON.stringify(c)).toBe(true);
    expect(subgroupVec4Aligned({ m: 7, n: 8, k: 7 }), 'A is read with scalar loads: any k (and offsetA, strideA)').toBe(true);
    expect(subgroupVec4Aligned({ m: 8, n: 7, k: 8 }), 'n not a multiple of 4').toBe(false);
    expect(subgroupVec4Aligned({ m: 8, n: 8, k: 7, transB: true }), 'Bᵀ rows of k').toBe(false);
    expect(subgroupVec4Aligned({ m: 8, n: 8, k: 8, offsetB: 2 })).toBe(false);
    expect(subgroupVec4Aligned({ m: 8, n: 8, k: 8, offsetC: 3 })).toBe(false);
    expect(subgroupVec4Aligned({ m: 8, n: 8, k: 8, batch: 2, strideC: 66 })).toBe(false);
    expect(subgroupVec4Aligned({ m: 8, n: 8, k: 8, batch: 2, strideB: 0, strideC: 68 })).toBe(true);
  });

  // microM 32: 8 block rows in two groups of four; m = 1, 7 leave the second group wholly past C, 63 and 65 partly.
  for (const sizes of [
    {},
    { microM: 4, microN: 4 },
    { microM: 12, microN: 8 },
    { microM: 8, microN: 12 },
    { microM: 32, microN: 16 },
    { microM: 32, microN: 4 },
  ] as KernelOptions[]) {
    it(`every transpose on ${cases.length} aligned shapes, sizes ${JSON.stringify(sizes)}`, async () => {
      await expectWithinBoundOn(cases, { variant: 'subgroup', ...sizes }, JSON.stringify(sizes));
    });
  }

  // B and C offsets and strides multiples of 4, A's odd (scalar loads), stride-0 broadcasts, alpha, and a
  // sentinel around every C block: the vec4 stores write C's elements and nothing else.
  const strided: StridedCase[] = [
    {
      name: 'A broadcast, padded B, m = 7 (a partial block of rows)',
      m: 7,
      n: 36,
      k: 67,
      batch: 4,
      transA: false,
      transB: false,
      strideA: 0,
      strideB: 67 * 36 + 8,
      alpha: 1,
    },
    { name: 'Bᵀ broadcast, alpha = −1/3', m: 21, n: 68, k: 32, batch: 3, transA: false, transB: true, strideA: 21 * 32 + 5, strideB: 0, alpha: -1 / 3 },
    {
      name: 'Aᵀ·Bᵀ, padded, alpha = 0.125',
      m: 13,
      n: 8,
      k: 132,
      batch: 5,
      transA: true,
      transB: true,
      strideA: 13 * 132 + 3,
      strideB: 132 * 8 + 12,
      alpha: 0.125,
    },
    {
      name: 'Aᵀ·B, k = 10 (partial step), A broadcast',
      m: 65,
      n: 24,
      k: 10,
      batch: 3,
      transA: true,
      transB: false,
      strideA: 0,
      strideB: 10 * 24 + 4,
      alpha: 3,
    },
  ];
  const runStrided = async (s: StridedCase, vec4Code?: string, microM = 8) => {
    const r = await stridedRun(s, [7, 4, 12], s.m * s.n + 8, { variant: 'subgroup', microM, microN: 8 }, vec4Code);
    expect(subgroupVec4Aligned(r.args)).toBe(true);
    return { ok: r.ok, outside: r.outside };
  };
  for (const s of strided) {
    it(`batched with offsets and strides: ${s.name}`, async () => {
      expect(await runStrided(s), s.name).toEqual({ ok: true, outside: 0 });
    });
    it(`batched with offsets and strides, 8 block rows (microM 32): ${s.name}`, async () => {
      expect(await runStrided(s, undefined, 32), s.name).toEqual({ ok: true, outside: 0 });
    });
  }

  it('storing the last row of a 4-row block past m is caught (by the sentinel or the reference)', async () => {
    const from = 'if (row + 3u < m) { c[o + 3u * n4] = t[3]; }';
    expect(SUBGROUP_VEC4_SOURCE.split(from).length).toBe(2);
    const r = await runStrided(strided[0], SUBGROUP_VEC4_SOURCE.replace(from, 'c[o + 3u * n4] = t[3];'));
    expect(r, 'm = 7: row 7 is past C').not.toEqual({ ok: true, outside: 0 });
  });

  const BROKEN = SUBGROUP_VEC4_SOURCE.replace(
    'let t = transpose(blk) * params.alpha;',
    'let t = mat4x4f(vec4f(12345.0), vec4f(12345.0), vec4f(12345.0), vec4f(12345.0));',
  );
  const unaligned = { m: 9, n: 10, k: 11, transA: false, transB: false };
  const aligned = { m: 9, n: 12, k: 11, transA: false, transB: false };

  it('unaligned shapes run the scalar subgroup kernel (a broken vec4 path does not touch them), aligned ones the vec4 path', async () => {
    expect(BROKEN).not.toBe(SUBGROUP_VEC4_SOURCE);
    await expectBrokenWhere({ options: { variant: 'subgroup', microM: 4, microN: 4 }, vec4Code: BROKEN }, 5, [
      [unaligned, false],
      [aligned, true],
    ]);
  });

  it('a replaced scalar kernel (code) runs for every shape, aligned ones too; the built-in vec4 path is then unused', async () => {
    const brokenScalar = SUBGROUP_SOURCE.replace(
      'let t = transpose(blk) * params.alpha;',
      'let t = mat4x4f(vec4f(12345.0), vec4f(12345.0), vec4f(12345.0), vec4f(12345.0));',
    );
    expect(brokenScalar).not.toBe(SUBGROUP_SOURCE);
    await expectBrokenWhere({ options: { variant: 'subgroup', microM: 4, microN: 4 }, code: brokenScalar }, 6, [
      [unaligned, true],
      [aligned, true],
    ]);
  });

  it('builds the scalar kernel plus the vec4 path (one pipeline per layout of B) once per block shape; only the scalar one when its code is replaced', async () => {
    const sizes = await h.page.evaluate(async (scalarCode) => {
      const { gpu } = window.gp;
      const mm = window.gp.lib;
      const count = () => gpu!.pipelines.size;
      const out = [count()];
      await mm.createMatmulKernel(gpu!, { variant: 'subgroup', microM: 12, microN: 4 });
      out.push(count());
      await mm.createMatmulKernel(gpu!, { variant: 'subgroup', microM: 12, microN: 4 });
      out.push(count());
      await mm.createMatmulKernel(gpu!, { variant: 'subgroup', microM: 4, microN: 12, code: `${scalarCode}\n// edited` });
      out.push(count());
      return out;
    }, SUBGROUP_SOURCE);
    expect(sizes[1] - sizes[0], 'subgroup + its vec4 path for B and for Bᵀ').toBe(3);
    expect(sizes[2]).toBe(sizes[1]);
    expect(sizes[3] - sizes[2], 'a replaced scalar kernel alone').toBe(1);
  });

  it('subgroupVec4Code with another variant is an InputError naming the option', async () => {
    const e = await pageError("await mm.createMatmulKernel(gpu, { variant: 'direct', subgroupVec4Code: '' });");
    expect(e.is).toContain('InputError');
    expect(e.message).toMatch(/^subgroupVec4Code: replaces the 'subgroup' variant's vec4 path, but the variant here is 'direct'$/);
  });

  it('subgroupVec4Code without the TRANS_B override is an InputError saying what to declare', async () => {
    const noOverride = SUBGROUP_VEC4_SOURCE.replace('override TRANS_B: bool = false;', '');
    expect(noOverride).not.toBe(SUBGROUP_VEC4_SOURCE);
    const e = await pageError("await mm.createMatmulKernel(gpu, { variant: 'subgroup', subgroupVec4Code: x });", noOverride);
    expect(e.is).toContain('InputError');
    expect(e.message).toMatch(
      /^subgroupVec4Code: must declare 'override TRANS_B: bool' \(one pipeline is built for B stored k×n, TRANS_B = false, and one for B stored n×k, TRANS_B = true\)$/,
    );
  });
});

describe('matmul subgroup vec4 path: the comparison can fail', () => {
  // 2×2 blocks per lane so c11 and the second column block are live; k = 43 has a partial last step.
  const run = async (shape: { m: number; n: number; k: number; transA?: boolean; transB?: boolean }, vec4Code: string) => {
    expect(subgroupVec4Aligned(shape)).toBe(true);
    const { a, b } = operands(shape, 98);
    const c = await gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, options: { variant: 'subgroup', microM: 8, microN: 8 }, vec4Code });
    return withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)).ok;
  };
  const mutate = (from: string, to: string) => mutateOnce(SUBGROUP_VEC4_SOURCE, 'subgroup vec4', from, to);
  const square = { m: 37, n: 40, k: 44 };
  const partial = { m: 37, n: 40, k: 43 };

  it('the real shader passes on these cases', async () => {
    for (const shape of [square, partial, { ...partial, transA: true }, { ...square, transB: true }, { ...square, transA: true, transB: true }]) {
      expect(await run(shape, SUBGROUP_VEC4_SOURCE), JSON.stringify(shape)).toBe(true);
    }
  });
  it('a partial first step of k that does not zero its clamped depths is rejected', async () => {
    expect(
      await run(
        partial,
        mutate('lane < r, b_rows(v, min(iota, vec4u(last)) * n4, iota < vec4u(r))', 'true, b_rows(v, min(iota, vec4u(last)) * n4, vec4<bool>(true))'),
      ),
    ).toBe(false);
  });
  it('whole steps starting at depth 0 (the partial first step counted twice) are rejected', async () => {
    expect(await run(partial, mutate('for (var p = r; p < k; p += 4u) {', 'for (var p = 0u; p < k; p += 4u) {'))).toBe(false);
  });
  it('ignoring TRANS_B (B read as k×n in the Bᵀ pipeline) is rejected', async () => {
    expect(await run({ ...square, transB: true }, mutate('if (!TRANS_B) {', 'if (true) {'))).toBe(false);
  });
  it('rows of B not turned into columns (no transpose) is rejected', async () => {
    expect(await run(square, mutate('  return transpose(mat4x4f(\n', '  return (mat4x4f(\n'))).toBe(false);
  });
  it('every column block reading the first one’s B is rejected', async () => {
    expect(await run(square, mutate('let v = base_b + first / 4u;', 'let v = base_b + first.xxxx / 4u;'))).toBe(false);
  });
  // 8 block rows (microM 32): the second group of four has its own rows of A and its own rows of C.
  const run32 = async (shape: { m: number; n: number; k: number; transA?: boolean; transB?: boolean }, vec4Code: string) => {
    const { a, b } = operands(shape, 97);
    const c = await gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, options: { variant: 'subgroup', microM: 32, microN: 8 }, vec4Code });
    return withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)).ok;
  };
  it('8 block rows: the real shader passes; the second group reading the first group’s rows of A, or storing over them, is rejected', async () => {
    expect(await run32(partial, SUBGROUP_VEC4_SOURCE)).toBe(true);
    expect(await run32({ ...square, transB: true }, SUBGROUP_VEC4_SOURCE)).toBe(true);
    expect(await run32(partial, mutate('let rows_hi = row_lines(base_a, row0 + 16u, a_row);', 'let rows_hi = row_lines(base_a, row0, a_row);'))).toBe(false);
    expect(
      await run32(
        partial,
        mutate(
          'if (ROW_BLOCKS > 4u) { store_rows(acc_hi, o + 4u * rs, rs, row0 + 16u, cs); }',
          'if (ROW_BLOCKS > 4u) { store_rows(acc_hi, o + 3u * rs, rs, row0 + 12u, cs); }',
        ),
      ),
    ).toBe(false);
    expect(await run32(partial, mutate('if (ROW_BLOCKS > 4u) { rows_step(acc_hi, rows_hi, da, keep_a, bb); }', ''))).toBe(false);
  });
  it('with Bᵀ, the second column block reading the first one’s columns is rejected', async () => {
    expect(await run({ ...square, transB: true }, mutate('bb.b1 = block_b_cols(cols.l1, q);', 'bb.b1 = block_b_cols(cols.l0, q);'))).toBe(false);
  });
});

describe('matmul vec4: the comparison can fail', () => {
  // Aligned for every transpose used below; 2×2 blocks per invocation so c11 is live.
  const run = async (shape: { m: number; n: number; k: number; transA?: boolean; transB?: boolean }, code: string) => {
    const { a, b } = operands(shape, 99);
    const c = await gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, options: { variant: 'vec4', microM: 8, microN: 8 }, code });
    return {
      ok: withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)).ok,
      cmp: compareArrays(c, matmulRef(a, b, shape), matmulTolerance(a, b, shape)).ok,
    };
  };
  const mutate = (from: string, to: string) => mutateOnce(VEC4_SOURCE, 'vec4', from, to);
  const square = { m: 36, n: 40, k: 44 };
  const partial = { m: 36, n: 40, k: 43, transA: true };

  it('the real vec4 shader passes on these cases', async () => {
    for (const shape of [square, partial, { ...square, transB: true }, { ...square, transA: true, transB: true }]) {
      expect(await run(shape, VEC4_SOURCE), JSON.stringify(shape)).toEqual({ ok: true, cmp: true });
    }
  });
  it('subtracting one block product is rejected', async () => {
    expect((await run(square, mutate('(*acc).c11 += a1 * b1;', '(*acc).c11 -= a1 * b1;'))).ok).toBe(false);
  });
  it('a block pair multiplied in the wrong order (b · a) is rejected', async () => {
    expect((await run(square, mutate('(*acc).c00 += a0 * b0;', '(*acc).c00 += b0 * a0;'))).ok).toBe(false);
  });
  it('skipping the partial last step of k is rejected', async () => {
    expect((await run(partial, mutate('if (whole < k) {', 'if (whole > k) {'))).ok).toBe(false);
  });
  it('ignoring trans_b is rejected', async () => {
    expect((await run({ ...square, transB: true }, mutate('let trans_b = params.trans_b != 0u;', 'let trans_b = false;'))).ok).toBe(false);
  });
  it('a 1e-4 relative error is rejected', async () => {
    const r = await run(square, mutate('params.alpha * blk[j][i]', 'params.alpha * blk[j][i] * 1.0001'));
    expect(r).toEqual({ ok: false, cmp: false });
  });
});

describe('matmul: the comparison can fail', () => {
  // k = 63 is not a multiple of 4 (the direct kernel's last step is partial) nor of tileK = 8.
  const shape = { m: 65, n: 63, k: 63, transB: true };
  const { a, b } = operands(shape, 77);
  const ref = matmulRef(a, b, shape);
  const bound = matmulErrorBound(a, b, shape);
  const tol = matmulTolerance(a, b, shape);
  // Small tiles compile faster on SwiftShader; each control below runs the real shader with the same tiles.
  const cases = {
    tiled: { source: SOURCE, options: { variant: 'tiled', tileM: 32, tileN: 16, tileK: 8 } },
    // 2×2 blocks per invocation, so the mutants below touch live code (c11 is compiled in).
    direct: { source: DIRECT_SOURCE, options: { variant: 'direct', microM: 8, microN: 8 } },
    // Unaligned here, so this runs vec4's direct fallback; the vec4 shader's own mutants are above.
    vec4: { source: VEC4_SOURCE, options: { variant: 'vec4', microM: 8, microN: 8 } },
    subgroup: { source: SUBGROUP_SOURCE, options: { variant: 'subgroup', microM: 8, microN: 8 } },
  } as const;
  const run = (variant: Variant, code?: string) =>
    gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, options: cases[variant].options, code });
  const mutate = (variant: Variant, from: string, to: string) => mutateOnce(cases[variant].source, variant, from, to);
  const rejected = (c: Float32Array) => {
    expect(compareArrays(c, ref, tol).ok).toBe(false);
    expect(withinBound(c, ref, bound).ok).toBe(false);
  };

  for (const variant of VARIANTS) {
    it(`the real ${variant} shader passes on this case`, async () => {
      const c = await run(variant, cases[variant].source);
      expect(withinBound(c, ref, bound).ok).toBe(true);
      expect(compareArrays(c, ref, tol).ok).toBe(true);
    });
  }

  it('a tiled shader accumulating with -= instead of += is rejected', async () => {
    rejected(await run('tiled', mutate('tiled', 'acc[i] += tile_a', 'acc[i] -= tile_a')));
  });

  it('a 1e-4 relative error is rejected (the tolerance is tight, γ ≈ 3.9e-6 at k = 63)', async () => {
    rejected(await run('tiled', mutate('tiled', 'params.alpha * acc[i][j]', 'params.alpha * acc[i][j] * 1.0001')));
    rejected(await run('direct', mutate('direct', 'params.alpha * blk[j][i]', 'params.alpha * blk[j][i] * 1.0001')));
  });

  it('a tiled shader that stops the k loop one tile early is rejected', async () => {
    expect(compareArrays(await run('tiled', mutate('tiled', 'k0 < k;', 'k0 + TILE_K < k;')), ref, tol).ok).toBe(false);
  });

  it('a direct shader subtracting one 4×4 block product is rejected', async () => {
    rejected(await run('direct', mutate('direct', '(*acc).c11 += a1 * b1;', '(*acc).c11 -= a1 * b1;')));
  });

  it('a direct shader multiplying a block pair in the wrong order (b · a) is rejected', async () => {
    rejected(await run('direct', mutate('direct', '(*acc).c00 += a0 * b0;', '(*acc).c00 += b0 * a0;')));
  });

  it('a direct shader that skips the partial last step of k is rejected', async () => {
    rejected(await run('direct', mutate('direct', 'if (whole < k) {', 'if (whole > k) {')));
  });

  it('a direct shader that ignores trans_b is rejected', async () => {
    rejected(await run('direct', mutate('direct', 'let trans_b = params.trans_b != 0u;', 'let trans_b = false;')));
  });

  it('a subgroup shader broadcasting from the wrong lane is rejected', async () => {
    rejected(
      await run('subgroup', mutate('subgroup', 'subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u)', 'subgroupBroadcast(v, 1u), subgroupBroadcast(v, 0u)')),
    );
  });

  it('a subgroup shader whose lanes load their own depth instead of sharing (no broadcast) is rejected', async () => {
    rejected(
      await run(
        'subgroup',
        mutate(
          'subgroup',
          'return mat4x4f(subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u), subgroupBroadcast(v, 2u), subgroupBroadcast(v, 3u));',
          'return mat4x4f(v, v, v, v);',
        ),
      ),
    );
  });

  it('a subgroup shader whose partial first step of k does not zero its clamped depths is rejected', async () => {
    rejected(
      await run(
        'subgroup',
        mutate('subgroup', 'lane < r, min(iota, vec4u(last)) * b_depth, iota < vec4u(r)', 'true, min(iota, vec4u(last)) * b_depth, vec4<bool>(true)'),
      ),
    );
  });

  it('a subgroup shader whose whole steps start at depth 0 (the partial step counted twice) is rejected', async () => {
    rejected(await run('subgroup', mutate('subgroup', 'for (var p = r; p < k; p += 4u) {', 'for (var p = 0u; p < k; p += 4u) {')));
  });

  // 8 block rows (microM 32, m = 65: three workgroups down, the last with a single row): the second group of
  // four block rows has its own rows of A and of C.
  const run32 = (code: string) =>
    gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, options: { variant: 'subgroup', microM: 32, microN: 8 }, code });
  it('a subgroup shader with 8 block rows passes; its second group reading the first group’s rows, skipped, or stored over the first is rejected', async () => {
    expect(withinBound(await run32(SUBGROUP_SOURCE), ref, bound).ok).toBe(true);
    rejected(await run32(mutate('subgroup', 'let rows_hi = row_lines(base_a, row0 + 16u, a_row);', 'let rows_hi = row_lines(base_a, row0, a_row);')));
    rejected(await run32(mutate('subgroup', 'if (ROW_BLOCKS > 4u) { rows_step(acc_hi, rows_hi, da, keep_a, b0, b1, b2, b3); }', '')));
    rejected(
      await run32(
        mutate(
          'subgroup',
          'if (ROW_BLOCKS > 4u) { store_rows(acc_hi, o + 16u * n, row0 + 16u, col0); }',
          'if (ROW_BLOCKS > 4u) { store_rows(acc_hi, o + 12u * n, row0 + 12u, col0); }',
        ),
      ),
    );
  });
});

describe('matmul subgroup variant: only where the device has subgroups', () => {
  it("a device requested without 'subgroups' refuses the variant by name, and 'auto' falls back to the direct kernel", async () => {
    const shape = { m: 7, n: 65, k: 63, transB: true };
    const { a, b } = operands(shape, 909);
    const r = await h.page.evaluate(
      async (as, bs, shape) => {
        const { lib } = window.gp;
        const gpu = await lib.requestGpu({ subgroups: false });
        try {
          let message = 'no error';
          let isInput = false;
          try {
            await lib.createMatmulKernel(gpu, { variant: 'subgroup' });
          } catch (e) {
            message = (e as Error).message;
            isInput = e instanceof lib.InputError;
          }
          lib.setMatmulTuning(gpu, null, false);
          const auto = await lib.createMatmulKernel(gpu);
          const c = await lib.matmul(gpu, window.gp.f32(as), window.gp.f32(bs), shape);
          return { features: gpu.features.has('subgroups'), summary: gpu.summary.hasSubgroups, message, isInput, auto: auto.variant, c: window.gp.toB64(c) };
        } finally {
          gpu.destroy();
        }
      },
      b64(a),
      b64(b),
      shape,
    );
    expect(r.features).toBe(false);
    expect(r.summary).toBe(false);
    expect(r.isInput).toBe(true);
    expect(r.message).toMatch(/'subgroup' needs the WebGPU 'subgroups' feature .* use 'direct'/);
    expect(r.auto).toBe('direct');
    expect(withinBound(fromB64F32(r.c), matmulRef(a, b, shape), matmulErrorBound(a, b, shape))).toMatchObject({ ok: true });
  });
});

describe('matmul errors', () => {
  it('rejects a wrong-length input with InputError saying expected vs got', async () => {
    const e = await pageError('await mm.matmul(gpu, new Float32Array(5), new Float32Array(12), { m: 2, n: 4, k: 3 });');
    expect(e.is).toContain('InputError');
    expect(e.message).toBe('a: has 5 values; expected 6 = 2×3 (A stored m×k)');
    const eb = await pageError('await mm.matmul(gpu, new Float32Array(12), new Float32Array(10), { m: 2, n: 4, k: 3, batch: 2, transB: true });');
    expect(eb.is).toContain('InputError');
    expect(eb.message).toBe('b: has 10 values; expected 24 = 2 batch items × 4×3 (B stored n×k, transB)');
  });

  it('rejects bad dimensions, tiles, aliasing and short buffers with InputError naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['await mm.matmul(gpu, new Float32Array(0), new Float32Array(0), { m: 0, n: 1, k: 1 });', /^m: must be an integer ≥ 1, got 0$/],
      ['await mm.matmul(gpu, new Float32Array(2), new Float32Array(2), { m: 1, n: 1, k: 2.5 });', /^k: must be an integer ≥ 1, got 2.5$/],
      ['await mm.createMatmulKernel(gpu, { tileM: 6 });', /^tileM: must be a multiple of 4/],
      // Options of either variant are checked whichever variant runs, so a bad one fails on every adapter.
      ["await mm.createMatmulKernel(gpu, { variant: 'direct', tileM: 6 });", /^tileM: must be a multiple of 4/],
      [
        "await mm.createMatmulKernel(gpu, { variant: 'tiled', microM: 6 });",
        /^microM: must be a multiple of 4 \(the direct kernel works in 4×4 blocks\), got 6$/,
      ],
      ['await mm.createMatmulKernel(gpu, { microN: 20 });', /^microN: must be an integer from 4 to 16, got 20$/],
      ["await mm.createMatmulKernel(gpu, { variant: 'gpu' });", /^variant: must be 'tiled', 'direct', 'vec4', 'subgroup' or 'auto', got "gpu"$/],
      ["await mm.createMatmulKernel(gpu, { variant: 'vec4', threadsX: 0 });", /^threadsX: must be an integer from 1 to/],
      [
        `const k = await mm.createMatmulKernel(gpu); const b = new lib.GpuBatch(gpu, 't');
         const buf = b.upload('t.x', new Float32Array(16));
         try { k.encode(b, { a: buf, b: b.upload('t.y', new Float32Array(16)), c: buf, m: 2, n: 2, k: 2 }); } finally { await b.submit(); }`,
        /^c: must be a different buffer from a and b/,
      ],
      [
        `const k = await mm.createMatmulKernel(gpu); const b = new lib.GpuBatch(gpu, 't');
         const x = b.upload('t.x', new Float32Array(16));
         try { k.encode(b, { a: x, b: b.upload('t.y', new Float32Array(16)), c: b.upload('t.z', new Float32Array(16)), m: 2, n: 2, k: 2, batch: 3, offsetA: 5 }); } finally { await b.submit(); }`,
        /^a: buffer holds 16 floats but offsetA \+ \(batch − 1\)·strideA \+ m·k = 17 are needed$/,
      ],
      [
        `const k = await mm.createMatmulKernel(gpu); const b = new lib.GpuBatch(gpu, 't');
         const x = b.upload('t.x', new Float32Array(64));
         try { k.encode(b, { a: x, b: b.upload('t.y', new Float32Array(64)), c: b.upload('t.z', new Float32Array(64)), m: 2, n: 2, k: 2, batch: 2, strideC: 3 }); } finally { await b.submit(); }`,
        /^strideC: must be an integer from 4 to/,
      ],
    ];
    for (const [body, message] of cases) {
      const e = await pageError(body);
      expect(e.is, body).toContain('InputError');
      expect(e.message, body).toMatch(message);
    }
  });

  it('an oversize C throws GpuLimitError naming the limit, before any allocation', async () => {
    const limits = await h.page.evaluate(() => {
      const l = window.gp.gpu!.limits;
      return { binding: l.maxStorageBufferBindingSize, buffer: l.maxBufferSize };
    });
    // m = n just past √(binding / 4), k = 1: A and B are tiny, C is just past the binding limit. checkStorageSize
    // names maxBufferSize when C also exceeds that (SwiftShader reports the same 1 GiB for both).
    const m = Math.floor(Math.sqrt(limits.binding / 4)) + 1;
    const bytes = 4 * m * m;
    expect(bytes).toBeGreaterThan(limits.binding);
    const limit = bytes > limits.buffer ? 'maxBufferSize' : 'maxStorageBufferBindingSize';
    const allowed = (bytes > limits.buffer ? limits.buffer : limits.binding).toLocaleString('en-US');
    const e = await pageError('await mm.matmul(gpu, new Float32Array(x), new Float32Array(x), { m: x, n: x, k: 1 });', m);
    expect(e.is).toContain('GpuLimitError');
    expect(e.message).toContain(`matmul C needs ${bytes.toLocaleString('en-US')} bytes, but this device's ${limit} is ${allowed} bytes`);
    // encode() checks the limit before complaining that the (small) buffers cannot hold the request.
    const e2 = await pageError(
      `const k = await mm.createMatmulKernel(gpu); const b = new lib.GpuBatch(gpu, 't');
       const buf = () => b.upload('t', new Float32Array(16));
       try { k.encode(b, { a: buf(), b: buf(), c: buf(), m: x, n: x, k: 1 }); } finally { await b.submit(); }`,
      m,
    );
    expect(e2.is).toContain('GpuLimitError');
    expect(e2.message).toContain(`this device's ${limit}`);
  });

  it('a batch beyond maxComputeWorkgroupsPerDimension throws GpuLimitError', async () => {
    const e = await pageError(
      `const k = await mm.createMatmulKernel(gpu); const b = new lib.GpuBatch(gpu, 't');
       const n = gpu.limits.maxComputeWorkgroupsPerDimension + 1;
       const buf = () => b.upload('t', new Float32Array(n));
       try { k.encode(b, { a: buf(), b: buf(), c: buf(), m: 1, n: 1, k: 1, batch: n }); } finally { await b.submit(); }`,
    );
    expect(e.is).toContain('GpuLimitError');
    expect(e.message).toMatch(/maxComputeWorkgroupsPerDimension is 65,535 workgroups in one dimension/);
  });

  it('tiles needing more workgroup memory than the device has throw GpuLimitError', async () => {
    const e = await pageError('await mm.createMatmulKernel(gpu, { tileM: 64, tileN: 64, tileK: 1024 });');
    expect(e.is).toContain('GpuLimitError');
    expect(e.message).toContain(
      `matmul tiles 64×64×1024 needs ${(4 * 1024 * (64 + 64 + 2)).toLocaleString('en-US')} bytes, but this device's maxComputeWorkgroupStorageSize`,
    );
  });

  const brokenCases = [
    {
      variant: 'tiled',
      file: 'shaders/matmul.wgsl',
      source: SOURCE,
      target: 'acc[i] += tile_a[ra + i * THREADS_Y] * bv;',
      broken: 'acc[i] += no_such_value * bv;',
    },
    {
      variant: 'direct',
      file: 'shaders/matmul-direct.wgsl',
      source: DIRECT_SOURCE,
      target: '(*acc).c00 += a0 * b0;',
      broken: '(*acc).c00 += no_such_value * b0;',
    },
  ] as const;
  for (const { variant, file, source, target, broken: replacement } of brokenCases) {
    it(`a broken ${variant} shader rejects with ShaderCompileError pointing at ${file}:LINE:COL`, async () => {
      expect(source.split(target).length).toBe(2);
      const broken = source.replace(target, replacement);
      const lines = broken.split('\n');
      const line = lines.findIndex((l) => l.includes('no_such_value')) + 1;
      const col = lines[line - 1].indexOf('no_such_value') + 1;
      expect(line).toBeGreaterThan(0);
      const e = await pageError(`await mm.createMatmulKernel(gpu, { variant: '${variant}', code: x });`, broken);
      expect(e.is).toContain('ShaderCompileError');
      expect(e.message).toContain(`${file}:${line}:${col}`);
      expect(e.message).toContain('no_such_value');
    });
  }
});

describe("matmul Params: written by the layout of the kernel's own struct", () => {
  // Params moved: alpha first, then a padding word, then the rest (every offset shifts by 8 bytes). A
  // writer keeping the built-in's layout would hand this shader m = bits of alpha, and so on.
  const REORDERED = DIRECT_SOURCE.replace('struct Params {\n  m: u32,', 'struct Params {\n  alpha: f32,\n  _pad0: u32,\n  m: u32,').replace(
    '  alpha: f32,\n}',
    '}',
  );

  it('an edited kernel with its Params fields reordered and padded computes the right product', async () => {
    expect(REORDERED).not.toBe(DIRECT_SOURCE);
    expect(REORDERED.match(/alpha: f32/g)).toHaveLength(1);
    const shape = { m: 9, n: 10, k: 11, transA: true, transB: false, alpha: -1.75 };
    const { a, b } = operands(shape, 21);
    const c = await gpuEncode({
      a,
      b,
      c: new Float32Array(shape.m * shape.n),
      args: shape,
      options: { variant: 'direct', microM: 4, microN: 4 },
      code: REORDERED,
    });
    expect(withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)).ok).toBe(true);
  });

  it('an edited kernel whose Params lacks a field the host writes is refused, naming the fields', async () => {
    const renamed = DIRECT_SOURCE.replace('  alpha: f32,\n}', '  beta: f32,\n}').replaceAll('params.alpha', 'params.beta');
    expect(renamed).not.toBe(DIRECT_SOURCE);
    const e = await pageError("await mm.createMatmulKernel(gpu, { variant: 'direct', code: x });", renamed);
    expect(e.name).toBe('UniformLayoutError');
    expect(e.message).toContain("shaders/matmul-direct.wgsl: struct Params lacks 'alpha' and has 'beta' that this kernel does not write");
  });
});
