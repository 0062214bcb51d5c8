// Matmul autotune: times a few (variant, sizes) candidates on representative shapes, verifies each against
// the float64 reference first (a fast wrong kernel never wins), and keeps the winner in the context's
// tunings (per adapter), where createMatmulKernel's 'auto' picks it up.
import type { GpuContext } from '../gpu/context';
import { GpuBatch, f32 } from '../gpu/batch';
import { InputError } from '../errors';
import { isSoftwareAdapter } from '../gpu/adapter';
import { createMatmulKernel, type MatmulKernel, type MatmulShape } from './matmul';
import { supportsSubgroupMatmul, type MatmulSizes, type MatmulVariant } from './matmul-variants';
import { getMatmulTuning, matmulAdapterKey, setMatmulTuning, type MatmulTuning } from './matmul-tuning';
import { matmulErrorBound, matmulRef } from './cpu/matmul-ref';
import { makeNormal } from './cpu/random';

export { getMatmulTuning, setMatmulTuning, matmulAdapterKey };
export type { MatmulTuning };

/** One configuration the autotune may pick. */
export interface MatmulCandidate {
  variant: MatmulVariant;
  constants: MatmulSizes;
  /** Replacement WGSL for the variant's shader (tests use it to plant a wrong kernel). */
  code?: string;
}

/** Options of autotuneMatmul. */
export interface AutotuneOptions {
  /** Stops between measurements; the promise rejects with the signal's reason and nothing is cached. */
  signal?: AbortSignal;
  /** Default: MATMUL_CANDIDATES for the adapter's kind (CPU / software or GPU). */
  candidates?: readonly MatmulCandidate[];
  /** Shapes timed (default TUNING_SHAPES). */
  shapes?: readonly MatmulShape[];
  /** Timed runs per candidate and shape (median taken; default 5), after one untimed warm-up. */
  runs?: number;
  /** Cache the result for the adapter: true (default) in memory and localStorage, 'memory' in memory only, false not at all. */
  store?: boolean | 'memory';
}

/**
 * Candidates per adapter kind: the CPU list has the register-blocked kernels, the GPU list the tiled ones.
 * Candidates of the 'subgroup' variant are skipped on devices without subgroups (supportsSubgroupMatmul).
 */
export const MATMUL_CANDIDATES: { readonly cpu: readonly MatmulCandidate[]; readonly gpu: readonly MatmulCandidate[] } = {
  // 16×16 blocks: smaller ones (8×8, 8×16, 12×16) measured 10–50% slower on SwiftShader. Each candidate
  // costs a pipeline compile (1–2 s on SwiftShader), so the list is short: the subgroup kernel, also with
  // 32×16 blocks (each load of B serves 32 rows: ~1.1–1.15× on SwiftShader, but twice the compile time, so
  // not the untuned default), and the direct one (the choice on devices without subgroups). vec4 (two more
  // pipelines) tied with direct within this machine's noise and a direct kernel on 8×2 workgroups never
  // won; both stay variants the benchmark and the Shaders view compare.
  cpu: [
    { variant: 'subgroup', constants: { microM: 16, microN: 16 } },
    { variant: 'subgroup', constants: { microM: 32, microN: 16 } },
    { variant: 'direct', constants: { microM: 16, microN: 16, threadsX: 4, threadsY: 4 } },
  ],
  gpu: [
    { variant: 'tiled', constants: { tileM: 64, tileN: 64, tileK: 16 } },
    { variant: 'tiled', constants: { tileM: 32, tileN: 32, tileK: 16 } },
    { variant: 'tiled', constants: { tileM: 64, tileN: 32, tileK: 8 } },
    { variant: 'vec4', constants: { microM: 4, microN: 4, threadsX: 16, threadsY: 8 } },
    { variant: 'vec4', constants: { microM: 8, microN: 8, threadsX: 8, threadsY: 8 } },
  ],
};

/** What is timed: the Depth lab's forward product, a square one, and a batch of small ones. */
export const TUNING_SHAPES: readonly MatmulShape[] = [
  { m: 128, n: 256, k: 256, transB: true },
  { m: 256, n: 256, k: 256 },
  { m: 32, n: 64, k: 64, batch: 16 },
];

/**
 * Shapes every candidate must get right before it is timed: vec4-aligned ones (the vec4 path, every
 * transpose) and awkward ones (odd sizes, partial blocks: the scalar path), each within matmulErrorBound.
 */
export const VERIFY_SHAPES: readonly MatmulShape[] = [
  { m: 36, n: 20, k: 44 },
  { m: 20, n: 36, k: 13, transA: true },
  { m: 12, n: 28, k: 40, transA: true, transB: true, batch: 2 },
  { m: 24, n: 9, k: 16, transB: true },
  { m: 33, n: 19, k: 37, transB: true },
  { m: 1, n: 7, k: 5 },
];

/**
 * Times the candidates on the shapes (rounds cycle through every candidate so a busy machine slows all
 * alike), after checking each against the float64 reference; the fastest verified one wins and is cached
 * for this adapter in the context's `tunings` (persisted where the app gave it storage), where `createMatmulKernel(gpu)` ('auto') uses it.
 */
export async function autotuneMatmul(gpu: GpuContext, options: AutotuneOptions = {}): Promise<MatmulTuning> {
  const { signal } = options;
  const candidates = (options.candidates ?? MATMUL_CANDIDATES[isSoftwareAdapter(gpu.summary) ? 'cpu' : 'gpu']).filter(
    (c) => c.variant !== 'subgroup' || supportsSubgroupMatmul(gpu),
  );
  const shapes = options.shapes ?? TUNING_SHAPES;
  const runs = options.runs ?? 5;
  if (candidates.length === 0)
    throw new InputError('candidates', 'is empty (or holds only subgroup kernels on a device without subgroups); the autotune needs at least one');
  signal?.throwIfAborted();

  // Compile every candidate up front (in parallel); a candidate that does not build cannot win.
  const built = await Promise.all(
    candidates.map(async (c) => {
      try {
        return { kernel: await createMatmulKernel(gpu, { ...c.constants, variant: c.variant, code: c.code }), error: undefined };
      } catch (e) {
        return { kernel: null, error: (e as Error).message };
      }
    }),
  );
  signal?.throwIfAborted();

  const rows: MatmulTuning['candidates'] = [];
  const live: { index: number; kernel: MatmulKernel }[] = [];
  for (const [index, c] of candidates.entries()) {
    const { kernel, error: buildError } = built[index];
    let error = buildError;
    if (kernel && !error) error = await verify(gpu, kernel);
    signal?.throwIfAborted();
    rows.push({ variant: c.variant, constants: { ...c.constants }, ms: null, verified: !error, ...(error ? { error } : {}) });
    if (kernel && !error) live.push({ index, kernel });
  }
  if (live.length === 0) throw new Error(`autotuneMatmul: no candidate passed verification (${rows.map((r) => r.error).join('; ')})`);

  const inputs = shapes.map((s) => {
    const batch = s.batch ?? 1;
    return { a: makeNormal(batch * s.m * s.k, 11), b: makeNormal(batch * s.k * s.n, 12) };
  });
  const times = live.map(() => shapes.map(() => [] as number[]));
  for (let round = -1; round < runs; round++) {
    for (const [si, s] of shapes.entries()) {
      for (const [li, { kernel }] of live.entries()) {
        signal?.throwIfAborted();
        const ms = await timeOnce(gpu, kernel, s, inputs[si]);
        if (round >= 0) times[li][si].push(ms); // round −1 warms up
      }
    }
  }
  // Score: the sum over shapes of each shape's median relative to that shape's best, so every shape counts.
  const medians = times.map((perShape) => perShape.map(median));
  const best = shapes.map((_, si) => Math.min(...medians.map((m) => m[si])));
  let winner = 0;
  let winnerScore = Infinity;
  for (const [li, { index }] of live.entries()) {
    rows[index].ms = medians[li].reduce((t, x) => t + x, 0);
    const score = medians[li].reduce((t, x, si) => t + x / best[si], 0);
    if (score < winnerScore) [winner, winnerScore] = [li, score];
  }
  const chosen = candidates[live[winner].index];
  const tuning: MatmulTuning = {
    adapterKey: matmulAdapterKey(gpu.summary),
    variant: chosen.variant,
    constants: { ...chosen.constants },
    candidates: rows,
    measuredAt: new Date().toISOString(),
  };
  const store = options.store ?? true;
  if (store) setMatmulTuning(gpu, tuning, store === true);
  return tuning;
}

/** Runs the kernel on VERIFY_SHAPES; returns what went wrong, or undefined. */
async function verify(gpu: GpuContext, kernel: MatmulKernel): Promise<string | undefined> {
  try {
    const batch = new GpuBatch(gpu, 'autotune.verify');
    try {
      const jobs = VERIFY_SHAPES.map((s, i) => {
        const items = s.batch ?? 1;
        const a = makeNormal(items * s.m * s.k, 31 + 2 * i);
        const b = makeNormal(items * s.k * s.n, 32 + 2 * i);
        const bytes = 4 * items * s.m * s.n;
        const c = batch.scratch(`autotune.verify.c[${i}]`, bytes);
        kernel.encode(batch, { ...s, a: batch.upload(`autotune.verify.a[${i}]`, a), b: batch.upload(`autotune.verify.b[${i}]`, b), c });
        return { s, a, b, read: batch.read(c, bytes) };
      });
      await batch.submit();
      for (const { s, a, b, read } of jobs) {
        const got = f32(read);
        const ref = matmulRef(a, b, s);
        const bound = matmulErrorBound(a, b, s);
        for (let i = 0; i < ref.length; i++) {
          if (!(Math.abs(got[i] - ref[i]) <= bound[i])) {
            const shape = `${s.batch ? `${s.batch} × ` : ''}${s.m}×${s.n}×${s.k}${s.transA ? ' Aᵀ' : ''}${s.transB ? ' Bᵀ' : ''}`;
            return `wrong result on ${shape}: element ${i} is ${got[i]}, float64 reference ${ref[i]} (bound ${bound[i].toExponential(2)})`;
          }
        }
      }
      return undefined;
    } finally {
      batch.dispose();
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/** Wall time of one submission holding enough repetitions of the product to take ~10 ms on SwiftShader (≥ 6·10⁷ FLOP, at most 16). */
async function timeOnce(gpu: GpuContext, kernel: MatmulKernel, s: MatmulShape, inp: { a: Float32Array; b: Float32Array }): Promise<number> {
  const flop = 2 * (s.batch ?? 1) * s.m * s.n * s.k;
  const reps = Math.max(1, Math.min(16, Math.round(6e7 / flop)));
  const batch = new GpuBatch(gpu, 'autotune.time');
  try {
    const a = batch.upload('autotune.a', inp.a);
    const b = batch.upload('autotune.b', inp.b);
    const bytes = 4 * (s.batch ?? 1) * s.m * s.n;
    const c = batch.scratch('autotune.c', bytes);
    for (let r = 0; r < reps; r++) kernel.encode(batch, { ...s, a, b, c });
    batch.read(c, 4);
    const t0 = performance.now();
    await batch.submit();
    return (performance.now() - t0) / reps;
  } finally {
    batch.dispose();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}
