import { describe, expect, it } from 'vitest';
import { linearTicks, thinnedTickLabels } from '../../src/viz/ticks';

// Walk s11 C1: at 390 px the Depth lab heatmap's layer axis read "1 20 40 60 80 120 160": each label that touched
// the one before it was dropped, so 100 and 140 went missing and the labels looked unevenly spaced.

/** Labels 7 px per digit, centred on their column at `pitch` px per column (column 1 at 0.5·pitch). */
const extentAt =
  (pitch: number, first = 1) =>
  (t: number): [number, number] => {
    const x = (t - first + 0.5) * pitch;
    const half = (7 * String(t).length) / 2;
    return [x - half, x + half];
  };

/** Differences between neighbouring labels, leaving out a first label off the step's grid. */
const spacings = (ls: number[]) => ls.slice(1).map((t, i) => t - ls[i]);

describe('thinnedTickLabels: the layer axis keeps evenly spaced labels', () => {
  const ticks = linearTicks(1, 160, 8);

  it('160 layers at 1 px per layer (the 390 px chart): 1 40 80 120 160, not 1 20 40 60 80 120 160', () => {
    expect(ticks).toEqual([1, 20, 40, 60, 80, 100, 120, 140, 160]);
    expect(thinnedTickLabels(ticks, extentAt(1))).toEqual([1, 40, 80, 120, 160]);
  });

  it('keeps every label where they all fit, and never lets two labels touch', () => {
    expect(thinnedTickLabels(ticks, extentAt(3))).toEqual(ticks);
    for (const pitch of [0.2, 0.35, 0.5, 0.7, 0.9, 1, 1.2, 1.5, 2]) {
      const ext = extentAt(pitch);
      const ls = thinnedTickLabels(ticks, ext);
      expect(ls.length, `${pitch} px`).toBeGreaterThan(0);
      for (let i = 1; i < ls.length; i++) expect(ext(ls[i - 1])[1] + 4, `${pitch} px: ${ls}`).toBeLessThanOrEqual(ext(ls[i])[0]);
      // After the axis' first layer, the labels drawn are evenly spaced.
      const grid = ls[0] === 1 ? ls.slice(1) : ls;
      expect(new Set(spacings(grid)).size, `${pitch} px: ${ls}`).toBeLessThanOrEqual(1);
    }
  });

  it('an axis starting on the grid (the Training lab counts updates from 0) thins from 0', () => {
    const t = linearTicks(0, 200, 8);
    expect(t).toEqual([0, 50, 100, 150, 200]);
    expect(thinnedTickLabels(t, extentAt(0.3, 0))).toEqual([0, 100, 200]);
  });
});
