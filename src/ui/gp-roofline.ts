import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { BenchRow } from '../bench/runner';
import { legendHtml, makeRoofline, rooflineChart, type RooflineChart, type RooflineModel } from '../bench/roofline';
import { rooflinePageLabels } from './roofline-words';
import { showRate } from './bench-format';
import { tableFrame } from './scroll-cue';
import { scrollCueStyles } from './shared-styles';

/**
 * `<gp-roofline>`: the roofline of a benchmark run (src/bench/roofline.ts) as inline SVG — arithmetic
 * intensity against attained GFLOP/s, log–log, the measured FMA and copy roofs as lines, a numbered point
 * per kernel row. The SVG is drawn by the same function that writes bench-results/roofline.svg; the file
 * stays English, the page gets its words in the language shown (roofline-words.ts): row names worded as the
 * Performance table words them, names and formulas marked translate="no". Every label in it is XML-escaped.
 * The legend (a line per point, and the lines of rows not placed or not numbered) is not in the SVG here but an
 * HTML list under it, which wraps to the page's width where the chart scrolls sideways (walk s10 N6); its lines
 * are the ones rooflineChart makes for the file's SVG.
 */
@customElement('gp-roofline')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpRoofline extends LitElement {
  // The chart is drawn at its own size, never scaled down (on a phone its 11–12 px text would shrink to 5 px):
  // where the view is narrower it scrolls sideways, with the scroll cue's hint saying so.
  static override styles = [
    scrollCueStyles,
    css`
    :host {
      display: block;
    }
    .table-wrap {
      overflow-x: auto;
    }
    .chart svg {
      display: block;
    }
    ul.legend {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0;
      font-size: 0.85rem;
    }
    /* A wrapped line hangs under its text, not under its number. */
    ul.legend li {
      padding-left: 1.5em;
      text-indent: -1.5em;
      overflow-wrap: anywhere;
    }
    p {
      color: var(--gp-muted, #57606a);
      font-size: 0.9rem;
    }
  `,
  ];

  /** The run's rows (roofs included; they set the two lines). */
  @property({ attribute: false }) rows: readonly BenchRow[] = [];

  @state() private model: RooflineModel | null = null;
  @state() private chart: RooflineChart | null = null;

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('rows')) this.model = this.rows.length ? makeRoofline(this.rows) : null;
    // Redrawn on every update, so a language switch retitles it.
    this.chart = this.model ? rooflineChart(this.model, { title: msg('Roofline of this run'), labels: rooflinePageLabels(), legend: 'outside' }) : null;
  }

  override render() {
    const m = this.model;
    const chart = this.chart;
    if (!m || !chart) return nothing;
    const ridge = Number.isFinite(m.ridge) ? msg(str`${showRate(m.ridge)} FLOP/byte`) : msg('unknown (a roof was not measured)');
    return html`
      <p>
        ${msg(html`Each point is a kernel row: x = FLOP per byte it must move (<code>matmul 2mnk / 4(mk + kn + mn)</code>; <code>moments</code> 3 and <code>norms</code> 2 FLOP per 4-byte float), y = GFLOP/s it attained. Below the ridge (${ridge}) the copy roof bounds a kernel, above it the multiply-add roof. Filled: our kernels; hollow: <span translate="no">tfjs</span> and baselines; red: failed its float64 check.`)}
      </p>
      ${tableFrame(
        html`<div class="chart" data-testid="roofline" data-points=${String(m.points.length)} role="img"
          aria-label=${msg(str`Roofline: ${m.points.length} kernel rows against the FMA roof ${showRate(m.fmaRoof)} GFLOP/s and the copy roof ${showRate(m.copyRoof)} GB/s`)}>
          ${unsafeHTML(chart.svg)}
        </div>`,
        msg('Roofline of this run'),
        { right: msg('More of the chart to the right: scroll sideways →'), left: msg('← More of the chart to the left') },
      )}
      <ul class="legend" data-testid="roofline-legend">
        ${chart.legend.map(
          (l) =>
            html`<li data-legend=${l.kind === 'legend' ? String(l.index) : nothing} ?data-unnumbered=${l.kind === 'unnumbered'} ?data-not-placed=${l.kind === 'not-placed'}>
              ${unsafeHTML(legendHtml(l.markup))}
            </li>`,
        )}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-roofline': GpRoofline;
  }
}
