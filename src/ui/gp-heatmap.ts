import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues } from 'lit';
import { WidthController } from './width-controller';
import { customElement, property, query, state } from 'lit/decorators.js';
import { BACKGROUND, COLORMAPS, cssColor, type ColormapName } from '../viz/colormap';
import {
  CellStatus,
  cellAt,
  cellInfo,
  cellRect,
  labelStride,
  makeHeatmapModel,
  STATUS_LABELS,
  type CellRef,
  type HeatmapData,
  type HeatmapModel,
  type Rect,
} from '../viz/heatmap-model';
import { formatValue, type LogDomain, type LogTick } from '../viz/ticks';

/** Detail of the `row-select` event. */
export interface RowSelectDetail {
  row: number;
}

/** Where things are on the canvas, in CSS pixels. */
export interface HeatmapLayout {
  width: number;
  height: number;
  /** The area the cells fill. */
  plot: Rect;
  /** The colour bar (top = domain max). */
  bar: Rect;
  cellWidth: number;
  cellHeight: number;
  /** Every k-th row is labelled. */
  rowStride: number;
  /** Top of the legend row(s). */
  legendY: number;
}

const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const FONT = `12px ${FONT_FAMILY}`;
const BOLD_FONT = `600 12px ${FONT_FAMILY}`;
const SUP_FONT = `9px ${FONT_FAMILY}`;
const INK = '#1f1f1f';
const FRAME = '#8a8a8a';
const TABLE_PAGE = 32;

let measureCtx: CanvasRenderingContext2D | null = null;
function measurer(): CanvasRenderingContext2D {
  measureCtx ??= document.createElement('canvas').getContext('2d')!;
  return measureCtx;
}

/** Width of a colour-bar tick label: `10` with a superscript exponent for decades, else the label. */
function tickLabelWidth(ctx: CanvasRenderingContext2D, t: LogTick): number {
  if (t.exponent === null) {
    ctx.font = FONT;
    return ctx.measureText(t.label).width;
  }
  ctx.font = FONT;
  const base = ctx.measureText('10').width;
  ctx.font = SUP_FONT;
  return base + 1 + ctx.measureText(String(t.exponent)).width;
}

function drawTickLabel(ctx: CanvasRenderingContext2D, t: LogTick, x: number, y: number): void {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.font = FONT;
  if (t.exponent === null) {
    ctx.fillText(t.label, x, y);
    return;
  }
  ctx.fillText('10', x, y + 2);
  const w = ctx.measureText('10').width;
  ctx.font = SUP_FONT;
  ctx.fillText(String(t.exponent), x + w + 1, y - 3);
}

function legendText(e: HeatmapModel['legend'][number]): string {
  return `${e.label} (${e.count})`;
}

/** Lays the chart out for a CSS width and device pixel ratio (text measured with the canvas font). */
function computeLayout(model: HeatmapModel, width: number, dpr: number): HeatmapLayout {
  const ctx = measurer();
  ctx.font = FONT;
  let rowLabelW = 0;
  for (const l of model.data.rowLabels) rowLabelW = Math.max(rowLabelW, ctx.measureText(l).width);
  let tickW = 0;
  for (const t of model.ticks) tickW = Math.max(tickW, tickLabelWidth(ctx, t));
  const left = 8 + 14 + 8 + Math.ceil(rowLabelW) + 6;
  const right = 14 + 14 + 6 + Math.ceil(tickW) + 10 + 14 + 8;
  const cols = Math.max(1, model.cols);
  const rows = Math.max(1, model.rows);
  const avail = Math.max(40, Math.floor(width) - left - right);
  // Whole device pixels per cell when they fit, so every cell is equally wide with sharp edges.
  const devAvail = Math.floor(avail * dpr);
  const plotW = devAvail >= cols ? (Math.floor(devAvail / cols) * cols) / dpr : avail;
  const cellH = Math.max(2, Math.min(24, Math.floor(360 / rows)));
  const plotH = cellH * rows;
  const top = 12;
  const plot = { x: left, y: top, width: plotW, height: plotH };
  const bar = { x: left + plotW + 14, y: top, width: 14, height: Math.max(plotH, 160) };
  const below = Math.max(top + plotH + 42, bar.y + bar.height + 10);
  // Legend: one row of swatches, wrapping when too wide.
  let lines = model.legend.length ? 1 : 0;
  let x = plot.x;
  const totalW = left + plotW + right;
  for (const e of model.legend) {
    const w = 12 + 5 + ctx.measureText(legendText(e)).width + 18;
    if (x + w > totalW && x > plot.x) {
      lines++;
      x = plot.x;
    }
    x += w;
  }
  return {
    width: totalW,
    height: below + lines * 20 + 6,
    plot,
    bar,
    cellWidth: plotW / cols,
    cellHeight: cellH,
    rowStride: labelStride(cellH, 14),
    legendY: below,
  };
}

interface DrawOptions {
  focus: CellRef | null;
  selectedRow: number | null;
}

/** Draws the whole chart (cells, axes, colour bar, legend) into ctx, whose transform maps CSS px. */
function drawHeatmap(ctx: CanvasRenderingContext2D, model: HeatmapModel, lay: HeatmapLayout, opt: DrawOptions): void {
  const { plot, bar } = lay;
  ctx.fillStyle = cssColor(BACKGROUND);
  ctx.fillRect(0, 0, lay.width, lay.height);

  // Cells: one pixel per cell, scaled up without smoothing so every cell is a flat, sharp block.
  if (model.rows > 0 && model.cols > 0) {
    const cells = document.createElement('canvas');
    cells.width = model.cols;
    cells.height = model.rows;
    cells.getContext('2d')!.putImageData(new ImageData(model.rgba, model.cols, model.rows), 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, plot.x, plot.y, plot.width, plot.height);
  }
  ctx.strokeStyle = FRAME;
  ctx.lineWidth = 1;
  ctx.strokeRect(plot.x - 0.5, plot.y - 0.5, plot.width + 1, plot.height + 1);

  // Row labels (sweep values) and title.
  ctx.fillStyle = INK;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let r = 0; r < model.rows; r++) {
    const selected = r === opt.selectedRow;
    if (r % lay.rowStride !== 0 && !selected) continue;
    ctx.font = selected ? BOLD_FONT : FONT;
    ctx.fillText(model.data.rowLabels[r], plot.x - 6, plot.y + (r + 0.5) * lay.cellHeight);
  }
  ctx.save();
  ctx.font = BOLD_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.translate(8 + 7, plot.y + plot.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(model.data.rowTitle, 0, 0);
  ctx.restore();

  // Column (layer) ticks and title.
  ctx.font = FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.strokeStyle = FRAME;
  for (const k of model.colTicks) {
    const x = Math.round(plot.x + (k - 0.5) * lay.cellWidth) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, plot.y + plot.height + 1);
    ctx.lineTo(x, plot.y + plot.height + 4);
    ctx.stroke();
    ctx.fillText(String(k), x, plot.y + plot.height + 6);
  }
  ctx.font = BOLD_FONT;
  ctx.fillText(model.data.colTitle, plot.x + plot.width / 2, plot.y + plot.height + 23);

  // Colour bar: the table bottom-to-top, smoothed (it is a continuum), with log ticks.
  const table = COLORMAPS[model.colormap];
  const strip = document.createElement('canvas');
  strip.width = 1;
  strip.height = 256;
  const img = new ImageData(1, 256);
  for (let i = 0; i < 256; i++) {
    const j = 3 * (255 - i);
    img.data.set([table[j], table[j + 1], table[j + 2], 255], 4 * i);
  }
  strip.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(strip, bar.x, bar.y, bar.width, bar.height);
  ctx.strokeStyle = FRAME;
  ctx.strokeRect(bar.x - 0.5, bar.y - 0.5, bar.width + 1, bar.height + 1);
  const { min, max } = model.domain;
  ctx.fillStyle = INK;
  let tickRight = bar.x + bar.width;
  for (const t of model.ticks) {
    const y = Math.round(bar.y + bar.height * (1 - (t.log10 - min) / (max - min))) + 0.5;
    ctx.beginPath();
    ctx.moveTo(bar.x + bar.width, y);
    ctx.lineTo(bar.x + bar.width + 4, y);
    ctx.stroke();
    drawTickLabel(ctx, t, bar.x + bar.width + 6, y);
    tickRight = Math.max(tickRight, bar.x + bar.width + 6 + tickLabelWidth(ctx, t));
  }
  ctx.save();
  ctx.font = BOLD_FONT;
  ctx.fillStyle = INK;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.translate(Math.min(lay.width - 10, tickRight + 14), bar.y + bar.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(model.data.quantity, 0, 0);
  ctx.restore();

  // Legend: swatches for the statuses present.
  ctx.font = FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  let x = plot.x;
  let y = lay.legendY + 10;
  for (const e of model.legend) {
    const text = legendText(e);
    const w = 12 + 5 + ctx.measureText(text).width + 18;
    if (x + w > lay.width && x > plot.x) {
      x = plot.x;
      y += 20;
    }
    ctx.fillStyle = e.status === CellStatus.None ? cssColor(BACKGROUND) : cssColor(e.rgba);
    ctx.fillRect(x, y - 6, 12, 12);
    ctx.strokeStyle = FRAME;
    ctx.strokeRect(x - 0.5, y - 6.5, 13, 13);
    ctx.fillStyle = INK;
    ctx.fillText(text, x + 17, y);
    x += w;
  }

  // Selected row and focused cell: dark outline with a white inner line, visible on any colour.
  const outline = (r: Rect) => {
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#000';
    ctx.strokeRect(r.x - 1, r.y - 1, r.width + 2, r.height + 2);
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(r.x + 0.5, r.y + 0.5, Math.max(0, r.width - 1), Math.max(0, r.height - 1));
  };
  if (opt.selectedRow !== null && opt.selectedRow >= 0 && opt.selectedRow < model.rows) {
    outline({ x: plot.x, y: plot.y + opt.selectedRow * lay.cellHeight, width: plot.width, height: lay.cellHeight });
  }
  if (opt.focus) {
    const r = cellRect(model, opt.focus.row, opt.focus.col, plot);
    // Heavier than the row outline and sticking out of it; tiny cells still get a ring big enough to see.
    const w = Math.max(r.width, 6) + 6;
    const h = Math.max(r.height, 6) + 6;
    const x = r.x + (r.width - w) / 2;
    const y = r.y + (r.height - h) / 2;
    ctx.lineWidth = 3;
    ctx.strokeStyle = '#000';
    ctx.strokeRect(x, y, w, h);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#fff';
    ctx.strokeRect(x + 2.25, y + 2.25, w - 4.5, h - 4.5);
  }
}

/**
 * Heatmap of a per-layer quantity across a sweep: rows = sweep values, columns = layers, colour =
 * log10 of the value, with reserved colours for overflow / underflow / NaN / no such layer. Values are
 * readable by hover tooltip, by keyboard (arrows, Home/End, PageUp/PageDown, Enter selects the row),
 * and in a table view. Fires `row-select` ({ row }) on click or Enter.
 */
@customElement('gp-heatmap')
export class GpHeatmap extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-family: ${unsafeCSS(FONT_FAMILY)};
      font-size: 13px;
      color: ${unsafeCSS(INK)};
    }
    .toolbar {
      display: flex;
      gap: 8px;
      align-items: center;
      margin-bottom: 4px;
    }
    button {
      font: inherit;
      padding: 2px 10px;
      border: 1px solid #888;
      border-radius: 4px;
      background: #f6f6f6;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: #dde7f5;
      border-color: #4a6ea9;
    }
    .stage {
      position: relative;
      width: 100%;
    }
    canvas {
      display: block;
      outline: none;
      cursor: crosshair;
    }
    canvas:focus-visible {
      box-shadow: 0 0 0 2px #4a6ea9;
    }
    .tip {
      position: absolute;
      pointer-events: none;
      background: rgba(255, 255, 255, 0.97);
      border: 1px solid #888;
      border-radius: 4px;
      padding: 4px 8px;
      font-size: 12px;
      line-height: 1.4;
      white-space: nowrap;
      box-shadow: 0 2px 6px rgba(0, 0, 0, 0.15);
      z-index: 1;
    }
    .readout {
      min-height: 1.4em;
      margin-top: 4px;
      font-variant-numeric: tabular-nums;
    }
    .table-wrap {
      margin-top: 8px;
      overflow: auto;
      max-height: 420px;
      border: 1px solid #ccc;
    }
    table {
      border-collapse: collapse;
      font-size: 12px;
      font-variant-numeric: tabular-nums;
    }
    caption {
      text-align: left;
      padding: 4px;
      font-weight: 600;
    }
    th,
    td {
      border: 1px solid #ddd;
      padding: 2px 6px;
      text-align: right;
      white-space: nowrap;
    }
    thead th {
      position: sticky;
      top: 0;
      background: #f3f3f3;
    }
    tbody th {
      position: sticky;
      left: 0;
      background: #fafafa;
    }
    tr.selected th,
    tr.selected td {
      background: #eef3fb;
    }
    td.overflow {
      color: #b0181c;
    }
    td.underflow {
      color: #2a5db0;
    }
    td.nan {
      font-weight: 600;
    }
    td.lost {
      color: #8b2f8b;
      font-style: italic;
    }
    td.none {
      color: #999;
    }
    .pager {
      display: flex;
      gap: 8px;
      align-items: center;
      margin-top: 4px;
    }
  `;

  /** The grid to show (values are raw; colour is log10|value|). */
  @property({ attribute: false }) data: HeatmapData | null = null;

  /** Colour table. */
  @property() colormap: ColormapName = 'viridis';

  /** Fixed log10 colour domain, e.g. to keep colours comparable across sweeps; default: the data range. */
  @property({ attribute: false }) domain: LogDomain | null = null;

  /** The selected row (outlined), or null. */
  @property({ type: Number, attribute: 'selected-row' }) selectedRow: number | null = null;

  private readonly size = new WidthController(this);
  @state() private focusCell: CellRef | null = null;
  @state() private hasFocus = false;
  @state() private hover: { cell: CellRef; x: number; y: number } | null = null;
  @state() private showTable = false;
  @state() private tablePage = 0;

  @query('canvas') private canvas!: HTMLCanvasElement;
  @query('.stage') private stage!: HTMLElement;

  private model: HeatmapModel | null = null;
  private lay: HeatmapLayout | null = null;

  /** The derived model (colours, ranges, ticks, legend), or null without data. */
  get heatmapModel(): HeatmapModel | null {
    return this.model;
  }

  /** Current layout in CSS pixels (plot and colour-bar rectangles), or null before the first render. */
  get layout(): HeatmapLayout | null {
    return this.lay;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('data') || changed.has('colormap') || changed.has('domain')) {
      this.model = this.data ? makeHeatmapModel(this.data, { colormap: this.colormap, domain: this.domain ?? undefined }) : null;
      const m = this.model;
      if (!m || (this.focusCell && (this.focusCell.row >= m.rows || this.focusCell.col >= m.cols))) this.focusCell = null;
      this.hover = null;
      if (m && this.tablePage * TABLE_PAGE >= m.cols) this.tablePage = 0;
    }
    this.lay = this.model ? computeLayout(this.model, this.size.width || this.clientWidth || 640, window.devicePixelRatio || 1) : null;
  }

  protected override updated(): void {
    this.draw();
  }

  private draw(): void {
    const canvas = this.canvas;
    if (!canvas || !this.model || !this.lay) return;
    const dpr = window.devicePixelRatio || 1;
    const { width, height } = this.lay;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawHeatmap(ctx, this.model, this.lay, {
      focus: this.hasFocus ? this.focusCell : null,
      selectedRow: this.selectedRow,
    });
  }

  /** The chart (cells, axes, colour bar, legend) as a PNG data URL, drawn at `scale`× (default 2). */
  toDataURL(scale = 2): string {
    return this.exportCanvas(scale).toDataURL('image/png');
  }

  /** The chart as a PNG blob, drawn at `scale`× (default 2). */
  toPngBlob(scale = 2): Promise<Blob> {
    const canvas = this.exportCanvas(scale);
    return new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('gp-heatmap: PNG encoding failed'))), 'image/png'),
    );
  }

  private exportCanvas(scale: number): HTMLCanvasElement {
    if (!this.model) throw new Error('gp-heatmap: no data to export');
    const lay = this.lay ?? computeLayout(this.model, this.size.width || 640, scale);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(lay.width * scale);
    canvas.height = Math.round(lay.height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    drawHeatmap(ctx, this.model, lay, { focus: null, selectedRow: this.selectedRow });
    return canvas;
  }

  private selectRow(row: number): void {
    this.selectedRow = row;
    this.dispatchEvent(
      new CustomEvent<RowSelectDetail>('row-select', { detail: { row }, bubbles: true, composed: true }),
    );
  }

  private cellFromEvent(e: MouseEvent): { cell: CellRef; x: number; y: number } | null {
    if (!this.model || !this.lay) return null;
    const box = this.canvas.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    const cell = cellAt(this.model, x, y, this.lay.plot);
    return cell ? { cell, x, y } : null;
  }

  private onPointerMove(e: PointerEvent): void {
    const h = this.cellFromEvent(e);
    if (!h) {
      if (this.hover) this.hover = null;
      return;
    }
    if (!this.hover || this.hover.cell.row !== h.cell.row || this.hover.cell.col !== h.cell.col || this.hover.x !== h.x || this.hover.y !== h.y) {
      this.hover = h;
    }
  }

  private onClick(e: MouseEvent): void {
    const h = this.cellFromEvent(e);
    if (!h) return;
    this.focusCell = h.cell;
    this.selectRow(h.cell.row);
  }

  private onFocus(): void {
    this.hasFocus = true;
    if (!this.focusCell && this.model && this.model.rows > 0 && this.model.cols > 0) {
      const r = this.selectedRow;
      this.focusCell = { row: r !== null && r >= 0 && r < this.model.rows ? r : 0, col: 0 };
    }
  }

  private lastLayer(row: number): number {
    const m = this.model!;
    for (let c = m.cols - 1; c >= 0; c--) if (m.status[row * m.cols + c] !== CellStatus.None) return c;
    return m.cols - 1;
  }

  private onKeyDown(e: KeyboardEvent): void {
    const m = this.model;
    if (!m || m.rows === 0 || m.cols === 0) return;
    const cur = this.focusCell ?? { row: 0, col: 0 };
    let { row, col } = cur;
    switch (e.key) {
      case 'ArrowLeft':
        col--;
        break;
      case 'ArrowRight':
        col++;
        break;
      case 'ArrowUp':
        row--;
        break;
      case 'ArrowDown':
        row++;
        break;
      case 'PageUp':
        row -= 10;
        break;
      case 'PageDown':
        row += 10;
        break;
      case 'Home':
        if (e.ctrlKey || e.metaKey) row = 0;
        col = 0;
        break;
      case 'End':
        if (e.ctrlKey || e.metaKey) row = m.rows - 1;
        col = this.lastLayer(Math.max(0, Math.min(m.rows - 1, row)));
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.focusCell = cur;
        this.selectRow(cur.row);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.focusCell = { row: Math.max(0, Math.min(m.rows - 1, row)), col: Math.max(0, Math.min(m.cols - 1, col)) };
    this.hover = null;
  }

  private renderTooltip() {
    const h = this.hover;
    if (!h || !this.model || !this.stage) return nothing;
    const info = cellInfo(this.model, h.cell.row, h.cell.col);
    const d = this.model.data;
    // Keep the tooltip inside the stage: flip to the left of the pointer near the right edge.
    const flip = h.x > this.stage.clientWidth - 220;
    const style = flip ? `right:${this.stage.clientWidth - h.x + 12}px;top:${h.y + 14}px` : `left:${h.x + 14}px;top:${h.y + 14}px`;
    return html`<div class="tip" role="tooltip" style=${style}>
      <div><b>${d.rowTitle} = ${info.rowLabel}</b>, layer ${info.layer}</div>
      ${info.status === 'none'
        ? html`<div>${STATUS_LABELS.none}</div>`
        : html`<div>${d.quantity} = <span class="value">${formatValue(info.value)}</span></div>
            <div>status: <span class="status">${STATUS_LABELS[info.status]}</span></div>
            ${info.lostCause ? html`<div class="cause">${info.lostCause}; f32 holds nothing meaningful after that</div>` : nothing}`}
    </div>`;
  }

  private renderTable() {
    const m = this.model!;
    const d = m.data;
    const pages = Math.max(1, Math.ceil(m.cols / TABLE_PAGE));
    const c0 = this.tablePage * TABLE_PAGE;
    const c1 = Math.min(m.cols, c0 + TABLE_PAGE);
    const cols = Array.from({ length: c1 - c0 }, (_, i) => c0 + i);
    return html`
      ${pages > 1
        ? html`<div class="pager">
            <button ?disabled=${this.tablePage === 0} @click=${() => this.tablePage--}>◀ previous layers</button>
            <span>layers ${c0 + 1}–${c1} of ${m.cols}</span>
            <button ?disabled=${this.tablePage >= pages - 1} @click=${() => this.tablePage++}>next layers ▶</button>
          </div>`
        : nothing}
      <div class="table-wrap">
        <table>
          <caption>
            ${d.quantity} by ${d.rowTitle} (rows) and layer (columns)
          </caption>
          <thead>
            <tr>
              <th scope="col">${d.rowTitle} \\ layer</th>
              ${cols.map((c) => html`<th scope="col">${c + 1}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${d.rowLabels.map(
              (label, r) => html`<tr class=${r === this.selectedRow ? 'selected' : ''}>
                <th scope="row">${label}</th>
                ${cols.map((c) => {
                  const info = cellInfo(m, r, c);
                  return html`<td class=${info.status} title=${info.lostCause ?? nothing}>${info.status === 'none' ? '—' : info.valueText}</td>`;
                })}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }

  protected override render() {
    const m = this.model;
    if (!m) return html`<div class="readout">No data.</div>`;
    const focusText = this.focusCell ? cellInfo(m, this.focusCell.row, this.focusCell.col).text : '';
    const range = m.range
      ? `log colour scale, values from ${formatValue(10 ** m.range.min)} to ${formatValue(10 ** m.range.max)}`
      : 'no finite values';
    const legend = m.legend.map((e) => `${e.label}: ${e.count} cells`).join(', ');
    const label = `Heatmap of ${m.data.quantity} by ${m.data.rowTitle} (${m.rows} rows) and layer (${m.cols} columns); ${range}${legend ? '; ' + legend : ''}. Arrow keys move between cells, Enter selects the row.`;
    return html`
      <div class="toolbar">
        <button type="button" aria-pressed=${this.showTable ? 'true' : 'false'} @click=${() => (this.showTable = !this.showTable)}>
          Table
        </button>
      </div>
      <div class="stage">
        <canvas
          tabindex="0"
          role="application"
          aria-roledescription="heatmap"
          aria-label=${label}
          aria-describedby="readout"
          @pointermove=${this.onPointerMove}
          @pointerleave=${() => (this.hover = null)}
          @click=${this.onClick}
          @keydown=${this.onKeyDown}
          @focus=${this.onFocus}
          @blur=${() => (this.hasFocus = false)}
        ></canvas>
        ${this.renderTooltip()}
      </div>
      <div id="readout" class="readout" aria-live="polite" aria-atomic="true">${focusText}</div>
      ${this.showTable ? this.renderTable() : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-heatmap': GpHeatmap;
  }
  interface HTMLElementEventMap {
    'row-select': CustomEvent<RowSelectDetail>;
  }
}
