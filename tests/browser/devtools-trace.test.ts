// DevTools integration: a Performance trace recorded with Puppeteer holds the "GPU kernels" track entries
// (performance.measure with detail.devtools) for each timed dispatch, named by its debug groups (run, layer),
// kernel and shape, with the GPU duration as a property; and the ?log-wgsl URL flag logs each pipeline's WGSL and constants.
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
      const r = await lib.runDeepNet(
        gpu!,
        { depth: 3, width: 8, batch: 4, activation: 'relu', init: 'he-normal', gain: 1, seed: 3, input: 'normal' },
        { timing: true },
      );
      // Let the measures reach the trace before it stops.
      await new Promise((res) => setTimeout(res, 100));
      return {
        labels: r.timings.map((t) => t.label),
        paths: r.timings.map((t) => t.path),
        byKernel: [...lib.sumByKernel(r.timings).keys()],
        hasTimestamps: gpu!.hasTimestamps,
      };
    });
    const trace = JSON.parse(Buffer.from((await h.page.tracing.stop())!).toString('utf8')) as { traceEvents: TraceEvent[] };
    expect(run.hasTimestamps).toBe(true); // SwiftShader offers timestamp-query; without it nothing is timed
    expect(run.labels.length).toBeGreaterThan(0);

    // performance.measure → blink.user_timing async begin events whose args carry the detail (JSON).
    const entries = trace.traceEvents.filter((e) => e.cat.includes('blink.user_timing') && (e.ph === 'b' || e.ph === 'R' || e.ph === 'X' || e.ph === 'I'));
    const onTrack = entries.filter((e) => JSON.stringify(e.args ?? {}).includes('GPU kernels'));
    const names = new Set(onTrack.map((e) => e.name));
    // Entries are named by the pass's path: its open debug groups › kernel[shape], so the layer shows on the track.
    run.paths.forEach((path, i) => expect(names, `track entry for ${run.labels[i]}`).toContain(path ?? run.labels[i]));
    const last = (n: string) => n.split(' › ').pop()!;
    expect([...names].some((n) => last(n).startsWith('matmul['))).toBe(true);
    expect([...names].some((n) => last(n).startsWith('norms['))).toBe(true);
    expect([...names].some((n) => /^moments\[\d+(×\d+)?\]\.(all|partial|finalize)$/.test(last(n)))).toBe(true);
    expect([...names].some((n) => /forward\.layer\[2\] › matmul\[/.test(n))).toBe(true);
    // Each timed pass knows its debug groups: path = open groups › pass label.
    run.paths.forEach((path, i) => expect(path?.endsWith(` › ${run.labels[i]}`), `path ${path} of ${run.labels[i]}`).toBe(true));
    expect(run.paths.some((p) => /forward\.layer\[2\] › matmul\[/.test(p ?? ''))).toBe(true);
    expect(run.paths.some((p) => /backward\.layer\[\d+\] › matmul\[/.test(p ?? ''))).toBe(true);
    // … and the track shows it: a matmul entry whose tooltip and 'debug groups' property name layer 2.
    const layer2 = onTrack.filter((e) => last(e.name).startsWith('matmul[') && JSON.stringify(e.args).includes('forward.layer[2] › matmul['));
    expect(layer2.length).toBeGreaterThan(0);
    expect(JSON.stringify(layer2[0].args)).toMatch(/debug groups\\*",\\*"[^"\\]*forward\.layer\[2\]\\*"/);
    // sumByKernel still groups by kernel name, not by layer or shape.
    expect(run.byKernel).toEqual(expect.arrayContaining(['matmul', 'norms', 'moments']));
    for (const k of run.byKernel) expect(k).toMatch(/^[a-zA-Z-]+$/);
    // The entry's detail: track-entry data type, the track, the kernel and the GPU duration as properties.
    const detail = JSON.stringify(layer2[0].args);
    expect(detail).toMatch(/kernel\\*",\\*"matmul\\*"/);
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
