import { describe, expect, it } from 'vitest';
import type { AdapterSummary } from '../../src/gpu/context';
import { classifyLayers } from '../../src/labs/depth/classify';
import type { DeepNetConfig } from '../../src/labs/depth/config';
import { LAYER_STAT_NAMES } from '../../src/labs/depth/types';
import {
  CSV_COLUMNS,
  exportCsv,
  exportFilename,
  exportJsonText,
  fromJsonNumber,
  jsonNumber,
  makeDepthLabExport,
  throughput,
  type DepthLabExport,
} from '../../src/labs/depth/export';
import type { SweepSpec } from '../../src/labs/depth/sweep-grid';
import { refSweep as refSweepWith } from '../helpers/ref-sweep';

// Depth lab export (DOM-free): the JSON document and the CSV, from float64 reference runs standing in
// for GPU rows (the export does not care where the numbers came from).

const DEVICE: AdapterSummary = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'SwiftShader Device',
  description: 'SwiftShader (test)',
  isFallbackAdapter: true,
  hasTimestamps: true,
  hasSubgroups: false,
  limits: {
    maxStorageBufferBindingSize: 1 << 30,
    maxBufferSize: 1 << 30,
    maxComputeWorkgroupsPerDimension: 65535,
    maxComputeInvocationsPerWorkgroup: 256,
    maxComputeWorkgroupStorageSize: 32768,
  },
};

/** Reference sweeps whose rows each carry one 0.5 ms matmul timing (the export lists them). */
const refSweep = (base: Partial<DeepNetConfig>, spec: SweepSpec) => refSweepWith(base, spec, (index) => [{ label: `matmul[${index}]`, ms: 0.5 }]);

const LECTURE = { width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 7 } as const;

describe('makeDepthLabExport', () => {
  const { sweep, results } = refSweep({ ...LECTURE, depth: 6 }, { kind: 'depth', depths: [1, 2, 3, 4, 5, 6] });
  const doc = makeDepthLabExport({ sweep, results, device: DEVICE, outcome: 'complete', rowsTotal: 6, wallMs: 120, query: 'v=1&depth=6' });

  it('records the config, sweep, device, outcome and totals', () => {
    expect(doc.format).toBe('gradient-playground/depth-lab');
    expect(doc.config).toEqual(sweep.base);
    expect(doc.config.seed).toBe(7);
    expect(doc.sweep).toEqual({ kind: 'depth', depths: [1, 2, 3, 4, 5, 6] });
    expect(doc.device).toEqual(DEVICE);
    expect(doc.outcome).toBe('complete');
    expect(doc.rowsDone).toBe(6);
    expect(doc.rowsTotal).toBe(6);
    expect(doc.query).toBe('v=1&depth=6');
    const flops = results.reduce((s, r) => s + r.run.flops, 0);
    expect(doc.totals).toEqual({ wallMs: 120, flops, gflopsPerSecond: flops / (120 * 1e6) });
    expect(Date.parse(doc.exportedAt)).not.toBeNaN();
  });

  it('has per-layer arrays of each row’s depth for every quantity, status and the prediction', () => {
    expect(doc.rows).toHaveLength(6);
    doc.rows.forEach((row, i) => {
      const depth = i + 1;
      expect(row.index).toBe(i);
      expect(row.label).toBe(`depth=${depth}`);
      expect(row.sweepValue).toBe(depth);
      expect(row.config.depth).toBe(depth);
      for (const q of LAYER_STAT_NAMES) {
        expect(row.layers[q], `${q} of row ${i}`).toHaveLength(depth);
        expect(row.status[q], `${q} status of row ${i}`).toHaveLength(depth);
      }
      expect(row.prediction.actNorm).toHaveLength(depth);
      expect(row.prediction.exact).toBe(true);
      expect(row.prediction.verdict?.verdict).toBe('agree');
      expect(row.wallMs).toBe(10 + i);
      expect(row.timings).toEqual([{ label: `matmul[${i}]`, ms: 0.5 }]);
    });
  });

  it('keeps the values: ‖a‖ of layer l is 1.5^l·√2 for the all-ones input', () => {
    const last = doc.rows[5];
    last.layers.actNorm.forEach((v, i) => {
      expect(typeof v).toBe('number');
      expect(Math.abs((v as number) / (1.5 ** (i + 1) * Math.SQRT2) - 1)).toBeLessThan(1e-12);
      expect(Math.abs((last.prediction.actNorm![i] as number) / (1.5 ** (i + 1) * Math.SQRT2) - 1)).toBeLessThan(1e-12);
    });
    expect(last.loss).toBeCloseTo((1.5 ** 6 * Math.SQRT2) ** 2 / 2, 6);
  });

  it('survives JSON text unchanged', () => {
    expect(JSON.parse(exportJsonText(doc))).toEqual(doc);
  });

  it('records predicted and measured f32 limits for identity configs', () => {
    const deep = refSweep({ ...LECTURE, depth: 230 }, { kind: 'depth', depths: [230] });
    const d = makeDepthLabExport({ sweep: deep.sweep, results: deep.results, device: null, outcome: 'complete' });
    const row = d.rows[0];
    expect(row.limits.predicted?.activation.overflow).toBe(219);
    // float64 does not overflow at 1.5^230, so nothing is measured as Infinity — but the 1e38 mark is passed.
    expect(row.limits.measured.actOverflow).toBeNull();
    // First l with 1.5^l·√2 > 1e38 (the lab's overflow mark): l > (38 − log10 √2) / log10 1.5 ≈ 214.9.
    expect(row.limits.measured.actOverflowThreshold).toBe(215);
    expect(1.5 ** 215 * Math.SQRT2).toBeGreaterThan(1e38);
    expect(1.5 ** 214 * Math.SQRT2).toBeLessThan(1e38);
    // The sentence follows the statuses the heatmap shows (not "does not overflow" beside overflow cells).
    expect(row.limits.sentences[0]).toBe(
      "‖a‖ passes the lab's 1e38 overflow mark at layer 215, where f32 is one step from Infinity (f32 overflow predicted at layer 219).",
    );
    // At 215 ‖a‖ ≈ 1.02e38 is still inside f32: the lost sentence says what happened there, not "overflowed".
    expect(row.limits.sentences[1]).toMatch(/^Everything computed after that is lost: ‖a‖ passed the lab's 1e38 overflow mark at layer 215, /);
    expect(row.limits.sentences.join(' ')).not.toContain('overflowed');
    expect(row.limits.measured.lostTo).toEqual({ pass: 'forward', stat: 'actNorm', layer: 215, status: 'overflow', pastF32: false });
    expect(row.status.gradWNorm.every((s) => s === 'lost')).toBe(true);
    expect(row.lossStatus).toBe('lost');
    expect(d.device).toBeNull();
    expect(d.rowsTotal).toBe(1);
    expect(d.totals.wallMs).toBe(10); // default: the rows' own wall times
  });
});

/** A one-row export whose values include every kind of non-finite number. */
function nonFiniteDoc(): DepthLabExport {
  const { sweep, results } = refSweep({ ...LECTURE, depth: 5 }, { kind: 'depth', depths: [5] });
  const layers = results[0].run.layers;
  layers.actNorm[2] = Infinity;
  layers.actNorm[3] = NaN;
  layers.zMean[4] = -Infinity;
  layers.gradActNorm[0] = 0;
  results[0].run.status = classifyLayers(layers);
  results[0].run.loss = NaN;
  results[0].run.lossStatus = 'nan';
  return makeDepthLabExport({ sweep, results, device: DEVICE, outcome: 'cancelled', rowsTotal: 3 });
}

describe('non-finite values', () => {
  it('jsonNumber / fromJsonNumber round-trip every kind of number', () => {
    for (const v of [0, -0.5, 1e-300, 3.4e38, Number.MAX_VALUE]) expect(jsonNumber(v)).toBe(v);
    expect(jsonNumber(Infinity)).toBe('Infinity');
    expect(jsonNumber(-Infinity)).toBe('-Infinity');
    expect(jsonNumber(NaN)).toBe('NaN');
    for (const v of [Infinity, -Infinity, 1.25, 0]) expect(fromJsonNumber(jsonNumber(v))).toBe(v);
    expect(fromJsonNumber(jsonNumber(NaN))).toBeNaN();
  });

  it('are written as strings in JSON (not null), with their statuses', () => {
    const doc = nonFiniteDoc();
    const back = JSON.parse(exportJsonText(doc)) as DepthLabExport;
    const row = back.rows[0];
    expect(row.layers.actNorm[2]).toBe('Infinity');
    expect(row.layers.actNorm[3]).toBe('NaN');
    expect(row.layers.zMean[4]).toBe('-Infinity');
    expect(row.layers.gradActNorm[0]).toBe(0);
    expect(row.status.actNorm[2]).toBe('overflow');
    expect(row.status.actNorm[3]).toBe('nan');
    expect(row.status.zMean[4]).toBe('overflow');
    expect(row.status.gradActNorm[0]).toBe('underflow');
    expect(row.loss).toBe('NaN');
    expect(row.lossStatus).toBe('nan');
    expect(back.outcome).toBe('cancelled');
    expect(back.rowsDone).toBe(1);
    expect(back.rowsTotal).toBe(3);
    // The measured limits come from the values: first Infinity/NaN layer of ‖a‖; first 0 of ∂J/∂a counting down.
    expect(row.limits.measured.actOverflow).toBe(3);
    expect(row.limits.measured.gradZero).toBe(1);
    for (const q of LAYER_STAT_NAMES)
      expect(
        row.layers[q].filter((v) => v === null),
        q,
      ).toEqual([]);
  });
});

describe('exportCsv', () => {
  it('has the documented header and one line per row × layer × quantity', () => {
    const { sweep, results } = refSweep({ ...LECTURE, depth: 4 }, { kind: 'depth', depths: [2, 4] });
    const doc = makeDepthLabExport({ sweep, results, device: DEVICE, outcome: 'complete' });
    const lines = exportCsv(doc).trimEnd().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines[0]).toBe('row,label,sweep,sweep_value,layer,quantity,value,status,predicted');
    expect(lines).toHaveLength(1 + (2 + 4) * LAYER_STAT_NAMES.length);
    const cells = lines.slice(1).map((l) => l.split(','));
    for (const c of cells) expect(c).toHaveLength(CSV_COLUMNS.length);
    // Row 1 (depth 4), layer 3, actNorm: full-precision value that reads back exactly, and its prediction.
    const hit = cells.find((c) => c[0] === '1' && c[4] === '3' && c[5] === 'actNorm')!;
    expect(hit.slice(0, 6)).toEqual(['1', 'depth=4', 'depth', '4', '3', 'actNorm']);
    expect(Number(hit[6])).toBe(results[1].run.layers.actNorm[2]);
    expect(Math.abs(Number(hit[6]) / (1.5 ** 3 * Math.SQRT2) - 1)).toBeLessThan(1e-12);
    expect(hit[7]).toBe('finite');
    expect(Math.abs(Number(hit[8]) / (1.5 ** 3 * Math.SQRT2) - 1)).toBeLessThan(1e-12);
    // No prediction for gradients: the column is empty.
    const grad = cells.find((c) => c[0] === '1' && c[4] === '3' && c[5] === 'gradWNorm')!;
    expect(grad[8]).toBe('');
    // Quantities in LAYER_STAT_NAMES order for each layer.
    expect(cells.slice(0, LAYER_STAT_NAMES.length).map((c) => c[5])).toEqual([...LAYER_STAT_NAMES]);
  });

  it('writes Infinity, -Infinity and NaN by name, with the status beside them', () => {
    const lines = exportCsv(nonFiniteDoc()).trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 5 * LAYER_STAT_NAMES.length);
    const cell = (layer: number, q: string) => lines.find((l) => l.split(',')[4] === String(layer) && l.split(',')[5] === q)!.split(',');
    expect(cell(3, 'actNorm').slice(6, 8)).toEqual(['Infinity', 'overflow']);
    expect(cell(4, 'actNorm').slice(6, 8)).toEqual(['NaN', 'nan']);
    expect(cell(5, 'zMean').slice(6, 8)).toEqual(['-Infinity', 'overflow']);
    expect(cell(1, 'gradActNorm').slice(6, 8)).toEqual(['0', 'underflow']);
  });

  it('quotes init-sweep labels and values safely (no stray commas)', () => {
    const { sweep, results } = refSweep(
      { width: 3, batch: 2, depth: 2, activation: 'tanh', input: 'normal' },
      { kind: 'init', inits: ['he-normal', 'xavier-normal'] },
    );
    const doc = makeDepthLabExport({ sweep, results, device: null, outcome: 'complete' });
    expect(doc.rows.map((r) => r.sweepValue)).toEqual(['he-normal', 'xavier-normal']);
    expect(doc.rows[0].prediction.actNorm).toBeNull(); // tanh: no closed form
    const lines = exportCsv(doc).trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 2 * 2 * LAYER_STAT_NAMES.length);
    expect(lines[1].split(',').slice(0, 6)).toEqual(['0', 'init=he-normal', 'init', 'he-normal', '1', 'actNorm']);
  });
});

describe('exportFilename and throughput', () => {
  it('names the experiment with file-system-safe characters', () => {
    const { sweep } = refSweep({ ...LECTURE, depth: 40 }, { kind: 'depth', depths: Array.from({ length: 40 }, (_, i) => i + 1) });
    const name = exportFilename(sweep, 'json');
    expect(name).toBe('depth-lab_identity_x1.5_linear_n2_m1_seed7_depth-1-to-40.json');
    expect(exportFilename(sweep, 'csv')).toMatch(/\.csv$/);
    const gain = exportFilename({ base: sweep.base, spec: { kind: 'gain', gains: [0.5, 1] } }, 'png');
    expect(gain).toBe('depth-lab_identity_linear_n2_m1_seed7_gain-0.5_1.png');
    for (const n of [name, gain]) expect(n).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('computes GFLOP/s from the rows’ FLOPs and the wall time', () => {
    const { results } = refSweep({ ...LECTURE, depth: 3 }, { kind: 'depth', depths: [1, 3] });
    const flops = 6 * 1 * 4 * (1 + 3);
    expect(throughput(results, 2)).toEqual({ flops, gflopsPerSecond: flops / 2e6 });
    expect(throughput(results, 0).gflopsPerSecond).toBeNull();
  });
});
