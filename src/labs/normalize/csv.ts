// How the Normalization lab's CSV upload words what it refuses and warns about, and the limits it cites: every
// refusal as a message from plain arguments (so a Web Worker can send them and the page word them), the f32
// warning (and F32Merge, the data it words), and quoting of names and values cut short. The reader is csv-parser.ts (fields: csv-fields.ts),
// the f32 check csv-f32.ts, the table → Dataset split csv-dataset.ts.

import { msg, str } from '@lit/localize';
import { formatCount, formatFixed, formatScientific } from '../../locale-format';

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

const count = (n: number) => formatCount(n);
/** `s` in double quotes, cut to MAX_QUOTED_CHARS. */
export const quoted = (s: string) => `"${clipText(s)}"`;
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

/** A CsvProblem from its key and that message's arguments (type-checked against CSV_PROBLEMS). */
export const problemOf = <K extends keyof CsvProblems>(key: K, ...args: Parameters<CsvProblems[K]>) => ({ key, args }) as CsvProblem;

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
