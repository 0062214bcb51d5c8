// `gradient-playground sweep --sweep gain-depth --gains … --depths …`: the Depth lab's gain × depth phase map
// from the command line. The options are the link's parameters (read by the lab's decodePhaseMapState, same
// checks and messages); the result is the app's phase map export (JSON and/or long CSV).
import { writeFileSync } from 'node:fs';
import type { GpuContext } from '../gpu/context';
import { checkMemory } from '../labs/depth/form';
import { phaseMapSweep } from '../labs/depth/phase-map';
import { makePhaseMapExport, phaseMapCsv, phaseMapJsonText, type PhaseMapExport } from '../labs/depth/phase-map-view/export';
import { decodePhaseMapState, encodePhaseMapState, PHASE_SWEEP_KIND, type PhaseMapState } from '../labs/depth/phase-map-view/url-state';
import type { SweepOutcome } from '../labs/depth/export';
import { runSweep } from '../labs/depth/sweep';
import type { DeepNetResult } from '../labs/depth/types';
import { UsageError, type Values } from './args';
import { startProgress } from './progress';

/** The lab's parameters a phase map takes from the sweep command (its depth and gain come from the grid). */
const BASE_PARAMS = ['width', 'batch', 'act', 'init', 'seed', 'input'] as const;

const stripFallback = (m: string) => m.replace(/;? ?(using the default|using the lesson|ignored\b).*$/, '').replace(/[;,] $/, '');

/** Is this command line a phase map (`--sweep gain-depth`)? */
export const isPhaseMapCommand = (values: Values) => values.sweep === PHASE_SWEEP_KIND;

/** The phase map the options describe; a UsageError naming every bad or misplaced option, in one line. */
export function phaseMapStateFromOptions(values: Values): PhaseMapState {
  const misplaced = (['depth', 'gain', 'values'] as const).filter((o) => values[o] !== undefined);
  if (misplaced.length) {
    throw new UsageError(
      `${misplaced.map((o) => `--${o}`).join(', ')} ${misplaced.length > 1 ? 'are' : 'is'} not used by --sweep ${PHASE_SWEEP_KIND}: give the grid as --gains LIST and --depths LIST`,
    );
  }
  const params = new URLSearchParams();
  params.set('v', '1');
  for (const p of BASE_PARAMS) if (typeof values[p] === 'string') params.set(p, values[p] as string);
  params.set('sweep', PHASE_SWEEP_KIND);
  for (const p of ['gains', 'depths'] as const) if (typeof values[p] === 'string') params.set(p, values[p] as string);
  const { state, problems } = decodePhaseMapState(params);
  if (problems.length) throw new UsageError(problems.map((p) => `--${p.param} ${stripFallback(p.message)}`).join('; '));
  return state;
}

/** The options a phase map alone takes, refused on other sweeps. */
export function checkNotPhaseMapOptions(values: Values): void {
  const extra = (['gains', 'depths'] as const).filter((o) => values[o] !== undefined);
  if (extra.length)
    throw new UsageError(
      `${extra.map((o) => `--${o}`).join(', ')} belong${extra.length > 1 ? '' : 's'} to --sweep ${PHASE_SWEEP_KIND}; other sweeps take --values`,
    );
}

/** The deepest net of the map against the device's buffer limits (as the app's Run button); a message or null. */
export function checkPhaseMapFits(state: PhaseMapState, gpu: GpuContext): string | null {
  const sweep = phaseMapSweep(state.base.config, state.spec);
  return checkMemory({ config: sweep.base, sweep: sweep.spec }, gpu.summary.limits).refuse;
}

/** Runs the map on `gpu` (one run of the deepest net per gain); the export document, also when cancelled or failed. */
export async function runPhaseMapExport(
  gpu: GpuContext,
  state: PhaseMapState,
  options: { signal?: AbortSignal; progress?: boolean } = {},
): Promise<{ doc: PhaseMapExport; error: unknown }> {
  const sweep = phaseMapSweep(state.base.config, state.spec);
  const runs: DeepNetResult[] = [];
  const bar = startProgress('gain-depth', state.spec.gains.length, { force: options.progress ?? false });
  const t0 = performance.now();
  let outcome: SweepOutcome = 'complete';
  let error: unknown = null;
  try {
    for await (const r of runSweep(gpu, sweep, { signal: options.signal, onProgress: (p) => bar.update(p.done, p.remainingMs, p.row.label) })) runs.push(r.run);
  } catch (err) {
    outcome = options.signal?.aborted ? 'cancelled' : 'error';
    error = options.signal?.aborted ? null : err;
  } finally {
    bar.stop();
  }
  const doc = makePhaseMapExport({
    config: state.base.config,
    spec: state.spec,
    runs,
    outcome,
    device: gpu.summary,
    wallMs: performance.now() - t0,
    query: encodePhaseMapState(state),
  });
  return { doc, error };
}

const fmt = (v: number | null) => (v === null ? '—' : String(+v.toPrecision(4)));

/** For the terminal: the predicted critical gain, then per depth the measured crossing of each ratio. */
export function phaseMapSummaryLines(doc: PhaseMapExport): string[] {
  const lines = [
    `predicted critical gain: ${fmt(doc.forward.predictedGain)} (${doc.config.init}, ${doc.config.activation}, n = ${doc.config.width})`,
    `${'depth'.padStart(5)} ${'forward crossing'.padStart(17)} ${'backward crossing'.padStart(18)}`,
  ];
  doc.depths.forEach((d, i) =>
    lines.push(`${String(d).padStart(5)} ${fmt(doc.forward.measuredGain[i]).padStart(17)} ${fmt(doc.backward.measuredGain[i]).padStart(18)}`),
  );
  return lines;
}

/** Writes `doc` to the --out files; returns their names. */
export function writePhaseMapExports(files: Partial<Record<'json' | 'csv', string>>, doc: PhaseMapExport): string[] {
  if (files.json) writeFileSync(files.json, phaseMapJsonText(doc));
  if (files.csv) writeFileSync(files.csv, phaseMapCsv(doc));
  return [files.json, files.csv].filter((f): f is string => !!f);
}
