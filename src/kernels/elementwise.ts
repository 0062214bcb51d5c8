import elementwiseWGSL from '../../shaders/elementwise.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import { GpuBatch, f32 } from '../gpu/batch';
import { createKernelLayout } from '../gpu/layout';
import { gridFor } from '../gpu/limits';
import { bindingSize } from '../gpu/buffers';
import { getPipeline } from '../gpu/shader';
import { uniformWriter } from '../gpu/uniforms';
import { InputError } from '../errors';
import { checkMatrix } from './validate';
import { ACTIVATIONS, ACTIVATION_CODE, type Activation } from './activations';

export type { Activation };

const FILE = 'shaders/elementwise.wgsl';
const WORKGROUP = 256;
/** vec4s per invocation of forward4 / backward4 (their VEC4_ITEMS). */
const VEC4_ITEMS = 4;

export interface ForwardArgs {
  x: GPUBuffer;
  out: GPUBuffer;
  count: number;
  /** Element offsets. */
  offsetX?: number;
  offsetOut?: number;
}
export interface BackwardArgs extends ForwardArgs {
  /** Upstream gradient dJ/da (x holds the pre-activation z). */
  g: GPUBuffer;
  offsetG?: number;
  /** x index wraps every `xPeriod` elements: one z shared by count / xPeriod gradients (default: no wrap). */
  xPeriod?: number;
}
export interface ScaleArgs extends ForwardArgs {
  alpha: number;
}
export interface NormalizeArgs {
  x: GPUBuffer;
  out: GPUBuffer;
  rows: number;
  cols: number;
  mean: GPUBuffer;
  std: GPUBuffer;
  offsetX?: number;
  offsetOut?: number;
}

/** Encode-level elementwise kernel for one activation. `out` must be a different buffer from the inputs. */
export interface ElementwiseKernel {
  readonly activation: Activation;
  encodeForward(batch: GpuBatch, args: ForwardArgs): void;
  encodeBackward(batch: GpuBatch, args: BackwardArgs): void;
  encodeNormalize(batch: GpuBatch, args: NormalizeArgs): void;
  /** out = alpha · x. */
  encodeScale(batch: GpuBatch, args: ScaleArgs): void;
}

/** Builds (or finds cached) the pipelines of the elementwise kernel for `activation`. */
export async function createElementwiseKernel(
  gpu: GpuContext,
  options: { activation?: Activation; workgroup?: number; code?: string } = {},
): Promise<ElementwiseKernel> {
  const activation = options.activation ?? 'linear';
  if (!(activation in ACTIVATION_CODE)) {
    throw new InputError('activation', `"${activation}" is not one of ${ACTIVATIONS.join(', ')}`);
  }
  const workgroup = options.workgroup ?? WORKGROUP;
  const code = options.code ?? gpu.sources.code(FILE) ?? elementwiseWGSL; // the caller's code, a user kernel switched on, or the built-in
  const layout = createKernelLayout(gpu.device, 'elementwise', ['uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'storage']);
  const spec = (entryPoint: string) =>
    getPipeline(gpu, {
      label: `elementwise.${entryPoint}.pipeline`,
      file: FILE,
      code,
      entryPoint,
      layout: layout.pipelineLayout,
      constants: { ACTIVATION: ACTIVATION_CODE[activation], WORKGROUP: workgroup, ...(entryPoint.endsWith('4') ? { VEC4_ITEMS } : {}) },
    });
  // Replacement code written before the vec4 entry points existed keeps working through the scalar ones.
  const hasVec4 = /\bfn\s+forward4\s*\(/.test(code) && /\bfn\s+backward4\s*\(/.test(code);
  const [forward, backward, normalize, scale, forward4, backward4] = await Promise.all(
    ['forward', 'backward', 'normalize', 'scale', ...(hasVec4 ? ['forward4', 'backward4'] : [])].map((entry) => spec(entry)),
  );
  const writer = uniformWriter(code, 'params', { file: FILE, fields: ['count', 'offset_x', 'offset_g', 'offset_out', 'cols', 'alpha', 'x_period'] });

  const run = (
    batch: GpuBatch,
    name: string,
    pipeline: GPUComputePipeline,
    vec4Pipeline: GPUComputePipeline | undefined,
    count: number,
    offsets: [x: number, g: number, out: number, cols: number],
    buffers: [x: GPUBuffer, g: GPUBuffer, sigma: GPUBuffer, out: GPUBuffer],
    alpha = 1,
    xPeriod = 0,
  ) => {
    if (count === 0) return;
    const [offsetX, offsetG, offsetOut, cols] = offsets;
    // The vec4 entry point when every count, offset and period is whole vec4s (and the buffers hold them).
    const quads = (v: number) => v % 4 === 0;
    const vec4 =
      vec4Pipeline !== undefined &&
      [count, offsetX, offsetG, offsetOut, xPeriod].every(quads) &&
      bindingSize(buffers[0]) >= 4 * (offsetX + (xPeriod || count)) &&
      bindingSize(buffers[1]) >= 4 * (offsetG + count) &&
      bindingSize(buffers[3]) >= 4 * (offsetOut + count);
    const label = `elementwise.${name}${vec4 ? '.vec4' : ''}`;
    const q = vec4 ? 4 : 1;
    const params = batch.uniform(
      `${label}.params`,
      writer.set({ count: count / q, offset_x: offsetX / q, offset_g: offsetG / q, offset_out: offsetOut / q, cols, alpha, x_period: xPeriod / q }),
    );
    const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, ...buffers]);
    const groups = vec4 ? Math.ceil(count / 4 / (workgroup * VEC4_ITEMS)) : Math.ceil(count / workgroup);
    batch.dispatch(label, vec4 ? vec4Pipeline : pipeline, bind, gridFor(groups, gpu.limits.maxComputeWorkgroupsPerDimension));
  };

  return {
    activation,
    encodeForward(batch, a) {
      const offsets = [a.offsetX ?? 0, 0, a.offsetOut ?? 0, 0] as const;
      run(batch, `forward[${activation}]`, forward, forward4, a.count, [...offsets], [a.x, a.x, a.x, a.out]);
    },
    encodeBackward(batch, a) {
      const offsets = [a.offsetX ?? 0, a.offsetG ?? 0, a.offsetOut ?? 0, 0] as const;
      run(batch, `backward[${activation}]`, backward, backward4, a.count, [...offsets], [a.x, a.g, a.x, a.out], 1, a.xPeriod ?? 0);
    },
    encodeNormalize(batch, a) {
      const offsets = [a.offsetX ?? 0, 0, a.offsetOut ?? 0, a.cols] as const;
      run(batch, 'normalize', normalize, undefined, a.rows * a.cols, [...offsets], [a.x, a.mean, a.std, a.out]);
    },
    encodeScale(batch, a) {
      const offsets = [a.offsetX ?? 0, 0, a.offsetOut ?? 0, 0] as const;
      run(batch, 'scale', scale, undefined, a.count, [...offsets], [a.x, a.x, a.x, a.out], a.alpha);
    },
  };
}

/** f(x) elementwise on the GPU. */
export async function activationForward(gpu: GpuContext, x: Float32Array, activation: Activation): Promise<Float32Array> {
  const kernel = await createElementwiseKernel(gpu, { activation });
  const batch = new GpuBatch(gpu, `activationForward[${activation}]`);
  try {
    const out = batch.scratch('activationForward.out', x.byteLength);
    kernel.encodeForward(batch, { x: batch.upload('activationForward.x', x), out, count: x.length });
    const result = batch.read(out, x.byteLength);
    await batch.submit();
    return f32(result);
  } finally {
    batch.dispose();
  }
}

/** g · f'(z) elementwise on the GPU: the backward pass through an activation. */
export async function activationBackward(gpu: GpuContext, z: Float32Array, g: Float32Array, activation: Activation): Promise<Float32Array> {
  if (z.length !== g.length) throw new InputError('g', `has ${g.length} values but z has ${z.length}; they must match`);
  const kernel = await createElementwiseKernel(gpu, { activation });
  const batch = new GpuBatch(gpu, `activationBackward[${activation}]`);
  try {
    const out = batch.scratch('activationBackward.out', z.byteLength);
    kernel.encodeBackward(batch, { x: batch.upload('activationBackward.z', z), g: batch.upload('activationBackward.g', g), out, count: z.length });
    const result = batch.read(out, z.byteLength);
    await batch.submit();
    return f32(result);
  } finally {
    batch.dispose();
  }
}

/** (x − μ)/σ per column of a row-major rows×cols matrix, with the given μ and σ (e.g. the training set's). */
export async function normalizeColumns(
  gpu: GpuContext,
  x: Float32Array,
  options: { rows: number; cols: number; mean: ArrayLike<number>; std: ArrayLike<number> },
): Promise<Float32Array> {
  const { rows, cols } = options;
  checkMatrix(x, rows, cols);
  if (options.mean.length !== cols) throw new InputError('mean', `has ${options.mean.length} values; expected one per column (${cols})`);
  if (options.std.length !== cols) throw new InputError('std', `has ${options.std.length} values; expected one per column (${cols})`);
  for (let c = 0; c < cols; c++) {
    const s = options.std[c];
    if (!(s > 0) || !Number.isFinite(s)) throw new InputError('std', `column ${c} has σ = ${s}; σ must be a finite number > 0`);
  }
  const kernel = await createElementwiseKernel(gpu);
  const batch = new GpuBatch(gpu, 'normalizeColumns');
  try {
    const out = batch.scratch('normalizeColumns.out', x.byteLength);
    kernel.encodeNormalize(batch, {
      x: batch.upload('normalizeColumns.x', x),
      mean: batch.upload('normalizeColumns.mean', Float32Array.from(options.mean)),
      std: batch.upload('normalizeColumns.std', Float32Array.from(options.std)),
      out,
      rows,
      cols,
    });
    const result = batch.read(out, x.byteLength);
    await batch.submit();
    return f32(result);
  } finally {
    batch.dispose();
  }
}
