import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { currentLocale } from './locale';
import type { GpuContext } from '../gpu/context';
import { cpuCapProblem } from '../labs/depth/cpu/deep-net-cpu';
import { cpuCapText } from '../labs/cpu-cap-text';
import {
  QUANTITIES,
  VIEWS,
  checkMemory,
  draftFromState,
  closestPreset,
  nextStep,
  parseDraft,
  quantityForView,
  type LabDraft,
  type MemoryCheck,
  type ParsedDraft,
  type Quantity,
} from '../labs/depth/form';
import { exportFilename, exportJsonText, type DepthLabExport } from '../labs/depth/export';
import { PRESETS, presetRun, presetSizeFor, type PresetSize } from '../labs/depth/presets';
import { DEFAULT_COLOR_SCALE, isColorScale, pinnedRowFor, type ColorScale } from '../labs/depth/compare';
import { informativeRow } from '../labs/depth/row-analysis';
import { DepthSession, type LabRun } from '../labs/depth/session';
import { isSoftwareAdapter } from '../gpu/adapter';
import { makeSweepGrid } from '../labs/depth/sweep-grid';
import { decodeState, encodeState, type UrlProblem } from '../labs/depth/url-state';
import type { DraftChangeDetail } from './gp-depth-controls';
import { GpuRecoveryController } from './gpu-recovery';
import type { GpHeatmap } from './gp-heatmap';
import { depthLabStyles } from './depth-lab-styles';
import { renderResults, type ResultsProps } from './depth-lab-results';
import { renderMemory, renderRunBar, type RunBarProps } from './depth-lab-run-bar';
import { LabHeatmaps } from './depth-lab-heatmaps';
import { deviceKind, renderIntro, renderNextStep, renderPresetButtons, renderPresetExplanation, renderPresetSize } from './depth-lab-parts';
import { renderUrlProblems } from './url-problems';
import { UrlQueryController } from './url-query-controller';
import { downloadBlob } from './download';
import { defaultPhaseMapSpec } from '../labs/depth/phase-map';
import { matchPhasePreset, parsePhaseDraft, phaseDraftFromState, presetForm, type ParsedPhaseDraft, type PhaseDraft } from '../labs/depth/phase-map-view/form';
import { decodePhaseMapState, encodePhaseMapState, isPhaseMapQuery } from '../labs/depth/phase-map-view/url-state';
import type { GpPhaseMapPanel } from './gp-phase-map-panel';
import './gp-depth-controls';
import './gp-phase-map-panel';
import './gp-override-badge'; // "custom kernel in use" badge

export type { LabRun } from '../labs/depth/session';

const DEFAULT_PRESET = PRESETS[0];
/** The quantities with a tab: the row selected by default has a line to draw under each. */
const TAB_QUANTITIES = QUANTITIES.map((q) => q.name);

/**
 * The Depth lab: sweeps a deep fully connected net over depth, gain or init on the GPU and shows, per
 * row and layer, how activations and gradients grow or shrink — a heatmap of the sweep, a line chart of
 * one row against its forecast, and where f32 runs out. The whole experiment lives in the URL
 * (`#/depth-lab?…`), so a link reproduces a run, seed included. The element holds the settings and renders;
 * running, cancelling, recovery from a lost device, pinning and exports are the `DepthSession`'s
 * (src/labs/depth/session.ts); the run bar and results panel are template modules (depth-lab-run-bar.ts,
 * depth-lab-results.ts) rendered into this shadow root.
 */
@customElement('gp-depth-lab')
@localized()
export class GpDepthLab extends LitElement {
  static override styles = depthLabStyles;

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
  /** The row picked on the heatmap, or null to follow the most informative row. */
  @state() selectedRow: number | null = null;
  /** The heatmaps' colour scale: one fixed range for every run ('lesson') or this run's ('auto'); in the URL. */
  @state() private colorScale: ColorScale = DEFAULT_COLOR_SCALE;
  /** Time every GPU pass with timestamp queries (slower to encode; the times go into the export). */
  @state() private timing = false;

  /** The gain × depth map's fields (kept while another sweep is chosen), and whether the map is chosen. */
  @state() private phaseDraft: PhaseDraft = phaseDraftFromState({ spec: defaultPhaseMapSpec(), quantity: 'forward' });
  @state() private phaseMode = false;
  /** The phase map panel is running a map (the form and presets wait). */
  @state() private phaseRunning = false;

  @query('gp-heatmap') private heatmap!: GpHeatmap | null;
  /** The phase map's panel (in the page while the map is chosen). */
  @query('gp-phase-map-panel') phasePanel!: GpPhaseMapPanel | null;

  // A device loss mid-sweep: a new device from the shell, and the sweep resumes at its first unfinished row.
  private readonly recovery = new GpuRecoveryController(this, 'resume', 'sweep');
  private readonly session = new DepthSession(this.recovery, () => this.requestUpdate());

  private parsed: ParsedDraft = { state: null, problems: {} };
  private parsedPhase: ParsedPhaseDraft = { state: null, problems: {} };
  private parsedLocale = '';
  /** True once a link, a preset button or an edit chose the settings (the default preset is then left alone). */
  private settingsChosen = false;
  private memory: MemoryCheck | null = null;
  /** Why the CPU fallback refuses the current settings (a cap, needed vs allowed, a suggestion), or null. */
  private cpuRefuse: string | null = null;
  private readonly heatmaps = new LabHeatmaps();

  // A pasted or edited link loads; a bare `#/depth-lab` (the nav link) keeps the current settings and is
  // left as it is — the URL gets the parameters on the next change or Run (the "Link" anchor has them always).
  private readonly url = new UrlQueryController(this, 'depth-lab', (q) => this.loadQuery(q));

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session.cancel(new DOMException('The Depth lab was removed from the page', 'AbortError'));
  }

  /** The run on screen (the last one with at least one row). Settable for tests that show a prepared run. */
  get shown(): LabRun | null {
    return this.session.shown;
  }
  set shown(run: LabRun | null) {
    this.session.shown = run;
    this.requestUpdate();
  }

  // ---- state ↔ URL -------------------------------------------------------------------------------

  /** Restores every control from a `#/depth-lab?…` query; bad params are listed and default only their field. */
  private loadQuery(q: string): void {
    this.settingsChosen = true;
    this.phaseMode = isPhaseMapQuery(q);
    const phase = this.phaseMode ? decodePhaseMapState(q, { views: VIEWS }) : null;
    const { state, problems } = phase ? { state: phase.state.base, problems: phase.problems } : decodeState(q, { views: VIEWS });
    if (phase) this.phaseDraft = phaseDraftFromState(phase.state);
    this.draft = draftFromState(state);
    this.quantity = quantityForView(state.view);
    this.colorScale = state.scale && isColorScale(state.scale) ? state.scale : DEFAULT_COLOR_SCALE;
    this.urlProblems = problems;
    this.linkProblems = { query: q, locale: currentLocale() };
  }

  /** The link the shown problems come from, and the language they were worded in. */
  private linkProblems: { query: string; locale: string } | null = null;

  /** The problems of the link `q` in the language shown now (the settings read from it stay as edited since). */
  private rewordLinkProblems(): void {
    const link = this.linkProblems;
    if (!link || link.locale === currentLocale()) return;
    this.linkProblems = { query: link.query, locale: currentLocale() };
    if (this.urlProblems.length === 0) return; // dismissed
    this.urlProblems = isPhaseMapQuery(link.query)
      ? decodePhaseMapState(link.query, { views: VIEWS }).problems
      : decodeState(link.query, { views: VIEWS }).problems;
  }

  /** The URL query for the current (valid) controls, or null while any field is bad. */
  private currentQuery(): string | null {
    if (this.phaseMode) return this.parsedPhase.state ? encodePhaseMapState(this.parsedPhase.state) : null;
    const s = this.parsed.state;
    return s ? encodeState({ ...s, view: this.quantity.view, scale: this.colorScale }) : null;
  }

  // ---- derived state -----------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues): void {
    // A link's problems in the language shown: the first page may read its link before the language's texts
    // have loaded, and the learner may switch language.
    this.rewordLinkProblems();
    // The first preset opens at the size this device runs in seconds, unless a link or the learner chose settings.
    if ((changed.has('gpu') || changed.has('cpuFallback')) && !this.settingsChosen && (this.gpu || this.cpuFallback)) {
      const run = presetRun(DEFAULT_PRESET, this.presetSize);
      this.draft = draftFromState({ config: { ...run.config }, sweep: structuredClone(run.sweep) });
    }
    // Field problems and size checks are texts in the language shown: a language switch redoes them.
    if (changed.has('draft') || changed.has('phaseDraft') || changed.has('gpu') || changed.has('cpuFallback') || this.parsedLocale !== currentLocale()) {
      this.parsedLocale = currentLocale();
      this.parsed = parseDraft(this.draft);
      this.parsedPhase = parsePhaseDraft(this.draft, this.phaseDraft);
      const st = this.parsed.state;
      this.memory = st ? checkMemory(st, this.gpu?.summary.limits ?? null) : null;
      const cap = st && this.onCpu ? cpuCapProblem(makeSweepGrid(st.config, st.sweep).map((r) => r.config)) : null;
      this.cpuRefuse = cap ? msg(str`Too big for the CPU fallback: ${cpuCapText(cap)}`) : null;
    }
    this.heatmaps.update(this.session, this.quantity, this.colorScale);
  }

  protected override updated(changed: PropertyValues): void {
    // Valid controls are mirrored into the URL (replaceState: no history entry per keystroke), on this lab's route only.
    if (['draft', 'quantity', 'colorScale', 'phaseDraft', 'phaseMode'].some((k) => changed.has(k))) this.url.write(this.currentQuery());
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
    return this.onCpu ? this.cpuRefuse : (this.memory?.refuse ?? null);
  }

  private get timingOn(): boolean {
    return this.timing && !!this.gpu?.hasTimestamps;
  }

  /** Starts a sweep of the current controls (what Run does); resolves when it ends. No-op while invalid. */
  async run(): Promise<void> {
    if (this.phaseMode) return this.phasePanel?.run();
    const s = this.parsed.state;
    if ((!this.gpu && !this.onCpu) || !s || this.refusal || this.session.running) return;
    const query = this.currentQuery()!;
    this.url.write(query);
    this.selectedRow = null;
    await this.session.run(this.gpu, { base: s.config, spec: s.sweep }, query, this.timingOn);
  }

  /** The run on screen stopped early (error or Cancel) and can continue from its first unfinished row. */
  get resumable(): boolean {
    return this.session.resumable && (!!this.gpu || this.onCpu);
  }

  /** Continues the run on screen from its first unfinished row, keeping its finished rows (what Resume does). */
  async resume(): Promise<void> {
    if (!this.resumable || this.session.running) return;
    this.selectedRow = null;
    await this.session.resume(this.gpu, this.timingOn);
  }

  /** Stops the running sweep after the row in flight; finished rows stay. */
  cancel(): void {
    this.session.cancel();
  }

  // ---- exports -----------------------------------------------------------------------------------

  /** The export document of the run on screen (what the JSON button saves), or null before any run. */
  exportJson(): DepthLabExport | null {
    return this.session.exportJson(this.gpu?.summary ?? null);
  }

  /** The CSV text of the run on screen (see `exportCsv` for the format), or null. */
  exportCsvText(): string | null {
    return this.session.exportCsvText(this.gpu?.summary ?? null);
  }

  private async save(format: 'json' | 'csv' | 'png'): Promise<void> {
    const run = this.session.shown;
    if (!run) return;
    const name = exportFilename(run.sweep, format);
    const doc = format === 'json' ? this.exportJson() : null;
    const csv = format === 'csv' ? this.exportCsvText() : null;
    if (doc) downloadBlob(this.renderRoot, new Blob([exportJsonText(doc)], { type: 'application/json' }), name);
    else if (csv) downloadBlob(this.renderRoot, new Blob([csv], { type: 'text/csv' }), name);
    else if (format === 'png' && this.heatmap) downloadBlob(this.renderRoot, await this.heatmap.toPngBlob(), name);
  }

  // ---- events ------------------------------------------------------------------------------------

  private onDraftChange(e: CustomEvent<DraftChangeDetail>): void {
    this.settingsChosen = true;
    this.draft = e.detail.draft;
    if (e.detail.phase) this.phaseDraft = e.detail.phase;
    this.phaseMode = e.detail.phaseMode ?? false;
  }

  private applyPreset(id: string, size: PresetSize = this.presetSize): void {
    const form = presetForm(id, size, this.phaseDraft.ratio);
    if (!form) return;
    this.settingsChosen = true;
    this.draft = form.draft;
    this.phaseMode = !!form.phase;
    if (form.phase) this.phaseDraft = form.phase;
  }

  // ---- rendering ---------------------------------------------------------------------------------

  override render() {
    const pending = this.session.running || this.phaseRunning;
    const phase = this.phaseMode;
    const close = phase ? this.closePhasePreset() : closestPreset(this.parsed.state);
    const { shown, lastEnd } = this.session;
    const lastResult = shown?.results[shown.results.length - 1] ?? null;
    const runState = pending ? 'running' : (lastEnd?.outcome ?? (shown ? 'complete' : 'idle'));
    const here = { presetSize: this.presetSize, onCpu: this.onCpu, pending };
    return html`
      <section aria-labelledby="dl-title" data-testid="depth-lab" data-run-state=${runState}>
        ${renderIntro(this.onCpu)}
        ${renderNextStep(phase ? null : nextStep(close?.preset.id, lastResult))}
        <gp-override-badge .gpu=${this.gpu}></gp-override-badge>
        ${renderUrlProblems(this.urlProblems, () => (this.urlProblems = []))} ${this.recovery.render()}
        ${renderPresetButtons(close?.exact ? close.preset.id : undefined, pending, (id) => this.applyPreset(id))}
        ${renderPresetExplanation(close)}
        ${close?.exact ? renderPresetSize(close.preset, close.size ?? 'full', here, (id, size) => this.applyPreset(id, size)) : nothing}
        <div class="layout">
          <div class="side">
            <gp-depth-controls
              .draft=${this.draft}
              .problems=${this.parsed.problems}
              .phase=${this.phaseDraft}
              .phaseProblems=${this.parsedPhase.problems}
              ?phase-mode=${phase}
              ?disabled=${pending}
              @draft-change=${this.onDraftChange}
            ></gp-depth-controls>
            ${phase ? nothing : this.renderRunBar(pending)}
          </div>
          <div class="results">
            ${
              phase
                ? html`<gp-phase-map-panel
                    .gpu=${this.gpu}
                    ?cpu-fallback=${this.cpuFallback}
                    .state=${this.parsedPhase.state}
                    .query=${this.currentQuery()}
                    quantity=${this.phaseDraft.ratio}
                    @phase-running=${(e: CustomEvent<boolean>) => (this.phaseRunning = e.detail)}
                  ></gp-phase-map-panel>`
                : this.renderResults(pending)
            }
          </div>
        </div>
      </section>
    `;
  }

  /** The phase map preset the settings equal (at either size), as `closestPreset` says it for sweeps. */
  private closePhasePreset() {
    const m = matchPhasePreset(this.parsedPhase.state);
    return m ? { preset: m.preset, exact: true, size: m.size } : undefined;
  }

  private renderRunBar(pending: boolean) {
    const s = this.parsed.state;
    const run = this.session.shown;
    const props: RunBarProps = {
      pending,
      ready: !!this.gpu || this.onCpu,
      onCpu: this.onCpu,
      state: s,
      rows: s ? makeSweepGrid(s.config, s.sweep).length : 0,
      memory: this.memory,
      cpuRefuse: this.cpuRefuse,
      refusal: this.refusal,
      query: s ? this.currentQuery() : null,
      resumeAt: this.resumable && run ? run.results.length + 1 : null,
      canTime: !!this.gpu?.hasTimestamps,
      timing: this.timing,
      progress: this.session.progress,
      total: this.session.current?.total ?? 0,
      lastEnd: this.session.lastEnd,
      hasShown: !!run,
    };
    return html`${renderMemory(props)}
    ${renderRunBar(props, {
      run: () => void this.run(),
      cancel: () => this.cancel(),
      resume: () => void this.resume(),
      timing: (on) => (this.timing = on),
    })}`;
  }

  private renderResults(pending: boolean) {
    const run = this.session.shown;
    const pin = this.session.pinned;
    const n = run?.results.length ?? 0;
    // Until the learner picks a row: the deepest one whose every quantity is finite on most layers. Not the
    // shown quantity's alone: then switching the quantity tab moved the selection to another net.
    const sel = run ? (this.selectedRow !== null && this.selectedRow < n ? this.selectedRow : informativeRow(run.results, TAB_QUANTITIES)) : 0;
    const summary = this.gpu?.summary;
    const props: ResultsProps = {
      run,
      pending,
      stale: pending && run !== this.session.current,
      quantity: this.quantity,
      heatmapData: this.heatmaps.data,
      pinnedData: this.heatmaps.pinned,
      domain: this.heatmaps.domain,
      colorScale: this.colorScale,
      pinned: pin,
      selected: sel,
      pinnedRow: pin && run ? pinnedRowFor(pin, run.results[sel] ?? null, sel) : null,
      device: deviceKind(summary, this.onCpu),
    };
    return renderResults(props, {
      quantity: (q) => (this.quantity = q),
      colorScale: (v) => {
        if (isColorScale(v)) this.colorScale = v;
      },
      pin: () => this.session.pin(),
      unpin: () => this.session.unpin(),
      selectRow: (row) => (this.selectedRow = row),
      save: (format) => void this.save(format),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-depth-lab': GpDepthLab;
  }
}
