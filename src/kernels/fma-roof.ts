import fmaRoofWGSL from '../../shaders/fma-roof.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import { bindingSize } from '../gpu/buffers';
import { GpuBatch, f32 } from '../gpu/batch';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, gridFor } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { uniformWriter } from '../gpu/uniforms';
import { InputError } from '../errors';
import { checkInt } from './validate';

const FILE = 'shaders/fma-roof.wgsl';
/** Lanes per invocation (8 vec4 accumulators in the shader; 4·chains of them are updated). */
export const FMA_LANES = 32;
/** Accumulator counts the shader's CHAINS override accepts. */
export const FMA_CHAINS = [2, 4, 8] as const;
/** The loop's increment: with a = 1 each lane grows by exactly B per trip. */
const B = 1 / 1024;

/** Encode-level register-only multiply-add loop: the benchmark's arithmetic roof. */
export interface FmaRoofKernel {
  readonly workgroup: number;
  /** Loop trips per invocation. */
  readonly iters: number;
  /** vec4 accumulators updated per trip (2, 4 or 8). */
  readonly chains: number;
  /** FLOPs of `count` invocations (2 per multiply-add). */
  flop(count: number): number;
  /** `count` invocations, each writing the sum of its 32 lanes to out[i]. */
  encode(batch: GpuBatch, args: { out: GPUBuffer; count: number; a?: number; b?: number }): void;
}

/** Builds (or finds cached) the FMA-roof pipeline. */
export async function createFmaRoofKernel(
  gpu: GpuContext,
  options: { workgroup?: number; iters?: number; chains?: number; code?: string } = {},
): Promise<FmaRoofKernel> {
  const chains = options.chains ?? 8;
  if (!(FMA_CHAINS as readonly number[]).includes(chains)) throw new InputError('chains', `must be 2, 4 or 8, got ${JSON.stringify(chains)}`);
  const workgroup = checkInt('workgroup', options.workgroup ?? 64, 1, gpu.limits.maxComputeInvocationsPerWorkgroup);
  const iters = checkInt('iters', options.iters ?? 1024, 1, 1 << 20);
  const layout = createKernelLayout(gpu.device, 'fmaRoof', ['uniform', 'storage']);
  const code = options.code ?? fmaRoofWGSL;
  const pipeline = await getPipeline(gpu, {
    label: 'fmaRoof.pipeline',
    file: FILE,
    code,
    layout: layout.pipelineLayout,
    constants: { WORKGROUP: workgroup, ITERS: iters, CHAINS: chains },
  });
  const writer = uniformWriter(code, 'params', { file: FILE, fields: ['a', 'b', 'count', 'groups_x'] });
  return {
    workgroup,
    iters,
    chains,
    flop: (count) => count * iters * 4 * chains * 2,
    encode(batch, a) {
      const count = checkInt('count', a.count, 1);
      if (bindingSize(a.out) < 4 * count) throw new InputError('out', `holds ${bindingSize(a.out)} bytes; ${count} invocations need ${4 * count}`);
      checkStorageSize(gpu.limits, 4 * count, 'fmaRoof.out');
      const [gx, gy] = gridFor(Math.ceil(count / workgroup), gpu.limits.maxComputeWorkgroupsPerDimension);
      const label = `fmaRoof[${count}×${iters}, ${chains} chains]`;
      const params = batch.uniform(`${label}.params`, writer.set({ a: a.a ?? 1, b: a.b ?? B, count, groups_x: gx }));
      const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, a.out]);
      batch.dispatch(label, pipeline, bind, [gx, gy]);
    },
  };
}

/**
 * float64 reference of the FMA roof with a = 1, b = 1/1024: invocation i's 32 lanes start at
 * ((32·i) mod 1024 + j)/1024 and the 4·chains updated ones each gain iters/1024, so
 * out[i] = Σⱼ start + 4·chains·iters/1024 (exact in f32).
 */
export function fmaRoofRef(count: number, iters: number, chains = 8): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const base = (32 * i) % 1024;
    let s = 0;
    for (let j = 0; j < FMA_LANES; j++) s += (base + j) / 1024;
    out[i] = s + (4 * chains * iters) / 1024;
  }
  return out;
}

/** Runs the FMA roof on `count` invocations and reads back each invocation's lane sum. */
export async function fmaRoof(gpu: GpuContext, count: number, iters = 1024, chains = 8): Promise<Float32Array> {
  const kernel = await createFmaRoofKernel(gpu, { iters, chains });
  const batch = new GpuBatch(gpu, 'fmaRoof');
  try {
    const out = batch.scratch('fmaRoof.out', Math.max(16, 4 * count));
    kernel.encode(batch, { out, count });
    const result = batch.read(out, 4 * count);
    await batch.submit();
    return f32(result);
  } finally {
    batch.dispose();
  }
}
