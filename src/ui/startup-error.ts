import { GpuAdapterUnavailableError, GpuDeviceRequestError, WebGpuUnsupportedError } from '../gpu/errors';
import { msg } from '@lit/localize';

/** What the app shows when it cannot get a GPU: a headline by error class, and the error's own advice. */
export interface StartupErrorView {
  kind: 'unsupported' | 'insecure' | 'no-adapter' | 'device-request' | 'unknown';
  title: string;
  message: string;
}

/** Maps an error thrown by `requestGpu` to the panel gp-app shows (DOM-free, so Node tests can check it). */
export function describeStartupError(err: unknown): StartupErrorView {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof WebGpuUnsupportedError) {
    return err.secureContext
      ? { kind: 'unsupported', title: msg('This browser does not support WebGPU'), message }
      : { kind: 'insecure', title: msg('WebGPU needs a secure context'), message };
  }
  if (err instanceof GpuAdapterUnavailableError) return { kind: 'no-adapter', title: msg('No GPU adapter available'), message };
  if (err instanceof GpuDeviceRequestError) return { kind: 'device-request', title: msg('The GPU refused to create a device'), message };
  return { kind: 'unknown', title: msg('Could not start WebGPU'), message };
}
