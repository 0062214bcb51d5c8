import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeScatterModel, type ScatterModel } from '../../src/viz/scatter-model';
import { insetPlacement, scatterLayout, scatterScales, SCATTER_MARK, type Rect } from '../../src/viz/scatter-layout';

// The stretched inset of a thin cloud and its label are placed from the data's extent: neither may cover a
// drawn point of the main plot, and the label may not cover the inset's own points (its header strip is
// apart from the area they are drawn in), whatever the cloud, the plot's width and the label's length.

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Rect, b: Rect) => a.x >= b.x - 1e-9 && a.y >= b.y - 1e-9 && a.x + a.w <= b.x + b.w + 1e-9 && a.y + a.h <= b.y + b.h + 1e-9;

/** A cloud of m uniform points in [x0, x0 + sx] × [y0, y0 + sy] (train and test alike), seeded. */
function cloud(m: number, x0: number, sx: number, y0: number, sy: number, seed: number) {
  let s = seed >>> 0 || 1;
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const rows = (n: number) => {
    const x = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = x0 + rnd() * sx;
      x[2 * i + 1] = y0 + rnd() * sy;
    }
    return { x, m: n };
  };
  return makeScatterModel({ train: rows(Math.ceil(m * 0.8)), test: rows(Math.floor(m * 0.2)), d: 2, featureNames: ['x1', 'x2'] });
}

/** Every drawn point's mark (dot or cross, with its line) as a pixel box. */
function markBoxes(m: ScatterModel, width: number): Rect[] {
  const lay = scatterLayout(width, m.equalScale);
  const { px, py } = scatterScales(m, lay);
  const r = SCATTER_MARK + 0.75;
  const out: Rect[] = [];
  for (const s of [m.train, m.test]) for (let i = 0; i < s.shown; i++) out.push({ x: px(s.xs[i]) - r, y: py(s.ys[i]) - r, w: 2 * r, h: 2 * r });
  return out;
}

function check(m: ScatterModel, width: number, labelWidth: number) {
  const lay = scatterLayout(width, m.equalScale);
  const place = insetPlacement(m, lay, labelWidth);
  expect(place).not.toBeNull();
  const { box, label, data } = place!;
  const plot = { x: lay.x, y: lay.y, w: lay.w, h: lay.h };
  expect(inside(box, plot)).toBe(true);
  expect(inside(label, box)).toBe(true);
  expect(inside(data, box)).toBe(true);
  expect(overlaps(label, data)).toBe(false);
  expect(data.w).toBeGreaterThan(20);
  expect(data.h).toBeGreaterThan(20);
  const covered = markBoxes(m, width).filter((p) => overlaps(p, box));
  expect(covered, `${covered.length} points under the inset at ${JSON.stringify(box)}`).toEqual([]);
}

describe('scatter inset placement', () => {
  it('keeps the lecture cloud (x1 in [1, 1000], x2 in [0, 1]) free at a desktop and a phone width', () => {
    const m = cloud(2000, 1, 999, 0, 1, 3);
    expect(m.inset?.label).toBe('x2 stretched ×1,000');
    for (const width of [480, 326, 250]) check(m, width, 110);
  });

  it('names the stretched feature, not the axis (a cloud thin along x1 stretches x1)', () => {
    const m = cloud(500, 0, 1, -500, 1000, 5);
    expect(m.inset?.label).toBe('x1 stretched ×1,000');
    check(m, 326, 110);
  });

  it('never covers a point, and its label never covers the inset’s points (random thin clouds, widths, label lengths)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 1500 }),
        fc.double({ min: -1e4, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        fc.double({ min: 3.2, max: 1e5, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 250, max: 700 }),
        fc.integer({ min: 20, max: 220 }),
        fc.integer({ min: 1, max: 1e6 }),
        (m, origin, span, ratio, thinInY, width, labelWidth, seed) => {
          const model = thinInY ? cloud(m, origin, span * ratio, origin, span, seed) : cloud(m, origin, span, origin, span * ratio, seed);
          fc.pre(model.inset !== null);
          check(model, width, labelWidth);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves the inset out rather than over the points when the plot is too small to hold it beside them', () => {
    const m = cloud(200, 0, 1, 0, 0.3, 1);
    expect(m.inset).not.toBeNull();
    expect(insetPlacement(m, scatterLayout(130, true), 60)).toBeNull();
  });

  it('has no inset for a round cloud', () => {
    const m = cloud(300, 0, 1, 0, 1, 9);
    expect(m.inset).toBeNull();
    expect(insetPlacement(m, scatterLayout(326, true), 100)).toBeNull();
  });
});
