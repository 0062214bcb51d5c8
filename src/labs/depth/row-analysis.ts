import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';
import { firstLayerWhere, isBroken, lostCause, type LostCause, type ValueStatus } from './classify';
import type { DeepNetConfig } from './config';
import type { DeepNetResult } from './types';
import type { LayerStatName } from './types';
import { predict, predictedLimitLayer, verdict, type LimitForecast, type Prediction, type Verdict } from './predictions';
import { predictQuantity, type QuantityPrediction } from './quantity-predictions';
import { LIMIT_TEXTS, LIMIT_TEXTS_EXPORT, type LimitTexts } from './limit-texts';
import { BACKWARD, flushEvidence, flushMask, FORWARD, partialFlushMask, type FlushEvidence } from './flush-zone';

export { LIMIT_TEXTS, LIMIT_TEXTS_EXPORT, type LimitTexts } from './limit-texts';

/** Where one run left f32's range, measured from its per-layer values (layers are 1-based; null: never). */
export interface MeasuredLimits {
  /** First layer whose ‖a‖ is Infinity or NaN: some entry of A[l] overflowed f32 (NaN follows from 0·∞). */
  actOverflow: number | null;
  /** First layer whose ‖a‖ passed the lab's overflow threshold (1e38) or is NaN (`classify`). */
  actOverflowThreshold: number | null;
  /** First layer whose ‖a‖ is exactly 0 — every entry underflowed (or was flushed) to 0 — and not lost (a ReLU of NaN is 0 too). */
  actZero: number | null;
  /** First layer whose ‖a‖ fell below the lab's underflow threshold (1e-37, `classify`). */
  actUnderflowThreshold: number | null;
  /** First layer the backward pass reaches (counting down from L) whose ‖∂J/∂a‖ is Infinity or NaN. */
  gradOverflow: number | null;
  /** First layer the backward pass reaches whose ‖∂J/∂a‖ passed the 1e38 mark or is NaN (`classify`). */
  gradOverflowThreshold?: number | null;
  /** First layer the backward pass reaches whose ‖∂J/∂a‖ is exactly 0 (and not lost to an overflow). */
  gradZero: number | null;
  /** The overflow/NaN the row's 'lost' values were computed from (`lostCause`), or null when none are lost. */
  lostTo?: LostCause | null;
  /**
   * When ‖a‖ is exactly 0 at `actZero` though the float64 prediction there is a positive number whose entries
   * a GPU flushes to 0 in f32 (below 2^-126 ≈ 1.2e-38, `flushEvidence`): that prediction.
   */
  actZeroFlushed?: number | null;
  /** The same for ‖∂J/∂a‖ at `gradZero`. */
  gradZeroFlushed?: number | null;
  /** Why the 0 at `actZero` is a flush, decided from the forecast's entries (`flushEvidence`), or null. */
  actZeroFlush?: FlushEvidence | null;
  /** The same for `gradZero`. */
  gradZeroFlush?: FlushEvidence | null;
}

/** Everything the lab says about one row besides its raw values. */
export interface RowAnalysis {
  prediction: Prediction;
  /** Measured actNorm against the prediction, or null when there is no closed form. */
  verdict: Verdict | null;
  /**
   * The same comparison over the layers before ‖a‖ left the lab's f32 range (first overflow, NaN or
   * underflow status), when it did so after layer 1 — past that point the GPU's Infinity/NaN/0 cannot
   * match a float64 forecast, so this says whether the forecast held while f32 could still follow it.
   */
  verdictInRange: (Verdict & { layers: number }) | null;
  /** Forecast f32 limits (identity init with linear / ReLU only), else null. */
  predictedLimits: LimitForecast | null;
  measuredLimits: MeasuredLimits;
  /** Plain sentences about the f32 limits hit (measured vs predicted); empty when nothing noteworthy. */
  limitSentences: string[];
}

const nonFinite = (v: number) => !Number.isFinite(v);

// Backprop runs from layer L down to 1, so "first reached" is the highest layer index matching.
function lastLayer(values: ArrayLike<number>, test: (v: number, i: number) => boolean): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (test(values[i], i)) return i + 1;
  return null;
}

function firstLayer(values: ArrayLike<number>, test: (v: number, i: number) => boolean): number | null {
  for (let i = 0; i < values.length; i++) if (test(values[i], i)) return i + 1;
  return null;
}

/** The f32 limits a run actually hit, from its per-layer norms and statuses. */
export function measureLimits(run: DeepNetResult): MeasuredLimits {
  const { actNorm, gradActNorm } = run.layers;
  const s = run.status;
  // Only a 0 that is not 'lost' is a vanished signal: the GPU's ReLU turns the NaN after an overflow into 0.
  const zeroAt = (stat: 'actNorm' | 'gradActNorm') => (v: number, i: number) => v === 0 && s[stat][i] !== 'lost';
  return {
    actOverflow: firstLayer(actNorm, nonFinite),
    actOverflowThreshold: firstLayerWhere(s.actNorm as ValueStatus[], ['overflow', 'nan']),
    actZero: firstLayer(actNorm, zeroAt('actNorm')),
    actUnderflowThreshold: firstLayerWhere(s.actNorm as ValueStatus[], 'underflow'),
    gradOverflow: lastLayer(gradActNorm, nonFinite),
    gradOverflowThreshold: lastLayer(gradActNorm, (_, i) => isBroken(s.gradActNorm[i] as ValueStatus)),
    gradZero: lastLayer(gradActNorm, zeroAt('gradActNorm')),
    lostTo: lostCause(s, run.layers),
  };
}

/**
 * Sentences comparing measured with predicted limits, e.g. "‖a‖ overflows f32 at layer 219 (predicted 219)",
 * in the language shown (or with `texts` = `LIMIT_TEXTS_EXPORT`, in English). A limit is mentioned when it
 * was measured or predicted; with a forecast and nothing hit, one sentence says so.
 */
export function limitSentences(config: DeepNetConfig, measured: MeasuredLimits, predicted: LimitForecast | null, texts: LimitTexts = LIMIT_TEXTS): string[] {
  const t = texts;
  const out: string[] = [];
  const pa = predicted?.activation;
  const pg = predicted?.gradient;
  // The forecast layer as the sentences take it: undefined without a forecast, `none` when none was predicted.
  const fc = (l: number | null | undefined) => (predicted ? (l === null || l === undefined ? t.none() : t.layer(l)) : undefined);
  const fcOrNull = (l: number | null | undefined) => (predicted ? (l === null || l === undefined ? null : t.layer(l)) : undefined);

  const lost = measured.lostTo ?? null;
  if (measured.actOverflow !== null) {
    const m = t.layer(measured.actOverflow);
    const mark = measured.actOverflowThreshold !== null && measured.actOverflowThreshold !== measured.actOverflow ? measured.actOverflowThreshold : null;
    out.push(mark !== null ? t.actOverflowMark(m, t.layer(mark), fc(pa?.overflow)) : t.actOverflow(m, fc(pa?.overflow)));
  } else if (measured.actOverflowThreshold !== null) {
    // No Infinity (the CPU fallback computes in float64), but past the mark the heatmap shows as overflow.
    out.push(t.actMarkOnly(t.layer(measured.actOverflowThreshold), fcOrNull(pa?.overflow)));
  } else if (pa?.overflow) {
    out.push(t.actNoOverflow(t.layer(pa.overflow)));
  }
  if (lost?.pass === 'forward') out.push(t.forwardLost(t.cause(lost)));
  if (measured.actZero !== null || pa?.zero) {
    const zf = predicted && pa?.subnormal && pa.subnormal !== pa.zero ? t.flush(fc(pa.zero)!, t.layer(pa.subnormal)) : fc(pa?.zero);
    if (measured.actZero === null) out.push(t.actNoZero(zf!));
    else {
      const m = t.layer(measured.actZero);
      const mark = measured.actUnderflowThreshold !== null && measured.actUnderflowThreshold !== measured.actZero ? measured.actUnderflowThreshold : null;
      const flushed = measured.actZeroFlushed ?? null;
      const ev = measured.actZeroFlush ?? null;
      if (ev && ev.kind === 'below') out.push(t.actZeroFlushEntries(m, t.value(ev.value), t.value(ev.entry), t.value(ev.product)));
      else if (ev && ev.kind === 'tolerance') out.push(t.actZeroFlushBand(m, t.value(ev.value), t.value(ev.entry), t.value(ev.tolerance)));
      else if (flushed !== null) out.push(t.actZeroFlush(m, t.value(flushed), mark !== null ? t.layer(mark) : undefined));
      else out.push(mark !== null ? t.actZeroMark(m, t.layer(mark), zf) : t.actZero(m, zf));
    }
  }
  const gradThreshold = measured.gradOverflowThreshold ?? null;
  if (lost?.pass === 'forward') {
    // Every gradient is lost: say what was forecast instead of "do not overflow".
    if (pg?.overflow) out.push(t.gradLostForecast(t.layer(pg.overflow)));
  } else if (measured.gradOverflow !== null) {
    const m = t.layer(measured.gradOverflow);
    out.push(
      gradThreshold !== null && gradThreshold !== measured.gradOverflow
        ? t.gradOverflowMark(m, t.layer(gradThreshold), fc(pg?.overflow))
        : t.gradOverflow(m, fc(pg?.overflow)),
    );
  } else if (gradThreshold !== null) {
    out.push(t.gradMarkOnly(t.layer(gradThreshold), fcOrNull(pg?.overflow)));
  } else if (pg?.overflow) {
    out.push(t.gradNoOverflow(t.layer(pg.overflow)));
  }
  if (lost?.pass === 'backward') out.push(t.backwardLost(t.cause(lost), t.layer(lost.layer)));
  if (lost?.pass !== 'forward' && (measured.gradZero !== null || pg?.zero)) {
    const flushed = measured.gradZeroFlushed ?? null;
    const ev = measured.gradZeroFlush ?? null;
    const m = measured.gradZero === null ? null : t.layer(measured.gradZero);
    out.push(
      m === null
        ? t.gradNoZero(t.layer(pg!.zero!))
        : ev && ev.kind === 'below'
          ? t.gradZeroFlushEntries(m, t.value(ev.value), t.value(ev.entry), t.value(ev.product))
          : ev && ev.kind === 'tolerance'
            ? t.gradZeroFlushBand(m, t.value(ev.value), t.value(ev.entry), t.value(ev.tolerance))
            : flushed !== null
              ? t.gradZeroFlush(m, t.value(flushed))
              : t.gradZero(m, fc(pg?.zero)),
    );
  }
  if (out.length === 0 && predicted) out.push(t.allInRange(t.layer(config.depth)));
  return out;
}

/**
 * Prediction, verdict and f32 limits of one run of `config`; its texts (the prediction's note, the limit
 * sentences) in the language shown, or in English with `english` (for exports).
 */
export function analyzeRow(config: DeepNetConfig, run: DeepNetResult, { english = false }: { english?: boolean } = {}): RowAnalysis {
  const prediction = predict(config, { english });
  // Lost layers hold whatever f32 made of an earlier overflow/NaN: there is nothing to compare (a NaN
  // prediction makes `verdict` skip the layer), on the GPU and the CPU fallback alike.
  const compared = prediction.actNorm?.map((p, i) => (run.status.actNorm[i] === 'lost' ? NaN : p)) ?? null;
  const predictedLimits = predictedLimitLayer(config);
  const actLimits = predictedLimits?.activation ?? null;
  const flushed = flushMask(config, prediction.actNorm, prediction.tolerance, actLimits, FORWARD);
  const partial = partialFlushMask(config, prediction.actNorm, actLimits, FORWARD);
  const v = compared && prediction.tolerance ? verdict(run.layers.actNorm, compared, { tolerance: prediction.tolerance, flushed, partial }) : null;
  const measuredLimits = measureLimits(run);
  const { actZero, gradZero } = measuredLimits;
  measuredLimits.actZeroFlush = actZero === null ? null : flushEvidence(config, actZero, prediction.actNorm, prediction.tolerance, actLimits, FORWARD);
  if (gradZero === null) measuredLimits.gradZeroFlush = null;
  else {
    const g = predictQuantity(config, 'gradActNorm');
    measuredLimits.gradZeroFlush = flushEvidence(config, gradZero, g.values, g.tolerance, predictedLimits?.gradient ?? null, BACKWARD);
  }
  measuredLimits.actZeroFlushed = measuredLimits.actZeroFlush?.value ?? null;
  measuredLimits.gradZeroFlushed = measuredLimits.gradZeroFlush?.value ?? null;
  let verdictInRange: RowAnalysis['verdictInRange'] = null;
  const leaves = firstLayerWhere(run.status.actNorm as ValueStatus[], ['overflow', 'underflow', 'nan', 'lost']);
  if (v && prediction.actNorm && prediction.tolerance && leaves !== null && leaves > 1) {
    const k = leaves - 1;
    const pv = verdict(run.layers.actNorm.subarray(0, k), prediction.actNorm.subarray(0, k), { tolerance: prediction.tolerance.subarray(0, k) });
    verdictInRange = { ...pv, layers: k };
  }
  return {
    prediction,
    verdict: v,
    verdictInRange,
    predictedLimits,
    measuredLimits,
    limitSentences: limitSentences(config, measuredLimits, predictedLimits, english ? LIMIT_TEXTS_EXPORT : LIMIT_TEXTS),
  };
}

/** The forecast of the quantity a chart shows and the one verdict about it. */
export interface QuantityAnalysis {
  prediction: QuantityPrediction;
  /** Measured against predicted over every layer not lost to an earlier overflow/NaN, or null without a forecast. */
  verdict: Verdict | null;
  /**
   * The same comparison over only the layers whose measured value f32 could hold ('finite' status), when
   * some were not: past f32's range the GPU holds Infinity, NaN or 0 where float64 still has a number.
   */
  verdictInRange: (Verdict & { layers: number }) | null;
  /** Layers left out of `verdict` because their value was lost to an earlier overflow/NaN. */
  lostLayers: number;
}

/**
 * The verdict as the row shows it. `verdict` calls a comparison of no layers "disagree" (no evidence of
 * agreement); shown to a learner that reads as "the GPU or the formula is wrong", so a row whose layers are all
 * lost (or otherwise uncompared) shows "not checked" instead. Exports keep the verdict itself.
 */
export function shownVerdict(v: Verdict): 'agree' | 'disagree' | 'unchecked' {
  return v.compared === 0 ? 'unchecked' : v.verdict;
}

/** Forecast and verdict of one quantity of one run (the chart's dashed line and its verdict). */
export function analyzeQuantity(config: DeepNetConfig, run: DeepNetResult, quantity: LayerStatName): QuantityAnalysis {
  const prediction = predictQuantity(config, quantity);
  const status = run.status[quantity] as ValueStatus[];
  const measured = run.layers[quantity];
  const lostLayers = status.filter((s) => s === 'lost').length;
  if (!prediction.values || !prediction.tolerance) return { prediction, verdict: null, verdictInRange: null, lostLayers };
  const tolerance = prediction.tolerance;
  const masked = (keep: (s: ValueStatus) => boolean) => prediction.values!.map((p, i) => (keep(status[i]) ? p : NaN));
  // An exact 0 where f32 flushes the forecast's entries agrees with it (past f32's smallest numbers, like an underflow).
  // Only the norms over m·n entries (‖a‖, ‖∂J/∂a‖) have entries of value/√n; ‖∂J/∂W‖ is not one of them.
  const limits = quantity === 'actNorm' || quantity === 'gradActNorm' ? predictedLimitLayer(config) : null;
  const flushed =
    quantity === 'actNorm'
      ? flushMask(config, prediction.values, tolerance, limits?.activation ?? null, FORWARD)
      : quantity === 'gradActNorm'
        ? flushMask(config, prediction.values, tolerance, limits?.gradient ?? null, BACKWARD)
        : undefined;
  // A positive value partly flushed to 0 lies under the forecast by the products f32 lost: not compared as a number.
  const partial =
    quantity === 'actNorm'
      ? partialFlushMask(config, prediction.values, limits?.activation ?? null, FORWARD)
      : quantity === 'gradActNorm'
        ? partialFlushMask(config, prediction.values, limits?.gradient ?? null, BACKWARD)
        : undefined;
  const v = verdict(
    measured,
    masked((s) => s !== 'lost'),
    { tolerance, flushed, partial },
  );
  let verdictInRange: QuantityAnalysis['verdictInRange'] = null;
  const finite = status.filter((s) => s === 'finite').length;
  if (finite > 0 && finite < status.length) {
    verdictInRange = {
      ...verdict(
        measured,
        masked((s) => s === 'finite'),
        { tolerance, flushed, partial },
      ),
      layers: finite,
    };
  }
  return { prediction, verdict: v, verdictInRange, lostLayers };
}

/**
 * The row a chart of `quantity` should open on: the deepest (last) row whose quantity is finite on at
 * least half its layers; failing that, the row with the most finite layers (the later one on a tie).
 * So a chart never opens on a row that is all NaN, lost or underflow when a better one exists.
 *
 * Given several quantities, a row counts as finite on a layer count only if every one of them is (its
 * fewest finite layers over the quantities): one row that has a line to draw under each of them. The
 * Depth lab passes every quantity it has a tab for, so the row it opens on does not change with the tab.
 */
export function informativeRow(results: readonly { run: DeepNetResult }[], quantity: LayerStatName | readonly LayerStatName[]): number {
  const names = typeof quantity === 'string' ? [quantity] : quantity;
  let best = -1;
  let bestCount = -1;
  for (let r = results.length - 1; r >= 0; r--) {
    const status = results[r].run.status;
    const layers = Math.max(0, ...names.map((q) => status[q].length));
    const finite = Math.min(...names.map((q) => status[q].filter((s) => s === 'finite').length));
    if (layers > 0 && finite * 2 >= layers) return r;
    if (finite > bestCount) {
      bestCount = finite;
      best = r;
    }
  }
  return Math.max(best, 0);
}

/**
 * Where an agreeing exact prediction lies under the measured line: everywhere, or over the compared layers up
 * to the one where both passed the same limit (from there they count as consistent but are no longer
 * compared as numbers, and the two lines may end at different layers). When every such layer is past the lab's
 * 1e38 overflow mark (an f32 number still, not f32's own limit of 3.4e38), the sentence names that mark; otherwise
 * (underflow, flushing to 0) "the same f32 limit". Layers before the first compared one
 * (lost to an earlier overflow/NaN) have no measured line, so the sentence never says the prediction lies
 * under it there. Gradients pass their f32 limit in the lowest layers (backprop runs from L down to 1): when the
 * layers past the limit are the first ones compared and later ones are not, the sentence names both stretches.
 */
export function underLineText(
  v: Pick<Verdict, 'firstLimitLayer' | 'firstComparedLayer'> &
    Partial<Pick<Verdict, 'lastLimitLayer' | 'lastComparedLayer' | 'limitLayers' | 'compared' | 'overflowLimitLayers'>>,
): string {
  const limit = v.firstLimitLayer;
  const from = v.firstComparedLayer ?? 1;
  if (limit === null) return msg('The dashed prediction lies under the measured line.');
  const lastLimit = v.lastLimitLayer ?? null;
  const to = v.lastComparedLayer ?? null;
  const allPast = v.limitLayers !== undefined && v.compared !== undefined && v.limitLayers === v.compared;
  // Every layer counted as consistent was past the lab's 1e38 mark on both sides (not f32's limit: 1e38 is an f32 number).
  const mark = v.limitLayers !== undefined && v.limitLayers > 0 && v.overflowLimitLayers === v.limitLayers;
  const [a, b, c] = [formatCount(from), formatCount(limit - 1), formatCount(limit)];
  if (!allPast && limit <= from && lastLimit !== null && to !== null && lastLimit < to) {
    const [n, t, e] = [formatCount(lastLimit + 1), formatCount(to), formatCount(lastLimit)];
    if (lastLimit === from) {
      return mark
        ? msg(
            str`The dashed prediction lies under the measured line from layer ${n} to layer ${t}; at layer ${a} both are past the lab's 1e38 overflow mark, which counts as agreeing, but the lines are not compared as numbers there.`,
          )
        : msg(
            str`The dashed prediction lies under the measured line from layer ${formatCount(lastLimit + 1)} to layer ${formatCount(to)}; at layer ${formatCount(from)} both are past the same f32 limit, which counts as agreeing, but the lines are not compared as numbers there.`,
          );
    }
    return mark
      ? msg(
          str`The dashed prediction lies under the measured line from layer ${n} to layer ${t}; at layers ${a} to ${e} both are past the lab's 1e38 overflow mark, which counts as agreeing, but the lines are not compared as numbers there.`,
        )
      : msg(
          str`The dashed prediction lies under the measured line from layer ${formatCount(lastLimit + 1)} to layer ${formatCount(to)}; at layers ${formatCount(from)} to ${formatCount(lastLimit)} both are past the same f32 limit, which counts as agreeing, but the lines are not compared as numbers there.`,
        );
  }
  if (limit <= from) return msg('Both are past f32’s range at every layer compared, which counts as agreeing; the lines are not compared as numbers.');
  if (from > 1) {
    return mark
      ? msg(
          str`The dashed prediction lies under the measured line from layer ${a} to layer ${b}; from layer ${c} both are past the lab's 1e38 overflow mark, which counts as agreeing, but the lines are not compared as numbers there.`,
        )
      : msg(
          str`The dashed prediction lies under the measured line from layer ${formatCount(from)} to layer ${formatCount(limit - 1)}; from layer ${formatCount(limit)} both are past the same f32 limit, which counts as agreeing, but the lines are not compared as numbers there.`,
        );
  }
  return mark
    ? msg(
        str`The dashed prediction lies under the measured line up to layer ${b}; from layer ${c} both are past the lab's 1e38 overflow mark, which counts as agreeing, but the lines are not compared as numbers there.`,
      )
    : msg(
        str`The dashed prediction lies under the measured line up to layer ${formatCount(limit - 1)}; from layer ${formatCount(limit)} both are past the same f32 limit, which counts as agreeing, but the lines are not compared as numbers there.`,
      );
}
