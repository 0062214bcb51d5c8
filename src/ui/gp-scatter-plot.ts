import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { formatMagnitude } from '../locale-format';
import type { ScatterModel } from '../viz/scatter-model';
import { insetPlacement, scatterLayout, scatterScales, SCATTER_MARK, type InsetPlacement, type Rect, type ScatterLayout } from '../viz/scatter-layout';
import { WidthController } from './width-controller';

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const INSET_FONT_PX = 11;
const insetFont = (px: number) => `${px}px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif`;
const TRAIN = '#0072b2';
const TEST = '#d55e00';

type Layout = ScatterLayout;
const layout = scatterLayout;

// Train points as translucent dots of radius `dot`, test points as ✕ of half-size `cross` (in the context's line width).
function drawPoints(ctx: CanvasRenderingContext2D, m: ScatterModel, px: (v: number) => number, py: (v: number) => number, dot: number, cross: number): void {
  ctx.globalAlpha = 0.55;
  ctx.fillStyle = TRAIN;
  for (let i = 0; i < m.train.shown; i++) {
    ctx.beginPath();
    ctx.arc(px(m.train.xs[i]), py(m.train.ys[i]), dot, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.globalAlpha = 0.9;
  ctx.strokeStyle = TEST;
  ctx.beginPath();
  for (let i = 0; i < m.test.shown; i++) {
    const x = px(m.test.xs[i]);
    const y = py(m.test.ys[i]);
    ctx.moveTo(x - cross, y - cross);
    ctx.lineTo(x + cross, y + cross);
    ctx.moveTo(x + cross, y - cross);
    ctx.lineTo(x - cross, y + cross);
  }
  ctx.stroke();
}

// The inset's label width at the inset font (the layout makes the inset at least this wide when it can).
function insetLabelWidth(ctx: CanvasRenderingContext2D, m: ScatterModel): number {
  if (!m.inset) return 0;
  ctx.save();
  ctx.font = insetFont(INSET_FONT_PX);
  const w = ctx.measureText(m.inset.label).width;
  ctx.restore();
  return w;
}

/** Where the inset and its label go on this context (measures the label), or null without an inset. */
export function placeInset(ctx: CanvasRenderingContext2D, m: ScatterModel, lay: Layout): InsetPlacement | null {
  return insetPlacement(m, lay, insetLabelWidth(ctx, m));
}

// The stretched view of a thin cloud: each axis fitted to its own data, in the free strip the layout chose; the
// label in the inset's header strip, above its points (shrunk to fit when the strip is narrow).
function drawInset(ctx: CanvasRenderingContext2D, m: ScatterModel, place: InsetPlacement): void {
  const r = m.inset!;
  const { box, label, data } = place;
  ctx.save();
  ctx.fillStyle = 'rgba(255,255,255,0.95)';
  ctx.fillRect(box.x, box.y, box.w, box.h);
  ctx.strokeStyle = '#57606a';
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);
  ctx.beginPath();
  ctx.moveTo(box.x, label.y + label.h + 0.5);
  ctx.lineTo(box.x + box.w, label.y + label.h + 0.5);
  ctx.strokeStyle = '#d0d7de';
  ctx.stroke();
  ctx.font = insetFont(INSET_FONT_PX);
  const room = label.w - 6;
  const measured = ctx.measureText(r.label).width;
  if (measured > room) ctx.font = insetFont(Math.max(7, Math.floor((INSET_FONT_PX * room) / measured)));
  ctx.fillStyle = '#1f1f1f';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(r.label, label.x + 3, label.y + label.h / 2 + 0.5, room);
  ctx.beginPath();
  ctx.rect(data.x - 2, data.y - 2, data.w + 4, data.h + 4);
  ctx.clip();
  const px = (v: number) => data.x + ((v - r.x.min) / (r.x.max - r.x.min)) * data.w;
  const py = (v: number) => data.y + data.h - ((v - r.y.min) / (r.y.max - r.y.min)) * data.h;
  drawPoints(ctx, m, px, py, 1.5, 2);
  ctx.restore();
}

/** Draws a scatter model (axes with ticks and titles, train ● and test ✕, a legend) onto a 2D context. */
export function drawScatter(ctx: CanvasRenderingContext2D, m: ScatterModel, lay: Layout): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, lay.width, lay.height);
  ctx.font = FONT;
  const { px, py } = scatterScales(m, lay);
  ctx.strokeStyle = '#e3e3e3';
  ctx.lineWidth = 1;
  ctx.fillStyle = '#1f1f1f';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of m.x.ticks) {
    const x = px(t);
    ctx.beginPath();
    ctx.moveTo(x, lay.y);
    ctx.lineTo(x, lay.y + lay.h + 4);
    ctx.stroke();
    ctx.fillText(formatMagnitude(t), x, lay.y + lay.h + 6);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of m.y.ticks) {
    const y = py(t);
    ctx.beginPath();
    ctx.moveTo(lay.x - 4, y);
    ctx.lineTo(lay.x + lay.w, y);
    ctx.stroke();
    ctx.fillText(formatMagnitude(t), lay.x - 6, y);
  }
  ctx.strokeStyle = '#8a8a8a';
  ctx.strokeRect(lay.x + 0.5, lay.y + 0.5, lay.w - 1, lay.h - 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(lay.x, lay.y, lay.w, lay.h);
  ctx.clip();
  ctx.lineWidth = 1.4;
  drawPoints(ctx, m, px, py, 2.2, SCATTER_MARK);
  ctx.restore();
  const place = placeInset(ctx, m, lay);
  if (place) drawInset(ctx, m, place);
  ctx.font = FONT;
  // titles
  ctx.fillStyle = '#1f1f1f';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(m.x.title, lay.x + lay.w / 2, lay.height - 6);
  ctx.save();
  ctx.translate(12, lay.y + lay.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(m.y.title, 0, 0);
  ctx.restore();
  // legend
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = TRAIN;
  ctx.beginPath();
  ctx.arc(lay.x + 6, 12, 3, 0, 2 * Math.PI);
  ctx.fill();
  ctx.fillStyle = '#1f1f1f';
  const trainLabel = msg('train');
  ctx.fillText(trainLabel, lay.x + 14, 12);
  // The test mark follows the train label whatever its length (it differs by language).
  const tx = Math.round(lay.x + 14 + ctx.measureText(trainLabel).width + 12);
  ctx.strokeStyle = TEST;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(tx, 9);
  ctx.lineTo(tx + 6, 15);
  ctx.moveTo(tx + 6, 9);
  ctx.lineTo(tx, 15);
  ctx.stroke();
  const testLabel = msg('test');
  ctx.fillText(testLabel, tx + 12, 12);
  // The point count, right-aligned, squeezed (never over the legend) when the row is short.
  const room = lay.x + lay.w - (tx + 12 + ctx.measureText(testLabel).width + 12);
  ctx.fillStyle = '#57606a';
  ctx.textAlign = 'right';
  ctx.fillText(m.note, lay.x + lay.w, 12, Math.max(20, room));
}

/** A scatter plot of two features, train (●) and test (✕), on Canvas2D; the model comes from `makeScatterModel`. */
@customElement('gp-scatter-plot')
@localized()
export class GpScatterPlot extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    canvas {
      display: block;
      max-width: 100%;
    }
  `;

  @property({ attribute: false }) model: ScatterModel | null = null;

  @query('canvas') private canvas!: HTMLCanvasElement | null;
  private readonly size = new WidthController(this);

  protected override render() {
    const lay = layout(this.size.width || this.clientWidth || 480, !!this.model?.equalScale);
    return html`<canvas role="img" aria-label=${this.model?.description ?? msg('Scatter plot (no data)')} style="width:${lay.width}px;height:${lay.height}px"></canvas>`;
  }

  protected override updated(): void {
    const c = this.canvas;
    if (!c || !this.model) return;
    const lay = layout(this.size.width || this.clientWidth || 480, !!this.model?.equalScale);
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(lay.width * dpr);
    c.height = Math.round(lay.height * dpr);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawScatter(ctx, this.model, lay);
  }

  /** Data units per CSS pixel along x and y as drawn (equal when the model has equal scale). */
  unitsPerPixel(): { x: number; y: number } | null {
    const m = this.model;
    if (!m) return null;
    const lay = layout(this.size.width || this.clientWidth || 480, m.equalScale);
    return { x: (m.x.max - m.x.min) / lay.w, y: (m.y.max - m.y.min) / lay.h };
  }

  /** The plot area and the inset's frame, label strip and points area as drawn (CSS pixels), or null before a model. */
  geometry(): { plot: Rect; inset: InsetPlacement | null } | null {
    const m = this.model;
    const ctx = this.canvas?.getContext('2d');
    if (!m || !ctx) return null;
    const lay = layout(this.size.width || this.clientWidth || 480, m.equalScale);
    return { plot: { x: lay.x, y: lay.y, w: lay.w, h: lay.h }, inset: placeInset(ctx, m, lay) };
  }

  /** A canvas with the plot drawn at `scale`. */
  exportCanvas(scale = 2): HTMLCanvasElement {
    const lay = layout(this.size.width || 480, !!this.model?.equalScale);
    const c = document.createElement('canvas');
    c.width = Math.round(lay.width * scale);
    c.height = Math.round(lay.height * scale);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    if (this.model) drawScatter(ctx, this.model, lay);
    return c;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-scatter-plot': GpScatterPlot;
  }
}
