import type { GpuContext } from '../gpu/context';
import { GpuBatch, f32, type Readback } from '../gpu/batch';
import type { KernelTiming } from '../gpu/timer';
import { createElementwiseKernel } from '../kernels/elementwise';
import { createMatmulKernel } from '../kernels/matmul';
import { createMomentsKernel } from '../kernels/moments';
import { createNormsKernel, decodeNorms, pickSegmentsPerGroup, NORM_WORDS } from '../kernels/norms';
import { classify, classifyLayers } from './classify';
import { validateDeepNetConfig, type DeepNetConfig, type DeepNetConfigInput } from './deep-net-config';
import type { DeepNetResult, LayerStats } from './deep-net-types';
import { makeInput, makeWeights } from './init';

/** A GPU run: the per-layer statistics plus what it cost. */
export interface DeepNetRun extends DeepNetResult {
  config: DeepNetConfig;
  /** Wall time of encode + submit + readback, ms (CPU clock; includes weight upload when not cached). */
  wallMs: number;
  /** Floating-point operations of the three matmuls per layer (2·m·n² each). */
  flops: number;
  /** Per-pass GPU times when timing was requested and timestamp-query is available. */
  timings: KernelTiming[];
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Time every pass with timestamp queries (slower to encode; for the profiler view). */
  timing?: boolean;
  /** Weights and input already on the GPU (shared by the rows of a sweep). */
  resources?: NetResources;
}

/**
 * Weights W[1..capacity] and input X of one (width, batch, init, gain, seed, input) setting, uploaded
 * once. Layer l's weights depend only on (seed, l), so every row of a depth sweep shares them.
 */
export class NetResources {
  readonly weights: GPUBuffer;
  readonly input: GPUBuffer;

  constructor(
    readonly gpu: GpuContext,
    readonly config: DeepNetConfig,
    readonly capacity: number,
  ) {
    const n = config.width;
    const full = { ...config, depth: capacity };
    const w = new Float32Array(capacity * n * n);
    for (let l = 1; l <= capacity; l++) w.set(makeWeights(full, l), (l - 1) * n * n);
    this.weights = gpu.pool.acquire(`deepNet.weights[L≤${capacity}]`, w.byteLength);
    gpu.device.queue.writeBuffer(this.weights, 0, w);
    const x = makeInput(config);
    this.input = gpu.pool.acquire('deepNet.input', x.byteLength);
    gpu.device.queue.writeBuffer(this.input, 0, x as Float32Array<ArrayBuffer>);
  }

  /** True when `config` can run on these buffers. */
  fits(config: DeepNetConfig): boolean {
    return resourceKey(config) === resourceKey(this.config) && config.depth <= this.capacity;
  }

  release(): void {
    this.gpu.pool.release(this.weights);
    this.gpu.pool.release(this.input);
  }
}

/** Workgroup size of the per-layer moments reduction: about one invocation per 16 values, 32..256. */
export function momentsWorkgroup(count: number): number {
  let wg = 32;
  while (wg < 256 && wg * 16 < count) wg *= 2;
  return wg;
}

/** The settings that determine weights and input (everything but depth and activation). */
export function resourceKey(c: DeepNetConfig): string {
  return [c.width, c.batch, c.init, c.gain, c.seed, c.input].join('|');
}

/**
 * Forward and backward pass of a deep fully connected net, entirely on the GPU: all layers are encoded
 * into one command encoder and submitted once, with one readback of every statistic.
 *
 * Rows are examples: A[0] = X (m×n), Z[l] = A[l−1]·W[l]ᵀ, A[l] = f(Z[l]); J = 1/(2m)·Σᵢ‖A[L]ᵢ‖²;
 * dA[L] = A[L]/m, dZ[l] = dA[l] ⊙ f′(Z[l]), dW[l] = dZ[l]ᵀ·A[l−1], dA[l−1] = dZ[l]·W[l].
 */
export async function runDeepNet(gpu: GpuContext, input: DeepNetConfigInput, options: RunOptions = {}): Promise<DeepNetRun> {
  const config = validateDeepNetConfig(input);
  options.signal?.throwIfAborted();
  const t0 = performance.now();
  const own = options.resources && options.resources.fits(config) ? null : new NetResources(gpu, config, config.depth);
  const res = own ?? options.resources!;
  try {
    const { depth: L, width: n, batch: m } = config;
    const mn = m * n;
    const nn = n * n;
    const [matmul, act, moments, norms] = await Promise.all([
      createMatmulKernel(gpu),
      createElementwiseKernel(gpu, { activation: config.activation }),
      // A workgroup of 256 with a barrier tree costs ~1 ms per dispatch on CPU adapters: small layers
      // get a small workgroup.
      createMomentsKernel(gpu, { workgroup: momentsWorkgroup(mn) }),
      createNormsKernel(gpu),
    ]);
    options.signal?.throwIfAborted();
    const tag = `deepNet[L=${L},n=${n},m=${m},${config.activation},${config.init}×${config.gain}]`;
    const batch = new GpuBatch(gpu, tag, { timing: options.timing });
    // A[0..L] and dA[1..L], Z[1..L] and dW[1..L] each live in one buffer so one norms dispatch covers all
    // layers; dZ is reused layer after layer (passes are ordered, so that is safe).
    const acts = batch.scratch(`${tag}.acts`, (L + 1) * mn * 4);
    const zs = batch.scratch(`${tag}.z`, L * mn * 4);
    const dActs = batch.scratch(`${tag}.dActs`, L * mn * 4);
    const dZ = batch.scratch(`${tag}.dZ`, mn * 4);
    const dW = batch.scratch(`${tag}.dW`, L * nn * 4);
    const zMoments = batch.scratch(`${tag}.zMoments`, 2 * L * 4);
    const normOut = [0, 1, 2].map((i) => batch.scratch(`${tag}.norms[${i}]`, L * NORM_WORDS * 4));
    const segments = (stride: number) => {
      const offsets = Uint32Array.from({ length: L + 1 }, (_, i) => i * stride);
      return {
        offsets: batch.upload(`${tag}.offsets[${stride}]`, offsets),
        segments: L,
        // Short segments: one invocation each, many per workgroup; long ones: a workgroup each.
        segmentsPerGroup: pickSegmentsPerGroup(offsets, norms.workgroup),
      };
    };
    const mnSegments = segments(mn);

    batch.encoder.copyBufferToBuffer(res.input, 0, acts, 0, mn * 4);
    batch.group(`${tag}.forward`, () => {
      for (let l = 1; l <= L; l++) {
        batch.group(`forward.layer[${l}]`, () => {
          matmul.encode(batch, {
            a: acts, offsetA: (l - 1) * mn,
            b: res.weights, offsetB: (l - 1) * nn, transB: true,
            c: zs, offsetC: (l - 1) * mn,
            m, n, k: n,
          });
          act.encodeForward(batch, { x: zs, offsetX: (l - 1) * mn, out: acts, offsetOut: l * mn, count: mn });
          moments.encodeAll(batch, { x: zs, offset: (l - 1) * mn, count: mn, out: zMoments, outOffset: 2 * (l - 1) });
        });
      }
    });
    batch.group(`${tag}.backward`, () => {
      act.encodeScale(batch, { x: acts, offsetX: L * mn, out: dActs, offsetOut: (L - 1) * mn, count: mn, alpha: 1 / m });
      for (let l = L; l >= 1; l--) {
        batch.group(`backward.layer[${l}]`, () => {
          act.encodeBackward(batch, { x: zs, offsetX: (l - 1) * mn, g: dActs, offsetG: (l - 1) * mn, out: dZ, count: mn });
          matmul.encode(batch, {
            a: dZ, transA: true,
            b: acts, offsetB: (l - 1) * mn,
            c: dW, offsetC: (l - 1) * nn,
            m: n, n, k: m,
          });
          if (l > 1) {
            matmul.encode(batch, {
              a: dZ,
              b: res.weights, offsetB: (l - 1) * nn,
              c: dActs, offsetC: (l - 2) * mn,
              m, n, k: n,
            });
          }
        });
      }
    });
    batch.group(`${tag}.norms`, () => {
      norms.encode(batch, { x: acts, offsetX: mn, ...mnSegments, out: normOut[0] });
      norms.encode(batch, { x: dActs, ...mnSegments, out: normOut[1] });
      norms.encode(batch, { x: dW, ...segments(nn), out: normOut[2] });
    });
    // One staging buffer, one map: every statistic of every layer.
    const reads: Readback[] = batch.readAll([
      { src: zMoments, bytes: 2 * L * 4 },
      ...normOut.map((src) => ({ src, bytes: L * NORM_WORDS * 4 })),
    ]);
    options.signal?.throwIfAborted();
    await batch.submit();

    const zm = f32(reads[0]);
    const [actF, dActF, dWF] = reads.slice(1).map((r) => decodeNorms(r.data!, L));
    const sqrtM = Math.sqrt(m);
    const layers: LayerStats = {
      actNorm: actF.map((v) => v / sqrtM),
      zMean: Float64Array.from({ length: L }, (_, i) => zm[2 * i]),
      zVar: Float64Array.from({ length: L }, (_, i) => zm[2 * i + 1]),
      gradActNorm: dActF.map((v) => v / sqrtM),
      gradWNorm: dWF,
    };
    // ‖A[L]‖_F² / (2m), in float64 from the overflow-safe norm.
    const loss = (layers.actNorm[L - 1] * layers.actNorm[L - 1]) / 2;
    return {
      config,
      loss,
      lossStatus: classify(loss),
      layers,
      status: classifyLayers(layers),
      wallMs: performance.now() - t0,
      flops: 3 * 2 * m * n * n * L,
      timings: batch.timings,
    };
  } finally {
    own?.release();
  }
}
