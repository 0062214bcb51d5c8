import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { CONFIG_LIMITS, INIT_SCHEMES, validateDeepNetConfig, type DeepNetConfig, type InitScheme } from './config';

/** One axis to sweep over a base config; every other field stays the base's. */
export type SweepSpec = { kind: 'depth'; depths: number[] } | { kind: 'gain'; gains: number[] } | { kind: 'init'; inits: InitScheme[] };

export type SweepKind = SweepSpec['kind'];
export const SWEEP_KINDS: readonly SweepKind[] = ['depth', 'gain', 'init'];

/** One cell of a sweep: `label` reads as `depth=32`, and also suits GPU labels (`sweep[depth=32]`). */
export interface SweepRow {
  label: string;
  config: DeepNetConfig;
}

/** Most rows one sweep may have (each row is a full forward + backward run). */
export const MAX_SWEEP_ROWS = 256;

/** The benchmark's sweep: depth L = 1..128 at n = 256, m = 128 (`DEFAULT_CONFIG`'s width and batch). */
export const DEFAULT_SWEEP: Readonly<SweepSpec> = Object.freeze({ kind: 'depth', depths: Object.freeze(depthRange(1, 128)) as number[] });

/** A fresh default sweep of each kind (what a URL falls back to when its values are bad). */
export function defaultSweep(kind: SweepKind): SweepSpec {
  switch (kind) {
    case 'depth':
      return { kind, depths: depthRange(1, 128) };
    case 'gain':
      return { kind, gains: [0.25, 0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2] };
    case 'init':
      return { kind, inits: [...INIT_SCHEMES] };
  }
}

/** The values a spec sweeps over, and its field name. */
export function sweepValues(spec: SweepSpec): { field: 'depths' | 'gains' | 'inits'; values: readonly (number | string)[] } {
  switch (spec.kind) {
    case 'depth':
      return { field: 'depths', values: spec.depths };
    case 'gain':
      return { field: 'gains', values: spec.gains };
    case 'init':
      return { field: 'inits', values: spec.inits };
  }
}

/**
 * One validated config per value of `spec`, over `base`. Throws an InputError for an unknown kind, an
 * empty list, more than MAX_SWEEP_ROWS values, a repeated value, or a value the config rejects
 * (naming the row, e.g. `sweep.depths[3]`).
 */
export function makeSweepGrid(base: DeepNetConfig, spec: SweepSpec): SweepRow[] {
  const cfg = validateDeepNetConfig(base);
  if (typeof spec !== 'object' || spec === null || !SWEEP_KINDS.includes(spec.kind)) {
    const kind = typeof spec === 'object' && spec !== null ? (spec as { kind: unknown }).kind : spec;
    throw new InputError('sweep.kind', `must be one of ${SWEEP_KINDS.join(', ')}; got ${JSON.stringify(kind)}`);
  }
  const { field, values } = sweepValues(spec);
  const name = `sweep.${field}`;
  if (!Array.isArray(values)) throw new InputError(name, msg(str`must be a list, got ${typeof values}`));
  if (values.length === 0) throw new InputError(name, msg(str`is empty; give at least one ${spec.kind}`));
  if (values.length > MAX_SWEEP_ROWS) {
    throw new InputError(name, msg(str`has ${values.length} values; a sweep may have at most ${MAX_SWEEP_ROWS} rows`));
  }
  const seen = new Map<number | string, number>();
  values.forEach((v, i) => {
    const j = seen.get(v);
    if (j !== undefined) throw new InputError(name, msg(str`${String(v)} appears twice (at [${j}] and [${i}]); give each value once`));
    seen.set(v, i);
  });
  return values.map((v, i) => {
    const key = spec.kind;
    let config: DeepNetConfig;
    try {
      config = validateDeepNetConfig({ ...cfg, [key]: v });
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`${name}[${i}]`, err.message);
      throw err;
    }
    return { label: `${key}=${String(v)}`, config };
  });
}

/** Integers start, start + step, …, ≤ end. `depthRange(1, 128)` is the default depth sweep. */
export function depthRange(start: number, end: number, step = 1): number[] {
  for (const [k, v] of [
    ['start', start],
    ['end', end],
    ['step', step],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InputError(k, msg(str`must be an integer ≥ 1, got ${String(v)}`));
  }
  if (end < start) throw new InputError('end', msg(str`${end} is below start ${start}`));
  const out: number[] = [];
  for (let d = start; d <= end; d += step) out.push(d);
  return out;
}

/** `lo..hi`, `lo..hi:step` or `lo..hi*factor` split like a regex match ([, lo, hi, op, by]), in linear time. */
function splitRange(item: string): [string, string, string, string | undefined, string] | null {
  const dots = item.indexOf('..');
  if (dots < 0) return null;
  const rest = item.slice(dots + 2);
  const at = rest.search(/[:*]/);
  if (at < 0) return [item, item.slice(0, dots), rest, undefined, ''];
  return [item, item.slice(0, dots), rest.slice(0, at), rest[at], rest.slice(at + 1)];
}

// `\d+(\.\d*)?` rather than `\d+\.?\d*`, which backtracks quadratically on long digit runs.
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** Parses one number written in plain decimal/exponent notation (no hex, no blanks), or null. */
export function parseNumber(text: string): number | null {
  return NUMBER.test(text) ? Number(text) : null;
}

// Decimal cleanup for float ranges: 0.1 + 2·0.1 should read 0.3, not 0.30000000000000004.
function tidy(v: number): number {
  return Number(v.toPrecision(12));
}

export interface ParseListOptions {
  /** Names the field in errors (default 'values'). */
  field?: string;
  /** Require whole numbers. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** Most values the list may expand to (default MAX_SWEEP_ROWS). */
  maxCount?: number;
}

/**
 * Parses a comma-separated list for the UI: `1, 2, 4..64`, where `a..b` is a..b in steps of 1,
 * `a..b:s` in steps of s, and `a..b*f` is a, a·f, a·f², … ≤ b. Throws an InputError naming the item
 * and what is wrong with it. Order is kept; duplicates are left for `makeSweepGrid` to report.
 */
export function parseNumberList(text: string, options: ParseListOptions = {}): number[] {
  const { field = 'values', integer = false, min = -Infinity, max = Infinity, maxCount = MAX_SWEEP_ROWS } = options;
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 1 && items[0] === '') throw new InputError(field, msg('is empty; write e.g. 1, 2, 4..64'));
  const out: number[] = [];
  const num = (s: string, item: string, n: number): number => {
    const v = parseNumber(s);
    if (v === null || !Number.isFinite(v)) throw new InputError(field, msg(str`item ${n} ('${item}'): '${s}' is not a finite number`));
    return v;
  };
  items.forEach((item, idx) => {
    const n = idx + 1;
    if (item === '') throw new InputError(field, msg(str`item ${n} is empty (two commas in a row, or a trailing comma)`));
    let values: number[];
    const range = splitRange(item);
    if (!range) {
      values = [num(item, item, n)];
    } else {
      const lo = num(range[1].trim(), item, n);
      const hi = num(range[2].trim(), item, n);
      const op = range[3];
      const by = op ? num(range[4].trim(), item, n) : 1;
      if (hi < lo) throw new InputError(field, msg(str`item ${n} ('${item}') runs backwards; write ${range[2].trim()}..${range[1].trim()}`));
      let count: number;
      if (op === '*') {
        if (!(by > 1)) throw new InputError(field, msg(str`item ${n} ('${item}'): the factor after * must be > 1, got ${by}`));
        if (!(lo > 0)) throw new InputError(field, msg(str`item ${n} ('${item}'): a geometric range must start above 0`));
        count = Math.floor(Math.log(hi / lo) / Math.log(by) + 1e-9) + 1;
      } else {
        if (!(by > 0)) throw new InputError(field, msg(str`item ${n} ('${item}'): the step after : must be > 0, got ${by}`));
        count = Math.floor((hi - lo) / by + 1e-9) + 1;
      }
      if (out.length + count > maxCount) {
        throw new InputError(field, msg(str`item ${n} ('${item}') gives ${count} values; at most ${maxCount} are allowed in all`));
      }
      values = Array.from({ length: count }, (_, i) => tidy(op === '*' ? lo * Math.pow(by, i) : lo + i * by));
    }
    for (const v of values) {
      if (integer && !Number.isInteger(v)) {
        throw new InputError(field, msg(str`item ${n} ('${item}'): ${v} is not a whole number`));
      }
      if (v < min || v > max) throw new InputError(field, msg(str`item ${n} ('${item}'): ${v} is outside ${min}..${max}`));
    }
    out.push(...values);
    if (out.length > maxCount) throw new InputError(field, msg(str`has more than ${maxCount} values`));
  });
  return out;
}

/**
 * The shortest text `parseNumberList` reads back as exactly `values`: runs of 3+ integers with a
 * constant positive step become `a..b` or `a..b:s`; everything else is listed as-is.
 */
export function formatNumberList(values: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const a = values[i];
    let j = i;
    if (Number.isInteger(a) && i + 1 < values.length) {
      const step = values[i + 1] - a;
      if (Number.isInteger(values[i + 1]) && step > 0) {
        while (j + 1 < values.length && values[j + 1] - values[j] === step && Number.isInteger(values[j + 1])) j++;
        if (j - i >= 2) {
          parts.push(step === 1 ? `${a}..${values[j]}` : `${a}..${values[j]}:${step}`);
          i = j + 1;
          continue;
        }
      }
    }
    parts.push(String(a));
    i++;
  }
  return parts.join(',');
}

/** Parses `he-normal, xavier-normal` into init schemes, naming any unknown one. */
export function parseInitList(text: string, field = 'inits'): InitScheme[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.length === 1 && items[0] === '') throw new InputError(field, msg(str`is empty; write e.g. ${INIT_SCHEMES.slice(2, 5).join(', ')}`));
  return items.map((item, idx) => {
    if (!(INIT_SCHEMES as readonly string[]).includes(item)) {
      throw new InputError(field, msg(str`item ${idx + 1} ('${item}') is not an init scheme; allowed: ${INIT_SCHEMES.join(', ')}`));
    }
    return item as InitScheme;
  });
}

/** The UI's text form of a sweep's values (what `parseSweepSpec` reads back). */
export function formatSweepValues(spec: SweepSpec): string {
  return spec.kind === 'init' ? spec.inits.join(',') : formatNumberList(spec.kind === 'depth' ? spec.depths : spec.gains);
}

/** Parses the UI's (or a URL's) text for a sweep of `kind`, with the config's range for that field. */
export function parseSweepSpec(kind: SweepKind, text: string): SweepSpec {
  switch (kind) {
    case 'depth':
      return {
        kind,
        depths: parseNumberList(text, { field: 'sweep.depths', integer: true, ...CONFIG_LIMITS.depth }),
      };
    case 'gain':
      return { kind, gains: parseNumberList(text, { field: 'sweep.gains', ...CONFIG_LIMITS.gain }) };
    case 'init':
      return { kind, inits: parseInitList(text, 'sweep.inits') };
    default:
      throw new InputError('sweep.kind', `must be one of ${SWEEP_KINDS.join(', ')}; got ${JSON.stringify(kind)}`);
  }
}

/** Validates a sweep's `from` (first row to run): an integer in 0..rows. */
export function checkFrom(from: unknown, rows: number): number {
  if (from === undefined) return 0;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0 || from > rows) {
    throw new InputError('from', msg(str`must be an integer from 0 to ${rows} (the sweep's row count), got ${String(from)}`));
  }
  return from;
}
