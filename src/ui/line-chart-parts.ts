// Pieces of <gp-line-chart> that need no component state: text measuring, legend glyphs, y tick labels, the
// bands of exactly-0 layers and of layers lowered by flushing to 0, and dotted reference lines.
import { nothing, svg, type SVGTemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { formatCount } from '../locale-format';
import { legendLabel, STATUS_LABELS } from '../viz/heatmap-model';
import type { FlushBand, StatusBand } from '../viz/line-bands';
import type { LogTick } from '../viz/ticks';

/** How a series' points are marked: a filled dot, an open ring (stays visible over another series' dots), or none. */
export type PointMarker = 'dot' | 'ring' | 'none';

/** The chart's font (also inlined into its PNG export). */
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

let measureCtx: CanvasRenderingContext2D | null = null;
/** Width of 12px label text, for laying out the legend. */
export function textWidth(s: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d')!;
  measureCtx.font = `12px ${FONT_FAMILY}`;
  return measureCtx.measureText(s).width;
}

/** A y tick label: `10` with its exponent raised, or the plain label. */
export function yTickLabel(t: LogTick) {
  return t.exponent === null ? t.label : svg`10<tspan dy="-6" font-size="9">${t.exponent}</tspan>`;
}

/** Width of a y tick label as drawn: `10` at 12px with its exponent at 9px, or the plain label. */
export function yTickWidth(t: LogTick): number {
  return t.exponent === null ? textWidth(t.label) : textWidth('10') + textWidth(String(t.exponent)) * 0.75 + 1;
}

/** A legend glyph: a 24 px line in `color` with its dash pattern and marker, centred at (x + 12, y). */
export function legendGlyph(x: number, y: number, color: string, dash: string | null, marker: PointMarker): SVGTemplateResult {
  const dot =
    marker === 'dot'
      ? svg`<circle cx=${x + 12} cy=${y} r="2.75" fill=${color}></circle>`
      : marker === 'ring'
        ? svg`<circle cx=${x + 12} cy=${y} r="4" fill="#fff" stroke=${color} stroke-width="1.75"></circle>`
        : nothing;
  return svg`<line x1=${x} x2=${x + 24} y1=${y} y2=${y} stroke=${color} stroke-width="2" stroke-dasharray=${dash ?? nothing}></line>${dot}`;
}

/** Where a band is drawn: the plot's box, the x scale and half the gap between neighbouring points. */
export interface BandFrame {
  plot: { x: number; y: number; width: number; height: number };
  xOf: (x: number) => number;
  halfStep: number;
  /** The x axis' unit: 'layer' or 'step'. */
  unit: string;
  /** CSS colour of the band (the 'exactly 0' status colour, or the underflow one for flushing). */
  color: string;
  /** Width of 12 px label text. */
  textWidth: (s: string) => number;
}

/** "layers 1–215" / "layer 7" (or steps) in the language shown: a band's tooltip. */
function span(unit: string, from: number, to: number): string {
  const [n, b] = [formatCount(from), formatCount(to)];
  if (unit === 'step') return from === to ? msg(str`step ${n}`) : msg(str`steps ${n}–${b}`);
  return from === to ? msg(str`layer ${n}`) : msg(str`layers ${n}–${b}`);
}

/** The legend's and the band's label for flushed layers: f32 holds 0, or the value comes out too small. */
export function flushBandLabel(kind: 'zero' | 'partial'): string {
  return kind === 'zero' ? msg('0 from flushing') : msg('too small from flushing');
}

/** Fill opacity of a flushed band: the 0 layers darker than the too-small ones. */
export const FLUSH_OPACITY = { zero: 0.3, partial: 0.14 } as const;

/** The underflow marker's label: below the lab's 1e-37 mark (not f32's 1.2e-38 flushing limit). */
export function underflowLabel(): string {
  return legendLabel('underflow');
}

/** Bands over whole columns, labelled where the label fits (at the bottom or top), named with their layers in a tooltip. */
function bandSvgs(bands: readonly StatusBand[], f: BandFrame, cls: string, label: string, opacity: number, top: boolean): SVGTemplateResult[] {
  const { plot } = f;
  return bands.map((b) => {
    const x0 = Math.max(plot.x, f.xOf(b.from) - f.halfStep);
    const x1 = Math.min(plot.x + plot.width, f.xOf(b.to) + f.halfStep);
    const w = Math.max(1, x1 - x0);
    const y = top ? plot.y + 14 : plot.y + plot.height - 8;
    const text =
      f.textWidth(label) + 8 <= w
        ? svg`<text class=${`${cls.split(' ')[0]}-label`} x=${(x0 + w / 2).toFixed(2)} y=${y} text-anchor="middle">${label}</text>`
        : nothing;
    return svg`<g class=${cls} data-from=${b.from} data-to=${b.to}><rect x=${x0.toFixed(2)} y=${plot.y} width=${w.toFixed(2)} height=${plot.height} fill=${f.color} fill-opacity=${opacity}></rect>${text}<title>${span(f.unit, b.from, b.to)}: ${label}</title></g>`;
  });
}

/**
 * Bands of exactly-0 layers, shaded over their whole column like the lost band (no y position: 0 has none on a
 * log axis), labelled "exactly 0" at the bottom where the label fits, and named with their layers in a tooltip.
 */
export function zeroBandSvgs(bands: readonly StatusBand[], f: BandFrame): SVGTemplateResult[] {
  return bandSvgs(bands, f, 'zero-band', STATUS_LABELS.zero, 0.18, false);
}

/**
 * Bands of the layers the verdict calls flushed to 0 or too small from flushing (outside the exactly-0 bands),
 * labelled at the top (the bottom edge holds the underflow markers), so the chart groups the layers as the
 * verdict's text does.
 */
export function flushBandSvgs(bands: readonly FlushBand[], f: BandFrame): SVGTemplateResult[] {
  return bands.flatMap((b) => bandSvgs([b], f, `flush-band flush-${b.kind}`, flushBandLabel(b.kind), FLUSH_OPACITY[b.kind], true));
}

/** A horizontal line at `value` named `label` (in the legend and its tooltip). */
export interface ReferenceLine {
  label: string;
  value: number;
}

/** Reference lines are grey and finely dotted: not a series, and not the held-out loss's dots. */
const REFERENCE_COLOR = '#555';
const REFERENCE_DASH = '1 3';

/** The reference lines a log axis can place (finite and above 0). */
export function placeableReferences(refs: readonly ReferenceLine[] | undefined): ReferenceLine[] {
  return (refs ?? []).filter((r) => Number.isFinite(r.value) && r.value > 0);
}

/** A reference line's legend entry. */
export function referenceLegendLine(r: ReferenceLine) {
  return { label: r.label, color: REFERENCE_COLOR, dash: REFERENCE_DASH, marker: 'none' as const };
}

/** A reference line across the plot at its value (`yOf` maps log10 of a value to y). */
export function referenceLineSvg(r: ReferenceLine, plot: { x: number; width: number }, yOf: (lg: number) => number): SVGTemplateResult {
  const y = yOf(Math.log10(r.value)).toFixed(2);
  return svg`<line class="reference" data-value=${r.value} x1=${plot.x} x2=${plot.x + plot.width} y1=${y} y2=${y} stroke=${REFERENCE_COLOR} stroke-width="1.5" stroke-dasharray=${REFERENCE_DASH}><title>${r.label}</title></line>`;
}
