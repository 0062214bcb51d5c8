import { describe, expect, it } from 'vitest';
import { approx, explainNormalization, featureSpreads } from '../../src/labs/normalize/explain';
import { formatMagnitude } from '../../src/locale-format';
import { makeDataset } from '../../src/labs/normalize/data';
import { datasetFromTable } from '../../src/labs/normalize/csv-dataset';
import { parseCsv } from '../../src/labs/normalize/csv-parser';
import { NORMALIZE_MODES } from '../../src/labs/normalize/types';
import { MODE_LABELS, MODE_LABELS_EN } from '../../src/labs/normalize/form';
import { readFileSync } from 'node:fs';

/** Population σ of column j, computed independently of the module under test. */
function sigmaOf(x: ArrayLike<number>, m: number, d: number, j: number): number {
  const col = Array.from({ length: m }, (_, r) => x[r * d + j]);
  const mean = col.reduce((s, v) => s + v, 0) / m;
  return Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / m);
}

const allText = (e: ReturnType<typeof explainNormalization>) => [...Object.values(e.modeNotes), e.stats, e.scatter, e.firstStep].join('\n');

describe('normalize-explain', () => {
  it('formats numbers to 3 significant digits, grouped', () => {
    expect(approx(83_123)).toBe('83,100');
    expect(approx(288.4)).toBe('288');
    expect(approx(0.2887)).toBe('0.289');
    expect(approx(0.0000372)).toBe('3.72e-5');
    expect(approx(0)).toBe('0');
  });

  it('writes a number in the style of the lab’s tables (formatMagnitude): κ = 969,234 reads 9.69e5 in the text as 9.692e5 in the table', () => {
    // Learner walk: the raw κ read "9.692e5" in the results table but "969,000" in the text beside it.
    expect(approx(969_234)).toBe('9.69e5');
    expect(formatMagnitude(969_234)).toBe('9.692e5');
    expect(approx(1.5e6)).toBe('1.5e6');
    expect(approx(2.5e-4)).toBe('2.5e-4');
    expect(approx(-123_456)).toBe('-1.23e5');
    expect(approx(Infinity)).toBe('∞');
    // Plain or scientific at the same magnitudes as the tables, on both sides of each switch.
    for (const v of [9.99e-4, 1e-3, 0.5, 1, 99_949, 99_951, 1e5, 3.4e38, 1e-30])
      expect(approx(v).includes('e'), String(v)).toBe(formatMagnitude(v).includes('e'));
    const e = explainNormalization(makeDataset({ m: 400, seed: 3 }), { raw: 969_234 });
    expect(e.modeNotes.raw).toContain('(κ = 9.69e5: it curves 9.69e5 times more sharply');
    expect(allText(e)).not.toMatch(/969,\d{3}/);
  });

  it('measures each feature in float64 (population σ)', () => {
    const s = featureSpreads([1, 10, 3, 30, 5, 50], 3, 2, ['a', 'b']);
    expect(s[0]).toMatchObject({ name: 'a', min: 1, max: 5, span: 4 });
    expect(s[0].sigma).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s[1].variance).toBeCloseTo(800 / 3, 9);
  });

  it('generated lecture data: quotes its own span, σ and σ²', () => {
    const ds = makeDataset({ m: 2000, seed: 3 });
    const e = explainNormalization(ds, { raw: 1.5e6, standardize: 1.01 });
    const s1 = sigmaOf(ds.train.x, ds.train.m, ds.d, 0);
    expect(e.wide.name).toBe('x1');
    expect(e.narrow.name).toBe('x2');
    expect(e.stats).toContain(`σ² ≈ ${approx(s1 * s1)} instead of σ ≈ ${approx(s1)}`);
    expect(e.modeNotes.raw).toMatch(/x1 spans about \d{3}(\.\d+)? units and x2 about 0\.9\d+/);
    expect(e.modeNotes.raw).toContain('long thin valley (κ = 1.5e6: it curves');
    expect(e.modeNotes.standardize).toContain(`σ of x1 ≈ ${approx(s1)}`);
    expect(e.scatter).toContain('thin line');
  });

  it('names the source of the σ² mode: the lecture’s formula σ = 1/m Σ x⁽ⁱ⁾², which is the variance (no slide is shown anywhere)', () => {
    // Walk s11 N1: "the slide's error" named no slide, and in Korean 슬라이드 sat next to 슬라이더 (the rate slider).
    expect(MODE_LABELS['divide-variance']).toBe('divide by σ² (the lecture’s formula)');
    expect(MODE_LABELS_EN['divide-variance']).toBe('divide by σ² (the lecture’s formula)');
    const e = explainNormalization(makeDataset({ m: 400, seed: 3 }), {});
    expect(e.stats).toContain(
      'The lecture writes σ = 1/m Σ x⁽ⁱ⁾², which is the variance σ², and divides by it, so the features end up with variance 1/σ² instead of 1',
    );
    for (const text of [allText(e), ...Object.values(MODE_LABELS)]) expect(text).not.toMatch(/slide(?!r)/i);
    // Korean: no target says 슬라이드 (slide); 슬라이더 (slider) is the rate slider.
    const ko = readFileSync(new URL('../../xliff/ko.xlf', import.meta.url), 'utf8');
    expect(ko).not.toMatch(/슬라이드/);
    expect(ko).toContain('σ²로 나눔 (강의 노트의 식)');
  });

  it('the first hint quotes the fields’ ranges of generated data, not the sampled extremes in e-notation (walk s11 N2)', () => {
    const e = explainNormalization(makeDataset({ m: 2000, seed: 3 }), {});
    expect(e.firstStep).toBe(
      'press Run with this data (each feature drawn at random between the ends of its range: x1 from 1 to 1,000, x2 from 0 to 1) and compare the four contour plots.',
    );
    const three = explainNormalization(
      makeDataset({
        m: 200,
        seed: 1,
        ranges: [
          [-2.5, 40],
          [0.25, 0.75],
          [100, 200],
        ],
      }),
      {},
    );
    expect(three.firstStep).toContain('x1 from -2.5 to 40, x2 from 0.25 to 0.75, x3 from 100 to 200)');
  });

  it('the scatter’s advice about the test set fits the data: no shift yet, already shifted, or a file (which has no shift setting)', () => {
    const unshifted = explainNormalization(makeDataset({ m: 400, seed: 3 }), {}).scatter;
    expect(unshifted).toContain('Set a test shift and pick “test with its own μ, σ”');
    const shifted = explainNormalization(makeDataset({ m: 400, seed: 3, testShift: 0.5 }), {}).scatter;
    expect(shifted).toContain('The test set is shifted here: pick “test with its own μ, σ”');
    expect(shifted).not.toContain('Set a test shift');
    const lines = ['a,b,y'];
    for (let i = 0; i < 60; i++) lines.push(`${i % 9},${(i * 7) % 11},${i % 5}`);
    const parsed = parseCsv(lines.join('\n'));
    if (!parsed.ok) throw new Error(parsed.message);
    const csv = explainNormalization(datasetFromTable(parsed.table, { target: 'y', testFraction: 0.25, seed: 1, fileName: 'f.csv' }), {}).scatter;
    expect(csv).toContain('Pick “test with its own μ, σ”: normalized with its own statistics');
    expect(csv).not.toContain('test shift');
  });

  it('CSV data: every number is the file’s own, none the lecture’s', () => {
    const lines = ['height,weight,y'];
    for (let i = 0; i < 120; i++) lines.push(`${(150 + ((i * 37) % 50)).toFixed(1)},${(40 + ((i * 13) % 70)).toFixed(1)},${i % 7}`);
    const parsed = parseCsv(lines.join('\n'));
    if (!parsed.ok) throw new Error(parsed.message);
    const ds = datasetFromTable(parsed.table, { target: 'y', testFraction: 0.25, seed: 1, fileName: 'people.csv' });
    const e = explainNormalization(ds, {});
    const text = allText(e);
    const sh = sigmaOf(ds.train.x, ds.train.m, ds.d, 0);
    const sw = sigmaOf(ds.train.x, ds.train.m, ds.d, 1);
    expect(e.wide.name).toBe(sw > sh ? 'weight' : 'height');
    expect(text).toContain(`σ ≈ ${approx(Math.max(sh, sw))}`);
    expect(text).toContain(`σ² ≈ ${approx(Math.max(sh, sw) ** 2)}`);
    expect(e.firstStep).toContain('your file’s data (height from');
    // Nothing from the lecture's data (the stats sentence names the lecture's formula, which holds for any data).
    expect(text).not.toMatch(/1000 units|83,000|≈ 288|x1|x2|lecture(?! writes σ = 1\/m Σ x⁽ⁱ⁾²)/);
    // Similar scales get the "mild" wording, not the thin valley.
    expect(e.modeNotes.raw).toContain('similar scales');
    for (const mode of NORMALIZE_MODES) expect(e.modeNotes[mode].length).toBeGreaterThan(20);
  });

  it('a different generated range changes the numbers quoted', () => {
    const a = explainNormalization(
      makeDataset({
        m: 500,
        seed: 1,
        ranges: [
          [0, 50],
          [0, 1],
        ],
      }),
    );
    const b = explainNormalization(
      makeDataset({
        m: 500,
        seed: 1,
        ranges: [
          [0, 5000],
          [0, 1],
        ],
      }),
    );
    expect(a.stats).not.toBe(b.stats);
    expect(a.wide.span).toBeLessThan(50);
    expect(b.wide.span).toBeGreaterThan(4000);
    expect(b.modeNotes.raw).toContain(`about ${approx(b.wide.span)} units`);
  });
});

describe('normalize-lab-form: learner notes', () => {
  it('"one rate for all" starts at the stated multiple of the raw limit', async () => {
    const { absoluteStartRate, relativeStartRate } = await import('../../src/labs/normalize/form');
    const a = absoluteStartRate(0.5, 7.44e-5);
    // Written as the slider's marks write 2/λmax (7.44e-5), not as JavaScript's String (0.0000744).
    expect(a.lr).toBe('3.72e-5');
    expect(a.note).toContain('0.5 × the raw mode’s limit 2/λmax (7.44e-5) = 3.72e-5');
    expect(absoluteStartRate(0.5, null)).toMatchObject({ lr: '1e-6' });
    // 10 × a limit of 1e4 is 1e5, above the absolute maximum 1e4: a small rate, and the page says why.
    const out = absoluteStartRate(10, 1e4);
    expect(out.lr).toBe('1e-6');
    expect(out.note).toContain('is outside');
    expect(absoluteStartRate(0.5, null).note).toContain('1e-6');
    const r = relativeStartRate(3.72e-5, 7.44e-5);
    expect(r.lr).toBe('0.5');
    expect(r.note).toContain('0.5 × the raw mode’s limit');
  });
  it('the starting rate’s note reads as the results table: a multiple changed by the field’s 3-digit rounding is quoted as the table shows it', async () => {
    const { absoluteStartRate, relativeStartRate, parseLabNumber } = await import('../../src/labs/normalize/form');
    // Learner walk: the note said "0.5 × 2/λmax (2.48e-5) = 1.24e-5" while the results table said the rate used was
    // "1.24e-5 (0.5004×)" beside a 2/λmax of "2.478e-5". The table writes lr / 2/λmax and 2/λmax with formatMagnitude.
    const a = absoluteStartRate(0.5, 2.4779e-5);
    expect(a.lr).toBe('1.24e-5');
    expect(a.note).toContain(
      '0.5 × the raw mode’s limit 2/λmax (2.478e-5), rounded to the rate field’s 3 significant digits: 1.24e-5, which is 0.5004 × that limit',
    );
    expect(a.note).not.toContain('= 1.24e-5');
    // Any limit: the note quotes the limit and the multiple used as the table shows them, and states an
    // equality ("= lr") only where the table's multiple is the one it started from.
    for (let i = 0; i < 400; i++) {
      const limit = 10 ** (-9 + ((i * 0.0371) % 12));
      for (const k of [0.5, 0.3, 1.7]) {
        const { lr, note } = absoluteStartRate(k, limit);
        const used = formatMagnitude(parseLabNumber(lr) / limit);
        expect(note, `k = ${k}, limit = ${limit}`).toContain(`(${formatMagnitude(limit)})`);
        if (used === formatMagnitude(k)) expect(note).toContain(`= ${lr}, so raw runs as before`);
        else expect(note, `k = ${k}, limit = ${limit}`).toContain(`${lr}, which is ${used} × that limit`);
        // And back: the multiple the rate was, as the table showed it in "one rate for all".
        const back = relativeStartRate(parseLabNumber(lr), limit);
        expect(back.note).toContain(`was ${used} × the raw mode’s limit`);
      }
    }
    const r = relativeStartRate(1.24e-5, 2.4779e-5);
    expect(r.lr).toBe('0.5');
    expect(r.note).toContain(
      '(the rate 1.24e-5 was 0.5004 × the raw mode’s limit, rounded to the field’s 3 significant digits); every mode now runs at 0.5 × its own limit',
    );
  });
  it('a rate reads as the tables and marks write it: 3 digits, plain from 1e-3 to 1e5, an exponent outside', async () => {
    const { rateText, parseLabNumber } = await import('../../src/labs/normalize/form');
    expect(rateText(1.2755e-5)).toBe('1.28e-5');
    expect(rateText(0.98613)).toBe('0.986');
    expect(rateText(0.0012345)).toBe('0.00123');
    expect(rateText(9.99e-4)).toBe('9.99e-4');
    expect(rateText(2.5e7)).toBe('2.5e7');
    expect(rateText(1e-6)).toBe('1e-6');
    // The field's text parses back to the same rate (it goes into the URL as it is).
    for (const v of [1.2755e-5, 0.98613, 3e-12, 12_345]) expect(parseLabNumber(rateText(v))).toBe(Number(v.toPrecision(3)));
  });
  it('m above the CPU cap is a field problem; at or below it is none', async () => {
    const { cpuCapProblem, LAB_LIMITS } = await import('../../src/labs/normalize/form');
    expect(cpuCapProblem(LAB_LIMITS.cpuMaxM)).toBeNull();
    expect(cpuCapProblem(NaN)).toBeNull();
    expect(cpuCapProblem(200_000)).toBe('without WebGPU the lab runs on the CPU, which takes up to 100,000 examples; got 200,000. Lower m.');
  });
});
