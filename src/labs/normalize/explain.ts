// The Normalization lab's explanations, worded from the data actually loaded (generated or a CSV file):
// each feature's range, σ and σ² are computed here in float64 from the training split, so no sentence
// quotes the lecture's numbers for someone else's data. DOM-free; the lab only renders the strings.

import { msg, str } from '@lit/localize';
import { formatMagnitude } from '../../locale-format';
import type { Dataset, NormalizeMode } from './types';

/** One training feature's spread: its name, min, max, span (max − min), σ (population) and σ². */
export interface FeatureSpread {
  name: string;
  min: number;
  max: number;
  span: number;
  sigma: number;
  variance: number;
}

/** What the lab says, per place on the page. */
export interface NormalizeExplanations {
  /** Per feature, in the dataset's order. */
  features: FeatureSpread[];
  /** The feature with the largest σ and the one with the smallest (the two the sentences compare). */
  wide: FeatureSpread;
  narrow: FeatureSpread;
  /** One note per mode under its contour plot. */
  modeNotes: Record<NormalizeMode, string>;
  /** Under "μ and σ used". */
  stats: string;
  /** Above the scatter plots. */
  scatter: string;
  /** "What to try next" before the first run. */
  firstStep: string;
}

/**
 * A number as the explanations quote it: 3 significant digits in the style of the lab's tables
 * (`formatMagnitude`): thousands grouped from 1e-3 to 1e5, scientific outside ("83,100", "288", "0.289",
 * "9.69e5", "3.72e-5"), so a κ of 969,234 reads "9.69e5" in the text and "9.692e5" in the table.
 */
export function approx(v: number): string {
  return formatMagnitude(v, 3);
}

/** min, max, σ (population, two-pass) and σ² of each feature of a row-major m×d split, in float64. */
export function featureSpreads(x: ArrayLike<number>, m: number, d: number, names: readonly string[]): FeatureSpread[] {
  const out: FeatureSpread[] = [];
  for (let j = 0; j < d; j++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let r = 0; r < m; r++) {
      const v = x[r * d + j];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = m > 0 ? sum / m : 0;
    let ss = 0;
    for (let r = 0; r < m; r++) {
      const e = x[r * d + j] - mean;
      ss += e * e;
    }
    const variance = m > 0 ? ss / m : 0;
    out.push({ name: names[j] ?? `x${j + 1}`, min, max, span: max - min, sigma: Math.sqrt(variance), variance });
  }
  return out;
}

/** How stretched a κ is, in words. */
function stretch(kappa: number | undefined): string {
  if (kappa === undefined || !Number.isFinite(kappa)) return '';
  if (kappa < 3) return ' ' + msg(str`(κ = ${approx(kappa)}: nearly round)`);
  return ' ' + msg(str`(κ = ${approx(kappa)}: it curves ${approx(kappa)} times more sharply across than along)`);
}

/**
 * The lab's explanations for `dataset` (its training split), with each mode's κ when a run has them.
 * Every number quoted (span, σ, σ², 1/σ) is this dataset's own.
 */
export function explainNormalization(
  dataset: Pick<Dataset, 'train' | 'd' | 'featureNames' | 'source'>,
  kappa: Partial<Record<NormalizeMode, number>> = {},
): NormalizeExplanations {
  const features = featureSpreads(dataset.train.x, dataset.train.m, dataset.d, dataset.featureNames);
  let wide = features[0];
  let narrow = features[0];
  for (const f of features) {
    if (f.sigma > wide.sigma) wide = f;
    if (f.sigma < narrow.sigma) narrow = f;
  }
  if (wide === narrow && features.length > 1) narrow = features[1];
  const ratio = narrow.sigma > 0 ? wide.sigma / narrow.sigma : Infinity;
  const similar = ratio < 3;

  const raw = similar
    ? msg(
        str`Raw inputs: ${wide.name} spans about ${approx(wide.span)} units and ${narrow.name} about ${approx(narrow.span)}, similar scales, so the cost surface is only mildly stretched${stretch(kappa.raw)}.`,
      )
    : msg(
        str`Raw inputs: ${wide.name} spans about ${approx(wide.span)} units and ${narrow.name} about ${approx(narrow.span)}, so the cost is a long thin valley${stretch(kappa.raw)}. A step big enough to move along the valley overshoots across it.`,
      );
  const standardize = msg(
    str`Standardized with the training μ and σ (σ of ${wide.name} ≈ ${approx(wide.sigma)}, of ${narrow.name} ≈ ${approx(narrow.sigma)}): every feature has variance 1, the bowl is round${stretch(kappa.standardize)}, and gradient descent heads straight for the minimum.`,
  );
  const divide = similar
    ? msg(
        str`Divided by σ² instead of σ: ${wide.name} ends with spread 1/σ ≈ ${approx(1 / wide.sigma)} and ${narrow.name} with ${approx(1 / narrow.sigma)}; their σ are close, so the harm is small here${stretch(kappa['divide-variance'])}.`,
      )
    : msg(
        str`Divided by σ² instead of σ: ${wide.name} is squashed to spread 1/σ ≈ ${approx(1 / wide.sigma)} and ${narrow.name} stretched to ${approx(1 / narrow.sigma)}, so the valley is back, just turned the other way${stretch(kappa['divide-variance'])}.`,
      );
  const own = msg(
    'Training is the same as standardize (same surface and path); only the test set is normalized with its own μ and σ, which hides a shift in the test data.',
  );

  const stats = msg(
    str`What was subtracted from each feature and what it was divided by, for the training and the test set. The right way uses the training μ and σ for both. The lecture writes σ = 1/m Σ x⁽ⁱ⁾², which is the variance σ², and divides by it, so the features end up with variance 1/σ² instead of 1 (for ${wide.name}, σ² ≈ ${approx(wide.variance)} instead of σ ≈ ${approx(wide.sigma)}). The mistake uses the test set’s own μ and σ for the test set.`,
  );

  const scatter =
    msg('Each dot is a training example (●) or a test example (✕), placed by its first two features, with one unit the same length on both axes.') +
    ' ' +
    (similar
      ? msg(str`Before normalizing, ${wide.name} spans ${approx(wide.span)} and ${narrow.name} ${approx(narrow.span)}: similar scales.`)
      : msg(
          str`Before normalizing, ${wide.name} spans ${approx(wide.span)} while ${narrow.name} spans ${approx(narrow.span)}, so the cloud is a thin line (the inset stretches it to show its spread).`,
        )) +
    ' ' +
    // What to do next with the test set depends on the data: a file has no test-shift setting, and a shifted set needs no advice to shift it.
    (dataset.source.kind === 'csv'
      ? msg(
          'After standardizing, both axes are in standard deviations. Pick “test with its own μ, σ”: normalized with its own statistics, the test set is moved onto the training data, which hides any shift between the two that the model will get wrong.',
        )
      : dataset.source.options.testShift !== 0
        ? msg(
            'After standardizing, both axes are in standard deviations. The test set is shifted here: pick “test with its own μ, σ” and its crosses land back on the training dots, hiding the shift the model will get wrong.',
          )
        : msg(
            'After standardizing, both axes are in standard deviations. Set a test shift and pick “test with its own μ, σ”: the test crosses land back on the training dots, hiding the shift the model will get wrong.',
          ));

  // Generated data is quoted by the fields' ranges (walk s11 N2: the sampled extremes, "x2 from 2.19e-4 to 0.999",
  // read as a contradiction of the fields' 0 to 1); a file by its own values' extremes.
  const source = dataset.source;
  const rangeText = (
    source.kind === 'generated'
      ? source.options.ranges.map(([lo, hi], j) => [features[j].name, lo, hi] as const)
      : features.map((f) => [f.name, f.min, f.max] as const)
  )
    .map(([name, lo, hi]) => msg(str`${name} from ${formatMagnitude(lo, 6)} to ${formatMagnitude(hi, 6)}`))
    .join(', ');
  const firstStep =
    source.kind === 'csv'
      ? msg(str`press Run with your file’s data (${rangeText}) and compare the four contour plots.`)
      : msg(str`press Run with this data (each feature drawn at random between the ends of its range: ${rangeText}) and compare the four contour plots.`);

  return { features, wide, narrow, modeNotes: { raw, standardize, 'divide-variance': divide, 'test-own-stats': own }, stats, scatter, firstStep };
}

/**
 * One-line explanations of the lab's technical terms (shown on hover and keyboard focus), in the language
 * shown when read (getters around msg()).
 */
export const NORMALIZE_TERMS = Object.freeze({
  get kappa() {
    return msg(
      'κ (condition number) = λmax/λmin: how much more sharply the cost curves in its steepest direction than in its flattest. 1 is a round bowl; large is a long thin valley.',
    );
  },
  get lambdaMax() {
    return msg('λmax: the largest eigenvalue of the Hessian, i.e. the curvature of the cost along its steepest direction.');
  },
  get hessian() {
    return msg(
      'Hessian XᵀX/m: the matrix of second derivatives of the cost J(w); for a linear model it is the features’ (centred) XᵀX divided by the number of examples m.',
    );
  },
  get bProfiledOut() {
    return msg('b profiled out: for every w the bias b is set to its best value, so the surface depends on the weights w alone.');
  },
  get maxStableLr() {
    return msg('2/λmax: the largest learning rate for which gradient descent does not blow up; above it the steps overshoot further each time.');
  },
  get jStar() {
    return msg('J*: the smallest cost that any w and b can reach on the training set (the least-squares fit).');
  },
  get sigma() {
    return msg('σ: standard deviation, the typical distance of a feature’s values from their mean μ. σ² is the variance.');
  },
});
