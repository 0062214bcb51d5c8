import { describe, expect, it } from 'vitest';
import { checkOffsets, l2NormsRef } from '../../src/kernels/cpu/norms-ref';
import { decodeNorms, NORM_STATUS, NORM_WORDS, pickSegmentsPerGroup } from '../../src/kernels/norms';
import { makeRng } from '../../src/kernels/cpu/random';
import { InputError } from '../../src/errors';

/** Plain Math.hypot over each segment: the independent oracle for well-scaled data. */
function hypotNorms(x: ArrayLike<number>, offsets: ArrayLike<number>): number[] {
  return Array.from({ length: offsets.length - 1 }, (_, s) => Math.hypot(...Array.from(x).slice(offsets[s], offsets[s + 1])));
}

describe('l2NormsRef', () => {
  it('computes known norms, with empty segments giving 0', () => {
    const x = [3, -4, 1, 2, 2, -0, 0];
    expect(Array.from(l2NormsRef(x, [0, 2, 2, 5, 5, 7]))).toEqual([5, 0, 3, 0, 0]);
    expect(Array.from(l2NormsRef([], [0]))).toEqual([]);
    expect(Array.from(l2NormsRef([], [0, 0, 0]))).toEqual([0, 0]);
  });

  it('matches Math.hypot on random data of awkward lengths', () => {
    const rng = makeRng(4);
    const lengths = [1, 7, 63, 65, 257, 0, 1000];
    const offsets = [0];
    for (const n of lengths) offsets.push(offsets[offsets.length - 1] + n);
    const x = Array.from({ length: offsets[offsets.length - 1] }, () => rng.normal() * 10 ** (4 * rng.uniform() - 2));
    const ref = l2NormsRef(x, offsets);
    hypotNorms(x, offsets).forEach((want, i) => {
      if (want === 0) expect(ref[i], `segment ${i}`).toBe(0);
      else expect(Math.abs(ref[i] - want) / want, `segment ${i}`).toBeLessThan(1e-13);
    });
  });

  it('scales instead of overflowing or underflowing, even for float64 inputs', () => {
    const big = new Array(1000).fill(1e200);
    const tiny = new Array(1000).fill(-1e-200);
    const f32Huge = new Array(100).fill(3e38);
    const norms = l2NormsRef([...big, ...tiny, ...f32Huge, 1e300, 1e-300], [0, 1000, 2000, 2100, 2102]);
    // Σx² would be Inf (1e403) and 0 (1e-397) in float64.
    expect(norms[0] / (Math.sqrt(1000) * 1e200)).toBeCloseTo(1, 12);
    expect(norms[1] / (Math.sqrt(1000) * 1e-200)).toBeCloseTo(1, 12);
    expect(norms[2] / 3e39).toBeCloseTo(1, 12);
    expect(norms[3]).toBe(1e300);
    // The smallest float64 subnormal survives.
    expect(l2NormsRef([5e-324], [0, 1])[0]).toBe(5e-324);
  });

  it('reports Infinity for ±Inf and NaN for NaN (NaN wins), leaving other segments alone', () => {
    const x = [1, Infinity, 2, -Infinity, 3, NaN, Infinity, NaN, -Infinity, 3, 4];
    const norms = Array.from(l2NormsRef(x, [0, 3, 4, 6, 7, 9, 11]));
    expect(norms).toEqual([Infinity, Infinity, NaN, Infinity, NaN, 5]);
  });

  it('rejects invalid offsets with InputError naming the index', () => {
    const x = [1, 2, 3];
    const cases: [number[], RegExp][] = [
      [[], /^offsets: is empty/],
      [[0, 2, 1], /^offsets\[2\]: is 1, less than offsets\[1\] = 2/],
      [[0, 4], /^offsets\[1\]: must be an integer from 0 to 3/],
      [[-1, 2], /^offsets\[0\]/],
      [[0, 0.5], /^offsets\[1\]/],
      [[0, NaN], /^offsets\[1\]/],
    ];
    for (const [offsets, message] of cases) {
      expect(() => l2NormsRef(x, offsets), JSON.stringify(offsets)).toThrow(InputError);
      expect(() => checkOffsets(offsets, x.length)).toThrow(message);
    }
    expect(() => checkOffsets([0, 0, 3, 3], 3)).not.toThrow();
  });
});

/** Output words as the shader writes them: scale (f32 bits), ssq (f32), status, count. */
function words(cells: { scale: number; ssq: number; status?: number; count?: number }[]): ArrayBuffer {
  const buf = new ArrayBuffer(cells.length * NORM_WORDS * 4);
  const [f, u] = [new Float32Array(buf), new Uint32Array(buf)];
  cells.forEach((c, i) => {
    f[NORM_WORDS * i] = c.scale;
    f[NORM_WORDS * i + 1] = c.ssq;
    u[NORM_WORDS * i + 2] = c.status ?? 0;
    u[NORM_WORDS * i + 3] = c.count ?? 0;
  });
  return buf;
}

describe('decodeNorms', () => {
  it('computes scale·√ssq in float64, beyond f32 range in both directions', () => {
    const norms = decodeNorms(
      words([
        { scale: 2 ** 127, ssq: 100 }, // 1.7e39: not representable in f32
        { scale: 2 ** -149, ssq: 4 }, // subnormal scale
        { scale: 0.5, ssq: 1 },
        { scale: 0, ssq: 0 }, // empty
      ]),
      4,
    );
    expect(Array.from(norms)).toEqual([10 * 2 ** 127, 2 * 2 ** -149, 0.5, 0]);
  });

  it('maps status bits to Infinity / NaN (NaN wins) and bad ranges to InputError', () => {
    const norms = decodeNorms(
      words([
        { scale: 1, ssq: 1, status: NORM_STATUS.inf },
        { scale: 1, ssq: 1, status: NORM_STATUS.nan },
        { scale: 1, ssq: 1, status: NORM_STATUS.nan | NORM_STATUS.inf },
        { scale: 4, ssq: 4 },
      ]),
      4,
    );
    expect(Array.from(norms)).toEqual([Infinity, NaN, NaN, 8]);
    const bad = words([
      { scale: 1, ssq: 1 },
      { scale: 0, ssq: 0, status: NORM_STATUS.badRange },
    ]);
    expect(() => decodeNorms(bad, 2)).toThrow(/^offsets: segment 1 is out of order/);
    expect(() => decodeNorms(bad, 1)).not.toThrow();
    expect(() => decodeNorms(words([{ scale: 1, ssq: 1 }]), 2)).toThrow(InputError);
  });
});

describe('pickSegmentsPerGroup', () => {
  it('packs short segments into one workgroup and gives long ones their own', () => {
    expect(pickSegmentsPerGroup([0, 1, 3, 3, 10], 256)).toBe(256);
    expect(pickSegmentsPerGroup([0, 100_000, 100_001], 256)).toBe(1);
    expect(pickSegmentsPerGroup([0], 64)).toBe(1);
  });
});
