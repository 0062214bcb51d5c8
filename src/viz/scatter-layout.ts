// DOM-free geometry of a scatter plot (gp-scatter-plot): the plot area for a width, the data → pixel maps, and
// where the stretched inset of a thin cloud goes. The inset and its label are placed from the data's own
// extent, in the largest strip of the plot area the points leave free, so neither covers a data point; the
// label sits in a header strip above the inset's own points, so it covers none of those either.

import type { ScatterModel } from './scatter-model';

/** Margins around the plot area, CSS pixels (the legend row is in the top margin). */
export const SCATTER_MARGIN = Object.freeze({ left: 62, right: 12, top: 26, bottom: 40 });
/** Height of a plot without equal scale. */
export const SCATTER_HEIGHT = 300;
/** Radius of a train dot and half-size of a test cross in the main plot (pixels). */
export const SCATTER_MARK = 3;
/** Height of the inset's header strip, which holds its label. */
export const INSET_LABEL_HEIGHT = 15;

/** An axis-aligned rectangle, CSS pixels. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The canvas size and the plot area inside it. */
export interface ScatterLayout {
  width: number;
  height: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the stretched inset goes: its frame, the header strip with its label, and the area its points use. */
export interface InsetPlacement {
  box: Rect;
  label: Rect;
  data: Rect;
}

/** The canvas and plot area for a host `width`; with `square` (an equal-scale model) the plot area is square. */
export function scatterLayout(width: number, square = false): ScatterLayout {
  const M = SCATTER_MARGIN;
  const w = Math.max(120, Math.min(520, width) - M.left - M.right);
  if (square) {
    const side = Math.min(w, 300);
    return { width: side + M.left + M.right, height: side + M.top + M.bottom, x: M.left, y: M.top, w: side, h: side };
  }
  return { width: w + M.left + M.right, height: SCATTER_HEIGHT, x: M.left, y: M.top, w, h: SCATTER_HEIGHT - M.top - M.bottom };
}

/** Data → pixel maps of the main plot area. */
export function scatterScales(m: Pick<ScatterModel, 'x' | 'y'>, lay: ScatterLayout): { px: (v: number) => number; py: (v: number) => number } {
  return {
    px: (v) => lay.x + ((v - m.x.min) / (m.x.max - m.x.min)) * lay.w,
    py: (v) => lay.y + lay.h - ((v - m.y.min) / (m.y.max - m.y.min)) * lay.h,
  };
}

/**
 * Where the inset of a thin cloud goes (null without one). The points' pixel box (from the model's data extent
 * plus a mark's size) leaves up to four free strips in the plot area (above, below, left, right); the inset
 * goes into the roomiest, in its corner away from the points, at most 42 % of the plot wide and tall and at
 * least as wide as its label (`labelWidth`, measured by the caller) when the strip allows. Its label has its own
 * header strip, so it never lies over the inset's points.
 */
export function insetPlacement(m: Pick<ScatterModel, 'x' | 'y' | 'inset'>, lay: ScatterLayout, labelWidth: number): InsetPlacement | null {
  const r = m.inset;
  if (!r) return null;
  const { px, py } = scatterScales(m, lay);
  const pad = SCATTER_MARK + 1;
  // The points' box in pixels, clamped to the plot area.
  const left = Math.max(lay.x, Math.min(px(r.x.min), px(r.x.max)) - pad);
  const right = Math.min(lay.x + lay.w, Math.max(px(r.x.min), px(r.x.max)) + pad);
  const top = Math.max(lay.y, Math.min(py(r.y.min), py(r.y.max)) - pad);
  const bottom = Math.min(lay.y + lay.h, Math.max(py(r.y.min), py(r.y.max)) + pad);
  const gap = 4;
  // Free strips, each with the corner the inset is pushed into (away from the points).
  const strips: { rect: Rect; alignRight: boolean; alignBottom: boolean }[] = [
    { rect: { x: lay.x, y: lay.y, w: lay.w, h: top - lay.y }, alignRight: true, alignBottom: false },
    { rect: { x: lay.x, y: bottom, w: lay.w, h: lay.y + lay.h - bottom }, alignRight: true, alignBottom: true },
    { rect: { x: right, y: lay.y, w: lay.x + lay.w - right, h: lay.h }, alignRight: true, alignBottom: false },
    { rect: { x: lay.x, y: lay.y, w: left - lay.x, h: lay.h }, alignRight: false, alignBottom: false },
  ];
  const room = (s: Rect) => Math.min(s.w, s.h);
  const best = strips.reduce((a, b) => (room(b.rect) > room(a.rect) ? b : a));
  const s = best.rect;
  const maxW = s.w - 2 * gap;
  const maxH = s.h - 2 * gap;
  // Too little room to show anything readable beside the points: no inset (the description still gives the ranges).
  if (maxW < 40 || maxH < INSET_LABEL_HEIGHT + 24) return null;
  const h = Math.min(maxH, Math.round(lay.h * 0.42));
  const w = Math.min(maxW, Math.max(Math.round(lay.w * 0.42), Math.ceil(labelWidth) + 8));
  const x = best.alignRight ? s.x + s.w - gap - w : s.x + gap;
  const y = best.alignBottom ? s.y + s.h - gap - h : s.y + gap;
  return {
    box: { x, y, w, h },
    label: { x, y, w, h: INSET_LABEL_HEIGHT },
    data: { x: x + 3, y: y + INSET_LABEL_HEIGHT + 3, w: w - 6, h: h - INSET_LABEL_HEIGHT - 6 },
  };
}
