// Public API of Gradient Playground's GPU library (row-major f32 everywhere), by layer from the bottom up.

// Errors and the WebGPU runtime
export { requestGpu, assertAlive, BUILTIN_SOURCES, memoryTunings } from './gpu/context';
export type { GpuContext, AdapterSummary, RequestGpuOptions, GpuEventMap, KernelSources, KernelTunings } from './gpu/context';
export * from './gpu/errors';
export { InputError, CpuCapError } from './errors';
export { GpuBatch, f32, u32 } from './gpu/batch';
export type { Readback } from './gpu/batch';
export { BufferPool, uploadBuffer, readBuffer, sizeClass } from './gpu/buffers';
export { checkStorageSize, checkWorkgroups, gridFor } from './gpu/limits';
export { createKernelLayout } from './gpu/layout';
export { createShaderModule, getPipeline } from './gpu/shader';
export { uniformWriter, structLayout, UniformLayoutError } from './gpu/uniforms';
export type { UniformWriter, UniformValue, UniformValues, StructLayout, TypeLayout } from './gpu/uniforms';
export { GpuTimer, sumByKernel } from './gpu/timer';
export type { KernelTiming } from './gpu/timer';
export { isSoftwareAdapter, hasSubgroupsOf } from './gpu/adapter';
export type { AdapterClues } from './gpu/adapter';
export { parseDebugFlags, wgslLoggingEnabled, formatPipelineLog } from './gpu/debug-flags';
export { markGpuTrack } from './gpu/timer';
export { forceDeviceLoss, lossOf } from './gpu/context';
export { parseDebugOptions, pageDebugFlags, DeviceLossInjector } from './gpu/debug';
export type { DebugFlags } from './gpu/debug';
export { withWatchdog, watchdogMs, formatLimit, WatchdogTimeoutError, WATCHDOG_BASE_MS, WATCHDOG_WORK_UNIT } from './gpu/watchdog';
export { parseWgsl, stripComments } from './gpu/wgsl-parse';
export type { WgslInterface, WgslBinding, WgslOverride, WgslEntryPoint, WgslStruct, WgslField } from './gpu/wgsl-parse';

// Kernels: high-level calls, encode-level modules and their checks
export { ACTIVATIONS } from './kernels/activations';
export type { Activation } from './kernels/activations';
export { createElementwiseKernel, activationForward, activationBackward, normalizeColumns } from './kernels/elementwise';
export type { ElementwiseKernel } from './kernels/elementwise';
export { createMatmulKernel, matmul } from './kernels/matmul';
export type { MatmulKernel, MatmulArgs, MatmulShape, MatmulKernelOptions } from './kernels/matmul';
export type { MatmulTiles, MatmulVariant } from './kernels/matmul-variants';
export { createMomentsKernel, moments, momentsAll, makeMomentsPlan, momentsWorkgroup, momentsWorkgroupFor } from './kernels/moments';
export type { MomentsKernel, MomentsColumnsArgs, MomentsAllArgs } from './kernels/moments';
export { createNormsKernel, l2Norms, decodeNorms, pickSegmentsPerGroup, checkOffsets, NORM_WORDS, NORM_STATUS } from './kernels/norms';
export type { NormsKernel, NormsArgs } from './kernels/norms';
export { compareArrays } from './kernels/compare';
export type { Comparison } from './kernels/compare';
export { createResidualSumsqKernel, residualSumsq, sumBlocks, RESIDUAL_SUMSQ_BLOCK } from './kernels/residual-sumsq';
export type { ResidualSumsqKernel, ResidualSumsqArgs } from './kernels/residual-sumsq';
export { vec4Aligned, subgroupVec4Aligned, autoMatmulVariant } from './kernels/matmul';
export { MATMUL_VARIANTS, defaultMatmulConfig, pickMatmulVariant, supportsSubgroupMatmul } from './kernels/matmul-variants';
export type { MatmulVariantInfo, MatmulSizes } from './kernels/matmul-variants';
export { MATMUL_TUNING_PREFIX, MatmulTuningStore, getMatmulTuning, setMatmulTuning, matmulAdapterKey, checkMatmulTuning } from './kernels/matmul-tuning';
export type { MatmulTuning, TuningStorage, TuningStorageReporter } from './kernels/matmul-tuning';
export { autotuneMatmul, MATMUL_CANDIDATES, TUNING_SHAPES, VERIFY_SHAPES } from './kernels/autotune';
export type { AutotuneOptions, MatmulCandidate } from './kernels/autotune';
export type { MomentsKernelOptions } from './kernels/moments';
export { createCopyKernel, copyFloats } from './kernels/copy';
export type { CopyKernel, CopyArgs } from './kernels/copy';
export { createFmaRoofKernel, fmaRoof, fmaRoofRef, FMA_LANES, FMA_CHAINS } from './kernels/fma-roof';
export type { FmaRoofKernel } from './kernels/fma-roof';
export { createTrainStepKernel } from './kernels/train-step';
export type { TrainStepKernel } from './kernels/train-step';

// float64 CPU references and test utilities
export * from './kernels/cpu/elementwise-ref';
export { matmulRef, matmulTolerance, matmulErrorBound } from './kernels/cpu/matmul-ref';
export { momentsRef, momentsAllRef, naiveVarianceF32, welfordRef, mergeMomentsRef } from './kernels/cpu/moments-ref';
export { l2NormsRef } from './kernels/cpu/norms-ref';
export { makeRng, makeUniform, makeNormal } from './kernels/cpu/random';
export { residualSumsqRef } from './kernels/cpu/residual-sumsq-ref';

// Depth lab: deep nets, sweeps, statuses, predictions, phase map, presets, export and URL state
export { runDeepNet, runDeepNets, NetResources } from './labs/depth/deep-net';
export type { DeepNetRun, RunOptions } from './labs/depth/deep-net';
export { runSweep, makeChunks } from './labs/depth/sweep';
export type { Sweep, SweepProgress, SweepResult } from './labs/depth/sweep';
export { DEFAULT_CONFIG, CONFIG_LIMITS, INIT_SCHEMES, INPUT_KINDS, validateDeepNetConfig, configProblems, memoryEstimate } from './labs/depth/config';
export type { DeepNetConfig, InitScheme, InputKind } from './labs/depth/config';
export type { DeepNetResult, LayerStats, LayerStatuses } from './labs/depth/types';
export { deepNetRef } from './labs/depth/cpu/deep-net-ref';
export { makeWeights, makeInput, weightVariance } from './labs/depth/init';
export { classify, OVERFLOW_THRESHOLD, UNDERFLOW_THRESHOLD } from './labs/depth/classify';
export type { ValueStatus } from './labs/depth/classify';
export { predict, verdict, predictedLimitLayer } from './labs/depth/predictions';
export { makeSweepGrid, depthRange, parseNumberList } from './labs/depth/sweep-grid';
export type { SweepSpec } from './labs/depth/sweep-grid';
export { PRESETS, findPreset, presetRun, presetSizeFor } from './labs/depth/presets';
export { estimateBytes, fieldProblem } from './labs/depth/config';
export type { DeepNetConfigInput, ConfigProblem, MemoryEstimate } from './labs/depth/config';
export { LAYER_STAT_NAMES } from './labs/depth/types';
export type { LayerStatName } from './labs/depth/types';
export type { DeepNetRefResult, DeepNetTensors } from './labs/depth/cpu/deep-net-ref';
export { deriveSeed } from './labs/depth/init';
export { classifyArray, classifyLayers, firstLayerWhere, STAT_KINDS } from './labs/depth/classify';
export { classifyRun, describeCause, lostCause, propagateLost, STATUS_MEANINGS } from './labs/depth/classify';
export type { ValueKind } from './labs/depth/classify';
export { f32Limits, predictionTolerance, F32_MAX, F32_MIN_NORMAL, F32_MIN_SUBNORMAL } from './labs/depth/predictions';
export type { Prediction, Verdict, F32Limits, LimitForecast } from './labs/depth/predictions';
export { DEFAULT_SWEEP, MAX_SWEEP_ROWS, SWEEP_KINDS, formatNumberList, parseSweepSpec, parseInitList } from './labs/depth/sweep-grid';
export type { SweepKind, SweepRow } from './labs/depth/sweep-grid';
export type { Preset, PresetRun, PresetSize } from './labs/depth/presets';
export { encodeState, decodeState } from './labs/depth/url-state';
export { buildPhaseMap, phaseMapSweep, validatePhaseMapSpec, defaultPhaseMapSpec, predictedCriticalGain, PHASE_QUANTITIES } from './labs/depth/phase-map';
export type { PhaseMap, PhaseMapSpec, PhaseQuantity } from './labs/depth/phase-map';
export type { ExperimentState, UrlProblem } from './labs/depth/url-state';
export { runDeepNetCpu, runDeepNetsCpu, runSweepCpu, cpuCapProblem, checkCpuCaps, CPU_LIMITS, cpuWork, cpuMemoryBytes } from './labs/depth/cpu/deep-net-cpu';
export type { CpuRunOptions } from './labs/depth/cpu/deep-net-cpu';
export { checkNetBuffers, checkGpuContext, withOomScope, explainFailure } from './labs/depth/deep-net';
export type { NetShape } from './labs/depth/deep-net';

// Normalization lab: data, CSV, study and descent, explanations, export and URL state
export { featureAxisTitle } from './labs/normalize/axis-title';
export {
  LAB_LIMITS,
  DEFAULT_LAB_STATE,
  LR_SCALES,
  PLOT_NAMES,
  MODE_LABELS,
  MODE_COLORS,
  defaultLabState,
  draftFromState as normalizeDraftFromState,
  parseLabDraft,
  parseLabNumber,
  labFieldProblem,
  splitProblem,
  modeLearningRate,
  lrToSlider,
  sliderToLr,
} from './labs/normalize/form';
export type { LabData, LrScale, PlotName, NormalizeLabState, LabDraft as NormalizeLabDraft, ParsedLabDraft } from './labs/normalize/form';
export {
  encodeNormalizeState,
  decodeNormalizeState,
  normalizeHashQuery,
  formatRanges,
  parseRanges,
  NORMALIZE_PARAMS,
  NORMALIZE_URL_VERSION,
} from './labs/normalize/url-state';
export type { NormalizeUrlProblem } from './labs/normalize/url-state';
export {
  makeNormalizeExport,
  normalizeExportJsonText,
  normalizeSummaryCsv,
  normalizePathsCsv,
  normalizeExportFilename,
  descentOutcome,
  pathRows,
  summaryCsvColumns,
} from './labs/normalize/export';
export type { NormalizeLabExport, NormalizeExportMode, NormalizeModeRun, DescentOutcome } from './labs/normalize/export';
export { NORMALIZE_MODES } from './labs/normalize/types';
export type * from './labs/normalize/types';
export { DEFAULT_DATASET_OPTIONS, DATASET_LIMITS, datasetProblems, makeDataset, defaultWeights, testRows } from './labs/normalize/data';
export { CSV_LIMITS } from './labs/normalize/csv';
export { datasetFromTable } from './labs/normalize/csv-dataset';
export { parseCsv } from './labs/normalize/csv-parser';
export type { TableSplitOptions } from './labs/normalize/csv-dataset';
export type { CsvTable, CsvResult } from './labs/normalize/csv-parser';
export { normalizeStudy, gradientDescent } from './labs/normalize/study';
export { checkDataset, checkStudyOptions, checkDescentOptions, STUDY_LIMITS } from './labs/normalize/study-options';
export type { StudyOptions } from './labs/normalize/study-options';
export {
  COST_FLOOR,
  DIVERGENCE_FACTOR,
  columnStatsRef,
  transformParams,
  transformRef,
  secondMomentsRef,
  splitSecondMoments,
  eigenSym2,
  symmetricEigenvalues,
  conditionRef,
  dependentFeaturesError,
  solveSymmetric,
  excessCost,
  costRef,
  optimalBias,
  gridWindow,
  subsampleRows,
  gridDataRef,
  gridCoordinate,
  costGridRef,
  descentRef,
} from './labs/normalize/cpu/normalize-ref';
export type { TransformParams, GridWindow, Quadratic, DescentRefResult } from './labs/normalize/cpu/normalize-ref';

// Training lab: config, GPU and CPU runs, float64 reference, presets, export and URL state
export { runTraining, TRAIN_GPU_CHUNK } from './labs/training/train-gpu';
export type { TrainGpuOptions, TrainGpuResult } from './labs/training/train-gpu';
export { validateTrainConfig, DEFAULT_TRAIN_CONFIG, DEFAULT_LR, TRAIN_FIELDS } from './labs/training/config';
export type { TrainConfig, TrainConfigInput, Optimizer } from './labs/training/config';
export { trainRef, makeTrainer, makeTrainData } from './labs/training/cpu/train-ref';
export { runTrainingCpu } from './labs/training/cpu/train-cpu';
export { TRAIN_STATUSES, statusName, statusCode, TRAIN_LAYER_STATS } from './labs/training/types';
export type { TrainResult, TrainStatus, TrainLayerStat, TrainBreak } from './labs/training/types';

// Shared by the labs
export { labSettingsFromQueries, currentLabSettings, rememberLabQuery, lastLabQuery } from './labs/lab-settings';

// Chart models (DOM-free)
export * from './viz/colormap';
export * from './viz/ticks';
export { CellStatus, makeHeatmapModel, cellAt, cellInfo } from './viz/heatmap-model';
export type { HeatmapData, HeatmapModel } from './viz/heatmap-model';
export { makeContours, marchingSquares, contourLevels, finiteRange, gridToWeights, weightsToGrid } from './viz/contours';
export type { Contours, ContourLine, ContourOptions } from './viz/contours';
export { makeScatterModel, niceTicks, paddedRange, strideIndices } from './viz/scatter-model';
export type { PointRows } from './viz/scatter-model';
export type { ScatterModel, ScatterAxis, ScatterSeries, ScatterInput } from './viz/scatter-model';

// The Shaders view's DOM-free parts: catalog, WGSL reader, compile, verify, time, overrides, drafts, share links
export { KERNEL_CATALOG, findKernel, makeCatalogKernel, headerComment } from './playground/catalog';
export type { CatalogKernel, KernelFamily } from './playground/catalog';
export { KernelOverrides, kernelOverrides, activeKernelCode, OVERRIDES_KEY } from './playground/kernel-overrides';
export type { KernelOverride, KernelOverrideChange, OverrideStorage } from './playground/kernel-overrides';
export { DraftStore } from './playground/drafts';
export {
  encodeSharePayload,
  decodeSharePayload,
  makeShareHash,
  readShareHash,
  kernelInHash,
  ShareLinkError,
  MAX_SHARE_CHARS,
  MAX_SHARE_DECODED_BYTES,
} from './playground/share-link';
export { diffLines, diffHunks, diffStats } from './playground/line-diff';
export { checkOverrideRecord, checkOverrideList, checkDraft, checkBackupList, MAX_BACKUPS } from './playground/storage-schema';
export { StorageNotices, storageNotices } from './playground/storage-notices';
export type { SharedKernel } from './playground/share-link';
export { compileKernel, compileDiagnostics, buildKernel, offsetOf } from './playground/compile';
export type { WgslDiagnostic, CompileOutcome } from './playground/compile';
export { verifyKernel, summarizeVerify } from './playground/verify';
export { verifyCasesFor, MAX_LAB_MATMUL_WORK, MAX_LAB_ELEMENTS } from './playground/verify-shapes';
export { MATMUL_VERIFY_CASES, matmulCaseInputs } from './playground/verify-matmul';
export type { VerifyCase, VerifyReport, VerifyOptions } from './playground/verify';
export { timeKernel } from './playground/timing';
export type { TimingReport, TimingSide, TimeOptions as KernelTimeOptions } from './playground/timing';
export type { LabSettings, DepthLabShapeSettings, NormalizeLabShapeSettings } from './playground/lab-shapes';
export { guardOverrides, switchedOffMessage, switchOffAfter, withSwitchOff } from './playground/override-guard';
export type { OverrideGuard, SwitchOffReason } from './playground/override-guard';
export { NAIVE_MATMUL_DIRECT_WGSL, NAIVE_MATMUL_TILED_WGSL, naiveMatmulFor } from './playground/examples';

// Benchmarks
export { createSumsqNaiveKernel } from './bench/sumsq-naive';
export type { SumsqNaiveKernel } from './bench/sumsq-naive';
export { gflops, gbps, median, ratio, matmulFlop, minBytes, gpuSpanMs, formatRate, formatRatio, formatShare } from './bench/bench-math';
export { makeBenchPlan, backpropCases, matmulReps, BENCH_PRESETS, BIG_MATMUL_FLOP } from './bench/cases';
export type { BenchPreset, BenchPlan, MatmulCase } from './bench/cases';
export { timeGpu, timeAsync } from './bench/timing';
export type { Timing, TimingMethod, TimeOptions } from './bench/timing';
export { verifyMatmul, verifyArrays, verifyExact, sampleIndices } from './bench/verify';
export type { Verification } from './bench/verify';
export { runBench, matmulVariants, countRows } from './bench/runner';
export type { BenchRow, BenchGroup, BenchProgress, ExternalImpls, ExternalResult } from './bench/runner';
export { summarize } from './bench/summary';
export type { BenchSummary, SummaryLine, TargetCheck } from './bench/summary';
export { benchSweep, sweepCheckDepths, DEFAULT_SWEEP_BENCH } from './bench/sweep-bench';
export type { SweepBenchConfig, SweepBenchResult } from './bench/sweep-bench';

// App wiring
export { appSources, appTunings, requestAppGpu } from './ui/app-gpu';
