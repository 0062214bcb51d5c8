import { msg, str } from '@lit/localize';
import { formatCount, formatSignificant } from '../../locale-format';
import { describeCause, type LostCause } from './classify';

/**
 * The words of the limit sentences, one whole sentence per case (word order differs between languages):
 * `LIMIT_TEXTS` in the language shown, `LIMIT_TEXTS_EXPORT` in English for exports. Layers come formatted;
 * `f` is the forecast layer (a layer, `none()` or a `flush(…)`), undefined when there is no forecast.
 */
export interface LimitTexts {
  layer(l: number): string;
  cause(c: LostCause): string;
  /** The forecast layer when none was predicted. */
  none(): string;
  /** "150; 127 on a GPU that flushes subnormals". */
  flush(l: string, subnormal: string): string;
  actOverflow(m: string, f?: string): string;
  actOverflowMark(m: string, mark: string, f?: string): string;
  /** `f`: the forecast overflow layer, null when none was predicted, undefined without a forecast. */
  actMarkOnly(mark: string, f?: string | null): string;
  actNoOverflow(f: string): string;
  forwardLost(cause: string): string;
  actZero(m: string, f?: string): string;
  actZeroMark(m: string, mark: string, f?: string): string;
  actNoZero(f: string): string;
  gradLostForecast(l: string): string;
  gradOverflow(m: string, f?: string): string;
  /** The gradients overflow f32 at `m` after passing the 1e38 mark at `mark` (a higher layer: backprop reaches it first). */
  gradOverflowMark(m: string, mark: string, f?: string): string;
  gradMarkOnly(mark: string, f?: string | null): string;
  gradNoOverflow(f: string): string;
  backwardLost(cause: string, l: string): string;
  gradZero(m: string, f?: string): string;
  /** A value the sentences cite (the float64 prediction at a flushed zero). */
  value(v: number): string;
  /** ‖a‖ is exactly 0 at `m` where float64 predicts `v`, a subnormal: the GPU flushed it (`mark`: the 1e-37 mark's layer). */
  actZeroFlush(m: string, v: string, mark?: string): string;
  gradZeroFlush(m: string, v: string): string;
  /**
   * ‖a‖ is exactly 0 at `m` where float64 predicts a norm `v`, entries of about `e` summed from products of
   * about `p` that are below f32's smallest normal number: the GPU flushed them (`FlushEvidence` 'below').
   */
  actZeroFlushEntries(m: string, v: string, e: string, p: string): string;
  /** As `actZeroFlushEntries`, where only the forecast's tolerance (`t` decades) reaches below it ('tolerance'). */
  actZeroFlushBand(m: string, v: string, e: string, t: string): string;
  gradZeroFlushEntries(m: string, v: string, e: string, p: string): string;
  gradZeroFlushBand(m: string, v: string, e: string, t: string): string;
  gradNoZero(f: string): string;
  allInRange(depth: string): string;
}

const enPred = (f?: string) => (f === undefined ? '' : ` (predicted ${f})`);
const enOverflowPred = (f?: string | null) => (f === undefined ? '' : f === null ? ' (no f32 overflow predicted)' : ` (f32 overflow predicted at layer ${f})`);

/** The limit sentences in English, as exports carry them. */
export const LIMIT_TEXTS_EXPORT: LimitTexts = {
  layer: (l) => String(l),
  cause: (c) => describeCause(c, { english: true }),
  none: () => 'none',
  flush: (l, sub) => `${l}; ${sub} on a GPU that flushes subnormals`,
  actOverflow: (m, f) => `‖a‖ overflows f32 at layer ${m}${enPred(f)}.`,
  actOverflowMark: (m, mark, f) => `‖a‖ overflows f32 at layer ${m}${enPred(f)}; it passes the lab's 1e38 overflow mark at layer ${mark}.`,
  actMarkOnly: (mark, f) => `‖a‖ passes the lab's 1e38 overflow mark at layer ${mark}, where f32 is one step from Infinity${enOverflowPred(f)}.`,
  actNoOverflow: (f) => `‖a‖ does not overflow f32 in this run${enPred(f)}.`,
  forwardLost: (cause) =>
    `Everything computed after that is lost: ${cause}, so the later layers, the loss and every gradient ∂J/∂a and ∂J/∂W of this row are computed from a value that had already exploded and say nothing about the net (shown in violet as “after a value passed 1e38 or became NaN”, not as vanishing).`,
  actZero: (m, f) => `‖a‖ underflows to exactly 0 at layer ${m}${enPred(f)}.`,
  actZeroMark: (m, mark, f) => `‖a‖ underflows to exactly 0 at layer ${m}${enPred(f)}; it drops below the lab's 1e-37 underflow mark at layer ${mark}.`,
  actNoZero: (f) => `‖a‖ does not reach 0 in this run${enPred(f)}.`,
  gradLostForecast: (l) =>
    `Gradients ∂J/∂a cannot be checked against the forecast (which has them overflow from layer ${l} down): they are lost to the forward overflow.`,
  gradOverflow: (m, f) =>
    `Gradients ∂J/∂a overflow at layer ${m}${enPred(f)} (the first layer the backward pass reaches, counting down from the last, with an Infinity or NaN).`,
  gradOverflowMark: (m, mark, f) =>
    `Gradients ∂J/∂a overflow f32 at layer ${m}${enPred(f)}, the first layer the backward pass reaches (counting down from the last) with an Infinity or NaN; they pass the lab's 1e38 overflow mark earlier on the way down, at layer ${mark}.`,
  gradMarkOnly: (mark, f) => `Gradients ∂J/∂a pass the lab's 1e38 overflow mark at layer ${mark}, counting down from the last layer${enOverflowPred(f)}.`,
  gradNoOverflow: (f) => `Gradients ∂J/∂a do not overflow in this run${enPred(f)}.`,
  backwardLost: (cause, l) => `Below that every gradient is lost: ${cause}, and backprop computes ∂J/∂W[${l}] and all lower layers from it.`,
  gradZero: (m, f) => `Gradients ∂J/∂a underflow to exactly 0 at layer ${m}${enPred(f)}, counting down from the last layer.`,
  gradNoZero: (f) => `Gradients ∂J/∂a do not reach 0 in this run${enPred(f)}.`,
  value: (v) => String(Number(v.toPrecision(2))),
  actZeroFlush: (m, v, mark) =>
    mark === undefined
      ? `‖a‖ is exactly 0 at layer ${m}, where float64 predicts ${v}: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number; smaller ones are subnormal) to zero.`
      : `‖a‖ drops below the lab's 1e-37 underflow mark at layer ${mark} and is exactly 0 at layer ${m}, where float64 predicts ${v}: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number; smaller ones are subnormal) to zero.`,
  gradZeroFlush: (m, v) =>
    `Gradients ∂J/∂a are exactly 0 at layer ${m} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ${v}: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number; smaller ones are subnormal) to zero.`,
  actZeroFlushEntries: (m, v, e, p) =>
    `‖a‖ is exactly 0 at layer ${m}, where float64 predicts ‖a‖ ≈ ${v}: entries of about ${e}, each summed from products of about ${p}; those products are below 1.2e-38 (f32's smallest normal number). The GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
  actZeroFlushBand: (m, v, e, t) =>
    `‖a‖ is exactly 0 at layer ${m}, where float64 predicts ‖a‖ ≈ ${v} (entries of about ${e}); within this forecast's tolerance there (±${t} decades) they may be below 1.2e-38 (f32's smallest normal number), and the GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
  gradZeroFlushEntries: (m, v, e, p) =>
    `Gradients ∂J/∂a are exactly 0 at layer ${m} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ‖∂J/∂a‖ ≈ ${v}: entries of about ${e}, each summed from products of about ${p}; those products are below 1.2e-38 (f32's smallest normal number). The GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
  gradZeroFlushBand: (m, v, e, t) =>
    `Gradients ∂J/∂a are exactly 0 at layer ${m} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ‖∂J/∂a‖ ≈ ${v} (entries of about ${e}); within this forecast's tolerance there (±${t} decades) they may be below 1.2e-38 (f32's smallest normal number), and the GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
  allInRange: (depth) => `Activations and gradients stay inside f32's range at all ${depth} layers, as predicted.`,
};

/** The limit sentences in the language shown (msg(); layers formatted for the locale). */
export const LIMIT_TEXTS: LimitTexts = {
  layer: (l) => formatCount(l),
  cause: (c) => describeCause(c),
  none: () => msg('none'),
  flush: (l, sub) => msg(str`${l}; ${sub} on a GPU that flushes subnormals`),
  actOverflow: (m, f) => (f === undefined ? msg(str`‖a‖ overflows f32 at layer ${m}.`) : msg(str`‖a‖ overflows f32 at layer ${m} (predicted ${f}).`)),
  actOverflowMark: (m, mark, f) =>
    f === undefined
      ? msg(str`‖a‖ overflows f32 at layer ${m}; it passes the lab's 1e38 overflow mark at layer ${mark}.`)
      : msg(str`‖a‖ overflows f32 at layer ${m} (predicted ${f}); it passes the lab's 1e38 overflow mark at layer ${mark}.`),
  actMarkOnly: (mark, f) =>
    f === undefined
      ? msg(str`‖a‖ passes the lab's 1e38 overflow mark at layer ${mark}, where f32 is one step from Infinity.`)
      : f === null
        ? msg(str`‖a‖ passes the lab's 1e38 overflow mark at layer ${mark}, where f32 is one step from Infinity (no f32 overflow predicted).`)
        : msg(str`‖a‖ passes the lab's 1e38 overflow mark at layer ${mark}, where f32 is one step from Infinity (f32 overflow predicted at layer ${f}).`),
  actNoOverflow: (f) => msg(str`‖a‖ does not overflow f32 in this run (predicted ${f}).`),
  forwardLost: (cause) =>
    msg(
      str`Everything computed after that is lost: ${cause}, so the later layers, the loss and every gradient ∂J/∂a and ∂J/∂W of this row are computed from a value that had already exploded and say nothing about the net (shown in violet as “after a value passed 1e38 or became NaN”, not as vanishing).`,
    ),
  actZero: (m, f) =>
    f === undefined ? msg(str`‖a‖ underflows to exactly 0 at layer ${m}.`) : msg(str`‖a‖ underflows to exactly 0 at layer ${m} (predicted ${f}).`),
  actZeroMark: (m, mark, f) =>
    f === undefined
      ? msg(str`‖a‖ underflows to exactly 0 at layer ${m}; it drops below the lab's 1e-37 underflow mark at layer ${mark}.`)
      : msg(str`‖a‖ underflows to exactly 0 at layer ${m} (predicted ${f}); it drops below the lab's 1e-37 underflow mark at layer ${mark}.`),
  actNoZero: (f) => msg(str`‖a‖ does not reach 0 in this run (predicted ${f}).`),
  gradLostForecast: (l) =>
    msg(str`Gradients ∂J/∂a cannot be checked against the forecast (which has them overflow from layer ${l} down): they are lost to the forward overflow.`),
  gradOverflow: (m, f) =>
    f === undefined
      ? msg(str`Gradients ∂J/∂a overflow at layer ${m} (the first layer the backward pass reaches, counting down from the last, with an Infinity or NaN).`)
      : msg(
          str`Gradients ∂J/∂a overflow at layer ${m} (predicted ${f}) (the first layer the backward pass reaches, counting down from the last, with an Infinity or NaN).`,
        ),
  gradOverflowMark: (m, mark, f) =>
    f === undefined
      ? msg(
          str`Gradients ∂J/∂a overflow f32 at layer ${m}, the first layer the backward pass reaches (counting down from the last) with an Infinity or NaN; they pass the lab's 1e38 overflow mark earlier on the way down, at layer ${mark}.`,
        )
      : msg(
          str`Gradients ∂J/∂a overflow f32 at layer ${m} (predicted ${f}), the first layer the backward pass reaches (counting down from the last) with an Infinity or NaN; they pass the lab's 1e38 overflow mark earlier on the way down, at layer ${mark}.`,
        ),
  gradMarkOnly: (mark, f) =>
    f === undefined
      ? msg(str`Gradients ∂J/∂a pass the lab's 1e38 overflow mark at layer ${mark}, counting down from the last layer.`)
      : f === null
        ? msg(str`Gradients ∂J/∂a pass the lab's 1e38 overflow mark at layer ${mark}, counting down from the last layer (no f32 overflow predicted).`)
        : msg(
            str`Gradients ∂J/∂a pass the lab's 1e38 overflow mark at layer ${mark}, counting down from the last layer (f32 overflow predicted at layer ${f}).`,
          ),
  gradNoOverflow: (f) => msg(str`Gradients ∂J/∂a do not overflow in this run (predicted ${f}).`),
  backwardLost: (cause, l) => msg(str`Below that every gradient is lost: ${cause}, and backprop computes ∂J/∂W[${l}] and all lower layers from it.`),
  gradZero: (m, f) =>
    f === undefined
      ? msg(str`Gradients ∂J/∂a underflow to exactly 0 at layer ${m}, counting down from the last layer.`)
      : msg(str`Gradients ∂J/∂a underflow to exactly 0 at layer ${m} (predicted ${f}), counting down from the last layer.`),
  gradNoZero: (f) => msg(str`Gradients ∂J/∂a do not reach 0 in this run (predicted ${f}).`),
  value: (v) => formatSignificant(v, 2),
  actZeroFlush: (m, v, mark) =>
    mark === undefined
      ? msg(
          str`‖a‖ is exactly 0 at layer ${m}, where float64 predicts ${v}: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number; smaller ones are subnormal) to zero.`,
        )
      : msg(
          str`‖a‖ drops below the lab's 1e-37 underflow mark at layer ${mark} and is exactly 0 at layer ${m}, where float64 predicts ${v}: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number; smaller ones are subnormal) to zero.`,
        ),
  gradZeroFlush: (m, v) =>
    msg(
      str`Gradients ∂J/∂a are exactly 0 at layer ${m} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ${v}: the GPU flushes numbers below 1.2e-38 (f32's smallest normal number; smaller ones are subnormal) to zero.`,
    ),
  actZeroFlushEntries: (m, v, e, p) =>
    msg(
      str`‖a‖ is exactly 0 at layer ${m}, where float64 predicts ‖a‖ ≈ ${v}: entries of about ${e}, each summed from products of about ${p}; those products are below 1.2e-38 (f32's smallest normal number). The GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
    ),
  actZeroFlushBand: (m, v, e, t) =>
    msg(
      str`‖a‖ is exactly 0 at layer ${m}, where float64 predicts ‖a‖ ≈ ${v} (entries of about ${e}); within this forecast's tolerance there (±${t} decades) they may be below 1.2e-38 (f32's smallest normal number), and the GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
    ),
  gradZeroFlushEntries: (m, v, e, p) =>
    msg(
      str`Gradients ∂J/∂a are exactly 0 at layer ${m} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ‖∂J/∂a‖ ≈ ${v}: entries of about ${e}, each summed from products of about ${p}; those products are below 1.2e-38 (f32's smallest normal number). The GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
    ),
  gradZeroFlushBand: (m, v, e, t) =>
    msg(
      str`Gradients ∂J/∂a are exactly 0 at layer ${m} (the first 0 the backward pass meets on its way down from the last layer), where float64 predicts ‖∂J/∂a‖ ≈ ${v} (entries of about ${e}); within this forecast's tolerance there (±${t} decades) they may be below 1.2e-38 (f32's smallest normal number), and the GPU flushes numbers below 1.2e-38 to zero, so f32 holds 0 where float64 still has a tiny number.`,
    ),
  allInRange: (depth) => msg(str`Activations and gradients stay inside f32's range at all ${depth} layers, as predicted.`),
};
