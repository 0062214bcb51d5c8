import { afterAll, describe, expect, it } from 'vitest';
import { analyzeQuantity } from '../../src/labs/depth/row-analysis';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { gradientTolerance } from '../../src/labs/depth/quantity-predictions';
import { toleranceFactor, verdictToleranceText } from '../../src/labs/depth/tolerance-text';
import { setFormatLocale } from '../../src/locale-format';
import { refSweep } from '../helpers/ref-sweep';
import { useLocales } from '../helpers/node-locale';

// Walk s11 D2 (preset "He + ReLU", row depth 24): "agree — worst log10(measured / predicted) = +0.68 at layer 2
// (tolerance grows with depth / width; 24 layers compared)" beside lines 3–5× apart, while the band allowed there
// is 2.35 log10 units (×220). The line now prints the factor the verdict used at its worst layer.

const setLocale = useLocales();
afterAll(() => setFormatLocale('en'));

const HE = { width: 64, batch: 16, activation: 'relu', init: 'he-normal', gain: 1, input: 'normal', seed: 1 } as const;

/** The band of predictionTolerance written out: k random layers passed, n = width, c = 1.5 for ReLU. */
const band = (k: number, n: number) => 0.05 + Math.LOG10E * ((1.5 * k) / n + 4 * Math.sqrt((1.5 * k) / n));

describe('the verdict line states the tolerance used at its worst layer', () => {
  const c = validateDeepNetConfig({ ...HE, depth: 24 });
  const { results } = refSweep({ ...HE, depth: 24 }, { kind: 'depth', depths: [24] });
  const run = results[0].run;

  for (const q of ['gradActNorm', 'gradWNorm'] as const) {
    it(`He + ReLU, depth 24, ${q}: the factor is 10^gradientTolerance at the worst layer`, () => {
      const qa = analyzeQuantity(c, run, q);
      const v = qa.verdict!;
      expect(v.verdict).toBe('agree');
      const l = v.worstLayer!;
      const tol = gradientTolerance(c, q)[l - 1];
      // The gradient of layer l has passed L forward and L − l + 1 backward layers.
      expect(tol).toBeCloseTo(band(2 * 24 - l + 1, 64), 12);
      expect(toleranceFactor(qa.prediction.tolerance, l)).toBeCloseTo(10 ** tol, 9);
      const text = verdictToleranceText(qa.prediction, v);
      expect(text).toBe(
        `within the ×${Number((10 ** tol).toPrecision(2)).toLocaleString('en-US')} allowed at that layer for the finite-width scatter; 24 layers compared`,
      );
    });
  }

  it('layer 2 of depth 24 (∂J/∂a, 47 layers passed): ×220, the number the walk worked out', () => {
    const tol = gradientTolerance(c, 'gradActNorm');
    expect(verdictToleranceText({ exact: false, tolerance: tol }, { verdict: 'agree', worstLayer: 2, compared: 24 })).toBe(
      'within the ×220 allowed at that layer for the finite-width scatter; 24 layers compared',
    );
    expect(verdictToleranceText({ exact: false, tolerance: tol }, { verdict: 'disagree', worstLayer: 2, compared: 24 })).toBe(
      'beyond the ×220 allowed at that layer for the finite-width scatter; 24 layers compared',
    );
  });

  it('an exact forecast keeps its 0.01; no worst layer keeps the old words', () => {
    expect(verdictToleranceText({ exact: true, tolerance: new Float64Array(3).fill(0.01) }, { verdict: 'agree', worstLayer: 1, compared: 3 })).toBe(
      'tolerance 0.01; 3 layers compared',
    );
    expect(verdictToleranceText({ exact: false, tolerance: null }, { verdict: 'disagree', worstLayer: null, compared: 0 })).toBe(
      'tolerance grows with depth / width; 0 layers compared',
    );
  });

  it('in Korean, with the same factor', async () => {
    const tol = gradientTolerance(c, 'gradActNorm');
    await setLocale('ko');
    setFormatLocale('ko');
    const ko = verdictToleranceText({ exact: false, tolerance: tol }, { verdict: 'agree', worstLayer: 2, compared: 24 });
    const koBad = verdictToleranceText({ exact: false, tolerance: tol }, { verdict: 'disagree', worstLayer: 2, compared: 24 });
    await setLocale('en');
    setFormatLocale('en');
    expect(ko).toMatch(/^그 층에서 유한 폭 산포로 허용되는 배율\(×220\) 안; /);
    expect(koBad).toMatch(/^그 층에서 유한 폭 산포로 허용되는 배율\(×220\)을 벗어남; /);
  });
});
