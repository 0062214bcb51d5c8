// Issue 13, items 3–4, the DOM-free parts: the override guard (a lost run switches off exactly the custom
// kernels it started with), the watchdog (settles like the work, or times out once, calling onTimeout),
// the labs' settings read from their links, and the labs' shapes Verify adds (n = k = 256 with the Depth
// lab's defaults; larger shapes cut to the work limit, and the cut said in the shape's name).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KernelOverrides } from '../../src/playground/kernel-overrides';
import { guardOverrides, switchOffAfter, switchedOffMessage, withSwitchOff } from '../../src/playground/override-guard';
import { WatchdogTimeoutError, formatLimit, watchdogMs, withWatchdog, WATCHDOG_WORK_UNIT } from '../../src/gpu/watchdog';
import { GpuDeviceLostError } from '../../src/gpu/errors';
import type { LabSettings } from '../../src/playground/lab-shapes';
import { labSettingsFromQueries, lastLabQuery, rememberLabQuery } from '../../src/labs/lab-settings';
import { MATMUL_VERIFY_CASES } from '../../src/playground/verify-matmul';
import { MAX_LAB_ELEMENTS, MAX_LAB_MATMUL_WORK, verifyCasesFor } from '../../src/playground/verify-shapes';
import { findKernel } from '../../src/playground/catalog';
import { DEFAULT_CONFIG } from '../../src/labs/depth/config';
import { encodeState } from '../../src/labs/depth/url-state';
import { defaultSweep } from '../../src/labs/depth/sweep-grid';

const A = 'shaders/matmul-direct.wgsl';
const B = 'shaders/moments.wgsl';

describe('guardOverrides', () => {
  it('switches off the overrides active at the start of the run, and says which', () => {
    const store = new KernelOverrides(null);
    store.set(A, 'code a', { passed: 12, total: 12 });
    store.set(B, 'code b', { passed: 6, total: 6 });
    const guard = guardOverrides(store);
    expect(guard.files).toEqual([A, B]);
    const msg = guard.switchOff('device-lost');
    expect(msg).toBe(switchedOffMessage([A, B], 'device-lost'));
    expect(msg).toMatch(
      /^Your custom kernels shaders\/matmul-direct\.wgsl and shaders\/moments\.wgsl were switched off because the GPU device was lost while it ran; the built-in kernels run now/,
    );
    expect(store.list()).toEqual([]);
    // A second loss of the same run finds nothing left to switch off.
    expect(guard.switchOff('device-lost')).toBeNull();
  });

  it('leaves alone an override switched on or replaced after the run started, and returns null without overrides', () => {
    const store = new KernelOverrides(null);
    expect(guardOverrides(store).switchOff('device-lost')).toBeNull();
    store.set(A, 'old', { passed: 1, total: 1 });
    const guard = guardOverrides(store);
    store.set(A, 'new', { passed: 1, total: 1 }); // the user switched on another version meanwhile
    store.set(B, 'b', { passed: 1, total: 1 }); // and a kernel this run never used
    expect(guard.switchOff('device-lost')).toBeNull();
    expect(store.codeFor(A)).toBe('new');
    expect(store.codeFor(B)).toBe('b');
  });

  it('switchOffAfter acts on device losses and timeouts only', () => {
    const store = new KernelOverrides(null);
    store.set(A, 'a', { passed: 1, total: 1 });
    expect(switchOffAfter(new Error('other'), guardOverrides(store))).toBeNull();
    expect(store.codeFor(A)).toBe('a');
    expect(switchOffAfter(new WatchdogTimeoutError('x', 10), guardOverrides(store))).toBe(
      'Your custom kernel shaders/matmul-direct.wgsl was switched off because a run of it did not finish in time; the built-in kernel runs now. You can switch it back on in the Shaders view.',
    );
    store.set(A, 'a', { passed: 1, total: 1 });
    expect(switchOffAfter(new GpuDeviceLostError('unknown', 'gone'), guardOverrides(store))).toMatch(
      /^Your custom kernel shaders\/matmul-direct\.wgsl was switched off because the GPU device was lost while it ran/,
    );
    expect(store.codeFor(A)).toBeUndefined();
  });
});

describe('withSwitchOff', () => {
  it('appends the sentence to a device-loss error, keeping its class; other errors pass unchanged and switch nothing off', () => {
    const store = new KernelOverrides(null);
    store.set(A, 'a', { passed: 1, total: 1 });
    const other = new Error('bad input');
    expect(withSwitchOff(other, guardOverrides(store))).toBe(other);
    expect(other.message).toBe('bad input');
    expect(store.codeFor(A)).toBe('a');
    const lost = new GpuDeviceLostError('unknown', 'gone');
    const before = lost.message;
    const out = withSwitchOff(lost, guardOverrides(store));
    expect(out).toBe(lost);
    expect(out).toBeInstanceOf(GpuDeviceLostError);
    expect(out.message).toBe(`${before} ${switchedOffMessage([A], 'device-lost')}`);
    expect(store.codeFor(A)).toBeUndefined();
  });
});

describe('withWatchdog', () => {
  afterEach(() => void vi.useRealTimers());

  it('settles like the work when it finishes in time (value or error), without calling onTimeout', async () => {
    const onTimeout = vi.fn();
    await expect(withWatchdog(Promise.resolve(7), 1000, 'w', onTimeout)).resolves.toBe(7);
    await expect(withWatchdog(Promise.reject(new Error('boom')), 1000, 'w', onTimeout)).rejects.toThrow('boom');
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('rejects with a WatchdogTimeoutError naming the work and limit, and calls onTimeout once', async () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    let finish!: (v: number) => void;
    const work = new Promise<number>((r) => (finish = r));
    const p = withWatchdog(work, 10_000, 'Your kernel on 128×256 · 256×256', onTimeout);
    const seen = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    const err = await seen;
    expect(err).toBeInstanceOf(WatchdogTimeoutError);
    expect((err as Error).message).toBe('Your kernel on 128×256 · 256×256 did not finish within 10 s.');
    expect(onTimeout).toHaveBeenCalledTimes(1);
    finish(1); // finishing late changes nothing
    await vi.advanceTimersByTimeAsync(10);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('scales the limit with the work: 10 s per 2^24 operations, at least 10 s', () => {
    expect(watchdogMs(1)).toBe(10_000);
    expect(watchdogMs(WATCHDOG_WORK_UNIT)).toBe(10_000);
    expect(watchdogMs(WATCHDOG_WORK_UNIT + 1)).toBe(20_000);
    expect(watchdogMs(NaN)).toBe(10_000);
    expect(watchdogMs(3 * WATCHDOG_WORK_UNIT, 100)).toBe(300);
    expect(formatLimit(300)).toBe('0.3 s');
    expect(formatLimit(120_000)).toBe('2 min');
  });
});

describe("the labs' settings and shapes", () => {
  const direct = findKernel('matmul-direct')!;

  it('takes the defaults without links, and a link’s settings when there is one', () => {
    const d = labSettingsFromQueries(null, null);
    expect(d.depth).toEqual({ width: DEFAULT_CONFIG.width, batch: DEFAULT_CONFIG.batch, activation: DEFAULT_CONFIG.activation });
    expect(d.from).toEqual({ depth: 'defaults', normalize: 'defaults' });
    const q = encodeState({ config: { ...DEFAULT_CONFIG, width: 96, batch: 5, activation: 'tanh' }, sweep: defaultSweep('depth') });
    const l = labSettingsFromQueries(q, 'm=1000&test=0.25&ranges=1:1000,0:1,5:6');
    expect(l.depth).toEqual({ width: 96, batch: 5, activation: 'tanh' });
    expect(l.normalize).toEqual({ rows: 750, features: 3 });
    expect(l.from).toEqual({ depth: 'link', normalize: 'link' });
  });

  it('remembers each lab’s last query', () => {
    rememberLabQuery('depth-lab', 'width=8');
    expect(lastLabQuery('depth-lab')).toBe('width=8');
    expect(lastLabQuery('nowhere')).toBeNull();
  });

  it("adds the Depth lab's three matmuls (n = k = 256 at the defaults) and the Normalization lab's XᵀX, marked lab", () => {
    const lab = labSettingsFromQueries(null, null);
    const own = verifyCasesFor(direct);
    expect(own.length).toBe(MATMUL_VERIFY_CASES.length);
    expect(own.every((c) => !c.lab)).toBe(true);
    const all = verifyCasesFor(direct, lab);
    const labCases = all.filter((c) => c.lab);
    expect(all.slice(0, own.length).map((c) => c.shape)).toEqual(own.map((c) => c.shape));
    const { width: n, batch: m } = lab.depth;
    expect(labCases.map((c) => c.shape).slice(0, 3)).toEqual([
      `Depth lab (width ${n}, batch ${m}): Z = A·Wᵀ, ${m}×${n} · ${n}×${n}, Bᵀ`,
      `Depth lab (width ${n}, batch ${m}): dW = dZᵀ·A, 2 × (${n}×${m} · ${m}×${n}), Aᵀ, A shared`,
      `Depth lab (width ${n}, batch ${m}): dA = dZ·W, 2 × (${m}×${n} · ${n}×${n}), W shared`,
    ]);
    expect(labCases[0].work).toBe(m * n * n);
    expect(labCases.some((c) => /^Normalization lab .*XᵀX/.test(c.shape))).toBe(true);
    // None of Verify's own nine shapes has n = k = 256: that is what a lab-only bug slipped through.
    expect(MATMUL_VERIFY_CASES.some((c) => c.n === 256 && c.k === 256)).toBe(false);
  });

  it('cuts lab shapes beyond the work limit along their rows, and says so', () => {
    const big: LabSettings = {
      depth: { width: 1024, batch: 4096, activation: 'relu' },
      normalize: { rows: 1_000_000, features: 8 },
      from: { depth: 'link', normalize: 'link' },
    };
    const cases = verifyCasesFor(direct, big).filter((c) => c.lab);
    for (const c of cases) expect(c.work).toBeLessThanOrEqual(MAX_LAB_MATMUL_WORK);
    expect(cases[0].shape).toMatch(/rows cut from 4,096 to 32 by Verify's work limit$/);
    expect(cases[1].shape).toMatch(/batch cut from 2 to 1 .* inner size k cut from 4,096 to 32/);
    for (const id of ['moments', 'norms', 'elementwise']) {
      const lab = verifyCasesFor(findKernel(id)!, big).filter((c) => c.lab);
      expect(lab.length).toBeGreaterThan(0);
      for (const c of lab) expect(c.work).toBeLessThanOrEqual(MAX_LAB_ELEMENTS * 2);
    }
  });
});
