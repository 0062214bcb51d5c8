/**
 * Time: the edited kernel against the built-in one in the same run, on the same buffers, interleaved
 * (built-in, edited, built-in, …) so both see the same machine state; medians of each. Wall time is
 * submit-to-completion in the page; GPU time comes from timestamp queries when the device has them
 * (quantized, implementation-defined; on a software adapter such as SwiftShader both are CPU times).
 * Every submission runs under a watchdog (a kernel that never finishes is reported, not waited for), and
 * an AbortSignal stops it between submissions.
 */
import { msg, str } from '@lit/localize';
import type { GpuContext } from '../gpu/context';
import { GpuBatch } from '../gpu/batch';
import { uploadBuffer } from '../gpu/buffers';
import { createMatmulKernel } from '../kernels/matmul';
import { createMomentsKernel } from '../kernels/moments';
import { createNormsKernel, NORM_WORDS } from '../kernels/norms';
import { createElementwiseKernel } from '../kernels/elementwise';
import { makeNormal } from '../kernels/cpu/random';
import { type CatalogKernel, matmulOptionsFor } from './catalog';
import { type WatchdogTimeoutError, watchdogMs, withWatchdog } from '../gpu/watchdog';
import { encodeOrDispose } from './verify-case';

/** One side of the comparison. */
export interface TimingSide {
  /** Median wall time of one submission (ms). */
  wallMs: number;
  /** Median GPU time from timestamps (ms), or null without timestamp-query. */
  gpuMs: number | null;
  /** Every wall-time sample (ms), in run order. */
  samples: number[];
}

/** Time's answer. */
export interface TimingReport {
  kernel: string;
  /** The workload, e.g. `matmul 128×128 · 128×128, Bᵀ`. */
  workload: string;
  reps: number;
  builtIn: TimingSide;
  edited: TimingSide;
  /** edited / built-in, by GPU time when there is one, else by wall time (> 1: the edit is slower). */
  ratio: number;
  /** Which times the ratio compares. */
  basis: 'gpu' | 'wall';
  /** True when the adapter is a CPU / software one, so "GPU" times are CPU times. */
  software: boolean;
}

interface Workload {
  name: string;
  /** Multiply-adds or element operations of one submission: sets its time limit. */
  work: number;
  prepare(gpu: GpuContext, code: string): Promise<(batch: GpuBatch) => void>;
  buffers: GPUBuffer[];
}

function workloadFor(gpu: GpuContext, kernel: CatalogKernel): Workload {
  const buffers: GPUBuffer[] = [];
  const buf = (label: string, data: ArrayBufferView) => {
    const b = uploadBuffer(gpu.device, label, data);
    buffers.push(b);
    return b;
  };
  switch (kernel.family) {
    case 'matmul': {
      const s = 128;
      const a = buf('time.matmul.a', makeNormal(s * s, 1));
      const b = buf('time.matmul.b', makeNormal(s * s, 2));
      const c = buf('time.matmul.c', new Float32Array(s * s));
      return {
        name: `matmul ${s}×${s} · ${s}×${s}, Bᵀ (a Depth-lab layer of width ${s})`,
        work: s * s * s,
        buffers,
        async prepare(gpu, code) {
          const k = await createMatmulKernel(gpu, matmulOptionsFor(kernel, code));
          return (batch) => k.encode(batch, { a, b, c, m: s, n: s, k: s, transB: true });
        },
      };
    }
    case 'moments': {
      const [rows, cols] = [4096, 64];
      const x = buf('time.moments.x', makeNormal(rows * cols, 3));
      const out = buf('time.moments.out', new Float32Array(2 * cols));
      return {
        name: `moments of ${rows}×${cols}`,
        work: rows * cols,
        buffers,
        async prepare(gpu, code) {
          const k = await createMomentsKernel(gpu, { code });
          return (batch) => k.encodeColumns(batch, { x, rows, cols, out });
        },
      };
    }
    case 'norms': {
      const [segments, len] = [64, 4096];
      const x = buf('time.norms.x', makeNormal(segments * len, 4));
      const offsets = buf(
        'time.norms.offsets',
        Uint32Array.from({ length: segments + 1 }, (_, i) => i * len),
      );
      const out = buf('time.norms.out', new Uint32Array(segments * NORM_WORDS));
      return {
        name: `norms of ${segments} segments × ${len}`,
        work: segments * len,
        buffers,
        async prepare(gpu, code) {
          const k = await createNormsKernel(gpu, { code });
          return (batch) => k.encode(batch, { x, offsets, segments, out });
        },
      };
    }
    case 'elementwise': {
      const n = 1 << 18;
      const x = buf('time.elementwise.x', makeNormal(n, 5));
      const out = buf('time.elementwise.out', new Float32Array(n));
      return {
        name: `tanh forward on ${n.toLocaleString('en-US')} values`,
        work: n,
        buffers,
        async prepare(gpu, code) {
          const k = await createElementwiseKernel(gpu, { activation: 'tanh', code });
          return (batch) => k.encodeForward(batch, { x, out, count: n });
        },
      };
    }
    default:
      throw new Error(msg(str`Time has no workload for ${kernel.file}: it only knows the matmul, moments, norms and elementwise contracts.`));
  }
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|\bwarp\b/i;

/** Options of timeKernel. */
export interface TimeOptions {
  reps?: number;
  /** Stops between submissions (timeKernel then rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Base time limit of one submission in ms (default 10 s), scaled by its work (see watchdogMs). */
  timeLimitMs?: number;
  /** Called when a submission does not finish in time (then timeKernel rejects with that error). */
  onTimeout?: (err: WatchdogTimeoutError) => void;
}

/**
 * Times `code` against the built-in source of `kernel` (never an active override: the comparison is
 * always with what ships), `reps` submissions each, interleaved, after one warm-up of each.
 */
export async function timeKernel(gpu: GpuContext, kernel: CatalogKernel, code: string, options: TimeOptions = {}): Promise<TimingReport> {
  const reps = Math.max(1, Math.min(50, Math.floor(options.reps ?? 7)));
  options.signal?.throwIfAborted();
  const work = workloadFor(gpu, kernel);
  const limitMs = watchdogMs(work.work, options.timeLimitMs);
  try {
    const runs = { builtIn: await work.prepare(gpu, kernel.code), edited: await work.prepare(gpu, code) };
    const samples = { builtIn: [] as number[], edited: [] as number[] };
    const gpuSamples = { builtIn: [] as number[], edited: [] as number[] };
    const once = async (side: 'builtIn' | 'edited', record: boolean) => {
      const batch = new GpuBatch(gpu, `time.${kernel.id}.${side}`, { timing: true });
      encodeOrDispose(batch, () => runs[side](batch));
      const t0 = performance.now();
      const who = side === 'edited' ? `Your kernel (${kernel.file})` : `The built-in ${kernel.file}`;
      await withWatchdog(batch.submit(), limitMs, `${who} on ${work.name}`, options.onTimeout);
      const wall = performance.now() - t0;
      if (!record) return;
      samples[side].push(wall);
      if (gpu.hasTimestamps && batch.timings.length > 0) gpuSamples[side].push(batch.timings.reduce((s, t) => s + t.ms, 0));
    };
    await once('builtIn', false);
    options.signal?.throwIfAborted();
    await once('edited', false);
    for (let r = 0; r < reps; r++) {
      options.signal?.throwIfAborted();
      // Alternate which goes first, so neither always runs on a warmer cache.
      const order: ('builtIn' | 'edited')[] = r % 2 ? ['edited', 'builtIn'] : ['builtIn', 'edited'];
      for (const side of order) await once(side, true);
    }
    const side = (s: 'builtIn' | 'edited'): TimingSide => ({
      wallMs: median(samples[s]),
      gpuMs: gpuSamples[s].length === reps ? median(gpuSamples[s]) : null,
      samples: samples[s],
    });
    const builtIn = side('builtIn');
    const edited = side('edited');
    const basis = builtIn.gpuMs !== null && edited.gpuMs !== null && builtIn.gpuMs > 0 ? 'gpu' : 'wall';
    const ratio = basis === 'gpu' ? edited.gpuMs! / builtIn.gpuMs! : edited.wallMs / builtIn.wallMs;
    const s = gpu.summary;
    const software = Boolean(s.isFallbackAdapter) || SOFTWARE.test([s.vendor, s.architecture, s.device, s.description].join(' '));
    return { kernel: kernel.id, workload: work.name, reps, builtIn, edited, ratio, basis, software };
  } finally {
    for (const b of work.buffers) b.destroy();
  }
}
