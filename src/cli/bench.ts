// `gradient-playground bench`: the benchmark of src/bench in Node on Dawn — the same plan, rounds, paired
// ratios, targets, float64 checks and roofline as `npm run bench` in headless Chromium, minus the tf.js rows
// (tfjs-backend-webgpu needs a browser's navigator.gpu and canvas; it is not run here, and the report says so).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GpuContext } from '../gpu/context';
import { autotuneMatmul } from '../kernels/autotune';
import { BENCH_PRESETS, makeBenchPlan, type BenchPreset } from '../bench/cases';
import { combineRounds, medianRows } from '../bench/rounds';
import { makeRoofline, rooflineSvg } from '../bench/roofline';
import { BENCH_PARTS, countRows, runBench, type BenchPart, type BenchRow } from '../bench/runner';
import { summarize } from '../bench/summary';
import { benchSweep, type SweepBenchResult } from '../bench/sweep-bench';
import { benchTraining, type TrainingBenchResult } from '../bench/training-bench';
import { printBenchReport } from '../../scripts/bench-report.mjs';
import { intOption, UsageError, type CommandSpec, type Values } from './args';
import { startProgress } from './progress';

/** What the report and the JSON call this runtime (`headless Chromium` for scripts/bench.mjs). */
export const NODE_RUNTIME = 'Node (Dawn)';
/** Why the tf.js comparison rows are missing in Node. */
export const NO_TF_NOTE =
  'tf.js rows: not run in Node (tfjs-backend-webgpu needs a browser); the "ours/tfjs" ratios and their targets need `npm run bench` in headless Chromium.';
export const MAX_ROUNDS = 20;

export const BENCH_COMMAND: CommandSpec = {
  name: 'bench',
  short: 'the kernel benchmark with rounds and a roofline, in Node (Dawn)',
  summary:
    "Runs the kernel benchmark (src/bench: FMA and copy roofs, matmul variants, moments, norms, the training row, the Depth lab's depth sweep) in Node on Dawn, " +
    'every row checked against float64, --rounds times interleaved; ratios are paired within a round and reported as median (min–max).',
  options: {
    preset: { type: 'string', default: 'full', arg: BENCH_PRESETS.join('|'), help: 'problem sizes' },
    rounds: { type: 'string', arg: 'N', help: `rounds, 1..${MAX_ROUNDS} (default 3 for full, 1 for tiny and quick)` },
    only: { type: 'string', default: BENCH_PARTS.join(','), arg: 'LIST', help: 'run only these parts of the table' },
    'sweep-max-depth': { type: 'string', default: '128', arg: 'L', help: 'depth sweep L = 1..this' },
    'sweep-width': { type: 'string', default: '256', arg: 'N', help: "depth sweep's width n" },
    'sweep-batch': { type: 'string', default: '128', arg: 'M', help: "depth sweep's batch m" },
    'no-sweep': { type: 'boolean', default: false, help: 'leave out the depth sweep' },
    'no-training': {
      type: 'boolean',
      default: false,
      help: 'leave out the training row (SGD steps of a deep net; full preset: depth 20, n = 256, m = 128, 100 steps)',
    },
    'no-autotune': { type: 'boolean', default: false, help: 'leave out the matmul autotune ("ours: auto" then uses the default variant)' },
    out: { type: 'string', default: 'bench-results/bench.json', arg: 'FILE', help: 'the JSON (every round recorded); roofline.svg goes beside it' },
  },
  notes: [NO_TF_NOTE, 'The same run from npm: npm run bench -- --node [--adapter default] [options].'],
  examples: ['gradient-playground bench --preset tiny --no-sweep', 'gradient-playground bench --rounds 3 --adapter default --out gpu-server/bench.json'],
};

/** The bench's settings, checked (UsageError for anything bad). */
export interface BenchSettings {
  preset: BenchPreset;
  rounds: number;
  only: BenchPart[];
  sweep: { maxDepth: number; width: number; batch: number } | null;
  /** Run the plan's training row each round. */
  training: boolean;
  autotune: boolean;
  out: string;
}

export function benchSettingsFromOptions(values: Values): BenchSettings {
  const preset = String(values.preset);
  if (!(BENCH_PRESETS as readonly string[]).includes(preset))
    throw new UsageError(`--preset must be one of ${BENCH_PRESETS.join(', ')}, got ${JSON.stringify(preset)}`);
  const rounds = intOption('rounds', values.rounds ?? (preset === 'full' ? '3' : '1'), 1, MAX_ROUNDS);
  const only = String(values.only)
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of only)
    if (!(BENCH_PARTS as readonly string[]).includes(p)) throw new UsageError(`--only: unknown part '${p}'; choose from ${BENCH_PARTS.join(', ')}`);
  if (only.length === 0) throw new UsageError(`--only is empty; choose from ${BENCH_PARTS.join(', ')}`);
  const sweep = values['no-sweep']
    ? null
    : {
        maxDepth: intOption('sweep-max-depth', values['sweep-max-depth'], 1, 1000),
        width: intOption('sweep-width', values['sweep-width'], 1, 1024),
        batch: intOption('sweep-batch', values['sweep-batch'], 1, 4096),
      };
  return {
    preset: preset as BenchPreset,
    rounds,
    only: only as BenchPart[],
    sweep,
    training: !values['no-training'],
    autotune: !values['no-autotune'],
    out: String(values.out),
  };
}

/** Runs the bench on `gpu`, prints the report on stdout, writes the JSON and the roofline SVG; true when every float64 check passed. */
export async function runBenchCommand(gpu: GpuContext, s: BenchSettings, options: { progress?: boolean; log?: (line: string) => void } = {}): Promise<boolean> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const t0 = performance.now();
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  let tuning = null;
  if (s.autotune && s.only.includes('matmul')) {
    const t = await autotuneMatmul(gpu, { store: 'memory' });
    tuning = { variant: t.variant, constants: t.constants, candidates: t.candidates, ms: performance.now() - t0 };
    log(`${elapsed()}: matmul autotune (${(tuning.ms / 1000).toFixed(1)} s) picked ${t.variant} ${JSON.stringify(t.constants)}; the "ours: auto" rows use it`);
  }
  const plan = makeBenchPlan(s.preset);
  const extra = (s.training ? 1 : 0) + (s.sweep ? 1 : 0);
  const perRound = countRows(plan, {}, s.only) + extra;
  const bar = startProgress('bench', perRound * s.rounds, { force: options.progress ?? false });
  const roundRows: BenchRow[][] = [];
  const sweeps: SweepBenchResult[] = [];
  const trainings: TrainingBenchResult[] = [];
  let done = 0;
  try {
    for (let round = 1; round <= s.rounds; round++) {
      // Interleaved: every row of round 1, then of round 2, …, so a slow spell of the machine hits all rows alike.
      const rows: BenchRow[] = [];
      const before = done;
      for await (const row of runBench(gpu, plan, {
        only: s.only,
        onProgress: (p) => {
          done = before + p.done;
          const spent = performance.now() - t0;
          bar.update(done, done > 0 ? (spent / done) * (perRound * s.rounds - done) : NaN, `round ${round}: ${p.current}`);
        },
      })) {
        rows.push(row);
      }
      done = before + perRound - extra;
      roundRows.push(rows);
      if (s.training) {
        const t = plan.training;
        bar.update(done, NaN, `round ${round}: training depth ${t.depth}, n = ${t.width}, m = ${t.batch}, ${t.steps} SGD steps`);
        trainings.push(await benchTraining(gpu, t));
        done++;
      }
      if (s.sweep) {
        bar.update(done, NaN, `round ${round}: depth sweep L = 1..${s.sweep.maxDepth}`);
        sweeps.push(await benchSweep(gpu, s.sweep));
        done++;
      }
    }
  } finally {
    bar.stop();
  }
  const a = gpu.summary;
  const adapter = `${a.vendor} / ${a.architecture}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
  const combined = combineRounds(
    roundRows.map((rows) => summarize(rows)),
    roundRows[0],
    sweeps.length ? sweeps.map((w) => w.gflops) : undefined,
    trainings.length ? { gflops: trainings.map((t) => t.gflops), reference: plan.trainingReference } : undefined,
  );
  const rows = medianRows(roundRows);
  const copies = rows.filter((r) => r.impl.startsWith('copy')).map((r) => r.rate);
  const roofline = makeRoofline(rows, { fma: combined.fmaRoof.spread.median, copy: copies.length ? Math.max(...copies) : NaN });
  const title = `Roofline, ${s.preset} preset, median of ${s.rounds} round${s.rounds > 1 ? 's' : ''} (${adapter}, ${NODE_RUNTIME})`;
  const doc = {
    date: new Date().toISOString(),
    runtime: NODE_RUNTIME,
    tfNote: NO_TF_NOTE,
    preset: s.preset,
    only: s.only,
    parts: BENCH_PARTS,
    rounds: s.rounds,
    preciseTimestamps: false,
    info: { adapter: gpu.summary, tfBackend: null, tfHasTimestamps: false },
    tuning,
    rows,
    summary: combined,
    roofline,
    perRound: roundRows.map((r, i) => ({ round: i + 1, rows: r, training: trainings[i] ?? null, sweep: sweeps[i] ?? null })),
    totalSeconds: (performance.now() - t0) / 1000,
  };
  const failed = printBenchReport(doc, {
    log: (...x: unknown[]) => console.log(...x),
    table: (d: unknown) => console.table(d),
    error: (...x: unknown[]) => console.error(...x),
  });
  console.log(`total ${elapsed()}`);
  mkdirSync(dirname(s.out), { recursive: true });
  writeFileSync(s.out, JSON.stringify(doc, null, 2));
  const svgOut = join(dirname(s.out), 'roofline.svg');
  writeFileSync(svgOut, rooflineSvg(roofline, { title }));
  console.log(`wrote ${s.out} and ${svgOut}`);
  return !failed;
}
