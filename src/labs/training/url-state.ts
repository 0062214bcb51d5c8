// The Training lab's URL state: every setting of a run (seed included) and the view's choices, so a link
// reproduces the run. `decodeTrainState` never throws: bad fields fall back and are listed as problems.

import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { INIT_SCHEMES, type InitScheme } from '../depth/config';
import { DEFAULT_TRAIN_CONFIG, TRAIN_FIELDS, trainConfigProblems, validateTrainConfig, type TrainConfig } from './config';
import type { InitChoice } from './presets';
import { TRAIN_LAYER_STATS, type TrainLayerStat } from './types';

/** What the Training lab's URL holds. */
export interface TrainLabState {
  /** Shared settings; each init of `inits` replaces its init and gain. */
  config: TrainConfig;
  inits: InitChoice[];
  /** The per-layer quantity the heatmap shows. */
  stat: TrainLayerStat;
  /** Index into `inits` of the run the heatmap shows. */
  selected: number;
  /** Heatmap colour scale: the lesson's fixed range or this run's. */
  scale: 'lesson' | 'auto';
}

export interface TrainUrlProblem {
  param: string;
  message: string;
}

export const MAX_INITS = 6;

export const DEFAULT_TRAIN_LAB_STATE: Readonly<TrainLabState> = Object.freeze<TrainLabState>({
  config: { ...DEFAULT_TRAIN_CONFIG },
  inits: [
    { init: 'he-normal', gain: 1 },
    { init: 'xavier-normal', gain: 1 },
  ],
  stat: 'gradWNorm',
  selected: 0,
  scale: 'lesson',
});

/** `he-normal:1,identity:0.5`. */
export function formatInits(inits: readonly InitChoice[]): string {
  return inits.map((c) => `${c.init}:${c.gain}`).join(',');
}

/** Parses `he-normal:1,identity:0.5` (gain defaults to 1); throws an InputError naming the bad entry. */
export function parseInits(text: string): InitChoice[] {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new InputError('inits', msg(str`must list 1 to ${MAX_INITS} inits such as he-normal:1,identity:0.5; got nothing`));
  if (parts.length > MAX_INITS) throw new InputError('inits', msg(str`must list at most ${MAX_INITS} inits, got ${parts.length}`));
  return parts.map((p) => {
    const [init, gainText] = p.split(':');
    if (!(INIT_SCHEMES as readonly string[]).includes(init))
      throw new InputError('inits', msg(str`"${init}" is not an init; use one of ${INIT_SCHEMES.join(', ')}`));
    const gain = gainText === undefined ? 1 : Number(gainText);
    if (!Number.isFinite(gain) || gain <= 0) throw new InputError('inits', msg(str`gain of ${init} must be a number above 0, got "${gainText}"`));
    return { init: init as InitScheme, gain };
  });
}

// The training config's fields in the URL, except init and gain (the inits list carries them).
const URL_FIELDS = TRAIN_FIELDS.filter((f) => f !== 'init' && f !== 'gain');

/** The URL parameters that describe a run: the config's fields (not init or gain) and `inits`; the view's own (stat, sel, scale) are not in it. */
export const TRAIN_RUN_PARAMS: readonly string[] = [...URL_FIELDS, 'inits'];

/** The query string (without `?`) of `state`. */
export function encodeTrainState(state: TrainLabState): string {
  const q = new URLSearchParams();
  for (const f of URL_FIELDS) q.set(f, String(state.config[f]));
  q.set('inits', formatInits(state.inits));
  q.set('stat', state.stat);
  q.set('sel', String(state.selected));
  q.set('scale', state.scale);
  return q.toString();
}

/** Reads a query string; bad or unknown parameters fall back to the defaults and are listed. */
export function decodeTrainState(query: string): { state: TrainLabState; problems: TrainUrlProblem[] } {
  const q = new URLSearchParams(query.replace(/^\?/, ''));
  const problems: TrainUrlProblem[] = [];
  const d = DEFAULT_TRAIN_LAB_STATE;
  const input: Record<string, unknown> = {};
  for (const f of URL_FIELDS) {
    const v = q.get(f);
    if (v === null) continue;
    const n = Number(v);
    input[f] = v.trim() !== '' && Number.isFinite(n) ? n : v;
  }
  for (const key of q.keys()) {
    if (!(URL_FIELDS as readonly string[]).includes(key) && !['inits', 'stat', 'sel', 'scale'].includes(key)) {
      problems.push({ param: key, message: msg('is not a Training lab setting; ignored') });
    }
  }
  const fieldProblems = trainConfigProblems(input);
  for (const p of fieldProblems) delete input[p.field];
  let config: TrainConfig;
  let configProblem: TrainUrlProblem | null = null;
  try {
    config = validateTrainConfig(input);
  } catch (err) {
    configProblem = { param: 'config', message: msg(str`${(err as Error).message}; using the defaults`) };
    config = d.config;
  }
  // Each bad field says the value used instead: the config's own (a missing lr follows the optimizer's default).
  for (const p of fieldProblems) {
    const used = config[p.field as keyof TrainConfig];
    problems.push({
      param: p.field,
      message: used === undefined ? msg(str`${p.message}; using the default`) : msg(str`${p.message}; using the default ${String(used)}`),
    });
  }
  if (configProblem) problems.push(configProblem);
  let inits = d.inits;
  const initsText = q.get('inits');
  if (initsText !== null) {
    try {
      inits = parseInits(initsText);
    } catch (err) {
      // The parameter is named beside the message: an InputError's own "inits: " prefix is not repeated.
      const detail = err instanceof InputError ? err.detail : (err as Error).message;
      problems.push({ param: 'inits', message: msg(str`${detail}; using the default inits ${formatInits(d.inits)}`) });
    }
  }
  let stat = d.stat;
  const statText = q.get('stat');
  if (statText !== null) {
    if ((TRAIN_LAYER_STATS as readonly string[]).includes(statText)) stat = statText as TrainLayerStat;
    else problems.push({ param: 'stat', message: msg(str`must be one of ${TRAIN_LAYER_STATS.join(', ')}, got "${statText}"; using the default ${d.stat}`) });
  }
  let selected = 0;
  const sel = q.get('sel');
  if (sel !== null) {
    const n = Number(sel);
    if (Number.isInteger(n) && n >= 0 && n < inits.length) selected = n;
    else problems.push({ param: 'sel', message: msg(str`must be an init index from 0 to ${inits.length - 1}, got "${sel}"; using 0`) });
  }
  let scale = d.scale;
  const scaleText = q.get('scale');
  if (scaleText !== null) {
    if (scaleText === 'lesson' || scaleText === 'auto') scale = scaleText;
    else problems.push({ param: 'scale', message: msg(str`must be lesson or auto, got "${scaleText}"; using the default ${d.scale}`) });
  }
  return { state: { config, inits, stat, selected, scale }, problems };
}
