import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV_LIMITS, MAX_QUOTED_CHARS, describeF32Merge } from '../../src/labs/normalize/csv';
import { datasetFromTable } from '../../src/labs/normalize/csv-dataset';
import { f32Merges } from '../../src/labs/normalize/csv-f32';
import { CsvParser, parseCsv, parseCsvBlob, type CsvProgress, type CsvResult } from '../../src/labs/normalize/csv-parser';

// The CSV reader of the Normalization lab, incrementally: the same result whatever the chunk boundaries,
// limits checked as the text arrives (a huge file is refused after reading little of it), progress and
// cancel between chunks, messages that never echo a long header, and the f32-rounding check.

function chunked(text: string, cuts: number[]): CsvResult {
  const p = new CsvParser();
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const f = p.push(text.slice(at, cut));
    if (f) return f;
    at = cut;
  }
  return p.push(text.slice(at)) ?? p.finish();
}

const same = (a: CsvResult, b: CsvResult) => {
  if (a.ok && b.ok) {
    expect(b.table.columns).toEqual(a.table.columns);
    expect(b.table.rows).toBe(a.table.rows);
    expect(Array.from(b.table.data)).toEqual(Array.from(a.table.data));
  } else expect(b).toEqual(a);
};

describe('CsvParser: chunk boundaries do not matter', () => {
  const files = [
    '\ufeff"size (m²)", rooms ,"price, €"\r\n120,3,"2.5e5"\r\n80, 2 ,-1.5E+3\r\n.5,+4,7.\r\n\r\n\n',
    'a,b\r1,2\r3,4\r',
    'a,b\n1,2\n\n3,4\n',
    'a,b,c\n1,2,3\n4,5\n',
    'a,b\n1,2\n3,4',
    'x,y\n' + Array.from({ length: 200 }, (_, i) => `${i},${i * 0.5}`).join('\r\n'),
  ];
  it('every cut of a few files (CRLF split across chunks included) gives parseCsv’s result', () => {
    for (const text of files) {
      const whole = parseCsv(text);
      for (let i = 0; i <= Math.min(text.length, 60); i++) same(whole, chunked(text, [i]));
      same(
        whole,
        chunked(
          text,
          Array.from({ length: text.length }, (_, i) => i),
        ),
      ); // one character at a time
    }
  });

  it('random files and random cuts (fast-check)', () => {
    const cell = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('', ' 2 ', '"3"', 'x', '1e3', '"a""b"'));
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    const file = fc
      .tuple(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 8 }), eol)
      .map(([rows, e]) => ['a,b,c', ...rows.map((r) => r.join(','))].join(e) + e);
    fc.assert(
      fc.property(file, fc.array(fc.nat(200), { maxLength: 6 }), (text, cuts) => {
        same(
          parseCsv(text),
          chunked(
            text,
            cuts.map((c) => Math.min(c, text.length)),
          ),
        );
      }),
      { seed: 13, numRuns: 400 },
    );
  });

  it('parseCsvBlob (UTF-8 bytes, 7-byte chunks: multi-byte characters split) gives parseCsv’s result', async () => {
    for (const text of files) same(parseCsv(text.replace(/^\ufeff/, '')), await parseCsvBlob(new Blob([text]), { chunkBytes: 7 }));
  });
});

describe('CsvParser: limits hold as the text arrives', () => {
  it('a 5 MB header line is refused within the first 200 kB, and not echoed', async () => {
    const header = 'h'.repeat(5_000_000) + ',y\n1,2\n3,4\n';
    const seen: CsvProgress[] = [];
    const r = await parseCsvBlob(new Blob([header]), { chunkBytes: 64 * 1024, onProgress: (p) => seen.push(p) });
    expect(r).toMatchObject({ ok: false, line: 1, message: expect.stringMatching(/^Line 1 is longer than 100,000 characters/) });
    if (!r.ok) expect(r.message.length).toBeLessThan(300);
    expect(seen.at(-1)?.bytes ?? 0).toBeLessThan(200_000);
  });

  it('a long column name is refused and quoted cut to 40 characters', () => {
    const r = parseCsv(`${'n'.repeat(5000)},y\n1,2\n3,4\n`);
    expect(r).toMatchObject({ ok: false, line: 1 });
    if (r.ok) return;
    expect(r.message).toContain(`"${'n'.repeat(MAX_QUOTED_CHARS)}…"`);
    expect(r.message).toMatch(/is 5,000 characters long; at most 200 are allowed/);
    expect(r.message.length).toBeLessThan(300);
    // Names within the limit, but long, are still cut in messages.
    const long = 'q'.repeat(150);
    const d = parseCsv(`${long},${long}\n1,2\n3,4\n`);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.message).toBe(`Column name "${'q'.repeat(40)}…" appears twice (columns 1 and 2); names must be distinct`);
    const t = parseCsv(`${long},y,z\n1,2,3\n4,x,6\n`);
    if (!t.ok) expect(t.message).toMatch(/column "y" holds "x"/);
    const v = parseCsv(`y,${long}\n1,2\n3,abc\n`);
    if (!v.ok) expect(v.message).toContain(`column "${'q'.repeat(40)}…" holds "abc"`);
  });

  it('one row past the row limit is refused at once, before the rest of the file is read', () => {
    const p = new CsvParser();
    expect(p.push('a,b\n')).toBeNull();
    const block = '1,2\n'.repeat(100_000);
    let failure = null;
    let pushes = 0;
    while (!failure && pushes < 20) {
      failure = p.push(block);
      pushes++;
    }
    expect(pushes).toBe(11); // 10 blocks = 1,000,000 rows; the 11th block's first row is refused
    expect(failure).toEqual({
      ok: false,
      line: CSV_LIMITS.maxRows + 2,
      message: 'The file has more than 1,000,000 data rows; at most 1,000,000 are allowed',
      problem: { key: 'tooManyRows', args: [] },
    });
    expect(p.rows).toBe(CSV_LIMITS.maxRows);
  });

  it('more than 100 MB of text is refused as it arrives; a Blob over 100 MB is refused by its size', async () => {
    // 25,000-character rows (a long run of zeros is a valid 0) reach 100 MB after 4,000 rows, far below the row limit.
    const wide = new CsvParser();
    wide.push('a,b\n');
    const row = `${'0'.repeat(24_997)},2\n`;
    let failure = null;
    let n = 0;
    while (!failure && n < 5000) {
      failure = wide.push(row);
      n++;
    }
    expect(failure).toMatchObject({ ok: false, message: 'The file is more than 100 MB of text; at most 100 MB is allowed. Use fewer rows.' });
    expect(n).toBe(4000);
    const big = { size: CSV_LIMITS.maxChars + 1 } as Blob;
    expect(await parseCsvBlob(big)).toEqual({
      ok: false,
      line: 1,
      message: 'The file is 100,000,001 bytes; at most 100,000,000 (100 MB) are allowed. Use fewer rows.',
      problem: { key: 'bytesTooMany', args: [CSV_LIMITS.maxChars + 1] },
    });
  });

  it('progress after every chunk; abort stops between chunks with the signal’s reason', async () => {
    const text = 'x,y\n' + Array.from({ length: 5000 }, (_, i) => `${i},${2 * i}`).join('\n');
    const blob = new Blob([text]);
    const seen: CsvProgress[] = [];
    const r = await parseCsvBlob(blob, { chunkBytes: 4096, onProgress: (p) => seen.push(p) });
    expect(r.ok && r.table.rows).toBe(5000);
    expect(seen.length).toBe(Math.ceil(blob.size / 4096));
    expect(seen.at(-1)).toEqual({ bytes: blob.size, totalBytes: blob.size, rows: 4999 }); // the last line ends without a newline
    for (let i = 1; i < seen.length; i++) expect(seen[i].rows).toBeGreaterThanOrEqual(seen[i - 1].rows);

    const ac = new AbortController();
    let calls = 0;
    const cancelled = parseCsvBlob(blob, {
      chunkBytes: 4096,
      signal: ac.signal,
      onProgress: () => {
        calls++;
        if (calls === 2) ac.abort(new DOMException('Cancelled by the user', 'AbortError'));
      },
    });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(2);
  });
});

describe('f32 rounding check', () => {
  // x1 = 2²⁴ + i, x2 = i mod 7, y = i: 20 distinct x1 values, only 11 in f32 (odd ones round to even).
  const text = 'x1,x2,y\n' + Array.from({ length: 20 }, (_, i) => `${2 ** 24 + i},${i % 7},${i}`).join('\n');
  const r = parseCsv(text);
  if (!r.ok) throw new Error(r.message);

  it('names the column, counts distinct values before and after, gives an example pair of lines', () => {
    const merges = f32Merges(r.table);
    expect(merges).toHaveLength(1);
    const m = merges[0];
    expect(m).toMatchObject({ column: 0, name: 'x1', distinct: 20 });
    // The distinct f32 values really are what the lab's Float32Arrays hold.
    const ds = datasetFromTable(r.table, { target: 'y', testFraction: 0.25, seed: 1, fileName: 'f.csv' });
    const f32 = new Set([...Array.from({ length: ds.train.m }, (_, k) => ds.train.x[k * 2]), ...Array.from({ length: ds.test.m }, (_, k) => ds.test.x[k * 2])]);
    expect(m.distinctF32).toBe(f32.size);
    expect(m.distinctF32).toBe(11);
    // The example lines hold the two values, which differ in float64 and agree in f32.
    const lines = text.split('\n');
    expect(Number(lines[m.lines[0] - 1].split(',')[0])).toBe(m.values[0]);
    expect(Number(lines[m.lines[1] - 1].split(',')[0])).toBe(m.values[1]);
    expect(m.values[0]).not.toBe(m.values[1]);
    expect(Math.fround(m.values[0])).toBe(Math.fround(m.values[1]));
    expect(describeF32Merge(m)).toMatch(
      /^Column "x1": its 20 distinct values become 11 in f32 .*e\.g\. lines \d+ and \d+ \(16777216 and 16777217 both become 16777216\)/,
    );
  });

  it('rounding that keeps values distinct (0.1, 1e-3, big but spread values) is not reported', () => {
    const ok = parseCsv('a,b,y\n' + Array.from({ length: 50 }, (_, i) => `${i * 0.1},${1e9 + i * 1000},${i / 3}`).join('\n'));
    if (!ok.ok) throw new Error(ok.message);
    expect(f32Merges(ok.table)).toEqual([]);
  });
});

describe('loadCsvFile without Worker (Node): the main-thread fallback', () => {
  it('parses in chunks with progress, checks f32 rounding, and cancels', async () => {
    const { loadCsvFile } = await import('../../src/labs/normalize/csv-load');
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
    const text = 'x1,y\n' + Array.from({ length: 3000 }, (_, i) => `${2 ** 24 + i},${i}`).join('\n');
    const seen: CsvProgress[] = [];
    const r = await loadCsvFile(new Blob([text]), { chunkBytes: 8192, onProgress: (p) => seen.push(p) });
    expect(r.via).toBe('main-thread');
    expect(r.result.ok && r.result.table.rows).toBe(3000);
    expect(seen.length).toBe(Math.ceil(text.length / 8192));
    expect(r.merges.map((m) => [m.name, m.distinct, m.distinctF32])).toEqual([['x1', 3000, 1501]]);
    const ac = new AbortController();
    const p = loadCsvFile(new Blob([text]), {
      chunkBytes: 8192,
      signal: ac.signal,
      onProgress: () => ac.abort(new DOMException('Cancelled by the user', 'AbortError')),
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
