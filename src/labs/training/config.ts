import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { CONFIG_FIELDS, configProblems, describeValue, validateDeepNetConfig, type ConfigProblem, type DeepNetConfig } from '../depth/config';

/** Optimizers of the Training lab: plain minibatch SGD and Adam (bias-corrected). */
export type Optimizer = 'sgd' | 'adam';
export const OPTIMIZERS: readonly Optimizer[] = ['sgd', 'adam'];

/** An optimizer as a learner reads it (a proper name in every language): SGD, Adam. Ids stay in links and exports. */
export function optimizerName(o: Optimizer): string {
  return o === 'adam' ? 'Adam' : 'SGD';
}

/**
 * A training run: the Depth lab's net (`DeepNetConfig`: depth, width, batch, activation, init, gain, seed,
 * input) trained on a teacher–student regression task (see `cpu/train-ref.ts`). Everything a run depends on
 * is here, seed included, so a config reproduces a run exactly.
 */
export interface TrainConfig extends DeepNetConfig {
  optimizer: Optimizer;
  /** Learning rate η: SGD W ← W − η·g; Adam W ← W − η·m̂/(√v̂ + ε). */
  lr: number;
  /** Number of updates, 1..10,000. */
  steps: number;
  /** The held-out loss is measured before steps 0, k, 2k, … and after the last step. */
  evalEvery: number;
  /** Adam's decay of the first moment (mean of g). */
  beta1: number;
  /** Adam's decay of the second moment (mean of g²). */
  beta2: number;
  /** Adam's ε in the denominator √v̂ + ε. */
  eps: number;
  /** Examples in the training set; step t uses rows (t·batch + i) mod trainSize, i < batch. ≥ batch. */
  trainSize: number;
  /** Examples in the held-out set, from the same teacher. */
  heldOutSize: number;
}

export const TRAIN_FIELDS: readonly (keyof TrainConfig)[] = [
  ...CONFIG_FIELDS,
  'optimizer',
  'lr',
  'steps',
  'evalEvery',
  'beta1',
  'beta2',
  'eps',
  'trainSize',
  'heldOutSize',
];

/** Allowed ranges of the training fields (the net's fields keep `CONFIG_LIMITS`). */
export const TRAIN_LIMITS = {
  /** 0 < lr ≤ 100: past 100 no net of these sizes does anything but diverge at once. */
  lr: { min: 0, max: 100 },
  steps: { min: 1, max: 10_000 },
  evalEvery: { min: 1, max: 10_000 },
  /** β ∈ [0, 1): β = 1 never forgets and divides by 1 − β^t = 0. */
  beta: { min: 0, max: 1 },
  /** 0 < ε ≤ 1. */
  eps: { min: 0, max: 1 },
  trainSize: { min: 1, max: 65_536 },
  heldOutSize: { min: 1, max: 65_536 },
} as const;

/** Learning rate when none is given: 0.01 for SGD, 0.001 for Adam (Kingma & Ba's default). */
export const DEFAULT_LR: Readonly<Record<Optimizer, number>> = Object.freeze({ sgd: 0.01, adam: 0.001 });

/** He + ReLU at depth 20, width 64: trains in a few hundred SGD steps. */
export const DEFAULT_TRAIN_CONFIG: Readonly<TrainConfig> = Object.freeze({
  depth: 20,
  width: 64,
  batch: 32,
  activation: 'relu',
  init: 'he-normal',
  gain: 1,
  seed: 1,
  input: 'normal',
  optimizer: 'sgd',
  lr: DEFAULT_LR.sgd,
  steps: 200,
  evalEvery: 10,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  trainSize: 1024,
  heldOutSize: 256,
});

/** What `validateTrainConfig` accepts: any subset of the fields, with values of any type. */
export type TrainConfigInput = { [K in keyof TrainConfig]?: unknown };

function intProblem(v: unknown, min: number, max: number): string | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return null;
  return msg(str`must be an integer from ${min} to ${max}, got ${describeValue(v)}`);
}

const TRAIN_ONLY = TRAIN_FIELDS.filter((f) => !(CONFIG_FIELDS as readonly string[]).includes(f));

/** Problem with one training field's value (not the net's fields: see `fieldProblem`), or null. */
export function trainFieldProblem(field: Exclude<keyof TrainConfig, keyof DeepNetConfig>, v: unknown): string | null {
  switch (field) {
    case 'optimizer':
      if (typeof v === 'string' && (OPTIMIZERS as readonly string[]).includes(v)) return null;
      return msg(str`must be one of ${OPTIMIZERS.join(', ')}; got ${describeValue(v)}`);
    case 'lr':
      if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= TRAIN_LIMITS.lr.max) return null;
      return msg(str`must be a number above 0 and at most ${TRAIN_LIMITS.lr.max} (the learning rate), got ${describeValue(v)}`);
    case 'steps':
    case 'evalEvery':
    case 'trainSize':
    case 'heldOutSize':
      return intProblem(v, TRAIN_LIMITS[field].min, TRAIN_LIMITS[field].max);
    case 'beta1':
    case 'beta2':
      if (typeof v === 'number' && v >= 0 && v < 1) return null;
      return msg(str`must be a number from 0 up to but not including 1 (Adam's moment decay), got ${describeValue(v)}`);
    case 'eps':
      if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= TRAIN_LIMITS.eps.max) return null;
      return msg(str`must be a number above 0 and at most ${TRAIN_LIMITS.eps.max} (Adam's ε), got ${describeValue(v)}`);
  }
}

/**
 * Every problem of a (partial) training config: the net's fields as `configProblems` reads them, the
 * training fields, unknown fields, and trainSize < batch (a step needs `batch` distinct examples).
 */
export function trainConfigProblems(partial: unknown): ConfigProblem[] {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    return [{ field: 'config', message: msg(str`must be an object with fields ${TRAIN_FIELDS.join(', ')}; got ${describeValue(partial)}`) }];
  }
  const rec = partial as Record<string, unknown>;
  const net: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(rec)) {
    if ((CONFIG_FIELDS as readonly string[]).includes(key)) net[key] = rec[key];
    else if (!(TRAIN_ONLY as readonly string[]).includes(key)) {
      problems.push({ field: key, message: msg(str`is not a training config field; the fields are ${TRAIN_FIELDS.join(', ')}`) });
    }
  }
  problems.push(...configProblems(net));
  for (const field of TRAIN_ONLY as Exclude<keyof TrainConfig, keyof DeepNetConfig>[]) {
    if (rec[field] === undefined) continue;
    const message = trainFieldProblem(field, rec[field]);
    if (message) problems.push({ field, message });
  }
  if (problems.length === 0) {
    const batch = rec.batch ?? DEFAULT_TRAIN_CONFIG.batch;
    const trainSize = rec.trainSize ?? DEFAULT_TRAIN_CONFIG.trainSize;
    if ((trainSize as number) < (batch as number)) {
      problems.push({
        field: 'trainSize',
        message: msg(str`must be at least the batch (${batch}) so a step sees ${batch} distinct examples, got ${trainSize}`),
      });
    }
  }
  return problems;
}

/**
 * `DEFAULT_TRAIN_CONFIG` overridden by `partial`, checked (the net's fields by `validateDeepNetConfig`).
 * A missing `lr` takes `DEFAULT_LR[optimizer]`. Throws an InputError naming the first bad field, what was
 * given and what is allowed (other problems are appended).
 */
export function validateTrainConfig(partial: TrainConfigInput = {}): TrainConfig {
  const problems = trainConfigProblems(partial);
  if (problems.length > 0) {
    const [first, ...rest] = problems;
    const more = rest.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new InputError(first.field, rest.length ? msg(str`${first.message}; also ${more}`) : first.message);
  }
  const rec = partial as Record<string, unknown>;
  const netInput: Record<string, unknown> = {};
  for (const f of CONFIG_FIELDS) netInput[f] = rec[f] ?? DEFAULT_TRAIN_CONFIG[f];
  const net = validateDeepNetConfig(netInput);
  const out = { ...DEFAULT_TRAIN_CONFIG, ...net } as TrainConfig;
  for (const f of TRAIN_ONLY) if (rec[f] !== undefined) (out as unknown as Record<string, unknown>)[f] = rec[f];
  if (rec.lr === undefined) out.lr = DEFAULT_LR[out.optimizer];
  return out;
}

/** The Depth lab's part of a training config (what `makeWeights` / `makeInput` read). */
export function netConfigOf(c: TrainConfig): DeepNetConfig {
  const { depth, width, batch, activation, init, gain, seed, input } = c;
  return { depth, width, batch, activation, init, gain, seed, input };
}
