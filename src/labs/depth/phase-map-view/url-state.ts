// The gain × depth phase map's link and form state: `sweep=gain-depth&gains=0.5..2:0.0625&depths=1..100`
// beside the lab's other parameters. The map is a parallel spec to the lab's SweepSpec (depth, gain, init):
// a link without `sweep=gain-depth` is read by `decodeState` exactly as before, so every existing URL keeps
// its meaning.
import { InputError } from '../../../errors';
import { CONFIG_LIMITS } from '../config';
import { PHASE_LIMITS, PHASE_QUANTITIES, validatePhaseMapSpec, defaultPhaseMapSpec, type PhaseMapSpec, type PhaseQuantity } from '../phase-map';
import { parseNumberList } from '../sweep-grid';
import { decodeState, encodeState, type ExperimentState, type UrlProblem } from '../url-state';

/** The `sweep` parameter's value for a phase map. */
export const PHASE_SWEEP_KIND = 'gain-depth';

/** A phase map's whole state: the base net (its depth and gain are replaced per cell), the grid, the ratio shown. */
export interface PhaseMapState {
  /** The lab's state for everything else (config, view, scale); its `sweep` is unused by a map. */
  base: ExperimentState;
  spec: PhaseMapSpec;
  quantity: PhaseQuantity;
}

// Decimal cleanup, as sweep-grid's ranges do (0.5 + 3·0.0625 reads 0.6875).
const tidy = (v: number) => Number(v.toPrecision(12));

/**
 * Parses the gains text of the form or a link (`0.5..2:0.0625`, `0.5, 1, 1.5`): numbers above 0 up to the
 * config's gain limit, at most PHASE_LIMITS.gains; then validated as a grid (no repeats), sorted.
 */
export function parsePhaseGains(text: string): number[] {
  const gains = parseNumberList(text, { field: 'gains', min: Number.MIN_VALUE, max: CONFIG_LIMITS.gain.max, maxCount: PHASE_LIMITS.gains });
  return validatePhaseMapSpec({ gains, depths: [1] }).gains;
}

/** Parses the depths text (`1..100`, `1..100:3`): integers in the config's depth range, at most PHASE_LIMITS.depths. */
export function parsePhaseDepths(text: string): number[] {
  const depths = parseNumberList(text, { field: 'depths', integer: true, ...CONFIG_LIMITS.depth, maxCount: PHASE_LIMITS.depths });
  return validatePhaseMapSpec({ gains: [1], depths }).depths;
}

/**
 * The shortest text the parsers read back as exactly `values` (sorted, no repeats): an evenly spaced list of 3
 * or more becomes `lo..hi` or `lo..hi:step`; anything else is listed.
 */
export function formatPhaseList(values: readonly number[]): string {
  if (values.length >= 3) {
    const lo = values[0];
    const hi = values[values.length - 1];
    const step = tidy(values[1] - lo);
    if (step > 0) {
      const text = step === 1 ? `${lo}..${hi}` : `${lo}..${hi}:${step}`;
      try {
        const back = parseNumberList(text, { maxCount: values.length });
        if (back.length === values.length && back.every((v, i) => v === values[i])) return text;
      } catch {
        // not a range; listed below
      }
    }
  }
  return values.join(',');
}

/** Is this query a phase map's (`sweep=gain-depth`)? */
export function isPhaseMapQuery(search: string | URLSearchParams): boolean {
  const p = typeof search === 'string' ? new URLSearchParams(search) : search;
  return p.get('sweep') === PHASE_SWEEP_KIND;
}

/** The phase map's state as a query string: the lab's parameters, then `sweep=gain-depth`, `gains`, `depths`, `ratio`. */
export function encodePhaseMapState(state: PhaseMapState): string {
  const spec = validatePhaseMapSpec(state.spec);
  if (!PHASE_QUANTITIES.includes(state.quantity)) {
    throw new InputError('ratio', `must be one of ${PHASE_QUANTITIES.join(', ')}, got ${String(state.quantity)}`);
  }
  const p = new URLSearchParams(encodeState(state.base));
  p.set('sweep', PHASE_SWEEP_KIND);
  p.delete('values');
  p.set('gains', formatPhaseList(spec.gains));
  p.set('depths', formatPhaseList(spec.depths));
  if (state.quantity !== 'forward') p.set('ratio', state.quantity);
  return p.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/**
 * Reads a phase map's query. Never throws: the lab's parameters are read by `decodeState` (same rules and
 * messages); a bad `gains`, `depths` or `ratio` becomes a problem naming it and falls back to the default grid's
 * list (or the forward ratio). A missing `gains` or `depths` takes the default list silently.
 */
export function decodePhaseMapState(
  search: string | URLSearchParams,
  options: { views?: readonly string[] } = {},
): { state: PhaseMapState; problems: UrlProblem[] } {
  const source = new URLSearchParams(typeof search === 'string' ? search : search.toString());
  const raw = { gains: source.get('gains'), depths: source.get('depths'), ratio: source.get('ratio') };
  for (const k of ['sweep', 'values', 'gains', 'depths', 'ratio']) source.delete(k);
  const { state: base, problems } = decodeState(source, options);
  const def = defaultPhaseMapSpec();
  const read = <T>(param: string, text: string | null, parse: (t: string) => T, fallback: T, fallbackText: string): T => {
    if (text === null) return fallback;
    try {
      return parse(text);
    } catch (err) {
      const message = err instanceof InputError ? err.message : String((err as Error)?.message ?? err);
      problems.push({ param, message: `${message}; using the default ${fallbackText}` });
      return fallback;
    }
  };
  const gains = read('gains', raw.gains, parsePhaseGains, def.gains, formatPhaseList(def.gains));
  const depths = read('depths', raw.depths, parsePhaseDepths, def.depths, formatPhaseList(def.depths));
  const quantity = read<PhaseQuantity>(
    'ratio',
    raw.ratio,
    (t) => {
      if (!(PHASE_QUANTITIES as readonly string[]).includes(t))
        throw new InputError('ratio', `must be one of ${PHASE_QUANTITIES.join(', ')}; got ${JSON.stringify(t.slice(0, 40))}`);
      return t as PhaseQuantity;
    },
    'forward',
    'forward',
  );
  return { state: { base, spec: { gains, depths }, quantity }, problems };
}
