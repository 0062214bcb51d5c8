import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

describe('WebGPU runtime in Chromium', () => {
  it('requests a device with the adapter limits raised and reports the adapter', async () => {
    const s = await h.page.evaluate(() => ({ summary: window.gp.gpu!.summary, secure: isSecureContext }));
    expect(s.secure).toBe(true);
    expect(s.summary.vendor.length).toBeGreaterThan(0);
    expect(s.summary.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(134_217_728);
  });

  it('an oversize buffer names the limit and the size instead of a validation error', async () => {
    const r = await h.page.evaluate(() => {
      const { gpu } = window.gp;
      const limit = gpu!.limits.maxStorageBufferBindingSize;
      try {
        gpu!.pool.acquire('test.huge', limit + 4);
        return { name: 'none', message: '' };
      } catch (e) {
        return { name: (e as Error).name, message: (e as Error).message, limit };
      }
    });
    expect(r.name).toBe('GpuLimitError');
    expect(r.message).toMatch(/test\.huge needs [\d,]+ bytes, but this device's (maxStorageBufferBindingSize|maxBufferSize) is/);
  });

  it('a WGSL compile error comes back typed, with file:line:col', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      try {
        await lib.createShaderModule(gpu!, 'shaders/broken.wgsl', '@compute @workgroup_size(1)\nfn main() {\n  let x = 1.0 +;\n}\n');
        return { name: 'none', message: '', line: 0 };
      } catch (e) {
        const err = e as InstanceType<typeof lib.ShaderCompileError>;
        return { name: err.name, message: err.message, line: err.messages?.[0]?.line };
      }
    });
    expect(r.name).toBe('ShaderCompileError');
    expect(r.line).toBe(3);
    expect(r.message).toMatch(/shaders\/broken\.wgsl:3:\d+ error: /);
  });

  it('a bad override constant is a PipelineError, not an uncaptured error', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      try {
        // 100000 invocations per workgroup exceeds every device's limit.
        await lib.createElementwiseKernel(gpu!, { workgroup: 100_000 });
        return 'none';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    });
    expect(r).toMatch(/^PipelineError: Could not create pipeline elementwise\.\w+\.pipeline\{.*WORKGROUP=100000/);
  });

  it('uncaptured GPU errors surface as gpu-error events', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      let message = '';
      gpu!.events.addEventListener('gpu-error', (e) => (message = (e as CustomEvent<{ message: string }>).detail.message), { once: true });
      // Failing pipeline builds still in flight (Promise.all rejects at the first of four) must not
      // swallow the error below: the runtime holds no error scope across an await.
      await window.gp.lib.createElementwiseKernel(gpu!, { workgroup: 100_001 }).catch(() => null);
      // MAP_READ with STORAGE is invalid usage: a validation error outside any error scope.
      gpu!.device.createBuffer({ label: 'test.invalid', size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
      // Chromium delivers uncaptured errors when the device ticks: keep it ticking (up to ~10 s).
      for (let i = 0; i < 100 && !message; i++) {
        gpu!.device.queue.submit([]);
        await gpu!.device.queue.onSubmittedWorkDone();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return message || 'timeout';
    });
    expect(r).not.toBe('timeout');
    expect(r).toMatch(/usage/i);
  });

  it('our own destroy() is not reported as a device loss; a real loss is', async () => {
    const r = await h.page.evaluate(async () => {
      const { lib } = window.gp;
      const ctx = await lib.requestGpu();
      let events = 0;
      ctx.events.addEventListener('device-lost', () => events++);
      ctx.destroy();
      await ctx.device.lost;
      await new Promise((r) => setTimeout(r, 50));
      return { events, lost: ctx.lost };
    });
    expect(r).toEqual({ events: 0, lost: null });
  });

  it('readAll brings several ranges back through one staging buffer', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const batch = new lib.GpuBatch(gpu!, 'test.readAll');
      const a = batch.upload('test.a', new Float32Array([1, 2, 3, 4, 5]));
      const b = batch.upload('test.b', new Float32Array([6, 7]));
      const [ra, rb] = batch.readAll([
        { src: a, bytes: 12, offset: 8 },
        { src: b, bytes: 8 },
      ]);
      await batch.submit();
      return [Array.from(lib.f32(ra)), Array.from(lib.f32(rb))];
    });
    expect(r).toEqual([
      [3, 4, 5],
      [6, 7],
    ]);
  });

  it('the pool reuses released buffers; batches time passes and keep debug groups balanced', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const a = gpu!.pool.acquire('test.a', 1000);
      gpu!.pool.release(a);
      const b = gpu!.pool.acquire('test.b', 900);
      const reused = a === b && b.label === 'test.b';
      gpu!.pool.release(b);

      const kernel = await lib.createElementwiseKernel(gpu!, { activation: 'relu' });
      const batch = new lib.GpuBatch(gpu!, 'test.batch', { timing: true });
      const x = batch.upload('test.x', new Float32Array([-1, 2, -3, 4]));
      const out = batch.scratch('test.out', 16);
      batch.group('layer[1]', () => kernel.encodeForward(batch, { x, out, count: 4 }));
      const rb = batch.read(out, 16);
      await batch.submit();
      let unbalanced = '';
      const bad = new lib.GpuBatch(gpu!, 'test.unbalanced');
      bad.pushDebugGroup('open');
      try {
        await bad.submit();
      } catch (e) {
        unbalanced = (e as Error).message;
      }
      const measures = performance
        .getEntriesByType('measure')
        .filter((m) => m.name === 'layer[1] › elementwise.forward[relu].vec4')
        .map((m) => ({ track: (m as PerformanceMeasure).detail?.devtools?.track, duration: m.duration }));
      return { reused, values: Array.from(lib.f32(rb)), timings: batch.timings, hasTimestamps: gpu!.hasTimestamps, unbalanced, measures };
    });
    expect(r.reused).toBe(true);
    expect(r.values).toEqual([0, 2, 0, 4]);
    if (r.hasTimestamps) {
      // Four floats are one vec4: the vec4 entry point runs, and its label says so.
      expect(r.timings.map((t) => t.label)).toEqual(['elementwise.forward[relu].vec4']);
      expect(r.timings[0].ms).toBeGreaterThanOrEqual(0);
      // Mirrored to the DevTools Performance panel as an entry of the "GPU kernels" track.
      expect(r.measures).toHaveLength(1);
      expect(r.measures[0].track).toBe('GPU kernels');
    } else {
      expect(r.timings).toEqual([]);
    }
    expect(r.unbalanced).toMatch(/1 debug group\(s\) left open/);
  });
});
