// Which matmul kernel 'auto' picks for an adapter: 'direct' (registers only) where WebGPU runs on the CPU,
// 'tiled' (workgroup memory) on GPUs. Pure function of the adapter summary, so no GPU is needed here.
import { describe, expect, it } from 'vitest';
import { pickMatmulVariant } from '../../src/kernels/matmul-variants';

const blank = { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false };

describe('pickMatmulVariant', () => {
  it("picks 'direct' for CPU / software adapters", () => {
    // Headless Chromium with --use-webgpu-adapter=swiftshader reports exactly this.
    expect(pickMatmulVariant({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true })).toBe('direct');
    // Each clue on its own is enough, in any field and any case.
    expect(pickMatmulVariant({ ...blank, isFallbackAdapter: true })).toBe('direct');
    expect(pickMatmulVariant({ ...blank, vendor: 'google', architecture: 'swiftshader' })).toBe('direct');
    expect(pickMatmulVariant({ ...blank, description: 'SwiftShader Device (Subzero)' })).toBe('direct');
    expect(pickMatmulVariant({ ...blank, vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.7, 256 bits)' })).toBe('direct');
    expect(pickMatmulVariant({ ...blank, device: 'lavapipe' })).toBe('direct');
    expect(pickMatmulVariant({ ...blank, vendor: 'microsoft', architecture: 'WARP' })).toBe('direct');
    expect(pickMatmulVariant({ ...blank, description: 'Microsoft Basic Render Driver (WARP)' })).toBe('direct');
  });

  it("picks 'tiled' for hardware adapters", () => {
    expect(pickMatmulVariant({ vendor: 'nvidia', architecture: 'ampere', device: '', description: '', isFallbackAdapter: false })).toBe('tiled');
    expect(pickMatmulVariant({ ...blank, vendor: 'apple', architecture: 'metal-3' })).toBe('tiled');
    expect(pickMatmulVariant({ ...blank, vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' })).toBe('tiled');
    expect(pickMatmulVariant({ ...blank, vendor: 'amd', architecture: 'rdna-2', description: 'AMD Radeon RX 6800' })).toBe('tiled');
    expect(pickMatmulVariant({ ...blank, vendor: 'qualcomm', architecture: 'adreno-7xx' })).toBe('tiled');
  });

  it("treats an adapter that says nothing as a GPU, and 'warp' only as a whole word", () => {
    expect(pickMatmulVariant({})).toBe('tiled');
    expect(pickMatmulVariant(blank)).toBe('tiled');
    // GPU vocabulary ("warp size", "warps") must not read as Microsoft WARP.
    expect(pickMatmulVariant({ ...blank, description: 'warps of 32 lanes' })).toBe('tiled');
  });
});
