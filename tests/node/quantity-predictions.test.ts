import { describe, expect, it } from 'vitest';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { gramTraceSq, predictQuantity, tanhMoments } from '../../src/labs/depth/quantity-predictions';
import { verdict } from '../../src/labs/depth/predictions';

const Q = ['actNorm', 'gradActNorm', 'gradWNorm'] as const;

function cfg(c: Partial<DeepNetConfig>): DeepNetConfig {
  return validateDeepNetConfig(c);
}

describe('predictQuantity: identity nets (exact)', () => {
  it('matches the closed forms of the lecture net: ‖∂J/∂a[l]‖ = s^(2L−l)·√n/m, ‖∂J/∂W[l]‖ = n·s^(2L−1)', () => {
    const c = cfg({ depth: 12, width: 3, batch: 2, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 });
    const ga = predictQuantity(c, 'gradActNorm').values!;
    const gw = predictQuantity(c, 'gradWNorm').values!;
    for (let l = 1; l <= 12; l++) {
      expect(ga[l - 1]).toBeCloseTo((1.5 ** (24 - l) * Math.sqrt(3)) / 2, 6);
      expect(gw[l - 1] / (3 * 1.5 ** 23)).toBeCloseTo(1, 12);
    }
  });

  for (const c of [
    cfg({ depth: 20, width: 5, batch: 3, activation: 'linear', init: 'identity', gain: 0.7, input: 'normal', seed: 4 }),
    cfg({ depth: 20, width: 5, batch: 7, activation: 'relu', init: 'identity', gain: 1.3, input: 'normal', seed: 5 }),
    cfg({ depth: 30, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 0.5, input: 'ones', seed: 1 }),
  ]) {
    it(`equals the float64 reference for ${c.activation}, s = ${c.gain}, ${c.input} input, m = ${c.batch}`, () => {
      const ref = deepNetRef({ ...c, gain: Math.fround(c.gain) });
      for (const q of Q) {
        const p = predictQuantity(c, q);
        expect(p.exact).toBe(true);
        for (let i = 0; i < c.depth; i++) expect(p.values![i] / ref.layers[q][i]).toBeCloseTo(1, 9);
        expect(verdict(ref.layers[q], p.values!, { tolerance: p.tolerance! }).verdict).toBe('agree');
      }
    });
  }

  it('has no forecast for identity + tanh or for Var z', () => {
    const c = cfg({ depth: 4, width: 2, batch: 1, activation: 'tanh', init: 'identity', gain: 1 });
    expect(predictQuantity(c, 'gradWNorm').values).toBeNull();
    expect(predictQuantity(c, 'zVar').values).toBeNull();
  });
});

describe('predictQuantity: mean field for random inits', () => {
  const cases: Partial<DeepNetConfig>[] = [
    { activation: 'relu', init: 'he-normal' },
    { activation: 'relu', init: 'xavier-normal' },
    { activation: 'linear', init: 'xavier-normal' },
    { activation: 'linear', init: 'normal', gain: 0.15 },
  ];
  for (const base of cases) {
    for (const seed of [1, 2, 3]) {
      it(`${base.init} + ${base.activation} (gain ${base.gain ?? 1}, seed ${seed}) agrees with the float64 reference within the finite-width band`, () => {
        const c = cfg({ depth: 24, width: 64, batch: 8, input: 'normal', seed, gain: 1, ...base });
        const ref = deepNetRef(c);
        for (const q of Q) {
          const p = predictQuantity(c, q);
          expect(p.exact).toBe(false);
          const v = verdict(ref.layers[q], p.values!, { tolerance: p.tolerance! });
          expect(v.verdict, `${q}: worst ${v.worstLog10Ratio} at ${v.worstLayer}`).toBe('agree');
        }
      });
    }
  }

  it('tracks the decay rate: Xavier + ReLU gradients shrink by about √2 per layer in both directions', () => {
    const c = cfg({ depth: 40, width: 64, batch: 8, input: 'normal', seed: 1, activation: 'relu', init: 'xavier-normal', gain: 1 });
    const ga = predictQuantity(c, 'gradActNorm').log10Values!;
    // one layer down: × √(n·(1/n)·½) = 1/√2 (Xavier with n_in = n_out: Var = 1/n)
    expect(ga[20] - ga[21]).toBeCloseTo(Math.log10(Math.SQRT1_2), 9);
  });

  it('a mean-field forecast that is wrong by a factor per layer is rejected (the test has teeth)', () => {
    const c = cfg({ depth: 24, width: 64, batch: 8, input: 'normal', seed: 1, activation: 'relu', init: 'he-normal', gain: 1 });
    const ref = deepNetRef(c);
    const p = predictQuantity(c, 'gradActNorm');
    // The classic slip: forgetting ReLU's E[f′²] = ½ on the way back (a factor √2 per layer too large).
    const wrong = p.values!.map((v, i) => v * Math.SQRT2 ** (24 - i));
    expect(verdict(ref.layers.gradActNorm, wrong, { tolerance: p.tolerance! }).verdict).toBe('disagree');
  });

  it('N(0,1) + tanh: E[tanh′(z)²] is computed for the saturated q and the forecast follows the reference', () => {
    const m = tanhMoments(1);
    // Known values for z ~ N(0, 1): E[tanh′(z)] ≈ 0.6057, E[tanh(z)²] ≈ 0.3943 = 1 − E[tanh′].
    expect(m.d1).toBeCloseTo(0.6057, 3);
    expect(m.f2 + m.d1).toBeCloseTo(1, 9);
    const c = cfg({ depth: 16, width: 64, batch: 8, input: 'normal', seed: 1, activation: 'tanh', init: 'normal', gain: 1 });
    const ref = deepNetRef(c);
    for (const q of Q) {
      const p = predictQuantity(c, q);
      const v = verdict(ref.layers[q], p.values!, { tolerance: p.tolerance! });
      expect(v.verdict, `${q}: worst ${v.worstLog10Ratio} at ${v.worstLayer}`).toBe('agree');
    }
  });

  it('gramTraceSq takes either route to ‖BᵀC‖_F²', () => {
    const b = [1, 2, 3, 4, 5, 6];
    const c = [0, 1, -1, 2, 0.5, 3];
    // m = 2, n = 3 (m ≤ n) vs the same as m = 3, n = 2 transposed roles checked by brute force
    let s = 0;
    for (let j = 0; j < 3; j++)
      for (let k = 0; k < 3; k++) {
        let t = 0;
        for (let i = 0; i < 2; i++) t += b[i * 3 + j] * c[i * 3 + k];
        s += t * t;
      }
    expect(gramTraceSq(b, c, 2, 3)).toBeCloseTo(s, 9);
    let s2 = 0;
    for (let j = 0; j < 2; j++)
      for (let k = 0; k < 2; k++) {
        let t = 0;
        for (let i = 0; i < 3; i++) t += b[i * 2 + j] * c[i * 2 + k];
        s2 += t * t;
      }
    expect(gramTraceSq(b, c, 3, 2)).toBeCloseTo(s2, 9);
  });
});

describe('predictQuantity: cost stays bounded at the largest sizes', () => {
  it('all-ones identity net at n = 1024, m = 4096 uses the closed form n·s^(2L−1); N(0,1) input says why there is none', () => {
    const c = cfg({ depth: 3, width: 1024, batch: 4096, activation: 'linear', init: 'identity', gain: 1.1, input: 'ones', seed: 1 });
    const gw = predictQuantity(c, 'gradWNorm').values!;
    expect(gw[1] / (1024 * Math.fround(1.1) ** 5)).toBeCloseTo(1, 9);
    const big = predictQuantity({ ...c, input: 'normal' }, 'gradWNorm');
    expect(big.values).toBeNull();
    expect(big.note).toMatch(/too much to compute on this page; with an all-ones input it is n·1.1\^\(2L−1\)/);
    // Mean field at the same size reads only 64 examples for the correlation: it returns (the test would time out otherwise).
    expect(predictQuantity({ ...c, init: 'he-normal', activation: 'relu', input: 'normal', depth: 8 }, 'gradWNorm').values).toHaveLength(8);
  });
});
