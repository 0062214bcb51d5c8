import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig, type InitScheme } from '../../src/labs/depth/config';
import { criticalGain, criticalSigmaW, layerFactors, meanFieldChi } from '../../src/labs/depth/phase';
import type { Activation } from '../../src/kernels/activations';

describe('criticalGain: the mean-field critical gain per init and activation', () => {
  const table: [InitScheme, Activation, number][] = [
    ['lecun-normal', 'linear', 1],
    ['he-normal', 'relu', 1],
    ['xavier-normal', 'relu', Math.SQRT2], // Var = 2/(n + n) = 1/n at equal fan-in/out: half of He's
    ['xavier-uniform', 'relu', Math.SQRT2],
    ['lecun-normal', 'relu', Math.SQRT2],
    ['he-normal', 'linear', Math.SQRT1_2],
    ['xavier-normal', 'linear', 1],
    ['lecun-normal', 'tanh', 1],
    ['xavier-normal', 'tanh', 1],
    ['he-normal', 'tanh', Math.SQRT1_2],
    ['identity', 'linear', 1],
    ['identity', 'relu', 1],
    ['identity', 'tanh', 1],
  ];
  for (const [init, act, g] of table) {
    it(`${init} + ${act}: ${g}`, () => expect(criticalGain(init, act)).toBeCloseTo(g, 12));
  }

  it('N(0, 1) needs the width: gain* = σ_c/√n', () => {
    expect(criticalGain('normal', 'relu', 64)).toBeCloseTo(Math.SQRT2 / 8, 12);
    expect(criticalGain('normal', 'linear', 256)).toBeCloseTo(1 / 16, 12);
    expect(() => criticalGain('normal', 'relu')).toThrow(InputError);
  });

  it('identity + sigmoid has none (the fixed point always contracts)', () => {
    expect(criticalGain('identity', 'sigmoid')).toBeNull();
  });

  it('sigmoid: χ = σ_w²·E[σ′(√q*·z)²] = 1 at the returned σ_w, checked with an independent quadrature', () => {
    const s = criticalSigmaW('sigmoid');
    expect(s).toBeGreaterThan(4); // σ′ ≤ ¼, so χ ≤ σ_w²/16
    // Trapezoid rule on a different grid, and the fixed point by plain iteration.
    const E = (g: (z: number) => number) => {
      let acc = 0;
      const h = 0.001;
      for (let z = -10; z <= 10; z += h) acc += g(z) * Math.exp((-z * z) / 2) * h;
      return acc / Math.sqrt(2 * Math.PI);
    };
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    let q = 1;
    for (let i = 0; i < 200; i++) q = s * s * E((z) => sig(Math.sqrt(q) * z) ** 2);
    const chi = s * s * E((z) => (sig(Math.sqrt(q) * z) * (1 - sig(Math.sqrt(q) * z))) ** 2);
    expect(chi).toBeCloseTo(1, 4);
    expect(criticalGain('lecun-normal', 'sigmoid')).toBeCloseTo(s, 12);
    expect(meanFieldChi('sigmoid', 0.9 * s * s).chi).toBeLessThan(1);
  });

  it('layerFactors: 1 at the critical gain for linear and ReLU, both directions; tanh backward σ_w² below it', () => {
    for (const [init, act] of [
      ['he-normal', 'relu'],
      ['xavier-normal', 'relu'],
      ['lecun-normal', 'linear'],
    ] as const) {
      const f = layerFactors(init, act, criticalGain(init, act)!, 128)!;
      expect(f.forward).toBeCloseTo(1, 12);
      expect(f.backward).toBeCloseTo(1, 12);
    }
    expect(layerFactors('lecun-normal', 'tanh', 0.8, 64)!.backward).toBeCloseTo(0.64, 3);
    expect(layerFactors('identity', 'relu', 1, 64)).toBeNull();
  });

  // The prediction against real nets: at 0.85·gain* the signal shrinks by ~0.85^50 ≈ 3e-4 over 50 layers,
  // at 1.15·gain* it grows by ~1.15^50 ≈ 1e3; the finite-width scatter at n = 256 is a factor of a few.
  for (const [init, act] of [
    ['he-normal', 'relu'],
    ['xavier-normal', 'relu'],
    ['lecun-normal', 'linear'],
  ] as const) {
    it(`${init} + ${act}, width 256, depth 50: ‖a[L]‖/‖a[0]‖ < 1 below the critical gain and > 1 above it`, () => {
      const g = criticalGain(init, act)!;
      const ratio = (gain: number) => {
        const r = deepNetRef(validateDeepNetConfig({ depth: 50, width: 256, batch: 2, init, activation: act, gain, seed: 11, input: 'normal' }));
        return r.layers.actNorm[49] / Math.sqrt(256);
      };
      expect(ratio(0.85 * g)).toBeLessThan(0.1);
      expect(ratio(1.15 * g)).toBeGreaterThan(10);
    });
  }
});
