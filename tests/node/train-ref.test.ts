import { describe, expect, it } from 'vitest';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { makeTeacher, makeTrainData, trainPass, trainRef, type TrainData } from '../../src/labs/training/cpu/train-ref';
import { makeInput, makeWeights } from '../../src/labs/depth/init';
import { netConfigOf, validateTrainConfig, type TrainConfigInput } from '../../src/labs/training/config';
import { TRAIN_STATUSES, statusName, type TrainStatus } from '../../src/labs/training/types';
import type { Activation } from '../../src/kernels/activations';

const names = (codes: Uint8Array) => Array.from(codes, statusName);

/**
 * A linear net of W = gain·I at width 2 on one all-ones example, one held-out evaluation per step: its
 * norms are gain^l·√2 exactly, so every status can be worked out by hand.
 */
const identityNet = (depth: number, gain: number, steps: number, over: Partial<TrainConfigInput> = {}) =>
  trainRef({
    depth,
    width: 2,
    batch: 1,
    trainSize: 1,
    heldOutSize: 1,
    activation: 'linear',
    init: 'identity',
    gain,
    input: 'ones',
    steps,
    evalEvery: 1,
    ...over,
  });

// ---------------------------------------------------------------------------------------------------------
// A 2-layer, 2-unit linear net, by hand. Rows are examples, W[l] is 2×2 with row j = weights into unit j.
// Per example x (2-vector) with target y:
//   z = W1·x, ŷ = W2·z, e = ŷ − y, and J = 1/(2m)·Σ_examples ‖e‖² over the minibatch of m examples.
//   ∂J/∂ŷ = e/m, so ∂J/∂W2[j][k] = (1/m)·Σ e_j·z_k;
//   ∂J/∂z_k = Σ_j W2[j][k]·e_j/m =: g_k/m, so ∂J/∂W1[k][i] = (1/m)·Σ g_k·x_i.
// Training set (trainSize 4, batch 2): step t uses rows (2t, 2t + 1) mod 4, i.e. {0, 1}, {2, 3}, {0, 1}.
// ---------------------------------------------------------------------------------------------------------
const X = [
  [1, 0],
  [0, 1],
  [1, 1],
  [1, -1],
];
const Y = [
  [1, 0],
  [0, 1],
  [2, 1],
  [0, -1],
];
const W1_0 = [
  [0.5, 0],
  [0.25, 1],
];
const W2_0 = [
  [1, 0.5],
  [0, 1],
];
const handData: TrainData = {
  trainX: Float32Array.from(X.flat()),
  trainY: Float32Array.from(Y.flat()),
  heldOutX: Float32Array.from([1, 1]),
  heldOutY: Float32Array.from([2, 1]),
};
const handConfig = (over: TrainConfigInput): TrainConfigInput => ({
  depth: 2,
  width: 2,
  batch: 2,
  trainSize: 4,
  heldOutSize: 1,
  activation: 'linear',
  init: 'identity',
  steps: 3,
  evalEvery: 1,
  lr: 0.1,
  ...over,
});

type M2 = number[][];
const copy = (w: M2): M2 => w.map((r) => [...r]);

// The gradient formulas above, written out for one minibatch.
function handGrad(W1: M2, W2: M2, rows: number[]): { J: number; d1: M2; d2: M2 } {
  const m = rows.length;
  const d1 = [
    [0, 0],
    [0, 0],
  ];
  const d2 = [
    [0, 0],
    [0, 0],
  ];
  let J = 0;
  for (const r of rows) {
    const [x0, x1] = X[r];
    const z0 = W1[0][0] * x0 + W1[0][1] * x1;
    const z1 = W1[1][0] * x0 + W1[1][1] * x1;
    const e0 = W2[0][0] * z0 + W2[0][1] * z1 - Y[r][0];
    const e1 = W2[1][0] * z0 + W2[1][1] * z1 - Y[r][1];
    J += (e0 * e0 + e1 * e1) / (2 * m);
    d2[0][0] += (e0 * z0) / m;
    d2[0][1] += (e0 * z1) / m;
    d2[1][0] += (e1 * z0) / m;
    d2[1][1] += (e1 * z1) / m;
    const g0 = W2[0][0] * e0 + W2[1][0] * e1;
    const g1 = W2[0][1] * e0 + W2[1][1] * e1;
    d1[0][0] += (g0 * x0) / m;
    d1[0][1] += (g0 * x1) / m;
    d1[1][0] += (g1 * x0) / m;
    d1[1][1] += (g1 * x1) / m;
  }
  return { J, d1, d2 };
}

const rowsOf = (t: number) => [(2 * t) % 4, (2 * t + 1) % 4];

function expectMatrix(actual: Float64Array, expected: M2, what: string): void {
  for (let j = 0; j < 2; j++) {
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(actual[j * 2 + k] - expected[j][k]), `${what}[${j}][${k}]: ${actual[j * 2 + k]} vs ${expected[j][k]}`).toBeLessThanOrEqual(1e-12);
    }
  }
}

describe('trainRef: a 2-layer, 2-unit linear net by hand', () => {
  it('step 0 by hand: J = 29/256 and the gradients are small fractions', () => {
    // Rows 0, 1: z = W1·x = (0.5, 0.25) and (0, 1); ŷ = W2·z = (0.625, 0.25) and (0.5, 1);
    // e = (−0.375, 0.25) and (0.5, 0); J = (0.140625 + 0.0625 + 0.25 + 0)/4 = 0.11328125 = 29/256.
    // ∂J/∂W2 = ½·(e·zᵀ summed) = ½·[[−0.1875 + 0, −0.09375 + 0.5], [0.125 + 0, 0.0625 + 0]]
    //        = [[−3/32, 13/64], [1/16, 1/32]];
    // g = W2ᵀ·e = (−0.375, −0.1875 + 0.25) = (−0.375, 0.0625) and (0.5, 0.25);
    // ∂J/∂W1 = ½·Σ g·xᵀ = ½·[[−0.375, 0.5], [0.0625, 0.25]] = [[−3/16, 1/4], [1/32, 1/8]].
    const h = handGrad(W1_0, W2_0, [0, 1]);
    expect(h.J).toBe(29 / 256);
    expect(h.d2).toEqual([
      [-3 / 32, 13 / 64],
      [1 / 16, 1 / 32],
    ]);
    expect(h.d1).toEqual([
      [-3 / 16, 1 / 4],
      [1 / 32, 1 / 8],
    ]);
    const r = trainRef(handConfig({ steps: 1 }), { weights: [W1_0.flat(), W2_0.flat()], data: handData, keepWeights: true });
    expect(Math.abs(r.trainLoss[0] - 29 / 256)).toBeLessThanOrEqual(1e-15); // the reference scales its norms: not bit-exact
    // ‖∂J/∂W1‖² = 9/256 + 1/16 + 1/1024 + 1/64 = 117/1024, ‖W1‖² = 1/4 + 1/16 + 1 = 21/16.
    expect(Math.abs(r.layers.gradWNorm[0] - Math.sqrt(117 / 1024))).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(r.layers.updateRatio[0] - (0.1 * Math.sqrt(117 / 1024)) / Math.sqrt(21 / 16))).toBeLessThanOrEqual(1e-15);
    // ‖A[1]‖_F/√m = √((0.25 + 0.0625 + 0 + 1)/2).
    expect(Math.abs(r.layers.actNorm[0] - Math.sqrt(1.3125 / 2))).toBeLessThanOrEqual(1e-15);
    // W after one step, W − 0.1·∂J/∂W: W1 = [[83/160, −1/40], [79/320, 79/80]].
    expectMatrix(
      r.weights![0],
      [
        [83 / 160, -1 / 40],
        [79 / 320, 79 / 80],
      ],
      'W1 after 1 step',
    );
  });

  it('3 SGD steps: weights, losses and update ratios as computed by hand', () => {
    let W1 = copy(W1_0);
    let W2 = copy(W2_0);
    const losses: number[] = [];
    const ratios: number[] = [];
    const fro = (a: M2) => Math.sqrt(a[0][0] ** 2 + a[0][1] ** 2 + a[1][0] ** 2 + a[1][1] ** 2);
    for (let t = 0; t < 3; t++) {
      const { J, d1, d2 } = handGrad(W1, W2, rowsOf(t));
      losses.push(J);
      ratios.push((0.1 * fro(d1)) / fro(W1), (0.1 * fro(d2)) / fro(W2));
      W1 = W1.map((r, j) => r.map((w, k) => w - 0.1 * d1[j][k]));
      W2 = W2.map((r, j) => r.map((w, k) => w - 0.1 * d2[j][k]));
    }
    // The same weights from exact rational arithmetic, rounded once to float64.
    const exact1 = [
      [0.57064676399218583, 0.00075032652013929248],
      [0.23669037999699447, 0.99931277461264134],
    ];
    const exact2 = [
      [1.0339972288705119, 0.51699149695911584],
      [-0.025212412063712279, 0.98930890067231925],
    ];
    for (let j = 0; j < 2; j++) {
      for (let k = 0; k < 2; k++) {
        expect(Math.abs(W1[j][k] - exact1[j][k])).toBeLessThanOrEqual(1e-15);
        expect(Math.abs(W2[j][k] - exact2[j][k])).toBeLessThanOrEqual(1e-15);
      }
    }
    const r = trainRef(handConfig({ optimizer: 'sgd' }), { weights: [W1_0.flat(), W2_0.flat()], data: handData, keepWeights: true });
    expectMatrix(r.weights![0], W1, 'W1');
    expectMatrix(r.weights![1], W2, 'W2');
    for (let t = 0; t < 3; t++) expect(Math.abs(r.trainLoss[t] - losses[t])).toBeLessThanOrEqual(1e-12);
    for (let i = 0; i < 6; i++) expect(Math.abs(r.layers.updateRatio[i] - ratios[i])).toBeLessThanOrEqual(1e-12);
    expect(names(r.status.trainLoss)).toEqual(['finite', 'finite', 'finite']);
    // Held-out (x = (1, 1), y = (2, 1)) before steps 0, 1, 2 and after the last: step 0 by hand:
    // z = (0.5, 1.25), ŷ = (1.125, 1.25), e = (−0.875, 0.25), J = (0.765625 + 0.0625)/2 = 0.4140625.
    expect(Array.from(r.heldOutStep)).toEqual([0, 1, 2, 3]);
    expect(Math.abs(r.heldOutLoss[0] - 0.4140625)).toBeLessThanOrEqual(1e-15);
    const z0 = W1[0][0] + W1[0][1];
    const z1 = W1[1][0] + W1[1][1];
    const e0 = W2[0][0] * z0 + W2[0][1] * z1 - 2;
    const e1 = W2[1][0] * z0 + W2[1][1] * z1 - 1;
    expect(Math.abs(r.heldOutLoss[3] - (e0 * e0 + e1 * e1) / 2)).toBeLessThanOrEqual(1e-12);
  });

  it('3 Adam steps (β1 = 0.9, β2 = 0.999, ε = 1e-8, bias-corrected) as computed by hand', () => {
    // Per weight w with gradient g at step t = 1, 2, 3: m ← 0.9·m + 0.1·g, v ← 0.999·v + 0.001·g²,
    // w ← w − 0.1·(m/(1 − 0.9^t)) / (√(v/(1 − 0.999^t)) + 1e-8). At t = 1 that is w − 0.1·g/(|g| + 1e-8).
    let W = [copy(W1_0), copy(W2_0)];
    const mo = [0, 1].map(() => [
      [0, 0],
      [0, 0],
    ]);
    const ve = [0, 1].map(() => [
      [0, 0],
      [0, 0],
    ]);
    for (let t = 0; t < 3; t++) {
      const { d1, d2 } = handGrad(W[0], W[1], rowsOf(t));
      const G = [d1, d2];
      const c1 = 1 - 0.9 ** (t + 1);
      const c2 = 1 - 0.999 ** (t + 1);
      W = W.map((w, l) =>
        w.map((row, j) =>
          row.map((x, k) => {
            const g = G[l][j][k];
            mo[l][j][k] = 0.9 * mo[l][j][k] + 0.1 * g;
            ve[l][j][k] = 0.999 * ve[l][j][k] + 0.001 * g * g;
            return x - (0.1 * (mo[l][j][k] / c1)) / (Math.sqrt(ve[l][j][k] / c2) + 1e-8);
          }),
        ),
      );
      if (t === 0) {
        // Step 1 moves every weight by 0.1 against the sign of its gradient (all step-0 gradients ≠ 0).
        expect(Math.abs(W[0][0][0] - (0.5 + 0.1))).toBeLessThanOrEqual(1e-8);
        expect(Math.abs(W[1][0][1] - (0.5 - 0.1))).toBeLessThanOrEqual(1e-8);
      }
    }
    const r = trainRef(handConfig({ optimizer: 'adam', lr: 0.1 }), { weights: [W1_0.flat(), W2_0.flat()], data: handData, keepWeights: true });
    expectMatrix(r.weights![0], W[0], 'W1');
    expectMatrix(r.weights![1], W[1], 'W2');
  });
});

// An independent loss J(W) for finite differences (plain loops, no shared code with the reference).
function plainLoss(W: Float64Array[], x: Float32Array, y: Float32Array, m: number, n: number, act: Activation): number {
  const f = (v: number) => (act === 'relu' ? Math.max(v, 0) : act === 'tanh' ? Math.tanh(v) : act === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : v);
  let J = 0;
  for (let i = 0; i < m; i++) {
    let a = Array.from(x.subarray(i * n, (i + 1) * n));
    for (const w of W) {
      a = Array.from({ length: n }, (_, j) => f(a.reduce((s, v, k) => s + w[j * n + k] * v, 0)));
    }
    for (let j = 0; j < n; j++) J += (a[j] - y[i * n + j]) ** 2;
  }
  return J / (2 * m);
}

describe('trainRef: gradients against central finite differences', () => {
  for (const activation of ['relu', 'tanh', 'sigmoid', 'linear'] as const) {
    it(`${activation}: every ∂J/∂W entry of a depth-3, width-4 net within 1e-6 (relative) of (J(w + h) − J(w − h))/2h`, () => {
      const cfg = validateTrainConfig({
        depth: 3,
        width: 4,
        batch: 5,
        trainSize: 5,
        heldOutSize: 2,
        activation,
        init: 'xavier-normal',
        gain: 1.3,
        seed: 7,
        input: 'normal',
      });
      const data = makeTrainData(cfg);
      const W = [1, 2, 3].map((l) => Float64Array.from(makeWeights(netConfigOf(cfg), l)));
      const p = trainPass(W, data.trainX, data.trainY, 5, 4, activation, true);
      expect(Math.abs(p.loss - plainLoss(W, data.trainX, data.trainY, 5, 4, activation))).toBeLessThanOrEqual(1e-13);
      const h = 1e-6;
      let worst = 0;
      for (let l = 0; l < 3; l++) {
        for (let i = 0; i < 16; i++) {
          const keep = W[l][i];
          W[l][i] = keep + h;
          const up = plainLoss(W, data.trainX, data.trainY, 5, 4, activation);
          W[l][i] = keep - h;
          const down = plainLoss(W, data.trainX, data.trainY, 5, 4, activation);
          W[l][i] = keep;
          const fd = (up - down) / (2 * h);
          const err = Math.abs(fd - p.dW![l][i]) / Math.max(1e-3, Math.abs(fd));
          worst = Math.max(worst, err);
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-6);
      // One SGD step of lr 1 moves W by exactly −∂J/∂W.
      const r = trainRef({ ...cfg, steps: 1, lr: 1 }, { keepWeights: true, data });
      for (let l = 0; l < 3; l++) for (let i = 0; i < 16; i++) expect(W[l][i] - r.weights![l][i]).toBeCloseTo(p.dW![l][i], 12);
    });
  }
});

describe('trainRef: the task and the student', () => {
  it('the student starts as the Depth lab net: step 0 ‖a[l]‖ equals deepNetRef on the same X and W', () => {
    for (const init of ['he-normal', 'xavier-uniform', 'identity'] as const) {
      const cfg = validateTrainConfig({ depth: 6, width: 8, batch: 4, trainSize: 12, activation: 'tanh', init, gain: 1.2, seed: 3, input: 'normal' });
      const data = makeTrainData(cfg);
      expect(Array.from(data.trainX.subarray(0, 32))).toEqual(Array.from(makeInput(netConfigOf(cfg))));
      const r = trainRef({ ...cfg, steps: 1 });
      const d = deepNetRef(netConfigOf(cfg));
      for (let l = 0; l < 6; l++) expect(Math.abs(r.layers.actNorm[l] - d.layers.actNorm[l])).toBeLessThanOrEqual(1e-12 * d.layers.actNorm[l]);
    }
  });

  it('the teacher depends on seed, width and activation only; targets follow y = V·x for a linear student', () => {
    const a = makeTrainData({ seed: 5, width: 6, batch: 2, trainSize: 4, heldOutSize: 3, activation: 'linear', init: 'he-normal' });
    const b = makeTrainData({ seed: 5, width: 6, batch: 2, trainSize: 4, heldOutSize: 3, activation: 'linear', init: 'identity', gain: 0.5 });
    const c = makeTrainData({ seed: 6, width: 6, batch: 2, trainSize: 4, heldOutSize: 3, activation: 'linear' });
    expect(b).toEqual(a);
    expect(c.trainY).not.toEqual(a.trainY);
    const [V] = makeTeacher({ seed: 5, width: 6, activation: 'linear' }).weights;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 6; j++) {
        let s = 0;
        for (let k = 0; k < 6; k++) s += V[j * 6 + k] * a.heldOutX[i * 6 + k];
        expect(a.heldOutY[i * 6 + j]).toBe(Math.fround(s));
      }
    }
    // Held-out inputs are new examples, not training ones.
    expect(Array.from(a.heldOutX.subarray(0, 6))).not.toEqual(Array.from(a.trainX.subarray(0, 6)));
    const relu = makeTrainData({ seed: 5, width: 6, batch: 2, trainSize: 4, activation: 'relu' });
    expect(Math.min(...relu.trainY)).toBeGreaterThanOrEqual(0);
  });

  it('cancel: an abort during step 4 keeps steps 0..4 and a held-out loss on the weights after them', () => {
    const ctrl = new AbortController();
    const seen: number[] = [];
    const r = trainRef(
      { depth: 3, width: 4, batch: 2, trainSize: 8, steps: 50, evalEvery: 3, activation: 'relu' },
      { signal: ctrl.signal, onStep: (t) => (seen.push(t), t === 4 && ctrl.abort()) },
    );
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(r.cancelled).toBe(true);
    expect(r.completedSteps).toBe(5);
    expect(r.trainLoss.length).toBe(5);
    expect(r.layers.gradWNorm.length).toBe(15);
    expect(r.status.layers.updateRatio.length).toBe(15);
    expect(Array.from(r.heldOutStep)).toEqual([0, 3, 5]);
  });
});

describe('trainRef: the lesson', () => {
  // The lecture's all-ones input (every example the same, so the train loss is a deterministic curve),
  // width 32, depth 30, 200 SGD steps at η = 1e-3 for both nets. With N(0, 1) inputs and a ReLU teacher,
  // He + ReLU only reaches about ⅔ of its first held-out loss in 200 steps (most of that is the teacher's
  // mean): the nonlinear rest needs longer.
  const base = { depth: 30, width: 32, batch: 8, trainSize: 8, heldOutSize: 8, input: 'ones', steps: 200, evalEvery: 50, lr: 1e-3, seed: 1 } as const;

  it('W = 0.5·I, linear: every update ratio stays below 1e-6 and the loss moves by less than 1 %', () => {
    const r = trainRef({ ...base, activation: 'linear', init: 'identity', gain: 0.5 });
    expect(Math.max(...r.layers.updateRatio)).toBeLessThan(1e-6);
    expect(Math.abs(r.trainLoss[199] - r.trainLoss[0]) / r.trainLoss[0]).toBeLessThan(0.01);
    expect(r.trainLoss[0]).toBeGreaterThan(1); // there is a lot left to learn
    expect(new Set(names(r.status.layers.updateRatio))).toEqual(new Set(['finite']));
  });

  it('He + ReLU: the loss falls by more than half in the same 200 steps, on the held-out set too', () => {
    const r = trainRef({ ...base, activation: 'relu', init: 'he-normal', gain: 1 });
    expect(r.brokeAt).toBeNull();
    expect(r.trainLoss[199]).toBeLessThan(0.5 * r.trainLoss[0]);
    expect(r.heldOutLoss[r.heldOutLoss.length - 1]).toBeLessThan(0.5 * r.heldOutLoss[0]);
    // Unlike 0.5·I, it actually moves its weights.
    expect(Math.max(...r.layers.updateRatio)).toBeGreaterThan(1e-4);
  });

  it('N(0, 1) + ReLU, width 64, depth 40 explodes: overflow/NaN then lost, never a finite loss after it', () => {
    const r = trainRef({
      depth: 40,
      width: 64,
      batch: 8,
      trainSize: 64,
      heldOutSize: 16,
      activation: 'relu',
      init: 'normal',
      gain: 1,
      input: 'normal',
      steps: 20,
      evalEvery: 5,
      lr: 1e-3,
    });
    expect(r.brokeAt).not.toBeNull();
    const b = r.brokeAt!;
    expect(['overflow', 'nan']).toContain(b.status);
    const all = new Set([...names(r.status.trainLoss), ...names(r.status.layers.gradWNorm), ...names(r.status.layers.updateRatio)]);
    expect(all.has('lost')).toBe(true);
    expect(all.has('overflow') || all.has('nan')).toBe(true);
    for (let t = b.step + 1; t < 20; t++) {
      expect(statusName(r.status.trainLoss[t])).toBe('lost');
      for (let l = 0; l < 40; l++) expect(statusName(r.status.layers.gradWNorm[t * 40 + l])).toBe('lost');
    }
    // The loss at the end is not a finite number anyone could read as converged.
    const last = statusName(r.status.heldOutLoss[r.heldOutLoss.length - 1]);
    expect(last).not.toBe('finite');
    expect(statusName(r.status.trainLoss[19])).not.toBe('finite');
  });

  it("Adam: a gradient whose square passes f32's range overflows the second moment; later steps are lost", () => {
    // W = 1e4·I, linear, depth 4, width 2, all-ones input: a[4] = 1e16·(1, 1), ∂J/∂a[4] ≈ 1e16, and
    // ∂J/∂W[l] ≈ 1e16·1e4^(4−l)·1e4^(l−1) = 1e28 per entry: finite, but g² ≈ 1e56 (v = 0.001·g²) is not.
    const r = identityNet(4, 1e4, 3, { optimizer: 'adam' });
    expect(names(r.status.layers.gradWNorm.subarray(0, 4))).toEqual(['finite', 'finite', 'finite', 'finite']);
    expect(names(r.status.layers.updateRatio.subarray(0, 4))).toEqual(['overflow', 'overflow', 'overflow', 'overflow']);
    expect(r.brokeAt).toEqual({ step: 0, what: 'adamMoment', layer: 1, status: 'overflow' });
    expect(names(r.status.trainLoss)).toEqual(['finite', 'lost', 'lost']);
    // The same net under SGD (η = 0.01) breaks one step later, in the forward pass of weights ≈ 1e26.
    const s = identityNet(4, 1e4, 3, { optimizer: 'sgd' });
    expect(s.brokeAt?.step).toBe(1);
    expect(s.brokeAt?.what).toBe('activations');
  });

  it('vanishing is underflow, not lost: W = 0.5·I, linear, depth 150 trains on with tiny finite losses', () => {
    const r = identityNet(150, 0.5, 2);
    // ‖a[l]‖ = 0.5^l·√2 < 1e-37 from l = 123 (0.5^123·√2 ≈ 1.3e-37 is still above; 0.5^124·√2 ≈ 6.6e-38).
    const act = names(r.status.layers.actNorm.subarray(0, 150));
    expect(act.indexOf('underflow')).toBe(123);
    expect(new Set(act.slice(123))).toEqual(new Set(['underflow']));
    expect(r.brokeAt).toBeNull();
    expect(names(r.status.trainLoss)).toEqual(['finite', 'finite']);
    expect(new Set(names(r.status.layers.gradWNorm))).toEqual(new Set(['underflow']));
  });

  it('a forward overflow: W = 1e6·I, linear, depth 10: layer 7 overflows, the rest of the step and every later step are lost', () => {
    const r = identityNet(10, 1e6, 3);
    // ‖a[l]‖ = 1e6^l·√2: finite up to l = 6 (1.4e36), past 1e38 at l = 7.
    const act0 = names(r.status.layers.actNorm.subarray(0, 10));
    expect(act0).toEqual([...Array(6).fill('finite'), 'overflow', 'lost', 'lost', 'lost']);
    expect(statusName(r.status.trainLoss[0])).toBe('lost');
    expect(new Set(names(r.status.layers.gradWNorm.subarray(0, 10)))).toEqual(new Set(['lost']));
    expect(new Set(names(r.status.layers.updateRatio.subarray(0, 10)))).toEqual(new Set(['lost']));
    expect(names(r.status.trainLoss.subarray(1))).toEqual(['lost', 'lost']);
    expect(Number.isNaN(r.trainLoss[2])).toBe(true);
    expect(r.brokeAt).toEqual({ step: 0, what: 'activations', layer: 7, status: 'overflow' });
    // The held-out loss before step 0 used the initial weights; its own forward pass overflowed too.
    expect(names(r.status.heldOutLoss)).toEqual(['lost', 'lost', 'lost', 'lost']);
    const s: TrainStatus[] = [...TRAIN_STATUSES];
    expect(s).toContain('lost');
  });
});
