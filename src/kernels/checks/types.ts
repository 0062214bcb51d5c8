import type { GpuContext } from '../../gpu/context';

/** One case of the Kernel check: a kernel on one shape, compared with its float64 reference. */
export interface CheckResult {
  kernel: string;
  /** Shape in words, e.g. `65×63 · 63×257, Bᵀ`. */
  shape: string;
  ok: boolean;
  maxRelError: number;
  /** Tolerance the case is judged by (relative). */
  rtol: number;
  /** GPU time summed over the case's timed passes, or null without timestamp-query. */
  gpuMs: number | null;
  /** Set when the case threw (e.g. a compile error); ok is then false. */
  error?: string;
}

/** A kernel's contribution to the Kernel check: a few shapes, each run on the GPU and on the CPU. */
export interface KernelCheck {
  kernel: string;
  /** One line for the UI: what the kernel computes. */
  description: string;
  run(gpu: GpuContext): Promise<CheckResult[]>;
}

/** Runs `fn`, turning a thrown error into a failed result so one broken kernel doesn't hide the rest. */
export async function guarded(kernel: string, shape: string, rtol: number, fn: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await fn();
  } catch (err) {
    return { kernel, shape, ok: false, maxRelError: Infinity, rtol, gpuMs: null, error: (err as Error).message };
  }
}

/** Sum of a timed batch's pass times, or null when the device has no timestamps. */
export function totalMs(gpu: GpuContext, timings: readonly { ms: number }[]): number | null {
  if (!gpu.hasTimestamps) return null;
  return timings.reduce((s, t) => s + t.ms, 0);
}
