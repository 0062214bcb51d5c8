import { describe, expect, it } from 'vitest';
import { thrownInputError } from '../helpers/thrown';
import { ACTIVATIONS } from '../../src/kernels/activations';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { DEFAULT_CONFIG, type DeepNetConfig } from '../../src/labs/depth/config';
import { makeInput, makeWeights } from '../../src/labs/depth/init';
import { firstLayerWhere } from '../../src/labs/depth/classify';

const cfg = (over: Partial<DeepNetConfig>): DeepNetConfig => ({ ...DEFAULT_CONFIG, ...over });

function relClose(actual: number, expected: number, rtol: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(rtol * Math.abs(expected));
}

// Plain (unscaled) helpers, independent of the reference's own.
const frob = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;

describe('deepNetRef: the lecture net W = s·I, linear, X = ones', () => {
  const cases = [
    { s: 1.5, n: 3, m: 4, L: 6 },
    { s: 0.5, n: 3, m: 4, L: 6 },
    { s: 0.9, n: 5, m: 2, L: 12 },
    { s: 1.1, n: 1, m: 7, L: 9 },
    { s: 2, n: 2, m: 1, L: 20 },
  ];
  for (const { s: gain, n, m, L } of cases) {
    it(`s = ${gain}, n = ${n}, m = ${m}, L = ${L} matches the closed forms`, () => {
      const r = deepNetRef(cfg({ init: 'identity', activation: 'linear', input: 'ones', gain, width: n, batch: m, depth: L }));
      const s = Math.fround(gain); // the weights are f32
      for (let l = 1; l <= L; l++) {
        const i = l - 1;
        relClose(r.layers.actNorm[i], s ** l * Math.sqrt(n), 1e-12, `actNorm[${l}]`);
        relClose(r.layers.zMean[i], s ** l, 1e-12, `zMean[${l}]`);
        expect(Math.abs(r.layers.zVar[i])).toBeLessThanOrEqual(1e-24 * s ** (2 * l));
        relClose(r.layers.gradActNorm[i], (s ** (2 * L - l) * Math.sqrt(n)) / m, 1e-12, `gradActNorm[${l}]`);
        relClose(r.layers.gradWNorm[i], n * s ** (2 * L - 1), 1e-12, `gradWNorm[${l}]`);
      }
      relClose(r.loss, (n * s ** (2 * L)) / 2, 1e-12, 'loss');
      expect(r.lossStatus).toBe('finite');
      expect(r.status.actNorm.every((x) => x === 'finite')).toBe(true);
    });
  }

  it('L = 1000, s = 1.5: norms stay finite in float64 up to 1.5^1000 (no overflow of the squares)', () => {
    const L = 1000;
    const r = deepNetRef(cfg({ init: 'identity', activation: 'linear', input: 'ones', gain: 1.5, width: 2, batch: 1, depth: L }));
    for (let l = 1; l <= L; l++) relClose(r.layers.actNorm[l - 1], 1.5 ** l * Math.SQRT2, 1e-11, `actNorm[${l}]`);
    // dA[l] = 1.5^(2L−l): finite in float64 while 2L − l ≲ 1700
    for (let l = 400; l <= L; l++) relClose(r.layers.gradActNorm[l - 1], 1.5 ** (2 * L - l) * Math.SQRT2, 1e-11, `gradActNorm[${l}]`);
    expect(r.loss).toBe(Infinity); // n·1.5^2000/2 ≈ 1e352
    // statuses are about f32: the norm √2·1.5^l passes 1e38 at l = 215, and everything computed after it —
    // the later layers, the loss, every gradient — is 'lost', though float64 still holds a number there.
    expect(firstLayerWhere(r.status.actNorm, 'overflow')).toBe(215);
    expect(firstLayerWhere(r.status.actNorm, 'lost')).toBe(216);
    expect(r.lossStatus).toBe('lost');
    expect(new Set(r.status.gradActNorm)).toEqual(new Set(['lost']));
    expect(1.5 ** 214 * Math.SQRT2).toBeLessThan(1e38);
    expect(1.5 ** 215 * Math.SQRT2).toBeGreaterThan(1e38);
  });

  it('W = 0.5·I: the norm underflows (in the f32 sense) where √2·0.5^l < 1e-37', () => {
    const r = deepNetRef(cfg({ init: 'identity', activation: 'linear', input: 'ones', gain: 0.5, width: 2, batch: 1, depth: 160 }));
    expect(firstLayerWhere(r.status.actNorm, 'underflow')).toBe(124);
    expect(0.5 ** 123 * Math.SQRT2).toBeGreaterThanOrEqual(1e-37);
    expect(0.5 ** 124 * Math.SQRT2).toBeLessThan(1e-37);
    // zMean of a vanishing layer is a value, not a norm: never 'underflow'
    expect(r.status.zMean.every((x) => x === 'finite')).toBe(true);
    expect(r.status.zVar.every((x) => x === 'finite')).toBe(true);
  });
});

describe('deepNetRef: conventions', () => {
  it('Z = A·Wᵀ with W row-major (row j = weights into unit j), dW = dZᵀ·A', () => {
    // n = 2, m = 1, W = [[1, 2], [3, 4]], x = [2, 1] → z = [1·2 + 2·1, 3·2 + 4·1] = [4, 10] (A·W would give [5, 8])
    const c = cfg({ depth: 1, width: 2, batch: 1, activation: 'linear' });
    const r = deepNetRef(c, { weights: [[1, 2, 3, 4]], input: [2, 1], keepTensors: true });
    expect(Array.from(r.tensors!.z[0])).toEqual([4, 10]);
    expect(Array.from(r.tensors!.a[1])).toEqual([4, 10]);
    // dA[1] = A[1]/m = [4, 10]; dW[j][k] = dZ[j]·x[k]
    expect(Array.from(r.tensors!.dA[0])).toEqual([4, 10]);
    expect(Array.from(r.tensors!.dW[0])).toEqual([8, 4, 20, 10]);
    expect(r.loss).toBeCloseTo(58, 12); // (16 + 100)/2
    expect(r.layers.gradActNorm[0]).toBeCloseTo(Math.sqrt(116), 12);
    expect(r.layers.gradWNorm[0]).toBeCloseTo(Math.sqrt(64 + 16 + 400 + 100), 12);
    expect(r.layers.zMean[0]).toBe(7);
    expect(r.layers.zVar[0]).toBe(9);
  });

  it('uses makeWeights/makeInput by default', () => {
    const c = cfg({ depth: 3, width: 4, batch: 3, init: 'he-normal', activation: 'relu', input: 'normal', seed: 5 });
    const a = deepNetRef(c);
    const b = deepNetRef(c, { weights: [1, 2, 3].map((l) => makeWeights(c, l)), input: makeInput(c) });
    expect(b.layers).toEqual(a.layers);
    const other = deepNetRef({ ...c, seed: 6 });
    expect(other.layers.actNorm).not.toEqual(a.layers.actNorm);
  });

  it('statistics are the documented norms and moments of the tensors', () => {
    const c = cfg({ depth: 4, width: 5, batch: 3, init: 'xavier-uniform', gain: 1.4, activation: 'tanh', input: 'normal', seed: 2 });
    const r = deepNetRef(c, { keepTensors: true });
    const t = r.tensors!;
    expect(t.a.length).toBe(5);
    for (let l = 1; l <= 4; l++) {
      const i = l - 1;
      relClose(r.layers.actNorm[i], frob(t.a[l]) / Math.sqrt(3), 1e-13, 'actNorm');
      relClose(r.layers.gradActNorm[i], frob(t.dA[i]) / Math.sqrt(3), 1e-13, 'gradActNorm');
      relClose(r.layers.gradWNorm[i], frob(t.dW[i]), 1e-13, 'gradWNorm');
      const mu = mean(t.z[i]);
      relClose(r.layers.zMean[i], mu, 1e-12, 'zMean');
      relClose(r.layers.zVar[i], mean(Array.from(t.z[i], (v) => (v - mu) ** 2)), 1e-12, 'zVar');
    }
    relClose(r.loss, frob(t.a[4]) ** 2 / (2 * 3), 1e-13, 'loss');
    // dA[L] = A[L]/m
    for (let k = 0; k < 15; k++) expect(t.dA[3][k]).toBeCloseTo(t.a[4][k] / 3, 15);
  });

  it('rejects weights and inputs of the wrong shape, naming them', () => {
    const c = cfg({ depth: 2, width: 3, batch: 2 });
    expect(thrownInputError(() => deepNetRef(c, { weights: [new Float32Array(9)] })).field).toBe('weights');
    const w = thrownInputError(() => deepNetRef(c, { weights: [new Float32Array(9), new Float32Array(8)] }));
    expect(w.field).toBe('weights[1]');
    expect(w.message).toContain('8 values but width × width = 3 × 3 = 9');
    expect(thrownInputError(() => deepNetRef(c, { input: new Float32Array(5) })).message).toContain('batch × width = 2 × 3 = 6');
    expect(thrownInputError(() => deepNetRef({ ...c, depth: 0 })).field).toBe('depth');
  });
});

describe('deepNetRef: dW against central finite differences of J', () => {
  for (const activation of ACTIVATIONS) {
    for (const depth of [1, 3]) {
      it(`${activation}, depth ${depth}, n = 4, m = 5`, () => {
        const c = cfg({ depth, width: 4, batch: 5, activation, init: 'xavier-normal', gain: 1.3, input: 'normal', seed: 11 });
        const weights = Array.from({ length: depth }, (_, i) => Float64Array.from(makeWeights(c, i + 1)));
        const input = makeInput(c);
        const r = deepNetRef(c, { weights, input, keepTensors: true });
        const h = 1e-6;
        let maxG = 0;
        let maxErr = 0;
        for (let l = 0; l < depth; l++) {
          let fdSq = 0;
          for (let k = 0; k < 16; k++) {
            const w0 = weights[l][k];
            weights[l][k] = w0 + h;
            const up = deepNetRef(c, { weights, input }).loss;
            weights[l][k] = w0 - h;
            const down = deepNetRef(c, { weights, input }).loss;
            weights[l][k] = w0;
            const fd = (up - down) / (2 * h);
            fdSq += fd * fd;
            maxErr = Math.max(maxErr, Math.abs(fd - r.tensors!.dW[l][k]));
            maxG = Math.max(maxG, Math.abs(fd));
          }
          relClose(r.layers.gradWNorm[l], Math.sqrt(fdSq), 1e-6, `gradWNorm[${l + 1}] vs finite differences`);
        }
        expect(maxG).toBeGreaterThan(1e-3); // the check is not vacuous
        expect(maxErr).toBeLessThan(1e-7 * maxG);
      });
    }
  }
});
