import { describe, expect, it } from 'vitest';
import { lossText } from '../../src/labs/depth/loss-text';
import { F32_MAX } from '../../src/labs/depth/predictions';
import { refSweep } from '../helpers/ref-sweep';

// Review item: the selected row printed "Loss J = 2.0E49 (overflow)" — a float64 number no f32 can hold,
// shown as if the GPU had computed it. A J past f32's range reads as an overflow (or underflow) of f32, and
// the float64 number, where it is shown, is labelled as float64.

/** The number in a text that is presented as "J = <number>" (the measured-looking form), or null. */
const shownAsJ = (text: string) => /^Loss J = (\S+)/.exec(text)?.[1] ?? null;

describe('lossText: how the loss J of a row reads', () => {
  it('a finite J is shown as the number it is', () => {
    expect(lossText(3.25, 'finite')).toBe('Loss J = 3.25');
    expect(lossText(1.5e20, 'finite')).toBe('Loss J = 1.5e20');
  });

  it('a J past f32’s range (W = 1.5·I, depth 140: J = ‖a‖²/2 ≈ 2e49) is an overflow, its float64 value labelled', () => {
    const { results } = refSweep(
      { width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1, depth: 140 },
      { kind: 'depth', depths: [140] },
    );
    const run = results[0].run;
    expect(run.lossStatus).toBe('overflow');
    expect(run.loss).toBeGreaterThan(1e49);
    const text = lossText(run.loss, run.lossStatus);
    expect(shownAsJ(text)).toBeNull();
    expect(text).toMatch(/^Loss J: overflow \(past f32’s range, > 3\.403e38\); in float64, J = ‖a\[L\]‖²\/2 would be 2(\.\d+)?e49$/);
  });

  it('between the lab’s 1e38 mark and f32’s largest number the value is one f32 holds, and it says so', () => {
    const text = lossText(2e38, 'overflow');
    expect(2e38).toBeLessThan(F32_MAX);
    expect(text).toBe('Loss J = 2e38: overflow (past the lab’s 1e38 mark, at the edge of f32’s range)');
    expect(lossText(Infinity, 'overflow')).toBe('Loss J: overflow (past f32’s range, > 3.403e38)');
  });

  it('an underflow below f32’s smallest number is not shown as a measured number either', () => {
    const tiny = lossText(1e-60, 'underflow');
    expect(shownAsJ(tiny)).toBeNull();
    expect(tiny).toBe('Loss J: underflow (below f32’s range, < 1.401e-45); in float64, J = ‖a[L]‖²/2 would be 1e-60');
    expect(lossText(0, 'underflow')).toBe('Loss J = 0: underflow (f32 cannot tell a true 0 from a value too small for it)');
    // A subnormal f32 holds it (with fewer digits): the number stays, with the status.
    expect(lossText(1e-40, 'underflow')).toBe('Loss J = 1e-40: underflow (below the lab’s 1e-37 mark, where f32 loses precision)');
  });

  it('a lost J shows no number at all; NaN is NaN', () => {
    const { results } = refSweep(
      { width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1, depth: 240 },
      { kind: 'depth', depths: [240] },
    );
    expect(results[0].run.lossStatus).toBe('lost');
    const text = lossText(results[0].run.loss, 'lost');
    expect(text).toBe('Loss J: after a value passed 1e38 or became NaN (no number of it says anything about the net)');
    expect(text.replace('1e38', '')).not.toMatch(/\d/); // no number of J (1e38 is the mark it names)
    expect(lossText(NaN, 'nan')).toBe('Loss J = NaN');
  });
});
