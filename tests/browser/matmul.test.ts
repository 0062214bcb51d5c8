// The tiled matmul kernel against the float64 reference, on headless Chromium's WebGPU (SwiftShader).
//
// Tolerance: every element is judged by matmulErrorBound, the worst-case f32 error of a length-k dot product
// for any summation order: |gpu − ref|ᵢⱼ ≤ γ_{k+2}·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ + (2k + 1)·2⁻¹²⁶·max(1, |alpha|),
// γ_j = j·2⁻²⁴ / (1 − j·2⁻²⁴) (Higham §3.1; the +2 covers alpha's rounding to f32 and its multiply, the
// second term subnormals WGSL may flush). No magic constants: a correct kernel cannot exceed it, and the
// mutant-shader tests below show that a wrong one does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { b64, fromB64F32, openHarness, type HarnessPage } from '../helpers/browser';
import { makeNormal } from '../../src/kernels/cpu/random';
import { matmulErrorBound, matmulRef, matmulTolerance, type MatmulRefOptions } from '../../src/kernels/cpu/matmul-ref';
import { compareArrays } from '../../src/kernels/compare';

type MatmulModule = typeof import('../../src/kernels/matmul');
type MatmulCheckModule = typeof import('../../src/kernels/checks/matmul-check');
declare global {
  interface Window {
    gpMatmul: MatmulModule;
    gpMatmulCheck: MatmulCheckModule;
  }
}
const SOURCE = readFileSync('shaders/matmul.wgsl', 'utf8');

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
  // src/index.ts does not export the kernel yet; a string, so Vitest does not rewrite the import().
  await h.page.evaluate(`import('/src/kernels/matmul.ts').then((m) => { window.gpMatmul = m; })`);
  await h.page.evaluate(`import('/src/kernels/checks/matmul-check.ts').then((m) => { window.gpMatmulCheck = m; })`);
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
      const mm = window.gpMatmul;
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
  tiles?: { tileM?: number; tileN?: number; tileK?: number };
  code?: string;
}

/** One `encode` into a GpuBatch in the page; returns the whole C buffer after the dispatch. */
async function gpuEncode(job: EncodeJob): Promise<Float32Array> {
  const out = await h.page.evaluate(
    async (as, bs, cs, args, tiles, code) => {
      const { lib, gpu, f32, toB64 } = window.gp;
      const mm = window.gpMatmul;
      const kernel = await mm.createMatmulKernel(gpu!, { ...tiles, code: code ?? undefined });
      const batch = new lib.GpuBatch(gpu!, 'test.matmul');
      const c0 = f32(cs);
      const c = batch.upload('test.matmul.c', c0);
      kernel.encode(batch, { ...(args as { m: number; n: number; k: number }), a: batch.upload('test.matmul.a', f32(as)), b: batch.upload('test.matmul.b', f32(bs)), c });
      const r = batch.read(c, c0.byteLength);
      await batch.submit();
      return toB64(lib.f32(r));
    },
    b64(job.a),
    b64(job.b),
    b64(job.c),
    job.args,
    job.tiles ?? {},
    job.code ?? null,
  );
  return fromB64F32(out);
}

/** Runs `fn` in the page and returns the thrown error's name, message and the class it is an instance of. */
async function pageError(fn: string, arg: unknown = null): Promise<{ name: string; message: string; is: string[] }> {
  return h.page.evaluate(
    async (body, x) => {
      const { lib, gpu } = window.gp;
      const mm = window.gpMatmul;
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

describe('matmul kernel vs float64 reference', () => {
  for (const [transA, transB] of TRANS) {
    it(`C = ${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'} on ${SHAPES.map((s) => s.join('×')).join(', ')} (m×n×k)`, async () => {
      for (const [m, n, k] of SHAPES) {
        const shape = { m, n, k, transA, transB };
        const { a, b } = operands(shape, m * 7919 + n * 31 + k);
        const gpu = await gpuMatmul(a, b, shape);
        const ref = matmulRef(a, b, shape);
        const check = withinBound(gpu, ref, matmulErrorBound(a, b, shape));
        expect(check, `${m}×${n}×${k} transA=${transA} transB=${transB}`).toMatchObject({ ok: true });
        expect(compareArrays(gpu, ref, matmulTolerance(a, b, shape)).ok).toBe(true);
      }
    });
  }

  it('batched, contiguous items, with transposes (high-level API)', async () => {
    for (const [transA, transB] of TRANS) {
      const shape = { m: 33, n: 9, k: 17, batch: 3, transA, transB };
      const { a, b } = operands(shape, 401);
      const gpu = await gpuMatmul(a, b, shape);
      expect(gpu.length).toBe(3 * 33 * 9);
      const check = withinBound(gpu, matmulRef(a, b, shape), matmulErrorBound(a, b, shape));
      expect(check, `batch transA=${transA} transB=${transB}`).toMatchObject({ ok: true });
    }
  });

  // Offsets, padded strides and stride-0 broadcasting through encode(); C starts as a sentinel, so the
  // test also proves nothing is written outside each item's m×n block.
  const SENTINEL = 4242.5;
  const strided: { name: string; m: number; n: number; k: number; batch: number; transA: boolean; transB: boolean; strideA: (m: number, k: number) => number; strideB: (k: number, n: number) => number; alpha: number }[] = [
    { name: 'A broadcast (stride 0), padded B', m: 65, n: 33, k: 70, batch: 4, transA: false, transB: false, strideA: () => 0, strideB: (k, n) => k * n + 5, alpha: 1 },
    { name: 'B broadcast (stride 0), Bᵀ, alpha = −1/3', m: 17, n: 66, k: 31, batch: 3, transA: false, transB: true, strideA: (m, k) => m * k + 3, strideB: () => 0, alpha: -1 / 3 },
    { name: 'Aᵀ·Bᵀ, both padded, alpha = 0.125', m: 9, n: 7, k: 129, batch: 5, transA: true, transB: true, strideA: (m, k) => m * k + 1, strideB: (k, n) => k * n + 2, alpha: 0.125 },
  ];
  for (const s of strided) {
    it(`batched with offsets and strides: ${s.name}`, async () => {
      const { m, n, k, batch, transA, transB, alpha } = s;
      const [strideA, strideB, strideC] = [s.strideA(m, k), s.strideB(k, n), m * n + 11];
      const [offsetA, offsetB, offsetC] = [3, 13, 7];
      const aFull = makeNormal(offsetA + (batch - 1) * strideA + m * k + 9, 51);
      const bFull = makeNormal(offsetB + (batch - 1) * strideB + k * n + 4, 52);
      const cLen = offsetC + (batch - 1) * strideC + m * n + 6;
      const c = await gpuEncode({
        a: aFull,
        b: bFull,
        c: new Float32Array(cLen).fill(SENTINEL),
        args: { m, n, k, batch, transA, transB, offsetA, offsetB, offsetC, strideA, strideB, strideC, alpha },
      });
      const opts = { m, n, k, batch, transA, transB, strideA, strideB, alpha };
      const [a, b] = [aFull.subarray(offsetA), bFull.subarray(offsetB)];
      const ref = matmulRef(a, b, opts);
      const bound = matmulErrorBound(a, b, opts);
      const got = new Float32Array(batch * m * n);
      const written = new Uint8Array(cLen);
      for (let t = 0; t < batch; t++) {
        const start = offsetC + t * strideC;
        got.set(c.subarray(start, start + m * n), t * m * n);
        written.fill(1, start, start + m * n);
      }
      expect(withinBound(got, ref, bound), s.name).toMatchObject({ ok: true });
      const strays = [...c].filter((v, i) => !written[i] && v !== SENTINEL).length;
      expect(strays, 'elements changed outside the C blocks').toBe(0);
    });
  }

  for (const tiles of [
    { tileM: 4, tileN: 4, tileK: 1 },
    { tileM: 32, tileN: 16, tileK: 8 },
    { tileM: 16, tileN: 128, tileK: 4 },
  ]) {
    it(`tile override constants ${tiles.tileM}×${tiles.tileN}×${tiles.tileK}, every transpose`, async () => {
      const [m, n, k] = [37, 131, 45];
      for (const [transA, transB] of TRANS) {
        const shape = { m, n, k, transA, transB };
        const { a, b } = operands(shape, tiles.tileM * 100 + tiles.tileK);
        const c = await gpuEncode({ a, b, c: new Float32Array(m * n), args: shape, tiles });
        expect(withinBound(c, matmulRef(a, b, shape), matmulErrorBound(a, b, shape)), `${JSON.stringify(tiles)} ${transA} ${transB}`).toMatchObject({ ok: true });
      }
    });
  }

  it('builds one pipeline per tile shape and reuses it', async () => {
    const sizes = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      const mm = window.gpMatmul;
      const n0 = gpu!.pipelines.size;
      await mm.createMatmulKernel(gpu!, { tileM: 8, tileN: 8, tileK: 2 });
      const n1 = gpu!.pipelines.size;
      await mm.createMatmulKernel(gpu!, { tileM: 8, tileN: 8, tileK: 2 });
      return [n0, n1, gpu!.pipelines.size];
    });
    expect(sizes[1] - sizes[0], 'a new tile shape adds one pipeline (serving all four transposes)').toBe(1);
    expect(sizes[2], 'the same tile shape again adds none').toBe(sizes[1]);
  });
});

describe('matmul kernel check', () => {
  it('runs its four shapes on the GPU and passes each with a k-scaled tolerance', async () => {
    const results = await h.page.evaluate(async () => window.gpMatmulCheck.matmulCheck.run(window.gp.gpu!));
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

describe('matmul: the comparison can fail', () => {
  const shape = { m: 65, n: 63, k: 63, transB: true };
  const { a, b } = operands(shape, 77);
  const ref = matmulRef(a, b, shape);
  const bound = matmulErrorBound(a, b, shape);
  const tol = matmulTolerance(a, b, shape);
  // Small tiles compile faster on SwiftShader; the control below runs the real shader with the same tiles.
  const tiles = { tileM: 32, tileN: 16, tileK: 8 };
  const run = (code?: string) => gpuEncode({ a, b, c: new Float32Array(shape.m * shape.n), args: shape, tiles, code });
  const mutate = (from: string, to: string) => {
    expect(SOURCE.split(from).length, `"${from}" occurs once in the shader`).toBe(2);
    return SOURCE.replace(from, to);
  };

  it('the real shader passes on this case', async () => {
    const c = await run(SOURCE);
    expect(withinBound(c, ref, bound).ok).toBe(true);
    expect(compareArrays(c, ref, tol).ok).toBe(true);
  });

  it('a shader accumulating with -= instead of += is rejected', async () => {
    const c = await run(mutate('acc[i] += tile_a', 'acc[i] -= tile_a'));
    expect(compareArrays(c, ref, tol).ok).toBe(false);
    expect(withinBound(c, ref, bound).ok).toBe(false);
  });

  it('a 1e-4 relative error is rejected (the tolerance is tight, γ ≈ 3.9e-6 at k = 63)', async () => {
    const c = await run(mutate('params.alpha * acc[i][j]', 'params.alpha * acc[i][j] * 1.0001'));
    expect(compareArrays(c, ref, tol).ok).toBe(false);
    expect(withinBound(c, ref, bound).ok).toBe(false);
  });

  it('a shader that stops the k loop one tile early is rejected', async () => {
    const c = await run(mutate('k0 < k;', 'k0 + TILE_K < k;'));
    expect(compareArrays(c, ref, tol).ok).toBe(false);
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
    expect(e.message).toContain(`matmul tiles 64×64×1024 needs ${(4 * 1024 * (64 + 64 + 2)).toLocaleString('en-US')} bytes, but this device's maxComputeWorkgroupStorageSize`);
  });

  it('a broken shader rejects with ShaderCompileError pointing at shaders/matmul.wgsl:LINE:COL', async () => {
    const target = 'acc[i] += tile_a[ra + i * THREADS_Y] * bv;';
    const broken = SOURCE.replace(target, 'acc[i] += no_such_value * bv;');
    const lines = broken.split('\n');
    const line = lines.findIndex((l) => l.includes('no_such_value')) + 1;
    const col = lines[line - 1].indexOf('no_such_value') + 1;
    expect(line).toBeGreaterThan(0);
    const e = await pageError('await mm.createMatmulKernel(gpu, { code: x });', broken);
    expect(e.is).toContain('ShaderCompileError');
    expect(e.message).toContain(`shaders/matmul.wgsl:${line}:${col}`);
    expect(e.message).toContain('no_such_value');
  });
});
