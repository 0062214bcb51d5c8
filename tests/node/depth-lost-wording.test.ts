// Review item "one event, two layers": on W = 1.5·I at depth 240 the row said "‖a‖ overflows f32 at layer 219 …
// passes the lab's 1e38 mark at layer 215. Everything computed after that is lost: ‖a‖ overflowed at layer 215",
// though at 215 ‖a‖ ≈ 1.02e38 is still inside f32. The lost sentence now says what happened at that layer (passed
// the 1e38 mark), and "overflowed f32" only where the value had left f32's range — checked on an f32 simulation
// of the GPU's pass (Infinity where f32 has it) and on the float64 reference, for every quantity.
import { describe, expect, it } from 'vitest';
import { describeCause, type LostCause } from '../../src/labs/depth/classify';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { analyzeRow, LIMIT_TEXTS_EXPORT, limitSentences, measureLimits } from '../../src/labs/depth/row-analysis';
import { predictedLimitLayer } from '../../src/labs/depth/predictions';
import type { DeepNetResult } from '../../src/labs/depth/types';
import { runF32 } from '../helpers/deep-net-f32';
import { STATUS_LABELS } from '../../src/viz/heatmap-model';

const F32_MAX = 3.4028234663852886e38;
const lecture = (c: Partial<DeepNetConfig>) =>
  validateDeepNetConfig({ width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1, ...c });

describe('the lost sentence names what happened at its layer', () => {
  it('1.5·I, depth 240 on the GPU (f32): overflows f32 at 219, passes the mark at 215, lost "passed the mark at 215"', () => {
    const c = lecture({ depth: 240 });
    const run = runF32(c, { flush: true });
    expect(run.layers.actNorm[214]).toBeGreaterThan(1e38);
    expect(run.layers.actNorm[214]).toBeLessThan(F32_MAX); // inside f32 at 215
    expect(run.layers.actNorm[218]).toBe(Infinity); // f32 overflows at 219
    const a = analyzeRow(c, run);
    expect(a.measuredLimits.lostTo).toEqual({ pass: 'forward', stat: 'actNorm', layer: 215, status: 'overflow', pastF32: false });
    expect(a.limitSentences[0]).toBe("‖a‖ overflows f32 at layer 219 (predicted 219); it passes the lab's 1e38 overflow mark at layer 215.");
    expect(a.limitSentences[1]).toMatch(/^Everything computed after that is lost: ‖a‖ passed the lab's 1e38 overflow mark at layer 215, /);
    expect(a.limitSentences.join(' ')).not.toMatch(/overflowed (f32 )?at layer 215/);
    // Walk s11 D1: the sentence names the class as the heatmap's and row chart's legend do (it said "shown as lost").
    expect(a.limitSentences[1]).toContain(`(shown in violet as “${STATUS_LABELS.lost}”, not as vanishing)`);
  });

  it('1.5·I, depth 160, ∂J/∂a: overflows f32 at 101 after passing the mark at 105; every gradient below 105 lost to "passed the mark at 105"', () => {
    const c = lecture({ depth: 160 });
    const run = runF32(c, { flush: true });
    const m = measureLimits(run);
    expect(m).toMatchObject({ gradOverflow: 101, gradOverflowThreshold: 105 });
    expect(m.lostTo).toEqual({ pass: 'backward', stat: 'gradActNorm', layer: 105, status: 'overflow', pastF32: false });
    const text = analyzeRow(c, run).limitSentences;
    expect(text).toEqual([
      "Gradients ∂J/∂a overflow f32 at layer 101 (predicted 101), the first layer the backward pass reaches (counting down from the last) with an Infinity or NaN; they pass the lab's 1e38 overflow mark earlier on the way down, at layer 105.",
      "Below that every gradient is lost: ‖∂J/∂a‖ passed the lab's 1e38 overflow mark at layer 105, and backprop computes ∂J/∂W[105] and all lower layers from it.",
    ]);
    // The export's English says the same.
    expect(limitSentences(c, m, predictedLimitLayer(c), LIMIT_TEXTS_EXPORT)).toEqual(text);
  });

  it('"overflowed f32 at layer N" exactly where the value at N has left f32\'s range; "passed the mark" where it has not', () => {
    // Explosions of every kind (identity, random inits with large gains, linear/ReLU/tanh), forward and backward,
    // on the GPU's f32 and in float64.
    const configs: Partial<DeepNetConfig>[] = [
      ...[60, 110, 160, 200, 216, 219, 230, 240].map((depth) => ({ depth })),
      ...[3, 5, 40].map((gain) => ({ depth: 60, width: 8, batch: 4, init: 'normal' as const, input: 'normal' as const, gain })),
      { depth: 80, width: 32, batch: 2, activation: 'relu', init: 'normal', gain: 1, input: 'normal', seed: 3 },
      { depth: 40, width: 16, batch: 4, activation: 'tanh', init: 'normal', gain: 4, input: 'normal', seed: 2 },
    ];
    let checked = { pastF32: 0, mark: 0 };
    for (const partial of configs) {
      const c = lecture(partial);
      const runs: DeepNetResult[] = [runF32(c, { flush: true }), runF32(c, { flush: false }), deepNetRef(c)];
      for (const run of runs) {
        const cause: LostCause | null = measureLimits(run).lostTo ?? null;
        if (!cause || cause.status !== 'overflow') continue;
        const v = Math.abs(run.layers[cause.stat][cause.layer - 1]);
        const text = describeCause(cause);
        if (v > F32_MAX) {
          expect(text, JSON.stringify(partial)).toMatch(/overflowed f32 at layer \d+$/);
          checked.pastF32++;
        } else {
          expect(v).toBeGreaterThan(1e38);
          expect(text, JSON.stringify(partial)).toMatch(/passed the lab's 1e38 overflow mark at layer \d+$/);
          checked.mark++;
        }
        expect(describeCause(cause, { english: true })).toBe(text);
        // The row's sentences never call the cause layer an f32 overflow unless it was one.
        const sentences = analyzeRow(c, run).limitSentences.join(' ');
        if (v <= F32_MAX) expect(sentences).not.toMatch(new RegExp(`overflowed (f32 )?at layer ${cause.layer}\\b`));
      }
    }
    expect(checked.pastF32).toBeGreaterThan(2);
    expect(checked.mark).toBeGreaterThan(2);
  });
});
