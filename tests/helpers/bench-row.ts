import type { BenchRow } from '../../src/bench/runner';

/**
 * A benchmark row as the runner records it, for the bench and roofline tests: an exact, verified
 * 'ours: tiled' matmul at rate 1 unless `p` says otherwise.
 */
export function benchRow(p: Partial<BenchRow>): BenchRow {
  return {
    group: 'matmul',
    impl: 'ours: tiled',
    ours: true,
    shape: 's',
    metric: 'GFLOP/s',
    flop: 0,
    bytes: 0,
    ms: 1,
    method: 'timestamps',
    wallMs: 1,
    gpuMs: 1,
    samples: 3,
    rate: 1,
    verification: { ok: true, maxRelError: 0, checked: 1, firstBad: -1, how: '', rule: 'exact', total: 1 },
    ...p,
  };
}
