import { describe, expect, it } from 'vitest';
import {
  OVERFLOW_THRESHOLD,
  STAT_KINDS,
  UNDERFLOW_THRESHOLD,
  classify,
  classifyArray,
  classifyLayers,
  firstLayerWhere,
  type ValueStatus,
} from '../../src/labs/depth/classify';
import { LAYER_STAT_NAMES } from '../../src/labs/depth/types';

describe('classify', () => {
  it('has the documented thresholds', () => {
    expect(OVERFLOW_THRESHOLD).toBe(1e38);
    expect(UNDERFLOW_THRESHOLD).toBe(1e-37);
    // both inside f32's range: 1e38 < max ≈ 3.4e38, 1e-37 > min normal ≈ 1.18e-38
    expect(Math.fround(OVERFLOW_THRESHOLD)).toBeLessThan(Infinity);
    expect(UNDERFLOW_THRESHOLD).toBeGreaterThan(2 ** -126);
  });

  const norms: [number, ValueStatus][] = [
    [1, 'finite'],
    [1e38, 'finite'],
    [1.0000001e38, 'overflow'],
    [3.4e38, 'overflow'],
    [Infinity, 'overflow'],
    [-Infinity, 'overflow'],
    [NaN, 'nan'],
    [1e-37, 'finite'],
    [9.99e-38, 'underflow'],
    [2 ** -149, 'underflow'],
    [0, 'underflow'],
    [-0, 'underflow'],
    [-5e-38, 'underflow'],
  ];
  for (const [v, s] of norms) {
    it(`norm ${v} → ${s}`, () => expect(classify(v, 'norm')).toBe(s));
  }

  it("'norm' is the default kind", () => {
    expect(classify(0)).toBe('underflow');
  });

  const values: [number, ValueStatus][] = [
    [0, 'finite'],
    [-1e-300, 'finite'],
    [5e-38, 'finite'],
    [-2e38, 'overflow'],
    [-Infinity, 'overflow'],
    [NaN, 'nan'],
  ];
  for (const [v, s] of values) {
    it(`value ${v} → ${s}`, () => expect(classify(v, 'value')).toBe(s));
  }

  it('classifyArray maps every element', () => {
    expect(classifyArray(new Float64Array([1, 0, NaN, 1e39]))).toEqual(['finite', 'underflow', 'nan', 'overflow']);
    expect(classifyArray([1, 0, NaN, 1e39], 'value')).toEqual(['finite', 'finite', 'nan', 'overflow']);
  });

  it('classifyLayers reads norms as norms and zMean/zVar as values', () => {
    expect(STAT_KINDS).toEqual({ actNorm: 'norm', zMean: 'value', zVar: 'value', gradActNorm: 'norm', gradWNorm: 'norm' });
    const z = () => new Float64Array([0, 1, 1e39]);
    const s = classifyLayers({ actNorm: z(), zMean: z(), zVar: z(), gradActNorm: z(), gradWNorm: z() });
    expect(Object.keys(s).sort()).toEqual([...LAYER_STAT_NAMES].sort());
    expect(s.actNorm).toEqual(['underflow', 'finite', 'overflow']);
    expect(s.gradActNorm).toEqual(['underflow', 'finite', 'overflow']);
    expect(s.gradWNorm).toEqual(['underflow', 'finite', 'overflow']);
    expect(s.zMean).toEqual(['finite', 'finite', 'overflow']);
    expect(s.zVar).toEqual(['finite', 'finite', 'overflow']);
  });
});

describe('firstLayerWhere', () => {
  const s: ValueStatus[] = ['finite', 'finite', 'overflow', 'nan', 'overflow'];
  it('returns the 1-based layer of the first match', () => {
    expect(firstLayerWhere(s, 'overflow')).toBe(3);
    expect(firstLayerWhere(s, 'nan')).toBe(4);
    expect(firstLayerWhere(s, 'finite')).toBe(1);
  });
  it('accepts several statuses', () => {
    expect(firstLayerWhere(s, ['nan', 'underflow'])).toBe(4);
    expect(firstLayerWhere(s, ['overflow', 'nan'])).toBe(3);
  });
  it('returns null when no layer matches', () => {
    expect(firstLayerWhere(s, 'underflow')).toBeNull();
    expect(firstLayerWhere([], 'finite')).toBeNull();
  });
});
