import { describe, expect, it } from 'vitest';
import { CpuCapError } from '../../src/errors';
import { errorText, formatTimeLeft, progressText, TrainingController, type TrainSweepProgress } from '../../src/ui/training-controller';
import { useLocales } from '../helpers/node-locale';
import { DEFAULT_TRAIN_LAB_STATE } from '../../src/labs/training/url-state';
import { validateTrainConfig } from '../../src/labs/training/config';

// The Training lab's controller texts: time left as one phrase, and a CPU cap as one whole sentence (cap,
// needed, allowed, what to change), as the view shows them (English, the source language).

describe('training controller texts', () => {
  it('says the time left in seconds below 90 s, in minutes above, and that it is estimating before the first chunk', () => {
    expect(formatTimeLeft(NaN)).toBe('estimating time left…');
    expect(formatTimeLeft(11_200)).toBe('about 12 s left');
    expect(formatTimeLeft(89_000)).toBe('about 89 s left');
    expect(formatTimeLeft(300_000)).toBe('about 5 min left');
  });

  it('shows a CPU cap as one sentence with grouped counts, and any other error as its message', () => {
    const cap = new CpuCapError('steps', 'Work of the run', 1_073_741_824, 2_147_483_648, 'Use fewer steps.');
    expect(errorText(cap)).toBe('Work of the run: needs 2,147,483,648, the CPU fallback allows 1,073,741,824. Use fewer steps.');
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('plain')).toBe('plain');
  });

  it('a sweep past the CPU caps fails with that sentence and keeps no half run', async () => {
    const ctl = new TrainingController(() => {});
    const config = validateTrainConfig({ depth: 50, width: 64, batch: 64, trainSize: 64, steps: 10_000 });
    await ctl.run({ ...DEFAULT_TRAIN_LAB_STATE, config }, { gpu: null });
    expect(ctl.phase).toBe('failed');
    expect(ctl.runs).toEqual([]);
    expect(ctl.error).toMatch(
      /^Work of the run \(steps·L·m·n² = 10000·50·64·64², plus the held-out evaluations\): needs [\d,]+, the CPU fallback allows 1,073,741,824\. Use at most \d+ steps at this size/,
    );
  });
});

describe('training progress line', () => {
  const setLocale = useLocales();
  const at = (over: Partial<TrainSweepProgress>): TrainSweepProgress => ({
    done: 137,
    total: 400,
    remainingMs: 11_200,
    current: 1,
    currentChoice: { init: 'xavier-normal', gain: 1 },
    step: 37,
    steps: 100,
    inits: 4,
    ...over,
  });

  it('says which init and which of its steps, and counts inits × steps for the whole sweep (not "400 of 400 steps")', async () => {
    await setLocale('en');
    expect(progressText('running', at({}))).toBe('Init 2 of 4 (Xavier normal × 1): step 37 of 100 · 4 inits × 100 steps: 137 of 400 done (about 12 s left)');
    expect(progressText('cancelled', at({}))).toBe('Cancelled at init 2 of 4 (Xavier normal × 1), step 37 of 100 · 4 inits × 100 steps: 137 of 400 done');
    expect(progressText('failed', at({}))).toBe('Failed at init 2 of 4 (Xavier normal × 1), step 37 of 100 · 4 inits × 100 steps: 137 of 400 done');
    expect(progressText('done', at({ done: 400, current: 3, step: 100 }))).toBe('Done · 4 inits × 100 steps: all 400 done');
    // One init: its steps are the whole count.
    const one = at({ inits: 1, total: 100, done: 37, current: 0, currentChoice: { init: 'he-normal', gain: 1 } });
    expect(progressText('running', one)).toBe('He normal × 1: step 37 of 100 (about 12 s left)');
    expect(progressText('done', { ...one, done: 100, step: 100 })).toBe('He normal × 1: all 100 steps done');
  });

  it('reads as Korean in Korean, the counts grouped', async () => {
    await setLocale('ko');
    expect(progressText('running', at({ steps: 10_000, total: 40_000, done: 13_700, step: 3_700 }))).toBe(
      '초기화 4개 중 2번째 (Xavier 정규분포 × 1): 10,000단계 중 3,700단계 · 초기화 4개 × 10,000단계: 40,000단계 중 13,700단계 완료 (약 12초 남음)',
    );
    expect(progressText('done', at({ done: 400, current: 3, step: 100 }))).toBe('완료 · 초기화 4개 × 100단계: 400단계 모두 완료');
    await setLocale('en');
  });

  it('follows a real sweep: the init, its step and the sweep’s count move together', async () => {
    const ctl = new TrainingController(() => seen.push(ctl.progress && { ...ctl.progress }));
    const seen: (TrainSweepProgress | null)[] = [];
    const config = validateTrainConfig({ depth: 3, width: 4, batch: 4, trainSize: 8, heldOutSize: 4, steps: 6, evalEvery: 3 });
    const inits = [
      { init: 'he-normal', gain: 1 },
      { init: 'identity', gain: 0.5 },
    ] as const;
    await ctl.run({ ...DEFAULT_TRAIN_LAB_STATE, config, inits: [...inits] }, { gpu: null });
    expect(ctl.phase).toBe('done');
    const ps = seen.filter((p): p is TrainSweepProgress => !!p);
    for (const p of ps) {
      expect(p.total).toBe(12);
      expect(p.done).toBe(p.current * 6 + p.step);
      expect(p.currentChoice).toEqual(inits[p.current]);
    }
    expect(ps.some((p) => p.current === 1 && p.step > 0)).toBe(true);
    expect(progressText(ctl.phase, ctl.progress!)).toBe('Done · 2 inits × 6 steps: all 12 done');
  });
});
