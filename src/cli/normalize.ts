// `gradient-playground normalize`: the Normalization lab from the command line — the four modes (raw,
// standardized, divided by the variance, test set with its own statistics) on generated data or a CSV file,
// each with its gradient descent. Options are the lab's URL parameters, read by its own decodeNormalizeState;
// the result is the lab's own export (JSON, summary CSV, paths CSV).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { GpuContext } from '../gpu/context';
import { InputError } from '../errors';
import { datasetFromTable } from '../labs/normalize/csv-dataset';
import { parseCsv } from '../labs/normalize/csv-parser';
import { makeDataset } from '../labs/normalize/data';
import { LAB_LIMITS, MODE_LABELS_EN, modeLearningRate, type NormalizeLabState } from '../labs/normalize/form';
import {
  descentOutcome,
  makeNormalizeExport,
  normalizeExportJsonText,
  normalizePathsCsv,
  normalizeSummaryCsv,
  type NormalizeLabExport,
  type NormalizeModeRun,
} from '../labs/normalize/export';
import { gradientDescent, normalizeStudy } from '../labs/normalize/study';
import { NORMALIZE_MODES, type Dataset, type NormalizeStudy } from '../labs/normalize/types';
import { decodeNormalizeState, encodeNormalizeState } from '../labs/normalize/url-state';
import { UsageError, type CommandSpec, type Values } from './args';
import { startProgress } from './progress';

/** The lab's URL parameters a run takes (`plots` only chooses what the app draws, so it is not one). */
export const NORMALIZE_OPTION_PARAMS = ['m', 'ranges', 'noise', 'test', 'shift', 'seed', 'lrscale', 'lr', 'steps', 'tol'] as const;
/** Parameters that describe generated data, meaningless with --csv. */
const GENERATOR_PARAMS = ['m', 'ranges', 'noise', 'shift'] as const;

const L = LAB_LIMITS;
export const NORMALIZE_COMMAND: CommandSpec = {
  name: 'normalize',
  short: "the Normalization lab's four modes on generated data or a CSV file",
  summary:
    'Runs the Normalization lab: the four modes (raw, standardized with the training μ and σ, divided by the variance, test set with its own statistics), ' +
    "each with its κ, stable learning rate 2/λmax, optimum and gradient descent, on generated data or a CSV file. The options are the lab's URL parameters.",
  options: {
    m: { type: 'string', arg: 'M', help: `examples, train + test, ${L.m.min}..${L.m.max} (generated data)` },
    ranges: {
      type: 'string',
      arg: 'LO:HI,…',
      help: `each feature's uniform range, ${L.features.min} to ${L.features.max} features, e.g. 1:1000,0:1 (generated data)`,
    },
    noise: { type: 'string', arg: 'X', help: `target noise σ, ${L.noise.min}..${L.noise.max} (generated data)` },
    test: { type: 'string', arg: 'F', help: `test fraction, ${L.testFraction.min}..${L.testFraction.max}` },
    shift: { type: 'string', arg: 'X', help: `test features shifted by this × their range, ${L.testShift.min}..${L.testShift.max} (generated data)` },
    seed: { type: 'string', arg: 'S', help: `seed of the data (or of the CSV's train/test split), ${L.seed.min}..${L.seed.max}` },
    lrscale: { type: 'string', arg: 'rel|abs', help: "rel: lr is a multiple of each mode's 2/λmax; abs: one learning rate for every mode (default rel)" },
    lr: { type: 'string', arg: 'X', help: `learning rate (rel ${L.lr.relative.min}..${L.lr.relative.max}, abs ${L.lr.absolute.min}..${L.lr.absolute.max})` },
    steps: { type: 'string', arg: 'N', help: `gradient-descent steps at most, ${L.steps.min}..${L.steps.max}` },
    tol: { type: 'string', arg: 'X', help: `convergence tolerance, ${L.tol.min}..${L.tol.max}` },
    csv: { type: 'string', arg: 'FILE', help: 'study this CSV file (header line, numeric columns) instead of generated data' },
    target: { type: 'string', arg: 'COLUMN', help: "with --csv: the target column's name (default: a column named y or target, else the last)" },
    out: {
      type: 'string',
      multiple: true,
      arg: 'FILE',
      help: "write the lab's export: FILE.json (everything, paths included) and/or FILE.csv (the summary, one line per mode); give --out twice for both",
    },
    paths: { type: 'string', arg: 'FILE.csv', help: "also write the descent paths CSV (one line per mode × step, the app's Paths CSV)" },
  },
  notes: ['Without --out, one line per mode is printed on stdout.'],
  examples: [
    'gradient-playground normalize --m 2000 --ranges 1:1000,0:1 --lr 0.5 --out normalize.json',
    'gradient-playground normalize --lrscale abs --lr 1e-6 --steps 2000 --out summary.csv --paths paths.csv',
    'gradient-playground normalize --csv houses.csv --target price --test 0.2 --out houses.json',
  ],
};

const stripFallback = (m: string) => m.replace(/;? ?(using the default|using rel|using \d|showing all).*$/, '');

/** What a normalize run is: the lab's state, and where the data comes from. */
export interface NormalizeJob {
  state: NormalizeLabState;
  dataset: Dataset;
  /** The share link's query (generated data only: a file cannot be linked). */
  query: string | null;
}

/** The default target of a table: a column named y or target, else the last (as the app picks it). */
export function defaultTarget(columns: readonly string[]): string {
  return columns.find((c) => /^(y|target)$/i.test(c)) ?? columns[columns.length - 1];
}

/** Reads the options through the lab's decodeNormalizeState and builds the dataset; throws a UsageError for anything bad. */
export function normalizeJobFromOptions(values: Values, readFile: (f: string) => string = (f) => readFileSync(f, 'utf8')): NormalizeJob {
  const params = new URLSearchParams();
  params.set('v', '1');
  for (const p of NORMALIZE_OPTION_PARAMS) {
    const v = values[p];
    if (typeof v === 'string') params.set(p, v);
  }
  const { state, problems } = decodeNormalizeState(params);
  if (problems.length) throw new UsageError(problems.map((p) => `--${p.param} ${stripFallback(p.message)}`).join('; '));
  const csvFile = values.csv;
  if (typeof csvFile !== 'string') {
    if (values.target !== undefined) throw new UsageError('--target only applies with --csv');
    const d = state.data;
    try {
      const dataset = makeDataset({
        m: d.m,
        ranges: d.ranges.map((r) => [r[0], r[1]] as [number, number]),
        noise: d.noise,
        testFraction: d.testFraction,
        testShift: d.testShift,
        seed: d.seed,
      });
      return { state, dataset, query: encodeNormalizeState(state) };
    } catch (err) {
      if (err instanceof InputError) throw new UsageError(err.message);
      throw err;
    }
  }
  const given = GENERATOR_PARAMS.filter((p) => values[p] !== undefined);
  if (given.length)
    throw new UsageError(
      `${given.map((p) => `--${p}`).join(', ')} ${given.length === 1 ? 'describes' : 'describe'} generated data and cannot be used with --csv`,
    );
  let text: string;
  try {
    text = readFile(csvFile);
  } catch (err) {
    throw new UsageError(`--csv ${csvFile}: ${String((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message)}`);
  }
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new UsageError(`--csv ${csvFile}, line ${parsed.line}: ${parsed.message}`);
  const target = typeof values.target === 'string' ? values.target : defaultTarget(parsed.table.columns);
  try {
    const dataset = datasetFromTable(parsed.table, { target, testFraction: state.data.testFraction, seed: state.data.seed, fileName: basename(csvFile) });
    return { state, dataset, query: null };
  } catch (err) {
    if (err instanceof InputError)
      throw new UsageError(
        `--csv ${csvFile}: ${err.message
          .replace(/^testFraction:/, '--test:')
          .replace(/^target:/, '--target:')
          .replace(/^seed:/, '--seed:')}`,
      );
    throw err;
  }
}

/** The four studies and descents on `gpu` (as the app's Run), as the lab's export document. */
export async function runNormalizeExport(
  gpu: GpuContext,
  job: NormalizeJob,
  options: { signal?: AbortSignal; progress?: boolean } = {},
): Promise<NormalizeLabExport> {
  const { state, dataset } = job;
  const n = NORMALIZE_MODES.length;
  const bar = startProgress('normalize', 2 * n, { force: options.progress ?? false });
  const t0 = performance.now();
  const runs: NormalizeModeRun[] = [];
  try {
    const studies: NormalizeStudy[] = [];
    for (const [i, mode] of NORMALIZE_MODES.entries()) {
      studies.push(await normalizeStudy(gpu, dataset, { mode, signal: options.signal }));
      const elapsed = performance.now() - t0;
      bar.update(i + 1, (elapsed / (i + 1)) * (2 * n - i - 1), `study ${MODE_LABELS_EN[mode]}`);
    }
    for (const [i, study] of studies.entries()) {
      const lr = modeLearningRate(state.lrScale, state.lr, study.maxStableLr);
      try {
        const descent = await gradientDescent(gpu, study, { lr, steps: state.steps, tol: state.tol, signal: options.signal });
        runs.push({ mode: study.mode, study, descent, lr });
      } catch (err) {
        if (options.signal?.aborted) throw err;
        // As in the app: one mode's failed descent is recorded, the others still run.
        runs.push({ mode: study.mode, study, descent: null, lr, error: String((err as Error)?.message ?? err) });
      }
      const elapsed = performance.now() - t0;
      bar.update(n + i + 1, (elapsed / (n + i + 1)) * (n - i - 1), `descent ${MODE_LABELS_EN[study.mode]}`);
    }
  } finally {
    bar.stop();
  }
  return makeNormalizeExport({
    dataset,
    runs,
    settings: { lrScale: state.lrScale, lr: state.lr, steps: state.steps, tol: state.tol },
    backend: 'gpu',
    device: gpu.summary,
    query: job.query,
    wallMs: performance.now() - t0,
  });
}

const fmt = (v: unknown) => {
  const x = Number(v);
  return v === null
    ? '—'
    : Number.isFinite(x)
      ? Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3)
        ? x.toExponential(3)
        : String(+x.toPrecision(4))
      : String(v);
};

/** One line per mode for the terminal. */
export function normalizeSummaryLines(doc: NormalizeLabExport): string[] {
  const lines = [
    `${'mode'.padEnd(34)} ${'κ'.padStart(10)} ${'2/λmax'.padStart(10)} ${'lr'.padStart(10)} ${'train cost'.padStart(11)} ${'test cost'.padStart(11)}  outcome`,
  ];
  for (const m of doc.modes) {
    const o = m.error
      ? `failed: ${m.error}`
      : descentOutcome(m.steps === null ? null : ({ steps: m.steps, converged: m.converged, diverged: m.diverged } as never)).text;
    lines.push(
      `${m.label.padEnd(34)} ${fmt(m.kappa).padStart(10)} ${fmt(m.maxStableLr).padStart(10)} ${fmt(m.lr).padStart(10)} ${fmt(m.trainCost).padStart(11)} ${fmt(m.testCost).padStart(11)}  ${o}`,
    );
  }
  return lines;
}

/** Writes the export to the --out files (JSON and/or the summary CSV) and the paths CSV to --paths. */
export function writeNormalizeExports(doc: NormalizeLabExport, out: Partial<Record<'json' | 'csv', string>>, paths: string | undefined): string[] {
  const written: string[] = [];
  if (out.json) {
    writeFileSync(out.json, normalizeExportJsonText(doc));
    written.push(out.json);
  }
  if (out.csv) {
    writeFileSync(out.csv, normalizeSummaryCsv(doc));
    written.push(out.csv);
  }
  if (paths) {
    writeFileSync(paths, normalizePathsCsv(doc));
    written.push(paths);
  }
  return written;
}
