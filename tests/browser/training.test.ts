// The Training lab's GPU engine (runTraining) against the float64 reference (trainRef), run side by side
// in the page on the same task; and the lesson's behaviours on real runs: 0.5·I never moves while He
// trains, an exploding init shows overflow/NaN/lost (never a finite "converged" loss), Cancel keeps steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';
import type { TrainConfigInput } from '../../src/labs/training/config';
import type { TrainStatus } from '../../src/labs/training/types';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

/** A run brought back as plain arrays, statuses as names. */
interface PlainRun {
  completedSteps: number;
  cancelled: boolean;
  trainLoss: number[];
  heldOutStep: number[];
  heldOutLoss: number[];
  layers: Record<'gradWNorm' | 'actNorm' | 'updateRatio', number[]>;
  status: { trainLoss: TrainStatus[]; heldOutLoss: TrainStatus[]; layers: Record<'gradWNorm' | 'actNorm' | 'updateRatio', TrainStatus[]> };
  brokeAt: unknown;
  submissions?: number;
  progress?: number[];
}

/** Runs the GPU engine and (with `ref`) the float64 reference in the page. */
async function run(config: TrainConfigInput, opts: { ref?: boolean; chunk?: number; cancelAfter?: number } = {}): Promise<{ gpu: PlainRun; ref?: PlainRun }> {
  return h.page.evaluate(
    async (cfg, o) => {
      const { gpu } = window.gp;
      const { runTraining, trainRef, statusName } = window.gp.lib;
      const plain = (r: import('../../src/labs/training/types').TrainResult & { submissions?: number }) => {
        const names = (a: Uint8Array) => Array.from(a, statusName);
        return {
          completedSteps: r.completedSteps,
          cancelled: r.cancelled,
          trainLoss: Array.from(r.trainLoss),
          heldOutStep: Array.from(r.heldOutStep),
          heldOutLoss: Array.from(r.heldOutLoss),
          layers: { gradWNorm: Array.from(r.layers.gradWNorm), actNorm: Array.from(r.layers.actNorm), updateRatio: Array.from(r.layers.updateRatio) },
          status: {
            trainLoss: names(r.status.trainLoss),
            heldOutLoss: names(r.status.heldOutLoss),
            layers: { gradWNorm: names(r.status.layers.gradWNorm), actNorm: names(r.status.layers.actNorm), updateRatio: names(r.status.layers.updateRatio) },
          },
          brokeAt: r.brokeAt,
          submissions: r.submissions,
        };
      };
      const controller = new AbortController();
      const progress: number[] = [];
      const g = await runTraining(gpu!, cfg, {
        chunk: o.chunk,
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p.done);
          if (o.cancelAfter !== undefined && p.done >= o.cancelAfter) controller.abort();
        },
      });
      const out: { gpu: PlainRun; ref?: PlainRun } = { gpu: { ...plain(g), progress } };
      if (o.ref) out.ref = plain(trainRef(cfg));
      return out;
    },
    config as never,
    opts,
  );
}

/** Largest |g − r|/|r| over the pairs where both are finite statuses. */
function maxRelErr(g: number[], r: number[], ok: boolean[]): number {
  let worst = 0;
  for (let i = 0; i < r.length; i++) {
    if (!ok[i]) continue;
    const e = Math.abs(g[i] - r[i]) / Math.max(Math.abs(r[i]), 1e-30);
    worst = Math.max(worst, e);
  }
  return worst;
}

// Awkward sizes: width 24, batch 12 from a training set of 40 (minibatches wrap around its end), held-out
// evaluations every 7 steps (and after the last), 20 steps.
const SMALL = { depth: 5, width: 24, batch: 12, trainSize: 40, heldOutSize: 20, evalEvery: 7, steps: 20, seed: 7 } as const;

describe('runTraining matches the float64 reference (first 20 steps)', () => {
  // Tolerances: f32 against float64 after 20 updates. SGD: relative 1e-3 on every loss and per-layer
  // norm. Adam divides by √v̂ (elements with a tiny gradient turn f32 rounding into a visible step), so
  // its update ratios get 5e-3.
  const cases: [string, TrainConfigInput, number][] = [
    ['linear, SGD', { ...SMALL, activation: 'linear', init: 'xavier-normal', optimizer: 'sgd', lr: 0.05 }, 1e-3],
    ['ReLU, SGD', { ...SMALL, activation: 'relu', init: 'he-normal', optimizer: 'sgd', lr: 0.05 }, 1e-3],
    ['tanh, SGD', { ...SMALL, activation: 'tanh', init: 'xavier-normal', optimizer: 'sgd', lr: 0.1 }, 1e-3],
    ['linear, Adam', { ...SMALL, activation: 'linear', init: 'lecun-normal', optimizer: 'adam', lr: 0.01 }, 5e-3],
    ['ReLU, Adam', { ...SMALL, activation: 'relu', init: 'he-normal', optimizer: 'adam', lr: 0.01 }, 5e-3],
    ['tanh, Adam', { ...SMALL, activation: 'tanh', init: 'xavier-normal', optimizer: 'adam', lr: 0.01 }, 5e-3],
  ];
  for (const [name, config, rtol] of cases) {
    it(name, async () => {
      const { gpu, ref } = await run(config, { ref: true, chunk: 6 });
      const r = ref!;
      expect(gpu.completedSteps).toBe(20);
      expect(gpu.cancelled).toBe(false);
      // 20 steps in chunks of 6: four submissions, plus none for the final evaluation? It is due after
      // step 20, which no chunk covers, so one more.
      expect(gpu.submissions).toBe(5);
      expect(gpu.progress).toEqual([6, 12, 18, 20]);
      expect(gpu.heldOutStep).toEqual([0, 7, 14, 20]);
      expect(gpu.status).toEqual(r.status);
      expect(gpu.brokeAt).toEqual(r.brokeAt);
      // The loss really changed: the comparison is of training, not of 20 copies of the first step.
      expect(Math.abs(r.trainLoss[19] - r.trainLoss[0]) / r.trainLoss[0]).toBeGreaterThan(0.01);
      const all = (a: unknown[]) => a.map(() => true);
      expect(maxRelErr(gpu.trainLoss, r.trainLoss, all(r.trainLoss)), 'train loss').toBeLessThan(1e-3);
      expect(maxRelErr(gpu.heldOutLoss, r.heldOutLoss, all(r.heldOutLoss)), 'held-out loss').toBeLessThan(1e-3);
      expect(maxRelErr(gpu.layers.actNorm, r.layers.actNorm, all(r.layers.actNorm)), '‖a[l]‖').toBeLessThan(1e-3);
      expect(maxRelErr(gpu.layers.gradWNorm, r.layers.gradWNorm, all(r.layers.gradWNorm)), '‖∂J/∂W[l]‖').toBeLessThan(1e-3);
      expect(maxRelErr(gpu.layers.updateRatio, r.layers.updateRatio, all(r.layers.updateRatio)), '‖ΔW‖/‖W‖').toBeLessThan(rtol);
    });
  }
});

describe('the lesson on real training runs', () => {
  // Full-batch (trainSize = batch), so the loss changes only by training, not by a new minibatch.
  const LESSON = { depth: 30, width: 16, batch: 16, trainSize: 16, heldOutSize: 16, steps: 200, evalEvery: 50, optimizer: 'sgd', seed: 1 } as const;

  it('W = 0.5·I (linear, depth 30) never moves, while He + ReLU halves its loss in the same 200 SGD steps', async () => {
    const { gpu: half } = await run({ ...LESSON, activation: 'linear', init: 'identity', gain: 0.5, lr: 0.002 });
    expect(half.completedSteps).toBe(200);
    expect(Math.max(...half.layers.updateRatio)).toBeLessThan(1e-6);
    expect(half.status.layers.updateRatio.every((s) => s === 'finite')).toBe(true);
    const moved = Math.abs(half.trainLoss[199] - half.trainLoss[0]) / half.trainLoss[0];
    expect(moved).toBeLessThan(0.01);

    const { gpu: he } = await run({ ...LESSON, activation: 'relu', init: 'he-normal', gain: 1, lr: 0.002 });
    expect(he.status.trainLoss.every((s) => s === 'finite')).toBe(true);
    expect(he.trainLoss[199]).toBeLessThan(0.5 * he.trainLoss[0]);
  });

  it('an exploding init (N(0, 1), ReLU, depth 50) shows overflow/NaN/lost, never a finite converged loss', async () => {
    const { gpu } = await run({
      depth: 50,
      width: 32,
      batch: 16,
      trainSize: 64,
      heldOutSize: 16,
      steps: 40,
      evalEvery: 10,
      activation: 'relu',
      init: 'normal',
      gain: 1,
      lr: 0.01,
    });
    expect(gpu.completedSteps).toBe(40);
    expect(gpu.brokeAt).not.toBeNull();
    expect(gpu.status.trainLoss[0]).toMatch(/overflow|nan|lost/);
    // Once broken, every later value is 'lost' (and not a number; NaN crosses the page boundary as null):
    // nothing reads as converged.
    const last = gpu.status.trainLoss.length - 1;
    expect(gpu.status.trainLoss[last]).toBe('lost');
    expect(Number.isFinite(gpu.trainLoss[last])).toBe(false);
    expect(gpu.status.heldOutLoss.at(-1)).toBe('lost');
    expect(gpu.status.trainLoss.filter((s) => s === 'finite')).toEqual([]);
    // Stopped submitting once every later step was lost: the first chunk of 32 steps only (not 2, plus one
    // for the final evaluation).
    expect(gpu.submissions).toBe(1);
  });

  it('Cancel takes effect at the next chunk and keeps the finished steps (equal to the reference’s)', async () => {
    const config = { ...SMALL, steps: 60, activation: 'relu', init: 'he-normal', optimizer: 'sgd', lr: 0.05 } as const;
    const { gpu, ref } = await run(config, { ref: true, chunk: 8, cancelAfter: 16 });
    expect(gpu.cancelled).toBe(true);
    expect(gpu.completedSteps).toBe(16);
    expect(gpu.progress).toEqual([8, 16]);
    expect(gpu.trainLoss).toHaveLength(16);
    expect(gpu.layers.gradWNorm).toHaveLength(16 * config.depth);
    // The held-out loss is measured on the weights the finished steps left.
    expect(gpu.heldOutStep).toEqual([0, 7, 14, 16]);
    const r = ref!;
    const ok = gpu.trainLoss.map(() => true);
    expect(maxRelErr(gpu.trainLoss, r.trainLoss.slice(0, 16), ok)).toBeLessThan(1e-3);
    expect(maxRelErr(gpu.heldOutLoss.slice(0, 3), r.heldOutLoss.slice(0, 3), [true, true, true])).toBeLessThan(1e-3);
  });

  it('refuses a bad chunk and a bad config with a clear message', async () => {
    const messages = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      const { runTraining } = window.gp.lib;
      const msg = async (f: () => Promise<unknown>) =>
        f().then(
          () => 'resolved',
          (e: Error) => e.message,
        );
      return [await msg(() => runTraining(gpu!, {}, { chunk: 0 })), await msg(() => runTraining(gpu!, { optimizer: 'rmsprop' as never }))];
    });
    expect(messages[0]).toMatch(/chunk.*integer from 1 to 10000.*got 0/);
    expect(messages[1]).toMatch(/optimizer.*sgd, adam.*rmsprop/);
  });
});
