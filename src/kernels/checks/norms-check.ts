import { msg } from '@lit/localize';
import type { GpuContext } from '../../gpu/context';
import { GpuBatch, u32 } from '../../gpu/batch';
import { createNormsKernel, decodeNorms, NORM_WORDS, pickSegmentsPerGroup } from '../norms';
import { l2NormsRef } from '../cpu/norms-ref';
import { makeRng } from '../cpu/random';
import { compareArrays } from '../compare';
import { shapeEnglish, type CaseWords } from './case-words';
import { guarded, totalMs, type CheckResult, type KernelCheck } from './types';

const RTOL = 1e-5;
// Norms can be legitimately tiny (1e-30 · √n); an absolute floor would hide errors there.
const ATOL = 1e-300;

/** Segment boundaries for the given lengths. */
export function offsetsFor(lengths: readonly number[]): Uint32Array {
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((n, i) => (offsets[i + 1] = offsets[i] + n));
  return offsets;
}

/** Normal values whose magnitude also varies by ±10 decades, segment j centred on 10^(6j − 18). */
export function mixedMagnitudes(offsets: Uint32Array, seed: number): Float32Array {
  const rng = makeRng(seed);
  const x = new Float32Array(offsets[offsets.length - 1]);
  for (let j = 0; j + 1 < offsets.length; j++) {
    for (let i = offsets[j]; i < offsets[j + 1]; i++) x[i] = rng.normal() * 10 ** (6 * j - 18 + 20 * rng.uniform() - 10);
  }
  return x;
}

async function runCase(gpu: GpuContext, named: string | CaseWords, x: Float32Array, offsets: Uint32Array): Promise<CheckResult> {
  const shape = typeof named === 'string' ? named : shapeEnglish(named);
  return guarded('norms', named, RTOL, async () => {
    const kernel = await createNormsKernel(gpu);
    const segments = offsets.length - 1;
    const batch = new GpuBatch(gpu, `check.norms[${shape}]`, { timing: true });
    try {
      const outBytes = NORM_WORDS * 4 * segments;
      const out = batch.scratch('check.norms.out', outBytes);
      kernel.encode(batch, {
        x: batch.upload('check.norms.x', x),
        offsets: batch.upload('check.norms.offsets', offsets),
        segments,
        out,
        segmentsPerGroup: pickSegmentsPerGroup(offsets, kernel.workgroup),
      });
      const r = batch.read(out, outBytes);
      await batch.submit();
      const c = compareArrays(decodeNorms(u32(r).buffer as ArrayBuffer, segments), l2NormsRef(x, offsets), { rtol: RTOL, atol: ATOL });
      return { kernel: 'norms', shape, ok: c.ok, maxRelError: c.maxRelError, rtol: RTOL, gpuMs: totalMs(gpu, batch.timings) };
    } finally {
      batch.dispose();
    }
  });
}

/** Segmented L2 norms on awkward segment lengths and magnitudes that overflow a naive f32 Σx². */
export const normsCheck: KernelCheck = {
  kernel: 'norms',
  // A getter, so the Kernel check shows it in the language of the moment.
  get description() {
    return msg('L2 norm of each segment of one buffer (per-layer gradient norms), overflow-safe, Inf/NaN reported');
  },
  async run(gpu: GpuContext): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const lengths = [0, 1, 7, 63, 65, 257, 70_001];
    const offsets = offsetsFor(lengths);
    results.push(await runCase(gpu, { kind: 'segments', lengths }, mixedMagnitudes(offsets, 17), offsets));
    // Σx² of these overflows (1e63, 9e78) or underflows (1e-63) f32; the norms themselves need not.
    const big = new Float32Array(1000).fill(1e30);
    const huge = new Float32Array(100).fill(3e38);
    const tiny = new Float32Array(1000).fill(-1e-30);
    const x = new Float32Array([...big, ...huge, ...tiny]);
    results.push(await runCase(gpu, '1,000 × 1e30, 100 × 3e38, 1,000 × −1e-30', x, offsetsFor([1000, 100, 1000])));
    // Blocks whose largest value is below 1 with exact zeros among them (ReLU outputs), and subnormals next to
    // small normals: the kernel scales values by integer operations on their bits, where 0 and subnormals
    // are the special cases.
    const rng = makeRng(23);
    const relu = Float32Array.from({ length: 1000 }, () => Math.max(0, 0.3 * rng.normal()));
    const subnormal = Float32Array.from({ length: 301 }, (_, i) => (i % 3 === 0 ? 1e-39 : i % 3 === 1 ? 1e-37 : 0) * rng.normal());
    const zeros = new Float32Array([0, 0, 0, 0.25, 0, -0, 0]);
    results.push(await runCase(gpu, { kind: 'relu-subnormal' }, new Float32Array([...relu, ...subnormal, ...zeros]), offsetsFor([1000, 301, 7])));
    return results;
  },
};
