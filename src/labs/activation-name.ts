import { msg } from '@lit/localize';
import type { Activation } from '../kernels/activations';

/**
 * An activation as a learner reads it (row titles, option labels): linear, ReLU, tanh, sigmoid; in Korean 선형,
 * ReLU, tanh, 시그모이드 (docs/i18n.md keeps ReLU and tanh as written). The ids (`relu`) stay in links and exports.
 */
export function activationName(activation: Activation): string {
  switch (activation) {
    case 'linear':
      return msg('linear');
    case 'relu':
      return 'ReLU';
    case 'tanh':
      return 'tanh';
    case 'sigmoid':
      return msg('sigmoid');
  }
}
