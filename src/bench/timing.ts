// Timing of GPU work for the benchmark: warm-up, then the median of several submissions, each measured
// with timestamp queries where the device offers them (first pass begin to last pass end) and always by
// the wall clock from submit to done.
import type { GpuContext } from '../gpu/context';
import { GpuBatch } from '../gpu/batch';
import { markGpuTrack } from '../gpu/timer';
import { executionsFor, gpuSpanMs, median } from './bench-math';

/** How a time was measured: GPU timestamp queries (quantized, implementation-defined) or submit-to-done wall time. */
export type TimingMethod = 'timestamps' | 'wall';

/** Median times of one measured piece of work (per execution, i.e. divided by `inner`). */
export interface Timing {
  /** The time rates are computed from: the timestamp median where offered, else the wall median. */
  ms: number;
  method: TimingMethod;
  wallMs: number;
  /** null without timestamp queries. */
  gpuMs: number | null;
  /** Timed submissions. */
  samples: number;
  /** Executions per timed submission (their time divided out). */
  inner: number;
}

/** Options of timeGpu. */
export interface TimeOptions {
  warmup?: number;
  reps?: number;
  /** Executions encoded back to back per submission (their time is divided out). */
  inner?: number;
  signal?: AbortSignal;
  /** Use wall time even when timestamps are offered. */
  wallOnly?: boolean;
  /**
   * Encode enough executions per timed submission (executionsFor, at most 16) that one holds at least this
   * many ms of work, estimated from the last warm-up: a short kernel then runs back to back as a long one
   * does, rather than paying a submission's start-up on every sample. Overrides `inner`.
   */
  minMs?: number;
}

/**
 * Times `encode` (which adds one execution's dispatches to a batch): `warmup` untimed submissions, then
 * `reps` timed ones, each in a debug group named `label`. Without timestamp queries each timed submission
 * is also put on the DevTools "GPU kernels" track, by its wall time.
 */
export async function timeGpu(gpu: GpuContext, label: string, encode: (batch: GpuBatch) => void, options: TimeOptions = {}): Promise<Timing> {
  const { warmup = 1, reps = 5, signal, wallOnly = false, minMs } = options;
  let inner = options.inner ?? 1;
  const useStamps = gpu.hasTimestamps && !wallOnly;
  const walls: number[] = [];
  const stamps: number[] = [];
  for (let r = 0; r < warmup + reps; r++) {
    signal?.throwIfAborted();
    const timed = r >= warmup;
    const batch = new GpuBatch(gpu, `bench ${label}${timed ? ` rep ${r - warmup + 1}` : ' warm-up'}`, { timing: timed && useStamps });
    try {
      batch.group(label, () => {
        for (let i = 0; i < inner; i++) encode(batch);
      });
      const t0 = performance.now();
      await batch.submit();
      await gpu.device.queue.onSubmittedWorkDone();
      const wall = performance.now() - t0;
      if (!timed) {
        if (minMs !== undefined && r === warmup - 1) inner = executionsFor(minMs, wall / inner);
        continue;
      }
      walls.push(wall / inner);
      if (useStamps) stamps.push(gpuSpanMs(batch.timings) / inner);
      else markGpuTrack(label, t0, wall, 'wall clock (submit to done)');
    } finally {
      batch.dispose();
    }
  }
  const wallMs = median(walls);
  const gpuMs = useStamps ? median(stamps) : null;
  // A span of 0 means every pass fell inside one quantum: report the wall time instead of infinity.
  const stampsUsable = gpuMs !== null && gpuMs > 0;
  return { ms: stampsUsable ? gpuMs : wallMs, method: stampsUsable ? 'timestamps' : 'wall', wallMs, gpuMs, samples: reps, inner };
}

/** Times async work that is not a GpuBatch (e.g. another library's kernel): wall time of `run`, median after warm-up. */
export async function timeAsync(run: () => Promise<void>, options: { warmup?: number; reps?: number; signal?: AbortSignal } = {}): Promise<number> {
  const { warmup = 1, reps = 5, signal } = options;
  const walls: number[] = [];
  for (let r = 0; r < warmup + reps; r++) {
    signal?.throwIfAborted();
    const t0 = performance.now();
    await run();
    if (r >= warmup) walls.push(performance.now() - t0);
  }
  return median(walls);
}
