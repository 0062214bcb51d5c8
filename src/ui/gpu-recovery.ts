import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { msg, str } from '@lit/localize';
import { lossOf, type GpuContext } from '../gpu/context';
import { requestAppGpu } from './app-gpu';
import { GpuDeviceLostError } from '../gpu/errors';

/**
 * Detail of the `gpu-reconnect` event a view fires when its device was lost mid-run: the shell gets a new
 * context and answers through `reply` (null if none could be had); the view resumes on it.
 */
export interface GpuReconnectDetail {
  /** The context that was lost. */
  lost: GpuContext;
  /** Set by the shell: the new context, or null. */
  reply?: Promise<GpuContext | null>;
}

/** Automatic reconnects per run before a view stops and says so (a device that keeps dying is not retried forever). */
export const MAX_RUN_RECOVERIES = 3;

/**
 * Asks the shell for a context to replace `lost` (the `gpu-reconnect` event, answered by gp-app, which
 * also hands the new context to every view); without a shell, requests one itself. Null when none can be had.
 */
export async function requestReplacementGpu(from: EventTarget, lost: GpuContext): Promise<GpuContext | null> {
  const detail: GpuReconnectDetail = { lost };
  from.dispatchEvent(new CustomEvent('gpu-reconnect', { detail, bubbles: true, composed: true }));
  if (detail.reply) return detail.reply;
  try {
    return await requestAppGpu();
  } catch (err) {
    console.error(err);
    return null;
  }
}

/**
 * The device loss behind a failed (or suspicious) GPU run on `gpu`, or null when the device is fine. `err`
 * may be anything a run threw (or undefined after a run that returned failures): a lost device's promise
 * can settle a moment after the call that failed because of it, so this waits up to `waitMs` for it.
 */
export async function deviceLossBehind(gpu: GpuContext, err?: unknown, waitMs = 500): Promise<GpuDeviceLostError | null> {
  if (err instanceof GpuDeviceLostError) return err;
  if (gpu.lost) return gpu.lost;
  return lossOf(gpu, waitMs);
}

/** A loss message without its "Reload the page or press Reconnect" advice (the view says what to do instead). */
const brief = (message: string) => message.replace(/ Reload the page or press "Reconnect"\.$/, '');

/** One device loss during a run, and what the view did about it. */
export interface LossRecord {
  /** Where the run was, e.g. "after 2 of 5 kernels". */
  at: string;
  /** The loss, as the browser (or the debug hook) reported it. */
  message: string;
  /** `resumed`: the run went on on a new device; `reconnected`: a new device is ready, the run stopped; `gave-up`: no new device, or too many losses. */
  result: 'resumed' | 'reconnected' | 'gave-up';
  /** Where a resumed run went on, e.g. "row 7" (shown as "resumed at row 7"). */
  resumeAt?: string;
  /** A sentence about the loss to show with it (e.g. which custom kernel was switched off), or null. */
  note?: string | null;
}

/** Optional details of one `recover` call. */
export interface RecoverOptions {
  /** Where the run goes on if it resumes, e.g. "row 7". */
  resumeAt?: string;
  /** Called once when the failure is a device loss; its sentence is shown with the loss (e.g. `guard.switchOff`). */
  note?: () => string | null;
}

/**
 * Device-loss recovery for one view's runs, as a Lit controller: gets a new device through the shell
 * (`ensureLive` before a run, `recover` after a failure), records each loss, and renders what happened
 * (`render()`, `data-testid="recovery-notice"`). The view keeps its own inputs and finished results;
 * this only decides loss vs other failure and replaces the device.
 */
export class GpuRecoveryController implements ReactiveController {
  /** What the view says while a new device is being fetched, or null. */
  reconnecting: string | null = null;
  /** The losses of the current or last run. */
  losses: LossRecord[] = [];

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    /** How a run continues after a loss: `resume` (on the new device, up to MAX_RUN_RECOVERIES times) or `stop` (the user runs again). */
    private readonly mode: 'resume' | 'stop',
    /** What the view calls one run in its messages ("during this sweep"). */
    private readonly runKind: 'run' | 'sweep' = 'run',
  ) {
    host.addController(this);
  }

  /** The run's name in the language shown now. */
  private get runNoun(): string {
    return this.runKind === 'sweep' ? msg('sweep') : msg('run');
  }

  hostConnected(): void {}

  /** `runNoun` in the language shown ("sweep" → 스윕, anything else → the generic "run"). */
  private get noun(): string {
    return this.runNoun === 'sweep' ? msg('sweep') : msg('run');
  }

  /** A run starts: forget the last run's losses. */
  begin(): void {
    this.losses = [];
    this.reconnecting = null;
    this.host.requestUpdate();
  }

  /** `gpu` if it is alive, else a new context (the device was lost while idle, or a run gave up on it). */
  async ensureLive(gpu: GpuContext, signal?: AbortSignal): Promise<GpuContext> {
    if (!gpu.lost) return gpu;
    const next = await this.replace(gpu, msg('The GPU device was lost before this run. Getting a new device…'));
    signal?.throwIfAborted();
    if (!next)
      throw new Error(msg(str`No new GPU device could be had after the loss (${brief(gpu.lost.message)}). Press Reconnect above, or reload the page.`));
    return next;
  }

  /**
   * Called with whatever a run on `gpu` threw (`at` says how far it got, `kept` what stays on screen). A
   * device loss is recorded and a new device fetched: in `resume` mode the new context is returned to go on
   * with; in `stop` mode (or when it cannot go on) this throws a message saying what happened and what is
   * kept. Anything else is rethrown unchanged.
   */
  async recover(gpu: GpuContext, err: unknown, at: string, kept: string, signal?: AbortSignal, options: RecoverOptions = {}): Promise<GpuContext> {
    if (signal?.aborted) throw err;
    const loss = await deviceLossBehind(gpu, err);
    if (!loss) throw err;
    console.warn(`[gpu recovery] device lost ${at}`, loss);
    const note = options.note?.() ?? null;
    const record = (result: LossRecord['result']) => {
      this.losses = [
        ...this.losses,
        { at, message: loss.message, result, ...(options.resumeAt ? { resumeAt: options.resumeAt } : {}), ...(note ? { note } : {}) },
      ];
      this.host.requestUpdate();
    };
    if (this.mode === 'resume' && this.losses.filter((l) => l.result === 'resumed').length >= MAX_RUN_RECOVERIES) {
      record('gave-up');
      throw new Error(
        msg(
          str`The GPU device was lost ${this.losses.length} times during this ${this.noun}; stopped after ${MAX_RUN_RECOVERIES} automatic recoveries. ${kept} Last loss: ${loss.message}`,
        ),
      );
    }
    const to = options.resumeAt ? msg(str` to resume at ${options.resumeAt}`) : '';
    const next = await this.replace(gpu, msg(str`The GPU device was lost ${at} (${loss.reason}). Getting a new device${to}…`));
    if (!next) {
      record('gave-up');
      throw new Error(msg(str`The GPU device was lost ${at} and no new device could be had. ${kept} ${loss.message}`));
    }
    if (this.mode === 'stop') {
      record('reconnected');
      throw new Error(msg(str`The GPU device was lost ${at}; a new device is ready. ${kept} (${brief(loss.message)})`));
    }
    record('resumed');
    signal?.throwIfAborted();
    return next;
  }

  private async replace(lost: GpuContext, saying: string): Promise<GpuContext | null> {
    this.reconnecting = saying;
    this.host.requestUpdate();
    try {
      return await requestReplacementGpu(this.host, lost);
    } finally {
      this.reconnecting = null;
      this.host.requestUpdate();
    }
  }

  /** The "reconnecting…" line and the list of this run's losses (nothing when there were none). */
  render() {
    if (this.losses.length === 0 && !this.reconnecting) return nothing;
    return html`<div class="notice" role="status" data-testid="recovery-notice">
      ${this.reconnecting ? html`<p data-testid="reconnecting"><strong>${this.reconnecting}</strong></p>` : nothing}
      ${
        this.losses.length
          ? html`${msg(html`<strong>The GPU device was lost during this ${this.noun}</strong>; finished results were kept:`)}
            <ul>
              ${this.losses.map(
                (l) => html`<li data-result=${l.result}>
                  ${l.at}: ${
                    l.result === 'resumed'
                      ? l.resumeAt
                        ? msg(str`reconnected to a new device and resumed at ${l.resumeAt}.`)
                        : msg('reconnected to a new device and went on.')
                      : l.result === 'reconnected'
                        ? msg('reconnected to a new device; run again to continue.')
                        : msg('gave up (see the message below).')
                  }
                  <span class="muted">${brief(l.message)}</span>
                  ${l.note ? html`<strong data-testid="override-switched-off">${l.note}</strong>` : nothing}
                </li>`,
              )}
            </ul>`
          : nothing
      }
    </div>`;
  }
}
