/**
 * The shapes the labs run their kernels at, for Verify: a kernel that is right on Verify's awkward shapes
 * but wrong (or never finishes) at the labs' own sizes — n = k = 256 with the Depth lab's defaults —
 * must fail Verify, not the lab. DOM-free: the settings come in as arguments (`labSettingsFromQueries`
 * reads them from the labs' URL queries, or takes the defaults), and `rememberLabQuery` keeps each lab's
 * last query for the session, so the Shaders view knows them while another route is showing.
 */
import { DEFAULT_CONFIG } from '../experiments/deep-net-config';
import { testRows } from '../experiments/normalize-data';
import { defaultLabState } from '../experiments/normalize-lab-form';
import type { Activation } from '../kernels/elementwise';
import { decodeNormalizeState } from '../state/normalize-url-state';
import { decodeState } from '../state/url-state';

/** What the Depth lab's kernels see: width n (W is n×n), batch m (A is m×n), the activation. */
export interface DepthLabShapeSettings {
  width: number;
  batch: number;
  activation: Activation;
}

/** What the Normalization lab's kernels see: training rows and features (its matrices have features + 1 columns). */
export interface NormalizeLabShapeSettings {
  rows: number;
  features: number;
}

/** Both labs' settings, and where each came from (the lab's last link in this session, or its defaults). */
export interface LabSettings {
  depth: DepthLabShapeSettings;
  normalize: NormalizeLabShapeSettings;
  from: { depth: 'link' | 'defaults'; normalize: 'link' | 'defaults' };
}

/** Rows of one partial sum of the Normalization lab's XᵀX (its STUDY_LIMITS.gramChunkRows). */
export const GRAM_CHUNK_ROWS = 1024;

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
