import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { deepNetRef, type DeepNetRefResult } from '../../src/labs/depth/cpu/deep-net-ref';
import { DEFAULT_CONFIG, type DeepNetConfig } from '../../src/labs/depth/config';
import { makeInput } from '../../src/labs/depth/init';
import {
  F32_MAX,
  F32_MIN_NORMAL,
  f32Limits,
  predict,
  predictedLimitLayer,
  predictionTolerance,
  verdict,
  type F32Limits,
} from '../../src/labs/depth/predictions';
import { findPreset } from '../../src/labs/depth/presets';

const cfg = (over: Partial<DeepNetConfig>): DeepNetConfig => ({ ...DEFAULT_CONFIG, ...over });

function relClose(actual: number, expected: number, rtol: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(rtol * Math.abs(expected));
}

describe('predict: identity init (exact)', () => {
  const cases: Partial<DeepNetConfig>[] = [
    { activation: 'linear', input: 'ones', gain: 1.5, width: 3, batch: 2, depth: 40 },
    { activation: 'linear', input: 'normal', gain: 0.8, width: 4, batch: 3, depth: 60 },
    { activation: 'linear', input: 'normal', gain: 1.1, width: 2, batch: 5, depth: 100 },
    { activation: 'relu', input: 'ones', gain: 1.5, width: 3, batch: 2, depth: 40 },
    { activation: 'relu', input: 'normal', gain: 0.7, width: 5, batch: 4, depth: 50, seed: 3 },
  ];
  for (const c of cases) {
    it(`matches the float64 reference: ${c.activation}, ${c.input} input, s = ${c.gain}`, () => {
      const config = cfg({ ...c, init: 'identity' });
      const p = predict(config);
      const r = deepNetRef(config);
      expect(p.exact).toBe(true);
      expect(p.factor).toBe(Math.fround(c.gain!));
      for (let l = 1; l <= config.depth; l++) {
        relClose(p.actNorm![l - 1], r.layers.actNorm[l - 1], 1e-12, `actNorm[${l}]`);
        relClose(10 ** p.log10ActNorm![l - 1], r.layers.actNorm[l - 1], 1e-10, `log10ActNorm[${l}]`);
      }
      expect(verdict(r.layers.actNorm, p.actNorm!, { tolerance: p.tolerance! }).verdict).toBe('agree');
      expect(p.note).toContain('Exact');
    });
  }

  it('ones input: actNorm[l] = s^l·√n, and actNorm0 = ‖X‖/√m', () => {
    const p = predict(cfg({ init: 'identity', activation: 'relu', input: 'ones', gain: 1.5, width: 9, batch: 4, depth: 5 }));
    expect(Array.from(p.actNorm!)).toEqual([1, 2, 3, 4, 5].map((l) => 3 * 1.5 ** l));
    expect(p.actNorm0).toBe(3);
    const c = cfg({ input: 'normal', width: 6, batch: 3, seed: 8 });
    const x = makeInput(c);
    relClose(predict(c).actNorm0, Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0) / 3), 1e-12, 'actNorm0');
  });

  it('tanh and sigmoid have no closed form', () => {
    for (const activation of ['tanh', 'sigmoid'] as const) {
      for (const init of ['identity', 'he-normal'] as const) {
        const p = predict(cfg({ activation, init, width: 4, batch: 2, depth: 3 }));
        expect(p.actNorm).toBeNull();
        expect(p.log10ActNorm).toBeNull();
        expect(p.factor).toBeNull();
        expect(p.tolerance).toBeNull();
        expect(p.note).toContain('No closed form');
      }
    }
  });
});

describe('predict: random init (mean field)', () => {
  it('per-layer factor √(n·Var·gain²·k) and its log-slope', () => {
    const n = 64;
    const f = (over: Partial<DeepNetConfig>) => predict(cfg({ width: n, batch: 2, depth: 4, gain: 1, ...over }));
    expect(f({ init: 'he-normal', activation: 'relu' }).factor).toBeCloseTo(1, 14);
    expect(f({ init: 'xavier-normal', activation: 'relu' }).factor).toBeCloseTo(Math.SQRT1_2, 14);
    expect(f({ init: 'xavier-uniform', activation: 'linear' }).factor).toBeCloseTo(1, 14);
    expect(f({ init: 'lecun-normal', activation: 'linear', gain: 2 }).factor).toBeCloseTo(2, 14);
    expect(f({ init: 'normal', activation: 'linear' }).factor).toBeCloseTo(8, 14);
    expect(f({ init: 'normal', activation: 'relu', gain: 0.5 }).factor).toBeCloseTo(Math.sqrt(64 * 0.25 * 0.5), 14);
    const p = f({ init: 'normal', activation: 'linear' });
    expect(p.log10Slope).toBeCloseTo(Math.log10(8), 14);
    expect(p.exact).toBe(false);
    for (let l = 1; l <= 4; l++) relClose(p.actNorm![l - 1], p.actNorm0 * 8 ** l, 1e-12, `actNorm[${l}]`);
  });

  it('log10ActNorm stays finite where float64 overflows', () => {
    const p = predict(cfg({ init: 'normal', activation: 'linear', gain: 1, width: 1024, batch: 1, depth: 1000 }));
    expect(p.actNorm![999]).toBe(Infinity); // 32^1000 ≈ 1e1505
    relClose(p.log10ActNorm![999], Math.log10(p.actNorm0) + 1000 * Math.log10(32), 1e-12, 'log10');
  });

  const agreeing: Partial<DeepNetConfig>[] = [
    { init: 'he-normal', activation: 'relu' },
    { init: 'xavier-normal', activation: 'relu' },
    { init: 'xavier-uniform', activation: 'linear' },
    { init: 'lecun-normal', activation: 'linear', gain: 1.3 },
    { init: 'normal', activation: 'linear', gain: 0.1 },
  ];
  for (const c of agreeing) {
    it(`measurements agree with it: ${c.init} + ${c.activation}, n = 64, m = 16, L = 48, 4 seeds`, () => {
      for (const seed of [1, 2, 3, 4]) {
        const config = cfg({ ...c, width: 64, batch: 16, depth: 48, input: 'normal', seed });
        const p = predict(config);
        const v = verdict(deepNetRef(config).layers.actNorm, p.actNorm!, { tolerance: p.tolerance! });
        expect(v, `seed ${seed}`).toMatchObject({ verdict: 'agree', compared: 48 });
      }
    });
  }

  it('a wrong theory is caught: Xavier + ReLU against the linear (k = 1) forecast, He against Xavier', () => {
    const config = cfg({ init: 'xavier-normal', activation: 'relu', width: 64, batch: 16, depth: 48, input: 'normal' });
    const measured = deepNetRef(config).layers.actNorm;
    const wrongK = predict({ ...config, activation: 'linear' });
    const v = verdict(measured, wrongK.actNorm!, { tolerance: predict(config).tolerance! });
    expect(v.verdict).toBe('disagree');
    expect(v.worstLog10Ratio).toBeLessThan(-2); // measured ≪ predicted: ReLU halves the energy each layer
    const he = predict({ ...config, init: 'he-normal' });
    expect(verdict(measured, he.actNorm!, { tolerance: he.tolerance! }).verdict).toBe('disagree');
  });

  it('an identity forecast 1% off in s is caught at depth 100', () => {
    const config = cfg({ init: 'identity', activation: 'linear', gain: 1.5, width: 2, batch: 1, depth: 100, input: 'ones' });
    const measured = deepNetRef(config).layers.actNorm;
    const off = predict({ ...config, gain: 1.515 });
    expect(verdict(measured, off.actNorm!, { tolerance: predict(config).tolerance! }).verdict).toBe('disagree');
  });
});

describe('predictionTolerance', () => {
  it('is 0.01 for exact forecasts, and grows with depth/width for random ones', () => {
    expect(Array.from(predictionTolerance(cfg({ depth: 3 }), true))).toEqual([0.01, 0.01, 0.01]);
    const t = predictionTolerance(cfg({ depth: 100, width: 64, activation: 'linear' }), false);
    const l = 50;
    const r = (0.5 * l) / 64;
    relClose(t[l - 1], 0.05 + Math.LOG10E * (r + 4 * Math.sqrt(r)), 1e-14, 'formula');
    for (let i = 1; i < 100; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
    const wide = predictionTolerance(cfg({ depth: 100, width: 1024, activation: 'linear' }), false);
    expect(wide[99]).toBeLessThan(t[99]);
    const relu = predictionTolerance(cfg({ depth: 100, width: 64, activation: 'relu' }), false);
    expect(relu[99]).toBeGreaterThan(t[99]);
  });
});

describe('verdict', () => {
  const tol = { tolerance: 0.1 };
  it('compares in log10 space against the tolerance', () => {
    expect(verdict([10, 100], [11, 110], tol)).toMatchObject({ verdict: 'agree', compared: 2 });
    const v = verdict([10, 100], [10, 200], tol);
    expect(v).toMatchObject({ verdict: 'disagree', worstLayer: 2, compared: 2 });
    expect(v.worstLog10Ratio).toBeCloseTo(-Math.log10(2), 12);
    expect(verdict([10, 100], [10, 200], { tolerance: [0.1, 0.31] }).verdict).toBe('agree');
    expect(verdict([10, 100], [10, 200], { tolerance: [0.1, 0.3] }).verdict).toBe('disagree');
  });

  it('both past the same f32 limit is consistent; one past it is not', () => {
    expect(verdict([Infinity], [1e50], tol)).toMatchObject({ verdict: 'agree', worstLog10Ratio: 0 });
    expect(verdict([0], [1e-50], tol)).toMatchObject({ verdict: 'agree' });
    expect(verdict([Infinity], [10], tol)).toMatchObject({ verdict: 'disagree', worstLog10Ratio: Infinity, worstLayer: 1 });
    expect(verdict([0], [1], tol)).toMatchObject({ verdict: 'disagree', worstLog10Ratio: -Infinity });
    expect(verdict([5], [1e50], tol).worstLog10Ratio).toBeCloseTo(Math.log10(5) - 50, 12); // both numbers: a ratio
    expect(verdict([5], [Infinity], tol)).toMatchObject({ verdict: 'disagree', worstLog10Ratio: -Infinity });
    // just over the classification threshold but numerically close: compared as numbers
    expect(verdict([1.05e38], [0.98e38], tol).verdict).toBe('agree');
  });

  it('names the first layer that agreed only by both being past the same f32 limit', () => {
    // The 0.5·I case: measured flushed to 0 at layer 3, the prediction still a (tiny) number there.
    expect(verdict([1e-30, 1e-38, 0, 0], [1.1e-30, 1e-38, 1e-40, 1e-45], tol)).toMatchObject({ verdict: 'agree', firstLimitLayer: 2 });
    expect(verdict([10, 100], [11, 110], tol).firstLimitLayer).toBeNull();
    expect(verdict([Infinity, Infinity], [1e50, 1e60], tol).firstLimitLayer).toBe(1);
    // A layer where only one side is past the limit is a disagreement, not a limit layer.
    expect(verdict([1, 0], [1, 1], tol)).toMatchObject({ verdict: 'disagree', firstLimitLayer: null });
  });

  it('a NaN measurement disagrees; a NaN prediction is skipped', () => {
    const v = verdict([1, NaN, 1], [1, 1, 1], tol);
    expect(v.verdict).toBe('disagree');
    expect(v.worstLayer).toBe(2);
    expect(verdict([1, 5, 1], [1, NaN, 1], tol)).toMatchObject({ verdict: 'agree', compared: 2 });
  });

  it('nothing to compare is not agreement', () => {
    expect(verdict([], [], tol)).toMatchObject({ verdict: 'disagree', compared: 0, worstLayer: null });
    expect(verdict([1], [NaN], tol)).toMatchObject({ verdict: 'disagree', compared: 0 });
  });

  it('rejects mismatched lengths', () => {
    expect(() => verdict([1, 2], [1], tol)).toThrow(InputError);
    expect(() => verdict([1, 2], [1, 2], { tolerance: [0.1] })).toThrow(/tolerance/);
  });
});

describe('f32 limits', () => {
  it('the facts they rest on', () => {
    expect(1.5 ** 218).toBeLessThan(F32_MAX);
    expect(1.5 ** 219).toBeGreaterThan(F32_MAX);
    expect(Math.fround(2 ** -127)).toBe(2 ** -127);
    expect(2 ** -127).toBeLessThan(F32_MIN_NORMAL);
    expect(Math.fround(2 ** -149)).toBe(2 ** -149);
    expect(Math.fround(2 ** -150)).toBe(0); // a tie, rounded to even
    expect(Math.fround(F32_MAX)).toBe(F32_MAX);
  });

  it('1.5^l overflows at 219; 0.5^l is subnormal at 127 and 0 at 150', () => {
    expect(f32Limits(1, 1.5)).toEqual({ overflow: 219, subnormal: null, zero: null });
    expect(f32Limits(1, 0.5)).toEqual({ overflow: null, subnormal: 127, zero: 150 });
    // √2·2^-150 is past the halfway point, so it rounds up to 2^-149 and reaches 0 one layer later
    expect(f32Limits(Math.SQRT2, 0.5)).toEqual({ overflow: null, subnormal: 127, zero: 151 });
    expect(f32Limits(1, 0.7)).toMatchObject({ overflow: null, zero: null }); // sticks at 2^-149
    expect(f32Limits(1, 0.7).subnormal).toBe(Math.ceil(Math.log(2 ** -126) / Math.log(0.7)));
    expect(f32Limits(1, 1)).toEqual({ overflow: null, subnormal: null, zero: null });
    expect(f32Limits(0, 2)).toEqual({ overflow: null, subnormal: 1, zero: 1 });
    expect(f32Limits(3e38, 2)).toEqual({ overflow: 1, subnormal: null, zero: null });
    expect(f32Limits(1, 1.5, 200)).toEqual({ overflow: null, subnormal: null, zero: null });
  });
});

// Reads the limits off the float64 reference's tensors: an entry's fate in f32 is Math.fround of it.
function limitsFromTensors(r: DeepNetRefResult, L: number): { activation: F32Limits; gradient: F32Limits } {
  const maxAbs = (v: Float64Array) => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const note = (out: F32Limits, l: number, v: number) => {
    const f = Math.fround(v);
    if (out.overflow === null && f === Infinity) out.overflow = l;
    if (out.subnormal === null && f < F32_MIN_NORMAL) out.subnormal = l;
    if (out.zero === null && f === 0) out.zero = l;
  };
  const activation: F32Limits = { overflow: null, subnormal: null, zero: null };
  const gradient: F32Limits = { overflow: null, subnormal: null, zero: null };
  for (let l = 1; l <= L; l++) note(activation, l, maxAbs(r.tensors!.a[l]));
  for (let l = L; l >= 1; l--) note(gradient, l, maxAbs(r.tensors!.dA[l - 1]));
  return { activation, gradient };
}

describe('predictedLimitLayer', () => {
  const cases: Partial<DeepNetConfig>[] = [
    { gain: 1.5, depth: 240, width: 2, batch: 1, input: 'ones', activation: 'linear' },
    { gain: 0.5, depth: 160, width: 2, batch: 1, input: 'ones', activation: 'linear' },
    { gain: 1.5, depth: 110, width: 2, batch: 1, input: 'ones', activation: 'linear' },
    { gain: 1.5, depth: 109, width: 2, batch: 1, input: 'ones', activation: 'linear' },
    { gain: 0.5, depth: 64, width: 2, batch: 1, input: 'ones', activation: 'linear' },
    { gain: 0.7, depth: 300, width: 3, batch: 2, input: 'normal', activation: 'relu', seed: 4 },
    { gain: 1.2, depth: 300, width: 3, batch: 2, input: 'normal', activation: 'relu', seed: 4 },
    { gain: 0.9, depth: 1000, width: 2, batch: 3, input: 'normal', activation: 'linear', seed: 2 },
  ];
  for (const c of cases) {
    it(`agrees with the reference's tensors: ${c.activation}, s = ${c.gain}, L = ${c.depth}`, () => {
      const config = cfg({ ...c, init: 'identity' });
      const forecast = predictedLimitLayer(config)!;
      const seen = limitsFromTensors(deepNetRef(config, { keepTensors: true }), config.depth);
      if (c.gain === 0.5 || c.gain === 1.5) {
        // s^l is exact (0.5) or off by far less than the margins (1.5): one rounding = f32 step by step
        expect(forecast.activation).toEqual(seen.activation);
        expect(forecast.gradient).toEqual(seen.gradient);
      } else {
        // in f32, s·2^-149 rounds back to 2^-149 for s > ½: the value sticks there instead of reaching 0
        expect(Math.fround(Math.fround(c.gain!) * 2 ** -149)).toBe(2 ** -149);
        expect({ ...forecast.activation, zero: 'n/a' }).toEqual({ ...seen.activation, zero: 'n/a' });
        expect({ ...forecast.gradient, zero: 'n/a' }).toEqual({ ...seen.gradient, zero: 'n/a' });
        if (forecast.activation.subnormal !== null) expect(forecast.activation.zero).toBeNull();
      }
    });
  }

  it('the cases above cross every limit somewhere (the comparison is not vacuous)', () => {
    const all = cases.map((c) => predictedLimitLayer(cfg({ ...c, init: 'identity' }))!);
    for (const key of ['overflow', 'subnormal', 'zero'] as const) {
      expect(
        all.some((f) => f.activation[key] !== null),
        `activation ${key}`,
      ).toBe(true);
      expect(
        all.some((f) => f.gradient[key] !== null),
        `gradient ${key}`,
      ).toBe(true);
    }
    // and one gradient crossing falls strictly inside the net
    expect(all.some((f) => f.gradient.overflow !== null && f.gradient.overflow > 1 && f.gradient.overflow < 300)).toBe(true);
  });

  it('the lecture numbers', () => {
    const up = predictedLimitLayer(cfg({ init: 'identity', gain: 1.5, depth: 240, width: 2, batch: 1, input: 'ones', activation: 'linear' }))!;
    expect(up.activation).toEqual({ overflow: 219, subnormal: null, zero: null });
    expect(up.gradient.overflow).toBe(240); // dA[L] = 1.5^240 already overflows
    const down = predictedLimitLayer(cfg({ init: 'identity', gain: 0.5, depth: 160, width: 2, batch: 1, input: 'ones', activation: 'linear' }))!;
    expect(down.activation).toEqual({ overflow: null, subnormal: 127, zero: 150 });
    const g64 = predictedLimitLayer(cfg({ init: 'identity', gain: 0.5, depth: 64, width: 2, batch: 1, input: 'ones' }))!;
    expect(g64.gradient).toEqual({ overflow: null, subnormal: 1, zero: null }); // 0.5^127
    const g63 = predictedLimitLayer(cfg({ init: 'identity', gain: 0.5, depth: 63, width: 2, batch: 1, input: 'ones' }))!;
    expect(g63.gradient.subnormal).toBeNull();
  });

  it('is null where there is no closed form', () => {
    expect(predictedLimitLayer(cfg({ init: 'he-normal', activation: 'relu', width: 4, batch: 2, depth: 3 }))).toBeNull();
    expect(predictedLimitLayer(cfg({ init: 'identity', activation: 'tanh', width: 4, batch: 2, depth: 3 }))).toBeNull();
  });
});

/** How many decades a series spans: log10(max / min). */
const range = (v: Float64Array) => Math.log10(Math.max(...v) / Math.min(...v));

/** Activation norms of a 128-layer net that keep falling: layer 128 below 64, 64 below 16, 16 below 1. */
function expectDecays(a: Float64Array): void {
  for (const [later, earlier] of [
    [127, 63],
    [63, 15],
    [15, 0],
  ])
    expect(a[later]).toBeLessThan(a[earlier]);
}

describe('what the presets say happens, happens', () => {
  it('Lecture: W = 1.5·I', () => {
    const p = findPreset('lecture-1.5I')!;
    const r = deepNetRef(p.config);
    for (let l = 1; l <= 240; l++) relClose(r.layers.actNorm[l - 1], 1.5 ** l * Math.SQRT2, 1e-12, `actNorm[${l}]`);
    expect(predictedLimitLayer(p.config)!.activation.overflow).toBe(219);
    expect(predictedLimitLayer({ ...p.config, depth: 110 })!.gradient.overflow).not.toBeNull();
    expect(predictedLimitLayer({ ...p.config, depth: 109 })!.gradient.overflow).toBeNull();
  });

  it('Lecture: W = 0.5·I', () => {
    const p = findPreset('lecture-0.5I')!;
    expect(predictedLimitLayer(p.config)!.activation).toMatchObject({ subnormal: 127, zero: 150 });
    expect(predictedLimitLayer({ ...p.config, depth: 64 })!.gradient.subnormal).toBe(1);
    expect(predictedLimitLayer({ ...p.config, depth: 63 })!.gradient.subnormal).toBeNull();
    // backprop reaches layer 2 first with 0.5^150 → 0 (and layer 1, 0.5^151, is 0 as well)
    expect(predictedLimitLayer({ ...p.config, depth: 76 })!.gradient.zero).toBe(2);
    expect(predictedLimitLayer({ ...p.config, depth: 75 })!.gradient.zero).toBeNull();
  });

  // The wide presets at batch 16 instead of 128 (8× cheaper); ratios are unaffected, gradient sizes scale as 1/m.
  const wide = (id: string) => {
    const config = { ...findPreset(id)!.config, batch: 16 };
    return { config, r: deepNetRef(config), p: predict(config) };
  };

  it('He + ReLU: activations within a small factor of the input norm, gradients drift ~1 decade', () => {
    const { r, p } = wide('he-relu');
    for (const a of r.layers.actNorm) expect(Math.abs(Math.log10(a / p.actNorm0))).toBeLessThan(Math.log10(4));
    expect(range(r.layers.gradActNorm)).toBeLessThan(2);
    expect(verdict(r.layers.actNorm, p.actNorm!, { tolerance: p.tolerance! }).verdict).toBe('agree');
  });

  it('Xavier + ReLU: activations shrink by 1/√2 per layer; first-layer gradients at ≈1e-38 (at m = 128)', () => {
    const { r, p } = wide('xavier-relu');
    const shrink = r.layers.actNorm[127] / p.actNorm0;
    expect(Math.abs(Math.log10(shrink / 2 ** -64))).toBeLessThan(1);
    expect(verdict(r.layers.actNorm, p.actNorm!, { tolerance: p.tolerance! }).verdict).toBe('agree');
    const g1AtM128 = (r.layers.gradActNorm[0] * 16) / 128;
    expect(g1AtM128).toBeGreaterThan(1e-39);
    expect(g1AtM128).toBeLessThan(1e-37);
  });

  it('N(0,1) + tanh: bounded activations, gradients ≈3× per layer backward, past 1e38 in the early layers', () => {
    const { r } = wide('normal-tanh');
    for (const a of r.layers.actNorm) {
      expect(a).toBeLessThanOrEqual(16); // |tanh| < 1 bounds the norm by √n
      expect(a).toBeGreaterThan(14);
    }
    const growth = (r.layers.gradActNorm[0] / r.layers.gradActNorm[63]) ** (1 / 63);
    expect(growth).toBeGreaterThan(2.5);
    expect(growth).toBeLessThan(3.5);
    expect(r.layers.gradActNorm[0]).toBeGreaterThan(1e38);
    // Backprop (from layer 64 down) first passes 1e38 at some layer b; every gradient below b is computed
    // from it and is 'lost' (f32 holds Infinity/NaN there), so b is where the heatmap shows the overflow.
    const b = r.status.gradActNorm.lastIndexOf('overflow') + 1;
    expect(b).toBeGreaterThan(1);
    expect(r.layers.gradActNorm[b - 1]).toBeGreaterThan(1e38);
    expect(r.layers.gradActNorm[b]).toBeLessThanOrEqual(1e38);
    expect(r.status.gradActNorm.slice(0, b - 1).every((s) => s === 'lost')).toBe(true);
  });

  it('Xavier + tanh: slow ~1/√l decay, gradients within about a factor of ten', () => {
    const { r } = wide('xavier-tanh');
    const a = r.layers.actNorm;
    expectDecays(a);
    const ratio = a[127] / a[15]; // 1/√l would give √(16/128) ≈ 0.35
    expect(ratio).toBeGreaterThan(0.2);
    expect(ratio).toBeLessThan(0.5);
    expect(range(r.layers.gradActNorm)).toBeLessThan(1);
  });
});

// The small sizes a software adapter or the CPU fallback runs (width 64, batch 16): their sentences hold too.
describe('what the small presets say happens, happens', () => {
  const small = (id: string) => {
    const config = findPreset(id)!.small.config;
    return { config, r: deepNetRef(config), p: predict(config) };
  };

  it('every small explanation that quotes √n quotes the small width', () => {
    for (const id of ['he-relu', 'normal-tanh']) {
      const p = findPreset(id)!;
      expect(p.small.config.width).toBe(64);
      expect(p.small.explanation).toMatch(/≈8|= 8/);
    }
  });

  it('He + ReLU at width 64: activations within a factor of 4 of the input norm, gradients drift less than a decade', () => {
    const { r, p } = small('he-relu');
    for (const a of r.layers.actNorm) expect(Math.abs(Math.log10(a / p.actNorm0))).toBeLessThan(Math.log10(4));
    expect(range(r.layers.gradActNorm)).toBeLessThan(1);
  });

  it('Xavier + ReLU at width 64: activations shrink by 1/√2 per layer; first-layer gradients below 1e-37', () => {
    const { r, p } = small('xavier-relu');
    expect(Math.abs(Math.log10(r.layers.actNorm[127] / p.actNorm0 / 2 ** -64))).toBeLessThan(1);
    expect(r.layers.gradActNorm[0]).toBeLessThan(1e-37);
  });

  it('N(0,1) + tanh at width 64: bounded activations, gradients ≈2× per layer backward, weight gradients past 1e38 at layer 1', () => {
    const { r } = small('normal-tanh');
    for (const a of r.layers.actNorm) expect(a).toBeLessThanOrEqual(8);
    const growth = (r.layers.gradActNorm[0] / r.layers.gradActNorm[63]) ** (1 / 63);
    expect(growth).toBeGreaterThan(1.6);
    expect(growth).toBeLessThan(2.5);
    expect(r.layers.gradWNorm[0]).toBeGreaterThan(1e38);
    expect(r.status.gradWNorm[0]).toBe('overflow');
  });

  it('Xavier + tanh at width 64: slow decay, gradients within about a factor of ten', () => {
    const { r } = small('xavier-tanh');
    const a = r.layers.actNorm;
    expectDecays(a);
    expect(range(r.layers.gradActNorm)).toBeLessThan(1.1);
  });

  it('the identity presets keep the rows their sentences name (depth 110 and 220 of 1.5·I; 64 and 76 of 0.5·I)', () => {
    const up = findPreset('lecture-1.5I')!.small.sweep;
    const down = findPreset('lecture-0.5I')!.small.sweep;
    if (up.kind !== 'depth' || down.kind !== 'depth') throw new Error('depth sweeps expected');
    for (const d of [110, 220]) expect(up.depths).toContain(d);
    for (const d of [64, 76, 160]) expect(down.depths).toContain(d);
  });
});

// Walk F11: the row's mean-field sentence read "actNorm[l] ≈ 8.211·0.7071^l", a code name shown to learners. On
// screen the notes write the chart's ‖a[l]‖; an export's note names its actNorm field, as its columns do.
describe('predict: the note writes ‖a[l]‖ on screen, actNorm[l] in exports', () => {
  for (const [init, activation] of [
    ['xavier-normal', 'relu'],
    ['identity', 'relu'],
    ['identity', 'linear'],
  ] as const) {
    it(`${init} + ${activation}`, () => {
      const c = { ...DEFAULT_CONFIG, depth: 8, width: 16, batch: 4, init, activation, gain: init === 'identity' ? 1.5 : 1 };
      const shown = predict(c).note;
      expect(shown).toMatch(/‖a\[l\]‖ [≈=] /);
      expect(shown).not.toContain('actNorm');
      expect(predict(c, { english: true }).note).toMatch(/actNorm\[l\] [≈=] /);
    });
  }
});
