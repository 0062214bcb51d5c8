import { describe, expect, it } from 'vitest';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { buildPhaseMap, defaultPhaseMapSpec, phaseMapConfigs } from '../../src/labs/depth/phase-map';
import {
  makePhaseMapExport,
  PHASE_CSV_COLUMNS,
  phaseMapCsv,
  phaseMapFilename,
  phaseMapJsonText,
  type PhaseMapExport,
} from '../../src/labs/depth/phase-map-view/export';
import {
  decodePhaseMapState,
  encodePhaseMapState,
  formatPhaseList,
  isPhaseMapQuery,
  parsePhaseDepths,
  parsePhaseGains,
} from '../../src/labs/depth/phase-map-view/url-state';
import { decodeState } from '../../src/labs/depth/url-state';

// The phase map's link/form state (sweep=gain-depth&gains=…&depths=…) and its JSON/CSV export.

describe('phase map lists', () => {
  it("reads the issue's example grid: gains 0.5..2 in steps of 1/16, depths 1..100", () => {
    const gains = parsePhaseGains('0.5..2:0.0625');
    expect(gains).toHaveLength(25);
    expect(gains[0]).toBe(0.5);
    expect(gains[1]).toBe(0.5625);
    expect(gains[24]).toBe(2);
    expect(parsePhaseDepths('1..100')).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(parsePhaseGains('1.5, 0.5, 1')).toEqual([0.5, 1, 1.5]);
  });

  it('rejects bad lists naming the field and what is allowed', () => {
    expect(() => parsePhaseGains('0..2:0.5')).toThrow(/gains: item 1.*outside/);
    expect(() => parsePhaseGains('1,1')).toThrow(/gains\[1\].*twice/);
    expect(() => parsePhaseGains('0.01..2:0.01')).toThrow(/at most 64/);
    expect(() => parsePhaseGains('')).toThrow(/gains.*empty/);
    expect(() => parsePhaseDepths('1..10:1.5')).toThrow(/depths.*not a whole number/);
    expect(() => parsePhaseDepths('0..3')).toThrow(/depths.*outside/);
    expect(() => parsePhaseDepths('1..300')).toThrow(/at most 256/);
  });

  it('formats lists as the shortest text that reads back exactly', () => {
    const cases: number[][] = [parsePhaseGains('0.5..2:0.0625'), [1, 2, 3, 4], [1, 4, 7, 10], [0.5, 1, 2], [0.7], [0.1, 0.2, 0.3]];
    for (const v of cases) {
      const text = formatPhaseList(v);
      expect(parsePhaseGains(text)).toEqual(v);
    }
    expect(formatPhaseList(parsePhaseGains('0.5..2:0.0625'))).toBe('0.5..2:0.0625');
    expect(formatPhaseList([1, 2, 3, 4])).toBe('1..4');
    expect(formatPhaseList([0.5, 1, 2])).toBe('0.5,1,2');
  });
});

describe('phase map URL state', () => {
  it('round-trips a map through its query, other parameters included', () => {
    const q =
      'v=1&depth=40&width=16&batch=8&act=relu&init=he-normal&gain=1&seed=7&input=normal&sweep=gain-depth&gains=0.5..2:0.25&depths=1..40:3&ratio=backward';
    expect(isPhaseMapQuery(q)).toBe(true);
    const { state, problems } = decodePhaseMapState(q);
    expect(problems).toEqual([]);
    expect(state.base.config).toMatchObject({ width: 16, batch: 8, activation: 'relu', init: 'he-normal', seed: 7 });
    expect(state.spec.gains).toEqual([0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(state.spec.depths).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40]);
    expect(state.quantity).toBe('backward');
    const again = encodePhaseMapState(state);
    expect(again).toContain('sweep=gain-depth');
    expect(again).toContain('gains=0.5..2:0.25');
    expect(again).toContain('depths=1..40:3');
    expect(decodePhaseMapState(again)).toEqual({ state, problems: [] });
  });

  it('falls back per parameter with a message naming it; the rest of the link is kept', () => {
    const { state, problems } = decodePhaseMapState('sweep=gain-depth&width=32&gains=0.5,zz&depths=1..20&ratio=sideways');
    expect(state.base.config.width).toBe(32);
    expect(state.spec.depths).toHaveLength(20);
    expect(state.spec.gains).toEqual(defaultPhaseMapSpec().gains);
    expect(state.quantity).toBe('forward');
    expect(problems.map((p) => p.param)).toEqual(['gains', 'ratio']);
    expect(problems[0].message).toMatch(/'zz' is not a finite number; using the default 0.5..2:0.0625/);
    expect(problems[1].message).toMatch(/forward, backward/);
    // Missing lists take the defaults without complaint.
    expect(decodePhaseMapState('sweep=gain-depth')).toMatchObject({ state: { spec: defaultPhaseMapSpec() }, problems: [] });
  });

  it('leaves existing links unchanged: they are not phase maps, and decodeState reads them as before', () => {
    for (const q of ['v=1&sweep=depth&values=1..128', 'sweep=gain&values=0.5,1', 'sweep=init&values=he-normal', '']) {
      expect(isPhaseMapQuery(q)).toBe(false);
      expect(decodeState(q).problems).toEqual([]);
    }
  });
});

describe('phase map export', () => {
  const base = validateDeepNetConfig({ width: 8, batch: 4, activation: 'linear', init: 'identity', seed: 3, input: 'normal' });
  const spec = { gains: [0.5, 1, 2], depths: [1, 2, 3] };
  const runs = phaseMapConfigs(base, spec).map((c) => deepNetRef(c));

  it('holds both ratios per gain × depth, matching buildPhaseMap, and the critical gain', () => {
    const doc = makePhaseMapExport({ config: base, spec, runs, outcome: 'complete', exportedAt: new Date(0) });
    expect(doc.format).toBe('gradient-playground/phase-map');
    expect(doc.gains).toEqual([0.5, 1, 2]);
    expect(doc.config.depth).toBe(3);
    for (const q of ['forward', 'backward'] as const) {
      const map = buildPhaseMap(base, spec, runs, q);
      expect(doc[q].log10Ratio.flat()).toEqual(Array.from(map.values));
      expect(doc[q].predictedGain).toBe(1);
    }
    // identity nets: forward ratio is L·log10 g exactly
    expect(doc.forward.log10Ratio[2][2] as number).toBeCloseTo(3 * Math.log10(2), 12);
    const back = JSON.parse(phaseMapJsonText(doc)) as PhaseMapExport;
    expect(back).toEqual(doc);
  });

  it('writes a locale-independent long CSV, one line per ratio × gain × depth', () => {
    const doc = makePhaseMapExport({ config: base, spec, runs, outcome: 'complete' });
    const lines = phaseMapCsv(doc).trimEnd().split('\n');
    expect(lines[0]).toBe(PHASE_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 2 * 3 * 3);
    const row = lines.find((l) => l.startsWith('forward,2,3,'))!.split(',');
    expect(Number(row[3])).toBe(doc.forward.log10Ratio[2][2]);
    expect(row[4]).toBe('finite');
    expect(row[5]).toBe('1');
    expect(phaseMapFilename(base, spec, 'csv')).toBe('phase-map_identity_linear_n8_m4_seed3_gains-0.5-to-2_depths-1-to-3.csv');
  });

  it("records non-finite cells with their status and NaN, and a cancelled run's finished gains only", () => {
    const big = validateDeepNetConfig({ ...base, width: 4, batch: 2 });
    const s = { gains: [1, 8], depths: [1, 50] };
    const r = phaseMapConfigs(big, s).map((c) => deepNetRef(c));
    const doc = makePhaseMapExport({ config: big, spec: s, runs: r, outcome: 'complete' });
    expect(doc.forward.status[1][1]).not.toBe('finite');
    expect(doc.forward.log10Ratio[1][1]).toBe('NaN');
    expect(phaseMapCsv(doc)).toMatch(/^forward,8,50,NaN,(overflow|nan|lost),1,/m);
    const part = makePhaseMapExport({ config: big, spec: s, runs: r.slice(0, 1), outcome: 'cancelled' });
    expect(part).toMatchObject({ gainsDone: 1, gainsTotal: 2, gains: [1], outcome: 'cancelled' });
  });
});
