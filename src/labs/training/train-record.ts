// What a training run records, and the status rules both engines follow: the float64 reference
// (cpu/train-ref.ts) and the GPU engine (train-gpu.ts) measure a step their own way, then hand the
// measurements to one `TrainRecord`, so the overflow/NaN/lost/underflow bookkeeping exists once.

import { classify, type ValueStatus } from '../depth/classify';
import type { TrainConfig } from './config';
import { statusCode, type TrainBreak, type TrainLayerStat, type TrainResult, type TrainStatus } from './types';

const broken = (s: ValueStatus | TrainStatus) => s === 'overflow' || s === 'nan';
const LOST = statusCode('lost');

/** A forward pass's norms, per layer (index l − 1). */
export interface ForwardMeasures {
  /** J = 1/(2·rows)·Σ‖ŷ − y‖². */
  loss: number;
  /** ‖A[l]‖_F/√rows. */
  actNorm: ArrayLike<number>;
  /** ‖Z[l]‖_F/√rows (to tell a Z past f32 whose ReLU is 0 from a vanished one). */
  zNorm: ArrayLike<number>;
}

/** One training step's measurements, per layer (index l − 1). */
export interface StepMeasures extends ForwardMeasures {
  /** ‖∂J/∂A[l]‖_F/√m. */
  gradActNorm: ArrayLike<number>;
  /** ‖∂J/∂W[l]‖_F. */
  gradWNorm: ArrayLike<number>;
  /** ‖ΔW[l]‖_F/‖W[l]‖_F (‖W‖ before the update). */
  updateRatio: ArrayLike<number>;
  /** ‖W[l]‖_F after the update. */
  weightNormAfter: ArrayLike<number>;
  /** Status of Adam's second moment v of each layer (overflow or nan when g² left f32's range); omitted for SGD. */
  momentStatus?: ArrayLike<TrainStatus>;
}

/** First layer (1-based) whose Z or A left f32's range or is NaN, and its status; null if none. */
export function forwardBreak(p: Pick<ForwardMeasures, 'actNorm' | 'zNorm'>): { layer: number; status: 'overflow' | 'nan' } | null {
  for (let i = 0; i < p.actNorm.length; i++) {
    for (const v of [p.zNorm[i], p.actNorm[i]]) {
      const s = classify(v, 'norm');
      if (broken(s)) return { layer: i + 1, status: s as 'overflow' | 'nan' };
    }
  }
  return null;
}

/**
 * Status of a pass's loss: lost when the forward pass broke before the output (or the output's Z broke and
 * its A did not), else `classify`.
 */
export function lossStatus(p: ForwardMeasures, fwd: { layer: number } | null): TrainStatus {
  const L = p.actNorm.length;
  if (fwd && (fwd.layer < L || !broken(classify(p.actNorm[L - 1], 'norm')))) return 'lost';
  return classify(p.loss, 'norm');
}

/**
 * The series and statuses of a run of `steps` steps of a depth-`depth` net, filled step by step. The first
 * overflow/NaN breaks the run: in the forward pass (a layer's Z or A) → later layers' ‖A‖, the loss, every
 * gradient and update of that step are 'lost'; in backprop (a ∂J/∂A[l]) → ∂J/∂W of layers l..1 and their
 * updates are 'lost'; a ∂J/∂W that is itself past f32 makes its update 'lost'; updated weights past f32 (or
 * Adam's v) mark the update 'overflow'/'nan'. Every later step is computed from broken weights: its values
 * are NaN and its statuses 'lost' (`isLost`).
 */
export class TrainRecord {
  readonly series: Record<TrainLayerStat, Float64Array>;
  readonly codes: Record<TrainLayerStat, Uint8Array>;
  readonly trainLoss: Float64Array;
  readonly trainCodes: Uint8Array;
  readonly heldStep: number[] = [];
  readonly heldLoss: number[] = [];
  readonly heldCodes: number[] = [];
  brokeAt: TrainBreak | null = null;
  /** First step computed from broken weights. */
  lostFrom = Infinity;

  constructor(
    private readonly depth: number,
    steps: number,
  ) {
    const len = steps * depth;
    this.series = { gradWNorm: new Float64Array(len), actNorm: new Float64Array(len), updateRatio: new Float64Array(len) };
    this.codes = { gradWNorm: new Uint8Array(len), actNorm: new Uint8Array(len), updateRatio: new Uint8Array(len) };
    this.trainLoss = new Float64Array(steps);
    this.trainCodes = new Uint8Array(steps);
  }

  /** True when step (or evaluation) `t` is computed from broken weights. */
  isLost(t: number): boolean {
    return t >= this.lostFrom;
  }

  /** The held-out loss measured on the weights before step `t` (null, or a lost `t`: recorded as lost). */
  recordEval(t: number, p: ForwardMeasures | null): void {
    this.heldStep.push(t);
    if (this.isLost(t) || !p) {
      this.heldLoss.push(NaN);
      this.heldCodes.push(LOST);
      return;
    }
    this.heldLoss.push(p.loss);
    this.heldCodes.push(statusCode(lossStatus(p, forwardBreak(p))));
  }

  /** Step `t` as lost: NaN values, 'lost' statuses. */
  recordLost(t: number): void {
    const L = this.depth;
    const row = t * L;
    this.trainLoss[t] = NaN;
    this.trainCodes[t] = LOST;
    for (const s of ['gradWNorm', 'actNorm', 'updateRatio'] as const) {
      this.series[s].fill(NaN, row, row + L);
      this.codes[s].fill(LOST, row, row + L);
    }
  }

  /** Step `t`'s measurements and their statuses (a lost `t` is recorded as lost). */
  recordStep(t: number, p: StepMeasures): void {
    if (this.isLost(t)) return this.recordLost(t);
    const L = this.depth;
    const row = t * L;
    const { series, codes } = this;
    const breakAt = (b: TrainBreak) => {
      this.brokeAt ??= b;
    };
    this.trainLoss[t] = p.loss;
    const fwd = forwardBreak(p);
    this.trainCodes[t] = statusCode(lossStatus(p, fwd));
    for (let l = 1; l <= L; l++) {
      series.actNorm[row + l - 1] = p.actNorm[l - 1];
      let s: TrainStatus = classify(p.actNorm[l - 1], 'norm');
      if (fwd && (l > fwd.layer || (l === fwd.layer && !broken(s)))) s = 'lost';
      codes.actNorm[row + l - 1] = statusCode(s);
      series.gradWNorm[row + l - 1] = p.gradWNorm[l - 1];
    }
    // Gradient statuses: all lost after a forward break; else lost from the first broken ∂J/∂A down.
    let lostBelow = 0; // layers 1..lostBelow have lost gradients
    if (fwd) {
      lostBelow = L;
      breakAt({ step: t, what: 'activations', layer: fwd.layer, status: fwd.status });
    } else {
      for (let l = L; l >= 1; l--) {
        const s = classify(p.gradActNorm[l - 1], 'norm');
        if (broken(s)) {
          lostBelow = l;
          breakAt({ step: t, what: 'gradActivations', layer: l, status: s as 'overflow' | 'nan' });
          break;
        }
      }
    }
    const gradStatus: TrainStatus[] = [];
    for (let l = 1; l <= L; l++) {
      const s: TrainStatus = l <= lostBelow ? 'lost' : classify(p.gradWNorm[l - 1], 'norm');
      gradStatus.push(s);
      codes.gradWNorm[row + l - 1] = statusCode(s);
      if (broken(s)) breakAt({ step: t, what: 'gradWeights', layer: l, status: s as 'overflow' | 'nan' });
    }
    for (let l = 1; l <= L; l++) {
      const ratio = p.updateRatio[l - 1];
      series.updateRatio[row + l - 1] = ratio;
      const vStatus: TrainStatus = p.momentStatus ? p.momentStatus[l - 1] : 'finite';
      let s: TrainStatus;
      if (gradStatus[l - 1] === 'lost' || broken(gradStatus[l - 1])) {
        s = 'lost';
        this.lostFrom = Math.min(this.lostFrom, t + 1);
      } else if (broken(vStatus)) {
        s = vStatus;
        breakAt({ step: t, what: 'adamMoment', layer: l, status: s as 'overflow' | 'nan' });
        this.lostFrom = Math.min(this.lostFrom, t + 1);
      } else {
        const wn = classify(p.weightNormAfter[l - 1], 'norm');
        if (broken(wn)) {
          s = wn;
          breakAt({ step: t, what: 'weights', layer: l, status: wn as 'overflow' | 'nan' });
          this.lostFrom = Math.min(this.lostFrom, t + 1);
        } else {
          s = classify(ratio, 'norm');
        }
      }
      codes.updateRatio[row + l - 1] = statusCode(s);
    }
  }

  /** The shared result of the first `done` steps. */
  result(config: TrainConfig, done: number): TrainResult {
    const n = done * this.depth;
    const { series, codes } = this;
    return {
      config,
      completedSteps: done,
      cancelled: done < config.steps,
      trainLoss: this.trainLoss.slice(0, done),
      heldOutStep: Int32Array.from(this.heldStep),
      heldOutLoss: Float64Array.from(this.heldLoss),
      layers: { gradWNorm: series.gradWNorm.slice(0, n), actNorm: series.actNorm.slice(0, n), updateRatio: series.updateRatio.slice(0, n) },
      status: {
        trainLoss: this.trainCodes.slice(0, done),
        heldOutLoss: Uint8Array.from(this.heldCodes),
        layers: { gradWNorm: codes.gradWNorm.slice(0, n), actNorm: codes.actNorm.slice(0, n), updateRatio: codes.updateRatio.slice(0, n) },
      },
      brokeAt: this.brokeAt,
    };
  }

  /** The last held-out evaluation's step, or undefined. */
  get lastEvalStep(): number | undefined {
    return this.heldStep[this.heldStep.length - 1];
  }
}
