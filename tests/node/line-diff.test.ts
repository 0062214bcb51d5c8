// The line diff a shared link is shown with: every line of both texts in order, a minimal edit script
// (checked against a brute-force LCS length), hunks with context, the fallback for huge inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffHunks, diffLines, diffStats, MAX_DIFF_CELLS } from '../../src/playground/line-diff';

/** LCS length of two line arrays by the textbook recursion (memoised), independent of the module's table. */
function lcsLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
      memo.set(key, v);
    }
    return v;
  };
  return go(0, 0);
}

const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'fn main() {', '}', ''), { maxLength: 14 });

describe('diffLines', () => {
  it('marks one changed line in a shader as removed and added, the rest unchanged, with line numbers', () => {
    const d = diffLines('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(d).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'del', text: 'b', oldLine: 2 },
      { kind: 'add', text: 'B', newLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 3 },
      { kind: 'same', text: 'd', oldLine: 4, newLine: 4 },
      { kind: 'add', text: 'e', newLine: 5 },
    ]);
    expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
  });

  it('replays to both texts and keeps a longest common subsequence unchanged (fast-check)', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const d = diffLines(a.join('\n'), b.join('\n'));
        const old = d.filter((x) => x.kind !== 'add').map((x) => x.text);
        const neu = d.filter((x) => x.kind !== 'del').map((x) => x.text);
        const split = (s: string[]) => (s.join('\n') === '' ? [] : s.join('\n').split('\n'));
        expect(old).toEqual(split(a));
        expect(neu).toEqual(split(b));
        expect(d.filter((x) => x.kind === 'same').length).toBe(lcsLength(split(a), split(b)));
      }),
      { numRuns: 300 },
    );
  });

  it('identical texts have no changes; a text against nothing is all added', () => {
    expect(diffStats(diffLines('x\ny', 'x\ny'))).toEqual({ added: 0, removed: 0 });
    expect(diffLines('', 'x\ny').map((d) => d.kind)).toEqual(['add', 'add']);
  });

  it('shows inputs too large for the table as all removed then all added, quickly', () => {
    const n = Math.ceil(Math.sqrt(MAX_DIFF_CELLS)) + 10;
    const a = Array.from({ length: n }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: n }, (_, i) => `b${i}`).join('\n');
    const d = diffLines(a, b);
    expect(diffStats(d)).toEqual({ added: n, removed: n });
    expect(d[0].kind).toBe('del');
    expect(d[n].kind).toBe('add');
  });
});

describe('diffHunks', () => {
  it('keeps 3 lines of context around changes and counts the unchanged lines left out', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = [...a];
    b[10] = 'changed';
    const h = diffHunks(diffLines(a.join('\n'), b.join('\n')));
    expect(h[0]).toEqual({ kind: 'skip', count: 7 });
    expect(h.slice(1, 4).map((x) => ('text' in x ? x.text : ''))).toEqual(['l7', 'l8', 'l9']);
    expect(h.slice(4, 6).map((x) => x.kind)).toEqual(['del', 'add']);
    expect(h[h.length - 1]).toEqual({ kind: 'skip', count: 6 });
  });
});
