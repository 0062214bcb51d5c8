import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { WidthController } from './width-controller';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { currentLocale } from './locale';
import { formatCount, formatMagnitude } from '../locale-format';
import type { ColormapName } from '../viz/colormap';
import { CellStatus, cellAt, cellInfo, makeHeatmapModel, STATUS_LABELS, type CellRef, type HeatmapData, type HeatmapModel } from '../viz/heatmap-model';
import type { LogDomain } from '../viz/ticks';
import { computeLayout, drawHeatmap, type HeatmapLayout } from './heatmap-draw';
import { heatmapCanvasStyles } from './heatmap-styles';
import { renderHeatmapTable, heatmapTableStyles, TABLE_PAGE } from './heatmap-table';

export type { HeatmapLayout } from './heatmap-draw';

/** Detail of the `row-select` event. */
export interface RowSelectDetail {
  row: number;
}

/**
 * Heatmap of a per-layer quantity across a sweep: rows = sweep values, columns = layers, colour =
 * log10 of the value, with reserved colours for overflow / underflow / NaN / no such layer. Values are
 * readable by hover tooltip, by keyboard (arrows, Home/End, PageUp/PageDown, Enter selects the row),
 * and in a table view. Fires `row-select` ({ row }) on click or Enter.
 */
@customElement('gp-heatmap')
@localized()
export class GpHeatmap extends LitElement {
  static override styles = [
    heatmapTableStyles,
    heatmapCanvasStyles,
    css`
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
        width: 100%;
      }
      .tip {
        line-height: 1.4;
        box-shadow: 0 2px 6px rgba(0, 0, 0, 0.15);
      }
    `,
  ];

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
  private modelLocale = '';

  /** The derived model (colours, ranges, ticks, legend), or null without data. */
  get heatmapModel(): HeatmapModel | null {
    return this.model;
  }

  /** Current layout in CSS pixels (plot and colour-bar rectangles), or null before the first render. */
  get layout(): HeatmapLayout | null {
    return this.lay;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The legend's labels are made in the language shown: a language switch remakes the model.
    const locale = currentLocale();
    if (changed.has('data') || changed.has('colormap') || changed.has('domain') || locale !== this.modelLocale) {
      this.modelLocale = locale;
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
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('gp-heatmap: PNG encoding failed'))), 'image/png'));
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
    this.dispatchEvent(new CustomEvent<RowSelectDetail>('row-select', { detail: { row }, bubbles: true, composed: true }));
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
      <div>${info.colName !== null ? msg(html`<b>${d.rowTitle} = ${info.rowLabel}</b>, ${info.colName}`) : msg(html`<b>${d.rowTitle} = ${info.rowLabel}</b>, layer ${info.layer}`)}</div>
      ${
        info.status === 'none'
          ? html`<div>${STATUS_LABELS.none}</div>`
          : html`<div>${d.quantity} = <span class="value">${formatMagnitude(info.value)}</span></div>
            <div>${msg('status:')} <span class="status">${STATUS_LABELS[info.status]}</span></div>
            ${info.lostCause ? html`<div class="cause">${msg(str`${info.lostCause}; f32 holds nothing meaningful after that`)}</div>` : nothing}`
      }
    </div>`;
  }

  protected override render() {
    const m = this.model;
    if (!m) return html`<div class="readout">${msg('No data.')}</div>`;
    const focusText = this.focusCell ? cellInfo(m, this.focusCell.row, this.focusCell.col).text : '';
    const range = m.range
      ? msg(str`log colour scale, values from ${formatMagnitude(10 ** m.range.min)} to ${formatMagnitude(10 ** m.range.max)}`)
      : msg('no finite values');
    const legend = m.legend.map((e) => msg(str`${e.label}: ${formatCount(e.count)} cells`)).join(', ');
    const cols = m.data.colUnit === 'update' ? msg('weight updates so far') : msg('layer');
    const label = msg(
      str`Heatmap of ${m.data.quantity} by ${m.data.rowTitle} (${formatCount(m.rows)} rows) and ${cols} (${formatCount(m.cols)} columns); ${range}${legend ? '; ' + legend : ''}. Arrow keys move between cells, Enter selects the row.`,
    );
    return html`
      <div class="toolbar">
        <button type="button" aria-pressed=${this.showTable ? 'true' : 'false'} @click=${() => (this.showTable = !this.showTable)}>
          ${msg('Table')}
        </button>
      </div>
      <div class="stage">
        <canvas
          tabindex="0"
          role="application"
          aria-roledescription=${msg('heatmap')}
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
      ${this.showTable ? renderHeatmapTable(this.model!, this.tablePage, this.selectedRow, (page) => (this.tablePage = page)) : nothing}
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
