// Review item: on W = 0.5·I at depth 64 the ∂J/∂a tab said "underflow to exactly 0 at layer 1 (predicted none)".
// The 0 is the GPU flushing subnormal numbers (below f32's smallest normal, 2^-126 ≈ 1.2e-38) to zero, while the
// float64 value there is a positive subnormal. The row text now says so, decided from the float64 numbers (the
// prediction, checked here against the float64 reference), not from the preset. The GPU is an f32 simulation with
// and without flush-to-zero.
import { describe, expect, it } from 'vitest';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { F32_MIN_NORMAL } from '../../src/labs/depth/predictions';
import { analyzeRow, LIMIT_TEXTS_EXPORT, limitSentences } from '../../src/labs/depth/row-analysis';
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
      `Gradients ∂J/∂a are exactly 0 at layer 1, counting down from the last layer, where float64 predicts ${shown}: ${FLUSH}`,
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
