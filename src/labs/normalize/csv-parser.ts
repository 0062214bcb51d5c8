// CSV upload of the Normalization lab: a numeric table with a header row; the user picks the target column.
// Every malformed file gets the 1-based line number and a message saying what is wrong and what is allowed.
// The wording and limits are in csv.ts, the splitting of a line into fields in csv-fields.ts.

import { CSV_LIMITS, clipText, csvProblemText, problemOf, type CsvProblem } from './csv';
import { NON_FINITE, NUMBER, splitFields } from './csv-fields';

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
