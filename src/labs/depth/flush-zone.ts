// A GPU may flush f32 numbers below the smallest normal one (2^-126 ≈ 1.2e-38) to 0. It does so to single
// entries and to the products they are summed from, so a layer's norm can be exactly 0 while its float64 norm
// (a root-sum-square over m·n entries) is still well above 1.2e-38. Whether an exact 0 is such a flush is
// therefore decided from the forecast's entries, not its norm.
import { msg, str } from '@lit/localize';
import type { DeepNetConfig } from './config';
import { formatCount } from '../../locale-format';
import { layerRanges } from './zero-gaps';
import { F32_MIN_NORMAL, F32_MIN_SUBNORMAL, type F32Limits, type Verdict } from './predictions';

/** Why a layer's exact 0 reads as f32 flushing numbers below its smallest normal one to 0. */
export interface FlushEvidence {
  /** The float64 forecast of the layer's norm (‖·‖_F/√m). */
  value: number;
  /**
   * 'exact': an identity net's f32 forecast has every entry subnormal there. 'below': the forecast's typical
   * entry (`entry`), or the typical product it is summed from (`product`), is below f32's smallest normal
   * number. 'tolerance': neither is, but the forecast's tolerance band (`tolerance` decades) reaches below it.
   */
  kind: 'exact' | 'below' | 'tolerance';
  /** Root-mean-square entry of the forecast: value/√n (m·n entries, ‖·‖_F = value·√m). */
  entry: number;
  /** The typical product an entry is a sum of: n products of an entry of the layer before and a weight, entry/√n. */
  product: number;
  /** The forecast's tolerance at the layer, log10 units. */
  tolerance: number;
}

/**
 * Whether f32 holding exactly 0 at `layer` (1-based) is what a GPU that flushes subnormals makes of the
 * float64 forecast `values` (tolerance `tolerance`, log10 units): the evidence, or null.
 * Identity nets (`limits`, the f32 forecast of their largest entry) decide exactly: past the subnormal layer,
 * and before the layer where IEEE f32 itself rounds to 0 (`reached(a, b)`: layer a is at or past layer b in
 * the pass's order). Random nets: the typical product an entry is summed from, lowered by the forecast's
 * tolerance, is below f32's smallest normal number, while the typical entry is not below f32's smallest
 * subnormal one (there IEEE f32 rounds to 0 as well: not a flush).
 */
export function flushEvidence(
  config: DeepNetConfig,
  layer: number,
  values: ArrayLike<number> | null | undefined,
  tolerance: ArrayLike<number> | null | undefined,
  limits: F32Limits | null,
  reached: (a: number, b: number) => boolean,
): FlushEvidence | null {
  if (!values) return null;
  const value = values[layer - 1];
  if (!(value > 0) || !Number.isFinite(value)) return null;
  const n = config.width;
  const entry = value / Math.sqrt(n);
  const product = entry / Math.sqrt(n);
  const tol = tolerance ? tolerance[layer - 1] : 0;
  if (limits) {
    const subnormal = limits.subnormal !== null && reached(layer, limits.subnormal);
    const roundsToZero = limits.zero !== null && reached(layer, limits.zero);
    return subnormal && !roundsToZero ? { value, kind: 'exact', entry, product, tolerance: tol } : null;
  }
  if (entry < F32_MIN_SUBNORMAL) return null;
  if (product < F32_MIN_NORMAL) return { value, kind: 'below', entry, product, tolerance: tol };
  if (product * Math.pow(10, -tol) < F32_MIN_NORMAL) return { value, kind: 'tolerance', entry, product, tolerance: tol };
  return null;
}

/**
 * Per layer (index l − 1), whether an exact 0 measured there is what a GPU that flushes subnormals makes of
 * the forecast (`flushEvidence`). `verdict` counts such a 0 as agreeing with the forecast (both past f32's
 * smallest normal number) instead of infinitely far below it. (Where IEEE f32 itself rounds to 0, the forecast
 * is far below the 1e-37 underflow mark and `verdict` already counts the 0 as agreeing.)
 */
export function flushMask(
  config: DeepNetConfig,
  values: ArrayLike<number> | null | undefined,
  tolerance: ArrayLike<number> | null | undefined,
  limits: F32Limits | null,
  reached: (a: number, b: number) => boolean,
): boolean[] {
  const out: boolean[] = [];
  for (let l = 1; l <= config.depth; l++) out.push(flushEvidence(config, l, values, tolerance, limits, reached) !== null);
  return out;
}

/**
 * The typical product (RMS) below which a layer counts as partly flushed: 1.2e-38 / 0.3 ≈ 3.9e-38. An entry is a
 * sum of n products x·w of two roughly normal numbers; such products spread widely around their RMS, and those
 * below 0.3× the RMS carry 1% of the sum's energy (E[(Z₁Z₂)²; |Z₁Z₂| < 0.3] ≈ 0.0097 for independent standard
 * normal Z₁, Z₂). So from here down a GPU that flushes numbers below f32's smallest normal one drops at least
 * about 1% of a layer's energy, and more with every layer the pass goes on (the f32 simulation of the Xavier + ReLU
 * row at depth 124 lies measurably under its non-flushing twin from the layer this bound names onwards).
 */
export const PARTIAL_FLUSH_PRODUCT = F32_MIN_NORMAL / 0.3;

/**
 * Per layer (index l − 1), whether a GPU that flushes subnormals partly flushes the layer: the forecast's typical
 * product (`FlushEvidence.product`, value/n) is below `PARTIAL_FLUSH_PRODUCT`, or an earlier layer of the pass
 * (`reached`) was partly flushed (its loss carries over). A positive measurement there may lie under the forecast
 * by more than its tolerance; `verdict` counts one that is not above the forecast's band as agreeing and does not
 * compare it as a number. Identity nets (`limits` given) sum one product per entry and are decided by
 * `flushMask` alone: none here.
 */
export function partialFlushMask(
  config: DeepNetConfig,
  values: ArrayLike<number> | null | undefined,
  limits: F32Limits | null,
  reached: (a: number, b: number) => boolean,
): boolean[] {
  const L = config.depth;
  const own: boolean[] = [];
  for (let l = 1; l <= L; l++) {
    const v = values && !limits ? values[l - 1] : NaN;
    own.push(v > 0 && Number.isFinite(v) && v / config.width < PARTIAL_FLUSH_PRODUCT);
  }
  const flagged = own.flatMap((f, i) => (f ? [i + 1] : []));
  return own.map((_, i) => flagged.some((b) => reached(i + 1, b)));
}

/** "a is at or past b" in the forward pass (layers 1 → L) and in the backward pass (L → 1). */
export const FORWARD = (a: number, b: number): boolean => a >= b;
export const BACKWARD = (a: number, b: number): boolean => a <= b;

/** "at layer 5" / "at layers 5–12, 14" in the language shown. */
function atLayers(layers: readonly number[]): string {
  const ls = layerRanges(layers);
  return layers.length === 1 ? msg(str`at layer ${ls}`) : msg(str`at layers ${ls}`);
}

/**
 * The verdict line's sentence about layers `verdict` counted as agreeing because f32 holds 0 for a number it
 * flushes (`Verdict.flushedLayers`) or a value it partly flushed to 0 (`Verdict.partialLayers`), or '' when
 * there are none.
 */
export function flushedLayersText(layers: readonly number[] | undefined, partial?: readonly number[]): string {
  const zero = layers ?? [];
  const part = partial ?? [];
  if (part.length > 0) {
    return zero.length > 0
      ? msg(
          str`The GPU flushes numbers below 1.2e-38 (f32's smallest normal number) to zero, where float64 keeps them. In f32 the value is 0 ${atLayers(zero)}, where every product summed into an entry is that small, and it comes out too small ${atLayers(part)}, where some of them are. Flushing only lowers a value: on those layers a value under the forecast is explained by it and counts as agreeing, not compared as a number; a value more than the tolerance above the forecast would still disagree.`,
        )
      : msg(
          str`The GPU flushes numbers below 1.2e-38 (f32's smallest normal number) to zero, where float64 keeps them. In f32 the value comes out too small ${atLayers(part)}, where some of the products summed into each entry are that small. Flushing only lowers a value: on those layers a value under the forecast is explained by it and counts as agreeing, not compared as a number; a value more than the tolerance above the forecast would still disagree.`,
        );
  }
  if (zero.length === 0) return '';
  const ls = layerRanges(zero);
  return zero.length === 1
    ? msg(
        str`At layer ${ls} f32 holds 0 where float64 still has a tiny number: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number) to zero. That counts as agreeing; the layer is not compared as a number.`,
      )
    : msg(
        str`At layers ${ls} f32 holds 0 where float64 still has a tiny number: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number) to zero. That counts as agreeing; those layers are not compared as numbers.`,
      );
}

/**
 * How many layers the verdict line compared, and how many of those only as both past an f32 limit (both
 * overflowed or underflowed, or f32's 0 for a number it flushes) or as partly flushed to 0: those are the layers its other sentences
 * call "not compared as numbers", so the count must not read as if every layer were compared as a number.
 */
export function comparedText(v: Pick<Verdict, 'compared' | 'limitLayers' | 'partialLayers'>): string {
  const past = v.limitLayers ?? 0;
  const limit = past + (v.partialLayers?.length ?? 0);
  if (limit === 0) return msg(str`${formatCount(v.compared)} layers compared`);
  if (limit === v.compared) {
    return limit === past
      ? msg(str`${formatCount(v.compared)} layers compared, all of them as both past an f32 limit, not as numbers`)
      : msg(str`${formatCount(v.compared)} layers compared, none of them as numbers (past an f32 limit or lowered by flushing to 0)`);
  }
  return msg(str`${formatCount(v.compared)} layers compared, ${formatCount(v.compared - limit)} of them as numbers`);
}
