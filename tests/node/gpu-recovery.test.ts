import { describe, expect, it, vi } from 'vitest';
import type { ReactiveController } from 'lit';
import type { GpuContext } from '../../src/gpu/context';
import { GpuDeviceLostError } from '../../src/gpu/errors';
import { GpuRecoveryController, MAX_RUN_RECOVERIES, deviceLossBehind } from '../../src/ui/gpu-recovery';
import type { GpuReconnectDetail } from '../../src/ui/gpu-recovery';

// The controller only reads `lost` and `device.lost` of a context and talks to the shell through the
// `gpu-reconnect` event: fakes need nothing else.
function aliveGpu(name = 'gpu'): GpuContext {
  return { name, lost: null, device: { lost: new Promise(() => {}) } } as unknown as GpuContext;
}
function lostGpu(name = 'lost'): GpuContext {
  const lost = new GpuDeviceLostError('forced', `${name} was lost`);
  return { name, lost, device: { lost: Promise.resolve({ reason: 'destroyed', message: '' }) } } as unknown as GpuContext;
}

/** A host element stand-in whose "shell" answers every reconnect request with `next()`. */
function host(next: () => GpuContext | null) {
  const h = Object.assign(new EventTarget(), {
    controllers: [] as ReactiveController[],
    asked: [] as GpuContext[],
    updates: 0,
    addController(c: ReactiveController) {
      h.controllers.push(c);
    },
    removeController() {},
    requestUpdate() {
      h.updates++;
    },
    updateComplete: Promise.resolve(true),
  });
  h.addEventListener('gpu-reconnect', (ev) => {
    const detail = (ev as CustomEvent<GpuReconnectDetail>).detail;
    h.asked.push(detail.lost);
    detail.reply = Promise.resolve(next());
  });
  return h;
}

describe('deviceLossBehind', () => {
  it('finds a loss that settles after the failing call, and none on a live device', async () => {
    let settle!: (info: { reason: string; message: string }) => void;
    const gpu = { lost: null, device: { lost: new Promise((r) => (settle = r)) } } as unknown as GpuContext;
    setTimeout(() => settle({ reason: 'unknown', message: 'driver reset' }), 20);
    const loss = await deviceLossBehind(gpu, new Error('mapAsync failed'), 2000);
    expect(loss).toBeInstanceOf(GpuDeviceLostError);
    expect(loss!.reason).toBe('unknown');
    expect(loss!.message).toContain('driver reset');
    expect(await deviceLossBehind(aliveGpu(), new Error('a compile error'), 10)).toBeNull();
    const err = new GpuDeviceLostError('forced', 'thrown');
    expect(await deviceLossBehind(aliveGpu(), err, 10)).toBe(err);
  });
});

describe('GpuRecoveryController', () => {
  it('rethrows anything that is not a device loss unchanged, recording nothing', async () => {
    const h = host(() => aliveGpu('new'));
    const rec = new GpuRecoveryController(h, 'resume');
    expect(h.controllers).toEqual([rec]);
    const err = new Error('some shape fails');
    await expect(rec.recover(aliveGpu(), err, 'after 1 of 5 kernels', 'kept')).rejects.toBe(err);
    expect(rec.losses).toEqual([]);
    expect(h.asked).toEqual([]);
  });

  it("resume mode: a loss gets the shell's new context to go on with, at most MAX_RUN_RECOVERIES times per run", async () => {
    const h = host(() => aliveGpu('new'));
    const rec = new GpuRecoveryController(h, 'resume');
    rec.begin();
    let gpu = lostGpu('first');
    for (let i = 0; i < MAX_RUN_RECOVERIES; i++) {
      const before = gpu;
      const next = await rec.recover(gpu, new Error('mapAsync failed'), `after ${i} of 5 kernels`, 'kept');
      expect(h.asked.at(-1)).toBe(before);
      expect((next as unknown as { name: string }).name).toBe('new');
      expect(rec.reconnecting).toBeNull();
      gpu = lostGpu(`device ${i + 2}`);
    }
    expect(rec.losses.map((l) => l.result)).toEqual(Array(MAX_RUN_RECOVERIES).fill('resumed'));
    expect(rec.losses[0]).toMatchObject({ at: 'after 0 of 5 kernels', message: expect.stringContaining('first was lost') });
    await expect(rec.recover(gpu, new Error('again'), 'after 3 of 5 kernels', 'The 9 cases are kept.')).rejects.toThrow(
      /^The GPU device was lost 4 times during this run; stopped after 3 automatic recoveries\. The 9 cases are kept\. Last loss: .*device 4 was lost/,
    );
    expect(rec.losses.map((l) => l.result)).toEqual([...Array(MAX_RUN_RECOVERIES).fill('resumed'), 'gave-up']);
    expect(h.asked).toHaveLength(MAX_RUN_RECOVERIES); // no reconnect after giving up
    rec.begin(); // a new run starts with a clean record
    expect(rec.losses).toEqual([]);
  });

  it('stop mode: a loss gets a new device but stops the run, saying what is kept', async () => {
    const h = host(() => aliveGpu('new'));
    const rec = new GpuRecoveryController(h, 'stop');
    const gpu = lostGpu('bench device');
    await expect(rec.recover(gpu, new Error('mapAsync failed'), 'after 2 of 20 rows', 'The 2 rows are kept.')).rejects.toThrow(
      /^The GPU device was lost after 2 of 20 rows; a new device is ready\. The 2 rows are kept\. \(The GPU device was lost \(forced\): bench device was lost\.\)$/,
    );
    expect(h.asked).toEqual([gpu]);
    expect(rec.losses).toEqual([{ at: 'after 2 of 20 rows', message: gpu.lost!.message, result: 'reconnected' }]);
  });

  it('gives up with a message when no new device can be had', async () => {
    const h = host(() => null);
    const rec = new GpuRecoveryController(h, 'resume');
    await expect(rec.recover(lostGpu(), new Error('x'), 'during Verify', 'Your text is kept.')).rejects.toThrow(
      /^The GPU device was lost during Verify and no new device could be had\. Your text is kept\./,
    );
    expect(rec.losses.map((l) => l.result)).toEqual(['gave-up']);
  });

  it('ensureLive: a live context is used as is; a lost one is replaced before the run', async () => {
    const h = host(() => aliveGpu('new'));
    const rec = new GpuRecoveryController(h, 'resume');
    const live = aliveGpu();
    expect(await rec.ensureLive(live)).toBe(live);
    expect(h.asked).toEqual([]);
    const lost = lostGpu();
    const seen: (string | null)[] = [];
    h.requestUpdate = vi.fn(() => seen.push(rec.reconnecting));
    const next = await rec.ensureLive(lost);
    expect((next as unknown as { name: string }).name).toBe('new');
    expect(h.asked).toEqual([lost]);
    expect(seen).toContain('The GPU device was lost before this run. Getting a new device…');
    expect(rec.reconnecting).toBeNull();
    const none = new GpuRecoveryController(
      host(() => null),
      'stop',
    );
    await expect(none.ensureLive(lostGpu())).rejects.toThrow(/^No new GPU device could be had after the loss/);
  });
});
