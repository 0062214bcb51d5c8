/**
 * The rule for custom kernels that may have broken the GPU: a view snapshots the active overrides when a
 * run starts (`guardOverrides()`); when that run loses its device (or a watchdog gives up on it), it calls
 * `switchOff(...)`, which switches those overrides back to the built-in and returns the sentence to show
 * ("Your custom kernel … was switched off …"), or null when the run used only built-in kernels. A view
 * then resumes or retries on the built-in — never on the kernel that was running when the device went.
 * DOM-free: it only talks to the overrides store.
 */
import { msg, str } from '@lit/localize';
import { GpuDeviceLostError } from '../gpu/errors';
import { WatchdogTimeoutError } from '../gpu/watchdog';
import { kernelOverrides, type KernelOverrides } from './kernel-overrides';

/** Why the custom kernels were switched off. */
export type SwitchOffReason = 'device-lost' | 'timeout';

/** The overrides a run started with, and how to switch them off. */
export interface OverrideGuard {
  /** Files whose custom kernel was active when the run started. */
  readonly files: readonly string[];
  /**
   * Switches off every override of the snapshot that is still the same code (one the user replaced or
   * cleared since is left alone) and returns what to tell the user; null when the run had none.
   */
  switchOff(reason: SwitchOffReason): string | null;
}

const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : msg(str`${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`));

/** The message for `files` switched off for `reason` (exported for views that build their own notice). */
export function switchedOffMessage(files: readonly string[], reason: SwitchOffReason): string {
  const lost = reason === 'device-lost';
  if (files.length === 1) {
    return lost
      ? msg(
          str`Your custom kernel ${files[0]} was switched off because the GPU device was lost while it ran; the built-in kernel runs now. You can switch it back on in the Shaders view.`,
        )
      : msg(
          str`Your custom kernel ${files[0]} was switched off because a run of it did not finish in time; the built-in kernel runs now. You can switch it back on in the Shaders view.`,
        );
  }
  return lost
    ? msg(
        str`Your custom kernels ${list(files)} were switched off because the GPU device was lost while it ran; the built-in kernels run now. You can switch it back on in the Shaders view.`,
      )
    : msg(
        str`Your custom kernels ${list(files)} were switched off because a run of it did not finish in time; the built-in kernels run now. You can switch it back on in the Shaders view.`,
      );
}

/** Snapshots the overrides active now (call it when a run starts). */
export function guardOverrides(store: KernelOverrides = kernelOverrides): OverrideGuard {
  const snapshot = store.list().map((o) => ({ file: o.file, code: o.code }));
  return {
    files: snapshot.map((o) => o.file),
    switchOff(reason) {
      const off: string[] = [];
      for (const o of snapshot) {
        if (store.codeFor(o.file) !== o.code) continue;
        store.clear(o.file);
        off.push(o.file);
      }
      return off.length ? switchedOffMessage(off, reason) : null;
    },
  };
}

/**
 * For a view's catch block: when `err` is a device loss (GpuDeviceLostError) or a watchdog timeout, switches
 * off the custom kernels `guard` saw at the start of the run and returns what to tell the user; null for
 * any other error or a run on built-in kernels only.
 */
export function switchOffAfter(err: unknown, guard: OverrideGuard): string | null {
  if (err instanceof GpuDeviceLostError) return guard.switchOff('device-lost');
  if (err instanceof WatchdogTimeoutError) return guard.switchOff('timeout');
  return null;
}

/**
 * `switchOffAfter`, with its sentence appended to the error's message (the error keeps its class, so a
 * view's device-loss handling still recognises it); returns `err`.
 */
export function withSwitchOff<E>(err: E, guard: OverrideGuard): E {
  const off = switchOffAfter(err, guard);
  if (off && err instanceof Error) err.message = `${err.message} ${off}`;
  return err;
}
