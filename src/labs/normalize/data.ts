// Generated datasets of the Normalization lab: m examples, features each uniform on its own range, target
// y = w·x + b + noise, seeded, split into train and test, with an optional shift of the test features.

import { InputError } from '../../errors';
import { makeRng } from '../../kernels/cpu/random';
import type { Dataset, DatasetOptions } from './types';

/** Limits of the generator's options (the UI's form shows them). */
export const DATASET_LIMITS = {
  m: { min: 10, max: 1_000_000 },
  features: { min: 2, max: 16 },
  /** |lo|, |hi|, |w|, |b| bound: keeps x², w·x and sums of 10⁶ squares inside f32. */
  magnitude: 1e12,
  noise: { min: 0, max: 1e12 },
  testShift: { min: -100, max: 100 },
  seed: { min: 0, max: 4294967295 },
  minSplitRows: 2,
} as const;

/**
 * The lecture's data: x1 ~ U(1, 1000), x2 ~ U(0, 1), 2,000 examples (a 4-mode study takes about a second on
 * SwiftShader), 20% held out, noise σ 0.1, b = 1. `weights` is left out: the default weights make every
 * feature matter equally once standardized (see defaultWeights), here w = [3/999, 3].
 */
export const DEFAULT_DATASET_OPTIONS: DatasetOptions = {
  m: 2000,
  ranges: [
    [1, 1000],
    [0, 1],
  ],
  bias: 1,
  noise: 0.1,
  testFraction: 0.2,
  testShift: 0,
  seed: 1,
};

const FIELDS = ['m', 'ranges', 'weights', 'bias', 'noise', 'testFraction', 'testShift', 'seed'] as const;

/**
 * Default true weights for feature ranges: w_j = 3 / (hi_j − lo_j). A uniform feature has σ_j = width/√12,
 * so every standardized weight w_j·σ_j is 3/√12 ≈ 0.87: all features matter equally.
 */
export function defaultWeights(ranges: readonly (readonly [number, number])[]): number[] {
  return ranges.map(([lo, hi]) => 3 / (hi - lo));
}

/** Test rows for m examples and a test fraction: round(m · f). */
export function testRows(m: number, testFraction: number): number {
  return Math.round(m * testFraction);
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'nothing';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Every problem of (partial) dataset options, each naming the field, what was wrong and what is allowed.
 * Missing fields take DEFAULT_DATASET_OPTIONS' values; unknown fields are problems (typos don't pass).
 */
export function datasetProblems(input: unknown): { field: string; message: string }[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field: 'options', message: `must be an object with fields ${FIELDS.join(', ')}; got ${describe(input)}` }];
  }
  const rec = input as Record<string, unknown>;
  const problems: { field: string; message: string }[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  for (const key of Object.keys(rec)) {
    if (!(FIELDS as readonly string[]).includes(key)) add(key, `is not a dataset option; the options are ${FIELDS.join(', ')}`);
  }
  const get = <K extends keyof DatasetOptions>(k: K): unknown => (rec[k] === undefined ? DEFAULT_DATASET_OPTIONS[k] : rec[k]);
  const L = DATASET_LIMITS;

  const m = get('m');
  const mOk = typeof m === 'number' && Number.isInteger(m) && m >= L.m.min && m <= L.m.max;
  if (!mOk) add('m', `must be a whole number of examples from ${L.m.min} to ${L.m.max.toLocaleString('en-US')}; got ${describe(m)}`);

  const ranges = get('ranges');
  let d = 0;
  if (!Array.isArray(ranges)) {
    add('ranges', `must be a list of [lo, hi] pairs, one per feature (${L.features.min} to ${L.features.max}); got ${describe(ranges)}`);
  } else if (ranges.length < L.features.min || ranges.length > L.features.max) {
    add('ranges', `must have ${L.features.min} to ${L.features.max} features ([lo, hi] pairs); got ${ranges.length}`);
  } else {
    d = ranges.length;
    ranges.forEach((r, j) => {
      const f = `ranges[${j}]`;
      if (!Array.isArray(r) || r.length !== 2) return add(f, `must be a pair [lo, hi]; got ${describe(r)}`);
      const [lo, hi] = r as unknown[];
      if (!finite(lo) || !finite(hi)) return add(f, `lo and hi must be finite numbers; got ${describe(r)}`);
      if (Math.abs(lo) > L.magnitude || Math.abs(hi) > L.magnitude) {
        return add(f, `lo and hi must be within ±${L.magnitude.toExponential()} (larger values overflow f32 when squared and summed); got ${describe(r)}`);
      }
      if (!(lo < hi)) add(f, `lo must be less than hi (feature x${j + 1} ~ U(lo, hi)); got lo = ${lo}, hi = ${hi}`);
    });
  }

  const weights = rec.weights;
  if (weights !== undefined) {
    if (!Array.isArray(weights)) add('weights', `must be a list of numbers, one per feature; got ${describe(weights)}`);
    else {
      if (d > 0 && weights.length !== d) add('weights', `has ${weights.length} values but there are ${d} features (ranges); give one weight per feature`);
      weights.forEach((w, j) => {
        if (!finite(w) || Math.abs(w) > L.magnitude) add(`weights[${j}]`, `must be a finite number within ±${L.magnitude.toExponential()}; got ${describe(w)}`);
      });
    }
  }

  const bias = get('bias');
  if (!finite(bias) || Math.abs(bias) > L.magnitude) add('bias', `must be a finite number within ±${L.magnitude.toExponential()}; got ${describe(bias)}`);

  const noise = get('noise');
  if (!finite(noise) || noise < L.noise.min || noise > L.noise.max) {
    add('noise', `must be a finite standard deviation ≥ 0 (0 = no noise), at most ${L.noise.max.toExponential()}; got ${describe(noise)}`);
  }

  const tf = get('testFraction');
  if (!finite(tf) || !(tf > 0 && tf < 1)) {
    add('testFraction', `must be a number strictly between 0 and 1 (e.g. 0.2 = 20% of the examples held out); got ${describe(tf)}`);
  } else if (mOk) {
    const nTest = testRows(m as number, tf);
    const nTrain = (m as number) - nTest;
    if (nTest < L.minSplitRows || nTrain < L.minSplitRows) {
      add(
        'testFraction',
        `${tf} of m = ${m} gives ${nTrain} training and ${nTest} test rows; both need at least ${L.minSplitRows}` +
          ` (use a fraction from ${(L.minSplitRows / (m as number)).toPrecision(2)} to ${(1 - L.minSplitRows / (m as number)).toPrecision(2)}, or more examples)`,
      );
    }
  }

  const shift = get('testShift');
  if (!finite(shift) || shift < L.testShift.min || shift > L.testShift.max) {
    add(
      'testShift',
      `must be a number from ${L.testShift.min} to ${L.testShift.max} (in units of each feature's range width; 0 = same distribution); got ${describe(shift)}`,
    );
  }

  const seed = get('seed');
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < L.seed.min || seed > L.seed.max) {
    add('seed', `must be a whole number from 0 to ${L.seed.max}; got ${describe(seed)}`);
  }
  return problems;
}

/** Throws an InputError listing every problem (the first one's field names the error). */
export function throwProblems(problems: { field: string; message: string }[]): void {
  if (problems.length === 0) return;
  const [first, ...rest] = problems;
  const more = rest.length ? `; also ${rest.map((p) => `${p.field}: ${p.message}`).join('; ')}` : '';
  throw new InputError(first.field, first.message + more);
}

/**
 * A seeded dataset: every example draws x_j ~ U(lo_j, hi_j) for each feature, then y = w·x + b + noise·N(0,1)
 * (one RNG stream, examples in order: training rows first, then test rows). Test features are shifted by
 * testShift × (hi_j − lo_j) and their targets follow the same true line, so a model normalized the right
 * way still predicts them, while normalizing the test set with its own statistics hides the shift.
 * Throws an InputError listing every problem with the options.
 */
export function makeDataset(options: Partial<DatasetOptions> = {}): Dataset {
  throwProblems(datasetProblems(options));
  const o: DatasetOptions = { ...DEFAULT_DATASET_OPTIONS, ...stripUndefined(options) };
  const ranges = o.ranges.map(([lo, hi]) => [lo, hi] as [number, number]);
  const d = ranges.length;
  const weights = o.weights ? [...o.weights] : defaultWeights(ranges);
  const bias = o.bias ?? 1;
  const nTest = testRows(o.m, o.testFraction);
  const nTrain = o.m - nTest;
  const rng = makeRng(o.seed);
  const split = (rows: number, shift: number) => {
    const x = new Float32Array(rows * d);
    const y = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let t = bias;
      for (let j = 0; j < d; j++) {
        const [lo, hi] = ranges[j];
        const v = Math.fround(lo + (hi - lo) * (rng.uniform() + shift));
        x[r * d + j] = v;
        t += weights[j] * v;
      }
      y[r] = t + o.noise * rng.normal();
    }
    return { x, y, m: rows };
  };
  const train = split(nTrain, 0);
  const test = split(nTest, o.testShift);
  return {
    train,
    test,
    d,
    featureNames: ranges.map((_, j) => `x${j + 1}`),
    targetName: 'y',
    source: { kind: 'generated', options: { ...o, ranges, weights, bias } },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
