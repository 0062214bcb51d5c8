import { describe, expect, it } from 'vitest';
import { mergeMomentsRef, momentsAllRef, momentsRef, naiveVarianceF32, welfordRef, type MomentState } from '../../src/kernels/cpu/moments-ref';
import { makeNormal, makeRng, makeUniform } from '../../src/kernels/cpu/random';
import { makeMomentsPlan } from '../../src/kernels/moments';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('float64 moments reference', () => {
  it('gets a textbook example right: [2, 4, 4, 4, 5, 5, 7, 9] has mean 5 and population variance 4', () => {
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(momentsAllRef(x)).toEqual({ mean: 5, variance: 4 });
    const w = welfordRef(x);
    expect(w.count).toBe(8);
    expect(w.mean).toBeCloseTo(5, 14);
    expect(w.m2 / w.count).toBeCloseTo(4, 14);
  });

  it('Welford and the corrected two-pass agree on small awkward data', () => {
    for (const n of [1, 2, 7, 63, 1000]) {
      const x = makeNormal(n, 100 + n, 1e3, 0.01);
      const two = momentsAllRef(x);
      const w = welfordRef(x);
      expect(rel(w.mean, two.mean), `n=${n} mean`).toBeLessThan(1e-14);
      if (n === 1) expect(w.m2).toBe(0);
      else expect(rel(w.m2 / n, two.variance), `n=${n} variance`).toBeLessThan(1e-9);
    }
  });

  it('Chan merges of arbitrary splits (empty parts included), sequential or as a tree, give the whole', () => {
    const x = makeUniform(1001, 5, -4, 10);
    const whole = momentsAllRef(x);
    const rng = makeRng(9);
    for (let trial = 0; trial < 20; trial++) {
      const cuts = [0, x.length];
      for (let k = 0; k < 6; k++) cuts.push(Math.floor(rng.uniform() * (x.length + 1)));
      cuts.sort((a, b) => a - b);
      const parts = cuts.slice(1).map((end, i) => welfordRef(x.subarray(cuts[i], end)));
      const sequential = parts.reduce(mergeMomentsRef, { count: 0, mean: 0, m2: 0 });
      let level = parts;
      while (level.length > 1)
        level = Array.from({ length: Math.ceil(level.length / 2) }, (_, i) =>
          level[2 * i + 1] ? mergeMomentsRef(level[2 * i], level[2 * i + 1]) : level[2 * i],
        );
      for (const s of [sequential, level[0]]) {
        expect(s.count).toBe(x.length);
        expect(rel(s.mean, whole.mean)).toBeLessThan(1e-12);
        expect(rel(s.m2 / s.count, whole.variance)).toBeLessThan(1e-12);
      }
    }
    // Strided subsets, the way GPU lanes split a column.
    const strided = Array.from({ length: 7 }, (_, lane) => welfordRef(x, lane, 7)).reduce(mergeMomentsRef);
    expect(rel(strided.m2 / strided.count, whole.variance)).toBeLessThan(1e-12);
  });

  it('per-column moments are the moments of each column', () => {
    const [rows, cols] = [37, 5];
    const x = makeNormal(rows * cols, 3, 2, 5);
    const m = momentsRef(x, rows, cols);
    for (let c = 0; c < cols; c++) {
      const col = Float64Array.from({ length: rows }, (_, r) => x[r * cols + c]);
      const one = momentsAllRef(col);
      expect(rel(m.mean[c], one.mean)).toBeLessThan(1e-14);
      expect(rel(m.variance[c], one.variance)).toBeLessThan(1e-12);
    }
    const single = momentsRef([42], 1, 1);
    expect([single.mean[0], single.variance[0]]).toEqual([42, 0]);
  });

  it('stays exact under a large shift (float64 two-pass): 10⁸ + [1, 2, 3, 4] has variance 1.25', () => {
    expect(momentsAllRef([1e8 + 1, 1e8 + 2, 1e8 + 3, 1e8 + 4])).toEqual({ mean: 1e8 + 2.5, variance: 1.25 });
  });
});

/** The kernel's algorithm in f32 (Math.fround at every step): Welford per lane, Chan tree per workgroup, then finalize. */
function stableF32(x: Float32Array): number {
  const f = Math.fround;
  const welford = (s: MomentState, v: number): MomentState => {
    const count = f(s.count + 1);
    const d = f(v - s.mean);
    const mean = f(s.mean + f(d / count));
    return { count, mean, m2: f(s.m2 + f(d * f(v - mean))) };
  };
  const merge = (a: MomentState, b: MomentState): MomentState => {
    if (b.count === 0) return a;
    if (a.count === 0) return b;
    const count = f(a.count + b.count);
    const d = f(b.mean - a.mean);
    const wb = f(b.count / count);
    return { count, mean: f(a.mean + f(d * wb)), m2: f(f(a.m2 + b.m2) + f(f(f(d * d) * a.count) * wb)) };
  };
  const tree = (states: MomentState[]): MomentState => {
    for (let step = states.length / 2; step >= 1; step /= 2) for (let i = 0; i < step; i++) states[i] = merge(states[i], states[i + step]);
    return states[0];
  };
  const { lanes, chunks } = makeMomentsPlan(x.length, 1);
  const partials: MomentState[] = [];
  for (let g = 0; g < chunks; g++) {
    const states = Array.from({ length: lanes }, (_, lane) => {
      let s: MomentState = { count: 0, mean: 0, m2: 0 };
      for (let r = g * lanes + lane; r < x.length; r += chunks * lanes) s = welford(s, x[r]);
      return s;
    });
    partials.push(tree(states));
  }
  const finalStates = Array.from({ length: lanes }, (_, lane) => {
    let s: MomentState = { count: 0, mean: 0, m2: 0 };
    for (let g = lane; g < chunks; g += lanes) s = merge(s, partials[g]);
    return s;
  });
  const total = tree(finalStates);
  return f(total.m2 / total.count);
}

describe('why the kernel merges (n, mean, M2) instead of summing x and x²', () => {
  const x = makeUniform(1_000_000, 2024, 1e4, 1e4 + 1);
  const ref = momentsAllRef(x);

  it('naive f32 E[x²] − E[x]² is fine on centred data (it is the textbook formula, not a strawman)', () => {
    const centred = makeNormal(1000, 8, 0, 1);
    expect(rel(naiveVarianceF32(centred), momentsAllRef(centred).variance)).toBeLessThan(1e-4);
  });

  it('naive f32 E[x²] − E[x]² on 10⁶ values of 10⁴ + U(0,1) is far off: relative error > 0.5 or negative', () => {
    const naive = naiveVarianceF32(x);
    expect(naive < 0 || rel(naive, ref.variance) > 0.5, `naive ${naive} vs ${ref.variance}`).toBe(true);
  });

  it('the same f32 arithmetic through Welford + Chan is within 1e-3 of float64', () => {
    expect(rel(stableF32(x), ref.variance)).toBeLessThan(1e-3);
  });
});

describe('makeMomentsPlan', () => {
  it('tiles columns by a power of two, keeps tile × lanes = workgroup, and bounds the chunks', () => {
    for (const workgroup of [256, 64, 1]) {
      for (const [rows, cols] of [
        [1, 1],
        [7, 1],
        [1, 7],
        [63, 65],
        [1_000_000, 1],
        [1_000_000, 1024],
        [3, 100_000],
      ]) {
        const p = makeMomentsPlan(rows, cols, workgroup);
        expect(p.tile * p.lanes).toBe(workgroup);
        expect(p.tile & (p.tile - 1)).toBe(0);
        expect(p.tile >= cols || p.tile === workgroup).toBe(true);
        expect(p.tiles * p.tile).toBeGreaterThanOrEqual(cols);
        expect(p.chunks).toBeGreaterThanOrEqual(1);
        expect(p.chunks).toBeLessThanOrEqual(256);
        expect(p.partialBytes).toBe(p.chunks > 1 ? p.chunks * cols * 12 : 0);
        // Partial states never outgrow the input.
        expect(p.partialBytes).toBeLessThanOrEqual(rows * cols * 4);
      }
    }
  });
});
