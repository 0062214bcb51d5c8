import matmulWGSL from '../../shaders/matmul.wgsl?raw';
import matmulDirectWGSL from '../../shaders/matmul-direct.wgsl?raw';
import matmulVec4WGSL from '../../shaders/matmul-vec4.wgsl?raw';
import matmulSubgroupWGSL from '../../shaders/matmul-subgroup.wgsl?raw';
import matmulSubgroupVec4WGSL from '../../shaders/matmul-subgroup-vec4.wgsl?raw';
import type { AdapterSummary, GpuContext } from '../gpu/context';
import { GpuBatch, f32 } from '../gpu/batch';
import { bindingSize } from '../gpu/buffers';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, checkWorkgroups, type SizeLimits } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { GpuLimitError } from '../gpu/errors';
import { InputError } from '../errors';
import { checkInt } from './validate';
import { activeKernelCode } from '../playground/kernel-overrides'; // playground hook (issue 7)

/** The kernels behind one API: same Params uniform, same bindings, same dispatch grid formula. */
const SHADERS = {
  tiled: { file: 'shaders/matmul.wgsl', code: matmulWGSL },
  direct: { file: 'shaders/matmul-direct.wgsl', code: matmulDirectWGSL },
  vec4: { file: 'shaders/matmul-vec4.wgsl', code: matmulVec4WGSL },
  subgroup: { file: 'shaders/matmul-subgroup.wgsl', code: matmulSubgroupWGSL },
} as const;
/** The 'subgroup' variant's fast path: B and C as vec4s, for arguments subgroupVec4Aligned accepts. */
const SUBGROUP_VEC4 = { file: 'shaders/matmul-subgroup-vec4.wgsl', code: matmulSubgroupVec4WGSL } as const;
/** Micro-tile side of the tiled kernel, the shader's `const WPT` (accumulators are vec4f). */
const WPT = 4;
/** The direct kernel's blocks are 4×4 (mat4x4f), at most 4 of them down and across (its overrides). */
const DIRECT_BLOCK = 4;
const DIRECT_MAX_BLOCKS = 4;
/** Default invocations per workgroup of the direct and vec4 kernels along n and m (THREADS_X, THREADS_Y). */
const DIRECT_THREADS = 4;
const PARAMS_BYTES = 48;

/**
 * 'tiled' stages operands in workgroup memory (the GPU-shaped kernel); 'direct' keeps a register block per
 * invocation and reads the buffers directly with scalar loads (any shape); 'vec4' is 'direct' with vec4
 * loads and interleaved column blocks, for shapes whose operands split into whole vec4s (other shapes run
 * the 'direct' kernel with the same block sizes); 'subgroup' is 'direct' with the four invocations of a
 * workgroup (one SIMD vector on a CPU adapter) sharing their loads of op(A) through subgroupBroadcast (needs
 * the device's 'subgroups' feature), with B and C read and written as vec4s where shapes allow
 * (subgroupVec4Aligned; shaders/matmul-subgroup-vec4.wgsl).
 */
export type MatmulVariant = 'tiled' | 'direct' | 'vec4' | 'subgroup';
const VARIANTS: readonly (MatmulVariant | 'auto')[] = ['tiled', 'direct', 'vec4', 'subgroup', 'auto'];
/** Invocations per workgroup of the subgroup kernel: one subgroup of 4 lanes (the shader's @workgroup_size(4)). */
const SUBGROUP_LANES = 4;

/** One matmul variant, for benchmarks and the playground to enumerate. */
export interface MatmulVariantInfo {
  name: MatmulVariant;
  /**
   * Its shader (the vec4 variant falls back to shaders/matmul-direct.wgsl for unaligned shapes; the
   * subgroup variant takes shaders/matmul-subgroup-vec4.wgsl for aligned ones).
   */
  file: string;
  /**
   * A second shader the variant runs for arguments whose B and C split into vec4s (subgroup:
   * shaders/matmul-subgroup-vec4.wgsl, see subgroupVec4Aligned). Editing it replaces that path
   * (createMatmulKernel's subgroupVec4Code); switching an edit of it on counts as switching the variant on.
   */
  vec4PathFile?: string;
  /** One line: what it does and where it is meant to run. */
  description: string;
  /** The createMatmulKernel options that size it. */
  options: readonly (keyof MatmulSizes)[];
}

/** Every matmul variant, simplest first. */
export const MATMUL_VARIANTS: readonly MatmulVariantInfo[] = [
  {
    name: 'tiled',
    file: SHADERS.tiled.file,
    description: 'workgroup-memory tiles, 4×4 strided micro-tile per invocation: the GPU-shaped kernel',
    options: ['tileM', 'tileN', 'tileK'],
  },
  {
    name: 'direct',
    file: SHADERS.direct.file,
    description: 'register blocks of 4×4 matrices per invocation, scalar loads, no workgroup memory: any shape',
    options: ['microM', 'microN', 'threadsX', 'threadsY'],
  },
  {
    name: 'vec4',
    file: SHADERS.vec4.file,
    description: 'register blocks with vec4 loads and interleaved column blocks where shapes allow (else direct)',
    options: ['microM', 'microN', 'threadsX', 'threadsY'],
  },
  {
    name: 'subgroup',
    file: SHADERS.subgroup.file,
    vec4PathFile: SUBGROUP_VEC4.file,
    description: "register blocks; the 4 lanes of a subgroup share their loads of A via subgroupBroadcast (needs 'subgroups'): any shape, B and C as vec4s where shapes allow",
    options: ['microM', 'microN'],
  },
];

/**
 * Whether this device can run the 'subgroup' variant: it has the 'subgroups' feature and its subgroups
 * hold at least the 4 invocations of one workgroup (adapter info, where the browser reports it).
 */
export function supportsSubgroupMatmul(gpu: Pick<GpuContext, 'features' | 'info'>): boolean {
  if (!gpu.features.has('subgroups')) return false;
  const min = (gpu.info as { subgroupMinSize?: number } | undefined)?.subgroupMinSize;
  return typeof min !== 'number' || min === 0 || min >= SUBGROUP_LANES;
}

// CPU / software WebGPU implementations: Google SwiftShader, Mesa llvmpipe and lavapipe, Microsoft WARP.
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|\bwarp\b/i;

type AdapterClues = Partial<Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description' | 'isFallbackAdapter'>>;

/** True for CPU / software WebGPU adapters (SwiftShader, llvmpipe, lavapipe, WARP, any fallback adapter). */
export function isSoftwareAdapter(summary: AdapterClues): boolean {
  if (summary.isFallbackAdapter) return true;
  const text = [summary.vendor, summary.architecture, summary.device, summary.description].map((s) => s ?? '').join(' ');
  return SOFTWARE_ADAPTER.test(text);
}

/**
 * The kernel family for an adapter: 'direct' (registers, no workgroup memory) on CPU / software adapters,
 * 'tiled' on GPUs. What 'auto' runs without a tuning is defaultMatmulConfig (a member of the family:
 * 'subgroup' where the device has subgroups).
 */
export function pickMatmulVariant(summary: AdapterClues): MatmulVariant {
  return isSoftwareAdapter(summary) ? 'direct' : 'tiled';
}

/** What 'auto' runs on an adapter that has no tuning (see autotuneMatmul): variant and sizes, plain data. */
export function defaultMatmulConfig(summary: AdapterClues & { hasSubgroups?: boolean }): { variant: MatmulVariant; constants: MatmulSizes } {
  const d = isSoftwareAdapter(summary) ? (summary.hasSubgroups ? CPU_SUBGROUP_DEFAULT : CPU_DEFAULT) : GPU_DEFAULT;
  return { variant: d.variant, constants: { ...d.constants } };
}
const CPU_DEFAULT: { variant: MatmulVariant; constants: MatmulSizes } = { variant: 'direct', constants: { microM: 16, microN: 16, threadsX: DIRECT_THREADS, threadsY: DIRECT_THREADS } };
const CPU_SUBGROUP_DEFAULT: { variant: MatmulVariant; constants: MatmulSizes } = { variant: 'subgroup', constants: { microM: 16, microN: 16 } };
const GPU_DEFAULT: { variant: MatmulVariant; constants: MatmulSizes } = { variant: 'tiled', constants: { tileM: 64, tileN: 64, tileK: 16 } };

/**
 * What 'auto' resolves to on this device: a user kernel switched on for a matmul variant in the Shaders
 * view ("Use it") if there is one the device can run, else the adapter's tuning, else defaultMatmulConfig;
 * a 'subgroup' choice on a device without subgroups becomes 'direct' with the same blocks. `constants` are
 * the tuned or default sizes of that variant (none for an overriding variant that differs from them).
 */
function resolveAuto(gpu: Pick<GpuContext, 'summary' | 'features' | 'info'>): { variant: MatmulVariant; constants: MatmulSizes; source: MatmulKernel['source'] } {
  const subgroups = supportsSubgroupMatmul(gpu);
  const tuned = getMatmulTuning(gpu);
  const chosen = tuned ?? defaultMatmulConfig({ ...gpu.summary, hasSubgroups: subgroups });
  const variant = chosen.variant === 'subgroup' && !subgroups ? 'direct' : chosen.variant;
  const switchedOn = (v: MatmulVariantInfo) => [v.file, v.vec4PathFile].some((f) => f !== undefined && activeKernelCode(f) !== undefined);
  const overridden = MATMUL_VARIANTS.find((v) => switchedOn(v) && (v.name !== 'subgroup' || subgroups));
  if (overridden) return { variant: overridden.name, constants: overridden.name === variant ? chosen.constants : {}, source: 'override' };
  return { variant, constants: chosen.constants, source: tuned ? 'tuned' : 'default' };
}

/** The matmul variant 'auto' runs on this device (see createMatmulKernel's `variant`). */
export function autoMatmulVariant(gpu: Pick<GpuContext, 'summary' | 'features' | 'info'>): MatmulVariant {
  return resolveAuto(gpu).variant;
}

/** Tile sizes of the tiled variant (the TILE_M, TILE_N, TILE_K overrides of shaders/matmul.wgsl). */
export interface MatmulTiles {
  /** Rows of C per workgroup: a multiple of 4 (default 64). */
  tileM?: number;
  /** Columns of C per workgroup: a multiple of 4 (default 64). */
  tileN?: number;
  /** Depth staged in workgroup memory per step (default 16). */
  tileK?: number;
}

/** Micro-tile of the direct and vec4 variants: the block of C each invocation keeps in registers. */
export interface MatmulDirectTiles {
  /** Rows of C per invocation: 4, 8, 12 or 16 (default 16). */
  microM?: number;
  /** Columns of C per invocation: 4, 8, 12 or 16 (default 16). */
  microN?: number;
  /** Invocations per workgroup along n (direct, vec4; default 4). */
  threadsX?: number;
  /** Invocations per workgroup along m (direct, vec4; default 4). */
  threadsY?: number;
}

/** Every size option of every variant (each variant reads its own; see MATMUL_VARIANTS[i].options). */
export type MatmulSizes = MatmulTiles & MatmulDirectTiles;

/**
 * Options of createMatmulKernel. The tile options configure the tiled variant and the micro-tile options
 * the direct one; both are validated whichever variant runs, so a bad option is reported on every
 * adapter, not only on those where 'auto' happens to pick its variant.
 */
export interface MatmulKernelOptions extends MatmulTiles, MatmulDirectTiles {
  /**
   * 'auto' (default): the adapter's tuned choice once autotuneMatmul has run for it (its sizes fill the
   * size options not given), else defaultMatmulConfig: 'direct' on CPU / software adapters, 'tiled' on GPUs.
   */
  variant?: MatmulVariant | 'auto';
  /** WGSL replacing the chosen variant's shader (same bindings and overrides), e.g. to test a mutant. */
  code?: string;
  /**
   * WGSL replacing shaders/matmul-subgroup.wgsl's vec4 path, shaders/matmul-subgroup-vec4.wgsl (variant
   * 'subgroup' only; it runs for the arguments subgroupVec4Aligned accepts, the scalar kernel for others).
   */
  subgroupVec4Code?: string;
}

/** Shape options shared by the GPU kernel and the float64 reference. */
export interface MatmulShape {
  /** Rows of op(A) and C. */
  m: number;
  /** Columns of op(B) and C. */
  n: number;
  /** Columns of op(A) = rows of op(B). */
  k: number;
  /** A is stored k×m and used transposed. */
  transA?: boolean;
  /** B is stored n×k and used transposed. */
  transB?: boolean;
  /** Number of independent products (default 1). */
  batch?: number;
}

/** One encoded C = alpha · op(A) · op(B); offsets and strides are in elements. */
export interface MatmulArgs extends MatmulShape {
  a: GPUBuffer;
  b: GPUBuffer;
  /** Output; must be a different buffer from a and b. */
  c: GPUBuffer;
  offsetA?: number;
  offsetB?: number;
  offsetC?: number;
  /** Elements between batch items; default m·k. 0 broadcasts A to every item. */
  strideA?: number;
  /** Default k·n; 0 broadcasts B. */
  strideB?: number;
  /** Default m·n; must be ≥ m·n when batch > 1 so items do not overwrite each other. */
  strideC?: number;
  /** Scalar multiplier (default 1), e.g. 1/m for a batch-mean gradient. */
  alpha?: number;
}

/** Encode-level matmul: one kernel per variant and tile shape, serving every transA/transB combination. */
export interface MatmulKernel {
  /** The kernel that runs ('auto' resolved; 'vec4' runs 'direct' for shapes it cannot load as vec4s). */
  readonly variant: MatmulVariant;
  /**
   * Where the variant came from: the adapter's tuning, the adapter heuristic ('auto'), the caller, or a
   * user kernel switched on in the Shaders view for that variant ('auto' then runs it).
   */
  readonly source: 'tuned' | 'default' | 'explicit' | 'override';
  /** The size options in effect (e.g. { microM, microN, threadsX, threadsY }). */
  readonly constants: MatmulSizes;
  /** Rows of C per workgroup. */
  readonly tileM: number;
  /** Columns of C per workgroup. */
  readonly tileN: number;
  /** Depth per step: staged in workgroup memory (tiled) or loaded per block (direct, vec4: always 4). */
  readonly tileK: number;
  /** Rows of C per invocation (tiled: 4). */
  readonly microM: number;
  /** Columns of C per invocation (tiled: 4). */
  readonly microN: number;
  /** Records one dispatch into `batch`; validates dimensions, limits and buffer sizes first. */
  encode(batch: GpuBatch, args: MatmulArgs): void;
}

/** Builds (or finds cached) the matmul pipeline(s) for the variant ('auto': tuned, else by adapter) and sizes. */
export async function createMatmulKernel(gpu: GpuContext, options: MatmulKernelOptions = {}): Promise<MatmulKernel> {
  const requested = options.variant ?? 'auto';
  if (!VARIANTS.includes(requested)) {
    throw new InputError('variant', `must be 'tiled', 'direct', 'vec4', 'subgroup' or 'auto', got ${JSON.stringify(requested)}`);
  }
  // Options are validated whichever variant runs, so a bad one is reported on every adapter.
  checkTiles(gpu.limits, options);
  checkDirectTiles(gpu.limits, options);
  // 'auto': the adapter's tuning if there is one, else the heuristic; size options given explicitly win.
  let variant: MatmulVariant;
  let source: MatmulKernel['source'] = 'explicit';
  let sizes: MatmulSizes = options;
  if (requested === 'auto') {
    const auto = resolveAuto(gpu);
    variant = auto.variant;
    source = auto.source;
    sizes = { ...auto.constants, ...definedOnly(options) };
  } else {
    variant = requested;
  }
  if (variant === 'subgroup' && !supportsSubgroupMatmul(gpu)) {
    throw new InputError(
      'variant',
      `'subgroup' needs the WebGPU 'subgroups' feature with subgroups of at least ${SUBGROUP_LANES} invocations, which this device does not offer; use 'direct' (same register blocks, no subgroups)`,
    );
  }
  const tiles = checkTiles(gpu.limits, sizes);
  const micro = checkDirectTiles(gpu.limits, sizes);
  const { tileM, tileN, tileK, microM, microN, constants } = variant === 'tiled' ? tiledShape(tiles) : variant === 'subgroup' ? subgroupShape(micro) : directShape(micro);
  const layout = createKernelLayout(gpu.device, 'matmul', ['uniform', 'read-only-storage', 'read-only-storage', 'storage']);
  const build = (label: string, shader: { file: string; code: string }, code?: string, extra: Record<string, number> = {}) =>
    getPipeline(gpu, {
      label: `matmul.${label}.pipeline`,
      file: shader.file,
      // Playground hook (issue 7): a verified user kernel switched on in the Shaders view replaces the built-in.
      code: code ?? activeKernelCode(shader.file) ?? shader.code,
      layout: layout.pipelineLayout,
      constants: { ...constants, ...extra },
    });
  // Two kernels with the same blocks (same grid) for two variants: 'vec4' runs the scalar 'direct' kernel
  // for shapes it cannot load as vec4s; 'subgroup' runs its vec4 path (B and C as vec4s) for shapes that
  // allow it, unless its scalar kernel is replaced (options.code, or a user kernel switched on) and its
  // vec4 path is not (options.subgroupVec4Code): the replacement then runs for every shape. The vec4 path
  // is two pipelines, one per layout of B (its TRANS_B): a CPU adapter would run both sides of a branch.
  if (options.subgroupVec4Code !== undefined && variant !== 'subgroup') {
    throw new InputError('subgroupVec4Code', `replaces the 'subgroup' variant's vec4 path, but the variant here is '${variant}'`);
  }
  if (options.subgroupVec4Code !== undefined && !/\boverride\s+TRANS_B\b/.test(options.subgroupVec4Code)) {
    throw new InputError('subgroupVec4Code', "must declare 'override TRANS_B: bool' (one pipeline is built for B stored k×n, TRANS_B = false, and one for B stored n×k, TRANS_B = true)");
  }
  const replaced = options.code !== undefined || activeKernelCode(SHADERS[variant].file) !== undefined;
  const fastPath = variant === 'subgroup' && (options.subgroupVec4Code !== undefined || !replaced);
  const vec4Path = (transB: boolean) => build(`subgroup-vec4${transB ? '.transB' : ''}`, SUBGROUP_VEC4, options.subgroupVec4Code, { TRANS_B: Number(transB) });
  const [pipeline, directFallback, vec4Paths] = await Promise.all([
    build(variant, SHADERS[variant], options.code),
    variant === 'vec4' ? build('direct', SHADERS.direct) : null,
    fastPath ? Promise.all([vec4Path(false), vec4Path(true)]) : null,
  ]);
  /** The pipeline for these arguments, and the dispatch label's suffix naming a fallback or fast path. */
  const choose = (p: CheckedArgs): [GPUComputePipeline, string] => {
    if (directFallback) return vec4Aligned(p) ? [pipeline, ''] : [directFallback, '.scalar'];
    if (vec4Paths && subgroupVec4Aligned(p)) return [vec4Paths[Number(p.transB)], '.vec4'];
    return [pipeline, ''];
  };

  return {
    variant,
    source,
    constants: variant === 'tiled' ? tiles : variant === 'subgroup' ? { microM: micro.microM, microN: micro.microN } : micro,
    tileM,
    tileN,
    tileK,
    microM,
    microN,
    encode(batch, args) {
      const p = checkArgs(gpu.limits, args);
      const groups = [Math.ceil(p.n / tileN), Math.ceil(p.m / tileM), p.batch];
      checkWorkgroups(gpu.limits, groups, 'matmul dispatch');
      const [chosen, suffix] = choose(p);
      const label = `matmul[${p.m}×${p.k}${p.transA ? 'ᵀ' : ''}·${p.k}×${p.n}${p.transB ? 'ᵀ' : ''}${p.batch > 1 ? `, batch ${p.batch}` : ''}]`;
      const raw = new ArrayBuffer(PARAMS_BYTES);
      const u = new Uint32Array(raw);
      u.set([p.m, p.n, p.k, Number(p.transA), p.offsetA, p.offsetB, p.offsetC, Number(p.transB), p.strideA, p.strideB, p.strideC]);
      new Float32Array(raw)[11] = p.alpha;
      const params = batch.uniform(`${label}.params`, u);
      const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, args.a, args.b, args.c]);
      batch.dispatch(`${label}${suffix}`, chosen, bind, groups as [number, number, number]);
    },
  };
}

/**
 * Whether the vec4 kernel can run these arguments (else it runs 'direct'): every vec4 it loads must lie
 * inside one operand, so the offsets (and, for batch > 1, the strides) are multiples of 4, and so is each
 * operand's contiguous axis (k for A, m when transA; n for B, k when transB). Plain data.
 */
export function vec4Aligned(p: Pick<MatmulArgs, 'm' | 'n' | 'k' | 'batch' | 'transA' | 'transB' | 'offsetA' | 'offsetB' | 'strideA' | 'strideB'>): boolean {
  const four = (x: number | undefined) => (x ?? 0) % 4 === 0;
  const batch = p.batch ?? 1;
  return (
    four(p.offsetA) &&
    four(p.offsetB) &&
    (batch === 1 || (four(p.strideA ?? p.m * p.k) && four(p.strideB ?? p.k * p.n))) &&
    four(p.transA ? p.m : p.k) &&
    four(p.transB ? p.k : p.n)
  );
}

/**
 * Whether the 'subgroup' variant can take its vec4 path (shaders/matmul-subgroup-vec4.wgsl) for these
 * arguments (else it runs shaders/matmul-subgroup.wgsl): every vec4 of B it loads and of C it stores must
 * lie inside one operand and one row of C, so offsetB, offsetC (and, for batch > 1, strideB, strideC) are
 * multiples of 4, and so are n and, when transB, k. A is read with scalar loads (any layout). Plain data.
 */
export function subgroupVec4Aligned(p: Pick<MatmulArgs, 'm' | 'n' | 'k' | 'batch' | 'transB' | 'offsetB' | 'offsetC' | 'strideB' | 'strideC'>): boolean {
  const four = (x: number | undefined) => (x ?? 0) % 4 === 0;
  const batch = p.batch ?? 1;
  return (
    four(p.offsetB) &&
    four(p.offsetC) &&
    (batch === 1 || (four(p.strideB ?? p.k * p.n) && four(p.strideC ?? p.m * p.n))) &&
    four(p.n) &&
    (!p.transB || four(p.k))
  );
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A matmul autotune result (plain data, for the UI): what won on this adapter and what every candidate took. */
export interface MatmulTuning {
  /** Which adapter it belongs to (see matmulAdapterKey). */
  adapterKey: string;
  variant: MatmulVariant;
  /** The winner's size options (createMatmulKernel options). */
  constants: MatmulSizes;
  /** Every candidate: median ms over the tuning shapes (summed), or null if it failed verification. */
  candidates: { variant: MatmulVariant; constants: MatmulSizes; ms: number | null; verified: boolean; error?: string }[];
  /** ISO date of the measurement. */
  measuredAt: string;
}

// Bump when kernels change enough that old tunings should be measured again.
const TUNING_VERSION = 1;
/** localStorage key prefix of cached tunings (the adapter key follows). */
export const MATMUL_TUNING_PREFIX = `gp.matmulTuning.v${TUNING_VERSION}:`;
const TUNING_PREFIX = MATMUL_TUNING_PREFIX;
const tunings = new Map<string, MatmulTuning>();

/** The cache key of an adapter's tuning: vendor, architecture, device and description. */
export function matmulAdapterKey(summary: Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description'>): string {
  return [summary.vendor, summary.architecture, summary.device, summary.description].join('|');
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // e.g. storage disabled for this origin
  }
}

/**
 * Where the tuning store reports what it did to stored records (an invalid one dropped, a save refused):
 * the app shell passes its notice registry here (kernels take what they need as arguments and never read
 * the playground's). null: nobody listens.
 */
export type TuningStorageReporter = (key: string, kind: 'dropped' | 'save-failed', text: string) => void;
let tuningReporter: TuningStorageReporter | null = null;

/** Sets (or with null, removes) the reporter of dropped tuning records and refused saves. */
export function setMatmulTuningReporter(fn: TuningStorageReporter | null): void {
  tuningReporter = fn;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown, min: number, max: number): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max;
// The values createMatmulKernel accepts for each size option on any device (limits are checked on top).
const SIZE_RULES: Record<keyof MatmulSizes, { ok: (v: unknown) => boolean; allowed: string }> = {
  tileM: { ok: (v) => isInt(v, WPT, 1024) && v % WPT === 0, allowed: `a multiple of ${WPT} from ${WPT} to 1024` },
  tileN: { ok: (v) => isInt(v, WPT, 1024) && v % WPT === 0, allowed: `a multiple of ${WPT} from ${WPT} to 1024` },
  tileK: { ok: (v) => isInt(v, 1, 1024), allowed: 'a whole number from 1 to 1024' },
  microM: { ok: (v) => isInt(v, DIRECT_BLOCK, DIRECT_BLOCK * DIRECT_MAX_BLOCKS) && v % DIRECT_BLOCK === 0, allowed: '4, 8, 12 or 16' },
  microN: { ok: (v) => isInt(v, DIRECT_BLOCK, DIRECT_BLOCK * DIRECT_MAX_BLOCKS) && v % DIRECT_BLOCK === 0, allowed: '4, 8, 12 or 16' },
  threadsX: { ok: (v) => isInt(v, 1, 1024), allowed: 'a whole number from 1 to 1024' },
  threadsY: { ok: (v) => isInt(v, 1, 1024), allowed: 'a whole number from 1 to 1024' },
};

/** Checks a variant's size options: only that variant's options, each with an allowed value; null when fine. */
function sizesProblem(variant: MatmulVariant, constants: unknown, limits?: GPUSupportedLimits): string | null {
  if (!isObject(constants)) return 'its sizes are not a record';
  const info = MATMUL_VARIANTS.find((v) => v.name === variant)!;
  for (const [name, value] of Object.entries(constants)) {
    if (!(info.options as readonly string[]).includes(name)) return `${name.slice(0, 20)} is not a size of the ${variant} variant (it has ${info.options.join(', ')})`;
    const rule = SIZE_RULES[name as keyof MatmulSizes];
    if (!rule.ok(value)) return `${name} is ${String(JSON.stringify(value)).slice(0, 20)}, not ${rule.allowed}`;
  }
  if (limits) {
    try {
      checkTiles(limits, constants);
      checkDirectTiles(limits, constants);
    } catch (err) {
      return (err as Error).message;
    }
  }
  return null;
}

/**
 * The schema check of a stored tuning: adapterKey equal to `adapterKey`, a known variant, its sizes among
 * the allowed ones (and within `limits` when given), candidates well formed, measuredAt a date. Never throws.
 */
export function checkMatmulTuning(x: unknown, adapterKey: string, limits?: GPUSupportedLimits): { ok: true; tuning: MatmulTuning } | { ok: false; reason: string } {
  const bad = (reason: string) => ({ ok: false as const, reason });
  if (!isObject(x)) return bad('it is not a record');
  if (x.adapterKey !== adapterKey) return bad('it belongs to another adapter');
  const known = (v: unknown): v is MatmulVariant => MATMUL_VARIANTS.some((i) => i.name === v);
  if (!known(x.variant)) return bad(`its variant ${String(JSON.stringify(x.variant)).slice(0, 20)} is not one of ${MATMUL_VARIANTS.map((v) => v.name).join(', ')}`);
  const sizes = sizesProblem(x.variant, x.constants, limits);
  if (sizes) return bad(sizes);
  if (typeof x.measuredAt !== 'string' || Number.isNaN(Date.parse(x.measuredAt))) return bad('its date is not a date');
  if (!Array.isArray(x.candidates)) return bad('its list of candidates is missing');
  for (const c of x.candidates as unknown[]) {
    const fine =
      isObject(c) &&
      known(c.variant) &&
      sizesProblem(c.variant, c.constants) === null &&
      (c.ms === null || (typeof c.ms === 'number' && Number.isFinite(c.ms) && c.ms >= 0)) &&
      typeof c.verified === 'boolean' &&
      (c.error === undefined || typeof c.error === 'string');
    if (!fine) return bad('a candidate is malformed');
  }
  return { ok: true, tuning: x as unknown as MatmulTuning };
}

function dropTuning(key: string, reason: string): void {
  try {
    storage()?.removeItem(key);
  } catch {
    // It is checked (and ignored) again next time.
  }
  tuningReporter?.(key, 'dropped', `A stored matmul tuning was invalid (${reason}) and has been removed; the default kernel runs until the next autotune [${key}].`);
}

/**
 * The cached tuning for this context's adapter (memory, then localStorage), or null. A stored one that
 * fails checkMatmulTuning (within the device's limits when the context has them) is removed and reported.
 */
export function getMatmulTuning(gpu: Pick<GpuContext, 'summary'> & { limits?: GPUSupportedLimits }): MatmulTuning | null {
  const key = matmulAdapterKey(gpu.summary);
  const hit = tunings.get(key);
  if (hit) return hit;
  let text: string | null | undefined;
  try {
    text = storage()?.getItem(TUNING_PREFIX + key);
  } catch {
    return null;
  }
  if (!text) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    dropTuning(TUNING_PREFIX + key, 'it is not valid JSON');
    return null;
  }
  const c = checkMatmulTuning(parsed, key, gpu.limits);
  if (!c.ok) {
    dropTuning(TUNING_PREFIX + key, c.reason);
    return null;
  }
  tunings.set(key, c.tuning);
  return c.tuning;
}

/**
 * Checks every stored tuning (any adapter) without a device, removing and reporting the invalid ones; returns
 * the keys removed. The app runs it at startup, so a broken record is named before anything runs.
 */
export function pruneStoredMatmulTunings(): string[] {
  const store = storage();
  const removed: string[] = [];
  if (!store || typeof store.key !== 'function') return removed;
  let keys: string[];
  try {
    keys = Array.from({ length: store.length }, (_, i) => store.key(i)).filter((k): k is string => k !== null && k.startsWith(TUNING_PREFIX));
  } catch {
    return removed;
  }
  for (const key of keys) {
    let reason: string | null = null;
    try {
      const c = checkMatmulTuning(JSON.parse(store.getItem(key) ?? 'null'), key.slice(TUNING_PREFIX.length));
      if (!c.ok) reason = c.reason;
    } catch {
      reason = 'it is not valid JSON';
    }
    if (reason !== null) {
      dropTuning(key, reason);
      tunings.delete(key.slice(TUNING_PREFIX.length));
      removed.push(key);
    }
  }
  return removed;
}

/**
 * Caches a tuning for its adapter: in memory, and in localStorage when available and `persist` (default
 * true). null clears this adapter's tuning from both.
 */
export function setMatmulTuning(gpu: Pick<GpuContext, 'summary'>, tuning: MatmulTuning | null, persist = true): void {
  const key = matmulAdapterKey(gpu.summary);
  if (tuning && tuning.adapterKey !== key) throw new InputError('tuning', `belongs to adapter "${tuning.adapterKey}", not "${key}"`);
  const store = storage();
  if (tuning) {
    tunings.set(key, tuning);
    if (!persist) return;
    try {
      store?.setItem(TUNING_PREFIX + key, JSON.stringify(tuning));
    } catch {
      // Quota or privacy mode: the in-memory copy still serves this session.
      tuningReporter?.(TUNING_PREFIX + key, 'save-failed', `Your browser refused to store the matmul tuning (storage full or disabled): it applies only until you close the page [${TUNING_PREFIX + key}].`);
    }
  } else {
    tunings.delete(key);
    store?.removeItem(TUNING_PREFIX + key);
  }
}

/**
 * C = op(A) · op(B) on the GPU: m×n per batch item, batch items contiguous (A, B likewise). The kernel is
 * `shape.variant` (default 'auto': the adapter's tuning, else defaultMatmulConfig).
 */
export async function matmul(gpu: GpuContext, a: Float32Array, b: Float32Array, shape: MatmulShape & { variant?: MatmulVariant | 'auto' }): Promise<Float32Array> {
  const { m, n, k, batch } = checkShape(shape);
  // Device limits first: a request that can never fit says so, whatever arrays came with it.
  const limits = gpu.limits as SizeLimits;
  checkStorageSize(limits, 4 * batch * m * k, 'matmul A');
  checkStorageSize(limits, 4 * batch * k * n, 'matmul B');
  checkStorageSize(limits, 4 * batch * m * n, 'matmul C');
  const expect = (name: 'a' | 'b', got: number, rows: number, cols: number, how: string) => {
    const total = batch * rows * cols;
    if (got === total) return;
    const items = batch > 1 ? `${batch} batch items × ` : '';
    throw new InputError(name, `has ${got} values; expected ${total} = ${items}${rows}×${cols} (${name.toUpperCase()} stored ${how})`);
  };
  if (shape.transA) expect('a', a.length, k, m, 'k×m, transA');
  else expect('a', a.length, m, k, 'm×k');
  if (shape.transB) expect('b', b.length, n, k, 'n×k, transB');
  else expect('b', b.length, k, n, 'k×n');
  const kernel = await createMatmulKernel(gpu, { variant: shape.variant ?? 'auto' });
  const run = new GpuBatch(gpu, 'matmul');
  try {
    const cBytes = 4 * batch * m * n;
    const c = run.scratch('matmul.c', cBytes);
    kernel.encode(run, { ...shape, batch, a: run.upload('matmul.a', a), b: run.upload('matmul.b', b), c });
    const result = run.read(c, cBytes);
    await run.submit();
    return f32(result);
  } finally {
    run.dispose();
  }
}

interface KernelShape {
  tileM: number;
  tileN: number;
  tileK: number;
  microM: number;
  microN: number;
  /** The shader's override constants. */
  constants: Record<string, number>;
}

function tiledShape({ tileM, tileN, tileK }: Required<MatmulTiles>): KernelShape {
  return { tileM, tileN, tileK, microM: WPT, microN: WPT, constants: { TILE_M: tileM, TILE_N: tileN, TILE_K: tileK } };
}

function directShape({ microM, microN, threadsX, threadsY }: Required<MatmulDirectTiles>): KernelShape {
  return {
    tileM: microM * threadsY,
    tileN: microN * threadsX,
    tileK: DIRECT_BLOCK,
    microM,
    microN,
    constants: { ROW_BLOCKS: microM / DIRECT_BLOCK, COL_BLOCKS: microN / DIRECT_BLOCK, THREADS_X: threadsX, THREADS_Y: threadsY },
  };
}

// One workgroup is one subgroup of 4 lanes sharing rows; each lane owns microN columns (interleaved).
function subgroupShape({ microM, microN }: Required<MatmulDirectTiles>): KernelShape {
  return {
    tileM: microM,
    tileN: microN * SUBGROUP_LANES,
    tileK: DIRECT_BLOCK,
    microM,
    microN,
    constants: { ROW_BLOCKS: microM / DIRECT_BLOCK, COL_BLOCKS: microN / DIRECT_BLOCK },
  };
}

/** Checks the tiled variant's tile options against its shader's constraints and the device limits. */
function checkTiles(limits: GPUSupportedLimits, options: MatmulTiles): Required<MatmulTiles> {
  const tileM = checkInt('tileM', options.tileM ?? 64, WPT, 1024);
  const tileN = checkInt('tileN', options.tileN ?? 64, WPT, 1024);
  const tileK = checkInt('tileK', options.tileK ?? 16, 1, 1024);
  if (tileM % WPT) throw new InputError('tileM', `must be a multiple of ${WPT} (each invocation computes ${WPT}×${WPT}), got ${tileM}`);
  if (tileN % WPT) throw new InputError('tileN', `must be a multiple of ${WPT} (each invocation computes ${WPT}×${WPT}), got ${tileN}`);
  const what = `matmul tiles ${tileM}×${tileN}×${tileK}`;
  const [tx, ty] = [tileN / WPT, tileM / WPT];
  if (tx * ty > limits.maxComputeInvocationsPerWorkgroup) {
    throw new GpuLimitError(what, 'maxComputeInvocationsPerWorkgroup', limits.maxComputeInvocationsPerWorkgroup, tx * ty, 'invocations');
  }
  if (tx > limits.maxComputeWorkgroupSizeX) throw new GpuLimitError(what, 'maxComputeWorkgroupSizeX', limits.maxComputeWorkgroupSizeX, tx, 'invocations');
  if (ty > limits.maxComputeWorkgroupSizeY) throw new GpuLimitError(what, 'maxComputeWorkgroupSizeY', limits.maxComputeWorkgroupSizeY, ty, 'invocations');
  const shared = 4 * tileK * (tileM + tileN + 2); // rows padded by one word (see the shader)
  if (shared > limits.maxComputeWorkgroupStorageSize) {
    throw new GpuLimitError(what, 'maxComputeWorkgroupStorageSize', limits.maxComputeWorkgroupStorageSize, shared);
  }
  return { tileM, tileN, tileK };
}

/** Checks the direct / vec4 micro-tile (whole 4×4 blocks, at most 4 down and across) and workgroup shape. */
function checkDirectTiles(limits: GPUSupportedLimits, options: MatmulDirectTiles): Required<MatmulDirectTiles> {
  const max = DIRECT_BLOCK * DIRECT_MAX_BLOCKS;
  const check = (field: 'microM' | 'microN') => {
    const v = checkInt(field, options[field] ?? max, DIRECT_BLOCK, max);
    if (v % DIRECT_BLOCK) throw new InputError(field, `must be a multiple of ${DIRECT_BLOCK} (the direct kernel works in 4×4 blocks), got ${v}`);
    return v;
  };
  const micro = { microM: check('microM'), microN: check('microN') };
  const threadsX = checkInt('threadsX', options.threadsX ?? DIRECT_THREADS, 1, limits.maxComputeWorkgroupSizeX);
  const threadsY = checkInt('threadsY', options.threadsY ?? DIRECT_THREADS, 1, limits.maxComputeWorkgroupSizeY);
  if (threadsX * threadsY > limits.maxComputeInvocationsPerWorkgroup) {
    throw new GpuLimitError(`matmul workgroup ${threadsX}×${threadsY}`, 'maxComputeInvocationsPerWorkgroup', limits.maxComputeInvocationsPerWorkgroup, threadsX * threadsY, 'invocations');
  }
  return { ...micro, threadsX, threadsY };
}

function checkShape(shape: MatmulShape): { m: number; n: number; k: number; batch: number } {
  if (typeof shape !== 'object' || shape === null) throw new InputError('shape', 'must be an object { m, n, k, transA?, transB?, batch? }');
  return {
    m: checkInt('m', shape.m, 1),
    n: checkInt('n', shape.n, 1),
    k: checkInt('k', shape.k, 1),
    batch: checkInt('batch', shape.batch ?? 1, 1),
  };
}

interface CheckedArgs {
  m: number;
  n: number;
  k: number;
  batch: number;
  transA: boolean;
  transB: boolean;
  offsetA: number;
  offsetB: number;
  offsetC: number;
  strideA: number;
  strideB: number;
  strideC: number;
  alpha: number;
}

// u32 indices in the shader: every element index must stay below 2³².
const MAX_INDEX = 2 ** 32 - 1;

/** Validates encode arguments: dimensions, then device limits, then that each buffer holds its extent. */
function checkArgs(limits: GPUSupportedLimits, args: MatmulArgs): CheckedArgs {
  const { m, n, k, batch } = checkShape(args);
  const p: CheckedArgs = {
    m,
    n,
    k,
    batch,
    transA: Boolean(args.transA),
    transB: Boolean(args.transB),
    offsetA: checkInt('offsetA', args.offsetA ?? 0, 0, MAX_INDEX),
    offsetB: checkInt('offsetB', args.offsetB ?? 0, 0, MAX_INDEX),
    offsetC: checkInt('offsetC', args.offsetC ?? 0, 0, MAX_INDEX),
    strideA: checkInt('strideA', args.strideA ?? m * k, 0, MAX_INDEX),
    strideB: checkInt('strideB', args.strideB ?? k * n, 0, MAX_INDEX),
    strideC: checkInt('strideC', args.strideC ?? m * n, batch > 1 ? m * n : 0, MAX_INDEX),
    alpha: args.alpha ?? 1,
  };
  if (typeof p.alpha !== 'number' || !Number.isFinite(p.alpha)) throw new InputError('alpha', `must be a finite number, got ${String(p.alpha)}`);
  if (args.c === args.a || args.c === args.b) {
    throw new InputError('c', 'must be a different buffer from a and b (WebGPU cannot bind one buffer read-only and read-write in one dispatch)');
  }
  const extents: [string, GPUBuffer, number][] = [
    ['A', args.a, p.offsetA + (batch - 1) * p.strideA + m * k],
    ['B', args.b, p.offsetB + (batch - 1) * p.strideB + k * n],
    ['C', args.c, p.offsetC + (batch - 1) * p.strideC + m * n],
  ];
  for (const [name, , elements] of extents) checkStorageSize(limits as SizeLimits, 4 * elements, `matmul ${name}`);
  for (const [name, buffer, elements] of extents) {
    // What the bind group covers: a pooled buffer's requested bytes, not its whole size class.
    const bound = bindingSize(buffer);
    if (4 * elements > bound) {
      const off = `offset${name} + (batch − 1)·stride${name} + ${name === 'A' ? 'm·k' : name === 'B' ? 'k·n' : 'm·n'}`;
      throw new InputError(name.toLowerCase(), `buffer holds ${Math.floor(bound / 4)} floats but ${off} = ${elements} are needed`);
    }
    checkStorageSize(limits as SizeLimits, bound, `matmul ${name} buffer (as bound)`);
  }
  return p;
}
