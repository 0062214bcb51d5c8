import trainStepWGSL from '../../shaders/train-step.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import type { GpuBatch } from '../gpu/batch';
import { bindingSize } from '../gpu/buffers';
import { createKernelLayout } from '../gpu/layout';
import { gridFor } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { InputError } from '../errors';
import { checkInt } from './validate';

const FILE = 'shaders/train-step.wgsl';
const WORKGROUP = 256;
// Two 16-byte buffers per device, bound where an entry point has no use for a binding.
const PLACEHOLDERS = new WeakMap<GPUDevice, GPUBuffer[]>();

/** c = alpha·(a − b) elementwise (e.g. ∂J/∂A[L] = (A[L] − Y)/m). */
export interface ResidualArgs {
  a: GPUBuffer;
  b: GPUBuffer;
  out: GPUBuffer;
  count: number;
  alpha: number;
  offsetA?: number;
  offsetB?: number;
  offsetOut?: number;
}

/** One optimizer update of `count` weights; `g` holds ∂J/∂W and receives ΔW. */
export interface UpdateArgs {
  w: GPUBuffer;
  g: GPUBuffer;
  count: number;
  lr: number;
  offsetW?: number;
  offsetG?: number;
}

/** Adam's state and this step's constants (t is 1-based: bias corrections 1 − β^t). */
export interface AdamArgs extends UpdateArgs {
  m: GPUBuffer;
  v: GPUBuffer;
  offsetMoments?: number;
  beta1: number;
  beta2: number;
  eps: number;
  t: number;
}

/** Encode-level training-step kernels (shaders/train-step.wgsl). */
export interface TrainStepKernel {
  encodeResidual(batch: GpuBatch, args: ResidualArgs): void;
  /** SGD: ΔW = −lr·g; W += ΔW; g ← ΔW. */
  encodeSgd(batch: GpuBatch, args: UpdateArgs): void;
  /** Adam (bias-corrected): m, v updated in place; W += ΔW; g ← ΔW. */
  encodeAdam(batch: GpuBatch, args: AdamArgs): void;
}

/** Builds (or finds cached) the pipelines of the training-step kernels. */
export async function createTrainStepKernel(gpu: GpuContext, options: { code?: string; workgroup?: number } = {}): Promise<TrainStepKernel> {
  const workgroup = checkInt('workgroup', options.workgroup ?? WORKGROUP, 1, gpu.limits.maxComputeInvocationsPerWorkgroup);
  const code = options.code ?? gpu.sources.code(FILE) ?? trainStepWGSL; // the caller's code, a user kernel switched on, or the built-in
  const layout = createKernelLayout(gpu.device, 'trainStep', ['uniform', 'storage', 'storage', 'storage', 'storage']);
  const spec = (entryPoint: string) =>
    getPipeline(gpu, {
      label: `trainStep.${entryPoint}.pipeline`,
      file: FILE,
      code,
      entryPoint,
      layout: layout.pipelineLayout,
      constants: { WORKGROUP: workgroup },
    });
  const [residual, sgd, adam] = await Promise.all(['residual', 'sgd', 'adam'].map(spec));
  // Placeholders for the bindings an entry point does not use (a binding may not repeat a writable buffer).
  let placeholders = PLACEHOLDERS.get(gpu.device);
  if (!placeholders) {
    placeholders = [0, 1].map((i) => gpu.device.createBuffer({ label: `trainStep.unused[${i}]`, size: 16, usage: GPUBufferUsage.STORAGE }));
    PLACEHOLDERS.set(gpu.device, placeholders);
  }

  const fits = (name: string, buf: GPUBuffer, offset: number, count: number) => {
    const need = 4 * (offset + count);
    if (bindingSize(buf) < need) throw new InputError(name, `holds ${bindingSize(buf)} bytes but offset + count = ${offset} + ${count} f32 need ${need}`);
  };
  const distinct = (bufs: GPUBuffer[]) => {
    if (new Set(bufs).size !== bufs.length) throw new InputError('buffers', 'must be distinct buffers (each is bound read-write)');
  };
  const run = (
    batch: GpuBatch,
    name: string,
    pipeline: GPUComputePipeline,
    count: number,
    offsets: [number, number, number],
    f: number[],
    buffers: GPUBuffer[],
  ) => {
    checkInt('count', count, 0);
    if (count === 0) return;
    const words = new Uint32Array(12);
    words.set([count, ...offsets]);
    new Float32Array(words.buffer, 16, 7).set(f);
    const params = batch.uniform(`trainStep.${name}.params`, words);
    const bind = batch.bindGroup(`trainStep.${name}.bindGroup`, layout.bindGroupLayout, [params, ...buffers]);
    batch.dispatch(`trainStep.${name}[${count}]`, pipeline, bind, gridFor(Math.ceil(count / workgroup), gpu.limits.maxComputeWorkgroupsPerDimension));
  };

  return {
    encodeResidual(batch, x) {
      const [oa, ob, oc] = [x.offsetA ?? 0, x.offsetB ?? 0, x.offsetOut ?? 0];
      distinct([x.a, x.b, x.out]);
      fits('a', x.a, oa, x.count);
      fits('b', x.b, ob, x.count);
      fits('out', x.out, oc, x.count);
      run(batch, 'residual', residual, x.count, [oa, ob, oc], [x.alpha, 0, 0, 0, 0, 0, 0], [x.a, x.b, x.out, placeholders![0]]);
    },
    encodeSgd(batch, x) {
      const [ow, og] = [x.offsetW ?? 0, x.offsetG ?? 0];
      distinct([x.w, x.g]);
      fits('w', x.w, ow, x.count);
      fits('g', x.g, og, x.count);
      run(batch, 'sgd', sgd, x.count, [ow, og, 0], [0, x.lr, 0, 0, 0, 0, 0], [x.w, x.g, ...placeholders!]);
    },
    encodeAdam(batch, x) {
      const [ow, og, om] = [x.offsetW ?? 0, x.offsetG ?? 0, x.offsetMoments ?? 0];
      distinct([x.w, x.g, x.m, x.v]);
      fits('w', x.w, ow, x.count);
      fits('g', x.g, og, x.count);
      fits('m', x.m, om, x.count);
      fits('v', x.v, om, x.count);
      const t = checkInt('t', x.t, 1);
      run(batch, 'adam', adam, x.count, [ow, og, om], [0, x.lr, x.beta1, x.beta2, x.eps, 1 - x.beta1 ** t, 1 - x.beta2 ** t], [x.w, x.g, x.m, x.v]);
    },
  };
}
