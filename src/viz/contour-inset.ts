// Where the contour plot's inset goes: DOM-free geometry, drawn by src/ui/contour-inset.ts.

/** Height of the inset's header strip (its zoom label), CSS pixels. */
export const INSET_HEADER = 16;

/** A window in weight space: the inset's zoom window (see `insetWindow` in contours.ts). */
export interface WeightWindow {
  x: { min: number; max: number };
  y: { min: number; max: number };
}

/** Where the inset sits on the plot: the ring's centre (px, py) on the path, the inset's square, and its weights → pixels map. */
export interface InsetFrame {
  px: number;
  py: number;
  left: number;
  top: number;
  side: number;
  ip: (wx: number, wy: number) => [number, number];
}

/**
 * The inset of zoom window `w` on a plot square (`lay`, CSS pixels): 40 % of the plot's side, in the corner
 * opposite the path (`toPx` maps weights to the plot's pixels), with a header strip above its square.
 */
export function insetFrame(lay: { x: number; y: number; side: number }, w: WeightWindow, toPx: (wx: number, wy: number) => [number, number]): InsetFrame {
  const side = Math.round(lay.side * 0.4);
  const [px, py] = toPx((w.x.min + w.x.max) / 2, (w.y.min + w.y.max) / 2);
  const left = px > lay.x + lay.side / 2 ? lay.x + 6 : lay.x + lay.side - side - 6;
  const top = py > lay.y + lay.side / 2 ? lay.y + 6 : lay.y + lay.side - side - INSET_HEADER - 6;
  // The zoom label has a header strip of its own above the square, so it never lies over the path.
  const ip = (wx: number, wy: number): [number, number] => [
    left + ((wx - w.x.min) / (w.x.max - w.x.min)) * side,
    top + INSET_HEADER + side - ((wy - w.y.min) / (w.y.max - w.y.min)) * side,
  ];
  return { px, py, left, top, side, ip };
}

/** The inset's corner nearest the ring at (px, py), where the dashed leader line from the ring ends. */
export function insetCorner(f: Pick<InsetFrame, 'px' | 'py' | 'left' | 'top' | 'side'>): [number, number] {
  return [f.px < f.left ? f.left : f.left + f.side, f.py < f.top ? f.top : f.top + f.side + INSET_HEADER];
}
