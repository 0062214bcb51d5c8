import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { displayDomain, type Quantity } from '../labs/depth/form';
import { toStatusCodes } from '../viz/heatmap-model';
import { lossText } from '../labs/depth/loss-text';
import { initName } from '../labs/depth/init';
import { activationName } from '../labs/activation-name';
import { allZero, chartStatus, zeroGapNote } from '../labs/depth/zero-gaps';
import { flushedLayersText } from '../labs/depth/flush-zone';
import { verdictToleranceText } from '../labs/depth/tolerance-text';
import { analyzeQuantity, analyzeRow, shownVerdict, underLineText, type QuantityAnalysis, type RowAnalysis } from '../labs/depth/row-analysis';
import type { SweepResult } from '../labs/depth/sweep';
import type { LineSeries } from './gp-line-chart';
import { base } from './shared-styles';
import './gp-line-chart';
import { term, termed } from './depth-terms';
import { prose } from './prose-numbers';
import { shownRowLabel } from './depth-labels';
import { currentLocale } from './locale';
import { formatCount, formatFixed, formatNumber, formatSignificant } from '../locale-format';

/** The verdict word in the language shown (data-verdict keeps the English id). */
function verdictLabel(v: 'agree' | 'disagree'): string {
  return v === 'agree' ? msg('agree') : msg('disagree');
}

function formatRatio(r: number): string {
  if (Number.isNaN(r)) return 'NaN';
  if (!Number.isFinite(r)) return r > 0 ? '+∞' : '−∞';
  if (r === 0) return '0';
  return (r >= 0 ? '+' : '−') + formatSignificant(Math.abs(r), 2);
}

/**
 * One row of a Depth lab sweep: the chosen quantity against layer (log y) with its forecast dashed where
 * there is one (closed form or mean field), one agree / disagree verdict about that quantity, a pinned
 * run's row as a second line when there is one, and where the row hit
 * f32's limits against where that was predicted. The analysis is CPU-only and DOM-free (row-analysis.ts).
 */
@customElement('gp-depth-row')
@localized()
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
      /* The worst ratio is a number inside a translated sentence: it stays on one line like prose()'s numbers. */
      [data-testid='worst-ratio'] {
        white-space: nowrap;
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
      .verdict[data-verdict='unchecked'] {
        color: var(--gp-muted);
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

  /** A pinned run's row, drawn as a second (grey) line for comparison, or null. */
  @property({ attribute: false }) pinned: SweepResult | null = null;

  /** Legend label of the pinned line (the pinned run's settings). */
  @property({ attribute: false }) pinnedLabel = '';

  private analysis: RowAnalysis | null = null;
  private shownAnalysis: QuantityAnalysis | null = null;
  /** The language the analyses' texts were made in: a language switch remakes them. */
  private analysisLocale = '';

  /** Forecast and verdict of the quantity shown, or null. */
  get quantityAnalysis(): QuantityAnalysis | null {
    return this.shownAnalysis;
  }

  /** The analysis of the current row (prediction, verdict, limits), or null. */
  get rowAnalysis(): RowAnalysis | null {
    return this.analysis;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const locale = currentLocale();
    const relocalized = locale !== this.analysisLocale;
    this.analysisLocale = locale;
    if (changed.has('result') || relocalized) this.analysis = this.result ? analyzeRow(this.result.config, this.result.run) : null;
    if (changed.has('result') || changed.has('quantity') || relocalized) {
      this.shownAnalysis = this.result && this.quantity ? analyzeQuantity(this.result.config, this.result.run, this.quantity.name) : null;
    }
  }

  override render() {
    const r = this.result;
    const q = this.quantity;
    const a = this.analysis;
    const qa = this.shownAnalysis;
    if (!r || !q || !a || !qa) return nothing;
    const c = r.config;
    const series: LineSeries[] = [
      {
        label: msg(str`${q.label} measured`),
        values: r.run.layers[q.name],
        // Exact zeros (Var z of equal pre-activations) get a band marked "exactly 0", not a point read as the bottom tick.
        status: chartStatus(r.run.layers[q.name], r.run.status[q.name] as string[]),
        color: '#0072b2',
      },
    ];
    const pred = qa.prediction;
    if (pred.values) series.push({ label: msg(str`${q.label} predicted`), values: pred.values, dashed: true, color: '#d55e00' });
    const pin = this.pinned;
    if (pin)
      series.push({
        label: `${q.label}, ${this.pinnedLabel || msg('pinned run')}`,
        values: pin.run.layers[q.name],
        status: chartStatus(pin.run.layers[q.name], pin.run.status[q.name] as string[]),
        color: '#6b6b6b',
      });
    const v = qa.verdict;
    // One y range for every line, at least MIN_DECADES wide, so a near-flat row looks flat.
    const all = series.flatMap((s) => Array.from(s.values));
    const codes = series.flatMap((s) => (s.status ? Array.from(toStatusCodes(s.status, s.values.length)) : Array.from(s.values, () => 0)));
    const domain = displayDomain(all, codes);
    const zeroNote = zeroGapNote(q.label, r.run.layers[q.name], r.run.status[q.name] as string[]);
    // Every layer exactly 0 (Var z of W = s·I on an all-ones input) and nothing else to draw: an empty frame with
    // made-up ticks would look broken, so the row says it in words instead.
    const measured = r.run.layers[q.name];
    const noChart = !pred.values && !pin && allZero(measured, r.run.status[q.name] as string[]);
    // "The line is the measurement only" needs a line: not where every layer is exactly 0 or lost (bands only).
    const hasLine = Array.prototype.some.call(measured, (x: number, i: number) => r.run.status[q.name][i] === 'finite' && x !== 0 && Number.isFinite(x));
    const kind = pred.exact ? 'exact closed form' : 'mean-field forecast';
    const kindLabel = pred.exact ? msg('exact closed form') : msg('mean-field forecast');
    return html`
      <!-- The gain, n and m are each one unit ("× 1.5", "n = 2"): .num keeps them from breaking after × or =. -->
      <h4 data-testid="row-title">
        ${msg(
          html`Row <span translate="no">${shownRowLabel(r.label)}</span>: ${formatCount(c.depth)} layers, <span translate="no">${activationName(c.activation)}, ${initName(c.init)}</span> <span class="num">× ${formatNumber(c.gain)}</span>, <span class="num">n = ${formatCount(c.width)}</span>, <span class="num">m = ${formatCount(c.batch)}</span>`,
        )}
      </h4>
      ${
        noChart
          ? html`<p data-testid="no-chart" data-quantity=${q.name}>
              ${msg(str`${q.label} is exactly 0 at every layer of this row: 0 has no place on a log axis, so there is no line to draw.`)}
            </p>`
          : html`<gp-line-chart
                .series=${series}
                .domain=${domain}
                .zeroBands=${true}
                .flushLayers=${{ zero: v?.flushedLayers ?? [], partial: v?.partialLayers ?? [] }}
                x-title=${msg('layer l')}
                y-title=${q.label}
                chart-title=${msg(str`${q.label} by layer, row ${shownRowLabel(r.label)}`)}
              ></gp-line-chart>
              ${zeroNote ? html`<p class="muted" data-testid="zero-gap-note">${prose(zeroNote)}</p>` : nothing}`
      }
      ${
        noChart
          ? nothing
          : v && shownVerdict(v) === 'unchecked'
            ? html`<p data-testid="verdict-line" data-quantity=${q.name}>
                ${msg(html`${prose(q.label)} against the ${term(kind, kindLabel)}:`)}
                <span class="verdict" data-testid="verdict" data-verdict="unchecked">${msg('not checked')}</span>
                ${
                  qa.lostLayers
                    ? msg(
                        str`— all ${formatCount(qa.lostLayers)} layers of this row come after a value passed 1e38 or became NaN, so there is nothing to compare.`,
                      )
                    : msg('— no layer of this row could be compared.')
                }
              </p>
              <p class="muted" data-testid="prediction-note">${termed(pred.note)}</p>`
            : v
              ? html`<p data-testid="verdict-line" data-quantity=${q.name}>
            ${msg(html`${prose(q.label)} against the ${term(kind, kindLabel)}:`)}
            <span class="verdict" data-testid="verdict" data-verdict=${v.verdict}>${verdictLabel(v.verdict)}</span>
            ${msg(html`— worst log10(measured / predicted) = <strong data-testid="worst-ratio">${formatRatio(v.worstLog10Ratio)}</strong>`)}${
              v.worstLayer !== null ? msg(html` at layer ${formatCount(v.worstLayer)}`) : nothing
            }
            (${prose(verdictToleranceText(pred, v))}${
              qa.lostLayers
                ? html`, <span data-testid="verdict-lost">${prose(msg(str`not the ${formatCount(qa.lostLayers)} layers after a value passed 1e38 or became NaN`))}</span>`
                : nothing
            }).${v.verdict === 'agree' && pred.exact ? html` ${prose(underLineText(v))}` : ''}${
              v.flushedLayers?.length || v.partialLayers?.length
                ? html` <span data-testid="verdict-flushed">${prose(flushedLayersText(v.flushedLayers, v.partialLayers))}</span>`
                : nothing
            }
          </p>
          ${
            qa.verdictInRange && v.verdict === 'disagree'
              ? html`<p data-testid="verdict-in-range">
                ${msg(str`On the ${formatCount(qa.verdictInRange.layers)} layers f32 could hold:`)}
                <span class="verdict" data-verdict=${qa.verdictInRange.verdict}>${verdictLabel(qa.verdictInRange.verdict)}</span>${msg(str`, worst
                log10 ratio ${formatRatio(qa.verdictInRange.worstLog10Ratio)}`)}${
                  qa.verdictInRange.worstLayer !== null ? msg(html` at layer ${formatCount(qa.verdictInRange.worstLayer)}`) : nothing
                }${msg('; elsewhere f32 holds Infinity, NaN or 0 where float64 still has a number.')}
              </p>`
              : nothing
          }
          <p class="muted" data-testid="prediction-note">${termed(pred.note)}</p>`
              : hasLine
                ? html`<p class="muted" data-testid="no-closed-form" data-quantity=${q.name}>${termed(pred.note)}</p>`
                : nothing
      }
      ${
        a.limitSentences.length
          ? html`<ul class="limits" data-testid="limits" aria-label=${msg('f32 limits')}>
            ${a.limitSentences.map((s) => html`<li>${prose(s)}</li>`)}
          </ul>`
          : nothing
      }
      <p class="muted">
        <span data-testid="loss">${prose(lossText(r.run.loss, r.run.lossStatus))}</span> ·
        ${msg(str`${formatFixed(r.run.wallMs, 1)} ms wall time for this row`)}${
          r.run.timings.length
            ? ` · ${msg(
                str`${formatFixed(
                  r.run.timings.reduce((s, t) => s + t.ms, 0),
                  2,
                )} ms GPU time over ${formatCount(r.run.timings.length)} passes (timestamp queries: quantized and implementation-defined)`,
              )}`
            : ''
        }.
      </p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-depth-row': GpDepthRow;
  }
}
