// A float32 simulation of the GPU engine's pass (deep-net.ts): same algorithm as deepNetRef, f32 arithmetic
// (every product and sum rounded to f32, Welford moments in f32, ReLU(NaN) = 0 as the GPU does, optionally
// subnormals flushed), so tests can see in Node what the GPU holds. Moved here from lost-status.test.ts.
import type { DeepNetConfig } from '../../src/labs/depth/config';
import type { LayerStats } from '../../src/labs/depth/types';
import { makeInput, makeWeights } from '../../src/labs/depth/init';
import type { Activation } from '../../src/kernels/activations';
import { classifyRun } from '../../src/labs/depth/classify';
import type { DeepNetResult } from '../../src/labs/depth/types';

const f = Math.fround;
const F32_MIN_NORMAL = 2 ** -126;

export interface F32Options {
  /** Flush subnormal results to 0 (GPUs may). */
  flush: boolean;
}

function makeRound(flush: boolean): (v: number) => number {
  return flush
    ? (v) => {
        const r = f(v);
        return r !== 0 && Math.abs(r) < F32_MIN_NORMAL ? 0 : r;
      }
    : f;
}

function act32(v: number, a: Activation, r: (v: number) => number): number {
  switch (a) {
    case 'relu':
      return v > 0 ? v : 0; // max(NaN, 0) is 0 on the GPU: the NaN after an overflow becomes a 0
    case 'tanh':
      return r(Math.tanh(v));
    case 'sigmoid':
      return r(1 / (1 + Math.exp(-v)));
    default:
      return v;
  }
}

// g · f'(z) as shaders/elementwise.wgsl forms it (grad_times_derivative).
function gradTimesDer32(g: number, v: number, a: Activation, r: (v: number) => number): number {
  const abs = Math.abs(v);
  switch (a) {
    case 'relu':
      return v > 0 ? g : r(g * 0);
    case 'tanh': {
      if (abs < 40) {
        const e = r(Math.exp(r(-2 * abs)));
        const d = r(1 + e);
        return r(g * r(r(4 * e) / r(d * d)));
      }
      return g === 0 ? 0 : r(Math.sign(g) * r(Math.exp(r(r(Math.log(Math.abs(g))) + r(1.3862944) - r(2 * abs)))));
    }
    case 'sigmoid': {
      if (abs < 80) {
        const e = r(Math.exp(-abs));
        const d = r(1 + e);
        return r(g * r(e / r(d * d)));
      }
      return g === 0 ? 0 : r(Math.sign(g) * r(Math.exp(r(r(Math.log(Math.abs(g))) - abs))));
    }
    default:
      return g;
  }
}

// The norms kernel is overflow-safe (scale · √ssq, decoded in float64) and Inf/NaN-aware: the norm of the
// f32 values, computed exactly enough in float64.
function norm(v: Float32Array): number {
  let max = 0;
  for (const x of v) {
    if (Number.isNaN(x)) return NaN;
    max = Math.max(max, Math.abs(x));
  }
  if (max === 0 || max === Infinity) return max;
  let s = 0;
  for (const x of v) s += (x / max) ** 2;
  return max * Math.sqrt(s);
}

// Welford in f32, as the moments kernel keeps (n, mean, M2) in f32; var = M2 / n.
function moments32(v: Float32Array, r: (v: number) => number): [number, number] {
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < v.length; i++) {
    const d = r(v[i] - mean);
    mean = r(mean + r(d / (i + 1)));
    m2 = r(m2 + r(d * r(v[i] - mean)));
  }
  return [mean, r(m2 / v.length)];
}

/** Per-layer statistics and loss of `config` computed in f32 like the GPU engine. */
export function deepNetF32(config: DeepNetConfig, { flush }: F32Options): { layers: LayerStats; loss: number } {
  const r = makeRound(flush);
  const { depth: L, width: n, batch: m, activation } = config;
  const W = Array.from({ length: L }, (_, i) => makeWeights(config, i + 1));
  const A: Float32Array[] = [Float32Array.from(makeInput(config), r)];
  const Z: Float32Array[] = [];
  const layers: LayerStats = {
    actNorm: new Float64Array(L),
    zMean: new Float64Array(L),
    zVar: new Float64Array(L),
    gradActNorm: new Float64Array(L),
    gradWNorm: new Float64Array(L),
  };
  const sqrtM = Math.sqrt(m);
  for (let l = 1; l <= L; l++) {
    const prev = A[l - 1];
    const w = W[l - 1];
    const z = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s = r(s + r(prev[i * n + k] * w[j * n + k]));
        z[i * n + j] = s;
      }
    }
    const a = z.map((v) => act32(v, activation, r));
    Z.push(z);
    A.push(a);
    layers.actNorm[l - 1] = norm(a) / sqrtM;
    [layers.zMean[l - 1], layers.zVar[l - 1]] = moments32(z, r);
  }
  const loss = (layers.actNorm[L - 1] * layers.actNorm[L - 1]) / 2;
  let dA = A[L].map((v) => r(v / m));
  for (let l = L; l >= 1; l--) {
    layers.gradActNorm[l - 1] = norm(dA) / sqrtM;
    const z = Z[l - 1];
    const dZ = dA.map((g, i) => gradTimesDer32(g, z[i], activation, r));
    const prev = A[l - 1];
    const dW = new Float32Array(n * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) dW[j * n + k] = r(dW[j * n + k] + r(dZ[i * n + j] * prev[i * n + k]));
    }
    layers.gradWNorm[l - 1] = norm(dW);
    const w = W[l - 1];
    const next = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) next[i * n + k] = r(next[i * n + k] + r(dZ[i * n + j] * w[j * n + k]));
    }
    dA = next;
  }
  return { layers, loss };
}

/** `deepNetF32` classified as the GPU engine classifies it: a run as the Depth lab's texts take it. */
export function runF32(config: DeepNetConfig, options: F32Options): DeepNetResult {
  const sim = deepNetF32(config, options);
  return { loss: sim.loss, layers: sim.layers, ...classifyRun(sim.layers, sim.loss) };
}
