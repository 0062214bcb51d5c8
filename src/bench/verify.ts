// float64 checks of benchmark results: a fast but wrong kernel fails its row.
import { matmulGamma, F32_MIN_NORMAL } from '../kernels/cpu/matmul-ref';
import { compareArrays } from '../kernels/compare';
import type { MatmulShape } from '../kernels/matmul';

/** Outcome of checking one row against float64. */
export interface Verification {
  ok: boolean;
  /** Largest |result − ref| / max(|ref|, tiny) over the checked values. */
  maxRelError: number;
  /** Values compared (a sample for large matmuls). */
  checked: number;
  /** Index of the first value out of tolerance, or -1. */
  firstBad: number;
  /** How it was checked, in English for files and logs: "65,536 of 1,048,576 entries vs float64". */
  how: string;
  /** The same as data, for a page to word in its language: the rule, the values there were, the tolerance. */
  rule: 'matmul-bound' | 'tolerance' | 'exact';
  total: number;
  tol?: { rtol: number; atol: number };
}

/** Deterministic sample of `count` indices out of `total`, always including 0 and total − 1 (all when count ≥ total). */
export function sampleIndices(total: number, count: number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, i) => i);
  const out = new Set<number>([0, total - 1]);
  // A stride coprime-ish to tile sizes visits every row and column class across the matrix.
  const stride = total / count;
  for (let i = 0; out.size < count && i < count; i++) out.add(Math.min(total - 1, Math.floor(i * stride + ((i * 7919) % Math.max(1, Math.floor(stride))))));
  return [...out].sort((a, b) => a - b);
}

/**
 * Checks C = op(A)·op(B) (batched, contiguous items) against float64 at `samples` entries (all of them
 * when C is smaller): each entry within γ_{k+2}·Σ|a·b| + (2k+1)·2⁻¹²⁶ of the exact dot product — the
 * bound that holds for any summation order in f32 (see matmulErrorBound).
 */
export function verifyMatmul(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, s: MatmulShape, samples = 65536): Verification {
  const { m, n, k } = s;
  const batch = s.batch ?? 1;
  const total = batch * m * n;
  if (c.length < total)
    return { ok: false, maxRelError: Infinity, checked: 0, firstBad: c.length, how: `result has ${c.length} of ${total} entries`, rule: 'matmul-bound', total };
  const gamma = matmulGamma(k);
  const floor = (2 * k + 1) * F32_MIN_NORMAL;
  let maxRel = 0;
  let firstBad = -1;
  const idx = sampleIndices(total, samples);
  for (const e of idx) {
    const item = Math.floor(e / (m * n));
    const i = Math.floor((e % (m * n)) / n);
    const j = e % n;
    const aBase = item * m * k;
    const bBase = item * k * n;
    let dot = 0;
    let abs = 0;
    for (let p = 0; p < k; p++) {
      const av = s.transA ? a[aBase + p * m + i] : a[aBase + i * k + p];
      const bv = s.transB ? b[bBase + j * k + p] : b[bBase + p * n + j];
      dot += av * bv;
      abs += Math.abs(av * bv);
    }
    const g = c[e];
    const err = Math.abs(g - dot);
    const bad = !(err <= gamma * abs + floor); // NaN fails too
    if (bad && firstBad < 0) firstBad = e;
    maxRel = Math.max(maxRel, Number.isNaN(err) ? Infinity : err / Math.max(Math.abs(dot), floor));
  }
  const how =
    idx.length === total
      ? `all ${total.toLocaleString('en-US')} entries vs float64`
      : `${idx.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} entries vs float64`;
  return { ok: firstBad < 0, maxRelError: maxRel, checked: idx.length, firstBad, how, rule: 'matmul-bound', total };
}

/** compareArrays as a Verification. */
export function verifyArrays(got: ArrayLike<number>, ref: ArrayLike<number>, tol: { rtol: number; atol: number }, what: string): Verification {
  const c = compareArrays(got, ref, tol);
  return {
    ok: c.ok,
    maxRelError: c.maxRelError,
    checked: c.count,
    firstBad: c.firstBad,
    how: `${what} vs float64 (rtol ${tol.rtol}, atol ${tol.atol})`,
    rule: 'tolerance',
    total: ref.length,
    tol: { ...tol },
  };
}

/** Exact equality (a copy must reproduce its input bit for bit, NaN payloads aside). */
export function verifyExact(got: ArrayLike<number>, ref: ArrayLike<number>, what: string): Verification {
  let firstBad = got.length === ref.length ? -1 : Math.min(got.length, ref.length);
  for (let i = 0; firstBad < 0 && i < ref.length; i++) if (!Object.is(got[i], ref[i]) && !(Number.isNaN(got[i]) && Number.isNaN(ref[i]))) firstBad = i;
  return { ok: firstBad < 0, maxRelError: firstBad < 0 ? 0 : Infinity, checked: ref.length, firstBad, how: `${what}: exact`, rule: 'exact', total: ref.length };
}
