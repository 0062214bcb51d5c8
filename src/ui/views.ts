import { msg } from '@lit/localize';
import type { Route } from './route';

/** The views beyond the Kernel check: route, custom-element tag (registered by its own module), and what
 * the placeholder says until that module has loaded. */
export const VIEWS: readonly { route: Route; tag: string; title: string; what: string }[] = [
  {
    route: 'depth-lab',
    tag: 'gp-depth-lab',
    get title() {
      return msg('Depth lab');
    },
    get what() {
      return msg(
        'Stack layers and watch the gradient norm per layer shrink toward zero or blow up, and see how activation and initialisation choices change that.',
      );
    },
  },
  {
    route: 'normalization-lab',
    tag: 'gp-normalize-lab',
    get title() {
      return msg('Normalization lab');
    },
    get what() {
      return msg('Compare raw and normalized inputs and see what normalizing does to the cost surface and to gradient descent.');
    },
  },
  {
    route: 'training-lab',
    tag: 'gp-training-lab',
    get title() {
      return msg('Training lab');
    },
    get what() {
      return msg('Train a deep net from several initializations side by side and watch per-layer gradients stall or wreck training.');
    },
  },
  {
    route: 'shaders',
    tag: 'gp-shader-playground',
    get title() {
      return msg('Shaders');
    },
    get what() {
      return msg('Read and edit the WGSL kernels, verify them against the float64 reference, and run the labs on your version.');
    },
  },
  {
    route: 'performance',
    tag: 'gp-shader-bench',
    get title() {
      return msg('Performance');
    },
    get what() {
      return msg('Measure each kernel in GFLOP/s and GB/s on your GPU, against copy bandwidth and arithmetic roofs.');
    },
  },
];
