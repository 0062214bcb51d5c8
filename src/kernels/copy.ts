import copyWGSL from '../../shaders/copy.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import { bindingSize } from '../gpu/buffers';
import { GpuBatch, f32 } from '../gpu/batch';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, gridFor } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { uniformWriter } from '../gpu/uniforms';
import { InputError } from '../errors';
import { checkInt } from './validate';

const FILE = 'shaders/copy.wgsl';

/** Arguments of one copy: `count` floats (a multiple of 4) from src to dst. */
export interface CopyArgs {
  src: GPUBuffer;
  dst: GPUBuffer;
  /** Floats to copy; a multiple of 4 (the kernel moves vec4s). */
  count: number;
}

/** Encode-level plain vec4 copy: the bandwidth roof of the benchmark (8 bytes moved per float). */
export interface CopyKernel {
  readonly workgroup: number;
  /** vec4s per invocation. */
  readonly items: number;
  encode(batch: GpuBatch, args: CopyArgs): void;
}

/** Builds (or finds cached) the copy pipeline. */
export async function createCopyKernel(gpu: GpuContext, options: { workgroup?: number; items?: number; code?: string } = {}): Promise<CopyKernel> {
  const workgroup = checkInt('workgroup', options.workgroup ?? 64, 1, gpu.limits.maxComputeInvocationsPerWorkgroup);
  const items = checkInt('items', options.items ?? 4, 1, 1024);
  const layout = createKernelLayout(gpu.device, 'copy', ['uniform', 'read-only-storage', 'storage']);
  const code = options.code ?? copyWGSL;
  const pipeline = await getPipeline(gpu, {
    label: 'copy.pipeline',
    file: FILE,
    code,
    layout: layout.pipelineLayout,
    constants: { WORKGROUP: workgroup, ITEMS: items },
  });
  const writer = uniformWriter(code, 'params', { file: FILE, fields: ['count', 'groups_x'] });
  return {
    workgroup,
    items,
    encode(batch, a) {
      const count = checkInt('count', a.count, 0);
      if (count % 4) throw new InputError('count', `must be a multiple of 4 (the copy moves vec4s), got ${count}`);
      if (a.src === a.dst) throw new InputError('dst', 'must be a different buffer from src');
      for (const [name, buf] of [
        ['src', a.src],
        ['dst', a.dst],
      ] as const) {
        if (bindingSize(buf) < 4 * count) throw new InputError(name, `holds ${bindingSize(buf)} bytes; ${count} floats need ${4 * count}`);
      }
      checkStorageSize(gpu.limits, 4 * count, 'copy');
      if (count === 0) return;
      const vec4s = count / 4;
      const [gx, gy] = gridFor(Math.ceil(vec4s / (workgroup * items)), gpu.limits.maxComputeWorkgroupsPerDimension);
      const label = `copy[${count}]`;
      const params = batch.uniform(`${label}.params`, writer.set({ count: vec4s, groups_x: gx }));
      const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, a.src, a.dst]);
      batch.dispatch(label, pipeline, bind, [gx, gy]);
    },
  };
}

/** Copies `x` (length a multiple of 4) through the copy kernel and reads it back. */
export async function copyFloats(gpu: GpuContext, x: Float32Array): Promise<Float32Array> {
  const kernel = await createCopyKernel(gpu);
  const batch = new GpuBatch(gpu, 'copy');
  try {
    const dst = batch.scratch('copy.dst', Math.max(16, x.byteLength));
    kernel.encode(batch, { src: batch.upload('copy.src', x), dst, count: x.length });
    const result = batch.read(dst, x.byteLength);
    await batch.submit();
    return f32(result);
  } finally {
    batch.dispose();
  }
}
