import type { GpuContext } from '../../gpu/context';
import { shapeEnglish, type CaseWords } from './case-words';

/** One case of the Kernel check: a kernel on one shape, compared with its float64 reference. */
export interface CheckResult {
  kernel: string;
  /** Shape in words, e.g. `65×63 · 63×257, Bᵀ` (English: logs, the CLI, exported JSON). */
  shape: string;
  /** What a shape with words is made of, so the Kernel check view words it in the language shown (`shapeText`). */
  words?: CaseWords;
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

/**
 * Runs `fn`, turning a thrown error into a failed result so one broken kernel doesn't hide the rest. A shape
 * given as words sets the result's `words` and its English `shape`, whether the case passed, failed or threw.
 */
export async function guarded(kernel: string, shape: string | CaseWords, rtol: number, fn: () => Promise<CheckResult>): Promise<CheckResult> {
  const named = typeof shape === 'string' ? { shape } : { shape: shapeEnglish(shape), words: shape };
  try {
    return { ...(await fn()), ...named };
  } catch (err) {
    return { kernel, ...named, ok: false, maxRelError: Infinity, rtol, gpuMs: null, error: (err as Error).message };
  }
}

/** Sum of a timed batch's pass times, or null when the device has no timestamps. */
export function totalMs(gpu: GpuContext, timings: readonly { ms: number }[]): number | null {
  if (!gpu.hasTimestamps) return null;
  return timings.reduce((s, t) => s + t.ms, 0);
}
