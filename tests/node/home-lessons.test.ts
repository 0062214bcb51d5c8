import { describe, expect, it } from 'vitest';
import { homeLead, homeLessons } from '../../src/ui/home-lessons';
import { decodeState } from '../../src/labs/depth/url-state';
import { decodeNormalizeState } from '../../src/labs/normalize/url-state';
import { findPreset } from '../../src/labs/depth/presets';
import { weightVariance } from '../../src/labs/depth/init';

const HOME_LESSONS = homeLessons('full');

describe('home lessons', () => {
  it('has the two lessons, each with a claim, what you will see, and at least one start', () => {
    // The write-up's order (walk s11 H1): normalizing inputs first, then vanishing and exploding gradients.
    expect(HOME_LESSONS.map((l) => l.id)).toEqual(['normalize', 'gradients']);
    for (const l of HOME_LESSONS) {
      expect(l.claim.length).toBeGreaterThan(40);
      expect(l.see.length).toBeGreaterThan(20);
      expect(l.starts.length).toBeGreaterThan(0);
    }
  });

  it('starts the Depth lab on exactly its presets (links decode with no problem)', () => {
    const starts = HOME_LESSONS.flatMap((l) => l.starts).filter((s) => s.route === 'depth-lab');
    expect(starts.length).toBeGreaterThan(0);
    for (const s of starts) {
      const { state, problems } = decodeState(s.query);
      expect(problems).toEqual([]);
      const p = findPreset(s.id)!;
      expect(p).toBeDefined();
      expect(state.config).toEqual(p.config);
      expect(state.sweep).toEqual(p.sweep);
    }
  });

  it('starts the Depth lab on the small size of each preset where there is no real GPU', () => {
    for (const s of homeLessons('small')
      .flatMap((l) => l.starts)
      .filter((s) => s.route === 'depth-lab')) {
      const { state, problems } = decodeState(s.query);
      expect(problems).toEqual([]);
      const p = findPreset(s.id)!;
      expect(state.config).toEqual(p.small.config);
      expect(state.sweep).toEqual(p.small.sweep);
    }
  });

  it('starts the Normalization lab on a link that decodes with no problem', () => {
    const starts = HOME_LESSONS.flatMap((l) => l.starts).filter((s) => s.route === 'normalization-lab');
    expect(starts.length).toBe(1);
    const { problems } = decodeNormalizeState(starts[0].query);
    expect(problems).toEqual([]);
  });

  it('teaches σ, never σ², as the divisor', () => {
    const normalize = HOME_LESSONS.find((l) => l.id === 'normalize')!;
    expect(normalize.claim).toMatch(/divide by the training standard deviation σ \(not σ²\)/);
  });

  it('explains Xavier and He where it names them: weight variance 1/n and 2/n of the layer’s width (as init.ts draws them)', () => {
    const gradients = HOME_LESSONS.find((l) => l.id === 'gradients')!;
    expect(gradients.claim).toContain('Xavier and He initialization draw each layer’s random weights with variance 1/n and 2/n, n being the layer’s width');
    expect(weightVariance('xavier-normal', 64, 64)).toBeCloseTo(1 / 64, 15);
    expect(weightVariance('he-normal', 64, 64)).toBeCloseTo(2 / 64, 15);
  });

  it('claims only what is checked: kernels against float64, the labs beside a forecast or a formula (not "exact arithmetic")', () => {
    for (const cpu of [false, true]) {
      expect(homeLead(cpu)).not.toMatch(/exact arithmetic|every number[^.]*checked/i);
      expect(homeLead(cpu)).toContain('set their results beside a forecast or a formula');
    }
    expect(homeLead(false)).toContain('The GPU’s kernels are checked against float64 arithmetic');
    expect(homeLead(true)).toContain('on the CPU (this browser has no WebGPU)');
  });
});
