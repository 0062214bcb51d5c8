// What each init's run did, in plain words next to the loss chart: how its loss ended (fell, rose, did not
// move, or exploded, and where), tied to the lesson (exploding / vanishing gradients); and which inits'
// curves coincide, so a line the chart draws over another is not taken for a missing init.

import { msg, str } from '@lit/localize';
import { formatCount, formatLocale, formatMagnitude } from '../../locale-format';
import type { InitChoice } from './presets';
import { initName } from '../depth/init';
import { F32_MAX } from '../depth/predictions';
import { statusName, type TrainBreak, type TrainResult } from './types';
import type { MeanBaseline } from './baseline';

/** One init's run (the same shape as the exports' `TrainRun`). */
export interface InitRun {
  choice: InitChoice;
  result: TrainResult;
}

/** An init's name with its gain as the chart, the menus and the summaries show it: "he-normal × 1". */
export function initLabel({ choice }: Pick<InitRun, 'choice'>): string {
  return `${initName(choice.init)} × ${choice.gain}`;
}

/** A pinned sweep's curve as the legend and the notes name it: "he-normal × 1 (pinned)". */
export function pinnedLabel(run: Pick<InitRun, 'choice'>): string {
  const name = initLabel(run);
  return msg(str`${name} (pinned)`);
}

/** How a run ended. */
export type TrainOutcome = 'exploded' | 'fell' | 'rose' | 'overfit' | 'flat' | 'empty';

/** One init's summary: its outcome and the sentences that say it. */
export interface InitSummary {
  label: string;
  outcome: TrainOutcome;
  text: string;
  /** Its final held-out loss against always predicting the average target (absent: no baseline or no held-out loss). */
  vsBaseline?: 'above' | 'below';
}

/** A loss that changed by less than this (relative) over the run "did not move" (the held-out loss when measured twice or more). */
export const FLAT_CHANGE = 1e-3;
/** A largest update ratio below this is a vanished update (the presets' "below a millionth of its weights"). */
export const VANISHED_UPDATE = 1e-6;
/** Two curves whose values differ by at most this (relative) at every point lie on top of each other. */
export const COINCIDE_TOLERANCE = 1e-6;

/**
 * When a point of the loss chart was measured, counted as its x axis (weight updates so far): "at the start",
 * "after 1 update", "after 12 updates".
 */
export function updatesSoFar(x: number): string {
  if (x === 0) return msg('at the start');
  if (x === 1) return msg('after 1 update');
  const n = formatCount(x);
  return msg(str`after ${n} updates`);
}

/** The break's event as one sentence, when counted as the loss chart's x axis (its ▲ or last point is drawn there). */
function breakSentence(label: string, b: TrainBreak): string {
  const w = updatesSoFar(b.step);
  const l = formatCount(b.layer);
  const nan = b.status === 'nan';
  switch (b.what) {
    case 'activations':
      return nan
        ? msg(str`${label} broke ${w}: its activations became NaN at layer ${l}.`)
        : msg(str`${label} exploded ${w}: its activations overflowed f32 at layer ${l}.`);
    case 'gradActivations':
      return nan
        ? msg(str`${label} broke ${w}: the backpropagated gradients ∂J/∂a became NaN at layer ${l}.`)
        : msg(str`${label} exploded ${w}: the backpropagated gradients ∂J/∂a overflowed f32 at layer ${l}.`);
    case 'gradWeights':
      return nan
        ? msg(str`${label} broke ${w}: the weight gradient ∂J/∂W[${l}] became NaN.`)
        : msg(str`${label} exploded ${w}: the weight gradient ∂J/∂W[${l}] overflowed f32.`);
    case 'weights':
      return nan
        ? msg(str`${label} broke ${w}: the updated weights W[${l}] became NaN.`)
        : msg(str`${label} exploded ${w}: the updated weights W[${l}] overflowed f32.`);
    case 'adamMoment':
      return nan
        ? msg(str`${label} broke ${w}: Adam’s average of g² for layer ${l} became NaN.`)
        : msg(str`${label} exploded ${w}: Adam’s average of g² for layer ${l} overflowed f32.`);
  }
}

/** Why it broke, tied to the lesson. */
function causeSentence(b: TrainBreak): string {
  if (b.what === 'weights' || b.what === 'adamMoment') {
    return msg('The update was larger than the weights could take: a smaller learning rate η keeps it in range.');
  }
  if (b.step === 0) {
    return msg(
      'Its very first pass was already out of range: with these initial weights the signal grows layer after layer (exploding activations and gradients). An init scaled to the layer width, He for ReLU or Xavier for tanh, keeps it in range.',
    );
  }
  return msg(
    'It started in range, but its updates made the weights grow until the signal grew layer after layer past f32’s range (exploding): a smaller learning rate η keeps it in range.',
  );
}

/** First and last finite values of `v` whose status is 'finite', with their indices. */
function finiteEnds(values: ArrayLike<number>, codes: ArrayLike<number>): { first: number; last: number; i: number; j: number } | null {
  let i = -1;
  let j = -1;
  for (let t = 0; t < values.length; t++) {
    if (statusName(codes[t]) !== 'finite' || !Number.isFinite(values[t])) continue;
    if (i < 0) i = t;
    j = t;
  }
  return i < 0 ? null : { first: values[i], last: values[j], i, j };
}

/** The largest finite update ratio of a run. */
function maxUpdateRatio(run: InitRun): number {
  let m = 0;
  const { updateRatio } = run.result.layers;
  const codes = run.result.status.layers.updateRatio;
  for (let i = 0; i < updateRatio.length; i++) if (statusName(codes[i]) === 'finite') m = Math.max(m, updateRatio[i]);
  return m;
}

/**
 * The loss of the step a run broke on, when it passed the lab's 1e38 mark. The loss is m/2·‖∂J/∂a[L]‖², worked
 * out in float64 from the GPU's f32 norm, so it can exceed what f32 holds: then it says so, as the Depth lab's J does.
 */
function overflowLossText(loss: number): string {
  if (!Number.isFinite(loss)) return msg('Its loss on that step overflowed (▲ on the chart).');
  const v = formatMagnitude(loss);
  return Math.abs(loss) > F32_MAX
    ? msg(
        str`Its loss on that step, worked out in float64 from the GPU’s f32 norm of ∂J/∂a[L], was ${v}: past f32’s range (> ${formatMagnitude(F32_MAX)}) and the lab’s 1e38 overflow mark (▲ on the chart).`,
      )
    : msg(str`Its loss on that step was ${v}, past the lab’s 1e38 overflow mark (▲ on the chart).`);
}

/** Whether a final held-out loss beats always predicting the average target, in one sentence. */
function baselineSentence(last: number, base: number): { vsBaseline: 'above' | 'below'; text: string } {
  const v = formatMagnitude(last);
  const b = formatMagnitude(base);
  return last < base
    ? {
        vsBaseline: 'below',
        text: msg(str`Its final held-out loss, ${v}, is below always predicting the average target (${b}): the net has learned something of the task.`),
      }
    : {
        vsBaseline: 'above',
        text: msg(str`Its final held-out loss, ${v}, is still above always predicting the average target (${b}): it has not learned the task yet.`),
      };
}

/**
 * One init's outcome in plain words (when, counted as the loss chart's x axis: `updatesSoFar`); with `baseline`,
 * whether its final held-out loss beats always predicting the average target.
 */
export function summarizeRun(run: InitRun, baseline?: MeanBaseline | null): InitSummary {
  const s = summarizeOutcome(run);
  const held = finiteEnds(run.result.heldOutLoss, run.result.status.heldOutLoss);
  if (!baseline || s.outcome === 'exploded' || s.outcome === 'empty' || !held || held.i === held.j) return s;
  const { vsBaseline, text } = baselineSentence(held.last, baseline.heldOut);
  return { ...s, vsBaseline, text: `${s.text} ${text}` };
}

function summarizeOutcome(run: InitRun): InitSummary {
  const label = initLabel(run);
  const r = run.result;
  if (r.brokeAt) {
    const b = r.brokeAt;
    const parts = [breakSentence(label, b)];
    const lossCode = r.status.trainLoss[b.step];
    if (lossCode !== undefined && statusName(lossCode) === 'overflow') {
      parts.push(overflowLossText(r.trainLoss[b.step]));
    }
    parts.push(causeSentence(b));
    if (r.completedSteps > b.step + 1) {
      parts.push(msg('Every later step is lost (the squares along the top of the chart): it was computed from broken weights.'));
    }
    return { label, outcome: 'exploded', text: parts.join(' ') };
  }
  const ends = finiteEnds(r.trainLoss, r.status.trainLoss);
  if (!ends || ends.i === ends.j) {
    return { label, outcome: 'empty', text: msg(str`${label}: too few steps finished to say how its loss moved.`) };
  }
  const a = formatMagnitude(ends.first);
  const b = formatMagnitude(ends.last);
  // Counted as the loss chart's x axis: step t's training loss is drawn at x = t (the updates before it).
  const w1 = updatesSoFar(ends.i);
  const w2 = updatesSoFar(ends.j);
  const trainChange = (ends.last - ends.first) / ends.first;
  // The held-out loss decides whether the net learned: it is measured on the same examples every time, while
  // the training loss of each step is its own minibatch's.
  const held = finiteEnds(r.heldOutLoss, r.status.heldOutLoss);
  const hasHeld = !!held && held.i !== held.j;
  const change = hasHeld ? (held.last - held.first) / held.first : trainChange;
  const ha = hasHeld ? formatMagnitude(held.first) : '';
  const hb = hasHeld ? formatMagnitude(held.last) : '';
  const pct = formatCount(Math.round(Math.abs(change) * 100));
  if (Math.abs(change) < FLAT_CHANGE) {
    const parts = [
      hasHeld
        ? msg(str`${label}: the loss did not move: the held-out loss went from ${ha} to ${hb}, the training loss was ${a} (${w1}) and ${b} (${w2}).`)
        : msg(str`${label}: the loss did not move (${w1}: ${a}; ${w2}: ${b}).`),
    ];
    const u = maxUpdateRatio(run);
    if (u < VANISHED_UPDATE) {
      parts.push(
        msg(
          str`Its largest update was ${formatMagnitude(u)} of its weights: the gradients vanished on their way through the layers, so the weights hardly change (vanishing gradients; see the update ratio in the heatmap).`,
        ),
      );
    }
    return { label, outcome: 'flat', text: parts.join(' ') };
  }
  if (change < 0) {
    const text = hasHeld
      ? msg(str`${label}: the loss fell: the held-out loss from ${ha} to ${hb} (${pct}% lower), the training loss from ${a} (${w1}) to ${b} (${w2}).`)
      : msg(str`${label}: the loss fell from ${a} (${w1}) to ${b} (${w2}), ${pct}% lower.`);
    return { label, outcome: 'fell', text };
  }
  if (hasHeld && trainChange <= -FLAT_CHANGE) {
    const text = msg(
      str`${label}: the training loss fell from ${a} (${w1}) to ${b} (${w2}), but the held-out loss rose from ${ha} to ${hb}: the net fits its training examples, not the task (overfitting).`,
    );
    return { label, outcome: 'overfit', text };
  }
  const text = hasHeld
    ? msg(
        str`${label}: the loss rose: the held-out loss from ${ha} to ${hb} (${pct}% higher), the training loss from ${a} (${w1}) to ${b} (${w2}). Training is going the wrong way; a smaller learning rate η may help.`,
      )
    : msg(str`${label}: the loss rose from ${a} (${w1}) to ${b} (${w2}), ${pct}% higher. Training is going the wrong way; a smaller learning rate η may help.`);
  return { label, outcome: 'rose', text };
}

/** True when `a` and `b` hold the same values (within `COINCIDE_TOLERANCE`) and statuses at every point. */
function sameCurve(a: ArrayLike<number>, sa: ArrayLike<number>, b: ArrayLike<number>, sb: ArrayLike<number>): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  let anyFinite = false;
  for (let i = 0; i < a.length; i++) {
    if (sa[i] !== sb[i]) return false;
    if (statusName(sa[i]) !== 'finite') continue;
    anyFinite = true;
    if (Math.abs(a[i] - b[i]) > COINCIDE_TOLERANCE * Math.max(Math.abs(a[i]), Math.abs(b[i]))) return false;
  }
  return anyFinite;
}

/** Groups (indices into `runs`, two or more each) whose training-loss curves lie on top of each other. */
export function coincidingGroups(runs: readonly Pick<InitRun, 'result'>[]): number[][] {
  const groups: number[][] = [];
  const taken = new Set<number>();
  for (let i = 0; i < runs.length; i++) {
    if (taken.has(i)) continue;
    const a = runs[i].result;
    const group = [i];
    for (let j = i + 1; j < runs.length; j++) {
      const b = runs[j].result;
      if (!taken.has(j) && sameCurve(a.trainLoss, a.status.trainLoss, b.trainLoss, b.status.trainLoss)) group.push(j);
    }
    if (group.length > 1) {
      group.forEach((k) => taken.add(k));
      groups.push(group);
    }
  }
  return groups;
}

/**
 * A sentence per group of coinciding curves: "xavier-normal × 1 and identity × 0.5 have the same training
 * loss …". The pinned sweep's curves (named "… (pinned)", as in the legend) count too: a pinned dashed line
 * drawn over the current one of the same colour hides it just the same.
 */
export function coincideNotes(runs: readonly InitRun[], pinned: readonly InitRun[] = []): string[] {
  const curves = [...runs.map((r) => ({ label: initLabel(r), result: r.result })), ...pinned.map((r) => ({ label: pinnedLabel(r), result: r.result }))];
  return coincidingGroups(curves).map((g) => {
    const names = new Intl.ListFormat(formatLocale(), { type: 'conjunction' }).format(g.map((i) => curves[i].label));
    const [a, ...rest] = g.map((i) => curves[i].result);
    const heldToo = rest.every((b) => sameCurve(a.heldOutLoss, a.status.heldOutLoss, b.heldOutLoss, b.status.heldOutLoss));
    return heldToo
      ? msg(str`${names} have the same training and held-out loss at every step, so their lines lie on top of each other: the chart shows one line for them.`)
      : msg(str`${names} have the same training loss at every step, so their lines lie on top of each other: the chart shows one line for them.`);
  });
}
