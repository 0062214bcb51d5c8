// The Normalization lab's state in the URL hash query (`#/normalization-lab?v=1&m=1000&ranges=1:1000,0:1…`).
// Versioned; decoding never throws: every unknown, repeated, bad or hostile parameter is reported by name
// and only the field it feeds falls back to its default. The messages are worded (msg) in the language
// current when the link is read.

import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';
import { InputError } from '../../errors';
import {
  LR_SCALES,
  PLOT_NAMES,
  defaultLabState,
  labFieldProblem,
  rangeProblem,
  parseLabNumber,
  splitProblem,
  type LabData,
  type LrScale,
  type NormalizeLabState,
  type PlotName,
} from './form';

/** A problem with one URL parameter; the field it feeds fell back to its default. */
export interface NormalizeUrlProblem {
  param: string;
  message: string;
}

/** Version of the URL format, written as `v=1`. */
export const NORMALIZE_URL_VERSION = '1';

/** URL parameter names, in the order they are written. */
export const NORMALIZE_PARAMS = ['v', 'm', 'ranges', 'noise', 'test', 'shift', 'seed', 'lrscale', 'lr', 'steps', 'tol', 'plots'] as const;

/** Longest parameter value read (anything longer is reported and ignored). */
export const MAX_PARAM_LENGTH = 200;

/** Most unknown parameters listed one by one; the rest are counted in one "…and N more" problem. */
export const MAX_LISTED_UNKNOWN = 10;

const NUMERIC: Record<string, 'm' | 'noise' | 'testFraction' | 'testShift' | 'seed'> = {
  m: 'm',
  noise: 'noise',
  test: 'testFraction',
  shift: 'testShift',
  seed: 'seed',
};

const num = (v: number) => String(v);

/** Writes `ranges` as `lo:hi,lo:hi`. */
export function formatRanges(ranges: readonly (readonly [number, number])[]): string {
  return ranges.map(([lo, hi]) => `${num(lo)}:${num(hi)}`).join(',');
}

/** Reads `lo:hi,lo:hi`; throws an InputError naming what is wrong. */
export function parseRanges(text: string): [number, number][] {
  const parts = text.split(',');
  const out: [number, number][] = [];
  for (const [i, part] of parts.entries()) {
    const pair = part.split(':');
    if (pair.length !== 2) throw new InputError('ranges', msg(str`feature x${i + 1} must be written low:high; got ${JSON.stringify(part.slice(0, 40))}`));
    const [lo, hi] = [parseLabNumber(pair[0]), parseLabNumber(pair[1])];
    // Reported as typed ("1:abc"), not as the numbers read from it ([1, NaN]).
    const problem = rangeProblem(lo, hi, part);
    if (problem) throw new InputError('ranges', msg(str`feature x${i + 1}: ${problem}`));
    out.push([lo, hi]);
  }
  const problem = labFieldProblem('ranges', out);
  if (problem) throw new InputError('ranges', problem);
  return out;
}

/**
 * The state as a query string (no leading `?`), every field written out so a link keeps its meaning if
 * the defaults change. Throws an InputError naming the first invalid field.
 */
export function encodeNormalizeState(state: NormalizeLabState): string {
  const d = state.data;
  const checks: [string, string | null][] = [
    ['m', labFieldProblem('m', d.m)],
    ['ranges', labFieldProblem('ranges', d.ranges)],
    ['noise', labFieldProblem('noise', d.noise)],
    ['test', labFieldProblem('testFraction', d.testFraction)],
    ['shift', labFieldProblem('testShift', d.testShift)],
    ['seed', labFieldProblem('seed', d.seed)],
    ['lrscale', LR_SCALES.includes(state.lrScale) ? null : msg(str`must be one of ${LR_SCALES.join(', ')}`)],
    ['lr', labFieldProblem('lr', state.lr, state.lrScale)],
    ['steps', labFieldProblem('steps', state.steps)],
    ['tol', labFieldProblem('tol', state.tol)],
    ['plots', state.plots.every((p) => PLOT_NAMES.includes(p)) ? null : msg(str`must be a list of ${PLOT_NAMES.join(', ')}`)],
  ];
  for (const [param, problem] of checks) if (problem) throw new InputError(param, problem);
  const split = splitProblem(d);
  if (split) throw new InputError('test', split);
  const p = new URLSearchParams();
  p.set('v', NORMALIZE_URL_VERSION);
  p.set('m', num(d.m));
  p.set('ranges', formatRanges(d.ranges));
  p.set('noise', num(d.noise));
  p.set('test', num(d.testFraction));
  p.set('shift', num(d.testShift));
  p.set('seed', num(d.seed));
  p.set('lrscale', state.lrScale === 'relative' ? 'rel' : 'abs');
  p.set('lr', num(state.lr));
  p.set('steps', num(state.steps));
  p.set('tol', num(state.tol));
  p.set('plots', state.plots.length ? state.plots.join(',') : 'none');
  return p.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** A field's problem and the default used instead. */
const usingDefault = (problem: string, value: string) => msg(str`${problem}; using the default ${value}`);

const clip = (s: string) => JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s);

/**
 * Reads a query string (with or without `?`). Never throws: each unknown, repeated, too long or bad
 * parameter becomes a problem naming it and what is allowed, and only its field falls back to its default.
 */
export function decodeNormalizeState(search: string | URLSearchParams): { state: NormalizeLabState; problems: NormalizeUrlProblem[] } {
  const problems: NormalizeUrlProblem[] = [];
  const state = defaultLabState();
  const defaults = defaultLabState();
  let params: URLSearchParams;
  try {
    params = typeof search === 'string' ? new URLSearchParams(search) : search;
  } catch {
    return { state, problems: [{ param: '(link)', message: msg('could not be read as a query string; using the defaults') }] };
  }

  const counts = new Map<string, number>();
  for (const key of params.keys()) counts.set(key, (counts.get(key) ?? 0) + 1);
  let unknown = 0;
  for (const [key, count] of counts) {
    if (!(NORMALIZE_PARAMS as readonly string[]).includes(key)) {
      unknown++;
      if (unknown <= MAX_LISTED_UNKNOWN) {
        problems.push({
          param: key.length > 40 ? key.slice(0, 40) + '…' : key,
          message: msg(str`is not a known parameter (ignored); known: ${NORMALIZE_PARAMS.join(', ')}`),
        });
      }
    } else if (count > 1) {
      problems.push({ param: key, message: msg(str`is given ${count} times; using the first`) });
    }
  }
  if (unknown > MAX_LISTED_UNKNOWN) {
    problems.push({ param: '…', message: msg(str`and ${formatCount(unknown - MAX_LISTED_UNKNOWN)} more unknown parameters (ignored)`) });
  }
  // A value to read, or null (absent, or too long: reported).
  const get = (param: string): string | null => {
    const raw = params.get(param);
    if (raw === null) return null;
    if (raw.length > MAX_PARAM_LENGTH) {
      problems.push({ param, message: msg(str`is ${formatCount(raw.length)} characters long (at most ${MAX_PARAM_LENGTH}); using the default`) });
      return null;
    }
    return raw;
  };

  const version = get('v');
  if (version !== null && version !== NORMALIZE_URL_VERSION) {
    problems.push({ param: 'v', message: msg(str`version ${clip(version)} is unknown; reading the link as version ${NORMALIZE_URL_VERSION}`) });
  }

  const data = state.data as unknown as Record<string, unknown>;
  for (const [param, field] of Object.entries(NUMERIC)) {
    const raw = get(param);
    if (raw === null) continue;
    const v = parseLabNumber(raw);
    const problem = labFieldProblem(field, Number.isNaN(v) ? raw : v);
    if (problem) problems.push({ param, message: usingDefault(problem, String(defaults.data[field])) });
    else data[field] = v;
  }

  const rangesRaw = get('ranges');
  if (rangesRaw !== null) {
    try {
      state.data.ranges = parseRanges(rangesRaw);
    } catch (err) {
      const problem = err instanceof InputError ? err.message.replace(/^ranges: /, '') : String(err);
      problems.push({ param: 'ranges', message: usingDefault(problem, formatRanges(defaults.data.ranges)) });
    }
  }

  // m and the test fraction must leave at least 2 test rows and d + 1 training rows.
  const split = (d: LabData) => splitProblem(d);
  if (split(state.data)) {
    const message = split(state.data)!;
    if (state.data.testFraction !== defaults.data.testFraction) {
      state.data.testFraction = defaults.data.testFraction;
      problems.push({ param: 'test', message: msg(str`with m = ${state.data.m}, ${message}; using the default ${defaults.data.testFraction}`) });
    }
    if (split(state.data)) {
      state.data.m = defaults.data.m;
      problems.push({ param: 'm', message: usingDefault(message, String(defaults.data.m)) });
    }
  }

  const scaleRaw = get('lrscale');
  if (scaleRaw !== null) {
    const scale: LrScale | null =
      scaleRaw === 'rel' || scaleRaw === 'relative' ? 'relative' : scaleRaw === 'abs' || scaleRaw === 'absolute' ? 'absolute' : null;
    if (scale) state.lrScale = scale;
    else
      problems.push({
        param: 'lrscale',
        message: msg(str`must be rel (a multiple of each mode's 2/λmax) or abs (one rate for all); got ${clip(scaleRaw)}; using rel`),
      });
  }
  const lrRaw = get('lr');
  if (lrRaw !== null) {
    const v = parseLabNumber(lrRaw);
    const problem = labFieldProblem('lr', Number.isNaN(v) ? lrRaw : v, state.lrScale);
    if (problem) {
      // The default lr belongs to the relative scale; an absolute link without a usable lr gets the smallest safe-looking value.
      const fallback = state.lrScale === 'relative' ? defaults.lr : 1e-6;
      state.lr = fallback;
      problems.push({
        param: 'lr',
        message:
          state.lrScale === 'relative' ? msg(str`${problem} (relative scale); using ${fallback}`) : msg(str`${problem} (absolute scale); using ${fallback}`),
      });
    } else state.lr = v;
  } else if (state.lrScale === 'absolute') {
    state.lr = 1e-6;
  }
  for (const [param, field] of [
    ['steps', 'steps'],
    ['tol', 'tol'],
  ] as const) {
    const raw = get(param);
    if (raw === null) continue;
    const v = parseLabNumber(raw);
    const problem = labFieldProblem(field, Number.isNaN(v) ? raw : v);
    if (problem) problems.push({ param, message: usingDefault(problem, String(defaults[field])) });
    else state[field] = v;
  }

  const plotsRaw = get('plots');
  if (plotsRaw !== null) {
    const names = plotsRaw === 'none' || plotsRaw === '' ? [] : plotsRaw.split(',');
    const bad = names.filter((n) => !(PLOT_NAMES as readonly string[]).includes(n));
    if (bad.length) {
      problems.push({ param: 'plots', message: msg(str`must be a list of ${PLOT_NAMES.join(', ')} (or none); got ${clip(bad.join(','))}; showing all plots`) });
    } else {
      state.plots = PLOT_NAMES.filter((n) => names.includes(n)) as PlotName[];
    }
  }
  return { state, problems };
}

/** The query part of a `#/normalization-lab?…` hash, or null for another route. */
export function normalizeHashQuery(hash: string): string | null {
  if (!/^#\/?normalization-lab(?:[/?]|$)/.test(hash)) return null;
  const i = hash.indexOf('?');
  return i < 0 ? '' : hash.slice(i + 1);
}
