/** Result of comparing a GPU (f32) result with the float64 reference. */
export interface Comparison {
  ok: boolean;
  /** max over i of |gpu − ref| / max(|ref|, atol / rtol). */
  maxRelError: number;
  maxAbsError: number;
  /** First index that breaks |gpu − ref| ≤ atol + rtol·|ref|, or -1. */
  firstBad: number;
  count: number;
}

/**
 * Compares element by element: passes when |gpu − ref| ≤ atol + rtol·|ref| everywhere and non-finite
 * values match exactly (Inf with Inf of the same sign, NaN with NaN).
 */
export function compareArrays(gpu: ArrayLike<number>, ref: ArrayLike<number>, { rtol = 1e-5, atol = 1e-6 }: { rtol?: number; atol?: number } = {}): Comparison {
  if (gpu.length !== ref.length) {
    return { ok: false, maxRelError: Infinity, maxAbsError: Infinity, firstBad: Math.min(gpu.length, ref.length), count: ref.length };
  }
  let maxRel = 0;
  let maxAbs = 0;
  let firstBad = -1;
  const floor = atol / rtol;
  for (let i = 0; i < ref.length; i++) {
    const g = gpu[i];
    const r = ref[i];
    let bad: boolean;
    if (!Number.isFinite(r) || !Number.isFinite(g)) {
      bad = !(Object.is(g, r) || (Number.isNaN(g) && Number.isNaN(r)));
      if (bad) maxRel = maxAbs = Infinity;
    } else {
      const abs = Math.abs(g - r);
      maxAbs = Math.max(maxAbs, abs);
      maxRel = Math.max(maxRel, abs / Math.max(Math.abs(r), floor));
      bad = abs > atol + rtol * Math.abs(r);
    }
    if (bad && firstBad < 0) firstBad = i;
  }
  return { ok: firstBad < 0, maxRelError: maxRel, maxAbsError: maxAbs, firstBad, count: ref.length };
}
