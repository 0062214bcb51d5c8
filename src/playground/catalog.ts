import { msg } from '@lit/localize';
import { BUILTIN_SHADERS } from '../gpu/builtin-shaders';
import { parseWgsl, type WgslInterface } from '../gpu/wgsl-parse';
import type { MatmulKernelOptions } from '../kernels/matmul';
import { MATMUL_VARIANTS, type MatmulVariant } from '../kernels/matmul-variants';

/** Which host contract (bindings, Params uniform, dispatch shape) a kernel file serves. */
export type KernelFamily = 'matmul' | 'moments' | 'norms' | 'elementwise' | 'other';

/** One shipped kernel as the Shaders view shows it. */
export interface CatalogKernel {
  /** File name without extension: `matmul`, `matmul-direct`, `moments`, … */
  id: string;
  /** Path as the shader module is labelled: `shaders/matmul.wgsl`. */
  file: string;
  /** The built-in WGSL module: the file with its family's common block appended (shaders/matmul-common.wgsl). */
  code: string;
  family: KernelFamily;
  /** For the matmul family: the createMatmulKernel variant this file is (`tiled` for matmul.wgsl). */
  variant: string | null;
  /** One line: what it computes. */
  title: string;
  /** The file's opening comment block, as plain text (its algorithm, bindings and dispatch). */
  header: string;
  /** A sentence or two: what to try in the editor. */
  tryThis: string;
  /** Bindings, overrides, entry points and structs read from the source. */
  iface: WgslInterface;
}

// Every shader in shaders/ (common blocks appended, not listed), picked up at build time: new kernels
// appear here without a code change.

/** What to try with a kernel of this family (in the language shown: read when rendered). */
function tryText(family: KernelFamily): string {
  switch (family) {
    case 'matmul':
      return msg(
        'Introduce an off-by-one in the K loop (start it at 1, or stop one step early) and press Verify: it fails and names the first wrong element of C. Then load the naive version (one plain dot product per element of C), Verify it, Time it against the built-in, and press Use it to run the Depth lab on it.',
      );
    case 'moments':
      return msg(
        'Replace the Chan merge by a plain E[x²] − E[x]² and press Verify: the shape with values 10⁴ + U(0,1) fails, because f32 cancellation destroys the variance. Or change WORKGROUP and watch Time.',
      );
    case 'norms':
      return msg(
        'Drop the power-of-two scaling (sum x² directly) and press Verify: the segments holding 1e30 overflow f32 and fail. Or change SHORT and compare Time.',
      );
    case 'elementwise':
      return msg('Change the ReLU derivative at 0, or swap tanh for a polynomial, and press Verify to see which shapes notice.');
    default:
      return msg('Read it, edit it: it recompiles as you type and shows compiler errors at their line.');
  }
}

/** A kernel family's title (in the language shown). */
function titleText(family: KernelFamily): string {
  switch (family) {
    case 'matmul':
      return msg('Matrix multiply C = α·op(A)·op(B) (the Depth lab’s forward and backward products)');
    case 'moments':
      return msg('Per-column mean and variance (Welford per invocation, Chan merges across invocations)');
    case 'norms':
      return msg('Segmented L2 norms, overflow-safe (the per-layer gradient norms)');
    case 'elementwise':
      return msg('Activations forward and backward, normalization (x − μ)/σ, scaling');
    default:
      return msg('A compute kernel');
  }
}

/** The matmul variant a shader file serves (its main shader or its vec4 path), from MATMUL_VARIANTS. */
function matmulVariantOf(file: string): string | undefined {
  return MATMUL_VARIANTS.find((v) => v.file === file || v.vec4PathFile === file)?.name;
}

/**
 * The createMatmulKernel options that run `code` in place of a matmul file: its variant, with `code`
 * replacing the variant's shader, or its vec4 path (MatmulVariantInfo.vec4PathFile).
 */
export function matmulOptionsFor(kernel: Pick<CatalogKernel, 'file' | 'variant'>, code: string): MatmulKernelOptions {
  const variant = (kernel.variant ?? 'tiled') as MatmulVariant;
  return MATMUL_VARIANTS.some((v) => v.vec4PathFile === kernel.file) ? { variant, subgroupVec4Code: code } : { variant, code };
}

function familyOf(id: string): KernelFamily {
  if (id === 'matmul' || id.startsWith('matmul-')) return 'matmul';
  if (id === 'moments' || id === 'norms' || id === 'elementwise') return id;
  return 'other';
}

/** The opening `//` comment block of a WGSL file, comment markers removed, paragraphs kept. */
export function headerComment(code: string): string {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const m = /^\s*\/\/ ?(.*)$/.exec(line);
    if (!m) break;
    out.push(m[1]);
  }
  return out.join('\n').trim();
}

/** Builds a catalog entry for a file path and its source (exported for tests). */
export function makeCatalogKernel(path: string, code: string): CatalogKernel {
  const id = path.replace(/^.*\//, '').replace(/\.wgsl$/, '');
  const family = familyOf(id);
  const header = headerComment(code);
  return {
    id,
    file: `shaders/${id}.wgsl`,
    code,
    family,
    variant: family === 'matmul' ? (matmulVariantOf(`shaders/${id}.wgsl`) ?? id.slice('matmul-'.length)) : null,
    // Getters: the texts follow the language shown (an `other` kernel's title is its own header line).
    get title() {
      return family === 'other' ? header.split('\n')[0] || titleText('other') : titleText(family);
    },
    header,
    get tryThis() {
      return tryText(family);
    },
    iface: parseWgsl(code),
  };
}

const ORDER: KernelFamily[] = ['matmul', 'moments', 'norms', 'elementwise', 'other'];

/** Every shipped kernel: matmul variants first (built-in `matmul` leading), then moments, norms, elementwise. */
export const KERNEL_CATALOG: readonly CatalogKernel[] = [...BUILTIN_SHADERS]
  .map(([path, code]) => makeCatalogKernel(path, code))
  .sort((a, b) => ORDER.indexOf(a.family) - ORDER.indexOf(b.family) || (a.id === 'matmul' ? -1 : b.id === 'matmul' ? 1 : a.id.localeCompare(b.id)));

/** The catalog entry for an id (`matmul-direct`) or file (`shaders/matmul-direct.wgsl`), or undefined. */
export function findKernel(idOrFile: string): CatalogKernel | undefined {
  return KERNEL_CATALOG.find((k) => k.id === idOrFile || k.file === idOrFile);
}
