import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { currentLocale } from './locale';
import type { GpuContext } from '../gpu/context';
import { cpuCapProblem } from '../labs/depth/cpu/deep-net-cpu';
import {
  VIEWS,
  checkMemory,
  draftFromState,
  closestPreset,
  describeSmallSize,
  makeLabHeatmapData,
  nextStep,
  parseDraft,
  quantityForView,
  type LabDraft,
  type MemoryCheck,
  type ParsedDraft,
  type Quantity,
} from '../labs/depth/form';
import { exportFilename, exportJsonText, type DepthLabExport } from '../labs/depth/export';
import { PRESETS, presetRun, presetSizeFor, type Preset, type PresetSize } from '../labs/depth/presets';
import { DEFAULT_COLOR_SCALE, heatmapDomain, isColorScale, pinnedRowFor, type ColorScale } from '../labs/depth/compare';
import { informativeRow } from '../labs/depth/row-analysis';
import { DepthSession, type LabRun } from '../labs/depth/session';
import { isSoftwareAdapter } from '../gpu/adapter';
import { makeSweepGrid } from '../labs/depth/sweep-grid';
import { decodeState, encodeState, type UrlProblem } from '../labs/depth/url-state';
import type { HeatmapData } from '../viz/heatmap-model';
import type { LogDomain } from '../viz/ticks';
import type { DraftChangeDetail } from './gp-depth-controls';
import { GpuRecoveryController } from './gpu-recovery';
import type { GpHeatmap } from './gp-heatmap';
import { depthLabStyles } from './depth-lab-styles';
import { renderResults, type ResultsProps } from './depth-lab-results';
import { renderMemory, renderRunBar, type RunBarProps } from './depth-lab-run-bar';
import { UrlQueryController } from './url-query-controller';
import { downloadBlob } from './download';
import './gp-depth-controls';
import './gp-override-badge'; // "custom kernel in use" badge

export type { LabRun } from '../labs/depth/session';

const DEFAULT_PRESET = PRESETS[0];

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

  @query('gp-heatmap') private heatmap!: GpHeatmap | null;

  // A device loss mid-sweep: a new device from the shell, and the sweep resumes at its first unfinished row.
  private readonly recovery = new GpuRecoveryController(this, 'resume', 'sweep');
  private readonly session = new DepthSession(this.recovery, () => this.requestUpdate());

  private parsed: ParsedDraft = { state: null, problems: {} };
  private parsedLocale = '';
  /** True once a link, a preset button or an edit chose the settings (the default preset is then left alone). */
  private settingsChosen = false;
  private memory: MemoryCheck | null = null;
  /** Why the CPU fallback refuses the current settings (a cap, needed vs allowed, a suggestion), or null. */
  private cpuRefuse: string | null = null;
  private heatmapData: HeatmapData | null = null;
  private heatmapDomain: LogDomain | null = null;
  private pinnedData: HeatmapData | null = null;
  /** What `shown`, `pinned` and the quantity were when the heatmap data was last made. */
  private madeFor: unknown[] = [];

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

  // ---- derived state -----------------------------------------------------------------------------

  protected override willUpdate(changed: PropertyValues): void {
    // The first preset opens at the size this device runs in seconds, unless a link or the learner chose settings.
    if ((changed.has('gpu') || changed.has('cpuFallback')) && !this.settingsChosen && (this.gpu || this.cpuFallback)) {
      const run = presetRun(DEFAULT_PRESET, this.presetSize);
      this.draft = draftFromState({ config: { ...run.config }, sweep: structuredClone(run.sweep) });
    }
    // Field problems and size checks are texts in the language shown: a language switch redoes them.
    if (changed.has('draft') || changed.has('gpu') || changed.has('cpuFallback') || this.parsedLocale !== currentLocale()) {
      this.parsedLocale = currentLocale();
      this.parsed = parseDraft(this.draft);
      const st = this.parsed.state;
      this.memory = st ? checkMemory(st, this.gpu?.summary.limits ?? null) : null;
      const cap = st && this.onCpu ? cpuCapProblem(makeSweepGrid(st.config, st.sweep).map((r) => r.config)) : null;
      this.cpuRefuse = cap ? msg(str`Too big for the CPU fallback: ${cap.message.replace(/^\w+: /, '')}`) : null;
    }
    const { shown, pinned } = this.session;
    const key = [shown, pinned, this.quantity, this.colorScale, currentLocale()]; // titles are made in the language shown
    if (key.some((k, i) => k !== this.madeFor[i])) {
      this.madeFor = key;
      this.heatmapData = shown ? makeLabHeatmapData(shown.results, this.quantity, shown.sweep.spec.kind, shown.cols) : null;
      this.pinnedData = pinned ? makeLabHeatmapData(pinned.results, this.quantity, pinned.kind, pinned.cols) : null;
      this.heatmapDomain = heatmapDomain(this.colorScale, this.heatmapData, this.pinnedData);
    }
  }

  protected override updated(changed: PropertyValues): void {
    // Valid controls are mirrored into the URL (replaceState: no history entry per keystroke), on this lab's route only.
    if (changed.has('draft') || changed.has('quantity') || changed.has('colorScale')) this.url.write(this.currentQuery());
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
    if (format === 'json') {
      const doc = this.exportJson();
      if (doc) downloadBlob(this.renderRoot, new Blob([exportJsonText(doc)], { type: 'application/json' }), name);
    } else if (format === 'csv') {
      const csv = this.exportCsvText();
      if (csv) downloadBlob(this.renderRoot, new Blob([csv], { type: 'text/csv' }), name);
    } else if (this.heatmap) {
      downloadBlob(this.renderRoot, await this.heatmap.toPngBlob(), name);
    }
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
    const pending = this.session.running;
    const close = closestPreset(this.parsed.state);
    const preset = close?.exact ? close.preset : undefined;
    const { shown, lastEnd } = this.session;
    const lastResult = shown?.results[shown.results.length - 1] ?? null;
    const runState = pending ? 'running' : (lastEnd?.outcome ?? (shown ? 'complete' : 'idle'));
    return html`
      <section aria-labelledby="dl-title" data-testid="depth-lab" data-run-state=${runState}>
        <h2 id="dl-title">
          ${msg('Depth lab')}
          ${
            this.onCpu
              ? html`<span class="badge" data-testid="cpu-badge" title=${msg('No WebGPU in this browser: sweeps run in float64 JavaScript on the CPU, with size caps')}
                >${msg('CPU fallback')}</span
              >`
              : nothing
          }
        </h2>
        <p class="lead" data-testid="lead">
          ${msg(`Each row of the heatmap is one deep network and each column one of its layers, coloured by how big the chosen
          quantity is there. With W = 1.5·I every layer multiplies the signal by 1.5, so it grows as 1.5^l until the GPU's
          numbers run out near layer 219; with W = 0.5·I it shrinks as 0.5^l and becomes exactly 0 near layer 150. Pick a
          preset, press Run sweep, and compare with Xavier or He init, which keep the signal steady.`)}
        </p>
        ${this.onCpu ? this.renderCpuNote() : nothing}
        <p class="next" data-testid="next-step"><strong>${msg('What to try next:')}</strong> ${nextStep(close?.preset.id, lastResult)}</p>
        <gp-override-badge .gpu=${this.gpu}></gp-override-badge>
        ${this.renderUrlProblems()} ${this.recovery.render()}
        <div class="presets" role="group" aria-label=${msg('Presets')}>
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
          ${
            close
              ? html`<strong>${close.exact ? close.preset.title : msg(str`A variation of “${close.preset.title}” (other sizes, seed or sweep)`)}.</strong>
                ${presetRun(close.preset, close.size ?? 'full').explanation}`
              : msg('Custom settings (no preset matches them). Pick a preset to start from a known experiment.')
          }
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
            ${this.renderRunBar(pending)}
          </div>
          <div class="results">${this.renderResults(pending)}</div>
        </div>
      </section>
    `;
  }

  private renderCpuNote() {
    return html`<div class="cpu-note" role="note" data-testid="cpu-note">
      ${msg(html`<strong>CPU fallback:</strong> this browser has no WebGPU, so the sweeps run on the CPU with the float64 reference
      (the same forward and backward pass), at capped sizes.`)}
      <details>
        <summary>${msg('Details')}</summary>
        ${msg(`Values are classified with the same f32 thresholds (|v| > 1e38 is overflow, norms < 1e-37 underflow), but
        float64 itself does not overflow there, so the NaNs a GPU shows after f32 overflows do not appear. Caps: width ≤
        256, and the work per row and per sweep.`)}
      </details>
    </div>`;
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
    // Until the learner picks a row: the deepest one whose shown quantity is finite on most layers.
    const sel = run ? (this.selectedRow !== null && this.selectedRow < n ? this.selectedRow : informativeRow(run.results, this.quantity.name)) : 0;
    const summary = this.gpu?.summary;
    const props: ResultsProps = {
      run,
      pending,
      stale: pending && run !== this.session.current,
      quantity: this.quantity,
      heatmapData: this.heatmapData,
      pinnedData: this.pinnedData,
      domain: this.heatmapDomain,
      colorScale: this.colorScale,
      pinned: pin,
      selected: sel,
      pinnedRow: pin && run ? pinnedRowFor(pin, run.results[sel] ?? null, sel) : null,
      device: this.onCpu
        ? { kind: 'cpu' }
        : summary &&
            (summary.isFallbackAdapter ||
              /swiftshader|llvmpipe|warp|software/i.test(`${summary.vendor} ${summary.architecture} ${summary.device} ${summary.description}`))
          ? { kind: 'software', name: summary.description || summary.device }
          : { kind: 'gpu' },
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

  /** Which size of the preset is loaded, why, and a button to the other size. */
  private renderPresetSize(p: Preset, size: PresetSize, pending: boolean) {
    const where = this.onCpu ? msg('the CPU fallback') : msg('this software adapter (it runs on your CPU)');
    if (size === 'small') {
      return html`<p class="preset-size" data-testid="preset-size" data-size="small">
        ${msg(str`Smaller version for ${this.presetSize === 'small' ? where : msg('a quick look')}, so it answers in seconds: ${describeSmallSize(p)}.`)}
        ${msg('A GPU runs the full size.')}
        ${
          this.onCpu
            ? nothing
            : html`<button type="button" data-testid="preset-full" ?disabled=${pending} @click=${() => this.applyPreset(p.id, 'full')}>${msg('Use the full size')}</button>`
        }
      </p>`;
    }
    if (this.presetSize === 'full') return nothing;
    return html`<p class="preset-size" data-testid="preset-size" data-size="full">
      ${msg(str`Full size: on ${where} this takes a minute or more.`)}
      <button type="button" data-testid="preset-small" ?disabled=${pending} @click=${() => this.applyPreset(p.id, 'small')}>${msg('Use the quick size')}</button>
    </p>`;
  }

  private renderUrlProblems() {
    if (this.urlProblems.length === 0) return nothing;
    return html`<div class="notice" role="alert" data-testid="url-problems">
      ${msg(html`<strong>Some settings in this link could not be used</strong>; defaults were used for those fields only:`)}
      <ul>
        ${this.urlProblems.map((p) => html`<li data-param=${p.param}><code>${p.param}</code> ${p.message}</li>`)}
      </ul>
      <button type="button" @click=${() => (this.urlProblems = [])}>${msg('Dismiss')}</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-depth-lab': GpDepthLab;
  }
}
