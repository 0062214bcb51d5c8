// CSV upload of the Normalization lab: a numeric table with a header row; the user picks the target column.
// Every malformed file gets the 1-based line number and a message saying what is wrong and what is allowed.

import { InputError } from '../gpu/errors';
import { makeRng } from '../kernels/cpu/random';
import type { Dataset } from './normalize-types';

/** A parsed CSV: column names and the values row-major (rows × columns, float64). */
export interface CsvTable {
  columns: string[];
  rows: number;
  data: Float64Array;
}

/** What `parseCsv` returns: the table, or the first problem with its 1-based line number. */
export type CsvResult = { ok: true; table: CsvTable } | { ok: false; line: number; message: string };

/** Limits of an uploaded file. */
export const CSV_LIMITS = {
  /** Data rows (after the header). */
  maxRows: 1_000_000,
  maxColumns: 64,
  minColumns: 2,
  minRows: 2,
  /** Characters of text (≈ bytes for ASCII files): 100 MB. */
  maxChars: 100_000_000,
  /** |value| bound: keeps squares and sums of 10⁶ squares inside f32. */
  maxAbs: 1e15,
} as const;

// No nested optional digit runs: `\d+\.?\d*` backtracks quadratically on a long digit run ending in text.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

type Fields = { ok: true; fields: string[] } | { ok: false; message: string };

/** Splits one line into fields: comma separated, a field may be wrapped in double quotes ("" inside = "). */
function splitFields(line: string): Fields {
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
        if (q < 0) {
          return { ok: false, message: `field ${fields.length + 1} opens a quote (") that is never closed on this line; quoted fields cannot span lines` };
        }
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
      if (k < line.length && line[k] !== ',') {
        return { ok: false, message: `field ${fields.length + 1} has text after its closing quote; put a comma right after the closing quote` };
      }
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

const fail = (line: number, message: string): CsvResult => ({ ok: false, line, message });

/**
 * Parses a numeric CSV: a header row of distinct, non-empty column names, then at least 2 rows of numbers
 * (decimal or exponent notation), comma separated, optionally quoted, LF or CRLF line ends, a UTF-8 BOM and
 * blank trailing lines allowed. Values are checked to be finite and within ±1e15. On the first problem
 * returns ok: false with its 1-based line number and a message naming the column and value.
 */
export function parseCsv(text: string): CsvResult {
  if (typeof text !== 'string') return fail(1, 'The file could not be read as text');
  if (text.length > CSV_LIMITS.maxChars) {
    return fail(1, `The file is ${(text.length / 1e6).toFixed(1)} MB of text; at most ${CSV_LIMITS.maxChars / 1e6} MB is allowed. Use fewer rows.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\n|\r/);
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last--;
  if (last < 0) return fail(1, 'The file is empty; expected a header row of column names, then rows of numbers');

  const header = splitFields(lines[0]);
  if (!header.ok) return fail(1, `Header: ${header.message}`);
  const columns = header.fields.map((f) => f.trim());
  const cols = columns.length;
  if (cols > CSV_LIMITS.maxColumns) return fail(1, `The header has ${cols} columns; at most ${CSV_LIMITS.maxColumns} are allowed`);
  if (cols < CSV_LIMITS.minColumns) {
    return fail(1, `The header has ${cols} column ("${columns[0]}"); at least ${CSV_LIMITS.minColumns} are needed (features and a target), separated by commas`);
  }
  const seen = new Map<string, number>();
  for (let c = 0; c < cols; c++) {
    if (columns[c] === '') return fail(1, `Column ${c + 1} of the header has no name; every column needs a distinct name`);
    const prev = seen.get(columns[c]);
    if (prev !== undefined) return fail(1, `Column name "${columns[c]}" appears twice (columns ${prev + 1} and ${c + 1}); names must be distinct`);
    seen.set(columns[c], c);
  }
  if (columns.every((name) => NUMBER.test(name))) {
    return fail(1, `The first line (${columns.slice(0, 3).join(', ')}${cols > 3 ? ', …' : ''}) holds only numbers; the first line must be a header of column names`);
  }

  const rows = last;
  if (rows === 0) return fail(1, `The file has a header but no data rows; at least ${CSV_LIMITS.minRows} rows of numbers are needed`);
  if (rows === 1) {
    return fail(2, `The file has only one data row; at least ${CSV_LIMITS.minRows} are needed (one row has no spread to normalize)`);
  }
  if (rows > CSV_LIMITS.maxRows) {
    return fail(CSV_LIMITS.maxRows + 2, `The file has ${rows.toLocaleString('en-US')} data rows; at most ${CSV_LIMITS.maxRows.toLocaleString('en-US')} are allowed`);
  }

  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const lineNo = r + 2;
    const line = lines[r + 1];
    if (line.trim() === '') {
      return fail(lineNo, `Line ${lineNo} is blank but more data follows; blank lines are only allowed at the end of the file`);
    }
    const parsed = splitFields(line);
    if (!parsed.ok) return fail(lineNo, parsed.message);
    const fields = parsed.fields;
    if (fields.length !== cols) {
      return fail(lineNo, `Line ${lineNo} has ${fields.length} fields but the header has ${cols} columns; every row needs exactly ${cols} comma-separated values`);
    }
    for (let c = 0; c < cols; c++) {
      const s = fields[c].trim();
      const where = `column "${columns[c]}"`;
      if (s === '') return fail(lineNo, `Line ${lineNo}, ${where} is empty; missing values are not supported (every cell must be a number)`);
      if (NON_FINITE.test(s)) return fail(lineNo, `Line ${lineNo}, ${where} holds "${s}"; only finite numbers are allowed (no NaN or Infinity)`);
      if (!NUMBER.test(s)) {
        const shown = s.length > 40 ? `${s.slice(0, 40)}…` : s;
        return fail(lineNo, `Line ${lineNo}, ${where} holds "${shown}", which is not a number; every column must be numeric (e.g. 12, -0.5, 3e4)`);
      }
      const v = Number(s);
      if (!Number.isFinite(v) || Math.abs(v) > CSV_LIMITS.maxAbs) {
        return fail(lineNo, `Line ${lineNo}, ${where} holds ${s}; values must be within ±${CSV_LIMITS.maxAbs.toExponential()} (larger ones overflow f32 when squared)`);
      }
      data[r * cols + c] = v;
    }
  }
  return { ok: true, table: { columns, rows, data } };
}

/** Options of `datasetFromTable`. */
export interface TableSplitOptions {
  /** The target column, by name or 0-based index; every other column is a feature. */
  target: string | number;
  /** Fraction of rows held out as the test set (0 < f < 1; both splits need ≥ 2 rows). */
  testFraction: number;
  /** Seed of the shuffle that assigns rows to train and test. */
  seed: number;
  fileName: string;
}

/**
 * A Dataset from a parsed table: the target column becomes y, all other columns (in file order) the
 * features (at least 2). Rows are shuffled by `seed` (Fisher–Yates); the first round(rows · testFraction)
 * shuffled rows are the test set, the rest train (each keeping file order). Values become f32.
 * Throws an InputError naming the option that is wrong.
 */
export function datasetFromTable(table: CsvTable, options: TableSplitOptions): Dataset {
  const { columns, rows, data } = table;
  const cols = columns.length;
  const { target, testFraction, seed } = options;
  let t: number;
  if (typeof target === 'number') {
    if (!Number.isInteger(target) || target < 0 || target >= cols) {
      throw new InputError('target', `column index ${target} does not exist; use 0 to ${cols - 1} or a name: ${columns.join(', ')}`);
    }
    t = target;
  } else {
    t = columns.indexOf(target);
    if (t < 0) throw new InputError('target', `no column is named "${target}"; the columns are ${columns.join(', ')}`);
  }
  const d = cols - 1;
  if (d < 2) {
    throw new InputError('target', `leaves ${d} feature column; the lab needs at least 2 features besides the target (the contour plot is over two weights)`);
  }
  if (typeof testFraction !== 'number' || !(testFraction > 0 && testFraction < 1)) {
    throw new InputError('testFraction', `must be a number strictly between 0 and 1; got ${String(testFraction)}`);
  }
  const nTest = Math.round(rows * testFraction);
  const nTrain = rows - nTest;
  if (nTest < 2 || nTrain < 2) {
    throw new InputError('testFraction', `${testFraction} of ${rows} rows gives ${nTrain} training and ${nTest} test rows; both need at least 2`);
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
    throw new InputError('seed', `must be a whole number from 0 to 4294967295; got ${String(seed)}`);
  }
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const rng = makeRng(seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  const testIdx = order.slice(0, nTest).sort();
  const trainIdx = order.slice(nTest).sort();
  const featureCols = columns.map((_, c) => c).filter((c) => c !== t);
  const split = (idx: Uint32Array) => {
    const x = new Float32Array(idx.length * d);
    const y = new Float32Array(idx.length);
    for (let k = 0; k < idx.length; k++) {
      const r = idx[k];
      for (let j = 0; j < d; j++) x[k * d + j] = data[r * cols + featureCols[j]];
      y[k] = data[r * cols + t];
    }
    return { x, y, m: idx.length };
  };
  return {
    train: split(trainIdx),
    test: split(testIdx),
    d,
    featureNames: featureCols.map((c) => columns[c]),
    targetName: columns[t],
    source: { kind: 'csv', fileName: options.fileName, rows },
  };
}
