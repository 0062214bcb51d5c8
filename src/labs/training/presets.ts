// The Training lab's presets: an init sweep trained side by side, at a size that answers in seconds on a
// software adapter (and larger on a GPU), each with one sentence on what to look for.

import { msg } from '@lit/localize';
import type { InitScheme } from '../depth/config';
import type { PresetSize } from '../depth/presets';
import { validateTrainConfig, type TrainConfig, type TrainConfigInput } from './config';

/** One line of an init sweep: the init scheme and its gain. */
export interface InitChoice {
  init: InitScheme;
  gain: number;
}

/** A ready-made training experiment. */
export interface TrainPreset {
  id: string;
  /** Its name in the language shown when read. */
  readonly title: string;
  /** One plain sentence: what to look for (in the language shown when read). */
  readonly look: string;
  /** The shared settings (init and gain are replaced by each of `inits`). */
  config: TrainConfig;
  inits: InitChoice[];
  /** The same lesson at a size a software adapter runs in seconds. */
  small: TrainConfig;
}

const LESSON_INITS: InitChoice[] = [
  { init: 'he-normal', gain: 1 },
  { init: 'xavier-normal', gain: 1 },
  { init: 'normal', gain: 1 },
  { init: 'identity', gain: 0.5 },
];

// What each preset's small size changes: n = m = 16, 16 examples each side, 100 steps.
const SMALL: TrainConfigInput = { width: 16, batch: 16, trainSize: 16, heldOutSize: 16, steps: 100 };

// Title and sentence are read through msg() when shown, so they follow the language switch.
function preset(id: string, title: () => string, look: () => string, inits: InitChoice[], full: TrainConfigInput, small: TrainConfigInput): TrainPreset {
  return {
    id,
    get title() {
      return title();
    },
    get look() {
      return look();
    },
    inits,
    config: validateTrainConfig(full),
    small: validateTrainConfig({ ...full, ...small }),
  };
}

/** The presets, in menu order. */
export const TRAIN_PRESETS: readonly TrainPreset[] = Object.freeze([
  preset(
    'depth50-relu',
    () => msg('Depth 50, ReLU: four inits'),
    () =>
      msg(
        'He’s loss falls; Xavier’s signal halves every two layers, so at depth 50 its updates are below a millionth of its weights and its loss does not move, just like 0.5·I’s; N(0, 1) overflows on the first step and every later step is lost.',
      ),
    LESSON_INITS,
    { depth: 50, width: 64, batch: 64, trainSize: 256, heldOutSize: 64, activation: 'relu', optimizer: 'sgd', lr: 0.002, steps: 300, evalEvery: 10, seed: 1 },
    SMALL,
  ),
  preset(
    'linear-half-identity',
    () => msg('Depth 30, linear: 0.5·I against LeCun'),
    () =>
      msg(
        'With W = 0.5·I the output is 0.5³⁰ ≈ 1e-9 of the input, so every update ratio stays below 1e-6 and the loss is flat, while the LeCun-initialized net learns.',
      ),
    [
      { init: 'lecun-normal', gain: 1 },
      { init: 'identity', gain: 0.5 },
    ],
    { depth: 30, width: 64, batch: 64, trainSize: 64, heldOutSize: 64, activation: 'linear', optimizer: 'sgd', lr: 0.002, steps: 300, evalEvery: 10, seed: 1 },
    SMALL,
  ),
  preset(
    'adam-depth50',
    () => msg('Depth 50, ReLU with Adam'),
    () =>
      msg(
        'Adam scales every weight’s step by its own gradient history, so Xavier’s tiny gradients still give sizeable updates and its loss falls, unlike with SGD: compare its update ratios with the SGD preset.',
      ),
    LESSON_INITS.slice(0, 2),
    { depth: 50, width: 64, batch: 64, trainSize: 256, heldOutSize: 64, activation: 'relu', optimizer: 'adam', lr: 0.001, steps: 300, evalEvery: 10, seed: 1 },
    SMALL,
  ),
]);

/** The preset with this id, or undefined. */
export function findTrainPreset(id: string): TrainPreset | undefined {
  return TRAIN_PRESETS.find((p) => p.id === id);
}

/** A preset's settings at `size`. */
export function trainPresetConfig(p: TrainPreset, size: PresetSize): TrainConfig {
  return size === 'small' ? p.small : p.config;
}

/**
 * The preset a sweep's settings are, at either size, or undefined: a link (the home view's start buttons,
 * a shared preset run) then shows the preset's sentence too. `init` and `gain` are left out (the inits say them).
 */
export function presetOfSettings(config: TrainConfig, inits: readonly InitChoice[]): TrainPreset | undefined {
  const same = (a: TrainConfig, b: TrainConfig) => (Object.keys(a) as (keyof TrainConfig)[]).every((k) => k === 'init' || k === 'gain' || a[k] === b[k]);
  const sameInits = (a: readonly InitChoice[]) => a.length === inits.length && a.every((c, i) => c.init === inits[i].init && c.gain === inits[i].gain);
  return TRAIN_PRESETS.find((p) => sameInits(p.inits) && (same(p.config, config) || same(p.small, config)));
}
