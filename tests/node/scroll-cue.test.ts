import { describe, expect, it } from 'vitest';
import { scrollCueState } from '../../src/ui/scroll-cue';

// The table scroll cue: a hint and edge shadows only while the table is wider than its frame, each shadow on
// the side that hides columns (half a pixel of slack for fractional layout widths).

describe('scrollCueState', () => {
  it('shows nothing when the table fits', () => {
    expect(scrollCueState(0, 400, 400)).toEqual({ overflow: false, moreLeft: false, moreRight: false });
    expect(scrollCueState(0, 400, 400.4)).toEqual({ overflow: false, moreLeft: false, moreRight: false });
  });

  it('points right at the start, both ways in the middle, left at the end', () => {
    expect(scrollCueState(0, 300, 520)).toEqual({ overflow: true, moreLeft: false, moreRight: true });
    expect(scrollCueState(100, 300, 520)).toEqual({ overflow: true, moreLeft: true, moreRight: true });
    expect(scrollCueState(220, 300, 520)).toEqual({ overflow: true, moreLeft: true, moreRight: false });
    // a scroll position a fraction short of the end (zoomed pages) counts as the end
    expect(scrollCueState(219.6, 300, 520)).toEqual({ overflow: true, moreLeft: true, moreRight: false });
  });
});
