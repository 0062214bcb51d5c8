import { describe, expect, it } from 'vitest';
import { CpuCapError } from '../../src/errors';
import { errorText, formatTimeLeft, TrainingController } from '../../src/ui/training-controller';
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
