import residualSumsqWGSL from '../../shaders/residual-sumsq.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import { bindingSize } from '../gpu/buffers';
import { GpuBatch, f32 } from '../gpu/batch';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, checkWorkgroups, gridFor } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { uniformWriter } from '../gpu/uniforms';
import { InputError } from '../errors';
import { checkInt, checkMatrix } from './validate';

const FILE = 'shaders/residual-sumsq.wgsl';
/** Small workgroups: no shared memory, and CPU adapters run small groups best. */
const WORKGROUP = 64;
/** Weight vectors per invocation (the shader's vec4f accumulators). */
const VECTORS_PER_INVOCATION = 4;
/** Default rows per block: bounds the f32 summation error of each partial sum (see the shader). */
export const RESIDUAL_SUMSQ_BLOCK = 1024;

/** Arguments of one residual-sumsq dispatch. */
export interface ResidualSumsqArgs {
  /** Row-major rows×k f32 data from element `offsetZ`. */
  z: GPUBuffer;
  rows: number;
  k: number;
  offsetZ?: number;
  /** Row-major G×k f32 weight vectors. */
  w: GPUBuffer;
  G: number;
  /** Receives blocks(rows) × G f32 partial sums from element `outOffset`: block s, vector g at s·G + g. */
  out: GPUBuffer;
  outOffset?: number;
  /** Rows per block (default 1024). */
  blockRows?: number;
}

/** Encode-level fused residual sums of squares ‖Z·w_g‖² in blocks of rows (finished in float64 by the host). */
export interface ResidualSumsqKernel {
  readonly workgroup: number;
  /** Number of row blocks (= partial sums per weight vector) for `rows` rows. */
  blocks(rows: number, blockRows?: number): number;
  encode(batch: GpuBatch, args: ResidualSumsqArgs): void;
}

/** Builds (or finds cached) the residual-sumsq pipeline; `code` replaces the shader (tests, the editor). */
export async function createResidualSumsqKernel(gpu: GpuContext, options: { code?: string; workgroup?: number } = {}): Promise<ResidualSumsqKernel> {
  const workgroup = checkInt('workgroup', options.workgroup ?? WORKGROUP, 1, gpu.limits.maxComputeInvocationsPerWorkgroup);
  const layout = createKernelLayout(gpu.device, 'residualSumsq', ['uniform', 'read-only-storage', 'read-only-storage', 'storage']);
  const code = options.code ?? residualSumsqWGSL;
  const pipeline = await getPipeline(gpu, {
    label: 'residualSumsq.pipeline',
    file: FILE,
    code,
    layout: layout.pipelineLayout,
    constants: { WORKGROUP: workgroup },
  });
  const writer = uniformWriter(code, 'params', { file: FILE, fields: ['rows', 'k', 'g_count', 'z_offset', 'out_offset', 'block_rows'] });
  const blocks = (rows: number, blockRows = RESIDUAL_SUMSQ_BLOCK) => Math.ceil(rows / blockRows);
  return {
    workgroup,
    blocks,
    encode(batch, a) {
      const rows = checkInt('rows', a.rows, 1);
      const k = checkInt('k', a.k, 1);
      const G = checkInt('G', a.G, 1);
      const offsetZ = checkInt('offsetZ', a.offsetZ ?? 0, 0);
      const outOffset = checkInt('outOffset', a.outOffset ?? 0, 0);
      const blockRows = checkInt('blockRows', a.blockRows ?? RESIDUAL_SUMSQ_BLOCK, 1);
      if (a.out === a.z || a.out === a.w) throw new InputError('out', 'must be a different buffer from z and w (they are bound read-only, out read-write)');
      const needZ = 4 * (offsetZ + rows * k);
      if (bindingSize(a.z) < needZ)
        throw new InputError('z', `holds ${bindingSize(a.z)} bytes but offsetZ + rows × k = ${offsetZ} + ${rows} × ${k} f32 need ${needZ}`);
      if (bindingSize(a.w) < 4 * G * k) throw new InputError('w', `holds ${bindingSize(a.w)} bytes but G × k = ${G} × ${k} f32 need ${4 * G * k}`);
      const nBlocks = blocks(rows, blockRows);
      const needOut = 4 * (outOffset + nBlocks * G);
      if (bindingSize(a.out) < needOut)
        throw new InputError('out', `holds ${bindingSize(a.out)} bytes but ${nBlocks} blocks × ${G} vectors from outOffset ${outOffset} need ${needOut}`);
      for (const [name, b] of [
        ['z', a.z],
        ['w', a.w],
        ['out', a.out],
      ] as const)
        checkStorageSize(gpu.limits, bindingSize(b), `residualSumsq.${name}`);
      const [gx, gy] = gridFor(Math.ceil(Math.ceil(G / VECTORS_PER_INVOCATION) / workgroup), gpu.limits.maxComputeWorkgroupsPerDimension);
      checkWorkgroups(gpu.limits, [gx, gy, nBlocks], `residualSumsq over ${rows} rows in blocks of ${blockRows}`);
      const label = `residualSumsq[${rows}×${k}·${G}]`;
      const params = batch.uniform(`${label}.params`, writer.set({ rows, k, g_count: G, z_offset: offsetZ, out_offset: outOffset, block_rows: blockRows }));
      const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, a.z, a.w, a.out]);
      batch.dispatch(label, pipeline, bind, [gx, gy, nBlocks]);
    },
  };
}

/** Adds blocks × G partial sums (block-major) into one float64 value per vector. */
export function sumBlocks(partials: ArrayLike<number>, blocks: number, G: number, into = new Float64Array(G)): Float64Array {
  for (let s = 0; s < blocks; s++) for (let g = 0; g < G; g++) into[g] += partials[s * G + g];
  return into;
}

/** ‖Z·w_g‖² for every row w_g of W (Z rows×k, W G×k, row-major f32) on the GPU, finished in float64. */
export async function residualSumsq(
  gpu: GpuContext,
  z: Float32Array,
  w: Float32Array,
  options: { rows: number; k: number; G: number; blockRows?: number },
): Promise<Float64Array> {
  const { rows, k, G } = options;
  checkMatrix(z, rows, k, 'z');
  checkMatrix(w, G, k, 'w');
  const kernel = await createResidualSumsqKernel(gpu);
  const blocks = kernel.blocks(rows, options.blockRows);
  const batch = new GpuBatch(gpu, 'residualSumsq');
  try {
    const bytes = 4 * blocks * G;
    const out = batch.scratch('residualSumsq.out', bytes);
    kernel.encode(batch, { z: batch.upload('residualSumsq.z', z), rows, k, w: batch.upload('residualSumsq.w', w), G, out, blockRows: options.blockRows });
    const result = batch.read(out, bytes);
    await batch.submit();
    return sumBlocks(f32(result), blocks, G);
  } finally {
    batch.dispose();
  }
}
