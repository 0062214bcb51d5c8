import { GpuAdapterUnavailableError, GpuDeviceLostError, GpuDeviceRequestError, WebGpuUnsupportedError } from './errors';
import { BufferPool } from './buffers';

/** Adapter description shown in the app header and logged by the tests. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  hasTimestamps: boolean;
  hasSubgroups: boolean;
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeWorkgroupsPerDimension: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxComputeWorkgroupStorageSize: number;
  };
}

/** Events a context emits: `device-lost` and `gpu-error` (uncaptured validation / out-of-memory errors). */
export interface GpuEventMap {
  'device-lost': CustomEvent<GpuDeviceLostError>;
  'gpu-error': CustomEvent<{ kind: string; message: string }>;
}

/**
 * The shader text kernels run for the shipped files: a replacement for `file` (`shaders/matmul.wgsl`), e.g.
 * a verified user kernel switched on in the Shaders view, or undefined for the built-in. The app provides
 * it when it creates the context; a kernel's own `code` option still wins over it.
 */
export interface KernelSources {
  code(file: string): string | undefined;
}

/** Built-in shaders only: what a context runs when its creator gives no sources. */
export const BUILTIN_SOURCES: KernelSources = { code: () => undefined };

/**
 * Autotune results the kernels read (what matmul's 'auto' runs), by kernel name ('matmul') and adapter.
 * Records are plain data: the kernel that reads one owns its type and its schema check (for matmul,
 * kernels/matmul-tuning.ts, whose MatmulTuningStore implements this over a Storage).
 */
export interface KernelTunings {
  /** The checked record of `kernel` for `gpu`'s adapter (within its limits when given), or null. */
  get(kernel: string, gpu: Pick<GpuContext, 'summary'> & { limits?: GPUSupportedLimits }): unknown;
  /** Stores (or with null, clears) the record of `kernel` for `gpu`'s adapter; `persist` false: memory only. */
  set(kernel: string, gpu: Pick<GpuContext, 'summary'>, record: unknown, persist?: boolean): void;
}

/** Tunings kept in memory for the context's lifetime: what a context has when its creator gives none. */
export function memoryTunings(): KernelTunings {
  const records = new Map<string, unknown>();
  const key = (kernel: string, gpu: Pick<GpuContext, 'summary'>) => {
    const s = gpu.summary;
    return [kernel, s.vendor, s.architecture, s.device, s.description].join('|');
  };
  return {
    get: (kernel, gpu) => records.get(key(kernel, gpu)) ?? null,
    set: (kernel, gpu, record) => void (record === null ? records.delete(key(kernel, gpu)) : records.set(key(kernel, gpu), record)),
  };
}

/** Everything the kernels need: device, limits, features, caches, events, shader sources and tunings. */
export interface GpuContext {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly info: GPUAdapterInfo;
  readonly features: ReadonlySet<string>;
  readonly limits: GPUSupportedLimits;
  readonly hasTimestamps: boolean;
  readonly summary: AdapterSummary;
  /** Dispatches `device-lost` and `gpu-error` CustomEvents. */
  readonly events: EventTarget;
  /**
   * Pipelines by key (file, entry point, constants and the full WGSL text; see getPipeline), so a sweep
   * never recompiles. Edited kernels' entries are evicted least recently used first.
   */
  readonly pipelines: Map<string, Promise<GPUComputePipeline>>;
  readonly pool: BufferPool;
  /** User replacements of the shipped shaders (RequestGpuOptions.sources; default: none). */
  readonly sources: KernelSources;
  /** Stored autotune results (RequestGpuOptions.tunings; default: in memory, none yet). */
  readonly tunings: KernelTunings;
  /** Set once the device is lost; later calls should fail fast. */
  lost: GpuDeviceLostError | null;
  /** Destroys the device (and every pooled buffer); the resulting loss is not reported as an error. */
  destroy(): void;
}

export interface RequestGpuOptions {
  powerPreference?: GPUPowerPreference;
  /** Defaults to `navigator.gpu`; tests and Node (Dawn) pass their own. */
  gpu?: GPU;
  /** Ask for timestamp-query when offered (default true). */
  timestamps?: boolean;
  /** Ask for subgroups when offered (default true): the 'subgroup' matmul variant needs them. */
  subgroups?: boolean;
  /** Replacements of the shipped shaders the kernels run (default BUILTIN_SOURCES: none). */
  sources?: KernelSources;
  /** Where the kernels read and autotune writes tunings (default: memoryTunings(), lost with the context). */
  tunings?: KernelTunings;
  /** Ask for the fallback (software) adapter, e.g. SwiftShader under Dawn in Node (default false). */
  forceFallbackAdapter?: boolean;
}

// Limits we raise to the adapter's maximum: big matrices and deep nets need them.
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Requests an adapter and device, with distinct typed errors for each way that can fail. */
export async function requestGpu(options: RequestGpuOptions = {}): Promise<GpuContext> {
  const gpu = options.gpu ?? (typeof navigator !== 'undefined' ? navigator.gpu : undefined);
  if (!gpu) {
    const secure = typeof isSecureContext === 'undefined' ? true : isSecureContext;
    throw new WebGpuUnsupportedError(secure);
  }
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference ?? 'high-performance',
    ...(options.forceFallbackAdapter ? { forceFallbackAdapter: true } : {}),
  });
  if (!adapter) throw new GpuAdapterUnavailableError();

  const wantTimestamps = (options.timestamps ?? true) && adapter.features.has('timestamp-query');
  const wantSubgroups = (options.subgroups ?? true) && adapter.features.has('subgroups');
  const requiredFeatures: GPUFeatureName[] = [];
  if (wantTimestamps) requiredFeatures.push('timestamp-query');
  if (wantSubgroups) requiredFeatures.push('subgroups' as GPUFeatureName);
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];

  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: 'gp.device',
      requiredFeatures,
      requiredLimits,
    });
  } catch (err) {
    throw new GpuDeviceRequestError(err);
  }

  const events = new EventTarget();
  let destroyedByUs = false;
  // A hidden page gives its idle GPU memory back at once (the pool's timer would take a few seconds).
  const doc = typeof document !== 'undefined' ? document : null;
  const onVisibility = () => {
    if (doc?.visibilityState === 'hidden') ctx.pool.trim();
  };
  doc?.addEventListener('visibilitychange', onVisibility);
  const info = adapter.info;
  const ctx: GpuContext = {
    adapter,
    device,
    info,
    features: new Set(device.features),
    limits: device.limits,
    hasTimestamps: wantTimestamps,
    summary: summarize(adapter, device, wantTimestamps),
    events,
    pipelines: new Map(),
    pool: new BufferPool(device),
    sources: options.sources ?? BUILTIN_SOURCES,
    tunings: options.tunings ?? memoryTunings(),
    lost: null,
    destroy() {
      destroyedByUs = true;
      doc?.removeEventListener('visibilitychange', onVisibility);
      ctx.pool.clear();
      device.destroy();
    },
  };

  void device.lost.then((lost) => {
    doc?.removeEventListener('visibilitychange', onVisibility);
    ctx.pool.clear(); // the buffers died with the device; drop them and stop the pool's timer
    const forced = forcedLosses.get(device);
    // `destroyed` is our own destroy(); anything else — or a loss forced by the debug hook, which also
    // destroys — is news the user must see.
    if (forced === undefined && (destroyedByUs || lost.reason === 'destroyed')) return;
    ctx.lost =
      forced !== undefined
        ? new GpuDeviceLostError('forced', `${forced} (device.destroy() by the debug hook; browser said: ${lost.message || lost.reason})`)
        : new GpuDeviceLostError(lost.reason, lost.message);
    events.dispatchEvent(new CustomEvent('device-lost', { detail: ctx.lost }));
  });
  device.addEventListener('uncapturederror', (ev) => {
    const error = (ev as GPUUncapturedErrorEvent).error;
    const kind = error.constructor?.name ?? 'GPUError';
    events.dispatchEvent(new CustomEvent('gpu-error', { detail: { kind, message: error.message } }));
  });
  return ctx;
}

function summarize(adapter: GPUAdapter, device: GPUDevice, hasTimestamps: boolean): AdapterSummary {
  const info = adapter.info;
  const l = device.limits;
  return {
    vendor: info.vendor || 'unknown vendor',
    architecture: info.architecture || 'unknown architecture',
    device: info.device || '',
    description: info.description || '',
    isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter),
    hasTimestamps,
    hasSubgroups: device.features.has('subgroups'),
    limits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    },
  };
}

// Devices destroyed on purpose to simulate a loss, with why: their loss is reported like a real one.
const forcedLosses = new WeakMap<GPUDevice, string>();

/**
 * Loses the device for real (`device.destroy()`) but reports it as a loss — `device-lost` event, `gpu.lost`
 * set — unlike `gpu.destroy()`. For fault-injection tests and the `?debug=lose-device-after-row=N` hook.
 */
export function forceDeviceLoss(gpu: GpuContext, why = 'loss forced for testing'): void {
  if (gpu.lost || forcedLosses.has(gpu.device)) return;
  forcedLosses.set(gpu.device, why);
  gpu.device.destroy();
}

/**
 * Resolves to the device's loss as a GpuDeviceLostError if the device is lost now or within `waitMs`,
 * else null. After a failed GPU call this tells a device loss (whose promise may settle a moment after the
 * failing call rejects) from any other failure. Also true after our own `destroy()`: work on a destroyed
 * context is lost work too.
 */
export async function lossOf(gpu: GpuContext, waitMs = 1000): Promise<GpuDeviceLostError | null> {
  if (gpu.lost) return gpu.lost;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const info = await Promise.race([gpu.device.lost, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)))]);
  clearTimeout(timer);
  if (!info) return null;
  // The context's own handler may not have run yet: give it a turn, then prefer its (forced-aware) error.
  await Promise.resolve();
  return gpu.lost ?? new GpuDeviceLostError(info.reason, info.message || 'the device was destroyed while work was running');
}

/** Throws the loss error if the device is gone, so calls fail with a clear message instead of hanging. */
export function assertAlive(gpu: GpuContext): void {
  if (gpu.lost) throw gpu.lost;
}
