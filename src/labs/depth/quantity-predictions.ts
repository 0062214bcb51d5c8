import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { formatNumber, formatSignificant } from '../../locale-format';
import { validateDeepNetConfig, type DeepNetConfig } from './config';
import type { LayerStatName } from './types';
import { makeInput, weightVariance } from './init';
import { predict, predictionTolerance } from './predictions';

/** The quantities with a forecast: activations, ∂J/∂a and ∂J/∂W norms. */
export type PredictedQuantity = 'actNorm' | 'gradActNorm' | 'gradWNorm';

export function isPredictedQuantity(name: LayerStatName): name is PredictedQuantity {
  return name === 'actNorm' || name === 'gradActNorm' || name === 'gradWNorm';
}

/** A forecast of one per-layer quantity (index l − 1 is layer l), to overlay on the measurement. */
export interface QuantityPrediction {
  quantity: LayerStatName;
  /** Predicted values (±Infinity/0 past float64's range; see log10Values), or null when there is no forecast. */
  values: Float64Array | null;
  /** log10 of the prediction, finite even where float64 is not. */
  log10Values: Float64Array | null;
  /** Exact in real arithmetic (identity init, linear or ReLU). */
  exact: boolean;
  /** Per-layer tolerance in log10 units for `verdict`, or null. */
  tolerance: Float64Array | null;
  /** One sentence for the UI, in the language shown: which formula, or why there is none. */
  note: string;
}

const LABEL: Record<PredictedQuantity, string> = { actNorm: '‖a‖', gradActNorm: '‖∂J/∂a‖', gradWNorm: '‖∂J/∂W‖' };

/** A computed number in a note, 4 significant digits in the locale's marks. */
function fmt(v: number): string {
  return formatSignificant(v, 4);
}

function fromLog(log10Values: Float64Array): Float64Array {
  return log10Values.map((lv) => (lv === -Infinity ? 0 : Math.pow(10, lv)));
}

// Σ over an m×n row-major matrix of squares.
function sumSq(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/** ‖BᵀC‖_F² for B, C m×n row-major, via whichever of the n×n or m×m Gram products is cheaper. */
export function gramTraceSq(b: ArrayLike<number>, c: ArrayLike<number>, m: number, n: number): number {
  let s = 0;
  if (m <= n) {
    // Σ_{i,i'} (b_i·b_i')(c_i·c_i')
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < m; k++) {
        let bb = 0;
        let cc = 0;
        for (let j = 0; j < n; j++) {
          bb += b[i * n + j] * b[k * n + j];
          cc += c[i * n + j] * c[k * n + j];
        }
        s += bb * cc;
      }
    }
  } else {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        let t = 0;
        for (let i = 0; i < m; i++) t += b[i * n + j] * c[i * n + k];
        s += t * t;
      }
    }
  }
  return s;
}

// ∫ g(x)·φ(x) dx for x ~ N(0, 1), Simpson's rule on [−10, 10] (fine enough for tanh at any scale √q ≤ 1e6).
const GRID = 4001;
function gaussMean(g: (x: number) => number): number {
  const lo = -10;
  const h = 20 / (GRID - 1);
  let s = 0;
  for (let i = 0; i < GRID; i++) {
    const x = lo + i * h;
    const w = i === 0 || i === GRID - 1 ? 1 : i % 2 ? 4 : 2;
    s += w * g(x) * Math.exp(-0.5 * x * x);
  }
  return (s * h) / 3 / Math.sqrt(2 * Math.PI);
}

const sech2 = (t: number) => {
  const c = Math.cosh(t);
  return c === Infinity ? 0 : 1 / (c * c);
};

/** For z ~ N(0, q): E[tanh(z)²], E[tanh′(z)²], E[tanh′(z)] and E[tanh(z)²·tanh′(z)²] (numerically). */
export function tanhMoments(q: number): { f2: number; d2: number; d1: number; fd2: number } {
  const sd = Math.sqrt(q);
  return {
    f2: gaussMean((x) => Math.tanh(sd * x) ** 2),
    d2: gaussMean((x) => sech2(sd * x) ** 2),
    d1: gaussMean((x) => sech2(sd * x)),
    fd2: gaussMean((x) => (Math.tanh(sd * x) * sech2(sd * x)) ** 2),
  };
}

/** ReLU's correlation map: corr(relu(u), relu(v)) scaled by E[relu²] for (u, v) of correlation c (arc-cosine kernel). */
function reluCorr(c: number): number {
  const cc = Math.max(-1, Math.min(1, c));
  return (Math.sqrt(1 - cc * cc) + (Math.PI - Math.acos(cc)) * cc) / Math.PI;
}

/** Examples used to estimate the input's correlation between examples (mean field). */
const CORR_EXAMPLES = 64;
/** Most multiply-adds spent on the exact ‖XᵀX‖_F of an identity net's ‖∂J/∂W‖ forecast (≈0.2 s). */
const MAX_GRAM_WORK = 2e8;

function identityPrediction(cfg: DeepNetConfig, x: ArrayLike<number>, q: PredictedQuantity): QuantityPrediction {
  const { depth: L, width: n, batch: m, gain } = cfg;
  const s = Math.fround(gain);
  const ls = Math.log10(s);
  const b = cfg.activation === 'relu' ? Array.from(x, (v) => Math.max(v, 0)) : Array.from(x);
  const log10Values = new Float64Array(L);
  let note: string;
  if (q === 'gradActNorm') {
    // dA[L] = s^L·B/m and dA[l−1] = s·dA[l] (ReLU passes it: dA is zero where the mask is), so
    // ‖dA[l]‖_F/√m = s^(2L−l)·‖B‖_F/m^(3/2).
    const c0 = Math.log10(Math.sqrt(sumSq(b))) - 1.5 * Math.log10(m);
    for (let l = 1; l <= L; l++) log10Values[l - 1] = (2 * L - l) * ls + c0;
    const [g, c] = [formatNumber(gain), fmt(Math.pow(10, c0))];
    note = msg(
      str`Exact: W = ${g}·I, so backprop multiplies ∂J/∂a by ${g} per layer from ∂J/∂a[L] = a[L]/m: ‖∂J/∂a[l]‖ = ${g}^(2L−l)·${c} (all-ones input: ${g}^(2L−l)·√n/m).`,
    );
  } else if (m * n * Math.min(m, n) > MAX_GRAM_WORK && !Array.prototype.every.call(x, (v: number) => v === 1)) {
    return {
      quantity: q,
      values: null,
      log10Values: null,
      exact: false,
      tolerance: null,
      note: msg(
        str`The exact ‖∂J/∂W‖ forecast needs ‖XᵀX‖ (m·n·min(m, n) = ${formatSignificant(m * n * Math.min(m, n), 2)} multiply-adds), too much to compute on this page; with an all-ones input it is n·${formatNumber(gain)}^(2L−1).`,
      ),
    };
  } else {
    // dW[l] = dZ[l]ᵀ·A[l−1] = s^(2L−l)/m·Bᵀ · s^(l−1)·C, with C = X at l = 1 and B above it.
    // All-ones X: BᵀB = XᵀX = m·ones(n×n), ‖·‖_F = m·n, so ‖∂J/∂W[l]‖ = n·s^(2L−1).
    const ones = Array.prototype.every.call(x, (v: number) => v === 1);
    const top = ones ? Math.log10(n) : 0.5 * Math.log10(gramTraceSq(b, b, m, n)) - Math.log10(m);
    const first = ones ? top : cfg.activation === 'relu' ? 0.5 * Math.log10(gramTraceSq(b, x, m, n)) - Math.log10(m) : top;
    for (let l = 1; l <= L; l++) log10Values[l - 1] = (2 * L - 1) * ls + (l === 1 ? first : top);
    const [g, c] = [formatNumber(gain), fmt(Math.pow(10, top))];
    note = msg(
      str`Exact: W = ${g}·I, so ∂J/∂W[l] = ∂J/∂z[l]ᵀ·a[l−1] = ${g}^(2L−l)/m · ${g}^(l−1)·XᵀX: ‖∂J/∂W[l]‖ = ${g}^(2L−1)·${c} at every layer (all-ones input: n·${g}^(2L−1)).`,
    );
  }
  return { quantity: q, values: fromLog(log10Values), log10Values, exact: true, tolerance: predictionTolerance(cfg, true), note };
}

/**
 * Mean-field forecast for random weights (Var(W) = gain²·Var of the init). Per example, with z ~ N(0, q[l])
 * and q[l] = Var(W)·‖a[l−1]‖²: forward ‖a[l]‖² = n·E[f(z)²] (factor n·Var(W)·E[f(z)²]/Var(z));
 * backward ‖∂J/∂a[l−1]‖² = n·Var(W)·E[f′(z[l])²]·‖∂J/∂a[l]‖² from ∂J/∂a[L] = a[L]/m (whose top step uses
 * E[f(z)²f′(z)²]/E[f(z)²], as ∂J/∂a[L] is a function of z[L]); ReLU: E[f′²] = ½; tanh: numerically.
 * ‖∂J/∂W[l]‖² = Σ_{i,i'} (∂J/∂z_i·∂J/∂z_i')(a_i·a_i') over the batch, with the correlation between examples
 * carried by the arc-cosine map (ReLU), unchanged (linear) or linearised (tanh).
 */
function meanFieldPrediction(cfg: DeepNetConfig, x: ArrayLike<number>, q: PredictedQuantity): QuantityPrediction {
  const { depth: L, width: n, batch: m, gain, activation } = cfg;
  const varW = weightVariance(cfg.init, n, n)! * gain * gain;
  const lv = Math.log10(varW);
  const ln = Math.log10(n);
  // Input: mean squared example norm (all examples) and mean cross-example correlation (from the first
  // CORR_EXAMPLES examples, so a batch of 4096 costs no more than one of 64).
  let diag = 0;
  for (let i = 0; i < m * n; i++) diag += x[i] * x[i];
  diag /= m;
  const mc = Math.min(m, CORR_EXAMPLES);
  let off = 0;
  let sub = 0;
  for (let i = 0; i < mc; i++) {
    for (let k = i; k < mc; k++) {
      let d = 0;
      for (let j = 0; j < n; j++) d += x[i * n + j] * x[k * n + j];
      if (i === k) sub += d;
      else off += d;
    }
  }
  const c0 = mc > 1 && sub > 0 ? off / ((mc * (mc - 1)) / 2) / (sub / mc) : 1;
  // Forward, in log10: logK[l] = log10 ‖a[l]‖² per example (index 0 = input), ca[l] its cross-example correlation.
  const logK = new Float64Array(L + 1);
  const ca = new Float64Array(L + 1);
  const logQ = new Float64Array(L + 1); // logQ[l] = log10 Var(z[l]), l ≥ 1
  const d2 = new Float64Array(L + 1); // E[f′(z[l])²]
  const corrD = new Float64Array(L + 1); // E[f′(u)f′(v)]/E[f′²] at the pre-activations' correlation
  let topRatio = 1; // E[f(z)²f′(z)²]/E[f(z)²] at layer L
  logK[0] = Math.log10(diag);
  ca[0] = c0;
  for (let l = 1; l <= L; l++) {
    logQ[l] = lv + logK[l - 1];
    const cz = ca[l - 1];
    if (activation === 'linear') {
      logK[l] = ln + logQ[l];
      ca[l] = cz;
      d2[l] = 1;
      corrD[l] = 1;
    } else if (activation === 'relu') {
      logK[l] = ln + logQ[l] + Math.log10(0.5);
      ca[l] = reluCorr(cz);
      d2[l] = 0.5;
      corrD[l] = (Math.PI - Math.acos(Math.max(-1, Math.min(1, cz)))) / Math.PI;
    } else {
      const t = tanhMoments(Math.min(Math.pow(10, logQ[l]), 1e12));
      logK[l] = ln + Math.log10(t.f2);
      ca[l] = cz; // tanh is odd and near-linear around 0: correlation kept (exact at 0 and 1)
      d2[l] = t.d2;
      corrD[l] = t.d2 > 0 ? (t.d1 * t.d1 + cz * (t.d2 - t.d1 * t.d1)) / t.d2 : 1;
      if (l === L) topRatio = t.fd2 / t.f2;
    }
  }
  const log10Values = new Float64Array(L);
  let note: string;
  const dName = activation === 'relu' ? '½' : activation === 'linear' ? '1' : msg('E[tanh′(z)²] (numerical, z ~ N(0, q[l]))');
  const nVar = fmt(n * varW);
  if (q === 'actNorm') {
    for (let l = 1; l <= L; l++) log10Values[l - 1] = 0.5 * logK[l];
    note = msg(
      str`Mean field: each layer multiplies ‖a‖² by n·Var(W)·E[f(z)²]/Var(z), with E[tanh(z)²] computed numerically for z ~ N(0, q[l]) and q[l] = Var(W)·‖a[l−1]‖² (n·Var(W) = ${nVar}).`,
    );
  } else {
    // Backward: logG = log10 per-example ‖∂J/∂a[l]‖², cg its cross-example correlation.
    let logG = logK[L] - 2 * Math.log10(m);
    let cg = ca[L];
    for (let l = L; l >= 1; l--) {
      const logGz = logG + Math.log10(l === L ? topRatio : d2[l]);
      const cgz = l === L ? cg : cg * corrD[l];
      if (q === 'gradActNorm') log10Values[l - 1] = 0.5 * logG;
      else {
        const cross = Math.max(1 + (m - 1) * cgz * ca[l - 1], 1e-12);
        log10Values[l - 1] = 0.5 * (Math.log10(m) + logGz + logK[l - 1] + Math.log10(cross));
      }
      logG = ln + lv + logGz;
      cg = cgz;
    }
    note =
      q === 'gradWNorm'
        ? msg(
            str`Mean field: backprop multiplies ‖∂J/∂a‖² by n·Var(W)·E[f′(z)²] per layer, E[f′(z)²] = ${dName} (n·Var(W) = ${nVar}), from ∂J/∂a[L] = a[L]/m; ‖∂J/∂W[l]‖ combines ∂J/∂z[l] with a[l−1] over the batch.`,
          )
        : msg(
            str`Mean field: backprop multiplies ‖∂J/∂a‖² by n·Var(W)·E[f′(z)²] per layer, E[f′(z)²] = ${dName} (n·Var(W) = ${nVar}), from ∂J/∂a[L] = a[L]/m.`,
          );
  }
  return { quantity: q, values: fromLog(log10Values), log10Values, exact: false, tolerance: gradientTolerance(cfg, q), note };
}

/**
 * The finite-width band of `predictionTolerance`, at the number of random layers a value has passed
 * through: l for ‖a[l]‖, L forward plus L − l + 1 backward for the gradients of layer l.
 */
export function gradientTolerance(cfg: DeepNetConfig, q: PredictedQuantity): Float64Array {
  const L = cfg.depth;
  const band = predictionTolerance({ ...cfg, depth: 2 * L }, false);
  const tol = new Float64Array(L);
  for (let l = 1; l <= L; l++) tol[l - 1] = q === 'actNorm' ? band[l - 1] : band[2 * L - l];
  return tol;
}

/**
 * Forecast of a per-layer quantity: exact for identity nets (linear or ReLU), mean field for random inits
 * (linear, ReLU, tanh); null values (with a note saying why) otherwise.
 */
export function predictQuantity(config: DeepNetConfig, quantity: LayerStatName, { input }: { input?: ArrayLike<number> } = {}): QuantityPrediction {
  const cfg = validateDeepNetConfig(config);
  const x = input ?? makeInput(cfg);
  if (x.length !== cfg.batch * cfg.width) throw new InputError('input', `has ${x.length} values but batch × width = ${cfg.batch * cfg.width}`);
  const none = (note: string): QuantityPrediction => ({ quantity, values: null, log10Values: null, exact: false, tolerance: null, note });
  if (!isPredictedQuantity(quantity)) return none(msg('No forecast for this quantity here: the line is the measurement only.'));
  const { activation, init } = cfg;
  if (quantity === 'actNorm' && (activation === 'linear' || activation === 'relu')) {
    const p = predict(cfg, { input: x });
    return { quantity, values: p.actNorm, log10Values: p.log10ActNorm, exact: p.exact, tolerance: p.tolerance, note: p.note };
  }
  if (init === 'identity') {
    if (activation === 'linear' || activation === 'relu') return identityPrediction(cfg, x, quantity);
    return none(msg(str`No closed form for ${LABEL[quantity]} with ${activation}: it bends s·a differently at every magnitude.`));
  }
  if (activation === 'sigmoid' || (activation !== 'linear' && activation !== 'relu' && activation !== 'tanh')) {
    return none(msg(str`No mean-field forecast of ${LABEL[quantity]} for ${activation} here: its outputs are not centred on 0.`));
  }
  return meanFieldPrediction(cfg, x, quantity);
}
