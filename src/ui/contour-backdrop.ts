import type { Contours, ValueGrid } from '../viz/contours';
import { VIRIDIS, colorAt, cssColor } from '../viz/colormap';
import { niceTicks } from '../viz/scatter-model';
import { formatMagnitude } from '../locale-format';
import { FONT } from './contour-key';

/**
 * Draws what a contour plot shows under its path (it changes only with the grid and the size, so the plot
 * caches it): the plot square's frame, the contour lines (viridis, low to high), the axes' ticks and the axis
 * titles. `lay` is the plot's layout in CSS pixels; `surface` is null before a grid is there (frame and titles only).
 */
export function drawContourBackdrop(
  ctx: CanvasRenderingContext2D,
  lay: { width: number; height: number; x: number; y: number; side: number },
  surface: { grid: Pick<ValueGrid, 'x' | 'y' | 'size'>; contours: Contours } | null,
  xTitle: string,
  yTitle: string,
): void {
  ctx.font = FONT;
  ctx.strokeStyle = '#8a8a8a';
  ctx.lineWidth = 1;
  ctx.strokeRect(lay.x + 0.5, lay.y + 0.5, lay.side - 1, lay.side - 1);
  if (surface) {
    const { grid: g, contours } = surface;
    const s = lay.side / Math.max(1, g.size - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(lay.x, lay.y, lay.side, lay.side);
    ctx.clip();
    const n = contours.lines.length;
    contours.lines.forEach((line, k) => {
      ctx.strokeStyle = cssColor(colorAt(VIRIDIS, n > 1 ? (0.85 * k) / (n - 1) : 0));
      ctx.lineWidth = 1;
      ctx.beginPath();
      const seg = line.segments;
      for (let i = 0; i < seg.length; i += 4) {
        // rows grow upwards (w_y increases up)
        ctx.moveTo(lay.x + seg[i] * s, lay.y + lay.side - seg[i + 1] * s);
        ctx.lineTo(lay.x + seg[i + 2] * s, lay.y + lay.side - seg[i + 3] * s);
      }
      ctx.stroke();
    });
    ctx.restore();
    // ticks
    ctx.fillStyle = '#1f1f1f';
    ctx.strokeStyle = '#8a8a8a';
    const xt = niceTicks(g.x.min, g.x.max, Math.max(2, Math.floor(lay.side / 70)));
    const yt = niceTicks(g.y.min, g.y.max, Math.max(2, Math.floor(lay.side / 50)));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of xt) {
      const px = lay.x + ((t - g.x.min) / (g.x.max - g.x.min)) * lay.side;
      ctx.beginPath();
      ctx.moveTo(px, lay.y + lay.side);
      ctx.lineTo(px, lay.y + lay.side + 4);
      ctx.stroke();
      ctx.fillText(formatMagnitude(t), px, lay.y + lay.side + 6);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of yt) {
      const py = lay.y + lay.side - ((t - g.y.min) / (g.y.max - g.y.min)) * lay.side;
      ctx.beginPath();
      ctx.moveTo(lay.x - 4, py);
      ctx.lineTo(lay.x, py);
      ctx.stroke();
      ctx.fillText(formatMagnitude(t), lay.x - 6, py);
    }
  }
  ctx.fillStyle = '#1f1f1f';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(xTitle, lay.x + lay.side / 2, lay.height - 6);
  ctx.save();
  ctx.translate(12, lay.y + lay.side / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(yTitle, 0, 0);
  ctx.restore();
}
