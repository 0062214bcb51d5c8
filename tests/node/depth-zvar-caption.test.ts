import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../src/labs/depth/presets';
import { zVarCaption } from '../../src/labs/depth/zvar-caption';
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
      'In this run Var z is exactly 0 at every measured layer: within each layer every pre-activation is the same number, so they have no spread at all, while ‖a‖ grows until it passes the lab’s 1e38 overflow mark at layer 215 (row depth=240).',
    );
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
