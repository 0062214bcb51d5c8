/**
 * A line diff (longest common subsequence of lines) for showing what a shared kernel changes against the
 * built-in before anything of it runs. DOM-free. Common leading and trailing lines are matched first; the
 * middle gets the O(n·m) LCS table, and a middle too large for it (over MAX_DIFF_CELLS) is shown as
 * all removed, then all added, which is still an honest (if long) diff.
 */

/** One line of a diff: unchanged, only in the old text (`del`), or only in the new one (`add`). */
export interface DiffLine {
  kind: 'same' | 'del' | 'add';
  text: string;
  /** 1-based line number in the old text (same, del). */
  oldLine?: number;
  /** 1-based line number in the new text (same, add). */
  newLine?: number;
}

/** A run of unchanged lines left out of a shown diff. */
export interface DiffSkip {
  kind: 'skip';
  count: number;
}

/** Largest LCS table (cells) computed; beyond it the middle is replaced wholesale. */
export const MAX_DIFF_CELLS = 4_000_000;

const splitLines = (s: string) => (s === '' ? [] : s.replace(/\r\n?/g, '\n').split('\n'));

/** The line diff turning `oldText` into `newText`: every line of both, in order. */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ kind: 'same', text: a[i], oldLine: i + 1, newLine: i + 1 });
  const n = endA - start;
  const m = endB - start;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= MAX_DIFF_CELLS) {
    // lcs[i][j] = LCS length of a[start+i..endA) and b[start+j..endB), row-major in one array.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        out.push({ kind: 'same', text: a[start + i], oldLine: start + i + 1, newLine: start + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        // Removals before additions where both keep the LCS, as diffs usually read.
        out.push({ kind: 'del', text: a[start + i], oldLine: start + i + 1 });
        i++;
      } else {
        out.push({ kind: 'add', text: b[start + j], newLine: start + j + 1 });
        j++;
      }
    }
  } else {
    for (let i = start; i < endA; i++) out.push({ kind: 'del', text: a[i], oldLine: i + 1 });
    for (let j = start; j < endB; j++) out.push({ kind: 'add', text: b[j], newLine: j + 1 });
  }
  for (let k = 0; k < a.length - endA; k++) out.push({ kind: 'same', text: a[endA + k], oldLine: endA + k + 1, newLine: endB + k + 1 });
  return out;
}

/** Lines added and removed. */
export function diffStats(diff: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const d of diff) {
    if (d.kind === 'add') added++;
    else if (d.kind === 'del') removed++;
  }
  return { added, removed };
}

/** The diff as shown: changed lines with `context` unchanged lines around them, longer unchanged runs as skips. */
export function diffHunks(diff: readonly DiffLine[], context = 3): (DiffLine | DiffSkip)[] {
  const keep = new Uint8Array(diff.length);
  for (const [i, d] of diff.entries()) {
    if (d.kind === 'same') continue;
    for (let k = Math.max(0, i - context); k <= Math.min(diff.length - 1, i + context); k++) keep[k] = 1;
  }
  const out: (DiffLine | DiffSkip)[] = [];
  let skipped = 0;
  for (const [i, d] of diff.entries()) {
    if (keep[i]) {
      if (skipped) out.push({ kind: 'skip', count: skipped });
      skipped = 0;
      out.push(d);
    } else skipped++;
  }
  if (skipped) out.push({ kind: 'skip', count: skipped });
  return out;
}
