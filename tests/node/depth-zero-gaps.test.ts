// Review item: the Var z row chart drew exact zeros at the bottom of its log axis, where they read as the bottom
// tick (0.1, 1e-40 …). A 0 has no place on a log axis. Then (s9) the chart left them out as gaps, and on 1.5·I at
// depth 240 (1–215 exactly 0, the rest lost) it was an empty frame with only the lost band. Now the zeros keep the
// status 'zero' and the chart shades every layer where all its solid lines are exactly 0 as a band marked
// "exactly 0" (viz/line-bands.ts statusBands), with no y position; a sentence under it names the layers.
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/labs/depth/presets';
import { chartStatus, layerRanges, zeroGapNote, zeroLayers } from '../../src/labs/depth/zero-gaps';
import { CellStatus, effectiveStatus, toStatusCodes } from '../../src/viz/heatmap-model';
import { refSweep } from '../helpers/ref-sweep';
import { statusBands } from '../../src/viz/line-bands';
import { runF32 } from '../helpers/deep-net-f32';
import { QUANTITIES } from '../../src/labs/depth/form';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { F32_MIN_NORMAL } from '../../src/labs/depth/predictions';
import { validateDeepNetConfig } from '../../src/labs/depth/config';

const run = (id: string, depth: number) => {
  const p = PRESETS.find((x) => x.id === id)!;
  return refSweep(p.small.config, p.small.sweep).results.find((r) => r.config.depth === depth)!.run;
};

describe('exact zeros on a log-axis row chart', () => {
  it('Var z’s description does not call every 0 a true zero: on Xavier + ReLU the 0s come where the signal vanished', () => {
    // Review item: the tab's description said an exactly-0 Var z is "a true zero, not a vanished signal", on the very
    // rows where the signal vanishes. On the GPU (f32, flushing subnormals) Xavier + ReLU's deepest row holds Var z = 0
    // in its last layers, where ‖a‖ is below the lab's underflow mark.
    const p = PRESETS.find((x) => x.id === 'xavier-relu')!;
    const c = { ...p.small.config, depth: 128 };
    const f32 = runF32(validateDeepNetConfig(c), { flush: true });
    const zeros = zeroLayers(f32.layers.zVar, f32.status.zVar as string[]);
    expect(zeros.length).toBeGreaterThan(0);
    // Not equal entries: in float64 Var z is positive there, below f32's normal range (z's entries ~1e-19, squared).
    const ref = deepNetRef(validateDeepNetConfig(c)).layers.zVar;
    for (const l of zeros) {
      expect(ref[l - 1], `float64 Var z at layer ${l}`).toBeGreaterThan(0);
      expect(ref[l - 1], `float64 Var z at layer ${l}`).toBeLessThan(F32_MIN_NORMAL);
    }
    const description = QUANTITIES.find((q) => q.name === 'zVar')!.description;
    expect(description).not.toMatch(/not a vanished signal/);
    expect(description).toMatch(/the signal has vanished/);
    expect(description).toMatch(/squares below f32’s range/);
  });

  it('W = 1.5·I, depth 240: Var z is exactly 0 at layers 1–215; the chart shades them as one "exactly 0" band, the note says so', () => {
    const r = run('lecture-1.5I', 240);
    const values = r.layers.zVar;
    const status = r.status.zVar as string[];
    expect(zeroLayers(values, status)).toEqual(Array.from({ length: 215 }, (_, i) => i + 1));
    const drawn = chartStatus(values, status);
    // What the chart does with each point: every exact 0 is 'zero' (a band, no y position), none is a point.
    const codes = Array.from(toStatusCodes(drawn, values.length), (c, i) => effectiveStatus(values[i], c as CellStatus));
    for (let i = 0; i < values.length; i++) {
      if (values[i] === 0 && status[i] === 'finite') expect(codes[i], `layer ${i + 1}`).toBe(CellStatus.Zero);
      expect(codes[i], `layer ${i + 1}`).not.toBe(CellStatus.Finite);
    }
    // Every other status is kept (the lost layers after the overflow stay lost).
    expect(drawn.slice(215)).toEqual(status.slice(215));
    // The chart model: one band of exact zeros over layers 1–215, one lost band over 216–240; no layer is left blank.
    const layers = Array.from({ length: values.length }, (_, i) => i + 1);
    const measured = { x: layers, status: codes };
    expect(statusBands([measured], CellStatus.Zero)).toEqual([{ from: 1, to: 215, count: 215 }]);
    expect(statusBands([measured], CellStatus.Lost)).toEqual([{ from: 216, to: 240, count: 25 }]);
    expect(zeroGapNote('Var z', values, status)).toBe(
      'Var z is exactly 0 at layers 1–215: 0 has no place on a log axis, so the chart marks those layers “exactly 0” instead of drawing points.',
    );
  });

  it('a band only where every line is exactly 0: a pinned run with values there splits it', () => {
    const layers = [1, 2, 3, 4, 5, 6];
    const Z = CellStatus.Zero;
    const F = CellStatus.Finite;
    const current = { x: layers, status: [Z, Z, Z, Z, F, Z] };
    expect(statusBands([current], Z)).toEqual([
      { from: 1, to: 4, count: 4 },
      { from: 6, to: 6, count: 1 },
    ]);
    const pinned = { x: layers, status: [Z, Z, F, Z, F, F] };
    expect(statusBands([current, pinned], Z)).toEqual([
      { from: 1, to: 2, count: 2 },
      { from: 4, to: 4, count: 1 },
    ]);
    // A shorter series has no point past its end: no band there.
    expect(statusBands([current, { x: [1, 2], status: [Z, Z] }], Z)).toEqual([{ from: 1, to: 2, count: 2 }]);
    expect(statusBands([], Z)).toEqual([]);
  });

  it('a norm that vanished keeps its underflow marker (its 0 is a vanished signal, not a value), and He + ReLU has no note', () => {
    // The GPU's f32 (subnormals flushed): ‖a‖ is exactly 0 from layer 127.
    const r = runF32(PRESETS.find((x) => x.id === 'lecture-0.5I')!.config, { flush: true });
    const status = r.status.actNorm as string[];
    expect(Array.from(r.layers.actNorm)).toContain(0);
    expect(chartStatus(r.layers.actNorm, status)).toEqual(status);
    expect(zeroGapNote('‖a‖', r.layers.actNorm, status)).toBe('');
    const he = run('he-relu', 128);
    expect(zeroGapNote('Var z', he.layers.zVar, he.status.zVar as string[])).toBe('');
  });

  it('ranges: one layer, runs and singles', () => {
    expect(layerRanges([7])).toBe('7');
    expect(layerRanges([3, 5, 6, 7, 8, 9, 12])).toBe('3, 5–9, 12');
    expect(zeroGapNote('Var z', [1, 0, 2], ['finite', 'finite', 'finite'])).toBe(
      'Var z is exactly 0 at layer 2: 0 has no place on a log axis, so the chart marks that layer “exactly 0” instead of drawing a point.',
    );
  });
});
