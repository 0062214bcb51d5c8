// The verdict line's tolerance, in words a student reads: an exact forecast's 0.01 (log10 units), or for a
// mean-field forecast the factor its finite-width band allows at the verdict's worst layer (walk s11 D2: "agree"
// beside lines 3–5× apart read as a wrong forecast called right, while the band there allows ×220).
import { msg, str } from '@lit/localize';
import { formatNumber, formatSignificant } from '../../locale-format';
import { comparedText } from './flush-zone';
import type { Verdict } from './predictions';

/** The factor 10^tolerance a verdict allowed at its worst layer (measured/predicted either way), or null. */
export function toleranceFactor(tolerance: ArrayLike<number> | null, worstLayer: number | null): number | null {
  if (!tolerance || worstLayer === null || worstLayer < 1 || worstLayer > tolerance.length) return null;
  const t = tolerance[worstLayer - 1];
  return Number.isFinite(t) ? 10 ** t : null;
}

/**
 * The verdict line's parenthesis before its lost layers: "tolerance 0.01; 24 layers compared" for an exact
 * forecast; for a mean-field one "within the ×220 allowed at that layer for the finite-width scatter; …" (or
 * "beyond" for a disagreeing verdict), the factor being `toleranceFactor` at the worst layer, two significant digits.
 */
export function verdictToleranceText(
  pred: { exact: boolean; tolerance: ArrayLike<number> | null },
  v: Pick<Verdict, 'verdict' | 'worstLayer' | 'compared' | 'limitLayers' | 'partialLayers'>,
): string {
  const compared = comparedText(v);
  if (pred.exact) return msg(str`tolerance ${formatNumber(0.01)}; ${compared}`);
  const f = toleranceFactor(pred.tolerance, v.worstLayer);
  if (f === null) return msg(str`tolerance ${msg('grows with depth / width')}; ${compared}`);
  const x = formatSignificant(f, 2);
  return v.verdict === 'agree'
    ? msg(str`within the ×${x} allowed at that layer for the finite-width scatter; ${compared}`)
    : msg(str`beyond the ×${x} allowed at that layer for the finite-width scatter; ${compared}`);
}
