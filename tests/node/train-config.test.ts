import { describe, expect, it } from 'vitest';
import { thrownInputError as thrown } from '../helpers/thrown';
import { DEFAULT_CONFIG } from '../../src/labs/depth/config';
import { DEFAULT_LR, DEFAULT_TRAIN_CONFIG, TRAIN_FIELDS, netConfigOf, trainConfigProblems, validateTrainConfig } from '../../src/labs/training/config';

describe('validateTrainConfig', () => {
  it('fills missing fields from DEFAULT_TRAIN_CONFIG, and lr from the optimizer', () => {
    expect(validateTrainConfig({})).toEqual(DEFAULT_TRAIN_CONFIG);
    expect(validateTrainConfig({ optimizer: 'adam' }).lr).toBe(DEFAULT_LR.adam);
    expect(validateTrainConfig({ optimizer: 'adam', lr: 0.05 }).lr).toBe(0.05);
    const c = validateTrainConfig({ depth: 7, activation: 'tanh', steps: 10_000, beta1: 0, eps: 1, seed: -0 });
    expect(c).toMatchObject({ depth: 7, activation: 'tanh', steps: 10_000, beta1: 0, eps: 1, seed: 0 });
    expect(Object.is(c.seed, 0)).toBe(true);
    // The net's defaults are the training defaults, not the Depth lab's W = 1.5·I.
    expect(c.init).toBe('he-normal');
    expect(DEFAULT_CONFIG.init).toBe('identity');
  });

  it('netConfigOf keeps exactly the Depth lab fields', () => {
    expect(Object.keys(netConfigOf(validateTrainConfig({})))).toEqual(['depth', 'width', 'batch', 'activation', 'init', 'gain', 'seed', 'input']);
    expect(TRAIN_FIELDS.slice(0, 8)).toEqual(['depth', 'width', 'batch', 'activation', 'init', 'gain', 'seed', 'input']);
  });

  const bad: [string, unknown, string][] = [
    ['steps', 0, 'from 1 to 10000, got 0'],
    ['steps', 10_001, 'from 1 to 10000, got 10001'],
    ['steps', 2.5, 'integer'],
    ['evalEvery', 0, 'from 1 to 10000'],
    ['lr', 0, 'above 0 and at most 100'],
    ['lr', -1, 'got -1'],
    ['lr', NaN, 'got NaN'],
    ['lr', '0.1', 'got "0.1"'],
    ['optimizer', 'rmsprop', 'one of sgd, adam; got "rmsprop"'],
    ['beta1', 1, 'up to but not including 1'],
    ['beta2', -0.1, 'got -0.1'],
    ['eps', 0, "Adam's ε"],
    ['trainSize', 0, 'from 1 to 65536'],
    ['heldOutSize', 70_000, 'from 1 to 65536'],
    ['depth', 0, 'from 1 to 1000'],
    ['gain', 0, 'from 0.000001 to 1000000'],
  ];
  for (const [field, value, text] of bad) {
    it(`${field} = ${String(value)}: an InputError naming the field, the value and what is allowed`, () => {
      const err = thrown(() => validateTrainConfig({ [field]: value }));
      expect(err.field).toBe(field);
      expect(err.message).toContain(text);
    });
  }

  it('trainSize below the batch, unknown fields, and several problems at once', () => {
    const e = thrown(() => validateTrainConfig({ batch: 64, trainSize: 32 }));
    expect(e.field).toBe('trainSize');
    expect(e.message).toContain('at least the batch (64)');
    const u = thrown(() => validateTrainConfig({ learningRate: 0.1 } as never));
    expect(u.field).toBe('learningRate');
    expect(u.message).toContain('not a training config field');
    const problems = trainConfigProblems({ steps: 0, lr: 0, width: 0 });
    expect(problems.map((p) => p.field).sort()).toEqual(['lr', 'steps', 'width']);
    expect(thrown(() => validateTrainConfig({ steps: 0, lr: 0 })).message).toContain('also steps:');
    expect(trainConfigProblems(null)[0].field).toBe('config');
  });
});
