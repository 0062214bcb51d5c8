import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import type { GpuContext } from '../../gpu/context';
import { formatLimit, WatchdogTimeoutError } from '../../gpu/watchdog';
import { currentLabSettings } from '../../labs/lab-settings';
import type { CatalogKernel } from '../../playground/catalog';
import type { EditorSessions } from '../../playground/editor-sessions';
import { kernelOverrides } from '../../playground/kernel-overrides';
import type { LabSettings } from '../../playground/lab-shapes';
import { timeKernel } from '../../playground/timing';
import { verifyKernel } from '../../playground/verify';
import { verifyCasesFor } from '../../playground/verify-shapes';
import { GpuRecoveryController, deviceLossBehind, type GpuReconnectDetail } from '../gpu-recovery';

/** What the run controller reads from its view. */
export interface RunHost extends ReactiveControllerHost, EventTarget {
  gpu: GpuContext | null;
  /** Base time limit of one Verify case or Time submission in ms (undefined: 10 s), scaled by its work. */
  timeLimitMs: number | undefined;
}

/**
 * Verify and Time of the Shaders view: runs them on the last text that compiled, with Cancel, the labs'
 * shapes and the watchdog. A device loss during a run is reported as one (not as failing shapes), a new
 * device is fetched through the shell, and the run is not repeated by itself: the edit may be what killed
 * the device.
 */
export class ShaderRunController implements ReactiveController {
  /** The labs' settings the last Verify ran their shapes with. */
  verifyLab: LabSettings | null = null;
  /** Shapes of the Verify in progress. */
  verifyTotal = 0;
  /** Set when a kernel hit the watchdog: what happened to the device and the custom kernel. */
  watchdogNotice: string | null = null;
  readonly recovery: GpuRecoveryController;
  private runAbort: AbortController | null = null;

  constructor(
    private readonly host: RunHost,
    private readonly sessions: EditorSessions,
  ) {
    host.addController(this);
    this.recovery = new GpuRecoveryController(host, 'stop');
  }

  hostConnected(): void {}

  /** Stops the Verify or Time in progress after the case or submission in flight. */
  cancel(): void {
    this.runAbort?.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  private setNotice(text: string | null): void {
    this.watchdogNotice = text;
    this.host.requestUpdate();
  }

  /**
   * A kernel did not finish in time: the GPU is presumed stuck on it. Switches `file`'s custom kernel off
   * when it is the code that hung, and replaces the device (the shell's gpu-reconnect; without a shell the
   * device is destroyed and a reload gets a new one).
   */
  private onWatchdog(gpu: GpuContext, file: string, code: string, err: WatchdogTimeoutError): void {
    const o = kernelOverrides.get(file);
    const off = o && o.code === code;
    if (off) kernelOverrides.clear(file);
    const detail: GpuReconnectDetail = { lost: gpu };
    this.host.dispatchEvent(new CustomEvent('gpu-reconnect', { detail, bubbles: true, composed: true }));
    if (!detail.reply) {
      try {
        gpu.destroy();
      } catch {
        // Already gone.
      }
    }
    const say = (device: string) =>
      this.setNotice(
        off
          ? msg(
              str`${err.what} did not finish within ${formatLimit(err.ms)}. A kernel that does not finish keeps the GPU busy, so ${device}; your custom kernel ${file} was switched off, and the built-in runs in the labs now.`,
            )
          : msg(str`${err.what} did not finish within ${formatLimit(err.ms)}. A kernel that does not finish keeps the GPU busy, so ${device}.`),
      );
    const failed = () => msg('the GPU device could not be replaced: press Reconnect above, or reload the page');
    if (!detail.reply) return void say(msg('the GPU device was closed: reload the page to get a new one'));
    say(msg('the GPU device is being replaced'));
    void detail.reply.then(
      (next) => say(next ? msg('the GPU device was replaced with a new one') : failed()),
      () => say(failed()),
    );
  }

  async verify(k: CatalogKernel): Promise<void> {
    const gpu = this.host.gpu;
    const id = k.id;
    const code = this.sessions.get(id).lastGood;
    if (!gpu || code === null) return;
    this.sessions.patch(id, { busy: 'verify', verifyProgress: [], error: null });
    const lab = currentLabSettings();
    const abort = (this.runAbort = new AbortController());
    this.verifyLab = lab;
    this.verifyTotal = verifyCasesFor(k, lab).length;
    this.setNotice(null);
    let done = 0;
    try {
      const report = await this.lossChecked(
        gpu,
        msg('Verify'),
        (g) =>
          verifyKernel(g, k, code, {
            lab,
            signal: abort.signal,
            timeLimitMs: this.host.timeLimitMs,
            onTimeout: (err) => this.onWatchdog(g, k.file, code, err),
            onCase: (cases) => {
              done = cases.length;
              this.sessions.patch(id, { verifyProgress: cases });
            },
          }),
        (r) => !r.ok,
        (r) => r.timedOut !== undefined,
      );
      this.sessions.patch(id, { verify: { code, report } });
    } catch (err) {
      this.sessions.patch(id, {
        error: abort.signal.aborted
          ? msg(str`Verify cancelled after ${done} of ${this.verifyTotal} shapes: nothing was recorded, and Use it needs a Verify that runs to the end.`)
          : msg(str`Verify stopped: ${(err as Error).message}`),
      });
    } finally {
      if (this.runAbort === abort) this.runAbort = null;
      this.sessions.patch(id, { busy: null, verifyProgress: null });
    }
  }

  async time(k: CatalogKernel): Promise<void> {
    const gpu = this.host.gpu;
    const id = k.id;
    const code = this.sessions.get(id).lastGood;
    if (!gpu || code === null) return;
    this.sessions.patch(id, { busy: 'time', error: null });
    const abort = (this.runAbort = new AbortController());
    this.setNotice(null);
    try {
      const report = await this.lossChecked(
        gpu,
        msg('Time'),
        (g) => timeKernel(g, k, code, { signal: abort.signal, timeLimitMs: this.host.timeLimitMs, onTimeout: (err) => this.onWatchdog(g, k.file, code, err) }),
        () => false,
      );
      this.sessions.patch(id, { timing: { code, report } });
    } catch (err) {
      this.sessions.patch(id, {
        error: abort.signal.aborted ? msg('Time cancelled: nothing was measured.') : msg(str`Time stopped: ${(err as Error).message}`),
      });
    } finally {
      if (this.runAbort === abort) this.runAbort = null;
      this.sessions.patch(id, { busy: null });
    }
  }

  /**
   * Runs `work` on a live device (replacing `gpu` first if it was lost while idle). If it throws, or returns
   * a result `failed` says is bad, on a device that turns out lost, this throws a loss message instead; the
   * editor text and the last finished results are untouched.
   */
  private async lossChecked<T>(
    gpu: GpuContext,
    what: string,
    work: (gpu: GpuContext) => Promise<T>,
    failed: (result: T) => boolean,
    watchdogFired: (result: T) => boolean = () => false,
  ): Promise<T> {
    this.recovery.begin();
    const live = await this.recovery.ensureLive(gpu);
    const kept = msg(
      str`Your text and the last finished results are kept; press ${what} to run it again (it is not repeated by itself, in case the edit is what lost the device).`,
    );
    let result: T;
    try {
      result = await work(live);
    } catch (err) {
      // The watchdog already replaced the device and said so (onWatchdog): not a loss to recover from.
      if (err instanceof WatchdogTimeoutError) throw err;
      await this.recovery.recover(live, err, msg(str`during ${what}`), kept);
      throw err;
    }
    if (watchdogFired(result)) return result;
    const loss = failed(result) ? await deviceLossBehind(live) : live.lost;
    if (loss) await this.recovery.recover(live, loss, msg(str`during ${what}`), kept);
    return result;
  }
}
