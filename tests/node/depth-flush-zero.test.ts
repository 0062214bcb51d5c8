// Review item: on W = 0.5·I at depth 64 the ∂J/∂a tab said "underflow to exactly 0 at layer 1 (predicted none)".
// The 0 is the GPU flushing subnormal numbers (below f32's smallest normal, 2^-126 ≈ 1.2e-38) to zero, while the
// float64 value there is a positive subnormal. The row text now says so, decided from the float64 numbers (the
// prediction, checked here against the float64 reference), not from the preset. The GPU is an f32 simulation with
// and without flush-to-zero.
import { describe, expect, it } from 'vitest';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { F32_MIN_NORMAL, verdict } from '../../src/labs/depth/predictions';
import { analyzeQuantity, analyzeRow, LIMIT_TEXTS_EXPORT, limitSentences } from '../../src/labs/depth/row-analysis';
import { findPreset } from '../../src/labs/depth/presets';
import { makeWeights } from '../../src/labs/depth/init';
import { predictQuantity } from '../../src/labs/depth/quantity-predictions';
import { BACKWARD, comparedText, flushedLayersText, flushMask, PARTIAL_FLUSH_PRODUCT, partialFlushMask } from '../../src/labs/depth/flush-zone';
import { predictedLimitLayer } from '../../src/labs/depth/predictions';
import { runF32 } from '../helpers/deep-net-f32';

const lecture = (c: Partial<DeepNetConfig>) =>
  validateDeepNetConfig({ width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 0.5, input: 'ones', seed: 1, ...c });
const FLUSH = "the GPU flushes numbers below 1.2e-38 (f32's smallest normal number; smaller ones are subnormal) to zero.";

describe('a zero the GPU made by flushing subnormals reads as such', () => {
  it('0.5·I, depth 64, ∂J/∂a: exactly 0 at layer 1 where float64 has a positive subnormal — no "predicted none"', () => {
    const c = lecture({ depth: 64 });
    const ref = deepNetRef(c).layers.gradActNorm[0];
    expect(ref).toBeGreaterThan(0);
    expect(ref).toBeLessThan(F32_MIN_NORMAL);
    const run = runF32(c, { flush: true });
    expect(run.layers.gradActNorm[0]).toBe(0);
    const a = analyzeRow(c, run);
    expect(a.measuredLimits.gradZero).toBe(1);
    expect(a.measuredLimits.gradZeroFlushed).toBeCloseTo(ref, 45);
    const shown = String(Number(ref.toPrecision(2)));
    expect(a.limitSentences).toContain(
      `Gradients ∂J/∂a are exactly 0 at layer 1 (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ${shown}: ${FLUSH}`,
    );
    expect(a.limitSentences.join(' ')).not.toContain('predicted none');
    expect(limitSentences(c, a.measuredLimits, predictedLimitLayer(c), LIMIT_TEXTS_EXPORT)).toEqual(a.limitSentences);
  });

  it('the same net on a GPU that keeps subnormals holds no 0, and says nothing about flushing', () => {
    const c = lecture({ depth: 64 });
    const a = analyzeRow(c, runF32(c, { flush: false }));
    expect(a.measuredLimits.gradZero).toBeNull();
    expect(a.measuredLimits.gradZeroFlushed).toBeNull();
    expect(a.limitSentences.join(' ')).not.toMatch(/flush|exactly 0/);
  });

  it('0.5·I, depth 160, ‖a‖: flushed to 0 at 127 (float64: a subnormal) but a true f32 zero at 150 without flushing', () => {
    const c = lecture({ depth: 160 });
    const ref = deepNetRef(c).layers.actNorm;
    const flushed = analyzeRow(c, runF32(c, { flush: true }));
    expect(flushed.measuredLimits.actZero).toBe(127);
    expect(ref[126]).toBeGreaterThan(0);
    expect(ref[126] * Math.sqrt(c.batch)).toBeLessThan(F32_MIN_NORMAL);
    expect(flushed.limitSentences).toContain(
      `‖a‖ drops below the lab's 1e-37 underflow mark at layer 124 and is exactly 0 at layer 127, where float64 predicts ${String(Number(ref[126].toPrecision(2)))}: ${FLUSH}`,
    );
    // Without flushing, f32 itself rounds 2^-150 to 0 at layer 150, as forecast: no flush is blamed.
    const ieee = analyzeRow(c, runF32(c, { flush: false }));
    expect(ieee.measuredLimits.actZero).toBe(150);
    expect(ieee.measuredLimits.actZeroFlushed).toBeNull();
    expect(ieee.limitSentences.join(' ')).toContain('‖a‖ underflows to exactly 0 at layer 150 (predicted 150; 127 on a GPU that flushes subnormals)');
    expect(ieee.limitSentences.join(' ')).not.toContain('the GPU flushes');
  });

  it('decided from the numbers, not the preset: other gains and depths, and the gradient only where float64 is subnormal', () => {
    for (const [gain, depth] of [
      [0.5, 70],
      [0.7, 250],
      [0.25, 40],
    ] as const) {
      const c = lecture({ gain, depth });
      const ref = deepNetRef(c).layers;
      const a = analyzeRow(c, runF32(c, { flush: true }));
      const m = a.measuredLimits;
      for (const [zero, flushed, values] of [
        [m.actZero, m.actZeroFlushed, ref.actNorm],
        [m.gradZero, m.gradZeroFlushed, ref.gradActNorm],
      ] as const) {
        if (zero === null) continue;
        const v = values[zero - 1];
        // Blamed on flushing exactly when float64's entries (all equal here: the norm / √n) are positive numbers below
        // f32's normal range that f32 would still keep as subnormals.
        const entry = v / Math.sqrt(c.width);
        const subnormal = entry > 0 && entry < F32_MIN_NORMAL && Math.fround(entry) !== 0;
        expect(flushed !== null, `gain ${gain}, depth ${depth}, layer ${zero}: float64 ${v}`).toBe(subnormal);
      }
    }
  });
});

// Learner walk (s9): Xavier + ReLU at the quick size, ∂J/∂a. The GPU holds exactly 0 in the lowest layers (1–4 at
// depth 124, 1–12 at 128) while the float64 norm there is still above 1.2e-38: flush-to-zero acts on single entries
// and on the products they are summed from, not on the norm. The verdict read "disagree −∞" and no sentence said why.
// Now the flushed-zero call is decided from the forecast's entries, and such a 0 counts as agreeing.
describe('a flushed zero decided from entries, not the norm (Xavier + ReLU, quick size)', () => {
  const xavier = findPreset('xavier-relu')!;
  for (const [depth, zeros] of [
    [124, 4],
    [128, 12],
  ] as const) {
    it(`depth ${depth}: ∂J/∂a is 0 at layers 1–${zeros}, the verdict agrees and the row says f32 flushed it`, () => {
      const c = validateDeepNetConfig({ ...xavier.small.config, depth });
      const run = runF32(c, { flush: true });
      const measured = run.layers.gradActNorm;
      for (let l = 1; l <= depth; l++) expect(measured[l - 1] === 0, `layer ${l}`).toBe(l <= zeros);
      // The premise, from the float64 reference: its norm at the highest zero layer is above f32's smallest normal
      // number, but the products an entry of ∂J/∂a[l] is summed from (∂J/∂z[l+1]·W[l+1]) are, in RMS, below it.
      const ref = deepNetRef(c, { keepTensors: true });
      expect(ref.layers.gradActNorm[zeros - 1]).toBeGreaterThan(F32_MIN_NORMAL);
      const { dA, z } = ref.tensors!;
      const { width: n, batch: m } = c;
      for (let l = 1; l <= zeros; l++) {
        const w = makeWeights(c, l + 1);
        let s = 0;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            const dz = z[l][i * n + j] > 0 ? dA[l][i * n + j] : 0;
            for (let k = 0; k < n; k++) s += (dz * w[j * n + k]) ** 2;
          }
        }
        expect(Math.sqrt(s / (m * n * n)), `layer ${l}`).toBeLessThan(F32_MIN_NORMAL);
      }

      const qa = analyzeQuantity(c, run, 'gradActNorm');
      expect(qa.verdict!.verdict).toBe('agree');
      expect(qa.verdict!.flushedLayers).toEqual(Array.from({ length: zeros }, (_, i) => i + 1));
      expect(Number.isFinite(qa.verdict!.worstLog10Ratio)).toBe(true);
      expect(flushedLayersText(qa.verdict!.flushedLayers, [])).toBe(
        `At layers 1–${zeros} f32 holds 0 where float64 still has a tiny number: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number) to zero. That counts as agreeing; those layers are not compared as numbers.`,
      );
      // The count beside it says how many were compared as numbers (it read "124 layers compared" next to
      // "those layers are not compared as numbers").
      expect(qa.verdict!.limitLayers).toBe(zeros);
      // Layers zeros+1 … zeros+8 are partly flushed (see the next describe): not compared as numbers either.
      expect(qa.verdict!.partialLayers).toEqual(Array.from({ length: 8 }, (_, i) => zeros + 1 + i));
      expect(comparedText(qa.verdict!)).toBe(`${depth} layers compared, ${depth - zeros - 8} of them as numbers`);

      const a = analyzeRow(c, run, { english: true });
      const ev = a.measuredLimits.gradZeroFlush!;
      expect(ev.kind).toBe('below');
      const p = predictQuantity(c, 'gradActNorm').values![zeros - 1];
      expect(ev.value).toBe(p);
      expect(ev.entry).toBeCloseTo(p / Math.sqrt(n), 50);
      expect(ev.product).toBeLessThan(F32_MIN_NORMAL);
      const v = (x: number) => String(Number(x.toPrecision(2)));
      expect(a.limitSentences).toEqual([
        `Gradients ∂J/∂a are exactly 0 at layer ${zeros} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ‖∂J/∂a‖ ≈ ${v(p)}: entries of about ${v(p / Math.sqrt(n))}, each summed from products of about ${v(p / n)}; those products are below 1.2e-38 (f32's smallest normal number). The GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
      ]);
      expect(limitSentences(c, a.measuredLimits, null, LIMIT_TEXTS_EXPORT)).toEqual(a.limitSentences);
    });
  }

  it('on a GPU that keeps subnormals the same nets hold no 0 and nothing is said about flushing', () => {
    for (const depth of [124, 128]) {
      const c = validateDeepNetConfig({ ...xavier.small.config, depth });
      const run = runF32(c, { flush: false });
      expect(Array.from(run.layers.gradActNorm).includes(0)).toBe(false);
      expect(analyzeQuantity(c, run, 'gradActNorm').verdict!.flushedLayers).toEqual([]);
      expect(analyzeRow(c, run).limitSentences.join(' ')).not.toMatch(/flush|exactly 0/);
    }
  });

  it('a 0 where the forecast is far above f32’s smallest numbers still disagrees', () => {
    const c = validateDeepNetConfig({ ...xavier.small.config, depth: 124 });
    const run = runF32(c, { flush: true });
    const broken = { ...run, layers: { ...run.layers, gradActNorm: run.layers.gradActNorm.slice() } };
    broken.layers.gradActNorm[99] = 0; // layer 100: float64 forecasts ≈ 1e-27 there
    const qa = analyzeQuantity(c, broken, 'gradActNorm');
    expect(qa.verdict!.verdict).toBe('disagree');
    expect(qa.verdict!.worstLayer).toBe(100);
    expect(qa.verdict!.worstLog10Ratio).toBe(-Infinity);
    expect(qa.verdict!.flushedLayers).not.toContain(100);
  });

  it('where only the forecast’s tolerance reaches below 1.2e-38 (a narrow linear net), the sentence says so', () => {
    const c = validateDeepNetConfig({ width: 16, batch: 4, activation: 'linear', init: 'xavier-normal', gain: 0.7, depth: 150, input: 'normal', seed: 2 });
    const run = runF32(c, { flush: true });
    const a = analyzeRow(c, run, { english: true });
    const ev = a.measuredLimits.gradZeroFlush!;
    expect(ev.kind).toBe('tolerance');
    expect(ev.product).toBeGreaterThanOrEqual(F32_MIN_NORMAL);
    expect(ev.product * 10 ** -ev.tolerance).toBeLessThan(F32_MIN_NORMAL);
    const m = a.measuredLimits.gradZero!;
    const v = (x: number) => String(Number(x.toPrecision(2)));
    expect(a.limitSentences).toContain(
      `Gradients ∂J/∂a are exactly 0 at layer ${m} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ‖∂J/∂a‖ ≈ ${v(ev.value)} (entries of about ${v(ev.entry)}); within this forecast's tolerance there (±${v(ev.tolerance)} decades) they may be below 1.2e-38 (f32's smallest normal number), and the GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
    );
    expect(analyzeQuantity(c, run, 'gradActNorm').verdict!.verdict).toBe('agree');
  });
});

// Walk F2: on the same row (depth 124) layers 5–7 held tiny positive gradients far under the forecast (layer 5 about
// 60× under it): some of the products they are summed from were flushed. The verdict said "agree — worst −1.8 at
// layer 5" and gave no cause. Those layers are now named as partly flushed and left out of the worst ratio.
describe('layers partly flushed to 0 are named and not compared as numbers (walk F2)', () => {
  const xavier = findPreset('xavier-relu')!;
  const c = validateDeepNetConfig({ ...xavier.small.config, depth: 124 });
  const flushRun = runF32(c, { flush: true });
  const keepRun = runF32(c, { flush: false });
  const p = predictQuantity(c, 'gradActNorm').values!;
  const effect = (l: number) => Math.abs(Math.log10(flushRun.layers.gradActNorm[l - 1] / keepRun.layers.gradActNorm[l - 1]));

  it('the bound: products below 0.3× their RMS carry 1% of the energy (two independent normals)', () => {
    // E[(Z₁Z₂)²; |Z₁Z₂| < t] by quadrature over |Z₁| (E[Z²; |Z| < b] = erf(b/√2) − 2bφ(b)).
    const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
    const cdf = (b: number) => {
      let s = 0;
      const N = 2000;
      for (let i = 0; i < N; i++) s += phi(((i + 0.5) * b) / N) * (b / N);
      return 2 * s; // P(|Z| < b)
    };
    const energy = (t: number) => {
      let s = 0;
      const N = 3000;
      const h = 12 / N;
      for (let i = 0; i < N; i++) {
        const a = (i + 0.5) * h;
        const b = t / a;
        s += 2 * phi(a) * a * a * (cdf(b) - 2 * b * phi(b)) * h;
      }
      return s;
    };
    expect(PARTIAL_FLUSH_PRODUCT * 0.3).toBeCloseTo(F32_MIN_NORMAL, 50);
    expect(energy(0.3)).toBeGreaterThan(0.009);
    expect(energy(0.3)).toBeLessThan(0.011);
  });

  it('depth 124, ∂J/∂a: 0 at layers 1–4, partly flushed at 5–12, the worst ratio from the layers compared as numbers', () => {
    const qa = analyzeQuantity(c, flushRun, 'gradActNorm');
    const v = qa.verdict!;
    expect(v.flushedLayers).toEqual([1, 2, 3, 4]);
    expect(v.partialLayers).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    // The premise, from the f32 simulation: flushing moves those layers (layer 5 by more than a decade), and leaves
    // the layers compared as numbers within 0.015 decades of a GPU that keeps subnormals.
    expect(effect(5)).toBeGreaterThan(1);
    for (let l = 5; l <= 12; l++) expect(effect(l), `layer ${l}`).toBeGreaterThan(0.015);
    for (let l = 13; l <= 124; l++) expect(effect(l), `layer ${l}`).toBeLessThan(0.015);
    // Without the partial mask the worst layer is 5 (the walk's −1.8 was this, on the GPU).
    const tol = predictQuantity(c, 'gradActNorm').tolerance!;
    const flushed = flushMask(c, p, tol, null, BACKWARD);
    const plain = verdict(flushRun.layers.gradActNorm, p, { tolerance: tol, flushed });
    expect(plain.worstLayer).toBe(5);
    expect(v.worstLayer).toBeGreaterThan(12);
    expect(v.worstLog10Ratio).toBeCloseTo(Math.log10(flushRun.layers.gradActNorm[v.worstLayer! - 1] / p[v.worstLayer! - 1]), 12);
    // …and it is the worst of the layers compared as numbers, as on a GPU that keeps subnormals.
    expect(v.worstLayer).toBe(analyzeQuantity(c, keepRun, 'gradActNorm').verdict!.worstLayer);
    expect(v.verdict).toBe('agree');
    expect(comparedText(v)).toBe('124 layers compared, 112 of them as numbers');
    expect(flushedLayersText(v.flushedLayers, v.partialLayers)).toBe(
      "The GPU flushes numbers below 1.2e-38 (f32's smallest normal number) to zero, where float64 keeps them. In f32 the value is 0 at layers 1–4, where every product summed into an entry is that small, and it comes out too small at layers 5–12, where some of them are. Flushing only lowers a value: on those layers a value under the forecast is explained by it and counts as agreeing, not compared as a number; a value more than the tolerance above the forecast would still disagree.",
    );
  });

  it('a GPU that keeps subnormals flushes nothing: no layer is called partly flushed', () => {
    const v = analyzeQuantity(c, keepRun, 'gradActNorm').verdict!;
    expect(v.partialLayers).toEqual([]);
    expect(flushedLayersText(v.flushedLayers, v.partialLayers)).toBe('');
  });

  it('a partly flushed layer above the forecast’s band is still compared: flushing cannot raise a value', () => {
    const tol = predictQuantity(c, 'gradActNorm').tolerance!;
    const broken = flushRun.layers.gradActNorm.slice();
    broken[5] = p[5] * 10 ** (tol[5] + 0.5); // layer 6
    const flushed = flushMask(c, p, tol, null, BACKWARD);
    const partial = partialFlushMask(c, p, null, BACKWARD);
    const v = verdict(broken, p, { tolerance: tol, flushed, partial });
    expect(v.verdict).toBe('disagree');
    expect(v.worstLayer).toBe(6);
    expect(v.partialLayers).not.toContain(6);
  });

  it('names one layer, or only partly flushed ones, and counts them out of the numbers', () => {
    expect(flushedLayersText([], [7])).toBe(
      "The GPU flushes numbers below 1.2e-38 (f32's smallest normal number) to zero, where float64 keeps them. In f32 the value comes out too small at layer 7, where some of the products summed into each entry are that small. Flushing only lowers a value: on those layers a value under the forecast is explained by it and counts as agreeing, not compared as a number; a value more than the tolerance above the forecast would still disagree.",
    );
    expect(flushedLayersText([4], [5, 6])).toContain(
      'In f32 the value is 0 at layer 4, where every product summed into an entry is that small, and it comes out too small at layers 5–6,',
    );
    expect(comparedText({ compared: 20, limitLayers: 4, partialLayers: [5, 6] })).toBe('20 layers compared, 14 of them as numbers');
    expect(comparedText({ compared: 6, limitLayers: 4, partialLayers: [5, 6] })).toBe(
      '6 layers compared, none of them as numbers (past an f32 limit or lowered by flushing to 0)',
    );
  });
});

describe('the verdict line counts the layers compared as numbers apart from those past an f32 limit', () => {
  it('names the count as numbers only when some layers were compared by a limit', () => {
    expect(comparedText({ compared: 64, limitLayers: 0 })).toBe('64 layers compared');
    expect(comparedText({ compared: 64 })).toBe('64 layers compared');
    expect(comparedText({ compared: 240, limitLayers: 26 })).toBe('240 layers compared, 214 of them as numbers');
    expect(comparedText({ compared: 1280, limitLayers: 1280 })).toBe('1,280 layers compared, all of them as both past an f32 limit, not as numbers');
  });
});
