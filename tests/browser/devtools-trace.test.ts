// DevTools integration: a Performance trace recorded with Puppeteer holds the "GPU kernels" track entries
// (performance.measure with detail.devtools) for each timed dispatch, named by kernel and shape, with the
// GPU duration as a property; and the ?log-wgsl URL flag logs each pipeline's WGSL and constants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  args?: Record<string, unknown>;
}

describe('DevTools Performance trace', () => {
  let h: HarnessPage;
  beforeAll(async () => {
    h = await openHarness();
  });
  afterAll(() => h?.close());

  it('a timed depth-lab run puts one entry per kernel dispatch on the "GPU kernels" track', async () => {
    await h.page.tracing.start({ categories: ['devtools.timeline', 'blink.user_timing'] });
    const run = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const r = await lib.runDeepNet(gpu!, { depth: 3, width: 8, batch: 4, activation: 'relu', init: 'he-normal', gain: 1, seed: 3, input: 'normal' }, { timing: true });
      // Let the measures reach the trace before it stops.
      await new Promise((res) => setTimeout(res, 100));
      return { labels: r.timings.map((t) => t.label), hasTimestamps: gpu!.hasTimestamps };
    });
    const trace = JSON.parse(Buffer.from((await h.page.tracing.stop())!).toString('utf8')) as { traceEvents: TraceEvent[] };
    expect(run.hasTimestamps).toBe(true); // SwiftShader offers timestamp-query; without it nothing is timed
    expect(run.labels.length).toBeGreaterThan(0);

    // performance.measure → blink.user_timing async begin events whose args carry the detail (JSON).
    const entries = trace.traceEvents.filter((e) => e.cat.includes('blink.user_timing') && (e.ph === 'b' || e.ph === 'R' || e.ph === 'X' || e.ph === 'I'));
    const onTrack = entries.filter((e) => JSON.stringify(e.args ?? {}).includes('GPU kernels'));
    const names = new Set(onTrack.map((e) => e.name));
    for (const label of run.labels) expect(names, `track entry for ${label}`).toContain(label);
    expect([...names].some((n) => n.startsWith('matmul['))).toBe(true);
    expect([...names].some((n) => n.startsWith('norms['))).toBe(true);
    expect([...names].some((n) => n.startsWith('moments.'))).toBe(true);
    // The entry's detail: track-entry data type, the track, and the GPU duration as a property.
    const detail = JSON.stringify(onTrack.find((e) => e.name.startsWith('matmul['))!.args);
    expect(detail).toContain('track-entry');
    expect(detail).toContain('GPU duration');
    expect(detail).toContain('anchored at');
  });

  it('measures are anchored at CPU submit time: they start after the run began and no later than it ended', async () => {
    const out = await h.page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      performance.clearMeasures();
      const t0 = performance.now();
      const k = await lib.createCopyKernel(gpu!);
      const batch = new lib.GpuBatch(gpu!, 'anchor', { timing: true });
      const src = batch.upload('src', new Float32Array(4096));
      const dst = batch.scratch('dst', 4 * 4096);
      k.encode(batch, { src, dst, count: 4096 });
      k.encode(batch, { src, dst, count: 4096 });
      await batch.submit();
      const t1 = performance.now();
      const m = performance.getEntriesByType('measure').filter((e) => e.name === 'copy[4096]') as PerformanceMeasure[];
      return { t0, t1, starts: m.map((e) => e.startTime), details: m.map((e) => e.detail), timings: batch.timings };
    });
    expect(out.starts).toHaveLength(2);
    for (const s of out.starts) {
      expect(s).toBeGreaterThanOrEqual(out.t0);
      expect(s).toBeLessThanOrEqual(out.t1);
    }
    expect(out.starts[1]).toBeGreaterThanOrEqual(out.starts[0]); // second pass after the first, on the GPU clock
    const props = Object.fromEntries((out.details[0] as { devtools: { properties: [string, string][] } }).devtools.properties);
    expect(props['GPU duration']).toBe(`${out.timings[0].ms.toFixed(3)} ms`);
    expect((out.details[0] as { devtools: { track: string; dataType: string } }).devtools).toMatchObject({ track: 'GPU kernels', dataType: 'track-entry' });
  });
});

describe('?log-wgsl URL flag', () => {
  it('logs each pipeline’s WGSL, entry point and constants once when it is created', async () => {
    const h = await openHarness('/tests/browser/harness.html?log-wgsl');
    const logs: string[] = [];
    h.page.on('console', (m) => logs.push(m.text()));
    try {
      await h.page.evaluate(async () => {
        const { lib } = window.gp;
        await window.gp.ready;
        await lib.fmaRoof(window.gp.gpu!, 64, 300);
        await lib.fmaRoof(window.gp.gpu!, 64, 300); // cached pipeline: no second log
      });
      const fma = logs.filter((l) => l.includes('[gp wgsl]') && l.includes('shaders/fma-roof.wgsl') && l.includes('override ITERS'));
      expect(fma).toHaveLength(1);
      expect(fma[0]).toContain('ITERS=300');
      expect(fma[0]).toContain('entry point main');
      expect(fma[0]).toContain('@compute'); // the WGSL itself
    } finally {
      await h.close();
    }
  });

  it('logs nothing without the flag', async () => {
    const h = await openHarness();
    const logs: string[] = [];
    h.page.on('console', (m) => logs.push(m.text()));
    try {
      await h.page.evaluate(async () => {
        await window.gp.lib.fmaRoof(window.gp.gpu!, 64, 301);
      });
      expect(logs.filter((l) => l.includes('[gp wgsl]'))).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
