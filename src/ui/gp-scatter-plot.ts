import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { ScatterModel } from '../viz/scatter-model';
import { formatMagnitude, formatSignificant } from '../locale-format';
import { WidthController } from './width-controller';

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const MARGIN = { left: 62, right: 12, top: 26, bottom: 40 };
const HEIGHT = 300;
const TRAIN = '#0072b2';
const TEST = '#d55e00';

interface Layout {
  width: number;
  height: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

// With an equal-scale model the plot area is square, so one unit is as many pixels on x as on y.
function layout(width: number, square = false): Layout {
  const w = Math.max(120, Math.min(520, width) - MARGIN.left - MARGIN.right);
  if (square) {
    const side = Math.min(w, 300);
    return { width: side + MARGIN.left + MARGIN.right, height: side + MARGIN.top + MARGIN.bottom, x: MARGIN.left, y: MARGIN.top, w: side, h: side };
  }
  return { width: w + MARGIN.left + MARGIN.right, height: HEIGHT, x: MARGIN.left, y: MARGIN.top, w, h: HEIGHT - MARGIN.top - MARGIN.bottom };
}

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

// The stretched view of a thin cloud: each axis fitted to its own data, in the corner the points leave free.
function drawInset(ctx: CanvasRenderingContext2D, m: ScatterModel, lay: Layout): void {
  const r = m.inset!;
  const side = Math.round(lay.w * 0.42);
  // The thin cloud runs along one axis through the middle: the inset goes in a top corner, away from it.
  const left = lay.x + lay.w - side - 4;
  const top = lay.y + 4;
  ctx.save();
  ctx.fillStyle = 'rgba(255,255,255,0.95)';
  ctx.fillRect(left, top, side, side);
  ctx.strokeStyle = '#57606a';
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, top + 0.5, side - 1, side - 1);
  ctx.beginPath();
  ctx.rect(left, top, side, side);
  ctx.clip();
  const px = (v: number) => left + ((v - r.x.min) / (r.x.max - r.x.min)) * side;
  const py = (v: number) => top + side - ((v - r.y.min) / (r.y.max - r.y.min)) * side;
  drawPoints(ctx, m, px, py, 1.5, 2);
  ctx.globalAlpha = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#1f1f1f';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  const wx = r.x.max - r.x.min;
  const wy = r.y.max - r.y.min;
  ctx.fillText(msg(str`stretched: ${wx > wy ? 'y' : 'x'} ×${formatSignificant(Math.max(wx, wy) / Math.min(wx, wy), 2)}`), left + 3, top + 2);
  ctx.restore();
}

/** Draws a scatter model (axes with ticks and titles, train ● and test ✕, a legend) onto a 2D context. */
export function drawScatter(ctx: CanvasRenderingContext2D, m: ScatterModel, lay: Layout): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, lay.width, lay.height);
  ctx.font = FONT;
  const px = (v: number) => lay.x + ((v - m.x.min) / (m.x.max - m.x.min)) * lay.w;
  const py = (v: number) => lay.y + lay.h - ((v - m.y.min) / (m.y.max - m.y.min)) * lay.h;
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
  drawPoints(ctx, m, px, py, 2.2, 3);
  ctx.restore();
  if (m.inset) drawInset(ctx, m, lay);
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
  ctx.fillText(msg('train'), lay.x + 14, 12);
  ctx.strokeStyle = TEST;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.moveTo(lay.x + 58, 9);
  ctx.lineTo(lay.x + 64, 15);
  ctx.moveTo(lay.x + 64, 9);
  ctx.lineTo(lay.x + 58, 15);
  ctx.stroke();
  ctx.fillText(msg('test'), lay.x + 70, 12);
  ctx.fillStyle = '#57606a';
  ctx.textAlign = 'right';
  ctx.fillText(m.note, lay.x + lay.w, 12);
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
