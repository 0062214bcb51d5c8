/**
 * Locale-aware formatting for displayed numbers and dates (Intl.NumberFormat / Intl.DateTimeFormat),
 * shared by every view and by the labs' user-facing messages. The display locale is set by the UI when the
 * language changes (ui/locale.ts); until then it is English. Exports, URLs and JSON never use these:
 * their numbers stay locale-independent.
 */
let displayLocale = 'en';
const numberFormats = new Map<string, Intl.NumberFormat>();

/** Sets the locale the helpers below format for ('en' or 'ko'). */
export function setFormatLocale(locale: string): void {
  displayLocale = locale;
}

/** The locale displayed numbers are formatted for. */
export function formatLocale(): string {
  return displayLocale;
}

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${displayLocale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(displayLocale, options);
    numberFormats.set(key, f);
  }
  return f;
}

/**
 * A number for display, with the locale's grouping and decimal mark (`options` as Intl.NumberFormat's).
 * Scientific notation is written as the app's texts write it, with a small e and no plus sign (1.5e38,
 * 1e-37), not Intl's E (1.5E38).
 */
export function formatNumber(v: number, options: Intl.NumberFormatOptions = {}): string {
  const f = numberFormat(options);
  if (options.notation !== 'scientific' && options.notation !== 'engineering') return f.format(v);
  return f
    .formatToParts(v)
    .map((p) => (p.type === 'exponentSeparator' ? 'e' : p.value))
    .join('');
}

/** A number in scientific notation with at most `digits` significant digits, for tolerances and errors: 2e-5, 1.23e-7. */
export function formatScientific(v: number, digits: number): string {
  if (!Number.isFinite(v) || v === 0) return formatNumber(v);
  return formatNumber(v, { notation: 'scientific', maximumSignificantDigits: digits });
}

/** A count or other integer for display, grouped (12,345). */
export function formatCount(n: number): string {
  return numberFormat({ maximumFractionDigits: 0 }).format(n);
}

/** A number with exactly `digits` decimals for display (the locale's toFixed). */
export function formatFixed(v: number, digits: number): string {
  return numberFormat({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
}

/** A date and time for display in the locale's order and words. */
export function formatDateTime(d: Date | number, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(displayLocale, options).format(d);
}

/**
 * A number with at most `digits` significant digits for display, like `Number(v.toPrecision(digits))`
 * but in the locale's marks: plain from 1e-6 to 1e21 (grouped), scientific outside (1.5e38), as
 * JavaScript's own toString switches.
 */
export function formatSignificant(v: number, digits: number): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  const a = Math.abs(v);
  const scientific = a !== 0 && (a < 1e-6 || a >= 1e21);
  return formatNumber(v, { maximumSignificantDigits: digits, ...(scientific ? { notation: 'scientific' } : {}) });
}

/**
 * A measured value of any magnitude for display (the locale's counterpart of viz's `formatValue`): `digits`
 * (4) significant digits, plain from 1e-3 to 1e5, scientific outside (1.235e38); NaN, ∞ and −∞ as such.
 * Tables and texts switch at the same magnitudes, so a value reads the same way in both.
 */
export function formatMagnitude(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  const scientific = a !== 0 && (a < 1e-3 || a >= 1e5);
  return formatNumber(v, { maximumSignificantDigits: digits, ...(scientific ? { notation: 'scientific' } : {}) });
}
