import { msg, str } from '@lit/localize';
import { formatCount, formatMagnitude, formatScientific } from '../../locale-format';
// DOM-free model behind the Normalization lab's controls: the lab's state (generated-data options, the
// learning rate and how it is read, descent limits, which plots are shown), the form's text ("draft") ↔
// that state, one message per bad field, the log-scale learning-rate slider, and each mode's learning rate.

import { DATASET_LIMITS, DEFAULT_DATASET_OPTIONS } from './data';
import type { NormalizeMode } from './types';

/** Generator options the lab exposes (weights and bias stay the engine's defaults). */
export interface LabData {
  m: number;
  ranges: [number, number][];
  noise: number;
  testFraction: number;
  testShift: number;
  seed: number;
}

/**
 * How the learning-rate control is read: `relative` — a multiple of each mode's own stable limit 2/λmax
 * (every mode at the same fraction of its limit, so steps compare conditioning alone); `absolute` — one
 * learning rate for every mode (the way you would train: the raw mode then diverges at a rate the
 * standardized one takes in its stride).
 */
export type LrScale = 'relative' | 'absolute';
export const LR_SCALES: readonly LrScale[] = ['relative', 'absolute'];

/** Plots the lab can show. */
export type PlotName = 'scatter' | 'contours';
export const PLOT_NAMES: readonly PlotName[] = ['scatter', 'contours'];

/** Everything the lab's URL reproduces. */
export interface NormalizeLabState {
  data: LabData;
  lrScale: LrScale;
  /** relative: the multiple of each mode's 2/λmax; absolute: the learning rate itself. */
  lr: number;
  steps: number;
  tol: number;
  plots: PlotName[];
}

/** Limits of every field: what the form, the URL and the API allow. */
export const LAB_LIMITS = Object.freeze({
  m: DATASET_LIMITS.m,
  /** m on the CPU fallback (no WebGPU): float64 in JavaScript, kept small enough to stay interactive. */
  cpuMaxM: 100_000,
  features: { min: DATASET_LIMITS.features.min, max: Math.min(8, DATASET_LIMITS.features.max) },
  rangeAbs: DATASET_LIMITS.magnitude,
  noise: DATASET_LIMITS.noise,
  testFraction: { min: 0.01, max: 0.99 },
  testShift: DATASET_LIMITS.testShift,
  seed: DATASET_LIMITS.seed,
  lr: { relative: { min: 1e-4, max: 10 }, absolute: { min: 1e-12, max: 1e4 } },
  steps: { min: 1, max: 100_000 },
  tol: { min: 1e-15, max: 1 },
});

/** The lab's defaults: the engine's (the lecture's x1 ~ U(1, 1000), x2 ~ U(0, 1)), every mode at half its stable limit. */
export const DEFAULT_LAB_STATE: Readonly<NormalizeLabState> = Object.freeze({
  data: Object.freeze({
    m: DEFAULT_DATASET_OPTIONS.m,
    ranges: DEFAULT_DATASET_OPTIONS.ranges.map((r) => [r[0], r[1]] as [number, number]),
    noise: DEFAULT_DATASET_OPTIONS.noise,
    testFraction: DEFAULT_DATASET_OPTIONS.testFraction,
    testShift: DEFAULT_DATASET_OPTIONS.testShift,
    seed: DEFAULT_DATASET_OPTIONS.seed,
  }),
  lrScale: 'relative' as LrScale,
  lr: 0.5,
  steps: 500,
  tol: 1e-6,
  plots: ['scatter', 'contours'] as PlotName[],
});

/** A fresh, mutable copy of the defaults. */
export function defaultLabState(): NormalizeLabState {
  const d = DEFAULT_LAB_STATE;
  return { ...d, data: { ...d.data, ranges: d.data.ranges.map((r) => [r[0], r[1]] as [number, number]) }, plots: [...d.plots] };
}

/** The form's fields (ranges are one field per feature: `range1`, `range2`, …). */
export type LabField = 'm' | 'ranges' | 'noise' | 'testFraction' | 'testShift' | 'seed' | 'lr' | 'steps' | 'tol' | `range${number}`;

/** Parses a number the way a person types it: `1e-3`, ` 1000 `, `1_000` and `1,000` are fine; anything else is NaN. */
export function parseLabNumber(text: string): number {
  const s = String(text).trim().replace(/[_\s]/g, '');
  if (s === '' || s.length > 40) return NaN;
  const plain = /^\d{1,3}(,\d{3})+(\.\d*)?$/.test(s) ? s.replace(/,/g, '') : s;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(plain)) return NaN;
  const v = Number(plain);
  // -0 would not survive a URL round trip (String(-0) is "0"); it means 0 everywhere here.
  return v === 0 ? 0 : v;
}

const show = (v: unknown) => {
  const s = typeof v === 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v) : String(v);
  return s;
};

function intProblem(v: number, raw: unknown, min: number, max: number, what: string): string | null {
  if (!Number.isFinite(v)) return msg(str`must be a whole number from ${formatCount(min)} to ${formatCount(max)}; got ${show(raw)}`);
  if (!Number.isInteger(v)) return msg(str`must be a whole number (${what}); got ${show(raw)}`);
  if (v < min || v > max) return msg(str`must be from ${formatCount(min)} to ${formatCount(max)}; got ${show(raw)}`);
  return null;
}

function realProblem(v: number, raw: unknown, min: number, max: number, open = false): string | null {
  if (!Number.isFinite(v)) return msg(str`must be a number from ${min} to ${max}; got ${show(raw)}`);
  if (open ? v <= min : v < min)
    return open ? msg(str`must be greater than ${min} (up to ${max}); got ${show(raw)}`) : msg(str`must be at least ${min} (up to ${max}); got ${show(raw)}`);
  if (v > max) return msg(str`must be at most ${max}; got ${show(raw)}`);
  return null;
}

/** The problem with one range [lo, hi], or null. */
export function rangeProblem(lo: number, hi: number, raw?: unknown): string | null {
  const given = raw === undefined ? `[${lo}, ${hi}]` : show(raw);
  const A = LAB_LIMITS.rangeAbs;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return msg(str`needs two numbers, low and high; got ${given}`);
  if (Math.abs(lo) > A || Math.abs(hi) > A) return msg(str`ends must be within ±${formatScientific(A, 1)}; got ${given}`);
  if (!(hi > lo)) return msg(str`low must be less than high; got ${given}`);
  return null;
}

/**
 * The problem with one field's value (already a number; `ranges` an array of pairs), or null. `lrScale`
 * decides the learning rate's limits.
 */
export function labFieldProblem(field: Exclude<LabField, `range${number}`>, value: unknown, lrScale: LrScale = 'relative'): string | null {
  const L = LAB_LIMITS;
  const v = typeof value === 'number' ? value : NaN;
  switch (field) {
    case 'm':
      return intProblem(v, value, L.m.min, L.m.max, msg('examples, train + test'));
    case 'seed':
      return intProblem(v, value, L.seed.min, L.seed.max, msg('the random seed'));
    case 'steps':
      return intProblem(v, value, L.steps.min, L.steps.max, msg('gradient-descent steps'));
    case 'noise':
      return realProblem(v, value, L.noise.min, L.noise.max);
    case 'testFraction':
      return realProblem(v, value, L.testFraction.min, L.testFraction.max);
    case 'testShift':
      return realProblem(v, value, L.testShift.min, L.testShift.max);
    case 'tol':
      return realProblem(v, value, L.tol.min, L.tol.max);
    case 'lr': {
      const lim = L.lr[lrScale];
      return realProblem(v, value, lim.min, lim.max);
    }
    case 'ranges': {
      if (!Array.isArray(value)) return msg(str`must be a list of low:high pairs; got ${show(value)}`);
      if (value.length < L.features.min || value.length > L.features.max) {
        return msg(str`must have ${L.features.min} to ${L.features.max} features; got ${value.length}`);
      }
      for (let i = 0; i < value.length; i++) {
        const p = value[i] as unknown;
        if (!Array.isArray(p) || p.length !== 2) return msg(str`feature x${i + 1} needs a low:high pair`);
        const problem = rangeProblem(Number(p[0]), Number(p[1]));
        if (problem) return msg(str`feature x${i + 1}: ${problem}`);
      }
      return null;
    }
  }
}

/** Problems that involve two fields: enough test and training rows. */
export function splitProblem(data: Pick<LabData, 'm' | 'testFraction' | 'ranges'>): string | null {
  const test = Math.round(data.m * data.testFraction);
  const train = data.m - test;
  if (test < 2)
    return test === 1
      ? msg('the test set would have 1 row; raise m or the test fraction so it has at least 2')
      : msg(str`the test set would have ${test} rows; raise m or the test fraction so it has at least 2`);
  if (train < data.ranges.length + 1) return msg(str`the training set would have ${train} rows; it needs at least ${data.ranges.length + 1} (features + 1)`);
  return null;
}

/** The form as the user typed it: text for every field, so a bad value is kept, not lost. */
export interface LabDraft {
  m: string;
  ranges: { lo: string; hi: string }[];
  noise: string;
  testFraction: string;
  testShift: string;
  seed: string;
  lrScale: LrScale;
  lr: string;
  steps: string;
  tol: string;
  plots: PlotName[];
}

/** The form's text for a state. */
export function draftFromState(s: NormalizeLabState): LabDraft {
  return {
    m: String(s.data.m),
    ranges: s.data.ranges.map(([lo, hi]) => ({ lo: String(lo), hi: String(hi) })),
    noise: String(s.data.noise),
    testFraction: String(s.data.testFraction),
    testShift: String(s.data.testShift),
    seed: String(s.data.seed),
    lrScale: s.lrScale,
    lr: String(s.lr),
    steps: String(s.steps),
    tol: String(s.tol),
    plots: [...s.plots],
  };
}

/** What `parseLabDraft` returns. */
export interface ParsedLabDraft {
  /** The state, or null while any field is bad. */
  state: NormalizeLabState | null;
  /** Problems of the data fields (null → the data is fine, even if the descent fields are not). */
  data: LabData | null;
  /** One message per bad field (`range1`, `range2` … for a feature's range; `split` for m vs test fraction). */
  problems: Partial<Record<LabField | 'split', string>>;
}

/** Parses every field at once; the state when all are fine. */
export function parseLabDraft(draft: LabDraft): ParsedLabDraft {
  const problems: ParsedLabDraft['problems'] = {};
  const num = (field: Exclude<LabField, 'ranges' | `range${number}`>, text: string): number => {
    const v = parseLabNumber(text);
    const p = labFieldProblem(field, Number.isNaN(v) ? text : v, draft.lrScale);
    if (p) problems[field] = p;
    return v;
  };
  const m = num('m', draft.m);
  const noise = num('noise', draft.noise);
  const testFraction = num('testFraction', draft.testFraction);
  const testShift = num('testShift', draft.testShift);
  const seed = num('seed', draft.seed);
  const lr = num('lr', draft.lr);
  const steps = num('steps', draft.steps);
  const tol = num('tol', draft.tol);
  const ranges: [number, number][] = [];
  if (draft.ranges.length < LAB_LIMITS.features.min || draft.ranges.length > LAB_LIMITS.features.max) {
    problems.ranges = msg(str`must have ${LAB_LIMITS.features.min} to ${LAB_LIMITS.features.max} features; got ${draft.ranges.length}`);
  }
  draft.ranges.forEach((r, i) => {
    const lo = parseLabNumber(r.lo);
    const hi = parseLabNumber(r.hi);
    const p = rangeProblem(lo, hi, msg(str`${r.lo} to ${r.hi}`));
    if (p) problems[`range${i + 1}`] = p;
    ranges.push([lo, hi]);
  });
  const dataFields = ['m', 'noise', 'testFraction', 'testShift', 'seed', 'ranges'];
  const dataOk = !Object.keys(problems).some((k) => dataFields.includes(k) || k.startsWith('range'));
  let data: LabData | null = dataOk ? { m, ranges, noise, testFraction, testShift, seed } : null;
  if (data) {
    const sp = splitProblem(data);
    if (sp) {
      problems.split = sp;
      data = null;
    }
  }
  const ok = data !== null && Object.keys(problems).length === 0;
  return {
    state: ok ? { data: data!, lrScale: draft.lrScale, lr, steps, tol, plots: [...draft.plots] } : null,
    data,
    problems,
  };
}

/**
 * Where the log slider stands for the rate field's text: the typed rate when the field accepts it, otherwise
 * `previous` (the last rate it accepted), so a bad or half-typed value ("abc") never moves the slider.
 */
export function sliderRate(text: string, lrScale: LrScale, previous: number): number {
  const v = parseLabNumber(text);
  return labFieldProblem('lr', Number.isNaN(v) ? text : v, lrScale) === null ? v : previous;
}

/** The learning rate a mode runs with: lr itself (absolute), or lr × that mode's 2/λmax (relative). */
export function modeLearningRate(lrScale: LrScale, lr: number, maxStableLr: number): number {
  return lrScale === 'absolute' ? lr : lr * maxStableLr;
}

/**
 * The ends of the learning-rate slider. Relative: exactly the field's limits (1e-4 to 10), so any multiple the
 * field takes has its place on the slider. Absolute: from two decades below the lowest stable limit 2/λmax of
 * the run on screen to a decade above the highest (whole decades, within the field's limits), so its marks
 * spread over the slider; 1e-8 to 10 before a run.
 */
export function lrSliderRange(scale: LrScale, limits: readonly number[] = []): { lo: number; hi: number } {
  const lim = LAB_LIMITS.lr[scale];
  if (scale === 'relative') return { lo: lim.min, hi: lim.max };
  const known = limits.filter((x) => x > 0 && Number.isFinite(x));
  if (!known.length) return { lo: 1e-8, hi: 10 };
  return {
    lo: Math.max(lim.min, 10 ** (Math.floor(Math.log10(Math.min(...known))) - 2)),
    hi: Math.min(lim.max, 10 ** (Math.ceil(Math.log10(Math.max(...known))) + 1)),
  };
}

/** Position 0..1000 of a log slider over [min, max] for value v (clamped). */
export function lrToSlider(v: number, min: number, max: number): number {
  if (!(v > 0)) return 0;
  const t = (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
  return Math.round(1000 * Math.min(1, Math.max(0, t)));
}

/** The value at slider position p (0..1000), rounded to 3 significant digits. */
export function sliderToLr(p: number, min: number, max: number): number {
  const t = Math.min(1000, Math.max(0, p)) / 1000;
  const v = 10 ** (Math.log10(min) + t * (Math.log10(max) - Math.log10(min)));
  return Number(v.toPrecision(3));
}

/** Human names of the modes. */
export const MODE_LABELS: Readonly<Record<NormalizeMode, string>> = Object.freeze({
  get raw() {
    return msg('raw');
  },
  get standardize() {
    return msg('standardize (x−μ)/σ');
  },
  get 'divide-variance'() {
    return msg('divide by σ² (the lecture’s formula)');
  },
  get 'test-own-stats'() {
    return msg('test with its own μ, σ (mistake)');
  },
});

/** Short names of the modes, for the marks on the learning-rate slider (in the language shown). */
export const MODE_SHORT_LABELS: Readonly<Record<NormalizeMode, string>> = Object.freeze({
  get raw() {
    return msg('raw');
  },
  get standardize() {
    return msg('standardized');
  },
  get 'divide-variance'() {
    return msg('÷ σ²');
  },
  get 'test-own-stats'() {
    return msg('test’s own μ, σ');
  },
});

/** The modes' names in exports (JSON, CSV) and logs: English, whatever language is shown. */
export const MODE_LABELS_EN: Readonly<Record<NormalizeMode, string>> = Object.freeze({
  raw: 'raw',
  standardize: 'standardize (x−μ)/σ',
  'divide-variance': 'divide by σ² (the lecture’s formula)',
  'test-own-stats': 'test with its own μ, σ (mistake)',
});

/** Colour per mode (Okabe–Ito, colour-blind-safe). */
export const MODE_COLORS: Readonly<Record<NormalizeMode, string>> = Object.freeze({
  raw: '#d55e00',
  standardize: '#009e73',
  'divide-variance': '#cc79a7',
  'test-own-stats': '#0072b2',
});

/**
 * The m field's problem on the CPU fallback (no WebGPU): more examples than it computes interactively.
 * Null when m fits (or is not a number: the field's own problem says so).
 */
export function cpuCapProblem(m: number): string | null {
  if (!Number.isFinite(m) || m <= LAB_LIMITS.cpuMaxM) return null;
  return msg(str`without WebGPU the lab runs on the CPU, which takes up to ${formatCount(LAB_LIMITS.cpuMaxM)} examples; got ${formatCount(m)}. Lower m.`);
}

/**
 * A learning rate as the lab writes it, in the rate field as in the notes: 3 significant digits, plain from
 * 1e-3 to 1e5, an exponent outside with no plus sign (0.5, 0.0128, 1.28e-5), so it reads like the slider's
 * marks and the tables (formatMagnitude). Locale-independent: the field's text goes into the URL as it is.
 */
export function rateText(v: number): string {
  const r = Number(v.toPrecision(3));
  const a = Math.abs(r);
  if (a === 0 || !Number.isFinite(r) || (a >= 1e-3 && a < 1e5)) return String(r);
  return r.toExponential().replace('e+', 'e');
}

const sig3 = rateText;

/**
 * The learning-rate field's hint: what the field accepts (LAB_LIMITS.lr) and what the log slider spans
 * (`lo`..`hi`, from lrSliderRange), written as the field's problems write them (0.0001, 1e-12). Relative: the same range; absolute: the slider
 * spans only a range around the run's limits, narrower than the field.
 */
export function lrHintText(scale: LrScale, lo: number, hi: number): string {
  const lim = LAB_LIMITS.lr[scale];
  const [min, max] = [String(lim.min), String(lim.max)];
  if (lo === lim.min && hi === lim.max) return msg(str`${min} to ${max}, in the field and on the log slider above`);
  return msg(str`field: ${min} to ${max}; log slider above: ${String(lo)} to ${String(hi)}`);
}

/**
 * The learning rate to start "one rate for all" with, and the sentence that says where it came from: the
 * current multiple of the raw mode's stable limit 2/λmax (relative 0.5 → 0.5 × raw's limit), so the raw
 * mode keeps the rate it had; without a run (no limit known yet) a small 1e-6. The rate field keeps 3
 * significant digits, so the rate is that product rounded: where the rounding changes the multiple as the
 * results table shows it (4 digits: 1.24e-5 = 0.5004 × a limit of 2.478e-5), the note says so and quotes
 * the table's multiple, not the 0.5 it started from. The limit is quoted as the table and the slider's marks
 * write it.
 */
export function absoluteStartRate(relative: number, rawLimit: number | null | undefined): { lr: string; note: string } {
  const lim = LAB_LIMITS.lr.absolute;
  const k = Number.isFinite(relative) && relative > 0 ? relative : 0.5;
  if (rawLimit && Number.isFinite(rawLimit) && rawLimit > 0) {
    const rate = Number((k * rawLimit).toPrecision(3));
    const lr = rateText(rate);
    if (rate >= lim.min && rate <= lim.max) {
      const multiple = formatMagnitude(k);
      const used = formatMagnitude(rate / rawLimit);
      const limit = formatMagnitude(rawLimit);
      return {
        lr,
        note:
          used === multiple
            ? msg(
                str`Starting rate: ${multiple} × the raw mode’s limit 2/λmax (${limit}) = ${lr}, so raw runs as before; a mode whose limit (its mark under the slider) is higher takes smaller steps for its shape, one whose limit is lower diverges. Raise it past the raw mark to see raw diverge.`,
              )
            : msg(
                str`Starting rate: ${multiple} × the raw mode’s limit 2/λmax (${limit}), rounded to the rate field’s 3 significant digits: ${lr}, which is ${used} × that limit, so raw runs almost as before; a mode whose limit (its mark under the slider) is higher takes smaller steps for its shape, one whose limit is lower diverges. Raise it past the raw mark to see raw diverge.`,
              ),
      };
    }
    return {
      lr: '1e-6',
      note: msg(
        str`Starting rate: 1e-6 (${sig3(k)} × the raw mode’s limit, ${lr}, is outside ${lim.min}–${lim.max}). The marks under the slider show each mode’s limit.`,
      ),
    };
  }
  return {
    lr: '1e-6',
    note: msg('Starting rate: 1e-6 (no run yet, so no mode’s limit 2/λmax is known). After a run, the marks under the slider show each mode’s limit.'),
  };
}

/**
 * Back to "× each mode's 2/λmax": the multiple of the raw mode's limit that the current rate is, rounded to
 * the field's 3 significant digits; where that rounding changes it as the results table showed it (4 digits:
 * 1.24e-5 was 0.5004 × the limit), the note quotes the table's multiple and says it was rounded.
 */
export function relativeStartRate(absolute: number, rawLimit: number | null | undefined): { lr: string; note: string } {
  const lim = LAB_LIMITS.lr.relative;
  if (rawLimit && Number.isFinite(rawLimit) && rawLimit > 0 && Number.isFinite(absolute)) {
    const multiple = Number((absolute / rawLimit).toPrecision(3));
    const lr = rateText(multiple);
    const was = formatMagnitude(absolute / rawLimit);
    if (multiple >= lim.min && multiple <= lim.max)
      return {
        lr,
        note:
          was === formatMagnitude(multiple)
            ? msg(str`Starting multiple: ${lr} (the rate ${sig3(absolute)} was ${lr} × the raw mode’s limit); every mode now runs at ${lr} × its own limit.`)
            : msg(
                str`Starting multiple: ${lr} (the rate ${sig3(absolute)} was ${was} × the raw mode’s limit, rounded to the field’s 3 significant digits); every mode now runs at ${lr} × its own limit.`,
              ),
      };
  }
  return { lr: '0.5', note: msg('Starting multiple: 0.5, every mode at half its own stable limit.') };
}
