/**
 * Facts about the adapter that kernels choose by: whether it is a CPU / software implementation, and
 * whether it offers subgroups of a given size. Plain data in, plain answers out.
 */
import type { AdapterSummary, GpuContext } from './context';

// CPU / software WebGPU implementations: Google SwiftShader, Mesa llvmpipe and lavapipe, Microsoft WARP.
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|\bwarp\b/i;

/** What isSoftwareAdapter reads: any of an AdapterSummary's names, and the fallback flag. */
export type AdapterClues = Partial<Pick<AdapterSummary, 'vendor' | 'architecture' | 'device' | 'description' | 'isFallbackAdapter'>>;

/** True for CPU / software WebGPU adapters (SwiftShader, llvmpipe, lavapipe, WARP, any fallback adapter). */
export function isSoftwareAdapter(summary: AdapterClues): boolean {
  if (summary.isFallbackAdapter) return true;
  const text = [summary.vendor, summary.architecture, summary.device, summary.description].map((s) => s ?? '').join(' ');
  return SOFTWARE_ADAPTER.test(text);
}

/**
 * Whether the device has the 'subgroups' feature with subgroups of at least `lanes` invocations (adapter
 * info's subgroupMinSize, where the browser reports it; unreported counts as enough).
 */
export function hasSubgroupsOf(gpu: Pick<GpuContext, 'features' | 'info'>, lanes: number): boolean {
  if (!gpu.features.has('subgroups')) return false;
  const min = (gpu.info as { subgroupMinSize?: number } | undefined)?.subgroupMinSize;
  return typeof min !== 'number' || min === 0 || min >= lanes;
}
