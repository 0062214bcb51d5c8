import { describe, expect, it } from 'vitest';
import type { GpuContext } from '../../src/gpu/context';
import { GpuAdapterUnavailableError, GpuDeviceLostError, GpuDeviceRequestError, WebGpuUnsupportedError } from '../../src/gpu/errors';
import type { CheckResult, KernelCheck } from '../../src/kernels/checks/types';
import { formatGpuMs, formatRelError, runKernelCheck, summarizeKernelCheck, type KernelCheckProgress } from '../../src/kernels/checks/kernel-check';
import { describeStartupError } from '../../src/ui/startup-error';

// runKernelCheck only hands the context to the checks and reads `lost`; fakes need nothing else.
function fakeGpu(): GpuContext {
  return { lost: null } as unknown as GpuContext;
}

function result(kernel: string, shape: string, ok = true): CheckResult {
  return { kernel, shape, ok, maxRelError: ok ? 1e-7 : 1e-2, rtol: 1e-5, gpuMs: 0.1 };
}

function fakeCheck(kernel: string, shapes: string[], log: string[] = []): KernelCheck {
  return {
    kernel,
    description: `${kernel} description`,
    async run() {
      log.push(kernel);
      return shapes.map((s) => result(kernel, s));
    },
  };
}

describe('runKernelCheck', () => {
  it('runs every check in order, concatenates the cases and reports progress before each check', async () => {
    const log: string[] = [];
    const progress: KernelCheckProgress[] = [];
    const results = await runKernelCheck(fakeGpu(), [fakeCheck('a', ['1', '2'], log), fakeCheck('b', ['3'], log), fakeCheck('c', ['4', '5', '6'], log)], {
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(log).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => `${r.kernel}:${r.shape}`)).toEqual(['a:1', 'a:2', 'b:3', 'c:4', 'c:5', 'c:6']);
    expect(progress).toEqual([
      { kernel: 'a', description: 'a description', index: 0, total: 3, casesDone: 0 },
      { kernel: 'b', description: 'b description', index: 1, total: 3, casesDone: 2 },
      { kernel: 'c', description: 'c description', index: 2, total: 3, casesDone: 3 },
    ]);
  });

  it('turns a check that throws into one failed case and still runs the others', async () => {
    const broken: KernelCheck = {
      kernel: 'broken',
      description: 'throws',
      run: async () => {
        throw new Error('shaders/broken.wgsl:3:1 error: nope');
      },
    };
    const results = await runKernelCheck(fakeGpu(), [broken, fakeCheck('ok', ['x'])]);
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ kernel: 'broken', ok: false, error: 'shaders/broken.wgsl:3:1 error: nope', gpuMs: null });
    expect(results[1]).toMatchObject({ kernel: 'ok', ok: true });
  });

  it('stops between checks when the signal is aborted', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const first: KernelCheck = {
      kernel: 'first',
      description: '',
      run: async () => {
        log.push('first');
        controller.abort(new Error('user cancelled'));
        return [result('first', 's')];
      },
    };
    await expect(runKernelCheck(fakeGpu(), [first, fakeCheck('second', ['s'], log)], { signal: controller.signal })).rejects.toThrow('user cancelled');
    expect(log).toEqual(['first']);
  });

  it('ends the run with the loss error when the device is lost during a check', async () => {
    const gpu = fakeGpu();
    const log: string[] = [];
    const losing: KernelCheck = {
      kernel: 'losing',
      description: '',
      run: async (g) => {
        g.lost = new GpuDeviceLostError('unknown', 'driver reset');
        return [{ ...result('losing', 's'), ok: false, error: 'device lost' }];
      },
    };
    await expect(runKernelCheck(gpu, [losing, fakeCheck('after', ['s'], log)])).rejects.toBeInstanceOf(GpuDeviceLostError);
    expect(log).toEqual([]);
  });
});

describe('summarizeKernelCheck', () => {
  it('says all pass only when every case passes', () => {
    expect(summarizeKernelCheck([result('a', '1'), result('b', '2')])).toEqual({ total: 2, failed: 0, status: 'pass', text: 'All 2 cases pass' });
  });
  it('counts failures', () => {
    const s = summarizeKernelCheck([result('a', '1'), result('a', '2', false), result('b', '3', false)]);
    expect(s).toEqual({ total: 3, failed: 2, status: 'fail', text: '2 of 3 cases fail' });
  });
  it('treats an empty run as a failure', () => {
    expect(summarizeKernelCheck([]).status).toBe('fail');
  });
});

describe('table formatting', () => {
  it('formats relative errors', () => {
    expect(formatRelError(3.14159e-7)).toBe('3.1e-7');
    expect(formatRelError(0)).toBe('0');
    expect(formatRelError(Infinity)).toBe('∞');
    expect(formatRelError(NaN)).toBe('NaN');
    expect(formatRelError(1e-7, true)).toBe('—');
  });
  it('formats GPU times and says why there is none', () => {
    expect(formatGpuMs(null)).toBe('n/a — no timestamp-query');
    expect(formatGpuMs(0.3)).toBe('0.30 ms');
    expect(formatGpuMs(12.34)).toBe('12.3 ms');
    expect(formatGpuMs(250.4)).toBe('250 ms');
  });
});

describe('describeStartupError', () => {
  it('maps each requestGpu failure to its own headline and keeps the advice from the error', () => {
    const unsupported = new WebGpuUnsupportedError(true);
    expect(describeStartupError(unsupported)).toEqual({
      kind: 'unsupported',
      title: 'This browser does not support WebGPU',
      message: unsupported.message,
    });
    expect(unsupported.message).toMatch(/Chrome or Edge/);

    const insecure = describeStartupError(new WebGpuUnsupportedError(false));
    expect(insecure.kind).toBe('insecure');
    expect(insecure.message).toMatch(/secure context/);

    const noAdapter = describeStartupError(new GpuAdapterUnavailableError());
    expect(noAdapter.kind).toBe('no-adapter');
    expect(noAdapter.title).toBe('No GPU adapter available');
    expect(noAdapter.message).toMatch(/requestAdapter\(\) returned null/);

    const device = describeStartupError(new GpuDeviceRequestError(new Error('limit maxBufferSize too high')));
    expect(device.kind).toBe('device-request');
    expect(device.message).toMatch(/limit maxBufferSize too high/);

    expect(describeStartupError(new TypeError('boom'))).toEqual({ kind: 'unknown', title: 'Could not start WebGPU', message: 'boom' });
    expect(describeStartupError('string')).toMatchObject({ kind: 'unknown', message: 'string' });
  });
});
