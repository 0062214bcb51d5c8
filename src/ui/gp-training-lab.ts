import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { InputError } from '../errors';
import type { GpuContext } from '../gpu/context';
import { isSoftwareAdapter } from '../gpu/adapter';
import { ACTIVATIONS } from '../kernels/activations';
import { activationName } from '../labs/activation-name';
import { LESSON_DOMAIN } from '../labs/depth/compare';
import { presetSizeFor } from '../labs/depth/presets';
import { validateTrainConfig, OPTIMIZERS, optimizerName } from '../labs/training/config';
import { trainRunsToCsv, trainRunsToJson } from '../labs/training/export';
import { findTrainPreset, presetOfSettings, TRAIN_PRESETS, trainPresetConfig, type TrainPreset } from '../labs/training/presets';
import { TRAIN_LAYER_STATS, type TrainLayerStat } from '../labs/training/types';
import {
  decodeTrainState,
  encodeTrainState,
  formatInits,
  parseInits,
  DEFAULT_TRAIN_LAB_STATE,
  type TrainLabState,
  type TrainUrlProblem,
} from '../labs/training/url-state';
import type { HeatmapData } from '../viz/heatmap-model';
import { downloadBlob } from './download';
import { GpuRecoveryController } from './gpu-recovery';
import { base, view } from './shared-styles';
import { progressText, TrainingController } from './training-controller';
import { UrlQueryController } from './url-query-controller';
import { currentLocale } from './locale';
import { lineChartPngBlob, PALETTE, type GpLineChart, type LineSeries } from './gp-line-chart';
import type { GpHeatmap } from './gp-heatmap';
import { baselineReference, lossCurves, lossLegendKeys, lossXTitle } from '../labs/training/compare';
import { coincideNotes, initLabel, summarizeRun } from '../labs/training/summary';
import { statLabel, trainHeatmapData } from './training-heatmap';
import './gp-line-chart';
import './gp-heatmap';
import { prose } from './prose-numbers';
import { renderUrlProblems } from './url-problems';

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
/** 10 to an integer power in plain text: 10⁻⁴⁰. */
function power10(e: number): string {
  return `10${[...String(e)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** Numeric fields of the form: config field, label (in the language shown). */
const NUMBER_FIELDS = [
  ['depth', () => msg('Depth L')],
  ['width', () => msg('Width n')],
  ['batch', () => msg('Batch m')],
  ['trainSize', () => msg('Training set size')],
  ['lr', () => msg('Learning rate η')],
  ['steps', () => msg('Steps')],
  ['evalEvery', () => msg('Held-out loss every k steps')],
  ['seed', () => msg('Seed')],
] as const;

/** A problem with one field, shown as "field: message" (the field is a setting's name, as in the URL). */
interface FieldProblem {
  field: string;
  message: string;
}

/** An InputError's field and detail; another error as a problem of `field`. */
function problemOf(err: unknown, field: string): FieldProblem {
  if (err instanceof InputError) {
    return { field: err.field, message: err.detail };
  }
  return { field, message: err instanceof Error ? err.message : String(err) };
}

/**
 * The Training lab: an init sweep trained side by side (loss curves on a log scale), and a layers × steps
 * heatmap of one per-layer quantity for the selected init.
 */
@customElement('gp-training-lab')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpTrainingLab extends LitElement {
  static override styles = [
    base,
    view,
    css`
      .presets button { margin: 0 0.4rem 0.4rem 0; }
      .form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; }
      .form label { display: flex; flex-direction: column; font-size: 0.85rem; }
      .form input { width: 7rem; }
      .form input.inits { width: 22rem; max-width: calc(100vw - 3rem); }
      .form select { max-width: 100%; }
      .problems { color: #b00020; }
      .look { font-style: italic; }
      progress { width: 16rem; max-width: 45%; }
      .summary { padding-left: 0; list-style: none; max-width: 60rem; }
      .summary li { margin: 0.35rem 0; padding-left: 1.4rem; position: relative; }
      .summary .swatch { position: absolute; left: 0; top: 0.45em; width: 0.9rem; height: 0.25rem; border-radius: 1px; }
      .summary li[data-outcome='exploded'] { color: #8a1c00; }
      .coincide { max-width: 60rem; }
    `,
  ];

  @property({ attribute: false }) gpu: GpuContext | null = null;
  @property({ type: Boolean, attribute: 'cpu-fallback' }) cpuFallback = false;

  @state() private lab: TrainLabState = { ...DEFAULT_TRAIN_LAB_STATE };
  /** The problem of the field last edited: Run waits until it is fixed. */
  @state() private problems: FieldProblem[] = [];
  /** The settings of the opened link that could not be used (defaults were): a notice only, Run stays enabled. */
  @state() private urlProblems: TrainUrlProblem[] = [];
  /** The preset whose "what to look for" is shown (its id: the sentence follows the language). */
  @state() private lookId = '';
  @state() private initsText = formatInits(DEFAULT_TRAIN_LAB_STATE.inits);

  private readonly ctl = new TrainingController(() => this.requestUpdate());
  private readonly recovery = new GpuRecoveryController(this, 'resume');
  private readonly url = new UrlQueryController(this, 'training-lab', (q) => this.loadQuery(q));

  private get size() {
    return presetSizeFor({ softwareAdapter: !!this.gpu && isSoftwareAdapter(this.gpu.summary), cpuFallback: !this.gpu && this.cpuFallback });
  }

  /** The link the shown link problems come from, and the language they were worded in. */
  private linkProblems: { query: string; locale: string } | null = null;

  private loadQuery(q: string) {
    const { state: s, problems } = decodeTrainState(q);
    this.lab = s;
    this.initsText = formatInits(s.inits);
    // A link with a preset's settings (the home view's start buttons) shows that preset's sentence.
    this.lookId = problems.length ? '' : (presetOfSettings(s.config, s.inits)?.id ?? '');
    // The fields now hold valid settings (the link's, or the defaults for what it got wrong): nothing blocks Run.
    this.problems = [];
    this.urlProblems = problems;
    this.linkProblems = { query: q, locale: currentLocale() };
  }

  protected override willUpdate(): void {
    // A link's problems in the language shown: the first page may read its link before the language's texts
    // have loaded, and the learner may switch language (unless dismissed; the settings stay as edited since).
    const link = this.linkProblems;
    if (link && link.locale !== currentLocale()) {
      this.linkProblems = { query: link.query, locale: currentLocale() };
      if (this.urlProblems.length) this.urlProblems = decodeTrainState(link.query).problems;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('lab' as keyof GpTrainingLab)) this.url.write(encodeTrainState(this.lab));
  }

  /** Applies a preset at the size this device runs in seconds. */
  applyPreset(p: TrainPreset) {
    this.lab = { ...this.lab, config: trainPresetConfig(p, this.size), inits: p.inits, selected: 0 };
    this.initsText = formatInits(p.inits);
    this.lookId = p.id;
    this.problems = [];
    this.urlProblems = [];
    this.linkProblems = null;
  }

  private setField(field: string, raw: string) {
    try {
      const value = field === 'activation' || field === 'optimizer' ? raw : Number(raw);
      const config = validateTrainConfig({ ...this.lab.config, [field]: value, ...(field === 'optimizer' ? { lr: undefined } : {}) });
      this.lab = { ...this.lab, config };
      this.problems = [];
    } catch (err) {
      this.problems = [problemOf(err, field)];
    }
  }

  private setInits(text: string) {
    this.initsText = text;
    try {
      const inits = parseInits(text);
      this.lab = { ...this.lab, inits, selected: Math.min(this.lab.selected, inits.length - 1) };
      this.problems = [];
    } catch (err) {
      this.problems = [problemOf(err, 'inits')];
    }
  }

  /** Runs the sweep (the shell's start buttons call this). */
  async run(): Promise<void> {
    if (this.ctl.running || (!this.gpu && !this.cpuFallback) || this.problems.length) return;
    this.recovery.begin();
    let gpu = this.gpu;
    if (gpu) gpu = await this.recovery.ensureLive(gpu);
    await this.ctl.run(this.lab, {
      gpu,
      recover: (g, err, at, kept, signal) => this.recovery.recover(g, err, at, kept, signal),
    });
  }

  cancel() {
    this.ctl.cancel();
  }

  private export(kind: 'json' | 'csv') {
    const q = encodeTrainState(this.lab);
    const blob =
      kind === 'json'
        ? new Blob([trainRunsToJson(this.ctl.runs, q)], { type: 'application/json' })
        : new Blob([trainRunsToCsv(this.ctl.runs)], { type: 'text/csv' });
    downloadBlob(this.renderRoot, blob, `training-lab.${kind}`);
  }

  /** The loss chart or the heatmap as a PNG. */
  private async savePng(which: 'loss' | 'heatmap') {
    const root = this.renderRoot;
    if (which === 'loss') {
      const chart = root.querySelector('[data-testid=loss-chart]') as GpLineChart | null;
      if (chart) downloadBlob(root, await lineChartPngBlob(chart), 'training-lab-loss.png');
    } else {
      const heatmap = root.querySelector('[data-testid=train-heatmap]') as GpHeatmap | null;
      if (heatmap) downloadBlob(root, await heatmap.toPngBlob(), 'training-lab-heatmap.png');
    }
  }

  private lossSeries(): LineSeries[] {
    return lossCurves(this.ctl.runs, this.ctl.pinned).map(({ colorIndex, ...s }) => ({ ...s, color: PALETTE[colorIndex % PALETTE.length] }));
  }

  private heatmapData(): HeatmapData | null {
    const run = this.ctl.runs[Math.min(this.lab.selected, this.ctl.runs.length - 1)];
    return run ? trainHeatmapData(run, this.lab.stat) : null;
  }

  override render() {
    const c = this.lab.config;
    const ctl = this.ctl;
    const canRun = (!!this.gpu || this.cpuFallback) && !ctl.running && this.problems.length === 0;
    const p = ctl.progress;
    const data = this.heatmapData();
    const look = this.lookId ? findTrainPreset(this.lookId)?.look : undefined;
    return html`
      <h2>${msg('Training lab')}</h2>
      <p>
        ${msg(
          'Train the same deep net from several initializations side by side and watch what the gradients do to training: the training and held-out loss of each run on a log scale, what each run did in words, and per layer and step the weight gradient, the activations or the update ratio.',
        )}
      </p>
      <p data-testid="train-task">
        ${prose(
          msg(
            'What the net learns: to copy a fixed random “teacher” network, y = f(V2·f(V1·x)) with the same activation f (y = V·x for a linear net), from examples (x, y). Its loss J = 1/(2m)·Σ‖ŷ − y‖² is half the mean squared error of its outputs ŷ over the m examples. The grey dotted line on the loss chart is the loss of always predicting the average target: a net that has learned something of the task goes below it.',
          ),
        )}
      </p>
      <div class="presets" data-testid="train-presets">
        ${TRAIN_PRESETS.map((pr) => html`<button data-preset=${pr.id} @click=${() => this.applyPreset(pr)} ?disabled=${ctl.running}>${pr.title}</button>`)}
      </div>
      ${look ? html`<p class="look" data-testid="preset-look">${prose(look)}</p>` : nothing}
      ${renderUrlProblems(this.urlProblems, () => (this.urlProblems = []))}
      <div class="form">
        ${NUMBER_FIELDS.map(
          ([f, label]) => html`<label>${label()}<input type="number" name=${f} .value=${String(c[f])} ?disabled=${ctl.running}
              @change=${(e: Event) => this.setField(f, (e.target as HTMLInputElement).value)} /></label>`,
        )}
        <label>${msg('Activation')}<select name="activation" ?disabled=${ctl.running} @change=${(e: Event) => this.setField('activation', (e.target as HTMLSelectElement).value)}>
          ${ACTIVATIONS.map((a) => html`<option value=${a} ?selected=${a === c.activation}>${activationName(a)}</option>`)}
        </select></label>
        <label>${msg('Optimizer')}<select name="optimizer" ?disabled=${ctl.running} @change=${(e: Event) => this.setField('optimizer', (e.target as HTMLSelectElement).value)}>
          ${OPTIMIZERS.map((o) => html`<option translate="no" value=${o} ?selected=${o === c.optimizer}>${optimizerName(o)}</option>`)}
        </select></label>
        <label><span>${msg(html`Inits (<code>init:gain, …</code>)`)}</span><input class="inits" name="inits" .value=${this.initsText} ?disabled=${ctl.running}
            @change=${(e: Event) => this.setInits((e.target as HTMLInputElement).value)} /></label>
      </div>
      ${
        this.problems.length
          ? html`<ul class="problems" role="alert" data-testid="train-problems">
              ${this.problems.map((m) => html`<li><code>${m.field}</code>: ${prose(m.message)}</li>`)}
            </ul>`
          : nothing
      }
      <p>
        <button data-testid="train-run" @click=${() => this.run()} ?disabled=${!canRun}>${msg('Run')}</button>
        <button data-testid="train-cancel" @click=${() => this.cancel()} ?disabled=${!ctl.running}>${msg('Cancel')}</button>
        ${!this.gpu && this.cpuFallback ? html`<span class="muted">${msg('No WebGPU: runs on the CPU fallback (float64).')}</span>` : nothing}
      </p>
      ${
        p
          ? html`<p data-testid="train-progress" data-phase=${ctl.phase} data-run-state=${ctl.phase}>
            <progress max=${p.total} .value=${p.done}></progress>
            ${progressText(ctl.phase, p)}
          </p>`
          : nothing
      }
      ${this.recovery.render()}
      ${ctl.error ? html`<p class="problems" role="alert" data-testid="train-error">${prose(ctl.error)}</p>` : nothing}
      ${
        ctl.runs.length
          ? html`
            ${ctl.pinned ? html`<p data-testid="pinned-label">${msg(html`Pinned (dashed): <span translate="no">${ctl.pinned.label}</span>`)}</p>` : nothing}
            <gp-line-chart data-testid="loss-chart" x-unit="step" chart-title=${msg('Training and held-out loss J (log scale)')} x-title=${lossXTitle()} y-title="J"
              .series=${this.lossSeries()} .legendKeys=${lossLegendKeys(ctl.runs)}
              .references=${ctl.baseline ? [baselineReference(ctl.baseline)] : []}></gp-line-chart>
            ${coincideNotes(ctl.runs, ctl.pinned?.runs).map((t) => html`<p class="coincide" data-testid="train-coincide">${prose(t)}</p>`)}
            <ul class="summary" data-testid="train-summary">
              ${ctl.runs.map((r, i) => {
                const s = summarizeRun(r, ctl.baseline);
                return html`<li data-outcome=${s.outcome} data-vs-baseline=${s.vsBaseline ?? nothing}><span class="swatch" style="background: ${PALETTE[i % PALETTE.length]}"></span>${prose(s.text)}</li>`;
              })}
            </ul>
            <div class="form">
              <label>${msg('Heatmap quantity')}<select data-testid="stat-select" @change=${(e: Event) => (this.lab = { ...this.lab, stat: (e.target as HTMLSelectElement).value as TrainLayerStat })}>
                ${TRAIN_LAYER_STATS.map((s) => html`<option value=${s} ?selected=${s === this.lab.stat}>${statLabel(s)}</option>`)}
              </select></label>
              <label>${msg('Init')}<select data-testid="init-select" @change=${(e: Event) => (this.lab = { ...this.lab, selected: Number((e.target as HTMLSelectElement).value) })}>
                ${ctl.runs.map((r, i) => html`<option translate="no" value=${i} ?selected=${i === this.lab.selected}>${initLabel(r)}</option>`)}
              </select></label>
              <label>${msg('Colour scale')}<select data-testid="scale-select" @change=${(e: Event) => (this.lab = { ...this.lab, scale: (e.target as HTMLSelectElement).value as 'lesson' | 'auto' })}>
                <option value="lesson" ?selected=${this.lab.scale === 'lesson'}>${msg(str`lesson scale (${power10(LESSON_DOMAIN.min)}…${power10(LESSON_DOMAIN.max)})`)}</option>
                <option value="auto" ?selected=${this.lab.scale === 'auto'}>${msg('auto (this run)')}</option>
              </select></label>
            </div>
            <gp-heatmap data-testid="train-heatmap" .data=${data} .domain=${this.lab.scale === 'lesson' ? { ...LESSON_DOMAIN } : null}></gp-heatmap>
            <p>
              <button data-testid="export-json" @click=${() => this.export('json')}>${msg('Export JSON')}</button>
              <button data-testid="export-csv" @click=${() => this.export('csv')}>${msg('Export CSV')}</button>
              <button data-testid="export-png-loss" @click=${() => this.savePng('loss')}>${msg('Loss chart PNG')}</button>
              <button data-testid="export-png-heatmap" @click=${() => this.savePng('heatmap')}>${msg('Heatmap PNG')}</button>
              <button data-testid="train-pin" @click=${() => ctl.pin(encodeTrainState(this.lab))} ?disabled=${!ctl.canPin}>${msg('Pin to compare')}</button>
              ${ctl.pinned ? html`<button data-testid="train-unpin" @click=${() => ctl.unpin()}>${msg('Unpin')}</button>` : nothing}
            </p>
          `
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-training-lab': GpTrainingLab;
  }
}
