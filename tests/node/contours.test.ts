import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contourLevels, finiteRange, gridToWeights, insetWindow, makeContours, marchingSquares, pathExtent, weightsToGrid } from '../../src/viz/contours';

/** A size×size grid of f(x, y) over [lo, hi]² (row r ↔ y, column c ↔ x). */
function gridOf(size: number, lo: number, hi: number, f: (x: number, y: number) => number) {
  const values = new Float32Array(size * size);
  const at = (i: number) => lo + ((hi - lo) * i) / (size - 1);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) values[r * size + c] = f(at(c), at(r));
  return { values, size, x: { min: lo, max: hi }, y: { min: lo, max: hi }, axes: [0, 1] as const, rowsUsed: 1 };
}

function endpoints(seg: Float32Array): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < seg.length; i += 2) pts.push([seg[i], seg[i + 1]]);
  return pts;
}

describe('contourLevels', () => {
  it('spaces J − J* by equal ratios, strictly inside (min, max), increasing', () => {
    const levels = contourLevels(2, 1002, 10, 5);
    expect(levels).toHaveLength(10);
    for (let k = 0; k < levels.length; k++) {
      expect(levels[k]).toBeGreaterThan(2);
      expect(levels[k]).toBeLessThan(1002);
      if (k > 0) {
        expect(levels[k]).toBeGreaterThan(levels[k - 1]);
        expect(Math.log10(levels[k] - 2) - Math.log10(levels[k - 1] - 2)).toBeCloseTo(0.5, 10);
      }
    }
    // covers the requested decades: top within one step of the max, bottom about 5 decades below
    expect(Math.log10(levels[9] - 2)).toBeCloseTo(3 - 0.25, 10);
    expect(Math.log10(levels[0] - 2)).toBeCloseTo(3 - 5 + 0.25, 10);
  });

  it('gives no levels for a flat or empty grid', () => {
    expect(contourLevels(3, 3)).toEqual([]);
    expect(contourLevels(Infinity, -Infinity)).toEqual([]);
    expect(contourLevels(NaN, 1)).toEqual([]);
    expect(makeContours({ values: new Float32Array(16).fill(7), size: 4 }).lines).toEqual([]);
  });

  it('finiteRange ignores NaN and infinities', () => {
    expect(finiteRange([NaN, 3, -Infinity, 1, Infinity, 2])).toEqual({ min: 1, max: 3 });
    expect(finiteRange([NaN])).toEqual({ min: Infinity, max: -Infinity });
  });
});

describe('marchingSquares', () => {
  it('traces circles of a round bowl at the right radius, as closed loops', () => {
    const g = gridOf(129, -2, 2, (x, y) => x * x + y * y);
    const cell = 4 / 128;
    for (const level of [0.0513, 0.537, 1.13, 2.47]) {
      const seg = marchingSquares(g.values, g.size, level);
      expect(seg.length).toBeGreaterThan(0);
      expect(seg.length % 4).toBe(0);
      const counts = new Map<string, number>();
      for (const [c, r] of endpoints(seg)) {
        const [x, y] = gridToWeights(g, c, r);
        // Linear interpolation of r² along a cell edge: the error is at most a fraction of a cell.
        expect(Math.abs(Math.hypot(x, y) - Math.sqrt(level))).toBeLessThan(cell * 0.3);
        const key = `${c.toFixed(4)},${r.toFixed(4)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      // A closed curve inside the grid: every endpoint is shared by exactly two segments.
      for (const n of counts.values()) expect(n).toBe(2);
    }
  });

  it('traces the ellipses of a stretched bowl (κ = 100)', () => {
    const g = gridOf(160, -1, 1, (x, y) => 100 * x * x + y * y);
    const level = 0.5;
    const seg = marchingSquares(g.values, g.size, level);
    expect(seg.length).toBeGreaterThan(0);
    let xMax = 0;
    let yMax = 0;
    for (const [c, r] of endpoints(seg)) {
      const [x, y] = gridToWeights(g, c, r);
      xMax = Math.max(xMax, Math.abs(x));
      yMax = Math.max(yMax, Math.abs(y));
    }
    // Semi-axes √(0.5/100) and √0.5: the ellipse is 10 times longer along y.
    expect(xMax).toBeCloseTo(Math.sqrt(0.005), 2);
    expect(yMax).toBeCloseTo(Math.sqrt(0.5), 2);
    expect(yMax / xMax).toBeGreaterThan(9);
    expect(yMax / xMax).toBeLessThan(11);
  });

  it('resolves saddles by the cell centre', () => {
    // v00 = 1, v01 = 0 (row 0); v10 = 0, v11 = 1 (row 1): corners 00 and 11 above 0.4, centre 0.5 above too.
    const v = new Float32Array([1, 0, 0, 1]);
    const above = marchingSquares(v, 2, 0.4);
    // Centre above: the two below-level corners (01 and 10) are cut off.
    expect(Array.from(above)).toEqual([expect.closeTo(0.6, 6), 0, 1, expect.closeTo(0.4, 6), 0, expect.closeTo(0.6, 6), expect.closeTo(0.4, 6), 1]);
    // Centre 0.5 below level 0.6: the above-level corners 00 and 11 are cut off.
    const below = marchingSquares(v, 2, 0.6);
    expect(Array.from(below)).toEqual([0, expect.closeTo(0.4, 6), expect.closeTo(0.4, 6), 0, 1, expect.closeTo(0.6, 6), expect.closeTo(0.6, 6), 1]);
  });

  it('skips cells with a non-finite corner (the line breaks there)', () => {
    const g = gridOf(9, -1, 1, (x, y) => x * x + y * y);
    const full = marchingSquares(g.values, 9, 0.5).length / 4;
    const holed = Float32Array.from(g.values);
    // A NaN on the circle's path (x ≈ 0.75, y = 0 is grid point c = 7, r = 4).
    holed[4 * 9 + 7] = NaN;
    const broken = marchingSquares(holed, 9, 0.5).length / 4;
    expect(broken).toBeLessThan(full);
    expect(broken).toBeGreaterThan(0);
    holed[0] = Infinity;
    expect(() => marchingSquares(holed, 9, 0.5)).not.toThrow();
  });

  it('every endpoint lies on a cell edge whose corners straddle the level, at the interpolated crossing (random grids)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 81, maxLength: 81 }),
        fc.float({ min: -100, max: 100, noNaN: true }),
        (size, raw, level) => {
          const values = Float32Array.from(raw.slice(0, size * size));
          const seg = marchingSquares(values, size, level);
          for (const [c, r] of endpoints(seg)) {
            const onVertical = Number.isInteger(c);
            const onHorizontal = Number.isInteger(r);
            expect(onVertical || onHorizontal).toBe(true);
            let a: number;
            let b: number;
            let t: number;
            if (onHorizontal && !onVertical) {
              const c0 = Math.floor(c);
              a = values[r * size + c0];
              b = values[r * size + c0 + 1];
              t = c - c0;
            } else if (onVertical && !onHorizontal) {
              const r0 = Math.floor(r);
              a = values[r0 * size + c];
              b = values[(r0 + 1) * size + c];
              t = r - r0;
            } else {
              continue; // at a grid point: the corner equals the level (or the crossing clamps there)
            }
            expect(Math.min(a, b)).toBeLessThanOrEqual(level + 1e-3);
            expect(Math.max(a, b)).toBeGreaterThanOrEqual(level - 1e-3);
            expect(a + t * (b - a)).toBeCloseTo(level, 2);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('makeContours and coordinates', () => {
  it('draws the requested number of levels, all with lines on a bowl', () => {
    const g = gridOf(128, -3, 5, (x, y) => (x - 1) ** 2 + 4 * (y - 1) ** 2 + 10);
    const c = makeContours(g, { count: 8, decades: 4 });
    expect(c.levels).toHaveLength(8);
    expect(c.min).toBeGreaterThanOrEqual(10);
    expect(c.min).toBeLessThan(10.01);
    for (const line of c.lines) expect(line.segments.length).toBeGreaterThan(0);
    const explicit = makeContours(g, { levels: [20, NaN, 11] });
    expect(explicit.levels).toEqual([11, 20]);
  });

  it('gridToWeights and weightsToGrid are inverse', () => {
    const g = { x: { min: -3, max: 7 }, y: { min: 100, max: 110 }, size: 129 };
    expect(gridToWeights(g, 0, 0)).toEqual([-3, 100]);
    expect(gridToWeights(g, 128, 128)).toEqual([7, 110]);
    const [c, r] = weightsToGrid(g, 2, 105);
    expect(c).toBeCloseTo(64, 10);
    expect(r).toBeCloseTo(64, 10);
    const back = gridToWeights(g, ...weightsToGrid(g, 1.234, 108.9));
    expect(back[0]).toBeCloseTo(1.234, 10);
    expect(back[1]).toBeCloseTo(108.9, 10);
  });
});

describe('path extent and the zoomed inset', () => {
  const grid = { axes: [0, 1] as const, x: { min: -3.6, max: 3.6 }, y: { min: -0.6, max: 6.6 } };
  it('a path of 0.003 in a window 7.2 wide gets an inset that holds it, at equal scale', () => {
    const path = Float64Array.from([0, 0, 0.0029, 0.0001, 0.0028, 0.0015]);
    const w = insetWindow(grid, path, 2)!;
    expect(w).not.toBeNull();
    expect(w.x.max - w.x.min).toBeCloseTo(w.y.max - w.y.min, 12);
    for (let k = 0; k < 3; k++) {
      expect(path[2 * k]).toBeGreaterThan(w.x.min);
      expect(path[2 * k]).toBeLessThan(w.x.max);
      expect(path[2 * k + 1]).toBeGreaterThan(w.y.min);
      expect(path[2 * k + 1]).toBeLessThan(w.y.max);
    }
    expect(w.zoom).toBeGreaterThan(1000);
  });
  it('no inset for a path that is visible as it is, or that leaves the window', () => {
    expect(insetWindow(grid, Float64Array.from([0, 0, 1, 3]), 2)).toBeNull();
    expect(insetWindow(grid, Float64Array.from([0, 0, 0.001, 0, 1e9, 0]), 2)).toBeNull();
    expect(pathExtent(grid, Float64Array.from([0, 0, 0.001, 0, 1e9, 0]), 2).leaves).toBe(true);
    expect(pathExtent(grid, Float64Array.from([0, 0, NaN, 0]), 2).leaves).toBe(true);
    expect(pathExtent(grid, Float64Array.from([0, 0, 1, 3]), 2).leaves).toBe(false);
  });
});
