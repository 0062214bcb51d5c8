import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { CostGrid } from '../labs/normalize/types';
import { insetWindow, makeContours, pathExtent, weightsToGrid, type Contours } from '../viz/contours';
import { insetFrame } from '../viz/contour-inset';
import { formatSignificant } from '../locale-format';
import { drawContourBackdrop } from './contour-backdrop';
import { drawInset } from './contour-inset';
import { cross, diamond, drawKey, keyRows, keySymbol, markerText, pathText, type ContourMarker, type KeyEntry } from './contour-key';
import { WidthController } from './width-controller';

const MARGIN = { left: 58, right: 12, top: 10, bottom: 40 };
const MAX_SIDE = 380;

/** Layout of the plot, CSS pixels. */
interface Layout {
  width: number;
  height: number;
  x: number;
  y: number;
  side: number;
}

function layout(hostWidth: number): Layout {
  const side = Math.max(120, Math.min(MAX_SIDE, hostWidth - MARGIN.left - MARGIN.right));
  return { width: side + MARGIN.left + MARGIN.right, height: side + MARGIN.top + MARGIN.bottom, x: MARGIN.left, y: MARGIN.top, side };
}

function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * A contour plot of a cost grid J(w_i, w_j) (Canvas2D; marching-squares lines at log-spaced levels above J*)
 * with a gradient-descent path drawn over it, animated step by step (drawn at once under
 * prefers-reduced-motion), the start (□), the last step (◆) and the optimum (✕) marked, a path too short to see
 * ringed (○) and zoomed in an inset; a key under the plot (and in its PNG) says what each marker is. Equal scale on both axes.
 */
@customElement('gp-contour-plot')
@localized()
export class GpContourPlot extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    canvas {
      display: block;
      max-width: 100%;
    }
    .key {
      display: flex;
      flex-wrap: wrap;
      gap: 0.1rem 0.9rem;
      margin: 0.25rem 0 0;
      padding: 0;
      list-style: none;
      font-size: 0.8rem;
      color: #57606a;
    }
    .key li {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
    }
    .key svg {
      flex: none;
    }
    .leaves {
      margin: 0.2rem 0 0;
      font-size: 0.82rem;
      color: #a40e26;
    }
  `;

  @property({ attribute: false }) grid: CostGrid | null = null;
  /** Descent path: (steps + 1) × d weights, row-major. */
  @property({ attribute: false }) path: Float64Array | null = null;
  /** Features per weight vector of `path`. */
  @property({ type: Number }) d = 2;
  /** The optimum's weights (length d). */
  @property({ attribute: false }) optimum: ArrayLike<number> | null = null;
  /** CSS colour of the path. */
  @property() color = '#d55e00';
  @property({ attribute: 'x-title' }) xTitle = 'w1';
  @property({ attribute: 'y-title' }) yTitle = 'w2';
  /** Text alternative (the lab's results table holds the numbers). */
  @property() description = '';

  /** Whether the whole path (not just the part drawn so far) leaves the window: said under the plot, never over it. */
  @state() private leaves = false;
  /** Zoom window of a path too small to see at the plot's scale, drawn as an inset. */
  private inset: ReturnType<typeof insetWindow> = null;

  /** Steps of the path drawn so far (the animation's position). */
  @state() private drawn = 0;

  @query('canvas') private canvas!: HTMLCanvasElement | null;

  private readonly size = new WidthController(this);
  private contours: Contours | null = null;
  private frame = 0;
  private backdrop: HTMLCanvasElement | null = null;
  private backdropKey = '';

  /** Points of the path drawn so far, and in all (equal once the animation has ended). */
  get progress(): { drawn: number; total: number } {
    return { drawn: this.drawn, total: this.pathSteps };
  }

  /** Whether the path animation is running (for tests and the Replay button). */
  get animating(): boolean {
    return this.frame !== 0;
  }

  private get pathSteps(): number {
    return this.path ? Math.floor(this.path.length / Math.max(1, this.d)) : 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('grid')) {
      this.contours = this.grid ? makeContours(this.grid) : null;
      this.backdropKey = '';
    }
    if (changed.has('path') || changed.has('grid') || changed.has('d')) {
      const g = this.grid;
      this.leaves = !!(g && this.path && pathExtent(g, this.path, Math.max(1, this.d)).leaves);
      this.inset = g ? insetWindow(g, this.path, Math.max(1, this.d)) : null;
    }
    if (changed.has('path')) this.replay();
  }

  /** The zoom factor of the inset (null when the path is drawn at the plot's own scale). */
  get insetZoom(): number | null {
    return this.inset?.zoom ?? null;
  }

  /** Plays the path from the start (or draws it whole under prefers-reduced-motion). */
  replay(): void {
    this.stop();
    const n = this.pathSteps;
    if (n === 0 || reducedMotion()) {
      this.drawn = n;
      return;
    }
    this.drawn = 1;
    const duration = Math.min(2500, 400 + n * 25);
    const t0 = performance.now();
    const tick = (t: number) => {
      const p = Math.min(1, (t - t0) / duration);
      this.drawn = Math.max(1, Math.ceil(p * n));
      this.frame = p < 1 ? requestAnimationFrame(tick) : 0;
      if (p >= 1) this.dispatchEvent(new CustomEvent('animation-end', { bubbles: true, composed: true }));
    };
    this.frame = requestAnimationFrame(tick);
  }

  private stop(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  protected override render() {
    const lay = layout(this.size.width || this.clientWidth || MAX_SIDE + MARGIN.left + MARGIN.right);
    return html`<canvas
      role="img"
      aria-label=${
        (this.description || msg(str`Contour plot of the cost over ${this.xTitle} and ${this.yTitle}`)) +
        (this.inset ? ' ' + msg(str`The path is too short to see at this scale; an inset shows it zoomed ×${formatSignificant(this.inset.zoom, 2)}.`) : '')
      }
      style="width:${lay.width}px;height:${lay.height}px"
    ></canvas>
    ${this.renderKey()}
    ${this.leaves ? html`<p class="leaves" data-testid="leaves-window">${msg('The path leaves this window (it diverges or overshoots far): see the steps column of the table.')}</p>` : nothing}`;
  }

  /** The markers drawn with the whole path, in the key's order (each explained in the key under the plot). */
  get markers(): ContourMarker[] {
    const g = this.grid;
    if (!g) return [];
    const out: ContourMarker[] = [];
    const inWindow = (p: [number, number] | null) => !!p && p[0] >= g.x.min && p[0] <= g.x.max && p[1] >= g.y.min && p[1] <= g.y.max;
    const ends = this.pathEnds();
    if (ends && inWindow(ends.start)) out.push('start');
    if (ends && ends.last > 0 && inWindow(ends.end)) out.push('end');
    if (this.optimum && inWindow([this.optimum[g.axes[0]], this.optimum[g.axes[1]]])) out.push('optimum');
    if (this.inset && this.pathSteps > 0) out.push('ring');
    return out;
  }

  /** The markers' centres on the canvas (CSS pixels) as drawn with the whole path; null for one not drawn. */
  markerPositions(): Record<ContourMarker, [number, number] | null> {
    const g = this.grid;
    const none = { start: null, end: null, optimum: null, ring: null };
    if (!g) return none;
    const lay = layout(this.size.width || this.clientWidth || MAX_SIDE + MARGIN.left + MARGIN.right);
    const toPx = this.toPx(lay);
    const drawn = this.markers;
    const ends = this.pathEnds();
    const at = (m: ContourMarker, p: [number, number] | null) => (drawn.includes(m) && p ? toPx(p[0], p[1]) : null);
    // A path shown zoomed has its start and last step drawn in the inset.
    const frame = this.inset ? insetFrame(lay, this.inset, toPx) : null;
    const onPath = (m: ContourMarker, p: [number, number] | null) => (frame ? (drawn.includes(m) && p ? frame.ip(p[0], p[1]) : null) : at(m, p));
    return {
      start: onPath('start', ends?.start ?? null),
      end: onPath('end', ends?.end ?? null),
      optimum: at('optimum', this.optimum ? [this.optimum[g.axes[0]], this.optimum[g.axes[1]]] : null),
      ring: frame && drawn.includes('ring') ? [frame.px, frame.py] : null,
    };
  }

  // The path's first point and its last finite one (index `last`), on the grid's two axes.
  private pathEnds(): { start: [number, number]; end: [number, number]; last: number } | null {
    const g = this.grid;
    const path = this.path;
    const n = this.pathSteps;
    if (!g || !path || n === 0) return null;
    const d = Math.max(1, this.d);
    const [ax, ay] = g.axes;
    let last = -1;
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(path[k * d + ax]) || !Number.isFinite(path[k * d + ay])) break;
      last = k;
    }
    if (last < 0) return null;
    return { start: [path[ax], path[ay]], end: [path[last * d + ax], path[last * d + ay]], last };
  }

  private toPx(lay: Layout): (wx: number, wy: number) => [number, number] {
    const g = this.grid!;
    const s = lay.side / Math.max(1, g.size - 1);
    return (wx, wy) => {
      const [c, r] = weightsToGrid(g, wx, wy);
      return [lay.x + c * s, lay.y + lay.side - r * s];
    };
  }

  private renderKey() {
    const markers = this.markers;
    if (markers.length === 0) return nothing;
    return html`<ul class="key" data-testid="plot-key" aria-label=${msg('Key to the markers')}>
      ${
        this.pathSteps > 0
          ? html`<li data-marker="path">
            <svg width="18" height="14" aria-hidden="true">${svg`<path d="M1 10 L17 4" stroke=${this.color} stroke-width="2" /><circle cx="9" cy="7" r="2.2" fill=${this.color} />`}</svg
            >${pathText(this.pathSteps - 1)}
          </li>`
          : nothing
      }
      ${markers.map((m) => html`<li data-marker=${m}><svg width="14" height="14" aria-hidden="true">${keySymbol(m, this.color)}</svg>${markerText(m, this.inset?.zoom ?? 1)}</li>`)}
    </ul>`;
  }

  protected override updated(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    const lay = layout(this.size.width || this.clientWidth || MAX_SIDE + MARGIN.left + MARGIN.right);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(lay.width * dpr);
    const h = Math.round(lay.height * dpr);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.draw(ctx, lay, dpr, this.drawn);
  }

  /** The plot (contours and the whole path) as a PNG. */
  toPngBlob(scale = 2): Promise<Blob> {
    const canvas = this.exportCanvas(scale);
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('gp-contour-plot: PNG encoding failed'))), 'image/png'));
  }

  /** The key's entries, as under the plot on the page: the path (when there is one), then each marker drawn. */
  keyEntries(): { m: KeyEntry; text: string }[] {
    const path = this.pathSteps > 0 ? [{ m: 'path' as const, text: pathText(this.pathSteps - 1) }] : [];
    return [...path, ...this.markers.map((m) => ({ m, text: markerText(m, this.inset?.zoom ?? 1) }))];
  }

  /** A canvas with the plot drawn at `scale` with the whole path, and the key to its markers under it. */
  exportCanvas(scale = 2): HTMLCanvasElement {
    const lay = layout(this.size.width || MAX_SIDE + MARGIN.left + MARGIN.right);
    const key = keyRows(this.keyEntries(), lay.width);
    const c = document.createElement('canvas');
    c.width = Math.round(lay.width * scale);
    c.height = Math.round((lay.height + key.height) * scale);
    const ctx = c.getContext('2d')!;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, lay.width, lay.height + key.height);
    this.backdropKey = '';
    this.draw(ctx, lay, scale, this.pathSteps);
    this.backdropKey = '';
    drawKey(ctx, key.items, lay.height, this.color);
    return c;
  }

  // The axes and contour lines change only with the grid and the size: drawn once into a backdrop.
  private drawBackdrop(lay: Layout, scale: number): HTMLCanvasElement {
    const key = `${lay.width}x${lay.height}@${scale}`;
    if (this.backdrop && this.backdropKey === key) return this.backdrop;
    const b = this.backdrop ?? document.createElement('canvas');
    b.width = Math.round(lay.width * scale);
    b.height = Math.round(lay.height * scale);
    const ctx = b.getContext('2d')!;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, lay.width, lay.height);
    drawContourBackdrop(ctx, lay, this.grid && this.contours ? { grid: this.grid, contours: this.contours } : null, this.xTitle, this.yTitle);
    this.backdrop = b;
    this.backdropKey = key;
    return b;
  }

  private draw(ctx: CanvasRenderingContext2D, lay: Layout, scale: number, steps: number): void {
    const back = this.drawBackdrop(lay, scale);
    ctx.clearRect(0, 0, lay.width, lay.height);
    ctx.drawImage(back, 0, 0, lay.width, lay.height);
    const g = this.grid;
    if (!g) return;
    const [ax, ay] = g.axes;
    const toPx = this.toPx(lay);
    const clampPx = (v: number) => Math.max(-1e5, Math.min(1e5, v));
    ctx.save();
    ctx.beginPath();
    ctx.rect(lay.x, lay.y, lay.side, lay.side);
    ctx.clip();
    const d = Math.max(1, this.d);
    const path = this.path;
    if (path && steps > 0) {
      ctx.strokeStyle = this.color;
      ctx.fillStyle = this.color;
      ctx.lineWidth = 2;
      ctx.lineJoin = 'round';
      ctx.beginPath();
      let started = false;
      for (let k = 0; k < steps; k++) {
        const wx = path[k * d + ax];
        const wy = path[k * d + ay];
        if (!Number.isFinite(wx) || !Number.isFinite(wy)) {
          break;
        }
        const [px, py] = toPx(wx, wy);
        if (!started) ctx.moveTo(clampPx(px), clampPx(py));
        else ctx.lineTo(clampPx(px), clampPx(py));
        started = true;
      }
      ctx.stroke();
      if (steps <= 300) {
        for (let k = 0; k < steps; k++) {
          const wx = path[k * d + ax];
          const wy = path[k * d + ay];
          if (!Number.isFinite(wx) || !Number.isFinite(wy)) break;
          const [px, py] = toPx(wx, wy);
          ctx.beginPath();
          ctx.arc(px, py, 2.2, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
    }
    // The start and last-step markers; a path shown zoomed in the inset has them there (here they would be one blot in its ring).
    if (path && steps > 0 && !this.inset) {
      // start: hollow square
      const [sx, sy] = toPx(path[ax], path[ay]);
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#1f1f1f';
      ctx.strokeRect(sx - 5, sy - 5, 10, 10);
      // the last step drawn so far (the whole path's last step once the animation ends): a diamond
      let last = -1;
      for (let k = 0; k < steps; k++) {
        if (!Number.isFinite(path[k * d + ax]) || !Number.isFinite(path[k * d + ay])) break;
        last = k;
      }
      if (last > 0) {
        const [ex, ey] = toPx(path[last * d + ax], path[last * d + ay]);
        diamond(ctx, clampPx(ex), clampPx(ey), 7, this.color);
      }
    }
    const o = this.optimum;
    if (o) {
      const [ox, oy] = toPx(o[ax], o[ay]);
      cross(ctx, ox, oy, 6, 2.5);
    }
    ctx.restore();
    if (this.inset && path && steps > 0)
      drawInset(ctx, insetFrame(lay, this.inset, toPx), this.inset, { path, d, axes: g.axes, steps, optimum: o, color: this.color });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-contour-plot': GpContourPlot;
  }
}
