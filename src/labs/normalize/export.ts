// DOM-free export of Normalization lab results: a JSON document (dataset, settings, and per mode the μ, σ
// and divisors used, κ, 2/λmax, the learning rate, steps, outcome, train and test cost, the descent path)
// and two CSVs (one line per mode; one line per mode × descent step), plus file names.

import type { AdapterSummary } from '../../gpu/context';
import { jsonNumber, type JsonNumber } from '../json-number';
import { MODE_LABELS_EN, type LrScale } from './form';
import type { Dataset, DescentResult, NormalizeMode, NormalizeStudy } from './types';

/** One mode of a lab run: its study, its descent (null while running or if it failed) and the lr it used. */
export interface NormalizeModeRun {
  mode: NormalizeMode;
  study: NormalizeStudy;
  descent: DescentResult | null;
  /** The learning rate this mode's descent ran with. */
  lr: number;
  /** Why the descent failed, if it did. */
  error?: string | null;
}

/** How a descent ended. */
export type DescentOutcome = 'converged' | 'diverged' | 'not-converged' | 'none';

/** The outcome of a descent and a sentence for the table: "12 steps", "diverged at step 9", "not converged in 500 steps". */
export function descentOutcome(d: DescentResult | null): { outcome: DescentOutcome; text: string } {
  if (!d) return { outcome: 'none', text: '—' };
  if (d.diverged) return { outcome: 'diverged', text: `diverged at step ${d.steps}` };
  if (d.converged) return { outcome: 'converged', text: `${d.steps} step${d.steps === 1 ? '' : 's'}` };
  return { outcome: 'not-converged', text: `not converged in ${d.steps} steps` };
}

/** One mode in the export. */
export interface NormalizeExportMode {
  mode: NormalizeMode;
  label: string;
  /** Training μ and σ (population) per feature. */
  mu: JsonNumber[];
  sigma: JsonNumber[];
  /** What was subtracted from / divided into the train and the test features. */
  trainMu: JsonNumber[];
  trainDivisor: JsonNumber[];
  testMu: JsonNumber[];
  testDivisor: JsonNumber[];
  lambdaMax: JsonNumber;
  lambdaMin: JsonNumber;
  kappa: JsonNumber;
  maxStableLr: JsonNumber;
  /** Hessian XcᵀXc/m, d×d row-major. */
  hessian: JsonNumber[];
  optimum: { w: JsonNumber[]; b: JsonNumber; trainCost: JsonNumber };
  /** The learning rate used, and the same as a multiple of this mode's 2/λmax. */
  lr: JsonNumber;
  lrOverLimit: JsonNumber;
  outcome: DescentOutcome;
  /** The table's text for the outcome. */
  outcomeText: string;
  steps: number | null;
  converged: boolean | null;
  diverged: boolean | null;
  trainCost: JsonNumber | null;
  testCost: JsonNumber | null;
  error: string | null;
  /** Weights after each step, the start first: one array of d numbers per step. */
  path: JsonNumber[][];
  /** Training cost after each step. */
  costs: JsonNumber[];
  /** The cost grid's window (its values are not exported). */
  grid: { axes: [number, number]; x: { min: number; max: number }; y: { min: number; max: number }; size: number; rowsUsed: number };
}

/** The JSON document of a Normalization lab run. */
export interface NormalizeLabExport {
  format: 'gradient-playground/normalization-lab';
  version: 1;
  exportedAt: string;
  /** The share link's query, if the data is generated (a CSV upload cannot be linked). */
  query: string | null;
  /** Where the numbers were computed: 'gpu' (WebGPU, f32) or 'cpu' (the float64 fallback). */
  backend: 'gpu' | 'cpu';
  device: AdapterSummary | null;
  dataset: {
    source: Dataset['source'];
    featureNames: string[];
    targetName: string;
    d: number;
    trainRows: number;
    testRows: number;
  };
  settings: { lrScale: LrScale; lr: number; steps: number; tol: number };
  modes: NormalizeExportMode[];
  /** Wall time of the run (CPU clock), ms. */
  wallMs: number | null;
}

/** What `makeNormalizeExport` needs. */
export interface NormalizeExportInput {
  dataset: Dataset;
  runs: readonly NormalizeModeRun[];
  settings: { lrScale: LrScale; lr: number; steps: number; tol: number };
  backend: 'gpu' | 'cpu';
  device?: AdapterSummary | null;
  query?: string | null;
  wallMs?: number | null;
  exportedAt?: Date;
}

const arr = (a: ArrayLike<number>) => Array.from(a, jsonNumber);

/** The path as one array of d weights per step. */
export function pathRows(path: ArrayLike<number>, d: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i + d <= path.length; i += d) rows.push(Array.from({ length: d }, (_, j) => path[i + j]));
  return rows;
}

function sourceCopy(s: Dataset['source']): Dataset['source'] {
  return s.kind === 'generated'
    ? {
        kind: 'generated',
        options: {
          ...s.options,
          ranges: s.options.ranges.map((r) => [r[0], r[1]] as [number, number]),
          weights: s.options.weights ? [...s.options.weights] : undefined,
        },
      }
    : { ...s };
}

/** Builds the JSON document (JSON-safe: non-finite numbers are strings, see `JsonNumber`). */
export function makeNormalizeExport(input: NormalizeExportInput): NormalizeLabExport {
  const ds = input.dataset;
  const modes = input.runs.map((r): NormalizeExportMode => {
    const s = r.study;
    const d = r.descent;
    const o = descentOutcome(d);
    const g = s.costGrid;
    return {
      mode: r.mode,
      label: MODE_LABELS_EN[r.mode],
      mu: arr(s.mu),
      sigma: arr(s.sigma),
      trainMu: arr(s.trainMu),
      trainDivisor: arr(s.trainDivisor),
      testMu: arr(s.testMu),
      testDivisor: arr(s.testDivisor),
      lambdaMax: jsonNumber(s.lambdaMax),
      lambdaMin: jsonNumber(s.lambdaMin),
      kappa: jsonNumber(s.kappa),
      maxStableLr: jsonNumber(s.maxStableLr),
      hessian: arr(s.hessian),
      optimum: { w: arr(s.optimum.w), b: jsonNumber(s.optimum.b), trainCost: jsonNumber(s.optimum.trainCost) },
      lr: jsonNumber(r.lr),
      lrOverLimit: jsonNumber(r.lr / s.maxStableLr),
      outcome: o.outcome,
      outcomeText: o.text,
      steps: d ? d.steps : null,
      converged: d ? d.converged : null,
      diverged: d ? d.diverged : null,
      trainCost: d ? jsonNumber(d.trainCost) : null,
      testCost: d ? jsonNumber(d.testCost) : null,
      error: r.error ?? null,
      path: d ? pathRows(d.path, s.d).map((row) => row.map(jsonNumber)) : [],
      costs: d ? arr(d.costs) : [],
      grid: { axes: [g.axes[0], g.axes[1]], x: { ...g.x }, y: { ...g.y }, size: g.size, rowsUsed: g.rowsUsed },
    };
  });
  return {
    format: 'gradient-playground/normalization-lab',
    version: 1,
    exportedAt: (input.exportedAt ?? new Date()).toISOString(),
    query: input.query ?? null,
    backend: input.backend,
    device: input.device ? structuredClone(input.device) : null,
    dataset: {
      source: sourceCopy(ds.source),
      featureNames: [...ds.featureNames],
      targetName: ds.targetName,
      d: ds.d,
      trainRows: ds.train.m,
      testRows: ds.test.m,
    },
    settings: { ...input.settings },
    modes,
    wallMs: input.wallMs ?? null,
  };
}

/** The document as pretty-printed JSON text. */
export function normalizeExportJsonText(doc: NormalizeLabExport): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

function csvField(v: string | number | boolean | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Columns of the summary CSV for d features (per-feature columns end in _1 … _d). */
export function summaryCsvColumns(d: number): string[] {
  const cols = [
    'mode',
    'kappa',
    'lambda_max',
    'lambda_min',
    'max_stable_lr',
    'lr',
    'lr_over_limit',
    'outcome',
    'steps',
    'train_cost',
    'test_cost',
    'optimum_train_cost',
  ];
  for (const name of ['mu', 'sigma', 'train_mu', 'train_divisor', 'test_mu', 'test_divisor', 'w_opt']) {
    for (let j = 1; j <= d; j++) cols.push(`${name}_${j}`);
  }
  return cols;
}

/**
 * Summary CSV: a header, then one line per mode (κ, limits, lr, outcome, steps, costs, and per feature
 * μ, σ, the train and test shift and divisor, and the optimum w). Numbers at full float64 precision.
 */
export function normalizeSummaryCsv(doc: NormalizeLabExport): string {
  const d = doc.dataset.d;
  const lines = [summaryCsvColumns(d).join(',')];
  for (const m of doc.modes) {
    const row: (string | number | boolean | null)[] = [
      m.mode,
      m.kappa,
      m.lambdaMax,
      m.lambdaMin,
      m.maxStableLr,
      m.lr,
      m.lrOverLimit,
      m.outcome,
      m.steps,
      m.trainCost,
      m.testCost,
      m.optimum.trainCost,
    ];
    for (const a of [m.mu, m.sigma, m.trainMu, m.trainDivisor, m.testMu, m.testDivisor, m.optimum.w]) {
      for (let j = 0; j < d; j++) row.push(a[j] ?? null);
    }
    lines.push(row.map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Paths CSV: `mode,step,cost,w_1..w_d`, one line per mode × step (step 0 is the start). */
export function normalizePathsCsv(doc: NormalizeLabExport): string {
  const d = doc.dataset.d;
  const header = ['mode', 'step', 'cost', ...Array.from({ length: d }, (_, j) => `w_${j + 1}`)];
  const lines = [header.join(',')];
  for (const m of doc.modes) {
    m.path.forEach((w, step) => {
      lines.push([m.mode, step, m.costs[step] ?? null, ...w].map(csvField).join(','));
    });
  }
  return lines.join('\n') + '\n';
}

/** A file name that says what was run: `normalization-lab_m1000_seed1_lr-rel0.5.json` (CSV data: the file's name). */
export function normalizeExportFilename(doc: Pick<NormalizeLabExport, 'dataset' | 'settings'>, ext: 'json' | 'csv' | 'png', suffix = ''): string {
  const src = doc.dataset.source;
  const data = src.kind === 'generated' ? `m${src.options.m}_seed${src.options.seed}` : `csv-${src.fileName.replace(/\.[^.]*$/, '')}`;
  const lr = `lr-${doc.settings.lrScale === 'relative' ? 'rel' : 'abs'}${doc.settings.lr}`;
  const base = ['normalization-lab', data, lr, suffix].filter(Boolean).join('_');
  return `${base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .slice(0, 120)}.${ext}`;
}
