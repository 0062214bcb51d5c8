import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import normsWGSL from '../../shaders/norms.wgsl?raw';
import { b64, openHarness, type HarnessPage } from '../helpers/browser';
import { makeRng } from '../../src/kernels/cpu/random';
import { mixedMagnitudes, offsetsFor } from '../../src/kernels/checks/norms-check';
import { l2NormsRef } from '../../src/kernels/cpu/norms-ref';
import { compareArrays } from '../../src/kernels/compare';
import { gridFor } from '../../src/gpu/limits';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

const RTOL = 1e-5;
// Norms down to ~1e-40 are checked: an absolute floor would hide errors there.
const ATOL = 1e-300;
const F32_MAX = 3.4028234663852886e38;

function fromB64F64(s: string): Float64Array {
  const buf = Buffer.from(s, 'base64');
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

/** l2Norms in the page; `code` swaps in another shader (through the encode-level kernel). */
async function gpuNorms(x: Float32Array, offsets: Uint32Array, code?: string): Promise<Float64Array> {
  const out = await h.page.evaluate(
    async (xs, os, code) => {
      const { gpu, lib, f32, u32, toB64 } = window.gp;
      const m = window.gp.lib;
      if (code === null) return toB64(await m.l2Norms(gpu!, f32(xs), u32(os)));
      const [xv, ov] = [f32(xs), u32(os)];
      const segments = ov.length - 1;
      const kernel = await m.createNormsKernel(gpu!, { code });
      const batch = new lib.GpuBatch(gpu!, 'test.norms');
      const out = batch.scratch('test.norms.out', 16 * segments);
      kernel.encode(batch, {
        x: batch.upload('test.norms.x', xv),
        offsets: batch.upload('test.norms.offsets', ov),
        segments,
        out,
        segmentsPerGroup: m.pickSegmentsPerGroup(ov, kernel.workgroup),
      });
      const r = batch.read(out, 16 * segments);
      await batch.submit();
      return toB64(m.decodeNorms(lib.u32(r).buffer as ArrayBuffer, segments));
    },
    b64(x),
    b64(offsets),
    code ?? null,
  );
  return fromB64F64(out);
}

/** Relative error of one norm against the float64 reference. */
const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe('norms kernel vs float64 reference', () => {
  const lengths = [0, 1, 7, 63, 65, 257, 100_003];

  it(`awkward segment lengths ${lengths.join(', ')}, mixed magnitudes`, async () => {
    const offsets = offsetsFor(lengths);
    const x = mixedMagnitudes(offsets, 5);
    const ref = l2NormsRef(x, offsets);
    const got = await gpuNorms(x, offsets);
    const cmp = compareArrays(got, ref, { rtol: RTOL, atol: ATOL });
    expect(cmp, `got ${Array.from(got)}\nref ${Array.from(ref)}`).toMatchObject({ ok: true });
    // The data really spans magnitudes a naive f32 Σx² could not hold.
    expect(Math.max(...ref) / Math.min(...ref.filter((v) => v > 0))).toBeGreaterThan(1e30);
  });

  it('encode level: offsetX, segments per workgroup 1 / 3 / 256 and workgroup sizes 32 / 256 agree with the reference', async () => {
    // Short (serial) and long (cooperative) segments interleaved, with poison before offsetX and after the last segment.
    const segLengths = [70, 0, 3, 65, 64, 1, 300, 2, 129, 0, 5000, 9];
    const offsets = offsetsFor(segLengths);
    const core = mixedMagnitudes(offsets, 9);
    const pad = 37;
    const x = new Float32Array(pad + core.length + 13).fill(3e38);
    x.set(core, pad);
    const ref = l2NormsRef(core, offsets);
    const results = await h.page.evaluate(
      async (xs, os, pad) => {
        const { gpu, lib, f32, u32, toB64 } = window.gp;
        const m = window.gp.lib;
        const [xv, ov] = [f32(xs), u32(os)];
        const segments = ov.length - 1;
        const out: { label: string; norms: string; counts: number[] }[] = [];
        for (const workgroup of [32, 256]) {
          const kernel = await m.createNormsKernel(gpu!, { workgroup });
          for (const perGroup of [1, 3, workgroup]) {
            const batch = new lib.GpuBatch(gpu!, 'test.norms.encode');
            // Pre-filled with all-ones words: a segment the kernel never writes decodes as "bad range" and throws.
            const o = batch.upload('test.norms.out', new Uint32Array(4 * segments).fill(0xffffffff));
            kernel.encode(batch, {
              x: batch.upload('test.norms.x', xv),
              offsets: batch.upload('test.norms.offsets', ov),
              segments,
              out: o,
              offsetX: pad,
              segmentsPerGroup: perGroup,
            });
            const r = batch.read(o, 16 * segments);
            await batch.submit();
            const words = lib.u32(r);
            out.push({
              label: `workgroup ${workgroup}, ${perGroup} per group`,
              norms: toB64(m.decodeNorms(words.buffer as ArrayBuffer, segments)),
              counts: Array.from({ length: segments }, (_, i) => words[4 * i + 3]),
            });
          }
        }
        return out;
      },
      b64(x),
      b64(offsets),
      pad,
    );
    expect(results).toHaveLength(6);
    for (const r of results) {
      expect(compareArrays(fromB64F64(r.norms), ref, { rtol: RTOL, atol: ATOL }), r.label).toMatchObject({ ok: true });
      expect(r.counts, r.label).toEqual(segLengths);
    }
  });

  it('70,001 segments with workgroups of 4, one segment each: a 2-D grid', async () => {
    const S = 70_001;
    // The precondition of the test: more workgroups than one grid dimension holds.
    expect(gridFor(S)[1]).toBeGreaterThan(1);
    const rng = makeRng(3);
    const segLengths = Array.from({ length: S }, (_, i) => (i % 997 === 5 ? 65 + (i % 50) : Math.floor(rng.uniform() * 6)));
    const offsets = offsetsFor(segLengths);
    const x = mixedMagnitudes(offsetsFor([offsets[S]]), 4);
    const ref = l2NormsRef(x, offsets);
    const out = await h.page.evaluate(
      async (xs, os) => {
        const { gpu, lib, f32, u32, toB64 } = window.gp;
        const m = window.gp.lib;
        const [xv, ov] = [f32(xs), u32(os)];
        const segments = ov.length - 1;
        const kernel = await m.createNormsKernel(gpu!, { workgroup: 4 });
        const batch = new lib.GpuBatch(gpu!, 'test.norms.grid');
        const o = batch.upload('test.norms.out', new Uint32Array(4 * segments).fill(0xffffffff));
        kernel.encode(batch, { x: batch.upload('test.norms.x', xv), offsets: batch.upload('test.norms.offsets', ov), segments, out: o });
        const r = batch.read(o, 16 * segments);
        await batch.submit();
        return toB64(m.decodeNorms(lib.u32(r).buffer as ArrayBuffer, segments));
      },
      b64(x),
      b64(offsets),
    );
    expect(compareArrays(fromB64F64(out), ref, { rtol: RTOL, atol: ATOL })).toMatchObject({ ok: true });
  });

  it('70,000 tiny segments through l2Norms (many segments per workgroup)', async () => {
    const rng = makeRng(8);
    const segLengths = Array.from({ length: 70_000 }, () => Math.floor(rng.uniform() * 5));
    const offsets = offsetsFor(segLengths);
    const x = mixedMagnitudes(offsetsFor([offsets[offsets.length - 1]]), 6);
    const cmp = compareArrays(await gpuNorms(x, offsets), l2NormsRef(x, offsets), { rtol: RTOL, atol: ATOL });
    expect(cmp).toMatchObject({ ok: true });
  });

  it('does not overflow: 1,000 × 1e30 → 3.162e31, 100 × 3e38 → 3e39 (beyond f32), mixed 3e38 and 1e-30', async () => {
    const big = new Float32Array(1000).fill(1e30);
    const huge = new Float32Array(100).fill(-3e38);
    const mixed = Float32Array.from({ length: 99 }, (_, i) => (i % 3 === 0 ? 3e38 : 1e-30));
    const offsets = offsetsFor([1000, 100, 99]);
    const x = new Float32Array([...big, ...huge, ...mixed]);
    const [nBig, nHuge, nMixed] = await gpuNorms(x, offsets);
    const ref = l2NormsRef(x, offsets);
    expect(rel(nBig, Math.sqrt(1000) * Math.fround(1e30))).toBeLessThan(RTOL);
    expect(nBig / 3.16227766e31).toBeCloseTo(1, 5);
    expect(rel(nHuge, 10 * Math.fround(3e38))).toBeLessThan(RTOL);
    expect(nHuge).toBeGreaterThan(10 * F32_MAX * 0.8);
    expect(Number.isFinite(nHuge)).toBe(true);
    expect(rel(nMixed, ref[2])).toBeLessThan(RTOL);
  });

  it('does not underflow: 1,000 × 1e-30 → 3.162e-29; subnormals 1e-40 come out exact', async () => {
    // 1e-30 is a normal f32 but its square (1e-60) underflows f32, so a naive Σx² would give 0.
    // 1e-40 is subnormal. WGSL may flush subnormals in float arithmetic, but this kernel reads x as u32
    // bits and decodes subnormals with integer ops (exact by WGSL's integer rules), so the norm is
    // expected exact here rather than "exact or 0".
    const tiny = new Float32Array(1000).fill(1e-30);
    const sub = Float32Array.from({ length: 64 }, (_, i) => (i % 2 ? -1e-40 : 1e-40));
    const smallest = new Float32Array(new Uint32Array([1, 1, 1, 1]).buffer); // 4 × 2^-149
    const withOne = new Float32Array([1e-40, 1, 1e-40]);
    const offsets = offsetsFor([1000, 64, 4, 3]);
    const x = new Float32Array([...tiny, ...sub, ...smallest, ...withOne]);
    const got = await gpuNorms(x, offsets);
    const ref = l2NormsRef(x, offsets);
    expect(rel(got[0], Math.sqrt(1000) * Math.fround(1e-30))).toBeLessThan(RTOL);
    expect(rel(got[1], 8 * Math.fround(1e-40))).toBeLessThan(RTOL);
    expect(got[2]).toBe(2 * 2 ** -149);
    expect(rel(got[3], ref[3])).toBeLessThan(RTOL);
  });

  it('reports Infinity / NaN from bit patterns (NaN wins) and keeps neighbouring segments right', async () => {
    const rng = makeRng(21);
    const cells: { bits?: number[]; values?: number[] }[] = [
      { values: [1, 2, 3] },
      { bits: [0x3f800000, 0x7f800000, 0x40000000] }, // 1, +Inf, 2 → Inf
      { bits: [0xff800000] }, // −Inf → Inf
      { bits: [0x40400000, 0x7fc00000] }, // 3, quiet NaN → NaN
      { bits: [0x7f800000, 0x7f800001, 0xff800000] }, // +Inf, signalling NaN, −Inf → NaN
      { bits: [0xffffffff, 0x3f800000] }, // negative NaN with full payload → NaN
      { values: Array.from({ length: 300 }, () => rng.normal()) },
      { values: [] },
      { bits: [0x7f7fffff, 0xff7fffff, 0x7f7fffff, 0x7f7fffff] }, // 4 × f32 max: finite 2·max, not Inf
      { bits: [0x80000000, 0x00000000] }, // −0, +0 → 0
      { bits: [...Array(200).fill(0x3f800000), 0x7fc00000, ...Array(100).fill(0x3f800000)] }, // NaN inside a long segment
      { bits: [...Array(100).fill(0x40000000), 0xff800000] }, // −Inf ending a long segment
      { values: Array.from({ length: 70 }, () => rng.normal() * 1e20) },
    ];
    const offsets = offsetsFor(cells.map((c) => (c.bits ?? c.values!).length));
    const bits = new Uint32Array(offsets[offsets.length - 1]);
    const x = new Float32Array(bits.buffer);
    cells.forEach((c, j) => (c.bits ? bits.set(c.bits, offsets[j]) : x.set(c.values!, offsets[j])));

    // The bit patterns reach the page intact (base64 there and back, through the harness's f32 decoder).
    const echoed = await h.page.evaluate((xs) => window.gp.toB64(window.gp.f32(xs)), b64(x));
    expect(echoed).toBe(b64(x));

    const ref = l2NormsRef(x, offsets);
    expect(Array.from(ref.slice(1, 6))).toEqual([Infinity, Infinity, NaN, NaN, NaN]);
    const got = await gpuNorms(x, offsets);
    expect(compareArrays(got, ref, { rtol: RTOL, atol: ATOL }), `got ${Array.from(got)}`).toMatchObject({ ok: true });
    expect(got[1]).toBe(Infinity);
    expect(got[2]).toBe(Infinity);
    expect(Number.isNaN(got[3]) && Number.isNaN(got[4]) && Number.isNaN(got[5])).toBe(true);
    expect(rel(got[8], 2 * F32_MAX)).toBeLessThan(RTOL);
    expect(got[9]).toBe(0);
    expect(Number.isNaN(got[10])).toBe(true);
    expect(got[11]).toBe(Infinity);
  });

  /** Raw output words (scale, ssq, status, count per segment) of one encode-level dispatch. */
  async function gpuWords(x: Float32Array, offsets: Uint32Array, workgroup: number, perGroup: number): Promise<Uint32Array> {
    const words = await h.page.evaluate(
      async (xs, os, workgroup, perGroup) => {
        const { gpu, lib, f32, u32 } = window.gp;
        const m = window.gp.lib;
        const [xv, ov] = [f32(xs), u32(os)];
        const segments = ov.length - 1;
        const kernel = await m.createNormsKernel(gpu!, { workgroup });
        const batch = new lib.GpuBatch(gpu!, 'test.norms.words');
        const o = batch.upload('test.norms.out', new Uint32Array(4 * segments).fill(0xffffffff));
        kernel.encode(batch, {
          x: batch.upload('test.norms.x', xv),
          offsets: batch.upload('test.norms.offsets', ov),
          segments,
          out: o,
          segmentsPerGroup: perGroup,
        });
        const r = batch.read(o, 16 * segments);
        await batch.submit();
        return Array.from(lib.u32(r));
      },
      b64(x),
      b64(offsets),
      workgroup,
      perGroup,
    );
    return Uint32Array.from(words);
  }

  /** Norms decoded from raw words as decodeNorms does (scale · √ssq, NaN / Infinity from the status). */
  function decodeWords(words: Uint32Array): number[] {
    const f = new Float32Array(words.buffer);
    return Array.from({ length: words.length / 4 }, (_, i) =>
      words[4 * i + 2] & 2 ? NaN : words[4 * i + 2] & 1 ? Infinity : f[4 * i] * Math.sqrt(f[4 * i + 1]),
    );
  }

  const f32bits = (bits: number[]) => new Float32Array(Uint32Array.from(bits).buffer);
  const pow2 = (e: number) => 2 ** e;

  it('block folding: segment starts at every residue mod 4, lengths around block and quad boundaries, serial and cooperative', async () => {
    // With workgroup 32 a cooperative block is 4 quads × 32 invocations = 512 values; serial blocks are 16.
    // Segments start at offsets ≡ 0, 1, 2, 3 (mod 4) because the lengths before them are odd / even.
    const segLengths = [1, 2, 3, 4, 5, 15, 16, 17, 33, 63, 64, 65, 511, 512, 513, 515, 1027, 2048, 2053, 4099, 16_387];
    const offsets = offsetsFor(segLengths);
    expect(new Set(Array.from(offsets.slice(0, -1), (o) => o % 4)).size).toBe(4);
    const x = mixedMagnitudes(offsets, 31);
    // The largest value of some segments sits in its last (partial) block or its tail, after smaller blocks.
    for (let j = 0; j < segLengths.length; j++) if (j % 2) x[offsets[j + 1] - 1] = 1e3 * Math.abs(x[offsets[j + 1] - 1]) + 1e-20;
    const ref = l2NormsRef(x, offsets);
    for (const [workgroup, perGroup] of [
      [32, 1],
      [256, 1],
      [32, 32],
      [4, 4],
    ]) {
      const got = decodeWords(await gpuWords(x, offsets, workgroup, perGroup));
      expect(compareArrays(Float64Array.from(got), ref, { rtol: RTOL, atol: ATOL }), `workgroup ${workgroup}, ${perGroup} per group`).toMatchObject({
        ok: true,
      });
    }
  });

  it('zeros, subnormals and normals in one block: zeros add nothing, subnormals count when near the block max, a subnormal block max is exact', async () => {
    const rng = makeRng(41);
    const cells: number[][] = [
      [0.25, ...Array(99).fill(0)], // a block max below 1 with zeros (ReLU-like): exactly 0.25
      [1e-30, 0, 0, 0, 0, 0, -0, 0], // the same far down: 1e-30
      [pow2(-126), ...Array(16).fill(pow2(-127))], // normal max, 16 subnormals at half of it: 2^-126 · √5
      [3 * pow2(-149), 0, 4 * pow2(-149)], // block max subnormal: 5 · 2^-149 exactly
      [0, 0, 0, pow2(-149)], // only the smallest subnormal: 2^-149
      Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? rng.normal() * 1e-39 : i % 3 === 1 ? rng.normal() * 1e-37 : 0)), // long, mixed
      [1, ...Array(4096).fill(pow2(-6))], // many values 2^-6 of the max: norm √2 exactly
      [1, pow2(-126), 1e-40, pow2(-127)], // values at and below 2^-126 of the max: 1
      [3e38, 1e-38, 1e-45, 3e38], // the far-below values vanish next to 3e38: 3e38 · √2
    ];
    const offsets = offsetsFor(cells.map((c) => c.length));
    const x = new Float32Array(cells.flat());
    const ref = l2NormsRef(x, offsets);
    for (const [workgroup, perGroup] of [
      [32, 1],
      [256, 256],
    ]) {
      const got = decodeWords(await gpuWords(x, offsets, workgroup, perGroup));
      const label = `workgroup ${workgroup}, ${perGroup} per group`;
      expect(compareArrays(Float64Array.from(got), ref, { rtol: RTOL, atol: ATOL }), `${label}: got ${got}`).toMatchObject({ ok: true });
      expect(got[0], label).toBe(0.25);
      expect(rel(got[1], Math.fround(1e-30)), label).toBeLessThan(RTOL);
      expect(rel(got[2], pow2(-126) * Math.sqrt(5)), label).toBeLessThan(RTOL);
      expect(got[3], label).toBe(5 * pow2(-149));
      expect(got[4], label).toBe(pow2(-149));
      expect(got[6], label).toBe(Math.SQRT2);
      expect(rel(got[7], 1), label).toBeLessThan(RTOL);
      expect(rel(got[8], Math.SQRT2 * Math.fround(3e38)), label).toBeLessThan(RTOL);
    }
  });

  it('status bits: ±Inf and NaN in the same block set both, each alone sets its own, in serial and cooperative segments', async () => {
    const ones = (n: number) => Array(n).fill(0x3f800000);
    const cells: number[][] = [
      [0x7f800000, 0x7fc00000, 0x3f800000, 0x40000000], // Inf and NaN in one quad → 3
      [0x3f800000, 0xff800000, ...ones(10), 0x7f800001], // −Inf, smallest-payload NaN, same block → 3
      [0x7fffffff, 0x3f800000], // NaN with full payload (XOR 0x007fffff gives 0x7f800000, not Inf) → 2
      [0x3f800000, 0x7f800000], // +Inf only → 1
      [0x7f7fffff, 0x7f7fffff], // f32 max, finite → 0
      [...ones(1000), 0xff800000, ...ones(1000), 0xffc00000, ...ones(50)], // long: −Inf and NaN far apart → 3
      [...ones(700), 0x7f800000, 0x7fc00001, ...ones(9)], // long: Inf and NaN in one block → 3
      [...ones(300), 0x7f800000], // long: Inf only → 1
      [...ones(300), 0x7f800001], // long: NaN only → 2
      ones(200), // long and finite → 0
    ];
    const offsets = offsetsFor(cells.map((c) => c.length));
    const x = f32bits(cells.flat());
    for (const [workgroup, perGroup] of [
      [32, 1],
      [256, 1],
      [4, 4],
    ]) {
      const words = await gpuWords(x, offsets, workgroup, perGroup);
      const statuses = Array.from({ length: cells.length }, (_, i) => words[4 * i + 2]);
      expect(statuses, `workgroup ${workgroup}, ${perGroup} per group`).toEqual([3, 3, 2, 1, 0, 3, 3, 1, 2, 0]);
      const got = decodeWords(words);
      expect(rel(got[4], Math.SQRT2 * F32_MAX)).toBeLessThan(RTOL);
      expect(rel(got[9], Math.sqrt(200))).toBeLessThan(RTOL);
    }
  });

  it('catches a deliberately wrong shader (no rescale, no square)', async () => {
    const offsets = offsetsFor(lengths);
    const x = mixedMagnitudes(offsets, 5);
    const ref = l2NormsRef(x, offsets);
    const noRescale = normsWGSL.replace('return s * bitcast<f32>(u32(2 * d + 127) << 23u);', 'return s;');
    const noSquare = normsWGSL.replace('let s = (v0 * v0 + v1 * v1) + (v2 * v2 + v3 * v3);', 'let s = (v0 + v1) + (v2 + v3);');
    // The per-block fold must rescale the running ssq when a block raises the invocation's scale.
    const noFoldRescale = normsWGSL.replace('(*acc).ssq *= select(0.0, bitcast<f32>(u32(2 * max(d, MIN_DELTA) + 127) << 23u), d >= MIN_DELTA);', '');
    for (const [name, code] of [
      ['no rescale', noRescale],
      ['no square', noSquare],
      ['no rescale in the fold', noFoldRescale],
    ] as const) {
      expect(code, `${name}: the mutation must apply`).not.toBe(normsWGSL);
      const cmp = compareArrays(await gpuNorms(x, offsets, code), ref, { rtol: RTOL, atol: ATOL });
      expect(cmp.ok, name).toBe(false);
    }
    // And the unmutated shader through the same path passes.
    expect(compareArrays(await gpuNorms(x, offsets, normsWGSL), ref, { rtol: RTOL, atol: ATOL })).toMatchObject({ ok: true });
  });

  it('reports a shader compile error with shaders/norms.wgsl:LINE:COL', async () => {
    const lines = normsWGSL.split('\n');
    const at = lines.findIndex((l) => l.startsWith('override SHORT'));
    expect(at).toBeGreaterThan(0);
    lines.splice(at, 0, 'const broken: u32 = ;');
    const err = await h.page.evaluate(async (code) => {
      const m = window.gp.lib;
      try {
        await m.createNormsKernel(window.gp.gpu!, { code });
        return { name: 'none', message: '' };
      } catch (e) {
        return { name: (e as Error).name, message: (e as Error).message };
      }
    }, lines.join('\n'));
    expect(err.name).toBe('ShaderCompileError');
    expect(err.message).toMatch(new RegExp(`shaders/norms\\.wgsl:${at + 1}:\\d+`));
  });

  it('rejects bad offsets and arguments with InputError naming the field', async () => {
    const errors = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const m = window.gp.lib;
      const x = new Float32Array(10).fill(1);
      const attempt = async (fn: () => Promise<unknown>) => {
        try {
          await fn();
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      };
      const kernel = await m.createNormsKernel(gpu!);
      const encodeWith = (offsets: number[], extra: Record<string, unknown> = {}) =>
        attempt(async () => {
          const batch = new lib.GpuBatch(gpu!, 'test.norms.bad');
          const out = batch.scratch('test.norms.out', 16 * (offsets.length - 1));
          kernel.encode(batch, { x: batch.upload('x', x), offsets: batch.upload('o', Uint32Array.from(offsets)), segments: offsets.length - 1, out, ...extra });
          const r = batch.read(out, 16 * (offsets.length - 1));
          await batch.submit();
          return m.decodeNorms(lib.u32(r).buffer as ArrayBuffer, offsets.length - 1);
        });
      return {
        decreasing: await attempt(() => m.l2Norms(gpu!, x, [0, 5, 3, 10])),
        pastEnd: await attempt(() => m.l2Norms(gpu!, x, [0, 11])),
        fractional: await attempt(() => m.l2Norms(gpu!, x, [0, 1.5])),
        negative: await attempt(() => m.l2Norms(gpu!, x, [-1, 3])),
        empty: await attempt(() => m.l2Norms(gpu!, x, [])),
        workgroup: await attempt(() => m.createNormsKernel(gpu!, { workgroup: 48 })),
        perGroup: await encodeWith([0, 10], { segmentsPerGroup: 0 }),
        segmentsTooMany: await encodeWith([0, 10], { segments: 5 }),
        gpuDecreasing: await encodeWith([0, 6, 4, 10]),
        gpuPastEnd: await encodeWith([0, 2, 200]),
        fine: await encodeWith([0, 4, 4, 10]),
        noSegments: (await m.l2Norms(gpu!, x, [7])).length,
        emptyX: Array.from(await m.l2Norms(gpu!, new Float32Array(0), [0, 0, 0])),
      };
    });
    expect(errors.decreasing).toMatch(/^InputError: offsets\[2\]: is 3, less than offsets\[1\] = 5/);
    expect(errors.pastEnd).toMatch(/^InputError: offsets\[1\]: must be an integer from 0 to 10/);
    expect(errors.fractional).toMatch(/^InputError: offsets\[1\]/);
    expect(errors.negative).toMatch(/^InputError: offsets\[0\]/);
    expect(errors.empty).toMatch(/^InputError: offsets: is empty/);
    expect(errors.workgroup).toMatch(/^InputError: workgroup: must be a power of two/);
    expect(errors.perGroup).toMatch(/^InputError: segmentsPerGroup/);
    expect(errors.segmentsTooMany).toMatch(/^InputError: offsets: buffer holds/);
    // Offsets in a GPUBuffer cannot be checked before the dispatch: the shader flags them, decodeNorms throws.
    expect(errors.gpuDecreasing).toMatch(/^InputError: offsets: segment 1 is out of order/);
    expect(errors.gpuPastEnd).toMatch(/^InputError: offsets: segment 1 /);
    expect(errors.fine).toBe('no error');
    expect(errors.noSegments).toBe(0);
    expect(errors.emptyX).toEqual([0, 0]);
  });

  it('the Kernel check passes, with GPU timings when timestamps exist', async () => {
    const results = await h.page.evaluate(async () => {
      const { normsCheck } = window.gp.checks;
      return { results: await normsCheck.run(window.gp.gpu!), timestamps: window.gp.gpu!.hasTimestamps };
    });
    expect(results.results.length).toBeGreaterThanOrEqual(2);
    for (const r of results.results) {
      expect(r, r.shape).toMatchObject({ kernel: 'norms', ok: true });
      expect(r.error).toBeUndefined();
      if (results.timestamps) expect(r.gpuMs).toBeGreaterThanOrEqual(0);
    }
  });
});
