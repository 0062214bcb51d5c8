/**
 * GPU timing with timestamp queries: one timed compute pass per kernel dispatch. A no-op without the
 * `timestamp-query` feature. Results are mirrored to `performance.measure` on a "GPU kernels" track of
 * the DevTools Performance panel. Timestamps are quantized (100 µs by default in Chrome unless
 * `--enable-webgpu-developer-features`) and implementation-defined; on a CPU adapter (SwiftShader)
 * they are CPU times, so compare kernels measured in the same run, not figures across machines.
 */
export interface KernelTiming {
  label: string;
  ms: number;
}

export class GpuTimer {
  readonly enabled: boolean;
  private querySet: GPUQuerySet | null = null;
  private resolveBuf: GPUBuffer | null = null;
  private labels: string[] = [];

  constructor(
    private readonly device: GPUDevice,
    hasTimestamps: boolean,
    readonly capacity = 4096,
  ) {
    this.enabled = hasTimestamps;
  }

  /** `timestampWrites` for the next pass, or undefined when timing is off or the set is full. */
  passWrites(label: string): GPUComputePassTimestampWrites | undefined {
    if (!this.enabled || this.labels.length >= this.capacity) return undefined;
    if (!this.querySet) {
      this.querySet = this.device.createQuerySet({ label: 'timer.queries', type: 'timestamp', count: this.capacity * 2 });
    }
    const i = this.labels.length;
    this.labels.push(label);
    return { querySet: this.querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 };
  }

  /** Adds the resolve of all written queries to `encoder` (call once, before finish()). */
  encodeResolve(encoder: GPUCommandEncoder): GPUBuffer | null {
    if (!this.querySet || this.labels.length === 0) return null;
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
    encoder.resolveQuerySet(this.querySet, 0, this.labels.length * 2, this.resolveBuf, 0);
    encoder.copyBufferToBuffer(this.resolveBuf, 0, read, 0, bytes);
    return read;
  }

  /** Reads the resolved timestamps (after submit) and mirrors them to the DevTools performance track. */
  async read(readBuf: GPUBuffer | null, cpuSubmitTime: number): Promise<KernelTiming[]> {
    if (!readBuf) return [];
    await readBuf.mapAsync(GPUMapMode.READ);
    const ticks = new BigUint64Array(readBuf.getMappedRange().slice(0));
    readBuf.destroy();
    this.resolveBuf?.destroy();
    this.querySet?.destroy();
    this.querySet = null;
    const t0 = ticks[0] ?? 0n;
    const out: KernelTiming[] = this.labels.map((label, i) => {
      const begin = ticks[2 * i];
      const end = ticks[2 * i + 1];
      const ms = end >= begin ? Number(end - begin) / 1e6 : 0;
      // GPU clocks are not the page's clock: we anchor the first pass at submit time.
      mirrorToDevtools(label, cpuSubmitTime + Number(begin - t0) / 1e6, ms);
      return { label, ms };
    });
    this.labels = [];
    return out;
  }
}

function mirrorToDevtools(label: string, start: number, ms: number): void {
  if (typeof performance === 'undefined' || typeof performance.measure !== 'function') return;
  try {
    performance.measure(label, {
      start,
      end: start + Math.max(ms, 0.001),
      detail: {
        devtools: {
          dataType: 'track-entry',
          track: 'GPU kernels',
          trackGroup: 'Gradient Playground',
          color: 'tertiary',
          tooltipText: `${label}: ${ms.toFixed(3)} ms GPU (timestamp query; quantized, implementation-defined)`,
        },
      },
    });
  } catch {
    // performance.measure rejects starts before timeOrigin; timing is best-effort.
  }
}

/** Sums timings by kernel name (the part of the label before the first `[` or `.`). */
export function sumByKernel(timings: readonly KernelTiming[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of timings) {
    const name = t.label.split(/[[.]/)[0];
    out.set(name, (out.get(name) ?? 0) + t.ms);
  }
  return out;
}
