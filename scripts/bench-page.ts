// Runs in the page opened by scripts/bench.mjs: our kernels (src/bench) and, for comparison only,
// tfjs's WebGPU backend (@tensorflow/tfjs-core + @tensorflow/tfjs-backend-webgpu, devDependencies that
// the app never imports). Every row, tfjs's included, is checked against float64.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { requestAppGpu, type GpuContext } from '../src/index';
import { runBench, BENCH_PARTS, type BenchPart, type BenchRow, type ExternalImpls, type ExternalResult } from '../src/bench/runner';
import { makeBenchPlan, type BenchPreset, type MatmulCase } from '../src/bench/cases';
import { summarize } from '../src/bench/summary';
import { median } from '../src/bench/bench-math';
import { benchSweep, type SweepBenchConfig } from '../src/bench/sweep-bench';
import { benchTraining } from '../src/bench/training-bench';
import { autotuneMatmul } from '../src/kernels/autotune';
import { combineRounds, medianRows } from '../src/bench/rounds';
import { makeRoofline, rooflineSvg } from '../src/bench/roofline';

interface TfTimed {
  ms: number;
  wallMs: number;
  gpuMs: number | null;
  samples: number;
  method: 'timestamps' | 'wall';
}

/**
 * Median of tfjs runs: `tf.time` gives kernel time from timestamp queries when the device offers them.
 * The last timed run's output is kept (not disposed) and returned for the float64 check, so a 1024³
 * product is not run once more just to be verified.
 */
async function timeTf<T extends tf.Tensor | tf.Tensor[]>(run: () => T, warmup: number, reps: number, hasStamps: boolean): Promise<TfTimed & { out: T }> {
  const walls: number[] = [];
  const kernels: number[] = [];
  let last: T | null = null;
  for (let r = 0; r < warmup + reps; r++) {
    let out: T | null = null;
    const t0 = performance.now();
    const info = await tf.time(() => {
      out = run();
    });
    // tf.time resolves once the kernels' timestamp queries are read back, i.e. after the GPU finished.
    const wall = performance.now() - t0;
    if (last) for (const t of ([] as tf.Tensor[]).concat(last)) t.dispose();
    last = out;
    if (r < warmup) continue;
    walls.push(wall);
    kernels.push(info.kernelMs as number);
  }
  const gpuMs = hasStamps ? median(kernels) : null;
  const usable = gpuMs !== null && gpuMs > 0;
  return { ms: usable ? gpuMs! : median(walls), method: usable ? 'timestamps' : 'wall', wallMs: median(walls), gpuMs, samples: reps, out: last! };
}

function tfImpls(hasStamps: boolean): ExternalImpls {
  return {
    async matmul(c: MatmulCase, a: Float32Array, b: Float32Array, o): Promise<ExternalResult & { result: Float32Array }> {
      const batch = c.batch ?? 1;
      const lead = batch > 1 ? [batch] : [];
      const ta = tf.tensor(a, [...lead, ...(c.transA ? [c.k, c.m] : [c.m, c.k])]);
      const tb = tf.tensor(b, [...lead, ...(c.transB ? [c.n, c.k] : [c.k, c.n])]);
      try {
        const { out: y, ...t } = await timeTf(() => tf.matMul(ta, tb, c.transA, c.transB), o.warmup, o.reps, hasStamps);
        const result = (await y.data()) as Float32Array;
        y.dispose();
        return { impl: 'tf.matMul', ...t, result };
      } finally {
        ta.dispose();
        tb.dispose();
      }
    },
    async moments(x: Float32Array, o): Promise<ExternalResult & { mean: number; variance: number }> {
      const tx = tf.tensor1d(x);
      try {
        const run = () => {
          const m = tf.moments(tx);
          return [m.mean, m.variance];
        };
        const { out, ...t } = await timeTf(run, o.warmup, o.reps, hasStamps);
        const [mean, variance] = out;
        const [mv, vv] = await Promise.all([mean.data(), variance.data()]);
        mean.dispose();
        variance.dispose();
        return { impl: 'tf.moments', ...t, mean: mv[0], variance: vv[0] };
      } finally {
        tx.dispose();
      }
    },
  };
}

let gpu: GpuContext | null = null;

const bench = {
  /** Our GPU context and tfjs's WebGPU backend, both on the same adapter. */
  async init() {
    gpu = await requestAppGpu();
    await tf.setBackend('webgpu');
    await tf.ready();
    const backend = tf.backend() as unknown as { device?: GPUDevice };
    return { adapter: gpu.summary, tfBackend: tf.getBackend(), tfHasTimestamps: backend.device?.features.has('timestamp-query') ?? false };
  },
  /** Runs the plan of `preset` (only the parts in `only`) with tfjs rows; returns rows and the comparison summary (roof maps as entries). */
  async run(preset: BenchPreset, withTf = true, only: readonly BenchPart[] = BENCH_PARTS) {
    if (!gpu) throw new Error('call bench.init() first');
    const rows: BenchRow[] = [];
    const external = withTf ? tfImpls(gpu.hasTimestamps) : {};
    for await (const row of runBench(gpu, makeBenchPlan(preset), {
      external,
      only,
      onProgress: (p) => console.log(`[bench] ${p.done}/${p.total} ${p.current}`),
    })) {
      rows.push(row);
    }
    const s = summarize(rows);
    return { rows, summary: { ...s, copyRoof: [...s.copyRoof.entries()] } };
  },
  /** Runs the matmul autotune (kept in memory for this page): 'auto' rows then use its choice. */
  async autotune() {
    if (!gpu) throw new Error('call bench.init() first');
    const t0 = performance.now();
    const t = await autotuneMatmul(gpu, { store: 'memory' });
    return { variant: t.variant, constants: t.constants, candidates: t.candidates, ms: performance.now() - t0 };
  },
  /**
   * Combines N rounds' rows (and depth sweep and training GFLOP/s, one per round, or null): paired ratios with median
   * and min–max, the median rows, and the roofline of those (model and SVG) on the median roofs.
   */
  combine(rounds: BenchRow[][], sweepGflops: number[] | null, trainingGflops: number[] | null, preset: BenchPreset, title: string) {
    const combined = combineRounds(
      rounds.map((rows) => summarize(rows)),
      rounds[0],
      sweepGflops ?? undefined,
      trainingGflops ? { gflops: trainingGflops, reference: makeBenchPlan(preset).trainingReference } : undefined,
    );
    const rows = medianRows(rounds);
    const copies = rows.filter((r) => r.impl.startsWith('copy')).map((r) => r.rate);
    const model = makeRoofline(rows, { fma: combined.fmaRoof.spread.median, copy: copies.length ? Math.max(...copies) : NaN });
    return { combined, rows, roofline: model, svg: rooflineSvg(model, { title }) };
  },
  /** The plan's training row (SGD steps of a deep net, checked against float64). */
  async training(preset: BenchPreset) {
    if (!gpu) throw new Error('call bench.init() first');
    return benchTraining(gpu, makeBenchPlan(preset).training);
  },
  async sweep(config: SweepBenchConfig) {
    if (!gpu) throw new Error('call bench.init() first');
    return benchSweep(gpu, config);
  },
};

(window as unknown as { bench: typeof bench }).bench = bench;
