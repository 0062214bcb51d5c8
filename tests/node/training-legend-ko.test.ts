import { initName } from '../../src/labs/depth/init';
import { describe, expect, it } from 'vitest';
import { lossCurves, pinTrainSweep, trainSweepLabel } from '../../src/labs/training/compare';
import { coincideNotes } from '../../src/labs/training/summary';
import { validateTrainConfig } from '../../src/labs/training/config';
import { trainRef } from '../../src/labs/training/cpu/train-ref';
import { INIT_SCHEMES, type InitScheme } from '../../src/labs/depth/config';
import type { TrainRun } from '../../src/labs/training/export';
import { useLocales } from '../helpers/node-locale';
import { ACTIVATIONS } from '../../src/kernels/activations';

// The Training lab's loss-chart legend (and its init picker) under the Korean UI names each init in Korean,
// as the Depth lab's form does (He 정규분포), not by its internal id (he-normal); English keeps the ids its
// `init:gain` field uses.

const setLocale = useLocales();
const base = { depth: 3, width: 4, batch: 4, trainSize: 8, heldOutSize: 4, activation: 'relu', steps: 5, evalEvery: 5, lr: 0.01, optimizer: 'sgd' } as const;
const run = (init: InitScheme, gain: number): TrainRun => ({ choice: { init, gain }, result: trainRef({ ...base, init, gain }) });

describe('Training lab legend in Korean', () => {
  it('names every init in Korean, never by its id', async () => {
    await setLocale('ko');
    const names = INIT_SCHEMES.map(initName);
    expect(names).toEqual(['항등 행렬', 'N(0, 1)', 'Xavier 정규분포', 'Xavier 균등분포', 'He 정규분포', 'LeCun 정규분포']);
    for (const id of INIT_SCHEMES) expect(names.join(' | ')).not.toContain(id);
  });

  it('the loss curves carry those names, the pinned ones too', async () => {
    await setLocale('ko');
    const pinned = pinTrainSweep('done', [run('xavier-normal', 1), run('normal', 2)], '');
    const curves = lossCurves([run('he-normal', 1), run('identity', 0.5)], pinned);
    // The held-out curves are not in the legend (its keys explain them); their labels (tooltips) name the init too.
    expect(curves.filter((c) => c.inLegend === false).map((c) => c.label)).toEqual(['He 정규분포 × 1, 테스트 세트 비용', '항등 행렬 × 0.5, 테스트 세트 비용']);
    expect(curves.filter((c) => c.inLegend !== false).map((c) => c.label)).toEqual([
      'He 정규분포 × 1',
      '항등 행렬 × 0.5',
      'Xavier 정규분포 × 1 (고정됨)',
      'N(0, 1) × 2 (고정됨)',
    ]);
  });

  it('English names them as a learner does, not by their ids', async () => {
    await setLocale('en');
    expect(INIT_SCHEMES.map(initName)).toEqual(['identity', 'N(0, 1)', 'Xavier normal', 'Xavier uniform', 'He normal', 'LeCun normal']);
    expect(lossCurves([run('lecun-normal', 1)], null).map((c) => c.label)).toEqual(['LeCun normal × 1', 'LeCun normal × 1, held-out loss']);
  });

  it('the pinned sweep’s settings group their counts like the progress line (10,000 steps)', async () => {
    await setLocale('ko');
    const label = trainSweepLabel(validateTrainConfig({ ...base, steps: 10000, evalEvery: 1000 }));
    expect(label).toContain('10,000');
    expect(label).not.toContain('10000');
  });

  it('the pinned sweep’s settings name the activation as a learner reads it (선형, 시그모이드), never by its id', async () => {
    await setLocale('ko');
    const ko = ACTIVATIONS.map((activation) => trainSweepLabel(validateTrainConfig({ ...base, activation })).split(',')[0]);
    expect(ko).toEqual(['선형', 'ReLU', 'tanh', '시그모이드']);
    await setLocale('en');
    const en = ACTIVATIONS.map((activation) => trainSweepLabel(validateTrainConfig({ ...base, activation })));
    expect(en.map((l) => l.split(',')[0])).toEqual(['linear', 'ReLU', 'tanh', 'sigmoid']);
    expect(en[1]).toBe('ReLU, depth 3, n = 4, m = 4, SGD, η = 0.01, 5 steps');
  });

  it('the note on coinciding curves says the runs have the same costs as each other, not that training cost = test cost (walk s11 T4)', async () => {
    await setLocale('ko');
    const [note] = coincideNotes([run('xavier-normal', 1), run('xavier-normal', 1)]);
    // (The list's conjunction is Intl's: Node's ICU may lack Korean's 및.)
    expect(note).toMatch(
      /^Xavier 정규분포 × 1 .+ Xavier 정규분포 × 1의 실행은 모든 단계에서 훈련 비용도 테스트 세트 비용도 서로 같아 선이 겹칩니다: 차트에는 한 선으로 보입니다\.$/,
    );
    expect(note).not.toContain('훈련 비용과 테스트 세트 비용이 같아');
  });
});
