// The GPU pieces of a Normalization study: its kernels, the data's layout on the GPU ([X | y] rows), and
// the encoders of its passes (the hi + lo affine transform, ZᵀZ in chunks, the costs by residual-sumsq).

import type { GpuContext } from '../../gpu/context';
import { GpuBatch, f32 } from '../../gpu/batch';
import { createResidualSumsqKernel, sumBlocks, type ResidualSumsqKernel } from '../../kernels/residual-sumsq';
import { createElementwiseKernel, type ElementwiseKernel } from '../../kernels/elementwise';
import { createMatmulKernel, type MatmulKernel } from '../../kernels/matmul';
import { subsampleRows, type GridWindow } from './cpu/normalize-ref';
import { STUDY_LIMITS } from './study-options';
import type { DataSplit } from './types';

/** The kernels a study runs besides moments. */
export interface Kernels {
  ew: ElementwiseKernel;
  gram: MatmulKernel;
  rss: ResidualSumsqKernel;
}

/** Creates the study's kernels: elementwise, a small-tile matmul for ZᵀZ, residual-sumsq. */
export async function kernelsFor(gpu: GpuContext): Promise<Kernels> {
  const [ew, gram, rss] = await Promise.all([
    createElementwiseKernel(gpu),
    // (d+1)×(d+1) outputs: small tiles waste less work than the default 64×64.
    createMatmulKernel(gpu, { tileM: 16, tileN: 16, microM: 4, microN: 4 }),
    createResidualSumsqKernel(gpu),
  ]);
  return { ew, gram, rss };
}

/** Columns of the features followed by the target: [X | y], rows × (d+1), f32. */
export function augment(s: DataSplit, d: number): Float32Array<ArrayBuffer> {
  const k = d + 1;
  const out = new Float32Array(s.m * k);
  for (let r = 0; r < s.m; r++) {
    out.set(s.x.subarray(r * d, r * d + d), r * k);
    out[r * k + d] = s.y[r];
  }
  return out;
}

/** The first d of d+1 columns. */
export function features(aug: Float32Array, rows: number, d: number): Float32Array {
  const k = d + 1;
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) out.set(aug.subarray(r * k, r * k + d), r * d);
  return out;
}

/** The grid's size² weight vectors [wx, wy, −1], row by row over the window (y rows, x columns). */
export function gridSpec(window: GridWindow, size: number): { weights: Float32Array; G: number } {
  const G = size * size;
  const weights = new Float32Array(G * 3);
  for (let r = 0; r < size; r++) {
    const wy = window.y.min + ((window.y.max - window.y.min) * r) / (size - 1);
    for (let c = 0; c < size; c++) {
      const wx = window.x.min + ((window.x.max - window.x.min) * c) / (size - 1);
      const i = r * size + c;
      weights[3 * i] = wx;
      weights[3 * i + 1] = wy;
      weights[3 * i + 2] = -1;
    }
  }
  return { weights, G };
}

/**
 * Encodes the costs J = ‖Z·[w; −1]‖²/(2·rows) of G weight vectors (W stored G×width, rows of Z: width
 * values) — the matmul of the data against the weights fused with the column reduction (residual-sumsq);
 * returns a decoder to call after submit.
 */
export function encodeCosts(
  batch: GpuBatch,
  k: Kernels,
  z: GPUBuffer,
  rows: number,
  width: number,
  w: GPUBuffer,
  G: number,
  label: string,
): () => Float64Array {
  const blocks = k.rss.blocks(rows);
  const partials = batch.scratch(`${label}.partials`, 4 * blocks * G);
  batch.group(label, () => k.rss.encode(batch, { z, rows, k: width, w, G, out: partials }));
  const read = batch.read(partials, 4 * blocks * G);
  return () => sumBlocks(f32(read), blocks, G).map((v) => v / (2 * rows));
}

/** Encodes ZᵀZ of a rows×k buffer in chunks of gramChunkRows rows; the decoder returns ZᵀZ/rows in float64. */
export function encodeGram(batch: GpuBatch, kern: Kernels, z: GPUBuffer, rows: number, k: number): () => Float64Array {
  const CH = STUDY_LIMITS.gramChunkRows;
  const full = Math.floor(rows / CH);
  const rem = rows - full * CH;
  const items = full + (rem > 0 ? 1 : 0);
  const out = batch.scratch('normalize.gram.partials', 4 * items * k * k);
  batch.group(`gram[${rows}×${k}]`, () => {
    if (full > 0) {
      kern.gram.encode(batch, { a: z, b: z, c: out, m: k, n: k, k: CH, transA: true, batch: full, strideA: CH * k, strideB: CH * k, strideC: k * k });
    }
    if (rem > 0) {
      const off = full * CH * k;
      kern.gram.encode(batch, { a: z, b: z, c: out, m: k, n: k, k: rem, transA: true, offsetA: off, offsetB: off, offsetC: full * k * k });
    }
  });
  const read = batch.read(out, 4 * items * k * k);
  return () => sumBlocks(f32(read), items, k * k).map((v) => v / rows);
}

/** A rough per-column mean (float64 over ≤ 1,024 evenly strided rows), rounded to f32: the shift c of the moments pass. */
export function roughMean(aug: Float32Array, rows: number, k: number): Float32Array {
  const idx = subsampleRows(rows, 1024);
  const c = new Float64Array(k);
  for (const r of idx) for (let j = 0; j < k; j++) c[j] += aug[r * k + j];
  return Float32Array.from(c, (v) => v / idx.length);
}

/**
 * Encodes dst = (src − mean) / divisor per column with a float64 mean carried as hi + lo (hi = f32(mean),
 * lo = f32(mean − hi)) in two normalize dispatches: (src − hi) is exact near the mean, so the result is
 * centred to f32 precision of the spread even when the mean is 10⁴ times the spread (one f32 μ would leave
 * an offset of up to half an ulp of μ, e.g. 5e-4 at 10⁴).
 */
export function encodeAffine(
  batch: GpuBatch,
  ew: ElementwiseKernel,
  src: GPUBuffer,
  dst: GPUBuffer,
  rows: number,
  k: number,
  mean: ArrayLike<number>,
  divisor: ArrayLike<number>,
  label: string,
): void {
  const hi = Float32Array.from(mean);
  const lo = Float32Array.from(hi, (h, j) => mean[j] - h);
  const tmp = batch.scratch(`${label}.shifted`, 4 * rows * k);
  batch.group(label, () => {
    ew.encodeNormalize(batch, {
      x: src,
      out: tmp,
      rows,
      cols: k,
      mean: batch.upload(`${label}.meanHi`, hi),
      std: batch.upload(`${label}.one`, new Float32Array(k).fill(1)),
    });
    ew.encodeNormalize(batch, {
      x: tmp,
      out: dst,
      rows,
      cols: k,
      mean: batch.upload(`${label}.meanLo`, lo),
      std: batch.upload(`${label}.divisor`, Float32Array.from(divisor)),
    });
  });
}

/** [head…, last] as a float64 vector of length head.length + 1. */
export const withLast = (head: ArrayLike<number>, last: number) => Float64Array.from([...Array.from(head), last]);
