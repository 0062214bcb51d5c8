// The Training lab's view-model: URL state round trip (seed and inits included), bad links, presets, the
// home view's start link, and the exports.
import { describe, expect, it } from 'vitest';
import { decodeTrainState, encodeTrainState, formatInits, parseInits, DEFAULT_TRAIN_LAB_STATE } from '../../src/labs/training/url-state';
import { TRAIN_PRESETS, findTrainPreset, presetOfSettings, trainPresetConfig } from '../../src/labs/training/presets';
import { trainRunsToCsv, trainRunsToJson } from '../../src/labs/training/export';
import { trainRef } from '../../src/labs/training/cpu/train-ref';
import { trainCpuCapProblem } from '../../src/labs/training/cpu/train-cpu';
import { homeLessons } from '../../src/ui/home-lessons';

describe('Training lab URL state', () => {
  it('round-trips every setting, the seed and the inits', () => {
    const state = {
      ...DEFAULT_TRAIN_LAB_STATE,
      config: { ...DEFAULT_TRAIN_LAB_STATE.config, depth: 7, width: 12, seed: 42, optimizer: 'adam' as const, lr: 0.003, steps: 33 },
      inits: [
        { init: 'identity' as const, gain: 0.5 },
        { init: 'normal' as const, gain: 1 },
      ],
      stat: 'updateRatio' as const,
      selected: 1,
      scale: 'auto' as const,
    };
    const { state: back, problems } = decodeTrainState(encodeTrainState(state));
    expect(problems).toEqual([]);
    // init and gain come from the inits list; the rest exactly.
    expect({ ...back, config: { ...back.config, init: state.config.init, gain: state.config.gain } }).toEqual(state);
  });

  it('lists bad parameters and falls back, never throws', () => {
    const { state, problems } = decodeTrainState('depth=0&seed=abc&inits=he-normal:1,bogus:2&stat=x&sel=9&scale=big&color=red');
    expect(problems.map((p) => p.param).sort()).toEqual(['color', 'depth', 'inits', 'scale', 'seed', 'sel', 'stat']);
    // The parameter is named beside the message, not repeated in it.
    expect(problems.find((p) => p.param === 'inits')!.message).toMatch(/^"bogus" is not an init/);
    expect(state.config.depth).toBe(DEFAULT_TRAIN_LAB_STATE.config.depth);
    expect(state.inits).toEqual(DEFAULT_TRAIN_LAB_STATE.inits);
  });

  it('each bad parameter says the value used instead, and it is the value the state holds', () => {
    const { state, problems } = decodeTrainState('depth=-3&lr=abc&inits=foo:1,he-normal:1&steps=200&stat=x&sel=9&scale=big');
    const said = Object.fromEntries(problems.map((p) => [p.param, p.message]));
    expect(said.depth).toMatch(/got -3; using the default 20$/);
    expect(said.lr).toMatch(/got "abc"; using the default 0.01$/);
    // The whole inits list falls back (its valid he-normal:1 part too), and the message says which inits run.
    expect(said.inits).toMatch(/^"foo" is not an init; .*; using the default inits he-normal:1,xavier-normal:1$/);
    expect(said.stat).toMatch(/; using the default gradWNorm$/);
    expect(said.sel).toMatch(/; using 0$/);
    expect(said.scale).toMatch(/; using the default lesson$/);
    expect(state.config.depth).toBe(20);
    expect(state.config.lr).toBe(0.01);
    expect(state.config.steps).toBe(200);
    expect(formatInits(state.inits)).toBe('he-normal:1,xavier-normal:1');
    expect([state.stat, state.selected, state.scale]).toEqual(['gradWNorm', 0, 'lesson']);
    // A bad lr with Adam falls back to Adam's default, and says so (not SGD's 0.01).
    const adam = decodeTrainState('optimizer=adam&lr=abc');
    expect(adam.state.config.lr).toBe(0.001);
    expect(adam.problems.find((p) => p.param === 'lr')!.message).toMatch(/using the default 0.001$/);
  });

  it('parses inits with default gain and refuses a bad gain clearly', () => {
    expect(parseInits('he-normal, identity:0.5')).toEqual([
      { init: 'he-normal', gain: 1 },
      { init: 'identity', gain: 0.5 },
    ]);
    expect(() => parseInits('identity:-1')).toThrow(/gain of identity must be a number above 0, got "-1"/);
    expect(() => parseInits('')).toThrow(/got nothing/);
  });
});

describe('Training lab presets', () => {
  it('every preset has a sentence, and its small size fits the CPU fallback', () => {
    for (const p of TRAIN_PRESETS) {
      expect(p.look.length).toBeGreaterThan(40);
      for (const choice of p.inits) expect(trainCpuCapProblem({ ...p.small, ...choice })).toBeNull();
    }
  });

  it('the home view starts the Training lab on its preset (small size where there is no real GPU)', () => {
    const start = homeLessons('small')
      .flatMap((l) => l.starts)
      .find((s) => s.route === 'training-lab')!;
    const { state, problems } = decodeTrainState(start.query);
    expect(problems).toEqual([]);
    const p = findTrainPreset('depth50-relu')!;
    expect(state.inits).toEqual(p.inits);
    expect(state.config.depth).toBe(trainPresetConfig(p, 'small').depth);
    expect(state.config.width).toBe(trainPresetConfig(p, 'small').width);
  });

  it('a link with a preset’s settings (either size) is that preset, so the view shows its sentence; a changed setting or init is not', () => {
    for (const size of ['small', 'full'] as const) {
      for (const start of homeLessons(size).flatMap((l) => l.starts.filter((s) => s.route === 'training-lab'))) {
        const { state } = decodeTrainState(start.query);
        expect(presetOfSettings(state.config, state.inits)?.id).toBe(start.id.replace(/^train-/, ''));
      }
    }
    for (const p of TRAIN_PRESETS) {
      expect(presetOfSettings(p.small, p.inits)).toBe(p);
      expect(presetOfSettings(p.config, p.inits)).toBe(p);
      expect(presetOfSettings({ ...p.small, seed: p.small.seed + 1 }, p.inits)).toBeUndefined();
      expect(presetOfSettings(p.small, p.inits.slice(1))).toBeUndefined();
    }
  });
});

describe('Training lab export', () => {
  const config = { depth: 2, width: 3, batch: 2, trainSize: 4, heldOutSize: 2, steps: 3, evalEvery: 2, activation: 'relu' as const, init: 'normal' as const };
  const result = trainRef(config);
  const runs = [{ choice: { init: 'normal' as const, gain: 1 }, result }];

  it('CSV has one row per step and quantity and layer, and the held-out losses', () => {
    const lines = trainRunsToCsv(runs).trim().split('\n');
    expect(lines[0]).toBe('init,gain,step,layer,quantity,value,status');
    // 3 steps × (1 loss + 3 quantities × 2 layers) + held-out at steps 0, 2, 3.
    expect(lines.length - 1).toBe(3 * 7 + 3);
    expect(lines[1]).toBe(`normal,1,0,,trainLoss,${result.trainLoss[0]},finite`);
    expect(lines.filter((l) => l.includes(',heldOutLoss,')).map((l) => l.split(',')[2])).toEqual(['0', '2', '3']);
  });

  it('JSON keeps every series, with statuses by name and the URL', () => {
    const j = JSON.parse(trainRunsToJson(runs, 'seed=1'));
    expect(j.url).toBe('seed=1');
    expect(j.runs[0].trainLoss).toEqual(Array.from(result.trainLoss));
    expect(j.runs[0].layers.gradWNorm.values).toEqual(Array.from(result.layers.gradWNorm));
    expect(j.runs[0].layers.updateRatio.status).toHaveLength(6);
    expect(j.runs[0].heldOutStep).toEqual([0, 2, 3]);
  });
});
