// The float64 matmul reference on cases small enough to check by hand.
import { describe, expect, it } from 'vitest';
import { F32_EPS, matmulErrorBound, matmulGamma, matmulRef, matmulTolerance } from '../../src/kernels/cpu/matmul-ref';

// A = [1 2 3; 4 5 6] (2×3), B = [7 8; 9 10; 11 12] (3×2).
// A·B = [1·7+2·9+3·11, 1·8+2·10+3·12; 4·7+5·9+6·11, 4·8+5·10+6·12] = [58 64; 139 154].
const A = [1, 2, 3, 4, 5, 6];
const B = [7, 8, 9, 10, 11, 12];
const AT = [1, 4, 2, 5, 3, 6]; // Aᵀ stored 3×2
const BT = [7, 9, 11, 8, 10, 12]; // Bᵀ stored 2×3
const AB = [58, 64, 139, 154];

describe('matmulRef', () => {
  it('multiplies a 2×3 by a 3×2', () => {
    expect([...matmulRef(A, B, { m: 2, n: 2, k: 3 })]).toEqual(AB);
  });

  it('gives the same product from transposed storage, for each operand and both', () => {
    expect([...matmulRef(AT, B, { m: 2, n: 2, k: 3, transA: true })]).toEqual(AB);
    expect([...matmulRef(A, BT, { m: 2, n: 2, k: 3, transB: true })]).toEqual(AB);
    expect([...matmulRef(AT, BT, { m: 2, n: 2, k: 3, transA: true, transB: true })]).toEqual(AB);
  });

  it('uses the transposes as products of their own: Aᵀ·Aᵀᵀ and a 3×3 result', () => {
    // op(A) = Aᵀ (3×2, A stored 2×3), op(B) = A (2×3): AᵀA = [17 22 27; 22 29 36; 27 36 45].
    expect([...matmulRef(A, A, { m: 3, n: 3, k: 2, transA: true })]).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    // op(A) = A, op(B) = Aᵀ (B stored 2×3 = A, transB): AAᵀ = [14 32; 32 77].
    expect([...matmulRef(A, A, { m: 2, n: 2, k: 3, transB: true })]).toEqual([14, 32, 32, 77]);
  });

  it('handles 1×1×1 and a row times a column (k only)', () => {
    expect([...matmulRef([3], [-4], { m: 1, n: 1, k: 1 })]).toEqual([-12]);
    expect([...matmulRef([1, 2, 3], [4, 5, 6], { m: 1, n: 1, k: 3 })]).toEqual([32]);
    // Outer product: column (3×1) times row (1×2).
    expect([...matmulRef([1, 2, 3], [10, 20], { m: 3, n: 2, k: 1 })]).toEqual([10, 20, 20, 40, 30, 60]);
  });

  it('batches contiguous items, and broadcasts with stride 0', () => {
    // Item 0: [1 2]·[3; 4] = 11; item 1: [5 6]·[7; 8] = 83.
    expect([...matmulRef([1, 2, 5, 6], [3, 4, 7, 8], { m: 1, n: 1, k: 2, batch: 2 })]).toEqual([11, 83]);
    // A broadcast: [1 2]·[3; 4] = 11, [1 2]·[7; 8] = 23.
    expect([...matmulRef([1, 2], [3, 4, 7, 8], { m: 1, n: 1, k: 2, batch: 2, strideA: 0 })]).toEqual([11, 23]);
    // B broadcast with a padded A stride (3, one unused value between items): [1 2]·[3;4]=11, [5 6]·[3;4]=39.
    expect([...matmulRef([1, 2, 99, 5, 6], [3, 4], { m: 1, n: 1, k: 2, batch: 2, strideA: 3, strideB: 0 })]).toEqual([11, 39]);
  });

  it('scales by alpha', () => {
    expect([...matmulRef(A, B, { m: 2, n: 2, k: 3, alpha: -0.5 })]).toEqual([-29, -32, -69.5, -77]);
  });
});

describe('matmul error bound', () => {
  it('is γ_{k+2}·|alpha|·(|A|·|B|) plus a subnormal floor', () => {
    // |A|·|B| for A = [1 −2], B = [3; 4]: 1·3 + 2·4 = 11; k = 2, alpha = −2.
    const [bound] = matmulErrorBound([1, -2], [3, 4], { m: 1, n: 1, k: 2, alpha: -2 });
    const gamma = (4 * F32_EPS) / (1 - 4 * F32_EPS);
    expect(matmulGamma(2)).toBe(gamma);
    expect(bound).toBe(gamma * 2 * 11 + 5 * 2 * 2 ** -126);
    // Where the products are zero, only the floor remains.
    expect([...matmulErrorBound([0], [5], { m: 1, n: 1, k: 1 })]).toEqual([3 * 2 ** -126]);
  });

  it('gives compareArrays a tolerance no tighter than the per-element bound', () => {
    const tol = matmulTolerance(A, B, { m: 2, n: 2, k: 3 });
    const bound = matmulErrorBound(A, B, { m: 2, n: 2, k: 3 });
    expect(tol.rtol).toBe(matmulGamma(3));
    expect(tol.atol).toBe(Math.max(...bound));
  });
});
