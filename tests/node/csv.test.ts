import { describe, expect, it } from 'vitest';
import { CSV_LIMITS } from '../../src/labs/normalize/csv';
import { datasetFromTable } from '../../src/labs/normalize/csv-dataset';
import { parseCsv, type CsvResult } from '../../src/labs/normalize/csv-parser';
import { InputError } from '../../src/errors';

function bad(r: CsvResult): { line: number; message: string } {
  if (r.ok) throw new Error('expected the parse to fail');
  return r;
}
function good(r: CsvResult) {
  if (!r.ok) throw new Error(`expected success, got line ${r.line}: ${r.message}`);
  return r.table;
}

describe('parseCsv: good files', () => {
  it('header, numbers, quotes, CRLF, BOM, blank trailing lines, exponents', () => {
    const t = good(parseCsv('\ufeff"size (m²)", rooms ,"price, €"\r\n120,3,"2.5e5"\r\n80, 2 ,-1.5E+3\r\n.5,+4,7.\r\n\r\n\n'));
    expect(t.columns).toEqual(['size (m²)', 'rooms', 'price, €']);
    expect(t.rows).toBe(3);
    expect(Array.from(t.data)).toEqual([120, 3, 250000, 80, 2, -1500, 0.5, 4, 7]);
  });

  it('escaped quotes inside quoted names, LF only, no trailing newline', () => {
    const t = good(parseCsv('a,"b ""quoted""",c\n1,2,3\n4,5,6'));
    expect(t.columns).toEqual(['a', 'b "quoted"', 'c']);
    expect(t.rows).toBe(2);
  });
});

describe('parseCsv: every malformed case gives the line and a specific message', () => {
  it('empty file (also only blank lines)', () => {
    expect(bad(parseCsv(''))).toEqual({
      ok: false,
      line: 1,
      message: 'The file is empty; expected a header row of column names, then rows of numbers',
      problem: { key: 'empty', args: [] },
    });
    expect(bad(parseCsv('\n \r\n')).message).toMatch(/empty/);
  });

  it('header only', () => {
    expect(bad(parseCsv('a,b,c\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/header but no data rows; at least 2/) });
  });

  it('only one data row', () => {
    expect(bad(parseCsv('a,b,c\n1,2,3\n'))).toMatchObject({ line: 2, message: expect.stringMatching(/only one data row; at least 2 are needed/) });
  });

  it('ragged rows: too few and too many fields, with expected and found counts', () => {
    expect(bad(parseCsv('a,b,c\n1,2,3\n4,5\n7,8,9'))).toEqual({
      ok: false,
      line: 3,
      message: 'Line 3 has 2 fields but the header has 3 columns; every row needs exactly 3 comma-separated values',
      problem: { key: 'fieldCount', args: [3, 2, 3] },
    });
    expect(bad(parseCsv('a,b,c\n1,2,3\n4,5,6\n7,8,9,10'))).toMatchObject({ line: 4, message: expect.stringMatching(/has 4 fields but the header has 3/) });
  });

  it('text in a numeric column names the column and the value', () => {
    expect(bad(parseCsv('a,b,c\n1,2,3\n4,five,6\n'))).toEqual({
      ok: false,
      line: 3,
      message: 'Line 3, column "b" holds "five", which is not a number; every column must be numeric (e.g. 12, -0.5, 3e4)',
      problem: { key: 'notNumber', args: [3, 'b', 'five'] },
    });
    expect(bad(parseCsv('a,b\n1,2\n3,4\n5,"1,5"'))).toMatchObject({ line: 4, message: expect.stringMatching(/column "b" holds "1,5"/) });
    expect(bad(parseCsv('a,b\n1,2\n3,0x10'))).toMatchObject({ line: 3, message: expect.stringMatching(/"0x10", which is not a number/) });
  });

  it('NaN and Infinity', () => {
    expect(bad(parseCsv('a,b\n1,2\nNaN,4'))).toMatchObject({
      line: 3,
      message: expect.stringMatching(/column "a" holds "NaN"; only finite numbers are allowed/),
    });
    expect(bad(parseCsv('a,b\n1,-Infinity\n3,4'))).toMatchObject({ line: 2, message: expect.stringMatching(/column "b" holds "-Infinity"/) });
    expect(bad(parseCsv('a,b\n1,2\n3,inf'))).toMatchObject({ line: 3 });
    expect(bad(parseCsv('a,b\n1,2\n3,1e400'))).toMatchObject({ line: 3, message: expect.stringMatching(/within ±1e15/) });
  });

  it('empty cells (missing values)', () => {
    expect(bad(parseCsv('a,b\n1,2\n3,\n'))).toMatchObject({ line: 3, message: expect.stringMatching(/column "b" is empty; missing values are not supported/) });
  });

  it('duplicate and empty header names', () => {
    expect(bad(parseCsv('a,b,a\n1,2,3\n4,5,6'))).toEqual({
      ok: false,
      line: 1,
      message: 'Column name "a" appears twice (columns 1 and 3); names must be distinct',
      problem: { key: 'duplicateName', args: ['a', 1, 3] },
    });
    expect(bad(parseCsv('a,,c\n1,2,3\n4,5,6'))).toMatchObject({ line: 1, message: 'Column 2 of the header has no name; every column needs a distinct name' });
  });

  it('fewer than 2 columns', () => {
    expect(bad(parseCsv('price\n1\n2\n'))).toMatchObject({ line: 1, message: expect.stringMatching(/header has 1 column \("price"\); at least 2 are needed/) });
  });

  it('a missing header (first line all numbers)', () => {
    expect(bad(parseCsv('1,2\n3,4\n5,6'))).toMatchObject({ line: 1, message: expect.stringMatching(/holds only numbers; the first line must be a header/) });
  });

  it('blank line in the middle, unterminated quote, text after a closing quote', () => {
    expect(bad(parseCsv('a,b\n1,2\n\n3,4\n'))).toMatchObject({ line: 3, message: expect.stringMatching(/Line 3 is blank but more data follows/) });
    expect(bad(parseCsv('a,b\n1,"2\n3,4'))).toMatchObject({ line: 2, message: expect.stringMatching(/never closed/) });
    expect(bad(parseCsv('a,b\n1,"2"x\n3,4'))).toMatchObject({ line: 2, message: expect.stringMatching(/text after its closing quote/) });
  });

  it('too many columns, too many rows, too much text', () => {
    const names = Array.from({ length: CSV_LIMITS.maxColumns + 1 }, (_, i) => `c${i}`).join(',');
    expect(bad(parseCsv(`${names}\n`))).toMatchObject({ line: 1, message: 'The header has 65 columns; at most 64 are allowed' });
    const rows = 'a,b\n' + '1,2\n'.repeat(CSV_LIMITS.maxRows + 1);
    expect(bad(parseCsv(rows))).toMatchObject({
      line: CSV_LIMITS.maxRows + 2,
      message: 'The file has more than 1,000,000 data rows; at most 1,000,000 are allowed',
    });
    const huge = 'a,b\n' + ' '.repeat(CSV_LIMITS.maxChars);
    expect(bad(parseCsv(huge))).toMatchObject({ line: 1, message: expect.stringMatching(/100\.0 MB of text; at most 100 MB is allowed/) });
  });
});

describe('datasetFromTable', () => {
  const csv = 'x1,y,x2\n' + Array.from({ length: 20 }, (_, i) => `${i},${2 * i},${i * i}`).join('\n');
  const table = good(parseCsv(csv));

  it('the target column becomes y, the others the features, split by seed', () => {
    const ds = datasetFromTable(table, { target: 'y', testFraction: 0.25, seed: 3, fileName: 'f.csv' });
    expect(ds.d).toBe(2);
    expect(ds.featureNames).toEqual(['x1', 'x2']);
    expect(ds.targetName).toBe('y');
    expect(ds.test.m).toBe(5);
    expect(ds.train.m).toBe(15);
    expect(ds.source).toEqual({ kind: 'csv', fileName: 'f.csv', rows: 20 });
    // Every row appears exactly once, with its own target.
    const seen = new Set<number>();
    for (const s of [ds.train, ds.test]) {
      for (let r = 0; r < s.m; r++) {
        const i = s.x[2 * r];
        expect(s.x[2 * r + 1]).toBe(i * i);
        expect(s.y[r]).toBe(2 * i);
        seen.add(i);
      }
    }
    expect(seen.size).toBe(20);
    const again = datasetFromTable(table, { target: 1, testFraction: 0.25, seed: 3, fileName: 'f.csv' });
    expect(again.test.x).toEqual(ds.test.x);
    expect(datasetFromTable(table, { target: 1, testFraction: 0.25, seed: 4, fileName: 'f.csv' }).test.x).not.toEqual(ds.test.x);
  });

  it('rejects an unknown target, too few features and bad fractions with specific messages', () => {
    expect(() => datasetFromTable(table, { target: 'z', testFraction: 0.2, seed: 1, fileName: '' })).toThrow(
      /no column is named "z"; the columns are x1, y, x2/,
    );
    expect(() => datasetFromTable(table, { target: 3, testFraction: 0.2, seed: 1, fileName: '' })).toThrow(/column index 3 does not exist/);
    const two = good(parseCsv('a,b\n1,2\n3,4\n5,6\n7,8'));
    expect(() => datasetFromTable(two, { target: 'b', testFraction: 0.5, seed: 1, fileName: '' })).toThrow(/at least 2 features/);
    expect(() => datasetFromTable(table, { target: 'y', testFraction: 0.01, seed: 1, fileName: '' })).toThrow(InputError);
    expect(() => datasetFromTable(table, { target: 'y', testFraction: 1, seed: 1, fileName: '' })).toThrow(/strictly between 0 and 1/);
  });
});
