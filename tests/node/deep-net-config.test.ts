import { describe, expect, it } from 'vitest';
import { thrownInputError as thrown } from '../helpers/thrown';
import {
  CONFIG_FIELDS,
  DEFAULT_CONFIG,
  INIT_SCHEMES,
  configProblems,
  estimateBytes,
  memoryEstimate,
  validateDeepNetConfig,
  type DeepNetConfig,
  type DeepNetConfigInput,
} from '../../src/labs/depth/config';
import { deriveSeed, makeInput, makeWeights, weightVariance } from '../../src/labs/depth/init';
import {
  DEFAULT_SWEEP,
  MAX_SWEEP_ROWS,
  depthRange,
  formatNumberList,
  makeSweepGrid,
  parseInitList,
  parseNumberList,
  parseSweepSpec,
  type SweepSpec,
} from '../../src/labs/depth/sweep-grid';
import { PRESETS, findPreset } from '../../src/labs/depth/presets';

const cfg = (over: Partial<DeepNetConfig> = {}): DeepNetConfig => ({ ...DEFAULT_CONFIG, ...over });

describe('validateDeepNetConfig', () => {
  it('fills missing fields from DEFAULT_CONFIG and keeps given ones', () => {
    expect(validateDeepNetConfig({})).toEqual(DEFAULT_CONFIG);
    const c = validateDeepNetConfig({ depth: 7, activation: 'tanh', gain: 0.25, seed: 2 ** 32 - 1 });
    expect(c).toEqual({ ...DEFAULT_CONFIG, depth: 7, activation: 'tanh', gain: 0.25, seed: 2 ** 32 - 1 });
    expect(validateDeepNetConfig({ depth: undefined })).toEqual(DEFAULT_CONFIG);
  });

  it('accepts the ends of every range', () => {
    for (const c of [
      { depth: 1, width: 1, batch: 1, gain: 1e-6, seed: 0 },
      { depth: 1000, width: 1024, batch: 4096, gain: 1e6, seed: 2 ** 32 - 1 },
    ]) {
      expect(configProblems(c)).toEqual([]);
      expect(validateDeepNetConfig(c)).toMatchObject(c);
    }
  });

  const bad: [keyof DeepNetConfig, unknown, string][] = [
    ['depth', 0, 'from 1 to 1000'],
    ['depth', 1001, 'from 1 to 1000'],
    ['depth', 2.5, 'integer'],
    ['depth', NaN, 'got NaN'],
    ['depth', '12', 'got "12"'],
    ['depth', null, 'got null'],
    ['width', 1025, 'from 1 to 1024'],
    ['batch', 4097, 'from 1 to 4096'],
    ['batch', -1, 'from 1 to 4096'],
    ['seed', 2 ** 32, 'from 0 to 4294967295'],
    ['seed', -1, 'from 0 to 4294967295'],
    ['seed', 0.5, 'integer'],
    ['gain', 0, 'from 0.000001 to 1000000'],
    ['gain', -1.5, 'got -1.5'],
    ['gain', Infinity, 'got Infinity'],
    ['gain', NaN, 'got NaN'],
    ['gain', 1e6 + 1, 'from 0.000001 to 1000000'],
    ['gain', '1.5', 'got "1.5"'],
    ['activation', 'gelu', 'linear, relu, tanh, sigmoid'],
    ['activation', 3, 'got 3'],
    ['init', 'kaiming', 'identity, normal, xavier-normal, xavier-uniform, he-normal, lecun-normal'],
    ['input', 'zeros', 'ones, normal'],
  ];
  for (const [field, value, text] of bad) {
    it(`rejects ${field} = ${String(value)} naming the field and what is allowed`, () => {
      const err = thrown(() => validateDeepNetConfig({ [field]: value } as DeepNetConfigInput));
      expect(err.field).toBe(field);
      expect(err.message).toContain(text);
      expect(err.message.startsWith(`${field}: `)).toBe(true);
      expect(configProblems({ [field]: value })).toEqual([{ field, message: expect.stringContaining(text) }]);
    });
  }

  it('lists every problem at once, in field order, plus unknown fields', () => {
    const problems = configProblems({ depth: 0, width: 2000, activation: 'gelu', gain: NaN, seed: 1, depht: 3 });
    expect(problems.map((p) => p.field)).toEqual(['depht', 'depth', 'width', 'activation', 'gain']);
    expect(problems[0].message).toContain(CONFIG_FIELDS.join(', '));
    // validate throws for the first and mentions the rest
    const err = thrown(() => validateDeepNetConfig({ depth: 0, width: 2000 }));
    expect(err.field).toBe('depth');
    expect(err.message).toContain('also width:');
  });

  it('rejects a non-object config', () => {
    for (const v of [null, 3, 'x', [1]]) {
      expect(configProblems(v)).toEqual([{ field: 'config', message: expect.stringContaining('must be an object') }]);
      expect(thrown(() => validateDeepNetConfig(v as DeepNetConfigInput)).field).toBe('config');
    }
  });
});

describe('estimateBytes', () => {
  it('is 4·((3L+1)·m·n + 2L·n²)', () => {
    // L = 2, n = 3, m = 4: A 3·12 + Z 2·12 + dA 2·12 + W 2·9 + dW 2·9 = 120 floats
    const small = cfg({ depth: 2, width: 3, batch: 4 });
    expect(estimateBytes(small)).toBe(480);
    expect(memoryEstimate(small)).toEqual({
      activations: 144,
      preActivations: 96,
      activationGrads: 96,
      weights: 72,
      weightGrads: 72,
      total: 480,
    });
    expect(estimateBytes(DEFAULT_CONFIG)).toBe(4 * ((3 * 128 + 1) * 128 * 256 + 2 * 128 * 256 * 256));
  });
});

describe('init', () => {
  it('weightVariance follows each scheme', () => {
    expect(weightVariance('identity', 8, 8)).toBeNull();
    expect(weightVariance('normal', 8, 8)).toBe(1);
    expect(weightVariance('xavier-normal', 6, 10)).toBe(2 / 16);
    expect(weightVariance('xavier-uniform', 6, 10)).toBe(2 / 16);
    expect(weightVariance('he-normal', 6, 10)).toBe(2 / 6);
    expect(weightVariance('lecun-normal', 6, 10)).toBe(1 / 6);
    expect(thrown(() => weightVariance('he-normal', 0, 3)).field).toBe('nIn');
  });

  it('identity weights are gain·I', () => {
    const w = makeWeights(cfg({ init: 'identity', gain: 1.5, width: 3, depth: 2 }), 2);
    expect(Array.from(w)).toEqual([1.5, 0, 0, 0, 1.5, 0, 0, 0, 1.5]);
  });

  it('random weights have variance gain²·Var and zero mean (n = 256, 65 536 samples)', () => {
    const n = 256;
    for (const init of INIT_SCHEMES.filter((i) => i !== 'identity')) {
      const gain = 1.7;
      const w = makeWeights(cfg({ init, gain, width: n, depth: 3 }), 2);
      expect(w.length).toBe(n * n);
      let sum = 0;
      let sq = 0;
      for (const v of w) {
        sum += v;
        sq += v * v;
      }
      const mean = sum / w.length;
      const variance = sq / w.length - mean * mean;
      const expected = gain * gain * weightVariance(init, n, n)!;
      // the sample variance of 65 536 draws is within ~1.1% (normal) of the truth at 2σ; 4% is > 7σ
      expect(Math.abs(variance / expected - 1), init).toBeLessThan(0.04);
      expect(Math.abs(mean) / Math.sqrt(expected), init).toBeLessThan(0.02);
    }
  });

  it('xavier-uniform stays inside ±gain·√(6/(n_in + n_out)) and fills it', () => {
    const n = 64;
    const bound = 2 * Math.sqrt(6 / (2 * n));
    const w = makeWeights(cfg({ init: 'xavier-uniform', gain: 2, width: n, depth: 1 }), 1);
    const max = Math.max(...Array.from(w, Math.abs));
    expect(max).toBeLessThanOrEqual(bound);
    expect(max).toBeGreaterThan(0.99 * bound);
  });

  it("layer l's weights depend only on (seed, l), not on depth; layers and seeds differ", () => {
    const a = makeWeights(cfg({ init: 'he-normal', width: 16, depth: 5, seed: 9 }), 3);
    const b = makeWeights(cfg({ init: 'he-normal', width: 16, depth: 500, seed: 9 }), 3);
    const c = makeWeights(cfg({ init: 'he-normal', width: 16, depth: 5, seed: 9 }), 4);
    const d = makeWeights(cfg({ init: 'he-normal', width: 16, depth: 5, seed: 10 }), 3);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(d).not.toEqual(a);
    // same draws, different scheme → proportional (the gain/variance only scales)
    const e = makeWeights(cfg({ init: 'lecun-normal', width: 16, depth: 5, seed: 9 }), 3);
    for (let i = 0; i < a.length; i++) expect(e[i]).toBeCloseTo(a[i] / Math.SQRT2, 6);
  });

  it('rejects a layer outside 1..depth', () => {
    expect(thrown(() => makeWeights(cfg({ depth: 4 }), 0)).field).toBe('layer');
    expect(thrown(() => makeWeights(cfg({ depth: 4 }), 5)).field).toBe('layer');
  });

  it('deriveSeed gives a distinct stream per layer and per seed', () => {
    for (const seed of [0, 1, 2 ** 32 - 1]) {
      const seen = new Set<number>();
      for (let s = 0; s <= 1000; s++) seen.add(deriveSeed(seed, s));
      expect(seen.size).toBe(1001);
    }
    expect(deriveSeed(1, 5)).not.toBe(deriveSeed(2, 5));
    expect(deriveSeed(7, 3)).toBe(deriveSeed(7, 3));
  });

  it('makeInput: ones, or N(0,1) from its own stream', () => {
    const ones = makeInput(cfg({ input: 'ones', width: 3, batch: 2 }));
    expect(Array.from(ones)).toEqual([1, 1, 1, 1, 1, 1]);
    const c = cfg({ input: 'normal', width: 128, batch: 64, seed: 3 });
    const x = makeInput(c);
    expect(x.length).toBe(128 * 64);
    let sum = 0;
    let sq = 0;
    for (const v of x) {
      sum += v;
      sq += v * v;
    }
    expect(Math.abs(sum / x.length)).toBeLessThan(0.05);
    expect(Math.abs(sq / x.length - 1)).toBeLessThan(0.05);
    expect(makeInput(c)).toEqual(x);
    expect(makeInput({ ...c, seed: 4 })).not.toEqual(x);
    // not the same stream as any layer's weights
    const w1 = makeWeights({ ...c, init: 'normal', depth: 1 }, 1);
    expect(Array.from(x.subarray(0, 16))).not.toEqual(Array.from(w1.subarray(0, 16)));
  });
});

describe('sweep grid', () => {
  it('the default sweep is depth 1..128 at n = 256, m = 128', () => {
    const rows = makeSweepGrid(DEFAULT_CONFIG, DEFAULT_SWEEP);
    expect(rows.length).toBe(128);
    expect(rows.map((r) => r.config.depth)).toEqual(depthRange(1, 128));
    expect(rows[31].label).toBe('depth=32');
    expect(rows.every((r) => r.config.width === 256 && r.config.batch === 128)).toBe(true);
  });

  it('gain and init sweeps override just that field', () => {
    const base = cfg({ depth: 10 });
    const gains = makeSweepGrid(base, { kind: 'gain', gains: [0.5, 1, 1.5] });
    expect(gains.map((r) => r.label)).toEqual(['gain=0.5', 'gain=1', 'gain=1.5']);
    expect(gains.map((r) => r.config)).toEqual([0.5, 1, 1.5].map((gain) => ({ ...base, gain })));
    const inits = makeSweepGrid(base, { kind: 'init', inits: ['he-normal', 'xavier-uniform'] });
    expect(inits.map((r) => r.config.init)).toEqual(['he-normal', 'xavier-uniform']);
    expect(inits[1].label).toBe('init=xavier-uniform');
  });

  const errors: [SweepSpec, string, string][] = [
    [{ kind: 'depth', depths: [] }, 'sweep.depths', 'is empty'],
    [{ kind: 'depth', depths: depthRange(1, MAX_SWEEP_ROWS + 1) }, 'sweep.depths', 'at most 256 rows'],
    [{ kind: 'depth', depths: [1, 4, 2, 4] }, 'sweep.depths', '4 appears twice (at [1] and [3])'],
    [{ kind: 'depth', depths: [1, 2, 1001] }, 'sweep.depths[2]', 'from 1 to 1000'],
    [{ kind: 'gain', gains: [1, -1] }, 'sweep.gains[1]', 'got -1'],
    [{ kind: 'init', inits: ['he-normal', 'kaiming' as never] }, 'sweep.inits[1]', 'lecun-normal'],
    [{ kind: 'width' as never, depths: [1] } as never, 'sweep.kind', 'depth, gain, init'],
  ];
  for (const [spec, field, text] of errors) {
    it(`rejects ${JSON.stringify(spec).slice(0, 60)} with ${field}`, () => {
      const err = thrown(() => makeSweepGrid(cfg(), spec));
      expect(err.field).toBe(field);
      expect(err.message).toContain(text);
    });
  }

  it('accepts exactly MAX_SWEEP_ROWS rows', () => {
    expect(makeSweepGrid(cfg(), { kind: 'depth', depths: depthRange(1, MAX_SWEEP_ROWS) }).length).toBe(256);
  });

  it('depthRange', () => {
    expect(depthRange(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(depthRange(2, 9, 3)).toEqual([2, 5, 8]);
    expect(thrown(() => depthRange(5, 1)).field).toBe('end');
    expect(thrown(() => depthRange(0, 4)).field).toBe('start');
    expect(thrown(() => depthRange(1, 4, 0.5)).field).toBe('step');
  });
});

describe('parseNumberList / formatNumberList', () => {
  it('parses lists, ranges, steps and geometric ranges', () => {
    expect(parseNumberList('1, 2, 4..8')).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(parseNumberList('1..64*2')).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(parseNumberList('3..100*3')).toEqual([3, 9, 27, 81]);
    expect(parseNumberList('0.5..1.5:0.25')).toEqual([0.5, 0.75, 1, 1.25, 1.5]);
    expect(parseNumberList('0.1..0.3:0.1')).toEqual([0.1, 0.2, 0.3]);
    expect(parseNumberList('10..20:5, 1e-3')).toEqual([10, 15, 20, 0.001]);
    expect(parseNumberList(' 7 ')).toEqual([7]);
  });

  const bad: [string, object, string][] = [
    ['', {}, 'is empty'],
    ['1,,2', {}, 'item 2 is empty'],
    ['1, 2,', {}, 'item 3 is empty'],
    ['1, abc', {}, "item 2 ('abc'): 'abc' is not a finite number"],
    ['0x10', {}, 'not a finite number'],
    ['1e999', {}, 'not a finite number'],
    ['4..x', {}, "'x' is not a finite number"],
    ['64..4', {}, 'runs backwards; write 4..64'],
    ['1..10:0', {}, 'step after : must be > 0'],
    ['1..10*1', {}, 'factor after * must be > 1'],
    ['0..10*2', {}, 'must start above 0'],
    ['1, 2.5', { integer: true }, '2.5 is not a whole number'],
    ['1..10', { max: 8 }, '9 is outside'],
    ['1..100000', {}, 'gives 100000 values; at most 256'],
    ['1..200, 1..100', {}, 'at most 256'],
  ];
  for (const [text, opts, msg] of bad) {
    it(`rejects '${text}'`, () => {
      const err = thrown(() => parseNumberList(text, { field: 'sweep.depths', ...opts }));
      expect(err.field).toBe('sweep.depths');
      expect(err.message).toContain(msg);
    });
  }

  it('formats runs compactly and reads back exactly', () => {
    expect(formatNumberList(depthRange(1, 128))).toBe('1..128');
    expect(formatNumberList([2, 4, 6])).toBe('2..6:2');
    expect(formatNumberList([1, 2, 4, 8])).toBe('1,2,4,8');
    expect(formatNumberList([5, 1, 2, 3, 10])).toBe('5,1..3,10');
    expect(formatNumberList([0.5, 0.75, 1])).toBe('0.5,0.75,1');
    expect(formatNumberList([3, 2, 1])).toBe('3,2,1');
    for (const v of [
      [1, 2, 4, 8],
      [5, 1, 2, 3, 10],
      [0.1, 1 / 3, 2, 3, 4, 1e-6],
      [9, 7, 5, 1, 2, 3, 4, 6],
    ]) {
      expect(parseNumberList(formatNumberList(v))).toEqual(v);
    }
  });

  it('parseInitList and parseSweepSpec', () => {
    expect(parseInitList('he-normal, xavier-normal')).toEqual(['he-normal', 'xavier-normal']);
    expect(thrown(() => parseInitList('he-normal, kaiming')).message).toContain("item 2 ('kaiming')");
    expect(parseSweepSpec('depth', '1..4')).toEqual({ kind: 'depth', depths: [1, 2, 3, 4] });
    expect(thrown(() => parseSweepSpec('depth', '1.5')).field).toBe('sweep.depths');
    expect(thrown(() => parseSweepSpec('depth', '999..1001')).message).toContain('1001 is outside 1..1000');
    expect(thrown(() => parseSweepSpec('gain', '0, 1')).message).toContain('0 is outside 0.000001..1000000');
    expect(parseSweepSpec('init', 'identity')).toEqual({ kind: 'init', inits: ['identity'] });
  });
});

describe('presets', () => {
  it('each preset is a valid config with a valid sweep and a one-sentence explanation', () => {
    expect(PRESETS.length).toBe(6);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(6);
    for (const p of PRESETS) {
      expect(validateDeepNetConfig(p.config)).toEqual(p.config);
      const rows = makeSweepGrid(p.config, p.sweep);
      expect(rows.length).toBeLessThanOrEqual(MAX_SWEEP_ROWS);
      expect(p.explanation.trim().endsWith('.')).toBe(true);
      // exactly one sentence end: a period followed by a space or the end of the text
      expect(p.explanation.match(/[.!?](\s|$)/g)?.length, p.id).toBe(1);
      expect(findPreset(p.id)).toBe(p);
    }
  });

  it('the lecture presets are the lecture nets, swept far enough to show f32 failing', () => {
    const up = findPreset('lecture-1.5I')!;
    expect(up.config).toMatchObject({ init: 'identity', gain: 1.5, width: 2, batch: 1, input: 'ones', activation: 'linear' });
    expect(up.sweep).toEqual({ kind: 'depth', depths: depthRange(1, 240) });
    const down = findPreset('lecture-0.5I')!;
    expect(down.config).toMatchObject({ init: 'identity', gain: 0.5, width: 2, batch: 1, input: 'ones' });
    expect(down.sweep).toEqual({ kind: 'depth', depths: depthRange(1, 160) });
    for (const id of ['he-relu', 'xavier-relu', 'normal-tanh', 'xavier-tanh']) {
      expect(findPreset(id)!.config).toMatchObject({ width: 256, batch: 128, input: 'normal' });
    }
  });
});
