// The Training lab's layers × steps heatmap data (DOM-free): one per-layer quantity of one run, its columns
// counted and named as the loss chart's x axis (`stepColumns`).
import { msg } from '@lit/localize';
import { stepColumns } from '../labs/training/compare';
import type { TrainRun } from '../labs/training/export';
import { statusName, type TrainLayerStat } from '../labs/training/types';
import type { HeatmapData } from '../viz/heatmap-model';

/** The heatmap's quantities, in the language shown. */
export function statLabel(s: TrainLayerStat): string {
  switch (s) {
    case 'gradWNorm':
      return msg('‖∂J/∂W[l]‖ (weight gradient)');
    case 'actNorm':
      return msg('‖a[l]‖/√m (activations)');
    case 'updateRatio':
      return msg('‖ΔW[l]‖/‖W[l]‖ (update ratio)');
  }
}

/** Layers (rows) × steps (columns) of `stat` for one run, or null before its first step. */
export function trainHeatmapData(run: TrainRun, stat: TrainLayerStat): HeatmapData | null {
  const r = run.result;
  const L = r.config.depth;
  const T = r.completedSteps;
  if (T === 0) return null;
  const src = r.layers[stat];
  const codes = r.status.layers[stat];
  const values = new Float64Array(L * T);
  const status: string[] = new Array(L * T);
  for (let l = 0; l < L; l++) {
    for (let t = 0; t < T; t++) {
      values[l * T + t] = src[t * L + l];
      status[l * T + t] = statusName(codes[t * L + l]);
    }
  }
  return {
    rowLabels: Array.from({ length: L }, (_, l) => String(l + 1)),
    rowTitle: msg('layer l'),
    ...stepColumns(T),
    cols: T,
    values,
    status,
    quantity: statLabel(stat),
  };
}
