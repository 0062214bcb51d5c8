// Paired-round statistics of `npm run bench --rounds N`: spreads, per-round ratios, targets on medians.
import { describe, expect, it } from 'vitest';
import { combineRounds, medianRows, pairedRatios, perRound, spread, SWEEP_GOAL, TRAINING_GOAL } from '../../src/bench/rounds';
import { summarize, type SummaryLine } from '../../src/bench/summary';
import type { BenchRow } from '../../src/bench/runner';
import { benchRow as row } from '../helpers/bench-row';

/** One round's rows: matmul 256³ (ours a, tfjs b), FMA roof, copy, moments (ours, tfjs) and norms (ours, plain). */
function roundRows(v: { ours: number; tf: number; roof: number; copy: number; moments: number; tfMoments: number; norms: number; plain: number }): BenchRow[] {
  return [
    row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'fma (start)', rate: v.roof }),
    row({ shape: '256×256×256', impl: 'ours: direct', variant: 'direct', rate: v.ours }),
    row({ shape: '256×256×256', impl: 'tf.matMul', ours: false, rate: v.tf }),
    row({ group: 'roof', impl: 'copy (vec4)', ours: false, metric: 'GB/s', shape: '16M', floats: 16, rate: v.copy }),
    row({ group: 'moments', impl: 'ours: moments', metric: 'GB/s', shape: '16M', floats: 16, rate: v.moments }),
    row({ group: 'moments', impl: 'tf.moments', ours: false, metric: 'GB/s', shape: '16M', floats: 16, rate: v.tfMoments }),
    row({ group: 'norms', impl: 'ours: norms', metric: 'GB/s', shape: '4M', floats: 4, rate: v.norms }),
    row({ group: 'norms', impl: 'two-pass Σx² (plain)', ours: false, metric: 'GB/s', shape: '4M', floats: 4, rate: v.plain }),
  ];
}

describe('spread', () => {
  it('odd count: the middle value; min and max', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
  });
  it('even count: the mean of the middle two', () => {
    expect(spread([4, 1, 10, 2])).toEqual({ median: 3, min: 1, max: 10, n: 4 });
  });
  it('NaN and infinities are left out, and counted out', () => {
    expect(spread([NaN, 5, Infinity, 1, -Infinity])).toEqual({ median: 3, min: 1, max: 5, n: 2 });
  });
  it('nothing finite: everything NaN, n = 0', () => {
    const s = spread([NaN, NaN]);
    expect(s.n).toBe(0);
    expect(s.median).toBeNaN();
    expect(s.min).toBeNaN();
    expect(s.max).toBeNaN();
    expect(spread([]).n).toBe(0);
  });
  it('one value is its own median, min and max', () => {
    expect(spread([7])).toEqual({ median: 7, min: 7, max: 7, n: 1 });
  });
});

describe('paired ratios', () => {
  it('divide round by round, not medians by medians', () => {
    // Round 2 is slow for both sides: paired, the ratio stays 2 every round.
    const ours = [10, 4, 12];
    const theirs = [5, 2, 6];
    expect(pairedRatios(ours, theirs)).toEqual([2, 2, 2]);
    expect(perRound(pairedRatios(ours, theirs)).spread).toEqual({ median: 2, min: 2, max: 2, n: 3 });
    // Unpaired medians would give 10 / 5 = 2 here too, but not when the slow round differs per side:
    expect(pairedRatios([10, 4, 12], [5, 6, 2])).toEqual([2, 4 / 6, 6]);
  });
  it('a missing or zero side is NaN for that round only', () => {
    const r = pairedRatios([1, 2, NaN, 4], [1, 0, 1, 2]);
    expect(r[0]).toBe(1);
    expect(r[1]).toBeNaN();
    expect(r[2]).toBeNaN();
    expect(r[3]).toBe(2);
    expect(spread(r)).toEqual({ median: 1.5, min: 1, max: 2, n: 2 });
  });
  it('refuses lists of different lengths (they would not be paired)', () => {
    expect(() => pairedRatios([1, 2], [1])).toThrow(/one value per round on each side, got 2 and 1/);
  });
});

describe('combineRounds', () => {
  const r1 = roundRows({ ours: 10, tf: 1, roof: 20, copy: 4, moments: 6, tfMoments: 0.2, norms: 2, plain: 0.1 });
  const r2 = roundRows({ ours: 5, tf: 1, roof: 10, copy: 2, moments: 1, tfMoments: 0.1, norms: 1, plain: 0.2 });
  const r3 = roundRows({ ours: 8, tf: 2, roof: 16, copy: 4, moments: 5, tfMoments: 0.5, norms: 3, plain: 0.1 });
  const rounds = [r1, r2, r3];
  const c = combineRounds(
    rounds.map((r) => summarize(r)),
    r1,
    [4, 3, 2],
  );
  const line = (k: SummaryLine['kernel']) => c.lines.find((l) => l.kernel === k)!;

  it('keeps every round and spreads each paired ratio', () => {
    expect(c.rounds).toBe(3);
    expect(c.fmaRoof.values).toEqual([20, 10, 16]);
    const mm = line('matmul');
    expect(mm.ours.values).toEqual([10, 5, 8]);
    expect(mm.ratios.oursOverOther!.values).toEqual([10, 5, 4]);
    expect(mm.ratios.oursOverOther!.spread).toEqual({ median: 5, min: 4, max: 10, n: 3 });
    expect(mm.ratios.oursOverRoof!.values).toEqual([0.5, 0.5, 0.5]);
    expect(mm.best).toEqual(['direct', 'direct', 'direct']);
    const mo = line('moments');
    expect(mo.ratios.oursOverOther!.values).toEqual([30, 10, 10]);
    expect(mo.ratios.oursOverRoof!.values).toEqual([1.5, 0.5, 1.25]);
    expect(line('norms').ratios.oursOverBaseline!.values.map((v) => +v.toFixed(9))).toEqual([20, 5, 30]);
  });
  it('checks the targets on the medians and reports the range', () => {
    const t = (s: string) => c.targets.find((x) => x.target.includes(s))!;
    // matmul / tfjs: median 5 of [10, 5, 4] misses ≥ 8× although one round met it.
    expect(t('tf.matMul')).toMatchObject({ value: 5, min: 4, max: 10, n: 3, met: false });
    // moments / copy: median 1.25 of [1.5, 0.5, 1.25] meets ≥ 1.0×.
    expect(t('copy')).toMatchObject({ value: 1.25, min: 0.5, max: 1.5, met: true });
    expect(t('tf.moments')).toMatchObject({ value: 10, met: false });
    expect(t('two-pass')).toMatchObject({ value: 20, met: false }); // median 20 of [20, 5, 30] against ≥ 30×
  });
  it("the depth sweep is divided by the same round's 256³ matmul rate", () => {
    expect(c.sweepOverMatmul!.values).toEqual([0.4, 0.6, 0.25]);
    expect(c.sweepOverMatmul!.spread.median).toBe(0.4);
    expect(c.targets.find((t) => t.kernel === 'sweep')).toMatchObject({ value: 0.4, goal: SWEEP_GOAL, met: false, min: 0.25, max: 0.6 });
  });
  it('a line missing from a round is NaN there, not a shifted pairing', () => {
    const partial = r2.filter((r) => r.group !== 'moments');
    const c2 = combineRounds(
      [r1, partial, r3].map((r) => summarize(r)),
      r1,
    );
    const mo = c2.lines.find((l) => l.kernel === 'moments')!;
    expect(mo.ratios.oursOverOther!.values[1]).toBeNaN();
    expect(mo.ratios.oursOverOther!.spread).toEqual({ median: 20, min: 10, max: 30, n: 2 });
    expect(c2.sweepOverMatmul).toBeUndefined();
  });
  it("one round: median = min = max = that round's ratio, targets as a single run gives", () => {
    const one = combineRounds([summarize(r1)], r1);
    expect(one.targets.map((t) => [t.value, t.met])).toEqual(summarize(r1).targets.map((t) => [t.value, t.met]));
  });
  it('needs as many sweeps as rounds, and at least one round', () => {
    expect(() =>
      combineRounds(
        rounds.map((r) => summarize(r)),
        r1,
        [1],
      ),
    ).toThrow(/3 rounds, 1 sweeps/);
    expect(() => combineRounds([], r1)).toThrow(/at least one round/);
  });
});

describe('combineRounds: the training row', () => {
  // 256³ matmul: 10, 5, 8 GFLOP/s in rounds 1–3 (ours, best variant).
  const rounds = [
    roundRows({ ours: 10, tf: 1, roof: 20, copy: 4, moments: 6, tfMoments: 0.2, norms: 2, plain: 0.1 }),
    roundRows({ ours: 5, tf: 1, roof: 10, copy: 2, moments: 1, tfMoments: 0.1, norms: 1, plain: 0.2 }),
    roundRows({ ours: 8, tf: 2, roof: 16, copy: 4, moments: 5, tfMoments: 0.5, norms: 3, plain: 0.1 }),
  ];
  const summaries = rounds.map((r) => summarize(r));
  it("divides each round's training GFLOP/s by the same round's matmul rate at the reference shape (paired)", () => {
    // Round 2 is slow for both: paired, 4/5 = 0.8; unpaired medians would give median(7, 4, 6) / median(10, 5, 8) = 0.75.
    const c = combineRounds(summaries, rounds[0], undefined, { gflops: [7, 4, 6], reference: '256×256×256' });
    expect(c.trainingOverMatmul!.values).toEqual([0.7, 0.8, 0.75]);
    expect(c.trainingOverMatmul!.spread).toEqual({ median: 0.75, min: 0.7, max: 0.8, n: 3 });
    expect(c.trainingReference).toBe('256×256×256');
    expect(c.sweepOverMatmul).toBeUndefined();
    const t = c.targets.find((x) => x.kernel === 'training')!;
    expect(t).toMatchObject({ ratio: 'trainingOverMatmul', shape: '256×256×256', value: 0.75, goal: TRAINING_GOAL, met: true, min: 0.7, max: 0.8, n: 3 });
    expect(t.target).toBe('training (SGD): GFLOP/s / 256×256×256 matmul ≥ 70%');
  });
  it('the target is checked on the median: one good round does not meet it', () => {
    const c = combineRounds(summaries, rounds[0], undefined, { gflops: [9, 3, 4], reference: '256×256×256' });
    expect(c.trainingOverMatmul!.values).toEqual([0.9, 0.6, 0.5]);
    expect(c.targets.find((x) => x.kernel === 'training')).toMatchObject({ value: 0.6, met: false, min: 0.5, max: 0.9 });
  });
  it('sits beside the sweep: both ratios and both targets, each paired with its own round', () => {
    const c = combineRounds(summaries, rounds[0], [4, 3, 2], { gflops: [7, 4, 6], reference: '256×256×256' });
    expect(c.sweepOverMatmul!.values).toEqual([0.4, 0.6, 0.25]);
    expect(c.trainingOverMatmul!.values).toEqual([0.7, 0.8, 0.75]);
    expect(c.targets.map((t) => t.kernel).filter((k) => k === 'sweep' || k === 'training')).toEqual(['sweep', 'training']);
  });
  it('a reference shape the rounds did not measure gives NaN ratios and no target, not a wrong one', () => {
    const c = combineRounds(summaries, rounds[0], undefined, { gflops: [7, 4, 6], reference: '512×512×512' });
    expect(c.trainingOverMatmul!.spread.n).toBe(0);
    expect(c.trainingOverMatmul!.values.every(Number.isNaN)).toBe(true);
    expect(c.targets.some((t) => t.kernel === 'training')).toBe(false);
  });
  it('needs one training row per round', () => {
    expect(() => combineRounds(summaries, rounds[0], undefined, { gflops: [1, 2], reference: '256×256×256' })).toThrow(/3 rounds, 2 training rows/);
  });
});

describe('medianRows', () => {
  it('one row per implementation and shape with the median rate; FMA roofs collapse; a failure in any round shows', () => {
    const bad = { ok: false, maxRelError: 1, checked: 1, firstBad: 0, how: 'x', rule: 'exact' as const, total: 1 };
    const a = [row({ shape: 'A', rate: 1 }), row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'r (start)', rate: 10 })];
    const b = [row({ shape: 'A', rate: 3, verification: bad }), row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'r (end)', rate: 30 })];
    const c = [row({ shape: 'A', rate: 2 }), row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'r (start)', rate: 20 })];
    const m = medianRows([a, b, c]);
    expect(m).toHaveLength(2);
    expect(m[0]).toMatchObject({ shape: 'A', rate: 2, samples: 9 });
    expect(m[0].verification.ok).toBe(false);
    expect(m[1]).toMatchObject({ impl: 'FMA roof', rate: 20 });
  });
});
