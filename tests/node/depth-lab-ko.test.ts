import { afterAll, describe, expect, it } from 'vitest';
import { setFormatLocale } from '../../src/locale-format';
import { describeCause } from '../../src/labs/depth/classify';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { cpuCapProblem } from '../../src/labs/depth/cpu/deep-net-cpu';
import { cpuCapText } from '../../src/labs/cpu-cap-text';
import { depthRange, makeSweepGrid } from '../../src/labs/depth/sweep-grid';
import { exportCsv, exportJsonText, makeDepthLabExport } from '../../src/labs/depth/export';
import { shownTerms } from '../../src/labs/depth/glossary';
import { predict } from '../../src/labs/depth/predictions';
import { predictQuantity } from '../../src/labs/depth/quantity-predictions';
import { analyzeRow, limitSentences, LIMIT_TEXTS_EXPORT, measureLimits, underLineText } from '../../src/labs/depth/row-analysis';
import { comparedText, flushedLayersText } from '../../src/labs/depth/flush-zone';
import type { SweepResult } from '../../src/labs/depth/sweep';
import { predictedLimitLayer } from '../../src/labs/depth/predictions';
import { cellInfo, makeHeatmapModel, statusCountText, type HeatmapData } from '../../src/viz/heatmap-model';
import { refSweep } from '../helpers/ref-sweep';
import { lossText } from '../../src/labs/depth/loss-text';
import { zVarCaption } from '../../src/labs/depth/zvar-caption';
import { initName } from '../../src/labs/depth/init';
import { makeLabHeatmapData, QUANTITIES } from '../../src/labs/depth/form';
import { INIT_SCHEMES } from '../../src/labs/depth/config';
import { shownRowLabel } from '../../src/ui/depth-labels';
import { useLocales } from '../helpers/node-locale';
import { activationName } from '../../src/labs/activation-name';
import { ACTIVATIONS } from '../../src/kernels/activations';
import { runLabel } from '../../src/labs/depth/compare';
import type { SweepSpec } from '../../src/labs/depth/sweep-grid';

// The Depth lab's texts in Korean, without a browser: with the Korean catalog loaded, the selected row's
// prediction note, limit sentences and lost causes are Korean (Hangul, no English words but math and names),
// while an export made under the Korean UI is byte for byte the English one.

const HANGUL = /[가-힣]/;
// Latin words a Korean sentence may keep: math (Var, min, relu, tanh, l, m, n, X, W …), f32, NaN and names (He, Xavier, LeCun).
const ALLOWED = new Set(['var', 'min', 'relu', 'tanh', 'sigmoid', 'linear', 'f32', 'nan', 'frobenius', 'gpu', 'he', 'xavier', 'lecun']);
const englishWords = (text: string) =>
  (text.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => w.length > 1 && !/\d/.test(w) && !ALLOWED.has(w.toLowerCase()));

const setLocale = useLocales();

const LECTURE = { width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 7 } as const;

async function inLocale<T>(locale: 'en' | 'ko', f: () => T): Promise<T> {
  await setLocale(locale);
  setFormatLocale(locale);
  return f();
}

afterAll(() => {
  setFormatLocale('en');
});

describe('the Depth lab in Korean (DOM-free texts)', () => {
  const deep = refSweep({ ...LECTURE, depth: 230 }, { kind: 'depth', depths: [6, 230] });
  const vanish = refSweep({ ...LECTURE, gain: 0.5, depth: 160 }, { kind: 'depth', depths: [160] });

  it('an export made with the Korean UI is the English one, byte for byte (JSON and CSV)', async () => {
    const at = new Date(Date.UTC(2026, 11, 7));
    const make = () => {
      const doc = makeDepthLabExport({ sweep: deep.sweep, results: deep.results, device: null, outcome: 'complete', exportedAt: at });
      return { json: exportJsonText(doc), csv: exportCsv(doc), doc };
    };
    const en = await inLocale('en', make);
    const ko = await inLocale('ko', make);
    expect(ko.json).toBe(en.json);
    expect(ko.csv).toBe(en.csv);
    expect(HANGUL.test(ko.json)).toBe(false);
    // The export still carries the sentences, in English.
    expect(ko.doc.rows[1].limits.sentences[0]).toBe(
      "‖a‖ passes the lab's 1e38 overflow mark at layer 215, where f32 is one step from Infinity (f32 overflow predicted at layer 219).",
    );
    expect(ko.doc.rows[0].prediction.note).toBe('Exact: W = 1.5·I, so actNorm[l] = 1.5^l · ‖X‖/√m = 1.414·1.5^l.');
  });

  it('every loss J text and every Var z caption case is a Korean whole sentence, with the same numbers', async () => {
    const losses = [
      [3.25, 'finite'],
      [NaN, 'nan'],
      [NaN, 'lost'],
      [Infinity, 'overflow'],
      [2e49, 'overflow'],
      [2e38, 'overflow'],
      [0, 'underflow'],
      [1e-60, 'underflow'],
      [1e-40, 'underflow'],
    ] as const;
    const he = refSweep(
      { width: 16, batch: 8, activation: 'relu', init: 'he-normal', gain: 1, input: 'normal', seed: 2, depth: 12 },
      { kind: 'depth', depths: [12] },
    );
    const grow = refSweep(
      { width: 8, batch: 4, activation: 'linear', init: 'identity', gain: 1.5, input: 'normal', seed: 3, depth: 20 },
      { kind: 'depth', depths: [20] },
    );
    const shrink = refSweep(
      { width: 8, batch: 4, activation: 'linear', init: 'identity', gain: 0.5, input: 'normal', seed: 3, depth: 20 },
      { kind: 'depth', depths: [20] },
    );
    const flat = refSweep({ ...LECTURE, depth: 8 }, { kind: 'depth', depths: [8] });
    const mixed = refSweep({ ...LECTURE, activation: 'relu', width: 16, depth: 10 }, { kind: 'init', inits: ['identity', 'he-normal'] });
    const captions = [deep, vanish, flat, he, grow, shrink, mixed].map((r) => r.results);
    const make = () => [...losses.map(([v, st]) => lossText(v, st)), ...captions.map((rows) => zVarCaption(rows, shownRowLabel))];
    const en = await inLocale('en', make);
    const ko = await inLocale('ko', make);
    expect(new Set(en).size, 'one text per case').toBe(en.length);
    ko.forEach((k, i) => {
      expect(k, en[i]).toMatch(HANGUL);
      expect(englishWords(k.replace(/he-normal/g, '')), k).toEqual([]); // init scheme ids stay as they are
      // The same numbers (layers, values) in both, whatever the word order.
      const nums = (t: string) => (t.match(/\d+(\.\d+)?(E-?\d+)?/g) ?? []).sort();
      expect(nums(k), `${en[i]} / ${k}`).toEqual(nums(en[i]));
    });
  });

  it('the selected row’s note, limit sentences and lost cause are Korean, with the same numbers', async () => {
    const texts = (r: SweepResult) => {
      const a = analyzeRow(r.config, r.run);
      return { note: a.prediction.note, sentences: a.limitSentences, cause: describeCause(a.measuredLimits.lostTo!) };
    };
    const en = await inLocale('en', () => texts(deep.results[1]));
    const ko = await inLocale('ko', () => texts(deep.results[1]));
    expect(en.sentences[0]).toMatch(/^‖a‖ passes the lab's 1e38 overflow mark at layer 215/);
    expect(ko.sentences.length).toBe(en.sentences.length);
    for (const s of [ko.note, ...ko.sentences, ko.cause]) {
      expect(s, s).toMatch(HANGUL);
      expect(englishWords(s), s).toEqual([]);
    }
    // Word order differs, the numbers do not: layer 215 and the forecast 219 in the first sentence.
    expect(ko.sentences[0]).toContain('215층');
    expect(ko.sentences[0]).toContain('219층');
    expect(ko.cause).toBe('215층에서 ‖a‖ 값이 실험실의 오버플로 기준 1e38을 넘음');
    expect(ko.note).toBe('정확한 식: W = 1.5·I이므로 ‖a[l]‖ = 1.5^l · ‖X‖/√m = 1.414·1.5^l입니다.');
  });

  it('names inits as the Training lab does: 항등 행렬 …, not ids, in Korean; Xavier normal … in English', async () => {
    const ko = await inLocale('ko', () => INIT_SCHEMES.map(initName));
    expect(ko[INIT_SCHEMES.indexOf('identity')]).toBe('항등 행렬');
    expect(ko[INIT_SCHEMES.indexOf('he-normal')]).toBe('He 정규분포');
    expect(ko[INIT_SCHEMES.indexOf('normal')]).toBe('N(0, 1)');
    for (const [i, name] of ko.entries()) {
      expect(name, INIT_SCHEMES[i]).not.toBe(INIT_SCHEMES[i]);
      if (INIT_SCHEMES[i] !== 'normal') expect(name, name).toMatch(HANGUL);
    }
    // One helper for both labs: the Training lab's names are the same.
    expect(await inLocale('ko', () => INIT_SCHEMES.map(initName))).toEqual(ko);
    // English: the learner's names, as the init sweep's heatmap rows name them (the ids stay in links and exports).
    expect(await inLocale('en', () => INIT_SCHEMES.map(initName))).toEqual([
      'identity',
      'N(0, 1)',
      'Xavier normal',
      'Xavier uniform',
      'He normal',
      'LeCun normal',
    ]);
  });

  it('row labels name an init sweep’s inits by their learner names, and activations as the Training lab’s presets do (walk F7, F9)', async () => {
    // The row title and the chart label read "init=xavier-normal" beside "Xavier normal" (Korean: "identity" beside 항등 행렬).
    expect(await inLocale('ko', () => shownRowLabel('init=identity'))).toBe('초기화=항등 행렬');
    expect(await inLocale('ko', () => shownRowLabel('init=he-normal'))).toBe('초기화=He 정규분포');
    expect(await inLocale('en', () => shownRowLabel('init=xavier-normal'))).toBe('init=Xavier normal');
    expect(await inLocale('en', () => shownRowLabel('init=normal'))).toBe('init=N(0, 1)');
    expect(await inLocale('en', () => shownRowLabel('depth=32'))).toBe('depth=32');
    expect(await inLocale('ko', () => shownRowLabel('gain=1.5'))).toBe('게인=1.5');
    // The activation: 선형 (the Training lab preset's "깊이 30, 선형"), ReLU and tanh kept as the glossary writes them.
    expect(await inLocale('ko', () => ACTIVATIONS.map(activationName))).toEqual(['선형', 'ReLU', 'tanh', '시그모이드']);
    expect(await inLocale('en', () => ACTIVATIONS.map(activationName))).toEqual(['linear', 'ReLU', 'tanh', 'sigmoid']);
    // The run's settings above a pinned run name it the same way (runLabel), not by its id.
    const base = validateDeepNetConfig({ ...LECTURE, depth: 3 });
    const spec: SweepSpec = { kind: 'depth', depths: [1, 2, 3] };
    expect(await inLocale('ko', () => runLabel(base, spec))).toMatch(/^선형, 항등 행렬 × 1\.5, n = 2, m = 1, /);
    expect(await inLocale('en', () => runLabel({ ...base, activation: 'sigmoid' }, spec))).toMatch(/^sigmoid, identity × 1\.5, n = 2, m = 1, /);
  });

  it('the under-the-line sentence for gradients past their limit in the lowest layers is Korean', async () => {
    for (const v of [
      { firstComparedLayer: 105, firstLimitLayer: 105, lastLimitLayer: 105, lastComparedLayer: 160, limitLayers: 1, compared: 56 },
      { firstComparedLayer: 1, firstLimitLayer: 1, lastLimitLayer: 12, lastComparedLayer: 64, limitLayers: 12, compared: 64 },
    ]) {
      const ko = await inLocale('ko', () => underLineText(v));
      expect(ko, ko).toMatch(HANGUL);
      expect(englishWords(ko), ko).toEqual([]);
      expect(ko).toContain(String(v.lastLimitLayer + 1));
    }
  });

  it('the verdict line’s flushed-layers sentence is Korean, with the layers', async () => {
    for (const layers of [[4], [1, 2, 3, 4]]) {
      const ko = await inLocale('ko', () => flushedLayersText(layers));
      expect(ko, ko).toMatch(HANGUL);
      expect(englishWords(ko), ko).toEqual([]);
      expect(ko).toContain(layers.length === 1 ? '4층' : '1–4층');
    }
    // Walk F2: layers partly flushed to 0, with and without fully flushed ones.
    const both = await inLocale('ko', () => flushedLayersText([1, 2, 3, 4], [5, 6, 7]));
    expect(both).toContain(
      'f32에서 값은 1–4층에서 0입니다(각 원소에 더해지는 곱이 모두 그만큼 작음). 5–7층에서는 그 곱의 일부가 그만큼 작아서 값이 너무 작게 나옵니다.',
    );
    const part = await inLocale('ko', () => flushedLayersText([], [7]));
    expect(part).toContain('7층에서는 각 원소에 더해지는 곱의 일부가 그만큼 작아서 f32의 값이 너무 작게 나옵니다.');
    // Walk s10 N3: not '부분적으로 0으로 바뀝니다' (reads as if the value were partly 0).
    for (const ko of [both, part]) expect(ko).not.toContain('부분적으로');
    const none = await inLocale('ko', () => comparedText({ compared: 6, limitLayers: 4, partialLayers: [5, 6] }));
    for (const ko of [both, part, none]) {
      expect(ko, ko).toMatch(HANGUL);
      expect(englishWords(ko), ko).toEqual([]);
    }
  });

  it('every limit sentence case has a Korean whole sentence (measured, forecast, none, flush to zero)', async () => {
    const cfg = validateDeepNetConfig({ ...LECTURE, depth: 230 });
    const forecast = { activation: { overflow: 219, subnormal: 127, zero: 150 }, gradient: { overflow: 230, subnormal: null, zero: 20 }, note: '' };
    const cases = [
      measureLimits(deep.results[1].run),
      measureLimits(vanish.results[0].run),
      {
        actOverflow: 219,
        actOverflowThreshold: 215,
        actZero: null,
        actUnderflowThreshold: null,
        gradOverflow: 230,
        gradOverflowThreshold: 230,
        gradZero: null,
      },
      { actOverflow: null, actOverflowThreshold: null, actZero: 150, actUnderflowThreshold: 120, gradOverflow: null, gradOverflowThreshold: 12, gradZero: 3 },
      {
        actOverflow: null,
        actOverflowThreshold: null,
        actZero: null,
        actUnderflowThreshold: null,
        gradOverflow: null,
        gradOverflowThreshold: null,
        gradZero: null,
      },
      {
        actOverflow: null,
        actOverflowThreshold: null,
        actZero: null,
        actUnderflowThreshold: null,
        gradOverflow: null,
        gradOverflowThreshold: null,
        gradZero: null,
        lostTo: { pass: 'backward', stat: 'gradActNorm', layer: 9, status: 'nan' },
      },
      // The gradients pass the 1e38 mark (105) before they overflow f32 (101); the cause at 105 is only the mark.
      {
        actOverflow: null,
        actOverflowThreshold: null,
        actZero: null,
        actUnderflowThreshold: null,
        gradOverflow: 101,
        gradOverflowThreshold: 105,
        gradZero: null,
        lostTo: { pass: 'backward', stat: 'gradActNorm', layer: 105, status: 'overflow', pastF32: false },
      },
      {
        actOverflow: 35,
        actOverflowThreshold: 35,
        actZero: null,
        actUnderflowThreshold: null,
        gradOverflow: null,
        gradOverflowThreshold: null,
        gradZero: null,
        lostTo: { pass: 'forward', stat: 'actNorm', layer: 35, status: 'overflow', pastF32: true },
      },
      // Zeros the GPU made by flushing subnormals (float64 predicts a positive subnormal there), with and without the 1e-37 mark before.
      ...([124, 127] as const).map((mark) => ({
        actOverflow: null,
        actOverflowThreshold: null,
        actZero: 127,
        actUnderflowThreshold: mark,
        actZeroFlushed: 8.3e-39,
        gradOverflow: null,
        gradOverflowThreshold: null,
        gradZero: 1,
        gradZeroFlushed: 5.9e-39,
      })),
      // Zeros flushed on a random net, decided from the forecast's entries (the products below 1.2e-38, or only its tolerance).
      ...(['below', 'tolerance'] as const).map((kind) => ({
        actOverflow: null,
        actOverflowThreshold: null,
        actZero: 120,
        actUnderflowThreshold: 118,
        actZeroFlushed: 1.4e-37,
        actZeroFlush: { value: 1.4e-37, kind, entry: 1.7e-38, product: 2.1e-39, tolerance: 6.7 },
        gradOverflow: null,
        gradOverflowThreshold: null,
        gradZero: 4,
        gradZeroFlushed: 1.4e-37,
        gradZeroFlush: { value: 1.4e-37, kind, entry: 1.7e-38, product: 2.1e-39, tolerance: 6.7 },
      })),
    ] as const;
    for (const measured of cases) {
      for (const predicted of [forecast, null, predictedLimitLayer(cfg)]) {
        const en = await inLocale('en', () => limitSentences(cfg, measured, predicted));
        const ko = await inLocale('ko', () => limitSentences(cfg, measured, predicted));
        // The UI's English is the export's English; Korean has one sentence for each.
        expect(en).toEqual(limitSentences(cfg, measured, predicted, LIMIT_TEXTS_EXPORT));
        expect(ko.length).toBe(en.length);
        for (const s of ko) {
          expect(s, s).toMatch(HANGUL);
          expect(englishWords(s), s).toEqual([]);
        }
      }
    }
  });

  it('the forecasts’ notes and the glossary’s terms are Korean', async () => {
    const configs = [
      { ...LECTURE, depth: 8 },
      { ...LECTURE, depth: 8, activation: 'relu' },
      { ...LECTURE, depth: 8, activation: 'tanh' },
      { width: 16, batch: 4, depth: 8, activation: 'relu', init: 'he-normal', gain: 1, input: 'normal', seed: 1 },
      { width: 16, batch: 4, depth: 8, activation: 'tanh', init: 'xavier-normal', gain: 1, input: 'normal', seed: 1 },
      { width: 16, batch: 4, depth: 8, activation: 'sigmoid', init: 'xavier-normal', gain: 1, input: 'normal', seed: 1 },
    ].map((c) => validateDeepNetConfig(c as Partial<DeepNetConfig>));
    const notes = await inLocale('ko', () =>
      configs.flatMap((c) => [predict(c).note, ...(['actNorm', 'gradActNorm', 'gradWNorm', 'zVar'] as const).map((q) => predictQuantity(c, q).note)]),
    );
    for (const n of notes) {
      expect(n, n).toMatch(HANGUL);
      expect(englishWords(n), n).toEqual([]);
    }
    const terms = await inLocale('ko', () => shownTerms().map((t) => t.name));
    expect(terms).toContain('평균장 예측');
    expect(terms).toContain('역전파');
    // A Korean note finds its terms: the mean-field note names 평균장 and 유한 폭 산포.
    expect(notes.some((n) => n.includes('유한 폭 산포'))).toBe(true);
  });

  it('an init sweep’s heatmap rows name the inits in the page’s language (Korean: He 정규분포, not He normal)', async () => {
    const { results } = refSweep({ depth: 3, width: 4, batch: 2, activation: 'relu', seed: 5 }, { kind: 'init', inits: [...INIT_SCHEMES] });
    const labels = (locale: 'en' | 'ko') => inLocale(locale, () => makeLabHeatmapData(results, QUANTITIES[0], 'init').rowLabels);
    expect(await labels('en')).toEqual(['identity', 'N(0, 1)', 'Xavier normal', 'Xavier uniform', 'He normal', 'LeCun normal']);
    const ko = await labels('ko');
    expect(ko).toEqual(['항등 행렬', 'N(0, 1)', 'Xavier 정규분포', 'Xavier 균등분포', 'He 정규분포', 'LeCun 정규분포']);
    for (const l of ko)
      expect(
        englishWords(l).filter((w) => !['Xavier', 'He', 'LeCun'].includes(w)),
        l,
      ).toEqual([]);
  });

  it('the heatmap’s cell texts (tooltip, readout, table) and the line chart’s status counts follow the page’s locale and language', async () => {
    // One row, three layers: 12,345.6 (plain, grouped), an overflow and a layer the net does not have.
    const data: HeatmapData = {
      rowLabels: ['2'],
      rowTitle: 'depth L',
      colTitle: 'layer l',
      cols: 3,
      values: new Float64Array([12345.6, 3.5e38, NaN]),
      status: ['finite', 'overflow', 'none'],
      quantity: '‖a‖',
    };
    const texts = () => {
      const m = makeHeatmapModel(data);
      return {
        finite: cellInfo(m, 0, 0),
        over: cellInfo(m, 0, 1),
        counts: (['overflow', 'underflow', 'nan', 'lost'] as const).map((s) => statusCountText(s, 12345)),
      };
    };
    const en = await inLocale('en', texts);
    expect(en.finite.text).toBe('depth L = 2, layer 1: ‖a‖ = 12,350');
    expect(en.over.valueText).toBe('3.5e38 (overflow)');
    expect(en.counts).toEqual(['12,345 overflow', '12,345 underflow', '12,345 NaN', '12,345 after a value passed 1e38 or became NaN']);
    const ko = await inLocale('ko', texts);
    expect(ko.finite.valueText).toBe('12,350');
    expect(ko.finite.text).toMatch(HANGUL);
    expect(ko.over.valueText).toBe('3.5e38 (오버플로)');
    expect(ko.counts).toEqual(['오버플로 12,345개', '언더플로 12,345개', 'NaN 12,345개', '값이 1e38을 넘거나 NaN이 된 뒤 12,345개']);
    // Korean groups digits as English does: a locale that does not shows the numbers come from the page's locale.
    await setLocale('ko');
    setFormatLocale('de');
    try {
      const de = texts();
      expect(de.finite.valueText).toBe('12.350');
      expect(de.counts[0]).toBe('오버플로 12.345개');
    } finally {
      setFormatLocale('en');
    }
  });
});

describe('the Depth lab’s CPU caps in Korean', () => {
  const cfg = (c: object) => validateDeepNetConfig(c);
  const rows = makeSweepGrid(cfg({ width: 64, batch: 32 }), { kind: 'depth', depths: depthRange(1, 128) }).map((r) => r.config);
  // One sweep per cap: width, batch, one row's memory, one row's work, the whole sweep's work.
  const cases: [string, DeepNetConfig[]][] = [
    ['width', [cfg({ depth: 2, width: 300, batch: 1 })]],
    ['batch', [cfg({ depth: 1, width: 2, batch: 2000 })]],
    ['memory', [cfg({ depth: 1000, width: 256, batch: 1024 })]],
    ['row work', [cfg({ depth: 64, width: 128, batch: 64 })]],
    ['sweep work', rows],
  ];
  const words = (text: string) => englishWords(text).filter((w) => !['cpu', 'webgpu'].includes(w.toLowerCase()));

  it('every cap reads as Korean sentences (cap, needed vs allowed, what to change), and as the English ones under English', async () => {
    const caps = await inLocale('en', () => cases.map(([, sweep]) => cpuCapProblem(sweep)!.cap));
    expect(caps.map((c) => c.split(' (')[0])).toEqual(['Width n', 'Batch m', 'Memory of one row', 'Work of one row', 'Work of the whole sweep']);
    for (const [name, sweep] of cases) {
      const en = await inLocale('en', () => cpuCapText(cpuCapProblem(sweep)!));
      const ko = await inLocale('ko', () => cpuCapText(cpuCapProblem(sweep)!));
      expect(en, name).toMatch(/: needs [\d,]+, the CPU fallback allows [\d,]+\. \S/);
      expect(ko, name).toMatch(HANGUL);
      expect(words(ko), `${name}: ${ko}`).toEqual([]);
      // The numbers are the same ones, in the page's format (Korean may put them in another order).
      const numbers = (t: string) => (t.match(/\d+(?:,\d{3})*/g) ?? []).sort();
      expect(numbers(ko), name).toEqual(numbers(en));
    }
    // The error's own message (logs, exports) stays English whatever the page shows.
    const shown = await inLocale('ko', () => cpuCapProblem(cases[0][1])!);
    expect(shown.message).toMatch(/^width: .*: needs 300, the CPU fallback allows 256\. /);
  });
});

describe('the Korean catalog', () => {
  it('has no XML entities left in plain-text messages (lit-localize build copies a target’s &lt; / &gt; as written, and only html messages decode them)', async () => {
    const { readFileSync } = await import('node:fs');
    const built = readFileSync(new URL('../../src/ui/locales/ko.ts', import.meta.url), 'utf8');
    const plain = built.split('\n').filter((line) => /^'s[0-9a-f]+': /.test(line));
    expect(plain.length).toBeGreaterThan(100);
    expect(plain.filter((line) => /&(lt|gt|amp|quot);/.test(line))).toEqual([]);
  });
});
