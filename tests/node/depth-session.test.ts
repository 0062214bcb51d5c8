import { describe, expect, it } from 'vitest';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { DepthSession, type SweepRecovery } from '../../src/labs/depth/session';
import { depthRange } from '../../src/labs/depth/sweep-grid';
import { CSV_COLUMNS } from '../../src/labs/depth/export';
import { DEPTH_GLOSSARY, splitTerms } from '../../src/labs/depth/glossary';

// The Depth lab's DOM-free session on the CPU fallback (gpu null): run, progress, cancel, resume, pin and
// export, exactly as the view drives it. Device-loss recovery is the view's GpuRecoveryController
// (tests/node/gpu-recovery.test.ts); here it must never be asked on the CPU.

const lecture = validateDeepNetConfig({ depth: 12, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 });
const sweep = { base: lecture, spec: { kind: 'depth' as const, depths: depthRange(1, 12) } };

function noRecovery(): SweepRecovery & { begun: number } {
  const r = {
    begun: 0,
    begin() {
      r.begun++;
    },
    ensureLive: () => Promise.reject(new Error('no GPU on the CPU fallback')),
    recover: () => Promise.reject(new Error('no GPU on the CPU fallback')),
  };
  return r;
}

describe('DepthSession on the CPU fallback', () => {
  it('runs every row, reporting each change, and ends complete with the float64 values', async () => {
    const recovery = noRecovery();
    let changes = 0;
    const s = new DepthSession(recovery, () => changes++);
    const rowsSeen: number[] = [];
    const done = s.run(null, sweep, 'q=1', false);
    expect(s.running).toBe(true);
    // Rows arrive one by one: `shown` grows while `current` is the run in progress.
    const seen = new Promise<void>((resolve) => {
      const poll = () => {
        if (s.shown) rowsSeen.push(s.shown.results.length);
        if (s.running) setTimeout(poll, 0);
        else resolve();
      };
      poll();
    });
    const run = (await done)!;
    await seen;
    expect(recovery.begun).toBe(1);
    expect(s.running).toBe(false);
    expect(run.outcome).toBe('complete');
    expect(run.results.map((r) => r.config.depth)).toEqual(depthRange(1, 12));
    expect(s.shown).toBe(run);
    expect(s.current).toBeNull();
    expect(s.progress).toBeNull();
    expect(s.lastEnd).toEqual({ outcome: 'complete', done: 12, total: 12, error: null });
    expect(changes).toBeGreaterThan(12);
    expect(run.results[11].run.layers.actNorm).toEqual(deepNetRef(run.results[11].config).layers.actNorm);
    // A second Run while one is going is ignored.
    expect(await Promise.all([s.run(null, sweep, 'q=1', false), s.run(null, sweep, 'q=1', false)]).then((r) => r[1])).toBeNull();
  });

  it('Cancel keeps the finished rows; Resume runs only the rest, keeping them', async () => {
    let cancelAt: number | null = 3;
    const s = new DepthSession(noRecovery(), () => {
      // Cancel (once) as soon as the third row is on screen.
      if (cancelAt !== null && s.running && s.shown && s.shown.results.length === cancelAt) {
        cancelAt = null;
        s.cancel();
      }
    });
    const cancelled = (await s.run(null, sweep, 'q=2', false))!;
    expect(cancelled.outcome).toBe('cancelled');
    expect(cancelled.results.length).toBeGreaterThanOrEqual(3);
    expect(cancelled.results.length).toBeLessThan(12);
    expect(s.lastEnd).toMatchObject({ outcome: 'cancelled', done: cancelled.results.length, total: 12, error: null });
    expect(s.resumable).toBe(true);
    const kept = cancelled.results.slice();
    const s2 = s; // same session: Resume continues the run on screen
    const resumed = (await s2.resume(null, false))!;
    expect(resumed.outcome).toBe('complete');
    expect(resumed.results.map((r) => r.index)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(resumed.results.slice(0, kept.length)).toEqual(kept); // the finished rows are the same objects
    expect(resumed.query).toBe('q=2');
    expect(s.resumable).toBe(false);
  });

  it('pins a finished run, exports the run on screen as JSON and CSV, and unpins', async () => {
    const s = new DepthSession(noRecovery(), () => {});
    expect(s.exportJson(null)).toBeNull();
    await s.run(null, { base: lecture, spec: { kind: 'depth', depths: [2, 3] } }, 'q=3', false);
    s.pin();
    expect(s.pinned?.results.length).toBe(2);
    expect(s.pinned?.query).toBe('q=3');
    const doc = s.exportJson(null)!;
    expect(doc.outcome).toBe('complete');
    expect(doc.rows.map((r) => r.config.depth)).toEqual([2, 3]);
    expect(s.exportCsvText(null)!.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
    s.unpin();
    expect(s.pinned).toBeNull();
  });

  it('an error ends the run with its message (named), keeping the rows shown before', async () => {
    const s = new DepthSession(noRecovery(), () => {});
    await s.run(null, { base: lecture, spec: { kind: 'depth', depths: [2] } }, 'ok', false);
    const before = s.shown;
    // Width 300 is above the CPU fallback's width cap: the first row already fails.
    const wide = validateDeepNetConfig({ ...lecture, width: 300 });
    const run = (await s.run(null, { base: wide, spec: { kind: 'depth', depths: [2] } }, 'bad', false))!;
    expect(run.outcome).toBe('error');
    expect(run.error).toMatch(/^CpuCapError: width: /);
    expect(s.shown).toBe(before);
    expect(s.lastEnd).toMatchObject({ outcome: 'error', done: 0, total: 1 });
  });
});

describe('Depth lab glossary', () => {
  it('cuts a text into plain parts and terms, longest term first, each term once', () => {
    const parts = splitTerms('the mean-field forecast (mean-field, finite-width scatter) and mean-field again');
    expect(parts.filter((p) => p.term).map((p) => p.text)).toEqual(['mean-field forecast', 'mean-field', 'finite-width scatter']);
    expect(parts.map((p) => p.text).join('')).toBe('the mean-field forecast (mean-field, finite-width scatter) and mean-field again');
    expect(splitTerms('no jargon here')).toEqual([{ text: 'no jargon here', term: false }]);
  });

  it('explains every term in one line', () => {
    for (const [term, tip] of Object.entries(DEPTH_GLOSSARY)) {
      expect(tip.length, term).toBeGreaterThan(20);
      expect(tip.length, term).toBeLessThan(140);
      expect(tip, term).not.toMatch(/\n/);
    }
  });
});
