// `gradient-playground train`: the Training lab's init sweep from the command line. The options are the lab's
// URL parameters (TRAIN_RUN_PARAMS, read by its decodeTrainState: same limits and messages); the result is the lab's own export
// (JSON and/or CSV, as the app's buttons write).
import { writeFileSync } from 'node:fs';
import type { GpuContext } from '../gpu/context';
import { CONFIG_LIMITS, INIT_SCHEMES, INPUT_KINDS } from '../labs/depth/config';
import { OPTIMIZERS, TRAIN_LIMITS } from '../labs/training/config';
import { trainRunsToCsv, trainRunsToJson, type TrainRun } from '../labs/training/export';
import { runTraining } from '../labs/training/train-gpu';
import { decodeTrainState, encodeTrainState, MAX_INITS, TRAIN_RUN_PARAMS, type TrainLabState } from '../labs/training/url-state';
import { ACTIVATIONS } from '../kernels/activations';
import { UsageError, type CommandSpec, type Values } from './args';
import { startProgress } from './progress';

const L = CONFIG_LIMITS;
const T = TRAIN_LIMITS;
export const TRAIN_COMMAND: CommandSpec = {
  name: 'train',
  short: 'the Training lab: trains one deep net per init on the teacher–student task, on the GPU',
  summary:
    "Trains a deep fully connected net per init (the Training lab's init sweep) by minibatch SGD or Adam on the teacher–student regression task, " +
    "recording per step the train loss, the held-out loss every evalEvery steps, and per layer ‖∂J/∂W[l]‖, ‖a[l]‖ and the update ratio. The options are the lab's URL parameters.",
  options: {
    depth: { type: 'string', arg: 'L', help: `layers L, ${L.depth.min}..${L.depth.max}` },
    width: { type: 'string', arg: 'N', help: `width n, ${L.width.min}..${L.width.max}` },
    batch: { type: 'string', arg: 'M', help: `minibatch size, ${L.batch.min}..${L.batch.max}` },
    activation: { type: 'string', arg: 'NAME', help: `activation: ${ACTIVATIONS.join(', ')}` },
    seed: { type: 'string', arg: 'S', help: `seed of the weights, teacher and data, ${L.seed.min}..${L.seed.max}` },
    input: { type: 'string', arg: 'KIND', help: `inputs: ${INPUT_KINDS.join(', ')}` },
    optimizer: { type: 'string', arg: 'NAME', help: `${OPTIMIZERS.join(' or ')}` },
    lr: { type: 'string', arg: 'X', help: `learning rate, above ${T.lr.min} up to ${T.lr.max} (default 0.01 for sgd, 0.001 for adam)` },
    steps: { type: 'string', arg: 'K', help: `training steps, ${T.steps.min}..${T.steps.max}` },
    evalEvery: { type: 'string', arg: 'K', help: 'held-out loss every K steps' },
    beta1: { type: 'string', arg: 'X', help: 'Adam β1, 0 ≤ β1 < 1' },
    beta2: { type: 'string', arg: 'X', help: 'Adam β2, 0 ≤ β2 < 1' },
    eps: { type: 'string', arg: 'X', help: 'Adam ε, 0 < ε ≤ 1' },
    trainSize: { type: 'string', arg: 'N', help: `training examples, ${T.trainSize.min}..${T.trainSize.max}` },
    heldOutSize: { type: 'string', arg: 'N', help: `held-out examples, ${T.heldOutSize.min}..${T.heldOutSize.max}` },
    inits: {
      type: 'string',
      arg: 'LIST',
      help: `one run per init:gain, up to ${MAX_INITS}, e.g. he-normal:1,xavier-normal:1 (inits: ${INIT_SCHEMES.join(', ')})`,
    },
    out: { type: 'string', multiple: true, arg: 'FILE', help: "write the lab's export: FILE.json and/or FILE.csv; give --out twice for both" },
  },
  notes: [
    'Without --out, one line per init is printed: final train and held-out loss and how the run ended. Ctrl-C stops after the chunk of steps in flight and still writes what was trained.',
  ],
  examples: [
    'gradient-playground train --depth 50 --activation relu --inits he-normal:1,xavier-normal:1,normal:1,identity:0.5 --steps 200 --out train.json',
    'gradient-playground train --optimizer adam --lr 0.001 --steps 500 --out train.csv',
  ],
};

const stripFallback = (m: string) => m.replace(/;? ?(using (the default|the defaults|\S+$)|ignored\b).*$/, '').replace(/[;,] $/, '');

/** The run the options describe, through the lab's own decoder; a UsageError naming every bad option, in one line. */
export function trainStateFromOptions(values: Values): TrainLabState {
  const params = new URLSearchParams();
  for (const p of TRAIN_RUN_PARAMS) if (typeof values[p] === 'string') params.set(p, values[p] as string);
  const { state, problems } = decodeTrainState(params.toString());
  if (problems.length) throw new UsageError(problems.map((p) => `--${p.param} ${stripFallback(p.message)}`).join('; '));
  return state;
}

/** Trains every init of `state` on `gpu`, one after another; the runs done (a cancelled run keeps its steps). */
export async function runTrainCommand(
  gpu: GpuContext,
  state: TrainLabState,
  options: { signal?: AbortSignal; progress?: boolean } = {},
): Promise<{ runs: TrainRun[]; query: string; error: unknown }> {
  const runs: TrainRun[] = [];
  const steps = state.config.steps;
  const bar = startProgress('train', steps * state.inits.length, { force: options.progress ?? false });
  let error: unknown = null;
  try {
    for (const [i, choice] of state.inits.entries()) {
      if (options.signal?.aborted) break;
      const result = await runTraining(
        gpu,
        { ...state.config, init: choice.init, gain: choice.gain },
        {
          signal: options.signal,
          onProgress: (p) =>
            bar.update(i * steps + p.done, p.remainingMs + (state.inits.length - i - 1) * (p.elapsedMs + p.remainingMs), `${choice.init}:${choice.gain}`),
        },
      );
      runs.push({ choice, result });
    }
  } catch (err) {
    error = err;
  } finally {
    bar.stop();
  }
  return { runs, query: encodeTrainState(state), error };
}

const fmt = (v: number) =>
  Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(+v.toPrecision(4))) : String(v);

/** One line per init: its loss at step 0 and at the end, the last held-out loss and how it ended. */
export function trainSummaryLines(runs: readonly TrainRun[]): string[] {
  const lines = [`${'init'.padEnd(22)} ${'loss[0]'.padStart(11)} ${'loss[end]'.padStart(11)} ${'held-out'.padStart(11)}  ended`];
  for (const { choice, result: r } of runs) {
    const last = r.completedSteps - 1;
    const ho = r.heldOutLoss.length ? r.heldOutLoss[r.heldOutLoss.length - 1] : NaN;
    const ended = r.cancelled
      ? `cancelled after ${r.completedSteps} steps`
      : r.brokeAt
        ? `broke at step ${r.brokeAt.step} (${r.brokeAt.status})`
        : `${r.completedSteps} steps`;
    lines.push(
      `${`${choice.init}:${choice.gain}`.padEnd(22)} ${fmt(r.trainLoss[0]).padStart(11)} ${fmt(r.trainLoss[last]).padStart(11)} ${fmt(ho).padStart(11)}  ${ended}`,
    );
  }
  return lines;
}

/** Writes the runs to the --out files (the Training lab's JSON and/or CSV); returns their names. */
export function writeTrainExports(files: Partial<Record<'json' | 'csv', string>>, runs: readonly TrainRun[], query: string): string[] {
  if (files.json) writeFileSync(files.json, trainRunsToJson(runs, query));
  if (files.csv) writeFileSync(files.csv, trainRunsToCsv(runs));
  return [files.json, files.csv].filter((f): f is string => !!f);
}
