// The float64 reference of the Training lab: the Depth lab's net trained by minibatch SGD or Adam on a
// teacher–student regression task. The GPU engine and the CPU fallback are checked against it.

import { InputError } from '../../../errors';
import type { Activation } from '../../../kernels/activations';
import { makeRng } from '../../../kernels/cpu/random';
import { activateRef, derivativeRef } from '../../../kernels/cpu/elementwise-ref';
import { classify } from '../../depth/classify';
import { deriveSeed, makeWeights } from '../../depth/init';
import { netConfigOf, validateTrainConfig, type TrainConfig, type TrainConfigInput } from '../config';
import type { TrainResult, TrainStatus } from '../types';
import { TrainRecord } from '../train-record';
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
 * Statuses use `classify` (f32's thresholds: the GPU runs in f32) and `TrainRecord`'s rules (shared with
 * the GPU engine): the first overflow/NaN breaks the run, and every later step is computed from broken
 * weights, so its values are not computed (NaN) and its statuses are 'lost'. So an exploding run never
 * shows a finite, converged loss.
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

  const rec = new TrainRecord(L, steps);
  const adam = config.optimizer === 'adam';
  const mom = adam ? W.map((w) => new Float64Array(w.length)) : [];
  const vel = adam ? W.map((w) => new Float64Array(w.length)) : [];

  const evalHeldOut = (t: number) => {
    rec.recordEval(t, rec.isLost(t) ? null : trainPass(W, data.heldOutX, data.heldOutY, H, n, activation, false));
  };

  const xb = new Float64Array(m * n);
  const yb = new Float64Array(m * n);
  let t = 0;
  let finished = false;
  const step = () => {
    if (finished || t >= steps) throw new Error(`trainer: step ${t} of ${steps} after the run finished`);
    if (t % evalEvery === 0) evalHeldOut(t);
    if (rec.isLost(t)) {
      rec.recordLost(t);
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
    // Updates (their statuses are the record's).
    const tt = t + 1;
    const c1 = 1 - config.beta1 ** tt;
    const c2 = 1 - config.beta2 ** tt;
    const gradWNorm = new Float64Array(L);
    const updateRatio = new Float64Array(L);
    const weightNormAfter = new Float64Array(L);
    const momentStatus: TrainStatus[] = [];
    for (let l = 1; l <= L; l++) {
      const w = W[l - 1];
      const g = dW[l - 1];
      gradWNorm[l - 1] = norm2(g);
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
      updateRatio[l - 1] = norm2(delta) / wNorm;
      weightNormAfter[l - 1] = norm2(w);
      momentStatus.push(classify(vMax, 'norm'));
    }
    rec.recordStep(t, {
      loss: p.loss,
      actNorm: p.actNorm,
      zNorm: p.zNorm,
      gradActNorm: p.gradActNorm!,
      gradWNorm,
      updateRatio,
      weightNormAfter,
      momentStatus: adam ? momentStatus : undefined,
    });
    options.onStep?.(t, p.loss);
    t++;
  };

  const finish = (): TrainRefResult => {
    if (finished) throw new Error('trainer: finish() called twice');
    finished = true;
    const done = t;
    if (rec.lastEvalStep !== done) evalHeldOut(done);
    const result: TrainRefResult = rec.result(config, done);
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
