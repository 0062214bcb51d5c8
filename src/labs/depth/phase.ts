// Mean-field predictions for the gain × depth phase map: at which gain a deep net's signal neither grows nor
// shrinks with depth, forward (‖a[l]‖) or backward (‖∂J/∂a[l]‖).

import { InputError } from '../../errors';
import type { Activation } from '../../kernels/activations';
import type { InitScheme } from './config';
import { weightVariance } from './init';

// ∫ g(z)·φ(z) dz over z ~ N(0, 1) by Simpson's rule on [−12, 12] (the tails beyond hold < 1e-30).
function gaussExpect(g: (z: number) => number): number {
  const N = 4000;
  const a = -12;
  const h = 24 / N;
  let s = 0;
  for (let i = 0; i <= N; i++) {
    const z = a + i * h;
    const w = i === 0 || i === N ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * g(z) * Math.exp(-0.5 * z * z);
  }
  return (s * h) / 3 / Math.sqrt(2 * Math.PI);
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

function f(v: number, act: Activation): number {
  return act === 'relu' ? Math.max(v, 0) : act === 'tanh' ? Math.tanh(v) : act === 'sigmoid' ? sigmoid(v) : v;
}

function fPrime(v: number, act: Activation): number {
  if (act === 'relu') return v > 0 ? 1 : 0;
  if (act === 'tanh') {
    const c = Math.cosh(v);
    return 1 / (c * c);
  }
  if (act === 'sigmoid') {
    const s = sigmoid(v);
    return s * (1 - s);
  }
  return 1;
}

/**
 * The mean-field picture of a random net without biases, σ_w² = n·Var(W)·gain²: the per-unit second moment
 * of the pre-activations follows q ← σ_w²·E[f(√q·z)²] (z ~ N(0, 1)); at its fixed point q* the backward
 * factor per layer (how ‖∂J/∂a‖² changes from one layer to the one below) is χ = σ_w²·E[f′(√q*·z)²].
 * q* is reached by iterating from q = 1 (the input's second moment); for linear and ReLU, whose map has
 * no finite non-zero fixed point, χ is the same at every q (σ_w², σ_w²/2) and q is reported as 1.
 */
export function meanFieldChi(activation: Activation, sigmaW2: number): { q: number; chi: number } {
  if (!(sigmaW2 > 0) || !Number.isFinite(sigmaW2)) throw new InputError('sigmaW2', `must be a positive finite number, got ${sigmaW2}`);
  if (activation === 'linear') return { q: 1, chi: sigmaW2 };
  if (activation === 'relu') return { q: 1, chi: sigmaW2 / 2 };
  let q = 1;
  for (let i = 0; i < 500; i++) {
    const sq = Math.sqrt(q);
    const next = sigmaW2 * gaussExpect((z) => f(sq * z, activation) ** 2);
    if (Math.abs(next - q) <= 1e-13 * Math.max(q, 1e-300)) {
      q = next;
      break;
    }
    q = next;
  }
  const sq = Math.sqrt(q);
  return { q, chi: sigmaW2 * gaussExpect((z) => fPrime(sq * z, activation) ** 2) };
}

/**
 * The critical σ_w = √(n·Var·gain²) (σ_c below) of each activation (mean field, no biases): linear 1 (the factor is
 * σ_w²); ReLU √2 (it keeps half the energy, forward and backward: E[relu(z)²] = E[relu′(z)²] = ½);
 * tanh 1 (the order–chaos boundary of Poole et al. 2016 at σ_b = 0: for σ_w ≤ 1, q* = 0 and χ = σ_w²);
 * sigmoid by bisection on χ(σ_w) = 1 (its mean of ½ keeps q* > 0, and σ′ ≤ ¼ puts it near σ_w ≈ 10).
 */
export function criticalSigmaW(activation: Activation): number {
  if (activation === 'linear' || activation === 'tanh') return 1;
  if (activation === 'relu') return Math.SQRT2;
  let lo = 1;
  let hi = 100;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (lo + hi);
    if (meanFieldChi(activation, mid * mid).chi < 1) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * The gain at which a deep net of `init` and `activation` is critical (signal kept with depth), or null
 * when there is none:
 * - random inits (square layers, fan-in = fan-out = width): gain* = σ_c/√(n·Var), so LeCun and Xavier
 *   (n·Var = 1) give 1 for linear and tanh and √2 for ReLU; He (n·Var = 2) gives 1 for ReLU and 1/√2 for
 *   linear; N(0, 1) (n·Var = n) needs `width`: gain* = σ_c/√n.
 * - identity (W = gain·I, each unit on its own: a ← f(gain·a)): 1 for linear, ReLU and tanh (f′(0) = 1);
 *   null for sigmoid, whose fixed point a* = σ(gain·a*) always has slope gain·a*(1 − a*) < 1, so its
 *   gradients vanish at every gain.
 */
export function criticalGain(init: InitScheme, activation: Activation, width?: number): number | null {
  if (init === 'identity') return activation === 'sigmoid' ? null : 1;
  if (init === 'normal' && width === undefined) {
    throw new InputError('width', 'is needed for init normal: its Var(W) = 1 does not scale with the fan-in, so the critical gain is σ_c/√width');
  }
  const n = width ?? 64; // n·Var does not depend on n for the scaled inits
  const nVar = n * weightVariance(init, n, n)!;
  return criticalSigmaW(activation) / Math.sqrt(nVar);
}

/**
 * Predicted per-layer factors of a random-init net: forward n·Var·gain²·E[f(z)²]/E[z²] (how ‖a‖² grows
 * per layer) and backward n·Var·gain²·E[f′(z)²] (how ‖∂J/∂a‖² grows going down a layer), both at the
 * mean-field fixed point (linear: σ_w² both; ReLU: σ_w²/2 both). Null for identity init.
 */
export function layerFactors(init: InitScheme, activation: Activation, gain: number, width: number): { forward: number; backward: number } | null {
  if (init === 'identity') return null;
  const s2 = width * weightVariance(init, width, width)! * gain * gain;
  if (activation === 'linear') return { forward: s2, backward: s2 };
  if (activation === 'relu') return { forward: s2 / 2, backward: s2 / 2 };
  const { q, chi } = meanFieldChi(activation, s2);
  const sq = Math.sqrt(q);
  return { forward: (s2 * gaussExpect((z) => f(sq * z, activation) ** 2)) / q, backward: chi };
}
