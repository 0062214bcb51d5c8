import { describe, expect, it } from 'vitest';
import { verifyArrays, verifyExact, verifyMatmul } from '../../src/bench/verify';
import { showCheck } from '../../src/ui/bench-format';

// The Performance view words each row's float64 check from the Verification's data (rule, counts, tolerance),
// so it can be shown in the page's language; the English wording must say what `how` says for the files.
describe('showCheck', () => {
  it('words every rule from its data, as `how` does in English', () => {
    const a = Float32Array.from({ length: 6 }, (_, i) => i + 1);
    const b = Float32Array.from({ length: 6 }, (_, i) => 6 - i);
    // 2×3 · 3×2 = 2×2, every entry checked.
    const c = new Float32Array([1 * 6 + 2 * 4 + 3 * 2, 1 * 5 + 2 * 3 + 3 * 1, 4 * 6 + 5 * 4 + 6 * 2, 4 * 5 + 5 * 3 + 6 * 1]);
    const all = verifyMatmul(a, b, c, { m: 2, n: 2, k: 3 });
    expect(all.ok).toBe(true);
    expect(showCheck(all)).toBe('all 4 entries vs float64');
    expect(all.how).toBe('all 4 entries vs float64');

    // A 300×300 product sampled at 1,000 of its 90,000 entries.
    const n = 300;
    const big = new Float32Array(n * n).fill(1);
    const prod = new Float32Array(n * n).fill(n);
    const sampled = verifyMatmul(big, big, prod, { m: n, n, k: n }, 1000);
    expect(sampled.checked).toBe(1000);
    expect(showCheck(sampled)).toBe('1,000 of 90,000 entries vs float64');
    expect(sampled.how).toBe(showCheck(sampled));

    const tol = verifyArrays([1, 2, 3], [1, 2, 3.0001], { rtol: 1e-3, atol: 1e-6 }, 'mean and variance');
    // Shown as the project writes tolerances (formatScientific); the exported `how` keeps the plain numbers.
    expect(showCheck(tol)).toBe('3 values vs float64 (rtol 1e-3, atol 1e-6)');
    expect(tol.how).toBe('mean and variance vs float64 (rtol 0.001, atol 0.000001)');

    const exact = verifyExact([1, 2], [1, 2], 'copy');
    expect(showCheck(exact)).toBe('2 values, equal bit for bit');
    expect(exact.how).toBe('copy: exact');
  });
});
