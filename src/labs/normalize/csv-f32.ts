// The check of an uploaded table against f32 (the GPU's number format): columns whose distinct values merge.

import type { F32Merge } from './csv';
import type { CsvTable } from './csv-parser';

/**
 * The columns whose distinct values collide when rounded to f32 (e.g. x1 = 2²⁴ + i: 2²⁴ + 1 and 2²⁴ + 2
 * both become 2²⁴ + 2), with counts and an example pair of rows. Empty when f32 keeps every distinct value
 * distinct (rounding alone, e.g. 0.1 → 0.100000001, is not reported: it does not change the fit).
 */
export function f32Merges(table: CsvTable): F32Merge[] {
  const { columns, rows, data } = table;
  const cols = columns.length;
  const out: F32Merge[] = [];
  const col = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    let inexact = false;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c];
      col[r] = v;
      if (!inexact && Math.fround(v) !== v) inexact = true;
    }
    if (!inexact) continue; // every value is an f32 already: nothing can merge
    col.sort();
    let distinct = 0;
    let distinctF32 = 0;
    let pair: [number, number] | null = null;
    for (let r = 0; r < rows; r++) {
      if (r > 0 && col[r] === col[r - 1]) continue;
      distinct++;
      if (r > 0 && Math.fround(col[r]) === Math.fround(col[r - 1])) {
        pair ??= [col[r - 1], col[r]];
      } else distinctF32++;
    }
    if (!pair) continue;
    const lineOf = (v: number) => {
      for (let r = 0; r < rows; r++) if (data[r * cols + c] === v) return r + 2;
      return 0;
    };
    out.push({ column: c, name: columns[c], distinct, distinctF32, lines: [lineOf(pair[0]), lineOf(pair[1])], values: pair, f32: Math.fround(pair[0]) });
  }
  return out;
}
