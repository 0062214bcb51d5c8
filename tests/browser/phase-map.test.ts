import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { buildPhaseMap, phaseMapConfigs, type PhaseMapSpec } from '../../src/labs/depth/phase-map';

// The gain × depth phase map on the GPU: its cells against the float64 reference, and its measured boundary
// against the mean-field prediction.

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

interface PlainMap {
  values: number[];
  status: string[];
  measuredGain: (number | null)[];
  predictedGain: number | null;
}

/** Runs the map's sweep on the GPU in the page and builds both maps there. */
async function gpuMaps(base: DeepNetConfig, spec: PhaseMapSpec): Promise<{ forward: PlainMap; backward: PlainMap }> {
  return h.page.evaluate(
    async (base, spec) => {
      const { gpu } = window.gp;
      const { runSweep, phaseMapSweep, buildPhaseMap } = window.gp.lib;
      const runs: Awaited<ReturnType<typeof window.gp.lib.runDeepNet>>[] = [];
      for await (const r of runSweep(gpu!, phaseMapSweep(base, spec))) runs.push(r.run);
      const plain = (q: 'forward' | 'backward') => {
        const m = buildPhaseMap(base, spec, runs, q);
        return { values: Array.from(m.values), status: m.status, measuredGain: m.measuredGain, predictedGain: m.predictedGain };
      };
      return { forward: plain('forward'), backward: plain('backward') };
    },
    base,
    spec,
  );
}

describe('phase map on the GPU', () => {
  it('matches the float64 reference cell by cell on an awkward shape (width 37, batch 5, tanh, depths 1…13)', async () => {
    const base = validateDeepNetConfig({ width: 37, batch: 5, activation: 'tanh', init: 'xavier-normal', input: 'normal', seed: 7 });
    const spec = { gains: [0.6, 1, 1.3, 2.2], depths: [1, 2, 5, 8, 13] };
    const gpu = await gpuMaps(base, spec);
    const runs = phaseMapConfigs(base, spec).map((c) => deepNetRef(c));
    for (const q of ['forward', 'backward'] as const) {
      const ref = buildPhaseMap(base, spec, runs, q);
      expect(gpu[q].status).toEqual(ref.status);
      gpu[q].values.forEach((v, i) => expect(Math.abs(v - ref.values[i]), `${q} cell ${i}`).toBeLessThan(1e-4));
      expect(gpu[q].predictedGain).toBe(ref.predictedGain);
    }
  });

  it('an exploding identity net marks cells past f32 as overflow/lost, not as numbers', async () => {
    const base = validateDeepNetConfig({ width: 8, batch: 2, activation: 'linear', init: 'identity', input: 'ones' });
    // ‖a[L]‖ = √8·2^L passes 1e38 first at L = 125; every later layer is computed from that overflow.
    const map = (await gpuMaps(base, { gains: [1, 2], depths: [10, 125, 200] })).forward;
    expect(map.status).toEqual(['finite', 'finite', 'finite', 'finite', 'overflow', 'lost']);
    expect(map.values[4]).toBeNull(); // NaN crosses the DevTools protocol as null
  });

  for (const [activation, init] of [
    ['linear', 'xavier-normal'],
    ['relu', 'he-normal'],
  ] as const) {
    it(`${activation} + ${init} at width 512, depth 50: the measured boundary is within 5 % of the predicted gain`, async () => {
      const base = validateDeepNetConfig({ width: 512, batch: 32, activation, init, input: 'normal', seed: 3 });
      const maps = await gpuMaps(base, { gains: [0.9, 0.95, 1, 1.05, 1.1], depths: [50] });
      const fwd = maps.forward;
      expect(fwd.predictedGain).toBe(1);
      expect(fwd.measuredGain[0]).not.toBeNull();
      expect(Math.abs(fwd.measuredGain[0]! - 1)).toBeLessThan(0.05);
      // Backward, the lab's zero targets send the gradient into layer L along the net's output, which the
      // Jacobians amplify more than a random direction (for linear nets by √(L + 1) at the critical gain), so
      // the measured boundary sits a few per cent below the mean-field gain: 4 % for linear nets at L = 50.
      const bwd = maps.backward;
      expect(bwd.predictedGain).toBe(1);
      expect(bwd.measuredGain[0]).not.toBeNull();
      expect(bwd.measuredGain[0]!).toBeLessThan(1);
      expect(bwd.measuredGain[0]!).toBeGreaterThan(0.92);
    });
  }
});
