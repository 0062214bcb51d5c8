import momentsWGSL from '../../shaders/moments.wgsl?raw';
import type { GpuContext } from '../gpu/context';
import { bindingSize } from '../gpu/buffers';
import { GpuBatch, f32 } from '../gpu/batch';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, gridFor, type SizeLimits } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { structLayout, uniformWriter } from '../gpu/uniforms';
import { InputError } from '../errors';
import { checkInt, checkMatrix } from './validate';
import { isSoftwareAdapter } from '../gpu/adapter';

const FILE = 'shaders/moments.wgsl';
const WORKGROUP = 256;
/** Rows each invocation of the first pass should fold before more workgroups are worth it. */
const ITEMS_PER_INVOCATION = 16;
/** Most workgroups sharing one column tile in the first pass (= states per column for finalize). */
const MAX_CHUNKS = 256;
/** f32 per partial state: n, mean, M2. */
const STATE_FLOATS = 3;
/** The `all` pass (momentsAll / encodeAll): values each invocation should stream before another workgroup pays. */
const ALL_ITEMS_PER_INVOCATION = 256;
/**
 * Most workgroups of the `all` pass: few fat ones on CPU adapters (each is a task on a core), many on GPUs.
 * SwiftShader on 2 cores, 16M floats, workgroup 64, contiguous runs: 4–16 workgroups ≈ 46–50 ms, 32 ≈ 56 ms.
 */
const ALL_MAX_CHUNKS = { cpu: 8, gpu: 512 } as const;
/** Invocations the `all` pass needs in its grid (head and tail values go to invocations 0..5). */
const ALL_MIN_INVOCATIONS = 8;

/**
 * Workgroup size of a moments reduction over `count` values: about one invocation per 16 values, from 32
 * up to `max` (a barrier tree over a large workgroup costs ~1 ms per dispatch on CPU adapters).
 */
export function momentsWorkgroup(count: number, max = 256): number {
  let wg = 32;
  while (wg < max && wg * 16 < count) wg *= 2;
  return wg;
}

/**
 * The moments workgroup for `count` values on this adapter: momentsWorkgroup up to 64 on CPU / software
 * adapters, which emulate barriers and workgroup memory (small workgroups run fastest there), 256 on GPUs.
 */
export function momentsWorkgroupFor(gpu: Pick<GpuContext, 'summary'>, count: number): number {
  return momentsWorkgroup(count, isSoftwareAdapter(gpu.summary) ? 64 : 256);
}

/** Options of createMomentsKernel. */
export interface MomentsKernelOptions {
  /** WGSL replacing shaders/moments.wgsl (same bindings); without an `all` entry point encodeAll uses `partial`. */
  code?: string;
  /** Invocations per workgroup, a power of two (default 256). */
  workgroup?: number;
  /** Most workgroups of encodeAll's streaming pass (default 8 on CPU adapters, 512 on GPUs). */
  allChunks?: number;
  /**
   * Which quads an invocation of encodeAll's streaming pass reads: one run of consecutive quads each
   * ('contiguous', the default on CPU adapters, where a lane streams its own run) or quads interleaved
   * with its neighbours' ('interleaved', the default on GPUs, where neighbours' loads coalesce).
   */
  allLayout?: 'contiguous' | 'interleaved';
}

/** Arguments of `encodeColumns`: a matrix inside `x`, and where its moments go in `out`. */
export interface MomentsColumnsArgs {
  /** Row-major rows×cols f32 matrix starting at element `offset`. */
  x: GPUBuffer;
  rows: number;
  cols: number;
  offset?: number;
  /** Receives out[outOffset + j] = mean_j and out[outOffset + cols + j] = variance_j; must not be `x`. */
  out: GPUBuffer;
  outOffset?: number;
}

/** Arguments of `encodeAll`: a range of `x`, and where its moments go in `out`. */
export interface MomentsAllArgs {
  /** f32 values x[offset], …, x[offset + count − 1]. */
  x: GPUBuffer;
  count: number;
  offset?: number;
  /** Receives out[outOffset] = mean and out[outOffset + 1] = variance; must not be `x`. */
  out: GPUBuffer;
  outOffset?: number;
}

/** Encode-level moments kernel: mean and population variance (÷ n), written as f32. */
export interface MomentsKernel {
  readonly workgroup: number;
  /** Per-column moments: out[outOffset + j] = mean_j, out[outOffset + cols + j] = var_j. */
  encodeColumns(batch: GpuBatch, args: MomentsColumnsArgs): void;
  /** Moments of `count` values: out[outOffset] = mean, out[outOffset + 1] = var. */
  encodeAll(batch: GpuBatch, args: MomentsAllArgs): void;
}

/** How a rows×cols problem is split: columns per workgroup, lanes per column, workgroups along the rows. */
export interface MomentsPlan {
  tile: number;
  lanes: number;
  chunks: number;
  /** Column tiles, i.e. workgroups per chunk. */
  tiles: number;
  /** Bytes of partial states (0 when one pass suffices). */
  partialBytes: number;
}

/** The work split the kernel uses for a rows×cols problem (plain data, for tests and the UI). */
export function makeMomentsPlan(rows: number, cols: number, workgroup = WORKGROUP): MomentsPlan {
  let tile = 1;
  while (tile < cols && tile < workgroup) tile *= 2;
  const lanes = workgroup / tile;
  const chunks = Math.max(1, Math.min(MAX_CHUNKS, Math.ceil(rows / (lanes * ITEMS_PER_INVOCATION))));
  const tiles = Math.ceil(cols / tile);
  return { tile, lanes, chunks, tiles, partialBytes: chunks > 1 ? chunks * cols * STATE_FLOATS * 4 : 0 };
}

/** Builds (or finds cached) the moments pipelines; `code` replaces the shader source (for tests and the editor). */
export async function createMomentsKernel(gpu: GpuContext, options: MomentsKernelOptions = {}): Promise<MomentsKernel> {
  const workgroup = checkInt('workgroup', options.workgroup ?? WORKGROUP, 1, gpu.limits.maxComputeInvocationsPerWorkgroup);
  if ((workgroup & (workgroup - 1)) !== 0) throw new InputError('workgroup', `must be a power of two, got ${workgroup}`);
  const code = options.code ?? gpu.sources.code(FILE) ?? momentsWGSL; // the caller's code, a user kernel switched on, or the built-in
  const layout = createKernelLayout(gpu.device, 'moments', ['uniform', 'read-only-storage', 'storage']);
  const spec = (entryPoint: string) =>
    getPipeline(gpu, {
      label: `moments.${entryPoint}.pipeline`,
      file: FILE,
      code,
      entryPoint,
      layout: layout.pipelineLayout,
      constants: { WORKGROUP: workgroup },
    });
  const software = isSoftwareAdapter(gpu.summary);
  const allChunks = checkInt('allChunks', options.allChunks ?? ALL_MAX_CHUNKS[software ? 'cpu' : 'gpu'], 1, 65535);
  const allLayout = options.allLayout ?? (software ? 'contiguous' : 'interleaved');
  if (allLayout !== 'contiguous' && allLayout !== 'interleaved') {
    throw new InputError('allLayout', `must be 'contiguous' or 'interleaved', got ${String(allLayout)}`);
  }
  // Replacement code written before the `all` pass existed keeps working through `partial`.
  const hasAll = /\bfn\s+all\s*\(/.test(code);
  const [partial, finalize, all] = await Promise.all([spec('partial'), spec('finalize'), hasAll ? spec('all') : null]);
  // `contiguous` is read by the `all` pass only: code without that pass may keep it as padding.
  const base = ['rows', 'cols', 'src_offset', 'dst_offset', 'chunks', 'tile'];
  const hasContiguous = hasAll || structLayout(code, 'params', FILE).members.some((m) => m.name === 'contiguous');
  const writer = uniformWriter(code, 'params', { file: FILE, fields: hasContiguous ? [...base, 'contiguous'] : base });
  const limits = gpu.limits as SizeLimits;

  const pass = (
    batch: GpuBatch,
    shape: string,
    name: string,
    pipeline: GPUComputePipeline,
    params: [rows: number, cols: number, srcOffset: number, dstOffset: number, chunks: number, tile: number],
    src: GPUBuffer,
    dst: GPUBuffer,
    tiles: number,
    z: number,
  ) => {
    // 'moments[16777216].all', 'moments[1000×3].partial': kernel, shape, pass (sumByKernel reads 'moments').
    const label = `moments[${shape}].${name}`;
    const contiguous = name === 'all' && allLayout === 'contiguous' ? 1 : 0;
    const [rows, cols, srcOffset, dstOffset, chunks, tile] = params;
    const values = { rows, cols, src_offset: srcOffset, dst_offset: dstOffset, chunks, tile };
    const uniform = batch.uniform(`${label}.params`, writer.set(hasContiguous ? { ...values, contiguous } : values));
    const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [uniform, src, dst]);
    const [gx, gy] = gridFor(tiles, limits.maxComputeWorkgroupsPerDimension);
    batch.dispatch(label, pipeline, bind, [gx, gy, z]);
  };

  const encodeColumns = (batch: GpuBatch, a: MomentsColumnsArgs) => {
    const rows = checkInt('rows', a.rows, 1);
    const cols = checkInt('cols', a.cols, 1);
    const offset = checkInt('offset', a.offset ?? 0, 0);
    const outOffset = checkInt('outOffset', a.outOffset ?? 0, 0);
    if (a.out === a.x) throw new InputError('out', 'must be a different buffer from x (x is bound read-only, out read-write)');
    const needX = (offset + rows * cols) * 4;
    if (bindingSize(a.x) < needX) {
      throw new InputError('x', `holds ${bindingSize(a.x)} bytes but offset + rows × cols = ${offset} + ${rows} × ${cols} f32 need ${needX}`);
    }
    const needOut = (outOffset + 2 * cols) * 4;
    if (bindingSize(a.out) < needOut) {
      throw new InputError('out', `holds ${bindingSize(a.out)} bytes but outOffset + 2 × cols = ${outOffset} + 2 × ${cols} f32 need ${needOut}`);
    }
    checkStorageSize(limits, needX, 'moments.x');
    checkStorageSize(limits, needOut, 'moments.out');
    const plan = makeMomentsPlan(rows, cols, workgroup);
    const shape = `${rows}×${cols}`;
    batch.group(`moments[${shape}]`, () => {
      if (plan.chunks === 1) {
        pass(batch, shape, 'partial', partial, [rows, cols, offset, outOffset, 1, plan.tile], a.x, a.out, plan.tiles, 1);
        return;
      }
      checkStorageSize(limits, plan.partialBytes, 'moments.partials');
      const states = batch.scratch('moments.partials', plan.partialBytes);
      pass(batch, shape, 'partial', partial, [rows, cols, offset, 0, plan.chunks, plan.tile], a.x, states, plan.tiles, plan.chunks);
      pass(batch, shape, 'finalize', finalize, [plan.chunks, cols, 0, outOffset, 1, plan.tile], states, a.out, plan.tiles, 1);
    });
  };

  return {
    workgroup,
    encodeColumns,
    encodeAll(batch, a) {
      const count = checkInt('count', a.count, 1);
      const chunks = Math.max(1, Math.min(allChunks, Math.ceil(count / (workgroup * ALL_ITEMS_PER_INVOCATION))));
      // `all` reads x as vec4s: the buffer must hold every quad the range touches (uploads and pooled
      // buffers are sized in 16-byte steps; a user's odd-sized buffer takes the per-column path).
      const quadBytes = Math.ceil(((a.offset ?? 0) + count) / 4) * 16;
      if (!all || chunks * workgroup < ALL_MIN_INVOCATIONS || bindingSize(a.x) < quadBytes) {
        encodeColumns(batch, { x: a.x, rows: count, cols: 1, offset: a.offset, out: a.out, outOffset: a.outOffset });
        return;
      }
      const offset = checkInt('offset', a.offset ?? 0, 0);
      const outOffset = checkInt('outOffset', a.outOffset ?? 0, 0);
      if (a.out === a.x) throw new InputError('out', 'must be a different buffer from x (x is bound read-only, out read-write)');
      const needX = (offset + count) * 4;
      if (bindingSize(a.x) < needX) throw new InputError('x', `holds ${bindingSize(a.x)} bytes but offset + count = ${offset} + ${count} f32 need ${needX}`);
      const needOut = (outOffset + 2) * 4;
      if (bindingSize(a.out) < needOut)
        throw new InputError('out', `holds ${bindingSize(a.out)} bytes but outOffset + 2 = ${outOffset} + 2 f32 need ${needOut}`);
      checkStorageSize(limits, needX, 'moments.x');
      batch.group(`moments[${count}]`, () => {
        if (chunks === 1) {
          pass(batch, `${count}`, 'all', all, [count, 1, offset, outOffset, 1, 1], a.x, a.out, 1, 1);
          return;
        }
        const states = batch.scratch('moments.partials', chunks * STATE_FLOATS * 4);
        pass(batch, `${count}`, 'all', all, [count, 1, offset, 0, chunks, 1], a.x, states, chunks, 1);
        pass(batch, `${count}`, 'finalize', finalize, [chunks, 1, 0, outOffset, 1, 1], states, a.out, 1, 1);
      });
    },
  };
}

/** Per-column mean and population variance of a row-major rows×cols matrix, on the GPU. */
export async function moments(
  gpu: GpuContext,
  x: Float32Array,
  options: { rows: number; cols: number },
): Promise<{ mean: Float32Array; variance: Float32Array }> {
  const { rows, cols } = options;
  checkMatrix(x, rows, cols);
  const kernel = await createMomentsKernel(gpu);
  const batch = new GpuBatch(gpu, 'moments');
  try {
    const out = batch.scratch('moments.out', 2 * cols * 4);
    kernel.encodeColumns(batch, { x: batch.upload('moments.x', x), rows, cols, out });
    const result = batch.read(out, 2 * cols * 4);
    await batch.submit();
    const both = f32(result);
    return { mean: both.slice(0, cols), variance: both.slice(cols, 2 * cols) };
  } finally {
    batch.dispose();
  }
}

/** Mean and population variance of all of `x`, on the GPU. */
export async function momentsAll(gpu: GpuContext, x: Float32Array): Promise<{ mean: number; variance: number }> {
  if (x.length === 0) throw new InputError('x', 'is empty; mean and variance need at least one value');
  const kernel = await createMomentsKernel(gpu);
  const batch = new GpuBatch(gpu, 'momentsAll');
  try {
    const out = batch.scratch('momentsAll.out', 8);
    kernel.encodeAll(batch, { x: batch.upload('momentsAll.x', x), count: x.length, out });
    const result = batch.read(out, 8);
    await batch.submit();
    const [mean, variance] = f32(result);
    return { mean, variance };
  } finally {
    batch.dispose();
  }
}
