// Public API of Gradient Playground's GPU library (row-major f32 everywhere).
export { requestGpu, assertAlive } from './gpu/context';
export type { GpuContext, AdapterSummary, RequestGpuOptions, GpuEventMap } from './gpu/context';
export * from './gpu/errors';
export { GpuBatch, f32, u32 } from './gpu/batch';
export type { Readback } from './gpu/batch';
export { BufferPool, uploadBuffer, readBuffer, sizeClass } from './gpu/buffers';
export { checkStorageSize, checkWorkgroups, gridFor } from './gpu/limits';
export { createShaderModule, getPipeline } from './gpu/shader';
export { GpuTimer, sumByKernel } from './gpu/timer';
export type { KernelTiming } from './gpu/timer';

export { ACTIVATIONS } from './kernels/activations';
export {
  createElementwiseKernel,
  activationForward,
  activationBackward,
  normalizeColumns,
} from './kernels/elementwise';
export type { Activation, ElementwiseKernel } from './kernels/elementwise';
export * from './kernels/cpu/elementwise-ref';
export { makeRng, makeUniform, makeNormal } from './kernels/cpu/random';
export { compareArrays } from './kernels/compare';
export type { Comparison } from './kernels/compare';
