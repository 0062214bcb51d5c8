// A Dataset from an uploaded table: the target column picked by the user, the rows split into train and test.

import { msg, str } from '@lit/localize';
import { InputError } from '../../errors';
import { makeRng } from '../../kernels/cpu/random';
import { clipText, quoted } from './csv';
import type { CsvTable } from './csv-parser';
import type { Dataset } from './types';

/** Options of `datasetFromTable`. */
export interface TableSplitOptions {
  /** The target column, by name or 0-based index; every other column is a feature. */
  target: string | number;
  /** Fraction of rows held out as the test set (0 < f < 1; both splits need ≥ 2 rows). */
  testFraction: number;
  /** Seed of the shuffle that assigns rows to train and test. */
  seed: number;
  fileName: string;
}

/**
 * A Dataset from a parsed table: the target column becomes y, all other columns (in file order) the
 * features (at least 2). Rows are shuffled by `seed` (Fisher–Yates); the first round(rows · testFraction)
 * shuffled rows are the test set, the rest train (each keeping file order). Values become f32.
 * Throws an InputError naming the option that is wrong.
 */
export function datasetFromTable(table: CsvTable, options: TableSplitOptions): Dataset {
  const { columns, rows, data } = table;
  const cols = columns.length;
  const { target, testFraction, seed } = options;
  let t: number;
  if (typeof target === 'number') {
    if (!Number.isInteger(target) || target < 0 || target >= cols) {
      throw new InputError('target', msg(str`column index ${target} does not exist; use 0 to ${cols - 1} or a name: ${clipText(columns.join(', '), 200)}`));
    }
    t = target;
  } else {
    t = columns.indexOf(target);
    if (t < 0) throw new InputError('target', msg(str`no column is named ${quoted(String(target))}; the columns are ${clipText(columns.join(', '), 200)}`));
  }
  const d = cols - 1;
  if (d < 2) {
    throw new InputError(
      'target',
      msg(str`leaves ${d} feature column; the lab needs at least 2 features besides the target (the contour plot is over two weights)`),
    );
  }
  if (typeof testFraction !== 'number' || !(testFraction > 0 && testFraction < 1)) {
    throw new InputError('testFraction', msg(str`must be a number strictly between 0 and 1; got ${String(testFraction)}`));
  }
  const nTest = Math.round(rows * testFraction);
  const nTrain = rows - nTest;
  if (nTest < 2 || nTrain < 2) {
    throw new InputError('testFraction', msg(str`${testFraction} of ${rows} rows gives ${nTrain} training and ${nTest} test rows; both need at least 2`));
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 4294967295) {
    throw new InputError('seed', msg(str`must be a whole number from 0 to 4294967295; got ${String(seed)}`));
  }
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const rng = makeRng(seed);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  const testIdx = order.slice(0, nTest).sort();
  const trainIdx = order.slice(nTest).sort();
  const featureCols = columns.map((_, c) => c).filter((c) => c !== t);
  const split = (idx: Uint32Array) => {
    const x = new Float32Array(idx.length * d);
    const y = new Float32Array(idx.length);
    for (let k = 0; k < idx.length; k++) {
      const r = idx[k];
      for (let j = 0; j < d; j++) x[k * d + j] = data[r * cols + featureCols[j]];
      y[k] = data[r * cols + t];
    }
    return { x, y, m: idx.length };
  };
  return {
    train: split(trainIdx),
    test: split(testIdx),
    d,
    featureNames: featureCols.map((c) => columns[c]),
    targetName: columns[t],
    source: { kind: 'csv', fileName: options.fileName, rows },
  };
}
