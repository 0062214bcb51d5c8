import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { forceDeviceLoss, type GpuContext } from '../gpu/context';
import { requestAppGpu } from './app-gpu';
import { DeviceLossInjector, pageDebugFlags } from '../gpu/debug';
import { GpuDeviceLostError } from '../gpu/errors';
import { cpuCapProblem } from '../labs/depth/cpu/deep-net-cpu';
import { runSweepCpu } from '../labs/depth/cpu/deep-net-cpu';
import {
  QUANTITIES,
  VIEWS,
  checkMemory,
  draftFromState,
  formatBytes,
  closestPreset,
  describeSmallSize,
  makeLabHeatmapData,
  nextStep,
  parseDraft,
  quantityForView,
  biggestRow,
  type LabDraft,
  type MemoryCheck,
  type ParsedDraft,
  type Quantity,
} from '../labs/depth/form';
import {
  exportCsv,
  exportFilename,
  exportJsonText,
  makeDepthLabExport,
  throughput,
  type DepthLabExport,
  type SweepOutcome,
} from '../labs/depth/export';
import { PRESETS, presetRun, presetSizeFor, type Preset, type PresetSize } from '../labs/depth/presets';
import {
  canPin,
  DEFAULT_COLOR_SCALE,
  heatmapDomain,
  isColorScale,
  LESSON_DOMAIN,
  pinnedRowFor,
  pinRun,
  runLabel,
  type ColorScale,
  type PinnedRun,
} from '../labs/depth/compare';
import { informativeRow } from '../labs/depth/row-analysis';
import { isSoftwareAdapter } from '../gpu/adapter';
import { runSweep, type Sweep, type SweepProgress, type SweepResult } from '../labs/depth/sweep';
import { makeSweepGrid } from '../labs/depth/sweep-grid';
import { decodeState, encodeState, type UrlProblem } from '../labs/depth/url-state';
import type { HeatmapData } from '../viz/heatmap-model';
import type { LogDomain } from '../viz/ticks';
import type { DraftChangeDetail } from './gp-depth-controls';
import type { GpuReconnectDetail } from './gpu-recovery';
import type { GpHeatmap } from './gp-heatmap';
import { base, view } from './shared-styles';
import { UrlQueryController } from './url-query-controller';
import './gp-depth-controls';
import './gp-depth-row';
import './gp-heatmap';
import './gp-override-badge'; // WGSL playground (issue 7): "custom kernel in use" badge
import { guardOverrides } from '../playground/override-guard'; // issue 13: a loss switches custom kernels off
import { downloadBlob } from './download';

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
/** 10 to an integer power in plain text: 10⁻⁴⁰. */
function superscriptPower(e: number): string {
  return `10${[...String(e)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

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

/** Device losses one sweep recovers from automatically; after that it stops (finished rows kept) and says so. */
export const MAX_SWEEP_RECOVERIES = 3;

/** One device loss a sweep recovered from (or gave up on). */
export interface Recovery {
  /** Rows finished before the loss; the sweep resumed at row `done + 1`. */
  done: number;
  total: number;
  message: string;
  /** 'resumed' on a new device, or 'gave-up'. */
  result: 'resumed' | 'gave-up';
  /** Set when custom kernels were running: they were switched off, and this says so (issue 13). */
  switchedOff?: string | null;
}

// `?debug=lose-device-after-row=N`: shared by every sweep of the page (see src/gpu/debug.ts).
const lossInjector = new DeviceLossInjector(pageDebugFlags());
const DEFAULT_PRESET = PRESETS[0];

function describeError(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * The Depth lab: sweeps a deep fully connected net over depth, gain or init on the GPU and shows, per
 * row and layer, how activations and gradients grow or shrink — a heatmap of the sweep, a line chart of
 * one row against its closed-form prediction, and where f32 runs out. The whole experiment lives in the
 * URL (`#/depth-lab?…`), so a link reproduces a run, seed included.
 */
@customElement('gp-depth-lab')
export class GpDepthLab extends LitElement {
  static override styles = [
    base,
    view,
    css`
      .notice button {
        margin-top: 0.25rem;
        font-size: 0.85rem;
        padding: 0.15rem 0.6rem;
      }
      .cpu-badge {
        display: inline-block;
        margin-left: 0.5rem;
        padding: 0.1rem 0.55rem;
        border-radius: 999px;
        border: 1px solid var(--gp-warn);
        color: var(--gp-warn);
        background: var(--gp-warn-bg);
        font-size: 0.8rem;
        font-weight: 600;
        vertical-align: middle;
      }
      .cpu-note {
        margin: 0 0 0.75rem;
        font-size: 0.9rem;
        color: var(--gp-muted);
      }
      .presets {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin: 0 0 0.4rem;
      }
      .presets button {
        font-weight: 500;
        padding: 0.3rem 0.7rem;
      }
      .preset-explanation {
        min-height: 3em;
        margin: 0 0 1rem;
        color: var(--gp-muted);
        font-size: 0.925rem;
      }
      .preset-size {
        margin: -0.5rem 0 1rem;
        padding: 0.35rem 0.6rem;
        border-left: 3px solid var(--gp-border);
        font-size: 0.875rem;
      }
      .preset-size button {
        margin-left: 0.5rem;
        font-size: 0.85rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(17rem, 21rem) minmax(0, 1fr);
        gap: 1.25rem;
        align-items: start;
      }
      @media (max-width: 56rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      /* On a phone the results come right after Run, before the long form. */
      @media (max-width: 44rem) {
        .side {
          display: contents;
        }
        .run-bar,
        .memory {
          order: 1;
        }
        .results {
          order: 2;
        }
        gp-depth-controls {
          order: 3;
        }
      }
      .memory {
        margin: 0 0 0.75rem;
        font-size: 0.875rem;
        color: var(--gp-muted);
      }
      .warn,
      .refuse,
      .run-error {
        margin: 0.5rem 0;
        padding: 0.5rem 0.75rem;
        border-left: 4px solid currentColor;
        white-space: pre-wrap;
      }
      .warn {
        color: var(--gp-warn);
        background: var(--gp-warn-bg);
      }
      .refuse,
      .run-error {
        color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .run-bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
      }
      .progress {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25rem 0.5rem;
        color: var(--gp-muted);
        font-variant-numeric: tabular-nums;
      }
      progress {
        width: 10rem;
      }
      .timing {
        display: flex;
        gap: 0.4rem;
        align-items: baseline;
        margin: 0.5rem 0 0;
        font-size: 0.85rem;
        color: var(--gp-muted);
      }
      .permalink {
        color: var(--gp-accent);
        font-size: 0.9rem;
      }
      .status-line {
        margin: 0.5rem 0 0;
        font-weight: 600;
      }
      .results {
        min-width: 0;
      }
      .panel {
        margin: 0 0 1.25rem;
        padding: 0.75rem 1rem;
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        background: var(--gp-bg);
      }
      .quantities {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        margin: 0 0 0.4rem;
      }
      .quantities button {
        padding: 0.2rem 0.7rem;
        font-weight: 500;
      }
      .qdesc {
        margin: 0 0 0.5rem;
        font-size: 0.875rem;
        color: var(--gp-muted);
      }
      .stats {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.5rem;
        margin: 0 0 0.25rem;
        font-variant-numeric: tabular-nums;
      }
      .stats div {
        display: flex;
        gap: 0.35rem;
      }
      .stats dt {
        color: var(--gp-muted);
      }
      .stats dd {
        margin: 0;
        font-weight: 600;
      }
      .stale {
        opacity: 0.6;
      }
      .compare {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin: 0.5rem 0;
      }
      .compare select {
        max-width: 100%;
      }
      .run-label {
        margin: 0.5rem 0 0.25rem;
        font-weight: 600;
      }
      .pinned {
        margin-top: 0.75rem;
        padding-top: 0.5rem;
        border-top: 1px dashed var(--gp-muted);
      }
      .exports {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
      }
    `,
  ];

  /** The GPU context to run on (from the shell); without one, Run waits — or uses the CPU fallback. */
  @property({ attribute: false }) gpu: GpuContext | null = null;

  /**
   * Set by the shell when WebGPU is unavailable: with `gpu` null, sweeps run on the CPU fallback (float64
   * reference, capped sizes) under a "CPU fallback" badge.
   */
  @property({ type: Boolean, attribute: 'cpu-fallback' }) cpuFallback = false;

  @state() private draft: LabDraft = draftFromState({ config: { ...DEFAULT_PRESET.config }, sweep: structuredClone(DEFAULT_PRESET.sweep) });
  @state() private quantity: Quantity = quantityForView(undefined);
  @state() private urlProblems: UrlProblem[] = [];
  /** The run on screen (the last one with at least one row). */
  @state() private shown: LabRun | null = null;
  /** The run in progress, until it ends. */
  @state() private current: LabRun | null = null;
  @state() private progress: SweepProgress | null = null;
  /** How the last run ended, when it left nothing new on screen or stopped early. */
  @state() private lastEnd: { outcome: SweepOutcome; done: number; total: number; error: string | null } | null = null;
  /** The row picked on the heatmap, or null to follow the last finished row. */
  @state() private selectedRow: number | null = null;
  /** The heatmaps' colour scale: one fixed range for every run ('lesson') or this run's ('auto'); in the URL. */
  @state() private colorScale: ColorScale = DEFAULT_COLOR_SCALE;
  /** A finished run kept on screen (second heatmap, grey line in the row chart) to compare with the next. */
  @state() private pinned: PinnedRun | null = null;
  /** Time every GPU pass with timestamp queries (slower to encode; the times go into the export). */
  @state() private timing = false;
  /** Device losses of the current or last sweep, and what happened after each. */
  @state() private recoveries: Recovery[] = [];
  /** Set while a lost device is being replaced mid-sweep. */
  @state() private reconnecting: string | null = null;

  @query('gp-heatmap') private heatmap!: GpHeatmap | null;

  private parsed: ParsedDraft = { state: null, problems: {} };
  /** True once a link, a preset button or an edit chose the settings (the default preset is then left alone). */
  private settingsChosen = false;
  private memory: MemoryCheck | null = null;
  /** Why the CPU fallback refuses the current settings (a cap, needed vs allowed, a suggestion), or null. */
  private cpuRefuse: string | null = null;
  private heatmapData: HeatmapData | null = null;
  private heatmapDomain: LogDomain | null = null;
  private pinnedData: HeatmapData | null = null;
  /** The query this element last read from or wrote to the URL. */

  private readonly runTask = new Task(this, {
    task: async ([gpu, sweep, query, timing, resume]: readonly [GpuContext | null, Sweep, string, boolean, LabRun | null], { signal }) =>
      this.sweep(gpu, sweep, query, timing, signal, resume),
    autoRun: false,
  });

  // A pasted or edited link loads; a bare `#/depth-lab` (the nav link) keeps the current settings and is
  // left as it is — the URL gets the parameters on the next change or Run (the "Link" anchor has them always).
  private readonly url = new UrlQueryController(this, 'depth-lab', (q) => this.loadQuery(q));

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.runTask.abort();
  }

  // ---- state ↔ URL -------------------------------------------------------------------------------

  /** Restores every control from a `#/depth-lab?…` query; bad params are listed and default only their field. */
  private loadQuery(q: string): void {
    this.settingsChosen = true;
    const { state, problems } = decodeState(q, { views: VIEWS });
    this.draft = draftFromState(state);
    this.quantity = quantityForView(state.view);
    this.colorScale = state.scale && isColorScale(state.scale) ? state.scale : DEFAULT_COLOR_SCALE;
    this.urlProblems = problems;
  }

  /** The URL query for the current (valid) controls, or null while any field is bad. */
  private currentQuery(): string | null {
    const s = this.parsed.state;
    return s ? encodeState({ ...s, view: this.quantity.view, scale: this.colorScale }) : null;
  }

  /** Mirrors valid controls into the URL (replaceState: no history entry per keystroke), on this lab's route only. */
  private writeUrl(): void {
    this.url.write(this.currentQuery());
  }

  // ---- derived state -----------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues): void {
    // The first preset opens at the size this device runs in seconds, unless a link or the learner chose settings.
    if ((changed.has('gpu') || changed.has('cpuFallback')) && !this.settingsChosen && (this.gpu || this.cpuFallback)) {
      const run = presetRun(DEFAULT_PRESET, this.presetSize);
      this.draft = draftFromState({ config: { ...run.config }, sweep: structuredClone(run.sweep) });
    }
    if (changed.has('draft') || changed.has('gpu') || changed.has('cpuFallback')) {
      this.parsed = parseDraft(this.draft);
      const st = this.parsed.state;
      this.memory = st ? checkMemory(st, this.gpu?.summary.limits ?? null) : null;
      const cap = st && this.onCpu ? cpuCapProblem(makeSweepGrid(st.config, st.sweep).map((r) => r.config)) : null;
      this.cpuRefuse = cap ? `Too big for the CPU fallback: ${cap.message.replace(/^\w+: /, '')}` : null;
    }
    if (changed.has('shown') || changed.has('quantity') || changed.has('pinned') || changed.has('colorScale')) {
      const run = this.shown;
      this.heatmapData = run
        ? makeLabHeatmapData(run.results, this.quantity, run.sweep.spec.kind, run.cols)
        : null;
      const pin = this.pinned;
      this.pinnedData = pin ? makeLabHeatmapData(pin.results, this.quantity, pin.kind, pin.cols) : null;
      this.heatmapDomain = heatmapDomain(this.colorScale, this.heatmapData, this.pinnedData);
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('draft') || changed.has('quantity') || changed.has('colorScale')) this.writeUrl();
  }

  // ---- running -----------------------------------------------------------------------------------

  /** The size presets run at here: small on a software adapter or the CPU fallback (answers in seconds), full on a GPU. */
  get presetSize(): PresetSize {
    return presetSizeFor({ softwareAdapter: !!this.gpu && isSoftwareAdapter(this.gpu.summary), cpuFallback: this.onCpu });
  }

  /** True when sweeps run on the CPU fallback (no WebGPU). */
  get onCpu(): boolean {
    return !this.gpu && this.cpuFallback;
  }

  /** Why Run is refused for size: the device's limits on the GPU, the CPU caps on the fallback. */
  private get refusal(): string | null {
    return this.onCpu ? this.cpuRefuse : this.memory?.refuse ?? null;
  }

  /** Starts a sweep of the current controls (what Run does); resolves when it ends. No-op while invalid. */
  run(): Promise<void> {
    const s = this.parsed.state;
    if ((!this.gpu && !this.onCpu) || !s || this.refusal || this.runTask.status === TaskStatus.PENDING) return Promise.resolve();
    const query = this.currentQuery()!;
    this.writeUrl();
    return this.runTask.run([this.gpu, { base: s.config, spec: s.sweep }, query, this.timing && !!this.gpu?.hasTimestamps, null]);
  }

  /** The run on screen stopped early (error or Cancel) and can continue from its first unfinished row. */
  get resumable(): boolean {
    const run = this.shown;
    return !!run && run.outcome !== 'complete' && run.outcome !== 'running' && run.results.length < run.total && (!!this.gpu || this.onCpu);
  }

  /** Continues the run on screen from its first unfinished row, keeping its finished rows (what Resume does). */
  resume(): Promise<void> {
    const run = this.shown;
    if (!run || !this.resumable || this.runTask.status === TaskStatus.PENDING) return Promise.resolve();
    return this.runTask.run([this.gpu, run.sweep, run.query, this.timing && !!this.gpu?.hasTimestamps, run]);
  }

  /** Stops the running sweep after the row in flight; finished rows stay. */
  cancel(): void {
    this.runTask.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  /**
   * Asks the shell for a new GPU context after `lost` was lost (the `gpu-reconnect` event); without a shell,
   * requests one itself. Null when none can be had.
   */
  private async replaceGpu(lost: GpuContext): Promise<GpuContext | null> {
    const detail: GpuReconnectDetail = { lost };
    this.dispatchEvent(new CustomEvent('gpu-reconnect', { detail, bubbles: true, composed: true }));
    if (detail.reply) return detail.reply;
    try {
      return await requestAppGpu();
    } catch (err) {
      console.error(err);
      return null;
    }
  }

  private async sweep(startGpu: GpuContext | null, sweep: Sweep, query: string, timing: boolean, signal: AbortSignal, resume: LabRun | null = null): Promise<LabRun> {
    const grid = makeSweepGrid(sweep.base, sweep.spec);
    const total = grid.length;
    const cols = Math.max(...grid.map((r) => r.config.depth));
    // A resumed run keeps its rows and its wall time so far.
    const t0 = performance.now() - (resume && Number.isFinite(resume.wallMs) ? resume.wallMs : 0);
    let run: LabRun = resume
      ? { ...resume, outcome: 'running', error: null }
      : { sweep, query, results: [], total, cols, outcome: 'running', wallMs: 0, error: null };
    this.current = run;
    this.progress = null;
    this.lastEnd = null;
    this.selectedRow = null;
    this.recoveries = [];
    let gpu = startGpu;
    lossInjector.deviceChanged();
    const guard = guardOverrides(); // the custom kernels this run uses: a device loss switches them off
    try {
      // Started on a device that is already lost (after a sweep gave up, or a loss while idle): replace it first.
      if (gpu?.lost) {
        this.reconnecting = 'The GPU device was lost before this run. Getting a new device…';
        const next = await this.replaceGpu(gpu);
        this.reconnecting = null;
        signal.throwIfAborted();
        if (!next) throw new Error(`No new GPU device could be had after the loss (${gpu.lost.message}). Press Reconnect above, or reload the page.`);
        gpu = next;
      }
      // On a device loss: keep the finished rows, get a new device, resume at the first unfinished row —
      // at most MAX_SWEEP_RECOVERIES times per sweep.
      for (;;) {
        try {
          const from = run.results.length;
          if (gpu && lossInjector.atStart()) forceDeviceLoss(gpu, `?debug=lose-device-after-row=0 (before row ${from + 1})`);
          const rows = gpu
            ? runSweep(gpu, run.sweep, { signal, timing, from, onProgress: (p) => (this.progress = p) })
            : runSweepCpu(run.sweep, { signal, from, onProgress: (p) => (this.progress = p) });
          for await (const r of rows) {
            run = { ...run, results: [...run.results, r], wallMs: performance.now() - t0 };
            this.current = run;
            this.shown = run; // the heatmap grows row by row
            if (gpu && lossInjector.rowFinished()) forceDeviceLoss(gpu, `?debug=lose-device-after-row: forced after row ${r.index + 1}`);
          }
          break;
        } catch (err) {
          if (!(err instanceof GpuDeviceLostError) || signal.aborted || !gpu) throw err;
          const done = run.results.length;
          // Never retry a custom kernel that was running when the device went: the rest runs on the built-in.
          const switchedOff = guard.switchOff('device-lost');
          if (this.recoveries.length >= MAX_SWEEP_RECOVERIES) {
            this.recoveries = [...this.recoveries, { done, total, message: err.message, result: 'gave-up', switchedOff }];
            throw new Error(
              `The GPU device was lost ${this.recoveries.length} times during this sweep; stopped after ${MAX_SWEEP_RECOVERIES} automatic ` +
                `recoveries. The ${done} finished rows are kept. Last loss: ${err.message}`,
            );
          }
          console.warn(`[depth lab] device lost after ${done} of ${total} rows; reconnecting`, err);
          this.reconnecting = `The GPU device was lost after ${done} of ${total} rows (${err.reason}). Getting a new device to resume at row ${done + 1}…`;
          const next = await this.replaceGpu(gpu);
          this.reconnecting = null;
          signal.throwIfAborted();
          if (!next) {
            this.recoveries = [...this.recoveries, { done, total, message: err.message, result: 'gave-up', switchedOff }];
            throw new Error(`The GPU device was lost after ${done} of ${total} rows and no new device could be had. The finished rows are kept. ${err.message}`);
          }
          this.recoveries = [...this.recoveries, { done, total, message: err.message, result: 'resumed', switchedOff }];
          gpu = next;
          lossInjector.deviceChanged();
        }
      }
      run = { ...run, outcome: 'complete', wallMs: performance.now() - t0 };
    } catch (err) {
      const cancelled = signal.aborted;
      if (!cancelled) console.error(err);
      run = { ...run, outcome: cancelled ? 'cancelled' : 'error', wallMs: performance.now() - t0, error: cancelled ? null : describeError(err) };
    } finally {
      this.progress = null;
      this.current = null;
      this.reconnecting = null;
    }
    if (run.results.length > 0) this.shown = run;
    this.lastEnd = { outcome: run.outcome, done: run.results.length, total, error: run.error };
    return run;
  }

  // ---- exports -----------------------------------------------------------------------------------

  /** The export document of the run on screen (what the JSON button saves), or null before any run. */
  exportJson(): DepthLabExport | null {
    const run = this.shown;
    if (!run) return null;
    return makeDepthLabExport({
      sweep: run.sweep,
      results: run.results,
      device: this.gpu?.summary ?? null,
      outcome: run.outcome,
      rowsTotal: run.total,
      wallMs: run.wallMs,
      query: run.query,
    });
  }

  /** The CSV text of the run on screen (see `exportCsv` for the format), or null. */
  exportCsvText(): string | null {
    const doc = this.exportJson();
    return doc ? exportCsv(doc) : null;
  }

  private download(blob: Blob, filename: string): void {
    downloadBlob(this.renderRoot, blob, filename);
  }

  private saveJson(): void {
    const doc = this.exportJson();
    if (doc) this.download(new Blob([exportJsonText(doc)], { type: 'application/json' }), exportFilename(this.shown!.sweep, 'json'));
  }

  private saveCsv(): void {
    const csv = this.exportCsvText();
    if (csv) this.download(new Blob([csv], { type: 'text/csv' }), exportFilename(this.shown!.sweep, 'csv'));
  }

  private async savePng(): Promise<void> {
    if (!this.heatmap || !this.shown) return;
    this.download(await this.heatmap.toPngBlob(), exportFilename(this.shown.sweep, 'png'));
  }

  // ---- events ------------------------------------------------------------------------------------

  private onDraftChange(e: CustomEvent<DraftChangeDetail>): void {
    this.settingsChosen = true;
    this.draft = e.detail.draft;
  }

  private applyPreset(id: string, size: PresetSize = this.presetSize): void {
    const p = PRESETS.find((x) => x.id === id);
    if (!p) return;
    this.settingsChosen = true;
    const run = presetRun(p, size);
    this.draft = draftFromState({ config: { ...run.config }, sweep: structuredClone(run.sweep) });
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    const pending = this.runTask.status === TaskStatus.PENDING;
    const close = closestPreset(this.parsed.state);
    const preset = close?.exact ? close.preset : undefined;
    const shown = this.shown;
    const lastResult = shown?.results[shown.results.length - 1] ?? null;
    const runState = pending ? 'running' : this.lastEnd?.outcome ?? (shown ? 'complete' : 'idle');
    return html`
      <section aria-labelledby="dl-title" data-testid="depth-lab" data-run-state=${runState}>
        <h2 id="dl-title">Depth lab ${this.onCpu ? html`<span class="cpu-badge" data-testid="cpu-badge" title="No WebGPU in this browser: sweeps run in float64 JavaScript on the CPU, with size caps">CPU fallback</span>` : nothing}</h2>
        ${this.onCpu
          ? html`<p class="cpu-note" role="note" data-testid="cpu-note">
              <strong>CPU fallback:</strong> this browser has no WebGPU, so the sweeps run on the CPU with the float64
              reference (the same forward and backward pass). Values are classified with the same f32 thresholds
              (|v| &gt; 1e38 is overflow, norms &lt; 1e-37 underflow), but float64 itself does not overflow there, so the NaNs
              a GPU shows after f32 overflows do not appear. Sizes are capped (width ≤ 256, and the work per row and per sweep).
            </p>`
          : nothing}
        <p class="lead">
          Each row of the heatmap is one network of the sweep (one depth, gain or init), each column one layer l, and
          the colour is log10 of the chosen quantity, measured by real forward and backward passes ${this.onCpu ? 'on the CPU fallback (float64)' : 'on your GPU in f32'}.
          With the lecture's W = 1.5·I every layer multiplies the signal by 1.5, so ‖a‖ grows as 1.5^l and f32 runs
          out near layer 219; with W = 0.5·I it shrinks as 0.5^l and reaches exactly 0 near layer 150.
        </p>
        <p class="next" data-testid="next-step"><strong>What to try next:</strong> ${nextStep(close?.preset.id, lastResult)}</p>
        <gp-override-badge .gpu=${this.gpu}></gp-override-badge><!-- WGSL playground (issue 7) -->
        ${this.renderUrlProblems()} ${this.renderRecoveries()}
        <div class="presets" role="group" aria-label="Presets">
          ${PRESETS.map(
            (p) => html`<button
              type="button"
              data-preset=${p.id}
              aria-pressed=${preset?.id === p.id ? 'true' : 'false'}
              title=${p.explanation}
              ?disabled=${pending}
              @click=${() => this.applyPreset(p.id)}
            >
              ${p.title}
            </button>`,
          )}
        </div>
        <p class="preset-explanation" data-testid="preset-explanation">
          ${close
            ? html`<strong>${close.exact ? close.preset.title : `A variation of “${close.preset.title}” (other sizes, seed or sweep)`}.</strong>
                ${presetRun(close.preset, close.size ?? 'full').explanation}`
            : 'Custom settings (no preset matches them). Pick a preset to start from a known experiment.'}
        </p>
        ${close?.exact ? this.renderPresetSize(close.preset, close.size ?? 'full', pending) : nothing}
        <div class="layout">
          <div class="side">
            <gp-depth-controls
              .draft=${this.draft}
              .problems=${this.parsed.problems}
              ?disabled=${pending}
              @draft-change=${this.onDraftChange}
            ></gp-depth-controls>
            ${this.renderMemory()} ${this.renderRunBar(pending)}
          </div>
          <div class="results">${this.renderResults(pending)}</div>
        </div>
      </section>
    `;
  }

  /** Which size of the preset is loaded, why, and a button to the other size. */
  private renderPresetSize(p: Preset, size: PresetSize, pending: boolean) {
    const where = this.onCpu ? 'the CPU fallback' : 'this software adapter (it runs on your CPU)';
    if (size === 'small') {
      return html`<p class="preset-size" data-testid="preset-size" data-size="small">
        Smaller version for ${this.presetSize === 'small' ? where : 'a quick look'}, so it answers in seconds: ${describeSmallSize(p)}.
        A GPU runs the full size.
        ${this.onCpu
          ? nothing
          : html`<button type="button" data-testid="preset-full" ?disabled=${pending} @click=${() => this.applyPreset(p.id, 'full')}>Use the full size</button>`}
      </p>`;
    }
    if (this.presetSize === 'full') return nothing;
    return html`<p class="preset-size" data-testid="preset-size" data-size="full">
      Full size: on ${where} this takes a minute or more.
      <button type="button" data-testid="preset-small" ?disabled=${pending} @click=${() => this.applyPreset(p.id, 'small')}>Use the quick size</button>
    </p>`;
  }

  private renderUrlProblems() {
    if (this.urlProblems.length === 0) return nothing;
    return html`<div class="notice" role="alert" data-testid="url-problems">
      <strong>Some settings in this link could not be used</strong>; defaults were used for those fields only:
      <ul>
        ${this.urlProblems.map((p) => html`<li data-param=${p.param}><code>${p.param}</code> ${p.message}</li>`)}
      </ul>
      <button type="button" @click=${() => (this.urlProblems = [])}>Dismiss</button>
    </div>`;
  }

  private renderRecoveries() {
    if (this.recoveries.length === 0 && !this.reconnecting) return nothing;
    return html`<div class="notice" role="status" data-testid="recovery-notice">
      ${this.reconnecting ? html`<p data-testid="reconnecting"><strong>${this.reconnecting}</strong></p>` : nothing}
      ${this.recoveries.length
        ? html`<strong>The GPU device was lost during this sweep</strong>; the finished rows were kept:
            <ul>
              ${this.recoveries.map(
                (r) => html`<li data-result=${r.result}>
                  after ${r.done} of ${r.total} rows:
                  ${r.result === 'resumed' ? `reconnected to a new device and resumed at row ${r.done + 1}` : 'gave up (see the message below)'}.
                  <span class="muted">${r.message.replace(/ Reload the page or press "Reconnect"\.$/, '')}</span>
                  ${r.switchedOff ? html`<strong data-testid="override-switched-off">${r.switchedOff}</strong>` : nothing}
                </li>`,
              )}
            </ul>`
        : nothing}
    </div>`;
  }

  private renderMemory() {
    const m = this.memory;
    const s = this.parsed.state;
    if (this.onCpu) {
      return this.cpuRefuse ? html`<p class="refuse" role="alert" data-testid="cpu-refuse">${this.cpuRefuse}</p>` : nothing;
    }
    if (!m || !s) return nothing;
    const deepest = biggestRow(s);
    return html`<p class="memory" data-testid="memory">
        GPU memory of the deepest row (L = ${deepest.depth}): about <strong>${formatBytes(m.totalBytes)}</strong>; largest
        buffer ${formatBytes(m.largest.bytes)}${m.limit ? html` of ${formatBytes(m.limit.bytes)} allowed (${m.limit.name})` : nothing}.
      </p>
      ${m.refuse ? html`<p class="refuse" role="alert" data-testid="memory-refuse">${m.refuse}</p>` : nothing}
      ${m.warn ? html`<p class="warn" role="status" data-testid="memory-warn">${m.warn}</p>` : nothing}`;
  }

  private renderRunBar(pending: boolean) {
    const invalid = !this.parsed.state;
    const refused = !!this.refusal;
    const ready = !!this.gpu || this.onCpu;
    const rows = this.parsed.state ? makeSweepGrid(this.parsed.state.config, this.parsed.state.sweep).length : 0;
    const why = !ready
      ? 'Waiting for the GPU…'
      : invalid
        ? 'Fix the fields marked in red to run.'
        : refused
          ? this.onCpu
            ? 'Too big for the CPU fallback.'
            : 'Too big for this device.'
          : `${rows} row${rows === 1 ? '' : 's'} to run${this.onCpu ? ' on the CPU fallback' : ''}.`;
    return html`
      <div class="run-bar">
        <button
          class="primary"
          data-testid="run"
          @click=${() => void this.run()}
          ?disabled=${pending || !ready || invalid || refused}
        >
          ${pending ? 'Running…' : 'Run sweep'}
        </button>
        ${pending ? html`<button data-testid="cancel" @click=${() => this.cancel()}>Cancel</button>` : nothing}
        ${!pending && this.resumable
          ? html`<button data-testid="resume" title="Run the unfinished rows of the sweep shown, keeping its finished rows" @click=${() => void this.resume()}>
              Resume at row ${this.shown!.results.length + 1}
            </button>`
          : nothing}
        ${this.parsed.state
          ? html`<a class="permalink" data-testid="permalink" href="#/depth-lab?${this.currentQuery()}" title="A link that reproduces this experiment, seed included"
              >Link to this experiment</a
            >`
          : nothing}
      </div>
      ${this.gpu?.hasTimestamps
        ? html`<label class="timing">
            <input type="checkbox" data-testid="timing" .checked=${this.timing} ?disabled=${pending} @change=${(e: Event) => (this.timing = (e.target as HTMLInputElement).checked)} />
            Time each GPU pass (timestamp queries; slower, times go into the JSON export)
          </label>`
        : nothing}
      <div class="progress" role="status" aria-live="polite" data-testid="progress">
        ${pending ? this.renderProgress() : html`<span>${why}</span>`}
      </div>
      ${this.renderEnd()}
    `;
  }

  private renderProgress() {
    const p = this.progress;
    const total = this.current?.total ?? 0;
    if (!p) return html`<progress max=${total} value="0"></progress><span>Starting: compiling kernels, uploading weights…</span>`;
    return html`<progress max=${p.total} value=${p.done}></progress>
      <span data-testid="progress-text">${p.done} of ${p.total} rows done · about ${formatSeconds(p.remainingMs)} left</span>`;
  }

  private renderEnd() {
    const e = this.lastEnd;
    if (!e) return nothing;
    if (e.outcome === 'cancelled') {
      return html`<p class="status-line" role="status" data-testid="run-end" data-outcome="cancelled">
        Cancelled after ${e.done} of ${e.total} rows${e.done > 0 ? '; the finished rows are shown.' : '.'}
      </p>`;
    }
    if (e.outcome === 'error') {
      return html`<p class="run-error" role="alert" data-testid="run-error">
        The sweep stopped after ${e.done} of ${e.total} rows: ${e.error}${e.done === 0 && this.shown ? '\nThe previous results are still shown.' : ''}
      </p>`;
    }
    return nothing;
  }

  private renderQuantities() {
    return html`<div class="quantities" role="group" aria-label="Quantity shown">
        ${QUANTITIES.map(
          (q) => html`<button
            type="button"
            data-quantity=${q.name}
            aria-pressed=${q.name === this.quantity.name ? 'true' : 'false'}
            @click=${() => (this.quantity = q)}
          >
            ${q.label}
          </button>`,
        )}
      </div>
      <p class="qdesc">${this.quantity.description}</p>`;
  }

  /** Colour scale (lesson / auto) and Pin this run / Unpin. */
  private renderCompareControls(run: LabRun, pending: boolean) {
    const pinnable = !pending && canPin(run);
    return html`<div class="compare" role="group" aria-label="Compare runs">
      <label
        >Colour scale
        <select
          data-testid="color-scale"
          .value=${this.colorScale}
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            if (isColorScale(v)) this.colorScale = v;
          }}
        >
          <option value="lesson" ?selected=${this.colorScale === 'lesson'}>lesson scale (${superscriptPower(LESSON_DOMAIN.min)}…${superscriptPower(LESSON_DOMAIN.max)}, the same for every run)</option>
          <option value="auto" ?selected=${this.colorScale === 'auto'}>auto (this run's range)</option>
        </select>
      </label>
      <button
        type="button"
        data-testid="pin"
        ?disabled=${!pinnable}
        title=${pinnable ? 'Keep this run on screen next to the next one' : 'A run can be pinned once it has finished'}
        @click=${() => {
          if (canPin(run)) this.pinned = pinRun(run);
        }}
      >
        Pin this run
      </button>
      ${this.pinned ? html`<span class="muted">Run another sweep to compare it with the pinned one; both use one colour scale.</span>` : nothing}
    </div>`;
  }

  private renderResults(pending: boolean) {
    const run = this.shown;
    if (!run || !this.heatmapData) {
      return html`<div class="panel">
        <h3>Results: ${this.quantity.label} by row and layer</h3>
        ${this.renderQuantities()}
        <div class="placeholder" data-testid="no-results">
          ${pending ? 'The first row is on its way…' : 'No results yet: pick a preset or set the sweep, then press Run sweep.'}
        </div>
      </div>`;
    }
    const stale = pending && run !== this.current;
    const n = run.results.length;
    // Until the learner picks a row: the deepest one whose shown quantity is finite on most layers.
    const sel = this.selectedRow !== null && this.selectedRow < n ? this.selectedRow : informativeRow(run.results, this.quantity.name);
    const pin = this.pinned;
    const pinnedRow = pin ? pinnedRowFor(pin, run.results[sel] ?? null, sel) : null;
    const { flops, gflopsPerSecond } = throughput(run.results, run.wallMs);
    const summary = this.gpu?.summary;
    const software = this.onCpu
      ? false
      : summary
      ? summary.isFallbackAdapter || /swiftshader|llvmpipe|warp|software/i.test(`${summary.vendor} ${summary.architecture} ${summary.device} ${summary.description}`)
      : false;
    return html`
      <div class=${stale ? 'stale' : ''} aria-busy=${stale ? 'true' : 'false'}>
        <div class="panel">
          <h3>Sweep over ${run.sweep.spec.kind}: ${this.quantity.label} by row and layer</h3>
          ${stale ? html`<p class="muted">Previous run, shown until the new one's first row arrives.</p>` : nothing}
          <dl class="stats" data-testid="stats">
            <div><dt>rows</dt><dd data-testid="stat-rows">${n} of ${run.total}</dd></div>
            <div><dt>wall time</dt><dd>${formatSeconds(run.wallMs)}</dd></div>
            <div>
              <dt>achieved</dt>
              <dd data-testid="stat-gflops">
                ${gflopsPerSecond === null ? '—' : `${gflopsPerSecond.toPrecision(3)} GFLOP/s`}
              </dd>
            </div>
            <div><dt>matmul work</dt><dd>${(flops / 1e9).toPrecision(3)} GFLOP</dd></div>
          </dl>
          <p class="muted" data-testid="stats-note">
            GFLOP/s = the rows' matmul FLOPs over the sweep's wall time (including uploads, readbacks and the page's own
            work).
            ${this.onCpu
              ? html`<strong>CPU fallback: float64 JavaScript on this page's main thread, no GPU involved.</strong>`
              : software
              ? html`<strong>This is a software adapter (${summary!.description || summary!.device || 'SwiftShader'}): these are CPU figures, not a GPU's.</strong>`
              : 'Indicative only: compare runs on this machine, not across machines.'}
          </p>
          ${this.renderQuantities()}
          ${this.renderCompareControls(run, pending)}
          ${pin ? html`<p class="run-label" data-testid="current-label">This run: ${runLabel(run.sweep.base, run.sweep.spec)}</p>` : nothing}
          <gp-heatmap
            data-testid="current-heatmap"
            .data=${this.heatmapData}
            .domain=${this.heatmapDomain}
            selected-row=${sel}
            @row-select=${(e: CustomEvent<{ row: number }>) => (this.selectedRow = e.detail.row)}
          ></gp-heatmap>
          ${pin && this.pinnedData
            ? html`<div class="pinned" data-testid="pinned">
                <p class="run-label">
                  Pinned: <span data-testid="pinned-label">${pin.label}</span>
                  <button type="button" data-testid="unpin" @click=${() => (this.pinned = null)}>Unpin</button>
                </p>
                <gp-heatmap
                  data-testid="pinned-heatmap"
                  .data=${this.pinnedData}
                  .domain=${this.heatmapDomain}
                  selected-row=${pin.results.indexOf(pinnedRow!)}
                ></gp-heatmap>
              </div>`
            : nothing}
          <div class="exports">
            <span class="muted">Export:</span>
            <button type="button" data-testid="export-json" @click=${() => this.saveJson()}>JSON</button>
            <button type="button" data-testid="export-csv" @click=${() => this.saveCsv()}>CSV</button>
            <button type="button" data-testid="export-png" @click=${() => void this.savePng()}>Heatmap PNG</button>
            <span class="muted">CSV: one line per row × layer × quantity.</span>
          </div>
        </div>
        <div class="panel">
          <h3>Selected row <span class="muted">(click a heatmap row, or use the arrow keys and Enter)</span></h3>
          <gp-depth-row
            .result=${run.results[sel]}
            .quantity=${this.quantity}
            .pinned=${pinnedRow}
            .pinnedLabel=${pin ? `pinned: ${pinnedRow!.label}` : ''}
          ></gp-depth-row>
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-depth-lab': GpDepthLab;
  }
}
