// Pin to compare in the Training lab: a finished sweep is kept (a snapshot) and drawn next to the next
// one, its loss curves dashed in the colour of the current run's curve at the same index.

import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';
import type { TrainRun } from './export';
import { optimizerName, type TrainConfig } from './config';
import { statusName } from './types';
import { initLabel, pinnedLabel } from './summary';
import { activationName } from '../activation-name';
import { formatMagnitude } from '../../locale-format';
import type { MeanBaseline } from './baseline';

/** A finished sweep kept on screen to compare with the next one. */
export interface PinnedTrainSweep {
  /** Its settings in a few words, e.g. "ReLU, depth 50, n = 16, m = 16, sgd, η = 0.002, 100 steps". */
  label: string;
  /** The share-link query it was run from. */
  query: string;
  runs: readonly TrainRun[];
}

/** One loss curve as the line chart takes it (the chart's `LineSeries` without the import upward). */
export interface LossCurve {
  label: string;
  values: Float64Array;
  status: string[];
  dashed: boolean;
  /** Index into the chart's palette: the pinned curve shares the colour of the current curve at its index. */
  colorIndex: number;
  /** Chart x of each value: the updates made before it was measured (see `lossXTitle`). */
  x: Int32Array;
  /** Line dash pattern (the held-out loss's dotted line). */
  dash?: string;
  /** Point markers (the held-out loss's open rings). */
  marker?: 'dot' | 'ring' | 'none';
  /** Per point, its name in tooltips ("after 10 updates"). */
  pointNames?: string[];
  /** False for the held-out curves: one legend key explains them all (`lossLegendKeys`). */
  inLegend?: boolean;
}

/** A legend entry for a line style (the chart's `LegendKey`). */
export interface LossLegendKey {
  label: string;
  dash?: string;
  marker?: 'dot' | 'ring' | 'none';
}

/** The held-out loss's line: dotted, with open rings that stay visible over the training loss's dots. */
export const HELD_OUT_DASH = '2 3';

/**
 * The loss chart's x axis counts the updates made to the weights a loss was measured on: 0 = the initial weights.
 * Step t's training loss (t 0-based, on its minibatch, before its update) sits at x = t; the held-out loss measured
 * after s updates at x = s. So the two losses of the same weights line up, and the held-out loss after the last
 * update sits one past the last training loss.
 */
export function lossXTitle(): string {
  return msg('weight updates so far (0 = the initial weights)');
}

/** A held-out evaluation's x and its name in tooltips: after `s` updates. */
function heldOutPoint(s: number): { x: number; name: string } {
  const n = formatCount(s);
  return { x: s, name: s === 0 ? msg('initial weights') : s === 1 ? msg('after the first update') : msg(str`after ${n} updates`) };
}

/** A training-loss point's name in tooltips: its step (1-based, as the summaries count) and the weights it was measured on. */
export function trainPointName(t: number): string {
  const step = formatCount(t + 1);
  const n = formatCount(t);
  return t === 0 ? msg('step 1, on the initial weights') : t === 1 ? msg('step 2, after the first update') : msg(str`step ${step}, after ${n} updates`);
}

/**
 * The per-layer heatmap's columns, counted as the loss chart's x axis: column t is step t + 1, measured on its
 * minibatch before its update, i.e. on the weights after t updates, so it is numbered t (0 = the initial weights),
 * under the same axis title, and named as that step's training-loss point ("step 12, after 11 updates").
 */
export function stepColumns(steps: number): { colUnit: 'update'; firstCol: number; colTitle: string; colNames: string[] } {
  return { colUnit: 'update', firstCol: 0, colTitle: lossXTitle(), colNames: Array.from({ length: steps }, (_, t) => trainPointName(t)) };
}

/** A sweep can be pinned once it has ended (done or cancelled) with at least one run kept. */
export function canPinSweep(phase: string, runs: readonly TrainRun[]): boolean {
  return phase !== 'running' && phase !== 'idle' && runs.length > 0;
}

/** The shared settings of a sweep in a few words, the activation as a learner reads it (`activationName`: ReLU, 선형). */
export function trainSweepLabel(c: TrainConfig): string {
  const activation = activationName(c.activation);
  return msg(
    str`${activation}, depth ${formatCount(c.depth)}, n = ${formatCount(c.width)}, m = ${formatCount(c.batch)}, ${optimizerName(c.optimizer)}, η = ${c.lr}, ${formatCount(c.steps)} steps`,
  );
}

/** Pins a sweep (a snapshot: later runs do not change it). Throws on a sweep that cannot be pinned. */
export function pinTrainSweep(phase: string, runs: readonly TrainRun[], query: string): PinnedTrainSweep {
  if (!canPinSweep(phase, runs)) throw new Error(msg('Only a finished run with at least one init trained can be pinned.'));
  return { label: trainSweepLabel(runs[0].result.config), query, runs: [...runs] };
}

/**
 * The loss curves to draw: the current runs' training loss solid with dots, their held-out loss in the same
 * colour dotted with open rings at the evaluated steps (not in the legend: `lossLegendKeys` explains them),
 * the pinned runs' training loss dashed and marked "pinned" (their held-out losses are left out: the chart
 * would hold four lines per init).
 */
export function lossCurves(runs: readonly TrainRun[], pinned: PinnedTrainSweep | null): LossCurve[] {
  const curve = (run: TrainRun, i: number, dashed: boolean): LossCurve => {
    const n = run.result.trainLoss.length;
    return {
      label: dashed ? pinnedLabel(run) : initLabel(run),
      values: run.result.trainLoss,
      status: Array.from(run.result.status.trainLoss, statusName),
      dashed,
      colorIndex: i,
      x: Int32Array.from({ length: n }, (_, t) => t),
      pointNames: Array.from({ length: n }, (_, t) => trainPointName(t)),
    };
  };
  const heldOut = (run: TrainRun, i: number): LossCurve => {
    const { heldOutStep, heldOutLoss, status } = run.result;
    const points = Array.from(heldOutStep, heldOutPoint);
    return {
      label: msg(str`${initLabel(run)}, held-out loss`),
      values: heldOutLoss,
      status: Array.from(status.heldOutLoss, statusName),
      dashed: false,
      colorIndex: i,
      x: Int32Array.from(points, (p) => p.x),
      dash: HELD_OUT_DASH,
      marker: 'ring',
      pointNames: points.map((p) => p.name),
      inLegend: false,
    };
  };
  // The held-out curves come last, so the legend's order (current, then pinned) is the series' order.
  return [
    ...runs.map((r, i) => curve(r, i, false)),
    ...(pinned ? pinned.runs.map((r, i) => curve(r, i, true)) : []),
    ...runs
      .map((r, i) => [r, i] as const)
      .filter(([r]) => r.result.heldOutStep.length > 0)
      .map(([r, i]) => heldOut(r, i)),
  ];
}

/** The legend keys of the loss chart: which lines are the training loss and which the held-out loss (every k steps). */
export function lossLegendKeys(runs: readonly TrainRun[]): LossLegendKey[] {
  if (!runs.some((r) => r.result.heldOutStep.length > 0)) return [];
  const k = runs[0].result.config.evalEvery;
  return [
    { label: msg('training loss (its minibatch), every step'), marker: 'dot' },
    { label: k === 1 ? msg('held-out loss, every step') : msg(str`held-out loss, every ${k} steps`), dash: HELD_OUT_DASH, marker: 'ring' },
  ];
}

/** The loss chart's reference line: the held-out loss of always predicting the average target (the summaries compare with it). */
export function baselineReference(b: MeanBaseline): { label: string; value: number } {
  const v = formatMagnitude(b.heldOut);
  return { label: msg(str`always predicting the average target (held-out loss): ${v}`), value: b.heldOut };
}
