/**
 * A time limit on GPU work that may never finish (a user's kernel that loops forever hangs its queue, and
 * nothing in WebGPU interrupts it): `withWatchdog(promise, ms, onTimeout)` settles like `promise`, or
 * rejects with a WatchdogTimeoutError after `ms` and calls `onTimeout` once (where the caller destroys the
 * device and switches the kernel off). The work itself cannot be stopped from here; the caller's
 * `onTimeout` is what ends it.
 */
import { GpuError } from './errors';

/** A submission did not finish within its time limit. */
export class WatchdogTimeoutError extends GpuError {
  override name = 'WatchdogTimeoutError';
  constructor(
    /** What was running, e.g. `Verify of shaders/matmul-direct.wgsl on 128×256 · 256×256`. */
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${formatLimit(ms)}.`);
  }
}

/** `10 s`, `0.3 s`, `1.5 min`. */
export function formatLimit(ms: number): string {
  if (ms >= 90_000) return `${Number((ms / 60_000).toFixed(1))} min`;
  return `${Number((ms / 1000).toPrecision(2))} s`;
}

/** The base limit: 10 s for up to WATCHDOG_WORK_UNIT multiply-adds (or element operations). */
export const WATCHDOG_BASE_MS = 10_000;
/** Work covered by the base limit; more work scales the limit linearly. */
export const WATCHDOG_WORK_UNIT = 1 << 24;

/** The time limit for a submission of `work` multiply-adds (or element operations): 10 s per 2²⁴, at least 10 s. */
export function watchdogMs(work: number, base = WATCHDOG_BASE_MS): number {
  return base * Math.max(1, Math.ceil((Number.isFinite(work) ? work : 0) / WATCHDOG_WORK_UNIT));
}

/**
 * Races `promise` against a timer of `ms`: resolves or rejects like `promise` if it settles first;
 * otherwise calls `onTimeout` and rejects with a WatchdogTimeoutError naming `what` and the limit.
 */
export function withWatchdog<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: (err: WatchdogTimeoutError) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      const err = new WatchdogTimeoutError(what, ms);
      try {
        onTimeout?.(err);
      } finally {
        reject(err);
      }
    }, ms);
    promise.then(
      (v) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
