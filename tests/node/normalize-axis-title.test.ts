// The Normalization lab's axis titles (labs/normalize/axis-title.ts): the unit of a feature after each mode.
import { describe, expect, it } from 'vitest';
import { featureAxisTitle } from '../../src/labs/normalize/axis-title';

describe('featureAxisTitle', () => {
  it('names the units of each normalization', () => {
    expect(featureAxisTitle('x1', 'standardize')).toContain('standard deviations');
    expect(featureAxisTitle('x1', 'divide-variance')).toContain('σ²');
    expect(featureAxisTitle('x1', 'divide-variance')).toContain('1/x1');
    expect(featureAxisTitle('age', 'raw')).toBe('age (raw units)');
    expect(featureAxisTitle('x1', 'test-own-stats')).toContain('its own');
  });
});
