// DOM-free export of Depth lab results: a JSON document (config, sweep, device, every row's per-layer
// values and statuses, predictions, loss and timings) and a long-format CSV, plus file names.

import type { AdapterSummary } from '../../gpu/context';
import type { KernelTiming } from '../../gpu/timer';
import { STATUS_MEANINGS_EXPORT, type ValueStatus } from './classify';
import type { DeepNetConfig } from './config';
import { LAYER_STAT_NAMES, type LayerStatName } from './types';
import type { LimitForecast, Verdict } from './predictions';
import { analyzeRow, type MeasuredLimits } from './row-analysis';
import type { Sweep, SweepResult } from './sweep';
import { sweepValues, type SweepSpec } from './sweep-grid';
import { fromJsonNumber, jsonNumber, type JsonNumber } from '../json-number';

export { fromJsonNumber, jsonNumber, type JsonNumber };

/** How a sweep ended, as recorded in an export. */
export type SweepOutcome = 'complete' | 'cancelled' | 'error' | 'running';

/** `verdict(...)` of measured against predicted ‖a‖, JSON-safe. */
export interface ExportVerdict {
  verdict: 'agree' | 'disagree';
  worstLog10Ratio: JsonNumber;
  worstLayer: number | null;
  compared: number;
}

/** The fields of a verdict an export records (JSON-safe). */
function exportVerdict(v: Verdict): ExportVerdict {
  return { verdict: v.verdict, worstLog10Ratio: jsonNumber(v.worstLog10Ratio), worstLayer: v.worstLayer, compared: v.compared };
}

/** One row of an export: its config, per-layer values and statuses, prediction and costs. */
export interface ExportRow {
  index: number;
  /** e.g. `depth=32`. */
  label: string;
  /** The swept value of this row (a depth, a gain or an init scheme). */
  sweepValue: number | string;
  config: DeepNetConfig;
  loss: JsonNumber;
  lossStatus: ValueStatus;
  /** Per layer (index i = layer i + 1): actNorm, zMean, zVar, gradActNorm, gradWNorm. */
  layers: Record<LayerStatName, JsonNumber[]>;
  status: Record<LayerStatName, ValueStatus[]>;
  prediction: {
    /** Predicted actNorm per layer, or null when there is no closed form. */
    actNorm: JsonNumber[] | null;
    log10ActNorm: JsonNumber[] | null;
    exact: boolean;
    note: string;
    verdict: ExportVerdict | null;
    /** The comparison over the layers before ‖a‖ left f32's range (see RowAnalysis.verdictInRange). */
    verdictInRange: (ExportVerdict & { layers: number }) | null;
  };
  limits: {
    predicted: Omit<LimitForecast, 'note'> | null;
    measured: MeasuredLimits;
    sentences: string[];
  };
  wallMs: number;
  flops: number;
  timings: KernelTiming[];
}

/** The JSON document of a Depth lab run. */
export interface DepthLabExport {
  format: 'gradient-playground/depth-lab';
  version: 1;
  exportedAt: string;
  /** The share link's query (`encodeState`), if known. */
  query: string | null;
  outcome: SweepOutcome;
  rowsDone: number;
  rowsTotal: number;
  /** What each status in `rows[].status` and `lossStatus` means (`STATUS_MEANINGS_EXPORT`, English in every language). */
  statuses: Record<ValueStatus, string>;
  /** The base config (the swept field is overridden per row). */
  config: DeepNetConfig;
  sweep: SweepSpec;
  /** The adapter the rows ran on (`gpu.summary`), or null. */
  device: AdapterSummary | null;
  totals: {
    /** Wall time of the whole sweep, ms (CPU clock). */
    wallMs: number;
    /** Sum of the rows' matmul FLOPs. */
    flops: number;
    /** flops / wall time, in GFLOP/s (null when the wall time is 0). */
    gflopsPerSecond: number | null;
  };
  rows: ExportRow[];
}

/** What `makeDepthLabExport` needs. */
export interface ExportInput {
  sweep: Sweep;
  results: readonly SweepResult[];
  device: AdapterSummary | null;
  outcome: SweepOutcome;
  /** Rows the sweep would have had (default: results.length). */
  rowsTotal?: number;
  /** Wall time of the whole sweep, ms (default: sum of the rows'). */
  wallMs?: number;
  query?: string | null;
  exportedAt?: Date;
}

const toJsonArray = (a: ArrayLike<number>) => Array.from(a, jsonNumber);

/** The value a row sweeps (its depth, gain or init). */
export function sweptValue(spec: SweepSpec, config: DeepNetConfig): number | string {
  return spec.kind === 'depth' ? config.depth : spec.kind === 'gain' ? config.gain : config.init;
}

/** Sum of the rows' FLOPs and the achieved rate over `wallMs`. */
export function throughput(results: readonly SweepResult[], wallMs: number): { flops: number; gflopsPerSecond: number | null } {
  const flops = results.reduce((s, r) => s + r.run.flops, 0);
  return { flops, gflopsPerSecond: wallMs > 0 ? flops / (wallMs * 1e6) : null };
}

/** Builds the JSON document (JSON-safe: non-finite numbers are strings, see `JsonNumber`). */
export function makeDepthLabExport(input: ExportInput): DepthLabExport {
  const { sweep, results } = input;
  const wallMs = input.wallMs ?? results.reduce((s, r) => s + r.run.wallMs, 0);
  const rows: ExportRow[] = results.map((r) => {
    const a = analyzeRow(r.config, r.run, { english: true });
    const layers = {} as Record<LayerStatName, JsonNumber[]>;
    const status = {} as Record<LayerStatName, ValueStatus[]>;
    for (const name of LAYER_STAT_NAMES) {
      layers[name] = toJsonArray(r.run.layers[name]);
      status[name] = [...r.run.status[name]];
    }
    const p = a.prediction;
    return {
      index: r.index,
      label: r.label,
      sweepValue: sweptValue(sweep.spec, r.config),
      config: { ...r.config },
      loss: jsonNumber(r.run.loss),
      lossStatus: r.run.lossStatus,
      layers,
      status,
      prediction: {
        actNorm: p.actNorm ? toJsonArray(p.actNorm) : null,
        log10ActNorm: p.log10ActNorm ? toJsonArray(p.log10ActNorm) : null,
        exact: p.exact,
        note: p.note,
        verdict: a.verdict ? exportVerdict(a.verdict) : null,
        verdictInRange: a.verdictInRange ? { ...exportVerdict(a.verdictInRange), layers: a.verdictInRange.layers } : null,
      },
      limits: {
        predicted: a.predictedLimits ? { activation: a.predictedLimits.activation, gradient: a.predictedLimits.gradient } : null,
        measured: a.measuredLimits,
        sentences: a.limitSentences,
      },
      wallMs: r.run.wallMs,
      flops: r.run.flops,
      timings: r.run.timings.map((t) => ({ label: t.label, ms: t.ms })),
    };
  });
  return {
    format: 'gradient-playground/depth-lab',
    version: 1,
    exportedAt: (input.exportedAt ?? new Date()).toISOString(),
    query: input.query ?? null,
    outcome: input.outcome,
    rowsDone: results.length,
    rowsTotal: input.rowsTotal ?? results.length,
    statuses: { ...STATUS_MEANINGS_EXPORT },
    config: { ...sweep.base },
    sweep: structuredClone(sweep.spec),
    device: input.device ? structuredClone(input.device) : null,
    totals: { wallMs, ...throughput(results, wallMs) },
    rows,
  };
}

/** The document as pretty-printed JSON text. */
export function exportJsonText(doc: DepthLabExport): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Columns of the CSV, in order. */
export const CSV_COLUMNS = ['row', 'label', 'sweep', 'sweep_value', 'layer', 'quantity', 'value', 'status', 'predicted'] as const;

function csvField(v: string | number): string {
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Long-format CSV: a header, then one line per row × layer × quantity (rows in sweep order, layers 1..L,
 * quantities in `LAYER_STAT_NAMES` order). `value` is written with full float64 precision (`String(v)`,
 * which reads back exactly) or as `Infinity`, `-Infinity`, `NaN`; `status` is the lab's classification
 * (finite / overflow / underflow / nan / lost — `lost`: computed from an earlier overflow/NaN, see
 * `propagateLost`); `predicted` is the closed-form forecast for actNorm where there is
 * one, else empty.
 */
export function exportCsv(doc: DepthLabExport): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const row of doc.rows) {
    const depth = row.config.depth;
    for (let i = 0; i < depth; i++) {
      for (const q of LAYER_STAT_NAMES) {
        const pred = q === 'actNorm' && row.prediction.actNorm ? row.prediction.actNorm[i] : '';
        lines.push([row.index, row.label, doc.sweep.kind, row.sweepValue, i + 1, q, row.layers[q][i], row.status[q][i], pred].map(csvField).join(','));
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** Keeps letters, digits, dot, dash and underscore; everything else becomes a dash. */
function slug(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * A file name that says what was run: `depth-lab_identity-x1.5_linear_n2_m1_seed1_depth-1..40.json`.
 * Safe on every OS (no spaces, slashes or colons); long value lists are cut to their first and last.
 */
export function exportFilename(sweep: Sweep, ext: 'json' | 'csv' | 'png'): string {
  const c = sweep.base;
  const { values } = sweepValues(sweep.spec);
  const list = values.length > 3 ? `${values[0]}-to-${values[values.length - 1]}` : values.join('_');
  const parts = [
    'depth-lab',
    sweep.spec.kind === 'init' ? null : `${c.init}`,
    sweep.spec.kind === 'gain' ? null : `x${c.gain}`,
    c.activation,
    `n${c.width}`,
    `m${c.batch}`,
    `seed${c.seed}`,
    `${sweep.spec.kind}-${list}`,
  ].filter((p): p is string => p !== null);
  return `${slug(parts.join('_'))}.${ext}`;
}
