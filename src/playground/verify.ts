/**
 * Verify: runs an edited kernel on a set of shapes (awkward ones included) and compares every output
 * with the float64 reference, like the Kernel check (same references, same tolerances, compareArrays),
 * but for code the user wrote. Per shape: pass/fail, max absolute and relative error, and the first
 * mismatching index, named in the output's own terms (`C[4, 17]`, `variance[3]`, …). Output buffers
 * start filled with NaN, so an element the kernel never writes cannot pass by accident.
 */
import type { GpuContext } from '../gpu/context';
import { GpuBatch, f32, u32 } from '../gpu/batch';
import { compareArrays } from '../kernels/compare';
import { createMatmulKernel } from '../kernels/matmul';
import { matmulGamma, matmulRef, matmulTolerance, type MatmulRefOptions } from '../kernels/cpu/matmul-ref';
import { createMomentsKernel } from '../kernels/moments';
import { momentsAllRef, momentsRef } from '../kernels/cpu/moments-ref';
import { createNormsKernel, decodeNorms, NORM_WORDS, pickSegmentsPerGroup } from '../kernels/norms';
import { l2NormsRef } from '../kernels/cpu/norms-ref';
import { createElementwiseKernel } from '../kernels/elementwise';
import { activationBackwardRef, activationForwardRef, normalizeColumnsRef } from '../kernels/cpu/elementwise-ref';
import { makeNormal, makeUniform } from '../kernels/cpu/random';
import { type CatalogKernel, matmulOptionsFor } from './catalog';

/** One shape's verdict. */
export interface VerifyCase {
  shape: string;
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  /** Tolerance (relative) the case is judged by. */
  rtol: number;
  /** First output index outside tolerance, or -1. */
  firstBad: number;
  /** That index in the output's own terms, e.g. `C[0, 3] of batch item 1`; null when all pass. */
  firstBadAt: string | null;
  /** GPU value and float64 reference at firstBad. */
  got: number | null;
  expected: number | null;
  /** Output elements compared. */
  count: number;
  /** Set when the case threw (compile error, pipeline error, validation error). */
  error?: string;
}

/** Verify's answer for one kernel. */
export interface VerifyReport {
  kernel: string;
  file: string;
  ok: boolean;
  passed: number;
  total: number;
  cases: VerifyCase[];
}

/** A verify shape: runs `code` and returns the output, the reference and how to name an index. */
interface Case {
  shape: string;
  rtol: number;
  run(gpu: GpuContext, code: string): Promise<{ got: ArrayLike<number>; ref: ArrayLike<number>; tol: { rtol: number; atol: number }; at(i: number): string }>;
}

const nanFilled = (n: number) => new Float32Array(n).fill(NaN);

// ---------- matmul ----------

interface MatmulCase extends MatmulRefOptions {
  shape: string;
}

/**
 * The Kernel check's four matmul shapes (1×1×1; tile edges with Bᵀ; a long k with Aᵀ; a batch), plus both
 * transposes at once, α ≠ 1, a broadcast operand (stride 0, as the Depth lab's backward pass uses) and a
 * Depth-lab layer (Z = A·Wᵀ, 64 wide).
 */
export const MATMUL_VERIFY_CASES: readonly MatmulCase[] = [
  { shape: '1×1 · 1×1', m: 1, n: 1, k: 1 },
  { shape: '65×63 · 63×257, Bᵀ', m: 65, n: 257, k: 63, transB: true },
  { shape: '7×300 · 300×5, Aᵀ', m: 7, n: 5, k: 300, transA: true },
  { shape: '3 × (33×17 · 17×9)', m: 33, n: 9, k: 17, batch: 3 },
  { shape: '17×5 · 5×3, Aᵀ and Bᵀ, α = 0.5', m: 17, n: 3, k: 5, transA: true, transB: true, alpha: 0.5 },
  { shape: '2 × (8×12 · 12×6), B shared (stride 0)', m: 8, n: 6, k: 12, batch: 2, strideB: 0 },
  { shape: '32×64 · 64×64, Bᵀ (a Depth-lab layer)', m: 32, n: 64, k: 64, transB: true },
  // Shapes the vec4 paths take (vec4Aligned, subgroupVec4Aligned), so an edit of those files really runs:
  // rows not a multiple of 4, a partial last step of k, batched.
  { shape: '2 × (9×13 · 13×20), Aᵀ, α = −1', m: 9, n: 20, k: 13, batch: 2, transA: true, alpha: -1 },
  { shape: '13×36 · 36×8', m: 13, n: 8, k: 36 },
];

/** The inputs Verify feeds matmul case `index` of MATMUL_VERIFY_CASES (seeded, so tests can rebuild them). */
export function matmulCaseInputs(index: number): { c: MatmulCase; a: Float32Array; b: Float32Array } {
  const c = MATMUL_VERIFY_CASES[index];
  const batchCount = c.batch ?? 1;
  const strideA = c.strideA ?? c.m * c.k;
  const strideB = c.strideB ?? c.k * c.n;
  const seed = 100 + 2 * index;
  return { c, a: makeNormal((batchCount - 1) * strideA + c.m * c.k, seed), b: makeNormal((batchCount - 1) * strideB + c.k * c.n, seed + 1) };
}

function matmulCase(file: Pick<CatalogKernel, 'file' | 'variant'>, index: number): Case {
  const c = MATMUL_VERIFY_CASES[index];
  const rtol = matmulGamma(c.k);
  return {
    shape: c.shape,
    rtol,
    async run(gpu, code) {
      const batchCount = c.batch ?? 1;
      const { a, b } = matmulCaseInputs(index);
      const kernel = await createMatmulKernel(gpu, matmulOptionsFor(file, code));
      const batch = new GpuBatch(gpu, `verify.matmul[${c.shape}]`);
      const count = batchCount * c.m * c.n;
      const out = batch.upload('verify.matmul.c', nanFilled(count));
      kernel.encode(batch, { ...c, a: batch.upload('verify.matmul.a', a), b: batch.upload('verify.matmul.b', b), c: out });
      const r = batch.read(out, 4 * count);
      await batch.submit();
      return {
        got: f32(r),
        ref: matmulRef(a, b, c),
        tol: matmulTolerance(a, b, c),
        at(i) {
          const item = Math.floor(i / (c.m * c.n));
          const rest = i % (c.m * c.n);
          return `C[${Math.floor(rest / c.n)}, ${rest % c.n}]${batchCount > 1 ? ` of batch item ${item}` : ''}`;
        },
      };
    },
  };
}

// ---------- moments ----------

function momentsCases(): Case[] {
  const cases: Case[] = [];
  for (const [rows, cols] of [[1, 1], [257, 63], [4097, 7]] as const) {
    cases.push({
      shape: `${rows}×${cols}, per column`,
      rtol: 1e-4,
      async run(gpu, code) {
        const x = makeNormal(rows * cols, 41 + rows + cols, 3, 2);
        const kernel = await createMomentsKernel(gpu, { code });
        const batch = new GpuBatch(gpu, `verify.moments[${rows}×${cols}]`);
        const out = batch.upload('verify.moments.out', nanFilled(2 * cols));
        kernel.encodeColumns(batch, { x: batch.upload('verify.moments.x', x), rows, cols, out });
        const r = batch.read(out, 8 * cols);
        await batch.submit();
        const ref = momentsRef(x, rows, cols);
        return {
          got: f32(r),
          ref: [...ref.mean, ...ref.variance],
          tol: { rtol: 1e-4, atol: 1e-6 },
          at: (i) => (i < cols ? `mean[${i}]` : `variance[${i - cols}]`),
        };
      },
    });
  }
  const n = 100_003;
  cases.push({
    shape: `all ${n.toLocaleString('en-US')} values of 10⁴ + U(0,1)`,
    rtol: 1e-3,
    async run(gpu, code) {
      const x = makeUniform(n, 12, 1e4, 1e4 + 1);
      const kernel = await createMomentsKernel(gpu, { code });
      const batch = new GpuBatch(gpu, 'verify.moments[all]');
      const out = batch.upload('verify.moments.out', nanFilled(2));
      kernel.encodeAll(batch, { x: batch.upload('verify.moments.x', x), count: n, out });
      const r = batch.read(out, 8);
      await batch.submit();
      const ref = momentsAllRef(x);
      return { got: f32(r), ref: [ref.mean, ref.variance], tol: { rtol: 1e-3, atol: 0 }, at: (i) => (i === 0 ? 'mean' : 'variance') };
    },
  });
  return cases;
}

// ---------- norms ----------

function offsetsFor(lengths: readonly number[]): Uint32Array {
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((n, i) => (offsets[i + 1] = offsets[i] + n));
  return offsets;
}

function normsCase(shape: string, x: Float32Array, offsets: Uint32Array): Case {
  return {
    shape,
    rtol: 1e-5,
    async run(gpu, code) {
      const kernel = await createNormsKernel(gpu, { code });
      const segments = offsets.length - 1;
      const batch = new GpuBatch(gpu, `verify.norms[${shape}]`);
      const outBytes = NORM_WORDS * 4 * segments;
      const out = batch.upload('verify.norms.out', nanFilled(outBytes / 4));
      kernel.encode(batch, {
        x: batch.upload('verify.norms.x', x),
        offsets: batch.upload('verify.norms.offsets', offsets),
        segments,
        out,
        segmentsPerGroup: pickSegmentsPerGroup(offsets, kernel.workgroup),
      });
      const r = batch.read(out, outBytes);
      await batch.submit();
      return {
        got: decodeNorms(u32(r).buffer as ArrayBuffer, segments),
        ref: l2NormsRef(x, offsets),
        tol: { rtol: 1e-5, atol: 1e-300 },
        at: (i) => `norm of segment ${i} (${offsets[i + 1] - offsets[i]} values)`,
      };
    },
  };
}

function normsCases(): Case[] {
  const lengths = [0, 1, 7, 63, 65, 257, 20_001];
  const offsets = offsetsFor(lengths);
  const mixed = makeNormal(offsets[offsets.length - 1], 17);
  const big = new Float32Array(1000).fill(1e30);
  const huge = new Float32Array(100).fill(3e38);
  const tiny = new Float32Array(1000).fill(-1e-30);
  return [
    normsCase(`segments of ${lengths.join(', ')}`, mixed, offsets),
    normsCase('1,000 × 1e30, 100 × 3e38, 1,000 × −1e-30', new Float32Array([...big, ...huge, ...tiny]), offsetsFor([1000, 100, 1000])),
  ];
}

// ---------- elementwise ----------

function elementwiseCases(): Case[] {
  const cases: Case[] = [];
  for (const activation of ['linear', 'relu', 'tanh', 'sigmoid'] as const) {
    for (const pass of ['forward', 'backward'] as const) {
      const n = 4097;
      cases.push({
        shape: `${pass}, ${activation}, ${n} values`,
        rtol: 2e-5,
        async run(gpu, code) {
          const z = makeNormal(n, 7, 0, 6);
          const g = makeUniform(n, 8, -2, 2);
          const kernel = await createElementwiseKernel(gpu, { activation, code });
          const batch = new GpuBatch(gpu, `verify.elementwise[${pass},${activation}]`);
          const zb = batch.upload('verify.z', z);
          const out = batch.upload('verify.out', nanFilled(n));
          if (pass === 'forward') kernel.encodeForward(batch, { x: zb, out, count: n });
          else kernel.encodeBackward(batch, { x: zb, g: batch.upload('verify.g', g), out, count: n });
          const r = batch.read(out, 4 * n);
          await batch.submit();
          const ref = pass === 'forward' ? activationForwardRef(z, activation) : activationBackwardRef(z, g, activation);
          return { got: f32(r), ref, tol: { rtol: 2e-5, atol: 1e-6 }, at: (i) => `out[${i}] (z = ${z[i].toPrecision(4)})` };
        },
      });
    }
  }
  const [rows, cols] = [257, 63];
  cases.push({
    shape: `normalize ${rows}×${cols}`,
    rtol: 2e-5,
    async run(gpu, code) {
      const x = makeUniform(rows * cols, 3, 1, 1000);
      const mean = Float32Array.from({ length: cols }, (_, c) => 500 + c);
      const std = Float32Array.from({ length: cols }, (_, c) => 288 + c);
      const kernel = await createElementwiseKernel(gpu, { code });
      const batch = new GpuBatch(gpu, 'verify.normalize');
      const out = batch.upload('verify.out', nanFilled(rows * cols));
      kernel.encodeNormalize(batch, { x: batch.upload('verify.x', x), mean: batch.upload('verify.mean', mean), std: batch.upload('verify.std', std), out, rows, cols });
      const r = batch.read(out, 4 * rows * cols);
      await batch.submit();
      return {
        got: f32(r),
        ref: normalizeColumnsRef(x, rows, cols, mean, std),
        tol: { rtol: 2e-5, atol: 1e-6 },
        at: (i) => `out[${Math.floor(i / cols)}, ${i % cols}]`,
      };
    },
  });
  return cases;
}

/** The shapes Verify runs for a kernel (empty for kernels it has no reference for). */
export function verifyCasesFor(kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>): readonly { shape: string; rtol: number }[] {
  return casesFor(kernel);
}

function casesFor(kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>): Case[] {
  switch (kernel.family) {
    case 'matmul':
      return MATMUL_VERIFY_CASES.map((_, i) => matmulCase(kernel, i));
    case 'moments':
      return momentsCases();
    case 'norms':
      return normsCases();
    case 'elementwise':
      return elementwiseCases();
    default:
      return [];
  }
}

/** Options of verifyKernel. */
export interface VerifyOptions {
  signal?: AbortSignal;
  /** Called after each shape with the cases so far. */
  onCase?: (done: VerifyCase[], total: number) => void;
}

/**
 * Runs `code` as `kernel` (its variant, its host code, its dispatch shape) on every Verify shape and
 * compares with the float64 reference. A case that throws (compile or pipeline error) fails with the
 * message; the other cases still run.
 */
export async function verifyKernel(gpu: GpuContext, kernel: CatalogKernel, code: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const cases = casesFor(kernel);
  const results: VerifyCase[] = [];
  for (const c of cases) {
    options.signal?.throwIfAborted();
    try {
      const { got, ref, tol, at } = await c.run(gpu, code);
      const cmp = compareArrays(got, ref, tol);
      results.push({
        shape: c.shape,
        ok: cmp.ok,
        maxAbsError: cmp.maxAbsError,
        maxRelError: cmp.maxRelError,
        rtol: tol.rtol,
        firstBad: cmp.firstBad,
        firstBadAt: cmp.firstBad >= 0 ? at(cmp.firstBad) : null,
        got: cmp.firstBad >= 0 && cmp.firstBad < got.length ? got[cmp.firstBad] : null,
        expected: cmp.firstBad >= 0 && cmp.firstBad < ref.length ? ref[cmp.firstBad] : null,
        count: cmp.count,
      });
    } catch (err) {
      results.push({
        shape: c.shape,
        ok: false,
        maxAbsError: Infinity,
        maxRelError: Infinity,
        rtol: c.rtol,
        firstBad: -1,
        firstBadAt: null,
        got: null,
        expected: null,
        count: 0,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    options.onCase?.([...results], cases.length);
  }
  const passed = results.filter((r) => r.ok).length;
  return { kernel: kernel.id, file: kernel.file, ok: results.length > 0 && passed === results.length, passed, total: results.length, cases: results };
}

/** "All 7 shapes pass" / "2 of 7 shapes fail — first: …" for the UI. */
export function summarizeVerify(report: VerifyReport): string {
  if (report.total === 0) return 'No reference for this kernel: Verify has nothing to compare with.';
  if (report.ok) return `All ${report.total} shapes pass against the float64 reference.`;
  const first = report.cases.find((c) => !c.ok)!;
  const where = first.error ? `it failed to run: ${first.error.split('\n')[0]}` : `first mismatch at index ${first.firstBad} (${first.firstBadAt})`;
  return `${report.total - report.passed} of ${report.total} shapes fail. First failing shape: ${first.shape} — ${where}.`;
}
