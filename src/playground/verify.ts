/**
 * Verify: runs an edited kernel on a set of shapes (awkward ones included) and compares every output
 * with the float64 reference, like the Kernel check (same references, same tolerances, compareArrays),
 * but for code the user wrote. Per shape: pass/fail, max absolute and relative error, and the first
 * mismatching index, named in the output's own terms (`C[4, 17]`, `variance[3]`, …). Output buffers
 * start filled with NaN, so an element the kernel never writes cannot pass by accident. Besides its own
 * shapes, Verify runs the shapes the Depth and Normalization labs will run (`lab`, see lab-shapes.ts),
 * within a work limit; every case runs under a watchdog (a kernel that never finishes is reported and
 * Verify stops), and an AbortSignal stops it between cases.
 */
import { msg, str } from '@lit/localize';
import type { GpuContext } from '../gpu/context';
import { GpuBatch, f32, u32, type Readback } from '../gpu/batch';
import { compareArrays } from '../kernels/compare';
import { createMatmulKernel } from '../kernels/matmul';
import { matmulGamma, matmulRef, matmulTolerance, type MatmulRefOptions } from '../kernels/cpu/matmul-ref';
import { createMomentsKernel } from '../kernels/moments';
import { momentsAllRef, momentsRef } from '../kernels/cpu/moments-ref';
import { createNormsKernel, decodeNorms, NORM_WORDS, pickSegmentsPerGroup } from '../kernels/norms';
import { l2NormsRef } from '../kernels/cpu/norms-ref';
import { createElementwiseKernel, type Activation } from '../kernels/elementwise';
import { activationBackwardRef, activationForwardRef, normalizeColumnsRef } from '../kernels/cpu/elementwise-ref';
import { makeNormal, makeUniform } from '../kernels/cpu/random';
import { type CatalogKernel, matmulOptionsFor } from './catalog';
import { GRAM_CHUNK_ROWS, type LabSettings } from './lab-shapes';
import { WatchdogTimeoutError, formatLimit, watchdogMs, withWatchdog } from '../gpu/watchdog';

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
  /** Set when the case threw (compile error, pipeline error, validation error, time limit). */
  error?: string;
  /** True for a shape a lab runs with its current settings. */
  lab?: boolean;
  /** True when the case did not finish within its time limit (Verify stopped there). */
  timedOut?: boolean;
}

/** Verify's answer for one kernel. */
export interface VerifyReport {
  kernel: string;
  file: string;
  ok: boolean;
  passed: number;
  total: number;
  cases: VerifyCase[];
  /** Set when a case hit the watchdog: the shape, and the cases not run after it. */
  timedOut?: { shape: string; limitMs: number; notRun: number };
}

/** A verify shape: runs `code` and returns the output, the reference and how to name an index. */
interface Case {
  shape: string;
  rtol: number;
  /** Multiply-adds (or element operations) of the case: sets its time limit. */
  work: number;
  lab?: boolean;
  /** Builds the kernel (not timed) and runs it, its submission under `watch` (the watchdog). */
  run(
    gpu: GpuContext,
    code: string,
    watch: <T>(work: Promise<T>) => Promise<T>,
  ): Promise<{ got: ArrayLike<number>; ref: ArrayLike<number>; tol: { rtol: number; atol: number }; at(i: number): string }>;
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
  return { c, ...matmulInputs(c, 100 + 2 * index) };
}

function matmulInputs(c: MatmulCase, seed: number): { a: Float32Array; b: Float32Array } {
  const batchCount = c.batch ?? 1;
  const strideA = c.strideA ?? c.m * c.k;
  const strideB = c.strideB ?? c.k * c.n;
  return { a: makeNormal((batchCount - 1) * strideA + c.m * c.k, seed), b: makeNormal((batchCount - 1) * strideB + c.k * c.n, seed + 1) };
}

const matmulWork = (c: MatmulRefOptions) => (c.batch ?? 1) * c.m * c.n * c.k;

function matmulCase(file: Pick<CatalogKernel, 'file' | 'variant'>, c: MatmulCase, seed: number, lab = false): Case {
  const rtol = matmulGamma(c.k);
  return {
    shape: c.shape,
    rtol,
    work: matmulWork(c),
    lab,
    async run(gpu, code, watch) {
      const batchCount = c.batch ?? 1;
      const { a, b } = matmulInputs(c, seed);
      const kernel = await createMatmulKernel(gpu, matmulOptionsFor(file, code));
      const batch = new GpuBatch(gpu, `verify.matmul[${c.shape}]`);
      let r: Readback;
      try {
        const count = batchCount * c.m * c.n;
        const out = batch.upload('verify.matmul.c', nanFilled(count));
        kernel.encode(batch, { ...c, a: batch.upload('verify.matmul.a', a), b: batch.upload('verify.matmul.b', b), c: out });
        r = batch.read(out, 4 * count);
      } catch (err) {
        batch.dispose(); // an error while encoding: submit() never frees them
        throw err;
      }
      await watch(batch.submit());
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

function momentsColumnsCase(rows: number, cols: number, lab = false, label = `${rows}×${cols}, per column`): Case {
  return {
    shape: label,
    rtol: 1e-4,
    work: rows * cols,
    lab,
    async run(gpu, code, watch) {
      const x = makeNormal(rows * cols, 41 + rows + cols, 3, 2);
      const kernel = await createMomentsKernel(gpu, { code });
      const batch = new GpuBatch(gpu, `verify.moments[${rows}×${cols}]`);
      let r: Readback;
      try {
        const out = batch.upload('verify.moments.out', nanFilled(2 * cols));
        kernel.encodeColumns(batch, { x: batch.upload('verify.moments.x', x), rows, cols, out });
        r = batch.read(out, 8 * cols);
      } catch (err) {
        batch.dispose(); // an error while encoding: submit() never frees them
        throw err;
      }
      await watch(batch.submit());
      const ref = momentsRef(x, rows, cols);
      return {
        got: f32(r),
        ref: [...ref.mean, ...ref.variance],
        tol: { rtol: 1e-4, atol: 1e-6 },
        at: (i) => (i < cols ? `mean[${i}]` : `variance[${i - cols}]`),
      };
    },
  };
}

function momentsAllCase(n: number, x: () => Float32Array, label: string, rtol: number, lab = false): Case {
  return {
    shape: label,
    rtol,
    work: n,
    lab,
    async run(gpu, code, watch) {
      const data = x();
      const kernel = await createMomentsKernel(gpu, { code });
      const batch = new GpuBatch(gpu, `verify.moments[all ${n}]`);
      let r: Readback;
      try {
        const out = batch.upload('verify.moments.out', nanFilled(2));
        kernel.encodeAll(batch, { x: batch.upload('verify.moments.x', data), count: n, out });
        r = batch.read(out, 8);
      } catch (err) {
        batch.dispose(); // an error while encoding: submit() never frees them
        throw err;
      }
      await watch(batch.submit());
      const ref = momentsAllRef(data);
      return { got: f32(r), ref: [ref.mean, ref.variance], tol: { rtol, atol: lab ? 1e-6 : 0 }, at: (i) => (i === 0 ? 'mean' : 'variance') };
    },
  };
}

function momentsCases(): Case[] {
  const cases: Case[] = [];
  for (const [rows, cols] of [
    [1, 1],
    [257, 63],
    [4097, 7],
  ] as const)
    cases.push(momentsColumnsCase(rows, cols));
  const n = 100_003;
  cases.push(momentsAllCase(n, () => makeUniform(n, 12, 1e4, 1e4 + 1), `all ${n.toLocaleString('en-US')} values of 10⁴ + U(0,1)`, 1e-3));
  return cases;
}

// ---------- norms ----------

function offsetsFor(lengths: readonly number[]): Uint32Array {
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((n, i) => (offsets[i + 1] = offsets[i] + n));
  return offsets;
}

function normsCase(shape: string, x: () => Float32Array, offsets: Uint32Array, lab = false): Case {
  return {
    shape,
    rtol: 1e-5,
    work: offsets[offsets.length - 1],
    lab,
    async run(gpu, code, watch) {
      const data = x();
      const kernel = await createNormsKernel(gpu, { code });
      const segments = offsets.length - 1;
      const batch = new GpuBatch(gpu, `verify.norms[${shape}]`);
      let r: Readback;
      try {
        const outBytes = NORM_WORDS * 4 * segments;
        const out = batch.upload('verify.norms.out', nanFilled(outBytes / 4));
        kernel.encode(batch, {
          x: batch.upload('verify.norms.x', data),
          offsets: batch.upload('verify.norms.offsets', offsets),
          segments,
          out,
          segmentsPerGroup: pickSegmentsPerGroup(offsets, kernel.workgroup),
        });
        r = batch.read(out, outBytes);
      } catch (err) {
        batch.dispose(); // an error while encoding: submit() never frees them
        throw err;
      }
      await watch(batch.submit());
      return {
        got: decodeNorms(u32(r).buffer as ArrayBuffer, segments),
        ref: l2NormsRef(data, offsets),
        tol: { rtol: 1e-5, atol: 1e-300 },
        at: (i) => `norm of segment ${i} (${offsets[i + 1] - offsets[i]} values)`,
      };
    },
  };
}

function normsCases(): Case[] {
  const lengths = [0, 1, 7, 63, 65, 257, 20_001];
  const offsets = offsetsFor(lengths);
  const big = new Float32Array(1000).fill(1e30);
  const huge = new Float32Array(100).fill(3e38);
  const tiny = new Float32Array(1000).fill(-1e-30);
  return [
    normsCase(`segments of ${lengths.join(', ')}`, () => makeNormal(offsets[offsets.length - 1], 17), offsets),
    normsCase('1,000 × 1e30, 100 × 3e38, 1,000 × −1e-30', () => new Float32Array([...big, ...huge, ...tiny]), offsetsFor([1000, 100, 1000])),
  ];
}

// ---------- elementwise ----------

function activationCase(pass: 'forward' | 'backward', activation: Activation, n: number, lab = false, label = `${pass}, ${activation}, ${n} values`): Case {
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
      let r: Readback;
      try {
        const zb = batch.upload('verify.z', z);
        const out = batch.upload('verify.out', nanFilled(n));
        if (pass === 'forward') kernel.encodeForward(batch, { x: zb, out, count: n });
        else kernel.encodeBackward(batch, { x: zb, g: batch.upload('verify.g', g), out, count: n });
        r = batch.read(out, 4 * n);
      } catch (err) {
        batch.dispose(); // an error while encoding: submit() never frees them
        throw err;
      }
      await watch(batch.submit());
      const ref = pass === 'forward' ? activationForwardRef(z, activation) : activationBackwardRef(z, g, activation);
      return { got: f32(r), ref, tol: { rtol: 2e-5, atol: 1e-6 }, at: (i) => `out[${i}] (z = ${z[i].toPrecision(4)})` };
    },
  };
}

function normalizeCase(rows: number, cols: number, lab = false, label = `normalize ${rows}×${cols}`): Case {
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
      let r: Readback;
      try {
        const out = batch.upload('verify.out', nanFilled(rows * cols));
        kernel.encodeNormalize(batch, {
          x: batch.upload('verify.x', x),
          mean: batch.upload('verify.mean', mean),
          std: batch.upload('verify.std', std),
          out,
          rows,
          cols,
        });
        r = batch.read(out, 4 * rows * cols);
      } catch (err) {
        batch.dispose(); // an error while encoding: submit() never frees them
        throw err;
      }
      await watch(batch.submit());
      return {
        got: f32(r),
        ref: normalizeColumnsRef(x, rows, cols, mean, std),
        tol: { rtol: 2e-5, atol: 1e-6 },
        at: (i) => `out[${Math.floor(i / cols)}, ${i % cols}]`,
      };
    },
  };
}

function elementwiseCases(): Case[] {
  const cases: Case[] = [];
  for (const activation of ['linear', 'relu', 'tanh', 'sigmoid'] as const) {
    for (const pass of ['forward', 'backward'] as const) cases.push(activationCase(pass, activation, 4097));
  }
  cases.push(normalizeCase(257, 63));
  return cases;
}

// ---------- the labs' shapes ----------

/** Work limit of one lab-shape matmul case (multiply-adds): larger lab shapes are cut along their rows. */
export const MAX_LAB_MATMUL_WORK = 1 << 25;
/** Element limit of one lab-shape element-wise, moments or norms case. */
export const MAX_LAB_ELEMENTS = 1 << 22;

/** `count` cut to fit `limit` / `per` (at least 1), and the note saying so. */
function cut(count: number, per: number, limit: number, what: string): { count: number; note: string } {
  const fit = Math.max(1, Math.floor(limit / Math.max(1, per)));
  return fit >= count
    ? { count, note: '' }
    : { count: fit, note: ` — ${what} cut from ${count.toLocaleString('en-US')} to ${fit.toLocaleString('en-US')} by Verify's work limit` };
}

/** A lab matmul case, rows (`m`, or k where `along` says) cut to the work limit; batches drop to 1 first. */
function labMatmul(file: Pick<CatalogKernel, 'file' | 'variant'>, label: string, c: MatmulRefOptions, seed: number, along: 'm' | 'k' = 'm'): Case {
  let o: MatmulRefOptions = { ...c };
  let note = '';
  if (matmulWork(o) > MAX_LAB_MATMUL_WORK && (o.batch ?? 1) > 1) {
    note = ` — batch cut from ${o.batch} to 1 by Verify's work limit`;
    o = { ...o, batch: 1 };
  }
  if (matmulWork(o) > MAX_LAB_MATMUL_WORK) {
    const r = cut(o[along], matmulWork(o) / o[along], MAX_LAB_MATMUL_WORK, along === 'm' ? 'rows' : 'inner size k');
    o = { ...o, [along]: r.count };
    note += r.note;
  }
  return matmulCase(file, { ...o, shape: `${label}${note}` }, seed, true);
}

/**
 * The shapes the labs run `kernel` at with `lab`'s settings: the Depth lab's three matmuls per layer
 * (Z = A·Wᵀ, dW = dZᵀ·A and dA = dZ·W, the last two batched over nets with a shared operand), its
 * element-wise passes, moments and norms over m·n values; the Normalization lab's XᵀX in chunks of 1,024
 * rows, and its moments and normalize over rows × (features + 1).
 */
function labCasesFor(kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>, lab: LabSettings): Case[] {
  const { width: n, batch: m, activation } = lab.depth;
  const rows = lab.normalize.rows;
  const k = lab.normalize.features + 1;
  const mn = m * n;
  const D = `Depth lab (width ${n}, batch ${m})`;
  const N = `Normalization lab (${rows.toLocaleString('en-US')} training rows × ${k} columns)`;
  switch (kernel.family) {
    case 'matmul': {
      const cases = [
        labMatmul(kernel, `${D}: Z = A·Wᵀ, ${m}×${n} · ${n}×${n}, Bᵀ`, { m, n, k: n, transB: true }, 500),
        labMatmul(kernel, `${D}: dW = dZᵀ·A, 2 × (${n}×${m} · ${m}×${n}), Aᵀ, A shared`, { m: n, n, k: m, transA: true, batch: 2, strideB: 0 }, 502, 'k'),
        labMatmul(kernel, `${D}: dA = dZ·W, 2 × (${m}×${n} · ${n}×${n}), W shared`, { m, n, k: n, batch: 2, strideB: 0 }, 504),
      ];
      const full = Math.floor(rows / GRAM_CHUNK_ROWS);
      const rem = rows - full * GRAM_CHUNK_ROWS;
      if (full > 0) {
        cases.push(
          labMatmul(
            kernel,
            `${N}: XᵀX, ${full} × (${k}×${GRAM_CHUNK_ROWS} · ${GRAM_CHUNK_ROWS}×${k}), Aᵀ`,
            { m: k, n: k, k: GRAM_CHUNK_ROWS, transA: true, batch: full },
            506,
          ),
        );
      }
      if (rem > 0)
        cases.push(labMatmul(kernel, `${N}: XᵀX of the last ${rem} rows, ${k}×${rem} · ${rem}×${k}, Aᵀ`, { m: k, n: k, k: rem, transA: true }, 508, 'k'));
      return cases;
    }
    case 'moments': {
      const all = cut(mn, 1, MAX_LAB_ELEMENTS, 'values');
      const r = cut(rows, k, MAX_LAB_ELEMENTS, 'rows');
      return [
        momentsAllCase(all.count, () => makeNormal(all.count, 61, 0, 3), `${D}: all ${all.count.toLocaleString('en-US')} values of Z${all.note}`, 1e-4, true),
        momentsColumnsCase(r.count, k, true, `${N}: ${r.count}×${k}, per column${r.note}`),
      ];
    }
    case 'norms': {
      const a = cut(mn, 2, MAX_LAB_ELEMENTS, 'segment length');
      const w = cut(n * n, 2, MAX_LAB_ELEMENTS, 'segment length');
      const offsets = offsetsFor([a.count, a.count, w.count, w.count]);
      return [
        normsCase(
          `${D}: 2 segments of ${a.count.toLocaleString('en-US')} (m·n) and 2 of ${w.count.toLocaleString('en-US')} (n·n)${a.note || w.note}`,
          () => makeNormal(offsets[4], 63),
          offsets,
          true,
        ),
      ];
    }
    case 'elementwise': {
      const e = cut(mn, 1, MAX_LAB_ELEMENTS, 'values');
      const r = cut(rows, k, MAX_LAB_ELEMENTS, 'rows');
      return [
        activationCase('forward', activation, e.count, true, `${D}: forward, ${activation}, ${e.count.toLocaleString('en-US')} values${e.note}`),
        activationCase('backward', activation, e.count, true, `${D}: backward, ${activation}, ${e.count.toLocaleString('en-US')} values${e.note}`),
        normalizeCase(r.count, k, true, `${N}: normalize ${r.count}×${k}${r.note}`),
      ];
    }
    default:
      return [];
  }
}

/** The shapes Verify runs for a kernel (empty for kernels it has no reference for); `lab` adds the labs' shapes. */
export function verifyCasesFor(
  kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>,
  lab: LabSettings | null = null,
): readonly { shape: string; rtol: number; lab: boolean; work: number }[] {
  return casesFor(kernel, lab).map((c) => ({ shape: c.shape, rtol: c.rtol, lab: !!c.lab, work: c.work }));
}

function casesFor(kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>, lab: LabSettings | null = null): Case[] {
  const own = (() => {
    switch (kernel.family) {
      case 'matmul':
        return MATMUL_VERIFY_CASES.map((c, i) => matmulCase(kernel, c, 100 + 2 * i));
      case 'moments':
        return momentsCases();
      case 'norms':
        return normsCases();
      case 'elementwise':
        return elementwiseCases();
      default:
        return [];
    }
  })();
  return own.length && lab ? [...own, ...labCasesFor(kernel, lab)] : own;
}

/** Options of verifyKernel. */
export interface VerifyOptions {
  /** Stops Verify between cases (it then rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called after each shape with the cases so far. */
  onCase?: (done: VerifyCase[], total: number) => void;
  /** The labs' settings: their shapes are verified too (marked `lab`). */
  lab?: LabSettings | null;
  /** Base time limit of a case in ms (default 10 s), scaled by the case's work (see watchdogMs). */
  timeLimitMs?: number;
  /**
   * Called when a case does not finish within its limit, before Verify returns: the GPU is presumably
   * still running the kernel, so the caller replaces the device (and switches the kernel off).
   */
  onTimeout?: (err: WatchdogTimeoutError) => void;
}

/**
 * Runs `code` as `kernel` (its variant, its host code, its dispatch shape) on every Verify shape and
 * compares with the float64 reference. A case that throws (compile or pipeline error) fails with the
 * message; the other cases still run. A case that does not finish within its time limit fails, and Verify
 * stops there (the GPU is busy with it): the report's `timedOut` says where.
 */
export async function verifyKernel(gpu: GpuContext, kernel: CatalogKernel, code: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const cases = casesFor(kernel, options.lab ?? null);
  const results: VerifyCase[] = [];
  let timedOut: VerifyReport['timedOut'];
  for (const [i, c] of cases.entries()) {
    options.signal?.throwIfAborted();
    const limitMs = watchdogMs(c.work, options.timeLimitMs);
    try {
      // Only the submission is timed: compiling can take long on a busy machine, and always ends.
      const watch = <T>(work: Promise<T>) => withWatchdog(work, limitMs, `Your kernel (${kernel.file}) on ${c.shape}`, options.onTimeout);
      const { got, ref, tol, at } = await c.run(gpu, code, watch);
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
        lab: !!c.lab,
      });
    } catch (err) {
      const late = err instanceof WatchdogTimeoutError;
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
        error: late
          ? `Your kernel did not finish within ${formatLimit(limitMs)} on this shape (the limit for its ${c.work.toLocaleString('en-US')} operations); it may loop forever here. Verify stopped.`
          : err instanceof Error
            ? err.message
            : String(err),
        lab: !!c.lab,
        ...(late ? { timedOut: true } : {}),
      });
      if (late) {
        timedOut = { shape: c.shape, limitMs, notRun: cases.length - i - 1 };
        options.onCase?.([...results], cases.length);
        break;
      }
    }
    options.onCase?.([...results], cases.length);
  }
  const passed = results.filter((r) => r.ok).length;
  const total = cases.length;
  return {
    kernel: kernel.id,
    file: kernel.file,
    ok: results.length === total && total > 0 && passed === total,
    passed,
    total,
    cases: results,
    ...(timedOut ? { timedOut } : {}),
  };
}

/** "All 7 shapes pass" / "2 of 7 shapes fail — first: …" for the UI. */
export function summarizeVerify(report: VerifyReport): string {
  if (report.total === 0) return msg('No reference for this kernel: Verify has nothing to compare with.');
  if (report.ok) {
    const lab = report.cases.filter((c) => c.lab).length;
    return lab
      ? msg(str`All ${report.total} shapes pass against the float64 reference (${lab} of them the labs' shapes).`)
      : msg(str`All ${report.total} shapes pass against the float64 reference.`);
  }
  if (report.timedOut) {
    const t = report.timedOut;
    return t.notRun === 1
      ? msg(str`Your kernel did not finish within ${formatLimit(t.limitMs)} on ${t.shape}; Verify stopped there (1 shape not run).`)
      : msg(str`Your kernel did not finish within ${formatLimit(t.limitMs)} on ${t.shape}; Verify stopped there (${t.notRun} shapes not run).`);
  }
  const first = report.cases.find((c) => !c.ok)!;
  const where = first.error
    ? msg(str`it failed to run: ${first.error.split('\n')[0]}`)
    : msg(str`first mismatch at index ${first.firstBad} (${first.firstBadAt})`);
  return msg(str`${report.total - report.passed} of ${report.total} shapes fail. First failing shape: ${first.shape} — ${where}.`);
}
