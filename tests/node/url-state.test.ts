import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { makeRng, type Rng } from '../../src/kernels/cpu/random';
import { ACTIVATIONS } from '../../src/kernels/activations';
import { DEFAULT_CONFIG, INIT_SCHEMES, INPUT_KINDS, type DeepNetConfig } from '../../src/labs/depth/config';
import { DEFAULT_SWEEP, depthRange, type SweepSpec } from '../../src/labs/depth/sweep-grid';
import { decodeState, encodeState, type ExperimentState } from '../../src/labs/depth/url-state';
import { PRESETS } from '../../src/labs/depth/presets';

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, 0, xs.length - 1)];

function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = int(rng, 0, i);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

function randomConfig(rng: Rng): DeepNetConfig {
  return {
    depth: int(rng, 1, 1000),
    width: int(rng, 1, 1024),
    batch: int(rng, 1, 4096),
    activation: pick(rng, ACTIVATIONS),
    init: pick(rng, INIT_SCHEMES),
    // full-precision doubles across the whole allowed range, plus some round numbers
    gain: rng.uniform() < 0.2 ? pick(rng, [0.5, 1, 1.5, 2, 1e6, 1e-6]) : Math.exp(Math.log(1e-6) + rng.uniform() * Math.log(1e12)),
    seed: Math.floor(rng.uniform() * 2 ** 32),
    input: pick(rng, INPUT_KINDS),
  };
}

function randomSweep(rng: Rng): SweepSpec {
  const kind = pick(rng, ['depth', 'gain', 'init'] as const);
  if (kind === 'init') return { kind, inits: shuffle(rng, [...INIT_SCHEMES]).slice(0, int(rng, 1, 6)) };
  const count = int(rng, 1, 256);
  if (kind === 'depth') {
    // mixes runs (1..k, even steps) and scattered values, in random order
    const pool = rng.uniform() < 0.5 ? depthRange(int(rng, 1, 500), 1000, int(rng, 1, 3)) : shuffle(rng, depthRange(1, 1000));
    return { kind, depths: pool.slice(0, count) };
  }
  const gains = new Set<number>();
  while (gains.size < Math.min(count, 40)) {
    gains.add(rng.uniform() < 0.3 ? int(rng, 1, 50) : Math.exp(Math.log(1e-6) + rng.uniform() * Math.log(1e12)));
  }
  return { kind, gains: [...gains] };
}

function randomState(rng: Rng): ExperimentState {
  const state: ExperimentState = { config: randomConfig(rng), sweep: randomSweep(rng) };
  if (rng.uniform() < 0.5) state.view = pick(rng, ['chart', 'heatmap', 'table-2']);
  return state;
}

describe('url state round trip', () => {
  it('the default state', () => {
    const state: ExperimentState = { config: { ...DEFAULT_CONFIG }, sweep: DEFAULT_SWEEP };
    const text = encodeState(state);
    expect(text).toBe('v=1&depth=128&width=256&batch=128&act=linear&init=identity&gain=1.5&seed=1&input=ones&sweep=depth&values=1..128');
    expect(decodeState(text)).toEqual({ state: { config: DEFAULT_CONFIG, sweep: { kind: 'depth', depths: depthRange(1, 128) } }, problems: [] });
    expect(decodeState('')).toEqual({ state: { config: DEFAULT_CONFIG, sweep: { kind: 'depth', depths: depthRange(1, 128) } }, problems: [] });
  });

  it('every preset', () => {
    for (const p of PRESETS) {
      const state = { config: p.config, sweep: p.sweep, view: 'chart' };
      expect(decodeState(encodeState(state))).toEqual({ state, problems: [] });
    }
  });

  it('300 random valid states (seeded) survive encode → decode exactly', () => {
    const rng = makeRng(20240601);
    const kinds = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const state = randomState(rng);
      kinds.add(state.sweep.kind);
      const text = encodeState(state);
      const { state: back, problems } = decodeState(text);
      expect(problems, text).toEqual([]);
      expect(back, text).toEqual(state);
      expect(encodeState(back)).toBe(text);
      // also through a full URL and a URLSearchParams
      expect(decodeState(`?${text}`).state).toEqual(state);
      expect(decodeState(new URL(`https://example.test/lab?${text}`).searchParams).state).toEqual(state);
    }
    expect(kinds.size).toBe(3);
  });

  it('keeps links readable: commas and colons unescaped', () => {
    const text = encodeState({ config: DEFAULT_CONFIG, sweep: { kind: 'depth', depths: [1, 3, 5, 7, 100, 200] } });
    expect(text).toContain('values=1..7:2,100,200');
    expect(encodeState({ config: DEFAULT_CONFIG, sweep: { kind: 'init', inits: ['he-normal', 'normal'] } })).toContain('sweep=init&values=he-normal,normal');
  });

  it('encode refuses an invalid state', () => {
    expect(() => encodeState({ config: { ...DEFAULT_CONFIG, depth: 0 }, sweep: DEFAULT_SWEEP })).toThrow(InputError);
    expect(() => encodeState({ config: DEFAULT_CONFIG, sweep: { kind: 'depth', depths: [] } })).toThrow(/sweep.depths/);
    expect(() => encodeState({ config: DEFAULT_CONFIG, sweep: DEFAULT_SWEEP, view: 'Not OK' })).toThrow(/view/);
  });
});

describe('url state problems', () => {
  const base: ExperimentState = {
    config: { depth: 40, width: 32, batch: 8, activation: 'relu', init: 'he-normal', gain: 1.25, seed: 77, input: 'normal' },
    sweep: { kind: 'gain', gains: [0.5, 1, 2] },
    view: 'chart',
  };
  const baseText = encodeState(base);
  const withParam = (param: string, value: string) => {
    const p = new URLSearchParams(baseText);
    p.set(param, value);
    return p.toString();
  };

  const badConfig: [string, keyof DeepNetConfig, string, string][] = [
    ['depth', 'depth', 'abc', 'from 1 to 1000, got "abc"'],
    ['depth', 'depth', '12.5', 'from 1 to 1000, got 12.5'],
    ['depth', 'depth', '', 'got ""'],
    ['width', 'width', '2048', 'from 1 to 1024, got 2048'],
    ['batch', 'batch', '0x10', 'got "0x10"'],
    ['gain', 'gain', '-1', 'got -1'],
    ['gain', 'gain', 'Infinity', 'got "Infinity"'],
    ['seed', 'seed', '4294967296', 'from 0 to 4294967295'],
    ['act', 'activation', 'gelu', 'one of linear, relu, tanh, sigmoid'],
    ['init', 'init', 'kaiming', 'xavier-uniform'],
    ['input', 'input', 'zeros', 'one of ones, normal'],
  ];
  for (const [param, field, value, text] of badConfig) {
    it(`${param}=${value}: a problem naming it; that field falls back, the rest survive`, () => {
      const { state, problems } = decodeState(withParam(param, value));
      expect(problems).toEqual([{ param, message: expect.stringContaining(text) }]);
      expect(problems[0].message).toContain(`using the default ${String(DEFAULT_CONFIG[field])}`);
      expect(state).toEqual({ ...base, config: { ...base.config, [field]: DEFAULT_CONFIG[field] } });
    });
  }

  it('several bad fields at once: each reported, each falls back alone', () => {
    const p = new URLSearchParams(baseText);
    p.set('depth', '0');
    p.set('act', 'swish');
    p.set('seed', '-3');
    const { state, problems } = decodeState(p);
    expect(problems.map((x) => x.param)).toEqual(['depth', 'act', 'seed']);
    expect(state.config).toEqual({ ...base.config, depth: 128, activation: 'linear', seed: 1 });
    expect(state.sweep).toEqual(base.sweep);
    expect(state.view).toBe('chart');
  });

  it('unknown and repeated parameters', () => {
    const { state, problems } = decodeState(`${baseText}&colour=red&depth=999`);
    expect(problems).toEqual([
      { param: 'depth', message: 'is given 2 times; using the first' },
      { param: 'colour', message: expect.stringContaining('is not a known parameter (ignored); known: v, depth, width') },
    ]);
    expect(state).toEqual(base);
  });

  it('lists at most 10 of 20,000 unknown parameters, then "…and 19,990 more"', () => {
    const { state, problems } = decodeState(baseText + Array.from({ length: 20_000 }, (_, i) => `&junk${i}=1`).join(''));
    expect(problems).toHaveLength(11);
    expect(problems.slice(0, 10).map((p) => p.param)).toEqual(Array.from({ length: 10 }, (_, i) => `junk${i}`));
    expect(problems[10]).toEqual({ param: '…', message: 'and 19,990 more unknown parameters (ignored)' });
    expect(state).toEqual(base);
  });

  it('an unknown version is reported but still read', () => {
    const { state, problems } = decodeState(withParam('v', '2'));
    expect(problems).toEqual([{ param: 'v', message: expect.stringContaining('version "2" is unknown') }]);
    expect(state).toEqual(base);
  });

  it('bad sweeps fall back to the default sweep of that kind, keeping the config', () => {
    const gainDefault: SweepSpec = { kind: 'gain', gains: [0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2] };
    // [param to set, value, param the problem names, text in the message, resulting sweep]
    const cases: [string, string, string, string, SweepSpec][] = [
      ['sweep', 'width', 'sweep', 'must be one of depth, gain, init', DEFAULT_SWEEP],
      ['values', '0.5,abc', 'values', "'abc' is not a finite number", gainDefault],
      ['values', '1,1', 'values', '1 appears twice', gainDefault],
      ['values', '0..2:0.5', 'values', '0 is outside', gainDefault],
      ['values', '1..2:0.001', 'values', 'at most 256', gainDefault],
    ];
    for (const [param, value, problemParam, text, sweep] of cases) {
      const { state, problems } = decodeState(withParam(param, value));
      expect(problems, `${param}=${value}`).toEqual([{ param: problemParam, message: expect.stringContaining(text) }]);
      expect(state.config).toEqual(base.config);
      expect(state.sweep, `${param}=${value}`).toEqual(sweep);
      expect(state.view).toBe('chart');
    }
  });

  it('depth sweep values outside 1..1000 or not whole', () => {
    const p = new URLSearchParams(baseText);
    p.set('sweep', 'depth');
    p.set('values', '1..2000*2');
    expect(decodeState(p).problems).toEqual([{ param: 'values', message: expect.stringContaining('1024 is outside 1..1000') }]);
    p.set('values', '1,2.5');
    expect(decodeState(p).problems).toEqual([{ param: 'values', message: expect.stringContaining('2.5 is not a whole number') }]);
    p.set('values', '1..16*2');
    expect(decodeState(p)).toMatchObject({ problems: [], state: { sweep: { kind: 'depth', depths: [1, 2, 4, 8, 16] } } });
  });

  it('a sweep kind without values uses that kind’s default, and says so', () => {
    const p = new URLSearchParams(baseText);
    p.delete('values');
    p.set('sweep', 'init');
    const { state, problems } = decodeState(p);
    expect(problems).toEqual([{ param: 'values', message: expect.stringContaining('is missing; using the default init sweep') }]);
    expect(state.sweep).toEqual({ kind: 'init', inits: [...INIT_SCHEMES] });
  });

  it('views: a bad name, and an optional list of known views', () => {
    const bad = decodeState(withParam('view', 'Big View!'));
    expect(bad.problems).toEqual([{ param: 'view', message: expect.stringContaining('lowercase letters') }]);
    expect(bad.state.view).toBeUndefined();
    expect(bad.state.config).toEqual(base.config);
    const unknown = decodeState(baseText, { views: ['heatmap', 'table'] });
    expect(unknown.problems).toEqual([{ param: 'view', message: expect.stringContaining('one of heatmap, table') }]);
    expect(decodeState(baseText, { views: ['chart'] }).problems).toEqual([]);
  });

  it('colour scale: absent means lesson (old links decode unchanged), auto round-trips, a bad value is named', () => {
    const old = decodeState(baseText);
    expect(old.problems).toEqual([]);
    expect(old.state.scale).toBeUndefined();
    expect(encodeState({ ...old.state, scale: 'lesson' })).toBe(encodeState(old.state)); // the default is not written
    const auto = encodeState({ ...base, scale: 'auto' });
    expect(auto).toContain('scale=auto');
    expect(decodeState(auto).state).toEqual({ ...base, scale: 'auto' });
    const bad = decodeState(withParam('scale', 'rainbow'));
    expect(bad.problems).toEqual([{ param: 'scale', message: expect.stringContaining('must be one of lesson, auto') }]);
    expect(bad.state.scale).toBeUndefined();
    expect(bad.state.config).toEqual(base.config);
    expect(() => encodeState({ ...base, scale: 'rainbow' })).toThrow(InputError);
  });

  it('never throws on garbage, and always returns a valid state', () => {
    const rng = makeRng(99);
    const alphabet = 'az09=&?%.,:*-+_ ~#éX';
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: int(rng, 0, 60) }, () => alphabet[int(rng, 0, alphabet.length - 1)]).join('');
      const { state } = decodeState(text);
      expect(() => encodeState(state), text).not.toThrow();
    }
  });
});
