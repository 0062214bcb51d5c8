// The Training lab's per-init summaries and coincide notes, from float64 reference runs and from runs
// whose curves are made equal: each outcome's sentence (fell, did not move with vanished updates,
// exploded at the step and layer the engine recorded), and a note exactly when two curves coincide.
import { describe, expect, it } from 'vitest';
import { trainRef } from '../../src/labs/training/cpu/train-ref';
import type { TrainRun } from '../../src/labs/training/export';
import { coincideNotes, coincidingGroups, summarizeRun, updatesSoFar } from '../../src/labs/training/summary';
import { lossCurves } from '../../src/labs/training/compare';
import type { InitScheme } from '../../src/labs/depth/config';
import type { TrainConfigInput } from '../../src/labs/training/config';
import { statusCode, type TrainResult } from '../../src/labs/training/types';

const base: TrainConfigInput = {
  depth: 4,
  width: 8,
  batch: 8,
  trainSize: 16,
  heldOutSize: 8,
  activation: 'relu',
  steps: 20,
  evalEvery: 5,
  lr: 0.05,
  optimizer: 'sgd',
  seed: 3,
};
const run = (init: InitScheme, gain: number, over: TrainConfigInput = {}): TrainRun => ({
  choice: { init, gain },
  result: trainRef({ ...base, ...over, init, gain }),
});
/** The same result under another init's name (a copy: equal curves). */
const renamed = (r: TrainRun, init: InitScheme, gain: number): TrainRun => ({ choice: { init, gain }, result: structuredClone(r.result) as TrainResult });

describe('Training lab summaries', () => {
  it('a run whose loss falls says so from the held-out loss (the same examples every time), with the training loss beside it', () => {
    const r = run('he-normal', 1);
    const held = r.result.heldOutLoss;
    expect(held[held.length - 1]).toBeLessThan(held[0] * 0.999);
    const s = summarizeRun(r);
    expect(s.outcome).toBe('fell');
    const pct = Math.round((1 - held[held.length - 1] / held[0]) * 100);
    expect(s.text).toMatch(
      new RegExp(
        `^He normal × 1: the loss fell: the held-out loss from [\\d.]+ to [\\d.]+ \\(${pct}% lower\\), the training loss from [\\d.]+ \\(at the start\\) to [\\d.]+ \\(after 19 updates\\)\\.$`,
      ),
    );
    // Without held-out evaluations (only one), the training loss decides.
    const one: TrainRun = {
      ...r,
      result: {
        ...r.result,
        heldOutLoss: held.slice(0, 1),
        heldOutStep: r.result.heldOutStep.slice(0, 1),
        status: { ...r.result.status, heldOutLoss: r.result.status.heldOutLoss.slice(0, 1) },
      },
    };
    const loss = r.result.trainLoss;
    const trainFell = loss[loss.length - 1] < loss[0];
    expect(summarizeRun(one).text).toMatch(
      trainFell ? /^He normal × 1: the loss fell from [\d.]+ \(at the start\) to [\d.]+ \(after 19 updates\), \d+% lower\.$/ : /the loss rose from/,
    );
  });

  it('counts as the loss chart’s x axis: the summary’s "after N updates" are the plotted x of the same points (walk s11 T3)', () => {
    const r = run('he-normal', 1);
    const [train] = lossCurves([r], null);
    const loss = r.result.trainLoss;
    const n = loss.length;
    // The first and last training-loss points as the chart plots them, and the summary's words for them.
    const x0 = train.x[0];
    const x1 = train.x[n - 1];
    expect([x0, x1]).toEqual([0, 19]);
    const s = summarizeRun(r).text;
    const words = (x: number) => (x === 0 ? 'at the start' : x === 1 ? 'after 1 update' : `after ${x} updates`);
    expect(s).toContain(`(${words(x0)}) to `);
    expect(s).toContain(`(${words(x1)}).`);
    // A break is named at the x where the chart draws that step's ▲ (its training-loss point).
    const broken: TrainRun = { ...r, result: { ...r.result, brokeAt: { step: 1, what: 'activations', layer: 3, status: 'overflow' } } };
    expect(summarizeRun(broken).text).toMatch(new RegExp(`^He normal × 1 exploded ${words(train.x[1])}:`));
    expect(updatesSoFar(1)).toBe('after 1 update');
    expect(updatesSoFar(1234)).toBe('after 1,234 updates');
  });

  it('training loss down but held-out loss up reads as overfitting, not as a learning rate problem', () => {
    const r = run('he-normal', 1);
    const result = structuredClone(r.result) as TrainResult;
    result.trainLoss[result.trainLoss.length - 1] = result.trainLoss[0] / 2;
    result.heldOutLoss[result.heldOutLoss.length - 1] = result.heldOutLoss[0] * 2;
    const s = summarizeRun({ ...r, result });
    expect(s.outcome).toBe('overfit');
    expect(s.text).toMatch(/but the held-out loss rose .*\(overfitting\)\.$/);
  });

  it('a run at depth 50 with W = 0.5·I does not move, and says its updates vanished (largest update ratio below 1e-6)', () => {
    const r = run('identity', 0.5, { depth: 50 });
    const s = summarizeRun(r);
    expect(s.outcome).toBe('flat');
    expect(s.text).toMatch(/^identity × 0\.5: the loss did not move: the held-out loss went from [\d.]+ to [\d.]+, the training loss was/);
    expect(s.text).toMatch(/vanishing gradients/);
  });

  it('a run that explodes names when as the chart counts it (updates so far) and the layer the engine recorded, ties it to the lesson, and says the rest is lost', () => {
    const r = run('normal', 10, { depth: 30, width: 16, steps: 4 });
    const b = r.result.brokeAt!;
    expect(b).not.toBeNull();
    expect(b.status).toBe('overflow');
    const s = summarizeRun(r);
    expect(s.outcome).toBe('exploded');
    const what = {
      activations: 'its activations',
      gradActivations: 'the backpropagated gradients ∂J/∂a',
      gradWeights: 'the weight gradient',
      weights: 'the updated weights',
      adamMoment: 'Adam',
    }[b.what];
    expect(s.text.startsWith(`N(0, 1) × 10 exploded ${updatesSoFar(b.step)}: ${what}`)).toBe(true);
    expect(s.text).toContain(b.what === 'gradWeights' || b.what === 'weights' ? `[${b.layer}]` : `layer ${b.layer}`);
    expect(s.text).toMatch(/grows layer after layer \(exploding activations and gradients\)/);
    expect(s.text).toMatch(/Every later step is lost/);
  });

  it('the loss of the step it broke on is never shown as an f32 number past f32’s range: one past it says it is a float64 value', () => {
    const r = run('normal', 10, { depth: 30, width: 16, steps: 4 });
    const b = r.result.brokeAt!;
    const withLoss = (loss: number): TrainRun => {
      const c = structuredClone(r.result) as TrainResult;
      c.trainLoss[b.step] = loss;
      c.status.trainLoss[b.step] = statusCode('overflow');
      return { choice: r.choice, result: c };
    };
    const big = summarizeRun(withLoss(2.5e44)).text;
    const edge = summarizeRun(withLoss(2e38)).text;
    expect(big).toContain('Its loss on that step, worked out in float64 from the GPU’s f32 norm of ∂J/∂a[L], was 2.5e44: past f32’s range (> 3.403e38)');
    expect(edge).toContain('Its loss on that step was 2e38, past the lab’s 1e38 overflow mark');
    expect(summarizeRun(withLoss(Infinity)).text).toContain('Its loss on that step overflowed (▲ on the chart).');
  });

  it('a break on the last step says nothing about later steps; a break after the first step blames the updates, not the init', () => {
    const r = run('he-normal', 1, { steps: 3 });
    const broken: TrainRun = { ...r, result: { ...r.result, brokeAt: { step: 2, what: 'activations', layer: 3, status: 'overflow' } } };
    const s = summarizeRun(broken).text;
    expect(s).toMatch(/^He normal × 1 exploded after 2 updates: its activations overflowed f32 at layer 3\./);
    expect(s).toMatch(/its updates made the weights grow/);
    expect(s).not.toMatch(/Every later step/);
    const nan: TrainRun = { ...r, result: { ...r.result, brokeAt: { step: 0, what: 'weights', layer: 2, status: 'nan' } } };
    expect(summarizeRun(nan).text).toMatch(
      /^He normal × 1 broke at the start: the updated weights W\[2\] became NaN\. The update was larger than the weights could take/,
    );
  });
});

describe('Training lab: curves that lie on top of each other', () => {
  it('two inits with equal curves are named in one note; a third, different init is not', () => {
    const he = run('he-normal', 1);
    const same = renamed(he, 'xavier-normal', 1);
    const other = run('identity', 0.5);
    expect(coincidingGroups([he, other, same])).toEqual([[0, 2]]);
    expect(coincideNotes([he, other, same])).toEqual([
      'He normal × 1 and Xavier normal × 1 have the same training and held-out loss at every step, so their lines lie on top of each other: the chart shows one line for them.',
    ]);
    // Three equal curves: one note naming all three.
    expect(coincideNotes([he, same, renamed(he, 'normal', 2)])[0]).toMatch(/^He normal × 1, Xavier normal × 1, and N\(0, 1\) × 2 have the same/);
  });

  it('equal training loss but a different held-out loss says training loss only; curves that differ anywhere coincide with nothing', () => {
    const he = run('he-normal', 1);
    const twin = renamed(he, 'xavier-normal', 1);
    twin.result.heldOutLoss[1] *= 1.01;
    expect(coincideNotes([he, twin])).toEqual([
      'He normal × 1 and Xavier normal × 1 have the same training loss at every step, so their lines lie on top of each other: the chart shows one line for them.',
    ]);
    const near = renamed(he, 'xavier-normal', 1);
    near.result.trainLoss[7] *= 1 + 1e-4;
    expect(coincidingGroups([he, near])).toEqual([]);
    expect(coincideNotes([he, run('he-normal', 1, { seed: 4 })])).toEqual([]);
  });

  it('a pinned curve equal to a current one is named as the legend names it ("… (pinned)")', () => {
    const he = run('he-normal', 1);
    const other = run('identity', 0.5);
    expect(coincideNotes([he, other], [renamed(other, 'identity', 0.5), run('he-normal', 1, { seed: 9 })])).toEqual([
      'identity × 0.5 and identity × 0.5 (pinned) have the same training and held-out loss at every step, so their lines lie on top of each other: the chart shows one line for them.',
    ]);
    expect(coincideNotes([he], [run('he-normal', 1, { seed: 9 })])).toEqual([]);
  });

  it('runs lost from their first step have no line to hide: no note', () => {
    const a = run('normal', 10, { depth: 30, width: 16, steps: 4 });
    const b = renamed(a, 'normal', 11);
    expect(
      Array.from(a.result.status.trainLoss)
        .slice(1)
        .every((c) => c === 4),
    ).toBe(true);
    // Step 1's loss is overflow or lost, never a finite point on a line.
    expect(a.result.status.trainLoss[0]).not.toBe(0);
    expect(coincideNotes([a, b])).toEqual([]);
  });
});
