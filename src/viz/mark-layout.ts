// Labels of the marks under a slider (the Normalization lab's 2/λmax marks), placed so that none overlaps
// another and no mark's line runs through another's label, at any width where that is possible.

/** A mark at `x` on a track (px from the track's left) with a label `width` px wide. */
export interface MarkLabel {
  x: number;
  width: number;
}

/** Where a label goes: its row (0 right under the track; a mark's line runs down to its label's row) and its left edge. */
export interface MarkPlace {
  row: number;
  left: number;
}

/** Most marks laid out by exhaustive search (4 modes make at most 4 marks); beyond, one row per mark. */
const SEARCH_LIMIT = 5;

/**
 * Places mark labels under a track `track` px wide: each label touches its mark's line (it starts or ends
 * at the line, or is moved inwards to stay on the track), labels in one row keep `gap` px apart, and the line
 * of a mark in a deeper row (it runs from the track down to its label) keeps `gap` px off every label it
 * passes. Among the layouts that do so, the one with the fewest rows, then with text starting at the line
 * most often. When none exists (marks too close for their labels), each mark gets a row of its own.
 */
export function layoutMarkLabels(marks: readonly MarkLabel[], track: number, gap = 6): MarkPlace[] {
  const n = marks.length;
  const options = marks.map(({ x, width }) => {
    const clamp = (l: number) => Math.max(0, Math.min(track - width, l));
    // Text starting at the line, ending at it, centred on it, in that order of preference; one moved inwards to
    // stay on the track comes after those that are not.
    const out: { left: number; penalty: number }[] = [];
    [x, x - width, x - width / 2].forEach((l, k) => {
      const left = clamp(l);
      const penalty = left === l ? k : k + 3;
      const same = out.find((o) => o.left === left);
      if (!same) out.push({ left, penalty });
      else same.penalty = Math.min(same.penalty, penalty);
    });
    return out;
  });
  const fits = (a: number, pa: MarkPlace, b: number, pb: MarkPlace): boolean => {
    if (pa.row === pb.row) return pa.left + marks[a].width + gap <= pb.left || pb.left + marks[b].width + gap <= pa.left;
    // The deeper mark's line passes the shallower mark's row.
    const [deep, shallow, ps] = pa.row > pb.row ? [a, b, pb] : [b, a, pa];
    const x = marks[deep].x;
    return x < ps.left - gap || x > ps.left + marks[shallow].width + gap;
  };
  if (n <= SEARCH_LIMIT) {
    let best: MarkPlace[] | null = null;
    let bestScore = Infinity;
    const chosen: MarkPlace[] = [];
    const search = (i: number, rows: number, penalty: number): void => {
      const score = rows * 100 + penalty; // a penalty is at most 5 per mark
      if (score >= bestScore) return;
      if (i === n) {
        best = chosen.slice();
        bestScore = score;
        return;
      }
      // Any row for any mark: which of two marks goes deeper matters (the deeper one's line passes the other's row).
      for (let row = 0; row < n; row++) {
        for (const { left, penalty: k } of options[i]) {
          const p = { row, left };
          let ok = true;
          for (let j = 0; j < i && ok; j++) ok = fits(i, p, j, chosen[j]);
          if (!ok) continue;
          chosen[i] = p;
          search(i + 1, Math.max(rows, row + 1), penalty + k);
        }
      }
    };
    search(0, 0, 0);
    if (best) return best;
  }
  return marks.map((_, i) => ({ row: i, left: options[i].reduce((a, b) => (b.penalty < a.penalty ? b : a)).left }));
}
