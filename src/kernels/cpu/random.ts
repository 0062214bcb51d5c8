/** Seeded random numbers (mulberry32), so tests, the app and shared links reproduce the same data. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

/** A reproducible generator from a 32-bit seed. */
export function makeRng(seed: number): Rng {
  let s = seed >>> 0;
  let spare: number | null = null;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const u1 = 1 - uniform();
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, normal };
}

/** `n` f32 values uniform in [lo, hi). */
export function makeUniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/** `n` f32 values from N(mean, std²). */
export function makeNormal(n: number, seed: number, mean = 0, std = 1): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => mean + std * rng.normal());
}
