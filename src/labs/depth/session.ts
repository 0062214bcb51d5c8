import { msg, str } from '@lit/localize';
// The Depth lab's behaviour without its view: run, cancel and resume a sweep, its progress, how it ended,
// device-loss recovery (through an injected recovery), the pinned run and the exports. DOM-free: the view
// passes `onChange` to re-render and reads the fields; Node tests can drive it with the CPU fallback.
import { describeError } from '../../errors';
import { forceDeviceLoss, type GpuContext } from '../../gpu/context';
import type { AdapterSummary } from '../../gpu/context';
import { DeviceLossInjector, pageDebugFlags } from '../../gpu/debug';
import { GpuDeviceLostError } from '../../gpu/errors';
import { guardOverrides } from '../../playground/override-guard';
import { canPin, pinRun, type PinnedRun } from './compare';
import { runSweepCpu } from './cpu/deep-net-cpu';
import { exportCsv, makeDepthLabExport, type DepthLabExport, type SweepOutcome } from './export';
import { runSweep, type Sweep, type SweepProgress, type SweepResult } from './sweep';
import { makeSweepGrid } from './sweep-grid';

/** A sweep as shown: its rows so far and how it ended. */
export interface LabRun {
  sweep: Sweep;
  /** The share-link query it was run from. */
  query: string;
  results: SweepResult[];
  total: number;
  /** Heatmap columns: the deepest row's depth. */
  cols: number;
  outcome: SweepOutcome;
  /** Wall time from Run to the last finished row (or the end), ms. */
  wallMs: number;
  /** Why it stopped, for outcome 'error'. */
  error: string | null;
}

/** How the last run ended, when it left nothing new on screen or stopped early. */
export interface RunEnd {
  outcome: SweepOutcome;
  done: number;
  total: number;
  error: string | null;
}

/**
 * What the session needs to survive a device loss (the view's GpuRecoveryController): `ensureLive` before a
 * run, `recover` after a failure (returns the new context to resume on, or throws what to tell the user).
 */
export interface SweepRecovery {
  begin(): void;
  ensureLive(gpu: GpuContext, signal?: AbortSignal): Promise<GpuContext>;
  recover(
    gpu: GpuContext,
    err: unknown,
    at: string,
    kept: string,
    signal?: AbortSignal,
    options?: { resumeAt?: string; note?: () => string | null },
  ): Promise<GpuContext>;
}

// `?debug=lose-device-after-row=N`: shared by every sweep of the page (see src/gpu/debug.ts).
const lossInjector = new DeviceLossInjector(pageDebugFlags());

/** One Depth lab's runs: the run in progress, the run on screen, the pinned run. */
export class DepthSession {
  /** The run on screen (the last one with at least one row). */
  shown: LabRun | null = null;
  /** The run in progress, until it ends. */
  current: LabRun | null = null;
  progress: SweepProgress | null = null;
  lastEnd: RunEnd | null = null;
  /** A finished run kept on screen to compare with the next. */
  pinned: PinnedRun | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly recovery: SweepRecovery,
    /** Called after every change of the fields above. */
    private readonly onChange: () => void,
  ) {}

  get running(): boolean {
    return this.abort !== null;
  }

  /** The run on screen stopped early (error or Cancel) and can continue from its first unfinished row. */
  get resumable(): boolean {
    const run = this.shown;
    return !!run && run.outcome !== 'complete' && run.outcome !== 'running' && run.results.length < run.total;
  }

  /** Runs `sweep` on `gpu` (null: the CPU fallback) from its first row. Ignored while a run is in progress. */
  run(gpu: GpuContext | null, sweep: Sweep, query: string, timing: boolean): Promise<LabRun | null> {
    return this.start(gpu, sweep, query, timing, null);
  }

  /** Continues the run on screen from its first unfinished row, keeping its finished rows. */
  resume(gpu: GpuContext | null, timing: boolean): Promise<LabRun | null> {
    const run = this.shown;
    if (!run || !this.resumable) return Promise.resolve(null);
    return this.start(gpu, run.sweep, run.query, timing, run);
  }

  /** Stops the running sweep after the row in flight; finished rows stay. */
  cancel(reason: unknown = new DOMException('Cancelled by the user', 'AbortError')): void {
    this.abort?.abort(reason);
  }

  pin(): void {
    if (this.shown && canPin(this.shown)) this.pinned = pinRun(this.shown);
    this.onChange();
  }

  unpin(): void {
    this.pinned = null;
    this.onChange();
  }

  /** The export document of the run on screen, or null before any run. */
  exportJson(device: AdapterSummary | null): DepthLabExport | null {
    const run = this.shown;
    if (!run) return null;
    return makeDepthLabExport({
      sweep: run.sweep,
      results: run.results,
      device,
      outcome: run.outcome,
      rowsTotal: run.total,
      wallMs: run.wallMs,
      query: run.query,
    });
  }

  exportCsvText(device: AdapterSummary | null): string | null {
    const doc = this.exportJson(device);
    return doc ? exportCsv(doc) : null;
  }

  private async start(gpu: GpuContext | null, sweep: Sweep, query: string, timing: boolean, resume: LabRun | null): Promise<LabRun | null> {
    if (this.abort) return null;
    const abort = new AbortController();
    this.abort = abort;
    try {
      return await this.sweep(gpu, sweep, query, timing, abort.signal, resume);
    } finally {
      this.abort = null;
      this.onChange();
    }
  }

  private set(fields: Partial<Pick<DepthSession, 'shown' | 'current' | 'progress' | 'lastEnd'>>): void {
    Object.assign(this, fields);
    this.onChange();
  }

  private async sweep(startGpu: GpuContext | null, sweep: Sweep, query: string, timing: boolean, signal: AbortSignal, resume: LabRun | null): Promise<LabRun> {
    const grid = makeSweepGrid(sweep.base, sweep.spec);
    const total = grid.length;
    const cols = Math.max(...grid.map((r) => r.config.depth));
    // A resumed run keeps its rows and its wall time so far.
    const t0 = performance.now() - (resume && Number.isFinite(resume.wallMs) ? resume.wallMs : 0);
    let run: LabRun = resume
      ? { ...resume, outcome: 'running', error: null }
      : { sweep, query, results: [], total, cols, outcome: 'running', wallMs: 0, error: null };
    this.set({ current: run, progress: null, lastEnd: null });
    this.recovery.begin();
    let gpu = startGpu;
    lossInjector.deviceChanged();
    const guard = guardOverrides(); // the custom kernels this run uses: a device loss switches them off
    const onProgress = (p: SweepProgress) => this.set({ progress: p });
    try {
      // Started on a device that is already lost (after a sweep gave up, or a loss while idle): replace it first.
      if (gpu?.lost) {
        gpu = await this.recovery.ensureLive(gpu, signal);
        lossInjector.deviceChanged();
      }
      // On a device loss: keep the finished rows, get a new device, resume at the first unfinished row (the
      // recovery gives up after a few losses and says so).
      for (;;) {
        try {
          const from = run.results.length;
          if (gpu && lossInjector.atStart()) forceDeviceLoss(gpu, `?debug=lose-device-after-row=0 (before row ${from + 1})`);
          const rows = gpu ? runSweep(gpu, run.sweep, { signal, timing, from, onProgress }) : runSweepCpu(run.sweep, { signal, from, onProgress });
          for await (const r of rows) {
            run = { ...run, results: [...run.results, r], wallMs: performance.now() - t0 };
            this.set({ current: run, shown: run }); // the heatmap grows row by row
            if (gpu && lossInjector.rowFinished()) forceDeviceLoss(gpu, `?debug=lose-device-after-row: forced after row ${r.index + 1}`);
          }
          break;
        } catch (err) {
          if (!gpu || !(err instanceof GpuDeviceLostError)) throw err;
          const done = run.results.length;
          gpu = await this.recovery.recover(gpu, err, msg(str`after ${done} of ${total} rows`), msg(str`The ${done} finished rows are kept.`), signal, {
            resumeAt: msg(str`row ${done + 1}`),
            // Never retry a custom kernel that was running when the device went: the rest runs on the built-in.
            note: () => guard.switchOff('device-lost'),
          });
          lossInjector.deviceChanged();
        }
      }
      run = { ...run, outcome: 'complete', wallMs: performance.now() - t0 };
    } catch (err) {
      const cancelled = signal.aborted;
      if (!cancelled) console.error(err);
      run = { ...run, outcome: cancelled ? 'cancelled' : 'error', wallMs: performance.now() - t0, error: cancelled ? null : describeError(err) };
    }
    this.set({
      progress: null,
      current: null,
      ...(run.results.length > 0 ? { shown: run } : {}),
      lastEnd: { outcome: run.outcome, done: run.results.length, total, error: run.error },
    });
    return run;
  }
}
