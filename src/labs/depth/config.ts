import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { ACTIVATIONS, type Activation } from '../../kernels/activations';

/** Weight initialization schemes of the Depth lab (see `init.ts` for their variances). */
export type InitScheme = 'identity' | 'normal' | 'xavier-normal' | 'xavier-uniform' | 'he-normal' | 'lecun-normal';
export const INIT_SCHEMES: readonly InitScheme[] = ['identity', 'normal', 'xavier-normal', 'xavier-uniform', 'he-normal', 'lecun-normal'];

/** How the input batch X is filled: all ones, or N(0, 1) from the config's seed. */
export type InputKind = 'ones' | 'normal';
export const INPUT_KINDS: readonly InputKind[] = ['ones', 'normal'];

/**
 * A deep fully connected net ŷ = f(W[L]·…f(W[1]·x)), every layer width×width, bias 0, targets 0.
 * Everything a run depends on is here (seed included), so a config reproduces a run exactly.
 */
export interface DeepNetConfig {
  /** Number of layers L. */
  depth: number;
  /** Width n: the input size and every layer's size. */
  width: number;
  /** Batch size m (examples per forward/backward pass). */
  batch: number;
  activation: Activation;
  init: InitScheme;
  /** Multiplies every weight matrix: identity with gain 1.5 is the lecture's W = 1.5·I. */
  gain: number;
  /** 32-bit unsigned seed of the weights and the input. */
  seed: number;
  input: InputKind;
}

/**
 * Allowed ranges. Gain is limited to [1e-6, 1e6]: inside it the weights are ordinary (normal, non-zero,
 * finite) f32 numbers, so what the learner sees is the effect of depth, not of uploading the weights;
 * and the range already spans every outcome within L ≤ 1000 — an identity net with s = 1e6 overflows
 * f32 at layer 7 and one with s = 1e-6 flushes to zero at layer 8. Larger ranges teach nothing new.
 */
export const CONFIG_LIMITS = {
  depth: { min: 1, max: 1000 },
  width: { min: 1, max: 1024 },
  batch: { min: 1, max: 4096 },
  gain: { min: 1e-6, max: 1e6 },
  seed: { min: 0, max: 2 ** 32 - 1 },
} as const;

/** The lecture's W = 1.5·I example at the benchmark's size (n = 256, m = 128, L = 128). */
export const DEFAULT_CONFIG: Readonly<DeepNetConfig> = Object.freeze({
  depth: 128,
  width: 256,
  batch: 128,
  activation: 'linear',
  init: 'identity',
  gain: 1.5,
  seed: 1,
  input: 'ones',
});

export const CONFIG_FIELDS: readonly (keyof DeepNetConfig)[] = ['depth', 'width', 'batch', 'activation', 'init', 'gain', 'seed', 'input'];

/** What `validateDeepNetConfig` accepts: any subset of the fields, with values of any type (from JSON, a URL…). */
export type DeepNetConfigInput = { [K in keyof DeepNetConfig]?: unknown };

/** One problem with one field, for the UI to show next to that field. */
export interface ConfigProblem {
  field: string;
  message: string;
}

/** Renders a bad value readably (JSON.stringify would turn NaN into "null"). */
export function describeValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

function intProblem(v: unknown, min: number, max: number): string | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return null;
  return msg(str`must be an integer from ${min} to ${max}, got ${describeValue(v)}`);
}

function oneOfProblem(v: unknown, allowed: readonly string[]): string | null {
  if (typeof v === 'string' && allowed.includes(v)) return null;
  return msg(str`must be one of ${allowed.join(', ')}; got ${describeValue(v)}`);
}

/** Problem with one field's value, or null if it is allowed. */
export function fieldProblem(field: keyof DeepNetConfig, v: unknown): string | null {
  switch (field) {
    case 'depth':
    case 'width':
    case 'batch':
    case 'seed':
      return intProblem(v, CONFIG_LIMITS[field].min, CONFIG_LIMITS[field].max);
    case 'gain': {
      const { min, max } = CONFIG_LIMITS.gain;
      if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return null;
      return msg(str`must be a finite number from ${min} to ${max} (it multiplies every weight), got ${describeValue(v)}`);
    }
    case 'activation':
      return oneOfProblem(v, ACTIVATIONS);
    case 'init':
      return oneOfProblem(v, INIT_SCHEMES);
    case 'input':
      return oneOfProblem(v, INPUT_KINDS);
  }
}

/**
 * Every problem of a (partial) config at once, for the UI. Missing or undefined fields are not problems
 * (they take `DEFAULT_CONFIG`'s value); unknown fields are, so typos don't pass silently.
 */
export function configProblems(partial: unknown): ConfigProblem[] {
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) {
    return [{ field: 'config', message: msg(str`must be an object with fields ${CONFIG_FIELDS.join(', ')}; got ${describeValue(partial)}`) }];
  }
  const problems: ConfigProblem[] = [];
  const rec = partial as Record<string, unknown>;
  for (const key of Object.keys(rec)) {
    if (!(CONFIG_FIELDS as readonly string[]).includes(key)) {
      problems.push({ field: key, message: msg(str`is not a config field; the fields are ${CONFIG_FIELDS.join(', ')}`) });
    }
  }
  for (const field of CONFIG_FIELDS) {
    if (rec[field] === undefined) continue;
    const message = fieldProblem(field, rec[field]);
    if (message) problems.push({ field, message });
  }
  return problems;
}

/**
 * `DEFAULT_CONFIG` overridden by `partial`, checked. Throws an InputError naming the first bad field, its
 * allowed range or values and what was given (other problems are appended to the message).
 */
export function validateDeepNetConfig(partial: DeepNetConfigInput = {}): DeepNetConfig {
  const problems = configProblems(partial);
  if (problems.length > 0) {
    const [first, ...rest] = problems;
    const more = rest.length ? `; also ${rest.map((p) => `${p.field}: ${p.message}`).join('; ')}` : '';
    throw new InputError(first.field, first.message + more);
  }
  const out = { ...DEFAULT_CONFIG } as DeepNetConfig;
  for (const field of CONFIG_FIELDS) {
    // -0 (a valid seed) becomes 0, so a config prints, links and compares the same way.
    if (partial[field] !== undefined) (out as unknown as Record<string, unknown>)[field] = partial[field] === 0 ? 0 : partial[field];
  }
  return out;
}

/** Bytes of each kind of f32 buffer a GPU run of `config` keeps (see `estimateBytes`). */
export interface MemoryEstimate {
  /** A[0..L]: the input and every layer's output, (L+1)·m·n floats. */
  activations: number;
  /** Z[1..L]: pre-activations, kept for the backward pass, L·m·n floats. */
  preActivations: number;
  /** dA[1..L]: every layer's activation gradient, kept so each can be shown, L·m·n floats. */
  activationGrads: number;
  /** W[1..L]: L·n² floats. */
  weights: number;
  /** dW[1..L]: L·n² floats. */
  weightGrads: number;
  total: number;
}

/**
 * Memory a GPU run needs if it keeps every layer's tensors, in bytes (4 per f32):
 * 4·((3L + 1)·m·n + 2L·n²). Per-layer statistics and uniforms are negligible and left out.
 * An upper bound for engines that recompute or reuse buffers; the UI warns with it.
 */
export function memoryEstimate(config: DeepNetConfig): MemoryEstimate {
  const { depth: L, width: n, batch: m } = validateDeepNetConfig(config);
  const activations = 4 * (L + 1) * m * n;
  const preActivations = 4 * L * m * n;
  const activationGrads = 4 * L * m * n;
  const weights = 4 * L * n * n;
  const weightGrads = 4 * L * n * n;
  return {
    activations,
    preActivations,
    activationGrads,
    weights,
    weightGrads,
    total: activations + preActivations + activationGrads + weights + weightGrads,
  };
}

/** Total bytes of `memoryEstimate(config)`: 4·((3L + 1)·m·n + 2L·n²). */
export function estimateBytes(config: DeepNetConfig): number {
  return memoryEstimate(config).total;
}
