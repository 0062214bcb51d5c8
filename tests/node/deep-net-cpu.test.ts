import { describe, expect, it } from 'vitest';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { CPU_LIMITS, cpuCapProblem, runDeepNetCpu, runDeepNetsCpu, runSweepCpu } from '../../src/labs/depth/cpu/deep-net-cpu';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { depthRange, makeSweepGrid } from '../../src/labs/depth/sweep-grid';
import { CpuCapError, InputError } from '../../src/errors';
import type { SweepResult } from '../../src/labs/depth/sweep';

// The CPU fallback of the Depth lab: the float64 reference in the GPU engine's result shapes, with caps.

const lecture = validateDeepNetConfig({ depth: 12, width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones' });

describe('CPU fallback runs', () => {
  it('runDeepNetCpu gives the float64 reference in a DeepNetRun', async () => {
    const c = validateDeepNetConfig({ depth: 5, width: 7, batch: 3, activation: 'tanh', init: 'xavier-normal', input: 'normal', seed: 3 });
    const run = await runDeepNetCpu(c);
    const ref = deepNetRef(c);
    expect(run.config).toEqual(c);
    expect(run.layers).toEqual(ref.layers);
    expect(run.status).toEqual(ref.status);
    expect(run.loss).toBe(ref.loss);
    expect(run.flops).toBe(6 * 3 * 7 * 7 * 5);
    expect(run.timings).toEqual([]);
    expect(run.wallMs).toBeGreaterThanOrEqual(0);
  });

  it('runDeepNetsCpu runs nets of several depths; bad input is an InputError', async () => {
    const runs = await runDeepNetsCpu([3, 1, 2].map((depth) => ({ ...lecture, depth })));
    expect(runs.map((r) => r.layers.actNorm.length)).toEqual([3, 1, 2]);
    runs[0].layers.actNorm.forEach((v, i) => expect(v).toBeCloseTo(1.5 ** (i + 1) * Math.SQRT2, 12));
    await expect(runDeepNetsCpu([{ depth: 0 }])).rejects.toThrow(InputError);
    await expect(runDeepNetsCpu('nope' as never)).rejects.toThrow(/configs: must be an array/);
    await expect(runDeepNetCpu({ width: 1.5 })).rejects.toThrow(/width: must be an integer/);
  });

  it('runSweepCpu yields every row in order with progress, and resumes from a row', async () => {
    const sweep = { base: lecture, spec: { kind: 'depth' as const, depths: depthRange(1, 12) } };
    const progress: number[] = [];
    const rows: SweepResult[] = [];
    for await (const r of runSweepCpu(sweep, { onProgress: (p) => progress.push(p.done) })) rows.push(r);
    expect(rows.map((r) => r.index)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(progress).toEqual(depthRange(1, 12));
    const grid = makeSweepGrid(sweep.base, sweep.spec);
    rows.forEach((r, i) => {
      expect(r.label).toBe(grid[i].label);
      expect(r.run.layers).toEqual(deepNetRef(grid[i].config).layers);
    });
    const resumed: SweepResult[] = [];
    for await (const r of runSweepCpu(sweep, { from: 9 })) resumed.push(r);
    expect(resumed.map((r) => r.index)).toEqual([9, 10, 11]);
    expect(resumed[2].run.layers).toEqual(rows[11].run.layers);
    const bad = async (from: unknown) => {
      for await (const _ of runSweepCpu(sweep, { from: from as number })) void _;
    };
    await expect(bad(-1)).rejects.toThrow(/from: must be an integer from 0 to 12/);
    await expect(bad(1.5)).rejects.toThrow(InputError);
    await expect(bad(13)).rejects.toThrow(InputError);
  });

  it('Cancel stops between rows; the rows already yielded are kept', async () => {
    const sweep = { base: lecture, spec: { kind: 'depth' as const, depths: depthRange(1, 12) } };
    const ctl = new AbortController();
    const rows: SweepResult[] = [];
    await expect(
      (async () => {
        for await (const r of runSweepCpu(sweep, { signal: ctl.signal })) {
          rows.push(r);
          if (rows.length === 4) ctl.abort(new DOMException('Cancelled', 'AbortError'));
        }
      })(),
    ).rejects.toThrow(/Cancelled/);
    expect(rows).toHaveLength(4);
  });

  it('overflow and underflow are classified as on the GPU (by the f32 thresholds)', async () => {
    const big = await runDeepNetCpu({ ...lecture, depth: 240 });
    // ‖a[l]‖ = 1.5^l·√2 passes the 1e38 overflow threshold at layer 215 (float64 itself keeps going).
    expect(big.status.actNorm[213]).toBe('finite');
    expect(big.status.actNorm[214]).toBe('overflow');
    expect(big.layers.actNorm[239] / (1.5 ** 240 * Math.SQRT2)).toBeCloseTo(1, 10);
    const small = await runDeepNetCpu({ ...lecture, depth: 160, gain: 0.5 });
    expect(small.status.actNorm[0]).toBe('finite');
    expect(small.status.actNorm[159]).toBe('underflow');
  });
});

describe('CPU fallback caps', () => {
  const cfg = (c: object) => validateDeepNetConfig(c);

  it('refuses before running, naming the cap, needed vs allowed, and a suggestion', async () => {
    const wide = cpuCapProblem([cfg({ depth: 2, width: 300, batch: 1 })])!;
    expect(wide).toBeInstanceOf(CpuCapError);
    expect(wide.field).toBe('width');
    expect(wide.message).toBe('width: Width n: needs 300, the CPU fallback allows 256. Use width n ≤ 256 on the CPU fallback (or a browser with WebGPU).');
    expect(cpuCapProblem([cfg({ depth: 1, width: 2, batch: 2000 })])!.message).toMatch(/Batch m: needs 2,000, the CPU fallback allows 1,024/);

    // The He + ReLU preset's size (L = 128, n = 256, m = 128) is far beyond one row's work cap.
    const heavy = cpuCapProblem([cfg({ depth: 128, width: 256, batch: 128 })])!;
    expect(heavy.message).toMatch(
      /needs [\d,]+, the CPU fallback allows [\d,]+\. Use a smaller batch or width: batch m ≤ \d+, or width n ≤ \d+, or depth L ≤ \d+ would fit/,
    );
    expect(heavy.requested).toBeGreaterThan(heavy.allowed);

    // Fits per row, but the whole sweep is too much work.
    const rows = makeSweepGrid(cfg({ width: 64, batch: 32 }), { kind: 'depth', depths: depthRange(1, 128) }).map((r) => r.config);
    const sweep = cpuCapProblem(rows)!;
    expect(sweep.cap).toMatch(/Work of the whole sweep \(Σ L·m·n² over 128 rows\)/);
    expect(sweep.message).toMatch(/Sweep fewer or shallower rows, or use a smaller batch or width/);

    expect(cpuCapProblem([lecture])).toBeNull();
    await expect(runDeepNetCpu({ depth: 2, width: 300 })).rejects.toThrow(CpuCapError);
    const it = runSweepCpu({ base: cfg({ width: 64, batch: 32 }), spec: { kind: 'depth', depths: depthRange(1, 128) } });
    await expect(it.next()).rejects.toThrow(/CPU fallback allows/);
  });

  it('every preset-sized sweep either fits or gets a message; the lecture presets fit', () => {
    expect(CPU_LIMITS.width).toBe(256);
    const l15 = makeSweepGrid(cfg({ depth: 240, width: 2, batch: 1, gain: 1.5 }), { kind: 'depth', depths: depthRange(1, 240) }).map((r) => r.config);
    expect(cpuCapProblem(l15)).toBeNull();
  });
});
