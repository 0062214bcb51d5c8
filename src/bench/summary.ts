// The comparison table from benchmark rows: ours vs tfjs, vs the copy roof, vs the FMA roof,
// and the targets (SwiftShader on 2 CPU cores, ratios within one run).
import { fmaRoofOf, ratio } from './bench-math';
import type { BenchRow } from './runner';

/** One line of the comparison table. */
export interface SummaryLine {
  kernel: 'matmul' | 'moments' | 'norms';
  shape: string;
  /** Our best variant's rate and name (matmul), or our kernel's rate. */
  ours: number;
  best?: string;
  /** The plain tiled matmul's rate. */
  tiled?: number;
  /** The other library's rate (tfjs), when measured. */
  other?: number;
  otherName?: string;
  /** Plain baseline (norms: two-pass Σx²). */
  baseline?: number;
  oursOverOther: number;
  tiledOverOther?: number;
  /** matmul: share of the FMA roof; moments / norms: ratio to the copy kernel's GB/s at the same size. */
  oursOverRoof: number;
  oursOverBaseline?: number;
  metric: 'GFLOP/s' | 'GB/s';
}

/** A target (docs/benchmarks.md lists them) and whether this run meets it. */
export interface TargetCheck {
  target: string;
  /** The summary line and the ratio of it that the target checks ('sweep' for the depth sweep's). */
  kernel: SummaryLine['kernel'] | 'sweep';
  shape: string;
  ratio: 'oursOverOther' | 'oursOverRoof' | 'oursOverBaseline' | 'sweepOverMatmul';
  value: number;
  goal: number;
  met: boolean;
}

/** Comparison lines and the roofs they use. */
export interface BenchSummary {
  fmaRoof: number;
  copyRoof: Map<number, number>;
  lines: SummaryLine[];
  targets: TargetCheck[];
  /** Every row passed its float64 check. */
  allVerified: boolean;
  failed: BenchRow[];
}

/** Builds the comparison table from a run's rows. */
export function summarize(rows: readonly BenchRow[]): BenchSummary {
  // The roof is measured at the start, between the matmul cases and at the end of a run; the speed of a
  // shared machine drifts, so the median of those that passed their check (as every row is a median).
  const fmaRoof = fmaRoofOf(rows);
  const copyRoof = new Map(rows.filter((r) => r.impl.startsWith('copy')).map((r) => [r.floats!, r.rate]));
  const lines: SummaryLine[] = [];
  const shapes = (group: string) => [...new Set(rows.filter((r) => r.group === group).map((r) => r.shape))];
  for (const shape of shapes('matmul')) {
    const here = rows.filter((r) => r.group === 'matmul' && r.shape === shape);
    const ours = here.filter((r) => r.ours);
    if (ours.length === 0) continue;
    const best = ours.reduce((x, y) => (y.rate > x.rate ? y : x));
    const tiled = ours.find((r) => r.variant === 'tiled');
    const other = here.find((r) => !r.ours);
    lines.push({
      kernel: 'matmul',
      shape,
      metric: 'GFLOP/s',
      ours: best.rate,
      best: best.variant,
      tiled: tiled?.rate,
      other: other?.rate,
      otherName: other?.impl,
      oursOverOther: ratio(best.rate, other?.rate ?? NaN),
      tiledOverOther: tiled ? ratio(tiled.rate, other?.rate ?? NaN) : undefined,
      oursOverRoof: ratio(best.rate, fmaRoof),
    });
  }
  for (const kernel of ['moments', 'norms'] as const) {
    for (const shape of shapes(kernel)) {
      const here = rows.filter((r) => r.group === kernel && r.shape === shape);
      const ours = here.find((r) => r.ours);
      if (!ours) continue;
      const other = here.find((r) => !r.ours && !r.impl.startsWith('two-pass'));
      const baseline = here.find((r) => r.impl.startsWith('two-pass'));
      lines.push({
        kernel,
        shape,
        metric: 'GB/s',
        ours: ours.rate,
        other: other?.rate,
        otherName: other?.impl,
        baseline: baseline?.rate,
        oursOverOther: ratio(ours.rate, other?.rate ?? NaN),
        oursOverRoof: ratio(ours.rate, copyRoof.get(ours.floats!) ?? NaN),
        oursOverBaseline: baseline ? ratio(ours.rate, baseline.rate) : undefined,
      });
    }
  }
  const failed = rows.filter((r) => !r.verification.ok);
  return { fmaRoof, copyRoof, lines, targets: checkTargets(lines, rows), allVerified: failed.length === 0, failed };
}

/**
 * The targets met or missed by `lines` (one run's, or the medians of several rounds'); `rows` says which
 * float count is the biggest (the moments targets are at that size).
 */
export function checkTargets(lines: readonly SummaryLine[], rows: readonly Pick<BenchRow, 'group' | 'shape' | 'floats'>[]): TargetCheck[] {
  const targets: TargetCheck[] = [];
  const add = (l: SummaryLine, ratio: 'oursOverOther' | 'oursOverRoof' | 'oursOverBaseline', target: string, goal: number) => {
    const value = l[ratio];
    if (value !== undefined && Number.isFinite(value)) targets.push({ target, kernel: l.kernel, shape: l.shape, ratio, value, goal, met: value >= goal });
  };
  for (const l of lines) {
    if (l.kernel === 'matmul' && /^(256|512|1024)×|^batched/.test(l.shape)) {
      add(l, 'oursOverOther', `matmul ${l.shape}: ours / tf.matMul ≥ 8×`, 8);
      add(l, 'oursOverRoof', `matmul ${l.shape}: ours / FMA roof ≥ 50%`, 0.5);
    }
  }
  const biggest = Math.max(...rows.filter((r) => r.floats).map((r) => r.floats!));
  for (const l of lines) {
    const atBiggest = rows.some((r) => r.group === l.kernel && r.shape === l.shape && r.floats === biggest);
    if (l.kernel === 'moments' && atBiggest) {
      add(l, 'oursOverOther', `moments ${l.shape}: ours / tf.moments ≥ 15×`, 15);
      add(l, 'oursOverRoof', `moments ${l.shape}: ours / copy ≥ 1.0×`, 1);
    }
    if (l.kernel === 'norms') add(l, 'oursOverBaseline', `norms ${l.shape}: ours / two-pass Σx² ≥ 30×`, 30);
  }
  return targets;
}
