// The CPU fallback of the Depth lab: the same runs and sweeps as the GPU engine (`runDeepNets`, `runSweep`),
// computed by the float64 reference `deepNetRef`, for browsers without WebGPU. Same result shapes, so the
// lab, the heatmap and the exports work unchanged; sizes are capped so a phone's main thread is not frozen.

import { msg, str } from '@lit/localize';
import { CpuCapError, InputError } from '../../../errors';
import { validateDeepNetConfig, type DeepNetConfig, type DeepNetConfigInput } from '../config';
import type { DeepNetRun } from '../deep-net';
import { checkFrom, makeSweepGrid, type SweepRow } from '../sweep-grid';
import type { Sweep, SweepProgress, SweepResult } from '../sweep';
import { deepNetRef } from './deep-net-ref';

/**
 * Caps of the CPU fallback. One row costs about 3·L·m·n² float64 multiply-adds (three matmuls per layer) and
 * keeps about 8·((3L+1)·m·n + 2L·n²) bytes (every layer's A, Z, dA, W and dW). Measured on this project's
 * 2-core CI machine, a row of L·m·n² = 2^24 takes about 0.4 s, so `rowWork` is about a second per row and
 * `sweepWork` under ten seconds per sweep there.
 */
export const CPU_LIMITS = Object.freeze({
  /** Width n (units per layer). */
  width: 256,
  /** Batch m (examples). */
  batch: 1024,
  /** L·m·n² of one row. */
  rowWork: 2 ** 25,
  /** Σ L·m·n² over a sweep's rows. */
  sweepWork: 2 ** 28,
  /** float64 bytes one row keeps. */
  memoryBytes: 2 ** 27,
});

/** L·m·n² of a config: a third of its multiply-adds. */
export function cpuWork(c: DeepNetConfig): number {
  return c.depth * c.batch * c.width * c.width;
}

/** Bytes of float64 tensors `deepNetRef` keeps for a config. */
export function cpuMemoryBytes(c: DeepNetConfig): number {
  const { depth: L, width: n, batch: m } = c;
  return 8 * ((3 * L + 1) * m * n + 2 * L * n * n);
}

/**
 * What would fit when `c` is `factor` times too big: the smaller batch, width and depth that would (each
 * alone), as one sentence in the language shown; `sweep` leads with "sweep fewer or shallower rows".
 */
function shrinkHint(c: DeepNetConfig, factor: number, sweep = false): string {
  if (factor <= 1) return '';
  const batch = Math.floor(c.batch / factor);
  const width = Math.floor(c.width / Math.sqrt(factor));
  const depth = Math.floor(c.depth / factor);
  const options: string[] = [];
  if (batch >= 1) options.push(msg(str`batch m ≤ ${batch}`));
  if (width >= 1) options.push(msg(str`width n ≤ ${width}`));
  if (depth >= 1) options.push(msg(str`depth L ≤ ${depth}`));
  const list = options.join(msg(', or '));
  if (sweep) {
    return options.length
      ? msg(str`Sweep fewer or shallower rows, or use a smaller batch or width: ${list} would fit (or open the playground in a browser with WebGPU).`)
      : msg('Sweep fewer or shallower rows, or use a much smaller batch, width and depth (or open the playground in a browser with WebGPU).');
  }
  return options.length
    ? msg(str`Use a smaller batch or width: ${list} would fit (or open the playground in a browser with WebGPU).`)
    : msg('Use a much smaller batch, width and depth (or open the playground in a browser with WebGPU).');
}

/**
 * The first CPU cap the rows exceed, as a CpuCapError naming the cap, needed vs allowed and what to change;
 * null when they all fit. `rows` are the configs of one sweep (or one run).
 */
export function cpuCapProblem(rows: readonly DeepNetConfig[]): CpuCapError | null {
  if (rows.length === 0) return null;
  const widest = rows.reduce((a, b) => (b.width > a.width ? b : a));
  if (widest.width > CPU_LIMITS.width) {
    const max = CPU_LIMITS.width;
    return new CpuCapError('width', msg('Width n'), max, widest.width, msg(str`Use width n ≤ ${max} on the CPU fallback (or a browser with WebGPU).`));
  }
  const biggestBatch = rows.reduce((a, b) => (b.batch > a.batch ? b : a));
  if (biggestBatch.batch > CPU_LIMITS.batch) {
    const max = CPU_LIMITS.batch;
    return new CpuCapError('batch', msg('Batch m'), max, biggestBatch.batch, msg(str`Use batch m ≤ ${max} on the CPU fallback (or a browser with WebGPU).`));
  }
  const heaviest = rows.reduce((a, b) => (cpuWork(b) > cpuWork(a) ? b : a));
  const mem = cpuMemoryBytes(heaviest);
  if (mem > CPU_LIMITS.memoryBytes) {
    const { depth, width, batch } = heaviest;
    return new CpuCapError(
      'depth',
      msg(str`Memory of one row (8·((3L+1)·m·n + 2L·n²) bytes at L = ${depth}, n = ${width}, m = ${batch})`),
      CPU_LIMITS.memoryBytes,
      mem,
      shrinkHint(heaviest, mem / CPU_LIMITS.memoryBytes),
    );
  }
  const work = cpuWork(heaviest);
  if (work > CPU_LIMITS.rowWork) {
    const { depth, width, batch } = heaviest;
    return new CpuCapError(
      'depth',
      msg(str`Work of one row (L·m·n² = ${depth}·${batch}·${width}²)`),
      CPU_LIMITS.rowWork,
      work,
      shrinkHint(heaviest, work / CPU_LIMITS.rowWork),
    );
  }
  const total = rows.reduce((s, c) => s + cpuWork(c), 0);
  if (total > CPU_LIMITS.sweepWork) {
    const count = rows.length;
    return new CpuCapError(
      'values',
      msg(str`Work of the whole sweep (Σ L·m·n² over ${count} rows)`),
      CPU_LIMITS.sweepWork,
      total,
      shrinkHint(heaviest, total / CPU_LIMITS.sweepWork, true),
    );
  }
  return null;
}

/** Throws the first CPU cap problem of `rows`, if any. */
export function checkCpuCaps(rows: readonly DeepNetConfig[]): void {
  const problem = cpuCapProblem(rows);
  if (problem) throw problem;
}

/** Options of the CPU runs: like the GPU's RunOptions, without GPU resources or timing. */
export interface CpuRunOptions {
  signal?: AbortSignal;
}

// Lets the page draw and Cancel be clicked between rows (each row runs synchronously).
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function cpuRun(config: DeepNetConfig): DeepNetRun {
  const t0 = performance.now();
  const ref = deepNetRef(config);
  const { depth: L, width: n, batch: m } = config;
  return {
    config,
    loss: ref.loss,
    lossStatus: ref.lossStatus,
    layers: ref.layers,
    status: ref.status,
    wallMs: performance.now() - t0,
    flops: 6 * m * n * n * L,
    timings: [],
  };
}

/** `runDeepNet` on the CPU fallback: the float64 reference, with the CPU caps checked first. */
export async function runDeepNetCpu(input: DeepNetConfigInput, options: CpuRunOptions = {}): Promise<DeepNetRun> {
  const [run] = await runDeepNetsCpu([validateDeepNetConfig(input)], options);
  return run;
}

/** `runDeepNets` on the CPU fallback: one run per config, in order (no need to share depth here). */
export async function runDeepNetsCpu(inputs: readonly DeepNetConfigInput[], options: CpuRunOptions = {}): Promise<DeepNetRun[]> {
  if (!Array.isArray(inputs)) throw new InputError('configs', `must be an array of configs, got ${typeof inputs}`);
  const configs = inputs.map((c) => validateDeepNetConfig(c));
  checkCpuCaps(configs);
  const runs: DeepNetRun[] = [];
  for (const c of configs) {
    options.signal?.throwIfAborted();
    runs.push(cpuRun(c));
    await yieldToEventLoop();
  }
  return runs;
}

/**
 * `runSweep` on the CPU fallback: yields each row as it finishes (same `SweepResult`s), checks every CPU cap
 * before the first row, and stops between rows when `signal` aborts. `from` skips the rows before it (a
 * resumed sweep).
 */
export async function* runSweepCpu(
  sweep: Sweep,
  options: { signal?: AbortSignal; onProgress?: (p: SweepProgress) => void; from?: number } = {},
): AsyncGenerator<SweepResult> {
  const rows: SweepRow[] = makeSweepGrid(sweep.base, sweep.spec);
  const from = checkFrom(options.from, rows.length);
  checkCpuCaps(rows.slice(from).map((r) => r.config));
  const totalCost = rows.slice(from).reduce((s, r) => s + cpuWork(r.config), 0);
  const t0 = performance.now();
  let doneCost = 0;
  for (let index = from; index < rows.length; index++) {
    options.signal?.throwIfAborted();
    await yieldToEventLoop();
    options.signal?.throwIfAborted();
    const row = rows[index];
    const run = cpuRun(row.config);
    doneCost += cpuWork(row.config);
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
}
