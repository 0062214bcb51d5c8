import { describe, expect, it } from 'vitest';
import { checkStorageSize, checkWorkgroups, gridFor, roundUp } from '../../src/gpu/limits';
import { sizeClass } from '../../src/gpu/buffers';
import { GpuAdapterUnavailableError, GpuDeviceRequestError, GpuLimitError, ShaderCompileError, WebGpuUnsupportedError } from '../../src/gpu/errors';
import { requestGpu } from '../../src/gpu/context';
import { compareArrays } from '../../src/kernels/compare';
import { makeRng, makeUniform } from '../../src/kernels/cpu/random';
import { checkInt, checkMatrix } from '../../src/kernels/validate';

const LIMITS = { maxStorageBufferBindingSize: 134_217_728, maxBufferSize: 268_435_456, maxComputeWorkgroupsPerDimension: 65_535 };

describe('size checks', () => {
  it('accepts sizes up to the limit and names the limit past it', () => {
    expect(() => checkStorageSize(LIMITS, 134_217_728, 'x')).not.toThrow();
    const err = (() => {
      try {
        checkStorageSize(LIMITS, 134_217_732, 'matmul.c');
      } catch (e) {
        return e as GpuLimitError;
      }
    })();
    expect(err).toBeInstanceOf(GpuLimitError);
    expect(err!.limit).toBe('maxStorageBufferBindingSize');
    expect(err!.message).toContain('matmul.c needs 134,217,732 bytes');
    expect(err!.message).toContain('134,217,728');
  });

  it('names maxBufferSize when that is the one exceeded', () => {
    expect(() => checkStorageSize(LIMITS, 300_000_000, 'big')).toThrow(/maxBufferSize is 268,435,456/);
  });

  it('checks workgroup counts per dimension', () => {
    expect(() => checkWorkgroups(LIMITS, [65_535, 1, 1], 'ok')).not.toThrow();
    expect(() => checkWorkgroups(LIMITS, [1, 65_536], 'norms')).toThrow(/maxComputeWorkgroupsPerDimension is 65,535/);
  });

  it('gridFor splits big 1-D dispatches within the limit and covers every group', () => {
    for (const groups of [1, 65_535, 65_536, 1_000_000, 4_294_836_225]) {
      const [x, y] = gridFor(groups);
      expect(x).toBeLessThanOrEqual(65_535);
      expect(y).toBeLessThanOrEqual(65_535);
      expect(x * y).toBeGreaterThanOrEqual(groups);
    }
  });

  it('pool size classes are powers of two ≥ the request, exact past the buffer limit', () => {
    expect(sizeClass(1, 1 << 30)).toBe(256);
    expect(sizeClass(257, 1 << 30)).toBe(512);
    expect(sizeClass(1 << 20, 1 << 30)).toBe(1 << 20);
    expect(sizeClass((1 << 29) + 4, 1 << 30)).toBe(1 << 30);
    expect(sizeClass((1 << 29) + 4, (1 << 29) + 100)).toBe((1 << 29) + 4);
    expect(roundUp(5, 4)).toBe(8);
  });
});

describe('requestGpu errors', () => {
  it('missing navigator.gpu → WebGpuUnsupportedError naming browsers', async () => {
    await expect(requestGpu()).rejects.toBeInstanceOf(WebGpuUnsupportedError);
    await expect(requestGpu()).rejects.toThrow(/Chrome/);
  });

  it('null adapter → GpuAdapterUnavailableError', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;
    await expect(requestGpu({ gpu })).rejects.toBeInstanceOf(GpuAdapterUnavailableError);
  });

  it('requestDevice failure → GpuDeviceRequestError carrying the cause', async () => {
    const adapter = {
      features: new Set<string>(),
      limits: {},
      info: {},
      requestDevice: async () => {
        throw new Error('limit refused');
      },
    };
    const gpu = { requestAdapter: async () => adapter } as unknown as GPU;
    const err = await requestGpu({ gpu }).catch((e) => e);
    expect(err).toBeInstanceOf(GpuDeviceRequestError);
    expect(err.message).toContain('limit refused');
  });

  it('ShaderCompileError lists file:line:col', () => {
    const e = new ShaderCompileError('shaders/x.wgsl', [{ file: 'shaders/x.wgsl', line: 12, column: 5, type: 'error', message: 'bad' }]);
    expect(e.message).toContain('shaders/x.wgsl:12:5 error: bad');
  });
});

describe('compareArrays', () => {
  it('passes equal arrays and fails a single wrong element', () => {
    const a = makeUniform(1000, 1);
    expect(compareArrays(a, Float64Array.from(a)).ok).toBe(true);
    const b = Float64Array.from(a);
    b[517] += 1e-3;
    const cmp = compareArrays(a, b, { rtol: 1e-5, atol: 1e-6 });
    expect(cmp.ok).toBe(false);
    expect(cmp.firstBad).toBe(517);
  });

  it('matches non-finite values exactly', () => {
    expect(compareArrays([Infinity, NaN], [Infinity, NaN]).ok).toBe(true);
    expect(compareArrays([Infinity], [-Infinity]).ok).toBe(false);
    expect(compareArrays([1e38], [Infinity]).ok).toBe(false);
    expect(compareArrays([1], [1, 2]).ok).toBe(false);
  });
});

describe('validation and RNG', () => {
  it('checkInt names the field and the range', () => {
    expect(() => checkInt('depth', 0, 1, 1000)).toThrow('depth: must be an integer from 1 to 1000, got 0');
    expect(() => checkInt('depth', 2.5, 1)).toThrow(/depth: must be an integer ≥ 1, got 2.5/);
    expect(() => checkMatrix(new Float32Array(5), 2, 3)).toThrow('x: has 5 values but rows × cols = 2 × 3 = 6');
  });

  it('seeded RNG is reproducible and roughly standard normal', () => {
    const a = makeRng(42);
    const b = makeRng(42);
    const xs = Array.from({ length: 20_000 }, () => a.normal());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.normal()));
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
