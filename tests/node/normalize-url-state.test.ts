import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_LAB_STATE,
  defaultLabState,
  draftFromState,
  LAB_LIMITS,
  labFieldProblem,
  lrHintText,
  lrSliderRange,
  lrToSlider,
  modeLearningRate,
  parseLabDraft,
  parseLabNumber,
  sliderRate,
  sliderToLr,
  type NormalizeLabState,
} from '../../src/labs/normalize/form';
import { DEFAULT_DATASET_OPTIONS, datasetProblems } from '../../src/labs/normalize/data';
import {
  MAX_LISTED_UNKNOWN,
  MAX_PARAM_LENGTH,
  decodeNormalizeState,
  encodeNormalizeState,
  formatRanges,
  normalizeHashQuery,
  parseRanges,
} from '../../src/labs/normalize/url-state';

const custom: NormalizeLabState = {
  data: {
    m: 500,
    ranges: [
      [1, 1000],
      [0, 1],
      [-5, 5],
    ],
    noise: 0.3,
    testFraction: 0.25,
    testShift: 0.5,
    seed: 3,
  },
  lrScale: 'absolute',
  lr: 2e-6,
  steps: 2000,
  tol: 1e-8,
  plots: ['contours'],
};

/** Params of the problems, sorted. */
const params = (q: string) =>
  decodeNormalizeState(q)
    .problems.map((p) => p.param)
    .sort();

describe('normalize URL state: round trip', () => {
  it('encodes every field and decodes it back exactly', () => {
    const q = encodeNormalizeState(custom);
    expect(q).toBe('v=1&m=500&ranges=1:1000,0:1,-5:5&noise=0.3&test=0.25&shift=0.5&seed=3&lrscale=abs&lr=0.000002&steps=2000&tol=1e-8&plots=contours');
    const { state, problems } = decodeNormalizeState(q);
    expect(problems).toEqual([]);
    expect(state).toEqual(custom);
  });

  it('decodes the defaults from an empty query and round-trips them', () => {
    const { state, problems } = decodeNormalizeState('');
    expect(problems).toEqual([]);
    expect(state).toEqual(defaultLabState());
    expect(decodeNormalizeState('?' + encodeNormalizeState(state)).state).toEqual(state);
  });

  it('uses the engine’s default data and gives it options the engine accepts', () => {
    const d = DEFAULT_LAB_STATE.data;
    expect(d.m).toBe(DEFAULT_DATASET_OPTIONS.m);
    expect(d.ranges).toEqual(DEFAULT_DATASET_OPTIONS.ranges);
    expect(datasetProblems({ ...custom.data })).toEqual([]);
  });

  it('round-trips random valid states (fast-check)', () => {
    const range = fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 1000 })).map(([lo, w]) => [lo, lo + w] as [number, number]);
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 1_000_000 }),
        fc.array(range, { minLength: 2, maxLength: 8 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0.05, max: 0.9, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }).map((v) => v + 0),
        fc.integer({ min: 0, max: 4294967295 }),
        fc.constantFrom('relative' as const, 'absolute' as const),
        fc.double({ min: 1e-3, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 1e-12, max: 1, noNaN: true }),
        (m, ranges, noise, testFraction, testShift, seed, lrScale, lr, steps, tol) => {
          const s: NormalizeLabState = { data: { m, ranges, noise, testFraction, testShift, seed }, lrScale, lr, steps, tol, plots: ['scatter', 'contours'] };
          const { state, problems } = decodeNormalizeState(encodeNormalizeState(s));
          expect(problems).toEqual([]);
          expect(state).toEqual(s);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses to encode an invalid state, naming the parameter', () => {
    expect(() => encodeNormalizeState({ ...custom, data: { ...custom.data, m: 5 } })).toThrow(/^m: /);
    expect(() => encodeNormalizeState({ ...custom, lr: 0 })).toThrow(/^lr: /);
    expect(() =>
      encodeNormalizeState({
        ...custom,
        data: {
          ...custom.data,
          ranges: [
            [1, 0],
            [0, 1],
          ],
        },
      }),
    ).toThrow(/^ranges: .*x1.*low must be less than high/);
    expect(() => encodeNormalizeState({ ...custom, data: { ...custom.data, m: 10, testFraction: 0.05 } })).toThrow(/^test: /);
  });
});

describe('normalize URL state: bad and hostile parameters', () => {
  const base = encodeNormalizeState(custom);
  const withParam = (name: string, value: string) => {
    const p = new URLSearchParams(base);
    p.set(name, value);
    return p.toString();
  };

  it.each([
    ['m', 'NaN'],
    ['m', '-5'],
    ['m', '1e12'],
    ['m', '12.5'],
    ['m', 'Infinity'],
    ['noise', '-1'],
    ['noise', 'abc'],
    ['test', '0'],
    ['test', '1'],
    ['shift', '1e300'],
    ['seed', '-1'],
    ['seed', '4294967296'],
    ['lr', '0'],
    ['lr', '-0.1'],
    ['lr', 'NaN'],
    ['lr', '1e9'],
    ['steps', '0'],
    ['steps', '1e9'],
    ['tol', '0'],
    ['tol', '2'],
    ['ranges', '1:1000'],
    ['ranges', '5:1,0:1'],
    ['ranges', '1-1000,0-1'],
    ['ranges', 'NaN:1,0:1'],
    ['ranges', '0:1e30,0:1'],
    ['plots', 'pie'],
    ['v', '2'],
  ])('%s=%s is reported by name and only that field falls back', (param, value) => {
    const { state, problems } = decodeNormalizeState(withParam(param, value));
    expect(problems.map((p) => p.param)).toEqual([param]);
    expect(problems[0].message.length).toBeGreaterThan(10);
    const expected = structuredClone(custom) as NormalizeLabState;
    const d = defaultLabState();
    // The one field each bad parameter resets to its fallback (a bad version resets nothing).
    const fallback: Record<string, (e: NormalizeLabState, d: NormalizeLabState) => void> = {
      m: (e, d) => void (e.data.m = d.data.m),
      noise: (e, d) => void (e.data.noise = d.data.noise),
      test: (e, d) => void (e.data.testFraction = d.data.testFraction),
      shift: (e, d) => void (e.data.testShift = d.data.testShift),
      seed: (e, d) => void (e.data.seed = d.data.seed),
      ranges: (e, d) => void (e.data.ranges = d.data.ranges),
      lr: (e) => void (e.lr = 1e-6), // the absolute scale's fallback
      steps: (e, d) => void (e.steps = d.steps),
      tol: (e, d) => void (e.tol = d.tol),
      plots: (e, d) => void (e.plots = d.plots),
      v: () => {},
    };
    fallback[param](expected, d);
    expect(state).toEqual(expected);
  });

  it('a bad range is reported as typed (walk s11 C1: "got [1, NaN]" for ranges=1:abc)', () => {
    const { problems } = decodeNormalizeState(withParam('ranges', '1:1000,1:abc'));
    expect(problems.map((p) => p.param)).toEqual(['ranges']);
    expect(problems[0].message).toContain('feature x2: needs two numbers, low and high; got "1:abc"');
    expect(problems[0].message).not.toContain('NaN');
    expect(decodeNormalizeState(withParam('ranges', '5:1,0:1')).problems[0].message).toContain('feature x1: low must be less than high; got "5:1"');
  });

  it('a bad lrscale falls back to relative and the lr is then checked against the relative limits', () => {
    const { state, problems } = decodeNormalizeState(withParam('lrscale', 'fast'));
    expect(problems.map((p) => p.param)).toEqual(['lrscale', 'lr']);
    expect(state.lrScale).toBe('relative');
    expect(state.lr).toBe(DEFAULT_LAB_STATE.lr);
    expect(state.data).toEqual(custom.data);
  });

  it('reports a 100 kB value without reading it, and a huge unknown key without echoing it', () => {
    const huge = 'x'.repeat(100_000);
    const { state, problems } = decodeNormalizeState(withParam('ranges', huge) + `&${'k'.repeat(5000)}=1`);
    expect(problems.map((p) => p.param)).toEqual(['k'.repeat(40) + '…', 'ranges']);
    const r = problems.find((p) => p.param === 'ranges')!;
    expect(r.message).toContain(`at most ${MAX_PARAM_LENGTH}`);
    expect(r.message.length).toBeLessThan(300);
    expect(JSON.stringify(problems).length).toBeLessThan(2000);
    expect(state.data.ranges).toEqual(DEFAULT_LAB_STATE.data.ranges);
    expect(state.data.m).toBe(500);
  });

  it('lists at most 10 of 20,000 unknown parameters, then "…and 19,990 more"; known ones still read', () => {
    const q = base + Array.from({ length: 20_000 }, (_, i) => `&junk${i}=1`).join('');
    const { state, problems } = decodeNormalizeState(q);
    expect(MAX_LISTED_UNKNOWN).toBe(10);
    expect(problems).toHaveLength(11);
    expect(problems.slice(0, 10).map((p) => p.param)).toEqual(Array.from({ length: 10 }, (_, i) => `junk${i}`));
    expect(problems[10]).toEqual({ param: '…', message: 'and 19,990 more unknown parameters (ignored)' });
    expect(JSON.stringify(problems).length).toBeLessThan(3000);
    expect(state.data.m).toBe(500);
    // Exactly 10 unknown: all listed, no "more" line.
    const ten = decodeNormalizeState(base + Array.from({ length: 10 }, (_, i) => `&junk${i}=1`).join(''));
    expect(ten.problems.map((p) => p.param)).toEqual(Array.from({ length: 10 }, (_, i) => `junk${i}`));
  });

  it('reports unknown and repeated parameters', () => {
    expect(params(base + '&foo=1')).toEqual(['foo']);
    const { state, problems } = decodeNormalizeState(base + '&m=700');
    expect(problems.map((p) => p.param)).toEqual(['m']);
    expect(problems[0].message).toMatch(/2 times; using the first/);
    expect(state.data.m).toBe(500);
  });

  it('m and test fraction that leave too few test rows: the test fraction falls back first', () => {
    const { state, problems } = decodeNormalizeState('m=10&test=0.05');
    expect(problems.map((p) => p.param)).toEqual(['test']);
    expect(state.data.m).toBe(10);
    expect(state.data.testFraction).toBe(DEFAULT_LAB_STATE.data.testFraction);
  });

  it('never throws on arbitrary strings (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = decodeNormalizeState(s);
        expect(Array.isArray(r.problems)).toBe(true);
        // whatever was read is a valid state
        expect(() => encodeNormalizeState(r.state)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('m', 'ranges', 'noise', 'test', 'shift', 'seed', 'lrscale', 'lr', 'steps', 'tol', 'plots'),
        fc.string({ maxLength: 60 }),
        (k, v) => {
          const r = decodeNormalizeState(new URLSearchParams([[k, v]]));
          expect(() => encodeNormalizeState(r.state)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads the lab’s hash only', () => {
    expect(normalizeHashQuery('#/normalization-lab?m=5')).toBe('m=5');
    expect(normalizeHashQuery('#/normalization-lab')).toBe('');
    expect(normalizeHashQuery('#/depth-lab?m=5')).toBeNull();
  });

  it('formats and parses ranges', () => {
    expect(
      formatRanges([
        [1, 1000],
        [-0.5, 1e-3],
      ]),
    ).toBe('1:1000,-0.5:0.001');
    expect(parseRanges('1:1000,-0.5:0.001')).toEqual([
      [1, 1000],
      [-0.5, 0.001],
    ]);
    expect(() => parseRanges('1:2:3,0:1')).toThrow(/x1 must be written low:high/);
  });
});

describe('lab form', () => {
  it('the slider keeps the last valid rate while the field holds one it refuses (walk s11 N4)', () => {
    expect(sliderRate('0.25', 'relative', 0.5)).toBe(0.25);
    expect(sliderRate('abc', 'relative', 0.5)).toBe(0.5);
    expect(sliderRate('', 'relative', 0.5)).toBe(0.5);
    expect(sliderRate('0.00005', 'relative', 0.5)).toBe(0.5); // below the field's 1e-4
    expect(sliderRate('0.00005', 'absolute', 2e-5)).toBe(5e-5); // one rate for all takes it
    expect(sliderRate('1e5', 'absolute', 2e-5)).toBe(2e-5);
  });

  it('parses the draft of a state back to the state', () => {
    expect(parseLabDraft(draftFromState(custom))).toMatchObject({ state: custom, problems: {} });
  });

  it('reports each bad field, keeps the data when only descent fields are bad', () => {
    const draft = { ...draftFromState(custom), lr: 'fast', steps: '0' };
    const p = parseLabDraft(draft);
    expect(p.state).toBeNull();
    expect(Object.keys(p.problems).sort()).toEqual(['lr', 'steps']);
    expect(p.problems.lr).toMatch(/got "fast"/);
    expect(p.data).toEqual(custom.data);
  });

  it('reports a bad feature range by its feature, and the split', () => {
    const draft = draftFromState(custom);
    draft.ranges = [
      { lo: '1', hi: '1000' },
      { lo: '3', hi: '2' },
    ];
    const p = parseLabDraft(draft);
    expect(p.problems.range2).toMatch(/low must be less than high/);
    expect(p.data).toBeNull();
    const small = parseLabDraft({ ...draftFromState(custom), m: '10', testFraction: '0.1' });
    expect(small.problems.split).toMatch(/test set would have 1 row/);
  });

  it('reads numbers the way people type them', () => {
    expect(parseLabNumber(' 1,000 ')).toBe(1000);
    expect(parseLabNumber('1_000_000')).toBe(1e6);
    expect(parseLabNumber('2e-6')).toBe(2e-6);
    expect(parseLabNumber('.5')).toBe(0.5);
    expect(parseLabNumber('0x10')).toBeNaN();
    expect(parseLabNumber('1,00')).toBeNaN();
    expect(parseLabNumber('')).toBeNaN();
    expect(parseLabNumber('Infinity')).toBeNaN();
  });

  it('maps the log slider both ways and scales lr per mode', () => {
    expect(lrToSlider(1e-3, 1e-6, 1)).toBe(500);
    expect(sliderToLr(500, 1e-6, 1)).toBe(1e-3);
    expect(lrToSlider(1e9, 1e-6, 1)).toBe(1000);
    expect(lrToSlider(-1, 1e-6, 1)).toBe(0);
    for (const p of [0, 123, 999, 1000]) expect(lrToSlider(sliderToLr(p, 1e-8, 10), 1e-8, 10)).toBe(p);
    expect(modeLearningRate('relative', 0.5, 2.4e-5)).toBeCloseTo(1.2e-5, 15);
    expect(modeLearningRate('absolute', 0.5, 2.4e-5)).toBe(0.5);
  });

  it('the relative slider spans exactly what the rate field takes: every accepted multiple has its place, nothing else does', () => {
    // Learner walk: the slider spanned 1e-3..10 while the field took 1e-4, so a typed 5e-4 left the slider at its end.
    const { lo, hi } = lrSliderRange('relative');
    expect([lo, hi]).toEqual([LAB_LIMITS.lr.relative.min, LAB_LIMITS.lr.relative.max]);
    // The slider's ends are values the field takes; just past them the field says what is allowed.
    for (const end of [sliderToLr(0, lo, hi), sliderToLr(1000, lo, hi)]) expect(labFieldProblem('lr', end, 'relative')).toBeNull();
    expect(labFieldProblem('lr', lo * 0.99, 'relative')).toBe(`must be at least ${lo} (up to ${hi}); got ${lo * 0.99}`);
    expect(labFieldProblem('lr', hi * 1.01, 'relative')).toBe(`must be at most ${hi}; got ${hi * 1.01}`);
    // Any multiple the field takes sits on the slider where sliding back gives it to within one slider step.
    const step = (Math.log10(hi) - Math.log10(lo)) / 1000;
    for (let i = 0; i <= 500; i++) {
      const v = Number((10 ** (Math.log10(lo) + (i / 500) * (Math.log10(hi) - Math.log10(lo)))).toPrecision(3));
      if (labFieldProblem('lr', v, 'relative') !== null) continue;
      const back = sliderToLr(lrToSlider(v, lo, hi), lo, hi);
      expect(Math.abs(Math.log10(back) - Math.log10(v)), String(v)).toBeLessThanOrEqual(step);
    }
    // One rate for all: a range around the run's limits, inside the field's limits (1e-8..10 before a run).
    expect(lrSliderRange('absolute')).toEqual({ lo: 1e-8, hi: 10 });
    expect(lrSliderRange('absolute', [2.5e-5, 1.9, 0.16])).toEqual({ lo: 1e-7, hi: 100 });
    const abs = lrSliderRange('absolute', [1e-13, 5e3]);
    expect(abs.lo).toBeGreaterThanOrEqual(LAB_LIMITS.lr.absolute.min);
    expect(abs.hi).toBeLessThanOrEqual(LAB_LIMITS.lr.absolute.max);
  });

  it('the rate field’s hint says what the field takes and what the slider spans (walk F10: the slider is narrower in absolute mode)', () => {
    const hint = (scale: 'relative' | 'absolute', limits: number[] = []) => {
      const { lo, hi } = lrSliderRange(scale, limits);
      return lrHintText(scale, lo, hi);
    };
    expect(hint('relative')).toBe('0.0001 to 10, in the field and on the log slider above');
    // The walk's run: limits 2.478e-5 (raw) and 1.937 (standardized); the slider measured 1e-7..100.
    expect(hint('absolute', [2.478e-5, 1.937, 0.1667])).toBe('field: 1e-12 to 10000; log slider above: 1e-7 to 100');
    expect(hint('absolute')).toBe('field: 1e-12 to 10000; log slider above: 1e-8 to 10');
  });
});
