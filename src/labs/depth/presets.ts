import { msg } from '@lit/localize';
import { validateDeepNetConfig, type DeepNetConfig } from './config';
import { depthRange, type SweepSpec } from './sweep-grid';

/** The size a preset runs at: `full` on a GPU, `small` on a software adapter or the CPU fallback. */
export type PresetSize = 'full' | 'small';

/** A preset's experiment at one size, and its sentence for that size. */
export interface PresetRun {
  config: DeepNetConfig;
  sweep: SweepSpec;
  /** One sentence: what the learner should see (its numbers hold at this size). */
  explanation: string;
}

/** A ready-made experiment of the Depth lab: the full size (the fields) and a small one that answers in seconds. */
export interface Preset extends PresetRun {
  id: string;
  title: string;
  /**
   * The same lesson at a size a software adapter (SwiftShader: the CPU) runs in about 15 s and the CPU
   * fallback accepts: fewer rows, and for random inits a narrower net.
   */
  small: PresetRun;
}

// Random-init presets run at the benchmark's size: 256 wide, a batch of 128 N(0, 1) examples; their small
// size is 64 wide, a batch of 16, every 4th depth (within the CPU fallback's caps).
const WIDE = { width: 256, batch: 128, input: 'normal', seed: 1 } as const;
const NARROW = { width: 64, batch: 16 } as const;
const NARROW_DEPTHS: SweepSpec = { kind: 'depth', depths: depthRange(4, 128, 4) };

// Titles and explanations are functions of the language shown: the preset's properties are getters that
// call them, so a view reading `preset.title` gets the current language's text.
function preset(
  id: string,
  title: () => string,
  explanation: () => string,
  config: Partial<DeepNetConfig>,
  sweep: SweepSpec,
  small: { config?: Partial<DeepNetConfig>; sweep: SweepSpec; explanation?: () => string },
): Preset {
  const full = validateDeepNetConfig(config);
  const smallExplanation = small.explanation ?? explanation;
  return {
    id,
    get title() {
      return title();
    },
    get explanation() {
      return explanation();
    },
    config: full,
    sweep,
    small: {
      config: validateDeepNetConfig({ ...full, ...small.config }),
      sweep: small.sweep,
      get explanation() {
        return smallExplanation();
      },
    },
  };
}

/** The preset's experiment at `size`. */
export function presetRun(p: Preset, size: PresetSize): PresetRun {
  return size === 'small' ? p.small : { config: p.config, sweep: p.sweep, explanation: p.explanation };
}

/**
 * Which size to run presets at: small where there is no real GPU to run them (a software adapter such as
 * SwiftShader, or the CPU fallback), full otherwise.
 */
export function presetSizeFor(env: { softwareAdapter: boolean; cpuFallback: boolean }): PresetSize {
  return env.softwareAdapter || env.cpuFallback ? 'small' : 'full';
}

/** The Depth lab's presets, in menu order. */
export const PRESETS: readonly Preset[] = Object.freeze([
  preset(
    'lecture-1.5I',
    () => msg('Lecture: W = 1.5·I'),
    () =>
      msg(
        'Every layer multiplies the activations by 1.5, so their norm grows as 1.5^l·√2 and f32 overflows to Infinity at layer 219, while the gradients, which grow as 1.5^(2L−l), overflow from depth L = 110.',
      ),
    { depth: 240, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 },
    { kind: 'depth', depths: depthRange(1, 240) },
    { sweep: { kind: 'depth', depths: depthRange(10, 240, 10) } },
  ),
  preset(
    'lecture-0.5I',
    () => msg('Lecture: W = 0.5·I'),
    () =>
      msg(
        'Every layer halves the activations, so they turn subnormal at layer 127 (0.5^l < 2^-126) and are exactly 0 from layer 150 (or already at 127 on GPUs that flush subnormals), while the gradients, 0.5^(2L−l), turn subnormal at the first layer from depth L = 64 and are 0 there from L = 76.',
      ),
    { depth: 160, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 0.5, input: 'ones', seed: 1 },
    { kind: 'depth', depths: depthRange(1, 160) },
    { sweep: { kind: 'depth', depths: depthRange(4, 160, 4) } },
  ),
  preset(
    'he-relu',
    () => msg('He + ReLU'),
    () =>
      msg(
        "He's variance 2/n makes up for ReLU zeroing half of each layer, so the activation norm stays within a small factor of its input value (≈16) at every depth and the gradients drift by about one order of magnitude over 128 layers, not dozens.",
      ),
    { ...WIDE, depth: 128, activation: 'relu', init: 'he-normal', gain: 1 },
    { kind: 'depth', depths: depthRange(1, 128) },
    {
      config: NARROW,
      sweep: NARROW_DEPTHS,
      explanation: () =>
        msg(
          "He's variance 2/n makes up for ReLU zeroing half of each layer, so the activation norm stays within a factor of 4 of its input value (≈8) at every depth and the gradients drift by less than one order of magnitude over 128 layers, not dozens.",
        ),
    },
  ),
  preset(
    'xavier-relu',
    () => msg('Xavier + ReLU'),
    () =>
      msg(
        "Xavier's variance 1/n ignores that ReLU throws away half the signal energy, so the activation norm shrinks by 1/√2 per layer — to about 2^-64 ≈ 5e-20 of its start by layer 128 — and the gradients, shrinking on the way back too, reach f32's underflow limit (≈1e-38) at the first layer.",
      ),
    { ...WIDE, depth: 128, activation: 'relu', init: 'xavier-normal', gain: 1 },
    { kind: 'depth', depths: depthRange(1, 128) },
    { config: NARROW, sweep: NARROW_DEPTHS },
  ),
  preset(
    'normal-tanh',
    () => msg('N(0,1) + tanh'),
    () =>
      msg(
        "Unit-variance weights give pre-activations of standard deviation ≈ √n = 16, so tanh saturates and the activations stay bounded near ±1, yet the large weights outweigh the small slopes: gradients grow ≈3× per layer on the way back and leave f32's range (1e38) in the early layers.",
      ),
    { ...WIDE, depth: 128, activation: 'tanh', init: 'normal', gain: 1 },
    { kind: 'depth', depths: depthRange(1, 128) },
    {
      config: NARROW,
      sweep: NARROW_DEPTHS,
      explanation: () =>
        msg(
          "Unit-variance weights give pre-activations of standard deviation ≈ √n = 8, so tanh saturates and the activations stay bounded near ±1, yet the large weights outweigh the small slopes: gradients grow ≈2× per layer on the way back, and the first layers' weight gradients reach f32's limit (1e38).",
        ),
    },
  ),
  preset(
    'xavier-tanh',
    () => msg('Xavier + tanh'),
    () =>
      msg(
        'Xavier keeps tanh in its near-linear range, so nothing explodes: the activation norm decays only slowly (roughly like 1/√l, as tanh shaves off the larger values) and the gradients stay within about a factor of ten across all 128 layers.',
      ),
    { ...WIDE, depth: 128, activation: 'tanh', init: 'xavier-normal', gain: 1 },
    { kind: 'depth', depths: depthRange(1, 128) },
    { config: NARROW, sweep: NARROW_DEPTHS },
  ),
]);

/** The preset with this id, or undefined. */
export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
