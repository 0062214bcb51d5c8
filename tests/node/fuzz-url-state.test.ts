import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeState, encodeState, MAX_PARAM_LENGTH, type ExperimentState } from '../../src/labs/depth/url-state';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { makeSweepGrid } from '../../src/labs/depth/sweep-grid';
import { VIEWS } from '../../src/labs/depth/form';
import { decodeNormalizeState, encodeNormalizeState } from '../../src/labs/normalize/url-state';
import { DeviceLossInjector, parseDebugOptions } from '../../src/gpu/debug';

// Property-based fuzz of every URL-state decoder (fast-check, thousands of cases): hostile links — huge
// numbers, NaN, negatives, unknown and repeated keys, 100 kB strings — never throw, and what they decode
// to is always a valid state (it encodes without error and reads back unchanged, with no problems).

const PARAMS = ['v', 'depth', 'width', 'batch', 'act', 'init', 'gain', 'seed', 'input', 'sweep', 'values', 'view'];
const NORMALIZE = ['v', 'm', 'ranges', 'noise', 'test', 'shift', 'seed', 'lrscale', 'lr', 'steps', 'tol', 'plots'];

/** Values a hostile or broken link may hold. */
const hostileValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt().map(String),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '-1',
    '0',
    '-0',
    '1e309',
    '1e-400',
    '9007199254740993',
    '0x10',
    '1_000',
    ' 1',
    '1 ',
    '',
    '..',
    '1..',
    '..5',
    '1..1e9',
    '1..1000*1.0000001',
    '1..2:0',
    '1..2*1',
    '5..1',
    ',,,',
    '1,,2',
    'identity,identity',
    'he-normal,bogus',
    'linear',
    'relu',
    'tanh',
    'depth',
    'gain',
    'init',
    'act',
    'grad-w',
    '__proto__',
    'constructor',
    '%00',
    '%E0%A4%A',
    '\u0000',
    '\uFFFF',
    '🙂',
    '<script>alert(1)</script>',
    'rel',
    'abs',
    'none',
    'scatter,contours',
  ),
  fc.nat({ max: 3 }).map((k) => ['1..', '.', '..', '1,'][k].repeat(25_000)), // ~100 kB, regex-hostile
  fc.constant('9'.repeat(100_000)),
);
const key = (known: string[]) => fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 12 }), fc.constant('x'.repeat(100_000)));
const query = (known: string[]) =>
  fc.array(fc.tuple(key(known), hostileValue), { maxLength: 14 }).map((pairs) => {
    const p = new URLSearchParams();
    for (const [k, v] of pairs) p.append(k, v);
    return p.toString();
  });
// Raw strings too (not built by URLSearchParams): stray %, &, =, ? and unicode.
const rawQuery = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.constantFrom('&', '=', '%', '?', '#', 'depth', 'values', '1..', '%ZZ', '+', ';'), { maxLength: 40 }).map((a) => a.join('')),
);

function checkDepthState(state: ExperimentState): void {
  // Valid: the validators accept it, and it survives a round trip through the URL unchanged.
  expect(validateDeepNetConfig(state.config)).toEqual(state.config);
  expect(makeSweepGrid(state.config, state.sweep).length).toBeGreaterThan(0);
  const again = decodeState(encodeState(state), { views: VIEWS });
  expect(again.problems).toEqual([]);
  expect(again.state).toEqual(state);
}

describe('fuzz: the Depth lab URL state (decodeState)', () => {
  it('never throws on hostile queries; decodes to a valid state; problems stay short', () => {
    fc.assert(
      fc.property(fc.oneof(query(PARAMS), rawQuery), (q) => {
        const { state, problems } = decodeState(q, { views: VIEWS });
        checkDepthState(state);
        // A notice never repeats a 100 kB value back at the user.
        for (const p of problems) expect(p.param.length + p.message.length).toBeLessThan(MAX_PARAM_LENGTH + 2000);
        expect(problems.length).toBeLessThanOrEqual(PARAMS.length + 11);
      }),
      { numRuns: 2000 },
    );
  });

  it('hostile values in a known parameter fall back for that field only, with a notice naming it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('depth', 'width', 'batch', 'gain', 'seed'),
        fc.oneof(fc.constantFrom('NaN', '-1', '1e309', '1.5', '1e400', '-0.0001', 'abc', '0x10'), fc.constant('9'.repeat(100_000))),
        (param, value) => {
          const good = 'v=1&depth=7&width=3&batch=2&act=tanh&init=he-normal&gain=0.5&seed=9&input=normal&sweep=gain&values=0.5,1';
          const { state, problems } = decodeState(good.replace(new RegExp(`${param}=[^&]*`), `${param}=${encodeURIComponent(value)}`));
          const fields = problems.map((p) => p.param);
          if (!(param === 'gain' && value === '1.5')) expect(fields).toContain(param);
          checkDepthState(state);
          expect(state.config.activation).toBe('tanh'); // other fields kept
          expect(state.sweep).toEqual({ kind: 'gain', gains: [0.5, 1] });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('round-trips every valid state it encodes', () => {
    const config = fc.record({
      depth: fc.integer({ min: 1, max: 1000 }),
      width: fc.integer({ min: 1, max: 1024 }),
      batch: fc.integer({ min: 1, max: 4096 }),
      activation: fc.constantFrom('linear', 'relu', 'tanh', 'sigmoid'),
      init: fc.constantFrom('identity', 'normal', 'xavier-normal', 'xavier-uniform', 'he-normal', 'lecun-normal'),
      gain: fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      input: fc.constantFrom('ones', 'normal'),
    });
    const sweep = fc.oneof(
      fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 40 }).map((depths) => ({ kind: 'depth' as const, depths })),
      fc.uniqueArray(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }).map((gains) => ({ kind: 'gain' as const, gains })),
      fc.uniqueArray(fc.constantFrom('identity', 'normal', 'xavier-normal', 'he-normal'), { minLength: 1 }).map((inits) => ({ kind: 'init' as const, inits })),
    );
    fc.assert(
      fc.property(config, sweep, fc.constantFrom(...VIEWS), (c, s, view) => {
        const state = { config: c, sweep: s, view } as ExperimentState;
        const { state: back, problems } = decodeState(encodeState(state), { views: VIEWS });
        expect(problems).toEqual([]);
        expect(back).toEqual(state);
      }),
      { numRuns: 1000 },
    );
  });

  it('a 100 kB value is reported by its length and not read; 10,000 unknown keys are counted, not listed', () => {
    const { problems } = decodeState(`depth=5&values=${'1..'.repeat(34_000)}`);
    expect(problems).toEqual([{ param: 'values', message: expect.stringMatching(/^is 102,000 characters long; at most 2,000 are read/) }]);
    const many = Array.from({ length: 10_000 }, (_, i) => `k${i}=1`).join('&');
    const r = decodeState(many);
    expect(r.problems).toHaveLength(11);
    expect(r.problems[10].message).toMatch(/and 9,990 more unknown parameters/);
  });
});

describe('fuzz: the Normalization lab URL state (decodeNormalizeState)', () => {
  it('never throws on hostile queries; decodes to a valid state that round-trips', () => {
    fc.assert(
      fc.property(fc.oneof(query(NORMALIZE), rawQuery), (q) => {
        const { state, problems } = decodeNormalizeState(q);
        expect(Array.isArray(problems)).toBe(true);
        const again = decodeNormalizeState(encodeNormalizeState(state));
        expect(again.problems).toEqual([]);
        // -0 is written as "0" (String(-0)); equal up to the sign of zero (JSON drops it).
        expect(JSON.parse(JSON.stringify(again.state))).toEqual(JSON.parse(JSON.stringify(state)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fuzz: the ?debug= flags', () => {
  it('never throws; values are in range or null', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          query(['debug']),
          rawQuery,
          hostileValue.map((v) => `debug=${encodeURIComponent(v)}`),
        ),
        (q) => {
          const f = parseDebugOptions(q);
          if (f.loseDeviceAfterRow !== null)
            expect(Number.isInteger(f.loseDeviceAfterRow) && f.loseDeviceAfterRow >= 0 && f.loseDeviceAfterRow <= 100_000).toBe(true);
          expect(Number.isInteger(f.loseDeviceTimes) && f.loseDeviceTimes >= 1 && f.loseDeviceTimes <= 100).toBe(true);
          expect(typeof f.noWebGpu).toBe('boolean');
        },
      ),
      { numRuns: 2000 },
    );
    expect(parseDebugOptions('?debug=lose-device-after-row=3')).toMatchObject({ loseDeviceAfterRow: 3, loseDeviceTimes: 1, noWebGpu: false, problems: [] });
    expect(parseDebugOptions('debug=lose-device-after-row:0,lose-device-times=5,no-webgpu')).toMatchObject({
      loseDeviceAfterRow: 0,
      loseDeviceTimes: 5,
      noWebGpu: true,
    });
    expect(parseDebugOptions('debug=lose-device-after-row=-1,bogus').problems).toHaveLength(2);
  });
});

describe('DeviceLossInjector', () => {
  it('fires after N rows on a device, once per device, K times in all', () => {
    const inj = new DeviceLossInjector({ loseDeviceAfterRow: 2, loseDeviceTimes: 2 });
    inj.deviceChanged();
    expect(inj.atStart()).toBe(false);
    expect([inj.rowFinished(), inj.rowFinished(), inj.rowFinished(), inj.rowFinished()]).toEqual([false, true, false, false]);
    inj.deviceChanged();
    expect([inj.rowFinished(), inj.rowFinished(), inj.rowFinished()]).toEqual([false, true, false]);
    inj.deviceChanged();
    expect([inj.rowFinished(), inj.rowFinished(), inj.rowFinished()]).toEqual([false, false, false]);
    expect(inj.active).toBe(false);
    const atStart = new DeviceLossInjector({ loseDeviceAfterRow: 0, loseDeviceTimes: 1 });
    expect(atStart.atStart()).toBe(true);
    atStart.deviceChanged();
    expect(atStart.atStart()).toBe(false);
    expect(new DeviceLossInjector({ loseDeviceAfterRow: null, loseDeviceTimes: 5 }).rowFinished()).toBe(false);
  });
});
