// GPU memory and cache bookkeeping against a fake device (plain objects recording what was created,
// bound and destroyed): the buffer pool's trimming and size classes, exact binding sizes, GpuBatch.dispose
// on an error while encoding, submit() waiting for the GPU, and the LRU eviction of edited shaders.
// tests/browser/shader-cache.test.ts checks the cache keys and the pool's bindings on real WebGPU.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { BufferPool, POOL_IDLE_MS, STORAGE_USAGE, bindingSize, poolSizeCap, sizeClass, uploadBuffer } from '../../src/gpu/buffers';
import { GpuBatch } from '../../src/gpu/batch';
import type { GpuContext } from '../../src/gpu/context';
import { GpuLimitError } from '../../src/gpu/errors';
import { EDITED_CACHE_LIMIT, getPipeline, isBuiltinShader, shaderCacheStats } from '../../src/gpu/shader';
import { fnv1a32, padToCollide } from '../helpers/fnv-collision';

interface FakeBuffer {
  label: string;
  size: number;
  usage: number;
  destroyed: boolean;
  destroy(): void;
  getMappedRange(): ArrayBuffer;
  unmap(): void;
}

const LIMITS = {
  maxStorageBufferBindingSize: 134_217_728,
  maxBufferSize: 268_435_456,
  maxComputeWorkgroupsPerDimension: 65_535,
  minUniformBufferOffsetAlignment: 256,
};

/** A fake device: enough of GPUDevice for the pool, GpuBatch (without readbacks) and getPipeline. */
function fakeDevice(limits: Partial<typeof LIMITS> = {}) {
  const buffers: FakeBuffer[] = [];
  const bindGroups: GPUBindGroupDescriptor[] = [];
  const modules: string[] = [];
  let workDone: () => void = () => {};
  const device = {
    limits: { ...LIMITS, ...limits },
    createBuffer(d: { label?: string; size: number; usage: number }): FakeBuffer {
      const b: FakeBuffer = {
        label: d.label ?? '',
        size: d.size,
        usage: d.usage,
        destroyed: false,
        destroy() {
          b.destroyed = true;
        },
        getMappedRange: () => new ArrayBuffer(d.size),
        unmap() {},
      };
      buffers.push(b);
      return b;
    },
    createBindGroup(d: GPUBindGroupDescriptor) {
      bindGroups.push(d);
      return { label: d.label };
    },
    createCommandEncoder: () => ({
      beginComputePass: () => ({ setPipeline() {}, setBindGroup() {}, dispatchWorkgroups() {}, end() {} }),
      pushDebugGroup() {},
      popDebugGroup() {},
      finish: () => ({}),
    }),
    pushErrorScope() {},
    popErrorScope: async () => null,
    queue: {
      submit() {},
      // Resolves when the test says the GPU is done.
      onSubmittedWorkDone: () => new Promise<void>((resolve) => (workDone = resolve)),
    },
    createShaderModule(d: { code: string }) {
      modules.push(d.code);
      return { getCompilationInfo: async () => ({ messages: [] }) };
    },
    createComputePipelineAsync: async (d: { label: string }) => ({ label: d.label }),
  };
  return { device: device as unknown as GPUDevice, buffers, bindGroups, modules, finishWork: () => workDone() };
}

function fakeGpu(device: GPUDevice, pool = new BufferPool(device)): GpuContext {
  return { device, limits: device.limits, pool, pipelines: new Map(), lost: null } as unknown as GpuContext;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BufferPool: memory is given back', () => {
  it('destroys free buffers once they have been unused for idleMs, and never buffers in use', () => {
    vi.useFakeTimers();
    let now = 0;
    const { device, buffers } = fakeDevice();
    const pool = new BufferPool(device, { now: () => now });
    const kept = pool.acquire('kept', 1000);
    const freed = pool.acquire('freed', 5000);
    pool.release(freed);
    expect(pool.idleCount).toBe(1);
    expect(pool.liveCount).toBe(1);

    now = POOL_IDLE_MS - 1;
    vi.advanceTimersByTime(POOL_IDLE_MS - 1);
    expect(buffers.filter((b) => b.destroyed)).toEqual([]);

    now = POOL_IDLE_MS;
    vi.advanceTimersByTime(1);
    expect((freed as unknown as FakeBuffer).destroyed).toBe(true);
    expect((kept as unknown as FakeBuffer).destroyed).toBe(false);
    expect(pool.idleCount).toBe(0);
    expect(pool.idleBytes).toBe(0);
    expect(vi.getTimerCount()).toBe(0); // nothing left to trim: the timer is not re-armed
  });

  it('a buffer reused before it idles out survives; trim() frees every free buffer at once', () => {
    vi.useFakeTimers();
    let now = 0;
    const { device } = fakeDevice();
    const pool = new BufferPool(device, { now: () => now });
    const a = pool.acquire('a', 1000);
    pool.release(a);
    now = POOL_IDLE_MS / 2;
    vi.advanceTimersByTime(POOL_IDLE_MS / 2);
    const again = pool.acquire('again', 900);
    expect(again).toBe(a); // same size class, reused
    pool.release(again); // released at POOL_IDLE_MS / 2: idle only from here
    now = POOL_IDLE_MS;
    vi.advanceTimersByTime(POOL_IDLE_MS / 2);
    expect((a as unknown as FakeBuffer).destroyed).toBe(false);
    expect(pool.idleCount).toBe(1);

    const b = pool.acquire('b', 100_000);
    pool.release(b);
    expect(pool.trim()).toBe(2);
    expect(pool.idleCount).toBe(0);
    expect((a as unknown as FakeBuffer).destroyed && (b as unknown as FakeBuffer).destroyed).toBe(true);
  });

  it('size classes never pass a limit that is not a power of two; the allocated size is what is checked', () => {
    // 100,000,000-byte storage bindings: the power-of-two class of 70 MB (134,217,728) would exceed it.
    const { device } = fakeDevice({ maxStorageBufferBindingSize: 100_000_000, maxBufferSize: 150_000_002 });
    const pool = new BufferPool(device);
    const big = pool.acquire('big', 70_000_000);
    expect(big.size).toBeGreaterThanOrEqual(70_000_000);
    expect(big.size).toBeLessThanOrEqual(100_000_000);
    expect(bindingSize(big)).toBe(70_000_000);
    // Small requests keep their power-of-two classes.
    expect(pool.acquire('small', 1000).size).toBe(1024);
    // The cap: the smaller of the two limits for storage, maxBufferSize (rounded down to 4) otherwise.
    expect(poolSizeCap(device.limits, STORAGE_USAGE)).toBe(100_000_000);
    expect(poolSizeCap(device.limits, 0x0001 | 0x0008)).toBe(150_000_000);
    expect(sizeClass(70_000_000, 100_000_000)).toBe(70_000_000);
    // Past the limit itself: the request is refused, naming the limit.
    expect(() => pool.acquire('huge', 100_000_004)).toThrow(GpuLimitError);
    expect(() => pool.acquire('huge', 100_000_004)).toThrow(/maxStorageBufferBindingSize/);
  });

  it('uploads stay within a storage limit that is not a multiple of 16', () => {
    const { device } = fakeDevice({ maxStorageBufferBindingSize: 1000 });
    const up = uploadBuffer(device, 'up', new Float32Array(249)); // 996 bytes: 16-aligned would be 1008
    expect(up.size).toBe(996);
    expect(uploadBuffer(device, 'small', new Float32Array(5)).size).toBe(32);
    expect(() => uploadBuffer(device, 'big', new Float32Array(251))).toThrow(/maxStorageBufferBindingSize/);
  });

  it('clear() destroys buffers in use too and stops the idle timer', () => {
    vi.useFakeTimers();
    const { device, buffers } = fakeDevice();
    const pool = new BufferPool(device);
    pool.acquire('live', 10);
    pool.release(pool.acquire('free', 5000));
    expect(vi.getTimerCount()).toBe(1);
    pool.clear();
    expect(buffers.every((b) => b.destroyed)).toBe(true);
    expect(pool.liveCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('GpuBatch: bindings, dispose, submit', () => {
  it('binds a pooled buffer for the bytes requested (rounded to 16), not its whole size class', () => {
    const { device, bindGroups } = fakeDevice();
    const gpu = fakeGpu(device);
    const batch = new GpuBatch(gpu, 'test');
    const scratch = batch.scratch('test.scratch', 1000); // size class 1024
    const uploaded = batch.upload('test.upload', new Float32Array(5)); // 20 bytes → a 32-byte buffer
    const foreign = device.createBuffer({ label: 'foreign', size: 64, usage: STORAGE_USAGE });
    batch.bindGroup('test.bind', {} as GPUBindGroupLayout, [scratch, uploaded, foreign, { buffer: foreign, offset: 16, size: 32 }]);
    const entries = [...bindGroups[0].entries] as { resource: GPUBufferBinding }[];
    expect(scratch.size).toBe(1024);
    expect(entries.map((e) => e.resource.size)).toEqual([1008, 32, 64, 32]);
    expect(entries[3].resource.offset).toBe(16);
    batch.dispose();
  });

  it('dispose() after an error thrown while encoding frees every buffer: the pool has none live', () => {
    const { device, buffers } = fakeDevice();
    const gpu = fakeGpu(device);
    const encodeAndFail = () => {
      const batch = new GpuBatch(gpu, 'test.fail');
      try {
        batch.scratch('test.a', 4096);
        batch.scratch('test.b', 100);
        batch.upload('test.x', new Float32Array(16));
        // A dispatch past maxComputeWorkgroupsPerDimension throws mid-encode.
        batch.dispatch('test.dispatch', {} as GPUComputePipeline, {} as GPUBindGroup, [LIMITS.maxComputeWorkgroupsPerDimension + 1]);
        return batch.submit();
      } finally {
        batch.dispose();
      }
    };
    expect(encodeAndFail).toThrow(GpuLimitError);
    expect(gpu.pool.liveCount).toBe(0);
    expect(gpu.pool.idleCount).toBe(2);
    const upload = buffers.find((b) => b.label === 'test.x')!;
    expect(upload.destroyed).toBe(true);
  });

  it('a batch is used once: submit() after dispose() says so', async () => {
    const { device } = fakeDevice();
    const batch = new GpuBatch(fakeGpu(device), 'test.once');
    batch.dispose();
    batch.dispose(); // idempotent
    await expect(batch.submit()).rejects.toThrow(/already submitted or disposed/);
  });

  it('submit() without readbacks or timings resolves only after queue.onSubmittedWorkDone()', async () => {
    const { device, finishWork } = fakeDevice();
    const gpu = fakeGpu(device);
    const batch = new GpuBatch(gpu, 'test.wait');
    batch.scratch('test.out', 64);
    let done = false;
    const submitted = batch.submit().then(() => (done = true));
    // Let every pending microtask and macrotask run: the GPU has not finished, so submit() must not have.
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(done).toBe(false);
    expect(gpu.pool.liveCount).toBe(1); // and its buffers are still held for the GPU
    batch.dispose(); // a cancelled caller's finally: leaves the freeing to submit()
    expect(gpu.pool.liveCount).toBe(1);
    finishWork();
    await submitted;
    expect(done).toBe(true);
    expect(gpu.pool.liveCount).toBe(0);
  });
});

describe('shader caches: full source text, LRU for edits', () => {
  const file = 'shaders/copy.wgsl';
  const builtin = readFileSync(file, 'utf8');
  const spec = (code: string) => ({ label: 'test.pipeline', file, code, layout: 'auto' as const, constants: { WORKGROUP: 64 } });

  it('knows the shipped shaders by their full text', () => {
    expect(isBuiltinShader(file, builtin)).toBe(true);
    expect(isBuiltinShader(file, `${builtin} `)).toBe(false);
    expect(isBuiltinShader('shaders/matmul.wgsl', builtin)).toBe(false);
  });

  it('two texts with equal 32-bit FNV-1a hashes get two pipelines and two modules', async () => {
    const edit = padToCollide(builtin.replace('dst[j] = src[j];', 'dst[j] = 0.5 * src[j];'), builtin);
    expect(edit).not.toBe(builtin);
    expect(fnv1a32(edit)).toBe(fnv1a32(builtin));
    const { device, modules } = fakeDevice();
    const gpu = fakeGpu(device);
    const [p1, p2] = [await getPipeline(gpu, spec(builtin)), await getPipeline(gpu, spec(edit))];
    expect(p2).not.toBe(p1);
    expect(modules).toEqual([builtin, edit]);
    expect(await getPipeline(gpu, spec(builtin))).toBe(p1);
    expect(await getPipeline(gpu, spec(edit))).toBe(p2);
  });

  it(`edit number ${EDITED_CACHE_LIMIT + 1} evicts the least recently used edit, never a built-in`, async () => {
    const { device, modules } = fakeDevice();
    const gpu = fakeGpu(device);
    const edit = (i: number) => `${builtin}\n// edit ${i}\n`;
    const builtinPipeline = await getPipeline(gpu, spec(builtin));
    const edits: GPUComputePipeline[] = [];
    for (let i = 0; i < EDITED_CACHE_LIMIT; i++) edits.push(await getPipeline(gpu, spec(edit(i))));
    expect(shaderCacheStats(gpu)).toEqual({
      modules: EDITED_CACHE_LIMIT + 1,
      editedModules: EDITED_CACHE_LIMIT,
      pipelines: EDITED_CACHE_LIMIT + 1,
      editedPipelines: EDITED_CACHE_LIMIT,
    });
    // Edit 0 is used again, so edit 1 is now the least recently used.
    expect(await getPipeline(gpu, spec(edit(0)))).toBe(edits[0]);
    await getPipeline(gpu, spec(edit(EDITED_CACHE_LIMIT)));
    expect(shaderCacheStats(gpu)).toEqual({
      modules: EDITED_CACHE_LIMIT + 1,
      editedModules: EDITED_CACHE_LIMIT,
      pipelines: EDITED_CACHE_LIMIT + 1,
      editedPipelines: EDITED_CACHE_LIMIT,
    });
    const keys = [...gpu.pipelines.keys()];
    expect(keys.some((k) => k.endsWith(`\n${edit(1)}`))).toBe(false);
    expect(keys.some((k) => k.endsWith(`\n${edit(0)}`))).toBe(true);
    expect(keys.some((k) => k.endsWith(`\n${builtin}`))).toBe(true);
    // The built-in is still the same pipeline; the evicted edit is compiled again when asked for.
    const compiled = modules.length;
    expect(await getPipeline(gpu, spec(builtin))).toBe(builtinPipeline);
    expect(modules.length).toBe(compiled);
    // (Its module may still be cached: modules have their own LRU order, touched only when a pipeline is built.)
    expect(await getPipeline(gpu, spec(edit(1)))).not.toBe(edits[1]);
    expect(shaderCacheStats(gpu).editedPipelines).toBe(EDITED_CACHE_LIMIT);
    expect(shaderCacheStats(gpu).editedModules).toBeLessThanOrEqual(EDITED_CACHE_LIMIT);
  });

  it('keys spell out the file, entry point and constants before the full code', async () => {
    const { device } = fakeDevice();
    const gpu = fakeGpu(device);
    await getPipeline(gpu, spec(builtin));
    expect([...gpu.pipelines.keys()]).toEqual([`${file}#main{WORKGROUP=64}\n${builtin}`]);
    expect(() => getPipeline(gpu, { ...spec(builtin), file: 'a\nb' })).toThrow(/line break/);
  });
});
