import { describe, expect, it } from 'vitest';
import { CpuCapError, InputError } from '../../src/errors';
import { TRAIN_CPU_LIMITS, runTrainingCpu, trainCpuWork, type TrainProgress } from '../../src/labs/training/cpu/train-cpu';
import { trainRef } from '../../src/labs/training/cpu/train-ref';
import { validateTrainConfig } from '../../src/labs/training/config';

const small = {
  depth: 4,
  width: 6,
  batch: 4,
  trainSize: 16,
  heldOutSize: 8,
  activation: 'tanh',
  init: 'xavier-normal',
  steps: 70,
  evalEvery: 10,
  lr: 0.05,
  optimizer: 'adam',
} as const;

describe('runTrainingCpu', () => {
  it('gives the reference run, reporting progress after each chunk of 32 steps', async () => {
    const progress: TrainProgress[] = [];
    const r = await runTrainingCpu(small, { onProgress: (p) => progress.push(p) });
    const ref = trainRef(small);
    expect(r).toEqual(ref);
    expect(progress.map((p) => p.done)).toEqual([32, 64, 70]);
    expect(progress.every((p) => p.total === 70 && p.remainingMs >= 0 && p.elapsedMs >= 0)).toBe(true);
    expect(progress[2].remainingMs).toBe(0);
    expect(progress[1].trainLoss).toBe(ref.trainLoss[63]);
  });

  it('lets the event loop run between chunks', async () => {
    let timerRan = false;
    const seenAt: boolean[] = [];
    const run = runTrainingCpu(small, { chunk: 10, onProgress: () => seenAt.push(timerRan) });
    setTimeout(() => (timerRan = true), 0);
    await run;
    expect(seenAt[0]).toBe(false); // the first chunk runs synchronously
    expect(seenAt[seenAt.length - 1]).toBe(true);
  });

  it('Cancel takes effect at the next chunk; the finished steps stay', async () => {
    const ctrl = new AbortController();
    const r = await runTrainingCpu(small, { signal: ctrl.signal, chunk: 20, onProgress: (p) => p.done === 40 && ctrl.abort() });
    expect(r.cancelled).toBe(true);
    expect(r.completedSteps).toBe(40);
    const full = trainRef(small);
    expect(Array.from(r.trainLoss)).toEqual(Array.from(full.trainLoss.subarray(0, 40)));
    expect(Array.from(r.layers.updateRatio)).toEqual(Array.from(full.layers.updateRatio.subarray(0, 40 * 4)));
    expect(Array.from(r.heldOutStep)).toEqual([0, 10, 20, 30, 40]);
    expect(r.heldOutLoss[4]).toBe(full.heldOutLoss[4]); // step 40's weights, measured either way
  });

  it('refuses runs past the CPU caps with a CpuCapError saying what to change, and a bad chunk with an InputError', async () => {
    await expect(runTrainingCpu({ ...small, width: 512 })).rejects.toThrow(CpuCapError);
    const big = { depth: 20, width: 256, batch: 256, steps: 10_000, evalEvery: 100 } as const;
    expect(trainCpuWork(validateTrainConfig(big))).toBeGreaterThan(TRAIN_CPU_LIMITS.work);
    const err = await runTrainingCpu(big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CpuCapError);
    expect((err as CpuCapError).field).toBe('steps');
    expect((err as Error).message).toMatch(/Use at most \d+ steps at this size/);
    const mem = await runTrainingCpu({ depth: 1000, width: 8, batch: 8, steps: 10_000 }).catch((e: unknown) => e);
    expect((mem as CpuCapError).message).toContain('Memory of the run');
    await expect(runTrainingCpu(small, { chunk: 0 })).rejects.toThrow(InputError);
    await expect(runTrainingCpu({ ...small, steps: 0 })).rejects.toThrow(/steps: must be an integer from 1 to 10000/);
  });
});
