import { describe, expect, it } from 'vitest';
import { setFormatLocale } from '../../src/locale-format';
import { shapeEnglish, shapeText, type CaseWords } from '../../src/kernels/checks/case-words';
import { benchGroupText, benchImplText, benchShapeText } from '../../src/bench/row-words';
import { backpropCases, makeBenchPlan, type BenchPreset } from '../../src/bench/cases';
import { useLocales } from '../helpers/node-locale';
import { verifyArrays } from '../../src/bench/verify';
import { showCheck } from '../../src/ui/bench-format';
import { makeBarCharts } from '../../src/bench/chart-model';
import { makeRoofline, rooflineSvg } from '../../src/bench/roofline';
import { rooflinePageLabels } from '../../src/ui/roofline-words';
import { benchRow } from '../helpers/bench-row';
import type { BenchRow } from '../../src/bench/runner';

// The Kernel check's and the Performance view's rows are data in English (the CLI, the exported JSON and
// CSV keep them so); the views word them in the language shown. In English the words read exactly as the
// data; in Korean every form the runs produce is Korean, with only names, sizes and math left in Latin script.

const setLocale = useLocales();

async function inLocale<T>(locale: 'en' | 'ko', f: () => T): Promise<T> {
  await setLocale(locale);
  setFormatLocale(locale);
  try {
    return f();
  } finally {
    await setLocale('en');
    setFormatLocale('en');
  }
}

/** Every Kernel check case with words (the cases the checks run, and a check that threw). */
const CASES: CaseWords[] = [
  { kind: 'shifted-values', n: 100_003 },
  { kind: 'segments', lengths: [0, 1, 7, 63, 65, 257, 70_001] },
  { kind: 'relu-subnormal' },
  ...['linear', 'relu', 'tanh', 'sigmoid'].map((activation) => ({ kind: 'activation', n: 4097, activation }) as const),
  { kind: 'normalize', rows: 257, cols: 63 },
  { kind: 'residual', rows: 4099, k: 3, vectors: 1031, blockRows: 1024 },
  { kind: 'all-shapes' },
];

/** The shapes and implementations a benchmark run of each preset gives its rows (runner.ts's forms). */
function benchTexts(preset: BenchPreset): { shapes: string[]; impls: string[] } {
  const plan = makeBenchPlan(preset);
  const floats = (n: number) => `${n.toLocaleString('en-US')} floats`;
  const cases = plan.matmul.map((c) => c.name);
  const sizes = [...new Set([...plan.reductions, plan.normsBaseline])];
  const shapes = [
    ...cases,
    ...sizes.map(floats),
    ...sizes.map((n) => `${floats(n)} (${Math.floor(n / Math.min(plan.normSegment, n))} × ${Math.min(plan.normSegment, n).toLocaleString('en-US')})`),
    ...['start of run', ...cases.map((c) => `after ${c}`), 'end of run'].map(
      (when) => `${plan.fma.count.toLocaleString('en-US')} invocations × ${plan.fma.iters.toLocaleString('en-US')} trips × 4 vec4 chains (${when})`,
    ),
  ];
  const impls = [
    'FMA roof',
    'copy (vec4)',
    'two-pass Σx² (plain)',
    'ours: moments',
    'ours: norms',
    'ours: tiled',
    'ours: direct',
    'ours: auto → tiled 64×64×16 (default)',
    'ours: auto → direct 4×4 per invocation (tuned)',
    'ours: auto → tiled 32×32×8 (override)',
    'tf.matMul',
  ];
  return { shapes, impls };
}

// Latin-script words a Korean row may keep: kernel and variant names, function and library names, math.
const NAMES = new Set([
  'auto',
  'tiled',
  'direct',
  'moments',
  'norms',
  'tf',
  'matmul',
  'vec4',
  'float',
  'float64',
  'gflop',
  'flop',
  'gb',
  'relu',
  'linear',
  'tanh',
  'sigmoid',
  'u',
]);
const englishWords = (text: string) =>
  (text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => w.length > 1 && !NAMES.has(w.toLowerCase()) && !/^(d?[WAZ])$/.test(w));

describe('Kernel check case words', () => {
  it('in English read as the case’s shape (the CLI and JSON keep shapeEnglish), counts grouped', async () => {
    const shown = await inLocale('en', () => CASES.map(shapeText));
    const ungrouped = (s: string) => s.replace(/(\d),(?=\d{3})/g, '$1');
    expect(shown.map(ungrouped)).toEqual(CASES.map(shapeEnglish).map(ungrouped));
    expect(shown[1]).toBe('segments of 0, 1, 7, 63, 65, 257, 70,001, mixed magnitudes');
  });

  it('in Korean are Korean, numbers grouped, with only names left in Latin script', async () => {
    const shown = await inLocale('ko', () => CASES.map(shapeText));
    for (const [i, text] of shown.entries()) {
      expect(text, shapeEnglish(CASES[i])).toMatch(/[가-힣]/);
      expect(englishWords(text), text).toEqual([]);
    }
    expect(shown[0]).toContain('100,003');
    expect(shown[3]).toBe('값 4,097개, linear');
  });
});

describe('Performance row words', () => {
  for (const preset of ['tiny', 'quick', 'full'] as const) {
    it(`${preset}: every shape and implementation has a known form; in English it reads as the data`, async () => {
      const { shapes, impls } = benchTexts(preset);
      expect(await inLocale('en', () => shapes.map(benchShapeText))).toEqual(shapes);
      expect(await inLocale('en', () => impls.map(benchImplText))).toEqual(impls);
    });

    it(`${preset}: in Korean no English word is left (names, sizes and math aside)`, async () => {
      const { shapes, impls } = benchTexts(preset);
      const shown = await inLocale('ko', () => [...shapes.map(benchShapeText), ...impls.map(benchImplText), benchGroupText('roof')]);
      const texts = [...shapes, ...impls, 'roof'];
      for (const [i, text] of shown.entries()) {
        expect(text, texts[i]).not.toBeNull();
        expect(englishWords(text!), `${texts[i]} → ${text}`).toEqual([]);
      }
    });
  }

  it('the FMA roof row groups its counts the same way in both languages (walk: 호출 8,192개 × 반복 1024회)', async () => {
    const plan = makeBenchPlan('quick');
    expect(plan.fma.iters).toBeGreaterThanOrEqual(1000);
    const shape = `${plan.fma.count.toLocaleString('en-US')} invocations × ${plan.fma.iters.toLocaleString('en-US')} trips × 4 vec4 chains (start of run)`;
    const grouped = (n: number) => n.toLocaleString('en-US');
    expect(await inLocale('en', () => benchShapeText(shape))).toBe(shape);
    expect(await inLocale('ko', () => benchShapeText(shape))).toContain(`${grouped(plan.fma.count)}개 × 반복 ${grouped(plan.fma.iters)}회`);
    // A shape written before the runner grouped its trips reads the same.
    expect(await inLocale('ko', () => benchShapeText(shape.replace(grouped(plan.fma.iters), String(plan.fma.iters))))).toContain(
      `반복 ${grouped(plan.fma.iters)}회`,
    );
  });

  it('the backprop cases keep their formulas; an unknown form is null, so the view marks it English', async () => {
    const [forward, dW] = backpropCases(32, 16);
    expect(await inLocale('ko', () => benchShapeText(forward.name))).toBe('순전파 Z = A·Wᵀ (16×32·32×32ᵀ)');
    expect(await inLocale('ko', () => benchShapeText(dW.name))).toBe(dW.name);
    expect(benchShapeText('a brand-new case')).toBeNull();
    expect(benchImplText('someone else’s kernel')).toBeNull();
    expect(await inLocale('ko', () => benchGroupText('matmul'))).toBe('matmul');
  });
});

describe('Performance float64-check column', () => {
  it('shows tolerances as the project writes them (1e-6, as the Kernel check does), not 0.000001, in both languages', async () => {
    const tol = verifyArrays([1, 2], [1, 2], { rtol: 1e-6, atol: 0 }, 'moments');
    expect(await inLocale('en', () => showCheck(tol))).toBe('2 values vs float64 (rtol 1e-6, atol 0)');
    const ko = await inLocale('ko', () => showCheck(tol));
    expect(ko).toContain('상대 허용 오차 1e-6');
    expect(ko).not.toContain('0.000001');
    expect(englishWords(ko)).toEqual([]);
  });
});

/** The rows of a Tiny run as the runner forms them: every matmul case with our variants and tf.matMul, the reductions, the roofs. */
function tinyRows(): BenchRow[] {
  const plan = makeBenchPlan('tiny');
  const floats = (n: number) => `${n.toLocaleString('en-US')} floats`;
  const n = plan.reductions[0];
  const matmul = (shape: string, impl: string, ours: boolean) => benchRow({ group: 'matmul', impl, ours, shape, flop: 2e6, bytes: 1e5, rate: 3 });
  return [
    benchRow({
      group: 'roof',
      impl: 'FMA roof',
      ours: false,
      shape: `${plan.fma.count.toLocaleString('en-US')} invocations × ${plan.fma.iters.toLocaleString('en-US')} trips × 4 vec4 chains (start of run)`,
      rate: 20,
    }),
    benchRow({ group: 'roof', impl: 'copy (vec4)', ours: false, shape: floats(n), metric: 'GB/s', rate: 8 }),
    ...plan.matmul.flatMap((c) => [
      matmul(c.name, 'ours: tiled', true),
      matmul(c.name, 'ours: auto → direct 4×4 per invocation (tuned)', true),
      matmul(c.name, 'tf.matMul', false),
    ]),
    benchRow({ group: 'moments', impl: 'ours: moments', shape: floats(n), metric: 'GB/s', rate: 4 }),
    benchRow({ group: 'norms', impl: 'two-pass Σx² (plain)', ours: false, shape: floats(n), metric: 'GB/s', rate: 2 }),
    // A row without a rate: listed under the roofline, not placed.
    benchRow({ group: 'norms', impl: 'ours: norms', shape: floats(n), metric: 'GB/s', rate: NaN }),
  ];
}

/** The text of SVG markup, leaving out what is marked lang="en" (data the page shows in English, marked so). */
function svgText(markup: string): string {
  return markup
    .replace(/<tspan lang="en"[^>]*>[^<]*<\/tspan>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

describe('Performance charts in the language shown', () => {
  it('bar labels: in English the rows’ shape · implementation as before; in Korean worded as the table words them', async () => {
    const rows = tinyRows();
    const en = await inLocale('en', () => makeBarCharts(rows).flatMap((c) => c.bars.map((b) => b.label)));
    // The matmul chart's bars, then the memory-bound chart's (moments, norms and copy).
    const measured = [
      ...rows.filter((r) => r.group === 'matmul'),
      ...rows.filter((r) => r.group === 'moments' || r.group === 'norms' || r.impl.startsWith('copy')),
    ];
    expect(en).toEqual(measured.map((r) => `${r.shape} · ${r.impl}`));
    const ko = await inLocale('ko', () => makeBarCharts(rows).flatMap((c) => c.bars.map((b) => b.label)));
    expect(ko).toHaveLength(en.length);
    for (const label of ko) expect(englishWords(label), label).toEqual([]);
    expect(ko).toContain('배치 4 × 32×32×32 · 우리 커널: tiled');
  });

  it('roofline legend: every line worded in Korean (names marked translate="no"); the file’s SVG keeps the English', async () => {
    const model = makeRoofline(tinyRows());
    expect(model.points.length).toBeGreaterThan(5);
    expect(model.unplacedRows).toEqual([{ impl: 'ours: norms', shape: model.unplacedRows[0].shape }]);
    const svg = await inLocale('ko', () => rooflineSvg(model, { title: 'x', labels: rooflinePageLabels() }));
    const legend = [...svg.matchAll(/<text data-legend="\d+"[^>]*>(.*?)<\/text>/g)].map((m) => m[1]);
    expect(legend).toHaveLength(model.points.length);
    const notPlaced = [...svg.matchAll(/<text [^>]*>(표시하지 못함.*?)<\/text>/g)].map((m) => m[1]);
    expect(notPlaced).toHaveLength(1);
    for (const line of [...legend, ...notPlaced]) expect(englishWords(svgText(line)), line).toEqual([]);
    expect(legend[0]).toMatch(/^1\. 우리 커널: <tspan translate="no">tiled<\/tspan> · /);
    // The file (no page labels) stays English: `impl · shape` as the run's data has them.
    const file = rooflineSvg(model);
    expect(file).toContain(`>1. ${model.points[0].impl} · ${model.points[0].shape}: `);
  });

  it('roofline legend: a form row-words.ts does not know shows as the English data, marked lang="en"', async () => {
    const rows = [benchRow({ impl: 'someone else’s kernel', shape: 'a brand-new case', flop: 2e6, bytes: 1e5, rate: 3 })];
    const svg = await inLocale('ko', () => rooflineSvg(makeRoofline(rows), { labels: rooflinePageLabels() }));
    expect(svg).toContain('1. <tspan lang="en" translate="no">someone else’s kernel</tspan> · <tspan lang="en" translate="no">a brand-new case</tspan>: ');
  });
});
