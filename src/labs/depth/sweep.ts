import type { GpuContext } from '../../gpu/context';
import { InputError } from '../../errors';
import { describeValue, type DeepNetConfig } from './config';
import { NetResources, checkGpuContext, checkNetBuffers, explainFailure, resourceKey, runDeepNets, type DeepNetRun } from './deep-net';
import { checkFrom, makeSweepGrid, type SweepRow, type SweepSpec } from './sweep-grid';

/** A sweep: a base config and the one setting that varies (depth, gain or init). */
export interface Sweep {
  base: DeepNetConfig;
  spec: SweepSpec;
}

/** Progress after each finished row. */
export interface SweepProgress {
  done: number;
  total: number;
  /** Wall time so far and a linear estimate of what is left (by FLOPs, since rows differ in cost). */
  elapsedMs: number;
  remainingMs: number;
  row: SweepRow;
}

/** One finished row of a sweep. */
export interface SweepResult extends SweepRow {
  index: number;
  run: DeepNetRun;
}

/**
 * Runs every row of a sweep on the GPU and yields each as it finishes, so a caller can draw rows as
 * they come and keep them when cancelled. Rows sharing weights (same width, batch, init, gain, seed,
 * input — e.g. every row of a depth sweep) share one upload of W[1..max depth], and the rows of a depth
 * sweep run in chunks of up to an eighth of the sweep, each chunk in one submission (shared forward pass,
 * batched backward passes; see runDeepNets).
 * Aborting the signal stops at once (the chunk in flight is dropped); finished rows have been yielded already.
 * `from` starts at that row (resuming after a device loss: rows before it were finished on the old device).
 * Every chunk's buffers are checked against the device limits before anything is allocated (GpuLimitError),
 * and a device lost mid-sweep surfaces as a GpuDeviceLostError.
 */
export async function* runSweep(
  gpu: GpuContext,
  sweep: Sweep,
  options: { signal?: AbortSignal; onProgress?: (p: SweepProgress) => void; timing?: boolean; from?: number } = {},
): AsyncGenerator<SweepResult> {
  checkGpuContext(gpu);
  if (typeof sweep !== 'object' || sweep === null) throw new InputError('sweep', `must be an object { base, spec }, got ${describeValue(sweep)}`);
  const all = makeSweepGrid(sweep.base, sweep.spec);
  // A resumed sweep (after a device loss) starts at its first unfinished row. Chunks keep the boundaries of
  // the whole sweep (the first one may be partial), and indices stay the sweep's own.
  const from = checkFrom(options.from, all.length);
  const rows = all.slice(from);
  const chunks = makeChunks(gpu, all, sweep.spec.kind === 'depth')
    .map((chunk) => chunk.filter((i) => i >= from))
    .filter((chunk) => chunk.length > 0);
  const cost = (c: DeepNetConfig) => c.depth * c.batch * c.width * c.width;
  const totalCost = rows.reduce((s, r) => s + cost(r.config), 0);
  // Weights are uploaded once per setting, for the deepest remaining row that shares them.
  const capacityFor = (c: DeepNetConfig) => Math.max(...rows.filter((r) => resourceKey(r.config) === resourceKey(c)).map((r) => r.config.depth));
  // Every chunk's buffers checked against the device limits before the first allocation.
  for (const chunk of chunks) {
    const deepest = chunk.map((i) => all[i].config).reduce((a, b) => (b.depth > a.depth ? b : a));
    checkNetBuffers(gpu.limits, { depth: capacityFor(deepest), width: deepest.width, batch: deepest.batch, nets: chunk.length }, { weights: true });
  }
  const t0 = performance.now();
  let doneCost = 0;
  let resources: NetResources | null = null;
  try {
    for (const chunk of chunks) {
      options.signal?.throwIfAborted();
      const configs = chunk.map((i) => all[i].config);
      const deepest = configs.reduce((a, b) => (b.depth > a.depth ? b : a));
      if (!resources || !resources.fits(deepest)) {
        resources?.release();
        resources = null;
        try {
          resources = await NetResources.create(gpu, deepest, capacityFor(deepest));
        } catch (err) {
          throw await explainFailure(gpu, err, options.signal);
        }
      }
      const runs = await runDeepNets(gpu, configs, { signal: options.signal, resources, timing: options.timing });
      for (const [j, index] of chunk.entries()) {
        const row = all[index];
        doneCost += cost(row.config);
        const elapsedMs = performance.now() - t0;
        options.onProgress?.({
          done: index + 1,
          total: all.length,
          elapsedMs,
          remainingMs: doneCost > 0 ? (elapsedMs * (totalCost - doneCost)) / doneCost : NaN,
          row,
        });
        yield { ...row, index, run: runs[j] };
      }
    }
  } finally {
    resources?.release();
  }
}

// A depth sweep runs in about this many submissions: enough steps for the progress bar, few enough that the
// shared forward pass saves work (it costs each chunk 1/(2·rows) of its backward passes).
const CHUNKS = 8;

/**
 * Row indices grouped into submissions: for a depth sweep, the first row alone (so the first result shows
 * as soon as the pipelines are built), then consecutive rows, up to an eighth of the sweep (so progress and
 * Cancel stay responsive) and as many as the per-net gradient buffers (R·n² and R·m·n floats) allow within
 * maxStorageBufferBindingSize / 4; otherwise one row each.
 */
export function makeChunks(gpu: Pick<GpuContext, 'limits'>, rows: readonly SweepRow[], depthSweep: boolean): number[][] {
  if (!depthSweep || rows.length === 0) return rows.map((_, i) => [i]);
  const { width: n, batch: m } = rows[0].config;
  const perRow = 4 * Math.max(n * n, m * n);
  const byMemory = Math.max(1, Math.floor(gpu.limits.maxStorageBufferBindingSize / 4 / perRow));
  const size = Math.max(1, Math.min(byMemory, Math.ceil(rows.length / CHUNKS)));
  const chunks: number[][] = [[0]];
  for (let i = 1; i < rows.length; i += size) chunks.push(rows.slice(i, i + size).map((_, j) => i + j));
  return chunks;
}
