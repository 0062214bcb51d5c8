import { describe, expect, it } from 'vitest';
import { BACKGROUND, SPECIAL_COLORS, hexColor } from '../../src/viz/colormap';
import { deltaE2000, deltaE2000Lab, hexToRgb, SERIES_PALETTE } from '../../src/viz/series-palette';
import { MAX_INITS } from '../../src/labs/training/url-state';

// The line charts' series colours against the status colours their markers (and the heatmap's cells) use: a
// "lost" square must not read as one of the series (the Training lab's identity × 0.5 was drawn in Okabe–Ito's
// reddish purple, next to the lost marker's violet).

/** The statuses the line chart draws as markers, in the colours the heatmap gives their cells. */
const STATUS_COLORS = {
  overflow: SPECIAL_COLORS.overflow,
  underflow: SPECIAL_COLORS.underflow,
  nan: SPECIAL_COLORS.nan,
  lost: SPECIAL_COLORS.lost,
  zero: SPECIAL_COLORS.zero,
};

describe('series palette', () => {
  it('CIEDE2000 matches Sharma, Wu & Dalal’s test pairs', () => {
    expect(deltaE2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000Lab([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(deltaE2000Lab([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000Lab([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387])).toBeCloseTo(1.2644, 4);
    expect(deltaE2000([10, 20, 30], [10, 20, 30])).toBe(0);
  });

  it('has a colour for every init of a sweep, all different', () => {
    expect(SERIES_PALETTE.length).toBeGreaterThanOrEqual(MAX_INITS);
    expect(new Set(SERIES_PALETTE.map((c) => c.toLowerCase())).size).toBe(SERIES_PALETTE.length);
  });

  it('no series colour equals, or looks like, a status marker colour', () => {
    for (const c of SERIES_PALETTE) {
      for (const [status, s] of Object.entries(STATUS_COLORS)) {
        const ctx = `${c} against ${status} ${hexColor(s)}`;
        expect(c.toLowerCase(), ctx).not.toBe(hexColor(s));
        expect(deltaE2000(hexToRgb(c), s), ctx).toBeGreaterThanOrEqual(25);
      }
    }
    // The measure tells the old pair apart: Okabe–Ito's reddish purple next to the lost violet, its sky blue next to underflow.
    expect(deltaE2000(hexToRgb('#cc79a7'), SPECIAL_COLORS.lost)).toBeLessThan(15);
    expect(deltaE2000(hexToRgb('#56b4e9'), SPECIAL_COLORS.underflow)).toBeLessThan(15);
  });

  it('series are told apart from each other and show on the white background', () => {
    for (let i = 0; i < SERIES_PALETTE.length; i++) {
      const a = hexToRgb(SERIES_PALETTE[i]);
      expect(deltaE2000(a, BACKGROUND), SERIES_PALETTE[i]).toBeGreaterThanOrEqual(30);
      for (let j = i + 1; j < SERIES_PALETTE.length; j++) {
        expect(deltaE2000(a, hexToRgb(SERIES_PALETTE[j])), `${SERIES_PALETTE[i]} against ${SERIES_PALETTE[j]}`).toBeGreaterThanOrEqual(19);
      }
    }
  });

  it('reads #rrggbb only', () => {
    expect(hexToRgb('#0072B2')).toEqual([0, 0x72, 0xb2]);
    expect(() => hexToRgb('rgb(1, 2, 3)')).toThrow(/not a #rrggbb colour: rgb\(1, 2, 3\)/);
  });
});
