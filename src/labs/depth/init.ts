import { msg } from '@lit/localize';
import { InputError } from '../../errors';
import { checkInt } from '../../kernels/validate';
import { makeRng } from '../../kernels/cpu/random';
import type { DeepNetConfig, InitScheme } from './config';

/**
 * An init as a learner reads it, everywhere the labs name one (row titles, legends, heatmap rows, tooltips,
 * pickers, summaries): "Xavier normal", "He normal", "identity", "N(0, 1)"; in Korean 항등 행렬, He 정규분포 ….
 * The ids (`he-normal`) stay where an init is typed or copied: links, exports, the CLI and the Training lab's
 * `init:gain` field.
 */
export function initName(init: InitScheme): string {
  switch (init) {
    case 'identity':
      return msg('identity');
    case 'normal':
      return 'N(0, 1)';
    case 'xavier-normal':
      return msg('Xavier normal');
    case 'xavier-uniform':
      return msg('Xavier uniform');
    case 'he-normal':
      return msg('He normal');
    case 'lecun-normal':
      return msg('LeCun normal');
  }
}

/** The name with the weight variance it gives (the form's labels): `Xavier normal (Var 1/n)`. */
export const INIT_LABELS: Readonly<Record<InitScheme, string>> = Object.freeze({
  get identity() {
    return msg('identity (W = s·I, s = gain)');
  },
  normal: 'N(0, 1)',
  get 'xavier-normal'() {
    return msg('Xavier normal (Var 1/n)');
  },
  get 'xavier-uniform'() {
    return msg('Xavier uniform (Var 1/n)');
  },
  get 'he-normal'() {
    return msg('He normal (Var 2/n)');
  },
  get 'lecun-normal'() {
    return msg('LeCun normal (Var 1/n_in)');
  },
});

/**
 * Variance of a weight before the gain: W = gain·w, w ~ N(0, Var) (or U(±√(3·Var)) for xavier-uniform).
 * normal: 1; xavier-normal, xavier-uniform: 2/(n_in + n_out); he-normal: 2/n_in; lecun-normal: 1/n_in.
 * identity: null (W = gain·I is not random).
 */
export function weightVariance(init: InitScheme, nIn: number, nOut: number): number | null {
  checkInt('nIn', nIn, 1);
  checkInt('nOut', nOut, 1);
  switch (init) {
    case 'identity':
      return null;
    case 'normal':
      return 1;
    case 'xavier-normal':
    case 'xavier-uniform':
      return 2 / (nIn + nOut);
    case 'he-normal':
      return 2 / nIn;
    case 'lecun-normal':
      return 1 / nIn;
    default:
      throw new InputError('init', `must be an init scheme, got ${JSON.stringify(init)}`);
  }
}

// murmur3's 32-bit finalizer: every input bit affects every output bit.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Seed of one random stream of a run: stream 0 is the input, stream l (1..L) is layer l's weights, so
 * layer l's weights depend only on (seed, l) — not on the depth.
 */
export function deriveSeed(seed: number, stream: number): number {
  return fmix32((fmix32(seed >>> 0) + Math.imul(stream + 1, 0x9e3779b9)) >>> 0);
}

/**
 * Weights W[layer] (layer = 1..depth, the lecture's l) as an n×n row-major f32 matrix: row j holds the
 * weights into unit j, so z[l] = W[l]·a[l−1] for column vectors (Z = A·Wᵀ for a row-per-example batch).
 */
export function makeWeights(config: DeepNetConfig, layer: number): Float32Array<ArrayBuffer> {
  checkInt('layer', layer, 1, config.depth);
  const n = config.width;
  const w = new Float32Array(n * n);
  if (config.init === 'identity') {
    for (let i = 0; i < n; i++) w[i * n + i] = config.gain;
    return w;
  }
  const variance = weightVariance(config.init, n, n)!;
  const rng = makeRng(deriveSeed(config.seed, layer));
  if (config.init === 'xavier-uniform') {
    const a = Math.sqrt(3 * variance); // U(−a, a) has variance a²/3; a = √(6/(n_in + n_out))
    for (let i = 0; i < w.length; i++) w[i] = config.gain * a * (2 * rng.uniform() - 1);
  } else {
    const std = Math.sqrt(variance);
    for (let i = 0; i < w.length; i++) w[i] = config.gain * std * rng.normal();
  }
  return w;
}

/** The input batch X = A[0] as m×n row-major f32 (rows are examples): all ones, or N(0, 1) from stream 0. */
export function makeInput(config: DeepNetConfig): Float32Array<ArrayBuffer> {
  const x = new Float32Array(config.batch * config.width);
  if (config.input === 'ones') return x.fill(1);
  const rng = makeRng(deriveSeed(config.seed, 0));
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  return x;
}
