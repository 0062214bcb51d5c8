// The CSV tokenizer: one line into fields, and what counts as a number.

import { problemOf, type CsvProblem } from './csv';

/** A number in decimal or exponent notation (no NaN, no Infinity, no hex). */
// No nested optional digit runs: `\d+\.?\d*` backtracks quadratically on a long digit run ending in text.
export const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** NaN or Infinity in any case, signed or not: refused with its own message. */
export const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** A line's fields, or why they could not be read. */
export type Fields = { ok: true; fields: string[] } | { ok: false; problem: CsvProblem };

/** Splits one line into fields: comma separated, a field may be wrapped in double quotes ("" inside = "). */
export function splitFields(line: string, header: boolean): Fields {
  if (!line.includes('"')) return { ok: true, fields: line.split(',') };
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    // Leading spaces before an opening quote are allowed.
    let j = i;
    while (line[j] === ' ' || line[j] === '\t') j++;
    if (line[j] === '"') {
      let value = '';
      let k = j + 1;
      for (;;) {
        const q = line.indexOf('"', k);
        if (q < 0) return { ok: false, problem: problemOf('unclosedQuote', fields.length + 1, header) };
        value += line.slice(k, q);
        if (line[q + 1] === '"') {
          value += '"';
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      while (line[k] === ' ' || line[k] === '\t') k++;
      if (k < line.length && line[k] !== ',') return { ok: false, problem: problemOf('textAfterQuote', fields.length + 1, header) };
      fields.push(value);
      if (k >= line.length) return { ok: true, fields };
      i = k + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        fields.push(line.slice(i));
        return { ok: true, fields };
      }
      fields.push(line.slice(i, c));
      i = c + 1;
    }
  }
}
