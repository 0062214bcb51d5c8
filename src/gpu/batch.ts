import { assertAlive, type GpuContext } from './context';
import { bindingSize, uploadBuffer } from './buffers';
import { GpuLimitError, GpuOutOfMemoryError } from './errors';
import { checkWorkgroups, roundUp } from './limits';
import { GpuTimer, type KernelTiming } from './timer';

// 64 KiB of uniforms per arena chunk: 256 dispatches at the usual 256-byte offset alignment.
const UNIFORM_CHUNK = 65536;

/** A pending readback, filled in by `GpuBatch.submit()`. */
export interface Readback {
  /** The bytes, available once submit() resolves. */
  data: ArrayBuffer | null;
}

/**
 * One command encoder's worth of GPU work: kernels `encode` their dispatches into it, scratch and
 * uniform buffers live until `submit()` completes, and readbacks are copied in the same submission,
 * so a whole experiment run costs one submit and one map. A batch is used once: `submit()` frees its
 * buffers whether it succeeds or throws; a batch that is never submitted (an error while encoding) must
 * be `dispose()`d — `try { …; await batch.submit(); } finally { batch.dispose(); }`.
 */
export class GpuBatch {
  readonly device: GPUDevice;
  readonly timer: GpuTimer | null;
  private readonly owned: GPUBuffer[] = [];
  private readonly pooled: GPUBuffer[] = [];
  private readonly readbacks: { staging: GPUBuffer; targets: { target: Readback; start: number; bytes: number }[] }[] = [];
  private readonly arena: { buffer: GPUBuffer; mapped: Uint8Array; used: number }[] = [];
  /** Labels of the open debug groups, outermost first: they prefix timed passes' paths (KernelTiming.path). */
  private readonly groups: string[] = [];
  /** Bytes of the buffers this batch created or borrowed, for an out-of-memory message. */
  private bytes = 0;
  private disposed = false;
  /** Between submit() and its completion: dispose() then leaves the freeing to submit(). */
  private submitting = false;
  timings: KernelTiming[] = [];
  private readonly commands: GPUCommandEncoder;
  /** The compute pass untimed dispatches go into, while no encoder-level command has ended it. */
  private pass: GPUComputePassEncoder | null = null;

  /**
   * The batch's command encoder, for encoder-level commands (copies, debug groups): an open shared
   * compute pass is ended first, so what is encoded next comes after every dispatch so far.
   */
  get encoder(): GPUCommandEncoder {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    return this.commands;
  }

  constructor(
    readonly gpu: GpuContext,
    readonly label: string,
    options: { timing?: boolean } = {},
  ) {
    assertAlive(gpu);
    this.device = gpu.device;
    this.commands = gpu.device.createCommandEncoder({ label: `${label}.encoder` });
    this.timer = options.timing && gpu.hasTimestamps ? new GpuTimer(gpu.device, true) : null;
  }

  /**
   * A uniform binding holding `data`: a slot of a shared arena buffer written while mapped, so a deep
   * net's thousands of dispatches cost a handful of buffer creations instead of one each. `data` is
   * usually a uniform writer's bytes (uniforms.ts).
   */
  uniform(label: string, bytes: ArrayBufferView | ArrayBuffer): GPUBufferBinding {
    const data = ArrayBuffer.isView(bytes) ? bytes : new Uint8Array(bytes);
    const align = this.device.limits.minUniformBufferOffsetAlignment;
    const size = roundUp(Math.max(data.byteLength, 16), 16);
    let chunk = this.arena[this.arena.length - 1];
    if (!chunk || chunk.used + size > chunk.buffer.size) {
      const buffer = this.device.createBuffer({
        label: `${this.label}.uniforms[${this.arena.length}]`,
        size: Math.max(UNIFORM_CHUNK, roundUp(size, align)),
        usage: GPUBufferUsage.UNIFORM,
        mappedAtCreation: true,
      });
      chunk = { buffer, mapped: new Uint8Array(buffer.getMappedRange()), used: 0 };
      this.arena.push(chunk);
      this.owned.push(buffer);
    }
    const offset = chunk.used;
    chunk.mapped.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    chunk.used = roundUp(offset + size, align);
    void label; // slots share their chunk's label; the dispatch's pass carries the kernel label
    return { buffer: chunk.buffer, offset, size };
  }

  /** A storage buffer holding `data`, freed after submit. */
  upload(label: string, data: ArrayBufferView): GPUBuffer {
    const buf = uploadBuffer(this.device, label, data);
    this.bytes += data.byteLength;
    this.owned.push(buf);
    return buf;
  }

  /** A pooled scratch storage buffer of at least `bytes`, returned to the pool after submit. */
  scratch(label: string, bytes: number): GPUBuffer {
    const buf = this.gpu.pool.acquire(label, bytes);
    this.bytes += bytes;
    this.pooled.push(buf);
    return buf;
  }

  /** 'deepNet.forward › forward.layer[2] › ': the open debug groups, as they prefix a timed pass's path. */
  get groupPath(): string {
    return this.groups.map((g) => `${g} › `).join('');
  }

  /**
   * Encodes one dispatch. With timing on, in its own compute pass labelled `label` (kernel and shape),
   * timed; its timing's path (and DevTools track entry tooltip) is the open debug groups and the label
   * ('… › forward.layer[2] › matmul[…]'). With timing off, consecutive dispatches share one compute pass
   * (WebGPU orders the dispatches of a pass as it orders passes: each sees the writes of those before it),
   * which spares the browser's GPU process a pass's begin and end per dispatch; the next encoder-level
   * command (a copy, a debug group, a readback, submit) ends it. Pipelines and bind groups keep their labels.
   */
  dispatch(label: string, pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, workgroups: [number, number?, number?]): void {
    const counts = workgroups.map((w) => w ?? 1);
    checkWorkgroups(this.device.limits, counts, label);
    if (counts.some((c) => c === 0)) return;
    if (!this.timer) {
      this.pass ??= this.commands.beginComputePass({ label: `${this.label}.pass` });
      this.pass.setPipeline(pipeline);
      this.pass.setBindGroup(0, bindGroup);
      this.pass.dispatchWorkgroups(counts[0], counts[1], counts[2]);
      return;
    }
    const pass = this.encoder.beginComputePass({ label, timestampWrites: this.timer?.passWrites(label, this.groupPath + label) });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(counts[0], counts[1], counts[2]);
    pass.end();
  }

  /** A bind group for `layout` with buffers (or buffer slices) bound in binding order 0, 1, 2, … */
  bindGroup(label: string, layout: GPUBindGroupLayout, buffers: (GPUBuffer | GPUBufferBinding)[]): GPUBindGroup {
    return this.device.createBindGroup({
      label,
      layout,
      // A pooled buffer is bound for the bytes it was acquired for, not its whole power-of-two class.
      entries: buffers.map((b, binding) => ({ binding, resource: 'buffer' in b ? b : { buffer: b, size: bindingSize(b) } })),
    });
  }

  pushDebugGroup(label: string): void {
    this.groups.push(label);
    this.encoder.pushDebugGroup(label);
  }

  popDebugGroup(): void {
    if (this.groups.length === 0) throw new Error('GpuBatch: popDebugGroup without a matching push');
    this.groups.pop();
    this.encoder.popDebugGroup();
  }

  /** Runs `fn` inside a debug group, keeping groups balanced even if it throws. */
  group<T>(label: string, fn: () => T): T {
    this.pushDebugGroup(label);
    try {
      return fn();
    } finally {
      this.popDebugGroup();
    }
  }

  /** Schedules a copy of `bytes` of `src` (from byte `offset`) to the CPU; read `.data` after submit(). */
  read(src: GPUBuffer, bytes: number, offset = 0): Readback {
    return this.readAll([{ src, bytes, offset }])[0];
  }

  /**
   * Copies several buffer ranges into ONE staging buffer, mapped once after submit: a whole experiment's
   * statistics come back in a single readback.
   */
  readAll(parts: readonly { src: GPUBuffer; bytes: number; offset?: number }[]): Readback[] {
    const starts: number[] = [];
    let size = 0;
    for (const p of parts) {
      starts.push(size);
      size += Math.max(4, roundUp(p.bytes, 4));
    }
    if (size > this.device.limits.maxBufferSize) {
      throw new GpuLimitError(`${this.label} readback`, 'maxBufferSize', this.device.limits.maxBufferSize, size);
    }
    const staging = this.device.createBuffer({
      label: `${parts.map((p) => p.src.label).join('+')}.readback`,
      size,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const targets = parts.map((p, i) => {
      this.encoder.copyBufferToBuffer(p.src, p.offset ?? 0, staging, starts[i], Math.max(4, roundUp(p.bytes, 4)));
      return { target: { data: null } as Readback, start: starts[i], bytes: p.bytes };
    });
    this.readbacks.push({ staging, targets });
    return targets.map((t) => t.target);
  }

  /**
   * Submits everything and resolves once the GPU has finished this submission: after mapping the
   * readbacks and reading the timings, or, with neither, after `queue.onSubmittedWorkDone()`. Then fills
   * readbacks and timings. Frees the batch's buffers (see dispose) whether it succeeds or throws.
   */
  async submit(): Promise<void> {
    if (this.disposed || this.submitting) throw new Error(`GpuBatch ${this.label}: already submitted or disposed (a batch is used once)`);
    this.submitting = true;
    try {
      if (this.groups.length !== 0) throw new Error(`GpuBatch ${this.label}: ${this.groups.length} debug group(s) left open`);
      for (const chunk of this.arena) chunk.buffer.unmap();
      this.arena.length = 0;
      const timerRead = this.timer?.encodeResolve(this.encoder) ?? null;
      const t0 = typeof performance !== 'undefined' ? performance.now() : 0;
      this.device.pushErrorScope('validation');
      this.device.pushErrorScope('out-of-memory');
      this.device.queue.submit([this.encoder.finish()]);
      // Pop both scopes now, before any await, so they capture this submission's errors and nothing else.
      const [oom, validation] = await Promise.all([this.device.popErrorScope(), this.device.popErrorScope()]);
      const failure = oom ?? validation;
      if (oom) throw new GpuOutOfMemoryError(this.label, this.bytes, this.device.limits.maxBufferSize, oom.message);
      if (failure) throw new Error(`${this.label}: GPU validation error: ${failure.message}`);
      await Promise.all(
        this.readbacks.map(async ({ staging, targets }) => {
          await staging.mapAsync(GPUMapMode.READ);
          const mapped = staging.getMappedRange();
          for (const t of targets) t.target.data = mapped.slice(t.start, t.start + t.bytes);
          staging.unmap();
        }),
      );
      // Mapping a readback already waited for the whole submission; without one, wait explicitly.
      if (this.readbacks.length === 0 && !timerRead) await this.device.queue.onSubmittedWorkDone();
      assertAlive(this.gpu);
      if (this.timer) this.timings = await this.timer.read(timerRead, t0);
    } finally {
      this.submitting = false;
      this.free();
    }
  }

  /**
   * Frees everything the batch holds without submitting: destroys its uploads, uniform chunks, readback
   * staging and timer queries, and returns its scratch buffers to the pool. Safe to call more than once,
   * after submit() (which frees the same way) and while a submit() is still waiting for the GPU (a
   * cancelled caller's `finally`): that submit() then frees everything once the GPU is done with it. Use it
   * in a `finally` around encoding so an error thrown while encoding leaks nothing.
   */
  dispose(): void {
    if (!this.submitting) this.free();
  }

  private free(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.arena.length = 0;
    this.timer?.dispose();
    for (const { staging } of this.readbacks) staging.destroy();
    for (const b of this.owned) b.destroy();
    for (const b of this.pooled) this.gpu.pool.release(b);
    this.readbacks.length = 0;
    this.owned.length = 0;
    this.pooled.length = 0;
  }
}

/** The f32 view of a finished readback. */
export function f32(readback: Readback): Float32Array {
  if (!readback.data) throw new Error('readback used before GpuBatch.submit() finished');
  return new Float32Array(readback.data);
}

/** The u32 view of a finished readback. */
export function u32(readback: Readback): Uint32Array {
  if (!readback.data) throw new Error('readback used before GpuBatch.submit() finished');
  return new Uint32Array(readback.data);
}
