import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import type { DeepNetRun } from '../../src/labs/depth/deep-net';
import type { Sweep, SweepResult } from '../../src/labs/depth/sweep';
import { makeSweepGrid, type SweepSpec } from '../../src/labs/depth/sweep-grid';

/**
 * Runs every row of a sweep with the float64 reference, dressed as GPU sweep results (row i took
 * 10 + i ms; `timings(i)` gives its kernel timings, none by default). The Depth lab's texts and exports
 * do not care where the numbers came from.
 */
export function refSweep(
  base: Partial<DeepNetConfig>,
  spec: SweepSpec,
  timings: (index: number) => DeepNetRun['timings'] = () => [],
): { sweep: Sweep; results: SweepResult[] } {
  const cfg = validateDeepNetConfig(base);
  const results = makeSweepGrid(cfg, spec).map((row, index) => {
    const ref = deepNetRef(row.config);
    const run: DeepNetRun = {
      config: row.config,
      loss: ref.loss,
      lossStatus: ref.lossStatus,
      layers: ref.layers,
      status: ref.status,
      wallMs: 10 + index,
      flops: 6 * row.config.batch * row.config.width ** 2 * row.config.depth,
      timings: timings(index),
    };
    return { ...row, index, run };
  });
  return { sweep: { base: cfg, spec }, results };
}
