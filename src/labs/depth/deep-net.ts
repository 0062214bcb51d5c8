import { lossOf, type GpuContext } from '../../gpu/context';
import { GpuDeviceLostError, GpuLimitError, GpuOutOfMemoryError } from '../../gpu/errors';
import { InputError } from '../../errors';
import { GpuBatch, f32, type Readback } from '../../gpu/batch';
import type { KernelTiming } from '../../gpu/timer';
import { createElementwiseKernel } from '../../kernels/elementwise';
import { createMatmulKernel } from '../../kernels/matmul';
import { pickMatmulVariant } from '../../kernels/matmul-variants';
import { createMomentsKernel, momentsWorkgroupFor } from '../../kernels/moments';
import { createNormsKernel, decodeNorms, pickSegmentsPerGroup, NORM_WORDS } from '../../kernels/norms';
import { classifyRun } from './classify';
import { describeValue, validateDeepNetConfig, type DeepNetConfig, type DeepNetConfigInput } from './config';
import type { DeepNetResult, LayerStats } from './types';
import { makeInput, makeWeights } from './init';

/** A GPU run: the per-layer statistics plus what it cost. */
export interface DeepNetRun extends DeepNetResult {
  config: DeepNetConfig;
  /** Wall time of encode + submit + readback, ms (CPU clock; includes weight upload when not cached; nets run together share their submission's time evenly). */
  wallMs: number;
  /**
   * Floating-point operations of the matmuls (2·m·n² each) this net was charged: its two backward
   * matmuls per layer, plus its share of the (possibly shared) forward pass — 6·m·n²·L when run alone.
   */
  flops: number;
  /**
   * Per-pass GPU times of the submission that ran this net, when timing was requested and timestamp-query
   * is available (nets run together by runDeepNets share one submission, so they share this list).
   */
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
    checkNetBuffers(gpu.limits, { depth: capacity, width: config.width, batch: config.batch, nets: 0 }, { weights: true });
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

  /**
   * Uploads inside an out-of-memory error scope: a device that cannot hold the weights gives a
   * GpuOutOfMemoryError naming them, their size and what to shrink, not a later validation error.
   */
  static async create(gpu: GpuContext, config: DeepNetConfig, capacity: number): Promise<NetResources> {
    const bytes = 4 * (capacity * config.width * config.width + config.batch * config.width);
    const res = await withOomScope(
      gpu,
      `the weights W[1..${capacity}] and input (n = ${config.width}, m = ${config.batch})`,
      bytes,
      () => new NetResources(gpu, config, capacity),
    );
    return res;
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

/** The settings that determine weights and input (everything but depth and activation). */
export function resourceKey(c: DeepNetConfig): string {
  return [c.width, c.batch, c.init, c.gain, c.seed, c.input].join('|');
}

/** Throws an InputError unless `gpu` looks like a GpuContext (a device and limits); names the CPU fallback. */
export function checkGpuContext(gpu: unknown): asserts gpu is GpuContext {
  const g = gpu as Partial<GpuContext> | null;
  if (typeof g !== 'object' || g === null || typeof g.device !== 'object' || typeof g.limits !== 'object') {
    throw new InputError('gpu', `must be a GpuContext from requestGpu(), got ${describeValue(gpu)}; without WebGPU use runDeepNetsCpu / runSweepCpu`);
  }
}

/** Sizes that decide a run's buffers: the deepest net's L, width n, batch m, and how many nets run together. */
export interface NetShape {
  depth: number;
  width: number;
  batch: number;
  /** Nets in one submission (each has its own dA, dZ and dW buffers); 0 checks only the shared buffers. */
  nets: number;
}

/**
 * Checks every buffer a run of `shape` allocates against maxBufferSize and maxStorageBufferBindingSize,
 * before anything is allocated. Throws a GpuLimitError naming the buffer, the limit, needed vs allowed
 * bytes, and the largest batch or width that would fit.
 */
export function checkNetBuffers(
  limits: Pick<GPUSupportedLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>,
  shape: NetShape,
  { weights = false } = {},
): void {
  const { depth: L, width: n, batch: m, nets: R } = shape;
  const buffers: { what: string; bytes: number; perBatch: number; perWidth2: number; perNet?: boolean }[] = [
    // bytes = 4·(perBatch·m·n) or 4·(perWidth2·n²): lets the suggestion solve for m or n.
    { what: `the activations A[0..L] ((L+1)·m·n = ${L + 1}·${m}·${n} floats)`, bytes: 4 * (L + 1) * m * n, perBatch: L + 1, perWidth2: 0 },
    { what: `the pre-activations Z[1..L] (L·m·n = ${L}·${m}·${n} floats)`, bytes: 4 * L * m * n, perBatch: L, perWidth2: 0 },
  ];
  if (weights) buffers.push({ what: `the weights W[1..L] (L·n² = ${L}·${n}² floats)`, bytes: 4 * L * n * n, perBatch: 0, perWidth2: L });
  if (R > 0) {
    buffers.push(
      { what: `the gradients dA of ${R} net(s) run together (R·m·n = ${R}·${m}·${n} floats)`, bytes: 4 * R * m * n, perBatch: R, perWidth2: 0, perNet: true },
      { what: `the weight gradients dW of ${R} net(s) run together (R·n² = ${R}·${n}² floats)`, bytes: 4 * R * n * n, perBatch: 0, perWidth2: R, perNet: true },
    );
  }
  for (const b of buffers) {
    const [limit, allowed] =
      b.bytes > limits.maxBufferSize
        ? (['maxBufferSize', limits.maxBufferSize] as const)
        : b.bytes > limits.maxStorageBufferBindingSize
          ? (['maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize] as const)
          : [null, 0];
    if (!limit) continue;
    const floats = Math.floor(allowed / 4);
    const hint: string[] = [];
    if (b.perBatch > 0) {
      const mMax = Math.floor(floats / (b.perBatch * n));
      const nMax = Math.floor(floats / (b.perBatch * m));
      if (mMax >= 1) hint.push(`batch m ≤ ${mMax.toLocaleString('en-US')}`);
      if (nMax >= 1) hint.push(`width n ≤ ${nMax.toLocaleString('en-US')}`);
    } else {
      const nMax = Math.floor(Math.sqrt(floats / b.perWidth2));
      if (nMax >= 1) hint.push(`width n ≤ ${nMax.toLocaleString('en-US')}`);
    }
    const suggestion =
      (hint.length ? `Use a smaller batch or width: ${hint.join(' or ')} would fit` : 'Use a smaller batch, width or depth') +
      (b.perNet && R > 1 ? ', or run fewer nets together.' : ' (or lower the depth L).');
    throw new GpuLimitError(b.what, limit, allowed, b.bytes, 'bytes', suggestion);
  }
}

/**
 * Runs `allocate` (synchronous: buffer creation and uploads) inside an out-of-memory error scope and turns
 * an out-of-memory report — or the RangeError a failed mapped allocation throws — into a GpuOutOfMemoryError.
 */
export async function withOomScope<T extends { release(): void } | void>(gpu: GpuContext, what: string, bytes: number, allocate: () => T): Promise<T> {
  const device = gpu.device;
  device.pushErrorScope('out-of-memory');
  let value: T;
  try {
    value = allocate();
  } catch (err) {
    void device.popErrorScope().catch(() => null);
    if (err instanceof RangeError) throw new GpuOutOfMemoryError(what, bytes, gpu.limits.maxBufferSize, err.message);
    throw err;
  }
  const oom = await device.popErrorScope().catch(() => null);
  if (oom) {
    (value as { release(): void } | undefined)?.release?.();
    throw new GpuOutOfMemoryError(what, bytes, gpu.limits.maxBufferSize, oom.message);
  }
  return value;
}

/**
 * Forward and backward pass of a deep fully connected net, entirely on the GPU: all layers are encoded
 * into one command encoder and submitted once, with one readback of every statistic.
 *
 * Rows are examples: A[0] = X (m×n), Z[l] = A[l−1]·W[l]ᵀ, A[l] = f(Z[l]); J = 1/(2m)·Σᵢ‖A[L]ᵢ‖²;
 * dA[L] = A[L]/m, dZ[l] = dA[l] ⊙ f′(Z[l]), dW[l] = dZ[l]ᵀ·A[l−1], dA[l−1] = dZ[l]·W[l].
 */
export async function runDeepNet(gpu: GpuContext, input: DeepNetConfigInput, options: RunOptions = {}): Promise<DeepNetRun> {
  const [run] = await runDeepNets(gpu, [validateDeepNetConfig(input)], options);
  return run;
}

/**
 * Several nets that differ only in depth (the rows of a depth sweep), in ONE submission. They share
 * weights and input, so the deepest net's forward pass serves them all; the backward passes run side by
 * side, one batched dispatch per layer for every net that is at least that deep (its W[l] broadcast with
 * stride 0). Results are exactly those of separate runs: the same kernels add in the same order.
 */
export async function runDeepNets(gpu: GpuContext, inputs: readonly DeepNetConfigInput[], options: RunOptions = {}): Promise<DeepNetRun[]> {
  checkGpuContext(gpu);
  if (!Array.isArray(inputs)) throw new InputError('configs', `must be an array of configs, got ${describeValue(inputs)}`);
  const configs = inputs.map((c) => validateDeepNetConfig(c));
  if (configs.length === 0) return [];
  const first = configs[0];
  for (const c of configs) {
    if (resourceKey(c) !== resourceKey(first) || c.activation !== first.activation) {
      throw new InputError('configs', 'nets run together must differ only in depth');
    }
  }
  options.signal?.throwIfAborted();
  const t0 = performance.now();
  const L = Math.max(...configs.map((c) => c.depth));
  const deepest = configs.find((c) => c.depth === L)!;
  const reuse = options.resources && options.resources.gpu === gpu && options.resources.fits(deepest);
  // Refused before anything is allocated, naming the buffer, the limit and what would fit.
  checkNetBuffers(gpu.limits, { depth: L, width: first.width, batch: first.batch, nets: configs.length }, { weights: !reuse });
  let own: NetResources | null = null;
  let popAllocScope: (() => Promise<GPUError | null>) | null = null;
  let encoding: GpuBatch | null = null;
  try {
    const { width: n, batch: m } = first;
    // Rows ordered deepest first, so the nets still running at layer l are always rows 0..k−1.
    const order = configs.map((_, i) => i).sort((a, b) => configs[b].depth - configs[a].depth);
    const depths = order.map((i) => configs[i].depth);
    const R = configs.length;
    const mn = m * n;
    const nn = n * n;
    // CPU adapters emulate barriers and workgroup memory, so reductions there run fastest with small
    // workgroups (measured with bench:sweep on SwiftShader: norms 6×, moments 2.5× faster than at 256).
    const cpu = pickMatmulVariant(gpu.summary) === 'direct';
    const [matmul, act, moments, norms] = await Promise.all([
      createMatmulKernel(gpu),
      createElementwiseKernel(gpu, { activation: first.activation }),
      createMomentsKernel(gpu, { workgroup: momentsWorkgroupFor(gpu, mn) }),
      createNormsKernel(gpu, { workgroup: cpu ? 32 : 256 }),
    ]);
    options.signal?.throwIfAborted();
    if (!reuse) own = await NetResources.create(gpu, deepest, L);
    const res = own ?? options.resources!;
    const tag = `deepNet[L=${R > 1 ? `${Math.min(...depths)}..` : ''}${L},n=${n},m=${m},${first.activation},${first.init}×${first.gain}]`;
    // Everything from here to submit() is synchronous: this scope catches exactly this run's allocations.
    const scratchBytes = 4 * ((2 * L + 1) * mn + 2 * R * mn + R * nn);
    gpu.device.pushErrorScope('out-of-memory');
    let allocOom: Promise<GPUError | null> | null = null;
    const popScope = (popAllocScope = () => (allocOom ??= gpu.device.popErrorScope().catch(() => null)));
    let batch: GpuBatch;
    try {
      batch = encoding = new GpuBatch(gpu, tag, { timing: options.timing });
    } catch (err) {
      void popScope();
      throw err;
    }
    // A[0..L] and Z[1..L] of the shared forward pass; per net, its current dA and dZ and its dW[l].
    const acts = batch.scratch(`${tag}.acts`, (L + 1) * mn * 4);
    const zs = batch.scratch(`${tag}.z`, L * mn * 4);
    const dA = batch.scratch(`${tag}.dA`, R * mn * 4);
    const dZ = batch.scratch(`${tag}.dZ`, R * mn * 4);
    const dW = batch.scratch(`${tag}.dW`, R * nn * 4);
    const zMoments = batch.scratch(`${tag}.zMoments`, 2 * L * 4);
    // Norm slots: ‖a[l]‖ at l−1; the gradients of net r at layer l at (l−1)·R + r.
    const actOut = batch.scratch(`${tag}.norms.act`, L * NORM_WORDS * 4);
    const gradActOut = batch.scratch(`${tag}.norms.gradAct`, L * R * NORM_WORDS * 4);
    const gradWOut = batch.scratch(`${tag}.norms.gradW`, L * R * NORM_WORDS * 4);
    const segments = (count: number, stride: number) => {
      const offsets = Uint32Array.from({ length: count + 1 }, (_, i) => i * stride);
      // Short segments: one invocation each, many per workgroup; long ones: a workgroup each.
      return { offsets: batch.upload(`${tag}.offsets[${count}×${stride}]`, offsets), segmentsPerGroup: pickSegmentsPerGroup(offsets, norms.workgroup) };
    };
    const layerSegs = segments(L, mn);
    const rowSegs = segments(R, mn);
    const rowWSegs = segments(R, nn);

    batch.encoder.copyBufferToBuffer(res.input, 0, acts, 0, mn * 4);
    batch.group(`${tag}.forward`, () => {
      for (let l = 1; l <= L; l++) {
        batch.group(`forward.layer[${l}]`, () => {
          matmul.encode(batch, {
            a: acts,
            offsetA: (l - 1) * mn,
            b: res.weights,
            offsetB: (l - 1) * nn,
            transB: true,
            c: zs,
            offsetC: (l - 1) * mn,
            m,
            n,
            k: n,
          });
          act.encodeForward(batch, { x: zs, offsetX: (l - 1) * mn, out: acts, offsetOut: l * mn, count: mn });
          moments.encodeAll(batch, { x: zs, offset: (l - 1) * mn, count: mn, out: zMoments, outOffset: 2 * (l - 1) });
        });
      }
      norms.encode(batch, { x: acts, offsetX: mn, ...layerSegs, segments: L, out: actOut });
    });
    batch.group(`${tag}.backward`, () => {
      let k = 0; // nets at least l deep: rows 0..k−1
      for (let l = L; l >= 1; l--) {
        batch.group(`backward.layer[${l}]`, () => {
          while (k < R && depths[k] === l) {
            // Net k starts here: dA[L] = A[L]/m.
            act.encodeScale(batch, { x: acts, offsetX: l * mn, out: dA, offsetOut: k * mn, count: mn, alpha: 1 / m });
            k++;
          }
          norms.encode(batch, { x: dA, ...rowSegs, segments: k, out: gradActOut, outOffset: (l - 1) * R });
          act.encodeBackward(batch, { x: zs, offsetX: (l - 1) * mn, xPeriod: mn, g: dA, out: dZ, count: k * mn });
          matmul.encode(batch, {
            a: dZ,
            transA: true,
            strideA: mn,
            b: acts,
            offsetB: (l - 1) * mn,
            strideB: 0,
            c: dW,
            strideC: nn,
            m: n,
            n,
            k: m,
            batch: k,
          });
          norms.encode(batch, { x: dW, ...rowWSegs, segments: k, out: gradWOut, outOffset: (l - 1) * R });
          if (l > 1) {
            matmul.encode(batch, {
              a: dZ,
              strideA: mn,
              b: res.weights,
              offsetB: (l - 1) * nn,
              strideB: 0,
              c: dA,
              strideC: mn,
              m,
              n,
              k: n,
              batch: k,
            });
          }
        });
      }
    });
    // One staging buffer, one map: every statistic of every layer of every net.
    const reads: Readback[] = batch.readAll([
      { src: zMoments, bytes: 2 * L * 4 },
      { src: actOut, bytes: L * NORM_WORDS * 4 },
      { src: gradActOut, bytes: L * R * NORM_WORDS * 4 },
      { src: gradWOut, bytes: L * R * NORM_WORDS * 4 },
    ]);
    void popScope();
    options.signal?.throwIfAborted();
    // Cancel answers at once: the submitted work finishes on the GPU in the background (the queue keeps
    // later reuse of these buffers in order), its results are dropped.
    try {
      await untilAborted(batch.submit(), options.signal);
    } finally {
      const oom = await popScope();
      // An allocation that failed makes the submission fail too: report the cause, not the symptom.
      if (oom) throw new GpuOutOfMemoryError(`${tag} (activations, pre-activations and gradients)`, scratchBytes, gpu.limits.maxBufferSize, oom.message);
    }

    const zm = f32(reads[0]);
    const actNorm = decodeNorms(reads[1].data!, L);
    // Slots of layers a net doesn't have were never written: decode only the written ones.
    const gradAct = decodeSlots(reads[2].data!, depths, L);
    const gradW = decodeSlots(reads[3].data!, depths, L);
    const sqrtM = Math.sqrt(m);
    const wallMs = performance.now() - t0;
    const forwardFlops = 2 * m * n * n * L;
    const runs: DeepNetRun[] = new Array(R);
    order.forEach((configIndex, r) => {
      const D = depths[r];
      const layers: LayerStats = {
        actNorm: actNorm.slice(0, D).map((v) => v / sqrtM),
        zMean: Float64Array.from({ length: D }, (_, i) => zm[2 * i]),
        zVar: Float64Array.from({ length: D }, (_, i) => zm[2 * i + 1]),
        gradActNorm: Float64Array.from({ length: D }, (_, i) => gradAct[i * R + r] / sqrtM),
        gradWNorm: Float64Array.from({ length: D }, (_, i) => gradW[i * R + r]),
      };
      // ‖A[L]‖_F² / (2m), in float64 from the overflow-safe norm.
      const loss = (layers.actNorm[D - 1] * layers.actNorm[D - 1]) / 2;
      runs[configIndex] = {
        config: configs[configIndex],
        loss,
        layers,
        // f32 thresholds, and values computed from an earlier overflow/NaN 'lost' (the CPU fallback's rule too).
        ...classifyRun(layers, loss),
        // The submission's cost, shared out: wall time evenly, the forward pass's FLOPs evenly, each
        // net's own backward FLOPs (two matmuls per layer) to it.
        wallMs: wallMs / R,
        flops: forwardFlops / R + 2 * 2 * m * n * n * D,
        timings: batch.timings,
      };
    });
    return runs;
  } catch (err) {
    throw await explainFailure(gpu, err, options.signal);
  } finally {
    void popAllocScope?.(); // balanced even when encoding threw
    encoding?.dispose(); // frees a batch that never reached submit() (a submitted one frees itself)
    own?.release();
  }
}

/**
 * The error a failed run should report: a GpuDeviceLostError when the device was lost meanwhile (the call
 * that noticed may have failed with a bare OperationError or a validation error), otherwise `err` itself.
 */
export async function explainFailure(gpu: GpuContext, err: unknown, signal?: AbortSignal): Promise<unknown> {
  if (signal?.aborted || err instanceof GpuDeviceLostError || err instanceof InputError || err instanceof GpuLimitError) return err;
  if ((err as { name?: string })?.name === 'AbortError' && !gpu.lost) return err;
  return (await lossOf(gpu)) ?? err;
}

/** `work`, or an AbortError as soon as `signal` aborts (the work itself carries on; its failure is ignored). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Norms at slots (l−1)·R + r for the layers each net has; NaN elsewhere (never written). */
function decodeSlots(words: ArrayBuffer, depths: readonly number[], L: number): Float64Array {
  const R = depths.length;
  const all = new Uint32Array(words);
  const out = new Float64Array(L * R).fill(NaN);
  for (let l = 1; l <= L; l++) {
    let k = 0;
    while (k < R && depths[k] >= l) k++;
    if (k === 0) continue;
    const start = (l - 1) * R * NORM_WORDS;
    out.set(decodeNorms(all.slice(start, start + k * NORM_WORDS).buffer, k), (l - 1) * R);
  }
  return out;
}
