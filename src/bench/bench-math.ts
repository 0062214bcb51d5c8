// Plain arithmetic of the benchmark: rates, medians, ratios and the FLOP / byte counts of each kernel.
import type { KernelTiming } from '../gpu/timer';

/** GFLOP/s of `flop` floating-point operations done in `ms` milliseconds. */
export function gflops(flop: number, ms: number): number {
  return ms > 0 && Number.isFinite(ms) ? flop / (ms * 1e6) : NaN;
}

/** GB/s (10⁹ bytes per second) of `bytes` moved in `ms` milliseconds. */
export function gbps(bytes: number, ms: number): number {
  return ms > 0 && Number.isFinite(ms) ? bytes / (ms * 1e6) : NaN;
}

/** Median of the finite values (mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * The FMA roof of a run: the median of its FMA-roof measurements (start, between matmul cases, end) that
 * passed their check, NaN without one. The summary, the roofline and the bar chart all draw this one number.
 */
export function fmaRoofOf(rows: readonly { impl: string; rate: number; verification: { ok: boolean } }[]): number {
  return median(rows.filter((r) => r.impl === 'FMA roof' && r.verification.ok).map((r) => r.rate));
}

/** a / b, or NaN when either is not a positive finite number. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 && a >= 0 ? a / b : NaN;
}

/** FLOPs of C = op(A)·op(B) (m×k by k×n, `batch` times): one multiply and one add per term. */
export function matmulFlop(s: { m: number; n: number; k: number; batch?: number }): number {
  return 2 * s.m * s.n * s.k * (s.batch ?? 1);
}

/**
 * Bytes a kernel must move at least, per kind: copy reads and writes each float (8 B); reductions read
 * each once (4 B). GB/s = these bytes / time, so at equal GB/s a reduction takes half the copy's time:
 * "moments ≥ 1.0× copy" means moments of n floats in at most half the time of copying n floats (a time
 * ratio copy/moments of 1.58× is 0.79× in GB/s).
 */
export function minBytes(kind: 'copy' | 'moments' | 'norms', floats: number): number {
  return kind === 'copy' ? 8 * floats : 4 * floats;
}

/**
 * GPU time of one submission from its passes' timestamps: first begin to last end when the passes carry
 * their start offsets (gaps between passes count, quantization errs once), else the sum of the passes.
 */
export function gpuSpanMs(timings: readonly KernelTiming[]): number {
  if (timings.length === 0) return NaN;
  if (timings.every((t) => t.startMs !== undefined)) {
    const begin = Math.min(...timings.map((t) => t.startMs!));
    const end = Math.max(...timings.map((t) => t.startMs! + t.ms));
    return end - begin;
  }
  return timings.reduce((s, t) => s + t.ms, 0);
}

/** A rate for a table: 3 significant digits, '—' for NaN. */
export function formatRate(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2);
}

/** A ratio like `5.3×`, '—' for NaN. */
export function formatRatio(x: number): string {
  return Number.isFinite(x) ? `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×` : '—';
}

/**
 * Executions to encode back to back per timed submission so that one submission holds at least `minMs` of
 * work, given one execution's measured time (1 to `max`; 1 when the time is unknown or long enough).
 */
export function executionsFor(minMs: number, msPerExecution: number, max = 16): number {
  if (!(msPerExecution > 0) || !(minMs > msPerExecution)) return 1;
  return Math.min(max, Math.ceil(minMs / msPerExecution));
}

/** Share of a roof as a percentage, e.g. `41%`. */
export function formatShare(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '—';
}
