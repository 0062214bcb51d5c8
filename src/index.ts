// Public API of Gradient Playground's GPU library (row-major f32 everywhere).

// WebGPU runtime
export { requestGpu, assertAlive } from './gpu/context';
export type { GpuContext, AdapterSummary, RequestGpuOptions, GpuEventMap } from './gpu/context';
export * from './gpu/errors';
export { GpuBatch, f32, u32 } from './gpu/batch';
export type { Readback } from './gpu/batch';
export { BufferPool, uploadBuffer, readBuffer, sizeClass } from './gpu/buffers';
export { checkStorageSize, checkWorkgroups, gridFor } from './gpu/limits';
export { createKernelLayout } from './gpu/layout';
export { createShaderModule, getPipeline } from './gpu/shader';
export { GpuTimer, sumByKernel } from './gpu/timer';
export type { KernelTiming } from './gpu/timer';

// Kernels: high-level calls and encode-level modules
export { ACTIVATIONS } from './kernels/activations';
export type { Activation } from './kernels/activations';
export { createElementwiseKernel, activationForward, activationBackward, normalizeColumns } from './kernels/elementwise';
export type { ElementwiseKernel } from './kernels/elementwise';
export { createMatmulKernel, matmul, pickMatmulVariant } from './kernels/matmul';
export type { MatmulKernel, MatmulArgs, MatmulShape, MatmulTiles, MatmulVariant, MatmulKernelOptions } from './kernels/matmul';
export { createMomentsKernel, moments, momentsAll, makeMomentsPlan } from './kernels/moments';
export type { MomentsKernel, MomentsColumnsArgs, MomentsAllArgs } from './kernels/moments';
export { createNormsKernel, l2Norms, decodeNorms, pickSegmentsPerGroup, checkOffsets, NORM_WORDS, NORM_STATUS } from './kernels/norms';
export type { NormsKernel, NormsArgs } from './kernels/norms';

// float64 CPU references and test utilities
export * from './kernels/cpu/elementwise-ref';
export { matmulRef, matmulTolerance, matmulErrorBound } from './kernels/cpu/matmul-ref';
export { momentsRef, momentsAllRef, naiveVarianceF32, welfordRef, mergeMomentsRef } from './kernels/cpu/moments-ref';
export { l2NormsRef } from './kernels/cpu/norms-ref';
export { makeRng, makeUniform, makeNormal } from './kernels/cpu/random';
export { compareArrays } from './kernels/compare';
export type { Comparison } from './kernels/compare';

// Depth lab: deep nets, sweeps, predictions
export { runDeepNet, runDeepNets, NetResources } from './experiments/deep-net';
export type { DeepNetRun, RunOptions } from './experiments/deep-net';
export { runSweep, makeChunks } from './experiments/sweep';
export type { Sweep, SweepProgress, SweepResult } from './experiments/sweep';
export {
  DEFAULT_CONFIG,
  CONFIG_LIMITS,
  INIT_SCHEMES,
  INPUT_KINDS,
  validateDeepNetConfig,
  configProblems,
  memoryEstimate,
} from './experiments/deep-net-config';
export type { DeepNetConfig, InitScheme, InputKind } from './experiments/deep-net-config';
export type { DeepNetResult, LayerStats, LayerStatuses } from './experiments/deep-net-types';
export { deepNetRef } from './experiments/cpu/deep-net-ref';
export { makeWeights, makeInput, weightVariance } from './experiments/init';
export { classify, OVERFLOW_THRESHOLD, UNDERFLOW_THRESHOLD } from './experiments/classify';
export type { ValueStatus } from './experiments/classify';
export { predict, verdict, predictedLimitLayer } from './experiments/predictions';
export { makeSweepGrid, depthRange, parseNumberList } from './experiments/sweep-grid';
export type { SweepSpec } from './experiments/sweep-grid';
export { PRESETS, findPreset } from './experiments/presets';
export { estimateBytes, fieldProblem } from './experiments/deep-net-config';
export type { DeepNetConfigInput, ConfigProblem, MemoryEstimate } from './experiments/deep-net-config';
export { LAYER_STAT_NAMES } from './experiments/deep-net-types';
export type { LayerStatName } from './experiments/deep-net-types';
export type { DeepNetRefResult, DeepNetTensors } from './experiments/cpu/deep-net-ref';
export { deriveSeed } from './experiments/init';
export { classifyArray, classifyLayers, firstLayerWhere, STAT_KINDS } from './experiments/classify';
export type { ValueKind } from './experiments/classify';
export { f32Limits, predictionTolerance, F32_MAX, F32_MIN_NORMAL, F32_MIN_SUBNORMAL } from './experiments/predictions';
export type { Prediction, Verdict, F32Limits, LimitForecast } from './experiments/predictions';
export { DEFAULT_SWEEP, MAX_SWEEP_ROWS, SWEEP_KINDS, formatNumberList, parseSweepSpec, parseInitList } from './experiments/sweep-grid';
export type { SweepKind, SweepRow } from './experiments/sweep-grid';
export type { Preset } from './experiments/presets';
export { encodeState, decodeState } from './state/url-state';
export type { ExperimentState, UrlProblem } from './state/url-state';

// Colour maps, ticks and the heatmap model (the Lit components are imported from src/ui/ directly).
export * from './viz/colormap';
export * from './viz/ticks';
export { CellStatus, makeHeatmapModel, cellAt, cellInfo } from './viz/heatmap-model';
export type { HeatmapData, HeatmapModel } from './viz/heatmap-model';

// Normalization lab (issue 4)
export { NORMALIZE_MODES } from './experiments/normalize-types';
export type * from './experiments/normalize-types';

// Shader performance (issue 5)

// Robustness: CPU fallback, device-loss resume (issue 6)

// WGSL playground (issue 7)
