// The benchmark's arithmetic, plans, float64 verification, summary, chart model and URL debug flags, in Node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executionsFor, gbps, gflops, gpuSpanMs, matmulFlop, median, minBytes, ratio, formatRate, formatRatio, formatShare } from '../../src/bench/bench-math';
import { makeBenchPlan, BENCH_PRESETS, backpropCases, matmulReps, matmulWarmup, DEFAULT_TRAINING_BENCH } from '../../src/bench/cases';
import { TRAINING_FLOP_COUNTED, trainingBenchTrainConfig, trainingStepFlop } from '../../src/bench/training-bench';
import { sampleIndices, verifyExact, verifyMatmul, verifyArrays } from '../../src/bench/verify';
import { summarize } from '../../src/bench/summary';
import { benchRow as row } from '../helpers/bench-row';
import { axisLabels, axisTicks, barLayout, fitLabel, makeBarCharts, niceCeil, STACK_BELOW } from '../../src/bench/chart-model';
import { makeRoofline } from '../../src/bench/roofline';
import { fmaRoofRef, FMA_LANES } from '../../src/kernels/fma-roof';
import { matmulRef } from '../../src/kernels/cpu/matmul-ref';
import { makeUniform } from '../../src/kernels/cpu/random';
import { formatPipelineLog, parseDebugFlags } from '../../src/gpu/debug-flags';

describe('executionsFor (executions per timed submission)', () => {
  it('holds at least minMs of work, capped, and 1 for long, unknown or zero times', () => {
    expect(executionsFor(50, 15)).toBe(4);
    expect(executionsFor(50, 12.5)).toBe(4);
    expect(executionsFor(50, 49.9)).toBe(2);
    expect(executionsFor(50, 50)).toBe(1);
    expect(executionsFor(50, 80)).toBe(1);
    expect(executionsFor(50, 0.001)).toBe(16);
    expect(executionsFor(50, 0.001, 64)).toBe(64);
    for (const t of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(executionsFor(50, t)).toBe(1);
    expect(executionsFor(0, 5)).toBe(1);
  });
});

describe('rates', () => {
  it('GFLOP/s and GB/s are per 10⁹ per second from milliseconds', () => {
    // 2·1024³ FLOP in 1 s = 2.147 GFLOP/s; 8 MB in 2 ms = 4 GB/s.
    expect(gflops(matmulFlop({ m: 1024, n: 1024, k: 1024 }), 1000)).toBeCloseTo(2.147483648, 9);
    expect(gbps(8e6, 2)).toBe(4);
    expect(gflops(1e9, 0)).toBeNaN();
    expect(gbps(1e9, NaN)).toBeNaN();
  });
  it('counts matmul FLOPs as 2·m·n·k per batch item and bytes per kernel kind', () => {
    expect(matmulFlop({ m: 2, n: 3, k: 4 })).toBe(48);
    expect(matmulFlop({ m: 64, n: 64, k: 64, batch: 64 })).toBe(2 * 64 ** 4);
    expect(minBytes('copy', 1000)).toBe(8000);
    expect(minBytes('moments', 1000)).toBe(4000);
    expect(minBytes('norms', 1000)).toBe(4000);
  });
  it('median ignores non-finite values and averages the middle pair', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 2, Infinity])).toBe(2);
    expect(median([])).toBeNaN();
  });
  it('ratio is NaN unless both sides are usable', () => {
    expect(ratio(10, 2)).toBe(5);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(NaN, 2)).toBeNaN();
  });
  it('a submission lasts from its first pass begin to its last pass end (gaps included)', () => {
    expect(
      gpuSpanMs([
        { label: 'a', ms: 1, startMs: 0 },
        { label: 'b', ms: 2, startMs: 3 },
      ]),
    ).toBe(5);
    expect(
      gpuSpanMs([
        { label: 'a', ms: 1 },
        { label: 'b', ms: 2 },
      ]),
    ).toBe(3); // no offsets: the sum
    expect(gpuSpanMs([])).toBeNaN();
  });
  it('formats rates, ratios and shares', () => {
    expect(formatRate(123.4)).toBe('123');
    expect(formatRate(12.34)).toBe('12.3');
    expect(formatRate(1.234)).toBe('1.23');
    expect(formatRate(0.01234)).toBe('0.012');
    expect(formatRate(NaN)).toBe('—');
    expect(formatRatio(5.333)).toBe('5.33×');
    expect(formatShare(0.354)).toBe('35%');
  });
});

describe('plans', () => {
  it('the full preset has the sizes issue 5 asks for', () => {
    const full = makeBenchPlan('full');
    expect(full.matmul.map((c) => c.name).slice(0, 4)).toEqual(['256×256×256', '512×512×512', '1024×1024×1024', 'batched 64 × 64×64×64']);
    expect(full.matmul.find((c) => c.batch === 64)).toMatchObject({ m: 64, n: 64, k: 64 });
    expect(full.reductions).toEqual([2 ** 20, 2 ** 22, 2 ** 24]);
    expect(full.warmup).toBeGreaterThanOrEqual(1);
    expect(full.reps).toBeGreaterThanOrEqual(3);
  });
  it("the backprop cases are the Depth lab's three products, with transposed operands", () => {
    const [fwd, dW, dA] = backpropCases(256, 128);
    expect(fwd).toMatchObject({ m: 128, n: 256, k: 256, transB: true });
    expect(dW).toMatchObject({ m: 256, n: 256, k: 128, transA: true });
    expect(dA).toMatchObject({ m: 128, n: 256, k: 256 });
    expect(makeBenchPlan('full').matmul).toEqual(expect.arrayContaining([fwd, dW, dA]));
  });
  it("big matmuls (≥ 1 GFLOP, e.g. 1024³) get 3 timed runs, the others the plan's count", () => {
    const full = makeBenchPlan('full');
    expect(matmulReps(full, matmulFlop({ m: 1024, n: 1024, k: 1024 }))).toBe(3);
    expect(matmulReps(full, matmulFlop({ m: 256, n: 256, k: 256 }))).toBe(full.reps);
    expect(matmulWarmup(full, matmulFlop({ m: 1024, n: 1024, k: 1024 }))).toBe(0);
    expect(matmulWarmup(full, matmulFlop({ m: 512, n: 512, k: 512 }))).toBe(full.warmup);
    expect(full.warmup).toBeGreaterThan(0);
    expect(matmulReps({ reps: 2 }, 1e12)).toBe(2);
  });
  it('every preset is smaller than the next', () => {
    const work = (p: (typeof BENCH_PRESETS)[number]) => {
      const plan = makeBenchPlan(p);
      return plan.matmul.reduce((s, c) => s + matmulFlop(c), 0) + plan.reductions.reduce((a, b) => a + b, 0);
    };
    expect(work('tiny')).toBeLessThan(work('quick'));
    expect(work('quick')).toBeLessThan(work('full'));
  });
  it("the full preset's training row is the issue's: depth 20, n = 256, m = 128, 100 SGD steps, compared with 256³", () => {
    const full = makeBenchPlan('full');
    expect(full.training).toMatchObject({ depth: 20, width: 256, batch: 128, steps: 100 });
    expect(full.training).toEqual(DEFAULT_TRAINING_BENCH);
    expect(full.trainingReference).toBe('256×256×256');
  });
  it("every preset's training row is smaller than the next, times at least two submissions after the first, and is compared with a matmul case of its plan", () => {
    const cost = (p: (typeof BENCH_PRESETS)[number]) => {
      const t = makeBenchPlan(p).training;
      return t.steps * trainingStepFlop(t);
    };
    expect(cost('tiny')).toBeLessThan(cost('quick'));
    expect(cost('quick')).toBeLessThan(cost('full'));
    for (const p of BENCH_PRESETS) {
      const plan = makeBenchPlan(p);
      expect(
        plan.matmul.map((c) => c.name),
        p,
      ).toContain(plan.trainingReference);
      expect(plan.training.steps / plan.training.chunk, p).toBeGreaterThanOrEqual(3);
      expect(plan.training.checkSteps, p).toBeGreaterThanOrEqual(1);
      // A valid Training-lab config (validateTrainConfig throws otherwise), SGD on He + ReLU.
      expect(trainingBenchTrainConfig(plan.training)).toMatchObject({ optimizer: 'sgd', init: 'he-normal', activation: 'relu', steps: plan.training.steps });
    }
  });
});

describe('training row FLOPs', () => {
  it('counts forward, backward dW and dA (none into the input layer) and the SGD update, by hand for a small net', () => {
    // L = 3, n = 4, m = 2: forward 3 × 2·2·16 = 192; dW 3 × 64 = 192; dA 2 × 64 = 128; update 3 × 2·16 = 96.
    expect(trainingStepFlop({ depth: 3, width: 4, batch: 2 })).toBe(192 + 192 + 128 + 96);
    // Depth 1: one forward product, one dW, no dA, one update.
    expect(trainingStepFlop({ depth: 1, width: 4, batch: 2 })).toBe(64 + 64 + 0 + 32);
  });
  it("the full row's step is 6·m·n²·L − 2·m·n² + 2·n²·L (≈ 0.99 GFLOP)", () => {
    const { depth: L, width: n, batch: m } = DEFAULT_TRAINING_BENCH;
    expect(trainingStepFlop(DEFAULT_TRAINING_BENCH)).toBe(6 * m * n * n * L - 2 * m * n * n + 2 * n * n * L);
    expect(trainingStepFlop(DEFAULT_TRAINING_BENCH) / 1e9).toBeCloseTo(0.9925, 3);
  });
  it('the JSON says what is counted and what is not', () => {
    for (const part of ['forward', 'dW = dZᵀ·A', 'dA = dZ·W', 'update', 'Not counted', 'norm statistics']) expect(TRAINING_FLOP_COUNTED).toContain(part);
  });
});

describe('float64 verification', () => {
  const shapes = [
    { m: 5, n: 7, k: 3 },
    { m: 4, n: 6, k: 9, transA: true },
    { m: 6, n: 3, k: 5, transB: true, batch: 3 },
  ];
  for (const s of shapes) {
    it(`accepts the f32-rounded exact product and rejects one wrong entry (${JSON.stringify(s)})`, () => {
      const batch = s.batch ?? 1;
      const a = makeUniform(batch * s.m * s.k, 1);
      const b = makeUniform(batch * s.k * s.n, 2);
      const c = new Float32Array(batch * s.m * s.n);
      for (let i = 0; i < batch; i++) {
        const item = matmulRef(a.subarray(i * s.m * s.k, (i + 1) * s.m * s.k), b.subarray(i * s.k * s.n, (i + 1) * s.k * s.n), { ...s, batch: 1 });
        c.set(item, i * s.m * s.n);
      }
      expect(verifyMatmul(a, b, c, s)).toMatchObject({ ok: true, firstBad: -1, checked: c.length });
      const wrong = c.slice();
      wrong[c.length - 2] += 1e-3;
      expect(verifyMatmul(a, b, wrong, s)).toMatchObject({ ok: false, firstBad: c.length - 2 });
      const nan = c.slice();
      nan[0] = NaN;
      expect(verifyMatmul(a, b, nan, s).ok).toBe(false);
    });
  }
  it('a sample covers both ends and stays in range', () => {
    const idx = sampleIndices(1_000_000, 1000);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(999_999);
    expect(idx.length).toBe(1000);
    expect(new Set(idx).size).toBe(idx.length);
    expect(sampleIndices(10, 100)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('a matmul that is wrong in the middle of a big result is caught by the sample', () => {
    const s = { m: 256, n: 256, k: 8 };
    const a = makeUniform(s.m * s.k, 3);
    const b = makeUniform(s.k * s.n, 4);
    const c = Float32Array.from(matmulRef(a, b, s));
    // A whole 16×16 tile zeroed (what a wrong tile index would do).
    for (let i = 96; i < 112; i++) for (let j = 128; j < 144; j++) c[i * 256 + j] = 0;
    expect(verifyMatmul(a, b, c, s, 4096).ok).toBe(false);
  });
  it('copies must be exact; arrays within tolerance pass', () => {
    expect(verifyExact(new Float32Array([1, 2, NaN]), new Float32Array([1, 2, NaN]), 'x').ok).toBe(true);
    expect(verifyExact(new Float32Array([1, 2.0000002]), new Float32Array([1, 2]), 'x').ok).toBe(false);
    expect(verifyArrays([1.00001], [1], { rtol: 1e-4, atol: 0 }, 'x').ok).toBe(true);
    expect(verifyArrays([1.001], [1], { rtol: 1e-4, atol: 0 }, 'x').ok).toBe(false);
  });
  it("the FMA roof's reference is seed + iterations/1024 per lane, summed over the 32 lanes", () => {
    const ref = fmaRoofRef(33, 1024);
    expect(FMA_LANES).toBe(32);
    expect(ref[0]).toBe(((0 + 31) * 16) / 1024 + 32); // lanes 0..31 /1024, plus 1 each
    expect(ref[32]).toBe(ref[0]); // invocation 32 wraps to the same seeds ((32·32) mod 1024 = 0)
    expect(ref[1]).toBe((32 * 32 + 496) / 1024 + 32);
    // With 2 of the 8 accumulators updated, only 8 lanes gain iterations/1024.
    expect(fmaRoofRef(1, 1024, 2)[0]).toBe(((0 + 31) * 16) / 1024 + 8);
  });
});

describe('summary', () => {
  const rows = [
    row({ group: 'roof', impl: 'FMA roof', ours: false, rate: 10 }),
    row({ shape: '256×256×256', impl: 'ours: tiled', variant: 'tiled', rate: 2 }),
    row({ shape: '256×256×256', impl: 'ours: direct', variant: 'direct', rate: 5 }),
    row({ shape: '256×256×256', impl: 'tf.matMul', ours: false, rate: 0.5 }),
    row({ group: 'roof', impl: 'copy (vec4)', ours: false, metric: 'GB/s', shape: '16M', floats: 16, rate: 4 }),
    row({ group: 'moments', impl: 'ours: moments', metric: 'GB/s', shape: '16M', floats: 16, rate: 6 }),
    row({ group: 'moments', impl: 'tf.moments', ours: false, metric: 'GB/s', shape: '16M', floats: 16, rate: 0.3 }),
    row({ group: 'norms', impl: 'ours: norms', metric: 'GB/s', shape: '4M', floats: 4, rate: 2 }),
    row({ group: 'norms', impl: 'two-pass Σx² (plain)', ours: false, metric: 'GB/s', shape: '4M', floats: 4, rate: 0.1 }),
  ];
  it('takes the best variant, and divides by tfjs, the roofs and the baseline', () => {
    const s = summarize(rows);
    expect(s.fmaRoof).toBe(10);
    const mm = s.lines.find((l) => l.kernel === 'matmul')!;
    expect(mm).toMatchObject({ best: 'direct', ours: 5, tiled: 2, other: 0.5, oursOverOther: 10, tiledOverOther: 4, oursOverRoof: 0.5 });
    const mo = s.lines.find((l) => l.kernel === 'moments')!;
    expect(mo).toMatchObject({ oursOverOther: 20, oursOverRoof: 1.5 });
    const no = s.lines.find((l) => l.kernel === 'norms')!;
    expect(no.oursOverBaseline).toBeCloseTo(20);
    expect(s.targets.map((t) => [t.target.split(':')[1].trim(), t.met])).toEqual([
      ['ours / tf.matMul ≥ 8×', true], // 10×
      ['ours / FMA roof ≥ 50%', true], // exactly 50 %
      ['ours / tf.moments ≥ 15×', true],
      ['ours / copy ≥ 1.0×', true],
      ['ours / two-pass Σx² ≥ 30×', false], // 20×
    ]);
    expect(s.allVerified).toBe(true);
  });
  it('the FMA roof is the median of its measurements through the run (start, between matmul cases, end) that passed their check', () => {
    const roof = (rate: number) => row({ group: 'roof', impl: 'FMA roof', ours: false, rate });
    expect(summarize([...rows, roof(12), roof(8)]).fmaRoof).toBe(10);
    expect(summarize([...rows, roof(12), roof(30)]).fmaRoof, 'one fast moment does not set the roof').toBe(12);
    const wrongFast = [
      ...rows,
      row({
        group: 'roof',
        impl: 'FMA roof',
        ours: false,
        rate: 99,
        verification: { ok: false, maxRelError: 1, checked: 1, firstBad: 0, how: '', rule: 'exact' as const, total: 1 },
      }),
    ];
    expect(summarize(wrongFast).fmaRoof).toBe(10);
    expect(summarize(wrongFast).allVerified).toBe(false);
  });
  it('a row failing its float64 check makes the run fail', () => {
    const bad = [...rows, row({ verification: { ok: false, maxRelError: 1, checked: 1, firstBad: 0, how: 'x', rule: 'exact' as const, total: 1 } })];
    expect(summarize(bad)).toMatchObject({ allVerified: false });
    expect(summarize(bad).failed).toHaveLength(1);
  });
  it('chart model: bars per row, roofs as lines, a nice axis end', () => {
    const [mm, mem] = makeBarCharts(rows);
    expect(mm.bars.map((b) => b.value)).toEqual([2, 5, 0.5]);
    expect(mm.roof).toBe(10);
    expect(mm.max).toBe(10);
    expect(mem.roof).toBe(4);
    expect(mem.max).toBe(6); // 6 → 6: the axis ends at the first tick ≥ the largest value (it ran to 10)
    expect(mem.ticks).toEqual([0, 2, 4, 6]);
    expect(mm.ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceCeil(0.37)).toBe(0.5);
    expect(niceCeil(120)).toBe(200);
  });
  it('chart model: the FMA roof line is the one the summary and the roofline draw (median of the checked measurements)', () => {
    const roof = (rate: number, ok = true) => row({ group: 'roof', impl: 'FMA roof', ours: false, rate, verification: { ...rows[0].verification, ok } });
    for (const extra of [[roof(12), roof(8)], [roof(12), roof(30)], [roof(6.54), roof(5.72), roof(5.1)], [roof(40, false)]]) {
      const run = [...rows, ...extra];
      const [mm] = makeBarCharts(run);
      expect(mm.roof).toBe(summarize(run).fmaRoof);
      expect(mm.roof).toBe(makeRoofline(run).fmaRoof);
    }
    // One fast moment does not set the line (it took the fastest: 30 here).
    expect(makeBarCharts([...rows, roof(12), roof(30)])[0].roof).toBe(12);
  });
  it('chart x axis: numbers under their ticks, the unit after the last, no two labels run together', () => {
    const measure = (s: string) => s.length * 7;
    // The walk's case: 390 px, ticks 0..8 every 2 on a 147 px plot: "6" and "8 GFLOP/s" ran together as "68 GFLOP/s".
    const xs = [183, 219.75, 256.5, 293.25, 330];
    const labels = axisLabels(['0', '2', '4', '6', '8'], xs, 'GFLOP/s', measure, 400);
    expect(labels[labels.length - 1].text).toBe('8 GFLOP/s');
    expect(labels[labels.length - 1].left).toBeCloseTo(330 - 3.5); // its number still centred under its tick
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 20, max: 200 }), fc.integer({ min: 0, max: 400 }), (count, step, x0) => {
        const ticks = Array.from({ length: count }, (_, i) => String(i * 25));
        const at = ticks.map((_, i) => x0 + i * step);
        const right = at[at.length - 1] + 40;
        const out = axisLabels(ticks, at, 'GB/s', measure, right);
        expect(out[out.length - 1].text).toBe(`${ticks[count - 1]} GB/s`);
        expect(out[out.length - 1].left + out[out.length - 1].width).toBeLessThanOrEqual(right + 1e-9);
        for (let i = 1; i < out.length; i++) expect(out[i - 1].left + out[i - 1].width + 6).toBeLessThanOrEqual(out[i].left + 1e-9);
        for (const l of out.slice(0, -1)) {
          const i = ticks.indexOf(l.text);
          expect(l.left + l.width / 2).toBeCloseTo(at[i]);
        }
        // Where the ticks are far enough apart, every one is labelled.
        if (step >= 7 * 14 + 6) expect(out).toHaveLength(count);
      }),
    );
  });
  it('chart axis: ends just above the largest value, in about five nice steps (a 5.7 bar gets 0…6, not 0…20)', () => {
    expect(axisTicks(5.7)).toEqual([0, 2, 4, 6]);
    expect(axisTicks(12)).toEqual([0, 2.5, 5, 7.5, 10, 12.5]);
    expect(axisTicks(0.37)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(axisTicks(120)).toEqual([0, 25, 50, 75, 100, 125]);
    expect(axisTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisTicks(0)).toEqual([0, 1]);
    expect(axisTicks(NaN)).toEqual([0, 1]);
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (v) => {
        const t = axisTicks(v);
        const end = t[t.length - 1];
        const step = t[1] - t[0];
        expect(end).toBeGreaterThanOrEqual(v);
        expect(end - v).toBeLessThan(step * (1 + 1e-9)); // less than one step past the value
        expect(end).toBeLessThan(1.4 * v);
        expect(t.length - 1).toBeGreaterThanOrEqual(3);
        expect(t.length - 1).toBeLessThanOrEqual(6);
        expect(
          /^(1|2|2\.5|5)e[-+]\d+$/.test(
            step
              .toExponential()
              .replace(/(\.\d*?)0+e/, '$1e')
              .replace('.e', 'e'),
          ),
        ).toBe(true);
      }),
    );
  });
  it('chart labels: shortened with an ellipsis to the width they have, never longer', () => {
    const measure = (s: string) => s.length * 7; // 7 px per character
    expect(fitLabel('short', 100, measure)).toBe('short');
    const long = '65,536 invocations × 64 trips × 4 vec4 chains (start) · FMA roof';
    const fitted = fitLabel(long, 352, measure);
    expect(measure(fitted)).toBeLessThanOrEqual(352);
    // The shape loses its end; the implementation after the last ' · ' stays whole.
    expect(fitted.endsWith('… · FMA roof')).toBe(true);
    expect(long.startsWith(fitted.slice(0, -'… · FMA roof'.length))).toBe(true);
    expect(fitted.length).toBe(50); // the longest that fits
    expect(fitLabel(long, 91, measure)).toBe('6… · FMA roof');
    // Too narrow for the implementation beside the shape's first character: the implementation loses its end.
    expect(fitLabel(long, 77, measure)).toBe('6… · FMA r…');
    // Not one character of the implementation fits: the whole text is cut at its end.
    expect(fitLabel(long, 42, measure)).toBe('65,53…');
    expect(fitLabel(long, 3, measure)).toBe('');
  });

  it('bar layout: labels beside the bars on a wide chart, above them (across the chart) on a narrow one', () => {
    for (let width = 320; width <= 1600; width += 10) {
      const l = barLayout(width);
      expect(l.stacked).toBe(width < STACK_BELOW);
      // The plot stays inside the chart, with room for the value after the longest bar.
      expect(l.plotLeft).toBeGreaterThan(0);
      expect(l.plotLeft + l.plotWidth).toBeLessThanOrEqual(width - 50);
      expect(l.barDy + l.barHeight).toBeLessThanOrEqual(l.row);
      if (l.stacked) {
        // The label's line (12 px text around labelDy) ends above the bar; it spans the chart but for its margins.
        expect(l.labelDy + 6).toBeLessThanOrEqual(l.barDy);
        expect(l.labelX + l.labelWidth).toBeLessThanOrEqual(width);
        expect(l.labelWidth).toBeGreaterThan(0.9 * width);
      } else {
        // Right-aligned at labelX: the label ends before the plot and starts inside the chart.
        expect(l.labelX).toBeLessThan(l.plotLeft);
        expect(l.labelX - l.labelWidth).toBeGreaterThanOrEqual(0);
      }
    }
    // At 390 px a label gets more than twice the room it had beside its bar (152 px): an 'auto' row's implementation fits.
    expect(barLayout(390).labelWidth).toBeGreaterThan(2 * (390 * 0.45 - 8));
  });

  it('chart labels: the bars of one shape stay apart when shortened (each keeps its implementation)', () => {
    const measure = (s: string) => s.length * 7;
    const impls = ['ours: tiled', 'ours: direct', 'ours: vec4', 'ours: subgroup', 'ours: auto → subgroup'];
    for (const width of [200, 260, 400]) {
      const labels = impls.map((i) => fitLabel(`forward Z = A·Wᵀ (16×32·32×32ᵀ) · ${i}`, width, measure));
      labels.forEach((l, k) => {
        expect(measure(l)).toBeLessThanOrEqual(width);
        expect(l.endsWith(impls[k])).toBe(true);
      });
      expect(new Set(labels).size).toBe(impls.length);
    }
  });
  it("chart labels: an 'auto' row keeps its implementation's start like the others, in Korean at 390 px too (walk s10 N7)", () => {
    // About the canvas's 12 px font: Hangul a full em, other characters 0.55 em.
    const measure = (s: string) => [...s].reduce((w, c) => w + (/[\uac00-\ud7af]/.test(c) ? 12 : 6.6), 0);
    const impls = ['우리 커널: tiled', '우리 커널: direct', '우리 커널: vec4', '우리 커널: subgroup', '우리 커널: auto → subgroup 호출당 16×16 (기본값)'];
    for (const shape of ['64×64×64', '배치 4 × 32×32×32', '순전파 Z = A·Wᵀ (16×32·32×32ᵀ)', 'dA = dZ·W (16×32·32×32)']) {
      for (const width of [152, 200, 260, 400]) {
        impls.forEach((impl) => {
          const l = fitLabel(`${shape} · ${impl}`, width, measure);
          expect(measure(l)).toBeLessThanOrEqual(width);
          // The implementation follows ' · ' and keeps its start ('우리 커널: auto → sub…' at 152 px).
          const rest = l.slice(l.indexOf(' · ') + 3);
          expect(l.includes(' · ')).toBe(true);
          expect(impl.startsWith(rest.replace(/…$/, ''))).toBe(true);
          // At least '우리 커널: auto' (at 152 px, 12 px Korean leaves no room for the variant after it).
          expect(rest.replace(/…$/, '').length).toBeGreaterThanOrEqual(Math.min(impl.length, '우리 커널: auto'.length));
          // The shape keeps at least its first character ('6…', '순…').
          const head = l.slice(0, l.indexOf(' · ')).replace(/…$/, '');
          expect(shape.startsWith(head)).toBe(true);
          expect(head.length).toBeGreaterThanOrEqual(1);
        });
        const labels = impls.map((impl) => fitLabel(`${shape} · ${impl}`, width, measure));
        expect(new Set(labels).size).toBe(impls.length);
      }
    }
  });
});

describe('URL debug flags', () => {
  it('reads ?log-wgsl and debug=wgsl from the query or the hash', () => {
    expect(parseDebugFlags('http://x/?log-wgsl#/depth-lab').has('wgsl')).toBe(true);
    expect(parseDebugFlags('http://x/?debug=wgsl,other').has('wgsl')).toBe(true);
    expect(parseDebugFlags('http://x/#/depth-lab?L=3&debug=wgsl').has('wgsl')).toBe(true);
    expect(parseDebugFlags('http://x/#/depth-lab?L=3').has('wgsl')).toBe(false);
    expect(parseDebugFlags('http://x/').size).toBe(0);
  });
  it('the log names the pipeline, file, entry point and constants, then the WGSL', () => {
    const { header, body } = formatPipelineLog({
      label: 'copy.pipeline{WORKGROUP=64}',
      file: 'shaders/copy.wgsl',
      entryPoint: 'main',
      constants: { WORKGROUP: 64, ITEMS: 4 },
      code: 'fn main() {}',
    });
    expect(header).toContain('copy.pipeline');
    expect(header).toContain('shaders/copy.wgsl');
    expect(header).toContain('WORKGROUP=64, ITEMS=4');
    expect(body).toBe('fn main() {}');
  });
});
