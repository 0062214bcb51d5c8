import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { displayDomain, type Quantity } from '../experiments/depth-lab-form';
import { STATUS_LABELS, toStatusCodes } from '../viz/heatmap-model';
import { analyzeRow, type RowAnalysis } from '../experiments/row-analysis';
import type { SweepResult } from '../experiments/sweep';
import { formatValue } from '../viz/ticks';
import type { LineSeries } from './gp-line-chart';
import { base } from './shared-styles';
import './gp-line-chart';

function formatRatio(r: number): string {
  if (Number.isNaN(r)) return 'NaN';
  if (!Number.isFinite(r)) return r > 0 ? '+∞' : '−∞';
  if (r === 0) return '0';
  return (r >= 0 ? '+' : '−') + Math.abs(r).toPrecision(2);
}

/**
 * One row of a Depth lab sweep: the chosen quantity against layer (log y) with the closed-form
 * prediction dashed where there is one, the agree / disagree verdict for ‖a‖, and where the row hit
 * f32's limits against where that was predicted. The analysis is CPU-only and DOM-free (row-analysis.ts).
 */
@customElement('gp-depth-row')
export class GpDepthRow extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      h4 {
        margin: 0 0 0.25rem;
        font-size: 1rem;
      }
      p,
      ul {
        margin: 0.35rem 0;
        max-width: 75ch;
      }
      ul {
        padding-left: 1.25rem;
      }
      .verdict {
        display: inline-block;
        padding: 0.1rem 0.5rem;
        border-radius: var(--gp-radius);
        border: 1px solid currentColor;
        font-weight: 700;
      }
      .verdict[data-verdict='agree'] {
        color: var(--gp-pass);
        background: var(--gp-pass-bg);
      }
      .verdict[data-verdict='disagree'] {
        color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .muted {
        color: var(--gp-muted);
        font-size: 0.875rem;
      }
      .limits li {
        margin: 0.15rem 0;
      }
    `,
  ];

  /** The row to show. */
  @property({ attribute: false }) result: SweepResult | null = null;

  /** The quantity to plot. */
  @property({ attribute: false }) quantity: Quantity | null = null;

  private analysis: RowAnalysis | null = null;

  /** The analysis of the current row (prediction, verdict, limits), or null. */
  get rowAnalysis(): RowAnalysis | null {
    return this.analysis;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result')) this.analysis = this.result ? analyzeRow(this.result.config, this.result.run) : null;
  }

  override render() {
    const r = this.result;
    const q = this.quantity;
    const a = this.analysis;
    if (!r || !q || !a) return nothing;
    const c = r.config;
    const series: LineSeries[] = [
      { label: `${q.label} measured`, values: r.run.layers[q.name], status: r.run.status[q.name] as string[], color: '#0072b2' },
    ];
    const showPrediction = q.name === 'actNorm' && a.prediction.actNorm !== null;
    if (showPrediction) series.push({ label: `${q.label} predicted`, values: a.prediction.actNorm!, dashed: true, color: '#d55e00' });
    const v = a.verdict;
    // One y range for both lines, at least MIN_DECADES wide, so a near-flat row looks flat.
    const all = series.flatMap((s) => Array.from(s.values));
    const codes = series.flatMap((s) => (s.status ? Array.from(toStatusCodes(s.status, s.values.length)) : Array.from(s.values, () => 0)));
    const domain = displayDomain(all, codes);
    return html`
      <h4 data-testid="row-title">
        Row ${r.label}: ${c.depth} layers, ${c.activation}, ${c.init} × ${c.gain}, n = ${c.width}, m = ${c.batch}
      </h4>
      <gp-line-chart
        .series=${series}
        .domain=${domain}
        x-title="layer l"
        y-title=${q.label}
        chart-title=${`${q.label} by layer, row ${r.label}`}
      ></gp-line-chart>
      ${showPrediction
        ? nothing
        : html`<p class="muted" data-testid="no-closed-form">
            ${q.name === 'actNorm' ? a.prediction.note : 'No closed form shown for this quantity: the line is the measurement only.'}
          </p>`}
      ${v
        ? html`<p data-testid="verdict-line">
            ‖a‖ against the prediction:
            <span class="verdict" data-testid="verdict" data-verdict=${v.verdict}>${v.verdict}</span>
            — worst log10(measured / predicted) = <strong data-testid="worst-ratio">${formatRatio(v.worstLog10Ratio)}</strong>${v.worstLayer !== null
              ? html` at layer ${v.worstLayer}`
              : nothing}
            (tolerance ${a.prediction.exact ? '0.01' : 'grows with depth / width'}; ${v.compared} layers compared${a.measuredLimits.lostTo?.pass === 'forward'
              ? html`, <span data-testid="verdict-lost">not the layers lost to the overflow</span>`
              : nothing}).${showPrediction &&
            v.verdict === 'agree' && a.prediction.exact
              ? ' The dashed prediction lies under the measured line.'
              : ''}
          </p>
          ${a.verdictInRange && v.verdict === 'disagree'
            ? html`<p data-testid="verdict-in-range">
                While f32 can still follow it (layers 1–${a.verdictInRange.layers}):
                <span class="verdict" data-verdict=${a.verdictInRange.verdict}>${a.verdictInRange.verdict}</span>, worst
                log10 ratio ${formatRatio(a.verdictInRange.worstLog10Ratio)}${a.verdictInRange.worstLayer !== null
                  ? html` at layer ${a.verdictInRange.worstLayer}`
                  : nothing}; past that f32 holds Infinity, NaN or 0 where float64 still has a number.
              </p>`
            : nothing}
          <p class="muted">${a.prediction.note}</p>`
        : nothing}
      ${a.limitSentences.length
        ? html`<ul class="limits" data-testid="limits" aria-label="f32 limits">
            ${a.limitSentences.map((s) => html`<li>${s}</li>`)}
          </ul>`
        : nothing}
      <p class="muted">
        Loss J = ${formatValue(r.run.loss)}${r.run.lossStatus !== 'finite' ? ` (${STATUS_LABELS[r.run.lossStatus]})` : ''} · ${r.run.wallMs.toFixed(1)} ms
        wall time for this row${r.run.timings.length
          ? ` · ${r.run.timings.reduce((s, t) => s + t.ms, 0).toFixed(2)} ms GPU time over ${r.run.timings.length} passes (timestamp queries: quantized and implementation-defined)`
          : ''}.
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-depth-row': GpDepthRow;
  }
}
