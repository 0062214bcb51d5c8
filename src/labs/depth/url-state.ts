import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { formatCount } from '../../locale-format';
import { CONFIG_FIELDS, DEFAULT_CONFIG, fieldProblem, validateDeepNetConfig, type DeepNetConfig } from './config';
import {
  DEFAULT_SWEEP,
  SWEEP_KINDS,
  defaultSweep,
  formatSweepValues,
  makeSweepGrid,
  parseNumber,
  parseSweepSpec,
  type SweepKind,
  type SweepSpec,
} from './sweep-grid';

/** Everything a shared link reproduces: the net (seed included), the sweep, and optionally the view. */
export interface ExperimentState {
  config: DeepNetConfig;
  sweep: SweepSpec;
  /** A UI view name (lowercase letters, digits, dashes; up to 32 characters). */
  view?: string;
  /**
   * The heatmap's colour scale (`ColorScale`: 'lesson' or 'auto'). Absent means the default, 'lesson', and
   * is not written, so links made before this parameter existed decode unchanged.
   */
  scale?: string;
}

/** A problem with one URL parameter; the field it feeds fell back to its default. */
export interface UrlProblem {
  param: string;
  message: string;
}

/** Version of the URL format, written as `v=1`. */
export const URL_STATE_VERSION = '1';

/** URL parameter of each config field. */
export const CONFIG_PARAMS: Readonly<Record<keyof DeepNetConfig, string>> = Object.freeze({
  depth: 'depth',
  width: 'width',
  batch: 'batch',
  activation: 'act',
  init: 'init',
  gain: 'gain',
  seed: 'seed',
  input: 'input',
});

const PARAMS: readonly string[] = ['v', ...CONFIG_FIELDS.map((f) => CONFIG_PARAMS[f]), 'sweep', 'values', 'view', 'scale'];
/** Values of the `scale` parameter (`ColorScale` in experiments/depth-compare.ts); 'lesson' is the default. */
export const SCALES: readonly string[] = ['lesson', 'auto'];
const NUMERIC = new Set<keyof DeepNetConfig>(['depth', 'width', 'batch', 'gain', 'seed']);
const VIEW = /^[a-z][a-z0-9-]{0,31}$/;

/** Longest parameter value read (a sweep list of 256 values fits easily); longer ones fall back, unread. */
export const MAX_PARAM_LENGTH = 2000;
/** Most unknown parameters listed one by one; the rest are counted. */
export const MAX_LISTED_UNKNOWN = 10;

// A parameter name or value as shown in a notice: hostile 100 kB strings are cut short.
function clip(text: string, max = 40): string {
  return text.length > max ? msg(str`${text.slice(0, max)}… (${formatCount(text.length)} characters)`) : text;
}

function defaultState(): ExperimentState {
  return { config: { ...DEFAULT_CONFIG }, sweep: defaultSweep(DEFAULT_SWEEP.kind) };
}

function viewProblem(view: string, views?: readonly string[]): string | null {
  if (!VIEW.test(view)) return msg(str`must be lowercase letters, digits and dashes (up to 32), got ${JSON.stringify(clip(view))}`);
  if (views && !views.includes(view)) return msg(str`must be one of ${views.join(', ')}; got ${JSON.stringify(clip(view))}`);
  return null;
}

/**
 * The state as a query string (no leading `?`), every field written out — defaults included, so a link
 * keeps meaning the same run if the defaults change. Throws an InputError if the state is invalid.
 */
export function encodeState(state: ExperimentState): string {
  const config = validateDeepNetConfig(state.config);
  makeSweepGrid(config, state.sweep); // throws on a bad sweep
  const p = new URLSearchParams();
  p.set('v', URL_STATE_VERSION);
  for (const field of CONFIG_FIELDS) p.set(CONFIG_PARAMS[field], String(config[field]));
  p.set('sweep', state.sweep.kind);
  p.set('values', formatSweepValues(state.sweep));
  if (state.view !== undefined) {
    const problem = viewProblem(state.view);
    if (problem) throw new InputError('view', problem);
    p.set('view', state.view);
  }
  if (state.scale !== undefined && state.scale !== 'lesson') {
    if (!SCALES.includes(state.scale)) throw new InputError('scale', msg(str`must be one of ${SCALES.join(', ')}; got ${JSON.stringify(clip(state.scale))}`));
    p.set('scale', state.scale);
  }
  // `,` and `:` are legal in a query; leaving them unescaped keeps links readable (values=1..128:2,200).
  return p.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/**
 * Reads a query string (with or without `?`). Never throws: each unknown, repeated or bad parameter
 * becomes a problem naming it and what is allowed, and only the field it feeds falls back to its
 * default. `views` optionally lists the view names the UI knows.
 */
export function decodeState(
  search: string | URLSearchParams,
  { views }: { views?: readonly string[] } = {},
): { state: ExperimentState; problems: UrlProblem[] } {
  const problems: UrlProblem[] = [];
  const state = defaultState();
  let source: URLSearchParams;
  try {
    source = typeof search === 'string' ? new URLSearchParams(search) : search instanceof URLSearchParams ? search : new URLSearchParams(String(search));
  } catch {
    source = new URLSearchParams();
    problems.push({ param: 'query', message: msg('could not be read as a query string; using the defaults') });
  }

  const counts = new Map<string, number>();
  for (const key of source.keys()) counts.set(key, (counts.get(key) ?? 0) + 1);
  let unknown = 0;
  for (const [key, count] of counts) {
    if (!PARAMS.includes(key)) {
      unknown++;
      if (unknown <= MAX_LISTED_UNKNOWN)
        problems.push({ param: clip(key), message: msg(str`is not a known parameter (ignored); known: ${PARAMS.join(', ')}`) });
    } else if (count > 1) {
      problems.push({ param: key, message: msg(str`is given ${count} times; using the first`) });
    }
  }
  if (unknown > MAX_LISTED_UNKNOWN) {
    problems.push({ param: '…', message: msg(str`and ${formatCount(unknown - MAX_LISTED_UNKNOWN)} more unknown parameters (ignored)`) });
  }
  // Known parameters only, first value each, and none longer than MAX_PARAM_LENGTH (a 100 kB value is not read).
  const params = new Map<string, string>();
  for (const key of PARAMS) {
    const raw = source.get(key);
    if (raw === null) continue;
    if (raw.length > MAX_PARAM_LENGTH) {
      problems.push({
        param: key,
        message: msg(
          str`is ${formatCount(raw.length)} characters long; at most ${formatCount(MAX_PARAM_LENGTH)} are read, so it is ignored and the default is used`,
        ),
      });
      continue;
    }
    params.set(key, raw);
  }
  const get = (key: string): string | null => params.get(key) ?? null;

  const version = get('v');
  if (version !== null && version !== URL_STATE_VERSION) {
    problems.push({ param: 'v', message: msg(str`version ${JSON.stringify(clip(version))} is unknown; reading the link as version ${URL_STATE_VERSION}`) });
  }

  const config = state.config as unknown as Record<string, unknown>;
  for (const field of CONFIG_FIELDS) {
    const param = CONFIG_PARAMS[field];
    const raw = get(param);
    if (raw === null) continue;
    const parsed = NUMERIC.has(field) ? (parseNumber(raw) ?? raw) : raw;
    const value = parsed === 0 ? 0 : parsed; // "-0" reads as 0
    const problem = fieldProblem(field, value);
    if (problem) {
      problems.push({ param, message: msg(str`${problem}; using the default ${String(DEFAULT_CONFIG[field])}`) });
    } else {
      config[field] = value;
    }
  }

  const kindRaw = get('sweep');
  const valuesRaw = get('values');
  let kind: SweepKind = DEFAULT_SWEEP.kind;
  let kindOk = true;
  if (kindRaw !== null) {
    if ((SWEEP_KINDS as readonly string[]).includes(kindRaw)) {
      kind = kindRaw as SweepKind;
    } else {
      kindOk = false;
      problems.push({
        param: 'sweep',
        message: msg(
          str`must be one of ${SWEEP_KINDS.join(', ')}; got ${JSON.stringify(clip(kindRaw))}; using the default sweep ${kind} ${formatSweepValues(defaultSweep(kind))}`,
        ),
      });
    }
  }
  if (kindOk && valuesRaw !== null) {
    const fallback = (problem: string) => msg(str`${problem}; using the default ${kind} sweep ${formatSweepValues(defaultSweep(kind))}`);
    try {
      const spec = parseSweepSpec(kind, valuesRaw);
      makeSweepGrid(state.config, spec);
      state.sweep = spec;
    } catch (err) {
      // Never throws: even an unexpected failure only costs this field its value.
      const message = err instanceof InputError ? err.message : msg(str`could not be read (${String((err as Error)?.message ?? err)})`);
      problems.push({ param: 'values', message: fallback(message) });
      state.sweep = defaultSweep(kind);
    }
  } else {
    if (kindOk && kindRaw !== null) {
      problems.push({ param: 'values', message: msg(str`is missing; using the default ${kind} sweep ${formatSweepValues(defaultSweep(kind))}`) });
    }
    state.sweep = defaultSweep(kind);
  }

  const view = get('view');
  if (view !== null) {
    const problem = viewProblem(view, views);
    if (problem) problems.push({ param: 'view', message: msg(str`${problem}; ignored`) });
    else state.view = view;
  }
  const scale = get('scale');
  if (scale !== null) {
    if (SCALES.includes(scale)) state.scale = scale;
    else problems.push({ param: 'scale', message: msg(str`must be one of ${SCALES.join(', ')}; got ${JSON.stringify(clip(scale))}; using the lesson scale`) });
  }
  return { state, problems };
}
