// Canvas drawing of gp-heatmap: the layout (text measured with the canvas font) and the chart itself
// (cells, axes, colour bar with log ticks, legend, selected row and focused cell). The colours, ticks and
// legend come from the DOM-free model (src/viz/heatmap-model.ts).
import { BACKGROUND, COLORMAPS, cssColor } from '../viz/colormap';
import { CellStatus, cellRect, labelStride, type CellRef, type HeatmapModel, type Rect } from '../viz/heatmap-model';
import { thinnedTickLabels, type LogTick } from '../viz/ticks';
import { formatCount } from '../locale-format';

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

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const FONT = `12px ${FONT_FAMILY}`;
const BOLD_FONT = `600 12px ${FONT_FAMILY}`;
const SUP_FONT = `9px ${FONT_FAMILY}`;
export const INK = '#1f1f1f';
const FRAME = '#8a8a8a';

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

// "overflow (above 1e38): 3": the count after a colon, since the label may hold its own parentheses.
function legendText(e: HeatmapModel['legend'][number]): string {
  return `${e.label}: ${formatCount(e.count)}`;
}

/** Lays the chart out for a CSS width and device pixel ratio (text measured with the canvas font). */
export function computeLayout(model: HeatmapModel, width: number, dpr: number): HeatmapLayout {
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
  // Legend: one row of swatches, wrapping when too wide; measured in the font it is drawn in (the tick
  // labels above leave the superscript font set, which would undercount the lines on a narrow chart).
  ctx.font = FONT;
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

export interface DrawOptions {
  focus: CellRef | null;
  selectedRow: number | null;
}

/** Draws the whole chart (cells, axes, colour bar, legend) into ctx, whose transform maps CSS px. */
export function drawHeatmap(ctx: CanvasRenderingContext2D, model: HeatmapModel, lay: HeatmapLayout, opt: DrawOptions): void {
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
  // On a narrow chart the labels would run into each other ("80100120"): only an evenly spaced subset is
  // labelled (thinnedTickLabels); every tick stays.
  const colX = (k: number) => Math.round(plot.x + (k - model.firstCol + 0.5) * lay.cellWidth) + 0.5;
  const labelled = new Set(
    thinnedTickLabels(model.colTicks, (k) => {
      const half = ctx.measureText(String(k)).width / 2;
      return [colX(k) - half, colX(k) + half];
    }),
  );
  for (const k of model.colTicks) {
    const x = colX(k);
    ctx.beginPath();
    ctx.moveTo(x, plot.y + plot.height + 1);
    ctx.lineTo(x, plot.y + plot.height + 4);
    ctx.stroke();
    if (labelled.has(k)) ctx.fillText(String(k), x, plot.y + plot.height + 6);
  }
  ctx.font = BOLD_FONT;
  // Centred under the plot, but kept inside the canvas where a long title (the Training lab's) is wider than the plot.
  const titleHalf = ctx.measureText(model.data.colTitle).width / 2;
  const titleX = Math.max(titleHalf + 2, Math.min(plot.x + plot.width / 2, lay.width - titleHalf - 2));
  ctx.fillText(model.data.colTitle, titleX, plot.y + plot.height + 23);

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
