import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { cssColor, SPECIAL_COLORS } from '../viz/colormap';
import { STATUS_LABELS, type CellStatusName } from '../viz/heatmap-model';
import {
  divergingColor,
  labelIndices,
  makePhaseMapModel,
  phaseCell,
  phaseCellAt,
  phaseCellColor,
  type PhaseCell,
  type PhaseMapData,
  type PhaseMapModel,
} from '../viz/phase-map-model';
import { formatFixed, formatMagnitude, formatNumber } from '../locale-format';
import { FONT_FAMILY, INK } from './heatmap-draw';
import { heatmapCanvasStyles } from './heatmap-styles';
import { heatmapTableStyles } from './heatmap-table';
import { WidthController } from './width-controller';

const PAD = { left: 52, right: 14, top: 22, bottom: 40 };
const PLOT_H = 320;
const LINE = '#1f1f1f';
const MARK = '#6b1d8f';

/** The ratio's name in the language shown. */
export function phaseQuantityLabel(q: 'forward' | 'backward'): string {
  return q === 'forward' ? msg('forward ratio log10(‖a[L]‖ / ‖a[0]‖)') : msg('backward ratio log10(‖∂J/∂a[1]‖ / ‖∂J/∂a[L]‖)');
}

/**
 * The gain × depth phase map: a heatmap of log10 of the ratio (gains along x, depths down y) on a diverging
 * scale centred on 0, reserved colours for cells f32 could not measure, the predicted critical gain as a
 * dashed vertical line and the measured boundary per depth as marks. Hover or focus a cell for its numbers
 * (arrows, Home/End, PageUp/PageDown move), or open the table view.
 */
@customElement('gp-phase-map')
@localized()
export class GpPhaseMap extends LitElement {
  static override styles = [
    heatmapTableStyles,
    heatmapCanvasStyles,
    css`
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 14px;
        align-items: center;
        margin-top: 6px;
        font-size: 12px;
      }
      .bar {
        display: inline-block;
        width: 140px;
        height: 10px;
        vertical-align: middle;
        border: 1px solid #999;
      }
      .sw {
        display: inline-block;
        width: 10px;
        height: 10px;
        margin-right: 4px;
        border: 1px solid #999;
        vertical-align: middle;
      }
      .why-no-line {
        color: #555;
        font-size: 12px;
      }
      button {
        font: inherit;
        padding: 2px 10px;
        margin-top: 6px;
      }
    `,
  ];

  /** The map to draw (a PhaseMap fits), or null. */
  @property({ attribute: false }) map: PhaseMapData | null = null;
  /** Which ratio it is (for titles). */
  @property() quantity: 'forward' | 'backward' = 'forward';

  private readonly size = new WidthController(this);
  @state() private focusCell: { col: number; row: number } | null = null;
  @state() private hover: { col: number; row: number; x: number; y: number } | null = null;
  @state() private showTable = false;
  @query('canvas') private canvas!: HTMLCanvasElement | null;
  private model: PhaseMapModel | null = null;

  /** The chart's model (colour range, line and marks), or null without a map. */
  get phaseModel(): PhaseMapModel | null {
    return this.model;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('map')) {
      this.model = this.map && this.map.gains.length > 0 ? makePhaseMapModel(this.map) : null;
      const m = this.model;
      if (!m || (this.focusCell && (this.focusCell.col >= m.cols || this.focusCell.row >= m.rows))) this.focusCell = null;
      this.hover = null;
    }
  }

  private get plot() {
    const width = Math.max(280, this.size.width || this.clientWidth || 640);
    return { x: PAD.left, y: PAD.top, w: width - PAD.left - PAD.right, h: PLOT_H, width, height: PLOT_H + PAD.top + PAD.bottom };
  }

  protected override updated(): void {
    if (this.canvas && this.model) this.draw(this.canvas, window.devicePixelRatio || 1);
  }

  private draw(canvas: HTMLCanvasElement, scale: number, focus = this.focusCell): void {
    const m = this.model!;
    const p = this.plot;
    canvas.style.width = `${p.width}px`;
    canvas.style.height = `${p.height}px`;
    canvas.width = Math.round(p.width * scale);
    canvas.height = Math.round(p.height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, p.width, p.height);
    const cw = p.w / m.cols;
    const ch = p.h / m.rows;
    for (let c = 0; c < m.cols; c++) {
      for (let r = 0; r < m.rows; r++) {
        ctx.fillStyle = cssColor(phaseCellColor(m, c, r));
        ctx.fillRect(p.x + c * cw, p.y + r * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
    ctx.strokeStyle = '#888';
    ctx.strokeRect(p.x, p.y, p.w, p.h);
    ctx.font = `11px ${FONT_FAMILY}`;
    ctx.fillStyle = INK;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const c of labelIndices(m.cols, Math.max(2, Math.floor(p.w / 44)))) ctx.fillText(String(m.data.gains[c]), p.x + (c + 0.5) * cw, p.y + p.h + 4);
    ctx.fillText(msg('gain s'), p.x + p.w / 2, p.y + p.h + 22);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const r of labelIndices(m.rows, Math.max(2, Math.floor(p.h / 18)))) ctx.fillText(String(m.data.depths[r]), p.x - 4, p.y + (r + 0.5) * ch);
    ctx.save();
    ctx.translate(12, p.y + p.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(msg('depth L'), 0, 0);
    ctx.restore();
    // The measured boundary: one mark per depth where the ratio crosses 1.
    ctx.fillStyle = MARK;
    for (const { row, x } of m.marks) {
      ctx.beginPath();
      ctx.arc(p.x + x * cw, p.y + (row + 0.5) * ch, Math.max(1.5, Math.min(3, ch / 2)), 0, 2 * Math.PI);
      ctx.fill();
    }
    if (m.predictedX !== null) {
      const x = p.x + m.predictedX * cw;
      ctx.strokeStyle = LINE;
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, p.y);
      ctx.lineTo(x, p.y + p.h);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = INK;
      ctx.textAlign = x > p.x + p.w / 2 ? 'right' : 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(msg(str`predicted critical gain ${formatNumber(m.data.predictedGain!, { maximumSignificantDigits: 4 })}`), x, p.y - 4);
    }
    if (focus) {
      ctx.strokeStyle = '#4a6ea9';
      ctx.lineWidth = 2;
      ctx.strokeRect(p.x + focus.col * cw, p.y + focus.row * ch, cw, ch);
    }
  }

  /** The chart as a PNG blob, drawn at `scale`× (default 2). */
  toPngBlob(scale = 2): Promise<Blob> {
    if (!this.model) return Promise.reject(new Error('gp-phase-map: no map to export'));
    const canvas = document.createElement('canvas');
    this.draw(canvas, scale, null);
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('gp-phase-map: PNG encoding failed'))), 'image/png'));
  }

  /** A cell's numbers in words: gain, depth, ratio (or why it is not measured). */
  describe(c: PhaseCell): string {
    const at = msg(str`gain ${formatNumber(c.gain, { maximumSignificantDigits: 6 })}, depth ${c.depth}`);
    if (c.status !== 'finite') return `${at}: ${STATUS_LABELS[c.status as CellStatusName] ?? c.status}`;
    return msg(str`${at}: log10 ratio ${formatFixed(c.log10, 2)} (ratio ≈ ${formatMagnitude(10 ** c.log10)}), ${STATUS_LABELS.finite}`);
  }

  private onPointerMove(e: PointerEvent): void {
    if (!this.model || !this.canvas) return;
    const box = this.canvas.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    const cell = phaseCellAt(this.model, x, y, this.plot);
    this.hover = cell ? { ...cell, x, y } : null;
  }

  private onKey(e: KeyboardEvent): void {
    const m = this.model;
    if (!m) return;
    const f = this.focusCell ?? { col: 0, row: 0 };
    const page = Math.max(1, Math.round(m.rows / 10));
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
      PageUp: [0, -page],
      PageDown: [0, page],
      Home: [-m.cols, 0],
      End: [m.cols, 0],
    };
    const d = moves[e.key];
    if (!d) return;
    e.preventDefault();
    const clamp = (v: number, n: number) => Math.max(0, Math.min(n - 1, v));
    this.focusCell = this.focusCell ? { col: clamp(f.col + d[0], m.cols), row: clamp(f.row + d[1], m.rows) } : f;
  }

  private renderLegend(m: PhaseMapModel) {
    const stops = Array.from({ length: 11 }, (_, i) => cssColor(divergingColor(-1 + i / 5))).join(', ');
    return html`<div class="legend" data-testid="phase-legend">
      <span>
        <span translate="no">−${m.range}</span>
        <span class="bar" style="background: linear-gradient(to right, ${stops})"></span>
        <span translate="no">+${m.range}</span>
        ${msg(str`log10 of the ratio: teal shrinks, white keeps (ratio 1), brown grows`)}
      </span>
      ${m.statuses.map(
        (s) =>
          html`<span data-status=${s.name}><span class="sw" style="background:${cssColor(SPECIAL_COLORS[s.name])}"></span>${STATUS_LABELS[s.name]} (${s.count})</span>`,
      )}
      ${m.data.predictedGain !== null ? html`<span><span class="sw" style="border-style:dashed;background:#fff"></span>${msg('predicted critical gain')}</span>` : nothing}
      <span><span class="sw" style="background:${MARK};border-radius:50%"></span>${msg('measured boundary (ratio = 1) at each depth')}</span>
    </div>`;
  }

  private renderTable(m: PhaseMapModel) {
    return html`<div class="table-wrap">
      <table data-testid="phase-table">
        <caption>
          ${phaseQuantityLabel(this.quantity)}
        </caption>
        <thead>
          <tr>
            <th scope="col">${msg('depth L')} \\ ${msg('gain s')}</th>
            ${m.data.gains.map((g) => html`<th scope="col" translate="no">${g}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${m.data.depths.map(
            (depth, r) => html`<tr>
              <th scope="row" translate="no">${depth}</th>
              ${m.data.gains.map((_, c) => {
                const cell = phaseCell(m, c, r);
                return cell.status === 'finite'
                  ? html`<td translate="no">${formatFixed(cell.log10, 2)}</td>`
                  : html`<td class=${cell.status}>${STATUS_LABELS[cell.status as CellStatusName] ?? cell.status}</td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const m = this.model;
    if (!m) return nothing;
    const p = this.plot;
    const h = this.hover;
    const shown = h ?? this.focusCell;
    return html`
      <div class="stage">
        <canvas
          tabindex="0"
          role="img"
          data-testid="phase-canvas"
          aria-label=${msg(str`Phase map of the ${phaseQuantityLabel(this.quantity)}: ${m.cols} gains × ${m.rows} depths. Arrow keys move between cells.`)}
          @pointermove=${this.onPointerMove}
          @pointerleave=${() => (this.hover = null)}
          @keydown=${this.onKey}
          @focus=${() => (this.focusCell ??= { col: 0, row: 0 })}
        ></canvas>
        ${
          h
            ? html`<div class="tip" data-testid="phase-tip" style="left:${Math.min(h.x + 12, p.width - 220)}px;top:${h.y + 12}px">${this.describe(phaseCell(m, h.col, h.row))}</div>`
            : nothing
        }
      </div>
      <div class="readout" role="status" aria-live="polite" data-testid="phase-readout">${shown ? this.describe(phaseCell(m, shown.col, shown.row)) : nothing}</div>
      ${this.renderLegend(m)}
      ${
        m.data.predictedGain === null
          ? html`<p class="why-no-line" data-testid="no-line">
              ${msg('No predicted line: with identity weights a sigmoid net has no critical gain (its slope stays below 1 at every gain, so its gradients shrink at every gain).')}
            </p>`
          : nothing
      }
      <button type="button" data-testid="phase-table-toggle" aria-pressed=${this.showTable ? 'true' : 'false'} @click=${() => (this.showTable = !this.showTable)}>
        ${this.showTable ? msg('Hide table') : msg('Show as table')}
      </button>
      ${this.showTable ? this.renderTable(m) : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-phase-map': GpPhaseMap;
  }
}
