import { afterEach, describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatFixed, formatNumber, setFormatLocale } from '../../src/locale-format';

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
});
