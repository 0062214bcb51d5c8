import { msg } from '@lit/localize';
import type { Route } from './route';

/** A view beyond the Kernel check: route, custom-element tag (registered by its own module), and what the
 * placeholder says until that module has loaded. */
export interface ViewEntry {
  route: Route;
  tag: string;
  readonly title: string;
  readonly what: string;
}

// title and what are getters: each read is worded in the language shown at that moment.
function view(route: Route, tag: string, title: () => string, what: () => string): ViewEntry {
  return {
    route,
    tag,
    get title() {
      return title();
    },
    get what() {
      return what();
    },
  };
}

/** The views beyond the Kernel check, in the navigation's order (the lessons as the write-up and the home page order them). */
export const VIEWS: readonly ViewEntry[] = [
  view(
    'normalization-lab',
    'gp-normalize-lab',
    () => msg('Normalization lab'),
    () => msg('Compare raw and normalized inputs and see what normalizing does to the cost surface and to gradient descent.'),
  ),
  view(
    'depth-lab',
    'gp-depth-lab',
    () => msg('Depth lab'),
    () =>
      msg('Stack layers and watch the gradient norm per layer shrink toward zero or blow up, and see how activation and initialisation choices change that.'),
  ),
  view(
    'training-lab',
    'gp-training-lab',
    () => msg('Training lab'),
    () => msg('Train a deep net from several initializations side by side and watch per-layer gradients stall or wreck training.'),
  ),
  view(
    'shaders',
    'gp-shader-playground',
    () => msg('Shaders'),
    () => msg('Read and edit the WGSL kernels, verify them against the float64 reference, and run the labs on your version.'),
  ),
  view(
    'performance',
    'gp-shader-bench',
    () => msg('Performance'),
    () => msg('Measure each kernel in GFLOP/s and GB/s on your GPU, against copy bandwidth and arithmetic roofs.'),
  ),
];
