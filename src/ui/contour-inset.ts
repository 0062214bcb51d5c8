import { msg, str } from '@lit/localize';
import { formatSignificant } from '../locale-format';
import { INSET_HEADER, insetCorner, type InsetFrame, type WeightWindow } from '../viz/contour-inset';
import { FONT, cross, diamond } from './contour-key';

/** What the inset shows: the first `steps` points of a descent path (d weights per point, drawn on `axes`) and the optimum. */
export interface InsetContent {
  path: ArrayLike<number>;
  d: number;
  axes: readonly [number, number];
  steps: number;
  optimum: ArrayLike<number> | null;
  /** CSS colour of the path. */
  color: string;
}

/**
 * Draws the inset of a path too small to see at the plot's scale: a small ring where the path is, a dashed
 * line to the inset's nearest corner, and the square inset (zoom window `w` at `frame`) with its zoom label,
 * the path, its start □, its last step ◆ and the optimum ✕ when inside.
 */
export function drawInset(ctx: CanvasRenderingContext2D, frame: InsetFrame, w: WeightWindow & { zoom: number }, content: InsetContent): void {
  const { path, steps, optimum: o, color } = content;
  const [ax, ay] = content.axes;
  const d = Math.max(1, content.d);
  const { px, py, left, top, side, ip } = frame;
  ctx.save();
  ctx.strokeStyle = '#1f1f1f';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.arc(px, py, 7, 0, 2 * Math.PI);
  ctx.stroke();
  // A thin line from the ring to the inset's nearest corner ties the two together.
  const [cx, cy] = insetCorner(frame);
  const len = Math.hypot(cx - px, cy - py);
  if (len > 10) {
    ctx.save();
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(px + ((cx - px) * 7) / len, py + ((cy - py) * 7) / len);
    ctx.lineTo(cx, cy);
    ctx.stroke();
    ctx.restore();
  }
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.fillRect(left, top, side, side + INSET_HEADER);
  ctx.strokeRect(left + 0.5, top + 0.5, side - 1, side + INSET_HEADER - 1);
  ctx.font = FONT;
  ctx.fillStyle = '#1f1f1f';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(msg(str`zoom ×${formatSignificant(w.zoom, 2)}`), left + 4, top + INSET_HEADER / 2 + 1, side - 8);
  ctx.beginPath();
  ctx.moveTo(left, top + INSET_HEADER + 0.5);
  ctx.lineTo(left + side, top + INSET_HEADER + 0.5);
  ctx.strokeStyle = '#d0d7de';
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.beginPath();
  ctx.rect(left, top + INSET_HEADER, side, side);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let k = 0; k < steps; k++) {
    const [x, y] = ip(path[k * d + ax], path[k * d + ay]);
    if (k === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
  for (let k = 0; k < Math.min(steps, 300); k++) {
    const [x, y] = ip(path[k * d + ax], path[k * d + ay]);
    ctx.beginPath();
    ctx.arc(x, y, 1.8, 0, 2 * Math.PI);
    ctx.fill();
  }
  const [sx, sy] = ip(path[ax], path[ay]);
  ctx.strokeStyle = '#1f1f1f';
  ctx.lineWidth = 1.5;
  ctx.strokeRect(sx - 4, sy - 4, 8, 8);
  if (steps > 1) {
    const [ex, ey] = ip(path[(steps - 1) * d + ax], path[(steps - 1) * d + ay]);
    diamond(ctx, ex, ey, 7, color);
  }
  if (o && o[ax] >= w.x.min && o[ax] <= w.x.max && o[ay] >= w.y.min && o[ay] <= w.y.max) {
    const [ox, oy] = ip(o[ax], o[ay]);
    cross(ctx, ox, oy, 5, 2);
  }
  ctx.restore();
}
