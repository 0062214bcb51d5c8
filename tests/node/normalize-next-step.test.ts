import { describe, expect, it } from 'vitest';
import type { NormalizeLabRun } from '../../src/labs/normalize/session';
import { nextStep, nextStepControl } from '../../src/ui/normalize-explain';

// "What to try next" after a run with one rate for all on unshifted data: the advice names the places on the
// page by their own titles (a learner looking for a "divisors table" finds none).

function run(): NormalizeLabRun {
  const mode = (m: string, limit: number, diverged: boolean) => ({ mode: m, study: { maxStableLr: limit }, descent: { diverged } });
  return {
    dataset: { source: { kind: 'generated', options: { testShift: 0 } } },
    settings: { lrScale: 'absolute', lr: 1, steps: 500, tol: 1e-6 },
    runs: [mode('raw', 2.4e-5, true), mode('standardize', 1.95, false), mode('divide-variance', 0.17, true), mode('test-own-stats', 1.95, false)],
  } as unknown as NormalizeLabRun;
}

describe('nextStep (Normalization lab)', () => {
  it('after raw diverged on unshifted data, points to the test shift and to the table’s “divide by” columns by their titles', () => {
    const advice = nextStep(run(), null);
    expect(advice).toContain('set the test shift to 0.5');
    expect(advice).toContain('the “divide by” columns of the “μ and σ used” table');
    expect(advice).not.toContain('divisors table');
    expect(advice).toContain('where the lecture’s formula divides by σ² instead of σ');
    expect(advice).not.toMatch(/slide(?!r)/);
  });

  it('links each piece of advice to the control it names (walk s11 N3): the rate scale, the rate, the test shift', () => {
    const relative = { ...run(), settings: { ...run().settings, lrScale: 'relative' } } as NormalizeLabRun;
    expect(nextStep(relative, null)).toContain('Now switch to “one rate for all”');
    expect(nextStepControl(relative)).toBe('input[name=lrscale][value=absolute]');
    expect(nextStep(run(), null)).toContain('set the test shift to 0.5');
    expect(nextStepControl(run())).toBe('#f-testShift');
    const rawConverged = run();
    (rawConverged.runs[0] as { descent: { diverged: boolean } }).descent.diverged = false;
    expect(nextStep(rawConverged, null)).toContain('raise the learning rate');
    expect(nextStepControl(rawConverged)).toBe('#f-lr');
    expect(nextStepControl(null)).toBeNull();
  });
});
