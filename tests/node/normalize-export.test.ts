import { beforeAll, describe, expect, it } from 'vitest';
import { fromJsonNumber } from '../../src/labs/depth/export';
import { makeDataset } from '../../src/labs/normalize/data';
import {
  descentOutcome,
  makeNormalizeExport,
  normalizeExportFilename,
  normalizeExportJsonText,
  normalizePathsCsv,
  normalizeSummaryCsv,
  pathRows,
  summaryCsvColumns,
  type NormalizeModeRun,
} from '../../src/labs/normalize/export';
import { gradientDescent, normalizeStudy } from '../../src/labs/normalize/study';
import { NORMALIZE_MODES, type Dataset, type DescentResult } from '../../src/labs/normalize/types';

// The export of a real run (the engine's float64 CPU path, gpu = null), plus hand-made edge cases.

let dataset: Dataset;
let runs: NormalizeModeRun[];
const settings = { lrScale: 'relative' as const, lr: 0.5, steps: 300, tol: 1e-6 };

beforeAll(async () => {
  dataset = makeDataset({ m: 300, seed: 4, testShift: 0.5 });
  runs = [];
  for (const mode of NORMALIZE_MODES) {
    const study = await normalizeStudy(null, dataset, { mode });
    const lr = settings.lr * study.maxStableLr;
    runs.push({ mode, study, lr, descent: await gradientDescent(null, study, { lr, steps: settings.steps, tol: settings.tol }) });
  }
});

function fakeDescent(over: Partial<DescentResult>): DescentResult {
  return {
    path: new Float64Array([0, 0, 1, 2, 3, 4]),
    costs: new Float64Array([10, 5, 1]),
    steps: 2,
    converged: false,
    diverged: false,
    trainCost: 1,
    testCost: 2,
    ...over,
  };
}

describe('descentOutcome', () => {
  it('says how a descent ended, as the table shows it', () => {
    expect(descentOutcome(fakeDescent({ converged: true, steps: 1 }))).toEqual({ outcome: 'converged', text: '1 step' });
    expect(descentOutcome(fakeDescent({ converged: true, steps: 12 }))).toEqual({ outcome: 'converged', text: '12 steps' });
    expect(descentOutcome(fakeDescent({ diverged: true, steps: 9 }))).toEqual({ outcome: 'diverged', text: 'diverged at step 9' });
    expect(descentOutcome(fakeDescent({ steps: 500 }))).toEqual({ outcome: 'not-converged', text: 'not converged in 500 steps' });
    expect(descentOutcome(null)).toEqual({ outcome: 'none', text: '—' });
  });

  it('splits a path into steps', () => {
    expect(pathRows(new Float64Array([1, 2, 3, 4, 5, 6]), 2)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(pathRows(new Float64Array([1, 2, 3, 4, 5, 6]), 3)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});

describe('makeNormalizeExport (a real CPU run)', () => {
  it('holds every mode’s statistics, limits, outcome, costs and path', () => {
    const doc = makeNormalizeExport({ dataset, runs, settings, backend: 'cpu', query: 'v=1&m=300', wallMs: 12, exportedAt: new Date(0) });
    expect(doc.format).toBe('gradient-playground/normalization-lab');
    expect(doc.exportedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(doc.backend).toBe('cpu');
    expect(doc.dataset).toMatchObject({ d: 2, trainRows: 240, testRows: 60, featureNames: ['x1', 'x2'], targetName: 'y' });
    expect(doc.modes.map((m) => m.mode)).toEqual([...NORMALIZE_MODES]);
    for (const [i, m] of doc.modes.entries()) {
      const r = runs[i];
      expect(m.mu).toEqual(Array.from(r.study.mu));
      expect(m.sigma).toEqual(Array.from(r.study.sigma));
      expect(m.trainDivisor).toEqual(Array.from(r.study.trainDivisor));
      expect(m.testMu).toEqual(Array.from(r.study.testMu));
      expect(m.kappa).toBe(r.study.kappa);
      expect(m.maxStableLr).toBe(r.study.maxStableLr);
      expect(m.lr).toBe(r.lr);
      expect(m.lrOverLimit).toBeCloseTo(0.5, 12);
      expect(m.steps).toBe(r.descent!.steps);
      expect(m.trainCost).toBe(r.descent!.trainCost);
      expect(m.testCost).toBe(r.descent!.testCost);
      expect(m.path).toHaveLength(r.descent!.steps + 1);
      expect(m.path[0]).toEqual([0, 0]);
      expect(m.path[m.path.length - 1]).toEqual(Array.from(r.descent!.path.slice(-2)));
      expect(m.outcomeText).toBe(descentOutcome(r.descent).text);
      expect(m.grid.size).toBeGreaterThanOrEqual(128);
    }
    const [raw, std, dv, own] = doc.modes;
    // The lesson in numbers: raw is badly conditioned, standardized is round; σ² divisors are σ squared.
    expect(raw.kappa as number).toBeGreaterThan(1e4);
    expect(std.kappa as number).toBeLessThan(10);
    expect(std.outcome).toBe('converged');
    expect(raw.outcome).toBe('not-converged');
    expect(dv.trainDivisor[0] as number).toBeCloseTo((std.trainDivisor[0] as number) ** 2, 6);
    expect(raw.trainDivisor).toEqual([1, 1]);
    // The test-own-stats mistake uses other statistics for the test set, and with a shift it costs more.
    expect(own.testMu[0]).not.toBe(own.trainMu[0]);
    expect(own.testCost as number).toBeGreaterThan((std.testCost as number) * 2);
  });

  it('is JSON-safe: diverged costs survive as strings', () => {
    const base = runs[0];
    const diverged: NormalizeModeRun = {
      ...base,
      descent: fakeDescent({
        diverged: true,
        trainCost: Infinity,
        testCost: NaN,
        costs: new Float64Array([1, 1e300, Infinity]),
        path: new Float64Array([0, 0, 1e200, -1e200, Infinity, -Infinity]),
      }),
    };
    const doc = makeNormalizeExport({ dataset, runs: [diverged], settings, backend: 'gpu' });
    const back = JSON.parse(normalizeExportJsonText(doc));
    expect(back.modes[0].trainCost).toBe('Infinity');
    expect(back.modes[0].testCost).toBe('NaN');
    expect(back.modes[0].path[2]).toEqual(['Infinity', '-Infinity']);
    expect(fromJsonNumber(back.modes[0].costs[2])).toBe(Infinity);
    expect(back.modes[0].outcome).toBe('diverged');
  });

  it('records a failed descent with its error', () => {
    const failed: NormalizeModeRun = { ...runs[1], descent: null, error: 'InputError: lr: must be positive' };
    const m = makeNormalizeExport({ dataset, runs: [failed], settings, backend: 'cpu' }).modes[0];
    expect(m).toMatchObject({ outcome: 'none', steps: null, trainCost: null, error: 'InputError: lr: must be positive', path: [] });
  });
});

describe('CSV exports', () => {
  it('summary: one line per mode, per-feature columns, full precision', () => {
    const doc = makeNormalizeExport({ dataset, runs, settings, backend: 'cpu' });
    const lines = normalizeSummaryCsv(doc).trimEnd().split('\n');
    const header = lines[0].split(',');
    expect(header).toEqual(summaryCsvColumns(2));
    expect(header).toContain('mu_1');
    expect(header).toContain('test_divisor_2');
    expect(lines).toHaveLength(1 + NORMALIZE_MODES.length);
    for (const [i, line] of lines.slice(1).entries()) {
      const cells = line.split(',');
      expect(cells).toHaveLength(header.length);
      const get = (c: string) => cells[header.indexOf(c)];
      expect(get('mode')).toBe(NORMALIZE_MODES[i]);
      expect(Number(get('kappa'))).toBe(runs[i].study.kappa);
      expect(Number(get('mu_1'))).toBe(runs[i].study.mu[0]);
      expect(Number(get('sigma_2'))).toBe(runs[i].study.sigma[1]);
      expect(Number(get('test_cost'))).toBe(runs[i].descent!.testCost);
      expect(Number(get('steps'))).toBe(runs[i].descent!.steps);
    }
  });

  it('paths: one line per mode × step, starting at step 0', () => {
    const doc = makeNormalizeExport({ dataset, runs, settings, backend: 'cpu' });
    const lines = normalizePathsCsv(doc).trimEnd().split('\n');
    expect(lines[0]).toBe('mode,step,cost,w_1,w_2');
    const total = runs.reduce((s, r) => s + r.descent!.steps + 1, 0);
    expect(lines).toHaveLength(1 + total);
    expect(lines[1]).toBe(`raw,0,${runs[0].descent!.costs[0]},0,0`);
  });

  it('names files after what was run, safely', () => {
    const doc = makeNormalizeExport({ dataset, runs, settings, backend: 'cpu' });
    expect(normalizeExportFilename(doc, 'json')).toBe('normalization-lab_m300_seed4_lr-rel0.5.json');
    expect(normalizeExportFilename(doc, 'png', 'contours')).toBe('normalization-lab_m300_seed4_lr-rel0.5_contours.png');
    const csvDoc = { ...doc, dataset: { ...doc.dataset, source: { kind: 'csv' as const, fileName: 'my data/houses:2024.csv', rows: 10 } } };
    expect(normalizeExportFilename(csvDoc, 'csv')).toBe('normalization-lab_csv-my-data-houses-2024_lr-rel0.5.csv');
  });
});
