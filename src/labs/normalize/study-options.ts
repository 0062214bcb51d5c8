// The Normalization study's limits and the checks of its inputs: the dataset, the study's options and the
// descent's options. Each bad value gets an InputError naming the field and what is allowed.

import { InputError } from '../../errors';
import type { GridWindow } from './cpu/normalize-ref';
import { NORMALIZE_MODES, type Dataset, type DataSplit, type DescentOptions, type NormalizeMode } from './types';

/** Limits of the study's options. */
export const STUDY_LIMITS = {
  gridSize: { min: 128, max: 512, default: 128 },
  /**
   * Training rows the cost grid is evaluated on at most (an evenly strided subsample beyond): size² × rows
   * residuals per grid, and 4,096 rows already fix the contour shapes; more only costs time (on SwiftShader
   * 128² × 16,384 rows took seconds).
   */
  gridRows: 4096,
  /** Rows per partial sum of XᵀX (f32 inside a chunk, float64 across chunks). */
  gramChunkRows: 1024,
  maxSteps: 1_000_000,
  /** Bound on the stored path, (steps + 1) × d float64 values (32 MB; d = 2 allows every step count). */
  maxPathValues: 4_000_000,
} as const;

/** Options of `normalizeStudy`. */
export interface StudyOptions {
  mode: NormalizeMode;
  /** Grid points per axis, 128..512 (default 128). */
  gridSize?: number;
  /** Which two weights the contour grid varies (default [0, 1]); the others sit at their optimum. */
  axes?: [number, number];
  /** The descent's start, so the default window contains it (default zeros). */
  start?: number[];
  /** The grid's window instead of the default (keep it square for true contour shapes). */
  window?: GridWindow;
  signal?: AbortSignal;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const isFiniteList = (v: unknown, d: number): v is number[] =>
  Array.isArray(v) && v.length === d && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function checkSplit(s: DataSplit | undefined, name: string, d: number): void {
  if (!s || !(s.x instanceof Float32Array) || !(s.y instanceof Float32Array)) {
    throw new InputError(`dataset.${name}`, 'must have Float32Array x (m×d, row-major) and y (m)');
  }
  if (!Number.isInteger(s.m) || s.m < 2) throw new InputError(`dataset.${name}.m`, `must be at least 2 rows; got ${describe(s.m)}`);
  if (s.x.length !== s.m * d) throw new InputError(`dataset.${name}.x`, `has ${s.x.length} values but m × d = ${s.m} × ${d} = ${s.m * d}`);
  if (s.y.length !== s.m) throw new InputError(`dataset.${name}.y`, `has ${s.y.length} values but m = ${s.m}`);
  for (let i = 0; i < s.x.length; i++) {
    if (!Number.isFinite(s.x[i])) {
      throw new InputError(`dataset.${name}.x`, `row ${Math.floor(i / d) + 1}, feature ${(i % d) + 1} is ${s.x[i]}; every value must be a finite number`);
    }
  }
  for (let i = 0; i < s.m; i++) {
    if (!Number.isFinite(s.y[i])) throw new InputError(`dataset.${name}.y`, `row ${i + 1} is ${s.y[i]}; every target must be a finite number`);
  }
}

/** Throws an InputError unless `dataset` has the shape of a Dataset (d ≥ 2, splits of ≥ 2 rows). */
export function checkDataset(dataset: Dataset): void {
  if (typeof dataset !== 'object' || dataset === null) throw new InputError('dataset', 'must be a Dataset from makeDataset or datasetFromTable');
  if (!Number.isInteger(dataset.d) || dataset.d < 2) {
    throw new InputError('dataset.d', `must be at least 2 features (the contour plot is over two weights); got ${describe(dataset.d)}`);
  }
  checkSplit(dataset.train, 'train', dataset.d);
  checkSplit(dataset.test, 'test', dataset.d);
}

/** The study options after checkStudyOptions: defaults filled in, start as float64. */
export interface CheckedStudyOptions {
  mode: NormalizeMode;
  gridSize: number;
  axes: [number, number];
  start: Float64Array;
  window: GridWindow | null;
}

/** Validates the study options against the dataset's d; InputError names the field and what is allowed. */
export function checkStudyOptions(d: number, options: StudyOptions): CheckedStudyOptions {
  if (typeof options !== 'object' || options === null) throw new InputError('options', `must be an object { mode, gridSize?, axes?, start?, window? }`);
  const { mode } = options;
  if (!NORMALIZE_MODES.includes(mode)) throw new InputError('mode', `must be one of ${NORMALIZE_MODES.join(', ')}; got ${describe(mode)}`);
  const G = STUDY_LIMITS.gridSize;
  const gridSize = options.gridSize ?? G.default;
  if (!Number.isInteger(gridSize) || gridSize < G.min || gridSize > G.max) {
    throw new InputError('gridSize', `must be a whole number of points per axis from ${G.min} to ${G.max}; got ${describe(gridSize)}`);
  }
  const axes = options.axes ?? [0, 1];
  if (!Array.isArray(axes) || axes.length !== 2 || !axes.every((a) => Number.isInteger(a) && a >= 0 && a < d) || axes[0] === axes[1]) {
    throw new InputError('axes', `must be two different feature indices from 0 to ${d - 1}; got ${describe(axes)}`);
  }
  const start = options.start ?? new Array<number>(d).fill(0);
  if (!isFiniteList(start, d)) throw new InputError('start', `must be ${d} finite numbers (one weight per feature); got ${describe(start)}`);
  let window: GridWindow | null = null;
  if (options.window !== undefined) {
    const w = options.window;
    const ok = (r: unknown) =>
      typeof r === 'object' &&
      r !== null &&
      Number.isFinite((r as { min: number }).min) &&
      Number.isFinite((r as { max: number }).max) &&
      (r as { min: number }).min < (r as { max: number }).max;
    if (typeof w !== 'object' || w === null || !ok(w.x) || !ok(w.y)) {
      throw new InputError('window', `must be { x: { min, max }, y: { min, max } } with finite min < max; got ${describe(w)}`);
    }
    window = { x: { ...w.x }, y: { ...w.y } };
  }
  return { mode, gridSize, axes: [axes[0], axes[1]], start: Float64Array.from(start), window };
}

interface CheckedDescent {
  lr: number;
  steps: number;
  tol: number;
  start: Float64Array;
}

/** Validates descent options for a study of d features; InputError names the field and what is allowed. */
export function checkDescentOptions(d: number, options: DescentOptions): CheckedDescent {
  if (typeof options !== 'object' || options === null) throw new InputError('options', 'must be an object { lr, steps, tol, start? }');
  const { lr, steps, tol } = options;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || !(lr > 0)) {
    throw new InputError('lr', `must be a finite learning rate > 0 (the stable limit is 2/λmax); got ${describe(lr)}`);
  }
  if (!Number.isInteger(steps) || steps < 0 || steps > STUDY_LIMITS.maxSteps) {
    throw new InputError('steps', `must be a whole number of steps from 0 to ${STUDY_LIMITS.maxSteps.toLocaleString('en-US')}; got ${describe(steps)}`);
  }
  if (typeof tol !== 'number' || !Number.isFinite(tol) || !(tol > 0) || tol > 1) {
    throw new InputError('tol', `must be a relative tolerance with 0 < tol ≤ 1 (converged when J − J* ≤ tol·J*); got ${describe(tol)}`);
  }
  if ((steps + 1) * d > STUDY_LIMITS.maxPathValues) {
    const most = Math.floor(STUDY_LIMITS.maxPathValues / d) - 1;
    throw new InputError(
      'steps',
      `${steps.toLocaleString('en-US')} steps × ${d} weights is too long a path to keep; with ${d} features use at most ${most.toLocaleString('en-US')} steps`,
    );
  }
  const start = options.start ?? new Array<number>(d).fill(0);
  if (!isFiniteList(start, d)) throw new InputError('start', `must be ${d} finite numbers (one weight per feature); got ${describe(start)}`);
  return { lr, steps, tol, start: Float64Array.from(start) };
}
