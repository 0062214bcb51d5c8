/**
 * C = alpha · op(A) · op(B) on the GPU: createMatmulKernel builds the chosen variant (matmul-variants.ts)
 * with the shader text the context's `sources` give (a user kernel switched on, else the built-in), and
 * 'auto' reads the adapter's tuning from the context's `tunings` (matmul-tuning.ts).
 */
import type { GpuContext } from '../gpu/context';
import { GpuBatch, f32 } from '../gpu/batch';
import { bindingSize } from '../gpu/buffers';
import { createKernelLayout } from '../gpu/layout';
import { checkStorageSize, checkWorkgroups, type SizeLimits } from '../gpu/limits';
import { getPipeline } from '../gpu/shader';
import { uniformWriter, type UniformWriter } from '../gpu/uniforms';
import { InputError } from '../errors';
import { checkInt } from './validate';
import { getMatmulTuning } from './matmul-tuning';
import {
  DIRECT_BLOCK,
  MATMUL_VARIANTS,
  SHADERS,
  SUBGROUP_LANES,
  SUBGROUP_VEC4,
  VARIANTS,
  WPT,
  checkDirectTiles,
  checkTiles,
  defaultMatmulConfig,
  supportsSubgroupMatmul,
  type MatmulDirectTiles,
  type MatmulSizes,
  type MatmulTiles,
  type MatmulVariant,
  type MatmulVariantInfo,
} from './matmul-variants';

/** The fields of every matmul shader's `Params` uniform (shaders/matmul-common.wgsl), written by name. */
const PARAMS_FIELDS = ['m', 'n', 'k', 'trans_a', 'offset_a', 'offset_b', 'offset_c', 'trans_b', 'stride_a', 'stride_b', 'stride_c', 'alpha'];

interface Built {
  pipeline: GPUComputePipeline;
  params: UniformWriter;
}

/** What 'auto' reads of a context: the adapter, its features, its tunings and the user kernels switched on. */
type AutoContext = Pick<GpuContext, 'summary' | 'features' | 'info' | 'sources' | 'tunings'> & { limits?: GPUSupportedLimits };

/**
 * What 'auto' resolves to on this device: a user kernel switched on for a matmul variant in the Shaders
 * view ("Use it") if there is one the device can run, else the adapter's tuning, else defaultMatmulConfig;
 * a 'subgroup' choice on a device without subgroups becomes 'direct' with the same blocks. `constants` are
 * the tuned or default sizes of that variant (none for an overriding variant that differs from them).
 */
function resolveAuto(gpu: AutoContext): { variant: MatmulVariant; constants: MatmulSizes; source: MatmulKernel['source'] } {
  const subgroups = supportsSubgroupMatmul(gpu);
  const tuned = getMatmulTuning(gpu);
  const chosen = tuned ?? defaultMatmulConfig({ ...gpu.summary, hasSubgroups: subgroups });
  const variant = chosen.variant === 'subgroup' && !subgroups ? 'direct' : chosen.variant;
  const switchedOn = (v: MatmulVariantInfo) => [v.file, v.vec4PathFile].some((f) => f !== undefined && gpu.sources.code(f) !== undefined);
  const overridden = MATMUL_VARIANTS.find((v) => switchedOn(v) && (v.name !== 'subgroup' || subgroups));
  if (overridden) return { variant: overridden.name, constants: overridden.name === variant ? chosen.constants : {}, source: 'override' };
  return { variant, constants: chosen.constants, source: tuned ? 'tuned' : 'default' };
}

/** The matmul variant 'auto' runs on this device (see createMatmulKernel's `variant`). */
export function autoMatmulVariant(gpu: AutoContext): MatmulVariant {
  return resolveAuto(gpu).variant;
}

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
  checkDirectTiles(gpu.limits, options, requested);
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
  const micro = checkDirectTiles(gpu.limits, sizes, variant);
  const { tileM, tileN, tileK, microM, microN, constants } =
    variant === 'tiled' ? tiledShape(tiles) : variant === 'subgroup' ? subgroupShape(micro) : directShape(micro);
  const layout = createKernelLayout(gpu.device, 'matmul', ['uniform', 'read-only-storage', 'read-only-storage', 'storage']);
  /** A pipeline and the writer of its `params` uniform, laid out from the same code it compiles. */
  const build = async (label: string, shader: { file: string; code: string }, code?: string, extra: Record<string, number> = {}): Promise<Built> => {
    // The caller's code, else the context's source for the file (a user kernel switched on), else the built-in.
    const text = code ?? gpu.sources.code(shader.file) ?? shader.code;
    const pipeline = await getPipeline(gpu, {
      label: `matmul.${label}.pipeline`,
      file: shader.file,
      code: text,
      layout: layout.pipelineLayout,
      constants: { ...constants, ...extra },
    });
    return { pipeline, params: uniformWriter(text, 'params', { file: shader.file, fields: PARAMS_FIELDS }) };
  };
  // Two kernels with the same blocks (same grid) for two variants: 'vec4' runs the scalar 'direct' kernel
  // for shapes it cannot load as vec4s; 'subgroup' runs its vec4 path (B and C as vec4s) for shapes that
  // allow it, unless its scalar kernel is replaced (options.code, or a user kernel switched on) and its
  // vec4 path is not (options.subgroupVec4Code): the replacement then runs for every shape. The vec4 path
  // is two pipelines, one per layout of B (its TRANS_B): a CPU adapter would run both sides of a branch.
  if (options.subgroupVec4Code !== undefined && variant !== 'subgroup') {
    throw new InputError('subgroupVec4Code', `replaces the 'subgroup' variant's vec4 path, but the variant here is '${variant}'`);
  }
  if (options.subgroupVec4Code !== undefined && !/\boverride\s+TRANS_B\b/.test(options.subgroupVec4Code)) {
    throw new InputError(
      'subgroupVec4Code',
      "must declare 'override TRANS_B: bool' (one pipeline is built for B stored k×n, TRANS_B = false, and one for B stored n×k, TRANS_B = true)",
    );
  }
  const replaced = options.code !== undefined || gpu.sources.code(SHADERS[variant].file) !== undefined;
  const fastPath = variant === 'subgroup' && (options.subgroupVec4Code !== undefined || !replaced);
  const vec4Path = (transB: boolean) => build(`subgroup-vec4${transB ? '.transB' : ''}`, SUBGROUP_VEC4, options.subgroupVec4Code, { TRANS_B: Number(transB) });
  const [pipeline, directFallback, vec4Paths] = await Promise.all([
    build(variant, SHADERS[variant], options.code),
    variant === 'vec4' ? build('direct', SHADERS.direct) : null,
    fastPath ? Promise.all([vec4Path(false), vec4Path(true)]) : null,
  ]);
  /** The pipeline for these arguments, and the dispatch label's suffix naming a fallback or fast path. */
  const choose = (p: CheckedArgs): [Built, string] => {
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
      const params = batch.uniform(
        `${label}.params`,
        chosen.params.set({
          m: p.m,
          n: p.n,
          k: p.k,
          trans_a: Number(p.transA),
          offset_a: p.offsetA,
          offset_b: p.offsetB,
          offset_c: p.offsetC,
          trans_b: Number(p.transB),
          stride_a: p.strideA,
          stride_b: p.strideB,
          stride_c: p.strideC,
          alpha: p.alpha,
        }),
      );
      const bind = batch.bindGroup(`${label}.bindGroup`, layout.bindGroupLayout, [params, args.a, args.b, args.c]);
      batch.dispatch(`${label}${suffix}`, chosen.pipeline, bind, groups as [number, number, number]);
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

/**
 * C = op(A) · op(B) on the GPU: m×n per batch item, batch items contiguous (A, B likewise). The kernel is
 * `shape.variant` (default 'auto': the adapter's tuning, else defaultMatmulConfig).
 */
export async function matmul(
  gpu: GpuContext,
  a: Float32Array,
  b: Float32Array,
  shape: MatmulShape & { variant?: MatmulVariant | 'auto' },
): Promise<Float32Array> {
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
