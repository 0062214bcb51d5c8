import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig, type InitScheme } from '../../src/labs/depth/config';
import { criticalGain, layerFactors } from '../../src/labs/depth/phase';
import {
  buildPhaseMap,
  defaultPhaseMapSpec,
  inputNorm,
  phaseMapConfigs,
  predictedCriticalGain,
  validatePhaseMapSpec,
  type PhaseMapSpec,
} from '../../src/labs/depth/phase-map';
import type { Activation } from '../../src/kernels/activations';

// The gain × depth phase map, built from float64 reference runs (the GPU runs give the same shapes).

const runsFor = (base: ReturnType<typeof validateDeepNetConfig>, spec: PhaseMapSpec) => phaseMapConfigs(base, spec).map((c) => deepNetRef(c));

describe('phase map grid', () => {
  it('defaults to gains 0.5…2 in 25 steps × depths 1…100', () => {
    const s = defaultPhaseMapSpec();
    expect(s.gains).toHaveLength(25);
    expect(s.gains[0]).toBe(0.5);
    expect(s.gains[24]).toBe(2);
    expect(s.depths).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(validatePhaseMapSpec(s)).toEqual(s);
  });

  it('sorts and rejects bad grids with the field named', () => {
    expect(validatePhaseMapSpec({ gains: [2, 1], depths: [5, 3] })).toEqual({ gains: [1, 2], depths: [3, 5] });
    const bad: [unknown, RegExp][] = [
      [null, /phaseMap/],
      [{ gains: [], depths: [1] }, /gains.*empty/],
      [{ gains: [1], depths: [0] }, /depths\[0\].*integer from 1/],
      [{ gains: [1, -1], depths: [1] }, /gains\[1\].*above 0/],
      [{ gains: [1, 1], depths: [1] }, /gains\[1\].*twice/],
      [{ gains: Array.from({ length: 65 }, (_, i) => i + 1), depths: [1] }, /at most 64/],
      [{ gains: [1], depths: [1.5] }, /depths\[0\]/],
    ];
    for (const [spec, re] of bad) {
      expect(() => validatePhaseMapSpec(spec)).toThrow(InputError);
      expect(() => validatePhaseMapSpec(spec)).toThrow(re);
    }
  });

  it('runs one net per gain at the deepest depth, keeping the base settings', () => {
    const base = validateDeepNetConfig({ width: 8, batch: 4, activation: 'relu', init: 'he-normal', seed: 9 });
    const cs = phaseMapConfigs(base, { gains: [1.5, 0.5], depths: [3, 7, 2] });
    expect(cs.map((c) => [c.gain, c.depth])).toEqual([
      [0.5, 7],
      [1.5, 7],
    ]);
    expect(cs.every((c) => c.width === 8 && c.seed === 9 && c.activation === 'relu')).toBe(true);
  });
});

describe('measured ratios', () => {
  it('identity nets give the closed forms: forward L·log10 g, backward (L − 1)·log10 g', () => {
    const base = validateDeepNetConfig({ width: 3, batch: 2, activation: 'linear', init: 'identity', input: 'ones' });
    const spec = { gains: [0.5, 1, 1.5], depths: [1, 4, 9] };
    const runs = runsFor(base, spec);
    const fwd = buildPhaseMap(base, spec, runs, 'forward');
    const bwd = buildPhaseMap(base, spec, runs, 'backward');
    spec.gains.forEach((g, gi) =>
      spec.depths.forEach((L, di) => {
        expect(fwd.values[gi * 3 + di]).toBeCloseTo(L * Math.log10(g), 10);
        expect(bwd.values[gi * 3 + di]).toBeCloseTo((L - 1) * Math.log10(g), 10);
      }),
    );
    expect(fwd.status.every((s) => s === 'finite')).toBe(true);
    expect(fwd.predictedGain).toBe(1);
    // The crossing of an identity net is exactly at gain 1 (ratio 1 there at every depth but L = 1 backward).
    fwd.measuredGain.forEach((g) => expect(g).toBeCloseTo(1, 12));
  });

  it('the forward ratio uses ‖a[0]‖ of the actual input (ones: √n)', () => {
    expect(inputNorm(validateDeepNetConfig({ width: 16, batch: 3, input: 'ones' }))).toBeCloseTo(4, 12);
    const c = validateDeepNetConfig({ width: 64, batch: 32, input: 'normal', seed: 4 });
    expect(inputNorm(c)).toBeGreaterThan(6);
    expect(inputNorm(c)).toBeLessThan(10);
  });

  it('cells past f32 carry the status, not a number, and never count as a crossing', () => {
    const base = validateDeepNetConfig({ width: 2, batch: 1, activation: 'linear', init: 'identity', input: 'ones' });
    const spec = { gains: [0.5, 2], depths: [10, 200] };
    const map = buildPhaseMap(base, spec, runsFor(base, spec), 'forward');
    // 0.5^200 ≈ 6e-61 is below 1e-37: underflow. 2^L passes 1e38 at L = 127, so layer 200 is computed from an
    // overflowed value: lost, not a measured explosion.
    expect(map.status).toEqual(['finite', 'underflow', 'finite', 'lost']);
    expect(Number.isNaN(map.values[1])).toBe(true);
    expect(Number.isNaN(map.values[3])).toBe(true);
    expect(map.measuredGain[1]).toBeNull();
    expect(map.measuredGain[0]).toBeCloseTo(1, 12); // between 0.5 and 2, interpolated in log(gain)
  });

  it('rejects runs that do not match the grid', () => {
    const base = validateDeepNetConfig({ width: 2, batch: 1, activation: 'linear', init: 'identity' });
    const spec = { gains: [1, 2], depths: [3] };
    expect(() => buildPhaseMap(base, spec, runsFor(base, spec).slice(1), 'forward')).toThrow(/one per gain/);
    expect(() => buildPhaseMap(base, { gains: [1, 2], depths: [5] }, runsFor(base, spec), 'forward')).toThrow(/deepest depth is 5/);
    expect(() => buildPhaseMap(base, spec, runsFor(base, spec), 'sideways' as never)).toThrow(/forward, backward/);
  });
});

describe('predicted critical gain', () => {
  const cases: [InitScheme, Activation][] = [
    ['lecun-normal', 'linear'],
    ['xavier-normal', 'linear'],
    ['he-normal', 'relu'],
    ['xavier-normal', 'relu'],
    ['he-normal', 'linear'],
  ];
  for (const [init, activation] of cases) {
    it(`${init} + ${activation}: forward and backward both at criticalGain (their factors are equal)`, () => {
      const base = validateDeepNetConfig({ init, activation, width: 128 });
      const g = criticalGain(init, activation)!;
      expect(predictedCriticalGain(base, 'forward')).toBeCloseTo(g, 9);
      expect(predictedCriticalGain(base, 'backward')).toBeCloseTo(g, 9);
    });
  }

  it('at the predicted gain both per-layer factors of linear and ReLU nets are 1', () => {
    for (const [init, activation] of cases) {
      const g = predictedCriticalGain(validateDeepNetConfig({ init, activation, width: 128 }), 'forward')!;
      const f = layerFactors(init, activation, g, 128)!;
      expect(f.forward).toBeCloseTo(1, 9);
      expect(f.backward).toBeCloseTo(1, 9);
    }
  });

  it('tanh: the order–chaos boundary (χ = 1) for both quantities', () => {
    const base = validateDeepNetConfig({ init: 'xavier-normal', activation: 'tanh', width: 128 });
    for (const q of ['forward', 'backward'] as const) expect(predictedCriticalGain(base, q)).toBeCloseTo(criticalGain('xavier-normal', 'tanh')!, 12);
    expect(layerFactors('xavier-normal', 'tanh', predictedCriticalGain(base, 'backward')!, 128)!.backward).toBeCloseTo(1, 2); // the two use different quadratures
  });

  it('N(0, 1) depends on the width; identity + sigmoid has none', () => {
    expect(predictedCriticalGain(validateDeepNetConfig({ init: 'normal', activation: 'relu', width: 64 }), 'forward')).toBeCloseTo(Math.SQRT2 / 8, 9);
    expect(predictedCriticalGain(validateDeepNetConfig({ init: 'identity', activation: 'sigmoid' }), 'backward')).toBeNull();
  });

  it('the measured boundary of a random linear net lies within 5 % of the prediction (float64, width 128, depth 48)', () => {
    const base = validateDeepNetConfig({ init: 'xavier-normal', activation: 'linear', width: 128, batch: 16, input: 'normal', seed: 2 });
    const spec = { gains: [0.9, 0.95, 1, 1.05, 1.1], depths: [48] };
    const runs = runsFor(base, spec);
    for (const q of ['forward', 'backward'] as const) {
      const map = buildPhaseMap(base, spec, runs, q);
      expect(map.measuredGain[0]).not.toBeNull();
      expect(Math.abs(map.measuredGain[0]! / map.predictedGain! - 1)).toBeLessThan(0.05);
    }
  });
});
