import { describe, expect, it } from 'vitest';
import { analyzeQuantity, underLineText } from '../../src/labs/depth/row-analysis';
import { refSweep } from '../helpers/ref-sweep';
import { runF32 } from '../helpers/deep-net-f32';
import { validateDeepNetConfig } from '../../src/labs/depth/config';

// Learner walk (W = 1.5·I, row depth 140, ‖∂J/∂W‖): the row said "the dashed prediction lies under the measured
// line up to layer 65" while layers 1–65 are lost (no measured line there) and every compared layer, 66–140,
// is past f32's range. The sentence now starts at the first compared layer.

const LECTURE = { width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 } as const;

describe('underLineText: where the dashed prediction lies under the measured line', () => {
  it('W = 1.5·I, depth 140, ‖∂J/∂W‖: lost below layer 66, past f32 from there: nothing lies under anything', () => {
    const { results } = refSweep({ ...LECTURE, depth: 140 }, { kind: 'depth', depths: [140] });
    const r = results[0];
    const qa = analyzeQuantity(r.config, r.run, 'gradWNorm');
    const v = qa.verdict!;
    expect(v.verdict).toBe('agree');
    expect(qa.lostLayers).toBe(65);
    expect(v.firstComparedLayer).toBe(66);
    expect(v.firstLimitLayer).toBe(66);
    expect(underLineText(v)).toBe('Both are past f32’s range at every layer compared, which counts as agreeing; the lines are not compared as numbers.');
  });

  it('W = 0.5·I, ‖a‖: compared from layer 1, under the line up to the layer before the underflow mark', () => {
    const { results } = refSweep({ ...LECTURE, gain: 0.5, depth: 160 }, { kind: 'depth', depths: [160] });
    const v = analyzeQuantity(results[0].config, results[0].run, 'actNorm').verdict!;
    expect(v.firstComparedLayer).toBe(1);
    expect(underLineText(v)).toBe(
      `The dashed prediction lies under the measured line up to layer ${v.firstLimitLayer! - 1}; from layer ${v.firstLimitLayer} both are past the same f32 limit, which counts as agreeing, but the lines are not compared as numbers there.`,
    );
  });

  it('W = 0.5·I, depth 64, ‖∂J/∂a‖ (GPU f32, flushed): past the limit only in the lowest layers — not "every layer compared"', () => {
    const c = validateDeepNetConfig({ ...LECTURE, gain: 0.5, depth: 64 });
    const v = analyzeQuantity(c, runF32(c, { flush: true }), 'gradActNorm').verdict!;
    expect(v.verdict).toBe('agree');
    expect(v.firstLimitLayer).toBe(1);
    const last = v.lastLimitLayer!;
    expect(last).toBeGreaterThan(1);
    expect(last).toBeLessThan(64);
    expect(v.limitLayers).toBe(last); // layers 1..last, and no other
    expect(underLineText(v)).toBe(
      `The dashed prediction lies under the measured line from layer ${last + 1} to layer 64; at layers 1 to ${last} both are past the same f32 limit, which counts as agreeing, but the lines are not compared as numbers there.`,
    );
  });

  it('W = 1.5·I, depth 160, ‖∂J/∂a‖ (GPU f32): lost below 105, past the mark at 105 only, under the line above', () => {
    const c = validateDeepNetConfig({ ...LECTURE, depth: 160 });
    const v = analyzeQuantity(c, runF32(c, { flush: true }), 'gradActNorm').verdict!;
    expect(v).toMatchObject({ verdict: 'agree', firstComparedLayer: 105, firstLimitLayer: 105, lastLimitLayer: 105, lastComparedLayer: 160 });
    expect(underLineText(v)).toBe(
      "The dashed prediction lies under the measured line from layer 106 to layer 160; at layer 105 both are past the lab's 1e38 overflow mark, which counts as agreeing, but the lines are not compared as numbers there.",
    );
  });

  // Walk s11 D1 (W = 1.5·I, row depth 240, ‖a‖): "from layer 215 both are past the same f32 limit", while 215 is only
  // the lab's 1e38 mark (1.024e38, an f32 number) and f32 overflows at 219. The sentence names the mark.
  it('W = 1.5·I, depth 240, ‖a‖ (float64 and GPU f32): from layer 215 both are past the lab’s 1e38 mark, not an f32 limit', () => {
    const c = validateDeepNetConfig({ ...LECTURE, depth: 240 });
    const { results } = refSweep({ ...LECTURE, depth: 240 }, { kind: 'depth', depths: [240] });
    for (const run of [results[0].run, runF32(c, { flush: true })]) {
      const v = analyzeQuantity(c, run, 'actNorm').verdict!;
      expect(v).toMatchObject({ verdict: 'agree', firstLimitLayer: 215, limitLayers: 1, overflowLimitLayers: 1 });
      expect(run.layers.actNorm[214]).toBeLessThan(3.4e38); // an f32 number: only the lab's mark is passed
      expect(underLineText(v)).toBe(
        "The dashed prediction lies under the measured line up to layer 214; from layer 215 both are past the lab's 1e38 overflow mark, which counts as agreeing, but the lines are not compared as numbers there.",
      );
    }
  });

  it('lost layers first, then measured ones, then past the limit: the sentence names the measured stretch', () => {
    expect(underLineText({ firstComparedLayer: 20, firstLimitLayer: 50 })).toBe(
      'The dashed prediction lies under the measured line from layer 20 to layer 49; from layer 50 both are past the same f32 limit, which counts as agreeing, but the lines are not compared as numbers there.',
    );
    expect(underLineText({ firstComparedLayer: 20, firstLimitLayer: null })).toBe('The dashed prediction lies under the measured line.');
    // Past the 1e38 mark on both sides at every limit layer: the mark; an underflow among them: the f32 limit.
    expect(underLineText({ firstComparedLayer: 20, firstLimitLayer: 50, limitLayers: 3, overflowLimitLayers: 3 })).toContain(
      "from layer 50 both are past the lab's 1e38 overflow mark",
    );
    expect(underLineText({ firstComparedLayer: 20, firstLimitLayer: 50, limitLayers: 3, overflowLimitLayers: 2 })).toContain(
      'from layer 50 both are past the same f32 limit',
    );
  });
});
