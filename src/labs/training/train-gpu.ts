// The Training lab's GPU engine: the Depth lab's net trained by minibatch SGD or Adam on the teacher–student
// task of cpu/train-ref.ts, entirely on the GPU. A chunk of steps (forward, loss, backward, update and the
// per-layer norms of every step, plus the held-out evaluations that fall in it) is encoded into ONE
// submission; the norms of the whole chunk come back in one readback. Weights, Adam's moments and the data
// stay on the GPU for the whole run. Statuses follow the float64 reference rule for rule: both record through
// TrainRecord (train-record.ts).
//
// Norms the host already knows are not taken again: ‖W[l]‖ before a step is the previous step's ‖W[l]‖ after
// it (the same buffer, untouched in between: the same bits, so the same norm), taken on the GPU only before
// a run's first step; and with SGD, ΔW = −η·∂J/∂W, so ‖ΔW[l]‖ = η·‖∂J/∂W[l]‖, multiplied in float64 on the
// host (the GPU's f32 products differ from it by at most one rounding each). Adam's ΔW is taken on the GPU.

import type { GpuContext } from '../../gpu/context';
import { GpuBatch, type Readback } from '../../gpu/batch';
import { GpuOutOfMemoryError } from '../../gpu/errors';
import { checkStorageSize } from '../../gpu/limits';
import { InputError } from '../../errors';
import { createElementwiseKernel } from '../../kernels/elementwise';
import { createMatmulKernel } from '../../kernels/matmul';
import { pickMatmulVariant } from '../../kernels/matmul-variants';
import { createNormsKernel, decodeNorms, pickSegmentsPerGroup, NORM_WORDS } from '../../kernels/norms';
import { createTrainStepKernel } from '../../kernels/train-step';
import { checkGpuContext, checkNetBuffers, explainFailure, withOomScope } from '../depth/deep-net';
import { makeWeights } from '../depth/init';
import { netConfigOf, validateTrainConfig, type TrainConfigInput } from './config';
import { makeTrainData, type TrainData } from './cpu/train-ref';
import type { TrainProgress } from './cpu/train-cpu';
import type { TrainResult, TrainStatus } from './types';
import { TrainRecord } from './train-record';

/** Steps per submission when none is given: Cancel and progress take effect between chunks. */
export const TRAIN_GPU_CHUNK = 32;

export interface TrainGpuOptions {
  /** Checked between chunks: when aborted, the run stops after the chunk in flight and resolves with the steps done (`cancelled: true`). */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Steps per submission, 1..10,000 (default `TRAIN_GPU_CHUNK`). */
  chunk?: number;
  /** The task (default `makeTrainData(config)`); tests pass the reference's. */
  data?: TrainData;
}

/** A GPU training run: the shared `TrainResult` plus what it cost. */
export interface TrainGpuResult extends TrainResult {
  /** Wall time from the first upload to the last readback, ms. */
  wallMs: number;
  /** Floating-point operations of the matmuls run (2·rows·n² each), held-out evaluations included. */
  flops: number;
  /** Submissions (one per chunk, plus one for a final held-out evaluation). */
  submissions: number;
}

/**
 * Trains `config` on the GPU. Throws an InputError for a bad config or chunk, a GpuLimitError when a
 * buffer cannot exist on this device, GpuOutOfMemoryError / GpuDeviceLostError when the device fails.
 */
export async function runTraining(gpu: GpuContext, input: TrainConfigInput, options: TrainGpuOptions = {}): Promise<TrainGpuResult> {
  checkGpuContext(gpu);
  const config = validateTrainConfig(input);
  const chunk = options.chunk ?? TRAIN_GPU_CHUNK;
  if (typeof chunk !== 'number' || !Number.isInteger(chunk) || chunk < 1 || chunk > 10_000) {
    throw new InputError('chunk', `must be an integer from 1 to 10000 (steps per submission), got ${String(chunk)}`);
  }
  options.signal?.throwIfAborted();
  const { depth: L, width: n, batch: m, activation, steps, evalEvery: k, trainSize: N, heldOutSize: H } = config;
  const adam = config.optimizer === 'adam';
  const R = Math.max(m, H);
  const mn = m * n;
  const hn = H * n;
  const nn = n * n;
  // Refused before anything is allocated.
  checkNetBuffers(gpu.limits, { depth: L, width: n, batch: R, nets: 1 }, { weights: true });
  checkStorageSize(gpu.limits, 4 * N * n, `the training set (trainSize·n = ${N}·${n} floats)`);
  checkStorageSize(gpu.limits, 4 * L * mn, `the backpropagated gradients ∂J/∂A[1..L] (L·m·n = ${L}·${m}·${n} floats)`);
  checkStorageSize(gpu.limits, 4 * L * nn, `the weight gradients ∂J/∂W[1..L] (L·n² = ${L}·${n}² floats)`);

  const t0 = performance.now();
  const cpu = pickMatmulVariant(gpu.summary) === 'direct';
  const [matmul, act, norms, step] = await Promise.all([
    createMatmulKernel(gpu),
    createElementwiseKernel(gpu, { activation }),
    createNormsKernel(gpu, { workgroup: cpu ? 32 : 256 }),
    createTrainStepKernel(gpu),
  ]);
  const data = options.data ?? makeTrainData(config);
  const net = netConfigOf(config);

  // Persistent buffers of the run (released in `finally`).
  const held: GPUBuffer[] = [];
  const acquire = (label: string, bytes: number) => {
    const b = gpu.pool.acquire(`train.${label}`, bytes);
    held.push(b);
    return b;
  };
  const write = (b: GPUBuffer, d: Float32Array | Uint32Array) => gpu.device.queue.writeBuffer(b, 0, d as Float32Array<ArrayBuffer>);
  const bytes = 4 * ((adam ? 4 : 2) * L * nn + 2 * (N + H) * n + (2 * L + 1) * R * n + (L + 2) * mn + hn);
  let buf!: ReturnType<typeof allocate>;
  function allocate() {
    const w = new Float32Array(L * nn);
    for (let l = 1; l <= L; l++) w.set(makeWeights(net, l), (l - 1) * nn);
    const b = {
      W: acquire('W', w.byteLength),
      mom: adam ? acquire('adam.m', L * nn * 4) : null,
      vel: adam ? acquire('adam.v', L * nn * 4) : null,
      trainX: acquire('trainX', N * n * 4),
      trainY: acquire('trainY', N * n * 4),
      heldX: acquire('heldOutX', hn * 4),
      heldY: acquire('heldOutY', hn * 4),
      acts: acquire('acts', (L + 1) * R * n * 4),
      zs: acquire('z', L * R * n * 4),
      dA: acquire('dA', L * mn * 4),
      dZ: acquire('dZ', mn * 4),
      dW: acquire('dW', L * nn * 4),
      yb: acquire('batchY', mn * 4),
      diff: acquire('heldOut.diff', hn * 4),
      segM: acquire('offsets.m', (L + 1) * 4),
      segH: acquire('offsets.H', (L + 1) * 4),
      segW: acquire('offsets.W', (L + 1) * 4),
      segOne: acquire('offsets.one', 2 * 4),
    };
    write(b.W, w);
    if (b.mom && b.vel) {
      write(b.mom, new Float32Array(L * nn));
      write(b.vel, new Float32Array(L * nn));
    }
    write(b.trainX, data.trainX);
    write(b.trainY, data.trainY);
    write(b.heldX, data.heldOutX);
    write(b.heldY, data.heldOutY);
    const offs = (stride: number) => Uint32Array.from({ length: L + 1 }, (_, i) => i * stride);
    write(b.segM, offs(mn));
    write(b.segH, offs(hn));
    write(b.segW, offs(nn));
    write(b.segOne, new Uint32Array([0, hn]));
    return b;
  }
  const per = (stride: number) =>
    pickSegmentsPerGroup(
      Uint32Array.from({ length: L + 1 }, (_, i) => i * stride),
      norms.workgroup,
    );
  const perM = per(mn);
  const perH = per(hn);
  const perW = per(nn);

  // Norm slots of a step on the GPU, L each: act, z, gradAct, gradW, W after (and Adam's ΔW and v). ‖W‖
  // before step 0 follows the chunk's steps, in the first chunk only.
  const [ACT, Z, GRAD_A, GRAD_W, W_AFTER, DELTA, VEL] = [0, 1, 2, 3, 4, 5, 6];
  const STEP_SLOTS = (adam ? 7 : 5) * L;
  // Of a held-out evaluation: loss, then act and z (L each).
  const EVAL_SLOTS = 1 + 2 * L;

  // Recorded series and statuses (float64, the reference's rules).
  const rec = new TrainRecord(L, steps);
  let done = 0;
  let flops = 0;
  let submissions = 0;
  let lastLoss = NaN;
  const sqrtM = Math.sqrt(m);
  const sqrtH = Math.sqrt(H);

  // ---- encoding ----
  const encodeForward = (batch: GpuBatch, x: GPUBuffer, rows: number) => {
    const s = rows * n;
    for (let l = 1; l <= L; l++) {
      matmul.encode(batch, {
        a: l === 1 ? x : buf.acts,
        offsetA: l === 1 ? 0 : (l - 1) * s,
        b: buf.W,
        offsetB: (l - 1) * nn,
        transB: true,
        c: buf.zs,
        offsetC: (l - 1) * s,
        m: rows,
        n,
        k: n,
      });
      act.encodeForward(batch, { x: buf.zs, offsetX: (l - 1) * s, out: buf.acts, offsetOut: l * s, count: s });
    }
    flops += 2 * rows * nn * L;
  };
  const encodeEval = (batch: GpuBatch, out: GPUBuffer, slot: number) => {
    batch.group('heldOut', () => {
      encodeForward(batch, buf.heldX, H);
      step.encodeResidual(batch, { a: buf.acts, offsetA: L * hn, b: buf.heldY, out: buf.diff, count: hn, alpha: 1 });
      norms.encode(batch, { x: buf.diff, offsets: buf.segOne, segments: 1, out, outOffset: slot, segmentsPerGroup: 1 });
      norms.encode(batch, { x: buf.acts, offsetX: hn, offsets: buf.segH, segments: L, out, outOffset: slot + 1, segmentsPerGroup: perH });
      norms.encode(batch, { x: buf.zs, offsets: buf.segH, segments: L, out, outOffset: slot + 1 + L, segmentsPerGroup: perH });
    });
  };
  const copyRows = (batch: GpuBatch, src: GPUBuffer, dst: GPUBuffer, t: number) => {
    const start = (t * m) % N;
    const first = Math.min(m, N - start);
    batch.encoder.copyBufferToBuffer(src, start * n * 4, dst, 0, first * n * 4);
    if (first < m) batch.encoder.copyBufferToBuffer(src, 0, dst, first * n * 4, (m - first) * n * 4);
  };
  const encodeStep = (batch: GpuBatch, t: number, out: GPUBuffer, slot: number) => {
    batch.group(`step[${t}]`, () => {
      copyRows(batch, buf.trainX, buf.acts, t);
      copyRows(batch, buf.trainY, buf.yb, t);
      encodeForward(batch, buf.acts, m);
      // ∂J/∂A[L] = (A[L] − Y)/m; the loss is m/2·‖∂J/∂A[L]‖².
      step.encodeResidual(batch, { a: buf.acts, offsetA: L * mn, b: buf.yb, out: buf.dA, offsetOut: (L - 1) * mn, count: mn, alpha: 1 / m });
      for (let l = L; l >= 1; l--) {
        act.encodeBackward(batch, { x: buf.zs, offsetX: (l - 1) * mn, g: buf.dA, offsetG: (l - 1) * mn, out: buf.dZ, count: mn });
        matmul.encode(batch, { a: buf.dZ, transA: true, b: buf.acts, offsetB: (l - 1) * mn, c: buf.dW, offsetC: (l - 1) * nn, m: n, n, k: m });
        if (l > 1) matmul.encode(batch, { a: buf.dZ, b: buf.W, offsetB: (l - 1) * nn, c: buf.dA, offsetC: (l - 2) * mn, m, n, k: n });
      }
      flops += 2 * mn * n * (2 * L - 1);
      const seg = (x: GPUBuffer, q: number, offsets: GPUBuffer, per: number, offsetX = 0) =>
        norms.encode(batch, { x, offsetX, offsets, segments: L, out, outOffset: slot + q * L, segmentsPerGroup: per });
      seg(buf.acts, ACT, buf.segM, perM, mn);
      seg(buf.zs, Z, buf.segM, perM);
      seg(buf.dA, GRAD_A, buf.segM, perM);
      seg(buf.dW, GRAD_W, buf.segW, perW);
      if (adam) {
        step.encodeAdam(batch, {
          w: buf.W,
          g: buf.dW,
          m: buf.mom!,
          v: buf.vel!,
          count: L * nn,
          lr: config.lr,
          beta1: config.beta1,
          beta2: config.beta2,
          eps: config.eps,
          t: t + 1,
        });
      } else {
        step.encodeSgd(batch, { w: buf.W, g: buf.dW, count: L * nn, lr: config.lr });
      }
      seg(buf.W, W_AFTER, buf.segW, perW);
      if (adam) {
        seg(buf.dW, DELTA, buf.segW, perW);
        seg(buf.vel!, VEL, buf.segW, perW);
      }
    });
  };

  // ---- host-side recording (the reference's TrainRecord) ----
  const recordEval = (t: number, v: Float64Array | null) => {
    if (!v) return rec.recordEval(t, null);
    rec.recordEval(t, {
      loss: (v[0] * v[0]) / (2 * H),
      actNorm: v.subarray(1, 1 + L).map((x) => x / sqrtH),
      zNorm: v.subarray(1 + L, 1 + 2 * L).map((x) => x / sqrtH),
    });
  };
  // ‖W[l]‖ after the last recorded step (before step 0: measured): the next step's ‖W[l]‖ before.
  let wNorm: Float64Array | null = null;
  const recordStep = (t: number, v: Float64Array) => {
    const q = (i: number) => v.subarray(i * L, (i + 1) * L);
    const gradA = q(GRAD_A);
    const wBefore = wNorm!;
    const delta = adam ? q(DELTA) : q(GRAD_W).map((g) => config.lr * g);
    wNorm = q(W_AFTER).slice();
    const loss = (m * gradA[L - 1] * gradA[L - 1]) / 2;
    if (!rec.isLost(t)) lastLoss = loss;
    rec.recordStep(t, {
      loss,
      actNorm: q(ACT).map((x) => x / sqrtM),
      zNorm: q(Z).map((x) => x / sqrtM),
      gradActNorm: gradA.map((x) => x / sqrtM),
      gradWNorm: q(GRAD_W),
      updateRatio: delta.map((d, i) => d / wBefore[i]),
      weightNormAfter: wNorm,
      // Adam's v past f32 is ∞ (or NaN) on the GPU: its norm says so.
      momentStatus: adam ? Array.from(q(VEL), (x): TrainStatus => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'overflow' : 'finite')) : undefined,
    });
  };

  // Runs one submission: `count` steps from `done` (0 for an evaluation only), with the evaluations due.
  const submit = async (count: number, finalEval: boolean) => {
    const evalSteps: number[] = [];
    for (let t = done; t < done + count; t++) if (t % k === 0) evalSteps.push(t);
    const evals = evalSteps.length + (finalEval ? 1 : 0);
    const batch = new GpuBatch(gpu, `train[L=${L},n=${n},m=${m},${activation},${config.init}×${config.gain},${config.optimizer}]`);
    try {
      // Before the first step: ‖W[l]‖ into the L slots after the steps'.
      const first = done === 0 && count > 0;
      const stepSlots = count * STEP_SLOTS + (first ? L : 0);
      const stepOut = count > 0 ? batch.scratch('train.stats.steps', stepSlots * NORM_WORDS * 4) : null;
      if (first) norms.encode(batch, { x: buf.W, offsets: buf.segW, segments: L, out: stepOut!, outOffset: count * STEP_SLOTS, segmentsPerGroup: perW });
      const evalOut = evals > 0 ? batch.scratch('train.stats.heldOut', evals * EVAL_SLOTS * NORM_WORDS * 4) : null;
      let e = 0;
      for (let i = 0; i < count; i++) {
        const t = done + i;
        if (t % k === 0) encodeEval(batch, evalOut!, EVAL_SLOTS * e++);
        encodeStep(batch, t, stepOut!, i * STEP_SLOTS);
      }
      if (finalEval) encodeEval(batch, evalOut!, EVAL_SLOTS * e++);
      const parts: { src: GPUBuffer; bytes: number }[] = [];
      if (stepOut) parts.push({ src: stepOut, bytes: stepSlots * NORM_WORDS * 4 });
      if (evalOut) parts.push({ src: evalOut, bytes: evals * EVAL_SLOTS * NORM_WORDS * 4 });
      const reads: Readback[] = batch.readAll(parts);
      gpu.device.pushErrorScope('out-of-memory');
      let oom: GPUError | null = null;
      try {
        await batch.submit();
      } finally {
        oom = await gpu.device.popErrorScope().catch(() => null);
      }
      if (oom)
        throw new GpuOutOfMemoryError(
          'the statistics of a chunk of training steps',
          count * STEP_SLOTS * NORM_WORDS * 4,
          gpu.limits.maxBufferSize,
          oom.message,
        );
      submissions++;
      const stepNorms = stepOut ? decodeNorms(reads[0].data!, stepSlots) : null;
      if (first) wNorm = stepNorms!.slice(count * STEP_SLOTS);
      const evalNorms = evalOut ? decodeNorms(reads[stepOut ? 1 : 0].data!, evals * EVAL_SLOTS) : null;
      e = 0;
      for (let i = 0; i < count; i++) {
        const t = done + i;
        if (t % k === 0) recordEval(t, evalNorms!.subarray(EVAL_SLOTS * e, EVAL_SLOTS * ++e));
        recordStep(t, stepNorms!.subarray(i * STEP_SLOTS, (i + 1) * STEP_SLOTS));
      }
      if (finalEval) recordEval(done + count, evalNorms!.subarray(EVAL_SLOTS * e, EVAL_SLOTS * (e + 1)));
      done += count;
    } finally {
      batch.dispose();
    }
  };

  try {
    await withOomScope(gpu, `the weights${adam ? ', Adam’s moments' : ''}, the data and the activations of a training run`, bytes, () => {
      buf = allocate();
    });
    while (done < steps) {
      if (options.signal?.aborted) break;
      if (rec.isLost(done)) {
        // Every later step is computed from broken weights: nothing left to run.
        for (let t = done; t < steps; t++) {
          if (t % k === 0) recordEval(t, null);
          rec.recordLost(t);
        }
        done = steps;
        break;
      }
      await submit(Math.min(chunk, steps - done), false);
      const elapsedMs = performance.now() - t0;
      options.onProgress?.({ done, total: steps, elapsedMs, remainingMs: (elapsedMs * (steps - done)) / done, trainLoss: lastLoss });
    }
    if (rec.lastEvalStep !== done) {
      if (rec.isLost(done)) recordEval(done, null);
      else await submit(0, true);
    }
  } catch (err) {
    throw await explainFailure(gpu, err);
  } finally {
    for (const b of held) gpu.pool.release(b);
  }

  return {
    ...rec.result(config, done),
    wallMs: performance.now() - t0,
    flops,
    submissions,
  };
}
