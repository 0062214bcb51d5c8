import type { GpuContext } from '../gpu/context';
import type { DeepNetConfig } from './deep-net-config';
import { NetResources, resourceKey, runDeepNet, type DeepNetRun } from './deep-net';
import { makeSweepGrid, type SweepRow, type SweepSpec } from './sweep-grid';

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
 * input — e.g. every row of a depth sweep) share one upload of W[1..max depth].
 * Aborting the signal stops before the next row; finished rows have been yielded already.
 */
export async function* runSweep(
  gpu: GpuContext,
  sweep: Sweep,
  options: { signal?: AbortSignal; onProgress?: (p: SweepProgress) => void; timing?: boolean } = {},
): AsyncGenerator<SweepResult> {
  const rows = makeSweepGrid(sweep.base, sweep.spec);
  const cost = (c: DeepNetConfig) => c.depth * c.batch * c.width * c.width;
  const totalCost = rows.reduce((s, r) => s + cost(r.config), 0);
  const t0 = performance.now();
  let doneCost = 0;
  let resources: NetResources | null = null;
  try {
    for (let index = 0; index < rows.length; index++) {
      options.signal?.throwIfAborted();
      const row = rows[index];
      if (!resources || !resources.fits(row.config)) {
        resources?.release();
        const sameKey = rows.filter((r) => resourceKey(r.config) === resourceKey(row.config));
        resources = new NetResources(gpu, row.config, Math.max(...sameKey.map((r) => r.config.depth)));
      }
      const run = await runDeepNet(gpu, row.config, { signal: options.signal, resources, timing: options.timing });
      doneCost += cost(row.config);
      const elapsedMs = performance.now() - t0;
      options.onProgress?.({
        done: index + 1,
        total: rows.length,
        elapsedMs,
        remainingMs: doneCost > 0 ? (elapsedMs * (totalCost - doneCost)) / doneCost : NaN,
        row,
      });
      yield { ...row, index, run };
    }
  } finally {
    resources?.release();
  }
}
