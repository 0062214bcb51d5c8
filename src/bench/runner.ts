// The benchmark itself, DOM-free: every row is timed (median after warm-up) and checked against float64.
// Used by the Performance view (<gp-shader-bench>) and by `npm run bench` (which adds tfjs rows).
import type { GpuContext } from '../gpu/context';
import { GpuBatch, f32 } from '../gpu/batch';
import { createMatmulKernel, type MatmulKernel, type MatmulKernelOptions } from '../kernels/matmul';
import { MATMUL_VARIANTS, pickMatmulVariant } from '../kernels/matmul-variants';
import { createMomentsKernel, momentsWorkgroupFor } from '../kernels/moments';
import { createNormsKernel, decodeNorms, pickSegmentsPerGroup, NORM_WORDS } from '../kernels/norms';
import { createCopyKernel } from '../kernels/copy';
import { createFmaRoofKernel, fmaRoofRef, FMA_CHAINS } from '../kernels/fma-roof';
import { momentsAllRef } from '../kernels/cpu/moments-ref';
import { l2NormsRef } from '../kernels/cpu/norms-ref';
import { makeUniform } from '../kernels/cpu/random';
import { createSumsqNaiveKernel } from './sumsq-naive';
import { gbps, gflops, matmulFlop, minBytes } from './bench-math';
import { MIN_SUBMISSION_MS, matmulReps, matmulWarmup, type BenchPlan, type MatmulCase } from './cases';
import { timeGpu, type TimingMethod } from './timing';
import { verifyArrays, verifyExact, verifyMatmul, type Verification } from './verify';

/** Which table a row belongs to. */
export type BenchGroup = 'matmul' | 'moments' | 'norms' | 'roof';

/** One measured and verified row. */
export interface BenchRow {
  group: BenchGroup;
  /** Implementation: 'ours: direct', 'ours: tiled', 'tf.matMul', 'copy (vec4)', 'FMA roof', 'two-pass Σx²', … */
  impl: string;
  /** Our kernel (not a roof, a baseline or another library). */
  ours: boolean;
  /** The matmul variant, for ours. */
  variant?: string;
  /** Case name: '256×256×256', '16,777,216 floats', … */
  shape: string;
  /** Floats of memory rows (for grouping by size). */
  floats?: number;
  metric: 'GFLOP/s' | 'GB/s';
  flop: number;
  bytes: number;
  /** Median time per execution, by `method`. */
  ms: number;
  method: TimingMethod;
  wallMs: number;
  gpuMs: number | null;
  samples: number;
  /** Executions per timed submission (ours and the roofs; absent for another library's rows). */
  inner?: number;
  /** GFLOP/s or GB/s (by `metric`) from `ms`. */
  rate: number;
  verification: Verification;
}

/** Result of another implementation (e.g. tfjs in the bench page), with its output for verification. */
export interface ExternalResult {
  impl: string;
  ms: number;
  method: TimingMethod;
  wallMs: number;
  gpuMs: number | null;
  samples: number;
}

/** Other implementations to measure beside ours on the same inputs (the bench script's tfjs). */
export interface ExternalImpls {
  matmul?(c: MatmulCase, a: Float32Array, b: Float32Array, o: { warmup: number; reps: number }): Promise<ExternalResult & { result: Float32Array }>;
  moments?(x: Float32Array, o: { warmup: number; reps: number }): Promise<ExternalResult & { mean: number; variance: number }>;
}

/** Parts of the run `only` can select: the FMA roof, the matmuls, the copy roof, moments, norms (with the plain Σx²). */
export type BenchPart = 'fma' | 'matmul' | 'copy' | 'moments' | 'norms';
export const BENCH_PARTS: readonly BenchPart[] = ['fma', 'matmul', 'copy', 'moments', 'norms'];

/** Progress: rows done of the plan's total. */
export interface BenchProgress {
  done: number;
  total: number;
  current: string;
}

/**
 * The matmul kernels to time: every variant of `MATMUL_VARIANTS` (src/kernels/matmul.ts) with its default
 * sizes ('tiled' is the plain tiled kernel), then 'auto' — the adapter's autotuned choice when
 * autotuneMatmul has run, else its default.
 */
export function matmulVariants(): { name: string; options: MatmulKernelOptions }[] {
  const names = MATMUL_VARIANTS.map((v) => v.name);
  return [...names.map((name) => ({ name, options: { variant: name } as MatmulKernelOptions })), { name: 'auto', options: { variant: 'auto' } }];
}

/** Rows the plan will produce (ours and roofs; external rows come on top). */
export function countRows(plan: BenchPlan, external: ExternalImpls = {}, only: readonly BenchPart[] = BENCH_PARTS): number {
  const has = (p: BenchPart) => only.includes(p);
  const mm = has('matmul') ? plan.matmul.length * (matmulVariants().length + (external.matmul ? 1 : 0)) : 0;
  // Per main size: copy and moments (+ the external moments); per size: our norms; once: the plain Σx².
  const red = plan.reductions.length * ((has('copy') ? 1 : 0) + (has('moments') ? 1 + (external.moments ? 1 : 0) : 0));
  const norms = has('norms') ? reductionSizes(plan).length + 1 : 0;
  // The FMA roof: at the start, after each matmul case (matmul rows sit between roof rows) and at the end.
  const roofs = has('fma') ? 2 + (has('matmul') ? plan.matmul.length : 0) : 0;
  return roofs + mm + red + norms;
}

/** Every float count the memory rows run at: the plan's sizes and (with norms) the norms-baseline size, ascending. */
export function reductionSizes(plan: BenchPlan, withNorms = true): number[] {
  return [...new Set([...plan.reductions, ...(withNorms ? [plan.normsBaseline] : [])])].sort((a, b) => a - b);
}

function storage(gpu: GpuContext, label: string, bytes: number, data?: ArrayBufferView): GPUBuffer {
  const buf = gpu.device.createBuffer({
    label,
    size: Math.max(16, Math.ceil(bytes / 4) * 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  if (data) gpu.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  return buf;
}

async function readBack(gpu: GpuContext, label: string, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const batch = new GpuBatch(gpu, `bench ${label} readback`);
  try {
    const r = batch.read(src, bytes);
    await batch.submit();
    return r.data!;
  } finally {
    batch.dispose();
  }
}

/** 'direct 16×16/inv (tuned)': what an 'auto' kernel resolved to. */
function describeKernel(k: MatmulKernel): string {
  const source = (k as unknown as { source?: string }).source;
  const sizes = k.variant === 'tiled' ? `${k.tileM}×${k.tileN}×${k.tileK}` : `${k.microM}×${k.microN} per invocation`;
  return `${k.variant} ${sizes}${source ? ` (${source})` : ''}`;
}

const isCpuAdapter = (gpu: GpuContext) => pickMatmulVariant(gpu.summary) === 'direct';
const floatsName = (n: number) => `${n.toLocaleString('en-US')} floats`;

/**
 * Runs the plan and yields each row as soon as it is measured and verified: the FMA roof, every matmul
 * case for every variant (and the external implementation), then per size the copy roof, moments, norms
 * and the plain two-pass sum of squares. `only` restricts the run to some parts (default: all).
 * Aborting the signal stops before the next submission.
 */
export async function* runBench(
  gpu: GpuContext,
  plan: BenchPlan,
  options: { signal?: AbortSignal; onProgress?: (p: BenchProgress) => void; external?: ExternalImpls; only?: readonly BenchPart[] } = {},
): AsyncGenerator<BenchRow> {
  const { signal, external = {}, only = BENCH_PARTS } = options;
  const has = (p: BenchPart) => only.includes(p);
  const { warmup, reps } = plan;
  const total = countRows(plan, external, only);
  let done = 0;
  const step = (current: string) => options.onProgress?.({ done, total, current });
  const finish = <T>(row: T): T => {
    done++;
    return row;
  };

  // Arithmetic roof: the best of 2, 4 and 8 accumulators (too many spill registers on CPU adapters), then
  // that count again after each matmul case and at the end. The speed of a shared machine drifts, so the
  // summary's roof is the median of all these measurements, taken side by side with the matmul rows.
  let roofChains: readonly number[] = FMA_CHAINS;
  const fmaRoofRow = async (when: string): Promise<BenchRow> => {
    step(`FMA roof (${when})`);
    const { count, iters } = plan.fma;
    const out = storage(gpu, 'bench.fmaRoof.out', 4 * count);
    try {
      let best: BenchRow | null = null;
      let bestChains = roofChains[0];
      for (const chains of roofChains) {
        const kernel = await createFmaRoofKernel(gpu, { iters, chains });
        const t = await timeGpu(gpu, `fmaRoof[${count}×${iters}, ${chains} chains]`, (b) => kernel.encode(b, { out, count }), {
          warmup,
          reps,
          signal,
          minMs: MIN_SUBMISSION_MS,
        });
        const got = new Float32Array(await readBack(gpu, 'fmaRoof', out, 4 * count));
        const flop = kernel.flop(count);
        const row: BenchRow = {
          group: 'roof',
          impl: 'FMA roof',
          ours: false,
          shape: `${count.toLocaleString('en-US')} invocations × ${iters.toLocaleString('en-US')} trips × ${chains} vec4 chains (${when})`,
          metric: 'GFLOP/s',
          flop,
          bytes: 4 * count,
          ...t,
          rate: gflops(flop, t.ms),
          verification: verifyArrays(got, fmaRoofRef(count, iters, chains), { rtol: 1e-6, atol: 0 }, 'every lane sum'),
        };
        // A wrong configuration must not hide behind a right one: a failed check is the row reported.
        if (!best || !row.verification.ok || (best.verification.ok && row.rate > best.rate)) [best, bestChains] = [row, chains];
      }
      roofChains = [bestChains];
      return best!;
    } finally {
      out.destroy();
    }
  };
  if (has('fma')) yield finish(await fmaRoofRow('start of run'));

  // Matmul: every variant, then the external library, on the same inputs.
  const variants = matmulVariants();
  for (const [ci, c] of (has('matmul') ? plan.matmul : []).entries()) {
    const batch = c.batch ?? 1;
    const a = makeUniform(batch * c.m * c.k, 100 + ci);
    const b = makeUniform(batch * c.k * c.n, 200 + ci);
    const flop = matmulFlop(c);
    const mmReps = matmulReps(plan, flop);
    const mmWarmup = matmulWarmup(plan, flop);
    const bytes = 4 * (a.length + b.length + batch * c.m * c.n);
    const aBuf = storage(gpu, `bench.matmul[${c.name}].a`, a.byteLength, a);
    const bBuf = storage(gpu, `bench.matmul[${c.name}].b`, b.byteLength, b);
    const cBuf = storage(gpu, `bench.matmul[${c.name}].c`, 4 * batch * c.m * c.n);
    try {
      for (const v of variants) {
        step(`matmul ${c.name} (${v.name})`);
        const kernel = await createMatmulKernel(gpu, v.options);
        const impl = v.name === 'auto' ? `ours: auto → ${describeKernel(kernel)}` : `ours: ${v.name}`;
        const t = await timeGpu(gpu, `matmul.${v.name}[${c.name}]`, (bt) => kernel.encode(bt, { ...c, a: aBuf, b: bBuf, c: cBuf }), {
          warmup: mmWarmup,
          reps: mmReps,
          signal,
          minMs: MIN_SUBMISSION_MS,
        });
        const got = new Float32Array(await readBack(gpu, `matmul.${v.name}`, cBuf, 4 * batch * c.m * c.n));
        yield finish({
          group: 'matmul',
          impl,
          ours: true,
          variant: v.name,
          shape: c.name,
          metric: 'GFLOP/s',
          flop,
          bytes,
          ...t,
          rate: gflops(flop, t.ms),
          verification: verifyMatmul(a, b, got, c),
        } satisfies BenchRow);
      }
    } finally {
      for (const buf of [aBuf, bBuf, cBuf]) buf.destroy();
    }
    if (has('fma')) yield finish(await fmaRoofRow(`after ${c.name}`));
    if (external.matmul) {
      signal?.throwIfAborted();
      step(`matmul ${c.name} (external)`);
      const r = await external.matmul(c, a, b, { warmup: mmWarmup, reps: mmReps });
      yield finish({
        group: 'matmul',
        impl: r.impl,
        ours: false,
        shape: c.name,
        metric: 'GFLOP/s',
        flop,
        bytes,
        ms: r.ms,
        method: r.method,
        wallMs: r.wallMs,
        gpuMs: r.gpuMs,
        samples: r.samples,
        rate: gflops(flop, r.ms),
        verification: verifyMatmul(a, b, r.result, c),
      } satisfies BenchRow);
    }
  }

  // Memory-bound kernels at each size, with the copy kernel as the bandwidth roof.
  const cpu = isCpuAdapter(gpu);
  const [copy, sumsq] = await Promise.all([createCopyKernel(gpu), createSumsqNaiveKernel(gpu)]);
  for (const [si, count] of reductionSizes(plan).entries()) {
    const main = plan.reductions.includes(count);
    if (!main && !has('norms')) continue;
    const shape = floatsName(count);
    const x = makeUniform(count, 300 + si);
    const xBuf = storage(gpu, `bench.x[${count}]`, x.byteLength, x);
    const held: GPUBuffer[] = [xBuf];
    try {
      if (main && (has('copy') || has('moments'))) {
        const dst = storage(gpu, `bench.copy[${count}].dst`, x.byteLength);
        held.push(dst);
        if (has('copy')) {
          // Copy roof.
          step(`copy ${shape}`);
          const tc = await timeGpu(gpu, `copy[${count}]`, (b) => copy.encode(b, { src: xBuf, dst, count }), { warmup, reps, signal });
          let got = new Float32Array(await readBack(gpu, 'copy', dst, x.byteLength));
          yield finish({
            group: 'roof',
            impl: 'copy (vec4)',
            ours: false,
            shape,
            floats: count,
            metric: 'GB/s',
            flop: 0,
            bytes: minBytes('copy', count),
            ...tc,
            rate: gbps(minBytes('copy', count), tc.ms),
            verification: verifyExact(got, x, 'every float'),
          } satisfies BenchRow);
          got = new Float32Array(0);
        }

        if (has('moments')) {
          // Moments of the whole buffer, on U(0, 1) data so the mean is far from 0 (relative error is meaningful).
          step(`moments ${shape}`);
          const mx = makeUniform(count, 400 + si, 0, 1);
          gpu.device.queue.writeBuffer(dst, 0, mx.buffer, mx.byteOffset, mx.byteLength);
          const moments = await createMomentsKernel(gpu, { workgroup: momentsWorkgroupFor(gpu, count) });
          const mOut = storage(gpu, `bench.moments[${count}].out`, 8);
          held.push(mOut);
          const t = await timeGpu(gpu, `moments[${count}]`, (b) => moments.encodeAll(b, { x: dst, count, out: mOut }), { warmup, reps, signal });
          const mGot = new Float32Array(await readBack(gpu, 'moments', mOut, 8));
          const mRef = momentsAllRef(mx);
          const momentsTol = { rtol: 1e-4, atol: 1e-7 };
          yield finish({
            group: 'moments',
            impl: 'ours: moments',
            ours: true,
            shape,
            floats: count,
            metric: 'GB/s',
            flop: 0,
            bytes: minBytes('moments', count),
            ...t,
            rate: gbps(minBytes('moments', count), t.ms),
            verification: verifyArrays(mGot, [mRef.mean, mRef.variance], momentsTol, 'mean and variance'),
          } satisfies BenchRow);
          if (external.moments) {
            signal?.throwIfAborted();
            step(`moments ${shape} (external)`);
            const r = await external.moments(mx, { warmup, reps });
            yield finish({
              group: 'moments',
              impl: r.impl,
              ours: false,
              shape,
              floats: count,
              metric: 'GB/s',
              flop: 0,
              bytes: minBytes('moments', count),
              ms: r.ms,
              method: r.method,
              wallMs: r.wallMs,
              gpuMs: r.gpuMs,
              samples: r.samples,
              rate: gbps(minBytes('moments', count), r.ms),
              verification: verifyArrays([r.mean, r.variance], [mRef.mean, mRef.variance], momentsTol, 'mean and variance'),
            } satisfies BenchRow);
          }
        }
      }
      if (!has('norms')) continue;

      // Norms of segments as long as the default sweep's ‖dW[l]‖ (n² floats), ours then the plain baseline.
      const segLen = Math.min(plan.normSegment, count);
      const segments = Math.floor(count / segLen);
      const offsets = Uint32Array.from({ length: segments + 1 }, (_, i) => i * segLen);
      const normsRef = l2NormsRef(x, offsets);
      const segShape = `${shape} (${segments} × ${segLen.toLocaleString('en-US')})`;
      step(`norms ${shape}`);
      const norms = await createNormsKernel(gpu, { workgroup: cpu ? 32 : 256 });
      const offBuf = storage(gpu, `bench.norms[${count}].offsets`, offsets.byteLength, offsets);
      const nOut = storage(gpu, `bench.norms[${count}].out`, NORM_WORDS * 4 * segments);
      held.push(offBuf, nOut);
      const perGroup = pickSegmentsPerGroup(offsets, norms.workgroup);
      const t = await timeGpu(
        gpu,
        `norms[${segments}×${segLen}]`,
        (b) => norms.encode(b, { x: xBuf, offsets: offBuf, segments, out: nOut, segmentsPerGroup: perGroup }),
        { warmup, reps, signal },
      );
      const nGot = decodeNorms(await readBack(gpu, 'norms', nOut, NORM_WORDS * 4 * segments), segments);
      yield finish({
        group: 'norms',
        impl: 'ours: norms',
        ours: true,
        shape: segShape,
        floats: count,
        metric: 'GB/s',
        flop: 0,
        bytes: minBytes('norms', count),
        ...t,
        rate: gbps(minBytes('norms', count), t.ms),
        verification: verifyArrays(nGot, normsRef, { rtol: 1e-5, atol: 0 }, 'every segment norm'),
      } satisfies BenchRow);

      if (count !== plan.normsBaseline) continue;
      step(`two-pass sum of squares ${shape}`);
      const partial = storage(gpu, `bench.sumsqNaive[${count}].partial`, 4 * sumsq.partialFloats(segLen, segments));
      const sOut = storage(gpu, `bench.sumsqNaive[${count}].out`, 4 * segments);
      held.push(partial, sOut);
      const ts = await timeGpu(gpu, `sumsqNaive[${segments}×${segLen}]`, (b) => sumsq.encode(b, { x: xBuf, partial, out: sOut, segLen, segments }), {
        warmup,
        reps,
        signal,
      });
      const sGot = f32({ data: await readBack(gpu, 'sumsqNaive', sOut, 4 * segments) });
      yield finish({
        group: 'norms',
        impl: 'two-pass Σx² (plain)',
        ours: false,
        shape: segShape,
        floats: count,
        metric: 'GB/s',
        flop: 0,
        bytes: minBytes('norms', count),
        ...ts,
        rate: gbps(minBytes('norms', count), ts.ms),
        verification: verifyArrays(sGot, normsRef, { rtol: 1e-4, atol: 0 }, 'every segment norm'),
      } satisfies BenchRow);
    } finally {
      for (const buf of held) buf.destroy();
    }
  }
  if (has('fma')) yield finish(await fmaRoofRow('end of run'));
  options.onProgress?.({ done, total, current: 'done' });
}
