// Labels of the marks under a slider (the Normalization lab's 2/λmax marks), placed so that none overlaps
// another, no mark's line runs through another's label, and each label sits beside its own line rather than
// under it, at any width where that is possible.

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
 * Places mark labels under a track `track` px wide: each label sits beside its mark's line (its text starts or
 * ends at the line, which runs down along its edge), labels in one row keep `gap` px apart, and the line of a
 * mark in a deeper row (it runs from the track down to its label) keeps `gap` px off every label it passes.
 * Among the layouts that do so, the one with the fewest rows, then with text starting at the line most often:
 * an extra row is better than a line over the middle of its own label. A label too wide for either side of its
 * line is moved inwards to stay on the track (its line then stops at its top edge); so is any label, centred
 * under its line, only when no layout of labels beside their lines avoids every collision. When none exists
 * (marks too close for their labels), each mark gets a row of its own.
 */
export function layoutMarkLabels(marks: readonly MarkLabel[], track: number, gap = 6): MarkPlace[] {
  const n = marks.length;
  const eps = 1e-9;
  type Option = { left: number; penalty: number };
  // Beside the line: text starting at it, or ending at it, where that stays on the track.
  const beside: Option[][] = marks.map(({ x, width }) => [
    ...(x + width <= track + eps ? [{ left: x, penalty: 0 }] : []),
    ...(x - width >= -eps ? [{ left: x - width, penalty: 1 }] : []),
  ]);
  // Moved inwards or centred under the line (the line stops at the label's top edge): starting at the line, ending
  // at it, centred on it, each kept on the track; costlier than any placement beside the line.
  const inwards: Option[][] = marks.map(({ x, width }) => {
    const clamp = (l: number) => Math.max(0, Math.min(track - width, l));
    const out: Option[] = [];
    [x - width / 2, x, x - width].forEach((l, k) => {
      const left = clamp(l);
      if (!out.some((o) => o.left === left)) out.push({ left, penalty: 2 + k });
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
  // The best layout with each mark's label at one of its options, or null when every layout collides.
  const search = (options: Option[][]): MarkPlace[] | null => {
    let best: MarkPlace[] | null = null;
    let bestScore = Infinity;
    const chosen: MarkPlace[] = [];
    const go = (i: number, rows: number, penalty: number): void => {
      const score = rows * 100 + penalty; // a penalty is at most 4 per mark
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
          go(i + 1, Math.max(rows, row + 1), penalty + k);
        }
      }
    };
    go(0, 0, 0);
    return best;
  };
  const preferred = marks.map((_, i) => (beside[i].length ? beside[i] : inwards[i]));
  if (n <= SEARCH_LIMIT) {
    const found = search(preferred) ?? search(marks.map((_, i) => [...beside[i], ...inwards[i]]));
    if (found) return found;
  }
  return marks.map((_, i) => ({ row: i, left: preferred[i].reduce((a, b) => (b.penalty < a.penalty ? b : a)).left }));
}
