// Walk F9: the 1.5·I row at depth 240 on the Var z tab drew only the "exactly 0" band (layers 1–215) and the lost
// band (216–240), yet its legend listed "Var z measured" as a line. A series is listed only when it draws something
// of its own colour (drawsOwnMarks); the bands keep their own legend entries.
import { describe, expect, it } from 'vitest';
import { CellStatus } from '../../src/viz/heatmap-model';
import { drawsOwnMarks, statusBands, type BandSeries } from '../../src/viz/line-bands';

const layers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The chart's view of one solid series alone: its zero bands and all-lost columns. */
function alone(s: BandSeries, zeroBands = true): boolean {
  const bands = zeroBands ? statusBands([s], CellStatus.Zero) : [];
  const at = new Map(s.x.map((x, i) => [x, s.status[i]]));
  return drawsOwnMarks(s, {
    zeroBands,
    inZeroBand: (x) => bands.some((b) => b.from <= x && x <= b.to),
    allLost: (x) => at.get(x) === CellStatus.Lost,
  });
}

describe('a series is in the legend only when the chart draws something of its own', () => {
  it('Var z of 1.5·I at depth 240: 215 layers exactly 0, 25 lost — no line, no legend entry', () => {
    const status = layers(240).map((l) => (l <= 215 ? CellStatus.Zero : CellStatus.Lost));
    expect(alone({ x: layers(240), status })).toBe(false);
  });

  it('one finite layer, or an off-scale marker outlined in the series’ colour, is enough', () => {
    const status = layers(10).map((l) => (l === 7 ? CellStatus.Finite : CellStatus.Zero));
    expect(alone({ x: layers(10), status })).toBe(true);
    expect(alone({ x: layers(3), status: [CellStatus.Zero, CellStatus.Underflow, CellStatus.Lost] })).toBe(true);
    expect(alone({ x: layers(2), status: [CellStatus.Overflow, CellStatus.Lost] })).toBe(true);
  });

  it('zeros drawn as ◆ markers (no bands) are the series’ own; NaN crosses are not', () => {
    const zeros = { x: layers(4), status: layers(4).map(() => CellStatus.Zero) };
    expect(alone(zeros, false)).toBe(true);
    expect(alone({ x: layers(2), status: [CellStatus.NaN, CellStatus.NaN] })).toBe(false);
  });

  it('a lost point where another solid series is not lost is a square in the series’ colour', () => {
    const s = { x: layers(2), status: [CellStatus.Lost, CellStatus.Lost] };
    expect(drawsOwnMarks(s, { zeroBands: true, inZeroBand: () => false, allLost: (x) => x === 1 })).toBe(true);
    expect(drawsOwnMarks(s, { zeroBands: true, inZeroBand: () => false, allLost: () => true })).toBe(false);
  });
});
