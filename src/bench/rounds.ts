// Several rounds of the benchmark in one process. Each ratio is taken within one round (paired: both sides
// measured minutes apart, under the same load of a shared machine), then reported as the median and the
// min–max over rounds; the targets are checked on the medians.
import { median, ratio } from './bench-math';
import { checkTargets, type BenchSummary, type SummaryLine, type TargetCheck } from './summary';
import type { BenchRow } from './runner';

/** Median and range of the finite values of a list; `n` counts them (NaN everywhere when none is finite). */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** One quantity per round (NaN where a round did not measure it) and its spread. */
export interface PerRound {
  values: number[];
  spread: Spread;
}

/** Median (mean of the middle two for an even count), min and max of the finite values; NaN, Inf are left out. */
export function spread(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/** a[i] / b[i] for each round i (NaN where either side is missing or not positive). Both lists have one entry per round. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`paired ratios need one value per round on each side, got ${a.length} and ${b.length}`);
  return a.map((x, i) => ratio(x, b[i]));
}

/** The per-round list and its spread. */
export function perRound(values: readonly number[]): PerRound {
  return { values: [...values], spread: spread(values) };
}

/** The ratios of a summary line that are taken within a round. */
export type LineRatio = 'oursOverOther' | 'tiledOverOther' | 'oursOverRoof' | 'oursOverBaseline';
const LINE_RATIOS: readonly LineRatio[] = ['oursOverOther', 'tiledOverOther', 'oursOverRoof', 'oursOverBaseline'];

/** One line of the comparison table over all rounds. */
export interface RoundsLine {
  kernel: SummaryLine['kernel'];
  shape: string;
  metric: SummaryLine['metric'];
  otherName?: string;
  /** Our rate per round, and the best matmul variant of each round. */
  ours: PerRound;
  best: (string | undefined)[];
  other: PerRound;
  /** Only the ratios this line has in some round. */
  ratios: Partial<Record<LineRatio, PerRound>>;
}

/**
 * A target checked on the median of its per-round ratios, with their range. The training row's target
 * (kernel 'training', ratio 'trainingOverMatmul') is defined here, beside summary.ts's TargetCheck.
 */
export interface RoundsTarget extends Omit<TargetCheck, 'kernel' | 'ratio'> {
  kernel: TargetCheck['kernel'] | 'training';
  ratio: TargetCheck['ratio'] | 'trainingOverMatmul';
  min: number;
  max: number;
  /** Rounds with a value. */
  n: number;
}

/** Everything `npm run bench --rounds N` reports. */
export interface RoundsSummary {
  rounds: number;
  fmaRoof: PerRound;
  lines: RoundsLine[];
  /** Depth sweep GFLOP/s over the same round's best 256³ matmul GFLOP/s (absent without a sweep). */
  sweepOverMatmul?: PerRound;
  /** Training row GFLOP/s over the same round's best matmul GFLOP/s at `trainingReference` (absent without a training row). */
  trainingOverMatmul?: PerRound;
  /** The matmul case the training row is compared with ('256×256×256' in the quick and full presets). */
  trainingReference?: string;
  targets: RoundsTarget[];
}

/** The shape whose matmul rate the depth sweep is compared with. */
export const SWEEP_REFERENCE_SHAPE = '256×256×256';
/** Depth sweep target: at least this share of the 256³ matmul rate of the same run. */
export const SWEEP_GOAL = 0.8;

/** Training row target: at least this share of the same round's 256³ matmul rate (FLOP-weighted: GFLOP/s over GFLOP/s). */
export const TRAINING_GOAL = 0.7;

/** The training rows of the rounds: GFLOP/s per round and the matmul case they are compared with. */
export interface TrainingRounds {
  gflops: readonly number[];
  /** A matmul case name of the plan (`BenchPlan.trainingReference`). */
  reference: string;
}

/**
 * Combines the summaries of N rounds (same plan): lines matched by kernel and shape, each ratio kept per
 * round and spread; `rows` (any round's) tell which size is the biggest for the targets; `sweepGflops`,
 * one per round, adds the depth sweep's ratio to that round's best 256³ matmul; `training`, one GFLOP/s
 * per round, adds the training row's ratio to that round's best matmul at `training.reference`.
 */
export function combineRounds(
  summaries: readonly Pick<BenchSummary, 'fmaRoof' | 'lines'>[],
  rows: readonly Pick<BenchRow, 'group' | 'shape' | 'floats'>[],
  sweepGflops?: readonly number[],
  training?: TrainingRounds,
): RoundsSummary {
  const n = summaries.length;
  if (n === 0) throw new Error('combineRounds needs at least one round');
  const keys: { kernel: SummaryLine['kernel']; shape: string }[] = [];
  for (const s of summaries)
    for (const l of s.lines) if (!keys.some((k) => k.kernel === l.kernel && k.shape === l.shape)) keys.push({ kernel: l.kernel, shape: l.shape });
  const lines: RoundsLine[] = keys.map(({ kernel, shape }) => {
    const per = summaries.map((s) => s.lines.find((l) => l.kernel === kernel && l.shape === shape));
    const first = per.find((l) => l)!;
    const ratios: Partial<Record<LineRatio, PerRound>> = {};
    for (const r of LINE_RATIOS) if (per.some((l) => l?.[r] !== undefined)) ratios[r] = perRound(per.map((l) => l?.[r] ?? NaN));
    return {
      kernel,
      shape,
      metric: first.metric,
      otherName: first.otherName,
      ours: perRound(per.map((l) => l?.ours ?? NaN)),
      best: per.map((l) => l?.best),
      other: perRound(per.map((l) => l?.other ?? NaN)),
      ratios,
    };
  });
  const medianLines: SummaryLine[] = lines.map((l) => ({
    kernel: l.kernel,
    shape: l.shape,
    metric: l.metric,
    ours: l.ours.spread.median,
    oursOverOther: l.ratios.oursOverOther?.spread.median ?? NaN,
    oursOverRoof: l.ratios.oursOverRoof?.spread.median ?? NaN,
    oursOverBaseline: l.ratios.oursOverBaseline?.spread.median,
  }));
  const targets: RoundsTarget[] = checkTargets(medianLines, rows).map((t) => {
    const s = lines.find((l) => l.kernel === t.kernel && l.shape === t.shape)!.ratios[t.ratio as LineRatio]!.spread;
    return { ...t, min: s.min, max: s.max, n: s.n };
  });
  let sweepOverMatmul: PerRound | undefined;
  if (sweepGflops) {
    if (sweepGflops.length !== n) throw new Error(`one depth sweep per round: ${n} rounds, ${sweepGflops.length} sweeps`);
    const mm = summaries.map((s) => s.lines.find((l) => l.kernel === 'matmul' && l.shape === SWEEP_REFERENCE_SHAPE)?.ours ?? NaN);
    sweepOverMatmul = perRound(pairedRatios(sweepGflops, mm));
    const s = sweepOverMatmul.spread;
    if (s.n > 0) {
      targets.push({
        target: `depth sweep: GFLOP/s / ${SWEEP_REFERENCE_SHAPE} matmul ≥ ${SWEEP_GOAL * 100}%`,
        kernel: 'sweep',
        shape: SWEEP_REFERENCE_SHAPE,
        ratio: 'sweepOverMatmul',
        value: s.median,
        goal: SWEEP_GOAL,
        met: s.median >= SWEEP_GOAL,
        min: s.min,
        max: s.max,
        n: s.n,
      });
    }
  }
  let trainingOverMatmul: PerRound | undefined;
  if (training) {
    if (training.gflops.length !== n) throw new Error(`one training row per round: ${n} rounds, ${training.gflops.length} training rows`);
    const mm = summaries.map((s) => s.lines.find((l) => l.kernel === 'matmul' && l.shape === training.reference)?.ours ?? NaN);
    trainingOverMatmul = perRound(pairedRatios(training.gflops, mm));
    const s = trainingOverMatmul.spread;
    if (s.n > 0) {
      targets.push({
        target: `training (SGD): GFLOP/s / ${training.reference} matmul ≥ ${TRAINING_GOAL * 100}%`,
        kernel: 'training',
        shape: training.reference,
        ratio: 'trainingOverMatmul',
        value: s.median,
        goal: TRAINING_GOAL,
        met: s.median >= TRAINING_GOAL,
        min: s.min,
        max: s.max,
        n: s.n,
      });
    }
  }
  return {
    rounds: n,
    fmaRoof: perRound(summaries.map((s) => s.fmaRoof)),
    lines,
    sweepOverMatmul,
    ...(training ? { trainingOverMatmul, trainingReference: training.reference } : {}),
    targets,
  };
}

/**
 * One row per measured row of the rounds (matched by group, implementation and shape, in first-seen
 * order), its rate and time the median over the rounds, verified only if every round's was. FMA roof rows
 * (one per point in the run) collapse into one.
 */
export function medianRows(rounds: readonly (readonly BenchRow[])[]): BenchRow[] {
  const key = (r: BenchRow) => (r.impl === 'FMA roof' ? 'FMA roof' : `${r.group}|${r.impl}|${r.shape}`);
  const groups = new Map<string, BenchRow[]>();
  for (const rows of rounds) for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups.values()].map((g) => ({
    ...g[0],
    rate: median(g.map((r) => r.rate)),
    ms: median(g.map((r) => r.ms)),
    samples: g.reduce((s, r) => s + r.samples, 0),
    verification: g.find((r) => !r.verification.ok)?.verification ?? g[0].verification,
  }));
}
