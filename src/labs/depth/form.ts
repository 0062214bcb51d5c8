import { msg, str } from '@lit/localize';
import { formatCount, formatFixed, formatNumber } from '../../locale-format';
// DOM-free model behind the Depth lab's controls: the form's text ("draft") ↔ an experiment state,
// per-field problems, the memory check against device limits, the heatmap data of a sweep's rows,
// preset matching and the "what to try next" line.

import { InputError } from '../../errors';
import { describeCause, lostCause } from './classify';
import type { ExperimentState } from './url-state';
import { CellStatus, finiteLogRange, type HeatmapData } from '../../viz/heatmap-model';
import type { LogDomain } from '../../viz/ticks';
import { CONFIG_FIELDS, fieldProblem, memoryEstimate, type DeepNetConfig, type InitScheme } from './config';
import type { LayerStatName } from './types';
import { initName } from './init';
import { PRESETS, presetRun, type Preset, type PresetSize } from './presets';
import type { SweepResult } from './sweep';
import { formatNumberList, formatSweepValues, makeSweepGrid, parseNumber, parseSweepSpec, type SweepKind, type SweepSpec } from './sweep-grid';

/** The form as the user typed it: text for every field, so a bad value is kept, not lost. */
export interface LabDraft {
  depth: string;
  width: string;
  batch: string;
  activation: string;
  init: string;
  gain: string;
  seed: string;
  input: string;
  sweepKind: SweepKind;
  /** The values of each sweep kind, kept apart so switching kinds loses nothing. */
  depthValues: string;
  gainValues: string;
  inits: InitScheme[];
}

/** Fields a problem can be attached to: the config fields, plus `values` (the sweep's list). */
export type DraftField = keyof DeepNetConfig | 'values';

export interface ParsedDraft {
  /** The state the draft describes, or null while any field is bad. */
  state: ExperimentState | null;
  /** One message per bad field: what was wrong and what is allowed. */
  problems: Partial<Record<DraftField, string>>;
}

/** The config field a sweep of this kind sets per row (its own control is then hidden). */
export function sweptField(kind: SweepKind): 'depth' | 'gain' | 'init' {
  return kind;
}

/** The form's text for a state. */
export function draftFromState(state: ExperimentState): LabDraft {
  const c = state.config;
  const s = state.sweep;
  return {
    depth: String(c.depth),
    width: String(c.width),
    batch: String(c.batch),
    activation: c.activation,
    init: c.init,
    gain: String(c.gain),
    seed: String(c.seed),
    input: c.input,
    sweepKind: s.kind,
    depthValues: s.kind === 'depth' ? formatNumberList(s.depths).replace(/,/g, ', ') : String(c.depth),
    gainValues: s.kind === 'gain' ? formatNumberList(s.gains).replace(/,/g, ', ') : '0.5, 1, 1.5',
    inits: s.kind === 'init' ? [...s.inits] : ['xavier-normal', 'he-normal'],
  };
}

/** Parses the draft: every field's problem at once (swept fields excepted), and the state if all are fine. */
export function parseDraft(draft: LabDraft): ParsedDraft {
  const problems: Partial<Record<DraftField, string>> = {};
  const swept = sweptField(draft.sweepKind);
  const config: Record<string, unknown> = {};
  const numeric = new Set<keyof DeepNetConfig>(['depth', 'width', 'batch', 'gain', 'seed']);
  for (const field of CONFIG_FIELDS) {
    const text = draft[field].trim();
    const value = numeric.has(field) ? (parseNumber(text) ?? text) : text;
    config[field] = value;
    if (field === swept) continue;
    const problem = fieldProblem(field, value);
    if (problem) problems[field] = problem;
  }

  let spec: SweepSpec | null = null;
  try {
    if (draft.sweepKind === 'init') {
      if (draft.inits.length === 0) throw new InputError('sweep.inits', msg('pick at least one init scheme to sweep'));
      spec = { kind: 'init', inits: [...draft.inits] };
    } else {
      spec = parseSweepSpec(draft.sweepKind, draft.sweepKind === 'depth' ? draft.depthValues : draft.gainValues);
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.values = err.detail;
  }
  // The swept field's base value: the deepest depth (so the base config is the biggest row); a swept gain
  // or init keeps the form's value when it is valid (rows don't use it, links keep it), else the first swept value.
  if (spec) {
    if (spec.kind === 'depth') config.depth = Math.max(...spec.depths);
    else if (spec.kind === 'gain' && fieldProblem('gain', config.gain)) config.gain = spec.gains[0];
    else if (spec.kind === 'init' && fieldProblem('init', config.init)) config.init = spec.inits[0];
  }
  if (Object.keys(problems).length > 0 || !spec) return { state: null, problems };
  try {
    makeSweepGrid(config as unknown as DeepNetConfig, spec);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.values = err.detail;
    return { state: null, problems };
  }
  return { state: { config: config as unknown as DeepNetConfig, sweep: spec }, problems };
}

/** Device limits that bound one buffer. */
export interface BufferLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** The memory a sweep's biggest row needs, and whether this device can hold it. */
export interface MemoryCheck {
  /** Total bytes of the deepest row (`memoryEstimate`). */
  totalBytes: number;
  /** The biggest single buffer and what it holds. */
  largest: { what: string; bytes: number };
  /** The smaller of the two limits, with its name; null without a device. */
  limit: { name: keyof BufferLimits; bytes: number } | null;
  /** Why the run is refused (a single buffer over the limit), or null. */
  refuse: string | null;
  /** A softer warning (the total is over one buffer's limit), or null. */
  warn: string | null;
}

/** Bytes as `12.5 MiB` (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0
    ? `${formatCount(v)} bytes`
    : `${v >= 100 ? formatFixed(v, 0) : formatNumber(v, { minimumSignificantDigits: 3, maximumSignificantDigits: 3 })} ${units[u]}`;
}

/** The config of a sweep's biggest row (the deepest; other sweeps keep the base's sizes). */
export function biggestRow(state: ExperimentState): DeepNetConfig {
  const s = state.sweep;
  return s.kind === 'depth' ? { ...state.config, depth: Math.max(...s.depths) } : state.config;
}

/**
 * Checks the biggest row against the device: each of its buffers must fit both maxStorageBufferBindingSize
 * and maxBufferSize (else the run is refused, naming the buffer and the limit); a total beyond that limit
 * gets a warning, since the device may not have that much memory free.
 */
export function checkMemory(state: ExperimentState, limits: BufferLimits | null): MemoryCheck {
  const cfg = biggestRow(state);
  const est = memoryEstimate(cfg);
  const { depth: L, width: n, batch: m } = cfg;
  const buffers = [
    { what: msg(str`the activations A[0..L] ((L+1)·m·n = ${L + 1}·${m}·${n} floats)`), bytes: est.activations },
    { what: msg('the pre-activations Z[1..L] (L·m·n floats)'), bytes: est.preActivations },
    { what: msg(str`the weights W[1..L] (L·n² = ${L}·${n}² floats)`), bytes: est.weights },
  ];
  const largest = buffers.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  if (!limits) return { totalBytes: est.total, largest, limit: null, refuse: null, warn: null };
  const limit =
    limits.maxStorageBufferBindingSize <= limits.maxBufferSize
      ? { name: 'maxStorageBufferBindingSize' as const, bytes: limits.maxStorageBufferBindingSize }
      : { name: 'maxBufferSize' as const, bytes: limits.maxBufferSize };
  const refuse =
    largest.bytes > limit.bytes
      ? msg(
          str`Too big for this device: ${largest.what} take ${formatBytes(largest.bytes)} in one buffer, but its ${limit.name} is ${formatBytes(limit.bytes)}. Lower the depth, width or batch.`,
        )
      : null;
  const warn =
    !refuse && est.total > limit.bytes
      ? msg(
          str`The deepest row needs ${formatBytes(est.total)} of GPU memory in all, more than one buffer may hold (${formatBytes(limit.bytes)}); the device may run out of memory.`,
        )
      : null;
  return { totalBytes: est.total, largest, limit, refuse, warn };
}

/** A quantity the heatmap can show. */
export interface Quantity {
  name: LayerStatName;
  /** Short label, e.g. `‖∂J/∂W‖`. */
  label: string;
  /** The `view` name in the URL. */
  view: string;
  description: string;
}

export const QUANTITIES: readonly Quantity[] = [
  {
    name: 'gradWNorm',
    label: '‖∂J/∂W‖',
    view: 'grad-w',
    get description() {
      return msg('Frobenius norm of each layer’s weight gradient: how hard a gradient step pushes that layer’s weights.');
    },
  },
  {
    name: 'gradActNorm',
    label: '‖∂J/∂a‖',
    view: 'grad-a',
    get description() {
      return msg('Gradient of the loss with respect to each layer’s output (RMS over the batch), as backprop carries it down.');
    },
  },
  {
    name: 'actNorm',
    label: '‖a‖',
    view: 'act',
    get description() {
      return msg('Norm of each layer’s output a = f(z) (RMS over the batch of each example’s L2 norm).');
    },
  },
  {
    name: 'zVar',
    label: 'Var z',
    view: 'z-var',
    get description() {
      return msg(
        'Variance of all pre-activations z of a layer. It is exactly 0, marked “exactly 0” (brown), where every entry of z is the same number (identity init on an all-ones input, at every layer), and also where the signal has vanished: entries of z below about 1e-19 have squares below f32’s range, so their variance is 0 in f32.',
      );
    },
  },
];

/** View names the URL may carry. */
export const VIEWS: readonly string[] = QUANTITIES.map((q) => q.view);

/** The quantity of a view name (default ‖a‖). */
export function quantityForView(view: string | undefined): Quantity {
  return QUANTITIES.find((q) => q.view === view) ?? QUANTITIES.find((q) => q.name === 'actNorm')!;
}

const STATUS_CODE: Record<string, CellStatus> = {
  finite: CellStatus.Finite,
  overflow: CellStatus.Overflow,
  underflow: CellStatus.Underflow,
  nan: CellStatus.NaN,
  lost: CellStatus.Lost,
};

/** Row title and per-row label of a sweep kind. */
export function rowTitle(kind: SweepKind): string {
  return kind === 'depth' ? msg('depth L') : kind === 'gain' ? msg('gain s') : msg('init');
}

/**
 * Heatmap data for finished rows: row r = results[r], column c = layer c + 1 up to `cols` (default the
 * deepest row); the lab's statuses map to the heatmap's codes (an underflow that is exactly 0 to 'zero'),
 * layers past a row's depth are 'none'.
 */
export function makeLabHeatmapData(results: readonly SweepResult[], quantity: Quantity, kind: SweepKind, cols?: number): HeatmapData {
  const width = cols ?? Math.max(0, ...results.map((r) => r.config.depth));
  const values = new Float64Array(results.length * width);
  const status = new Uint8Array(results.length * width).fill(CellStatus.None);
  results.forEach((r, row) => {
    const v = r.run.layers[quantity.name];
    const s = r.run.status[quantity.name];
    for (let c = 0; c < Math.min(width, v.length); c++) {
      values[row * width + c] = v[c];
      // A norm that is exactly 0 (f32 flushed it, as W = 0.5·I from about layer 127) is 'underflow' to the lab,
      // but the heatmap shows it as 'exactly 0', so the 0 the lesson promises is visible beside the tiny values.
      status[row * width + c] = s[c] === 'underflow' && v[c] === 0 ? CellStatus.Zero : (STATUS_CODE[s[c]] ?? CellStatus.NaN);
    }
  });
  return {
    rowLabels: results.map((r) => (kind === 'depth' ? String(r.config.depth) : kind === 'gain' ? String(r.config.gain) : initName(r.config.init))),
    rowTitle: rowTitle(kind),
    colTitle: msg('layer l'),
    cols: width,
    values,
    status,
    quantity: quantity.label,
    lostCauses: results.map((r) => {
      const c = lostCause(r.run.status, r.run.layers);
      return c ? describeCause(c) : null;
    }),
  };
}

/** Fewest decades a colour scale or log axis spans, so near-constant rows look flat, not noisy. */
export const MIN_DECADES = 4;

/**
 * The log10 range of the finite, non-zero values (statuses as `CellStatus` codes), widened about its
 * middle to at least `minDecades`; null when there is no such value. Without this a row that varies by
 * 2× would be stretched over the whole colour table and look as dramatic as one that varies by 10^80.
 */
export function displayDomain(values: ArrayLike<number>, status?: ArrayLike<number>, minDecades = MIN_DECADES): LogDomain | null {
  const r = finiteLogRange(values, status);
  if (!r) return null;
  if (r.max - r.min >= minDecades) return r;
  const mid = (r.min + r.max) / 2;
  return { min: mid - minDecades / 2, max: mid + minDecades / 2 };
}

/** The preset (and its size) whose config and sweep equal the state's, or undefined. */
export function matchPreset(state: ExperimentState | null): { preset: Preset; size: PresetSize } | undefined {
  if (!state) return undefined;
  for (const preset of PRESETS) {
    for (const size of PRESET_SIZES) {
      const r = presetRun(preset, size);
      if (CONFIG_FIELDS.every((f) => r.config[f] === state.config[f]) && JSON.stringify(r.sweep) === JSON.stringify(state.sweep)) {
        return { preset, size };
      }
    }
  }
  return undefined;
}

/**
 * The preset the state is a variation of: an exact match (at either size), else the first preset with the
 * same activation, init, gain and input (only sizes, seed or the sweep changed). `exact` says which.
 */
export function closestPreset(state: ExperimentState | null): { preset: Preset; exact: boolean; size?: PresetSize } | undefined {
  if (!state) return undefined;
  const exact = matchPreset(state);
  if (exact) return { preset: exact.preset, exact: true, size: exact.size };
  const c = state.config;
  const like = PRESETS.find((p) => p.config.activation === c.activation && p.config.init === c.init && p.config.gain === c.gain && p.config.input === c.input);
  return like ? { preset: like, exact: false } : undefined;
}

const PRESET_SIZES: readonly PresetSize[] = ['full', 'small'];

/** What the small size of a preset changes, in words: `width 64 (full: 256), depths 4, 8, …, 128 (full: 1..128)`. */
export function describeSmallSize(p: Preset): string {
  const parts: string[] = [];
  const labels: Partial<Record<keyof DeepNetConfig, string>> = { width: msg('width n'), batch: msg('batch m') };
  for (const f of ['width', 'batch'] as const) {
    if (p.small.config[f] !== p.config[f]) parts.push(msg(str`${labels[f]} ${p.small.config[f]} (full: ${p.config[f]})`));
  }
  if (JSON.stringify(p.small.sweep) !== JSON.stringify(p.sweep)) {
    parts.push(
      msg(
        str`${p.small.sweep.kind === 'depth' ? p.small.sweep.depths.length : '?'} depths, ${formatSweepValues(p.small.sweep)} (full: ${formatSweepValues(p.sweep)})`,
      ),
    );
  }
  return parts.join(', ');
}

/** The "what to try next" line for the current preset (or custom settings) and the last result. */
export function nextStep(presetId: string | undefined, last: SweepResult | null): string {
  const overflowed = last ? last.run.status.gradActNorm.some((s) => s === 'overflow' || s === 'nan' || s === 'lost') : false;
  switch (presetId) {
    case 'lecture-1.5I':
      return msg(
        'Switch the preset to “Lecture: W = 0.5·I” for the mirror image: the rows fade instead, and reach exactly 0 near layer 150 (127 on GPUs that flush tiny numbers to zero).',
      );
    case 'lecture-0.5I':
      return msg('Now use random weights: switch the preset to “He + ReLU” and watch the rows flatten.');
    case 'he-relu':
      return msg('Switch to “Xavier + ReLU”: half He’s weight variance, and every row fades by 1/√2 per layer.');
    case 'xavier-relu':
      return msg('Set the sweep to gain with values 1, 1.2, 1.414, 1.6 at depth 64: gain √2 turns Xavier into He and flattens the row.');
    case 'normal-tanh':
      return msg('Switch to “Xavier + tanh”: scaling the weights by 1/√n keeps tanh out of saturation and the gradients tame.');
    case 'xavier-tanh':
      return msg('Set the sweep to init and tick every scheme to compare them all on one heatmap.');
    default:
      return overflowed
        ? msg('The gradients overflowed: lower the gain, or pick He (ReLU) or Xavier (tanh) initialization, and run again.')
        : msg('Change one setting at a time and run again, or pick a preset to start from a known experiment.');
  }
}
