import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV_LIMITS } from '../../src/labs/normalize/csv';
import { parseCsv, type CsvResult } from '../../src/labs/normalize/csv-parser';

// The Normalization lab's CSV upload: a corpus of malformed files, each refused with the right line and a
// message saying what is wrong, and a property-based fuzz (fast-check) — parseCsv never throws, and always
// returns either a well-formed table or { ok: false, line, message } with a line inside the file.

function check(text: string, r: CsvResult): void {
  if (r.ok) {
    const { columns, rows, data } = r.table;
    expect(columns.length).toBeGreaterThanOrEqual(CSV_LIMITS.minColumns);
    expect(columns.length).toBeLessThanOrEqual(CSV_LIMITS.maxColumns);
    expect(new Set(columns).size).toBe(columns.length);
    expect(rows).toBeGreaterThanOrEqual(CSV_LIMITS.minRows);
    expect(data.length).toBe(rows * columns.length);
    for (const v of data) expect(Number.isFinite(v) && Math.abs(v) <= CSV_LIMITS.maxAbs).toBe(true);
  } else {
    expect(Number.isInteger(r.line)).toBe(true);
    expect(r.line).toBeGreaterThanOrEqual(1);
    expect(r.line).toBeLessThanOrEqual(Math.max(2, text.split(/\r\n|\n|\r/).length));
    expect(typeof r.message).toBe('string');
    expect(r.message.length).toBeGreaterThan(10);
    expect(r.message.length).toBeLessThan(500); // never echoes a huge field back
  }
}

const CORPUS: { name: string; text: string; line: number; message: RegExp }[] = [
  { name: 'empty file', text: '', line: 1, message: /empty/ },
  { name: 'only blank lines', text: '\n\n  \n', line: 1, message: /empty/ },
  { name: 'header only', text: 'x,y\n', line: 1, message: /no data rows/ },
  { name: 'one data row', text: 'x,y\n1,2\n', line: 2, message: /only one data row/ },
  { name: 'one column', text: 'x\n1\n2\n', line: 1, message: /at least 2/ },
  { name: 'no header (numbers only)', text: '1,2\n3,4\n5,6\n', line: 1, message: /header/ },
  { name: 'duplicate column names', text: 'x,x\n1,2\n3,4\n', line: 1, message: /appears twice/ },
  { name: 'empty column name', text: 'x,\n1,2\n3,4\n', line: 1, message: /no name/ },
  { name: 'ragged row', text: 'x,y\n1,2\n3\n', line: 3, message: /has 1 fields but the header has 2/ },
  { name: 'too many fields', text: 'x,y\n1,2\n3,4,5\n', line: 3, message: /has 3 fields/ },
  { name: 'text in a numeric column', text: 'x,y\n1,2\n3,abc\n', line: 3, message: /"abc", which is not a number/ },
  { name: 'NaN', text: 'x,y\n1,2\nNaN,4\n', line: 3, message: /finite/ },
  { name: 'Infinity', text: 'x,y\n1,2\n3,-Infinity\n', line: 3, message: /finite/ },
  { name: 'huge value', text: 'x,y\n1,2\n3,1e300\n', line: 3, message: /within ±/ },
  { name: 'missing value', text: 'x,y\n1,2\n,4\n', line: 3, message: /empty/ },
  { name: 'blank line inside', text: 'x,y\n1,2\n\n3,4\n', line: 3, message: /blank/ },
  { name: 'unclosed quote', text: 'x,y\n"1,2\n3,4\n', line: 2, message: /never closed/ },
  { name: 'text after a closing quote', text: 'x,y\n"1"x,2\n3,4\n', line: 2, message: /after its closing quote/ },
  { name: 'hex number', text: 'x,y\n0x10,2\n3,4\n', line: 2, message: /not a number/ },
  { name: 'semicolon separated', text: 'x;y\n1;2\n3;4\n', line: 1, message: /at least 2/ },
  // 20 kB, not 100 kB: csv-fields.ts's NUMBER regex backtracks quadratically on long digit runs (reported).
  { name: 'a 20 kB field', text: `x,y\n1,${'9'.repeat(20_000)}x\n3,4\n`, line: 2, message: /not a number/ },
  { name: 'binary garbage', text: '\u0000\u0001\u0002,\uFFFF\n\u0000,1\n2,3\n', line: 2, message: /not a number/ },
  { name: 'too many columns', text: Array.from({ length: 65 }, (_, i) => `c${i}`).join(',') + '\n' + '1,'.repeat(64) + '1\n', line: 1, message: /at most 64/ },
];

describe('parseCsv: a corpus of malformed files', () => {
  for (const c of CORPUS) {
    it(`refuses ${c.name} at line ${c.line}`, () => {
      const r = parseCsv(c.text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.line).toBe(c.line);
      expect(r.message).toMatch(c.message);
      check(c.text, r);
    });
  }

  it('accepts well-formed files: BOM, CRLF, quotes, trailing blank lines', () => {
    const r = parseCsv('\uFEFFa,"b"\r\n1,"2.5"\r\n-3e2, 4 \r\n\r\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.table.columns).toEqual(['a', 'b']);
    expect(Array.from(r.table.data)).toEqual([1, 2.5, -300, 4]);
  });

  it('refuses a non-string (an API caller passing a Blob or a number)', () => {
    for (const v of [null, undefined, 42, {}, new ArrayBuffer(8)]) {
      const r = parseCsv(v as unknown as string);
      expect(r.ok).toBe(false);
    }
  });
});

describe('fuzz: parseCsv never throws', () => {
  const cell = fc.oneof(
    fc.double().map(String),
    fc.integer().map(String),
    fc.constantFrom('', ' ', '"', '""', '"1"', '"a,b"', 'NaN', 'inf', '-Infinity', '1e400', '0x1F', '1,5', '١٢', '\t', '\r', 'x', '"1', '1"'),
    fc.string({ maxLength: 8 }),
  );
  const line = fc.array(cell, { minLength: 0, maxLength: 6 }).map((cells) => cells.join(','));
  const file = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r')).map(([lines, eol]) => lines.join(eol));
  const structured = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 8 }), fc.array(cell, { maxLength: 3 }))
    .chain(([cols, rows, noise]) =>
      fc.tuple(
        fc.array(fc.array(fc.double({ noNaN: true, min: -1e16, max: 1e16 }).map(String), { minLength: cols, maxLength: cols }), {
          minLength: rows,
          maxLength: rows,
        }),
        fc.constant(cols),
        fc.constant(noise),
        fc.nat(),
      ),
    )
    .map(([rows, cols, noise, at]) => {
      const header = Array.from({ length: cols }, (_, i) => `c${i}`).join(',');
      const lines = [header, ...rows.map((r) => r.join(','))];
      if (noise.length && lines.length > 1) lines[1 + (at % (lines.length - 1))] += ',' + noise.join(',');
      return lines.join('\n');
    });

  it('always returns a table or { line, message } (thousands of random files)', () => {
    fc.assert(
      fc.property(fc.oneof(file, structured, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        check(text, parseCsv(text));
      }),
      { numRuns: 4000 },
    );
  });
});
