import { msg, str } from '@lit/localize';
/**
 * The Normalization lab's run session, DOM-free: runs the four modes' studies and descents (or only the
 * descents after a learning-rate change), cancels, tracks progress, recovers from a lost GPU device through
 * an injected recovery (the view's shared GpuRecoveryController) and keeps what was on screen when a run
 * fails or is cancelled. Also loads CSV files (progress, cancel, replacement) without losing the data loaded
 * before. The view (src/ui/gp-normalize-lab.ts) renders its state and calls `onChange` to re-render.
 */
import { describeError } from '../../errors';
import { forceDeviceLoss, type GpuContext } from '../../gpu/context';
import { DeviceLossInjector, pageDebugFlags } from '../../gpu/debug';
import { GpuDeviceLostError } from '../../gpu/errors';
import { guardOverrides, withSwitchOff, type OverrideGuard } from '../../playground/override-guard';
import { formatMagnitude } from '../../locale-format';
import { clipText, csvProblemText, type F32Merge } from './csv';
import { datasetFromTable } from './csv-dataset';
import type { CsvProgress, CsvTable } from './csv-parser';
import { loadCsvFile, type CsvLoad, type CsvLoadOptions } from './csv-load';
import { makeNormalizeExport, type NormalizeLabExport, type NormalizeModeRun } from './export';
import { MODE_LABELS, modeLearningRate, type LrScale } from './form';
import { gradientDescent, normalizeStudy } from './study';
import { NORMALIZE_MODES, type Dataset, type NormalizeStudy } from './types';
import type { AdapterSummary } from '../../gpu/context';

/** Descent settings of a run (what a learning-rate change reruns). */
export interface DescentSettings {
  lrScale: LrScale;
  lr: number;
  steps: number;
  tol: number;
}

export const settingsKey = (s: DescentSettings) => `${s.lrScale}|${s.lr}|${s.steps}|${s.tol}`;

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

/** A full run (studies, then descents) or a rerun of the descents of the run on screen. */
export type NormalizeJob =
  | {
      kind: 'full';
      gpu: GpuContext | null;
      dataset: Dataset;
      settings: DescentSettings;
      query: string | null;
      f32Warnings: string[];
    }
  | {
      kind: 'descent';
      base: NormalizeLabRun;
      gpu: GpuContext | null;
      settings: DescentSettings;
    };

/** Device-loss recovery as the session needs it (src/ui/gpu-recovery.ts's GpuRecoveryController, in `resume` mode). */
export interface RunRecovery {
  /** A run starts: forget the last run's losses. */
  begin(): void;
  /** `gpu` if alive, else a new context; throws when none can be had. */
  ensureLive(gpu: GpuContext, signal?: AbortSignal): Promise<GpuContext>;
  /** After `err` on `gpu`: a new context to go on with when it was a device loss; throws otherwise (rethrows `err` unchanged when it was no loss). */
  recover(gpu: GpuContext, err: unknown, at: string, kept: string, signal?: AbortSignal): Promise<GpuContext>;
}

/** The engine calls the session makes (replaceable in tests). */
export interface NormalizeEngine {
  normalizeStudy: typeof normalizeStudy;
  gradientDescent: typeof gradientDescent;
}

export interface NormalizeSessionOptions {
  recovery: RunRecovery;
  /** Called after every state change (the view re-renders). */
  onChange: () => void;
  /** Called when a run continues on a new GPU context (the view adopts it). */
  onGpu?: (gpu: GpuContext) => void;
  /** Snapshots the custom kernels at the start of a run (default: the overrides store). */
  guard?: () => OverrideGuard;
  /** `?debug=lose-device-after-row=N`: here a "row" is one mode's study finished on the device. */
  injector?: DeviceLossInjector;
  engine?: NormalizeEngine;
}

/** What the session says it keeps when it stops after device losses. */
const KEPT = 'Your settings and the loaded data are kept.';

/** The run stopped because the device was lost once too often (or could not be replaced): not one mode's failure. */
class DeviceGoneError extends Error {}

const fmt = (v: number) => formatMagnitude(v);

/** A problem text that does not change with the language (it quotes an error already worded). */
const fixed = (text: string) => () => text;

/** After a failed run of data whose f32 rounding merged values: say so, so the error is not blamed on the data alone. */
export function f32Hint(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  return (
    '\n' +
    (warnings.length === 1
      ? msg('Note: rounding this file to f32 merged distinct values (one column, see the warning under the file); that alone can cause this error.')
      : msg(
          str`Note: rounding this file to f32 merged distinct values (${warnings.length} columns, see the warning under the file); that alone can cause this error.`,
        ))
  );
}

/** Runs, cancels and recovers the lab's computations; holds the run on screen and the state of the last run. */
export class NormalizeSession {
  /** The run on screen (the last one that finished). */
  shown: NormalizeLabRun | null = null;
  /** A run is in progress. */
  running = false;
  progress = '';
  /** Stages done and in all (4 studies + 4 descents, or 4 descents). */
  stage = { done: 0, total: 0 };
  /** Why the last run failed (the previous results stay on screen), or null. */
  runError: string | null = null;
  /** The last run was cancelled (what is on screen is the run before it). */
  cancelled = false;
  /** The sentence of the custom kernels the last run switched off after a device loss, or null. */
  switchedOff: string | null = null;

  private abort: AbortController | null = null;
  private readonly injector: DeviceLossInjector;
  private readonly engine: NormalizeEngine;

  constructor(private readonly o: NormalizeSessionOptions) {
    this.injector = o.injector ?? new DeviceLossInjector(pageDebugFlags());
    this.engine = o.engine ?? { normalizeStudy, gradientDescent };
  }

  private changed(): void {
    this.o.onChange();
  }

  /**
   * Runs `job`; a run in progress is aborted first (its results are dropped). Resolves with the new run on
   * screen, or null when it failed (`runError`) or was cancelled (`cancelled`); then `shown` is unchanged.
   */
  async run(job: NormalizeJob): Promise<NormalizeLabRun | null> {
    this.abort?.abort(new DOMException('Replaced by a new run', 'AbortError'));
    const abort = new AbortController();
    this.abort = abort;
    const signal = abort.signal;
    const current = () => this.abort === abort;
    this.running = true;
    this.runError = null;
    this.cancelled = false;
    this.switchedOff = null;
    this.o.recovery.begin();
    this.changed();
    const f32Warnings = job.kind === 'full' ? job.f32Warnings : job.base.f32Warnings;
    const guard = (this.o.guard ?? guardOverrides)(); // a device loss switches off the custom kernels this run used
    try {
      const run = await this.compute(job, signal, guard);
      if (!current()) return null;
      this.shown = run;
      return run;
    } catch (err) {
      if (!current()) return null;
      if (signal.aborted) {
        this.runError = null;
        this.cancelled = true;
      } else {
        console.error(err);
        this.runError = describeError(withSwitchOff(err, guard)) + f32Hint(f32Warnings);
      }
      return null;
    } finally {
      if (current()) {
        this.abort = null;
        this.running = false;
        this.progress = '';
        this.changed();
      }
    }
  }

  /** Stops the run in progress; what is on screen stays. */
  cancel(): void {
    this.abort?.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  private setProgress(progress: string, stage = this.stage): void {
    this.progress = progress;
    this.stage = stage;
    this.changed();
  }

  private async compute(job: NormalizeJob, signal: AbortSignal, guard: OverrideGuard): Promise<NormalizeLabRun> {
    const t0 = performance.now();
    const dev: { gpu: GpuContext | null } = { gpu: job.gpu };
    this.injector.deviceChanged();
    // Started on a device that is already lost (a loss while idle, or a run that gave up): replace it first.
    if (dev.gpu?.lost) {
      const next = await this.o.recovery.ensureLive(dev.gpu, signal);
      this.adopt(dev, next);
    }
    let studies: NormalizeStudy[];
    let studyMs: number;
    const dataset = job.kind === 'full' ? job.dataset : job.base.dataset;
    if (job.kind === 'full') {
      studies = [];
      const n = NORMALIZE_MODES.length;
      this.setProgress('', { done: 0, total: 2 * n });
      for (const [i, mode] of NORMALIZE_MODES.entries()) {
        this.setProgress(msg(str`Normalizing and evaluating the cost grid: ${MODE_LABELS[mode]} (${i + 1} of ${n})…`));
        if (dev.gpu && this.injector.atStart()) forceDeviceLoss(dev.gpu, `?debug=lose-device-after-row=0 (before study ${i + 1} of ${n})`);
        studies.push(
          await this.onDevice(dev, `after ${i} of ${n} studies`, signal, guard, (gpu) => this.engine.normalizeStudy(gpu, dataset, { mode, signal })),
        );
        signal.throwIfAborted();
        this.setProgress(this.progress, { ...this.stage, done: i + 1 });
        if (dev.gpu && this.injector.rowFinished()) forceDeviceLoss(dev.gpu, `?debug=lose-device-after-row: forced after study ${i + 1} of ${n}`);
      }
      studyMs = performance.now() - t0;
    } else {
      studies = job.base.runs.map((r) => r.study);
      studyMs = job.base.studyMs;
      this.setProgress('', { done: 0, total: studies.length });
    }
    const t1 = performance.now();
    const runs: NormalizeModeRun[] = [];
    for (const [i, study] of studies.entries()) {
      const lr = modeLearningRate(job.settings.lrScale, job.settings.lr, study.maxStableLr);
      this.setProgress(msg(str`Gradient descent: ${MODE_LABELS[study.mode]} (${i + 1} of ${studies.length}), lr = ${fmt(lr)}…`));
      try {
        const options = {
          lr,
          steps: job.settings.steps,
          tol: job.settings.tol,
          signal,
        };
        const descent =
          study.backend === 'gpu'
            ? await this.onDevice(dev, `after ${i} of ${studies.length} descents`, signal, guard, (gpu) => this.engine.gradientDescent(gpu, study, options))
            : await this.engine.gradientDescent(null, study, options);
        runs.push({ mode: study.mode, study, descent, lr });
      } catch (err) {
        if (signal.aborted || err instanceof GpuDeviceLostError || err instanceof DeviceGoneError) throw err;
        // One mode's descent failed: the others still run, and the table says what went wrong.
        runs.push({
          mode: study.mode,
          study,
          descent: null,
          lr,
          error: describeError(err),
        });
      }
      this.setProgress(this.progress, {
        ...this.stage,
        done: this.stage.done + 1,
      });
    }
    const backend = studies.every((s) => s.backend === 'gpu') ? 'gpu' : 'cpu';
    const query = job.kind === 'full' ? job.query : job.base.query;
    return {
      dataset,
      runs,
      settings: job.settings,
      backend,
      query,
      studyMs,
      descentMs: performance.now() - t1,
      f32Warnings: job.kind === 'full' ? job.f32Warnings : job.base.f32Warnings,
    };
  }

  private adopt(dev: { gpu: GpuContext | null }, next: GpuContext): void {
    if (next === dev.gpu) return;
    dev.gpu = next;
    this.injector.deviceChanged();
    this.o.onGpu?.(next);
  }

  /**
   * Runs one GPU step on `dev.gpu`; when the device is lost meanwhile, the recovery gets a new one (at most
   * MAX_RUN_RECOVERIES times per run) and the step runs again on it. Other errors pass unchanged.
   */
  private async onDevice<T>(
    dev: { gpu: GpuContext | null },
    where: string,
    signal: AbortSignal,
    guard: OverrideGuard,
    step: (gpu: GpuContext | null) => Promise<T>,
  ): Promise<T> {
    for (;;) {
      const gpu = dev.gpu;
      try {
        return await step(gpu);
      } catch (err) {
        if (signal.aborted || !gpu) throw err;
        let next: GpuContext;
        try {
          next = await this.o.recovery.recover(gpu, err, where, KEPT, signal);
        } catch (stop) {
          if (stop === err || signal.aborted) throw stop; // not a device loss, or cancelled meanwhile
          this.noteSwitchOff(guard);
          throw new DeviceGoneError(describeError(stop));
        }
        // Never run a custom kernel again on the device it may have broken: the step reruns on the built-in.
        this.noteSwitchOff(guard);
        this.adopt(dev, next);
      }
    }
  }

  private noteSwitchOff(guard: OverrideGuard): void {
    const off = guard.switchOff('device-lost');
    if (off) {
      this.switchedOff = off;
      this.changed();
    }
  }

  /** The export document of the run on screen (what the JSON button saves), or null before any run. */
  exportDoc(device: AdapterSummary | null): NormalizeLabExport | null {
    const run = this.shown;
    if (!run) return null;
    return makeNormalizeExport({
      dataset: run.dataset,
      runs: run.runs,
      settings: { ...run.settings },
      backend: run.backend,
      device: run.backend === 'gpu' ? device : null,
      query: run.query,
      wallMs: run.studyMs + run.descentMs,
    });
  }
}

/** A loaded CSV: the table, its f32-rounding merges and the upload number that keys the dataset built from it. */
export interface LoadedCsv {
  table: CsvTable;
  fileName: string;
  target: string;
  /** Counts uploads: two files with the same name and row count are still two datasets. */
  upload: number;
  merges: F32Merge[];
  /** Where the file was parsed (a Web Worker, or the main thread as the fallback). */
  via: 'worker' | 'main-thread';
}

/** How a table becomes a dataset (the form's test fraction and seed). */
export interface SplitOptions {
  testFraction: number;
  seed: number;
}

/**
 * The lab's CSV file: reads one file at a time (progress, Cancel; a newer file replaces one being read),
 * checks it can become a dataset before replacing the loaded one, and picks the target column. On any
 * problem `error` says what was wrong and the data loaded before stays.
 */
export class CsvSession {
  csv: LoadedCsv | null = null;
  /**
   * Worded when read, so a problem already shown follows a language switch; one that quotes a caught error's
   * message (worded when it was thrown) stays in the language it was made in, so it never mixes two.
   */
  private errorText: (() => string) | null = null;
  get error(): string | null {
    return this.errorText?.() ?? null;
  }
  /** A file being read (progress, Cancel); the loaded data stays until it is done. */
  loading: { fileName: string; progress: CsvProgress | null } | null = null;
  private uploads = 0;
  private abort: AbortController | null = null;

  constructor(
    private readonly onChange: () => void,
    private readonly load: (file: Blob, options: CsvLoadOptions) => Promise<CsvLoad> = loadCsvFile,
  ) {}

  /** Reads `file`; resolves true when it replaced the loaded data. */
  async read(file: Blob & { name: string }, split: SplitOptions): Promise<boolean> {
    const name = clipText(file.name);
    this.abort?.abort(new DOMException('Replaced by another file', 'AbortError'));
    const abort = new AbortController();
    this.abort = abort;
    this.errorText = null;
    this.loading = { fileName: name, progress: null };
    this.onChange();
    let loaded: CsvLoad;
    try {
      loaded = await this.load(file, {
        signal: abort.signal,
        onProgress: (p) => {
          if (this.abort === abort) {
            this.loading = { fileName: name, progress: p };
            this.onChange();
          }
        },
      });
    } catch (err) {
      if (this.abort !== abort) return false; // replaced by a newer file
      const hadData = !!this.csv;
      this.finish(
        abort.signal.aborted
          ? hadData
            ? () => msg(str`Reading ${name} was cancelled. The previous data is still loaded.`)
            : () => msg(str`Reading ${name} was cancelled. No file is loaded.`)
          : fixed(msg(str`${name}: ${describeError(err)}. The previous data is still loaded.`)),
      );
      return false;
    }
    if (this.abort !== abort) return false;
    const parsed = loaded.result;
    if (!parsed.ok) {
      // Worded here from its data: a worker parsed it in English.
      this.finish(() => msg(str`${name}, line ${parsed.line}: ${csvProblemText(parsed.problem)}. The previous data is still loaded.`));
      return false;
    }
    const cols = parsed.table.columns;
    // Default target: a column named y or target, else the last one.
    const target = cols.find((c) => /^(y|target)$/i.test(c)) ?? cols[cols.length - 1];
    try {
      // Check the table can become a dataset before replacing anything.
      datasetFromTable(parsed.table, {
        target,
        testFraction: split.testFraction,
        seed: split.seed,
        fileName: file.name,
      });
    } catch (err) {
      this.finish(fixed(msg(str`${name}: ${describeError(err)}. The previous data is still loaded.`)));
      return false;
    }
    this.csv = {
      table: parsed.table,
      fileName: file.name,
      target,
      upload: ++this.uploads,
      merges: loaded.merges,
      via: loaded.via,
    };
    this.finish(null);
    return true;
  }

  private finish(error: (() => string) | null): void {
    this.abort = null;
    this.loading = null;
    this.errorText = error;
    this.onChange();
  }

  /** Stops reading the file being loaded; the data loaded before stays. */
  cancel(): void {
    this.abort?.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  /** Makes `target` the target column; when the table cannot become a dataset with it, the previous target stays. */
  setTarget(target: string, split: SplitOptions): void {
    if (!this.csv) return;
    try {
      datasetFromTable(this.csv.table, {
        target,
        testFraction: split.testFraction,
        seed: split.seed,
        fileName: this.csv.fileName,
      });
      this.errorText = null;
      this.csv = { ...this.csv, target };
    } catch (err) {
      this.errorText = fixed(msg(str`Target ${clipText(target)}: ${describeError(err)}. The previous target stays.`));
    }
    this.onChange();
  }
}
