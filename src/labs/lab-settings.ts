/**
 * The labs' current settings for Verify's lab shapes: read from each lab's URL query (checked by the labs'
 * own decoders), or the defaults for a lab not opened yet. `rememberLabQuery` keeps each lab's last query
 * for the tab, so the Shaders view knows them while another route is showing.
 */
import { DEFAULT_CONFIG } from './depth/config';
import { testRows } from './normalize/data';
import { defaultLabState } from './normalize/form';
import type { LabSettings } from '../playground/lab-shapes';
import { decodeNormalizeState } from './normalize/url-state';
import { decodeState } from './depth/url-state';

/** The labs' settings from their URL queries (null or '' for a lab never opened: its defaults). */
export function labSettingsFromQueries(depthQuery: string | null, normalizeQuery: string | null): LabSettings {
  const d = depthQuery ? decodeState(depthQuery).state.config : DEFAULT_CONFIG;
  const n = normalizeQuery ? decodeNormalizeState(normalizeQuery).state.data : defaultLabState().data;
  return {
    depth: { width: d.width, batch: d.batch, activation: d.activation },
    normalize: { rows: n.m - testRows(n.m, n.testFraction), features: n.ranges.length },
    from: { depth: depthQuery ? 'link' : 'defaults', normalize: normalizeQuery ? 'link' : 'defaults' },
  };
}

// ---- the labs' last queries ------------------------------------------------------------------------

const memory = new Map<string, string>();
const KEY = (route: string) => `gp.lab-query.${route}`;

function session(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** Remembers a lab's current query (what its URL says) for this tab. */
export function rememberLabQuery(route: string, query: string): void {
  memory.set(route, query);
  try {
    session()?.setItem(KEY(route), query);
  } catch {
    // Storage refused: the in-memory copy serves this page.
  }
}

/** The lab's last remembered query in this tab, or null. */
export function lastLabQuery(route: string): string | null {
  const m = memory.get(route);
  if (m !== undefined) return m;
  try {
    return session()?.getItem(KEY(route)) ?? null;
  } catch {
    return null;
  }
}

/** The labs' settings as this tab last saw them (defaults for a lab not opened yet). */
export function currentLabSettings(): LabSettings {
  return labSettingsFromQueries(lastLabQuery('depth-lab'), lastLabQuery('normalization-lab'));
}
