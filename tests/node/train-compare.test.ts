import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coincideNotes, pinnedLabel } from '../../src/labs/training/summary';
import { canPinSweep, lossCurves, lossLegendKeys, lossXTitle, pinTrainSweep, trainSweepLabel } from '../../src/labs/training/compare';
import { trainRef } from '../../src/labs/training/cpu/train-ref';
import { validateTrainConfig } from '../../src/labs/training/config';
import type { TrainRun } from '../../src/labs/training/export';

const base = { depth: 3, width: 4, batch: 4, trainSize: 8, heldOutSize: 4, activation: 'relu', steps: 5, evalEvery: 5, lr: 0.01, optimizer: 'sgd' } as const;
const run = (init: 'he-normal' | 'normal', gain: number): TrainRun => ({ choice: { init, gain }, result: trainRef({ ...base, init, gain }) });

describe('Training lab pin to compare', () => {
  it('pins only an ended sweep with at least one run', () => {
    const runs = [run('he-normal', 1)];
    expect(canPinSweep('done', runs)).toBe(true);
    expect(canPinSweep('cancelled', runs)).toBe(true);
    expect(canPinSweep('failed', runs)).toBe(true);
    expect(canPinSweep('running', runs)).toBe(false);
    expect(canPinSweep('idle', runs)).toBe(false);
    expect(canPinSweep('done', [])).toBe(false);
    expect(() => pinTrainSweep('running', runs, 'q')).toThrow(/Only a finished run/);
  });

  it('the pin is a snapshot with the settings in words and the share-link query', () => {
    const runs = [run('he-normal', 1), run('normal', 2)];
    const pinned = pinTrainSweep('done', runs, 'depth=3&seed=1');
    runs.pop();
    expect(pinned.runs).toHaveLength(2);
    expect(pinned.query).toBe('depth=3&seed=1');
    expect(pinned.label).toBe('ReLU, depth 3, n = 4, m = 4, SGD, η = 0.01, 5 steps');
    expect(trainSweepLabel(validateTrainConfig({ ...base, optimizer: 'adam', lr: 0.001 }))).toBe('ReLU, depth 3, n = 4, m = 4, Adam, η = 0.001, 5 steps');
  });

  it('loss curves: current runs solid, then the pinned ones dashed with the colour index of the same position', () => {
    const current = [run('he-normal', 1)];
    const pinned = pinTrainSweep('done', [run('he-normal', 1), run('normal', 2)], '');
    // The held-out curves are not legend entries (a legend key explains them): the listed curves are these.
    const curves = lossCurves(current, pinned).filter((c) => c.inLegend !== false);
    expect(curves.map((c) => [c.label, c.dashed, c.colorIndex])).toEqual([
      ['He normal × 1', false, 0],
      ['He normal × 1 (pinned)', true, 0],
      ['N(0, 1) × 2 (pinned)', true, 1],
    ]);
    expect(curves[2].values).toBe(pinned.runs[1].result.trainLoss);
    expect(curves[2].status).toHaveLength(5);
    expect(lossCurves(current, null).filter((c) => c.inLegend !== false)).toHaveLength(1);
  });

  it('each current run also gets its held-out loss: same colour, dotted with rings, at the evaluated steps, explained once by a legend key', () => {
    const current = [run('he-normal', 1), run('normal', 2)].map((r) => ({ ...r, result: trainRef({ ...r.result.config, steps: 7, evalEvery: 3 }) }));
    const pinned = pinTrainSweep('done', [run('he-normal', 1)], '');
    const held = lossCurves(current, pinned).filter((c) => c.inLegend === false);
    // Held-out losses of the current runs only, not of the pinned one.
    expect(held.map((c) => [c.label, c.colorIndex, c.dash, c.marker, c.dashed])).toEqual([
      ['He normal × 1, held-out loss', 0, '2 3', 'ring', false],
      ['N(0, 1) × 2, held-out loss', 1, '2 3', 'ring', false],
    ]);
    const r = current[1].result;
    // Evaluated on the initial weights, after 3 and 6 updates and after the last (7): chart x = the updates made.
    expect(Array.from(r.heldOutStep)).toEqual([0, 3, 6, 7]);
    expect(Array.from(held[1].x)).toEqual([0, 3, 6, 7]);
    expect(held[1].values).toBe(r.heldOutLoss);
    expect(held[1].status).toEqual(Array.from(r.status.heldOutLoss, (c) => ['finite', 'overflow', 'underflow', 'nan', 'lost'][c]));
    expect(held[1].pointNames).toEqual(['initial weights', 'after 3 updates', 'after 6 updates', 'after 7 updates']);
    expect(lossLegendKeys(current)).toEqual([
      { label: 'training loss (its minibatch), every step', marker: 'dot' },
      { label: 'held-out loss, every 3 steps', dash: '2 3', marker: 'ring' },
    ]);
    expect(lossLegendKeys([])).toEqual([]);
  });

  it('a pinned curve is named by one helper, pinnedLabel(), in the legend and in the coincide notes alike', () => {
    const he = run('he-normal', 1);
    const pinned = pinTrainSweep('done', [he], '');
    expect(pinnedLabel(he)).toBe('He normal × 1 (pinned)');
    expect(lossCurves([], pinned).map((c) => c.label)).toEqual([pinnedLabel(he)]);
    expect(coincideNotes([he], pinned.runs)[0]).toMatch(/^He normal × 1 and He normal × 1 \(pinned\) have the same/);
    // The wording lives in that helper only: no other module of the lab writes "(pinned)" itself.
    const dir = new URL('../../src/labs/training/', import.meta.url);
    const writers = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /msg\(str`[^`]*\(pinned\)`\)/.test(readFileSync(new URL(f, dir), 'utf8')));
    expect(writers).toEqual(['summary.ts']);
    expect(readFileSync(new URL('summary.ts', dir), 'utf8').match(/\(pinned\)`\)/g)).toHaveLength(1);
  });

  it('puts every point where the x axis says: x = the updates made to the weights it was measured on, 0 = the initial weights', () => {
    const he = { ...run('he-normal', 1), result: trainRef({ ...base, init: 'he-normal', gain: 1, steps: 7, evalEvery: 3 }) };
    expect(lossXTitle()).toBe('weight updates so far (0 = the initial weights)');
    const curves = lossCurves([he], pinTrainSweep('done', [he], ''));
    const [train, pinned, held] = curves;
    // Step t's training loss (before its update) is measured on the weights after t updates: x = t, from 0.
    expect(Array.from(train.x)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(pinned.x)).toEqual(Array.from(train.x));
    expect(train.pointNames!.slice(0, 4)).toEqual([
      'step 1, on the initial weights',
      'step 2, after the first update',
      'step 3, after 2 updates',
      'step 4, after 3 updates',
    ]);
    // The held-out loss on the same weights sits at the same x, named the same way; the one after the last update one past.
    expect(Array.from(held.x)).toEqual([0, 3, 6, 7]);
    expect(held.pointNames).toEqual(['initial weights', 'after 3 updates', 'after 6 updates', 'after 7 updates']);
    for (let i = 0; i < held.x.length; i++) {
      const x = held.x[i];
      const t = Array.from(train.x).indexOf(x);
      if (x === 7) {
        expect(t).toBe(-1);
        continue;
      }
      expect(train.pointNames![t].endsWith(x === 0 ? 'on the initial weights' : `after ${x} updates`)).toBe(true);
      expect(held.pointNames![i].endsWith(x === 0 ? 'initial weights' : `after ${x} updates`)).toBe(true);
    }
    // Counts in tooltips are grouped like the rest of the page.
    const long = { ...he, result: trainRef({ ...base, init: 'he-normal', gain: 1, steps: 1001, evalEvery: 1000 }) };
    const [t2, h2] = lossCurves([long], null);
    expect(t2.pointNames![1000]).toBe('step 1,001, after 1,000 updates');
    expect(h2.pointNames).toEqual(['initial weights', 'after 1,000 updates', 'after 1,001 updates']);
  });
});
