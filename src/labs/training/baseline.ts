// The Training lab's reference loss: always predicting the average target. A net that has learned anything
// of the task must beat it; one above it has not (the loss chart draws it, the summaries compare with it).

import { makeTrainData, type TrainData } from './cpu/train-ref';
import { validateTrainConfig, type TrainConfigInput } from './config';

/** J = 1/(2m)·Σ‖ȳ − y‖² of the constant prediction ȳ = the training targets' mean per output, float64. */
export interface MeanBaseline {
  /** Over the training set. */
  train: number;
  /** Over the held-out set (the same ȳ: it is learned from the training set). */
  heldOut: number;
}

/** The baseline of `data` (`width` outputs per example), from its f32 targets in float64. */
export function meanTargetLoss(data: Pick<TrainData, 'trainY' | 'heldOutY'>, width: number): MeanBaseline {
  const n = width;
  const rows = data.trainY.length / n;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`meanTargetLoss: ${data.trainY.length} training targets are not rows of ${n}`);
  const mean = new Float64Array(n);
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) mean[j] += data.trainY[r * n + j];
  for (let j = 0; j < n; j++) mean[j] /= rows;
  const loss = (y: ArrayLike<number>) => {
    const m = y.length / n;
    let s = 0;
    for (let r = 0; r < m; r++) for (let j = 0; j < n; j++) s += (y[r * n + j] - mean[j]) ** 2;
    return s / (2 * m);
  };
  return { train: loss(data.trainY), heldOut: loss(data.heldOutY) };
}

/** The baseline of a run's task (its data depends on the seed, width, activation, input and set sizes, not the init). */
export function trainBaseline(config: TrainConfigInput): MeanBaseline {
  return meanTargetLoss(makeTrainData(config), validateTrainConfig(config).width);
}
