// The Training lab's reference loss, always predicting the average target (walk s11 T2): equal to a direct
// float64 computation on the run's own data (awkward sizes), the best constant on the training set, and the
// summaries' words follow the comparison of a run's final held-out loss with it.
import { describe, expect, it } from 'vitest';
import { makeTrainData, trainRef } from '../../src/labs/training/cpu/train-ref';
import { meanTargetLoss, trainBaseline } from '../../src/labs/training/baseline';
import { baselineReference } from '../../src/labs/training/compare';
import { DEFAULT_TRAIN_CONFIG, type TrainConfigInput } from '../../src/labs/training/config';
import { summarizeRun } from '../../src/labs/training/summary';

/** J of the constant prediction `c` (one value per output) over `rows` targets of width n, summed example by example. */
function constantLoss(y: Float32Array, n: number, c: ArrayLike<number>): number {
  const rows = y.length / n;
  let s = 0;
  for (let r = 0; r < rows; r++) {
    let e = 0;
    for (let j = 0; j < n; j++) e += (c[j] - y[r * n + j]) ** 2;
    s += e;
  }
  return s / (2 * rows);
}

/** The per-output mean of the training targets, column by column. */
function columnMeans(y: Float32Array, n: number): number[] {
  return Array.from({ length: n }, (_, j) => {
    const col: number[] = [];
    for (let i = j; i < y.length; i += n) col.push(y[i]);
    return col.reduce((a, b) => a + b, 0) / col.length;
  });
}

describe('always predicting the average target', () => {
  for (const cfg of [
    { width: 7, trainSize: 13, heldOutSize: 5, batch: 4, activation: 'relu', seed: 9 },
    { width: 1, trainSize: 1, heldOutSize: 3, batch: 1, activation: 'tanh', seed: 2 },
    { width: 33, trainSize: 65, heldOutSize: 17, batch: 8, activation: 'linear', seed: 5 },
  ] as TrainConfigInput[]) {
    it(`equals a direct float64 computation on the run's data (n = ${cfg.width}, ${cfg.trainSize} training, ${cfg.heldOutSize} held-out examples, ${cfg.activation})`, () => {
      const n = cfg.width as number;
      const data = makeTrainData(cfg);
      const mean = columnMeans(data.trainY, n);
      const b = trainBaseline(cfg);
      expect(b).toEqual(meanTargetLoss(data, n));
      expect(b.train).toBeCloseTo(constantLoss(data.trainY, n, mean), 12);
      expect(b.heldOut).toBeCloseTo(constantLoss(data.heldOutY, n, mean), 12);
      // The mean is the best constant on the training set: moving any output's prediction costs loss.
      for (let j = 0; j < n; j += 3) {
        for (const d of [-0.01, 0.01]) {
          const moved = mean.slice();
          moved[j] += d;
          expect(constantLoss(data.trainY, n, moved)).toBeGreaterThan(b.train);
        }
      }
    });
  }

  it('is the walk’s figure for the default settings (held-out 15.04, training 15.74) and does not depend on the init', () => {
    const b = trainBaseline(DEFAULT_TRAIN_CONFIG);
    expect(b.heldOut).toBeCloseTo(15.04, 2);
    expect(b.train).toBeCloseTo(15.74, 2);
    expect(trainBaseline({ ...DEFAULT_TRAIN_CONFIG, init: 'xavier-normal', gain: 3 })).toEqual(b);
  });

  it('refuses targets that are not rows of the width', () => {
    expect(() => meanTargetLoss({ trainY: new Float32Array(5), heldOutY: new Float32Array(4) }, 2)).toThrow(/5 training targets are not rows of 2/);
  });

  it('the chart’s reference line is the held-out baseline, its value in the label', () => {
    const r = baselineReference({ train: 15.74, heldOut: 15.0412 });
    expect(r).toEqual({ label: 'always predicting the average target (held-out loss): 15.04', value: 15.0412 });
  });
});

describe('summaries against the baseline', () => {
  const cfg: TrainConfigInput = { depth: 3, width: 8, batch: 8, trainSize: 16, heldOutSize: 8, activation: 'relu', steps: 20, evalEvery: 5, lr: 0.05, seed: 3 };
  const run = { choice: { init: 'he-normal' as const, gain: 1 }, result: trainRef({ ...cfg, init: 'he-normal' }) };
  const held = run.result.heldOutLoss;
  const last = held[held.length - 1];

  it('says "still above" when the final held-out loss is not below the baseline, and "below" when it is', () => {
    const above = summarizeRun(run, { train: 0, heldOut: last * 1.5 });
    const below = summarizeRun(run, { train: 0, heldOut: last / 1.5 });
    expect(above.vsBaseline).toBe('below');
    expect(above.text).toMatch(/is below always predicting the average target \([\d.]+\): the net has learned something of the task\.$/);
    expect(below.vsBaseline).toBe('above');
    expect(below.text).toMatch(/is still above always predicting the average target \([\d.]+\): it has not learned the task yet\.$/);
    // Equal counts as not beating it.
    expect(summarizeRun(run, { train: 0, heldOut: last }).vsBaseline).toBe('above');
    // Without a baseline: the outcome's words only.
    expect(summarizeRun(run).vsBaseline).toBeUndefined();
    expect(summarizeRun(run).text).not.toMatch(/average target/);
  });

  it('compares this run’s real final held-out loss with its task’s real baseline, both numbers as shown', () => {
    const b = trainBaseline(cfg);
    const s = summarizeRun(run, b);
    expect(s.vsBaseline).toBe(last < b.heldOut ? 'below' : 'above');
    expect(s.text).toContain(`(${Number(b.heldOut.toPrecision(4))})`);
    expect(s.text).toContain(`Its final held-out loss, ${Number(last.toPrecision(4))},`);
  });
});
