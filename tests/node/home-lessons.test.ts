import { describe, expect, it } from 'vitest';
import { homeLessons } from '../../src/ui/home-lessons';
import { decodeState } from '../../src/labs/depth/url-state';
import { decodeNormalizeState } from '../../src/labs/normalize/url-state';
import { findPreset } from '../../src/labs/depth/presets';

const HOME_LESSONS = homeLessons('full');

describe('home lessons', () => {
  it('has the two lessons, each with a claim, what you will see, and at least one start', () => {
    expect(HOME_LESSONS.map((l) => l.id)).toEqual(['gradients', 'normalize']);
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
});
