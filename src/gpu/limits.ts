import { GpuLimitError } from './errors';

/** The subset of `GPUSupportedLimits` the size checks read (plain data, so Node tests can pass numbers). */
export interface SizeLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** Checks a storage buffer of `bytes` against maxBufferSize and maxStorageBufferBindingSize. */
export function checkStorageSize(limits: SizeLimits, bytes: number, what: string): void {
  if (!Number.isFinite(bytes) || bytes < 0) {
    throw new GpuLimitError(what, 'maxBufferSize', limits.maxBufferSize, bytes);
  }
  if (bytes > limits.maxBufferSize) {
    throw new GpuLimitError(what, 'maxBufferSize', limits.maxBufferSize, bytes);
  }
  if (bytes > limits.maxStorageBufferBindingSize) {
    throw new GpuLimitError(what, 'maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize, bytes);
  }
}

/** Checks a dispatch's workgroup counts against maxComputeWorkgroupsPerDimension. */
export function checkWorkgroups(limits: SizeLimits, counts: readonly number[], what: string): void {
  for (const c of counts) {
    if (c > limits.maxComputeWorkgroupsPerDimension) {
      throw new GpuLimitError(what, 'maxComputeWorkgroupsPerDimension', limits.maxComputeWorkgroupsPerDimension, c, 'workgroups in one dimension');
    }
  }
}

/** Rounds `n` up to a multiple of `m`. */
export function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/** Splits `groups` workgroups over x and y so neither exceeds `maxPerDim` (shaders rebuild the flat index). */
export function gridFor(groups: number, maxPerDim = 65535): [number, number] {
  if (groups <= maxPerDim) return [groups, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y];
}
