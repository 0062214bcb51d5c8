/**
 * GPU timing with timestamp queries: one timed compute pass per kernel dispatch. A no-op without the
 * `timestamp-query` feature. Results are mirrored to `performance.measure` on a "GPU kernels" track of
 * the DevTools Performance panel. Timestamps are quantized (100 µs by default in Chrome unless
 * `--enable-webgpu-developer-features`) and implementation-defined; on a CPU adapter (SwiftShader)
 * they are CPU times, so compare kernels measured in the same run, not figures across machines.
 */
export interface KernelTiming {
  /** The pass label: kernel and shape, e.g. 'matmul[128×256·256×256ᵀ]' (what sumByKernel groups by). */
  label: string;
  /**
   * Where the pass ran: the batch's open debug groups, then the pass label, joined by ' › ' (e.g.
   * 'deepNet.forward › forward.layer[2] › matmul[4×8·8×8ᵀ]'); the label alone outside groups. Shown in the
   * pass's DevTools track entry (tooltip and 'debug groups' property). Set on timings read by GpuTimer.
   */
  path?: string;
  ms: number;
  /** When the pass began, in ms after the submission's first timestamp (GPU clock); spans of several passes. */
  startMs?: number;
}

// WebGPU caps a query set at 4096 queries: 2048 passes (begin + end) per set.
const PASSES_PER_SET = 2048;

export class GpuTimer {
  readonly enabled: boolean;
  private querySets: GPUQuerySet[] = [];
  private resolveBuf: GPUBuffer | null = null;
  private readBuf: GPUBuffer | null = null;
  private labels: string[] = [];
  private paths: string[] = [];

  constructor(
    private readonly device: GPUDevice,
    hasTimestamps: boolean,
    /** Passes timed per batch; later passes run untimed. */
    readonly capacity = 16 * PASSES_PER_SET,
  ) {
    this.enabled = hasTimestamps;
  }

  /**
   * `timestampWrites` for the next pass, or undefined when timing is off or the capacity is used up.
   * `path` names its track entry (default: the label).
   */
  passWrites(label: string, path = label): GPUComputePassTimestampWrites | undefined {
    if (!this.enabled || this.labels.length >= this.capacity) return undefined;
    const i = this.labels.length;
    const set = Math.floor(i / PASSES_PER_SET);
    if (set === this.querySets.length) {
      this.querySets.push(this.device.createQuerySet({ label: `timer.queries[${set}]`, type: 'timestamp', count: 2 * PASSES_PER_SET }));
    }
    this.labels.push(label);
    this.paths.push(path);
    const j = i % PASSES_PER_SET;
    return { querySet: this.querySets[set], beginningOfPassWriteIndex: 2 * j, endOfPassWriteIndex: 2 * j + 1 };
  }

  /** Adds the resolve of all written queries to `encoder` (call once, before finish()). */
  encodeResolve(encoder: GPUCommandEncoder): GPUBuffer | null {
    if (this.labels.length === 0) return null;
    const bytes = this.labels.length * 16;
    this.resolveBuf = this.device.createBuffer({
      label: 'timer.resolve',
      size: bytes,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    const read = this.device.createBuffer({
      label: 'timer.readback',
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.readBuf = read;
    this.querySets.forEach((set, k) => {
      const passes = Math.min(PASSES_PER_SET, this.labels.length - k * PASSES_PER_SET);
      encoder.resolveQuerySet(set, 0, 2 * passes, this.resolveBuf!, k * PASSES_PER_SET * 16);
    });
    encoder.copyBufferToBuffer(this.resolveBuf, 0, read, 0, bytes);
    return read;
  }

  /** Destroys the query sets and resolve buffers (after read(), or instead of it when a batch is abandoned). */
  dispose(): void {
    this.readBuf?.destroy();
    this.resolveBuf?.destroy();
    for (const set of this.querySets) set.destroy();
    this.querySets = [];
    this.readBuf = null;
    this.resolveBuf = null;
  }

  /** Reads the resolved timestamps (after submit) and mirrors them to the DevTools performance track. */
  async read(readBuf: GPUBuffer | null, cpuSubmitTime: number): Promise<KernelTiming[]> {
    if (!readBuf) return [];
    await readBuf.mapAsync(GPUMapMode.READ);
    const ticks = new BigUint64Array(readBuf.getMappedRange().slice(0));
    readBuf.destroy();
    this.resolveBuf?.destroy();
    for (const set of this.querySets) set.destroy();
    this.querySets = [];
    const t0 = ticks[0] ?? 0n;
    const out: KernelTiming[] = this.labels.map((label, i) => {
      const begin = ticks[2 * i];
      const end = ticks[2 * i + 1];
      const ms = end >= begin ? Number(end - begin) / 1e6 : 0;
      const startMs = begin >= t0 ? Number(begin - t0) / 1e6 : 0;
      // GPU clocks are not the page's clock: we anchor the first pass at CPU submit time.
      const path = this.paths[i] ?? label;
      mirrorToDevtools(label, path, cpuSubmitTime + startMs, ms);
      return { label, path, ms, startMs };
    });
    this.labels = [];
    this.paths = [];
    return out;
  }
}

function mirrorToDevtools(label: string, path: string, start: number, ms: number): void {
  markGpuTrack(label, start, ms, 'timestamp query', path);
}

/**
 * One entry on the DevTools Performance panel's "GPU kernels" track: `start` is the CPU time (page clock)
 * the entry is anchored at (submit time, plus the pass's offset on the GPU clock), `ms` its duration; the
 * duration and how it was measured are also shown as properties in the entry's details. The entry is
 * named by `path` ('forward.layer[2] › matmul[…]', see KernelTiming.path; the bare `label` — kernel and
 * shape — when there are no debug groups); the debug groups before the label are its 'debug groups' property.
 */
export function markGpuTrack(label: string, start: number, ms: number, source: 'timestamp query' | 'wall clock (submit to done)', path = label): void {
  const groups = path.endsWith(` › ${label}`) ? path.slice(0, -` › ${label}`.length) : '';
  if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
  try {
    // Named by the whole path, so the track itself shows the layer (and sweep rows) each pass ran for.
    performance.measure(path, {
      start,
      end: start + Math.max(ms, 0.001),
      detail: {
        devtools: {
          dataType: 'track-entry',
          track: 'GPU kernels',
          trackGroup: 'Gradient Playground',
          color: 'tertiary',
          properties: [
            ['GPU duration', `${ms.toFixed(3)} ms`],
            ['kernel', kernelName(label)],
            ...(groups ? [['debug groups', groups]] : []),
            ['measured by', source],
            ['anchored at', 'CPU submit time'],
          ],
          tooltipText: `${path}: ${ms.toFixed(3)} ms GPU (${source}; quantized, implementation-defined)`,
        },
      },
    });
  } catch {
    // performance.measure rejects starts before timeOrigin; timing is best-effort.
  }
}

/**
 * The kernel of a pass label or track-entry name: after the last ' › ' (debug groups), the part before
 * the first `[`, `.` or `{` — 'matmul' for 'forward.layer[2] › matmul[4×8·8×8ᵀ]' and for 'matmul[4×8·8×8ᵀ]'.
 */
export function kernelName(label: string): string {
  const i = label.lastIndexOf(' › ');
  return (i < 0 ? label : label.slice(i + 3)).split(/[[.{]/)[0];
}

/** Sums timings by kernel name (kernelName of the label: the part before the first `[` or `.`). */
export function sumByKernel(timings: readonly KernelTiming[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of timings) {
    const name = kernelName(t.label);
    out.set(name, (out.get(name) ?? 0) + t.ms);
  }
  return out;
}
