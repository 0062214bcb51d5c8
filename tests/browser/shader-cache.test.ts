// The pipeline cache against a hostile edit (issue 13, item 1): an edit of shaders/matmul-direct.wgsl that
// halves C, padded with a comment so its 32-bit FNV-1a hash (the cache's old key) equals the built-in's.
// Compiled in either order — through createMatmulKernel(gpu, { code }), and through the Shaders view's
// compile and Verify — each text must run as itself: the built-in within matmulErrorBound of the float64
// reference, the edit within the same bound of 0.5 × the reference. Also, on real WebGPU, a batch whose
// encoding throws returns its pooled buffers (issue 13, item 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, fromB64F32, openHarness, type HarnessPage } from '../helpers/browser';
import { fnv1a32, padToCollide } from '../helpers/fnv-collision';
import { makeNormal } from '../../src/kernels/cpu/random';
import { matmulErrorBound, matmulRef } from '../../src/kernels/cpu/matmul-ref';
import { readShaderModule } from '../helpers/shader-module';

const FILE = 'shaders/matmul-direct.wgsl';
const BUILTIN = readShaderModule(FILE); // the module as shipped: the file + shaders/matmul-common.wgsl
const STORE = 'c[base_c + row * n + col] = params.alpha * blk[j][i];';
const HALVED = padToCollide(BUILTIN.replace(STORE, 'c[base_c + row * n + col] = 0.5 * params.alpha * blk[j][i];'), BUILTIN);
const SHAPE = { m: 24, n: 20, k: 16 };
const A = makeNormal(SHAPE.m * SHAPE.k, 1301);
const B = makeNormal(SHAPE.k * SHAPE.n, 1302);
const REF = matmulRef(A, B, SHAPE);
const BOUND = matmulErrorBound(A, B, SHAPE);

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

/** Whether `got` is within the error bound of `scale` × the float64 reference, element by element. */
function matches(got: Float32Array, scale: number): boolean {
  if (got.length !== REF.length) return false;
  for (let i = 0; i < REF.length; i++) if (!(Math.abs(got[i] - scale * REF[i]) <= scale * BOUND[i])) return false;
  return true;
}

/**
 * On a fresh GPU context (empty caches), builds the 'direct' kernel for each entry of `order` — the
 * built-in (no `code`) or the halved edit — then runs every built kernel on A·B; results in `order`.
 */
async function runInOrder(order: ('builtin' | 'edit')[]): Promise<Float32Array[]> {
  const out = await h.page.evaluate(
    async (order, edit, as, bs, shape, file) => {
      const { lib, f32, toB64 } = window.gp;
      if (lib.activeKernelCode(file) !== undefined) throw new Error(`a user kernel is switched on for ${file}`);
      const gpu = await lib.requestGpu();
      try {
        const kernels = [];
        for (const which of order) kernels.push(await lib.createMatmulKernel(gpu, { variant: 'direct', code: which === 'edit' ? edit : undefined }));
        const results: string[] = [];
        for (const kernel of kernels) {
          const batch = new lib.GpuBatch(gpu, 'test.collision');
          try {
            const c = batch.scratch('test.c', 4 * shape.m * shape.n);
            kernel.encode(batch, { ...shape, a: batch.upload('test.a', f32(as)), b: batch.upload('test.b', f32(bs)), c });
            const r = batch.read(c, 4 * shape.m * shape.n);
            await batch.submit();
            results.push(toB64(lib.f32(r)));
          } finally {
            batch.dispose();
          }
        }
        return results;
      } finally {
        gpu.destroy();
      }
    },
    order,
    HALVED,
    b64(A),
    b64(B),
    SHAPE,
    FILE,
  );
  return out.map(fromB64F32);
}

describe('pipeline cache: a 32-bit FNV-1a collision cannot swap kernels', () => {
  it('the edit really differs from the built-in and collides under the old hash', () => {
    expect(HALVED).not.toBe(BUILTIN);
    expect(HALVED.includes('0.5 * params.alpha')).toBe(true);
    expect(fnv1a32(HALVED)).toBe(fnv1a32(BUILTIN));
  });

  it('createMatmulKernel: built-in first, then the edit — each gives its own result', async () => {
    const [builtin, edit] = await runInOrder(['builtin', 'edit']);
    expect(matches(builtin, 1)).toBe(true);
    expect(matches(edit, 0.5)).toBe(true);
    expect(matches(edit, 1)).toBe(false);
  });

  it('createMatmulKernel: the edit first, then the built-in — each gives its own result', async () => {
    const [edit, builtin] = await runInOrder(['edit', 'builtin']);
    expect(matches(edit, 0.5)).toBe(true);
    expect(matches(builtin, 1)).toBe(true);
    expect(matches(builtin, 0.5)).toBe(false);
  });

  it("the Shaders view's path: Verify fails the edit after the built-in ran; the labs' matmul stays exact after the edit compiled", async () => {
    const r = await h.page.evaluate(
      async (edit, as, bs, shape) => {
        const { lib, f32, toB64 } = window.gp;
        const kernel = lib.findKernel('matmul-direct')!;
        const gpu = await lib.requestGpu();
        try {
          // Built-in first (as a lab run would), then Verify of the edit.
          const before = await lib.matmul(gpu, f32(as), f32(bs), { ...shape, variant: 'direct' });
          const verify = await lib.verifyKernel(gpu, kernel, edit);
          // The edit compiled by the editor first, then a lab's built-in matmul on a fresh context.
          const fresh = await lib.requestGpu();
          try {
            const compiled = await lib.compileKernel(fresh, kernel, edit);
            const after = await lib.matmul(fresh, f32(as), f32(bs), { ...shape, variant: 'direct' });
            return { before: toB64(before), verifyOk: verify.ok, verifyPassed: verify.passed, compiled: compiled.ok, after: toB64(after) };
          } finally {
            fresh.destroy();
          }
        } finally {
          gpu.destroy();
        }
      },
      HALVED,
      b64(A),
      b64(B),
      SHAPE,
    );
    expect(matches(fromB64F32(r.before), 1)).toBe(true);
    expect(r.verifyOk).toBe(false);
    expect(r.verifyPassed).toBe(0);
    expect(r.compiled).toBe(true);
    expect(matches(fromB64F32(r.after), 1)).toBe(true);
  });
});

describe('GPU memory on real WebGPU', () => {
  it('an error thrown while encoding (copyFloats of 6 floats) returns every pooled buffer', async () => {
    const r = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const live = gpu!.pool.liveCount;
      let message = '';
      try {
        await lib.copyFloats(gpu!, new Float32Array(6));
      } catch (e) {
        message = (e as Error).message;
      }
      return { live, after: gpu!.pool.liveCount, message };
    });
    expect(r.message).toMatch(/multiple of 4/);
    expect(r.live).toBe(0);
    expect(r.after).toBe(0);
  });

  it("a hidden page gives the pool's free buffers back at once", async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      gpu!.pool.release(gpu!.pool.acquire('test.idle', 1 << 20));
      const before = gpu!.pool.idleCount;
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      const after = gpu!.pool.idleCount;
      delete (document as unknown as Record<string, unknown>).visibilityState; // back to the prototype's getter
      return { before, after };
    });
    expect(r.before).toBeGreaterThanOrEqual(1);
    expect(r.after).toBe(0);
  });
});
