// Status propagation ('lost' = computed from an earlier overflow/NaN), against the float64 reference.
//
// The GPU engine and the CPU fallback classify with the same function (`classifyRun`): the GPU on what f32
// computed, the CPU fallback on float64 (`deepNetRef`). Here a float32 simulation of the GPU's pass stands in
// for the GPU (every product and sum rounded to f32, Welford moments in f32, ReLU(NaN) = 0 as the GPU does,
// optionally subnormals flushed), so the property runs in Node: on random small configs, the f32 path and
// the float64 path classify alike, and nothing is 'underflow' where float64 is above 1e-30.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyLayers, classifyRun, describeCause, lostCause, propagateLost, type ValueStatus } from '../../src/labs/depth/classify';
import { INIT_SCHEMES, validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { LAYER_STAT_NAMES, type LayerStatName, type LayerStatuses } from '../../src/labs/depth/types';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { makeInput, makeWeights } from '../../src/labs/depth/init';
import { deepNetF32 } from '../helpers/deep-net-f32';
import { analyzeRow, limitSentences, measureLimits } from '../../src/labs/depth/row-analysis';
import { ACTIVATIONS } from '../../src/kernels/activations';

const F32_MAX = 3.4028234663852886e38;

// ---------------------------------------------------------------------------------------------------------

const cfg = (c: Partial<DeepNetConfig>) =>
  validateDeepNetConfig({ depth: 6, width: 3, batch: 2, activation: 'relu', init: 'normal', gain: 1, seed: 1, input: 'normal', ...c });

const fill = (L: number, s: ValueStatus = 'finite'): ValueStatus[] => new Array<ValueStatus>(L).fill(s);
const statuses = (L: number): LayerStatuses => ({
  actNorm: fill(L),
  zMean: fill(L),
  zVar: fill(L),
  gradActNorm: fill(L),
  gradWNorm: fill(L),
});

describe('propagateLost', () => {
  it('forward overflow: later layers, the loss and every gradient are lost; the overflow itself stays', () => {
    const s = statuses(6);
    s.actNorm[2] = 'overflow';
    s.actNorm[3] = 'nan';
    s.actNorm[4] = 'underflow'; // the GPU's ReLU of NaN: 0
    s.zVar[2] = 'overflow';
    s.gradActNorm.fill('underflow');
    const p = propagateLost(s, 'underflow');
    expect(p.status.actNorm).toEqual(['finite', 'finite', 'overflow', 'lost', 'lost', 'lost']);
    expect(p.status.zMean).toEqual(['finite', 'finite', 'finite', 'lost', 'lost', 'lost']);
    expect(p.status.zVar).toEqual(['finite', 'finite', 'overflow', 'lost', 'lost', 'lost']);
    expect(p.status.gradActNorm).toEqual(fill(6, 'lost'));
    expect(p.status.gradWNorm).toEqual(fill(6, 'lost'));
    expect(p.lossStatus).toBe('lost');
    expect(lostCause(p.status)).toEqual({ pass: 'forward', stat: 'actNorm', layer: 3, status: 'overflow' });
    expect(describeCause(lostCause(p.status)!)).toBe("‖a‖ passed the lab's 1e38 overflow mark at layer 3");
    // With the values: "overflowed f32" only where the value had left f32's range.
    const values = (v: number) => ({ ...deepNetRef(cfg({ depth: 6 })).layers, actNorm: Float64Array.from([1, 1, v, 0, 0, 0]) });
    expect(lostCause(p.status, values(Infinity))).toMatchObject({ layer: 3, pastF32: true });
    expect(describeCause(lostCause(p.status, values(Infinity))!)).toBe('‖a‖ overflowed f32 at layer 3');
    expect(describeCause(lostCause(p.status, values(5e38))!, { english: true })).toBe('‖a‖ overflowed f32 at layer 3');
    expect(describeCause(lostCause(p.status, values(3e38))!)).toBe("‖a‖ passed the lab's 1e38 overflow mark at layer 3");
    // The input is not changed.
    expect(s.actNorm[4]).toBe('underflow');
  });

  it('a broken z makes ‖a‖ = ‖f(z)‖ of its layer lost (ReLU(NaN) = 0 is no underflow); Var z is no cause', () => {
    const s = statuses(4);
    s.zVar[0] = 'overflow'; // Var z passes 1e38 long before z leaves f32's range
    s.zMean[1] = 'nan';
    s.actNorm[1] = 'underflow';
    const p = propagateLost(s, 'underflow');
    expect(p.status.zMean).toEqual(['finite', 'nan', 'lost', 'lost']);
    expect(p.status.zVar).toEqual(['overflow', 'finite', 'lost', 'lost']);
    expect(p.status.actNorm).toEqual(['finite', 'lost', 'lost', 'lost']);
    expect(p.lossStatus).toBe('lost');
    expect(describeCause(lostCause(p.status)!)).toBe('mean z became NaN at layer 2');
    // A NaN ‖a‖ is a cause like an overflow, and keeps its status.
    const t = statuses(3);
    t.actNorm[1] = 'nan';
    expect(propagateLost(t, 'finite').status.actNorm).toEqual(['finite', 'nan', 'lost']);
  });

  it('an overflow at the last layer keeps the loss its own status, and still loses every gradient', () => {
    const s = statuses(4);
    s.actNorm[3] = 'overflow';
    const p = propagateLost(s, 'overflow');
    expect(p.lossStatus).toBe('overflow');
    expect(p.status.actNorm[3]).toBe('overflow');
    expect(p.status.gradActNorm).toEqual(fill(4, 'lost'));
  });

  it('backward overflow: ∂J/∂W of that layer and every gradient below are lost, the layers above are not', () => {
    const s = statuses(6);
    s.gradActNorm[3] = 'overflow'; // backprop reaches layer 4 after 6 and 5
    s.gradActNorm[1] = 'nan';
    s.gradWNorm[0] = 'underflow';
    const p = propagateLost(s, 'finite');
    expect(p.status.gradActNorm).toEqual(['lost', 'lost', 'lost', 'overflow', 'finite', 'finite']);
    expect(p.status.gradWNorm).toEqual(['lost', 'lost', 'lost', 'lost', 'finite', 'finite']);
    expect(p.status.actNorm).toEqual(fill(6));
    expect(p.lossStatus).toBe('finite');
    expect(lostCause(p.status)).toEqual({ pass: 'backward', stat: 'gradActNorm', layer: 4, status: 'overflow' });
  });

  it('leaves runs without overflow/NaN alone (underflow stays underflow; Var z past 1e38 is no cause)', () => {
    const s = statuses(4);
    s.actNorm[2] = 'underflow';
    s.zVar[1] = 'overflow';
    s.gradWNorm[3] = 'overflow'; // nothing is computed from ∂J/∂W
    const p = propagateLost(s, 'underflow');
    expect(p).toEqual({ status: s, lossStatus: 'underflow' });
    expect(lostCause(p.status)).toBeNull();
  });
});

describe('the float32 simulation', () => {
  it('matches the float64 reference to f32 precision on a tame net', () => {
    const c = cfg({ depth: 5, width: 6, batch: 4, init: 'he-normal' as DeepNetConfig['init'] });
    const sim = deepNetF32(c, { flush: false });
    const ref = deepNetRef(c);
    for (const name of LAYER_STAT_NAMES) {
      sim.layers[name].forEach((v, i) => expect(Math.abs(v - ref.layers[name][i])).toBeLessThanOrEqual(1e-4 * Math.abs(ref.layers[name][i]) + 1e-6));
    }
  });
});

describe('the issue: N(0,1) + ReLU, width 256 explodes — it must not read as vanishing', () => {
  const c = cfg({ depth: 48, width: 256, batch: 4, activation: 'relu', init: 'normal', gain: 1, input: 'normal', seed: 7 });
  const sim = deepNetF32(c, { flush: true });
  const ref = deepNetRef(c);
  const gpuLike = classifyRun(sim.layers, sim.loss);

  it('f32 turns the overflow into NaN and then 0 (the old classification called that underflow)', () => {
    const raw = classifyLayers(sim.layers);
    expect(raw.actNorm).toContain('overflow');
    expect(raw.actNorm.slice(raw.actNorm.indexOf('overflow'))).toContain('underflow');
    expect(Array.from(sim.layers.actNorm).some((v, i) => v === 0 && ref.layers.actNorm[i] > 1e38)).toBe(true);
  });

  it('no underflow anywhere on either path; lost after the overflow; both paths classify alike', () => {
    for (const r of [gpuLike, { status: ref.status, lossStatus: ref.lossStatus }]) {
      for (const name of LAYER_STAT_NAMES) expect(r.status[name]).not.toContain('underflow');
      expect(r.lossStatus).toBe('lost');
      const f0 = r.status.actNorm.indexOf('overflow');
      expect(f0).toBeGreaterThan(20);
      expect(r.status.actNorm.slice(f0 + 1)).toEqual(fill(c.depth - f0 - 1, 'lost'));
      expect(r.status.gradWNorm).toEqual(fill(c.depth, 'lost'));
    }
    expect(gpuLike.status.actNorm.indexOf('overflow')).toBe(ref.status.actNorm.indexOf('overflow'));
    expect(alikeMismatches(gpuLike, ref, c)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The property.

const broken = (s: ValueStatus) => s === 'overflow' || s === 'nan';

/**
 * Positions where the f32 path's status differs from the float64 path's. Alike means: equal, or both
 * broken (f32 may make NaN — ∞ − ∞, 0·∞ — where float64 has a number past 1e38); and, where the float64
 * value is within f32's subnormal range or just above it ([1e-39, 1e-33]), f32 may have lost the precision
 * to tell 'finite' from 'underflow' (never with anything else); f32's Var z may overflow once
 * Var z · m·n (Welford's M2) passes f32's range, before Var z itself does; and f32's running mean and
 * variance of z may overflow or turn NaN at a layer whose ‖a‖ is past 1e36.
 */
function alikeMismatches(a: { status: LayerStatuses; lossStatus: ValueStatus }, ref: ReturnType<typeof deepNetRef>, c: DeepNetConfig): string[] {
  const out: string[] = [];
  const same = (x: ValueStatus, y: ValueStatus, v64: number) =>
    x === y || (broken(x) && broken(y)) || (Math.abs(v64) >= 1e-39 && Math.abs(v64) <= 1e-33 && [x, y].every((s) => s === 'finite' || s === 'underflow'));
  // Welford's M2 = Var z · m·n is an f32 too: it overflows (and Var z with it) once Var z > F32_MAX/(m·n).
  const m2Edge = F32_MAX / (c.batch * c.width) / 2;
  // Welford's running mean and M2 in f32 can overflow (or meet ∞ − ∞) once z is near f32's range.
  const sameMean = (x: ValueStatus, y: ValueStatus, v64: number, i: number) => same(x, y, v64) || (broken(x) && y === 'finite' && ref.layers.actNorm[i] > 1e36);
  const sameVar = (x: ValueStatus, y: ValueStatus, v64: number, i: number) =>
    sameMean(x, y, v64, i) || (x === 'overflow' && y === 'finite' && Math.abs(v64) >= m2Edge);
  // Where z itself left f32's range, f32's ‖f(z)‖ is 'lost' (ReLU(NaN) = 0) and float64's is an overflow.
  const cause = lostCause(ref.status);
  const lostOrBroken = (s: ValueStatus) => s === 'lost' || broken(s);
  for (const name of LAYER_STAT_NAMES) {
    a.status[name].forEach((s, i) => {
      const v = ref.layers[name][i];
      if (name === 'actNorm' && cause?.pass === 'forward' && i === cause.layer - 1 && lostOrBroken(s) && lostOrBroken(ref.status.actNorm[i])) return;
      const ok =
        name === 'zVar' ? sameVar(s, ref.status[name][i], v, i) : name === 'zMean' ? sameMean(s, ref.status[name][i], v, i) : same(s, ref.status[name][i], v);
      if (!ok) out.push(`${name}[${i + 1}]: f32 ${s}, float64 ${ref.status[name][i]} (${ref.layers[name][i]})`);
    });
  }
  if (!same(a.lossStatus, ref.lossStatus, ref.loss)) out.push(`loss: f32 ${a.lossStatus}, float64 ${ref.lossStatus}`);
  return out;
}

/**
 * True when f32 rounding or an f32 intermediate, not the net, may decide a status: a value the
 * classification hinges on (a norm, mean z or Var z, before the first lost value) within 0.1% of the 1e38
 * mark, or a product whose f32 partial sums may pass f32's range although its float64 result does not
 * clearly overflow. By Cauchy–Schwarz a partial sum of Z[l] = A[l−1]·W[l]ᵀ is at most
 * ‖A[l−1]‖_F·max‖row of W[l]‖ (‖A‖_F = actNorm·√m); of ∂J/∂a[l−1] = dZ[l]·W[l] at most
 * ‖dZ[l]‖_F·max‖column of W[l]‖; of ∂J/∂W[l] = dZ[l]ᵀ·A[l−1] at most ‖dZ[l]‖_F·‖A[l−1]‖_F (‖dZ‖ ≤ ‖dA‖
 * for these activations). Such runs are skipped.
 */
function nearEdge(ref: ReturnType<typeof deepNetRef>, c: DeepNetConfig): boolean {
  const { depth: L, width: n, batch: m } = c;
  const sqrtM = Math.sqrt(m);
  const edge = (v: number) => Math.abs(v) >= 0.999e38 && Math.abs(v) <= 1.001e38;
  const clearlyOver = (v: number) => !(Math.abs(v) <= 1.001e38);
  const risky = (bound: number) => bound > F32_MAX / 4;
  const live = (name: LayerStatName, i: number) => ref.status[name][i] !== 'lost';
  const x = makeInput(c);
  let prevFro = Math.sqrt(Array.from(x, (v) => v * v).reduce((a, b) => a + b, 0)); // ‖A[0]‖_F
  for (let l = 1; l <= L; l++) {
    const w = makeWeights(c, l);
    let rowMax = 0;
    let colMax = 0;
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      let c2 = 0;
      for (let k = 0; k < n; k++) {
        r2 += w[j * n + k] ** 2;
        c2 += w[k * n + j] ** 2;
      }
      rowMax = Math.max(rowMax, Math.sqrt(r2));
      colMax = Math.max(colMax, Math.sqrt(c2));
    }
    const i = l - 1;
    const L_ = ref.layers;
    if (live('actNorm', i)) {
      if ([L_.actNorm[i], L_.zMean[i], L_.zVar[i]].some(edge)) return true;
      if (risky(prevFro * rowMax) && !clearlyOver(L_.actNorm[i])) return true;
    }
    const dFro = L_.gradActNorm[i] * sqrtM;
    if (live('gradActNorm', i) && edge(L_.gradActNorm[i])) return true;
    if (live('gradWNorm', i) && (edge(L_.gradWNorm[i]) || (risky(dFro * prevFro) && !clearlyOver(L_.gradWNorm[i])))) return true;
    if (i > 0 && live('gradActNorm', i - 1) && risky(dFro * colMax) && !clearlyOver(L_.gradActNorm[i - 1])) return true;
    prevFro = L_.actNorm[i] * sqrtM;
  }
  return false;
}

const configArb = fc
  .record({
    depth: fc.integer({ min: 1, max: 40 }),
    width: fc.integer({ min: 1, max: 6 }),
    batch: fc.integer({ min: 1, max: 6 }),
    activation: fc.constantFrom(...ACTIVATIONS),
    init: fc.constantFrom(...INIT_SCHEMES),
    // log-uniform over [1e-3, 1e4]: vanishing, tame and exploding nets; big gains jump over the 1e38 edge
    gain: fc.integer({ min: -300, max: 400 }).map((k) => Number((10 ** (k / 100)).toPrecision(3))),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    input: fc.constantFrom('ones' as const, 'normal' as const),
  })
  .map((c) => validateDeepNetConfig(c));

describe('property: the f32 (GPU) path and the float64 (CPU fallback) path classify alike', () => {
  it('on random small configs, with and without subnormal flushing', () => {
    let lostRuns = 0;
    let underflowRuns = 0;
    let runs = 0;
    fc.assert(
      fc.property(configArb, fc.boolean(), (c, flush) => {
        const ref = deepNetRef(c);
        fc.pre(!nearEdge(ref, c));
        const sim = deepNetF32(c, { flush });
        const gpuLike = classifyRun(sim.layers, sim.loss);
        runs++;
        if (lostCause(ref.status)) lostRuns++;
        if (ref.status.actNorm.includes('underflow')) underflowRuns++;
        expect(alikeMismatches(gpuLike, ref, c)).toEqual([]);
        // Only a value whose float64 counterpart is really below the threshold is 'underflow'.
        for (const r of [gpuLike, ref]) {
          for (const name of LAYER_STAT_NAMES) {
            r.status[name].forEach((s, i) => {
              if (s === 'underflow') expect(Math.abs(ref.layers[name][i]), `${name}[${i + 1}]`).toBeLessThanOrEqual(1e-30);
            });
          }
          if (r.lossStatus === 'underflow') expect(ref.loss).toBeLessThanOrEqual(1e-30);
        }
      }),
      { numRuns: 300, seed: 15_2, maxSkipsPerRun: 1000 },
    );
    // The property saw what it is about: runs that lost values to an overflow, and runs that vanished.
    console.log(`lost-status property: ${runs} runs, ${lostRuns} with lost values, ${underflowRuns} vanishing`);
    expect(runs).toBeGreaterThan(100);
    expect(lostRuns).toBeGreaterThan(10);
    expect(underflowRuns).toBeGreaterThan(10);
  });
});

describe('the row text follows the statuses', () => {
  it('a forward overflow: no "does not overflow", no "underflows to 0", the cause named, lost layers not compared', () => {
    // W = 1.5·I, n = 2 in float64 (the CPU fallback): no Infinity, but the 1e38 mark is passed at 215.
    const c = cfg({ depth: 230, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones' });
    const run = deepNetRef(c);
    const a = analyzeRow(c, run);
    expect(a.measuredLimits.lostTo).toEqual({ pass: 'forward', stat: 'actNorm', layer: 215, status: 'overflow', pastF32: false });
    const text = a.limitSentences.join(' ');
    expect(text).not.toMatch(/do(es)? not overflow|exactly 0/);
    expect(text).toContain("‖a‖ passes the lab's 1e38 overflow mark at layer 215");
    expect(text).toContain("Everything computed after that is lost: ‖a‖ passed the lab's 1e38 overflow mark at layer 215");
    // The 240 is the forecast's layer, not a second measured overflow: the sentence says so.
    expect(text).toMatch(
      /Gradients ∂J\/∂a cannot be checked against the forecast \(which has them overflow from layer \d+ down\): they are lost to the forward overflow\./,
    );
    // The exact prediction holds on every layer that was not lost.
    expect(a.verdict).toMatchObject({ verdict: 'agree', compared: 215 });
  });

  it('the same net in f32 (zeros and NaNs after the overflow) reads the same: no 0 is called a vanishing', () => {
    const c = cfg({ depth: 80, width: 32, batch: 2, activation: 'relu', init: 'normal', gain: 1, input: 'normal', seed: 3 });
    const sim = deepNetF32(c, { flush: true });
    const run = { loss: sim.loss, layers: sim.layers, ...classifyRun(sim.layers, sim.loss) };
    expect(Array.from(sim.layers.actNorm)).toContain(0);
    const m = measureLimits(run);
    expect(m.actZero).toBeNull();
    expect(m.gradZero).toBeNull();
    const text = analyzeRow(c, run).limitSentences.join(' ');
    expect(text).not.toMatch(/do(es)? not overflow|exactly 0/);
    expect(text).toContain(`Everything computed after that is lost: ${describeCause(m.lostTo!)}`);
  });

  it('a backward overflow: the gradients pass the mark where the statuses say, everything below is lost', () => {
    // dA[l] = 1.5^(2L−l)·√2/m: with L = 120 backprop passes 1e38 on its way down while ‖a‖ stays finite.
    const c = cfg({ depth: 120, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones' });
    const run = deepNetRef(c);
    const m = measureLimits(run);
    expect(m.lostTo?.pass).toBe('backward');
    expect(m.gradOverflowThreshold).toBe(m.lostTo!.layer);
    const text = limitSentences(c, m, null).join(' ');
    expect(text).toContain(`Gradients ∂J/∂a pass the lab's 1e38 overflow mark at layer ${m.lostTo!.layer}`);
    expect(text).toContain(`Below that every gradient is lost: ‖∂J/∂a‖ passed the lab's 1e38 overflow mark at layer ${m.lostTo!.layer}`);
    expect(text).not.toMatch(/do(es)? not overflow/);
  });
});
