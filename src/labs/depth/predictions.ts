import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { formatNumber, formatSignificant } from '../../locale-format';
import { classify } from './classify';
import { validateDeepNetConfig, type DeepNetConfig } from './config';
import { makeInput, weightVariance } from './init';

/** A closed-form forecast of `actNorm` (‖A[l]‖_F/√m, index l − 1) to overlay on measurements. */
export interface Prediction {
  /** Predicted actNorm per layer (may hold ±Infinity/0 past float64's range; see log10ActNorm), or null. */
  actNorm: Float64Array | null;
  /** log10 of the prediction, finite even where float64 is not. */
  log10ActNorm: Float64Array | null;
  /** Predicted per-layer multiplier of actNorm (s for identity, √(n·Var·gain²·k) for random), or null. */
  factor: number | null;
  /** Slope of log10(actNorm) against the layer: log10(factor). */
  log10Slope: number | null;
  /** ‖X‖_F/√m of the input. */
  actNorm0: number;
  /** True when the forecast is exact in real arithmetic (identity init, linear or ReLU). */
  exact: boolean;
  /** Per-layer tolerance in log10 units for `verdict` (see `predictionTolerance`), or null. */
  tolerance: Float64Array | null;
  /** One sentence for the UI: which formula, or why there is none (in the language shown, or English with `english`). */
  note: string;
}

// Frobenius norm of an f32 array over √rows, with f(x) applied first.
function rmsRowNorm(x: ArrayLike<number>, rows: number, f: (v: number) => number = (v) => v): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = f(x[i]);
    s += v * v;
  }
  return Math.sqrt(s / rows);
}

const relu = (v: number) => Math.max(v, 0);

/**
 * Energy kept by the activation per layer, k in E‖f(z)‖² = k·E‖z‖² for z symmetric about 0:
 * 1 for linear, ½ for ReLU (it zeroes half of a symmetric input); tanh and sigmoid have none.
 */
export function activationGainFactor(activation: DeepNetConfig['activation']): number | null {
  return activation === 'linear' ? 1 : activation === 'relu' ? 0.5 : null;
}

/**
 * Per-layer tolerance (log10 units) for comparing a measurement with `predict`'s forecast.
 * Exact forecasts: 0.01 (f32 rounding over ~1000 layers and a reduction over m·n terms stays far below).
 * Mean-field forecasts give the *expected* energy; at finite width n each layer multiplies ‖a‖² by an
 * independent random factor of relative variance ≈ 2/n (linear: a χ²_n/n) or ≈ 5/n (ReLU:
 * Var[relu(z)²]/E[relu(z)²]² = 5). So ln(actNorm) = ½·ln‖a‖² random-walks with variance ≈ c/n per
 * layer and drifts down by about the same, c ≈ ½ (linear) or 1.25–1.5 (ReLU; 1.5 used, from Monte Carlo):
 * both grow like depth/width. The band is the drift plus 4 standard deviations, plus 0.05:
 * tol(l) = 0.05 + log10(e)·(c·l/n + 4·√(c·l/n)). A batch of m > 1 examples only narrows the scatter.
 */
export function predictionTolerance(config: DeepNetConfig, exact: boolean): Float64Array {
  const { depth: L, width: n } = config;
  const tol = new Float64Array(L);
  if (exact) return tol.fill(0.01);
  const c = config.activation === 'relu' ? 1.5 : 0.5;
  for (let l = 1; l <= L; l++) {
    const r = (c * l) / n;
    tol[l - 1] = 0.05 + Math.LOG10E * (r + 4 * Math.sqrt(r));
  }
  return tol;
}

/**
 * Closed-form forecast of actNorm:
 * - identity (W = s·I): linear, actNorm[l] = s^l·‖X‖_F/√m exactly; ReLU (s > 0 so relu(s·a) = s·relu(a)),
 *   actNorm[l] = s^l·‖relu(X)‖_F/√m exactly (= s^l·√n for an all-ones input); tanh/sigmoid: none.
 * - random (mean field): E‖a[l]‖² = ‖a[l−1]‖²·n·Var·gain²·k (k = 1 linear, ½ ReLU), so
 *   actNorm[l] ≈ actNorm0·(n·Var·gain²·k)^(l/2); tanh/sigmoid: none (no closed form).
 * `input` defaults to `makeInput(config)`, so the forecast starts from the run's actual input. The note is
 * in the language shown, or in English with `english` (exports read the same in every language). On screen the
 * note writes the chart's ‖a[l]‖; an export's names its `actNorm` field, as its columns do.
 */
export function predict(config: DeepNetConfig, { input, english = false }: { input?: ArrayLike<number>; english?: boolean } = {}): Prediction {
  const cfg = validateDeepNetConfig(config);
  const { depth: L, width: n, batch: m, gain: s, activation, init } = cfg;
  const x = input ?? makeInput(cfg);
  if (x.length !== m * n) throw new InputError('input', `has ${x.length} values but batch × width = ${m * n}`);
  const actNorm0 = rmsRowNorm(x, m);
  const none = (note: string): Prediction => ({
    actNorm: null,
    log10ActNorm: null,
    factor: null,
    log10Slope: null,
    actNorm0,
    exact: false,
    tolerance: null,
    note,
  });
  const k = activationGainFactor(activation);
  // Numbers in the note: as JavaScript writes them for exports, in the locale's marks on screen.
  const num = english ? String : (v: number) => formatNumber(v);
  const sig = english ? fmt : (v: number) => formatSignificant(v, 4);
  if (k === null) {
    if (english) {
      return none(
        init === 'identity'
          ? `No closed form for ${activation}: it bends s·a differently at every magnitude.`
          : `No closed form for ${activation} with random weights: the mean-field variance map has no simple solution.`,
      );
    }
    return none(
      init === 'identity'
        ? msg(str`No closed form for ${activation}: it bends s·a differently at every magnitude.`)
        : msg(str`No closed form for ${activation} with random weights: the mean-field variance map has no simple solution.`),
    );
  }
  let start: number;
  let factor: number;
  let exact: boolean;
  let note: string;
  if (init === 'identity') {
    exact = true;
    factor = Math.fround(s); // the weights are f32: W = f32(s)·I is the net that actually runs
    const g = num(s);
    if (activation === 'relu') {
      start = rmsRowNorm(x, m, relu);
      const a0 = sig(start);
      note = english
        ? `Exact: W = ${g}·I and ReLU commutes with s > 0, so actNorm[l] = ${g}^l · ‖relu(X)‖/√m = ${a0}·${g}^l.`
        : msg(str`Exact: W = ${g}·I and ReLU commutes with s > 0, so ‖a[l]‖ = ${g}^l · ‖relu(X)‖/√m = ${a0}·${g}^l.`);
    } else {
      start = actNorm0;
      const a0 = sig(start);
      note = english
        ? `Exact: W = ${g}·I, so actNorm[l] = ${g}^l · ‖X‖/√m = ${a0}·${g}^l.`
        : msg(str`Exact: W = ${g}·I, so ‖a[l]‖ = ${g}^l · ‖X‖/√m = ${a0}·${g}^l.`);
    }
  } else {
    exact = false;
    const variance = weightVariance(init, n, n)!;
    const q = n * variance * s * s * k;
    factor = Math.sqrt(q);
    start = actNorm0;
    const [nn, v, g, kk, qq, a0, f] = [num(n), sig(variance), num(s), num(k), sig(q), sig(actNorm0), sig(factor)];
    note = english
      ? `Mean field: each layer multiplies ‖a‖² by n·Var·gain²·k = ${nn}·${v}·${g}²·${kk} = ${qq}, ` +
        `so actNorm[l] ≈ ${a0}·${f}^l (finite-width scatter grows like depth/width).`
      : msg(
          str`Mean field: each layer multiplies ‖a‖² by n·Var·gain²·k = ${nn}·${v}·${g}²·${kk} = ${qq}, so ‖a[l]‖ ≈ ${a0}·${f}^l (finite-width scatter grows like depth/width).`,
        );
  }
  const log10Start = Math.log10(start);
  const log10Slope = Math.log10(factor);
  const log10ActNorm = new Float64Array(L);
  const actNorm = new Float64Array(L);
  for (let l = 1; l <= L; l++) {
    log10ActNorm[l - 1] = log10Start + l * log10Slope;
    // start·factor^l where float64 can hold it; 10^log otherwise (gives 0 or Infinity at the extremes).
    const direct = start * Math.pow(factor, l);
    actNorm[l - 1] = Number.isFinite(direct) && direct > 0 ? direct : start === 0 ? 0 : Math.pow(10, log10ActNorm[l - 1]);
  }
  return { actNorm, log10ActNorm, factor, log10Slope, actNorm0, exact, tolerance: predictionTolerance(cfg, exact), note };
}

function fmt(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/** Outcome of comparing measured actNorm with a prediction, layer by layer, in log10 space. */
export interface Verdict {
  verdict: 'agree' | 'disagree';
  /** log10(measured/predicted) at `worstLayer` (±Infinity when one side overflowed/vanished and the other didn't). */
  worstLog10Ratio: number;
  /** Layer (1-based) with the largest |log10 ratio| relative to its tolerance, or null if none compared. */
  worstLayer: number | null;
  /** Layers that took part (layers with a NaN prediction are skipped). */
  compared: number;
  /**
   * First layer (1-based) that counted as consistent only because both sides were past the same f32 limit
   * (both overflowed, or both underflowed), or null: from there the two lines are not compared as numbers.
   */
  firstLimitLayer: number | null;
  /** First layer (1-based) that took part, or null: layers before it (lost ones, say) have nothing to compare. */
  firstComparedLayer: number | null;
  /** Last layer that counted as consistent only because both sides were past the same f32 limit, or null. */
  lastLimitLayer?: number | null;
  /** Last layer that took part, or null. */
  lastComparedLayer?: number | null;
  /** How many layers counted as consistent only because both sides were past the same f32 limit. */
  limitLayers?: number;
  /** How many of the `limitLayers` had both sides past the lab's 1e38 overflow mark (not an underflow or a flush). */
  overflowLimitLayers?: number;
  /**
   * Layers where f32 holds exactly 0 and float64 a positive number that f32 flushes to 0 (the `flushed` option):
   * counted as consistent, and among the limit layers above.
   */
  flushedLayers?: number[];
  /**
   * Layers partly flushed to 0 (the `partial` option): f32 holds a positive value there, not above the forecast's
   * band, but some of the products it was summed from were flushed. Counted as consistent, not compared as numbers.
   */
  partialLayers?: number[];
}

/**
 * Compares per layer: both past the same f32 limit (`classify`: overflow, or underflow) → consistent;
 * otherwise both positive finite numbers → |log10(measured/predicted)| must be ≤ tolerance; otherwise (one
 * side Infinity/0 and the other not, or a NaN measurement) → disagree. `tolerance` is one number or one per layer (log10 units).
 * With nothing to compare the verdict is 'disagree' — there is no evidence of agreement.
 * `flushed` (per layer): where the measurement is exactly 0 and this is true, f32 holds 0 for the predicted
 * number (its entries flushed or rounded to 0, `flushMask`): consistent, past the same f32 limit.
 * `partial` (per layer), used when the row shows the GPU flushes (a flushed 0 at some layer, as above): where this
 * is true and the measurement is a positive number not above the forecast's
 * band, f32 flushed some of the products it was summed from (`partialFlushMask`), which only lowers it: consistent,
 * not compared as a number (a measurement above the band is still compared: flushing cannot raise it).
 */
export function verdict(
  measured: ArrayLike<number>,
  predicted: ArrayLike<number>,
  { tolerance, flushed, partial }: { tolerance: number | ArrayLike<number>; flushed?: ArrayLike<boolean>; partial?: ArrayLike<boolean> },
): Verdict {
  if (measured.length !== predicted.length) {
    throw new InputError('measured', `has ${measured.length} layers but the prediction has ${predicted.length}`);
  }
  if (typeof tolerance !== 'number' && tolerance.length !== measured.length) {
    throw new InputError('tolerance', `has ${tolerance.length} values but there are ${measured.length} layers`);
  }
  let worst = -1;
  let worstScore = -1;
  let worstRatio = 0;
  let compared = 0;
  let firstLimitLayer: number | null = null;
  let firstComparedLayer: number | null = null;
  let lastLimitLayer: number | null = null;
  let lastComparedLayer: number | null = null;
  let limitLayers = 0;
  let overflowLimitLayers = 0;
  const flushedLayers: number[] = [];
  const partialLayers: number[] = [];
  // Only a GPU that flushes partly flushes: this one does when it holds a flushed 0 somewhere in the row.
  let flushes = false;
  for (let i = 0; i < measured.length && flushed; i++) if (measured[i] === 0 && flushed[i] === true && predicted[i] > 0) flushes = true;
  let ok = true;
  for (let i = 0; i < measured.length; i++) {
    const mv = measured[i];
    const pv = predicted[i];
    if (Number.isNaN(pv)) continue;
    compared++;
    firstComparedLayer ??= i + 1;
    lastComparedLayer = i + 1;
    const tol = typeof tolerance === 'number' ? tolerance : tolerance[i];
    const ms = classify(mv, 'norm');
    const ps = classify(pv, 'norm');
    let ratio: number;
    const flush = mv === 0 && flushed !== undefined && flushed[i] === true;
    if (flush && pv > 0) flushedLayers.push(i + 1);
    if (ms === 'nan') {
      ratio = NaN;
    } else if ((ms !== 'finite' && ms === ps) || flush) {
      ratio = 0; // both past the same f32 limit (or f32's 0 for a number it flushes): consistent
      firstLimitLayer ??= i + 1;
      lastLimitLayer = i + 1;
      limitLayers++;
      if (ms === 'overflow' && !flush) overflowLimitLayers++;
    } else if (flushes && partial?.[i] === true && Number.isFinite(mv) && mv > 0 && pv > 0 && Math.log10(mv / pv) <= tol) {
      ratio = 0; // partly flushed to 0 in f32, which only lowers a value: consistent, not compared as a number
      partialLayers.push(i + 1);
    } else if (Number.isFinite(mv) && Number.isFinite(pv) && mv > 0 && pv > 0) {
      ratio = Math.log10(mv / pv);
    } else {
      // One side overflowed or vanished and the other didn't: infinitely far apart in log space.
      ratio = ms === 'overflow' || ps === 'underflow' ? Infinity : -Infinity;
    }
    const score = Number.isNaN(ratio) ? Infinity : Math.abs(ratio) / Math.max(tol, Number.MIN_VALUE);
    if (!(Math.abs(ratio) <= tol)) ok = false;
    if (score > worstScore) {
      worstScore = score;
      worst = i;
      worstRatio = ratio;
    }
  }
  return {
    verdict: ok && compared > 0 ? 'agree' : 'disagree',
    worstLog10Ratio: compared > 0 ? worstRatio : NaN,
    worstLayer: worst < 0 ? null : worst + 1,
    compared,
    firstLimitLayer,
    firstComparedLayer,
    lastLimitLayer,
    lastComparedLayer,
    limitLayers,
    overflowLimitLayers,
    flushedLayers,
    partialLayers,
  };
}

/** f32's largest finite value, smallest normal and smallest subnormal. */
export const F32_MAX = 3.4028234663852886e38;
export const F32_MIN_NORMAL = 2 ** -126;
export const F32_MIN_SUBNORMAL = 2 ** -149;

/** First layer at which a repeatedly scaled f32 value overflows, turns subnormal and becomes 0 (null: never). */
export interface F32Limits {
  /** First l where the value rounds to ±Infinity in f32. */
  overflow: number | null;
  /** First l where |v| < 2^-126, f32's smallest normal (subnormal, or already 0): precision is draining away. */
  subnormal: number | null;
  /**
   * First l where it rounds to 0 under IEEE round-to-nearest. Only factors ≤ 0.5 get there: for a factor
   * above ½, factor·2^-149 rounds back up to 2^-149, so the value sticks at the smallest subnormal. A GPU
   * that flushes subnormals to zero reaches 0 at `subnormal` instead.
   */
  zero: number | null;
}

/**
 * Follows v_l = f32(factor·v_{l−1}) from v_0 = f32(start) for l = 1..maxLayer, as an f32 identity layer
 * does to one entry, and reports where it crosses each f32 limit. f32Limits(1, 1.5).overflow = 219;
 * f32Limits(1, 0.5) → subnormal 127 (2^-127), zero 150 (2^-150 ties to even, i.e. to 0).
 */
export function f32Limits(start: number, factor: number, maxLayer = 100_000): F32Limits {
  const out: F32Limits = { overflow: null, subnormal: null, zero: null };
  const f = Math.fround(factor);
  let v = Math.fround(start);
  for (let l = 1; l <= maxLayer; l++) {
    const next = Math.fround(f * v);
    if (next === v && l > 1) break; // a fixed point (factor 1, or 0 · anything): nothing more will change
    v = next;
    const a = Math.abs(v);
    if (out.overflow === null && a === Infinity) out.overflow = l;
    if (out.subnormal === null && a < F32_MIN_NORMAL) out.subnormal = l;
    if (out.zero === null && a === 0) out.zero = l;
    if (out.overflow !== null || out.zero !== null) break; // nothing further can happen
  }
  return out;
}

/**
 * Where an identity-init run first leaves f32's range, for activations and (separately) gradients.
 * 'overflow' means the magnitude passes f32's max; what the GPU then holds (Infinity, or NaN once a later
 * matmul computes 0·∞) is implementation-defined under WGSL's finite-math rules, so it isn't predicted.
 */
export interface LimitForecast {
  /** Layers 1..L: first layer whose largest |A[l]| entry overflows / is subnormal / is 0 (the whole layer is then). */
  activation: F32Limits;
  /**
   * Gradients dA[l], in backprop order (l = L down to 1): the first layer reached whose largest entry
   * overflows / is subnormal / is 0. Once activations overflow, gradients are Infinity or NaN too.
   */
  gradient: F32Limits;
  note: string;
}

/**
 * For identity init with a linear or ReLU activation (each entry evolves as a[l] = s·a[l−1], gradients as
 * dA[L] = A[L]/m, dA[l−1] = s·dA[l]), the layers where f32 runs out, simulated in f32 (rounding every step,
 * no flush-to-zero, Infinity saturating) on the largest input entry. Near a boundary it can be one layer
 * off the GPU (rounding order, 1/m vs ÷m). Null for other configs.
 */
export function predictedLimitLayer(config: DeepNetConfig, { input }: { input?: ArrayLike<number> } = {}): LimitForecast | null {
  const cfg = validateDeepNetConfig(config);
  if (cfg.init !== 'identity' || (cfg.activation !== 'linear' && cfg.activation !== 'relu')) return null;
  const { depth: L, batch: m, gain: s } = cfg;
  const x = input ?? makeInput(cfg);
  if (x.length !== m * cfg.width) throw new InputError('input', `has ${x.length} values but batch × width = ${m * cfg.width}`);
  let big = 0;
  for (let i = 0; i < x.length; i++) {
    const v = cfg.activation === 'relu' ? Math.max(x[i], 0) : Math.abs(x[i]);
    if (v > big) big = v;
  }
  const f = Math.fround(s);
  const activation: F32Limits = { overflow: null, subnormal: null, zero: null };
  let v = Math.fround(big);
  for (let l = 1; l <= L; l++) {
    v = Math.fround(f * v);
    if (activation.overflow === null && v === Infinity) activation.overflow = l;
    if (activation.subnormal === null && v < F32_MIN_NORMAL) activation.subnormal = l;
    if (activation.zero === null && v === 0) activation.zero = l;
  }
  const gradient: F32Limits = { overflow: null, subnormal: null, zero: null };
  let g = Math.fround(v / m);
  for (let l = L; l >= 1; l--) {
    if (l < L) g = Math.fround(f * g);
    if (gradient.overflow === null && g === Infinity) gradient.overflow = l;
    if (gradient.subnormal === null && g < F32_MIN_NORMAL) gradient.subnormal = l;
    if (gradient.zero === null && g === 0) gradient.zero = l;
  }
  return {
    activation,
    gradient,
    note:
      `Identity init: every entry is multiplied by ${s} per layer, so f32 ` +
      `(max ≈ 3.4e38, min normal 2^-126 ≈ 1.2e-38, min subnormal 2^-149 ≈ 1.4e-45) runs out at a predictable layer; ` +
      'GPUs may flush subnormals to 0, reaching 0 at the subnormal layer.',
  };
}
