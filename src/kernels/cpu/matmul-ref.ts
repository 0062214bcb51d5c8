import type { MatmulShape } from '../matmul';

/** Options of the float64 matmul reference: the kernel's shape plus its batch strides and alpha. */
export interface MatmulRefOptions extends MatmulShape {
  /** Elements between batch items of A (default m·k; 0 broadcasts). */
  strideA?: number;
  /** Elements between batch items of B (default k·n; 0 broadcasts). */
  strideB?: number;
  alpha?: number;
}

/** Unit roundoff of f32 (round to nearest). */
export const F32_EPS = 2 ** -24;
/** Smallest normal f32: WGSL may flush anything smaller to zero. */
export const F32_MIN_NORMAL = 2 ** -126;

/** float64 C = alpha · op(A) · op(B), row-major; m×n per batch item, items contiguous. */
export function matmulRef(a: ArrayLike<number>, b: ArrayLike<number>, opts: MatmulRefOptions): Float64Array {
  const { m, n, k } = opts;
  const batch = opts.batch ?? 1;
  const strideA = opts.strideA ?? m * k;
  const strideB = opts.strideB ?? k * n;
  const alpha = opts.alpha ?? 1;
  // op(A)[i, p] = a[baseA + i·ai + p·ap]; op(B)[p, j] = b[baseB + p·bp + j·bj].
  const [ai, ap] = opts.transA ? [1, m] : [k, 1];
  const [bp, bj] = opts.transB ? [1, k] : [n, 1];
  const c = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const baseA = t * strideA;
    const baseB = t * strideB;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[baseA + i * ai + p * ap] * b[baseB + p * bp + j * bj];
        c[(t * m + i) * n + j] = alpha * s;
      }
    }
  }
  return c;
}

/**
 * Per-element bound on |f32 result − exact| for any summation order (tiles, fma contraction):
 * γ·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ + (2k + 1)·2⁻¹²⁶·max(1, |alpha|), with γ = γ_{k+2} = (k + 2)u / (1 − (k + 2)u),
 * u = 2⁻²⁴: a dot product of length k in f32 errs by at most γ_k·Σ|a||b| (Higham, Accuracy and Stability,
 * §3.1), and alpha adds two roundings (its conversion to f32 and the multiply). The second term covers
 * subnormal products, sums and results that WGSL may flush to zero (each < 2⁻¹²⁶). Inputs are taken as the
 * exact f32 values the GPU sees, and assumed normal or zero (a flushed subnormal input is not covered).
 */
export function matmulErrorBound(a: ArrayLike<number>, b: ArrayLike<number>, opts: MatmulRefOptions): Float64Array {
  const abs = matmulRef(Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), { ...opts, alpha: 1 });
  const alpha = Math.abs(opts.alpha ?? 1);
  const rel = matmulGamma(opts.k) * alpha;
  const floor = (2 * opts.k + 1) * F32_MIN_NORMAL * Math.max(1, alpha);
  return abs.map((v) => rel * v + floor);
}

/** γ_{k+2} = (k + 2)u / (1 − (k + 2)u): the relative part of matmulErrorBound. */
export function matmulGamma(k: number): number {
  const ku = (k + 2) * F32_EPS;
  return ku / (1 - ku);
}

/**
 * A single (rtol, atol) for compareArrays implied by matmulErrorBound: atol = its largest entry and
 * rtol = γ_{k+2}, so |gpu − ref| ≤ atol + rtol·|ref| is looser than the per-element bound, never tighter.
 */
export function matmulTolerance(a: ArrayLike<number>, b: ArrayLike<number>, opts: MatmulRefOptions): { rtol: number; atol: number } {
  const bound = matmulErrorBound(a, b, opts);
  let atol = 0;
  for (const v of bound) atol = Math.max(atol, v);
  return { rtol: matmulGamma(opts.k), atol };
}
