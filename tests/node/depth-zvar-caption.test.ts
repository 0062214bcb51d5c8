import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/labs/depth/presets';
import { summarizeZVar, zVarCaption } from '../../src/labs/depth/zvar-caption';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { runF32 } from '../helpers/deep-net-f32';
import { refSweep } from '../helpers/ref-sweep';

// Review item: the Var z tab said the same thing for every preset ("exactly 0 … as in an identity net on an
// all-ones input"), also under He or Xavier, where Var z is never 0. The caption is now made from the run's
// numbers: what Var z did in this run, and by how much.

const smallRun = (id: string) => {
  const p = PRESETS.find((x) => x.id === id)!;
  return refSweep(p.small.config, p.small.sweep).results;
};

describe('zVarCaption: what the Var z view shows for this run', () => {
  const captions = new Map(PRESETS.map((p) => [p.id, zVarCaption(smallRun(p.id))]));

  it('W = 1.5·I: Var z exactly 0 at every layer while ‖a‖ explodes (the layer it passes 1e38 in the deepest row)', () => {
    expect(captions.get('lecture-1.5I')).toBe(
      'In this run Var z is exactly 0 at every measured layer: within each layer every pre-activation is the same number, so they have no spread at all, while ‖a‖ grows until it passes the lab’s 1e38 overflow mark at layer 215 (row depth=240). In 3 rows z itself leaves f32’s range at layer 219: Var z there is not 0 but an overflow (on the heatmap: “overflow (above 1e38)”, or “after a value passed 1e38 or became NaN” where an earlier layer had already passed 1e38).',
    );
  });

  it('W = 1.5·I: the cells where z has left f32 (layer 219 of rows 220, 230, 240) are overflows, never zeros — f32 and float64 alike', () => {
    const results = smallRun('lecture-1.5I');
    const s = summarizeZVar(results);
    expect(s.zOverflow).toEqual({ rows: 3, first: 219, last: 219, row: results.findIndex((r) => r.config.depth === 220) });
    // On the GPU (f32): z = Infinity at 219, whatever Var z the GPU reports there (NaN in f32, or a 0 under finite-math
    // rules) and even if that cell were not marked lost, it is not counted as a measured 0.
    const c = validateDeepNetConfig({ ...PRESETS[0].small.config, depth: 240 });
    const gpu = runF32(c, { flush: true });
    expect(gpu.layers.actNorm[218]).toBe(Infinity);
    const zeroAtInf = { ...gpu, layers: { ...gpu.layers, zVar: gpu.layers.zVar.map((v, i) => (i === 218 ? 0 : v)) } };
    zeroAtInf.status = { ...gpu.status, zVar: gpu.status.zVar.map((st, i) => (i >= 215 ? 'finite' : st)) };
    zeroAtInf.layers.zMean = gpu.layers.zMean.map((v, i) => (i === 218 ? Infinity : v));
    for (const run of [gpu, zeroAtInf]) {
      const one = summarizeZVar([{ label: 'depth=240', run }]);
      expect(one.zOverflow).toEqual({ rows: 1, first: 219, last: 219, row: 0 });
      expect(zVarCaption([{ label: 'depth=240', run }])).toContain(
        'In row depth=240 z itself leaves f32’s range at layer 219: Var z there is not 0 but an overflow (on the heatmap: “overflow (above 1e38)”, or “after a value passed 1e38 or became NaN” where an earlier layer had already passed 1e38).',
      );
    }
  });

  it('W = 0.5·I: Var z exactly 0 while ‖a‖ vanishes', () => {
    expect(captions.get('lecture-0.5I')).toContain('Var z is exactly 0 at every measured layer');
    expect(captions.get('lecture-0.5I')).toContain('while ‖a‖ shrinks until it drops below the lab’s 1e-37 underflow mark at layer 124 (row depth=160)');
  });

  it('He + ReLU: Var z stays in a band (its smallest and largest value); Xavier + ReLU: it halves per layer', () => {
    expect(captions.get('he-relu')).toMatch(
      /^In this run Var z neither explodes nor vanishes: in row depth=128 it stays between 0\.15\d+ and 13\.\d+ \(2\.\d+ at layer 1, 0\.18\d+ at layer 128\)\.$/,
    );
    expect(captions.get('xavier-relu')).toMatch(
      /^In this run Var z shrinks with depth, by a factor of about 0\.49 per layer: in row depth=128 it goes from 1\.\d+ at layer 1 to \S+e-40 at layer 128, \S+e39 times smaller\.$/,
    );
    expect(captions.get('he-relu')).not.toContain('exactly 0');
  });

  it('no two presets get the same caption', () => {
    expect(new Set(captions.values()).size).toBe(PRESETS.length);
  });

  it('follows the numbers, not the preset: W = 1.5·I on a random input grows by 1.5² per layer', () => {
    const { results } = refSweep(
      { width: 8, batch: 4, activation: 'linear', init: 'identity', gain: 1.5, input: 'normal', seed: 3 },
      { kind: 'depth', depths: [20] },
    );
    expect(zVarCaption(results)).toMatch(
      /^In this run Var z grows with depth, by a factor of about 2\.3 per layer: in row depth=20 it goes from \S+ at layer 1 to \S+ at layer 20, \S+ times larger\.$/,
    );
  });

  it('an init sweep with one all-equal net says in how many rows Var z is 0, then what the others do', () => {
    const { results } = refSweep(
      { width: 16, batch: 8, depth: 30, activation: 'relu', init: 'he-normal', gain: 1, input: 'ones', seed: 2 },
      { kind: 'init', inits: ['identity', 'he-normal'] },
    );
    const text = zVarCaption(results, (l) => `«${l}»`);
    expect(text).toMatch(
      /^In this run Var z is exactly 0 at every measured layer of 1 of the 2 rows: in those nets every pre-activation of a layer is the same number\. /,
    );
    expect(text).toContain('in row «init=he-normal»');
  });

  it('says nothing without a measured layer', () => {
    expect(zVarCaption([])).toBe('');
  });
});
