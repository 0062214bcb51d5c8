import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, queryAll, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { forceDeviceLoss, lossOf, type GpuContext } from '../gpu/context';
import { requestAppGpu } from './app-gpu';
import { DeviceLossInjector, pageDebugFlags } from '../gpu/debug';
import { GpuDeviceLostError } from '../gpu/errors';
import { InputError } from '../errors';
import { datasetFromTable, clipText, describeF32Merge, type CsvProgress, type CsvTable, type F32Merge } from '../labs/normalize/csv';
import { loadCsvFile } from '../labs/normalize/csv-load';
import { datasetProblems, makeDataset } from '../labs/normalize/data';
import {
  LAB_LIMITS,
  MODE_COLORS,
  MODE_LABELS,
  absoluteStartRate,
  cpuCapProblem,
  draftFromState,
  defaultLabState,
  lrToSlider,
  modeLearningRate,
  parseLabDraft,
  parseLabNumber,
  relativeStartRate,
  sliderToLr,
  type LabData,
  type LabDraft,
  type LabField,
  type LrScale,
  type ParsedLabDraft,
  type PlotName,
} from '../labs/normalize/form';
import {
  descentOutcome,
  makeNormalizeExport,
  normalizeExportFilename,
  normalizeExportJsonText,
  normalizePathsCsv,
  normalizeSummaryCsv,
  type NormalizeLabExport,
  type NormalizeModeRun,
} from '../labs/normalize/export';
import { NORMALIZE_TERMS, explainNormalization, type NormalizeExplanations } from '../labs/normalize/explain';
import { gradientDescent, normalizeStudy } from '../labs/normalize/study';
import { NORMALIZE_MODES, type Dataset, type NormalizeMode, type NormalizeStudy } from '../labs/normalize/types';
import { decodeNormalizeState, encodeNormalizeState, type NormalizeUrlProblem } from '../labs/normalize/url-state';
import { UrlQueryController } from './url-query-controller';
import './gp-override-badge'; // custom kernels in use (issue 13)
import { guardOverrides, withSwitchOff, type OverrideGuard } from '../playground/override-guard';
import { makeScatterModel, type ScatterModel } from '../viz/scatter-model';
import { featureAxisTitle } from '../labs/normalize/axis-title';
import { formatValue } from '../viz/ticks';
import type { GpContourPlot } from './gp-contour-plot';
import type { GpScatterPlot } from './gp-scatter-plot';
import { base, view } from './shared-styles';
import './gp-contour-plot';
import './gp-scatter-plot';
import './gp-term';
import { downloadBlob } from './download';
import type { GpuReconnectDetail } from './gpu-recovery';

/** Automatic reconnections after a device loss in one run; the next loss stops the run (the results stay). */
export const MAX_NORMALIZE_RECOVERIES = 3;

// `?debug=lose-device-after-row=N` (src/gpu/debug.ts): here a "row" is one mode's study finished on the device.
const lossInjector = new DeviceLossInjector(pageDebugFlags());

/** The run stopped because the device was lost once too often (or could not be replaced): not one mode's failure. */
class DeviceGoneError extends Error {}

/** A device loss during a run and what the lab did about it. */
interface Recovery {
  /** Stage at which it happened ("after 2 of 4 studies"). */
  where: string;
  message: string;
  result: 'resumed' | 'gave-up';
  /** What was said when the custom kernels the run used were switched off, if any. */
  switchedOff?: string;
}

/** A loaded CSV: the table, its f32-rounding merges and the upload number that keys the dataset built from it. */
interface LoadedCsv {
  table: CsvTable;
  fileName: string;
  target: string;
  /** Counts uploads: two files with the same name and row count are still two datasets. */
  upload: number;
  merges: F32Merge[];
  /** Where the file was parsed (a Web Worker, or the main thread as the fallback). */
  via: 'worker' | 'main-thread';
}

/** Descent settings of a run (what a learning-rate change reruns). */
interface DescentSettings {
  lrScale: LrScale;
  lr: number;
  steps: number;
  tol: number;
}

/** A run as shown: the dataset, each mode's study and descent, and how it was computed. */
export interface NormalizeLabRun {
  dataset: Dataset;
  runs: NormalizeModeRun[];
  settings: DescentSettings;
  backend: 'gpu' | 'cpu';
  /** The share link's query (null for CSV data). */
  query: string | null;
  /** Wall time of the studies and descents (CPU clock), ms. */
  studyMs: number;
  descentMs: number;
  /** f32-rounding warnings of the CSV the dataset came from (empty for generated data). */
  f32Warnings: string[];
}

type Job =
  | { kind: 'full'; gpu: GpuContext | null; dataset: Dataset; settings: DescentSettings; query: string | null; f32Warnings: string[] }
  | { kind: 'descent'; base: NormalizeLabRun; settings: DescentSettings };

const settingsKey = (s: DescentSettings) => `${s.lrScale}|${s.lr}|${s.steps}|${s.tol}`;

function describeError(err: unknown): string {
  if (err instanceof Error) return err.name && err.name !== 'Error' ? `${err.name}: ${err.message}` : err.message;
  return String(err);
}

const nf = new Intl.NumberFormat('en-US');
const fmt = (v: number) => formatValue(v);
const fmtMs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/**
 * The Normalization lab: generates (or loads from CSV) a regression dataset, normalizes it four ways on
 * the GPU (raw; (x−μ)/σ; the slide's (x−μ)/σ²; the test set with its own statistics), draws each mode's
 * cost surface J(w1, w2) as contours with a gradient-descent path over it, and tabulates κ, 2/λmax,
 * steps to converge and test cost. The settings live in the URL (`#/normalization-lab?…`).
 */
@customElement('gp-normalize-lab')
export class GpNormalizeLab extends LitElement {
  static override styles = [
    base,
    view,
    css`
      h3 {
        margin: 0 0 0.4rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(17rem, 22rem) minmax(0, 1fr);
        gap: 1.25rem;
        align-items: start;
      }
      @media (max-width: 60rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      /* On a phone Run and the results come before the long forms. */
      @media (max-width: 44rem) {
        .side {
          display: contents;
        }
        .run-bar,
        .side > .progress {
          order: 1;
        }
        .results {
          order: 2;
        }
        .side > fieldset,
        .side > :not(.run-bar):not(.progress) {
          order: 3;
        }
      }
      fieldset {
        margin: 0 0 1rem;
        padding: 0.5rem 0.75rem 0.75rem;
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        min-width: 0;
      }
      legend {
        padding: 0 0.25rem;
        font-weight: 600;
      }
      .field {
        display: grid;
        grid-template-columns: 7rem 1fr;
        align-items: baseline;
        gap: 0 0.5rem;
        margin: 0.35rem 0;
      }
      .field .hint,
      .field .problem {
        grid-column: 2;
      }
      .range-row {
        display: grid;
        grid-template-columns: 2.5rem 1fr auto 1fr auto;
        gap: 0.3rem;
        align-items: baseline;
        margin: 0.25rem 0;
      }
      .range-row button {
        padding: 0.05rem 0.45rem;
        font-weight: 500;
      }
      input[type='text'],
      input[type='number'],
      select {
        width: 100%;
        font: inherit;
        padding: 0.2rem 0.4rem;
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        background: var(--gp-bg);
        color: var(--gp-fg);
        font-family: var(--gp-mono);
        min-width: 0;
      }
      [aria-invalid='true'] {
        border-color: var(--gp-fail);
        outline: 1px solid var(--gp-fail);
      }
      /* Disabled fields look disabled: greyed, flat, no pointer (and their labels greyed with them). */
      input:disabled,
      select:disabled,
      button:disabled {
        background: var(--gp-surface);
        color: var(--gp-muted);
        border-style: dashed;
        opacity: 0.6;
        cursor: not-allowed;
      }
      .field:has(:disabled) > label,
      .range-row:has(input:disabled) > span,
      label:has(> input:disabled) {
        color: var(--gp-muted);
        opacity: 0.7;
      }
      .lr-note {
        margin: 0.25rem 0;
        font-size: 0.82rem;
      }
      .hint {
        font-size: 0.8rem;
        color: var(--gp-muted);
      }
      .problem,
      .run-error,
      .refuse {
        color: var(--gp-fail);
        font-size: 0.85rem;
        white-space: pre-wrap;
      }
      .run-error,
      .refuse {
        margin: 0.5rem 0;
        padding: 0.5rem 0.75rem;
        border-left: 4px solid currentColor;
        background: var(--gp-fail-bg);
        font-size: 0.9rem;
      }
      .radios {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
      }
      .summary {
        margin: 0.5rem 0 0;
        font-size: 0.875rem;
      }
      .lr-slider {
        width: 100%;
      }
      .marks {
        position: relative;
        height: 3.2rem;
        margin: 0 0.4rem 0.25rem;
        font-size: 0.7rem;
      }
      .mark {
        position: absolute;
        top: 0;
        transform: translateX(-1px);
        border-left: 2px solid currentColor;
        padding-left: 2px;
        height: 100%;
        white-space: nowrap;
        line-height: 1.1;
      }
      .mark.right {
        transform: translateX(calc(-100% + 1px));
        border-left: none;
        border-right: 2px solid currentColor;
        padding: 0 2px 0 0;
        text-align: right;
      }
      .run-bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
      }
      .progress {
        color: var(--gp-muted);
        font-size: 0.9rem;
        margin: 0.4rem 0 0;
      }
      .panel {
        margin: 0 0 1.25rem;
        padding: 0.75rem 1rem;
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        background: var(--gp-bg);
        min-width: 0;
      }
      .explain {
        margin: 0 0 0.6rem;
        font-size: 0.9rem;
        color: var(--gp-muted);
      }
      .badge {
        display: inline-block;
        padding: 0.05rem 0.5rem;
        border-radius: 999px;
        font-size: 0.8rem;
        font-weight: 600;
        border: 1px solid currentColor;
      }
      .badge.cpu {
        color: var(--gp-warn);
        background: var(--gp-warn-bg);
      }
      .badge.gpu {
        color: var(--gp-pass);
        background: var(--gp-pass-bg);
      }
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        font-size: 0.9rem;
      }
      th,
      td {
        padding: 0.25rem 0.6rem;
        border-bottom: 1px solid var(--gp-border);
        text-align: right;
        vertical-align: top;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      .table-wrap {
        border: 0;
      }
      td[data-col='kappa'],
      td[data-col='maxStableLr'],
      td[data-col='trainCost'],
      td[data-col='testCost'],
      .stats td,
      .lr-multiple {
        white-space: nowrap;
      }
      .swatch {
        display: inline-block;
        width: 0.8rem;
        height: 0.8rem;
        border-radius: 2px;
        margin-right: 0.35rem;
        vertical-align: -0.1rem;
      }
      .bad {
        color: var(--gp-fail);
        font-weight: 600;
      }
      .good {
        color: var(--gp-pass);
        font-weight: 600;
      }
      .plots {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr));
        gap: 1rem;
      }
      .plot h4 {
        margin: 0 0 0.2rem;
        font-size: 0.95rem;
      }
      .plot p {
        margin: 0.2rem 0;
        font-size: 0.82rem;
        color: var(--gp-muted);
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
        margin: 0 0 0.5rem;
      }
      .toolbar button {
        font-weight: 500;
        padding: 0.2rem 0.7rem;
      }
      .stale {
        opacity: 0.6;
      }
      .stats {
        font-size: 0.85rem;
      }
      .stats td {
        font-family: var(--gp-mono);
        font-size: 0.8rem;
      }
    `,
  ];

  /** The GPU context (from the shell); null while connecting or without WebGPU — then the lab runs on the CPU. */
  @property({ attribute: false }) gpu: GpuContext | null = null;

  @state() private draft: LabDraft = draftFromState(defaultLabState());
  @state() private source: 'generated' | 'csv' = 'generated';
  @state() private csv: LoadedCsv | null = null;
  @state() private csvError: string | null = null;
  /** A file being read (progress, Cancel); the loaded data stays until it is done. */
  @state() private csvLoading: { fileName: string; progress: CsvProgress | null } | null = null;
  /** Set while a lost device is being replaced mid-run. */
  @state() private reconnecting: string | null = null;
  /** Device losses of the last run. */
  @state() private recoveries: Recovery[] = [];
  /** The custom kernels in use when the current run started (switched off if the run loses its device). */
  private runGuard: OverrideGuard | null = null;
  @state() private urlProblems: NormalizeUrlProblem[] = [];
  /** The run on screen. */
  @state() private shown: NormalizeLabRun | null = null;
  @state() private progress = '';
  /** Stages done and in all (4 studies + 4 descents, or 4 descents). */
  @state() private stage = { done: 0, total: 0 };
  @state() private runError: string | null = null;
  /** The last run was cancelled (what is on screen is the run before it). */
  @state() private cancelled = false;
  /** Where the learning rate came from after a switch of "how the rate is set" (stated, not silent). */
  @state() private lrNote: string | null = null;
  /** The mode whose normalized data the "after" scatter plot shows. */
  @state() private afterMode: NormalizeMode = 'standardize';

  @queryAll('gp-contour-plot') private contourPlots!: NodeListOf<GpContourPlot>;
  @queryAll('gp-scatter-plot') private scatterPlots!: NodeListOf<GpScatterPlot>;

  private parsed: ParsedLabDraft = { state: null, data: null, problems: {} };
  /** The dataset the next Run uses (kept when the form or a CSV is bad: nothing the user had is lost). */
  private loaded: Dataset | null = null;
  private loadedKey = '';
  private loadError: string | null = null;
  private scatterBefore: ScatterModel | null = null;
  private scatterAfter: ScatterModel | null = null;
  /** The explanations of the run on screen, worded from its own data. */
  private explained: NormalizeExplanations | null = null;
  /** The explanations of the loaded dataset (before a run), keyed by the dataset. */
  private loadedExplained: { ds: Dataset; e: NormalizeExplanations } | null = null;
  private descentTimer: ReturnType<typeof setTimeout> | null = null;
  private uploads = 0;
  private csvAbort: AbortController | null = null;

  private readonly runTask = new Task(this, {
    task: async ([job]: readonly [Job], { signal }) => this.compute(job, signal),
    autoRun: false,
  });

  private readonly url = new UrlQueryController(this, 'normalization-lab', (q) => this.loadQuery(q));

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.descentTimer) clearTimeout(this.descentTimer);
    this.runTask.abort();
    this.csvAbort?.abort();
  }

  // ---- state ↔ URL -------------------------------------------------------------------------------

  private loadQuery(q: string): void {
    const { state, problems } = decodeNormalizeState(q);
    this.draft = draftFromState(state);
    this.urlProblems = problems;
    this.source = 'generated';
    this.lrNote = null;
  }

  private currentQuery(): string | null {
    const s = this.parsed.state;
    if (!s) return null;
    try {
      return encodeNormalizeState(s);
    } catch {
      return null;
    }
  }

  private writeUrl(): void {
    this.url.write(this.currentQuery());
  }

  // ---- derived state -----------------------------------------------------------------------------

  private get cpuMode(): boolean {
    return !this.gpu;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('draft')) this.parsed = parseLabDraft(this.draft);
    if (changed.has('draft') || changed.has('source') || changed.has('csv')) this.refreshLoaded();
    if (changed.has('shown') || changed.has('afterMode')) {
      const run = this.shown;
      if (run) {
        const ds = run.dataset;
        if (changed.has('shown')) this.explained = explainNormalization(ds, Object.fromEntries(run.runs.map((r) => [r.mode, r.study.kappa])));
        this.scatterBefore = makeScatterModel({ train: ds.train, test: ds.test, d: ds.d, featureNames: ds.featureNames, axisTitle: (f) => featureAxisTitle(f, 'raw'), title: 'Before normalizing' });
        const mode = this.afterMode;
        const after = run.runs.find((r) => r.mode === mode)?.study;
        this.scatterAfter = after
          ? makeScatterModel({ train: after.train, test: after.test, d: after.d, featureNames: ds.featureNames, axisTitle: (f) => featureAxisTitle(f, mode), title: `After: ${MODE_LABELS[this.afterMode]}` })
          : null;
      } else {
        this.scatterBefore = null;
        this.scatterAfter = null;
        this.explained = null;
      }
    }
  }

  // The dataset the next Run will use: regenerated when the generator fields change and are valid.
  private refreshLoaded(): void {
    const data = this.parsed.data;
    if (this.source === 'generated') {
      if (!data) return; // keep the previous dataset while a field is bad
      const key = `gen|${JSON.stringify(data)}`;
      if (key === this.loadedKey) return;
      try {
        const problems = datasetProblems(this.datasetOptions(data));
        if (problems.length) throw new InputError(problems[0].field, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
        this.loaded = makeDataset(this.datasetOptions(data));
        this.loadedKey = key;
        this.loadError = null;
      } catch (err) {
        this.loadError = describeError(err);
      }
    } else if (this.csv) {
      const tf = this.parsed.data?.testFraction ?? defaultLabState().data.testFraction;
      const seed = this.parsed.data?.seed ?? defaultLabState().data.seed;
      // Keyed by the upload, not the name and size: a second file with the same name and rows is new data.
      const key = `csv|${this.csv.upload}|${this.csv.target}|${tf}|${seed}`;
      if (key === this.loadedKey) return;
      try {
        this.loaded = datasetFromTable(this.csv.table, { target: this.csv.target, testFraction: tf, seed, fileName: this.csv.fileName });
        this.loadedKey = key;
        this.loadError = null;
      } catch (err) {
        this.loadError = describeError(err);
      }
    }
  }

  private datasetOptions(d: LabData) {
    return { m: d.m, ranges: d.ranges.map((r) => [r[0], r[1]] as [number, number]), noise: d.noise, testFraction: d.testFraction, testShift: d.testShift, seed: d.seed };
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('draft')) {
      this.writeUrl();
      this.scheduleDescent();
    }
  }

  // ---- running -----------------------------------------------------------------------------------

  private descentSettings(): DescentSettings | null {
    const p = this.parsed;
    if (p.problems.lr || p.problems.steps || p.problems.tol) return null;
    const s = p.state;
    if (s) return { lrScale: s.lrScale, lr: s.lr, steps: s.steps, tol: s.tol };
    // The data fields may be bad while the descent fields are fine: rerun the descent anyway.
    const lr = Number(this.draft.lr);
    const steps = Number(this.draft.steps);
    const tol = Number(this.draft.tol);
    return [lr, steps, tol].every(Number.isFinite) ? { lrScale: this.draft.lrScale, lr, steps, tol } : null;
  }

  /** Why Run can't start now, or null. */
  private blocked(): string | null {
    if (this.source === 'csv' && !this.csv) return 'Choose a CSV file first.';
    if (this.source === 'csv' && (this.parsed.problems.testFraction || this.parsed.problems.seed)) return 'Fix the test fraction or seed (marked in red) to run.';
    if (this.source === 'generated' && !this.parsed.data) return 'Fix the fields marked in red to run.';
    if (this.loadError) return this.loadError;
    if (!this.loaded) return 'No dataset loaded.';
    if (!this.descentSettings()) return 'Fix the learning rate, steps or tolerance to run.';
    const rows = this.loaded.train.m + this.loaded.test.m;
    if (this.cpuMode && rows > LAB_LIMITS.cpuMaxM) {
      return `Without WebGPU the lab runs on the CPU, which is limited to ${nf.format(LAB_LIMITS.cpuMaxM)} examples; this dataset has ${nf.format(rows)}. Lower m (or use a smaller file).`;
    }
    return null;
  }

  /** Runs all four modes (studies, then descents); resolves when done. No-op while the form is invalid. */
  run(): Promise<void> {
    const settings = this.descentSettings();
    if (this.blocked() || !settings || !this.loaded) return Promise.resolve();
    if (this.descentTimer) clearTimeout(this.descentTimer);
    this.writeUrl();
    const query = this.source === 'generated' ? this.currentQuery() : null;
    const f32Warnings = this.source === 'csv' && this.csv ? this.csv.merges.map(describeF32Merge) : [];
    return this.runTask.run([{ kind: 'full', gpu: this.gpu, dataset: this.loaded, settings, query, f32Warnings }]);
  }

  /** Stops the run in progress; what is on screen stays. */
  cancel(): void {
    this.runTask.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  // A learning-rate, steps or tolerance change reruns only the descents (cheap), after a short pause.
  private scheduleDescent(): void {
    if (this.descentTimer) clearTimeout(this.descentTimer);
    this.descentTimer = setTimeout(() => {
      this.descentTimer = null;
      const run = this.shown;
      const s = this.descentSettings();
      if (!run || !s || this.runTask.status === TaskStatus.PENDING) return;
      if (settingsKey(s) === settingsKey(run.settings)) return;
      void this.runTask.run([{ kind: 'descent', base: run, settings: s }]);
    }, 250);
  }

  private async compute(job: Job, signal: AbortSignal): Promise<NormalizeLabRun | null> {
    this.runError = null;
    this.cancelled = false;
    this.recoveries = [];
    const t0 = performance.now();
    const dev: { gpu: GpuContext | null } = { gpu: job.kind === 'full' ? job.gpu : job.base.backend === 'gpu' ? this.gpu : null };
    const f32Warnings = job.kind === 'full' ? job.f32Warnings : job.base.f32Warnings;
    lossInjector.deviceChanged();
    const guard = guardOverrides(); // a device loss switches off the custom kernels this run used
    this.runGuard = guard;
    try {
      // Started on a device that is already lost (a loss while idle, or a run that gave up): replace it first.
      if (dev.gpu?.lost) {
        this.reconnecting = 'The GPU device was lost before this run. Getting a new device…';
        const next = await this.replaceGpu(dev.gpu);
        this.reconnecting = null;
        signal.throwIfAborted();
        if (!next) throw new Error(`No new GPU device could be had after the loss (${dev.gpu.lost.message}). Press Reconnect above, or reload the page.`);
        dev.gpu = next;
        lossInjector.deviceChanged();
      }
      let studies: NormalizeStudy[];
      let dataset: Dataset;
      let query: string | null;
      let studyMs: number;
      if (job.kind === 'full') {
        dataset = job.dataset;
        query = job.query;
        studies = [];
        this.stage = { done: 0, total: 2 * NORMALIZE_MODES.length };
        const n = NORMALIZE_MODES.length;
        for (const [i, mode] of NORMALIZE_MODES.entries()) {
          this.progress = `Normalizing and evaluating the cost grid: ${MODE_LABELS[mode]} (${i + 1} of ${n})…`;
          if (dev.gpu && lossInjector.atStart()) forceDeviceLoss(dev.gpu, `?debug=lose-device-after-row=0 (before study ${i + 1} of ${n})`);
          studies.push(await this.onDevice(dev, `after ${i} of ${n} studies`, signal, (gpu) => normalizeStudy(gpu, dataset, { mode, signal })));
          signal.throwIfAborted();
          this.stage = { ...this.stage, done: i + 1 };
          if (dev.gpu && lossInjector.rowFinished()) forceDeviceLoss(dev.gpu, `?debug=lose-device-after-row: forced after study ${i + 1} of ${n}`);
        }
        studyMs = performance.now() - t0;
      } else {
        const b = job.base;
        dataset = b.dataset;
        query = b.query;
        studies = b.runs.map((r) => r.study);
        studyMs = b.studyMs;
        this.stage = { done: 0, total: studies.length };
      }
      const t1 = performance.now();
      const runs: NormalizeModeRun[] = [];
      for (const [i, study] of studies.entries()) {
        const lr = modeLearningRate(job.settings.lrScale, job.settings.lr, study.maxStableLr);
        this.progress = `Gradient descent: ${MODE_LABELS[study.mode]} (${i + 1} of ${studies.length}), lr = ${fmt(lr)}…`;
        try {
          const options = { lr, steps: job.settings.steps, tol: job.settings.tol, signal };
          const descent =
            study.backend === 'gpu'
              ? await this.onDevice(dev, `after ${i} of ${studies.length} descents`, signal, (gpu) => gradientDescent(gpu, study, options))
              : await gradientDescent(null, study, options);
          runs.push({ mode: study.mode, study, descent, lr });
        } catch (err) {
          if (signal.aborted || err instanceof GpuDeviceLostError || err instanceof DeviceGoneError) throw err;
          runs.push({ mode: study.mode, study, descent: null, lr, error: describeError(err) });
        }
        this.stage = { ...this.stage, done: this.stage.done + 1 };
      }
      const backend = studies.every((s) => s.backend === 'gpu') ? 'gpu' : 'cpu';
      const run: NormalizeLabRun = { dataset, runs, settings: job.settings, backend, query, studyMs, descentMs: performance.now() - t1, f32Warnings };
      this.shown = run;
      return run;
    } catch (err) {
      if (signal.aborted) {
        this.runError = null;
        this.cancelled = true;
      } else {
        console.error(err);
        this.runError = describeError(withSwitchOff(err, guard)) + this.f32Hint(f32Warnings);
      }
      return null;
    } finally {
      this.progress = '';
      this.reconnecting = null;
      // Settings changed while this ran: bring the descents up to date once the task has settled.
      setTimeout(() => this.scheduleDescent(), 0);
    }
  }

  /** After a failed run of data whose f32 rounding merged values: say so, so the error is not blamed on the data alone. */
  private f32Hint(warnings: string[]): string {
    if (warnings.length === 0) return '';
    return `\nNote: rounding this file to f32 merged distinct values (${warnings.length === 1 ? 'one column' : `${warnings.length} columns`}, see the warning under the file); that alone can cause this error.`;
  }

  /**
   * Runs one GPU step on `dev.gpu`; when the device is lost meanwhile, gets a new one from the shell (at most
   * MAX_NORMALIZE_RECOVERIES times per run), records it and runs the step again on it. Other errors pass.
   */
  private async onDevice<T>(dev: { gpu: GpuContext | null }, where: string, signal: AbortSignal, step: (gpu: GpuContext | null) => Promise<T>): Promise<T> {
    for (;;) {
      const gpu = dev.gpu;
      try {
        return await step(gpu);
      } catch (err) {
        if (signal.aborted || !gpu) throw err;
        const loss = err instanceof GpuDeviceLostError ? err : await lossOf(gpu, 200);
        if (!loss) throw err;
        // Never run a custom kernel again on the device it may have broken: the step reruns on the built-in.
        const switchedOff = this.runGuard?.switchOff('device-lost') ?? undefined;
        if (this.recoveries.length >= MAX_NORMALIZE_RECOVERIES) {
          this.recoveries = [...this.recoveries, { where, message: loss.message, result: 'gave-up' }];
          throw new DeviceGoneError(`The GPU device was lost ${this.recoveries.length} times during this run; stopped after ${MAX_NORMALIZE_RECOVERIES} automatic recoveries. Last loss: ${loss.message}`);
        }
        console.warn(`[normalization lab] device lost ${where}; reconnecting`, loss);
        this.reconnecting = `The GPU device was lost ${where} (${loss.reason}). Getting a new device to continue; the finished studies are kept…`;
        const next = await this.replaceGpu(gpu);
        this.reconnecting = null;
        signal.throwIfAborted();
        if (!next) {
          this.recoveries = [...this.recoveries, { where, message: loss.message, result: 'gave-up' }];
          throw new DeviceGoneError(`The GPU device was lost ${where} and no new device could be had; press Reconnect above, or reload the page. ${loss.message}`);
        }
        this.recoveries = [...this.recoveries, { where, message: loss.message, result: 'resumed', switchedOff }];
        dev.gpu = next;
        lossInjector.deviceChanged();
      }
    }
  }

  /**
   * Asks the shell for a new GPU context after `lost` was lost (the `gpu-reconnect` event, as the Depth lab
   * does); without a shell, requests one itself. Null when none can be had.
   */
  private async replaceGpu(lost: GpuContext): Promise<GpuContext | null> {
    const detail: GpuReconnectDetail = { lost };
    this.dispatchEvent(new CustomEvent('gpu-reconnect', { detail, bubbles: true, composed: true }));
    try {
      const next = detail.reply ? await detail.reply : await requestAppGpu();
      if (next && !detail.reply) this.gpu = next;
      return next;
    } catch (err) {
      console.error(err);
      return null;
    }
  }

  // ---- exports -----------------------------------------------------------------------------------

  /** The export document of the run on screen (what the JSON button saves), or null before any run. */
  exportJson(): NormalizeLabExport | null {
    const run = this.shown;
    if (!run) return null;
    return makeNormalizeExport({
      dataset: run.dataset,
      runs: run.runs,
      settings: { ...run.settings },
      backend: run.backend,
      device: run.backend === 'gpu' ? (this.gpu?.summary ?? null) : null,
      query: run.query,
      wallMs: run.studyMs + run.descentMs,
    });
  }

  private download(blob: Blob, filename: string): void {
    downloadBlob(this.renderRoot, blob, filename);
  }

  private save(kind: 'json' | 'csv' | 'paths'): void {
    const doc = this.exportJson();
    if (!doc) return;
    if (kind === 'json') this.download(new Blob([normalizeExportJsonText(doc)], { type: 'application/json' }), normalizeExportFilename(doc, 'json'));
    else if (kind === 'csv') this.download(new Blob([normalizeSummaryCsv(doc)], { type: 'text/csv' }), normalizeExportFilename(doc, 'csv', 'summary'));
    else this.download(new Blob([normalizePathsCsv(doc)], { type: 'text/csv' }), normalizeExportFilename(doc, 'csv', 'paths'));
  }

  /** The contour plots (or the scatter plots) side by side on one canvas, as PNG. */
  async plotsPng(which: PlotName): Promise<Blob | null> {
    const canvases = which === 'contours' ? [...this.contourPlots].map((p) => p.exportCanvas(2)) : [...this.scatterPlots].map((p) => p.exportCanvas(2));
    if (canvases.length === 0) return null;
    const cols = Math.min(canvases.length, which === 'contours' ? 2 : 2);
    const rows = Math.ceil(canvases.length / cols);
    const cw = Math.max(...canvases.map((c) => c.width));
    const ch = Math.max(...canvases.map((c) => c.height));
    const titleH = 40;
    const out = document.createElement('canvas');
    out.width = cw * cols;
    out.height = (ch + titleH) * rows;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    const titles =
      which === 'contours' ? (this.shown?.runs.map((r) => MODE_LABELS[r.mode]) ?? []) : ['Before normalizing', `After: ${MODE_LABELS[this.afterMode]}`];
    canvases.forEach((c, i) => {
      const x = (i % cols) * cw;
      const y = Math.floor(i / cols) * (ch + titleH);
      ctx.fillStyle = '#1f1f1f';
      ctx.font = '600 24px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.fillText(titles[i] ?? '', x + 20, y + titleH / 2);
      ctx.drawImage(c, x, y + titleH);
    });
    return new Promise((resolve) => out.toBlob((b) => resolve(b), 'image/png'));
  }

  private async savePng(which: PlotName): Promise<void> {
    const doc = this.exportJson();
    const blob = await this.plotsPng(which);
    if (doc && blob) this.download(blob, normalizeExportFilename(doc, 'png', which));
  }

  // ---- events ------------------------------------------------------------------------------------

  private setDraft(patch: Partial<LabDraft>): void {
    // A rate typed or slid by hand is no longer the stated starting rate.
    if ('lr' in patch && !('lrScale' in patch)) this.lrNote = null;
    this.draft = { ...this.draft, ...patch };
  }

  private onText(field: Exclude<keyof LabDraft, 'ranges' | 'plots' | 'lrScale'>) {
    return (e: Event) => this.setDraft({ [field]: (e.target as HTMLInputElement).value } as Partial<LabDraft>);
  }

  private setRange(i: number, end: 'lo' | 'hi', value: string): void {
    const ranges = this.draft.ranges.map((r, j) => (j === i ? { ...r, [end]: value } : r));
    this.setDraft({ ranges });
  }

  private addFeature(): void {
    if (this.draft.ranges.length >= LAB_LIMITS.features.max) return;
    this.setDraft({ ranges: [...this.draft.ranges, { lo: '0', hi: '10' }] });
  }

  private removeFeature(i: number): void {
    if (this.draft.ranges.length <= LAB_LIMITS.features.min) return;
    this.setDraft({ ranges: this.draft.ranges.filter((_, j) => j !== i) });
  }

  private setLrScale(scale: LrScale): void {
    if (scale === this.draft.lrScale) return;
    // Keep the learning rates the modes run with comparable: relative 0.5 ↔ absolute 0.5 × the raw limit.
    const raw = this.shown?.runs.find((r) => r.mode === 'raw')?.study.maxStableLr;
    const cur = Number(this.draft.lr);
    const start = scale === 'absolute' ? absoluteStartRate(cur, raw) : relativeStartRate(cur, raw);
    this.lrNote = start.note;
    this.setDraft({ lrScale: scale, lr: start.lr });
  }

  private togglePlot(name: PlotName, on: boolean): void {
    const plots = on ? [...new Set([...this.draft.plots, name])] : this.draft.plots.filter((p) => p !== name);
    this.setDraft({ plots: (['scatter', 'contours'] as PlotName[]).filter((p) => plots.includes(p)) });
  }

  private async onFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same path again (an edited file) reads it again.
    input.value = '';
    if (!file) return;
    const name = clipText(file.name);
    this.csvAbort?.abort(new DOMException('Replaced by another file', 'AbortError'));
    const abort = new AbortController();
    this.csvAbort = abort;
    this.csvError = null;
    this.csvLoading = { fileName: name, progress: null };
    let loaded;
    try {
      loaded = await loadCsvFile(file, {
        signal: abort.signal,
        onProgress: (p) => {
          if (this.csvAbort === abort) this.csvLoading = { fileName: name, progress: p };
        },
      });
    } catch (err) {
      if (this.csvAbort !== abort) return; // replaced by a newer file
      this.csvAbort = null;
      this.csvLoading = null;
      this.csvError = abort.signal.aborted
        ? `Reading ${name} was cancelled. ${this.csv ? 'The previous data is still loaded.' : 'No file is loaded.'}`
        : `${name}: ${describeError(err)}. The previous data is still loaded.`;
      return;
    }
    if (this.csvAbort !== abort) return;
    this.csvAbort = null;
    this.csvLoading = null;
    const parsed = loaded.result;
    if (!parsed.ok) {
      this.csvError = `${name}, line ${parsed.line}: ${parsed.message}. The previous data is still loaded.`;
      return;
    }
    const cols = parsed.table.columns;
    // Default target: a column named y or target, else the last one.
    const target = cols.find((c) => /^(y|target)$/i.test(c)) ?? cols[cols.length - 1];
    try {
      // Check the table can become a dataset before replacing anything.
      datasetFromTable(parsed.table, {
        target,
        testFraction: this.parsed.data?.testFraction ?? defaultLabState().data.testFraction,
        seed: this.parsed.data?.seed ?? defaultLabState().data.seed,
        fileName: file.name,
      });
    } catch (err) {
      this.csvError = `${name}: ${describeError(err)}. The previous data is still loaded.`;
      return;
    }
    this.csvError = null;
    this.csv = { table: parsed.table, fileName: file.name, target, upload: ++this.uploads, merges: loaded.merges, via: loaded.via };
    this.source = 'csv';
  }

  /** Stops reading the file being loaded; the data loaded before stays. */
  cancelCsv(): void {
    this.csvAbort?.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  private renderCsvLoading() {
    const l = this.csvLoading;
    if (!l) return nothing;
    const p = l.progress;
    const mb = (b: number) => (b / 1e6).toFixed(1);
    return html`<p class="progress" role="status" data-testid="csv-progress">
      <progress max=${p?.totalBytes || 1} value=${p?.bytes ?? 0}></progress>
      Reading ${l.fileName}${p ? `: ${mb(p.bytes)} of ${mb(p.totalBytes)} MB, ${nf.format(p.rows)} rows` : ''}…
      <button type="button" data-testid="csv-cancel" @click=${() => this.cancelCsv()}>Cancel</button>
    </p>`;
  }

  /** The loaded file's f32-rounding warnings (one per column whose distinct values f32 merges). */
  private renderF32Warnings() {
    const merges = this.csv?.merges ?? [];
    if (merges.length === 0) return nothing;
    return html`<div class="notice" role="alert" data-testid="csv-f32-warning">
      <strong>Precision warning:</strong> the GPU computes in f32, which merges distinct values of ${merges.length === 1 ? 'a column' : `${merges.length} columns`} of this file:
      <ul>
        ${merges.map((m) => html`<li data-column=${m.name}>${describeF32Merge(m)}</li>`)}
      </ul>
    </div>`;
  }

  /** Under results computed from a file whose f32 rounding merged values: a pointer to the warning. */
  private renderRunF32Note(run: NormalizeLabRun) {
    if (run.f32Warnings.length === 0) return nothing;
    return html`<p class="notice" data-testid="results-f32-warning">
      These results come from a file whose values f32 rounding merged (${run.f32Warnings.map((w) => w.slice(0, w.indexOf(':'))).join('; ')}); the fit treats
      those rows as equal, so treat κ, the optimum and the costs with care.
    </p>`;
  }

  /** The device-loss notice: reconnecting now, and each loss of the last run with what the lab did. */
  private renderDeviceNotice() {
    if (this.recoveries.length === 0 && !this.reconnecting) return nothing;
    return html`<div class="notice" role="status" data-testid="recovery-notice">
      ${this.reconnecting ? html`<p data-testid="reconnecting"><strong>${this.reconnecting}</strong></p>` : nothing}
      ${this.recoveries.length
        ? html`<strong>The GPU device was lost during this run</strong>; the finished studies, your settings and the loaded data were kept:
            <ul>
              ${this.recoveries.map(
                (r) =>
                  html`<li data-result=${r.result}>
                    ${r.where}: ${r.result === 'resumed' ? 'reconnected to a new device and continued' : 'gave up (see the message below)'}. ${r.message}
                    ${r.switchedOff ? html`<strong data-testid="override-switched-off">${r.switchedOff}</strong>` : nothing}
                  </li>`,
              )}
            </ul>`
        : nothing}
    </div>`;
  }

  private setTarget(target: string): void {
    if (!this.csv) return;
    const t = this.csv.table;
    try {
      datasetFromTable(t, {
        target,
        testFraction: this.parsed.data?.testFraction ?? defaultLabState().data.testFraction,
        seed: this.parsed.data?.seed ?? defaultLabState().data.seed,
        fileName: this.csv.fileName,
      });
      this.csvError = null;
      this.csv = { ...this.csv, target };
    } catch (err) {
      this.csvError = `Target ${clipText(target)}: ${describeError(err)}. The previous target stays.`;
      this.requestUpdate();
    }
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    const pending = this.runTask.status === TaskStatus.PENDING;
    const run = this.shown;
    const runState = pending ? 'running' : this.runError ? 'error' : run ? 'complete' : 'idle';
    return html`
      <section aria-labelledby="nl-title" data-testid="normalize-lab" data-run-state=${runState}>
        <h2 id="nl-title">Normalization lab</h2>
        <p class="lead" data-testid="lead">
          Gradient descent fits a line faster when every input is on the same scale. This lab uses the same data four
          ways (raw, standardized, divided by σ² by mistake, and with the test set normalized on its own) and draws each
          one’s cost surface with the descent path over it. Press Run and compare the four plots.
        </p>
        <p class="next" data-testid="next-step"><strong>What to try next:</strong> ${this.nextStep()}</p>
        <gp-override-badge .gpu=${this.gpu}></gp-override-badge>
        ${this.renderUrlProblems()} ${this.renderDeviceNotice()}
        <div class="layout">
          <div class="side">${this.renderData(pending)} ${this.renderDescentControls(pending)} ${this.renderRunBar(pending)}</div>
          <div class="results">${this.renderResults(pending)}</div>
        </div>
      </section>
    `;
  }

  private nextStep(): string {
    const run = this.shown;
    if (!run) return this.explainLoaded()?.firstStep ?? 'load or generate data, press Run and compare the four contour plots.';
    const raw = run.runs.find((r) => r.mode === 'raw');
    const std = run.runs.find((r) => r.mode === 'standardize');
    const own = run.runs.find((r) => r.mode === 'test-own-stats');
    const shift = run.dataset.source.kind === 'generated' ? run.dataset.source.options.testShift : 0;
    if (run.settings.lrScale === 'relative') {
      return 'every mode runs at the same fraction of its own stable limit 2/λmax, so the step counts compare only the shape of the surface (κ). Now switch to “one learning rate for all” and raise it until the raw path diverges: the standardized path still converges in a few steps.';
    }
    if (raw?.descent && !raw.descent.diverged) return 'raise the learning rate past the raw mode’s limit (its mark on the slider) and watch the raw path diverge while the standardized one barely notices.';
    if (shift === 0 && own?.descent && std?.descent) return 'set the test shift to 0.5 and Run: compare the test cost of “standardize” and “test with its own μ, σ”; then note σ² vs σ in the divisors table.';
    return 'compare the test costs: normalizing the shifted test set with its own μ and σ moves it back onto the training data and hides the shift, so the model predicts the wrong targets. Note also the σ² divisors of the slide’s error.';
  }

  /** The explanations of the dataset the next Run uses (cached per dataset). */
  private explainLoaded(): NormalizeExplanations | null {
    const ds = this.loaded;
    if (!ds) return null;
    if (this.loadedExplained?.ds !== ds) this.loadedExplained = { ds, e: explainNormalization(ds) };
    return this.loadedExplained.e;
  }

  /** A technical term with its one-line explanation on hover and focus. */
  private term(label: string, key: keyof typeof NORMALIZE_TERMS) {
    return html`<gp-term tip=${NORMALIZE_TERMS[key]} data-term=${key}>${label}</gp-term>`;
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

  private problem(field: LabField | 'split') {
    const p = this.parsed.problems[field];
    return p ? html`<span class="problem" id="p-${field}" data-problem=${field} role="alert">${p}</span>` : nothing;
  }

  /** On the CPU fallback, m above its cap: a problem of the m field (shown next to it), not only a disabled Run. */
  private cpuCapFieldProblem(): string | null {
    if (!this.cpuMode || this.source !== 'generated' || this.parsed.problems.m !== undefined) return null;
    return cpuCapProblem(parseLabNumber(this.draft.m));
  }

  private textField(field: 'm' | 'noise' | 'testFraction' | 'testShift' | 'seed' | 'steps' | 'tol', label: string, hint: string, disabled: boolean) {
    const cap = field === 'm' ? this.cpuCapFieldProblem() : null;
    if (cap) {
      return html`<div class="field">
        <label for="f-m">${label}</label>
        <input type="text" id="f-m" inputmode="decimal" .value=${this.draft.m} ?disabled=${disabled} aria-invalid="true" aria-describedby="p-m" @input=${this.onText('m')} />
        <span class="problem" id="p-m" data-problem="m" data-cause="cpu-cap" role="alert">${cap}</span>
      </div>`;
    }
    const bad = this.parsed.problems[field] !== undefined;
    return html`<div class="field">
      <label for="f-${field}">${label}</label>
      <input
        type="text"
        id="f-${field}"
        inputmode="decimal"
        .value=${this.draft[field]}
        ?disabled=${disabled}
        aria-invalid=${bad ? 'true' : 'false'}
        aria-describedby=${bad ? `p-${field}` : `h-${field}`}
        @input=${this.onText(field)}
      />
      ${bad ? this.problem(field) : html`<span class="hint" id="h-${field}">${hint}</span>`}
    </div>`;
  }

  private renderData(pending: boolean) {
    const gen = this.source === 'generated';
    const L = LAB_LIMITS;
    return html`<fieldset data-testid="data-panel">
      <legend>Data</legend>
      <div class="radios" role="radiogroup" aria-label="Data source">
        <label><input type="radio" name="source" value="generated" .checked=${gen} ?disabled=${pending} @change=${() => (this.source = 'generated')} /> generated</label>
        <label
          ><input type="radio" name="source" value="csv" .checked=${!gen} ?disabled=${pending || !this.csv} @change=${() => (this.source = 'csv')} /> CSV file${this.csv
            ? html` (${clipText(this.csv.fileName)})`
            : nothing}</label
        >
      </div>
      <p class="hint">Generated: y = w·x + b + noise with each x_j ~ U(low, high); w is chosen so every feature matters equally once standardized.</p>
      ${this.textField('m', 'm (examples)', `train + test, ${nf.format(L.m.min)}–${nf.format(L.m.max)}${this.cpuMode ? ` (CPU: up to ${nf.format(L.cpuMaxM)})` : ''}`, pending || !gen)}
      <div role="group" aria-label="Feature ranges">
        ${this.draft.ranges.map((r, i) => {
          const f = `range${i + 1}` as LabField;
          const bad = this.parsed.problems[f] !== undefined;
          return html`<div class="range-row" data-feature=${i + 1}>
              <span>x${i + 1}</span>
              <input type="text" aria-label="x${i + 1} low" id="f-range${i + 1}-lo" .value=${r.lo} ?disabled=${pending || !gen} aria-invalid=${bad ? 'true' : 'false'} @input=${(e: Event) => this.setRange(i, 'lo', (e.target as HTMLInputElement).value)} />
              <span>to</span>
              <input type="text" aria-label="x${i + 1} high" id="f-range${i + 1}-hi" .value=${r.hi} ?disabled=${pending || !gen} aria-invalid=${bad ? 'true' : 'false'} @input=${(e: Event) => this.setRange(i, 'hi', (e.target as HTMLInputElement).value)} />
              <button type="button" aria-label="Remove feature x${i + 1}" title="Remove feature x${i + 1}" ?disabled=${pending || !gen || this.draft.ranges.length <= L.features.min} @click=${() => this.removeFeature(i)}>✕</button>
            </div>
            ${this.problem(f)}`;
        })}
        ${this.problem('ranges')}
        <button type="button" data-testid="add-feature" ?disabled=${pending || !gen || this.draft.ranges.length >= L.features.max} @click=${() => this.addFeature()}>Add a feature</button>
      </div>
      ${this.textField('noise', 'noise σ', 'standard deviation of the noise added to y', pending || !gen)}
      ${this.textField('testFraction', 'test fraction', 'share of the examples held out for testing', pending)}
      ${this.textField('testShift', 'test shift', 'moves the test features by this many range widths (try 0.5)', pending || !gen)}
      ${this.textField('seed', 'seed', 'same seed, same data (also shuffles a CSV into train and test)', pending)}
      ${this.problem('split')}
      <div class="field">
        <label for="f-csv">CSV file</label>
        <input type="file" id="f-csv" data-testid="csv-file" accept=".csv,text/csv,text/plain" ?disabled=${pending} @change=${(e: Event) => void this.onFile(e)} />
        <span class="hint">numeric columns with a header row; you pick the target</span>
      </div>
      ${this.csvError ? html`<p class="problem" role="alert" data-testid="csv-error">${this.csvError}</p>` : nothing}
      ${this.renderCsvLoading()} ${this.renderF32Warnings()}
      ${this.csv
        ? html`<div class="field">
            <label for="f-target">target column</label>
            <select id="f-target" data-testid="csv-target" ?disabled=${pending} @change=${(e: Event) => this.setTarget((e.target as HTMLSelectElement).value)}>
              ${this.csv.table.columns.map((c) => html`<option value=${c} ?selected=${c === this.csv!.target}>${clipText(c)}</option>`)}
            </select>
          </div>`
        : nothing}
      ${this.renderSummary()}
    </fieldset>`;
  }

  private renderSummary() {
    const ds = this.loaded;
    if (!ds) return html`<p class="summary muted" data-testid="dataset-summary">No dataset loaded yet.</p>`;
    const src = ds.source.kind === 'generated' ? `generated (seed ${ds.source.options.seed})` : `CSV file ${clipText(ds.source.fileName)}, target ${clipText(ds.targetName)}`;
    return html`<p class="summary" data-testid="dataset-summary" data-csv-upload=${this.csv?.upload ?? ''} data-csv-via=${this.csv?.via ?? ''}>
        <strong>Loaded:</strong> ${src}; ${nf.format(ds.train.m + ds.test.m)} rows (${nf.format(ds.train.m)} train, ${nf.format(ds.test.m)} test),
        ${ds.d} features (${ds.featureNames.join(', ')}).
      </p>
      ${this.loadError ? html`<p class="problem" role="alert" data-testid="load-error">${this.loadError}</p>` : nothing}
      ${this.cpuMode && ds.source.kind === 'csv' && ds.train.m + ds.test.m > LAB_LIMITS.cpuMaxM
        ? html`<p class="problem" role="alert" data-problem="rows" data-cause="cpu-cap">This file has ${nf.format(ds.train.m + ds.test.m)} rows; without WebGPU the lab runs on the CPU, which takes up to ${nf.format(LAB_LIMITS.cpuMaxM)}. Use a smaller file.</p>`
        : nothing}`;
  }

  // One slider mark per distinct limit (standardize and test-own-stats train on the same features, so they share one).
  private limitMarks(run: NormalizeLabRun | null): { label: string; value: number; color: string; title: string }[] {
    const marks: { label: string; value: number; color: string; title: string }[] = [];
    for (const r of run?.runs ?? []) {
      const v = r.study.maxStableLr;
      const same = marks.find((m) => Math.abs(m.value - v) <= 1e-6 * Math.abs(v));
      if (same) {
        same.label = `${same.label.replace(/ [^ ]+$/, '')}, ${r.mode} ${fmt(v)}`;
        same.title += `; ${MODE_LABELS[r.mode]}`;
      } else {
        marks.push({ label: `${r.mode} ${fmt(v)}`, value: v, color: MODE_COLORS[r.mode], title: `2/λmax of ${MODE_LABELS[r.mode]}` });
      }
    }
    return marks;
  }

  private renderDescentControls(pending: boolean) {
    const scale = this.draft.lrScale;
    const lim = LAB_LIMITS.lr[scale];
    const run = this.shown;
    // The slider spans a range around the limits of the run on screen (absolute), or 1e-3..10 (relative).
    let lo = scale === 'relative' ? 1e-3 : 1e-8;
    let hi = scale === 'relative' ? 10 : 10;
    if (scale === 'absolute' && run) {
      const limits = run.runs.map((r) => r.study.maxStableLr).filter((v) => v > 0 && Number.isFinite(v));
      if (limits.length) {
        lo = Math.max(lim.min, 10 ** Math.floor(Math.log10(Math.min(...limits)) - 2));
        hi = Math.min(lim.max, 10 ** Math.ceil(Math.log10(Math.max(...limits)) + 1));
      }
    }
    const lr = Number(this.draft.lr);
    const bad = this.parsed.problems.lr !== undefined;
    const marks =
      scale === 'relative'
        ? [{ label: '2/λmax of every mode', value: 1, color: '#1f1f1f', title: 'lr = 1 × each mode’s 2/λmax: above it, every mode diverges' }]
        : this.limitMarks(run);
    return html`<fieldset data-testid="descent-panel">
      <legend>Gradient descent</legend>
      <div class="radios" role="radiogroup" aria-label="How the learning rate is set">
        <label><input type="radio" name="lrscale" value="relative" .checked=${scale === 'relative'} ?disabled=${pending} @change=${() => this.setLrScale('relative')} /> × each mode’s 2/λmax</label>
        <label><input type="radio" name="lrscale" value="absolute" .checked=${scale === 'absolute'} ?disabled=${pending} @change=${() => this.setLrScale('absolute')} /> one rate for all</label>
      </div>
      <p class="hint">
        ${scale === 'relative'
          ? 'Each mode runs at this multiple of its own largest stable learning rate 2/λmax (above 1 it diverges): the step counts then compare only how round each surface is.'
          : 'Every mode runs with this same learning rate, as you would train. Each mode’s stable limit 2/λmax is marked below the slider; above a mode’s mark its descent diverges.'}
      </p>
      ${this.lrNote ? html`<p class="lr-note" role="status" data-testid="lr-note">${this.lrNote}</p>` : nothing}
      <label for="f-lr-slider" class="visually-hidden">learning rate (log scale)</label>
      <input
        type="range"
        class="lr-slider"
        id="f-lr-slider"
        data-testid="lr-slider"
        min="0"
        max="1000"
        step="1"
        .value=${String(lrToSlider(lr, lo, hi))}
        ?disabled=${pending}
        aria-valuetext=${`learning rate ${this.draft.lr}${scale === 'relative' ? ' × 2/λmax' : ''}`}
        @input=${(e: Event) => this.setDraft({ lr: String(sliderToLr(Number((e.target as HTMLInputElement).value), lo, hi)) })}
      />
      <div class="marks" aria-hidden="true">
        ${marks.map((m, i) => {
          const pos = lrToSlider(m.value, lo, hi) / 10;
          return html`<span class="mark ${pos > 60 ? 'right' : ''}" style="left:${pos}%;color:${m.color};top:${(i % 3) * 1}rem;height:${3.2 - (i % 3)}rem" title=${m.title}>${m.label}</span>`;
        })}
      </div>
      <div class="field">
        <label for="f-lr">${scale === 'relative' ? 'lr × 2/λmax' : 'learning rate'}</label>
        <input type="text" id="f-lr" data-testid="lr" .value=${this.draft.lr} ?disabled=${pending} aria-invalid=${bad ? 'true' : 'false'} @input=${this.onText('lr')} />
        ${bad ? this.problem('lr') : html`<span class="hint">${lim.min} to ${lim.max}; log slider above</span>`}
      </div>
      ${this.textField('steps', 'max steps', `${LAB_LIMITS.steps.min}–${nf.format(LAB_LIMITS.steps.max)}`, pending)}
      ${this.textField('tol', 'tolerance', 'stop when J − J* ≤ tol · J* (relative)', pending)}
      <div class="radios" role="group" aria-label="Plots shown">
        <label><input type="checkbox" data-testid="show-scatter" .checked=${this.draft.plots.includes('scatter')} @change=${(e: Event) => this.togglePlot('scatter', (e.target as HTMLInputElement).checked)} /> scatter plots</label>
        <label><input type="checkbox" data-testid="show-contours" .checked=${this.draft.plots.includes('contours')} @change=${(e: Event) => this.togglePlot('contours', (e.target as HTMLInputElement).checked)} /> contour plots</label>
      </div>
      <p class="hint">Changing the learning rate, steps or tolerance after a run reruns only the descents (the surfaces stay).</p>
    </fieldset>`;
  }

  private renderRunBar(pending: boolean) {
    const why = this.blocked();
    const q = this.currentQuery();
    return html`<div class="run-bar">
        <button class="primary" data-testid="run" ?disabled=${pending || why !== null} @click=${() => void this.run()}>${pending ? 'Running…' : 'Run'}</button>
        ${pending ? html`<button data-testid="cancel" @click=${() => this.cancel()}>Cancel</button>` : nothing}
        ${q ? html`<a href="#/normalization-lab?${q}" data-testid="permalink" title="A link that reproduces these settings (generated data only)">Link to these settings</a>` : nothing}
      </div>
      <p class="progress" role="status" aria-live="polite" data-testid="progress">
        ${pending
          ? html`<progress max=${this.stage.total || 1} value=${this.stage.done}></progress> ${this.progress || 'Starting…'}`
          : why
            ? html`<span class=${why.startsWith('Without WebGPU') ? 'refuse' : ''}>${why}</span>`
            : this.cancelled
              ? `Cancelled${this.shown ? '; the previous results are shown' : ''}.`
              : this.cpuMode
                ? 'No WebGPU context: Run computes on the CPU in float64.'
                : 'Ready.'}
      </p>
      ${this.runError
        ? html`<p class="run-error" role="alert" data-testid="run-error">The run failed: ${this.runError}${this.shown ? '\nThe previous results are still shown.' : ''}</p>`
        : nothing}`;
  }

  private renderResults(pending: boolean) {
    const run = this.shown;
    if (!run) {
      return html`<div class="panel"><div class="placeholder" data-testid="no-results">${pending ? 'Computing the four modes…' : this.source === 'csv' ? 'No results yet: press Run to study your file.' : 'No results yet: set the data (or keep the lecture’s) and press Run.'}</div></div>`;
    }
    const stale = pending;
    const d = run.dataset.d;
    return html`<div class=${stale ? 'stale' : ''} aria-busy=${stale ? 'true' : 'false'}>
      ${stale ? html`<p class="muted">Previous results, shown until the new run finishes.</p>` : nothing} ${this.renderRunF32Note(run)}
      <div class="panel">
        <h3>
          Results per mode
          ${run.backend === 'cpu'
            ? html`<span class="badge cpu" data-testid="backend-badge" data-backend="cpu">CPU fallback (float64, no WebGPU)</span>`
            : html`<span class="badge gpu" data-testid="backend-badge" data-backend="gpu">GPU (WebGPU, f32)</span>`}
        </h3>
        <p class="explain" data-testid="results-explain">
          ${this.term('κ', 'kappa')} = ${this.term('λmax', 'lambdaMax')}/λmin of the ${this.term('Hessian XᵀX/m', 'hessian')}
          (${this.term('b profiled out', 'bProfiledOut')}) says how stretched the cost surface is: 1 is a round bowl.
          ${this.term('2/λmax', 'maxStableLr')} is the largest learning rate for which gradient descent does not blow up. Steps
          count until the cost is within the tolerance of its minimum ${this.term('J*', 'jStar')}. Test cost is J on the
          held-out set with the same w and b.
        </p>
        <div class="table-wrap">
          <table data-testid="results-table">
            <thead>
              <tr>
                <th scope="col">mode</th>
                <th scope="col">${this.term('κ', 'kappa')}</th>
                <th scope="col">${this.term('2/λmax', 'maxStableLr')}</th>
                <th scope="col">lr used</th>
                <th scope="col">steps to converge</th>
                <th scope="col">final train cost</th>
                <th scope="col">test cost</th>
              </tr>
            </thead>
            <tbody>
              ${run.runs.map((r) => {
                const o = descentOutcome(r.descent);
                const s = r.study;
                return html`<tr data-mode=${r.mode}>
                  <th scope="row"><span class="swatch" style="background:${MODE_COLORS[r.mode]}"></span>${MODE_LABELS[r.mode]}</th>
                  <td data-col="kappa" data-value=${s.kappa}>${fmt(s.kappa)}</td>
                  <td data-col="maxStableLr" data-value=${s.maxStableLr}>${fmt(s.maxStableLr)}</td>
                  <td data-col="lr" data-value=${r.lr}>${fmt(r.lr)} <span class="muted lr-multiple">(${fmt(r.lr / s.maxStableLr)}×)</span></td>
                  <td data-col="steps" data-outcome=${o.outcome} data-value=${r.descent?.steps ?? ''} class=${o.outcome === 'converged' ? 'good' : o.outcome === 'diverged' ? 'bad' : ''}>
                    ${r.error ? html`<span class="bad">${r.error}</span>` : o.text}
                  </td>
                  <td data-col="trainCost" data-value=${r.descent?.trainCost ?? ''}>${r.descent ? fmt(r.descent.trainCost) : '—'}</td>
                  <td data-col="testCost" data-value=${r.descent?.testCost ?? ''}>${r.descent ? fmt(r.descent.testCost) : '—'}</td>
                </tr>`;
              })}
            </tbody>
          </table>
        </div>
        <p class="muted">
          Studies ${fmtMs(run.studyMs)}, descents ${fmtMs(run.descentMs)} (wall time${run.backend === 'gpu' && this.isSoftware() ? '; this adapter is software (SwiftShader), so these are CPU timings' : ''}${run.backend === 'cpu' ? '; computed on the CPU' : ''}).
          Cost grids ${run.runs[0].study.costGrid.size}×${run.runs[0].study.costGrid.size} over
          ${nf.format(run.runs[0].study.costGrid.rowsUsed)} of ${nf.format(run.dataset.train.m)} training rows${run.runs[0].study.costGrid.rowsUsed < run.dataset.train.m ? ' (an even subsample: the contours, not the table, use it)' : ''}.
        </p>
        <h3>μ and ${this.term('σ', 'sigma')} used</h3>
        <p class="explain" data-testid="stats-explain">${this.explained?.stats ?? ''}</p>
        <div class="table-wrap">
          <table class="stats" data-testid="stats-table">
            <thead>
              <tr>
                <th scope="col">mode</th>
                <th scope="col">set</th>
                ${Array.from({ length: d }, (_, j) => html`<th scope="col">${clipText(run.dataset.featureNames[j])}: subtract</th><th scope="col">divide by</th>`)}
              </tr>
            </thead>
            <tbody>
              <tr data-mode="train-stats" data-set="stats">
                <th scope="row">training μ, σ</th>
                <td>train</td>
                ${Array.from({ length: d }, (_, j) => {
                  const s = run.runs[0].study;
                  return html`<td data-col="mu" data-feature=${j} data-value=${s.mu[j]}>${fmt(s.mu[j])}</td><td data-col="sigma" data-feature=${j} data-value=${s.sigma[j]}>${fmt(s.sigma[j])}</td>`;
                })}
              </tr>
              ${run.runs.flatMap((r) =>
                (['train', 'test'] as const).map(
                  (set) => html`<tr data-mode=${r.mode} data-set=${set}>
                    <th scope="row">${set === 'train' ? MODE_LABELS[r.mode] : ''}</th>
                    <td>${set}</td>
                    ${Array.from({ length: d }, (_, j) => {
                      const mu = set === 'train' ? r.study.trainMu[j] : r.study.testMu[j];
                      const div = set === 'train' ? r.study.trainDivisor[j] : r.study.testDivisor[j];
                      return html`<td data-col="shift" data-feature=${j} data-value=${mu}>${fmt(mu)}</td><td data-col="divisor" data-feature=${j} data-value=${div}>${fmt(div)}</td>`;
                    })}
                  </tr>`,
                ),
              )}
            </tbody>
          </table>
        </div>
        <div class="toolbar" style="margin-top:0.75rem">
          <span class="muted">Export:</span>
          <button type="button" data-testid="export-json" @click=${() => this.save('json')}>JSON</button>
          <button type="button" data-testid="export-csv" @click=${() => this.save('csv')}>CSV (table)</button>
          <button type="button" data-testid="export-paths" @click=${() => this.save('paths')}>CSV (paths)</button>
          ${this.draft.plots.includes('contours') ? html`<button type="button" data-testid="export-png-contours" @click=${() => void this.savePng('contours')}>Contours PNG</button>` : nothing}
          ${this.draft.plots.includes('scatter') ? html`<button type="button" data-testid="export-png-scatter" @click=${() => void this.savePng('scatter')}>Scatter PNG</button>` : nothing}
        </div>
      </div>
      ${this.draft.plots.includes('scatter') ? this.renderScatter(run) : nothing} ${this.draft.plots.includes('contours') ? this.renderContours(run) : nothing}
    </div>`;
  }

  private isSoftware(): boolean {
    const s = this.gpu?.summary;
    return !!s && (s.isFallbackAdapter || /swiftshader|llvmpipe|warp|software/i.test(`${s.vendor} ${s.architecture} ${s.device} ${s.description}`));
  }

  private renderScatter(run: NormalizeLabRun) {
    return html`<div class="panel" data-testid="scatter-panel">
      <h3>The data before and after normalizing</h3>
      <p class="explain" data-testid="scatter-explain">${this.explained?.scatter ?? ''}</p>
      <div class="toolbar" role="group" aria-label="After mode">
        <span class="muted">After:</span>
        ${run.runs
          .filter((r) => r.mode !== 'raw')
          .map(
            (r) => html`<button type="button" data-after=${r.mode} aria-pressed=${this.afterMode === r.mode ? 'true' : 'false'} @click=${() => (this.afterMode = r.mode)}>${MODE_LABELS[r.mode]}</button>`,
          )}
      </div>
      <div class="plots">
        <div class="plot"><h4>Before: raw inputs</h4><gp-scatter-plot .model=${this.scatterBefore}></gp-scatter-plot></div>
        <div class="plot"><h4>After: ${MODE_LABELS[this.afterMode]}</h4><gp-scatter-plot .model=${this.scatterAfter}></gp-scatter-plot></div>
      </div>
    </div>`;
  }

  private renderContours(run: NormalizeLabRun) {
    const g0 = run.runs[0].study.costGrid;
    const [ax, ay] = g0.axes;
    return html`<div class="panel" data-testid="contours-panel">
      <h3>Cost surfaces J(w${ax + 1}, w${ay + 1}) and the descent paths</h3>
      <p class="explain">
        Each plot is one mode’s cost over two weights (b at its best for each w), centred on the minimum ${this.term('J*', 'jStar')}
        (✕), with equal scales on both axes so the shapes are true. Lines are levels of J spaced by powers of ten above J*;
        the path starts at □ (w = 0) and shows every step, in a zoomed inset when it is too short to see. Raise the
        learning rate until the raw path zig-zags and leaves the window; the standardized path still goes straight in.
      </p>
      <div class="toolbar">
        <button type="button" data-testid="replay" @click=${() => [...this.contourPlots].forEach((p) => p.replay())}>Replay the paths</button>
      </div>
      <div class="plots">
        ${run.runs.map((r) => {
          const o = descentOutcome(r.descent);
          const coords = r.mode === 'raw' ? 'raw units' : r.mode === 'divide-variance' ? 'σ² units' : 'σ units';
          const desc = `Contour plot of the ${MODE_LABELS[r.mode]} cost surface: κ = ${fmt(r.study.kappa)}, descent ${o.text} at lr ${fmt(r.lr)}. The results table holds the numbers.`;
          return html`<div class="plot" data-mode=${r.mode}>
            <h4><span class="swatch" style="background:${MODE_COLORS[r.mode]}"></span>${MODE_LABELS[r.mode]}</h4>
            <gp-contour-plot
              .grid=${r.study.costGrid}
              .path=${r.descent?.path ?? null}
              .d=${r.study.d}
              .optimum=${r.study.optimum.w}
              color=${MODE_COLORS[r.mode]}
              x-title="w${ax + 1} (for x${ax + 1} in ${coords})"
              y-title="w${ay + 1} (for x${ay + 1} in ${coords})"
              description=${desc}
            ></gp-contour-plot>
            <p>κ = ${fmt(r.study.kappa)} · ${o.text} · lr ${fmt(r.lr)} (${fmt(r.lr / r.study.maxStableLr)} × 2/λmax)</p>
            <p data-testid="mode-note">${this.explained?.modeNotes[r.mode] ?? ''}</p>
          </div>`;
        })}
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-normalize-lab': GpNormalizeLab;
  }
}

