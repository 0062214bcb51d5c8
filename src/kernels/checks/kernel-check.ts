import { assertAlive, type GpuContext } from '../../gpu/context';
import { shapeEnglish } from './case-words';
import type { CheckResult, KernelCheck } from './types';

/** Where a Kernel check run is: which kernel is running and how many cases are done. */
export interface KernelCheckProgress {
  /** Kernel now running (e.g. `matmul`). */
  kernel: string;
  /** Its one-line description. */
  description: string;
  /** 0-based index of the running check in the list. */
  index: number;
  /** Number of checks in the run. */
  total: number;
  /** Cases finished so far, over all checks. */
  casesDone: number;
}

export interface RunKernelCheckOptions {
  /** Aborts between checks (a check's GPU work cannot be interrupted half-way). */
  signal?: AbortSignal;
  /** Called before each check starts. */
  onProgress?: (progress: KernelCheckProgress) => void;
}

/**
 * Runs every check in order on `gpu` and returns all their cases. A check that throws outright becomes
 * one failed case carrying the message, so one broken kernel never hides the others; a lost device or
 * an abort ends the run with that error.
 */
export async function runKernelCheck(gpu: GpuContext, checks: readonly KernelCheck[], options: RunKernelCheckOptions = {}): Promise<CheckResult[]> {
  const { signal, onProgress } = options;
  const results: CheckResult[] = [];
  for (const [index, check] of checks.entries()) {
    signal?.throwIfAborted();
    assertAlive(gpu);
    onProgress?.({ kernel: check.kernel, description: check.description, index, total: checks.length, casesDone: results.length });
    try {
      results.push(...(await check.run(gpu)));
    } catch (err) {
      results.push({
        kernel: check.kernel,
        shape: shapeEnglish({ kind: 'all-shapes' }),
        words: { kind: 'all-shapes' },
        ok: false,
        maxRelError: Infinity,
        rtol: NaN,
        gpuMs: null,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    // Cases of a check run after the loss would all fail with the same message: report the loss once.
    assertAlive(gpu);
  }
  signal?.throwIfAborted();
  return results;
}

/** Pass/fail counts of a run and the sentence the UI shows for them. */
export interface KernelCheckSummary {
  total: number;
  failed: number;
  status: 'pass' | 'fail';
  text: string;
}

/** "All N cases pass" or "K of N cases fail". An empty run is a failure: nothing was checked. */
export function summarizeKernelCheck(results: readonly CheckResult[]): KernelCheckSummary {
  const total = results.length;
  const failed = results.filter((r) => !r.ok).length;
  if (total === 0) return { total, failed, status: 'fail', text: 'No cases ran' };
  if (failed === 0) return { total, failed, status: 'pass', text: `All ${total} ${total === 1 ? 'case passes' : 'cases pass'}` };
  return { total, failed, status: 'fail', text: `${failed} of ${total} ${total === 1 ? 'case fails' : 'cases fail'}` };
}

/** A relative error for the table: `3.1e-7`, `0` , `∞`, `NaN`, or `—` when the case threw. */
export function formatRelError(value: number, threw = false): string {
  if (threw) return '—';
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '∞';
  if (value === 0) return '0';
  return value.toExponential(1);
}

/** A GPU time for the table, or the reason there is none. */
export function formatGpuMs(ms: number | null): string {
  if (ms === null) return 'n/a — no timestamp-query';
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}
