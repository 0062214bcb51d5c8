import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, fromB64F32, openHarness, type HarnessPage } from '../helpers/browser';
import { makeNormal, makeUniform } from '../../src/kernels/cpu/random';
import { momentsAllRef, momentsRef, naiveVarianceF32 } from '../../src/kernels/cpu/moments-ref';
import { compareArrays } from '../../src/kernels/compare';
import { makeMomentsPlan } from '../../src/kernels/moments';

const MOMENTS_WGSL = readFileSync('shaders/moments.wgsl', 'utf8');
const MEAN_TOL = { rtol: 1e-5, atol: 1e-6 };
const VAR_TOL = { rtol: 1e-4, atol: 1e-7 };

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

/** Columns with different means and spreads (none near zero mean), as f32. */
function makeColumns(rows: number, cols: number, seed: number): Float32Array {
  const z = makeNormal(rows * cols, seed);
  const x = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) x[r * cols + c] = 5 + 7 * (c % 13) + (0.5 + (c % 5)) * z[r * cols + c];
  }
  return x;
}

/** Per-column moments through the encode-level kernel in the page (optionally with other WGSL or workgroup). */
async function gpuColumns(
  x: Float32Array,
  rows: number,
  cols: number,
  options: { code?: string; workgroup?: number } = {},
): Promise<{ mean: Float32Array; variance: Float32Array }> {
  const [mean, variance] = await h.page.evaluate(
    async (xs, rows, cols, options) => {
      const { gpu, f32, toB64, lib } = window.gp;
      const kernel = await window.gp.lib.createMomentsKernel(gpu!, options);
      const batch = new lib.GpuBatch(gpu!, 'test.moments');
      const out = batch.scratch('test.out', 2 * cols * 4);
      kernel.encodeColumns(batch, { x: batch.upload('test.x', f32(xs)), rows, cols, out });
      const r = batch.read(out, 2 * cols * 4);
      await batch.submit();
      const both = lib.f32(r);
      return [toB64(both.subarray(0, cols)), toB64(both.subarray(cols))];
    },
    b64(x),
    rows,
    cols,
    options,
  );
  return { mean: fromB64F32(mean), variance: fromB64F32(variance) };
}

function expectClose(gpu: { mean: ArrayLike<number>; variance: ArrayLike<number> }, x: Float32Array, rows: number, cols: number, what: string) {
  const ref = momentsRef(x, rows, cols);
  expect(compareArrays(gpu.mean, ref.mean, MEAN_TOL), `${what}: mean`).toMatchObject({ ok: true });
  expect(compareArrays(gpu.variance, ref.variance, VAR_TOL), `${what}: variance`).toMatchObject({ ok: true });
}

describe('moments kernel vs float64 reference', () => {
  it('per-column mean and variance on awkward shapes (high-level moments())', async () => {
    const shapes = [
      [1, 1],
      [7, 1],
      [1, 7],
      [63, 65],
      [257, 3],
      [65, 257],
      [100_003, 2],
    ];
    // The shapes must exercise both the one-pass and the two-pass (partial + finalize) paths.
    expect(shapes.some(([r, c]) => makeMomentsPlan(r, c).chunks === 1)).toBe(true);
    expect(shapes.some(([r, c]) => makeMomentsPlan(r, c).chunks > 1 && c > 1)).toBe(true);
    for (const [rows, cols] of shapes) {
      const x = makeColumns(rows, cols, 1000 * rows + cols);
      const [mean, variance] = await h.page.evaluate(
        async (xs, o) => {
          const { gpu, f32, toB64 } = window.gp;
          const m = await window.gp.lib.moments(gpu!, f32(xs), o);
          return [toB64(m.mean), toB64(m.variance)];
        },
        b64(x),
        { rows, cols },
      );
      expectClose({ mean: fromB64F32(mean), variance: fromB64F32(variance) }, x, rows, cols, `${rows}×${cols}`);
    }
  });

  it('many columns: 2,000×1,024 generated in the page from the same seed', async () => {
    const [rows, cols, seed] = [2000, 1024, 77];
    const [mean, variance, probe] = await h.page.evaluate(
      async (rows, cols, seed) => {
        const { gpu, toB64, lib } = window.gp;
        const x = lib.makeNormal(rows * cols, seed, 20, 3);
        const m = await window.gp.lib.moments(gpu!, x, { rows, cols });
        return [toB64(m.mean), toB64(m.variance), toB64(x.subarray(x.length - 4))];
      },
      rows,
      cols,
      seed,
    );
    const x = makeNormal(rows * cols, seed, 20, 3);
    expect(fromB64F32(probe)).toEqual(x.subarray(x.length - 4));
    expectClose({ mean: fromB64F32(mean), variance: fromB64F32(variance) }, x, rows, cols, `${rows}×${cols}`);
  });

  it('smaller workgroups (override WORKGROUP) give the same moments', async () => {
    for (const workgroup of [64, 32]) {
      for (const [rows, cols] of [
        [257, 3],
        [4097, 5],
        [33, 100],
      ]) {
        const x = makeColumns(rows, cols, 7 * rows + cols);
        expectClose(await gpuColumns(x, rows, cols, { workgroup }), x, rows, cols, `${rows}×${cols}, workgroup ${workgroup}`);
      }
    }
  });

  it('reads at element offsets, writes at outOffset, and leaves the rest of out alone (several encodes, one batch)', async () => {
    const [rows, cols, offA] = [63, 65, 13];
    const [count, offB] = [10_007, offA + rows * cols + 5];
    const a = makeColumns(rows, cols, 5);
    const b = makeUniform(count, 6, -3, 9);
    // Values around the segments are huge, so reading one element too many would show.
    const big = new Float32Array(offB + count + 11).fill(1e6);
    big.set(a, offA);
    big.set(b, offB);
    const [outOffA, outOffB] = [3, 3 + 2 * cols + 2];
    const outLen = outOffB + 2 + 4;
    const out = await h.page.evaluate(
      async (bigs, p) => {
        const { gpu, f32, toB64, lib } = window.gp;
        const kernel = await window.gp.lib.createMomentsKernel(gpu!);
        const batch = new lib.GpuBatch(gpu!, 'test.moments.offsets');
        const x = batch.upload('test.x', f32(bigs));
        const out = batch.upload('test.out', new Float32Array(p.outLen).fill(-7));
        kernel.encodeColumns(batch, { x, rows: p.rows, cols: p.cols, offset: p.offA, out, outOffset: p.outOffA });
        kernel.encodeAll(batch, { x, count: p.count, offset: p.offB, out, outOffset: p.outOffB });
        const r = batch.read(out, p.outLen * 4);
        await batch.submit();
        return toB64(lib.f32(r));
      },
      b64(big),
      { rows, cols, offA, count, offB, outOffA, outOffB, outLen },
    );
    const got = fromB64F32(out);
    expectClose({ mean: got.subarray(outOffA, outOffA + cols), variance: got.subarray(outOffA + cols, outOffA + 2 * cols) }, a, rows, cols, 'matrix at offset');
    const refB = momentsAllRef(b);
    expect(compareArrays([got[outOffB]], [refB.mean], MEAN_TOL), 'range mean').toMatchObject({ ok: true });
    expect(compareArrays([got[outOffB + 1]], [refB.variance], VAR_TOL), 'range variance').toMatchObject({ ok: true });
    const untouched = [...got.subarray(0, outOffA), ...got.subarray(outOffA + 2 * cols, outOffB), ...got.subarray(outOffB + 2)];
    expect(untouched).toEqual(new Array(outLen - 2 * cols - 2).fill(-7));
  });
});

describe('numerical stability: 1,000,000 values of 10⁴ + U(0,1)', () => {
  const [n, seed] = [1_000_000, 2024];
  // f32 inputs: the reference sees exactly the rounded values the GPU sees.
  const x = makeUniform(n, seed, 1e4, 1e4 + 1);
  const ref = momentsAllRef(x);

  it('the data are what the test claims: variance ≈ 1/12 under a mean ≈ 10⁴', () => {
    expect(Math.abs(ref.mean - (1e4 + 0.5))).toBeLessThan(0.01);
    expect(Math.abs(ref.variance * 12 - 1)).toBeLessThan(0.01);
  });

  it('naive f32 E[x²] − E[x]² on the same data is far off (catastrophic cancellation)', () => {
    const naive = naiveVarianceF32(x);
    expect(naive < 0 || Math.abs(naive - ref.variance) / ref.variance > 0.5, `naive f32 variance ${naive} vs ${ref.variance}`).toBe(true);
  });

  it('GPU variance is within 1e-3 relative of float64 (whole buffer and as a 1-column matrix)', async () => {
    const got = await h.page.evaluate(
      async (n, seed) => {
        const { gpu, toB64, lib } = window.gp;
        const x = lib.makeUniform(n, seed, 1e4, 1e4 + 1);
        const all = await window.gp.lib.momentsAll(gpu!, x);
        const m = await window.gp.lib.moments(gpu!, x, { rows: n, cols: 1 });
        let sum = 0;
        for (const v of x) sum += v;
        return { all, column: { mean: m.mean[0], variance: m.variance[0] }, sum, head: toB64(x.subarray(0, 4)) };
      },
      n,
      seed,
    );
    // Same data on both sides (generated in the page, not shipped).
    expect(got.sum).toBe(x.reduce((s, v) => s + v, 0));
    expect(fromB64F32(got.head)).toEqual(x.subarray(0, 4));
    for (const { mean, variance } of [got.all, got.column]) {
      expect(Math.abs(mean - ref.mean) / ref.mean).toBeLessThan(1e-6);
      expect(Math.abs(variance - ref.variance) / ref.variance, `GPU variance ${variance} vs ${ref.variance}`).toBeLessThan(1e-3);
    }
  });

  it('also stable per column: 250,000×4 of 10⁴ + U(0,1)', async () => {
    const [rows, cols] = [250_000, 4];
    const [mean, variance] = await h.page.evaluate(
      async (rows, cols, seed) => {
        const { gpu, toB64, lib } = window.gp;
        const m = await window.gp.lib.moments(gpu!, lib.makeUniform(rows * cols, seed, 1e4, 1e4 + 1), { rows, cols });
        return [toB64(m.mean), toB64(m.variance)];
      },
      rows,
      cols,
      seed,
    );
    const r = momentsRef(x, rows, cols);
    expect(compareArrays(fromB64F32(mean), r.mean, { rtol: 1e-6, atol: 0 })).toMatchObject({ ok: true });
    expect(compareArrays(fromB64F32(variance), r.variance, { rtol: 1e-3, atol: 0 })).toMatchObject({ ok: true });
  });
});

describe('the comparison can fail', () => {
  it('detects a merge that drops δ²·nA·nB/n', async () => {
    const wrong = MOMENTS_WGSL.replace('d * d * a.n * wb', '0.0');
    expect(wrong).not.toBe(MOMENTS_WGSL);
    for (const [rows, cols] of [
      [257, 3],
      [100_003, 2],
    ]) {
      const x = makeColumns(rows, cols, 3 * rows + cols);
      const ref = momentsRef(x, rows, cols);
      const good = await gpuColumns(x, rows, cols);
      const bad = await gpuColumns(x, rows, cols, { code: wrong });
      expect(compareArrays(good.variance, ref.variance, VAR_TOL).ok, `${rows}×${cols} correct shader`).toBe(true);
      expect(compareArrays(bad.variance, ref.variance, VAR_TOL).ok, `${rows}×${cols} wrong shader`).toBe(false);
    }
  });

  it('reports a WGSL syntax error as ShaderCompileError with shaders/moments.wgsl:LINE:COL', async () => {
    const lines = MOMENTS_WGSL.split('\n');
    const at = lines.findIndex((l) => l.startsWith('fn merge('));
    expect(at).toBeGreaterThan(0);
    lines.splice(at, 0, 'const broken: f32 = 1.0 +;');
    const result = await h.page.evaluate(async (code) => {
      try {
        await window.gp.lib.createMomentsKernel(window.gp.gpu!, { code });
        return { name: 'none', message: 'no error' };
      } catch (e) {
        return { name: (e as Error).name, message: (e as Error).message };
      }
    }, lines.join('\n'));
    expect(result.name).toBe('ShaderCompileError');
    expect(result.message).toMatch(new RegExp(`shaders/moments\\.wgsl:${at + 1}:\\d+ error`));
  });
});

describe('kernel check', () => {
  it('momentsCheck passes every case, timed when the device has timestamps', async () => {
    const results = await h.page.evaluate(async () => {
      return window.gp.checks.momentsCheck.run(window.gp.gpu!);
    });
    const hasTimestamps = await h.page.evaluate(() => window.gp.gpu!.hasTimestamps);
    expect(results.map((r) => r.shape)).toEqual(['1×1', '257×63', '4097×7', 'all 100,003 values of 10⁴ + U(0,1)']);
    for (const r of results) {
      expect(r, r.shape).toMatchObject({ kernel: 'moments', ok: true });
      expect(r.error, r.shape).toBeUndefined();
      expect(r.maxRelError, r.shape).toBeLessThanOrEqual(r.rtol);
      if (hasTimestamps) expect(r.gpuMs, r.shape).toBeGreaterThanOrEqual(0);
      else expect(r.gpuMs, r.shape).toBeNull();
    }
  });
});

describe('input errors', () => {
  it('names the bad field', async () => {
    const messages = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const m = window.gp.lib;
      const attempt = async (fn: () => unknown) => {
        try {
          await fn();
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      const kernel = await m.createMomentsKernel(gpu!);
      const batch = new lib.GpuBatch(gpu!, 'test.moments.errors');
      const x = batch.upload('test.x', new Float32Array(12));
      const out = batch.upload('test.out', new Float32Array(4));
      const result = [
        await attempt(() => m.moments(gpu!, new Float32Array(6), { rows: 2, cols: 4 })),
        await attempt(() => m.momentsAll(gpu!, new Float32Array(0))),
        await attempt(() => kernel.encodeColumns(batch, { x, rows: 3, cols: 4, out: x })),
        await attempt(() => kernel.encodeColumns(batch, { x, rows: 3, cols: 4, offset: 1, out })),
        await attempt(() => kernel.encodeAll(batch, { x, count: 0, out })),
        await attempt(() => kernel.encodeColumns(batch, { x, rows: 1, cols: 12, out, outOffset: 0 })),
        await attempt(() => m.createMomentsKernel(gpu!, { workgroup: 48 })),
      ];
      await batch.submit();
      return result;
    });
    expect(messages[0]).toMatch(/^InputError: x: has 6 values but rows × cols = 2 × 4 = 8/);
    expect(messages[1]).toMatch(/^InputError: x: is empty/);
    expect(messages[2]).toMatch(/^InputError: out: must be a different buffer from x/);
    expect(messages[3]).toMatch(/^InputError: x: holds \d+ bytes but offset \+ rows × cols = 1 \+ 3 × 4/);
    expect(messages[4]).toMatch(/^InputError: count: must be an integer ≥ 1, got 0/);
    expect(messages[5]).toMatch(/^InputError: out: holds \d+ bytes but outOffset \+ 2 × cols = 0 \+ 2 × 12/);
    expect(messages[6]).toMatch(/^InputError: workgroup: must be a power of two, got 48/);
  });
});

describe('encodeAll: the streaming `all` pass (vec4 Welford, few fat workgroups)', () => {
  /** Moments of x[offset .. offset + count) through encodeAll, with kernel options. */
  async function gpuAll(big: Float32Array, count: number, offset: number, options: { code?: string; workgroup?: number; allChunks?: number } = {}) {
    return h.page.evaluate(
      async (bigs, count, offset, options) => {
        const { gpu, f32, lib } = window.gp;
        const kernel = await lib.createMomentsKernel(gpu!, options);
        const batch = new lib.GpuBatch(gpu!, 'test.moments.all');
        const out = batch.upload('test.out', new Float32Array(4).fill(-7));
        kernel.encodeAll(batch, { x: batch.upload('test.x', f32(bigs)), count, offset, out, outOffset: 1 });
        const r = batch.read(out, 16);
        await batch.submit();
        return [...lib.f32(r)];
      },
      b64(big),
      count,
      offset,
      options,
    );
  }

  it('any count and any offset (head before the first 16-byte boundary, tail after the last quad), several grids', async () => {
    for (const options of [
      {},
      { workgroup: 64, allChunks: 3 },
      { workgroup: 8, allChunks: 1 },
      { workgroup: 32, allChunks: 16 },
      { workgroup: 2, allChunks: 2 },
    ]) {
      for (const count of [1, 2, 3, 5, 7, 63, 65, 257, 4099, 100_003]) {
        for (const offset of [0, 1, 2, 3]) {
          // Huge values around the range: reading one element too many would show.
          const big = new Float32Array(offset + count + 5).fill(1e6);
          const x = makeUniform(count, count + offset, -2, 11);
          big.set(x, offset);
          const got = await gpuAll(big, count, offset, options);
          const ref = momentsAllRef(x);
          const what = `count ${count}, offset ${offset}, ${JSON.stringify(options)}`;
          expect(got[0], what).toBe(-7);
          expect(got[3], what).toBe(-7);
          expect(compareArrays([got[1]], [ref.mean], MEAN_TOL).ok, `${what}: mean ${got[1]} vs ${ref.mean}`).toBe(true);
          expect(compareArrays([got[2]], [ref.variance], VAR_TOL).ok, `${what}: variance ${got[2]} vs ${ref.variance}`).toBe(true);
        }
      }
    }
  });

  it('the `all` pass runs (a broken one is caught), and replacement code without it falls back to `partial`', async () => {
    const count = 100_003;
    const x = makeUniform(count, 77, 1e4, 1e4 + 1);
    const ref = momentsAllRef(x);
    const varOk = (v: number) => compareArrays([v], [ref.variance], { rtol: 1e-3, atol: 0 }).ok;
    const good = await gpuAll(x, count, 0);
    expect(varOk(good[2])).toBe(true);
    const mutants = [
      ['welford on quads squares the step (d·d, not d·(v − mean))', 'State4(n, mean, s.m2 + d * (v - mean))', 'State4(n, mean, s.m2 + d * d)'],
      ['the tail is dropped', 'if (t >= 3u && t - 3u < count - done) {', 'if (false) {'],
      // CPU adapters stream blocks of eight quads (the contiguous layout): a wrong block mean shows.
      ['a block of eight quads averaged as four', '((a + b) + (c + d) + ((e + f) + (g + h))) * 0.125', '((a + b) + (c + d) + ((e + f) + (g + h))) * 0.25'],
    ] as const;
    // A short range too, where the tail is 3 of 7 values (in the long one it is lost in the rounding).
    const short = makeUniform(7, 78, -2, 11);
    const shortRef = momentsAllRef(short);
    for (const [what, from, to] of mutants) {
      expect(MOMENTS_WGSL.split(from).length, what).toBe(2);
      const code = MOMENTS_WGSL.replace(from, to);
      const bad = await gpuAll(x, count, 0, { code });
      const badShort = await gpuAll(short, 7, 0, { code });
      const longOk = varOk(bad[2]) && compareArrays([bad[1]], [ref.mean], MEAN_TOL).ok;
      const shortOk = compareArrays(badShort.slice(1, 3), [shortRef.mean, shortRef.variance], VAR_TOL).ok;
      expect(longOk && shortOk, what).toBe(false);
    }
    // Code written before `all` existed: encodeAll runs `partial` (+ finalize) and is still right.
    const legacy = MOMENTS_WGSL.replace('fn all(', 'fn all_renamed(');
    const viaPartial = await gpuAll(x, count, 0, { code: legacy });
    expect(varOk(viaPartial[2])).toBe(true);
  });

  it('rejects a bad allChunks with InputError', async () => {
    const e = await h.page.evaluate(async () => {
      try {
        await window.gp.lib.createMomentsKernel(window.gp.gpu!, { allChunks: 0 });
        return 'no error';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(e).toMatch(/^allChunks: must be an integer from 1 to 65535, got 0$/);
  });
});
