// The gain × depth phase map: for one init and activation, how much the signal grows from the input to layer L
// (forward) or the gradient grows from layer L down to layer 1 (backward), over a grid of gains × depths, with
// the mean-field prediction of the critical gain where the ratio stays near 1.
//
// Each gain costs one run of the deepest net: a depth-L net's forward pass is the first L layers of a deeper
// one (layer l's weights depend only on the seed and l), so ‖a[L]‖/‖a[0]‖ is exact for every depth. The
// backward ratio ‖∂J/∂a[1]‖/‖∂J/∂a[L]‖ is read in the deepest net too: the gradient's growth from layer L down
// to layer 1, through the same Jacobians a depth-L net has. It is not exactly a depth-L net's own ratio: with
// the lab's zero targets the gradient enters a net's last layer along its output, which the Jacobians
// amplify more than a random direction (for linear nets at the critical gain by about √(L + 1)), a shift of
// the measured boundary by about ln(L)/(4L) in log(gain), 2 % at L = 50.
import { InputError } from '../../errors';
import { classify, type ValueStatus } from './classify';
import { CONFIG_LIMITS, validateDeepNetConfig, type DeepNetConfig } from './config';
import { makeInput } from './init';
import { criticalGain } from './phase';
import type { Sweep } from './sweep';
import type { DeepNetResult } from './types';

/** Which ratio the map shows. */
export type PhaseQuantity = 'forward' | 'backward';
export const PHASE_QUANTITIES: readonly PhaseQuantity[] = ['forward', 'backward'];

/** The grid: gains (rows) × depths (columns). */
export interface PhaseMapSpec {
  gains: number[];
  depths: number[];
}

/** Most gains and depths in one map (each gain is one run of the deepest net). */
export const PHASE_LIMITS = Object.freeze({ gains: 64, depths: 256 });

/** The lecture-sized default grid: gains 0.5…2 in 25 steps × depths 1…100. */
export function defaultPhaseMapSpec(): PhaseMapSpec {
  const gains = Array.from({ length: 25 }, (_, i) => round(0.5 + (1.5 * i) / 24));
  const depths = Array.from({ length: 100 }, (_, i) => i + 1);
  return { gains, depths };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Checks a grid: gains finite and > 0, depths integers in the config's range, each list non-empty, without
 * repeats and within PHASE_LIMITS. Returns both sorted ascending. Throws an InputError naming the value.
 */
export function validatePhaseMapSpec(spec: unknown): PhaseMapSpec {
  if (typeof spec !== 'object' || spec === null) throw new InputError('phaseMap', 'must be an object { gains, depths }');
  const { gains, depths } = spec as Partial<PhaseMapSpec>;
  const list = (name: 'gains' | 'depths', v: unknown, ok: (x: number) => boolean, allowed: string): number[] => {
    if (!Array.isArray(v)) throw new InputError(name, `must be a list of numbers, got ${typeof v}`);
    if (v.length === 0) throw new InputError(name, 'is empty; give at least one value');
    if (v.length > PHASE_LIMITS[name]) throw new InputError(name, `has ${v.length} values; a phase map allows at most ${PHASE_LIMITS[name]}`);
    const seen = new Set<number>();
    v.forEach((x, i) => {
      if (typeof x !== 'number' || !ok(x)) throw new InputError(`${name}[${i}]`, `must be ${allowed}, got ${String(x)}`);
      if (seen.has(x)) throw new InputError(`${name}[${i}]`, `${x} appears twice; give each value once`);
      seen.add(x);
    });
    return [...(v as number[])].sort((a, b) => a - b);
  };
  return {
    gains: list('gains', gains, (x) => Number.isFinite(x) && x > 0 && x <= CONFIG_LIMITS.gain.max, `a number above 0 and at most ${CONFIG_LIMITS.gain.max}`),
    depths: list('depths', depths, (x) => Number.isInteger(x) && x >= 1 && x <= CONFIG_LIMITS.depth.max, `an integer from 1 to ${CONFIG_LIMITS.depth.max}`),
  };
}

/** The runs a map needs: one per gain, at the deepest depth of the grid, over `base`'s other settings. */
export function phaseMapConfigs(base: DeepNetConfig, spec: PhaseMapSpec): DeepNetConfig[] {
  const s = validatePhaseMapSpec(spec);
  const depth = s.depths[s.depths.length - 1];
  return s.gains.map((gain) => validateDeepNetConfig({ ...base, depth, gain }));
}

/** The sweep that measures a map: a gain sweep of the deepest net (run it with `runSweep` or `runSweepCpu`). */
export function phaseMapSweep(base: DeepNetConfig, spec: PhaseMapSpec): Sweep {
  const s = validatePhaseMapSpec(spec);
  const cfg = validateDeepNetConfig({ ...base, depth: s.depths[s.depths.length - 1] });
  return { base: cfg, spec: { kind: 'gain', gains: s.gains } };
}

/** ‖A[0]‖_F/√m of the net's input, the same convention as the per-layer ‖a[l]‖. */
export function inputNorm(config: DeepNetConfig): number {
  const x = makeInput(config);
  const { width: n, batch: m } = config;
  let sum = 0;
  for (let i = 0; i < m * n; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / m);
}

/** A finished map. values[g·depths + d] is log10 of the ratio for gains[g] at depths[d]. */
export interface PhaseMap {
  quantity: PhaseQuantity;
  gains: number[];
  depths: number[];
  values: Float64Array;
  /** Per cell: 'finite', or why the ratio could not be measured (overflow, underflow, NaN, lost). */
  status: ValueStatus[];
  /** The predicted critical gain (per-layer factor = 1), or null where theory gives none (sigmoid + identity). */
  predictedGain: number | null;
  /** Per depth, the measured gain where the ratio crosses 1 (log10 = 0), interpolated; null where it does not cross. */
  measuredGain: (number | null)[];
}

const WORST: readonly ValueStatus[] = ['nan', 'lost', 'overflow', 'underflow'];
const worst = (...s: ValueStatus[]): ValueStatus => WORST.find((w) => s.includes(w)) ?? 'finite';

/**
 * The map from one run per gain (`runs[g]` ran `phaseMapConfigs(base, spec)[g]`). Cells whose norms are not
 * finite carry that status and NaN as value, so a chart never draws a ratio f32 could not hold.
 */
export function buildPhaseMap(base: DeepNetConfig, spec: PhaseMapSpec, runs: readonly DeepNetResult[], quantity: PhaseQuantity): PhaseMap {
  const s = validatePhaseMapSpec(spec);
  if (!PHASE_QUANTITIES.includes(quantity)) throw new InputError('quantity', `must be one of ${PHASE_QUANTITIES.join(', ')}, got ${String(quantity)}`);
  if (runs.length !== s.gains.length) throw new InputError('runs', `has ${runs.length} runs for ${s.gains.length} gains; give one per gain`);
  const G = s.gains.length;
  const D = s.depths.length;
  const values = new Float64Array(G * D);
  const status: ValueStatus[] = new Array(G * D);
  const a0 = inputNorm(validateDeepNetConfig(base));
  for (let g = 0; g < G; g++) {
    const { layers, status: st } = runs[g];
    if (layers.actNorm.length < s.depths[D - 1]) {
      throw new InputError(`runs[${g}]`, `has ${layers.actNorm.length} layers; the map's deepest depth is ${s.depths[D - 1]}`);
    }
    for (let d = 0; d < D; d++) {
      const L = s.depths[d];
      let num: number, den: number, cell: ValueStatus;
      if (quantity === 'forward') {
        num = layers.actNorm[L - 1];
        den = a0;
        cell = worst(st.actNorm[L - 1], classify(a0));
      } else {
        num = layers.gradActNorm[0];
        den = layers.gradActNorm[L - 1];
        cell = worst(st.gradActNorm[0], st.gradActNorm[L - 1]);
      }
      const i = g * D + d;
      status[i] = cell;
      values[i] = cell === 'finite' ? Math.log10(num) - Math.log10(den) : NaN;
    }
  }
  const measuredGain = s.depths.map((_, d) => crossing(s.gains, (g) => values[g * D + d]));
  return { quantity, gains: s.gains, depths: s.depths, values, status, predictedGain: predictedCriticalGain(base, quantity), measuredGain };
}

/** The gain where v(g) crosses 0 between two neighbouring gains, by linear interpolation in log(gain); null if none. */
function crossing(gains: readonly number[], v: (g: number) => number): number | null {
  for (let g = 0; g + 1 < gains.length; g++) {
    const a = v(g);
    const b = v(g + 1);
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a === 0) return gains[g];
    if (a < 0 !== b < 0 || b === 0) {
      const t = a / (a - b);
      return Math.exp(Math.log(gains[g]) + t * (Math.log(gains[g + 1]) - Math.log(gains[g])));
    }
  }
  return null;
}

/**
 * The gain at which the per-layer factor is 1 (`criticalGain`). For linear and ReLU nets the forward factor
 * n·Var(W)·gain²·E[f(z)²]/Var(z) and the backward factor n·Var(W)·gain²·E[f′(z)²] are equal (σ_w² and σ_w²/2),
 * so both quantities share it. For tanh and sigmoid it is the mean-field order–chaos boundary (backward
 * factor χ = 1); the forward norm settles at a fixed point on the chaotic side and decays to 0 on the ordered
 * side, so its boundary is the same. Identity nets: 1 (none for sigmoid).
 */
export function predictedCriticalGain(base: DeepNetConfig, quantity: PhaseQuantity): number | null {
  if (!PHASE_QUANTITIES.includes(quantity)) throw new InputError('quantity', `must be one of ${PHASE_QUANTITIES.join(', ')}, got ${String(quantity)}`);
  const { init, activation, width } = validateDeepNetConfig(base);
  return criticalGain(init, activation, width);
}
