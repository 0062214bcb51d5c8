// `gradient-playground sweep`: a Depth-lab sweep from the command line. Options are the lab's URL
// parameters, read by the lab's own decodeState and form parser (same validation and limits as a link
// or the form); the result is the lab's own export (JSON or long-format CSV).
import { writeFileSync } from 'node:fs';
import type { GpuContext } from '../gpu/context';
import { checkMemory, draftFromState, parseDraft } from '../labs/depth/form';
import { exportCsv, exportJsonText, makeDepthLabExport, type DepthLabExport, type SweepOutcome } from '../labs/depth/export';
import { runSweep, type Sweep, type SweepResult } from '../labs/depth/sweep';
import { formatSweepValues, defaultSweep, makeSweepGrid, SWEEP_KINDS, type SweepKind } from '../labs/depth/sweep-grid';
import { CONFIG_PARAMS, decodeState, encodeState, type ExperimentState } from '../labs/depth/url-state';
import { INIT_SCHEMES, INPUT_KINDS, CONFIG_LIMITS } from '../labs/depth/config';
import { ACTIVATIONS } from '../kernels/activations';
import { UsageError, type CommandSpec, type Values } from './args';
import { startProgress } from './progress';
import { PHASE_SWEEP_KIND } from '../labs/depth/phase-map-view/url-state';

/** The URL parameters a sweep takes, each also an option (`--depth 32` ≡ `depth=32`). */
export const SWEEP_PARAMS = ['depth', 'width', 'batch', 'act', 'init', 'gain', 'seed', 'input', 'sweep', 'values'] as const;

const L = CONFIG_LIMITS;
export const SWEEP_COMMAND: CommandSpec = {
  name: 'sweep',
  short: 'a Depth-lab sweep (depth, gain or init per row) on the GPU',
  summary:
    "Runs a Depth-lab sweep (a deep net per row, forward and backward, per-layer norms) on the GPU. The options are the lab's URL parameters: " +
    "a link's query and a command line say the same thing, and are checked by the same code.",
  options: {
    depth: { type: 'string', arg: 'L', help: `layers L, ${L.depth.min}..${L.depth.max} (a depth sweep uses its deepest value)` },
    width: { type: 'string', arg: 'N', help: `width n, ${L.width.min}..${L.width.max}` },
    batch: { type: 'string', arg: 'M', help: `batch m, ${L.batch.min}..${L.batch.max}` },
    act: { type: 'string', arg: 'NAME', help: `activation: ${ACTIVATIONS.join(', ')}` },
    init: { type: 'string', arg: 'NAME', help: `weight init: ${INIT_SCHEMES.join(', ')}` },
    gain: { type: 'string', arg: 'X', help: `multiplies every weight, ${L.gain.min}..${L.gain.max}` },
    seed: { type: 'string', arg: 'S', help: `seed of the weights and input, ${L.seed.min}..${L.seed.max}` },
    input: { type: 'string', arg: 'KIND', help: `input batch: ${INPUT_KINDS.join(', ')}` },
    sweep: {
      type: 'string',
      arg: 'KIND',
      help: `what varies per row: ${SWEEP_KINDS.join(', ')} (default depth), or ${PHASE_SWEEP_KIND} for the phase map (a grid of --gains × --depths)`,
    },
    values: {
      type: 'string',
      arg: 'LIST',
      help: "the swept values: depths '1..128', '1..100:3,200'; gains '0.5,1,1.5'; inits 'xavier-normal,he-normal' (default: the lab's list for that kind)",
    },
    gains: { type: 'string', arg: 'LIST', help: `${PHASE_SWEEP_KIND} only: the map's gains, e.g. '0.5..2:0.0625' (default 0.5..2 in 25 steps)` },
    depths: { type: 'string', arg: 'LIST', help: `${PHASE_SWEEP_KIND} only: the map's depths, e.g. '1..100' (default 1..100)` },
    out: {
      type: 'string',
      multiple: true,
      arg: 'FILE',
      help: "write the lab's export: FILE.json (every value, prediction, timing) and/or FILE.csv (one line per row × layer × quantity); give --out twice for both",
    },
    timing: { type: 'boolean', default: false, help: 'time every pass with timestamp queries (recorded in the JSON rows)' },
  },
  notes: [
    "Without --out, one line per row is printed on stdout. The JSON and CSV are the Depth lab's export formats (the app's JSON and CSV buttons write the same).",
    `--sweep ${PHASE_SWEEP_KIND} runs one net of the deepest depth per gain and writes the phase map export: log10 of the forward ratio ‖a[L]‖/‖a[0]‖ and the backward ratio ‖∂J/∂a[1]‖/‖∂J/∂a[L]‖ per gain × depth, with statuses, the predicted critical gain and the measured crossing per depth (without --out: the crossings per depth).`,
  ],
  examples: [
    'gradient-playground sweep --depth 64 --width 64 --batch 32 --init identity --gain 1.5 --out identity-1.5.json',
    'gradient-playground sweep --sweep gain --values 0.5,1,1.5,2 --depth 50 --init xavier-normal --act tanh --out gains.csv',
    'gradient-playground sweep --sweep init --values identity,normal,xavier-normal,he-normal --act relu --depth 100',
    'gradient-playground sweep --sweep gain-depth --gains 0.5..2:0.0625 --depths 1..100 --init he-normal --act relu --width 64 --out phase.json',
  ],
};

/** The option name of a URL parameter or a form field (`activation` → `act`). */
function optionName(field: string): string {
  return (CONFIG_PARAMS as Record<string, string>)[field] ?? field;
}

// A decodeState message says which default it fell back to; on a command line nothing falls back.
const stripFallback = (m: string) => m.replace(/;? ?(using the default|using the lesson|ignored\b).*$/, '').replace(/[;,] $/, '');

/**
 * The experiment the options describe, through the lab's own readers: decodeState (the link's rules) and
 * then the form's parser (which also sets a depth sweep's base depth to its deepest value, as the app does).
 * Throws a UsageError naming every bad option, in one line.
 */
export function sweepStateFromOptions(values: Values): ExperimentState {
  const params = new URLSearchParams();
  params.set('v', '1');
  for (const p of SWEEP_PARAMS) {
    const v = values[p];
    if (typeof v === 'string') params.set(p, v);
  }
  // A kind without values takes that kind's default list (a link must spell both; a command line need not).
  const kind = values.sweep;
  if (typeof kind === 'string' && values.values === undefined && (SWEEP_KINDS as readonly string[]).includes(kind)) {
    params.set('values', formatSweepValues(defaultSweep(kind as SweepKind)));
  }
  const { state, problems } = decodeState(params);
  if (problems.length) throw new UsageError(problems.map((p) => `--${p.param} ${stripFallback(p.message)}`).join('; '));
  const parsed = parseDraft(draftFromState(state));
  const bad = Object.entries(parsed.problems);
  if (!parsed.state || bad.length) throw new UsageError(bad.map(([f, m]) => `--${optionName(f)} ${m}`).join('; ') || 'the options do not describe a sweep');
  return parsed.state;
}

const fmt = (v: number) =>
  Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(+v.toPrecision(4))) : String(v);

/** One line per row for the terminal: loss, ‖a‖ at the last layer and ‖∂J/∂W‖ at the first. */
export function sweepSummaryLines(doc: DepthLabExport): string[] {
  const lines = [`${'row'.padEnd(24)} ${'loss'.padStart(11)} ${'‖a[L]‖'.padStart(11)} ${'‖∂J/∂W[1]‖'.padStart(11)}  prediction`];
  for (const r of doc.rows) {
    const last = (q: 'actNorm' | 'gradWNorm', i: number) => `${fmt(Number(r.layers[q][i]))}${r.status[q][i] === 'finite' ? '' : ` (${r.status[q][i]})`}`;
    const v = r.prediction.verdict ? r.prediction.verdict.verdict : 'no closed form';
    lines.push(
      `${r.label.padEnd(24)} ${fmt(Number(r.loss)).padStart(11)} ${last('actNorm', r.config.depth - 1).padStart(11)} ${last('gradWNorm', 0).padStart(11)}  ${v}`,
    );
  }
  return lines;
}

/** Runs the sweep of `state` on `gpu`; returns the export document (also for a cancelled or failed run). */
export async function runSweepExport(
  gpu: GpuContext,
  state: ExperimentState,
  options: { signal?: AbortSignal; timing?: boolean; progress?: boolean } = {},
): Promise<{ doc: DepthLabExport; error: unknown }> {
  const sweep: Sweep = { base: state.config, spec: state.sweep };
  const query = encodeState(state);
  const results: SweepResult[] = [];
  const total = makeSweepGrid(sweep.base, sweep.spec).length;
  const bar = startProgress('sweep', total, { force: options.progress ?? false });
  const t0 = performance.now();
  let outcome: SweepOutcome = 'complete';
  let error: unknown = null;
  try {
    for await (const r of runSweep(gpu, sweep, {
      signal: options.signal,
      timing: options.timing && gpu.hasTimestamps,
      onProgress: (p) => bar.update(p.done, p.remainingMs, p.row.label),
    })) {
      results.push(r);
    }
  } catch (err) {
    outcome = options.signal?.aborted ? 'cancelled' : 'error';
    error = options.signal?.aborted ? null : err;
  } finally {
    bar.stop();
  }
  const wallMs = performance.now() - t0;
  const doc = makeDepthLabExport({ sweep, results, device: gpu.summary, outcome, rowsTotal: total, wallMs, query });
  return { doc, error };
}

/** The checks that need the device: the biggest row's buffers against its limits (as the app's Run button). */
export function checkSweepFits(state: ExperimentState, gpu: GpuContext): string | null {
  return checkMemory(state, gpu.summary.limits).refuse;
}

/** Writes `doc` to the --out files (JSON and/or CSV); returns their names. */
export function writeSweepExports(files: Partial<Record<'json' | 'csv', string>>, doc: DepthLabExport): string[] {
  if (files.json) writeFileSync(files.json, exportJsonText(doc));
  if (files.csv) writeFileSync(files.csv, exportCsv(doc));
  return [files.json, files.csv].filter((f): f is string => !!f);
}
