/**
 * The app's GPU context: requestGpu with the app's kernel sources (the user kernels switched on in the
 * Shaders view) and the app's tuning store (localStorage, with dropped or refused records reported to the
 * storage notices). Every view creates its context here, so a custom kernel runs in the labs, the Kernel
 * check and Performance alike, and an autotune result reaches every 'auto' matmul.
 */
import { requestGpu, type GpuContext, type KernelSources, type RequestGpuOptions } from '../gpu/context';
import { MatmulTuningStore, type TuningStorage } from '../kernels/matmul-tuning';
import { kernelOverrides } from '../playground/kernel-overrides';
import { storageNotices } from '../playground/storage-notices';

function browserStorage(): TuningStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // e.g. storage disabled for this origin
  }
}

/** The shader text the app's kernels run: a verified user kernel switched on for the file, else the built-in. */
export const appSources: KernelSources = { code: (file) => kernelOverrides.codeFor(file) };

/** The app's matmul tunings, kept in localStorage; invalid stored records are removed and named in a notice. */
export const appTunings = new MatmulTuningStore(browserStorage(), (key, kind, text) => storageNotices.add(key, kind, text));

/** requestGpu with the app's sources and tunings (other options as given). */
export function requestAppGpu(options: Omit<RequestGpuOptions, 'sources' | 'tunings'> = {}): Promise<GpuContext> {
  return requestGpu({ ...options, sources: appSources, tunings: appTunings });
}
