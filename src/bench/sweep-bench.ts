// The Depth lab's default depth sweep as a benchmark row: wall time, GFLOP/s, and a float64 check of a
// few rows (the shallow ones: their reference costs seconds, a 128-deep one minutes).
import type { GpuContext } from '../gpu/context';
import { DEFAULT_CONFIG, type DeepNetConfig } from '../labs/depth/config';
import { runDeepNet } from '../labs/depth/deep-net';
import { runSweep } from '../labs/depth/sweep';
import { depthRange } from '../labs/depth/sweep-grid';
import { deepNetRef } from '../labs/depth/cpu/deep-net-ref';
import { compareArrays } from '../kernels/compare';
import { gflops } from './bench-math';

/** The sweep measured: depths 1..maxDepth at the given width and batch (defaults: the Depth lab's default sweep). */
export interface SweepBenchConfig {
  maxDepth: number;
  width: number;
  batch: number;
}

export const DEFAULT_SWEEP_BENCH: SweepBenchConfig = { maxDepth: 128, width: DEFAULT_CONFIG.width, batch: DEFAULT_CONFIG.batch };

/** Result of the sweep benchmark. */
export interface SweepBenchResult {
  config: SweepBenchConfig;
  rows: number;
  wallMs: number;
  /** Matmul FLOPs actually done (shared forward pass counted once) and the rate. */
  flop: number;
  gflops: number;
  /** Depths whose per-layer ‖a[l]‖ and ‖∂J/∂W[l]‖ were compared with deepNetRef (rtol 1e-4), and the outcome. */
  checkedDepths: number[];
  ok: boolean;
  maxRelError: number;
}

/** Depths checked against float64: 1, 2 and 8 (those ≤ maxDepth). */
export function sweepCheckDepths(maxDepth: number): number[] {
  return [1, 2, 8].filter((d) => d <= maxDepth);
}

/** Runs the depth sweep once after a warm-up (pipelines compiled), timing it end to end, then checks a few rows. */
export async function benchSweep(gpu: GpuContext, config: SweepBenchConfig = DEFAULT_SWEEP_BENCH, signal?: AbortSignal): Promise<SweepBenchResult> {
  const base: DeepNetConfig = { ...DEFAULT_CONFIG, width: config.width, batch: config.batch, depth: config.maxDepth };
  const spec = { kind: 'depth' as const, depths: depthRange(1, config.maxDepth) };
  await runDeepNet(gpu, { ...base, depth: 2 });
  const check = new Set(sweepCheckDepths(config.maxDepth));
  const kept = new Map<number, { actNorm: Float64Array; gradWNorm: Float64Array }>();
  let flop = 0;
  let rows = 0;
  const t0 = performance.now();
  for await (const row of runSweep(gpu, { base, spec }, { signal })) {
    flop += row.run.flops;
    rows++;
    if (check.has(row.config.depth)) kept.set(row.config.depth, { actNorm: row.run.layers.actNorm, gradWNorm: row.run.layers.gradWNorm });
  }
  const wallMs = performance.now() - t0;
  let ok = kept.size === check.size;
  let maxRelError = 0;
  for (const [depth, got] of kept) {
    const ref = deepNetRef({ ...base, depth });
    for (const [g, r] of [
      [got.actNorm, ref.layers.actNorm],
      [got.gradWNorm, ref.layers.gradWNorm],
    ] as const) {
      const c = compareArrays(g, r, { rtol: 1e-4, atol: 0 });
      ok &&= c.ok;
      maxRelError = Math.max(maxRelError, c.maxRelError);
    }
  }
  return { config, rows, wallMs, flop, gflops: gflops(flop, wallMs), checkedDepths: [...kept.keys()], ok, maxRelError };
}
