import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { proseTokens } from '../../src/viz/number-tokens';

const nums = (s: string) =>
  proseTokens(s)
    .filter((t) => t.num)
    .map((t) => t.text);

/** Every span [start, end) of `s` covered by one number token. */
function numberSpans(s: string): [number, number][] {
  const spans: [number, number][] = [];
  let at = 0;
  for (const t of proseTokens(s)) {
    if (t.num) spans.push([at, at + t.text.length]);
    at += t.text.length;
  }
  return spans;
}

describe('proseTokens', () => {
  it('keeps the walk’s numbers whole (F8): the exponent with its hyphen, EN and KO', () => {
    expect(nums('…학습률 칸의 유효숫자 3자리로 반올림하면 1.24e-5입니다.')).toEqual(['3', '1.24e-5']);
    expect(nums('where float64 predicts ‖∂J/∂a‖ ≈ 1.4e-37: entries of about 1.7e-38, each')).toEqual(['‖∂J/∂a‖', '1.4e-37', '1.7e-38']);
  });

  it('reads signs, grouping, exponents in every form and percentages', () => {
    expect(nums('(−0.5, -3, +2) ±2 decades 12,345 rows, 1.5E+38, 2e−7, 1.5e38, 2²⁴ and 10⁻⁶, 2^-64 ≈ 5e-20, 5 × 10^-3, 5×10⁶, 50%, 0.7071^l.')).toEqual([
      '−0.5',
      '-3',
      '+2',
      '±2',
      '12,345',
      '1.5E+38',
      '2e−7',
      '1.5e38',
      '2²⁴',
      '10⁻⁶',
      '2^-64',
      '5e-20',
      '5 × 10^-3',
      '5×10⁶',
      '50%',
      '0.7071',
    ]);
  });

  it('keeps a fraction with its denominator: 2/λmax, 1/√2, 1/n', () => {
    expect(nums('한계 2/λmax(2.551e-5), 1/√2 ≈ 0.7071, 1/n, J/∂a')).toEqual(['2/λmax', '2.551e-5', '1/√2', '0.7071', '1/n']);
  });

  it('keeps a range of layers whole (walk s10 N4: "5–⏎12" at 390 px)', () => {
    expect(nums('0 at layers 1–4 and partly flushed at layers 5–12: 124 layers')).toEqual(['0', '1–4', '5–12', '124']);
    expect(nums('1–4층에서 0이고, 5–12층에서')).toEqual(['1–4', '0', '5–12']);
  });

  it('keeps a norm whole (walk s10 N4: "‖∂J/⏎∂a‖" at 390 px in Korean)', () => {
    expect(nums('예측값은 이 층에서 ‖∂J/∂a‖ ≈ 1.4e-37이고, ‖a[l]‖ ≈ 8.211·0.7071^l')).toEqual(['‖∂J/∂a‖', '1.4e-37', '‖a[l]‖', '8.211', '0.7071']);
    // Bars that do not close a norm are text.
    expect(nums('‖ a ‖ and ‖x')).toEqual([]);
  });

  it('keeps a scaled matrix and a ratio of symbols whole (walk s11: "W =⏎1.5·I" on the home page, "λmax/⏎λmin" in the lab, Korean at 390 px)', () => {
    expect(nums('모든 가중치 행렬이 W = 1.5·I이면 활성화 값은 1.5ˡ로 커지고, W = 0.5·I이면')).toEqual(['W = 1.5·I', '1.5', 'W = 0.5·I']);
    expect(nums('If every weight matrix is W = 1.5·I, the activations grow')).toEqual(['W = 1.5·I']);
    expect(nums('κ = λmax/λmin of the Hessian, 자기 한계 2/λmax의')).toEqual(['λmax/λmin', '2/λmax의']);
    // Not a scaled matrix: no number, a longer name, a product of names; not a ratio: Latin names.
    expect(nums('W = s·I, lr = 0.5·x, AB = 2·I, and/or')).toEqual(['0.5', '2']);
  });

  it('leaves names with digits and binary minus signs as text', () => {
    expect(nums('f32 x1 log10 W[l]')).toEqual([]);
    expect(nums('J − J* ≤ tol, (a)-3, x-1')).toEqual(['3', '1']);
    // A sentence's full stop and a list's comma stay outside the number.
    expect(nums('It is 5. Then 1, 2 and 3.')).toEqual(['5', '1', '2', '3']);
  });

  it('gives the input back and keeps every scientific number inside one token (property)', () => {
    // Words (numbers among them) and what separates them in prose.
    const word = fc.constantFrom('1.24e-5', '1.7e−38', '1E+38', '12,345', '−0.5', '3', '입니다', 'f32', 'x', 'e', '10⁻⁶', '50%');
    const sep = fc.constantFrom(' ', '. ', ', ', ' ≈ ', ' − ', '(', ')', ': ', '-', '−', '×');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, sep), { maxLength: 20 }), (pairs) => {
        const s = pairs.map(([w, p]) => w + p).join('');
        const tokens = proseTokens(s);
        expect(tokens.map((t) => t.text).join('')).toBe(s);
        expect(tokens.every((t) => t.text.length > 0)).toBe(true);
        const spans = numberSpans(s);
        // Independent of the tokenizer's pattern: a digit, an e, an optional sign and a digit, not after a name.
        for (const m of s.matchAll(/(?<![A-Za-z0-9_.])\d+(?:\.\d+)?[eE][-−+]?\d+/g)) {
          const [a, b] = [m.index, m.index + m[0].length];
          expect(
            spans.some(([x, y]) => x <= a && b <= y),
            `${m[0]} in ${JSON.stringify(s)}`,
          ).toBe(true);
        }
        // A number token never ends or starts in the middle of a digit run.
        for (const [x, y] of spans) {
          expect(/\d/.test(s[x - 1] ?? '') && /\d/.test(s[x])).toBe(false);
          expect(/\d/.test(s[y] ?? '') && /\d/.test(s[y - 1])).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});
