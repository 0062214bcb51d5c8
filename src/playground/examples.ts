/**
 * Ready-made alternatives the Shaders view can load into the editor: the naive matmul, one plain dot
 * product per element of C, no workgroup memory, no register blocking. Each is a drop-in for one
 * built-in variant: same Params uniform, same bindings, same override names (the host sets them) and
 * the same dispatch grid, so each invocation walks the elements of its workgroup's tile it owns.
 * The kernels themselves are .wgsl files under shaders/examples/.
 */
import naiveMatmulDirectWGSL from '../../shaders/examples/naive-matmul-direct.wgsl?raw';
import naiveMatmulTiledWGSL from '../../shaders/examples/naive-matmul-tiled.wgsl?raw';

/** Naive matmul for the `direct` contract (shaders/matmul-direct.wgsl: ROW_BLOCKS, COL_BLOCKS, THREADS_X/Y). */
export const NAIVE_MATMUL_DIRECT_WGSL: string = naiveMatmulDirectWGSL;

/** Naive matmul for the `tiled` contract (shaders/matmul.wgsl: TILE_M, TILE_N, TILE_K). */
export const NAIVE_MATMUL_TILED_WGSL: string = naiveMatmulTiledWGSL;

/** The naive matmul for a matmul variant ('tiled' or 'direct'), or null when none is written for it. */
export function naiveMatmulFor(variant: string | null): string | null {
  if (variant === 'direct') return NAIVE_MATMUL_DIRECT_WGSL;
  if (variant === 'tiled') return NAIVE_MATMUL_TILED_WGSL;
  return null;
}
