import { describe, expect, it } from 'vitest';
import { INSET_HEADER, insetCorner, insetFrame } from '../../src/viz/contour-inset';

// A plot square at (58, 10), 300 px a side, over weights [-10, 10]² (y grows upwards on the weights, downwards on screen).
const lay = { x: 58, y: 10, side: 300 };
const toPx = (wx: number, wy: number): [number, number] => [lay.x + ((wx + 10) / 20) * lay.side, lay.y + lay.side - ((wy + 10) / 20) * lay.side];
const around = (cx: number, cy: number, half: number) => ({ x: { min: cx - half, max: cx + half }, y: { min: cy - half, max: cy + half } });

describe('insetFrame (the contour plot inset geometry)', () => {
  it('puts a 40 % inset in the corner opposite a path in the lower left: top right', () => {
    const f = insetFrame(lay, around(-6, -7, 0.1), toPx);
    expect(f.side).toBe(120);
    expect([f.px, f.py]).toEqual([118, 265]);
    expect(f.left).toBe(58 + 300 - 120 - 6);
    expect(f.top).toBe(10 + 6);
    // The leader line ends at the inset's corner nearest the ring: its bottom-left (below the header strip and square).
    expect(insetCorner(f)).toEqual([f.left, f.top + 120 + INSET_HEADER]);
  });

  it('puts the inset bottom left for a path in the upper right, its square below the header strip', () => {
    const f = insetFrame(lay, around(6, 7, 0.1), toPx);
    expect(f.left).toBe(58 + 6);
    expect(f.top).toBe(10 + 300 - 120 - INSET_HEADER - 6);
    expect(insetCorner(f)).toEqual([f.left + 120, f.top]);
  });

  it('maps the zoom window onto the square under the header strip, y upwards', () => {
    const w = around(1, -2, 0.5);
    const f = insetFrame(lay, w, toPx);
    const [x0, y0] = f.ip(w.x.min, w.y.min);
    const [x1, y1] = f.ip(w.x.max, w.y.max);
    expect([x0, y0]).toEqual([f.left, f.top + INSET_HEADER + f.side]);
    expect([x1, y1]).toEqual([f.left + f.side, f.top + INSET_HEADER]);
    const [cx, cy] = f.ip(1, -2);
    expect(cx).toBeCloseTo(f.left + f.side / 2, 12);
    expect(cy).toBeCloseTo(f.top + INSET_HEADER + f.side / 2, 12);
  });
});
