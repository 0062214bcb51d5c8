import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { LAYER_STAT_NAMES, type LayerStats, type LayerStatuses } from '../../src/labs/depth/types';
import { INIT_SCHEMES, type DeepNetConfig } from '../../src/labs/depth/config';
import { ACTIVATIONS } from '../../src/kernels/activations';
import { compareArrays } from '../../src/kernels/compare';
import type { DeepNetRun } from '../../src/labs/depth/deep-net';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

interface PlainRun {
  loss: number;
  layers: Record<string, number[]>;
  status: LayerStatuses;
  /** `classifyLayers` of the values, before 'lost' is propagated (what f32 literally holds). */
  raw?: LayerStatuses;
  wallMs: number;
}

/** Runs runDeepNet in the page and brings back plain arrays. */
async function gpuRun(config: DeepNetConfig): Promise<PlainRun> {
  return h.page.evaluate(async (cfg) => {
    const { gpu } = window.gp;
    const { runDeepNet, classifyLayers } = window.gp.lib;
    const run = await runDeepNet(gpu!, cfg);
    const layers: Record<string, number[]> = {};
    for (const [k, v] of Object.entries(run.layers)) layers[k] = Array.from(v as Float64Array);
    return { loss: run.loss, layers, status: run.status, raw: classifyLayers(run.layers), wallMs: run.wallMs };
  }, config);
}

/**
 * Values must agree wherever the reference is finite, and statuses everywhere — except downstream of an
 * f32 overflow: there the GPU's ∞ meets a weight of 0 (0·∞ = NaN) or ∞ − ∞ in a variance, so the GPU may
 * say NaN (or overflow) where float64 still has a number. Downstream means: forward statistics of layers
 * at or after the first forward overflow; every gradient once the forward pass overflowed, or at or before
 * (backward runs from L to 1) a layer whose gradient overflowed.
 */
function expectMatches(gpu: PlainRun, ref: { layers: LayerStats; status: LayerStatuses; loss: number }, rtol: number, what: string) {
  const over = (name: keyof LayerStats) => ref.status[name].map((s) => s === 'overflow');
  const fwdOver = over('actNorm').map((o, i) => o || over('zMean')[i] || over('zVar')[i]);
  const firstFwd = fwdOver.indexOf(true);
  const gradOver = over('gradActNorm').map((o, i) => o || over('gradWNorm')[i]);
  const lastGrad = gradOver.lastIndexOf(true);
  const poisoned = (name: string, i: number) => (name.startsWith('grad') ? firstFwd >= 0 || i <= lastGrad : firstFwd >= 0 && i >= firstFwd);
  for (const name of LAYER_STAT_NAMES) {
    const mismatched = ref.status[name].flatMap((s, i) => {
      const g = gpu.status[name][i];
      const ok = s === g || (poisoned(name, i) && (g === 'nan' || g === 'overflow'));
      return ok ? [] : [`layer ${i + 1}: gpu ${g} ${gpu.layers[name][i]}, ref ${s} ${ref.layers[name][i]}`];
    });
    expect(mismatched, `${what}: status of ${name}`).toEqual([]);
    const finite = ref.status[name].map((s, i) => s === 'finite' && gpu.status[name][i] === 'finite');
    const g = gpu.layers[name].filter((_, i) => finite[i]);
    const r = Array.from(ref.layers[name]).filter((_, i) => finite[i]);
    // atol: zMean and zVar can be legitimately ~0 (e.g. all-ones input through an identity net).
    const scale = Math.max(1e-30, ...r.map(Math.abs));
    const cmp = compareArrays(g, r, { rtol, atol: rtol * scale * 1e-3 });
    expect(cmp, `${what}: ${name}`).toMatchObject({ ok: true });
  }
}

const base: DeepNetConfig = { depth: 4, width: 7, batch: 5, activation: 'linear', init: 'normal', gain: 1, seed: 3, input: 'normal' };

describe('runDeepNet vs float64 forward/backward', () => {
  for (const activation of ACTIVATIONS) {
    it(`every init, ${activation}, small awkward nets`, async () => {
      for (const init of INIT_SCHEMES) {
        const config: DeepNetConfig = { ...base, activation, init, gain: init === 'identity' ? 1.1 : 1 };
        const gpu = await gpuRun(config);
        const ref = deepNetRef(config);
        // f32 through 4 layers of width 7: a few ulps per op; 1e-4 leaves margin for tanh/sigmoid.
        expectMatches(gpu, ref, 1e-4, `${activation}/${init}`);
        expect(Math.abs(gpu.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
      }
    });
  }

  it('odd shapes: width 1, batch 1, depth 1; width 65, batch 63, depth 3', async () => {
    for (const shape of [
      { width: 1, batch: 1, depth: 1 },
      { width: 65, batch: 63, depth: 3 },
      { width: 33, batch: 257, depth: 2 },
    ]) {
      const config: DeepNetConfig = { ...base, ...shape, activation: 'tanh', init: 'xavier-uniform' };
      expectMatches(await gpuRun(config), deepNetRef(config), 1e-4, JSON.stringify(shape));
    }
  });
});

describe("the lecture's cases", () => {
  it('W = 1.5·I, n = 2, x = (1,1): ‖a[l]‖ = 1.5^l·√2 to 1e-5, and f32 overflow shows where float64 passes 1e38', async () => {
    const config: DeepNetConfig = { depth: 240, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, seed: 1, input: 'ones' };
    const gpu = await gpuRun(config);
    const ref = deepNetRef(config);
    expectMatches(gpu, ref, 1e-5, '1.5·I');
    const act = gpu.layers.actNorm;
    for (const l of [1, 10, 100, 200]) expect(Math.abs(act[l - 1] / (1.5 ** l * Math.SQRT2) - 1)).toBeLessThan(1e-5);
    const firstOverflow = gpu.status.actNorm.indexOf('overflow') + 1;
    // 1.5^l·√2 > 1e38 from l = 215 on (1.5^215·√2 ≈ 1.02e38); f32 itself runs out at l = 219 (1.5^219 >
    // 3.4e38) and the next layer computes 1.5·∞ + 0·∞ = NaN. Every value computed after the overflow at
    // 215 — the later layers and every gradient (‖dW‖ = n·1.5^(2L−1) is far past f32 anyway) — is 'lost'.
    expect(firstOverflow).toBe(215);
    expect(gpu.raw!.actNorm[217]).toBe('overflow');
    expect(gpu.raw!.actNorm[218]).toBe('overflow');
    expect(gpu.raw!.actNorm[219]).toBe('nan');
    expect(new Set(gpu.status.actNorm.slice(215))).toEqual(new Set(['lost']));
    expect(new Set(gpu.status.gradWNorm)).toEqual(new Set(['lost']));
    expect(new Set(gpu.status.gradActNorm)).toEqual(new Set(['lost']));
  });

  it('W = 0.5·I: activations 1/2, 1/4, 1/8 … per unit, underflow where float64 falls below 1e-37', async () => {
    const config: DeepNetConfig = { depth: 160, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 0.5, seed: 1, input: 'ones' };
    const gpu = await gpuRun(config);
    const ref = deepNetRef(config);
    expectMatches(gpu, ref, 1e-5, '0.5·I');
    for (const l of [1, 2, 3, 50, 120]) expect(gpu.layers.actNorm[l - 1] / Math.SQRT2).toBeCloseTo(0.5 ** l, 12 + Math.ceil(l * 0.302));
    expect(gpu.status.actNorm.indexOf('underflow') + 1).toBe(ref.status.actNorm.indexOf('underflow') + 1);
    expect(gpu.status.actNorm[159]).toBe('underflow');
  });
});

describe('random init at width 512 (mean-field slopes)', () => {
  // ‖a[l]‖² changes by n·Var(W)·k per layer: He+ReLU → 1, Xavier+ReLU → ½. ln ‖a[l]‖² is a random
  // walk: each layer adds ln(factor) plus noise. The batch doesn't average the noise away (all examples
  // meet the same W, and ReLU nets align their inputs after a few layers), so the per-layer noise is that of
  // one χ²-like ratio, std ≈ √(5/n) ≈ 0.1 at n = 512 (measured 0.06–0.1 over seeds with the float64
  // reference). The mean step over L − 1 = 15 layers then has std ≈ 0.1/√15 ≈ 0.026; a tolerance of 0.1 is
  // ≈ 4σ, yet a wrong variance or a missing ReLU ½ (both ln 2 = 0.69 away) fails by far.
  const slope = (act: number[]) => (Math.log(act[act.length - 1] ** 2) - Math.log(act[0] ** 2)) / (act.length - 1);
  for (const [init, expected] of [
    ['he-normal', 0],
    ['xavier-normal', Math.log(0.5)],
  ] as const) {
    it(`${init} + ReLU: ln ‖a‖² slope ≈ ${expected.toFixed(3)} per layer`, async () => {
      const config: DeepNetConfig = { depth: 16, width: 512, batch: 32, activation: 'relu', init, gain: 1, seed: 7, input: 'normal' };
      const gpu = await gpuRun(config);
      expect(Math.abs(slope(gpu.layers.actNorm) - expected)).toBeLessThan(0.1);
      if (init === 'he-normal') {
        // The same run in float64 (about 5 s of CPU): the GPU's wide matmuls are right, not just the trend.
        const ref = deepNetRef(config);
        expect(compareArrays(gpu.layers.actNorm, ref.layers.actNorm, { rtol: 1e-4, atol: 0 })).toMatchObject({ ok: true });
        expect(compareArrays(gpu.layers.gradWNorm, ref.layers.gradWNorm, { rtol: 1e-4, atol: 0 })).toMatchObject({ ok: true });
      }
    });
  }
});

describe('runSweep', () => {
  it('yields rows as they finish; a cancelled sweep stops and keeps its finished rows', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      const { runSweep } = window.gp.lib;
      const base = { depth: 1, width: 16, batch: 8, activation: 'relu', init: 'he-normal', gain: 1, seed: 2, input: 'normal' } as const;
      const controller = new AbortController();
      const rows: { label: string; depth: number; layers: number }[] = [];
      const progress: number[] = [];
      let error = '';
      try {
        for await (const row of runSweep(
          gpu!,
          { base, spec: { kind: 'depth', depths: [1, 2, 3, 4, 5, 6] } },
          {
            signal: controller.signal,
            onProgress: (p: { done: number }) => progress.push(p.done),
          },
        )) {
          rows.push({ label: row.label, depth: row.config.depth, layers: row.run.layers.actNorm.length });
          if (rows.length === 3) controller.abort();
        }
      } catch (e) {
        error = (e as Error).name;
      }
      return { rows, progress, error };
    });
    expect(r.error).toBe('AbortError');
    expect(r.rows.map((x) => x.depth)).toEqual([1, 2, 3]);
    expect(r.rows.map((x) => x.layers)).toEqual([1, 2, 3]);
    expect(r.progress).toEqual([1, 2, 3]);
  });

  it('aborting a run in flight rejects with AbortError at once and leaves the context usable', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      // Big enough (~0.25 GFLOP) that the GPU is still busy when the abort lands.
      const cfg = { depth: 40, width: 128, batch: 64, activation: 'tanh', init: 'xavier-normal', gain: 1, seed: 3, input: 'normal' } as const;
      const before = await lib.runDeepNet(gpu!, cfg);
      const controller = new AbortController();
      const pending = lib.runDeepNets(gpu!, [cfg, { ...cfg, depth: 12 }], { signal: controller.signal });
      // Let it get as far as submitting, then cancel while the GPU is busy.
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.abort();
      let error = '';
      try {
        await pending;
      } catch (e) {
        error = (e as Error).name;
      }
      const after = await lib.runDeepNet(gpu!, cfg);
      return { error, same: JSON.stringify(Array.from(after.layers.gradWNorm)) === JSON.stringify(Array.from(before.layers.gradWNorm)) };
    });
    expect(r.error).toBe('AbortError');
    expect(r.same).toBe(true);
  });

  it('runDeepNets: nets of several depths in one submission give exactly the lone runs, in input order', async () => {
    for (const activation of ['relu', 'sigmoid'] as const) {
      const r = await h.page.evaluate(async (activation) => {
        const { gpu, lib } = window.gp;
        const base = { depth: 1, width: 13, batch: 6, activation, init: 'he-normal', gain: 1.2, seed: 9, input: 'normal' } as const;
        const depths = [3, 7, 1, 5];
        const together = await lib.runDeepNets(
          gpu!,
          depths.map((depth) => ({ ...base, depth })),
        );
        const alone = [];
        for (const depth of depths) alone.push(await lib.runDeepNet(gpu!, { ...base, depth }));
        const plain = (run: DeepNetRun) => ({
          depth: run.config.depth,
          loss: run.loss,
          layers: Object.fromEntries(Object.entries(run.layers).map(([k, v]) => [k, Array.from(v)])),
        });
        return { together: together.map(plain), alone: alone.map(plain) };
      }, activation);
      expect(r.together.map((x) => x.depth)).toEqual([3, 7, 1, 5]);
      expect(r.together).toEqual(r.alone);
    }
  });

  it('a depth sweep in chunks of several rows matches the float64 reference row by row', async () => {
    const base: DeepNetConfig = { depth: 1, width: 24, batch: 5, activation: 'tanh', init: 'xavier-normal', gain: 1.5, seed: 4, input: 'normal' };
    const rows = await h.page.evaluate(async (base) => {
      const { gpu, lib } = window.gp;
      const out: { depth: number; loss: number; layers: Record<string, number[]>; status: LayerStatuses }[] = [];
      for await (const row of lib.runSweep(gpu!, { base, spec: { kind: 'depth', depths: lib.depthRange(1, 24) } })) {
        const layers = Object.fromEntries(Object.entries(row.run.layers).map(([k, v]) => [k, Array.from(v as Float64Array)]));
        out.push({ depth: row.config.depth, loss: row.run.loss, layers, status: row.run.status });
      }
      return out;
    }, base);
    expect(rows.map((r) => r.depth)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    for (const row of rows) {
      const ref = deepNetRef({ ...base, depth: row.depth });
      expectMatches({ ...row, wallMs: 0 }, ref, 1e-4, `depth ${row.depth}`);
    }
  });

  for (const spec of [
    { kind: 'gain', gains: [0.5, 1, 1.7] },
    { kind: 'init', inits: ['identity', 'normal', 'xavier-uniform', 'lecun-normal'] },
  ] as const) {
    it(`a ${spec.kind} sweep (one submission per row, new weights per row) matches the float64 reference`, async () => {
      const base: DeepNetConfig = { depth: 6, width: 17, batch: 3, activation: 'sigmoid', init: 'he-normal', gain: 1, seed: 12, input: 'normal' };
      const rows = await h.page.evaluate(
        async (base, spec) => {
          const { gpu, lib } = window.gp;
          const out: { config: DeepNetConfig; loss: number; layers: Record<string, number[]>; status: LayerStatuses }[] = [];
          for await (const row of lib.runSweep(gpu!, { base, spec: structuredClone(spec) as never })) {
            const layers = Object.fromEntries(Object.entries(row.run.layers).map(([k, v]) => [k, Array.from(v as Float64Array)]));
            out.push({ config: row.config, loss: row.run.loss, layers, status: row.run.status });
          }
          return out;
        },
        base,
        spec,
      );
      const values = spec.kind === 'gain' ? spec.gains : spec.inits;
      expect(rows).toHaveLength(values.length);
      rows.forEach((row, i) => {
        expect(spec.kind === 'gain' ? row.config.gain : row.config.init).toBe(values[i]);
        expectMatches({ ...row, wallMs: 0 }, deepNetRef(row.config), 1e-4, `${spec.kind} row ${i}`);
      });
    });
  }

  it('rows of a depth sweep share weights: row L equals a lone run of depth L', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu } = window.gp;
      const { runSweep } = window.gp.lib;
      const { runDeepNet } = window.gp.lib;
      const base = { depth: 1, width: 9, batch: 4, activation: 'tanh', init: 'xavier-normal', gain: 1.3, seed: 5, input: 'normal' } as const;
      const swept: number[][] = [];
      for await (const row of runSweep(gpu!, { base, spec: { kind: 'depth', depths: [5, 2] } }))
        swept.push(Array.from(row.run.layers.gradWNorm as Float64Array));
      const lone = await runDeepNet(gpu!, { ...base, depth: 2 });
      return { swept, lone: Array.from(lone.layers.gradWNorm as Float64Array) };
    });
    expect(r.swept[1]).toEqual(r.lone);
    expect(r.swept[0].length).toBe(5);
  });
});
