import { svg } from 'lit';
import { msg, str } from '@lit/localize';
import { formatSignificant } from '../locale-format';

/** The contour plot's canvas font (its ticks, titles, inset label and exported key). */
export const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';

/** A marker drawn on the plot, for its key: the start □, the last step ◆, the minimum ✕, and the ring ○ around a path shown zoomed. */
export type ContourMarker = 'start' | 'end' | 'optimum' | 'ring';

/** An entry of the key: a marker, or the descent path itself (a line with a dot). */
export type KeyEntry = ContourMarker | 'path';

/** One entry of the key drawn under the exported plot: its marker at (x, row), its text wrapped into lines. */
export interface KeyItem {
  m: KeyEntry;
  x: number;
  row: number;
  text: string[];
}

/** The end marker: a diamond of half-diagonal r in the path's colour with a dark outline. */
export function diamond(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, fill: string): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.lineTo(x + r, y);
  ctx.lineTo(x, y + r);
  ctx.lineTo(x - r, y);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#1f1f1f';
  ctx.stroke();
}

/** The ✕ of the minimum J*: arms of half-length r. */
export function cross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, lineWidth: number): void {
  ctx.strokeStyle = '#1f1f1f';
  ctx.lineWidth = lineWidth;
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.stroke();
}

/** What a marker on the plot means (English and Korean via msg), for the key and the exported PNG; `zoom` is the inset's. */
export function markerText(m: ContourMarker, zoom: number): string {
  switch (m) {
    case 'start':
      return msg('start (w = 0)');
    case 'end':
      return msg('last step');
    case 'optimum':
      return msg('minimum J*');
    case 'ring':
      return msg(str`the path, too short to see here: zoomed ×${formatSignificant(zoom, 2)} in the inset`);
  }
}

/** What the path's line means: with up to 300 steps each step is a dot on it. */
export function pathText(steps: number): string {
  return steps <= 300 ? msg('descent path, a dot per step') : msg('descent path');
}

/** The key's symbol of a marker (SVG, 14 × 14), drawn like the marker on the canvas; `color` is the path's. */
export function keySymbol(m: ContourMarker, color: string) {
  const dark = '#1f1f1f';
  switch (m) {
    case 'start':
      return svg`<rect x="2" y="2" width="10" height="10" fill="none" stroke=${dark} stroke-width="2" />`;
    case 'end':
      return svg`<path d="M7 1.5 L12.5 7 L7 12.5 L1.5 7 Z" fill=${color} stroke=${dark} stroke-width="1.5" />`;
    case 'optimum':
      return svg`<path d="M2 2 L12 12 M12 2 L2 12" stroke=${dark} stroke-width="2.5" />`;
    case 'ring':
      return svg`<circle cx="7" cy="7" r="5.5" fill="none" stroke=${dark} stroke-width="1.5" />`;
  }
}

/** The key's entries (marker and text) laid out in rows `width` wide under the plot, for the PNG: each at (x, row), with the key's height. */
export function keyRows(entries: { m: KeyEntry; text: string }[], width: number): { items: KeyItem[]; height: number } {
  if (entries.length === 0) return { items: [], height: 0 };
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = FONT;
  const items: KeyItem[] = [];
  const room = width - 8 - 18 - 4;
  let x = 8;
  let row = 0;
  for (const { m, text } of entries) {
    // A text longer than a row wraps at spaces onto rows of its own.
    const lines: string[] = [];
    for (const word of text.split(' ')) {
      const last = lines.length ? lines[lines.length - 1] : null;
      if (last !== null && ctx.measureText(last + ' ' + word).width <= room) lines[lines.length - 1] = last + ' ' + word;
      else lines.push(word);
    }
    const w = 18 + Math.max(...lines.map((l) => ctx.measureText(l).width)) + 14;
    if (x > 8 && (x + w > width - 4 || lines.length > 1)) {
      row++;
      x = 8;
    }
    items.push({ m, x, row, text: lines });
    if (lines.length > 1) {
      row += lines.length;
      x = 8;
    } else x += w;
  }
  const rows = x === 8 ? row : row + 1;
  return { items, height: rows * 18 + 6 };
}

/** Draws the key's items (from `keyRows`) from `top` down; `color` is the path's (the ◆ is filled with it). */
export function drawKey(ctx: CanvasRenderingContext2D, items: KeyItem[], top: number, color: string): void {
  ctx.save();
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  for (const { m, x, row, text } of items) {
    const cy = top + 10 + row * 18;
    const cx = x + 6;
    ctx.strokeStyle = '#1f1f1f';
    if (m === 'path') {
      ctx.strokeStyle = color;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(cx - 6, cy + 3);
      ctx.lineTo(cx + 6, cy - 3);
      ctx.stroke();
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(cx, cy, 2.2, 0, 2 * Math.PI);
      ctx.fill();
    } else if (m === 'start') {
      ctx.lineWidth = 2;
      ctx.strokeRect(cx - 5, cy - 5, 10, 10);
    } else if (m === 'end') diamond(ctx, cx, cy, 6, color);
    else if (m === 'optimum') cross(ctx, cx, cy, 5, 2.5);
    else {
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(cx, cy, 6, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.fillStyle = '#1f1f1f';
    text.forEach((line, i) => ctx.fillText(line, x + 18, cy + i * 18));
  }
  ctx.restore();
}
