// The Normalization lab's axis titles: what unit a feature is in after each normalization mode.
import { msg, str } from '@lit/localize';
import type { NormalizeMode } from './types';

/**
 * The axis title of feature `name` after `mode`: raw values keep their own units; standardized values are
 * in standard deviations; dividing by σ² leaves units of 1/(feature's unit), which is why its scale is wrong.
 */
export function featureAxisTitle(name: string, mode: NormalizeMode = 'raw'): string {
  switch (mode) {
    case 'raw':
      return msg(str`${name} (raw units)`);
    case 'standardize':
      return msg(str`(${name} − μ)/σ (standard deviations)`);
    case 'divide-variance':
      return msg(str`(${name} − μ)/σ² (units of 1/${name})`);
    case 'test-own-stats':
      return msg(str`(${name} − μ)/σ, test with its own μ, σ (std. dev.)`);
  }
}
