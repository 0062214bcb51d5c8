// The roofline's label placement (roofline-labels.ts) and the SVG that uses it: point numbers never on top of
// each other or of a circle, each beside its point or joined to it by a leader (or listed), and the roof labels
// off both roof lines. The walk's run (Quick, 28 points, 16 of them in one column at 4 FLOP/byte) is the fixture.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxesOverlap, placePointLabels, segmentHitsBox, textWidth, type Box, type Segment } from '../../src/bench/roofline-labels';
import { makeRoofline, rooflineSvg, logScale } from '../../src/bench/roofline';
import { benchRow as row } from '../helpers/bench-row';

describe('geometry', () => {
  it('boxes overlap only when they share area (or come within the gap)', () => {
    const a = { left: 0, top: 0, width: 10, height: 10 };
    expect(boxesOverlap(a, { left: 5, top: 5, width: 10, height: 10 })).toBe(true);
    expect(boxesOverlap(a, { left: 10, top: 0, width: 10, height: 10 })).toBe(false);
    expect(boxesOverlap(a, { left: 11, top: 0, width: 10, height: 10 }, 2)).toBe(true);
  });
  it('a segment hits a box it crosses, not one it passes by', () => {
    const b = { left: 10, top: 10, width: 10, height: 10 };
    expect(segmentHitsBox({ x1: 0, y1: 0, x2: 30, y2: 30 }, b)).toBe(true);
    expect(segmentHitsBox({ x1: 0, y1: 15, x2: 30, y2: 15 }, b)).toBe(true);
    expect(segmentHitsBox({ x1: 0, y1: 0, x2: 30, y2: 5 }, b)).toBe(false);
    expect(segmentHitsBox({ x1: 0, y1: 30, x2: 30, y2: 25 }, b)).toBe(false);
    expect(segmentHitsBox({ x1: 0, y1: 0, x2: 9, y2: 9 }, b)).toBe(false);
  });
  it('Hangul is estimated wider than Latin text', () => {
    expect(textWidth('한계', 12)).toBeGreaterThan(textWidth('ab', 12));
  });
});

/** Every drawn point-label box must hold: inside the area, off every other label, circle, avoided box and line. */
function checkPlaces(points: { x: number; y: number; r: number; width: number; height: number }[], area: Box, avoid: Box[], lines: Segment[]) {
  const places = placePointLabels(points, area, avoid, lines);
  const circles = points.map((p) => ({ left: p.x - p.r, top: p.y - p.r, width: 2 * p.r, height: 2 * p.r }));
  places.forEach((pl, i) => {
    if (!pl) return;
    const b = pl.box;
    expect(b.width).toBe(points[i].width);
    expect(b.left).toBeGreaterThanOrEqual(area.left);
    expect(b.top).toBeGreaterThanOrEqual(area.top);
    expect(b.left + b.width).toBeLessThanOrEqual(area.left + area.width + 1e-9);
    expect(b.top + b.height).toBeLessThanOrEqual(area.top + area.height + 1e-9);
    for (const c of circles) expect(boxesOverlap(b, c)).toBe(false);
    for (const o of avoid) expect(boxesOverlap(b, o)).toBe(false);
    for (const l of lines) expect(segmentHitsBox(l, b)).toBe(false);
    places.forEach((q, j) => {
      if (j === i || !q) return;
      expect(boxesOverlap(b, q.box), `labels ${i} and ${j}`).toBe(false);
      if (q.leader) expect(segmentHitsBox(q.leader, b), `leader ${j} through label ${i}`).toBe(false);
    });
    // Near its point: beside the circle, or a leader from the circle's edge to the box.
    const gapToBox = Math.hypot(
      Math.max(b.left - points[i].x, 0, points[i].x - b.left - b.width),
      Math.max(b.top - points[i].y, 0, points[i].y - b.top - b.height),
    );
    if (pl.leader) {
      expect(Math.hypot(pl.leader.x1 - points[i].x, pl.leader.y1 - points[i].y)).toBeCloseTo(points[i].r, 6);
      expect(gapToBox).toBeCloseTo(Math.hypot(pl.leader.x2 - points[i].x, pl.leader.y2 - points[i].y), 6);
      circles.forEach(
        (c, j) =>
          j !== i &&
          Math.hypot(points[j].x - points[i].x, points[j].y - points[i].y) >= points[i].r + points[j].r &&
          expect(segmentHitsBox(pl.leader!, c)).toBe(false),
      );
    } else {
      expect(gapToBox).toBeLessThanOrEqual(points[i].r + 4);
      // Without a leader it must read as its own point's: nearer to its circle than to any other circle, from the
      // box's nearest point and from its centre (walk s10 N5), computed here from scratch.
      const dist = (p: (typeof points)[number]) => {
        const nx = Math.max(b.left, Math.min(b.left + b.width, p.x));
        const ny = Math.max(b.top, Math.min(b.top + b.height, p.y));
        return [Math.hypot(nx - p.x, ny - p.y) - p.r, Math.hypot(b.left + b.width / 2 - p.x, b.top + b.height / 2 - p.y) - p.r];
      };
      const [ownEdge, ownCentre] = dist(points[i]);
      points.forEach((q, j) => {
        if (j === i) return;
        const [edge, centre] = dist(q);
        expect(edge, `label ${i} nearer to circle ${j}'s edge`).toBeGreaterThan(ownEdge);
        expect(centre, `label ${i}'s centre nearer to circle ${j}`).toBeGreaterThan(ownCentre);
      });
    }
  });
  return places;
}

describe('placePointLabels', () => {
  const area = { left: 0, top: 0, width: 600, height: 300 };
  it('a lone point keeps its number at the upper right of its circle, as the chart always drew it', () => {
    const [p] = placePointLabels([{ x: 100, y: 100, r: 6, width: 7, height: 12 }], area);
    expect(p).not.toBeNull();
    expect(p!.leader).toBeNull();
    expect(p!.box.left).toBeGreaterThan(100);
    expect(p!.box.top + p!.box.height).toBeLessThan(100);
  });
  it('16 points in one column within 20 px: nearly all numbered, most by leaders, none on another', () => {
    const pts = Array.from({ length: 16 }, (_, i) => ({
      x: 300,
      y: 100 + [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20][i],
      r: 6,
      width: 14,
      height: 12,
    }));
    const places = checkPlaces(pts, area, [], []);
    // Most by a leader; one hemmed in by the others' labels and leaders is left to the list under the legend.
    expect(places.filter((p) => p !== null).length).toBeGreaterThanOrEqual(13);
    expect(places.filter((p) => p?.leader).length).toBeGreaterThanOrEqual(8);
  });
  it('property: random points, sizes, boxes and lines never give overlapping labels (fast-check)', () => {
    const pt = fc.record({
      x: fc.double({ min: 0, max: 600, noNaN: true }),
      y: fc.double({ min: 0, max: 300, noNaN: true }),
      digits: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(
      fc.property(
        fc.array(pt, { minLength: 1, maxLength: 40 }),
        fc.array(
          fc.record({
            left: fc.integer({ min: 0, max: 500 }),
            top: fc.integer({ min: 0, max: 280 }),
            width: fc.integer({ min: 10, max: 150 }),
            height: fc.constant(14),
          }),
          { maxLength: 2 },
        ),
        fc.array(
          fc.record({
            x1: fc.integer({ min: -100, max: 700 }),
            y1: fc.integer({ min: -100, max: 400 }),
            x2: fc.integer({ min: -100, max: 700 }),
            y2: fc.integer({ min: -100, max: 400 }),
          }),
          { maxLength: 2 },
        ),
        (raw, avoid, lines) => {
          checkPlaces(
            raw.map((p) => ({ x: p.x, y: p.y, r: 6, width: 7 * p.digits, height: 12 })),
            area,
            avoid,
            lines,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The walk's Quick run (walk-s9 F6): 28 kernel rows, FMA roof 5.72 GFLOP/s, copy roof 1.06 GB/s. */
function walkRows() {
  const mm: [number, number][] = [
    [10.7, 0.086],
    [10.7, 1.18],
    [10.7, 0.77],
    [10.7, 0.93],
    [10.7, 0.85],
    [5.33, 0.027],
    [5.33, 0.62],
    [5.33, 0.22],
    [5.33, 1.13],
    [5.33, 0.29],
    [4, 0.0033],
    [4, 0.033],
    [4, 0.059],
    [4, 0.23],
    [4, 0.25],
    [4, 0.021],
    [4, 0.067],
    [4, 0.23],
    [4, 0.072],
    [4, 0.26],
    [4, 0.018],
    [4, 0.25],
    [4, 0.053],
    [4, 0.48],
    [4, 0.089],
  ];
  return [
    row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'roof', rate: 5.72 }),
    row({ group: 'roof', impl: 'copy (vec4)', ours: false, metric: 'GB/s', shape: 'copy', floats: 65536, rate: 1.06 }),
    ...mm.map(([i, g], k) => row({ shape: `case ${k}`, flop: i * 1e6, bytes: 1e6, rate: g })),
    row({ group: 'moments', impl: 'ours: moments', metric: 'GB/s', shape: 'm', rate: 0.15 / 0.75 }),
    row({ group: 'norms', impl: 'ours: norms', metric: 'GB/s', shape: 'n', rate: 0.046 / 0.5 }),
    row({ group: 'norms', impl: 'two-pass Σx² (plain)', ours: false, metric: 'GB/s', shape: 'n', rate: 0.00079 / 0.5 }),
  ];
}

const boxOf = (attr: string): Box => {
  const [left, top, width, height] = attr.split(' ').map(Number);
  return { left, top, width, height };
};

describe('the roofline SVG of the walk', () => {
  const model = makeRoofline(walkRows());
  for (const labels of [{}, { fmaRoof: (r: string) => `곱셈-덧셈 한계 ${r} GFLOP/s`, copyRoof: (r: string) => `복사 한계 ${r} GB/s` }]) {
    const svg = rooflineSvg(model, { labels });
    const [left, top, right, bottom] = [70, 40, 880, 420];
    const X = (v: number) => logScale(v, model.x, left, right);
    const Y = (v: number) => logScale(v, model.y, bottom, top);
    const fmaLine = { x1: left, y1: Y(model.fmaRoof), x2: right, y2: Y(model.fmaRoof) };
    const copyLine = { x1: X(model.x.min), y1: Y(model.copyRoof * model.x.min), x2: X(model.x.max), y2: Y(model.copyRoof * model.x.max) };
    it(`numbers all ${model.points.length} points, no two labels overlapping, none on a circle or a roof line (${labels.fmaRoof ? 'Korean' : 'English'} roofs)`, () => {
      expect(model.points).toHaveLength(28);
      const labelBoxes = [...svg.matchAll(/data-label="(\d+)"[^>]*data-box="([^"]+)"/g)].map((m) => ({ index: Number(m[1]), box: boxOf(m[2]) }));
      expect(labelBoxes.map((l) => l.index)).toEqual(model.points.map((p) => p.index));
      expect(svg).not.toContain('data-unnumbered');
      for (const [i, a] of labelBoxes.entries()) {
        for (const b of labelBoxes.slice(i + 1)) expect(boxesOverlap(a.box, b.box), `${a.index} and ${b.index}`).toBe(false);
        for (const p of model.points) {
          const c = { left: X(p.intensity) - 5, top: Y(p.gflops) - 5, width: 10, height: 10 };
          expect(boxesOverlap(a.box, c), `label ${a.index} on point ${p.index}`).toBe(false);
        }
        expect(segmentHitsBox(fmaLine, a.box)).toBe(false);
        expect(segmentHitsBox(copyLine, a.box)).toBe(false);
        // A number with no leader sits nearer to its own dot than to any other (walk s10 N5: the 4 and 5.33 columns).
        if (svg.includes(`data-leader="${a.index}"`)) continue;
        const centre = (p: (typeof model.points)[number]) =>
          Math.hypot(a.box.left + a.box.width / 2 - X(p.intensity), a.box.top + a.box.height / 2 - Y(p.gflops));
        const own = centre(model.points[a.index - 1]);
        for (const p of model.points) if (p.index !== a.index) expect(centre(p), `label ${a.index} nearer to point ${p.index}`).toBeGreaterThan(own);
      }
    });
    it(`puts each roof's label beside its line, crossed by neither roof (${labels.fmaRoof ? 'Korean' : 'English'})`, () => {
      const roofBoxes = [...svg.matchAll(/<text data-box="([^"]+)"[^>]*fill="#(b35806|542788)">([^<]*)</g)].map((m) => ({ box: boxOf(m[1]), text: m[3] }));
      expect(roofBoxes.map((r) => r.text)).toEqual([expect.stringContaining('5.72 GFLOP/s'), expect.stringContaining('1.06 GB/s')]);
      for (const { box, text } of roofBoxes) {
        expect(box.width).toBeGreaterThanOrEqual(textWidth(text, 12) - 0.05);
        expect(segmentHitsBox(fmaLine, box), text).toBe(false);
        expect(segmentHitsBox(copyLine, box), text).toBe(false);
        expect(box.left).toBeGreaterThanOrEqual(left);
        expect(box.left + box.width).toBeLessThanOrEqual(right);
      }
      // Beside their own line: within a label's height of it.
      const [fma, copy] = roofBoxes.map((r) => r.box);
      expect(Math.min(Math.abs(fma.top - fmaLine.y1), Math.abs(fma.top + fma.height - fmaLine.y1))).toBeLessThanOrEqual(4);
      const copyAt = (x: number) => copyLine.y1 + ((x - copyLine.x1) * (copyLine.y2 - copyLine.y1)) / (copyLine.x2 - copyLine.x1);
      const corners = [copy.left, copy.left + copy.width].flatMap((x) => [copy.top, copy.top + copy.height].map((y) => Math.abs(y - copyAt(x))));
      expect(Math.min(...corners)).toBeLessThanOrEqual(6);
    });
  }
});
