import { checkStorageSize, roundUp, type SizeLimits } from './limits';

// Spec values of GPUBufferUsage.STORAGE | COPY_SRC | COPY_DST, spelled out so this module loads in Node
// (tests import it) where the GPUBufferUsage global does not exist.
export const STORAGE_USAGE = 0x0080 | 0x0004 | 0x0008;

// Spec value of GPUBufferUsage.STORAGE (see STORAGE_USAGE).
const STORAGE_BIT = 0x0080;

/** Free pooled buffers unused this long are destroyed (the pool's default `idleMs`). */
export const POOL_IDLE_MS = 5000;

// Bytes each pooled or uploaded buffer was asked for: bindings cover that much, not the size class.
const requestedBytes = new WeakMap<GPUBuffer, number>();

/**
 * The bytes a bind group should cover for `buffer`: what was asked of the pool (or uploaded) rounded up to
 * 16 (one vec4, so vec4 arrays see every element they were sized for) and never past the buffer; the
 * whole buffer for buffers made elsewhere. Kernels then cannot read a previous user's data in the padding
 * of a power-of-two size class, and a binding never exceeds what the limit checks approved.
 */
export function bindingSize(buffer: GPUBuffer): number {
  const bytes = requestedBytes.get(buffer);
  return bytes === undefined ? buffer.size : Math.min(buffer.size, Math.max(16, roundUp(bytes, 16)));
}

/** Options of a BufferPool (tests pass a clock and timers). */
export interface BufferPoolOptions {
  /** Free buffers unused for this many ms are destroyed (default POOL_IDLE_MS); 0 keeps them until trim(). */
  idleMs?: number;
  /** Clock in ms (default performance.now / Date.now). */
  now?: () => number;
}

/**
 * Reuses storage buffers by (usage, size class). Size classes are powers of two from 256 bytes, clamped
 * to the device's limits, so a sweep that allocates similar sizes row after row hits the pool instead of
 * the allocator. Memory is given back: free buffers unused for `idleMs` are destroyed by a timer started
 * on release, and `trim()` destroys every free one at once (the context calls it when the page is hidden).
 */
export class BufferPool {
  private free = new Map<string, { buffer: GPUBuffer; since: number }[]>();
  private live = new Set<GPUBuffer>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(
    private readonly device: GPUDevice,
    options: BufferPoolOptions = {},
  ) {
    this.idleMs = options.idleMs ?? POOL_IDLE_MS;
    this.now = options.now ?? (typeof performance !== 'undefined' ? () => performance.now() : () => Date.now());
  }

  /**
   * A buffer of at least `bytes` with the given usage, labelled `label`. Both the request and the size
   * actually allocated (its size class) are checked against the device limits.
   */
  acquire(label: string, bytes: number, usage: number = STORAGE_USAGE): GPUBuffer {
    const limits = this.device.limits as SizeLimits;
    checkStorageSize(limits, bytes, label);
    const size = sizeClass(bytes, poolSizeCap(limits, usage));
    checkStorageSize(limits, size, label);
    const key = `${usage}:${size}`;
    const buffer = this.free.get(key)?.pop()?.buffer ?? this.device.createBuffer({ label, size, usage });
    buffer.label = label;
    requestedBytes.set(buffer, bytes);
    this.live.add(buffer);
    return buffer;
  }

  /** Returns a buffer to the pool for reuse; it is destroyed if nobody takes it within `idleMs`. */
  release(buffer: GPUBuffer): void {
    if (!this.live.delete(buffer)) return;
    const key = `${buffer.usage}:${buffer.size}`;
    const list = this.free.get(key) ?? [];
    list.push({ buffer, since: this.now() });
    this.free.set(key, list);
    this.schedule();
  }

  /**
   * Destroys the free buffers unused for at least `olderThanMs` (default 0: every free one); buffers in
   * use are untouched. Returns how many were destroyed.
   */
  trim(olderThanMs = 0): number {
    const now = this.now();
    let destroyed = 0;
    for (const [key, list] of this.free) {
      const keep = list.filter((e) => now - e.since < olderThanMs);
      for (const e of list) {
        if (keep.includes(e)) continue;
        e.buffer.destroy();
        destroyed++;
      }
      if (keep.length === 0) this.free.delete(key);
      else this.free.set(key, keep);
    }
    if (this.free.size === 0) this.cancelTimer();
    return destroyed;
  }

  /** Destroys everything, in use or not, and stops the idle timer. */
  clear(): void {
    this.trim();
    for (const b of this.live) b.destroy();
    this.live.clear();
    this.cancelTimer();
  }

  /** Number of buffers waiting for reuse. */
  get idleCount(): number {
    let n = 0;
    for (const list of this.free.values()) n += list.length;
    return n;
  }

  /** Bytes held by buffers waiting for reuse. */
  get idleBytes(): number {
    let n = 0;
    for (const list of this.free.values()) for (const e of list) n += e.buffer.size;
    return n;
  }

  /** Number of buffers acquired and not yet released. */
  get liveCount(): number {
    return this.live.size;
  }

  // One timer at a time: it trims what has been idle for idleMs and re-arms while free buffers remain.
  private schedule(): void {
    if (this.timer !== null || this.idleMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.trim(this.idleMs);
      if (this.free.size > 0) this.schedule();
    }, this.idleMs);
    (this.timer as { unref?: () => void }).unref?.(); // Node: a pending trim must not keep the process alive
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * The largest size class the pool may allocate for `usage`: maxBufferSize, and for storage buffers also
 * maxStorageBufferBindingSize (rounded down to 4), so rounding up to a power of two never passes a limit
 * on devices whose limits are not powers of two.
 */
export function poolSizeCap(limits: Pick<SizeLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>, usage: number = STORAGE_USAGE): number {
  const cap = usage & STORAGE_BIT ? Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize) : limits.maxBufferSize;
  return Math.floor(cap / 4) * 4;
}

/** The pool's size class for a request: next power of two ≥ bytes (min 256), or the exact size (rounded up to 4) where that passes `cap`. */
export function sizeClass(bytes: number, cap: number): number {
  let size = 256;
  while (size < bytes) size *= 2;
  return size <= cap ? size : roundUp(bytes, 4);
}

/**
 * Creates a storage buffer holding `data`, 16-byte aligned where the limits allow; the request and the
 * size allocated are both checked against the device limits first.
 */
export function uploadBuffer(device: GPUDevice, label: string, data: ArrayBufferView, usage: number = STORAGE_USAGE): GPUBuffer {
  const limits = device.limits as SizeLimits;
  checkStorageSize(limits, data.byteLength, label);
  const aligned = Math.max(16, roundUp(data.byteLength, 16));
  const size = aligned <= poolSizeCap(limits, usage) ? aligned : Math.max(4, roundUp(data.byteLength, 4));
  checkStorageSize(limits, size, label);
  const buffer = device.createBuffer({
    label,
    size,
    usage,
    mappedAtCreation: true,
  });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  requestedBytes.set(buffer, data.byteLength);
  return buffer;
}

/** Copies `bytes` from `src` (at `offset`) back to the CPU. */
export async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
  const size = roundUp(bytes, 4);
  const staging = device.createBuffer({
    label: `${src.label}.readback`,
    size: Math.max(4, size),
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  try {
    const enc = device.createCommandEncoder({ label: `${src.label}.readback.encoder` });
    enc.copyBufferToBuffer(src, offset, staging, 0, size);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0, bytes);
  } finally {
    staging.destroy();
  }
}
