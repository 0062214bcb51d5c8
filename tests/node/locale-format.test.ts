import { afterEach, describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDateTime,
  formatFixed,
  formatNumber,
  formatMagnitude,
  formatScientific,
  formatSignificant,
  setFormatLocale,
} from '../../src/locale-format';

afterEach(() => setFormatLocale('en'));

describe('locale-aware display numbers', () => {
  it('groups and rounds for English by default', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatFixed(1234.5, 2)).toBe('1,234.50');
    expect(formatNumber(0.000123, { maximumSignificantDigits: 2 })).toBe('0.00012');
  });

  it('follows the display locale, dates included', () => {
    const d = new Date(Date.UTC(2026, 11, 6, 12, 0));
    const en = formatDateTime(d, { dateStyle: 'long', timeZone: 'UTC' });
    setFormatLocale('ko');
    expect(formatCount(1234567)).toBe('1,234,567');
    const ko = formatDateTime(d, { dateStyle: 'long', timeZone: 'UTC' });
    expect(en).toBe('December 6, 2026');
    expect(ko).toBe('2026년 12월 6일');
    setFormatLocale('de');
    expect(formatFixed(1234.5, 1)).toBe('1.234,5');
  });

  it('keeps a few significant digits, switching to scientific notation where toString does, in the locale’s marks', () => {
    expect(formatSignificant(1.41421356, 4)).toBe('1.414');
    expect(formatSignificant(12345.678, 4)).toBe('12,350');
    expect(formatSignificant(0.5, 4)).toBe('0.5');
    expect(formatSignificant(1.5e38, 4)).toBe('1.5e38');
    expect(formatSignificant(1.234567e-9, 3)).toBe('1.23e-9');
    expect(formatSignificant(0, 4)).toBe('0');
    expect(formatSignificant(Infinity, 4)).toBe('∞');
    setFormatLocale('de');
    expect(formatSignificant(1.41421356, 4)).toBe('1,414');
    expect(formatSignificant(1.5e38, 2)).toBe('1,5e38');
  });

  it('shows a measured magnitude plainly between 1e-3 and 1e5 and in scientific notation outside, ∞ and NaN as symbols', () => {
    expect(formatMagnitude(1234.5678)).toBe('1,235');
    expect(formatMagnitude(0.0123456)).toBe('0.01235');
    expect(formatMagnitude(3.4028e38)).toBe('3.403e38');
    expect(formatMagnitude(-1.5e-40)).toBe('-1.5e-40');
    expect(formatMagnitude(0)).toBe('0');
    expect(formatMagnitude(Infinity)).toBe('∞');
    expect(formatMagnitude(-Infinity)).toBe('−∞');
    expect(formatMagnitude(NaN)).toBe('NaN');
    setFormatLocale('de');
    expect(formatMagnitude(1234.5678)).toBe('1.235');
    expect(formatMagnitude(3.4028e38)).toBe('3,403e38');
  });

  it('writes every exponent as the app’s texts do (1e38, 1e-37): a small e, no plus sign, in every locale', () => {
    expect(formatScientific(2e-5, 2)).toBe('2e-5');
    expect(formatScientific(1.2345e-7, 3)).toBe('1.23e-7');
    expect(formatScientific(1e18, 2)).toBe('1e18');
    expect(formatScientific(0, 2)).toBe('0');
    expect(formatNumber(3.4e38, { notation: 'scientific' })).toBe('3.4e38');
    expect(formatNumber(12345, { notation: 'engineering' })).toBe('12.345e3');
    for (const locale of ['ko', 'de']) {
      setFormatLocale(locale);
      expect(formatMagnitude(-1.5e-40)).toMatch(/^-1[.,]5e-40$/);
      expect(formatScientific(1e-6, 2)).toBe('1e-6');
    }
  });
});
