import sumsqNaiveWGSL from '../../shaders/sumsq-naive.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import type { GpuBatch } from '../gpu/batch';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, checkWorkgroups } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { uniformWriter } from '../gpu/uniforms';
import { InputError } from '../errors';
import { checkInt } from '../kernels/validate';

const FILE = 'shaders/sumsq-naive.wgsl';
const WORKGROUP = 256;

/** The benchmark's baseline for norms: a plain two-pass sum of squares over equal segments (f32 norms). */
export interface SumsqNaiveKernel {
  readonly workgroup: number;
  /** out[s] = √Σ x[s·segLen + i]² for every segment s; `partial` needs ceil(segLen / workgroup) · segments floats. */
  encode(batch: GpuBatch, args: { x: GPUBuffer; partial: GPUBuffer; out: GPUBuffer; segLen: number; segments: number }): void;
  /** Floats of partial sums `encode` needs. */
  partialFloats(segLen: number, segments: number): number;
}

/** Builds (or finds cached) the two pipelines of the plain two-pass sum of squares. */
export async function createSumsqNaiveKernel(gpu: GpuContext, options: { code?: string } = {}): Promise<SumsqNaiveKernel> {
  const layout = createKernelLayout(gpu.device, 'sumsqNaive', ['uniform', 'read-only-storage', 'storage', 'storage']);
  const code = options.code ?? sumsqNaiveWGSL;
  const spec = (entryPoint: string) =>
    getPipeline(gpu, {
      label: `sumsqNaive.${entryPoint}.pipeline`,
      file: FILE,
      code,
      entryPoint,
      layout: layout.pipelineLayout,
      constants: { WORKGROUP },
    });
  const [partials, finish] = await Promise.all([spec('partials'), spec('finish')]);
  const writer = uniformWriter(code, 'params', { file: FILE, fields: ['seg_len', 'chunks', 'segments'] });
  const chunksOf = (segLen: number) => Math.ceil(segLen / WORKGROUP);
  return {
    workgroup: WORKGROUP,
    partialFloats: (segLen, segments) => chunksOf(segLen) * segments,
    encode(batch, a) {
      const segLen = checkInt('segLen', a.segLen, 1);
      const segments = checkInt('segments', a.segments, 1);
      const chunks = chunksOf(segLen);
      if (a.x.size < 4 * segLen * segments) throw new InputError('x', `holds ${a.x.size} bytes; ${segments} × ${segLen} floats need ${4 * segLen * segments}`);
      if (a.partial.size < 4 * chunks * segments) throw new InputError('partial', `holds ${a.partial.size} bytes; needs ${4 * chunks * segments}`);
      if (a.out.size < 4 * segments) throw new InputError('out', `holds ${a.out.size} bytes; needs ${4 * segments}`);
      checkStorageSize(gpu.limits, 4 * segLen * segments, 'sumsqNaive.x');
      checkWorkgroups(gpu.limits, [chunks, segments, 1], 'sumsqNaive.partials');
      const label = `sumsqNaive[${segments}×${segLen}]`;
      const params = batch.uniform(`${label}.params`, writer.set({ seg_len: segLen, chunks, segments }));
      const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, a.x, a.partial, a.out]);
      batch.group(label, () => {
        batch.dispatch(`${label}.partials`, partials, bind, [chunks, segments]);
        batch.dispatch(`${label}.finish`, finish, bind, [Math.ceil(segments / WORKGROUP)]);
      });
    },
  };
}
