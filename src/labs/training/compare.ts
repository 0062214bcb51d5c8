// Pin to compare in the Training lab: a finished sweep is kept (a snapshot) and drawn next to the next
// one, its loss curves dashed in the colour of the current run's curve at the same index.

import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';
import type { TrainRun } from './export';
import type { TrainConfig } from './config';
import type { InitScheme } from '../depth/config';
import { statusName } from './types';

/** A finished sweep kept on screen to compare with the next one. */
export interface PinnedTrainSweep {
  /** Its settings in a few words, e.g. "relu, depth 50, n = 16, m = 16, sgd, η = 0.002, 100 steps". */
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
}

/** A sweep can be pinned once it has ended (done or cancelled) with at least one run kept. */
export function canPinSweep(phase: string, runs: readonly TrainRun[]): boolean {
  return phase !== 'running' && phase !== 'idle' && runs.length > 0;
}

/** The shared settings of a sweep in a few words. */
export function trainSweepLabel(c: TrainConfig): string {
  return msg(
    str`${c.activation}, depth ${formatCount(c.depth)}, n = ${formatCount(c.width)}, m = ${formatCount(c.batch)}, ${c.optimizer}, η = ${c.lr}, ${formatCount(c.steps)} steps`,
  );
}

/** Pins a sweep (a snapshot: later runs do not change it). Throws on a sweep that cannot be pinned. */
export function pinTrainSweep(phase: string, runs: readonly TrainRun[], query: string): PinnedTrainSweep {
  if (!canPinSweep(phase, runs)) throw new Error(msg('Only a finished run with at least one init trained can be pinned.'));
  return { label: trainSweepLabel(runs[0].result.config), query, runs: [...runs] };
}

/**
 * An init as the legend and the init picker name it: in English its id, as the form's `init:gain` field
 * writes it; in another language the init's name there (Korean: He 정규분포).
 */
export function trainInitName(init: InitScheme): string {
  switch (init) {
    case 'identity':
      return msg('identity');
    case 'normal':
      return msg('normal');
    case 'xavier-normal':
      return msg('xavier-normal');
    case 'xavier-uniform':
      return msg('xavier-uniform');
    case 'he-normal':
      return msg('he-normal');
    case 'lecun-normal':
      return msg('lecun-normal');
  }
}

/** The loss curves to draw: the current runs solid, the pinned ones dashed and marked "pinned". */
export function lossCurves(runs: readonly TrainRun[], pinned: PinnedTrainSweep | null): LossCurve[] {
  const curve = ({ choice, result }: TrainRun, i: number, dashed: boolean): LossCurve => {
    const name = `${trainInitName(choice.init)} × ${choice.gain}`;
    return {
      label: dashed ? msg(str`${name} (pinned)`) : name,
      values: result.trainLoss,
      status: Array.from(result.status.trainLoss, statusName),
      dashed,
      colorIndex: i,
    };
  };
  return [...runs.map((r, i) => curve(r, i, false)), ...(pinned ? pinned.runs.map((r, i) => curve(r, i, true)) : [])];
}
