/**
 * Verify: runs an edited kernel on a set of shapes (awkward ones included) and compares every output
 * with the float64 reference, like the Kernel check (same references, same tolerances, compareArrays),
 * but for code the user wrote. Per shape: pass/fail, max absolute and relative error, and the first
 * mismatching index, named in the output's own terms (`C[4, 17]`, `variance[3]`, …). Output buffers
 * start filled with NaN, so an element the kernel never writes cannot pass by accident. Besides its own
 * shapes, Verify runs the shapes the Depth and Normalization labs will run (`lab`, see lab-shapes.ts),
 * within a work limit; every case runs under a watchdog (a kernel that never finishes is reported and
 * Verify stops), and an AbortSignal stops it between cases. The shapes and their runners are in
 * verify-shapes.ts and verify-matmul/-moments/-norms/-elementwise.ts; this module runs them and reports.
 */
import { msg, str } from '@lit/localize';
import type { GpuContext } from '../gpu/context';
import { compareArrays } from '../kernels/compare';
import type { CatalogKernel } from './catalog';
import type { LabSettings } from './lab-shapes';
import { casesFor } from './verify-shapes';
import { WatchdogTimeoutError, formatLimit, watchdogMs, withWatchdog } from '../gpu/watchdog';

/** One shape's verdict. */
export interface VerifyCase {
  shape: string;
  ok: boolean;
  maxAbsError: number;
  maxRelError: number;
  /** Tolerance (relative) the case is judged by. */
  rtol: number;
  /** First output index outside tolerance, or -1. */
  firstBad: number;
  /** That index in the output's own terms, e.g. `C[0, 3] of batch item 1`; null when all pass. */
  firstBadAt: string | null;
  /** GPU value and float64 reference at firstBad. */
  got: number | null;
  expected: number | null;
  /** Output elements compared. */
  count: number;
  /** Set when the case threw (compile error, pipeline error, validation error, time limit). */
  error?: string;
  /** True for a shape a lab runs with its current settings. */
  lab?: boolean;
  /** True when the case did not finish within its time limit (Verify stopped there). */
  timedOut?: boolean;
}

/** Verify's answer for one kernel. */
export interface VerifyReport {
  kernel: string;
  file: string;
  ok: boolean;
  passed: number;
  total: number;
  cases: VerifyCase[];
  /** Set when a case hit the watchdog: the shape, and the cases not run after it. */
  timedOut?: { shape: string; limitMs: number; notRun: number };
}

/** Options of verifyKernel. */
export interface VerifyOptions {
  /** Stops Verify between cases (it then rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called after each shape with the cases so far. */
  onCase?: (done: VerifyCase[], total: number) => void;
  /** The labs' settings: their shapes are verified too (marked `lab`). */
  lab?: LabSettings | null;
  /** Base time limit of a case in ms (default 10 s), scaled by the case's work (see watchdogMs). */
  timeLimitMs?: number;
  /**
   * Called when a case does not finish within its limit, before Verify returns: the GPU is presumably
   * still running the kernel, so the caller replaces the device (and switches the kernel off).
   */
  onTimeout?: (err: WatchdogTimeoutError) => void;
}

/**
 * Runs `code` as `kernel` (its variant, its host code, its dispatch shape) on every Verify shape and
 * compares with the float64 reference. A case that throws (compile or pipeline error) fails with the
 * message; the other cases still run. A case that does not finish within its time limit fails, and Verify
 * stops there (the GPU is busy with it): the report's `timedOut` says where.
 */
export async function verifyKernel(gpu: GpuContext, kernel: CatalogKernel, code: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const cases = casesFor(kernel, options.lab ?? null);
  const results: VerifyCase[] = [];
  let timedOut: VerifyReport['timedOut'];
  for (const [i, c] of cases.entries()) {
    options.signal?.throwIfAborted();
    const limitMs = watchdogMs(c.work, options.timeLimitMs);
    try {
      // Only the submission is timed: compiling can take long on a busy machine, and always ends.
      const watch = <T>(work: Promise<T>) => withWatchdog(work, limitMs, `Your kernel (${kernel.file}) on ${c.shape}`, options.onTimeout);
      const { got, ref, tol, at } = await c.run(gpu, code, watch);
      const cmp = compareArrays(got, ref, tol);
      results.push({
        shape: c.shape,
        ok: cmp.ok,
        maxAbsError: cmp.maxAbsError,
        maxRelError: cmp.maxRelError,
        rtol: tol.rtol,
        firstBad: cmp.firstBad,
        firstBadAt: cmp.firstBad >= 0 ? at(cmp.firstBad) : null,
        got: cmp.firstBad >= 0 && cmp.firstBad < got.length ? got[cmp.firstBad] : null,
        expected: cmp.firstBad >= 0 && cmp.firstBad < ref.length ? ref[cmp.firstBad] : null,
        count: cmp.count,
        lab: !!c.lab,
      });
    } catch (err) {
      const late = err instanceof WatchdogTimeoutError;
      results.push({
        shape: c.shape,
        ok: false,
        maxAbsError: Infinity,
        maxRelError: Infinity,
        rtol: c.rtol,
        firstBad: -1,
        firstBadAt: null,
        got: null,
        expected: null,
        count: 0,
        error: late
          ? `Your kernel did not finish within ${formatLimit(limitMs)} on this shape (the limit for its ${c.work.toLocaleString('en-US')} operations); it may loop forever here. Verify stopped.`
          : err instanceof Error
            ? err.message
            : String(err),
        lab: !!c.lab,
        ...(late ? { timedOut: true } : {}),
      });
      if (late) {
        timedOut = { shape: c.shape, limitMs, notRun: cases.length - i - 1 };
        options.onCase?.([...results], cases.length);
        break;
      }
    }
    options.onCase?.([...results], cases.length);
  }
  const passed = results.filter((r) => r.ok).length;
  const total = cases.length;
  return {
    kernel: kernel.id,
    file: kernel.file,
    ok: results.length === total && total > 0 && passed === total,
    passed,
    total,
    cases: results,
    ...(timedOut ? { timedOut } : {}),
  };
}

/** "All 7 shapes pass" / "2 of 7 shapes fail — first: …" for the UI. */
export function summarizeVerify(report: VerifyReport): string {
  if (report.total === 0) return msg('No reference for this kernel: Verify has nothing to compare with.');
  if (report.ok) {
    const lab = report.cases.filter((c) => c.lab).length;
    return lab
      ? msg(str`All ${report.total} shapes pass against the float64 reference (${lab} of them the labs' shapes).`)
      : msg(str`All ${report.total} shapes pass against the float64 reference.`);
  }
  if (report.timedOut) {
    const t = report.timedOut;
    return t.notRun === 1
      ? msg(str`Your kernel did not finish within ${formatLimit(t.limitMs)} on ${t.shape}; Verify stopped there (1 shape not run).`)
      : msg(str`Your kernel did not finish within ${formatLimit(t.limitMs)} on ${t.shape}; Verify stopped there (${t.notRun} shapes not run).`);
  }
  const first = report.cases.find((c) => !c.ok)!;
  const where = first.error
    ? msg(str`it failed to run: ${first.error.split('\n')[0]}`)
    : msg(str`first mismatch at index ${first.firstBad} (${first.firstBadAt})`);
  return msg(str`${report.total - report.passed} of ${report.total} shapes fail. First failing shape: ${first.shape} — ${where}.`);
}
