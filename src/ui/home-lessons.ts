/**
 * The home view's content: the two lessons in plain words, what each lab shows, and the links that start
 * each lab on a preset. DOM-free, so its links can be checked in Node.
 */
import { DEFAULT_LAB_STATE } from '../labs/normalize/form';
import { msg } from '@lit/localize';
import { findPreset, presetRun, type PresetSize } from '../labs/depth/presets';
import { encodeNormalizeState } from '../labs/normalize/url-state';
import { encodeState } from '../labs/depth/url-state';
import { findTrainPreset, trainPresetConfig } from '../labs/training/presets';
import { DEFAULT_TRAIN_LAB_STATE, encodeTrainState } from '../labs/training/url-state';

/** A start button: open `#/<route>?<query>` and run it. */
export interface LessonStart {
  id: string;
  label: string;
  /** One line on what the run shows (the button's tooltip). */
  hint: string;
  route: string;
  query: string;
}

/** One lesson: a claim from the lecture, what the lab shows, and its start buttons (the first is the main one). */
export interface HomeLesson {
  id: string;
  title: string;
  claim: string;
  see: string;
  starts: LessonStart[];
}

function trainingStart(size: PresetSize, presetId: string, label: string, hint: string): LessonStart {
  const p = findTrainPreset(presetId);
  if (!p) throw new Error(`home: no Training lab preset ${presetId}`);
  const state = { ...DEFAULT_TRAIN_LAB_STATE, config: trainPresetConfig(p, size), inits: p.inits };
  return { id: `train-${presetId}`, label, hint, route: 'training-lab', query: encodeTrainState(state) };
}

function depthStart(size: PresetSize, presetId: string, label: string, hint: string): LessonStart {
  const p = findPreset(presetId);
  if (!p) throw new Error(`home: no Depth lab preset ${presetId}`);
  const run = presetRun(p, size);
  return { id: presetId, label, hint, route: 'depth-lab', query: encodeState({ config: run.config, sweep: run.sweep, view: 'act' }) };
}

/**
 * The lessons of the home view in the write-up's order (normalizing inputs, then vanishing and exploding
 * gradients), with start links at `size` (small on a software adapter or the CPU
 * fallback, so the first results come within seconds; full on a GPU).
 */
/**
 * The home view's opening claim: where the numbers are computed and what checks them. The kernels are checked
 * against float64 (the Kernel check); the labs' results are compared with a formula or a forecast, not with exact
 * arithmetic, and the Training lab's costs with nothing.
 */
export function homeLead(cpuFallback: boolean): string {
  return cpuFallback
    ? msg(
        'Every number here is computed in this tab, on the CPU (this browser has no WebGPU). The Depth and Normalization labs set their results beside a forecast or a formula.',
      )
    : msg(
        'Every number here is computed in this tab, on your GPU. The GPU’s kernels are checked against float64 arithmetic, and the Depth and Normalization labs set their results beside a forecast or a formula.',
      );
}

export const homeLessons = (size: PresetSize): readonly HomeLesson[] => [
  {
    id: 'normalize',
    title: msg('Normalizing inputs'),
    claim: msg(
      'When one feature spans 1 to 1000 and another 0 to 1, the cost surface is a long thin valley and gradient descent crawls. Subtract the training mean μ and divide by the training standard deviation σ (not σ²): the surface turns round and descent goes straight in. Use the same μ and σ on the test set.',
    ),
    see: msg(
      'the cost surface and the path of gradient descent for raw inputs, normalized inputs, inputs divided by σ², and a test set normalized with its own statistics, side by side.',
    ),
    starts: [
      {
        id: 'lecture-data',
        label: msg('Start: the lecture’s data'),
        hint: msg('x1 between 1 and 1000, x2 between 0 and 1, fitted four ways.'),
        route: 'normalization-lab',
        query: encodeNormalizeState(DEFAULT_LAB_STATE),
      },
    ],
  },
  {
    id: 'gradients',
    title: msg('Vanishing and exploding gradients'),
    claim: msg(
      'In a deep network every layer multiplies the signal. If every weight matrix is W = 1.5·I, the activations grow as 1.5ˡ; with W = 0.5·I they shrink as 0.5ˡ. The gradients follow, so training blows up or stalls. Careful initialization keeps them steady: Xavier and He initialization draw each layer’s random weights with variance 1/n and 2/n, n being the layer’s width (He’s 2 makes up for ReLU zeroing half the signal), so the signal keeps its size from layer to layer.',
    ),
    see: msg(
      'one row per network depth and one column per layer; the colour is the size of the activations or the gradients, so you watch them grow past what a float can hold, or shrink to zero.',
    ),
    starts: [
      depthStart(size, 'lecture-1.5I', msg('Start: W = 1.5·I explodes'), msg('The lecture’s example: activations grow as 1.5^l until they overflow.')),
      depthStart(size, 'lecture-0.5I', msg('W = 0.5·I vanishes'), msg('Activations halve every layer until they are exactly 0.')),
      depthStart(size, 'he-relu', msg('He + ReLU stays steady'), msg('The fix: He initialization keeps every layer at the same scale.')),
      trainingStart(
        size,
        'depth50-relu',
        msg('Train it: He’s loss falls, 0.5·I’s never moves'),
        msg('Four inits of a depth-50 ReLU net trained side by side: the loss curves and the per-layer gradients.'),
      ),
    ],
  },
];
