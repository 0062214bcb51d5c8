import { describe, expect, it } from 'vitest';
import { lossCurves, lossXTitle } from '../../src/labs/training/compare';
import { trainRef } from '../../src/labs/training/cpu/train-ref';
import type { TrainRun } from '../../src/labs/training/export';
import { TRAIN_LAYER_STATS } from '../../src/labs/training/types';
import { trainHeatmapData } from '../../src/ui/training-heatmap';
import { cellInfo, makeHeatmapModel } from '../../src/viz/heatmap-model';

// The Training lab's heatmap and loss chart count the same way (review: the heatmap counted steps from 1 while the
// loss chart's x axis counts weight updates from 0, so a student reading "step 30" in one looked one step off in
// the other): a column sits at the loss chart's x of the same step, under the same axis title, with the same name.

const config = { depth: 3, width: 4, batch: 4, trainSize: 8, heldOutSize: 4, activation: 'relu', steps: 7, evalEvery: 3, lr: 0.01, optimizer: 'sgd' } as const;
const run: TrainRun = { choice: { init: 'he-normal', gain: 1 }, result: trainRef({ ...config, init: 'he-normal', gain: 1 }) };

describe('Training lab heatmap columns', () => {
  it('are numbered, titled and named as the loss chart’s training-loss points of the same step', () => {
    const train = lossCurves([run], null)[0];
    for (const stat of TRAIN_LAYER_STATS) {
      const data = trainHeatmapData(run, stat)!;
      const model = makeHeatmapModel(data);
      expect(data.colTitle).toBe(lossXTitle());
      expect(data.colTitle).toBe('weight updates so far (0 = the initial weights)');
      // The axis starts where the loss chart's does: 0, the initial weights.
      expect(model.firstCol).toBe(train.x[0]);
      expect(model.colTicks[0]).toBe(0);
      expect(model.colTicks[model.colTicks.length - 1]).toBe(train.x[train.x.length - 1]);
      for (let c = 0; c < model.cols; c++) {
        // Column c's number is the loss chart's x of the same step, and its name that point's tooltip name.
        expect(c + model.firstCol).toBe(train.x[c]);
        const info = cellInfo(model, 1, c);
        expect(info.colName).toBe(train.pointNames![c]);
        expect(info.text.startsWith(`layer l = 2, ${train.pointNames![c]}: `)).toBe(true);
        // …and it holds that step's measurement (step c + 1, on the weights after c updates).
        expect(info.value).toBe(run.result.layers[stat][c * config.depth + 1]);
      }
    }
    expect(cellInfo(makeHeatmapModel(trainHeatmapData(run, 'gradWNorm')!), 0, 0).text).toMatch(/^layer l = 1, step 1, on the initial weights: /);
    expect(cellInfo(makeHeatmapModel(trainHeatmapData(run, 'gradWNorm')!), 0, 3).text).toMatch(/^layer l = 1, step 4, after 3 updates: /);
  });

  it('the heatmap model checks the column numbering it is given', () => {
    const data = trainHeatmapData(run, 'actNorm')!;
    expect(() => makeHeatmapModel({ ...data, firstCol: 0.5 })).toThrow('firstCol must be an integer, got 0.5');
    expect(() => makeHeatmapModel({ ...data, colNames: data.colNames!.slice(1) })).toThrow('colNames has 6 entries, expected cols = 7');
    // Without names or a first column, columns are layers from 1 (the Depth lab's heatmaps).
    const layers = makeHeatmapModel({ ...data, colUnit: undefined, firstCol: undefined, colNames: undefined });
    expect(layers.colTicks[0]).toBe(1);
    expect(cellInfo(layers, 0, 0).text.startsWith('layer l = 1, layer 1: ')).toBe(true);
  });
});
