/**
 * The matmul variants: their shaders, what each is for, the size options each reads and the values those
 * accept, and what 'auto' runs on an adapter without a tuning. Plain data; createMatmulKernel builds them.
 */
import type { GpuContext } from '../gpu/context';
import { builtinShader } from '../gpu/builtin-shaders';
import { hasSubgroupsOf, isSoftwareAdapter, type AdapterClues } from '../gpu/adapter';
import { GpuLimitError } from '../gpu/errors';
import { InputError } from '../errors';
import { checkInt } from './validate';

const shader = (file: string) => ({ file, code: builtinShader(file) });

/**
 * The kernels behind one API: same Params uniform, same bindings, same dispatch grid formula. `code` is
 * the full module: the file with shaders/matmul-common.wgsl (Params, its binding, Lines, Acc) appended.
 */
export const SHADERS = {
  tiled: shader('shaders/matmul.wgsl'),
  direct: shader('shaders/matmul-direct.wgsl'),
  vec4: shader('shaders/matmul-vec4.wgsl'),
  subgroup: shader('shaders/matmul-subgroup.wgsl'),
} as const;
/** The 'subgroup' variant's fast path: B and C as vec4s, for arguments subgroupVec4Aligned accepts. */
export const SUBGROUP_VEC4 = shader('shaders/matmul-subgroup-vec4.wgsl');
/** Micro-tile side of the tiled kernel, the shader's `const WPT` (accumulators are vec4f). */
export const WPT = 4;
/** The direct kernel's blocks are 4×4 (mat4x4f), at most 4 of them down and across (its overrides). */
export const DIRECT_BLOCK = 4;
export const DIRECT_MAX_BLOCKS = 4;
/** Default invocations per workgroup of the direct and vec4 kernels along n and m (THREADS_X, THREADS_Y). */
export const DIRECT_THREADS = 4;

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
export const VARIANTS: readonly (MatmulVariant | 'auto')[] = ['tiled', 'direct', 'vec4', 'subgroup', 'auto'];
/** Invocations per workgroup of the subgroup kernel: one subgroup of 4 lanes (the shader's @workgroup_size(4)). */
export const SUBGROUP_LANES = 4;
/**
 * Rows of C per invocation the subgroup kernels take: 1 to 4 block rows of 4, or 8 (two groups of four,
 * which share each load of B: their ROW_BLOCKS override is 1 to 4, or 8).
 */
export const SUBGROUP_MICRO_M: readonly number[] = [4, 8, 12, 16, 32];

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
    description:
      "register blocks; the 4 lanes of a subgroup share their loads of A via subgroupBroadcast (needs 'subgroups'): any shape, B and C as vec4s where shapes allow",
    options: ['microM', 'microN'],
  },
];

/**
 * Whether this device can run the 'subgroup' variant: it has the 'subgroups' feature and its subgroups
 * hold at least the 4 invocations of one workgroup (adapter info, where the browser reports it).
 */
export function supportsSubgroupMatmul(gpu: Pick<GpuContext, 'features' | 'info'>): boolean {
  return hasSubgroupsOf(gpu, SUBGROUP_LANES);
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
const CPU_DEFAULT: { variant: MatmulVariant; constants: MatmulSizes } = {
  variant: 'direct',
  constants: { microM: 16, microN: 16, threadsX: DIRECT_THREADS, threadsY: DIRECT_THREADS },
};
const CPU_SUBGROUP_DEFAULT: { variant: MatmulVariant; constants: MatmulSizes } = { variant: 'subgroup', constants: { microM: 16, microN: 16 } };
const GPU_DEFAULT: { variant: MatmulVariant; constants: MatmulSizes } = { variant: 'tiled', constants: { tileM: 64, tileN: 64, tileK: 16 } };

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
  /** Rows of C per invocation: 4, 8, 12 or 16 (default 16); the subgroup variant also takes 32. */
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

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
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

// The subgroup variant's microM (SUBGROUP_MICRO_M), in place of SIZE_RULES.microM.
const SUBGROUP_MICRO_M_RULE = {
  ok: (v: unknown) => SUBGROUP_MICRO_M.includes(v as number),
  allowed: `${SUBGROUP_MICRO_M.slice(0, -1).join(', ')} or ${SUBGROUP_MICRO_M[SUBGROUP_MICRO_M.length - 1]}`,
};

/** Checks a variant's size options: only that variant's options, each with an allowed value; null when fine. */
export function sizesProblem(variant: MatmulVariant, constants: unknown, limits?: GPUSupportedLimits): string | null {
  if (!isObject(constants)) return 'its sizes are not a record';
  const info = MATMUL_VARIANTS.find((v) => v.name === variant)!;
  for (const [name, value] of Object.entries(constants)) {
    if (!(info.options as readonly string[]).includes(name))
      return `${name.slice(0, 20)} is not a size of the ${variant} variant (it has ${info.options.join(', ')})`;
    const rule = name === 'microM' && variant === 'subgroup' ? SUBGROUP_MICRO_M_RULE : SIZE_RULES[name as keyof MatmulSizes];
    if (!rule.ok(value)) return `${name} is ${String(JSON.stringify(value)).slice(0, 20)}, not ${rule.allowed}`;
  }
  if (limits) {
    try {
      checkTiles(limits, constants);
      checkDirectTiles(limits, constants, variant);
    } catch (err) {
      return (err as Error).message;
    }
  }
  return null;
}

/** Checks the tiled variant's tile options against its shader's constraints and the device limits. */
export function checkTiles(limits: GPUSupportedLimits, options: MatmulTiles): Required<MatmulTiles> {
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

/**
 * Checks the direct / vec4 / subgroup micro-tile (whole 4×4 blocks, at most 4 down and across; the
 * subgroup variant also takes 8 down, microM 32) and workgroup shape. `variant` 'auto' accepts what any
 * variant accepts (the variant it resolves to is checked again).
 */
export function checkDirectTiles(limits: GPUSupportedLimits, options: MatmulDirectTiles, variant?: MatmulVariant | 'auto'): Required<MatmulDirectTiles> {
  const max = DIRECT_BLOCK * DIRECT_MAX_BLOCKS;
  const check = (field: 'microM' | 'microN') => {
    const value = options[field];
    if (field === 'microM' && (variant === 'subgroup' || variant === 'auto') && value !== undefined) {
      if (SUBGROUP_MICRO_M.includes(value)) return value;
      if (variant === 'subgroup')
        throw new InputError(
          field,
          `must be ${SUBGROUP_MICRO_M_RULE.allowed} (the subgroup kernel keeps 1 to 4 block rows of 4, or 8), got ${JSON.stringify(value)}`,
        );
    }
    const v = checkInt(field, value ?? max, DIRECT_BLOCK, max);
    if (v % DIRECT_BLOCK) throw new InputError(field, `must be a multiple of ${DIRECT_BLOCK} (the direct kernel works in 4×4 blocks), got ${v}`);
    return v;
  };
  const micro = { microM: check('microM'), microN: check('microN') };
  const threadsX = checkInt('threadsX', options.threadsX ?? DIRECT_THREADS, 1, limits.maxComputeWorkgroupSizeX);
  const threadsY = checkInt('threadsY', options.threadsY ?? DIRECT_THREADS, 1, limits.maxComputeWorkgroupSizeY);
  if (threadsX * threadsY > limits.maxComputeInvocationsPerWorkgroup) {
    throw new GpuLimitError(
      `matmul workgroup ${threadsX}×${threadsY}`,
      'maxComputeInvocationsPerWorkgroup',
      limits.maxComputeInvocationsPerWorkgroup,
      threadsX * threadsY,
      'invocations',
    );
  }
  return { ...micro, threadsX, threadsY };
}
