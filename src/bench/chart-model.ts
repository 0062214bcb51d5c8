// Plain data for the Performance view's bar charts: one bar per measured row, the roof as a line.
import type { BenchRow } from './runner';

/** One bar: a row's rate, labelled, with its kind (ours, another library or baseline, a roof). */
export interface Bar {
  label: string;
  value: number;
  kind: 'ours' | 'other' | 'roof';
  verified: boolean;
}

/** A horizontal bar chart of one metric with a roof line. */
export interface BarChartModel {
  title: string;
  metric: 'GFLOP/s' | 'GB/s';
  bars: Bar[];
  /** The roof drawn as a vertical line (NaN when not measured yet), and its name. */
  roof: number;
  roofLabel: string;
  /** Axis end: the largest of bars and roof, rounded up to a tick. */
  max: number;
}

/** A "nice" axis end ≥ v: 1, 2 or 5 × 10^k. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * The two charts: matmul GFLOP/s against the FMA roof, and the memory-bound kernels' GB/s against the
 * copy kernel's bandwidth (the best copy rate measured: the roof of this device).
 */
export function makeBarCharts(rows: readonly BenchRow[]): [BarChartModel, BarChartModel] {
  const fmaRows = rows.filter((r) => r.impl === 'FMA roof');
  const fma = fmaRows.length ? fmaRows.reduce((x, y) => (y.rate > x.rate ? y : x)) : undefined;
  const copies = rows.filter((r) => r.impl.startsWith('copy'));
  const copyRoof = copies.length ? Math.max(...copies.map((r) => r.rate)) : NaN;
  const bar = (r: BenchRow): Bar => ({
    label: `${r.shape} · ${r.impl}`,
    value: r.rate,
    kind: r.ours ? 'ours' : r.group === 'roof' ? 'roof' : 'other',
    verified: r.verification.ok,
  });
  const mm = rows.filter((r) => r.group === 'matmul').map(bar);
  const mem = rows.filter((r) => r.group === 'moments' || r.group === 'norms' || r.impl.startsWith('copy')).map(bar);
  const end = (bars: Bar[], roof: number) => niceCeil(Math.max(Number.isFinite(roof) ? roof : 0, ...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const roofOf = (r: number) => (Number.isFinite(r) ? r : NaN);
  return [
    { title: 'Matmul (GFLOP/s)', metric: 'GFLOP/s', bars: mm, roof: roofOf(fma?.rate ?? NaN), roofLabel: 'FMA roof', max: end(mm, fma?.rate ?? NaN) },
    { title: 'Moments, norms and copy (GB/s)', metric: 'GB/s', bars: mem, roof: roofOf(copyRoof), roofLabel: 'copy bandwidth', max: end(mem, copyRoof) },
  ];
}
