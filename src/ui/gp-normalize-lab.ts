import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, queryAll, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { currentLocale as getLocale } from './locale';
import type { GpuContext } from '../gpu/context';
import { describeF32Merge } from '../labs/normalize/csv';
import {
  LAB_LIMITS,
  MODE_LABELS,
  absoluteStartRate,
  draftFromState,
  defaultLabState,
  parseLabDraft,
  relativeStartRate,
  sliderRate,
  type LabDraft,
  type LrScale,
  type ParsedLabDraft,
  type PlotName,
} from '../labs/normalize/form';
import { normalizeExportFilename, normalizeExportJsonText, normalizePathsCsv, normalizeSummaryCsv, type NormalizeLabExport } from '../labs/normalize/export';
import { explainNormalization, type NormalizeExplanations } from '../labs/normalize/explain';
import { descentSettingsOf, LabDataset, runBlocked } from '../labs/normalize/inputs';
import {
  CsvSession,
  NormalizeSession,
  settingsKey,
  type DescentSettings,
  type NormalizeJob,
  type NormalizeLabRun,
  type SplitOptions,
} from '../labs/normalize/session';
import type { Dataset, NormalizeMode } from '../labs/normalize/types';
import { decodeNormalizeState, encodeNormalizeState, type NormalizeUrlProblem } from '../labs/normalize/url-state';
import { makeScatterModel, type ScatterModel } from '../viz/scatter-model';
import { featureAxisTitle } from '../labs/normalize/axis-title';
import { downloadBlob } from './download';
import type { GpContourPlot } from './gp-contour-plot';
import type { GpScatterPlot } from './gp-scatter-plot';
import './gp-override-badge'; // custom kernels in use
import { GpuRecoveryController } from './gpu-recovery';
import { renderDataPanel, type NormalizeDataView } from './normalize-data-panel';
import { renderDescentPanel, type NormalizeDescentView } from './normalize-descent-panel';
import { goToControl, nextStep, nextStepControl, renderDeviceNotice, renderLead } from './normalize-explain';
import { renderUrlProblems } from './url-problems';
import { normalizeLabStyles } from './normalize-lab-styles';
import { plotsPng, renderContoursPanel, renderScatterPanel, type NormalizeScatterView } from './normalize-plots';
import { renderNoResults, renderResultsPanel, renderRunBar, renderRunF32Note, type NormalizeResultsView, type NormalizeRunBarView } from './normalize-results';
import { UrlQueryController } from './url-query-controller';
import { prose } from './prose-numbers';

export type { NormalizeLabRun } from '../labs/normalize/session';

/**
 * The Normalization lab: generates (or loads from CSV) a regression dataset, normalizes it four ways on
 * the GPU (raw; (x−μ)/σ; the lecture's (x−μ)/σ²; the test set with its own statistics), draws each mode's
 * cost surface J(w1, w2) as contours with a gradient-descent path over it, and tabulates κ, 2/λmax,
 * steps to converge and test cost. The settings live in the URL (`#/normalization-lab?…`).
 *
 * The element holds the form and derives the dataset; the runs (cancel, progress, device-loss recovery,
 * export) are a NormalizeSession and the CSV file a CsvSession (src/labs/normalize/session.ts, DOM-free);
 * the panels are rendered by the normalize-*.ts view modules into this element's shadow root.
 */
@customElement('gp-normalize-lab')
@localized()
export class GpNormalizeLab
  extends LitElement
  implements NormalizeDataView, NormalizeDescentView, NormalizeRunBarView, NormalizeResultsView, NormalizeScatterView
{
  static override styles = normalizeLabStyles;

  /** The GPU context (from the shell); null while connecting or without WebGPU — then the lab runs on the CPU. */
  @property({ attribute: false }) gpu: GpuContext | null = null;

  @state() draft: LabDraft = draftFromState(defaultLabState());
  /** Where the rate slider stands: the rate field's value while valid, else the last valid one. */
  sliderLr = defaultLabState().lr;
  @state() source: 'generated' | 'csv' = 'generated';
  @state() private urlProblems: NormalizeUrlProblem[] = [];
  /** The link's query the problems above came from (re-read to re-word them after a language switch). */
  private urlQuery = '';
  /** The run on screen (mirrors the session's, so the derived models update with it). */
  @state() shown: NormalizeLabRun | null = null;
  /** Where the learning rate came from after a switch of "how the rate is set" (stated, not silent). */
  @state() lrNote: string | null = null;
  /** The mode whose normalized data the "after" scatter plot shows. */
  @state() afterMode: NormalizeMode = 'standardize';

  @queryAll('gp-contour-plot') private contourPlots!: NodeListOf<GpContourPlot>;
  @queryAll('gp-scatter-plot') private scatterPlots!: NodeListOf<GpScatterPlot>;

  private readonly recovery = new GpuRecoveryController(this, 'resume');
  readonly session = new NormalizeSession({
    recovery: this.recovery,
    onChange: () => {
      this.shown = this.session.shown;
      this.requestUpdate();
    },
    onGpu: (gpu) => {
      if (this.gpu !== gpu) this.gpu = gpu; // without a shell nobody else hands it over
    },
  });
  readonly csv = new CsvSession(() => this.requestUpdate());

  parsed: ParsedLabDraft = { state: null, data: null, problems: {} };
  /** The dataset the next Run uses (kept when the form or a CSV is bad: nothing the user had is lost). */
  private readonly data = new LabDataset();
  scatterBefore: ScatterModel | null = null;
  scatterAfter: ScatterModel | null = null;
  /** The explanations of the run on screen, worded from its own data. */
  explained: NormalizeExplanations | null = null;
  /** The explanations of the loaded dataset (before a run), keyed by the dataset. */
  private loadedExplained: { ds: Dataset; locale: string; e: NormalizeExplanations } | null = null;
  private descentTimer: ReturnType<typeof setTimeout> | null = null;
  /** The language the explanations and chart models were worded in. */
  private modelLocale = '';

  private readonly url = new UrlQueryController(this, 'normalization-lab', (q) => this.loadQuery(q));

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.descentTimer) clearTimeout(this.descentTimer);
    this.session.cancel();
    this.csv.cancel();
  }

  // ---- state ↔ URL -------------------------------------------------------------------------------

  private loadQuery(q: string): void {
    const { state, problems } = decodeNormalizeState(q);
    this.draft = draftFromState(state);
    this.urlProblems = problems;
    this.urlQuery = q;
    this.source = 'generated';
    this.lrNote = null;
  }

  /** The share link's query of the current settings (null while a field is bad). */
  get query(): string | null {
    const s = this.parsed.state;
    if (!s) return null;
    try {
      return encodeNormalizeState(s);
    } catch {
      return null;
    }
  }

  // ---- derived state -----------------------------------------------------------------------------

  get cpuMode(): boolean {
    return !this.gpu;
  }

  get loaded(): Dataset | null {
    return this.data.dataset;
  }

  get loadError(): string | null {
    return this.data.error;
  }

  get pending(): boolean {
    return this.session.running;
  }

  get plots(): readonly PlotName[] {
    return this.draft.plots;
  }

  /** The adapter is a software one (SwiftShader and the like): its GPU timings are CPU timings. */
  get software(): boolean {
    const s = this.gpu?.summary;
    return !!s && (s.isFallbackAdapter || /swiftshader|llvmpipe|warp|software/i.test(`${s.vendor} ${s.architecture} ${s.device} ${s.description}`));
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A language switch re-words the field problems, the explanations and the scatter plots' texts.
    const locale = getLocale();
    const relocalized = locale !== this.modelLocale;
    this.modelLocale = locale;
    if (changed.has('draft') || relocalized) this.parsed = parseLabDraft(this.draft);
    if (changed.has('draft')) this.sliderLr = sliderRate(this.draft.lr, this.draft.lrScale, this.sliderLr);
    // The link's problems in the new language (unless dismissed); the settings read from it stay as edited since.
    if (relocalized && this.urlProblems.length) this.urlProblems = decodeNormalizeState(this.urlQuery).problems;
    this.data.refresh(this.source, this.parsed.data, this.csv.csv, this.split());
    if (changed.has('shown') || changed.has('afterMode') || relocalized) {
      const run = this.shown;
      if (run) {
        const ds = run.dataset;
        if (changed.has('shown') || relocalized) this.explained = explainNormalization(ds, Object.fromEntries(run.runs.map((r) => [r.mode, r.study.kappa])));
        this.scatterBefore = makeScatterModel({
          train: ds.train,
          test: ds.test,
          d: ds.d,
          featureNames: ds.featureNames,
          axisTitle: (f) => featureAxisTitle(f, 'raw'),
          title: msg('Before normalizing'),
        });
        const mode = this.afterMode;
        const after = run.runs.find((r) => r.mode === mode)?.study;
        this.scatterAfter = after
          ? makeScatterModel({
              train: after.train,
              test: after.test,
              d: after.d,
              featureNames: ds.featureNames,
              axisTitle: (f) => featureAxisTitle(f, mode),
              title: msg(str`After: ${MODE_LABELS[this.afterMode]}`),
            })
          : null;
      } else {
        this.scatterBefore = null;
        this.scatterAfter = null;
        this.explained = null;
      }
    }
  }

  /** The form's test fraction and seed, or the defaults while they are bad. */
  private split(): SplitOptions {
    const d = defaultLabState().data;
    return {
      testFraction: this.parsed.data?.testFraction ?? d.testFraction,
      seed: this.parsed.data?.seed ?? d.seed,
    };
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('draft')) {
      this.url.write(this.query);
      this.scheduleDescent();
    }
  }

  // ---- running -----------------------------------------------------------------------------------

  private descentSettings(): DescentSettings | null {
    return descentSettingsOf(this.draft, this.parsed);
  }

  /** Why Run can't start now, or null. */
  get blocked(): string | null {
    const { source, parsed, loaded, loadError, cpuMode } = this;
    return runBlocked({ source, hasCsv: this.csv.csv !== null, parsed, loaded, loadError, descent: this.descentSettings(), cpuMode });
  }

  /** Run is blocked by the CPU fallback's cap on the examples (shown as a refusal). */
  get cpuRefused(): boolean {
    const ds = this.loaded;
    return this.cpuMode && !!ds && ds.train.m + ds.test.m > LAB_LIMITS.cpuMaxM && this.blocked !== null;
  }

  /** Runs all four modes (studies, then descents); resolves when done. No-op while the form is invalid. */
  run(): Promise<void> {
    const settings = this.descentSettings();
    if (this.blocked || !settings || !this.loaded) return Promise.resolve();
    if (this.descentTimer) clearTimeout(this.descentTimer);
    this.url.write(this.query);
    const query = this.source === 'generated' ? this.query : null;
    const csv = this.csv.csv;
    const f32Warnings = this.source === 'csv' && csv ? csv.merges.map(describeF32Merge) : [];
    return this.start({
      kind: 'full',
      gpu: this.gpu,
      dataset: this.loaded,
      settings,
      query,
      f32Warnings,
    });
  }

  private async start(job: NormalizeJob): Promise<void> {
    await this.session.run(job);
    // Settings changed while this ran: bring the descents up to date once the run has settled.
    setTimeout(() => this.scheduleDescent(), 0);
  }

  /** Stops the run in progress; what is on screen stays. */
  cancel(): void {
    this.session.cancel();
  }

  // A learning-rate, steps or tolerance change reruns only the descents (cheap), after a short pause.
  private scheduleDescent(): void {
    if (this.descentTimer) clearTimeout(this.descentTimer);
    this.descentTimer = setTimeout(() => {
      this.descentTimer = null;
      const run = this.shown;
      const s = this.descentSettings();
      if (!run || !s || this.session.running) return;
      if (settingsKey(s) === settingsKey(run.settings)) return;
      void this.start({
        kind: 'descent',
        base: run,
        gpu: run.backend === 'gpu' ? this.gpu : null,
        settings: s,
      });
    }, 250);
  }

  // ---- exports -----------------------------------------------------------------------------------

  /** The export document of the run on screen (what the JSON button saves), or null before any run. */
  exportJson(): NormalizeLabExport | null {
    return this.session.exportDoc(this.gpu?.summary ?? null);
  }

  save(kind: 'json' | 'csv' | 'paths'): void {
    const doc = this.exportJson();
    if (!doc) return;
    if (kind === 'json')
      downloadBlob(this.renderRoot, new Blob([normalizeExportJsonText(doc)], { type: 'application/json' }), normalizeExportFilename(doc, 'json'));
    else if (kind === 'csv')
      downloadBlob(this.renderRoot, new Blob([normalizeSummaryCsv(doc)], { type: 'text/csv' }), normalizeExportFilename(doc, 'csv', 'summary'));
    else downloadBlob(this.renderRoot, new Blob([normalizePathsCsv(doc)], { type: 'text/csv' }), normalizeExportFilename(doc, 'csv', 'paths'));
  }

  /** The contour plots (or the scatter plots) side by side on one canvas, as PNG. */
  plotsPng(which: PlotName): Promise<Blob | null> {
    return which === 'contours'
      ? plotsPng([...this.contourPlots], this.shown?.runs.map((r) => MODE_LABELS[r.mode]) ?? [])
      : plotsPng([...this.scatterPlots], [msg('Before normalizing'), msg(str`After: ${MODE_LABELS[this.afterMode]}`)]);
  }

  savePng(which: PlotName): void {
    const doc = this.exportJson();
    void this.plotsPng(which).then((blob) => {
      if (doc && blob) downloadBlob(this.renderRoot, blob, normalizeExportFilename(doc, 'png', which));
    });
  }

  // ---- events ------------------------------------------------------------------------------------

  setDraft(patch: Partial<LabDraft>): void {
    // A rate typed or slid by hand is no longer the stated starting rate.
    if ('lr' in patch && !('lrScale' in patch)) this.lrNote = null;
    this.draft = { ...this.draft, ...patch };
  }

  setSource(source: 'generated' | 'csv'): void {
    this.source = source;
  }

  setAfterMode(mode: NormalizeMode): void {
    this.afterMode = mode;
  }

  setLrScale(scale: LrScale): void {
    if (scale === this.draft.lrScale) return;
    // Keep the learning rates the modes run with comparable: relative 0.5 ↔ absolute 0.5 × the raw limit.
    const raw = this.shown?.runs.find((r) => r.mode === 'raw')?.study.maxStableLr;
    const cur = Number(this.draft.lr);
    const start = scale === 'absolute' ? absoluteStartRate(cur, raw) : relativeStartRate(cur, raw);
    this.lrNote = start.note;
    this.setDraft({ lrScale: scale, lr: start.lr });
  }

  onFile(e: Event): void {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that choosing the same path again (an edited file) reads it again.
    input.value = '';
    if (!file) return;
    void this.csv.read(file, this.split()).then((replaced) => {
      if (replaced) this.source = 'csv';
    });
  }

  setTarget(target: string): void {
    this.csv.setTarget(target, this.split());
  }

  /** Stops reading the file being loaded; the data loaded before stays. */
  cancelCsv(): void {
    this.csv.cancel();
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    const pending = this.pending;
    const run = this.shown;
    const runState = pending ? 'running' : this.session.runError ? 'error' : run ? 'complete' : 'idle';
    return html`
      <section aria-labelledby="nl-title" data-testid="normalize-lab" data-run-state=${runState}>
        <h2 id="nl-title">${msg('Normalization lab')}</h2>
        ${renderLead()}
        <p class="next" data-testid="next-step">
          <strong>${msg('What to try next:')}</strong>
          ${prose(nextStep(run, this.explainLoaded()))} ${this.renderNextStepJump(run)}
        </p>
        <gp-override-badge .gpu=${this.gpu}></gp-override-badge>
        ${renderUrlProblems(this.urlProblems, () => (this.urlProblems = []))} ${renderDeviceNotice(this.recovery.reconnecting, this.recovery.losses, this.session.switchedOff)}
        <div class="layout">
          <div class="side">${renderDataPanel(this)} ${renderDescentPanel(this)} ${renderRunBar(this)}</div>
          <div class="results">${this.renderResults(run)}</div>
        </div>
      </section>
    `;
  }

  /** A link from the advice to the control it names (on a phone that control is far below). */
  private renderNextStepJump(run: NormalizeLabRun | null) {
    const control = nextStepControl(run);
    if (!control) return nothing;
    return html`<button type="button" class="jump" data-testid="next-step-jump" data-control=${control} @click=${() => goToControl(this.renderRoot, control)}>
      ${msg('go to this setting')}
    </button>`;
  }

  private renderResults(run: NormalizeLabRun | null) {
    if (!run) return renderNoResults(this);
    const stale = this.pending;
    return html`<div class=${stale ? 'stale' : ''} aria-busy=${stale ? 'true' : 'false'}>
      ${stale ? html`<p class="muted">${msg('Previous results, shown until the new run finishes.')}</p>` : nothing} ${renderRunF32Note(run)} ${renderResultsPanel(this, run)}
      ${this.draft.plots.includes('scatter') ? renderScatterPanel(this, run) : nothing}
      ${this.draft.plots.includes('contours') ? renderContoursPanel(run, this.explained, () => [...this.contourPlots].forEach((p) => p.replay())) : nothing}
    </div>`;
  }

  /** The explanations of the dataset the next Run uses (cached per dataset). */
  private explainLoaded(): NormalizeExplanations | null {
    const ds = this.loaded;
    if (!ds) return null;
    const locale = getLocale();
    if (this.loadedExplained?.ds !== ds || this.loadedExplained.locale !== locale) this.loadedExplained = { ds, locale, e: explainNormalization(ds) };
    return this.loadedExplained.e;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-normalize-lab': GpNormalizeLab;
  }
}
