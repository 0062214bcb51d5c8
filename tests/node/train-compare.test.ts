import { describe, expect, it } from 'vitest';
import { canPinSweep, lossCurves, pinTrainSweep, trainSweepLabel } from '../../src/labs/training/compare';
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
    expect(pinned.label).toBe('relu, depth 3, n = 4, m = 4, sgd, η = 0.01, 5 steps');
    expect(trainSweepLabel(validateTrainConfig({ ...base, optimizer: 'adam', lr: 0.001 }))).toBe('relu, depth 3, n = 4, m = 4, adam, η = 0.001, 5 steps');
  });

  it('loss curves: current runs solid, then the pinned ones dashed with the colour index of the same position', () => {
    const current = [run('he-normal', 1)];
    const pinned = pinTrainSweep('done', [run('he-normal', 1), run('normal', 2)], '');
    const curves = lossCurves(current, pinned);
    expect(curves.map((c) => [c.label, c.dashed, c.colorIndex])).toEqual([
      ['he-normal × 1', false, 0],
      ['he-normal × 1 (pinned)', true, 0],
      ['normal × 2 (pinned)', true, 1],
    ]);
    expect(curves[2].values).toBe(pinned.runs[1].result.trainLoss);
    expect(curves[2].status).toHaveLength(5);
    expect(lossCurves(current, null)).toHaveLength(1);
  });
});
