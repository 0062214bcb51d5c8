import { msg, str } from '@lit/localize';
import type { Verification } from '../bench/verify';
import { formatCount, formatFixed, formatNumber, formatScientific } from '../locale-format';

/**
 * The Performance view's numbers for display (src/locale-format.ts, the shown language's digits): the same
 * roundings as bench-math's formatRate / formatRatio / formatShare, which the exported files keep.
 */

/** A rate: 3 significant digits (no decimals from 100 up), '—' for NaN. */
export function showRate(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x >= 100
    ? formatFixed(x, 0)
    : x >= 10
      ? formatFixed(x, 1)
      : x >= 1
        ? formatFixed(x, 2)
        : formatNumber(x, { maximumSignificantDigits: 2, minimumSignificantDigits: 2 });
}

/** A ratio like `5.3×`, '—' for NaN. */
export function showRatio(x: number): string {
  return Number.isFinite(x) ? `${formatFixed(x, x >= 10 ? 0 : 2)}×` : '—';
}

/** Share of a roof as a percentage, e.g. `41%`. */
export function showShare(x: number): string {
  return Number.isFinite(x) ? formatNumber(x, { style: 'percent', maximumFractionDigits: 0 }) : '—';
}

/** Milliseconds with 3 decimals under 10 ms, else 1. */
export function showMs(ms: number): string {
  return formatFixed(ms, ms < 10 ? 3 : 1);
}

/** How a row was checked against float64, in the shown language (the files keep `how`, in English, with plain tolerances). */
export function showCheck(v: Verification): string {
  const checked = formatCount(v.checked);
  const total = formatCount(v.total);
  switch (v.rule) {
    case 'exact':
      return msg(str`${checked} values, equal bit for bit`);
    case 'tolerance': {
      // Tolerances as the project writes them (1e-6, as the Kernel check shows them), not 0.000001.
      const rtol = formatScientific(v.tol?.rtol ?? NaN, 2);
      const atol = formatScientific(v.tol?.atol ?? NaN, 2);
      return msg(str`${checked} values vs float64 (rtol ${rtol}, atol ${atol})`);
    }
    case 'matmul-bound':
      return v.checked < v.total ? msg(str`${checked} of ${total} entries vs float64`) : msg(str`all ${total} entries vs float64`);
  }
}
