import { describe, expect, it } from 'vitest';
import { phaseMapStateFromOptions } from '../../src/cli/phase-map';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { DEFAULT_CONFIG, validateDeepNetConfig } from '../../src/labs/depth/config';
import { draftFromState } from '../../src/labs/depth/form';
import { buildPhaseMap, phaseMapConfigs, phaseMapSweep } from '../../src/labs/depth/phase-map';
import {
  describeSmallPhase,
  matchPhasePreset,
  parsePhaseDraft,
  PHASE_PRESETS,
  phaseDraftFromState,
  phasePresetRun,
} from '../../src/labs/depth/phase-map-view/form';
import { decodePhaseMapState, encodePhaseMapState, parsePhaseGains } from '../../src/labs/depth/phase-map-view/url-state';
import { presetSizeFor } from '../../src/labs/depth/presets';
import { SPECIAL_COLORS } from '../../src/viz/colormap';
import { divergingColor, gainX, labelIndices, makePhaseMapModel, phaseCellAt, phaseCellColor } from '../../src/viz/phase-map-model';
import { InputError } from '../../src/errors';

// The phase map's view model in the Depth lab: its form fields ↔ state (the link the CLI reads), its preset,
// and the chart's DOM-free model (colours, predicted line, measured marks).

const preset = PHASE_PRESETS[0];
const draftOf = (p = phasePresetRun(preset, 'small')) => ({
  draft: draftFromState({ config: p.config, sweep: { kind: 'gain', gains: p.spec.gains } }),
  phase: phaseDraftFromState({ spec: p.spec, quantity: 'forward' }),
});

describe('phase map form', () => {
  it('parses the preset’s fields into the state the CLI builds from the same options (same link)', () => {
    for (const size of ['full', 'small'] as const) {
      const run = phasePresetRun(preset, size);
      const { draft, phase } = draftOf(run);
      const parsed = parsePhaseDraft(draft, phase);
      expect(parsed.problems).toEqual({});
      const c = run.config;
      const cli = phaseMapStateFromOptions({
        sweep: 'gain-depth',
        width: String(c.width),
        batch: String(c.batch),
        act: c.activation,
        init: c.init,
        seed: String(c.seed),
        input: c.input,
        gains: phase.gains,
        depths: phase.depths,
      });
      expect(encodePhaseMapState(parsed.state!)).toBe(encodePhaseMapState(cli));
      expect(parsed.state!.spec).toEqual(run.spec);
      // Depth and gain are the map's: the base carries the defaults, the sweep runs the deepest net.
      expect(parsed.state!.base.config.depth).toBe(DEFAULT_CONFIG.depth);
      expect(phaseMapSweep(parsed.state!.base.config, parsed.state!.spec).base.depth).toBe(run.spec.depths.at(-1));
      expect(matchPhasePreset(parsed.state)).toEqual({ preset, size });
    }
  });

  it('a link round-trips through the fields', () => {
    const { draft, phase } = draftOf();
    const state = parsePhaseDraft(draft, { ...phase, ratio: 'backward' }).state!;
    const back = decodePhaseMapState(encodePhaseMapState(state));
    expect(back.problems).toEqual([]);
    expect(phaseDraftFromState(back.state)).toEqual({ ...phase, ratio: 'backward' });
    expect(parsePhaseDraft(draftFromState(back.state.base), phaseDraftFromState(back.state)).state).toEqual(state);
  });

  it('gives each bad field the parser’s message, ignores the depth and gain fields, and keeps the typed text', () => {
    const { draft, phase } = draftOf();
    let expected = '';
    try {
      parsePhaseGains('0.5..2:0');
    } catch (err) {
      expected = (err as InputError).message.replace(/^gains: /, '');
    }
    expect(expected).not.toBe('');
    const bad = parsePhaseDraft({ ...draft, width: '0', depth: 'deep', gain: '-3' }, { ...phase, gains: '0.5..2:0', depths: '0..10' });
    expect(bad.state).toBeNull();
    expect(bad.problems.gains).toBe(expected);
    expect(bad.problems.depths).toMatch(/integer from 1 to|0/);
    expect(bad.problems.width).toMatch(/1/);
    expect(Object.keys(bad.problems).sort()).toEqual(['depths', 'gains', 'width']);
    expect(parsePhaseDraft({ ...draft, depth: 'deep', gain: '-3' }, phase).problems).toEqual({});
  });

  it('the preset’s small size is what a software adapter or the CPU fallback runs, and says what it changes', () => {
    expect(presetSizeFor({ softwareAdapter: true, cpuFallback: false })).toBe('small');
    expect(preset.small.spec.gains).toHaveLength(25);
    expect(preset.spec.depths).toHaveLength(100);
    expect(describeSmallPhase(preset)).toBe('width n 64 (full: 256), batch m 16 (full: 128), depths 1..50 (full: 1..100)');
    expect(preset.title).toBe('Phase map: He + ReLU');
  });
});

describe('phase map chart model', () => {
  it('places gains on the x axis in log(gain) between column centres', () => {
    const gains = [0.5, 1, 2];
    expect(gainX(gains, 1)).toBe(1.5);
    expect(gainX(gains, Math.SQRT2)).toBeCloseTo(2, 12);
    expect(gainX(gains, 0.4)).toBeNull();
    expect(gainX(gains, 2.1)).toBeNull();
    expect(gainX([1], 1)).toBe(0.5);
  });

  it('diverges from near white at 0 to teal (shrinks) and brown (grows)', () => {
    const [r0, g0, b0] = divergingColor(0);
    expect(Math.min(r0, g0, b0)).toBeGreaterThan(230);
    const [rn, , bn] = divergingColor(-1);
    const [rp, , bp] = divergingColor(1);
    expect(bn).toBeGreaterThan(rn); // teal
    expect(rp).toBeGreaterThan(bp); // brown
    expect(divergingColor(5)).toEqual(divergingColor(1));
  });

  it('builds the model of a real map: a symmetric range, the predicted line, one mark per crossing, status colours', () => {
    const base = validateDeepNetConfig({ width: 24, batch: 4, activation: 'relu', init: 'he-normal', input: 'normal', seed: 3 });
    const spec = { gains: [0.5, 0.8, 1, 1.25, 2], depths: [1, 5, 20, 60] };
    const runs = phaseMapConfigs(base, spec).map((c) => deepNetRef(c));
    const map = buildPhaseMap(base, spec, runs, 'forward');
    const m = makePhaseMapModel(map);
    const maxAbs = Math.max(...Array.from(map.values).filter(Number.isFinite).map(Math.abs));
    expect(m.range).toBe(Math.ceil(maxAbs));
    expect(m.predictedX).toBe(2.5);
    expect(m.marks.map((k) => k.row)).toEqual(map.measuredGain.flatMap((g, i) => (g === null ? [] : [i])));
    expect(m.statuses).toEqual([]);
    // Cell (gain 2, depth 60) grows: brown; (gain 0.5, depth 60) shrinks: teal.
    const grow = phaseCellColor(m, 4, 3);
    const shrink = phaseCellColor(m, 0, 3);
    expect(grow[0]).toBeGreaterThan(grow[2]);
    expect(shrink[2]).toBeGreaterThan(shrink[0]);
    const bad = makePhaseMapModel({ ...map, status: map.status.map((s, i) => (i === 0 ? 'overflow' : i === 1 ? 'lost' : s)) });
    expect(bad.statuses).toEqual([
      { name: 'overflow', count: 1 },
      { name: 'lost', count: 1 },
    ]);
    expect(phaseCellColor(bad, 0, 0)).toEqual(SPECIAL_COLORS.overflow);
    expect(phaseCellColor(bad, 0, 1)).toEqual(SPECIAL_COLORS.lost);
    expect(makePhaseMapModel({ ...map, predictedGain: null }).predictedX).toBeNull();
  });

  it('finds the cell under a point and spreads axis labels', () => {
    const plot = { x: 10, y: 20, w: 100, h: 50 };
    expect(phaseCellAt({ cols: 4, rows: 5 }, 10, 20, plot)).toEqual({ col: 0, row: 0 });
    expect(phaseCellAt({ cols: 4, rows: 5 }, 109.9, 69.9, plot)).toEqual({ col: 3, row: 4 });
    expect(phaseCellAt({ cols: 4, rows: 5 }, 9, 30, plot)).toBeNull();
    expect(labelIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    const idx = labelIndices(100, 6);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(99);
    expect(idx.length).toBeLessThanOrEqual(6);
  });
});
