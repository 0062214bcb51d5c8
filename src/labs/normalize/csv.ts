// CSV upload of the Normalization lab: a numeric table with a header row; the user picks the target column.
// Every malformed file gets the 1-based line number and a message saying what is wrong and what is allowed.

import { msg, str } from '@lit/localize';
import { formatCount, formatFixed, formatScientific } from '../../locale-format';
import { InputError } from '../../errors';
import { makeRng } from '../../kernels/cpu/random';
import type { Dataset } from './types';

/** A parsed CSV: column names and the values row-major (rows × columns, float64). */
export interface CsvTable {
  columns: string[];
  rows: number;
  data: Float64Array;
}

/**
 * A refused file: the 1-based line of the first problem, what is wrong (`message`, in the language of the
 * thread that parsed it) and the same as data (`problem`), so the page can word it in its own language when a
 * Web Worker parsed the file.
 */
export type CsvFailure = { ok: false; line: number; message: string; problem: CsvProblem };

/** What `parseCsv` returns: the table, or the first problem with its 1-based line number. */
export type CsvResult = { ok: true; table: CsvTable } | CsvFailure;

/** Limits of an uploaded file. */
export const CSV_LIMITS = {
  /** Data rows (after the header). */
  maxRows: 1_000_000,
  maxColumns: 64,
  minColumns: 2,
  minRows: 2,
  /** Characters of text (≈ bytes for ASCII files): 100 MB. */
  maxChars: 100_000_000,
  /** Characters of one line: 64 columns of long numbers fit; a 5 MB header line does not. */
  maxLineChars: 100_000,
  /** Characters of one column name. */
  maxNameChars: 200,
  /** |value| bound: keeps squares and sums of 10⁶ squares inside f32. */
  maxAbs: 1e15,
} as const;

/** Longest text (a name, a field, a file name) quoted in a message; longer ones are cut with "…". */
export const MAX_QUOTED_CHARS = 40;

/** `s` cut to MAX_QUOTED_CHARS characters (plus "…"), for messages: a 5 MB header is never echoed. */
export function clipText(s: string, max = MAX_QUOTED_CHARS): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

// No nested optional digit runs: `\d+\.?\d*` backtracks quadratically on a long digit run ending in text.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

const count = (n: number) => formatCount(n);
const quoted = (s: string) => `"${clipText(s)}"`;
const mb = (chars: number) => chars / 1e6;

/**
 * Every way a file can be refused, as a message in the current language (msg) from plain arguments. The
 * arguments travel from the CSV worker to the page (structured clone), which words them with csvProblemText.
 */
const CSV_PROBLEMS = {
  unclosedQuote: (field: number, header: boolean) =>
    header
      ? msg(str`Header: field ${field} opens a quote (") that is never closed on this line; quoted fields cannot span lines`)
      : msg(str`field ${field} opens a quote (") that is never closed on this line; quoted fields cannot span lines`),
  textAfterQuote: (field: number, header: boolean) =>
    header
      ? msg(str`Header: field ${field} has text after its closing quote; put a comma right after the closing quote`)
      : msg(str`field ${field} has text after its closing quote; put a comma right after the closing quote`),
  textOverLimit: () => msg(str`The file is more than ${mb(CSV_LIMITS.maxChars)} MB of text; at most ${mb(CSV_LIMITS.maxChars)} MB is allowed. Use fewer rows.`),
  textTooLong: (chars: number) =>
    msg(str`The file is ${formatFixed(chars / 1e6, 1)} MB of text; at most ${mb(CSV_LIMITS.maxChars)} MB is allowed. Use fewer rows.`),
  bytesTooMany: (bytes: number) =>
    msg(str`The file is ${count(bytes)} bytes; at most ${count(CSV_LIMITS.maxChars)} (${mb(CSV_LIMITS.maxChars)} MB) are allowed. Use fewer rows.`),
  notText: () => msg('The file could not be read as text'),
  empty: () => msg('The file is empty; expected a header row of column names, then rows of numbers'),
  noRows: () => msg(str`The file has a header but no data rows; at least ${CSV_LIMITS.minRows} rows of numbers are needed`),
  oneRow: () => msg(str`The file has only one data row; at least ${CSV_LIMITS.minRows} are needed (one row has no spread to normalize)`),
  lineTooLong: (line: number) =>
    line === 1
      ? msg(
          str`Line ${line} is longer than ${count(CSV_LIMITS.maxLineChars)} characters; a row holds at most ${CSV_LIMITS.maxColumns} columns of numbers and the header at most that many names. Is this a CSV file with one row per line?`,
        )
      : msg(
          str`Line ${line} is longer than ${count(CSV_LIMITS.maxLineChars)} characters; a row holds at most ${CSV_LIMITS.maxColumns} columns of numbers. Is this a CSV file with one row per line?`,
        ),
  firstLineBlank: () => msg('Line 1 is blank; the first line must be the header of column names'),
  blankBeforeData: (line: number) => msg(str`Line ${line} is blank but more data follows; blank lines are only allowed at the end of the file`),
  tooManyRows: () => msg(str`The file has more than ${count(CSV_LIMITS.maxRows)} data rows; at most ${count(CSV_LIMITS.maxRows)} are allowed`),
  tooManyColumns: (cols: number) => msg(str`The header has ${cols} columns; at most ${CSV_LIMITS.maxColumns} are allowed`),
  tooFewColumns: (cols: number, name: string) =>
    msg(str`The header has ${cols} column (${quoted(name)}); at least ${CSV_LIMITS.minColumns} are needed (features and a target), separated by commas`),
  unnamedColumn: (column: number) => msg(str`Column ${column} of the header has no name; every column needs a distinct name`),
  nameTooLong: (column: number, name: string, length: number) =>
    msg(str`Column ${column}'s name ${quoted(name)} is ${count(length)} characters long; at most ${CSV_LIMITS.maxNameChars} are allowed`),
  duplicateName: (name: string, first: number, second: number) =>
    msg(str`Column name ${quoted(name)} appears twice (columns ${first} and ${second}); names must be distinct`),
  numericHeader: (firstNames: string, more: boolean) =>
    msg(str`The first line (${clipText(firstNames)}${more ? ', …' : ''}) holds only numbers; the first line must be a header of column names`),
  fieldCount: (line: number, fields: number, cols: number) =>
    msg(str`Line ${line} has ${fields} fields but the header has ${cols} columns; every row needs exactly ${cols} comma-separated values`),
  emptyCell: (line: number, column: string) =>
    msg(str`Line ${line}, column ${quoted(column)} is empty; missing values are not supported (every cell must be a number)`),
  nonFinite: (line: number, column: string, value: string) =>
    msg(str`Line ${line}, column ${quoted(column)} holds "${value}"; only finite numbers are allowed (no NaN or Infinity)`),
  notNumber: (line: number, column: string, value: string) =>
    msg(str`Line ${line}, column ${quoted(column)} holds ${quoted(value)}, which is not a number; every column must be numeric (e.g. 12, -0.5, 3e4)`),
  outOfRange: (line: number, column: string, value: string) =>
    msg(
      str`Line ${line}, column ${quoted(column)} holds ${clipText(value)}; values must be within ±${formatScientific(CSV_LIMITS.maxAbs, 3)} (larger ones overflow f32 when squared)`,
    ),
} satisfies Record<string, (...args: never[]) => string>;

type CsvProblems = typeof CSV_PROBLEMS;

/** Why a file was refused, as data: which problem and its arguments (names and values already cut short). */
export type CsvProblem = { [K in keyof CsvProblems]: { key: K; args: Parameters<CsvProblems[K]> } }[keyof CsvProblems];

/** A refusal worded in the current language. */
export function csvProblemText(problem: CsvProblem): string {
  return (CSV_PROBLEMS[problem.key] as (...args: unknown[]) => string)(...problem.args);
}

const problemOf = <K extends keyof CsvProblems>(key: K, ...args: Parameters<CsvProblems[K]>) => ({ key, args }) as CsvProblem;

type Fields = { ok: true; fields: string[] } | { ok: false; problem: CsvProblem };

/** Splits one line into fields: comma separated, a field may be wrapped in double quotes ("" inside = "). */
function splitFields(line: string, header: boolean): Fields {
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

const fail = (line: number, problem: CsvProblem): CsvFailure => ({ ok: false, line, message: csvProblemText(problem), problem });

/**
 * An incremental CSV reader: `push` text in chunks of any size (a line may span chunks), then `finish`.
 * Every limit is checked as the text arrives — total characters, characters per line, columns, rows — so a
 * 100 MB file is refused at the first line past a limit, without splitting the whole text first. Memory is
 * the values read so far plus one partial line. The format is `parseCsv`'s.
 */
export class CsvParser {
  private carry = '';
  private line = 0;
  private charsRead = 0;
  private columns: string[] | null = null;
  private cols = 0;
  private data = new Float64Array(0);
  private rowCount = 0;
  /** Line number of the first blank line not yet followed by more data (0: none). */
  private blankAt = 0;
  private failure: CsvFailure | null = null;
  private done: CsvResult | null = null;

  /** Data rows read so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** Characters pushed so far. */
  get chars(): number {
    return this.charsRead;
  }

  /** Reads a chunk of text; returns the first problem (and ignores later chunks) once the file is refused. */
  push(chunk: string): CsvFailure | null {
    if (this.failure || this.done) return this.failure;
    if (this.charsRead === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    this.charsRead += chunk.length;
    if (this.charsRead > CSV_LIMITS.maxChars) {
      return (this.failure = fail(this.line + 1, problemOf('textOverLimit')));
    }
    this.consume(this.carry + chunk, false);
    return this.failure;
  }

  /** Ends the input: the table, or the first problem. */
  finish(): CsvResult {
    if (this.failure) return this.failure;
    if (this.done) return this.done;
    this.consume(this.carry, true);
    if (this.failure) return this.failure;
    if (this.carry !== '') this.readLine(this.carry);
    this.carry = '';
    if (this.failure) return this.failure;
    const columns = this.columns;
    if (!columns) return (this.failure = fail(1, problemOf('empty')));
    if (this.rowCount === 0) return (this.failure = fail(1, problemOf('noRows')));
    if (this.rowCount === 1) return (this.failure = fail(2, problemOf('oneRow')));
    const n = this.rowCount * this.cols;
    const data = this.data.length === n ? this.data : this.data.slice(0, n);
    this.data = new Float64Array(0);
    return (this.done = { ok: true, table: { columns, rows: this.rowCount, data } });
  }

  // Reads every complete line of `text`; the rest (a partial line) stays in `carry`.
  private consume(text: string, final: boolean): void {
    const re = /\r\n?|\n/g;
    let pos = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      // A lone \r at the end of a chunk may be the first half of \r\n: wait for the next chunk.
      if (!final && m[0] === '\r' && m.index === text.length - 1) break;
      this.readLine(text.slice(pos, m.index));
      pos = re.lastIndex;
      if (this.failure) return;
    }
    this.carry = pos === 0 ? text : text.slice(pos);
    if (this.carry.length > CSV_LIMITS.maxLineChars + 1) this.lineTooLong(this.line + 1);
  }

  private lineTooLong(lineNo: number): void {
    this.failure = fail(lineNo, problemOf('lineTooLong', lineNo));
  }

  private readLine(line: string): void {
    const lineNo = ++this.line;
    if (line.length > CSV_LIMITS.maxLineChars) return this.lineTooLong(lineNo);
    const blank = line.trim() === '';
    if (!this.columns) {
      if (blank) return;
      if (lineNo > 1) {
        this.failure = fail(1, problemOf('firstLineBlank'));
        return;
      }
      this.readHeader(line);
      return;
    }
    if (blank) {
      if (this.blankAt === 0) this.blankAt = lineNo;
      return;
    }
    if (this.blankAt !== 0) {
      const b = this.blankAt;
      this.failure = fail(b, problemOf('blankBeforeData', b));
      return;
    }
    if (this.rowCount >= CSV_LIMITS.maxRows) {
      this.failure = fail(lineNo, problemOf('tooManyRows'));
      return;
    }
    this.readRow(line, lineNo);
  }

  private readHeader(line: string): void {
    const header = splitFields(line, true);
    if (!header.ok) {
      this.failure = fail(1, header.problem);
      return;
    }
    const columns = header.fields.map((f) => f.trim());
    const cols = columns.length;
    const f = (problem: CsvProblem) => void (this.failure = fail(1, problem));
    if (cols > CSV_LIMITS.maxColumns) return f(problemOf('tooManyColumns', cols));
    if (cols < CSV_LIMITS.minColumns) return f(problemOf('tooFewColumns', cols, clipText(columns[0])));
    const seen = new Map<string, number>();
    for (let c = 0; c < cols; c++) {
      if (columns[c] === '') return f(problemOf('unnamedColumn', c + 1));
      if (columns[c].length > CSV_LIMITS.maxNameChars) return f(problemOf('nameTooLong', c + 1, clipText(columns[c]), columns[c].length));
      const prev = seen.get(columns[c]);
      if (prev !== undefined) return f(problemOf('duplicateName', clipText(columns[c]), prev + 1, c + 1));
      seen.set(columns[c], c);
    }
    if (columns.every((name) => NUMBER.test(name))) return f(problemOf('numericHeader', clipText(columns.slice(0, 3).join(', ')), cols > 3));
    this.columns = columns;
    this.cols = cols;
  }

  private readRow(line: string, lineNo: number): void {
    const cols = this.cols;
    const columns = this.columns!;
    const parsed = splitFields(line, false);
    if (!parsed.ok) {
      this.failure = fail(lineNo, parsed.problem);
      return;
    }
    const fields = parsed.fields;
    if (fields.length !== cols) {
      this.failure = fail(lineNo, problemOf('fieldCount', lineNo, fields.length, cols));
      return;
    }
    const r = this.rowCount;
    if ((r + 1) * cols > this.data.length) {
      const grown = new Float64Array(Math.min(Math.max(1024, 2 * (r + 1)), CSV_LIMITS.maxRows) * cols);
      grown.set(this.data);
      this.data = grown;
    }
    for (let c = 0; c < cols; c++) {
      const s = fields[c].trim();
      const column = clipText(columns[c]);
      const f = (problem: CsvProblem) => void (this.failure = fail(lineNo, problem));
      if (s === '') return f(problemOf('emptyCell', lineNo, column));
      if (NON_FINITE.test(s)) return f(problemOf('nonFinite', lineNo, column, s));
      if (!NUMBER.test(s)) return f(problemOf('notNumber', lineNo, column, clipText(s)));
      const v = Number(s);
      if (!Number.isFinite(v) || Math.abs(v) > CSV_LIMITS.maxAbs) return f(problemOf('outOfRange', lineNo, column, clipText(s)));
      this.data[r * cols + c] = v;
    }
    this.rowCount = r + 1;
  }
}

/**
 * Parses a numeric CSV: a header row of distinct, non-empty column names, then at least 2 rows of numbers
 * (decimal or exponent notation), comma separated, optionally quoted, LF, CRLF or CR line ends, a UTF-8 BOM
 * and blank trailing lines allowed. Values are checked to be finite and within ±1e15. On the first problem
 * returns ok: false with its 1-based line number and a message naming the column and value (names and
 * values cut to 40 characters).
 */
export function parseCsv(text: string): CsvResult {
  if (typeof text !== 'string') return fail(1, problemOf('notText'));
  if (text.length > CSV_LIMITS.maxChars) return fail(1, problemOf('textTooLong', text.length));
  const parser = new CsvParser();
  return parser.push(text) ?? parser.finish();
}

/** Progress of `parseCsvBlob`. */
export interface CsvProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

/** Options of `parseCsvBlob`. */
export interface CsvBlobOptions {
  /** Aborting stops reading between chunks (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called after each chunk. */
  onProgress?: (p: CsvProgress) => void;
  /** Bytes per chunk (default 1 MiB). */
  chunkBytes?: number;
}

/**
 * Parses a file (any Blob) chunk by chunk as UTF-8 with a CsvParser: the limits hold as it reads, progress
 * is reported after every chunk and `signal` cancels between chunks. DOM-free (Blob and TextDecoder exist
 * in workers and Node), so it runs in the CSV worker, on the main thread as its fallback, and in tests.
 */
export async function parseCsvBlob(blob: Blob, options: CsvBlobOptions = {}): Promise<CsvResult> {
  const { signal, onProgress } = options;
  const chunkBytes = Math.max(1, Math.floor(options.chunkBytes ?? 1 << 20));
  const total = blob.size;
  if (total > CSV_LIMITS.maxChars) return fail(1, problemOf('bytesTooMany', total));
  const decoder = new TextDecoder('utf-8');
  const parser = new CsvParser();
  for (let off = 0; off < total; off += chunkBytes) {
    signal?.throwIfAborted();
    const bytes = await blob.slice(off, Math.min(total, off + chunkBytes)).arrayBuffer();
    signal?.throwIfAborted();
    const failure = parser.push(decoder.decode(bytes, { stream: true }));
    if (failure) return failure;
    onProgress?.({ bytes: Math.min(total, off + chunkBytes), totalBytes: total, rows: parser.rows });
  }
  const failure = parser.push(decoder.decode());
  if (failure) return failure;
  return parser.finish();
}

/** Distinct values of a column that f32 (the GPU's number format) merges: how many, and one example. */
export interface F32Merge {
  /** 0-based column index and its name. */
  column: number;
  name: string;
  /** Distinct values in the file (float64) and after rounding to f32. */
  distinct: number;
  distinctF32: number;
  /** 1-based file lines of an example pair of different values that become one f32 value. */
  lines: [number, number];
  values: [number, number];
  /** The f32 value both become. */
  f32: number;
}

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

/** One warning per merged column, naming it and an example pair of lines (names cut to 40 characters). */
export function describeF32Merge(m: F32Merge): string {
  return (
    msg(
      str`Column ${quoted(m.name)}: its ${count(m.distinct)} distinct values become ${count(m.distinctF32)} in f32 (the GPU's 32-bit floats, about 7 significant digits),`,
    ) +
    ' ' +
    msg(str`e.g. lines ${m.lines[0]} and ${m.lines[1]} (${m.values[0]} and ${m.values[1]} both become ${m.f32}).`) +
    ' ' +
    msg('The fit sees those rows as equal, so its results can be wrong; shift or rescale the column (e.g. subtract a constant near its mean) before loading.')
  );
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
      throw new InputError('target', msg(str`column index ${target} does not exist; use 0 to ${cols - 1} or a name: ${clipText(columns.join(', '), 200)}`));
    }
    t = target;
  } else {
    t = columns.indexOf(target);
    if (t < 0) throw new InputError('target', msg(str`no column is named ${quoted(String(target))}; the columns are ${clipText(columns.join(', '), 200)}`));
  }
  const d = cols - 1;
  if (d < 2) {
    throw new InputError(
      'target',
      msg(str`leaves ${d} feature column; the lab needs at least 2 features besides the target (the contour plot is over two weights)`),
    );
  }
  if (typeof testFraction !== 'number' || !(testFraction > 0 && testFraction < 1)) {
    throw new InputError('testFraction', msg(str`must be a number strictly between 0 and 1; got ${String(testFraction)}`));
  }
  const nTest = Math.round(rows * testFraction);
  const nTrain = rows - nTest;
  if (nTest < 2 || nTrain < 2) {
    throw new InputError('testFraction', msg(str`${testFraction} of ${rows} rows gives ${nTrain} training and ${nTest} test rows; both need at least 2`));
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
    throw new InputError('seed', msg(str`must be a whole number from 0 to 4294967295; got ${String(seed)}`));
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
