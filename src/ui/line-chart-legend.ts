// The legend of <gp-line-chart>: its series, then the keys that explain a line style, then the status markers
// present, laid out along the top and wrapping onto more rows (the chart grows by a row's height per row).
import { svg, type SVGTemplateResult } from 'lit';
import { SPECIAL_COLORS, cssColor } from '../viz/colormap';
import { CellStatus, legendLabel, STATUS_NAMES } from '../viz/heatmap-model';
import { FLUSH_OPACITY, flushBandLabel, legendGlyph, textWidth, type PointMarker } from './line-chart-parts';

/** Height of one legend row. */
export const LEGEND_ROW = 18;

/** Grey of the legend keys: they explain a style, not one series' colour. */
const KEY_COLOR = '#555';

/** A legend line: its label, colour (null: the keys' grey), dash pattern (null: solid) and point markers. */
export interface LegendLine {
  label: string;
  color: string | null;
  dash: string | null;
  marker: PointMarker;
}

/** What the legend lists and where it starts. */
export interface LegendInput {
  /** The chart's width: an entry that would pass it starts a new row. */
  width: number;
  /** The first entry's x (after the y title's band). */
  x0: number;
  /** The series drawn (already filtered to those that draw something of their own), then the style keys (color null). */
  lines: readonly LegendLine[];
  /** The statuses some point has: each gets its marker's entry. */
  present: ReadonlySet<CellStatus>;
  /** Exact zeros drawn as bands (a shaded square) instead of ◆ markers. */
  zeroBands: boolean;
  /** The kinds of flushed bands drawn (0, too small): each gets an entry after the markers. */
  flushKinds?: ReadonlySet<'zero' | 'partial'>;
}

/** The legend's entries as SVG and how many rows past the first it wrapped onto. */
export function chartLegend({ width, x0, lines, present, zeroBands, flushKinds }: LegendInput): { items: SVGTemplateResult[]; extraRows: number } {
  const over = cssColor(SPECIAL_COLORS.overflow);
  const under = cssColor(SPECIAL_COLORS.underflow);
  const zero = cssColor(SPECIAL_COLORS.zero);
  const nan = cssColor(SPECIAL_COLORS.nan);
  const lost = cssColor(SPECIAL_COLORS.lost);
  const items: SVGTemplateResult[] = [];
  let lx = x0;
  let row = 0;
  const place = (w: number) => {
    if (lx + w > width && lx > x0) {
      row++;
      lx = x0;
    }
    const at = { x: lx, y: 12 + row * LEGEND_ROW };
    lx += w;
    return at;
  };
  for (const line of lines) {
    const { x, y } = place(30 + textWidth(line.label) + 18);
    items.push(
      line.color === null
        ? svg`<g class="legend-item legend-key">${legendGlyph(x, y, KEY_COLOR, line.dash, line.marker)}<text x=${x + 30} y=${y} dominant-baseline="middle">${line.label}</text></g>`
        : svg`<g class="legend-item">${legendGlyph(x, y, line.color, line.dash, line.marker)}<text x=${x + 30} y=${y} dominant-baseline="middle">${line.label}</text></g>`,
    );
  }
  const markerLegend: [CellStatus, (ly: number) => SVGTemplateResult][] = [
    [CellStatus.Overflow, (ly) => svg`<path d="M${0},${ly - 5} l5,9 h-10 z" fill=${over} stroke="#444"></path>`],
    [CellStatus.Underflow, (ly) => svg`<path d="M${0},${ly + 5} l5,-9 h-10 z" fill=${under} stroke="#444"></path>`],
    [
      CellStatus.Zero,
      (ly) =>
        zeroBands
          ? svg`<rect x="-5" y=${ly - 5} width="10" height="10" fill=${zero} fill-opacity="0.3" stroke="#444"></rect>`
          : svg`<path d="M0,${ly - 5} l5,5 l-5,5 l-5,-5 z" fill=${zero} stroke="#444"></path>`,
    ],
    [CellStatus.NaN, (ly) => svg`<path d="M-4,${ly - 4} l8,8 m0,-8 l-8,8" stroke=${nan} stroke-width="2"></path>`],
    [CellStatus.Lost, (ly) => svg`<rect x="-5" y=${ly - 5} width="10" height="10" fill=${lost} fill-opacity="0.6" stroke="#444"></rect>`],
  ];
  for (const [st, glyph] of markerLegend) {
    if (!present.has(st)) continue;
    // The underflow marker names its mark (1e-37): the verdict's flushing sentences speak of 1.2e-38.
    const label = legendLabel(STATUS_NAMES[st]);
    const { x, y } = place(16 + textWidth(label) + 14);
    items.push(svg`<g class="legend-item" transform="translate(${x + 6},0)">${glyph(y)}<text x="10" y=${y} dominant-baseline="middle">${label}</text></g>`);
  }
  for (const kind of ['zero', 'partial'] as const) {
    if (!flushKinds?.has(kind)) continue;
    const label = flushBandLabel(kind);
    const { x, y } = place(16 + textWidth(label) + 14);
    items.push(
      svg`<g class="legend-item legend-flush" transform="translate(${x + 6},0)"><rect x="-5" y=${y - 5} width="10" height="10" fill=${under} fill-opacity=${FLUSH_OPACITY[kind] * 2} stroke="#444"></rect><text x="10" y=${y} dominant-baseline="middle">${label}</text></g>`,
    );
  }
  return { items, extraRows: row };
}
