/** Typed errors of the WebGPU runtime: each message says what went wrong and what the user can do. */
import { formatCount } from '../errors';

const BROWSERS =
  'Use Chrome or Edge 113+ (desktop), Chrome 121+ on Android, Safari 26+, or Firefox 141+ on Windows; ' +
  'on Linux start Chrome/Chromium with --enable-unsafe-webgpu --enable-features=Vulkan.';

/** Base class of every error this library throws on purpose. */
export class GpuError extends Error {
  override name = 'GpuError';
}

/** `navigator.gpu` is missing: the browser has no WebGPU, or the page is not a secure context. */
export class WebGpuUnsupportedError extends GpuError {
  override name = 'WebGpuUnsupportedError';
  constructor(readonly secureContext: boolean) {
    super(
      secureContext
        ? `This browser does not expose WebGPU (navigator.gpu is undefined). ${BROWSERS}`
        : 'WebGPU needs a secure context: open the playground from https:// or http://127.0.0.1 / ' +
            'http://localhost, not from file:// or a plain-http LAN address.',
    );
  }
}

/** `requestAdapter()` returned null: WebGPU exists but no usable GPU (or software adapter) was found. */
export class GpuAdapterUnavailableError extends GpuError {
  override name = 'GpuAdapterUnavailableError';
  constructor() {
    super(
      'WebGPU is present but no GPU adapter is available (requestAdapter() returned null). ' +
        'Check that hardware acceleration is on (chrome://settings/system), that the GPU is not ' +
        'blocklisted (chrome://gpu), or try chrome://flags/#enable-unsafe-webgpu. ' +
        'Without a GPU, Chromium can use its SwiftShader CPU adapter: ' +
        '--enable-unsafe-webgpu --enable-features=Vulkan --use-vulkan=swiftshader --use-webgpu-adapter=swiftshader.',
    );
  }
}

/** `requestDevice()` failed, usually because a requested feature or limit was refused. */
export class GpuDeviceRequestError extends GpuError {
  override name = 'GpuDeviceRequestError';
  constructor(override readonly cause: unknown) {
    super(
      `The GPU adapter refused to create a device: ${String((cause as Error)?.message ?? cause)}. ` +
        'Close other tabs using the GPU and reload; if it persists, update the browser or GPU driver.',
    );
  }
}

/** One message of `getCompilationInfo()`, with the shader's file path. */
export interface ShaderMessage {
  file: string;
  line: number;
  column: number;
  type: GPUCompilationMessageType;
  message: string;
}

/** A WGSL shader failed to compile; `messages` carry `file:line:col`. */
export class ShaderCompileError extends GpuError {
  override name = 'ShaderCompileError';
  constructor(
    readonly file: string,
    readonly messages: ShaderMessage[],
  ) {
    super(`${file} failed to compile:\n` + messages.map((m) => `${m.file}:${m.line}:${m.column} ${m.type}: ${m.message}`).join('\n'));
  }
}

/** Pipeline creation failed validation (e.g. a bad override constant or workgroup size). */
export class PipelineError extends GpuError {
  override name = 'PipelineError';
  constructor(
    readonly label: string,
    detail: string,
  ) {
    super(`Could not create pipeline ${label}: ${detail}`);
  }
}

/** A request exceeds a device limit; names the limit, its value and the requested amount. */
export class GpuLimitError extends GpuError {
  override name = 'GpuLimitError';
  constructor(
    readonly what: string,
    readonly limit: string,
    readonly allowed: number,
    readonly requested: number,
    readonly unit = 'bytes',
    /** What to change so it fits (default: a generic "use smaller sizes"). */
    readonly suggestion = 'Use smaller sizes (fewer rows, columns, layers or batch items).',
  ) {
    super(`${what} needs ${formatCount(requested)} ${unit}, but this device's ${limit} is ` + `${formatCount(allowed)} ${unit}. ${suggestion}`);
  }
}

/**
 * The GPU reported out-of-memory (an `out-of-memory` error scope fired): the request was within the
 * device's limits, but the device had no memory left for it. Names what was being allocated, about
 * how much it needed, and what to make smaller.
 */
export class GpuOutOfMemoryError extends GpuError {
  override name = 'GpuOutOfMemoryError';
  constructor(
    readonly what: string,
    /** Bytes the failed work had asked for (its buffers), or NaN when unknown. */
    readonly requested: number,
    /** The device's maxBufferSize, for scale (free memory is less and cannot be queried). */
    readonly allowed: number,
    detail: string,
    readonly suggestion = 'Use a smaller batch or width (or fewer layers), close other GPU-heavy tabs, and run again.',
  ) {
    super(
      `The GPU ran out of memory for ${what}` +
        (Number.isFinite(requested) ? `: it needed about ${formatCount(requested)} bytes` : '') +
        (Number.isFinite(allowed) ? `, within this device's maxBufferSize of ${formatCount(allowed)} bytes per buffer, but more than it had free` : '') +
        ` (${detail || 'out-of-memory error'}). ${suggestion}`,
    );
  }
}

/** The device was lost (driver reset, GPU process crash); the context must be recreated. */
export class GpuDeviceLostError extends GpuError {
  override name = 'GpuDeviceLostError';
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`The GPU device was lost (${reason}): ${detail || 'no detail'}. Reload the page or press "Reconnect".`);
  }
}
