// The Training lab's exports: JSON (settings, every series and status, as numbers and status names) and
// CSV (one row per init, step and layer; the losses on layer-less rows). Non-finite values are written
// as the text JSON cannot hold ("NaN", "Infinity") so nothing is silently turned into null.

import type { InitChoice } from './presets';
import { statusName, TRAIN_LAYER_STATS, type TrainResult } from './types';

/** One line of an init sweep and its result. */
export interface TrainRun {
  choice: InitChoice;
  result: TrainResult;
}

const num = (v: number): number | string => (Number.isFinite(v) ? v : String(v));

/** JSON of a sweep's runs (pretty-printed). */
export function trainRunsToJson(runs: readonly TrainRun[], query: string): string {
  return JSON.stringify(
    {
      kind: 'gradient-playground/training-lab',
      version: 1,
      url: query,
      runs: runs.map(({ choice, result: r }) => ({
        init: choice.init,
        gain: choice.gain,
        config: r.config,
        completedSteps: r.completedSteps,
        cancelled: r.cancelled,
        brokeAt: r.brokeAt,
        trainLoss: Array.from(r.trainLoss, num),
        trainLossStatus: Array.from(r.status.trainLoss, statusName),
        heldOutStep: Array.from(r.heldOutStep),
        heldOutLoss: Array.from(r.heldOutLoss, num),
        heldOutLossStatus: Array.from(r.status.heldOutLoss, statusName),
        layers: Object.fromEntries(
          TRAIN_LAYER_STATS.map((s) => [s, { values: Array.from(r.layers[s], num), status: Array.from(r.status.layers[s], statusName) }]),
        ),
      })),
    },
    null,
    2,
  );
}

/**
 * CSV: `init,gain,step,layer,quantity,value,status`. Per step: trainLoss (layer empty), then the
 * per-layer quantities; held-out losses at their steps.
 */
export function trainRunsToCsv(runs: readonly TrainRun[]): string {
  const lines = ['init,gain,step,layer,quantity,value,status'];
  for (const { choice, result: r } of runs) {
    const L = r.config.depth;
    const head = `${choice.init},${choice.gain}`;
    for (let t = 0; t < r.completedSteps; t++) {
      lines.push(`${head},${t},,trainLoss,${r.trainLoss[t]},${statusName(r.status.trainLoss[t])}`);
      for (const s of TRAIN_LAYER_STATS) {
        for (let l = 1; l <= L; l++) {
          const i = t * L + l - 1;
          lines.push(`${head},${t},${l},${s},${r.layers[s][i]},${statusName(r.status.layers[s][i])}`);
        }
      }
    }
    r.heldOutStep.forEach((t, i) => lines.push(`${head},${t},,heldOutLoss,${r.heldOutLoss[i]},${statusName(r.status.heldOutLoss[i])}`));
  }
  return lines.join('\n') + '\n';
}
