// The float64 reference of the Training lab: the Depth lab's net trained by minibatch SGD or Adam on a
// teacher–student regression task. The GPU engine and the CPU fallback are checked against it.

import { InputError } from '../../../errors';
import type { Activation } from '../../../kernels/activations';
import { makeRng } from '../../../kernels/cpu/random';
import { activateRef, derivativeRef } from '../../../kernels/cpu/elementwise-ref';
import { classify, type ValueStatus } from '../../depth/classify';
import { deriveSeed, makeWeights } from '../../depth/init';
import { netConfigOf, validateTrainConfig, type TrainConfig, type TrainConfigInput } from '../config';
import { statusCode, type TrainBreak, type TrainLayerStat, type TrainResult, type TrainStatus } from '../types';
import { checkLength, matmulGW, matmulGtX, matmulXWt, norm2 } from '../../depth/cpu/dense-ops';

/**
 * Random streams of the task (see `deriveSeed`): the training inputs use stream 0, the Depth lab's input
 * stream, so the first minibatch is exactly the Depth lab's X; the student's W[l] use streams 1..depth
 * (`makeWeights`); the teacher and the held-out inputs use streams past any depth.
 */
export const TRAIN_STREAMS = Object.freeze({ teacher1: 1_000_001, teacher2: 1_000_002, heldOut: 1_000_003 });

/** The task's data, f32 (what a GPU uploads), row-major with one example per row. */
export interface TrainData {
  /** trainSize × width. */
  trainX: Float32Array;
  trainY: Float32Array;
  /** heldOutSize × width. */
  heldOutX: Float32Array;
  heldOutY: Float32Array;
}

/** The fixed random teacher: y = V·x (linear students) or y = f(V2·f(V1·x)) (n×n row-major). */
export interface Teacher {
  activation: Activation;
  /** [V] for linear, [V1, V2] otherwise. */
  weights: Float32Array[];
}

// N(0, variance) n×n f32 matrix from one stream.
function normalMatrix(n: number, variance: number, seed: number): Float32Array {
  const rng = makeRng(seed);
  const std = Math.sqrt(variance);
  const w = new Float32Array(n * n);
  for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
  return w;
}

/**
 * The teacher of `config`: it depends on seed, width and activation only, so an init or gain sweep trains
 * every row on the same task. Linear: V ~ N(0, 1/n). Otherwise a 1-hidden-layer net of the student's
 * activation (the output too, so the targets lie in the student's range — e.g. ≥ 0 for ReLU): V1, V2 ~
 * N(0, 2/n) for ReLU (He: keeps E[y²] ≈ E[x²]) and N(0, 1/n) for tanh and sigmoid.
 */
export function makeTeacher(config: Pick<TrainConfig, 'seed' | 'width' | 'activation'>): Teacher {
  const n = config.width;
  if (config.activation === 'linear') {
    return { activation: 'linear', weights: [normalMatrix(n, 1 / n, deriveSeed(config.seed, TRAIN_STREAMS.teacher1))] };
  }
  const v = (config.activation === 'relu' ? 2 : 1) / n;
  return {
    activation: config.activation,
    weights: [normalMatrix(n, v, deriveSeed(config.seed, TRAIN_STREAMS.teacher1)), normalMatrix(n, v, deriveSeed(config.seed, TRAIN_STREAMS.teacher2))],
  };
}

/** Targets T(x) of `rows` examples, computed in float64 and rounded to f32. */
export function teacherTargets(teacher: Teacher, x: ArrayLike<number>, rows: number, n: number): Float32Array {
  let a = Float64Array.from(x);
  for (const w of teacher.weights) {
    const z = new Float64Array(rows * n);
    matmulXWt(a, Float64Array.from(w), rows, n, z);
    a = teacher.weights.length === 1 ? z : Float64Array.from(z, (v) => activateRef(v, teacher.activation));
  }
  return Float32Array.from(a);
}

/**
 * The task of `config`: training inputs from stream 0 ('normal': N(0, 1), the first `batch` rows equal to
 * `makeInput`; 'ones': all ones), held-out inputs from their own stream (all ones for 'ones'), targets from
 * `makeTeacher`.
 */
export function makeTrainData(input: TrainConfigInput): TrainData {
  const c = validateTrainConfig(input);
  const n = c.width;
  const draw = (rows: number, stream: number) => {
    const x = new Float32Array(rows * n);
    if (c.input === 'ones') return x.fill(1);
    const rng = makeRng(deriveSeed(c.seed, stream));
    for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    return x;
  };
  const teacher = makeTeacher(c);
  const trainX = draw(c.trainSize, 0);
  const heldOutX = draw(c.heldOutSize, TRAIN_STREAMS.heldOut);
  return {
    trainX,
    trainY: teacherTargets(teacher, trainX, c.trainSize, n),
    heldOutX,
    heldOutY: teacherTargets(teacher, heldOutX, c.heldOutSize, n),
  };
}

const broken = (s: ValueStatus | TrainStatus) => s === 'overflow' || s === 'nan';

/** One forward (and optionally backward) pass of the student on `rows` examples. */
export interface PassResult {
  /** J = 1/(2·rows)·Σ‖ŷ − y‖². */
  loss: number;
  /** ‖A[l]‖_F/√rows, index l − 1. */
  actNorm: Float64Array;
  /** ‖Z[l]‖_F/√rows, index l − 1 (to tell a Z past f32 whose ReLU is 0 from a vanished one). */
  zNorm: Float64Array;
  /** ∂J/∂W[l] (n×n), index l − 1; only with `backward`. */
  dW?: Float64Array[];
  /** ‖∂J/∂A[l]‖_F/√rows, index l − 1; only with `backward`. */
  gradActNorm?: Float64Array;
}

/**
 * float64 forward (and backward) pass, rows are examples: A[0] = X; Z[l] = A[l−1]·W[l]ᵀ; A[l] = f(Z[l]);
 * J = 1/(2m)·Σ‖A[L] − Y‖²; dA[L] = (A[L] − Y)/m; dZ[l] = dA[l] ⊙ f′(Z[l]); dW[l] = dZ[l]ᵀ·A[l−1];
 * dA[l−1] = dZ[l]·W[l].
 */
export function trainPass(
  weights: readonly Float64Array[],
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  rows: number,
  n: number,
  activation: Activation,
  backward: boolean,
): PassResult {
  const L = weights.length;
  const sqrtM = Math.sqrt(rows);
  const a: Float64Array[] = [Float64Array.from(x)];
  const z: Float64Array[] = [];
  const actNorm = new Float64Array(L);
  const zNorm = new Float64Array(L);
  for (let l = 1; l <= L; l++) {
    const zl = new Float64Array(rows * n);
    matmulXWt(a[l - 1], weights[l - 1], rows, n, zl);
    const al = Float64Array.from(zl, (v) => activateRef(v, activation));
    z.push(zl);
    a.push(al);
    zNorm[l - 1] = norm2(zl) / sqrtM;
    actNorm[l - 1] = norm2(al) / sqrtM;
  }
  const diff = Float64Array.from(a[L], (v, i) => v - y[i]);
  const dn = norm2(diff);
  const loss = (0.5 * dn * dn) / rows;
  if (!backward) return { loss, actNorm, zNorm };
  const dW: Float64Array[] = new Array(L);
  const gradActNorm = new Float64Array(L);
  let dA = Float64Array.from(diff, (v) => v / rows);
  for (let l = L; l >= 1; l--) {
    gradActNorm[l - 1] = norm2(dA) / sqrtM;
    const zl = z[l - 1];
    const dZ = Float64Array.from(dA, (g, i) => g * derivativeRef(zl[i], activation));
    const g = new Float64Array(n * n);
    matmulGtX(dZ, a[l - 1], rows, n, g);
    dW[l - 1] = g;
    if (l > 1) {
      const next = new Float64Array(rows * n);
      matmulGW(dZ, weights[l - 1], rows, n, next);
      dA = next;
    }
  }
  return { loss, actNorm, zNorm, dW, gradActNorm };
}

// First layer (1-based) whose Z or A left f32's range or is NaN, and its status; null if none.
function forwardBreak(p: PassResult): { layer: number; status: 'overflow' | 'nan' } | null {
  for (let i = 0; i < p.actNorm.length; i++) {
    for (const v of [p.zNorm[i], p.actNorm[i]]) {
      const s = classify(v, 'norm');
      if (broken(s)) return { layer: i + 1, status: s as 'overflow' | 'nan' };
    }
  }
  return null;
}

// Status of a pass's loss: lost when the forward pass broke before the output (or the output's Z broke
// and its A did not), else `classify`.
function lossStatus(p: PassResult, fwd: { layer: number } | null): TrainStatus {
  const L = p.actNorm.length;
  if (fwd && (fwd.layer < L || !broken(classify(p.actNorm[L - 1], 'norm')))) return 'lost';
  return classify(p.loss, 'norm');
}

export interface TrainRefOptions {
  /** Called after each step with the step index (0-based) and that step's train loss. */
  onStep?: (step: number, trainLoss: number) => void;
  /** Checked before each step: when aborted, the run stops and returns the steps done (`cancelled: true`). */
  signal?: AbortSignal;
  /** Initial W[1..L] (n×n row-major, index l − 1); default `makeWeights` (the Depth lab's). */
  weights?: readonly ArrayLike<number>[];
  /** The task; default `makeTrainData(config)`. */
  data?: TrainData;
  /** Also return the final weights. */
  keepWeights?: boolean;
}

export interface TrainRefResult extends TrainResult {
  /** Final W[1..L] (with `keepWeights`). */
  weights?: Float64Array[];
}

/** A float64 training run advanced one step at a time (for chunked runs such as the CPU fallback). */
export interface Trainer {
  readonly config: TrainConfig;
  /** Steps done so far. */
  readonly done: number;
  /** Runs the next step (throws past `config.steps` or after `finish`). */
  step(): void;
  /** Measures the held-out loss on the current weights (unless just done) and returns the steps done so far; call once. */
  finish(): TrainRefResult;
}

/**
 * A float64 training run of `config`, stepped by `step()`, read by `finish()`. Step t (0-based): minibatch
 * rows (t·m + i) mod trainSize; forward, loss, backward (`trainPass`); then per layer the update ΔW: SGD −η·g; Adam (t' = t + 1)
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², ΔW = −η·(m/(1−β1^t'))/(√(v/(1−β2^t')) + ε).
 * Records trainLoss[t], per layer ‖∂J/∂W‖_F, ‖A‖_F/√m and ‖ΔW‖_F/‖W‖_F (‖W‖ before the update), and the
 * held-out loss on the weights before steps 0, k, 2k, … and after the last step.
 *
 * Statuses use `classify` (f32's thresholds: the GPU runs in f32). The first overflow/NaN breaks the run:
 * in the forward pass (a layer's Z or A) → later layers' ‖A‖, the loss, every gradient and update of that
 * step are 'lost'; in backprop (a ∂J/∂A[l]) → ∂J/∂W of layers l..1 and their updates are 'lost'; a
 * ∂J/∂W that is itself past f32 makes its update 'lost'; updated weights past f32 (or Adam's v, i.e. g²)
 * mark the update 'overflow'. Every later step is computed from broken weights: its values are not
 * computed (NaN) and its statuses are 'lost'. So an exploding run never shows a finite, converged loss.
 */
export function makeTrainer(input: TrainConfigInput, options: Omit<TrainRefOptions, 'signal'> = {}): Trainer {
  const config = validateTrainConfig(input);
  const { depth: L, width: n, batch: m, activation, steps, evalEvery, trainSize: N, heldOutSize: H } = config;
  const net = netConfigOf(config);
  if (options.weights && options.weights.length !== L) {
    throw new InputError('weights', `has ${options.weights.length} matrices but depth is ${L}`);
  }
  const W: Float64Array[] = [];
  for (let l = 1; l <= L; l++) {
    const w = options.weights ? options.weights[l - 1] : makeWeights(net, l);
    checkLength(`weights[${l - 1}]`, w, n, n, 'width × width');
    W.push(Float64Array.from(w));
  }
  const data = options.data ?? makeTrainData(config);
  checkLength('data.trainX', data.trainX, N, n, 'trainSize × width');
  checkLength('data.trainY', data.trainY, N, n, 'trainSize × width');
  checkLength('data.heldOutX', data.heldOutX, H, n, 'heldOutSize × width');
  checkLength('data.heldOutY', data.heldOutY, H, n, 'heldOutSize × width');

  const series = { gradWNorm: new Float64Array(steps * L), actNorm: new Float64Array(steps * L), updateRatio: new Float64Array(steps * L) };
  const codes: Record<TrainLayerStat, Uint8Array> = {
    gradWNorm: new Uint8Array(steps * L),
    actNorm: new Uint8Array(steps * L),
    updateRatio: new Uint8Array(steps * L),
  };
  const trainLoss = new Float64Array(steps);
  const trainCodes = new Uint8Array(steps);
  const heldStep: number[] = [];
  const heldLoss: number[] = [];
  const heldCodes: number[] = [];
  const LOST = statusCode('lost');
  const adam = config.optimizer === 'adam';
  const mom = adam ? W.map((w) => new Float64Array(w.length)) : [];
  const vel = adam ? W.map((w) => new Float64Array(w.length)) : [];
  let brokeAt: TrainBreak | null = null;
  let lostFrom = Infinity; // first step computed from broken weights

  const evalHeldOut = (t: number) => {
    heldStep.push(t);
    if (t >= lostFrom) {
      heldLoss.push(NaN);
      heldCodes.push(LOST);
      return;
    }
    const p = trainPass(W, data.heldOutX, data.heldOutY, H, n, activation, false);
    heldLoss.push(p.loss);
    heldCodes.push(statusCode(lossStatus(p, forwardBreak(p))));
  };
  const breakAt = (b: TrainBreak) => {
    brokeAt ??= b;
  };

  const xb = new Float64Array(m * n);
  const yb = new Float64Array(m * n);
  let t = 0;
  let finished = false;
  const step = () => {
    if (finished || t >= steps) throw new Error(`trainer: step ${t} of ${steps} after the run finished`);
    if (t % evalEvery === 0) evalHeldOut(t);
    const row = t * L;
    if (t >= lostFrom) {
      trainLoss[t] = NaN;
      trainCodes[t] = LOST;
      for (const s of ['gradWNorm', 'actNorm', 'updateRatio'] as const) {
        series[s].fill(NaN, row, row + L);
        codes[s].fill(LOST, row, row + L);
      }
      options.onStep?.(t, NaN);
      t++;
      return;
    }
    for (let i = 0; i < m; i++) {
      const src = ((t * m + i) % N) * n;
      for (let k = 0; k < n; k++) {
        xb[i * n + k] = data.trainX[src + k];
        yb[i * n + k] = data.trainY[src + k];
      }
    }
    const p = trainPass(W, xb, yb, m, n, activation, true);
    const dW = p.dW!;
    trainLoss[t] = p.loss;
    const fwd = forwardBreak(p);
    trainCodes[t] = statusCode(lossStatus(p, fwd));
    for (let l = 1; l <= L; l++) {
      series.actNorm[row + l - 1] = p.actNorm[l - 1];
      let s: TrainStatus = classify(p.actNorm[l - 1], 'norm');
      if (fwd && (l > fwd.layer || (l === fwd.layer && !broken(s)))) s = 'lost';
      codes.actNorm[row + l - 1] = statusCode(s);
      series.gradWNorm[row + l - 1] = norm2(dW[l - 1]);
    }
    // Gradient statuses: all lost after a forward break; else lost from the first broken ∂J/∂A down.
    let lostBelow = 0; // layers 1..lostBelow have lost gradients
    if (fwd) {
      lostBelow = L;
      breakAt({ step: t, what: 'activations', layer: fwd.layer, status: fwd.status });
    } else {
      for (let l = L; l >= 1; l--) {
        const s = classify(p.gradActNorm![l - 1], 'norm');
        if (broken(s)) {
          lostBelow = l;
          breakAt({ step: t, what: 'gradActivations', layer: l, status: s as 'overflow' | 'nan' });
          break;
        }
      }
    }
    const gradStatus: TrainStatus[] = [];
    for (let l = 1; l <= L; l++) {
      const s: TrainStatus = l <= lostBelow ? 'lost' : classify(series.gradWNorm[row + l - 1], 'norm');
      gradStatus.push(s);
      codes.gradWNorm[row + l - 1] = statusCode(s);
      if (broken(s)) breakAt({ step: t, what: 'gradWeights', layer: l, status: s as 'overflow' | 'nan' });
    }
    // Updates.
    const tt = t + 1;
    const c1 = 1 - config.beta1 ** tt;
    const c2 = 1 - config.beta2 ** tt;
    for (let l = 1; l <= L; l++) {
      const w = W[l - 1];
      const g = dW[l - 1];
      const wNorm = norm2(w);
      const delta = new Float64Array(w.length);
      let vMax = 0;
      if (adam) {
        const mo = mom[l - 1];
        const ve = vel[l - 1];
        for (let i = 0; i < w.length; i++) {
          mo[i] = config.beta1 * mo[i] + (1 - config.beta1) * g[i];
          ve[i] = config.beta2 * ve[i] + (1 - config.beta2) * g[i] * g[i];
          vMax = Math.max(vMax, ve[i]);
          delta[i] = (-config.lr * (mo[i] / c1)) / (Math.sqrt(ve[i] / c2) + config.eps);
        }
      } else {
        for (let i = 0; i < w.length; i++) delta[i] = -config.lr * g[i];
      }
      for (let i = 0; i < w.length; i++) w[i] += delta[i];
      const ratio = norm2(delta) / wNorm;
      series.updateRatio[row + l - 1] = ratio;
      let s: TrainStatus;
      if (gradStatus[l - 1] === 'lost' || broken(gradStatus[l - 1])) {
        s = 'lost';
        lostFrom = Math.min(lostFrom, t + 1);
      } else if (broken(classify(vMax, 'norm'))) {
        s = classify(vMax, 'norm');
        breakAt({ step: t, what: 'adamMoment', layer: l, status: s as 'overflow' | 'nan' });
        lostFrom = Math.min(lostFrom, t + 1);
      } else {
        const wn = classify(norm2(w), 'norm');
        if (broken(wn)) {
          s = wn;
          breakAt({ step: t, what: 'weights', layer: l, status: wn as 'overflow' | 'nan' });
          lostFrom = Math.min(lostFrom, t + 1);
        } else {
          s = classify(ratio, 'norm');
        }
      }
      codes.updateRatio[row + l - 1] = statusCode(s);
    }
    options.onStep?.(t, p.loss);
    t++;
  };

  const finish = (): TrainRefResult => {
    if (finished) throw new Error('trainer: finish() called twice');
    finished = true;
    const done = t;
    if (heldStep[heldStep.length - 1] !== done) evalHeldOut(done);

    const cut = (a: Float64Array) => a.slice(0, done * L);
    const cutCodes = (a: Uint8Array) => a.slice(0, done * L);
    const result: TrainRefResult = {
      config,
      completedSteps: done,
      cancelled: done < steps,
      trainLoss: trainLoss.slice(0, done),
      heldOutStep: Int32Array.from(heldStep),
      heldOutLoss: Float64Array.from(heldLoss),
      layers: { gradWNorm: cut(series.gradWNorm), actNorm: cut(series.actNorm), updateRatio: cut(series.updateRatio) },
      status: {
        trainLoss: trainCodes.slice(0, done),
        heldOutLoss: Uint8Array.from(heldCodes),
        layers: { gradWNorm: cutCodes(codes.gradWNorm), actNorm: cutCodes(codes.actNorm), updateRatio: cutCodes(codes.updateRatio) },
      },
      brokeAt,
    };
    if (options.keepWeights) result.weights = W;
    return result;
  };

  return {
    config,
    get done() {
      return t;
    },
    step,
    finish,
  };
}

/**
 * Trains `config` in float64 (see `makeTrainer` for the algorithm and the statuses), all steps at once
 * unless `signal` aborts (checked before each step; the steps done are returned, `cancelled: true`).
 */
export function trainRef(input: TrainConfigInput, options: TrainRefOptions = {}): TrainRefResult {
  const trainer = makeTrainer(input, options);
  while (trainer.done < trainer.config.steps && !options.signal?.aborted) trainer.step();
  return trainer.finish();
}
