import { checkStorageSize, roundUp, type SizeLimits } from './limits';

// Spec values of GPUBufferUsage.STORAGE | COPY_SRC | COPY_DST, spelled out so this module loads in Node
// (tests import it) where the GPUBufferUsage global does not exist.
export const STORAGE_USAGE = 0x0080 | 0x0004 | 0x0008;

/**
 * Reuses storage buffers by (usage, size class). Size classes are powers of two from 256 bytes, so a
 * sweep that allocates similar sizes row after row hits the pool instead of the allocator.
 */
export class BufferPool {
  private free = new Map<string, GPUBuffer[]>();
  private live = new Set<GPUBuffer>();

  constructor(private readonly device: GPUDevice) {}

  /** A buffer of at least `bytes` with the given usage, labelled `label`. */
  acquire(label: string, bytes: number, usage: number = STORAGE_USAGE): GPUBuffer {
    checkStorageSize(this.device.limits as SizeLimits, bytes, label);
    const size = sizeClass(bytes, this.device.limits.maxBufferSize);
    const key = `${usage}:${size}`;
    const buffer = this.free.get(key)?.pop() ?? this.device.createBuffer({ label, size, usage });
    buffer.label = label;
    this.live.add(buffer);
    return buffer;
  }

  /** Returns a buffer to the pool for reuse. */
  release(buffer: GPUBuffer): void {
    if (!this.live.delete(buffer)) return;
    const key = `${buffer.usage}:${buffer.size}`;
    const list = this.free.get(key) ?? [];
    list.push(buffer);
    this.free.set(key, list);
  }

  /** Destroys every pooled buffer that is not in use. */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
  }

  /** Destroys everything, in use or not. */
  clear(): void {
    this.trim();
    for (const b of this.live) b.destroy();
    this.live.clear();
  }

  /** Number of buffers waiting for reuse (for tests). */
  get idleCount(): number {
    let n = 0;
    for (const list of this.free.values()) n += list.length;
    return n;
  }
}

/** The pool's size class for a request: next power of two ≥ bytes (min 256), or the exact size past maxBufferSize/2. */
export function sizeClass(bytes: number, maxBufferSize: number): number {
  let size = 256;
  while (size < bytes) size *= 2;
  return size <= maxBufferSize ? size : roundUp(bytes, 4);
}

/** Creates a storage buffer holding `data` (checked against the device limits first). */
export function uploadBuffer(device: GPUDevice, label: string, data: ArrayBufferView, usage: number = STORAGE_USAGE): GPUBuffer {
  checkStorageSize(device.limits as SizeLimits, data.byteLength, label);
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, roundUp(data.byteLength, 16)),
    usage,
    mappedAtCreation: true,
  });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
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
  const enc = device.createCommandEncoder({ label: `${src.label}.readback.encoder` });
  enc.copyBufferToBuffer(src, offset, staging, 0, size);
  device.queue.submit([enc.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const out = staging.getMappedRange().slice(0, bytes);
  staging.destroy();
  return out;
}
