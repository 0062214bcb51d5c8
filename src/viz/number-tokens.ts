/**
 * Numbers in prose: a string split into text and number tokens, so a view can keep each number on one line
 * (a break after the hyphen of 1.24e-5 reads as two things, "1.24e-" and "5").
 */

/**
 * A piece of a prose string: a number, a norm such as ‖∂J/∂a‖, a scaled matrix (W = 1.5·I) or a ratio of
 * symbols (λmax/λmin) (`num`: kept on one line; Korean at 390 px broke '‖∂J/⏎∂a‖'), or the text between them.
 */
export interface ProseToken {
  text: string;
  num: boolean;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
// A number: an optional sign (±, -, −, +) where it cannot be a binary operator, a mantissa (digits grouped with
// commas, or plain, with decimals), then an optional exponent (e-5, e−5, E+38, × 10^-3, ×10⁻⁶, 2²⁴, 2^-64), a
// denominator (2/λmax, 1/√2, 1/n: Korean at 390 px broke '2/⏎λmax'), a range's end after an en dash (layers
// 5–12: English at 390 px broke '5–⏎12') and %.
// Not after a Latin letter, digit, '_' or '.': the 32 of f32, the 1 of x1 and the 10 of log10 are names.
const NUMBER = new RegExp(
  [
    '(?<![A-Za-z0-9_.])',
    '(?:(?<![)\\]])[±+\\-−](?=\\.?\\d))?',
    '(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?',
    '(?:[eE][+\\-−]?\\d+|\\^[+\\-−]?\\d+|\\s?×\\s?10(?:\\^[+\\-−]?\\d+|[⁻⁺]?[' + SUPERSCRIPT + ']+)|[⁻⁺]?[' + SUPERSCRIPT + ']+)?',
    '(?:/√?[\\p{L}\\p{N}]+)?',
    '(?:–\\d+(?:\\.\\d+)?)?',
    '%?',
  ].join(''),
  'gu',
);

// A matrix set to a multiple of another, W = 1.5·I (Korean at 390 px broke 'W =⏎1.5·I'): one letter, =, a number, ·
// and a letter.
const SCALED_MATRIX = '(?<![\\p{L}\\p{N}_.])[A-Za-zα-ωΑ-Ω] ?= ?\\d+(?:\\.\\d+)?·[A-Za-z](?![A-Za-z0-9])';
// A ratio of two symbols that start with a Greek letter, λmax/λmin (Korean at 390 px broke 'λmax/⏎λmin').
const SYMBOL_RATIO = '(?<![\\p{L}\\p{N}_.])[α-ωΑ-Ω][a-z]{0,4}/[α-ωΑ-Ω][a-z]{0,4}(?![a-z])';

// A norm written ‖…‖ with no space inside (‖a‖, ‖∂J/∂a‖, ‖a[l]‖), a scaled matrix, a ratio of symbols, or a number.
const NORM_OR_NUMBER = new RegExp(`‖[^‖\\s]{1,24}‖|${SCALED_MATRIX}|${SYMBOL_RATIO}|${NUMBER.source}`, 'gu');

/** `text` as text and number (or norm) tokens; their texts joined give `text` back. */
export function proseTokens(text: string): ProseToken[] {
  const out: ProseToken[] = [];
  let at = 0;
  for (const m of text.matchAll(NORM_OR_NUMBER)) {
    const start = m.index;
    if (start > at) out.push({ text: text.slice(at, start), num: false });
    out.push({ text: m[0], num: true });
    at = start + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), num: false });
  return out;
}
