import { LitElement, css, html, type CSSResult, nothing, svg, unsafeCSS, type PropertyValues, type SVGTemplateResult } from 'lit';
import { WidthController } from './width-controller';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { formatMagnitude } from '../locale-format';
import { SPECIAL_COLORS, cssColor } from '../viz/colormap';
import { CellStatus, legendLabel, STATUS_LABELS } from '../viz/heatmap-model';
import { fitLogAxis, linearTicks, logTicks, niceLogDomain, type LogDomain, type LogTick } from '../viz/ticks';
import { drawsOwnMarks, flushBands, statusBands, type FlushLayers } from '../viz/line-bands';
import { chartLegend, LEGEND_ROW } from './line-chart-legend';
import {
  flushBandSvgs,
  FONT_FAMILY,
  placeableReferences,
  referenceLegendLine,
  referenceLineSvg,
  textWidth,
  underflowLabel,
  yTickLabel,
  yTickWidth,
  zeroBandSvgs,
  type PointMarker,
  type ReferenceLine,
} from './line-chart-parts';
import { describeSeries, prepare, styleOf, unitAt, type LineSeries, type Point, type PreparedSeries } from './line-chart-series';

/** A data-fitted y axis narrower than two decades is widened by this fraction of its span at each end: no point sits on the frame. */
const Y_PAD = 0.06;
export type { PointMarker, ReferenceLine } from './line-chart-parts';
export { PALETTE, type LineSeries } from './line-chart-series';

/** A legend entry that explains a line style (drawn in grey), e.g. "held-out loss, every 10 steps" for dotted lines with rings. */
export interface LegendKey {
  label: string;
  dash?: string;
  marker?: PointMarker;
}

const HEIGHT = 300;
/** Margins around the plot; the left one grows with the widest y tick label, the top one with the legend's rows. */
const MARGIN = { left: 70, right: 16, top: 34, bottom: 44 };
/** The rotated y title's band at the left edge, and the gaps between it, the tick labels and the axis. */
const Y_TITLE_BAND = 22;
const GAP = 8;
/** The plot's height (legend rows add to the chart, not to the plot), and the most y ticks it labels: one per 28 px. */
const PLOT_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
const Y_TICKS = Math.max(2, Math.floor(PLOT_HEIGHT / 28));

/**
 * One row of the depth lab: a quantity against layer index on a log y axis. Solid series get point
 * markers, dashed ones (predictions) do not; points off the scale are marked — overflow ▲ at the top,
 * underflow ▼ at the bottom, exactly 0 (a legitimate 0, e.g. Var z of equal entries) ◆ at the bottom,
 * NaN × with a dotted guide — and lines break there.
 */
@customElement('gp-line-chart')
@localized()
export class GpLineChart extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: ${unsafeCSS(FONT_FAMILY)};
    }
    svg {
      display: block;
      overflow: visible;
    }
    text {
      font-size: 12px;
      fill: #1f1f1f;
    }
    .title {
      font-weight: 600;
    }
    .grid {
      stroke: #e3e3e3;
      stroke-width: 1;
    }
    .axis {
      stroke: #8a8a8a;
      stroke-width: 1;
      fill: none;
    }
  `;

  /** The lines to draw. */
  @property({ attribute: false }) series: LineSeries[] = [];

  /** x axis title. */
  @property({ attribute: 'x-title' }) xTitle = '';

  /** y axis title (the quantity). */
  @property({ attribute: 'y-title' }) yTitle = '';

  /** What one x position is, in tooltips and the description ("layer 3", "step 3"); plural with an "s". */
  @property({ attribute: 'x-unit' }) xUnit = 'layer';

  /** Accessible title; default "<yTitle> by <xTitle>". */
  @property({ attribute: 'chart-title' }) chartTitle = '';

  /** Legend entries that explain line styles, listed after the series (e.g. which lines are held-out losses). */
  @property({ attribute: false }) legendKeys: LegendKey[] = [];

  /** Fixed log10 y domain; default: fitted to the finite data (`fitLogAxis`: padded, ending on labelled values). */
  @property({ attribute: false }) domain: LogDomain | null = null;

  /**
   * Exact zeros as bands instead of ◆ markers: layers where every solid series is exactly 0 are shaded over their
   * whole column and labelled "exactly 0" (0 has no place on a log axis, so they get no y position); a 0 of only
   * some series there is left out (a gap in its line).
   */
  @property({ attribute: false }) zeroBands = false;

  /**
   * Layers the Depth lab's verdict calls flushed to 0 (`zero`) or too small from flushing (`partial`): one band per
   * run, outside the exactly-0 bands, with its own legend entry. Both empty: no band.
   */
  @property({ attribute: false }) flushLayers: FlushLayers = { zero: [], partial: [] };

  /** Horizontal reference lines (a value to compare the series with): dotted grey across the plot, in the legend. */
  @property({ attribute: false }) references: ReferenceLine[] = [];

  private readonly size = new WidthController(this);

  private prepared: PreparedSeries[] = [];
  private yDomain: LogDomain = { min: -1, max: 1 };
  private yTicks: LogTick[] = [];
  /** Whether any point has a value the y axis can place: without one (and no fixed `domain`) there are no y ticks. */
  private anyFinite = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('series') || changed.has('domain') || changed.has('references')) {
      this.prepared = prepare(this.series ?? []);
      let min = Infinity;
      let max = -Infinity;
      for (const r of this.shownReferences()) {
        min = Math.min(min, Math.log10(r.value));
        max = Math.max(max, Math.log10(r.value));
      }
      for (const p of this.prepared) {
        for (const q of p.points) {
          if (q.status !== CellStatus.Finite) continue;
          const l = Math.log10(Math.abs(q.value));
          min = Math.min(min, l);
          max = Math.max(max, l);
        }
      }
      this.anyFinite = min <= max;
      // A data-fitted axis reaches a labelled value at or below the lowest point and at or above the highest.
      const axis = this.domain ? { domain: niceLogDomain(this.domain.min, this.domain.max), ticks: null } : fitLogAxis(min, max, Y_TICKS, Y_PAD);
      this.yDomain = axis.domain;
      this.yTicks = axis.ticks ?? logTicks(axis.domain.min, axis.domain.max, Y_TICKS);
    }
  }

  private shownReferences(): ReferenceLine[] {
    return placeableReferences(this.references);
  }

  private describe(): string {
    return describeSeries(
      this.prepared,
      this.xUnit,
      this.shownReferences().map((r) => r.label),
    );
  }

  protected override render() {
    const width = this.size.width || this.clientWidth || 640;
    const unit = this.xUnit;
    const over = cssColor(SPECIAL_COLORS.overflow);
    const under = cssColor(SPECIAL_COLORS.underflow);
    const zero = cssColor(SPECIAL_COLORS.zero);
    const nan = cssColor(SPECIAL_COLORS.nan);
    const lost = cssColor(SPECIAL_COLORS.lost);
    const present = new Set<CellStatus>();
    for (const p of this.prepared) for (const q of p.points) if (q.status !== CellStatus.Finite) present.add(q.status);

    // A layer is shaded over the whole plot height only where every solid series is lost there: with several
    // series (the Training lab's inits), one lost series must not shade the others' healthy curves.
    const solid = this.prepared.filter((p) => styleOf(p.series).dash === null);
    const byLayer = new Map(solid.map((p) => [p, new Map(p.points.map((q) => [q.layer, q]))]));
    const allLost = (layer: number) => solid.length > 0 && solid.every((p) => byLayer.get(p)!.get(layer)?.status === CellStatus.Lost);
    // Exact zeros of every solid series, as bands over their columns (line-chart-bands.ts).
    const zeroBandList = this.zeroBands
      ? statusBands(
          solid.map((p) => ({ x: p.points.map((q) => q.layer), status: p.points.map((q) => q.status) })),
          CellStatus.Zero,
        )
      : [];
    const inZeroBand = (layer: number) => zeroBandList.some((b) => b.from <= layer && layer <= b.to);
    const flushBandList = flushBands(this.flushLayers ?? { zero: [], partial: [] }, inZeroBand);
    // Legend along the top: only what the chart shows (a series whose every point is in a shared band, exactly 0
    // or lost, draws no line), then the style keys and the markers present (line-chart-legend.ts).
    const shown = this.prepared.filter(
      ({ series, points }) =>
        series.inLegend !== false &&
        drawsOwnMarks({ x: points.map((q) => q.layer), status: points.map((q) => q.status) }, { zeroBands: this.zeroBands, inZeroBand, allLost }),
    );
    const { items: legend, extraRows: row } = chartLegend({
      width,
      x0: Y_TITLE_BAND,
      lines: [
        ...shown.map(({ series, color }) => ({ label: series.label, color, ...styleOf(series) })),
        ...(this.legendKeys ?? []).map((key) => ({ label: key.label, color: null, dash: key.dash ?? null, marker: key.marker ?? ('none' as const) })),
        ...this.shownReferences().map(referenceLegendLine),
      ],
      present,
      zeroBands: this.zeroBands,
      flushKinds: new Set(flushBandList.map((b) => b.kind)),
    });
    const height = HEIGHT + row * LEGEND_ROW;
    const top = MARGIN.top + row * LEGEND_ROW;
    const plotHeight = PLOT_HEIGHT;
    const { min, max } = this.yDomain;
    // No value to place (every point exactly 0, lost, …): no ticks, rather than a scale made up around nothing.
    const yTicks = this.anyFinite || this.domain ? this.yTicks : [];
    // The y tick labels sit between the y title's band and the axis, never under the title.
    const tickW = Math.max(0, ...yTicks.map(yTickWidth));
    const left = Math.max(MARGIN.left, Math.ceil(Y_TITLE_BAND + GAP + tickW + 6));
    const plot = {
      x: left,
      y: top,
      width: Math.max(40, width - left - MARGIN.right),
      height: plotHeight,
    };
    // The x axis runs from 1 (the first layer), or from lower when a point lies there (a step axis that starts at
    // 0, the initial weights), to the last point.
    let first = 1;
    let n = 1;
    for (const p of this.prepared) {
      for (const q of p.points) {
        first = Math.min(first, q.layer);
        n = Math.max(n, q.layer);
      }
    }
    const span = n - first;
    const pad = 8;
    const xOf = (layer: number) => (span === 0 ? plot.x + plot.width / 2 : plot.x + pad + ((layer - first) / span) * (plot.width - 2 * pad));
    // Overflow and lost markers sit along the top edge: when there are any, the data keep out of that band so
    // a line at the top of the range is not hidden under them.
    const topBand = this.prepared.some(({ points }) =>
      points.some((q) => q.status === CellStatus.Overflow || (q.status === CellStatus.Lost && !allLost(q.layer))),
    )
      ? 14
      : 0;
    const yOf = (lg: number) => plot.y + topBand + (plot.height - topBand) * (1 - (lg - min) / (max - min));
    const xTicks = linearTicks(first, n, Math.max(2, Math.floor(plot.width / 56)));
    const xTitle = this.xTitle || msg('layer l');
    const title = this.chartTitle || msg(str`${this.yTitle} by ${xTitle}`);
    // Half the gap between layers: a lost layer is shaded over its whole column.
    const halfStep = span === 0 ? plot.width / 2 : (plot.width - 2 * pad) / span / 2;

    const bands = [
      ...zeroBandSvgs(zeroBandList, { plot, xOf, halfStep, unit, color: zero, textWidth }),
      ...flushBandSvgs(flushBandList, { plot, xOf, halfStep, unit, color: under, textWidth }),
    ];

    const lines: SVGTemplateResult[] = this.shownReferences().map((r) => referenceLineSvg(r, plot, yOf));
    const markers: SVGTemplateResult[] = [];
    for (const { series, color, points } of this.prepared) {
      const { dash, marker } = styleOf(series);
      const at = (p: Point) => p.name ?? unitAt(unit, p.layer);
      let d = '';
      const runs: Point[][] = [];
      let cur: Point[] = [];
      for (const p of points) {
        if (p.status === CellStatus.Finite) {
          cur.push(p);
          continue;
        }
        if (cur.length) runs.push(cur);
        cur = [];
        const x = xOf(p.layer);
        if (p.status === CellStatus.Overflow) {
          const y = plot.y + 1;
          markers.push(
            svg`<path class="marker overflow" data-layer=${p.layer} d="M${x},${y} l5,9 h-10 z" fill=${over} stroke=${color} stroke-width="1"><title>${series.label}, ${at(p)}: ${formatMagnitude(p.value)} (${legendLabel('overflow')})</title></path>`,
          );
        } else if (p.status === CellStatus.Underflow) {
          const y = plot.y + plot.height - 1;
          markers.push(
            svg`<path class="marker underflow" data-layer=${p.layer} d="M${x},${y} l5,-9 h-10 z" fill=${under} stroke=${color} stroke-width="1"><title>${series.label}, ${at(p)}: ${formatMagnitude(p.value)} (${underflowLabel()})</title></path>`,
          );
        } else if (p.status === CellStatus.Zero) {
          if (this.zeroBands) {
            if (inZeroBand(p.layer)) continue;
            // This series only: a square at the bottom edge (no y position), as a lost point's square at the top.
            markers.push(
              svg`<rect class="marker zero-square" data-layer=${p.layer} x=${x - 4} y=${plot.y + plot.height - 9} width="8" height="8" fill=${zero} fill-opacity="0.3" stroke=${color} stroke-width="1"><title>${series.label}, ${at(p)}: ${STATUS_LABELS.zero}</title></rect>`,
            );
            continue;
          }
          const y = plot.y + plot.height - 6;
          markers.push(
            svg`<path class="marker zero" data-layer=${p.layer} d="M${x},${y - 5} l5,5 l-5,5 l-5,-5 z" fill=${zero} stroke=${color} stroke-width="1"><title>${series.label}, ${at(p)}: 0 (${STATUS_LABELS.zero})</title></path>`,
          );
        } else if (p.status === CellStatus.Lost) {
          // No position on the y axis: whatever f32 holds here says nothing about the net.
          if (!allLost(p.layer)) {
            // This series only: a square at the top edge in the series' colour.
            const y = plot.y + 1;
            markers.push(
              svg`<rect class="marker lost" data-layer=${p.layer} x=${x - 4} y=${y} width="8" height="8" fill=${lost} stroke=${color} stroke-width="1"><title>${series.label}, ${at(p)}: ${STATUS_LABELS.lost}</title></rect>`,
            );
            continue;
          }
          const x0 = Math.max(plot.x, x - halfStep);
          const x1 = Math.min(plot.x + plot.width, x + halfStep);
          markers.push(
            svg`<rect class="marker lost" data-layer=${p.layer} x=${x0.toFixed(2)} y=${plot.y} width=${Math.max(1, x1 - x0).toFixed(2)} height=${plot.height} fill=${lost} fill-opacity="0.35"><title>${series.label}, ${at(p)}: ${STATUS_LABELS.lost}</title></rect>`,
          );
        } else if (p.status === CellStatus.NaN) {
          const y = plot.y + plot.height / 2;
          markers.push(
            svg`<g class="marker nan" data-layer=${p.layer}><line x1=${x} x2=${x} y1=${plot.y} y2=${plot.y + plot.height} stroke=${nan} stroke-opacity="0.35" stroke-dasharray="2 3"></line><path d="M${x - 4},${y - 4} l8,8 m0,-8 l-8,8" stroke=${nan} stroke-width="2"></path><title>${series.label}, ${at(p)}: NaN</title></g>`,
          );
        }
      }
      if (cur.length) runs.push(cur);
      for (const r of runs) {
        d += r.map((p, i) => `${i ? 'L' : 'M'}${xOf(p.layer).toFixed(2)},${yOf(Math.log10(Math.abs(p.value))).toFixed(2)}`).join('');
      }
      if (d) {
        lines.push(
          svg`<path class="series" data-label=${series.label} d=${d} fill="none" stroke=${color} stroke-width="2" stroke-linejoin="round" stroke-dasharray=${dash ?? nothing}></path>`,
        );
      }
      for (const r of runs) {
        // Points as the series' marker says; isolated points of unmarked ones would otherwise be invisible.
        if (marker === 'none' && r.length > 1) continue;
        for (const p of r) {
          const cx = xOf(p.layer).toFixed(2);
          const cy = yOf(Math.log10(Math.abs(p.value))).toFixed(2);
          const tip = svg`<title>${series.label}, ${at(p)}: ${formatMagnitude(p.value)}</title>`;
          markers.push(
            marker === 'ring'
              ? svg`<circle class="point ring" data-layer=${p.layer} cx=${cx} cy=${cy} r="4" fill="#fff" stroke=${color} stroke-width="1.75">${tip}</circle>`
              : svg`<circle class="point" data-layer=${p.layer} cx=${cx} cy=${cy} r="2.75" fill=${color}>${tip}</circle>`,
          );
        }
      }
    }

    return html`<svg
      xmlns="http://www.w3.org/2000/svg"
      width=${width}
      height=${height}
      viewBox="0 0 ${width} ${height}"
      role="img"
      aria-labelledby="title desc"
    >
      <title id="title">${title}</title>
      <desc id="desc">${this.describe()}</desc>
      ${yTicks.map((t) => {
        const y = yOf(t.log10);
        return svg`<line class="grid" x1=${plot.x} x2=${plot.x + plot.width} y1=${y} y2=${y}></line>
          <text class="ytick" x=${plot.x - 6} y=${y} text-anchor="end" dominant-baseline="middle">${yTickLabel(t)}</text>`;
      })}
      ${xTicks.map((k) => {
        const x = xOf(k);
        return svg`<line class="axis" x1=${x} x2=${x} y1=${plot.y + plot.height} y2=${plot.y + plot.height + 4}></line>
          <text class="xtick" x=${x} y=${plot.y + plot.height + 16} text-anchor="middle">${k}</text>`;
      })}
      <rect class="axis" x=${plot.x} y=${plot.y} width=${plot.width} height=${plot.height}></rect>
      <text class="title" x=${plot.x + plot.width / 2} y=${height - 6} text-anchor="middle">${xTitle}</text>
      <text class="title" transform="translate(14 ${plot.y + plot.height / 2}) rotate(-90)" text-anchor="middle" dominant-baseline="middle">${msg(str`${this.yTitle} (log scale)`)}</text>
      ${bands} ${lines} ${markers} ${legend}
    </svg>`;
  }
}

/** The chart's SVG drawn on a white canvas at `scale`× as a PNG (its styles inlined, so it stands alone). */
export async function lineChartPngBlob(chart: GpLineChart, scale = 2): Promise<Blob> {
  await chart.updateComplete;
  const svgEl = chart.renderRoot.querySelector('svg');
  if (!svgEl) throw new Error('gp-line-chart: nothing drawn yet');
  const clone = svgEl.cloneNode(true) as SVGSVGElement;
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = `svg { font-family: ${FONT_FAMILY}; } ${(GpLineChart.styles as CSSResult).cssText.replace(/:host\s*\{[^}]*\}/, '')}`;
  clone.insertBefore(style, clone.firstChild);
  const w = Number(svgEl.getAttribute('width'));
  const h = Number(svgEl.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('gp-line-chart: PNG encoding failed'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-line-chart': GpLineChart;
  }
}
