import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { layoutMarkLabels, type MarkLabel, type MarkPlace } from '../../src/viz/mark-layout';

/** Every way two placed labels can collide: same row and overlapping (with the gap), or a deeper mark's line through a label. */
function collisions(marks: readonly MarkLabel[], places: readonly MarkPlace[], gap: number): string[] {
  const out: string[] = [];
  for (let a = 0; a < marks.length; a++)
    for (let b = 0; b < marks.length; b++) {
      if (a === b) continue;
      const [la, ra] = [places[a].left, places[a].left + marks[a].width];
      const [lb, rb] = [places[b].left, places[b].left + marks[b].width];
      if (a < b && places[a].row === places[b].row && ra + gap > lb && rb + gap > la) out.push(`labels ${a} and ${b} overlap`);
      // b's line runs from the track down to b's row, through every shallower row.
      if (places[b].row > places[a].row && marks[b].x >= la - gap && marks[b].x <= ra + gap) out.push(`line ${b} crosses label ${a}`);
    }
  return out;
}

/** Whether some choice of a row and one of `lefts[i]` for each label has no collisions (brute force). */
function searchLayouts(marks: readonly MarkLabel[], lefts: readonly (readonly number[])[], gap: number): boolean {
  const places: MarkPlace[] = [];
  const go = (i: number): boolean => {
    if (i === marks.length) return collisions(marks, places, gap).length === 0;
    for (let row = 0; row < marks.length; row++)
      for (const left of lefts[i]) {
        places[i] = { row, left };
        if (go(i + 1)) return true;
      }
    return false;
  };
  return go(0);
}

/** Whether any layout without collisions exists (brute force over rows and the three alignments, each kept on the track). */
function anyLayout(marks: readonly MarkLabel[], track: number, gap: number): boolean {
  const lefts = marks.map((m) => [m.x, m.x - m.width, m.x - m.width / 2].map((l) => Math.max(0, Math.min(track - m.width, l))));
  return searchLayouts(marks, lefts, gap);
}

const touchesLine = (m: MarkLabel, p: MarkPlace) => m.x >= p.left - 1e-9 && m.x <= p.left + m.width + 1e-9;

/** The label starts or ends at its own line (the line runs down along its edge, not over its text). */
const besideLine = (m: MarkLabel, p: MarkPlace) => Math.abs(p.left - m.x) < 1e-9 || Math.abs(p.left + m.width - m.x) < 1e-9;

/** A label that fits on the track on at least one side of its line. */
const fitsBeside = (m: MarkLabel, track: number) => m.x + m.width <= track + 1e-9 || m.x - m.width >= -1e-9;

/**
 * Whether a layout without collisions exists in which every label that fits beside its line is beside it
 * (brute force; a label too wide for either side tries its three alignments kept on the track).
 */
function anyBesideLayout(marks: readonly MarkLabel[], track: number, gap: number): boolean {
  const lefts = marks.map((m) =>
    fitsBeside(m, track)
      ? [m.x, m.x - m.width].filter((l) => l >= -1e-9 && l + m.width <= track + 1e-9)
      : [m.x, m.x - m.width, m.x - m.width / 2].map((l) => Math.max(0, Math.min(track - m.width, l))),
  );
  return searchLayouts(marks, lefts, gap);
}

describe('layoutMarkLabels (the learning-rate slider’s 2/λmax marks)', () => {
  it('the 390 px case: raw, standardized (a long merged label) and ÷ σ² on a 330 px track, no label crossed or overlapped', () => {
    // Learner walk at 390 px: the standardized label ran under raw's line, ÷ σ²'s label under standardized's.
    const marks = [
      { x: 89, width: 78 },
      { x: 267, width: 201 },
      { x: 228, width: 71 },
    ];
    const places = layoutMarkLabels(marks, 330);
    expect(collisions(marks, places, 6)).toEqual([]);
    for (const [i, p] of places.entries()) {
      expect(p.left).toBeGreaterThanOrEqual(0);
      expect(p.left + marks[i].width).toBeLessThanOrEqual(330);
      expect(touchesLine(marks[i], p), `label ${i}`).toBe(true);
    }
    expect(Math.max(...places.map((p) => p.row))).toBe(1);
  });

  it('the 360 px Korean case: raw’s label is not centred under its line (an extra row instead), every label beside its line', () => {
    // Learner walk in Korean on a phone: raw's tick stood over the middle of its own label "원래 값 2.551e-5",
    // which was centred under it to save a row. Widths and positions measured in the app at 360 px.
    const marks = [
      { x: 77.2, width: 82 },
      { x: 234.5, width: 129 },
      { x: 199.6, width: 72 },
    ];
    const places = layoutMarkLabels(marks, 289);
    expect(collisions(marks, places, 6)).toEqual([]);
    for (const [i, p] of places.entries()) expect(besideLine(marks[i], p), `label ${i} at ${p.left}`).toBe(true);
    expect(Math.max(...places.map((p) => p.row))).toBe(2);
  });

  it('a label too wide for either side of its line is kept on the track (its line then meets its top edge)', () => {
    const places = layoutMarkLabels([{ x: 150, width: 200 }], 300);
    expect(places).toEqual([{ row: 0, left: 50 }]);
  });

  it('marks far apart share the first row, text starting at the line', () => {
    const marks = [
      { x: 10, width: 60 },
      { x: 200, width: 60 },
      { x: 400, width: 60 },
    ];
    expect(layoutMarkLabels(marks, 1000)).toEqual([
      { row: 0, left: 10 },
      { row: 0, left: 200 },
      { row: 0, left: 400 },
    ]);
  });

  it('two marks near the left end, the first one’s label over the second’s line: the first goes deeper', () => {
    // fast-check found it: with the first mark kept in the first row no layout was possible.
    const marks = [
      { x: 0, width: 29.55 },
      { x: 12, width: 29.55 },
    ];
    const places = layoutMarkLabels(marks, 591);
    expect(collisions(marks, places, 6)).toEqual([]);
    expect(places).toEqual([
      { row: 1, left: 0 },
      { row: 0, left: 12 },
    ]);
  });

  it('a label near the right end ends at its line instead of running off the track', () => {
    expect(layoutMarkLabels([{ x: 290, width: 80 }], 300)).toEqual([{ row: 0, left: 210 }]);
  });

  it('labels of a realistic size (a sixth to half the track): each beside its line whenever some collision-free layout has them so', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 700 }),
        // Positions and widths in thousandths of the track: spread evenly (fc.double would crowd them near 0).
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 1000 }), w: fc.integer({ min: 160, max: 500 }) }), {
          minLength: 2,
          maxLength: 4,
        }),
        (track, raw) => {
          const marks = raw.map(({ t, w }) => ({ x: (t / 1000) * track, width: (w / 1000) * track }));
          if (!anyBesideLayout(marks, track, 6)) return;
          const places = layoutMarkLabels(marks, track);
          expect(collisions(marks, places, 6)).toEqual([]);
          for (const [i, p] of places.entries()) if (fitsBeside(marks[i], track)) expect(besideLine(marks[i], p), `label ${i}`).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any up to 4 marks: inside the track and touching their line; never crossed whenever some layout avoids it; beside their lines whenever some such layout avoids collisions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 120, max: 1200 }),
        fc.array(fc.record({ t: fc.double({ min: 0, max: 1, noNaN: true }), w: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }), {
          minLength: 1,
          maxLength: 4,
        }),
        (track, raw) => {
          const marks = raw.map(({ t, w }) => ({ x: t * track, width: w * track }));
          const places = layoutMarkLabels(marks, track);
          if (anyLayout(marks, track, 6)) expect(collisions(marks, places, 6)).toEqual([]);
          // A line over the middle of its own label only where every layout with labels beside their lines collides.
          if (anyBesideLayout(marks, track, 6))
            for (const [i, p] of places.entries()) if (fitsBeside(marks[i], track)) expect(besideLine(marks[i], p), `label ${i}`).toBe(true);
          for (const [i, p] of places.entries()) {
            expect(p.left).toBeGreaterThanOrEqual(0);
            expect(p.left + marks[i].width).toBeLessThanOrEqual(track + 1e-9);
            expect(touchesLine(marks[i], p)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
