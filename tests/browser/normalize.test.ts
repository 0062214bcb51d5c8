// The Normalization lab's engine on real WebGPU (SwiftShader in CI) against its float64 references.
// Data are generated and the float64 references run inside the page (1,000,000-row arrays are not worth
// shipping through the DevTools protocol); the page returns error summaries, asserted here.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, openHarness, type HarnessPage } from '../helpers/browser';
import { makeUniform } from '../../src/kernels/cpu/random';
import { residualSumsqRef } from '../../src/kernels/cpu/residual-sumsq-ref';
import { compareArrays } from '../../src/kernels/compare';

const SUMSQ_WGSL = readFileSync('shaders/residual-sumsq.wgsl', 'utf8');

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
  // Page-side helpers: a dataset builder and relative-error summaries.
  await h.page.evaluate(() => {
    const lib = window.gp.lib;
    type Spec = { mTrain: number; mTest: number; d: number; seed: number; offsets?: number[]; widths?: number[]; shift?: number };
    const makeDs = (s: Spec) => {
      const rng = lib.makeRng(s.seed);
      const offsets = s.offsets ?? Array.from({ length: s.d }, (_, j) => (j % 2 ? 0 : 1));
      const widths = s.widths ?? Array.from({ length: s.d }, (_, j) => (j % 2 ? 1 : 999));
      const w = widths.map((wd) => 3 / wd);
      const split = (m: number, shift: number) => {
        const x = new Float32Array(m * s.d);
        const y = new Float32Array(m);
        for (let r = 0; r < m; r++) {
          let t = 1;
          for (let j = 0; j < s.d; j++) {
            const v = Math.fround(offsets[j] + widths[j] * (rng.uniform() + shift));
            x[r * s.d + j] = v;
            t += w[j] * v;
          }
          y[r] = t + 0.1 * rng.normal();
        }
        return { x, y, m };
      };
      return {
        train: split(s.mTrain, 0),
        test: split(s.mTest, s.shift ?? 0),
        d: s.d,
        featureNames: Array.from({ length: s.d }, (_, j) => `x${j + 1}`),
        targetName: 'y',
        source: { kind: 'csv' as const, fileName: 'test', rows: s.mTrain + s.mTest },
      };
    };
    /** max_i |a − b| / max(|b|, floor), floor default tiny. */
    const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-30) => {
      if (a.length !== b.length) return Infinity;
      let m = 0;
      for (let i = 0; i < a.length; i++) {
        const e = Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor);
        m = Math.max(m, Number.isNaN(e) ? Infinity : e);
      }
      return m;
    };
    (window as unknown as { nt: unknown }).nt = { makeDs, maxRel };
  });
});
afterAll(() => h?.close());

type Spec = { mTrain: number; mTest: number; d: number; seed: number; offsets?: number[]; widths?: number[]; shift?: number };
type Nt = {
  makeDs(s: Spec): import('../../src/index').Dataset;
  maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor?: number): number;
};

describe('residual-sumsq kernel vs float64 reference', () => {
  it('awkward shapes, k = 3 (unrolled) and general k, block sizes', async () => {
    const shapes: [rows: number, k: number, G: number, blockRows: number | undefined][] = [
      [1, 1, 1, undefined],
      [7, 3, 5, undefined],
      [63, 3, 65, undefined],
      [257, 4, 63, 100],
      [1025, 3, 257, undefined],
      [2049, 7, 1, 64],
      [65, 2, 16_384, undefined],
      [9, 3, 6, undefined],
      [3, 5, 2, undefined],
    ];
    for (const [rows, k, G, blockRows] of shapes) {
      const z = makeUniform(rows * k, rows * 31 + k, -3, 5);
      const w = makeUniform(G * k, G * 7 + k, -2, 2);
      const out = await h.page.evaluate(
        async (zs, ws, o) => {
          const { gpu, f32, lib } = window.gp;
          return Array.from(await lib.residualSumsq(gpu!, f32(zs), f32(ws), o));
        },
        b64(z),
        b64(w),
        { rows, k, G, blockRows },
      );
      // Residuals: k-term f32 dot products (≤ γ_k·Σ|terms|; the random terms here rarely cancel more than
      // 10×), then sums of ≤ 1,024 positive f32 terms (≤ 6e-5 relative): 2e-4 bounds both.
      expect(compareArrays(out, residualSumsqRef(z, w, rows, k, G), { rtol: 2e-4, atol: 1e-6 }), `${rows}×${k}·${G}`).toMatchObject({ ok: true });
    }
  });

  it('broken shaders (sum of residuals instead of squares; general-k path wrong) are caught', async () => {
    const cases: [string, number][] = [
      [SUMSQ_WGSL.replace('      acc += e * e;\n    }\n  } else {', '      acc += abs(e);\n    }\n  } else {'), 3],
      [SUMSQ_WGSL.replace('if (g0 + 3u <= last) { out[base + g.w] = acc.w; }', ''), 3],
      [SUMSQ_WGSL.replace('for (var j = 0u; j < k; j++)', 'for (var j = 1u; j < k; j++)'), 4],
    ];
    for (const [code, k] of cases) {
      expect(code).not.toBe(SUMSQ_WGSL);
      const rows = 65;
      const G = 7;
      const z = makeUniform(rows * k, 9, 0.5, 2);
      const w = makeUniform(G * k, 10, 0.5, 2);
      const out = await h.page.evaluate(
        async (zs, ws, code, rows, k, G) => {
          const { gpu, f32, lib } = window.gp;
          const kernel = await lib.createResidualSumsqKernel(gpu!, { code });
          const blocks = kernel.blocks(rows);
          const batch = new lib.GpuBatch(gpu!, 'test.residualSumsq.mutant');
          const o = batch.scratch('test.out', 4 * blocks * G);
          kernel.encode(batch, { z: batch.upload('test.z', f32(zs)), w: batch.upload('test.w', f32(ws)), rows, k, G, out: o });
          const r = batch.read(o, 4 * blocks * G);
          await batch.submit();
          return Array.from(lib.sumBlocks(lib.f32(r), blocks, G));
        },
        b64(z),
        b64(w),
        code,
        rows,
        k,
        G,
      );
      expect(compareArrays(out, residualSumsqRef(z, w, rows, k, G), { rtol: 2e-4, atol: 1e-6 }).ok, `mutant for k = ${k}`).toBe(false);
    }
  });
});

describe('normalizeStudy on the GPU', () => {
  it('μ, σ of 1,000,000 rows with large offsets match float64; standardized train has mean 0, variance 1 to 1e-5; test uses the train μ, σ', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const nt = (window as unknown as { nt: Nt }).nt;
      // x1 = 1e4 + U(0, 1): an f32 μ alone could be off by half an ulp of 1e4 (5e-4 = 0.002 σ).
      const ds = nt.makeDs({ mTrain: 1_000_000, mTest: 1000, d: 2, seed: 42, offsets: [1e4, -3000], widths: [1, 50], shift: 0.3 });
      const study = await lib.normalizeStudy(gpu!, ds, { mode: 'standardize' });
      const ref = lib.columnStatsRef(ds.train.x, ds.train.m, 2);
      const out = lib.momentsRef(study.train.x, study.train.m, 2); // float64 statistics of the GPU's output
      const testRef = lib.transformRef(ds.test.x, ds.test.m, 2, ref.mean, ref.sigma);
      let testErr = 0;
      for (let i = 0; i < testRef.length; i++) testErr = Math.max(testErr, Math.abs(study.test.x[i] - testRef[i]));
      return {
        backend: study.backend,
        muErr: Array.from(study.mu, (m, j) => Math.abs(m - ref.mean[j]) / ref.sigma[j]),
        sigmaRel: Array.from(study.sigma, (s, j) => Math.abs(s / ref.sigma[j] - 1)),
        outMean: Array.from(out.mean),
        outVar: Array.from(out.variance),
        testErr,
        testMean: Array.from(lib.momentsRef(study.test.x, study.test.m, 2).mean),
        testMuIsTrain: Array.from(study.testMu).every((v, j) => v === study.mu[j]) && Array.from(study.testDivisor).every((v, j) => v === study.sigma[j]),
        rowsUsed: study.costGrid.rowsUsed,
      };
    });
    expect(r.backend).toBe('gpu');
    for (let j = 0; j < 2; j++) {
      expect(r.muErr[j], `μ${j + 1} error in σ units`).toBeLessThan(1e-5);
      expect(r.sigmaRel[j], `σ${j + 1} relative error`).toBeLessThan(1e-4);
      expect(Math.abs(r.outMean[j]), `standardized mean of x${j + 1}`).toBeLessThan(1e-5);
      expect(Math.abs(r.outVar[j] - 1), `standardized variance of x${j + 1}`).toBeLessThan(1e-5);
    }
    expect(r.testMuIsTrain).toBe(true);
    // The test set is transformed with the training μ, σ: f32 rounding of values of order 1 only.
    expect(r.testErr).toBeLessThan(1e-5);
    // …so its 0.3-range shift stays visible: 0.3·width/σ = 0.3·√12 ≈ 1.04.
    expect(r.testMean[0]).toBeGreaterThan(0.9);
    expect(r.rowsUsed).toBe(4096);
  });

  it('the cost grid matches a float64 CPU evaluation; κ and 2/λmax match the float64 study', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const nt = (window as unknown as { nt: Nt }).nt;
      const ds = lib.makeDataset({ testShift: 0.5 });
      const out: Record<
        string,
        { grid: number; gridLiteral: number; kappa: number; lr: number; kappaValue: number; min: number; wStar: number; trainCost: number; testCost: number }
      > = {};
      for (const mode of lib.NORMALIZE_MODES) {
        const g = await lib.normalizeStudy(gpu!, ds, { mode });
        const c = await lib.normalizeStudy(null, ds, { mode });
        const cg = g.costGrid;
        // Reference grid on the GPU study's own window, from its transformed data, in float64.
        const rows = lib.subsampleRows(g.train.m, lib.STUDY_LIMITS.gridRows);
        const z = lib.gridDataRef(g.train.x, g.train.y, 2, rows, g.trainMean!, g.yMean!, g.optimum.w, cg.axes);
        const ref = lib.costGridRef(z, rows.length, { x: cg.x, y: cg.y }, cg.size);
        // A few points literally, 1/(2m) Σ (x·w + b*(w) − y)², independent of the moment form.
        let literal = 0;
        for (const [rr, cc] of [
          [0, 0],
          [17, 101],
          [64, 64],
          [127, 127],
          [90, 5],
        ]) {
          const w = [lib.gridCoordinate(cg.x, cc, cg.size), lib.gridCoordinate(cg.y, rr, cg.size)];
          const b = lib.optimalBias(w, g.trainMean!, g.yMean!);
          const j = lib.costRef(g.train.x, g.train.y, g.train.m, 2, w, b);
          literal = Math.max(literal, Math.abs(cg.values[rr * cg.size + cc] / j - 1));
        }
        out[mode] = {
          grid: nt.maxRel(cg.values, ref),
          gridLiteral: literal,
          kappa: Math.abs(g.kappa / c.kappa - 1),
          lr: Math.abs(g.maxStableLr / c.maxStableLr - 1),
          kappaValue: g.kappa,
          min: Math.min(...cg.values) / g.optimum.trainCost,
          wStar: nt.maxRel(g.optimum.w, c.optimum.w),
          trainCost: Math.abs(g.optimum.trainCost / c.optimum.trainCost - 1),
          testCost: Math.abs(g.optimum.testCost! / c.optimum.testCost! - 1),
        };
      }
      return out;
    });
    for (const [mode, e] of Object.entries(r)) {
      // Grid: residuals z·w − y of 3 f32 terms (≤ 3·2⁻²⁴ relative to Σ|terms|, ≲ 30× the residual near
      // the valley) squared and summed in blocks of ≤ 1,024 (≤ 6e-5): 1e-4 bounds both.
      expect(e.grid, `${mode}: grid vs float64`).toBeLessThan(1e-4);
      expect(e.gridLiteral, `${mode}: grid vs literal cost`).toBeLessThan(1e-4);
      expect(e.min, `${mode}: no grid value below J*`).toBeGreaterThan(1 - 1e-4);
      // H: entries are f32 sums of ≤ 1,024 products, added in float64: ≤ 6e-5 relative each; κ of 10⁶
      // amplifies the error of λmin relative to λmax at most by the off-diagonal correlation (small here).
      expect(e.kappa, `${mode}: κ`).toBeLessThan(1e-3);
      expect(e.lr, `${mode}: 2/λmax`).toBeLessThan(1e-4);
      expect(e.wStar, `${mode}: w*`).toBeLessThan(1e-3);
      expect(e.trainCost, `${mode}: J* train`).toBeLessThan(1e-4);
      expect(e.testCost, `${mode}: J* test`).toBeLessThan(1e-4);
    }
    expect(r.raw.kappaValue).toBeGreaterThan(3e5);
    expect(r.raw.kappaValue).toBeLessThan(3e6);
    expect(r.standardize.kappaValue).toBeLessThan(1.2);
    expect(r['divide-variance'].kappaValue).toBeGreaterThan(3e5);
  });

  it('descent: lr = 1.05·2/λmax diverges, 0.95·2/λmax converges; GPU and CPU final costs agree', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const ds = lib.makeDataset({ testShift: 0.2 });
      const res: Record<
        string,
        {
          above: boolean;
          aboveConverged: boolean;
          below: boolean;
          belowDiverged: boolean;
          steps: number;
          trainRel: number;
          testRel: number;
          vsCpuTrain: number;
          vsCpuTest: number;
        }
      > = {};
      for (const mode of ['standardize', 'raw'] as const) {
        const s = await lib.normalizeStudy(gpu!, ds, { mode });
        const above = await lib.gradientDescent(gpu, s, { lr: 1.05 * s.maxStableLr, steps: 20_000, tol: 1e-6 });
        const below = await lib.gradientDescent(gpu, s, { lr: 0.95 * s.maxStableLr, steps: 20_000, tol: 1e-6 });
        const belowCpu = await lib.gradientDescent(null, s, { lr: 0.95 * s.maxStableLr, steps: 20_000, tol: 1e-6 });
        const last = below.path.subarray(below.steps * 2, below.steps * 2 + 2);
        const b = lib.optimalBias(last, s.trainMean!, s.yMean!);
        res[mode] = {
          above: above.diverged,
          aboveConverged: above.converged,
          below: below.converged,
          belowDiverged: below.diverged,
          steps: below.steps,
          trainRel: Math.abs(below.trainCost / lib.costRef(s.train.x, s.train.y, s.train.m, 2, last, b) - 1),
          testRel: Math.abs(below.testCost / lib.costRef(s.test.x, s.test.y, s.test.m, 2, last, b) - 1),
          vsCpuTrain: Math.abs(below.trainCost / belowCpu.trainCost - 1),
          vsCpuTest: Math.abs(below.testCost / belowCpu.testCost - 1),
        };
      }
      return res;
    });
    expect(r.standardize.above).toBe(true);
    expect(r.standardize.aboveConverged).toBe(false);
    expect(r.standardize.below).toBe(true);
    expect(r.standardize.steps).toBeLessThan(100);
    expect(r.raw.above).toBe(true);
    expect(r.raw.belowDiverged).toBe(false);
    // κ ≈ 10⁶: 20,000 steps at the largest stable rate are nowhere near enough (the lesson).
    expect(r.raw.below).toBe(false);
    for (const mode of ['standardize', 'raw'] as const) {
      // Final costs evaluated on the GPU: f32 residuals, summed in blocks, finished in float64.
      expect(r[mode].trainRel, `${mode}: train cost`).toBeLessThan(1e-4);
      expect(r[mode].testRel, `${mode}: test cost`).toBeLessThan(1e-4);
      expect(r[mode].vsCpuTrain).toBeLessThan(1e-4);
      expect(r[mode].vsCpuTest).toBeLessThan(1e-4);
    }
  });

  it('awkward sizes (7, 65, 257, 1,031 rows; d = 3 and 6) give the same numbers with gpu = null and on the GPU', async () => {
    const specs: Spec[] = [
      { mTrain: 7, mTest: 3, d: 2, seed: 1 },
      { mTrain: 65, mTest: 7, d: 2, seed: 2, shift: 0.4 },
      { mTrain: 257, mTest: 63, d: 3, seed: 3, offsets: [1, 0, 100], widths: [999, 1, 10] },
      { mTrain: 1031, mTest: 257, d: 2, seed: 4 },
      { mTrain: 120, mTest: 30, d: 6, seed: 5, offsets: [1, 0, 100, -5, 1e3, 7], widths: [999, 1, 10, 2, 50, 0.5] },
    ];
    for (const spec of specs) {
      const r = await h.page.evaluate(async (spec) => {
        const { gpu, lib } = window.gp;
        const nt = (window as unknown as { nt: Nt }).nt;
        const ds = nt.makeDs(spec);
        const out: Record<string, Record<string, number>> = {};
        const axes: [number, number] = spec.d === 3 ? [0, 2] : spec.d === 6 ? [4, 1] : [0, 1];
        for (const mode of lib.NORMALIZE_MODES) {
          const g = await lib.normalizeStudy(gpu!, ds, { mode, axes });
          const c = await lib.normalizeStudy(null, ds, { mode, axes });
          const sigmaFloor = Math.min(...c.sigma);
          out[mode] = {
            mu: Math.max(...Array.from(g.mu, (m, j) => Math.abs(m - c.mu[j]) / c.sigma[j])),
            sigma: nt.maxRel(g.sigma, c.sigma),
            trainX: nt.maxRel(g.train.x, c.train.x, mode === 'raw' ? 1e-30 : 1e-3),
            testX: nt.maxRel(g.test.x, c.test.x, mode === 'raw' ? 1e-30 : 1e-3),
            hessian: nt.maxRel(g.hessian, c.hessian, 1e-6 * Math.max(...c.hessian.map(Math.abs))),
            lambdaMax: Math.abs(g.lambdaMax / c.lambdaMax - 1),
            kappa: Math.abs(g.kappa / c.kappa - 1),
            trainCost: Math.abs(g.optimum.trainCost / c.optimum.trainCost - 1),
            testCost: Math.abs(g.optimum.testCost! / c.optimum.testCost! - 1),
            window: Math.abs(g.costGrid.x.min - c.costGrid.x.min) / (c.costGrid.x.max - c.costGrid.x.min),
            rowsUsed: g.costGrid.rowsUsed - spec.mTrain,
            sigmaFloor,
          };
        }
        return out;
      }, spec);
      for (const [mode, e] of Object.entries(r)) {
        const what = `${spec.mTrain} rows, d = ${spec.d}, ${mode}`;
        expect(e.mu, `${what}: μ`).toBeLessThan(1e-5);
        expect(e.sigma, `${what}: σ`).toBeLessThan(1e-4);
        expect(e.trainX, `${what}: transformed train`).toBeLessThan(1e-4);
        expect(e.testX, `${what}: transformed test`).toBeLessThan(1e-4);
        expect(e.hessian, `${what}: H`).toBeLessThan(1e-4);
        expect(e.lambdaMax, `${what}: λmax`).toBeLessThan(1e-4);
        expect(e.kappa, `${what}: κ`).toBeLessThan(1e-3);
        // f32 residuals of a few terms, summed in blocks of ≤ 1,024 and finished in float64.
        expect(e.trainCost, `${what}: J* train`).toBeLessThan(1e-4);
        expect(e.testCost, `${what}: J* test`).toBeLessThan(1e-4);
        expect(e.window, `${what}: grid window`).toBeLessThan(1e-3);
        expect(e.rowsUsed).toBe(0);
      }
    }
  });

  it('bad options are rejected with a specific message before any GPU work', async () => {
    const messages = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const ds = lib.makeDataset({ m: 100 });
      const msg = async (p: Promise<unknown>) =>
        p.then(
          () => 'no error',
          (e: Error) => `${e.name}: ${e.message}`,
        );
      const s = await lib.normalizeStudy(gpu!, ds, { mode: 'standardize' });
      return [
        await msg(lib.normalizeStudy(gpu!, ds, { mode: 'minmax' as never })),
        await msg(lib.normalizeStudy(gpu!, ds, { mode: 'raw', gridSize: 1000 })),
        await msg(lib.gradientDescent(gpu, s, { lr: -1, steps: 10, tol: 1e-6 })),
        await msg(lib.gradientDescent(gpu, s, { lr: 0.1, steps: 10, tol: 1e-6, start: [1, 2, 3] })),
      ];
    });
    expect(messages[0]).toMatch(/^InputError: mode: must be one of raw, standardize, divide-variance, test-own-stats; got "minmax"/);
    expect(messages[1]).toMatch(/^InputError: gridSize: .* from 128 to 512; got 1000/);
    expect(messages[2]).toMatch(/^InputError: lr: must be a finite learning rate > 0/);
    expect(messages[3]).toMatch(/^InputError: start: must be 2 finite numbers/);
  });
});
