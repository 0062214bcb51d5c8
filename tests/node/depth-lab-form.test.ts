import { describe, expect, it } from 'vitest';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import {
  QUANTITIES,
  checkMemory,
  closestPreset,
  describeSmallSize,
  displayDomain,
  draftFromState,
  formatBytes,
  makeLabHeatmapData,
  matchPreset,
  nextStep,
  parseDraft,
  quantityForView,
} from '../../src/labs/depth/form';
import { PRESETS, presetRun, presetSizeFor } from '../../src/labs/depth/presets';
import { cpuCapProblem } from '../../src/labs/depth/cpu/deep-net-cpu';
import { analyzeRow, limitSentences, measureLimits } from '../../src/labs/depth/row-analysis';
import type { SweepResult } from '../../src/labs/depth/sweep';
import { makeSweepGrid } from '../../src/labs/depth/sweep-grid';
import { decodeState, encodeState } from '../../src/labs/depth/url-state';
import { CellStatus, makeHeatmapModel } from '../../src/viz/heatmap-model';
import { runF32 } from '../helpers/deep-net-f32';

// The Depth lab's DOM-free view model: form text ↔ state, per-field problems, memory check, heatmap
// data, and the per-row analysis (prediction verdict, f32 limits).

const lecture = PRESETS.find((p) => p.id === 'lecture-1.5I')!;
const lectureState = () => ({ config: { ...lecture.config }, sweep: structuredClone(lecture.sweep) });

describe('draft ↔ state', () => {
  it('round-trips every preset at both sizes, and the URL of each preset too', () => {
    for (const p of PRESETS) {
      for (const size of ['full', 'small'] as const) {
        const run = presetRun(p, size);
        const state = { config: { ...run.config }, sweep: structuredClone(run.sweep) };
        const parsed = parseDraft(draftFromState(state));
        expect(parsed.problems, p.id).toEqual({});
        expect(parsed.state, p.id).toEqual(state);
        expect(matchPreset(parsed.state), `${p.id} ${size}`).toEqual({ preset: p, size });
        const back = decodeState(encodeState(state));
        expect(back.problems).toEqual([]);
        expect(parseDraft(draftFromState(back.state)).state).toEqual(state);
      }
    }
  });

  it('gives every preset a small size the CPU fallback accepts, with fewer rows or less work, and says what changed', () => {
    for (const p of PRESETS) {
      const fullRows = makeSweepGrid(p.config, p.sweep).map((r) => r.config);
      const smallRows = makeSweepGrid(p.small.config, p.small.sweep).map((r) => r.config);
      const work = (rows: { depth: number; batch: number; width: number }[]) => rows.reduce((s, c) => s + c.depth * c.batch * c.width ** 2, 0);
      expect(cpuCapProblem(smallRows), p.id).toBeNull();
      expect(smallRows.length < fullRows.length || work(smallRows) < work(fullRows), p.id).toBe(true);
      // The lesson is the same: same activation, init, gain and input; only sizes and the sampled depths change.
      for (const f of ['activation', 'init', 'gain', 'input', 'seed'] as const) expect(p.small.config[f], `${p.id} ${f}`).toBe(p.config[f]);
      expect(describeSmallSize(p), p.id).toMatch(/\(full: /);
    }
    expect(presetSizeFor({ softwareAdapter: true, cpuFallback: false })).toBe('small');
    expect(presetSizeFor({ softwareAdapter: false, cpuFallback: true })).toBe('small');
    expect(presetSizeFor({ softwareAdapter: false, cpuFallback: false })).toBe('full');
  });

  it('reports each bad field with what is allowed, and no state, leaving other fields alone', () => {
    const draft = { ...draftFromState(lectureState()), width: '0', gain: 'abc', seed: '1.5' };
    const { state, problems } = parseDraft(draft);
    expect(state).toBeNull();
    expect(Object.keys(problems).sort()).toEqual(['gain', 'seed', 'width']);
    expect(problems.width).toBe('must be an integer from 1 to 1024, got 0');
    expect(problems.gain).toMatch(/finite number from 0\.000001 to 1000000 .*got "abc"/);
    expect(problems.seed).toMatch(/integer from 0 to 4294967295, got 1\.5/);
  });

  it('ignores the field the sweep sets, and takes the deepest depth as the base depth', () => {
    const draft = { ...draftFromState(lectureState()), depth: 'not used', depthValues: '2, 1..5:2, 40' };
    const { state, problems } = parseDraft(draft);
    expect(problems).toEqual({});
    expect(state!.sweep).toEqual({ kind: 'depth', depths: [2, 1, 3, 5, 40] });
    expect(state!.config.depth).toBe(40);
  });

  it('reports bad sweep values: syntax, range, duplicates, an empty init list', () => {
    const base = draftFromState(lectureState());
    expect(parseDraft({ ...base, depthValues: '5..1' }).problems.values).toMatch(/runs backwards/);
    expect(parseDraft({ ...base, depthValues: '0..3' }).problems.values).toMatch(/outside 1\.\.1000/);
    expect(parseDraft({ ...base, depthValues: '1, 2, 2' }).problems.values).toMatch(/appears twice/);
    expect(parseDraft({ ...base, sweepKind: 'gain', gainValues: '1, x' }).problems.values).toMatch(/'x' is not a finite number/);
    expect(parseDraft({ ...base, sweepKind: 'init', inits: [] }).problems.values).toMatch(/pick at least one/);
    // The other kinds keep their own text: switching kind loses nothing.
    const gain = parseDraft({ ...base, sweepKind: 'gain', gainValues: '0.5, 1.5' });
    expect(gain.state!.sweep).toEqual({ kind: 'gain', gains: [0.5, 1.5] });
    expect(gain.state!.config.depth).toBe(240); // the draft's depth, now a real field
  });
});

describe('checkMemory', () => {
  const state = { config: validateDeepNetConfig({ depth: 100, width: 64, batch: 1024 }), sweep: { kind: 'gain' as const, gains: [1] } };

  it('refuses when one buffer exceeds the smaller limit, naming it', () => {
    // Activations, the biggest buffer: 101·1024·64·4 bytes ≈ 25.3 MiB.
    const m = checkMemory(state, { maxStorageBufferBindingSize: 8 << 20, maxBufferSize: 1 << 30 });
    expect(m.largest.bytes).toBe(101 * 1024 * 64 * 4);
    expect(m.refuse).toMatch(/maxStorageBufferBindingSize is 8\.00 MiB/);
    expect(m.refuse).toMatch(/activations/);
    const m2 = checkMemory(state, { maxStorageBufferBindingSize: 1 << 30, maxBufferSize: 4 << 20 });
    expect(m2.refuse).toMatch(/maxBufferSize is 4\.00 MiB/);
  });

  it('warns (without refusing) when only the total exceeds the limit, and is quiet when it fits', () => {
    const total = checkMemory(state, null).totalBytes;
    expect(total).toBe(4 * ((3 * 100 + 1) * 1024 * 64 + 2 * 100 * 64 * 64)); // ≈ 78.4 MiB
    const m = checkMemory(state, { maxStorageBufferBindingSize: 40 << 20, maxBufferSize: 1 << 30 });
    expect(m.refuse).toBeNull();
    expect(m.warn).toMatch(/may run out of memory/);
    const ok = checkMemory(state, { maxStorageBufferBindingSize: 1 << 30, maxBufferSize: 1 << 30 });
    expect(ok.refuse).toBeNull();
    expect(ok.warn).toBeNull();
  });

  it('sizes a depth sweep by its deepest row', () => {
    const s = { config: validateDeepNetConfig({ depth: 10, width: 4, batch: 2 }), sweep: { kind: 'depth' as const, depths: [1, 50, 10] } };
    expect(checkMemory(s, null).totalBytes).toBe(4 * ((3 * 50 + 1) * 2 * 4 + 2 * 50 * 16));
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(100)).toBe('100 bytes');
  });
});

function refResults(depths: number[]): SweepResult[] {
  const base = validateDeepNetConfig({ ...lecture.config, depth: Math.max(...depths) });
  return makeSweepGrid(base, { kind: 'depth', depths }).map((row, index) => {
    const ref = deepNetRef(row.config);
    return { ...row, index, run: { ...ref, config: row.config, wallMs: 1, flops: 1, timings: [] } };
  });
}

describe('makeLabHeatmapData', () => {
  it('has one row per result, columns up to the deepest, and "none" past each row’s depth', () => {
    const results = refResults([2, 5, 3]);
    const q = quantityForView('act');
    expect(q.name).toBe('actNorm');
    const d = makeLabHeatmapData(results, q, 'depth', 6);
    expect(d.rowLabels).toEqual(['2', '5', '3']);
    expect(d.cols).toBe(6);
    expect(d.values).toHaveLength(18);
    const status = Array.from(d.status as Uint8Array);
    expect(status.slice(0, 6)).toEqual([0, 0, 4, 4, 4, 4].map((s) => s as CellStatus));
    expect(status.slice(6, 12)).toEqual([0, 0, 0, 0, 0, 4]);
    expect(d.values[6 + 4]).toBeCloseTo(1.5 ** 5 * Math.SQRT2, 10);
    expect(d.quantity).toBe('‖a‖');
    expect(makeLabHeatmapData(results, q, 'depth').cols).toBe(5);
  });

  // Walk s11 D3: W = 0.5·I promises ‖a‖ "exactly 0 near layer 150 (127 with flushing)", but the heatmap's only
  // class there was "underflow", from layer 124 (the 1e-37 mark). Exact zeros now show as 'exactly 0'.
  it('W = 0.5·I on a flushing GPU (f32): ‖a‖ underflows from layer 124 and is exactly 0 from 127, as the legend says', () => {
    const c = validateDeepNetConfig({ ...lecture.config, gain: 0.5, depth: 160 });
    const run = runF32(c, { flush: true });
    const results = [{ ...makeSweepGrid(c, { kind: 'depth', depths: [160] })[0], index: 0, run: { ...run, config: c, wallMs: 1, flops: 1, timings: [] } }];
    const d = makeLabHeatmapData(results as SweepResult[], quantityForView('act'), 'depth');
    const status = Array.from(d.status as Uint8Array);
    const zeros = status.flatMap((s, i) => (s === CellStatus.Zero ? [i + 1] : []));
    expect(zeros).toEqual(Array.from({ length: 160 }, (_, i) => i + 1).filter((l) => run.layers.actNorm[l - 1] === 0));
    expect(zeros[0]).toBe(127);
    expect(status.slice(123, 126)).toEqual([CellStatus.Underflow, CellStatus.Underflow, CellStatus.Underflow]);
    const legend = makeHeatmapModel(d).legend.map((e) => [e.label, e.count]);
    expect(legend).toEqual([
      ['underflow (below 1e-37)', 3],
      ['exactly 0', 34],
    ]);
  });

  it('maps the lab’s statuses to the heatmap’s codes', () => {
    const results = refResults([3]);
    results[0].run.status.gradWNorm = ['overflow', 'underflow', 'nan'];
    const d = makeLabHeatmapData(
      results,
      QUANTITIES.find((q) => q.name === 'gradWNorm')!,
      'depth',
    );
    expect(Array.from(d.status as Uint8Array)).toEqual([CellStatus.Overflow, CellStatus.Underflow, CellStatus.NaN]);
    expect(d.lostCauses).toEqual([null]);
  });

  it("maps 'lost' to its own code and names each row's cause (f32 overflow only where the value left f32's range)", () => {
    const results = refResults([2, 3, 4]);
    results[1].run.status.actNorm = ['overflow', 'lost', 'lost'];
    results[1].run.layers.actNorm[0] = Infinity;
    results[2].run.status.actNorm = ['overflow', 'lost', 'lost', 'lost'];
    results[2].run.layers.actNorm[0] = 2e38; // past the lab's 1e38 mark, still inside f32 (max ≈ 3.4e38)
    const d = makeLabHeatmapData(
      results,
      QUANTITIES.find((q) => q.name === 'actNorm')!,
      'depth',
    );
    expect(Array.from(d.status as Uint8Array).slice(4, 7)).toEqual([CellStatus.Overflow, CellStatus.Lost, CellStatus.Lost]);
    expect(d.lostCauses).toEqual([null, '‖a‖ overflowed f32 at layer 1', "‖a‖ passed the lab's 1e38 overflow mark at layer 1"]);
  });
});

describe('row analysis', () => {
  it('measures where f32 ran out: first Infinity/NaN of ‖a‖, first layer backprop reaches for gradients', () => {
    const L = 30;
    const run = refResults([L])[0].run;
    run.layers.actNorm[19] = Infinity;
    run.layers.actNorm[20] = NaN;
    run.layers.gradActNorm.fill(NaN, 0, 12);
    run.layers.gradActNorm[25] = 0;
    run.status.actNorm[17] = 'overflow';
    const m = measureLimits(run);
    expect(m.actOverflow).toBe(20);
    expect(m.actOverflowThreshold).toBe(18);
    expect(m.gradOverflow).toBe(12);
    expect(m.gradZero).toBe(26);
    expect(m.actZero).toBeNull();
  });

  it('writes the limit sentences with the prediction beside the measurement', () => {
    const config = validateDeepNetConfig({ ...lecture.config, depth: 230 });
    const predicted = { activation: { overflow: 219, subnormal: null, zero: null }, gradient: { overflow: 230, subnormal: null, zero: null }, note: '' };
    const measured = { actOverflow: 219, actOverflowThreshold: 215, actZero: null, actUnderflowThreshold: null, gradOverflow: 230, gradZero: null };
    expect(limitSentences(config, measured, predicted)).toEqual([
      "‖a‖ overflows f32 at layer 219 (predicted 219); it passes the lab's 1e38 overflow mark at layer 215.",
      'Gradients ∂J/∂a overflow at layer 230 (predicted 230) (the first layer the backward pass reaches, counting down from the last, with an Infinity or NaN).',
    ]);
    const none = { actOverflow: null, actOverflowThreshold: null, actZero: null, actUnderflowThreshold: null, gradOverflow: null, gradZero: null };
    expect(
      limitSentences(config, none, {
        ...predicted,
        activation: { overflow: null, subnormal: null, zero: null },
        gradient: { overflow: null, subnormal: null, zero: null },
      }),
    ).toEqual(["Activations and gradients stay inside f32's range at all 230 layers, as predicted."]);
    expect(limitSentences(config, none, null)).toEqual([]);
  });

  it('gives an agree verdict for the float64 reference and a disagree one when a value is off', () => {
    const [r] = refResults([12]);
    expect(analyzeRow(r.config, r.run).verdict?.verdict).toBe('agree');
    r.run.layers.actNorm[6] *= 1.1;
    const a = analyzeRow(r.config, r.run);
    expect(a.verdict?.verdict).toBe('disagree');
    expect(a.verdict?.worstLayer).toBe(7);
    expect(a.verdict?.worstLog10Ratio).toBeCloseTo(Math.log10(1.1), 10);
  });
});

describe('displayDomain and closestPreset', () => {
  it('widens a narrow log range to 4 decades about its middle and keeps a wide one', () => {
    expect(displayDomain([10, 100])).toEqual({ min: -0.5, max: 3.5 });
    expect(displayDomain([1e-3, 1e5])).toEqual({ min: -3, max: 5 });
    // Non-finite cells and cells with a non-finite status do not count.
    expect(displayDomain([10, Infinity, 0, NaN, 1e9], [0, 0, 0, 0, CellStatus.Overflow])).toEqual({ min: -1, max: 3 });
    expect(displayDomain([Infinity, 0])).toBeNull();
  });

  it('finds the preset a state varies, exactly or by its activation, init, gain and input', () => {
    expect(closestPreset(lectureState())).toEqual({ preset: lecture, exact: true, size: 'full' });
    expect(closestPreset({ config: { ...lecture.small.config }, sweep: structuredClone(lecture.small.sweep) })).toEqual({
      preset: lecture,
      exact: true,
      size: 'small',
    });
    const small = { config: { ...lecture.config, depth: 40 }, sweep: { kind: 'depth' as const, depths: [1, 40] } };
    expect(closestPreset(small)).toEqual({ preset: lecture, exact: false });
    expect(closestPreset({ ...small, config: { ...small.config, gain: 1.25 } })).toBeUndefined();
  });
});

describe('nextStep', () => {
  it('points from each lecture preset to the next experiment', () => {
    expect(nextStep('lecture-0.5I', null)).toMatch(/He \+ ReLU.*flatten/);
    expect(nextStep('lecture-1.5I', null)).toMatch(/0\.5·I/);
    for (const p of PRESETS) expect(nextStep(p.id, null).length).toBeGreaterThan(20);
  });
});
