import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { GpuContext } from '../gpu/context';
import { cpuCapProblem } from '../labs/depth/cpu/deep-net-cpu';
import { cpuCapText } from '../labs/cpu-cap-text';
import { checkMemory } from '../labs/depth/form';
import { phaseMapConfigs, phaseMapSweep, type PhaseMap, type PhaseQuantity } from '../labs/depth/phase-map';
import { makePhaseMapExport, phaseMapCsv, phaseMapFilename, phaseMapJsonText, phaseMapsOf, type PhaseMapExport } from '../labs/depth/phase-map-view/export';
import { decodePhaseMapState, type PhaseMapState } from '../labs/depth/phase-map-view/url-state';
import { DepthSession, type LabRun } from '../labs/depth/session';
import type { ExperimentState } from '../labs/depth/url-state';
import { formatNumber } from '../locale-format';
import { depthLabStyles } from './depth-lab-styles';
import { renderMemory, renderRunBar, type RunBarProps } from './depth-lab-run-bar';
import { downloadBlob } from './download';
import { GpuRecoveryController } from './gpu-recovery';
import { phaseQuantityLabel, type GpPhaseMap } from './gp-phase-map';
import './gp-phase-map';
import { prose } from './prose-numbers';

/**
 * The Depth lab's gain × depth phase map: runs the map (one run of the deepest net per gain, through the
 * lab's DepthSession: progress with time left, Cancel keeping finished gains, device-loss recovery, the CPU
 * fallback), draws it with <gp-phase-map>, says in plain words what it shows, and exports JSON/CSV (the
 * CLI's format) and PNG. The settings come from the lab's form (`state`, `query`).
 */
@customElement('gp-phase-map-panel')
@localized()
export class GpPhaseMapPanel extends LitElement {
  static override styles = [
    depthLabStyles,
    css`
      :host {
        display: block;
      }
      .exports {
        display: flex;
        gap: 0.4rem;
        flex-wrap: wrap;
        margin: 0.5rem 0;
      }
      .summary {
        font-weight: 500;
      }
    `,
  ];

  @property({ attribute: false }) gpu: GpuContext | null = null;
  @property({ type: Boolean, attribute: 'cpu-fallback' }) cpuFallback = false;
  /** The map the form describes, or null while a field is bad. */
  @property({ attribute: false }) state: PhaseMapState | null = null;
  /** Its share-link query (`encodePhaseMapState`), or null. */
  @property({ attribute: false }) query: string | null = null;
  /** The ratio to show (the form's; kept while a field is bad). */
  @property() quantity: PhaseQuantity = 'forward';

  private readonly recovery = new GpuRecoveryController(this, 'resume', 'sweep');
  private readonly session = new DepthSession(this.recovery, () => this.changed());
  private wasRunning = false;

  // Re-renders, and tells the lab when a map starts or stops running (its form and presets wait meanwhile).
  private changed(): void {
    this.requestUpdate();
    if (this.session.running !== this.wasRunning) {
      this.wasRunning = this.session.running;
      this.dispatchEvent(new CustomEvent('phase-running', { detail: this.wasRunning, bubbles: false }));
    }
  }
  @query('gp-phase-map') private chart!: GpPhaseMap | null;

  private sweepState: ExperimentState | null = null;
  private refuse: string | null = null;
  private memory: ReturnType<typeof checkMemory> | null = null;
  private madeFor: unknown[] = [];
  private maps: Record<PhaseQuantity, PhaseMap> | null = null;
  private shownState: PhaseMapState | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session.cancel(new DOMException('The phase map was removed from the page', 'AbortError'));
  }

  get onCpu(): boolean {
    return !this.gpu && this.cpuFallback;
  }

  /** The run on screen (its rows are the finished gains). */
  get shown(): LabRun | null {
    return this.session.shown;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('state') || changed.has('gpu') || changed.has('cpuFallback')) {
      const s = this.state;
      const sweep = s ? phaseMapSweep(s.base.config, s.spec) : null;
      this.sweepState = sweep ? { config: sweep.base, sweep: sweep.spec } : null;
      this.memory = this.sweepState ? checkMemory(this.sweepState, this.gpu?.summary.limits ?? null) : null;
      const cap = s && this.onCpu ? cpuCapProblem(phaseMapConfigs(s.base.config, s.spec)) : null;
      this.refuse = this.onCpu ? (cap ? msg(str`Too big for the CPU fallback: ${cpuCapText(cap)}`) : null) : (this.memory?.refuse ?? null);
    }
    const run = this.session.shown;
    if (run !== this.madeFor[0]) {
      this.madeFor = [run];
      this.shownState = run ? decodePhaseMapState(run.query).state : null;
      this.maps =
        run && this.shownState
          ? phaseMapsOf(
              this.shownState.base.config,
              this.shownState.spec,
              run.results.map((r) => r.run),
            )
          : null;
    }
  }

  /** Runs the map of the current settings; resolves when it ends. No-op while invalid, refused or running. */
  async run(): Promise<void> {
    const s = this.state;
    if ((!this.gpu && !this.onCpu) || !s || !this.query || this.refuse || this.session.running) return;
    await this.session.run(this.gpu, phaseMapSweep(s.base.config, s.spec), this.query, false);
  }

  /** Stops after the gain in flight; finished gains stay. */
  cancel(): void {
    this.session.cancel();
  }

  /** Continues the map on screen from its first unfinished gain. */
  async resume(): Promise<void> {
    if (this.session.resumable && (this.gpu || this.onCpu)) await this.session.resume(this.gpu, false);
  }

  /** The export document of the map on screen (what the JSON button saves; the CLI's format), or null. */
  exportJson(): PhaseMapExport | null {
    const run = this.session.shown;
    const s = this.shownState;
    if (!run || !s) return null;
    return makePhaseMapExport({
      config: s.base.config,
      spec: s.spec,
      runs: run.results.map((r) => r.run),
      outcome: run.outcome,
      device: this.onCpu ? null : (this.gpu?.summary ?? null),
      wallMs: run.wallMs,
      query: run.query,
    });
  }

  exportCsvText(): string | null {
    const doc = this.exportJson();
    return doc ? phaseMapCsv(doc) : null;
  }

  private async save(format: 'json' | 'csv' | 'png'): Promise<void> {
    const doc = this.exportJson();
    const s = this.shownState;
    if (!doc || !s) return;
    const name = phaseMapFilename(s.base.config, s.spec, format);
    if (format === 'json') downloadBlob(this.renderRoot, new Blob([phaseMapJsonText(doc)], { type: 'application/json' }), name);
    else if (format === 'csv') downloadBlob(this.renderRoot, new Blob([phaseMapCsv(doc)], { type: 'text/csv' }), name);
    else if (this.chart) downloadBlob(this.renderRoot, await this.chart.toPngBlob(), name);
  }

  private renderSummary(map: PhaseMap, run: LabRun) {
    let deepest = map.depths.length - 1;
    while (deepest >= 0 && map.measuredGain[deepest] === null) deepest--;
    const fmt = (v: number) => formatNumber(v, { maximumSignificantDigits: 3 });
    const measured =
      deepest < 0
        ? msg('The ratio does not cross 1 within these gains at any depth.')
        : msg(str`At depth ${map.depths[deepest]} the ratio crosses 1 at gain ${fmt(map.measuredGain[deepest]!)}.`);
    const predicted =
      map.predictedGain === null
        ? msg('Theory gives no critical gain for this init and activation.')
        : map.predictedGain < map.gains[0] || map.predictedGain > map.gains[map.gains.length - 1]
          ? msg(str`Theory predicts gain ${fmt(map.predictedGain)}, outside the gains mapped.`)
          : msg(str`Theory predicts gain ${fmt(map.predictedGain)}.`);
    return html`<p class="summary" data-testid="phase-summary">
      ${prose(msg(str`${run.results.length} of ${run.total} gains measured.`))} ${prose(measured)} ${prose(predicted)}
    </p>`;
  }

  override render() {
    const pending = this.session.running;
    const run = this.session.shown;
    const s = this.state;
    const props: RunBarProps = {
      pending,
      ready: !!this.gpu || this.onCpu,
      onCpu: this.onCpu,
      state: this.sweepState,
      rows: s ? s.spec.gains.length : 0,
      memory: this.memory,
      cpuRefuse: this.onCpu ? this.refuse : null,
      refusal: this.refuse,
      query: this.query,
      resumeAt: !pending && this.session.resumable && run ? run.results.length + 1 : null,
      canTime: false,
      timing: false,
      progress: this.session.progress,
      total: this.session.current?.total ?? 0,
      lastEnd: this.session.lastEnd,
      hasShown: !!run,
    };
    const map = this.maps?.[this.quantity] ?? null;
    const runState = pending ? 'running' : (this.session.lastEnd?.outcome ?? (run ? 'complete' : 'idle'));
    return html`<div data-testid="phase-panel" data-run-state=${runState}>
      <p class="lead" data-testid="phase-note">
        ${msg(`Each cell is one net: its gain across, its depth down, coloured by how many powers of ten it grew (brown) or shrank
        (teal) the signal from input to layer L (forward ratio) or the gradient from layer L back to layer 1 (backward ratio).
        The dashed line is the gain theory predicts keeps them steady, and the dots are where this run's ratio crosses 1.
        Weight gradients ‖∂J/∂W[l]‖ are not mapped: in linear and ReLU nets they are about equal across layers (the forward and
        backward factors cancel), so their overall size and the update ratio are what training feels.`)}
      </p>
      ${this.recovery.render()} ${renderMemory(props)}
      ${renderRunBar(props, { run: () => void this.run(), cancel: () => this.cancel(), resume: () => void this.resume(), timing: () => {} })}
      ${
        map && run && this.shownState
          ? html`<h3>${phaseQuantityLabel(this.quantity)}</h3>
              ${this.renderSummary(map, run)}
              <gp-phase-map .map=${map} quantity=${this.quantity}></gp-phase-map>
              <div class="exports">
                <span class="muted">${msg('Export:')}</span>
                <button type="button" data-testid="phase-export-json" @click=${() => void this.save('json')}>JSON</button>
                <button type="button" data-testid="phase-export-csv" @click=${() => void this.save('csv')}>CSV</button>
                <button type="button" data-testid="phase-export-png" @click=${() => void this.save('png')}>${msg('Phase map PNG')}</button>
                <span class="muted">${msg('The same files as the command line’s sweep --sweep gain-depth.')}</span>
              </div>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-phase-map-panel': GpPhaseMapPanel;
  }
}
