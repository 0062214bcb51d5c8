// Export of a gain × depth phase map: a JSON document (base config, grid, both ratios' log10 values and
// statuses per cell, the predicted critical gain and the measured crossing per depth) and a long-format CSV,
// one line per ratio × gain × depth. Locale-independent: numbers are written with String(v) (full float64
// precision, `.` as the decimal point), statuses and keys in English, in every language of the UI.
import type { AdapterSummary } from '../../../gpu/context';
import { STATUS_MEANINGS_EXPORT, type ValueStatus } from '../classify';
import type { DeepNetConfig } from '../config';
import { buildPhaseMap, PHASE_QUANTITIES, type PhaseMap, type PhaseMapSpec, type PhaseQuantity } from '../phase-map';
import type { SweepOutcome } from '../export';
import type { DeepNetResult } from '../types';
import { fromJsonNumber, jsonNumber, type JsonNumber } from '../../json-number';

export { fromJsonNumber };

/** One ratio's map in an export: values[g][d] is log10 of the ratio at gains[g], depths[d] (null where not measured). */
export interface PhaseMapExportQuantity {
  /** log10 of the ratio per cell, rows = gains, columns = depths; 'NaN' where the status is not 'finite'. */
  log10Ratio: JsonNumber[][];
  status: ValueStatus[][];
  predictedGain: number | null;
  /** Per depth: the gain where the ratio crosses 1, or null. */
  measuredGain: (number | null)[];
}

/** The JSON document of a phase map run. */
export interface PhaseMapExport {
  format: 'gradient-playground/phase-map';
  version: 1;
  exportedAt: string;
  /** The share link's query (`encodePhaseMapState`), if known. */
  query: string | null;
  outcome: SweepOutcome;
  /** Gains measured (each is one run of the deepest net) out of all. */
  gainsDone: number;
  gainsTotal: number;
  statuses: Record<ValueStatus, string>;
  /** The base net; `depth` is the grid's deepest, `gain` is replaced per row. */
  config: DeepNetConfig;
  /** The measured gains (only those finished) and every depth. */
  gains: number[];
  depths: number[];
  /** What each ratio is, in words (English). */
  quantities: Record<PhaseQuantity, string>;
  forward: PhaseMapExportQuantity;
  backward: PhaseMapExportQuantity;
  device: AdapterSummary | null;
  wallMs: number;
}

export const PHASE_QUANTITY_MEANINGS_EXPORT: Readonly<Record<PhaseQuantity, string>> = Object.freeze({
  forward: 'log10(‖a[L]‖ / ‖a[0]‖): how much the signal grew from the input to layer L',
  backward: 'log10(‖∂J/∂a[1]‖ / ‖∂J/∂a[L]‖): how much the gradient grew from layer L down to layer 1 (read in the deepest net)',
});

export interface PhaseMapExportInput {
  config: DeepNetConfig;
  spec: PhaseMapSpec;
  /** One run per finished gain, in the grid's (ascending) gain order; fewer than the gains if cancelled. */
  runs: readonly DeepNetResult[];
  outcome: SweepOutcome;
  device?: AdapterSummary | null;
  wallMs?: number;
  query?: string | null;
  exportedAt?: Date;
}

function quantityPart(map: PhaseMap): PhaseMapExportQuantity {
  const D = map.depths.length;
  return {
    log10Ratio: map.gains.map((_, g) => Array.from(map.values.subarray(g * D, (g + 1) * D), jsonNumber)),
    status: map.gains.map((_, g) => map.status.slice(g * D, (g + 1) * D)),
    predictedGain: map.predictedGain,
    measuredGain: [...map.measuredGain],
  };
}

/** The maps of both ratios over the finished gains (the first `runs.length` of the sorted grid). */
export function phaseMapsOf(config: DeepNetConfig, spec: PhaseMapSpec, runs: readonly DeepNetResult[]): Record<PhaseQuantity, PhaseMap> | null {
  if (runs.length === 0) return null;
  const gains = [...spec.gains].sort((a, b) => a - b).slice(0, runs.length);
  const part = { gains, depths: spec.depths };
  return { forward: buildPhaseMap(config, part, runs, 'forward'), backward: buildPhaseMap(config, part, runs, 'backward') };
}

/** The export document of a (possibly partial) phase map run. */
export function makePhaseMapExport(input: PhaseMapExportInput): PhaseMapExport {
  const gainsTotal = input.spec.gains.length;
  const maps = phaseMapsOf(input.config, input.spec, input.runs);
  const depths = [...input.spec.depths].sort((a, b) => a - b);
  const empty = (): PhaseMapExportQuantity => ({ log10Ratio: [], status: [], predictedGain: null, measuredGain: depths.map(() => null) });
  return {
    format: 'gradient-playground/phase-map',
    version: 1,
    exportedAt: (input.exportedAt ?? new Date()).toISOString(),
    query: input.query ?? null,
    outcome: input.outcome,
    gainsDone: input.runs.length,
    gainsTotal,
    statuses: { ...STATUS_MEANINGS_EXPORT },
    config: { ...input.config, depth: depths[depths.length - 1] },
    gains: maps ? maps.forward.gains : [],
    depths,
    quantities: { ...PHASE_QUANTITY_MEANINGS_EXPORT },
    forward: maps ? quantityPart(maps.forward) : empty(),
    backward: maps ? quantityPart(maps.backward) : empty(),
    device: input.device ? structuredClone(input.device) : null,
    wallMs: input.wallMs ?? 0,
  };
}

/** The document as pretty-printed JSON text. */
export function phaseMapJsonText(doc: PhaseMapExport): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Columns of the phase map CSV, in order. */
export const PHASE_CSV_COLUMNS = ['quantity', 'gain', 'depth', 'log10_ratio', 'status', 'predicted_gain', 'measured_gain'] as const;

/**
 * Long-format CSV: a header, then one line per ratio (forward, then backward) × gain × depth. `log10_ratio` is
 * String(v) (reads back exactly) or `NaN` where the cell's status is not finite; `predicted_gain` is the
 * critical gain of theory (empty where there is none); `measured_gain` is the crossing at that depth (empty if none).
 */
export function phaseMapCsv(doc: PhaseMapExport): string {
  const lines: string[] = [PHASE_CSV_COLUMNS.join(',')];
  const cell = (v: number | null) => (v === null ? '' : String(v));
  for (const q of PHASE_QUANTITIES) {
    const part = doc[q];
    doc.gains.forEach((gain, g) => {
      doc.depths.forEach((depth, d) => {
        lines.push(
          [q, gain, depth, String(fromJsonNumber(part.log10Ratio[g][d])), part.status[g][d], cell(part.predictedGain), cell(part.measuredGain[d])].join(','),
        );
      });
    });
  }
  return lines.join('\n') + '\n';
}

/** A file name that says what was mapped: `phase-map_he-normal_relu_n64_m32_seed1_gains-0.5-to-2_depths-1-to-100.json`. */
export function phaseMapFilename(config: DeepNetConfig, spec: PhaseMapSpec, ext: 'json' | 'csv' | 'png'): string {
  const range = (v: readonly number[]) => (v.length > 1 ? `${Math.min(...v)}-to-${Math.max(...v)}` : String(v[0]));
  const parts = [
    'phase-map',
    config.init,
    config.activation,
    `n${config.width}`,
    `m${config.batch}`,
    `seed${config.seed}`,
    `gains-${range(spec.gains)}`,
    `depths-${range(spec.depths)}`,
  ];
  return `${parts.join('_').replace(/[^A-Za-z0-9._-]+/g, '-')}.${ext}`;
}
