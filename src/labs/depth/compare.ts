import { msg, str } from '@lit/localize';
import { displayDomain, matchPreset } from './form';
import type { SweepResult } from './sweep';
import { formatSweepValues, type SweepSpec } from './sweep-grid';
import type { DeepNetConfig } from './config';
import { initName } from './init';
import { activationName } from '../activation-name';

/**
 * How the Depth lab's heatmap maps values to colours: `lesson` is one fixed log10 range for every run and
 * preset (so He + ReLU's 10¹…10⁴ looks calm next to W = 1.5·I's 10⁰…10³⁸), `auto` is the run's own range.
 */
export type ColorScale = 'lesson' | 'auto';

/** A log10 range (viz's LogDomain), and the part of a heatmap's data the range is taken from (viz's HeatmapData). */
export interface LogRange {
  min: number;
  max: number;
}
interface HeatmapValues {
  values: ArrayLike<number>;
  /** `CellStatus` codes, as `makeLabHeatmapData` builds them. */
  status: ArrayLike<number> | readonly string[];
}
export const COLOR_SCALES: readonly ColorScale[] = ['lesson', 'auto'];
export const DEFAULT_COLOR_SCALE: ColorScale = 'lesson';

/** The lesson scale: 10⁻⁴⁰…10⁴⁰, a little past f32's range (≈1.2e-38…3.4e38) on both sides. */
export const LESSON_DOMAIN: Readonly<LogRange> = Object.freeze({ min: -40, max: 40 });

export function isColorScale(s: string): s is ColorScale {
  return (COLOR_SCALES as readonly string[]).includes(s);
}

/** A finished run kept on screen to compare with the next one. */
export interface PinnedRun {
  /** Its settings in a few words, e.g. "He + ReLU (small): relu, he-normal × 1, n = 64, m = 16, depth 4..128:4". */
  label: string;
  /** The share-link query it was run from. */
  query: string;
  results: readonly SweepResult[];
  /** Heatmap columns (its deepest row's depth). */
  cols: number;
  /** What its rows sweep over (depth, gain or init). */
  kind: SweepSpec['kind'];
}

/** What a run needs to be pinned. */
export interface PinnableRun {
  sweep: { base: DeepNetConfig; spec: SweepSpec };
  query: string;
  results: readonly SweepResult[];
  cols: number;
  outcome: string;
}

/** A run can be pinned once it has ended (complete, or stopped with rows kept) and has at least one row. */
export function canPin(run: PinnableRun | null): boolean {
  return !!run && run.outcome !== 'running' && run.results.length > 0;
}

/**
 * The settings of a run in a few words, naming its preset (in the language shown) when it is one; the init and the
 * activation by their learner's names (`initName`, `activationName`), the other settings as identifiers.
 */
export function runLabel(base: DeepNetConfig, spec: SweepSpec): string {
  const m = matchPreset({ config: base, sweep: spec });
  const net = `${activationName(base.activation)}, ${initName(base.init)} × ${base.gain}, n = ${base.width}, m = ${base.batch}`;
  const sweep = `${spec.kind} ${formatSweepValues(spec)}`;
  const title = m ? (m.size === 'small' ? msg(str`${m.preset.title} (small)`) : m.preset.title) : null;
  return `${title ? `${title}: ` : ''}${net}, ${sweep}`;
}

/** Pins a finished run (a snapshot: later runs do not change it). Throws on a run that cannot be pinned. */
export function pinRun(run: PinnableRun): PinnedRun {
  if (!canPin(run)) throw new Error('Only a finished run with at least one row can be pinned.');
  return { label: runLabel(run.sweep.base, run.sweep.spec), query: run.query, results: [...run.results], cols: run.cols, kind: run.sweep.spec.kind };
}

/**
 * The colour range of the heatmaps: the lesson range, or under `auto` the current run's own range —
 * widened to cover the pinned run too, so both heatmaps share one scale. Null when nothing is finite.
 */
export function heatmapDomain(scale: ColorScale, current: HeatmapValues | null, pinned: HeatmapValues | null = null): LogRange | null {
  if (scale === 'lesson') return { ...LESSON_DOMAIN };
  const a = current ? displayDomain(current.values, current.status as ArrayLike<number>) : null;
  const b = pinned ? displayDomain(pinned.values, pinned.status as ArrayLike<number>) : null;
  if (a && b) return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
  return a ?? b;
}

/**
 * The pinned run's row to draw next to the current selected row: the one with the same label (same depth,
 * init, …) if there is one, else the same index, else the last row.
 */
export function pinnedRowFor(pinned: PinnedRun, selected: SweepResult | null, selectedIndex: number): SweepResult {
  const same = selected ? pinned.results.find((r) => r.label === selected.label) : undefined;
  return same ?? pinned.results[Math.min(selectedIndex, pinned.results.length - 1)];
}
