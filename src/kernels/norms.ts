import normsWGSL from '../../shaders/norms.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import { bindingSize } from '../gpu/buffers';
import { GpuBatch, u32 } from '../gpu/batch';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, checkWorkgroups, gridFor } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { uniformWriter } from '../gpu/uniforms';
import { GpuLimitError } from '../gpu/errors';
import { InputError } from '../errors';
import { checkInt } from './validate';
import { checkOffsets } from './cpu/norms-ref';

export { checkOffsets };

const FILE = 'shaders/norms.wgsl';
const WORKGROUP = 256;
// The shader's SHORT override: segments up to this length are summed by one invocation.
const SHORT = 64;
// Workgroup memory per invocation: exponent (i32), ssq (f32), status (u32), long-segment index (u32).
const SHARED_BYTES_PER_INVOCATION = 16;

/** u32 words per segment in the output buffer: scale (f32 bits), ssq (f32), status (u32), count (u32). */
export const NORM_WORDS = 4;
/** Status bits of a segment's third output word. */
export const NORM_STATUS = { inf: 1, nan: 2, badRange: 4 } as const;

/** Arguments of one segmented-norms dispatch. */
export interface NormsArgs {
  /** f32 values. */
  x: GPUBuffer;
  /** u32 segment boundaries, `segments + 1` of them: segment i is [offsets[i], offsets[i+1]). */
  offsets: GPUBuffer;
  segments: number;
  /**
   * Receives NORM_WORDS u32 words per segment: scale = 2^e (f32 bits, the largest power of two ≤ max|x|),
   * ssq (f32, in [1, 4n)), status (NORM_STATUS bits), element count; norm = scale · √ssq
   * (see decodeNorms). A segment whose status has the inf or nan bit has meaningless scale and ssq words
   * (its norm is Infinity or NaN). Must be a different buffer from x and offsets.
   */
  out: GPUBuffer;
  /** Element offset into x that the offsets are relative to. */
  offsetX?: number;
  /**
   * Consecutive segments each workgroup owns, 1 to the kernel's workgroup size (default 1: one workgroup
   * per segment). Use the workgroup size for many short segments; see pickSegmentsPerGroup.
   */
  segmentsPerGroup?: number;
  /** Segment i is written at out segment slot outOffset + i (default 0), so many dispatches can fill one buffer. */
  outOffset?: number;
}

/** Encode-level segmented L2 norms (overflow-safe, Inf/NaN-aware; one dispatch for all segments). */
export interface NormsKernel {
  readonly workgroup: number;
  encode(batch: GpuBatch, args: NormsArgs): void;
}

/** Builds (or finds cached) the norms pipeline; `workgroup` must be a power of two. */
export async function createNormsKernel(gpu: GpuContext, options: { code?: string; workgroup?: number } = {}): Promise<NormsKernel> {
  const workgroup = checkInt('workgroup', options.workgroup ?? WORKGROUP, 1, gpu.limits.maxComputeInvocationsPerWorkgroup);
  if ((workgroup & (workgroup - 1)) !== 0) {
    throw new InputError('workgroup', `must be a power of two (the tree reduction halves it), got ${workgroup}`);
  }
  const shared = workgroup * SHARED_BYTES_PER_INVOCATION;
  if (shared > gpu.limits.maxComputeWorkgroupStorageSize) {
    throw new GpuLimitError(`norms with workgroup ${workgroup}`, 'maxComputeWorkgroupStorageSize', gpu.limits.maxComputeWorkgroupStorageSize, shared);
  }
  const layout = createKernelLayout(gpu.device, 'norms', ['uniform', 'read-only-storage', 'read-only-storage', 'storage']);
  const code = options.code ?? gpu.sources.code(FILE) ?? normsWGSL; // the caller's code, a user kernel switched on, or the built-in
  const pipeline = await getPipeline(gpu, {
    label: 'norms.pipeline',
    file: FILE,
    code,
    layout: layout.pipelineLayout,
    constants: { WORKGROUP: workgroup, SHORT },
  });
  const writer = uniformWriter(code, 'params', { file: FILE, fields: ['segments', 'offset_x', 'per_group', 'out_offset'] });

  return {
    workgroup,
    encode(batch, a) {
      const segments = checkInt('segments', a.segments, 0, 0xfffffffe);
      const offsetX = checkInt('offsetX', a.offsetX ?? 0, 0, Math.floor(bindingSize(a.x) / 4));
      if (a.out === a.x || a.out === a.offsets) {
        throw new InputError('out', 'must be a different buffer from x and offsets (it is bound read_write)');
      }
      if (bindingSize(a.offsets) < 4 * (segments + 1)) {
        throw new InputError('offsets', `buffer holds ${Math.floor(bindingSize(a.offsets) / 4)} u32 values; segments + 1 = ${segments + 1} are needed`);
      }
      const outOffset = checkInt('outOffset', a.outOffset ?? 0, 0);
      const outBytes = NORM_WORDS * 4 * (outOffset + segments);
      if (bindingSize(a.out) < outBytes) {
        throw new InputError('out', `buffer has ${bindingSize(a.out)} bytes; ${segments} segments from outOffset ${outOffset} need ${outBytes}`);
      }
      const perGroup = checkInt('segmentsPerGroup', a.segmentsPerGroup ?? 1, 1, workgroup);
      checkStorageSize(gpu.limits, outBytes, 'norms.out');
      checkStorageSize(gpu.limits, 4 * (segments + 1), 'norms.offsets');
      if (segments === 0) return;
      const grid = gridFor(Math.ceil(segments / perGroup), gpu.limits.maxComputeWorkgroupsPerDimension);
      checkWorkgroups(gpu.limits, grid, `norms over ${segments} segments`);
      const label = `norms[${segments}]`;
      const params = batch.uniform(`${label}.params`, writer.set({ segments, offset_x: offsetX, per_group: perGroup, out_offset: outOffset }));
      const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, a.x, a.offsets, a.out]);
      batch.dispatch(label, pipeline, bind, grid);
    },
  };
}

/**
 * Segments per workgroup for these offsets: the workgroup size when segments are short on average
 * (they are summed one per invocation, so one workgroup serves many), else 1 (one workgroup each).
 */
export function pickSegmentsPerGroup(offsets: ArrayLike<number>, workgroup = WORKGROUP): number {
  const segments = offsets.length - 1;
  if (segments < 1) return 1;
  const mean = (offsets[segments] - offsets[0]) / segments;
  return mean <= SHORT ? workgroup : 1;
}

/**
 * Norms from the kernel's output words: scale · √ssq in float64 (so norms beyond f32's range are exact),
 * NaN for segments holding a NaN, Infinity for segments holding ±Infinity. Throws an InputError naming
 * the first segment whose offsets the GPU found out of order or past the end of x.
 */
export function decodeNorms(words: ArrayBuffer, segments: number): Float64Array {
  checkInt('segments', segments, 0);
  if (words.byteLength < NORM_WORDS * 4 * segments) {
    throw new InputError('words', `has ${words.byteLength} bytes; ${segments} segments need ${NORM_WORDS * 4 * segments}`);
  }
  const u = new Uint32Array(words, 0, NORM_WORDS * segments);
  const f = new Float32Array(words, 0, NORM_WORDS * segments);
  const out = new Float64Array(segments);
  for (let i = 0; i < segments; i++) {
    const status = u[NORM_WORDS * i + 2];
    if (status & NORM_STATUS.badRange) {
      throw new InputError('offsets', `segment ${i} is out of order or ends past the end of x (found on the GPU)`);
    }
    if (status & NORM_STATUS.nan) out[i] = NaN;
    else if (status & NORM_STATUS.inf) out[i] = Infinity;
    else out[i] = f[NORM_WORDS * i] * Math.sqrt(f[NORM_WORDS * i + 1]);
  }
  return out;
}

/** L2 norm of each segment [offsets[i], offsets[i+1]) of x on the GPU (Infinity / NaN for segments holding them). */
export async function l2Norms(gpu: GpuContext, x: Float32Array, offsets: ArrayLike<number>): Promise<Float64Array> {
  checkOffsets(offsets, x.length);
  const segments = offsets.length - 1;
  if (segments === 0) return new Float64Array(0);
  const kernel = await createNormsKernel(gpu);
  const segmentsPerGroup = pickSegmentsPerGroup(offsets, kernel.workgroup);
  const batch = new GpuBatch(gpu, 'l2Norms');
  try {
    const outBytes = NORM_WORDS * 4 * segments;
    const out = batch.scratch('l2Norms.out', outBytes);
    kernel.encode(batch, {
      x: batch.upload('l2Norms.x', x),
      offsets: batch.upload('l2Norms.offsets', Uint32Array.from(offsets)),
      segments,
      out,
      segmentsPerGroup,
    });
    const result = batch.read(out, outBytes);
    await batch.submit();
    return decodeNorms(u32(result).buffer as ArrayBuffer, segments);
  } finally {
    batch.dispose();
  }
}
