import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';
/**
 * What the Normalization lab's next Run uses, DOM-free: the dataset built from the form (generated) or the
 * loaded CSV, kept while a field is bad; the descent settings, also while a data field is bad; and why Run
 * cannot start yet (the first reason, worded for the user).
 */
import { InputError, describeError } from '../../errors';
import { datasetFromTable } from './csv-dataset';
import { datasetProblems, makeDataset } from './data';
import { LAB_LIMITS, type LabData, type LabDraft, type ParsedLabDraft } from './form';
import type { DescentSettings, LoadedCsv, SplitOptions } from './session';
import type { Dataset } from './types';

const nf = { format: formatCount };

/** The descent settings of the form, or null while one of them is bad (the data fields may be bad meanwhile). */
export function descentSettingsOf(draft: LabDraft, parsed: ParsedLabDraft): DescentSettings | null {
  const p = parsed;
  if (p.problems.lr || p.problems.steps || p.problems.tol) return null;
  const s = p.state;
  if (s) return { lrScale: s.lrScale, lr: s.lr, steps: s.steps, tol: s.tol };
  // The data fields may be bad while the descent fields are fine: rerun the descent anyway.
  const lr = Number(draft.lr);
  const steps = Number(draft.steps);
  const tol = Number(draft.tol);
  return [lr, steps, tol].every(Number.isFinite) ? { lrScale: draft.lrScale, lr, steps, tol } : null;
}

const datasetOptions = (d: LabData) => ({
  m: d.m,
  ranges: d.ranges.map((r) => [r[0], r[1]] as [number, number]),
  noise: d.noise,
  testFraction: d.testFraction,
  testShift: d.testShift,
  seed: d.seed,
});

/**
 * The dataset the next Run uses. `refresh` rebuilds it when its inputs changed (generator fields, or the CSV
 * upload, target, test fraction and seed); when they cannot make a dataset, `error` says why and the previous
 * dataset stays.
 */
export class LabDataset {
  dataset: Dataset | null = null;
  error: string | null = null;
  private key = '';

  refresh(source: 'generated' | 'csv', data: LabData | null, csv: LoadedCsv | null, split: SplitOptions): void {
    if (source === 'generated') {
      if (!data) return; // keep the previous dataset while a field is bad
      const key = `gen|${JSON.stringify(data)}`;
      if (key === this.key) return;
      this.build(key, () => {
        const problems = datasetProblems(datasetOptions(data));
        if (problems.length) throw new InputError(problems[0].field, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
        return makeDataset(datasetOptions(data));
      });
    } else if (csv) {
      const { testFraction, seed } = split;
      // Keyed by the upload, not the name and size: a second file with the same name and rows is new data.
      const key = `csv|${csv.upload}|${csv.target}|${testFraction}|${seed}`;
      if (key === this.key) return;
      this.build(key, () => datasetFromTable(csv.table, { target: csv.target, testFraction, seed, fileName: csv.fileName }));
    }
  }

  private build(key: string, make: () => Dataset): void {
    try {
      this.dataset = make();
      this.key = key;
      this.error = null;
    } catch (err) {
      this.error = describeError(err);
    }
  }
}

/** What decides whether Run can start. */
export interface RunInputs {
  source: 'generated' | 'csv';
  /** A CSV file is loaded. */
  hasCsv: boolean;
  parsed: ParsedLabDraft;
  loaded: Dataset | null;
  loadError: string | null;
  descent: DescentSettings | null;
  /** No WebGPU: the CPU fallback caps the examples. */
  cpuMode: boolean;
}

/** Why Run can't start now (the first reason), or null. */
export function runBlocked(i: RunInputs): string | null {
  if (i.source === 'csv' && !i.hasCsv) return msg('Choose a CSV file first.');
  if (i.source === 'csv' && (i.parsed.problems.testFraction || i.parsed.problems.seed)) return msg('Fix the test fraction or seed (marked in red) to run.');
  if (i.source === 'generated' && !i.parsed.data) return msg('Fix the fields marked in red to run.');
  if (i.loadError) return i.loadError;
  if (!i.loaded) return msg('No dataset loaded.');
  if (!i.descent) return msg('Fix the learning rate, steps or tolerance to run.');
  const rows = i.loaded.train.m + i.loaded.test.m;
  if (i.cpuMode && rows > LAB_LIMITS.cpuMaxM) {
    return msg(
      str`Without WebGPU the lab runs on the CPU, which is limited to ${nf.format(LAB_LIMITS.cpuMaxM)} examples; this dataset has ${nf.format(rows)}. Lower m (or use a smaller file).`,
    );
  }
  return null;
}
