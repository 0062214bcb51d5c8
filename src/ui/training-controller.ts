// DOM-free controller of the Training lab: runs an init sweep (one training run per init, on the GPU or the
// CPU fallback), reports progress with time left, cancels, keeps finished runs (and a cancelled run's
// finished steps), and hands device losses to the view's recovery.

import { msg, str } from '@lit/localize';
import { CpuCapError } from '../errors';
import { cpuCapText } from '../labs/cpu-cap-text';
import type { GpuContext } from '../gpu/context';
import { formatCount } from '../locale-format';
import { runTraining } from '../labs/training/train-gpu';
import { runTrainingCpu } from '../labs/training/cpu/train-cpu';
import type { TrainRun } from '../labs/training/export';
import type { TrainLabState } from '../labs/training/url-state';
import { canPinSweep, pinTrainSweep, type PinnedTrainSweep } from '../labs/training/compare';
import { initLabel } from '../labs/training/summary';
import type { InitChoice } from '../labs/training/presets';
import { trainBaseline, type MeanBaseline } from '../labs/training/baseline';

export type TrainPhase = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface TrainSweepProgress {
  /** Steps done over every init of the sweep. */
  done: number;
  /** Inits × steps per init. */
  total: number;
  /** Estimated from the pace so far, ms. */
  remainingMs: number;
  /** Which init is training (index into the state's inits). */
  current: number;
  /** Its init and gain (the text names it in the language shown: "xavier-normal × 1"). */
  currentChoice: InitChoice;
  /** Steps that init has done. */
  step: number;
  /** Steps per init. */
  steps: number;
  /** Inits in the sweep. */
  inits: number;
}

/** What the view supplies for a run. */
export interface TrainRunEnv {
  /** The GPU, or null on the CPU fallback. */
  gpu: GpuContext | null;
  /**
   * Called with what a GPU run threw: returns a new context to go on with (device loss, resume mode), or
   * throws the error to show.
   */
  recover?: (gpu: GpuContext, err: unknown, at: string, kept: string, signal: AbortSignal) => Promise<GpuContext>;
}

export class TrainingController {
  phase: TrainPhase = 'idle';
  runs: TrainRun[] = [];
  progress: TrainSweepProgress | null = null;
  error: string | null = null;
  /** The loss of always predicting the average target on this sweep's task (every init shares it), once a run has finished. */
  baseline: MeanBaseline | null = null;
  /** A finished sweep kept to compare with the next one (a new run does not clear it). */
  pinned: PinnedTrainSweep | null = null;
  private controller: AbortController | null = null;

  constructor(private readonly changed: () => void) {}

  get running(): boolean {
    return this.phase === 'running';
  }

  get canPin(): boolean {
    return canPinSweep(this.phase, this.runs);
  }

  /** Pins the finished sweep (run from the share-link `query`). */
  pin(query: string): void {
    this.pinned = pinTrainSweep(this.phase, this.runs, query);
    this.changed();
  }

  unpin(): void {
    this.pinned = null;
    this.changed();
  }

  /** Stops the sweep at the next chunk; finished steps stay. */
  cancel(): void {
    this.controller?.abort();
  }

  /** Trains every init of `state` one after another; resolves when the sweep ends (or is cancelled). */
  async run(state: TrainLabState, env: TrainRunEnv): Promise<void> {
    if (this.running) return;
    const controller = (this.controller = new AbortController());
    const signal = controller.signal;
    this.phase = 'running';
    this.runs = [];
    this.baseline = null;
    this.error = null;
    const steps = state.config.steps;
    const inits = state.inits.length;
    const total = steps * inits;
    const base = { total, steps, inits };
    this.progress = { ...base, done: 0, remainingMs: NaN, current: 0, currentChoice: state.inits[0], step: 0 };
    this.changed();
    const t0 = performance.now();
    let gpu = env.gpu;
    try {
      for (let i = 0; i < state.inits.length && !signal.aborted; i++) {
        const choice = state.inits[i];
        const config = { ...state.config, init: choice.init, gain: choice.gain };
        const before = i * steps;
        const onProgress = (p: { done: number }) => {
          const done = before + p.done;
          const elapsed = performance.now() - t0;
          this.progress = { ...base, done, remainingMs: (elapsed * (total - done)) / Math.max(done, 1), current: i, currentChoice: choice, step: p.done };
          this.changed();
        };
        this.progress = { ...this.progress!, current: i, currentChoice: choice, step: 0 };
        for (;;) {
          try {
            const result = gpu ? await runTraining(gpu, config, { signal, onProgress }) : await runTrainingCpu(config, { signal, onProgress });
            this.runs = [...this.runs, { choice, result }];
            break;
          } catch (err) {
            if (!gpu || !env.recover) throw err;
            const kept = this.runs.length;
            gpu = await env.recover(
              gpu,
              err,
              msg(str`while training ${initLabel({ choice })}`),
              kept === 1 ? msg('The finished run is kept.') : msg(str`The ${formatCount(kept)} finished runs are kept.`),
              signal,
            );
          }
        }
        // After the first run: its settings have passed every check (the CPU fallback's caps too).
        this.baseline ??= trainBaseline(config);
        this.changed();
      }
      this.phase = signal.aborted ? 'cancelled' : 'done';
    } catch (err) {
      this.phase = signal.aborted ? 'cancelled' : 'failed';
      if (!signal.aborted) this.error = errorText(err);
    } finally {
      this.controller = null;
      this.changed();
    }
  }
}

/** What a failed run shows: a CPU cap as one whole message in the language shown, else the error's own message. */
export function errorText(err: unknown): string {
  if (err instanceof CpuCapError) return cpuCapText(err);
  return err instanceof Error ? err.message : String(err);
}

/** "about 12 s left" / "about 3 min left". */
export function formatTimeLeft(ms: number): string {
  if (!Number.isFinite(ms)) return msg('estimating time left…');
  const s = Math.ceil(ms / 1000);
  if (s < 90) return msg(str`about ${formatCount(s)} s left`);
  const min = Math.round(s / 60);
  return msg(str`about ${formatCount(min)} min left`);
}

/**
 * The progress line, one whole message per phase: which init of the sweep and which of its steps, and how many
 * of all inits × steps are done ("Init 2 of 4 (xavier-normal × 1): step 37 of 100 · 4 inits × 100 steps: 137 of
 * 400 done (about 12 s left)"); a sweep of one init counts its steps only.
 */
export function progressText(phase: TrainPhase, p: TrainSweepProgress): string {
  const done = formatCount(p.done);
  const total = formatCount(p.total);
  const init = formatCount(p.current + 1);
  const inits = formatCount(p.inits);
  const step = formatCount(p.step);
  const steps = formatCount(p.steps);
  const name = initLabel({ choice: p.currentChoice });
  const one = p.inits === 1;
  switch (phase) {
    case 'running': {
      const left = formatTimeLeft(p.remainingMs);
      return one
        ? msg(str`${name}: step ${step} of ${steps} (${left})`)
        : msg(str`Init ${init} of ${inits} (${name}): step ${step} of ${steps} · ${inits} inits × ${steps} steps: ${done} of ${total} done (${left})`);
    }
    case 'cancelled':
      return one
        ? msg(str`${name}: cancelled at step ${step} of ${steps}`)
        : msg(str`Cancelled at init ${init} of ${inits} (${name}), step ${step} of ${steps} · ${inits} inits × ${steps} steps: ${done} of ${total} done`);
    case 'failed':
      return one
        ? msg(str`${name}: failed at step ${step} of ${steps}`)
        : msg(str`Failed at init ${init} of ${inits} (${name}), step ${step} of ${steps} · ${inits} inits × ${steps} steps: ${done} of ${total} done`);
    default:
      return one ? msg(str`${name}: all ${steps} steps done`) : msg(str`Done · ${inits} inits × ${steps} steps: all ${total} done`);
  }
}
