/** Binding kinds of a compute kernel, in binding order. */
export type BindingKind = 'uniform' | 'read-only-storage' | 'storage';

/** An explicit bind-group layout and the pipeline layout around it. */
export interface KernelLayout {
  bindGroupLayout: GPUBindGroupLayout;
  pipelineLayout: GPUPipelineLayout;
}

const layouts = new WeakMap<GPUDevice, Map<string, KernelLayout>>();

/** The explicit layout for bindings 0..n-1 of group 0 (cached per device by label). */
export function createKernelLayout(device: GPUDevice, label: string, kinds: readonly BindingKind[]): KernelLayout {
  let cache = layouts.get(device);
  if (!cache) layouts.set(device, (cache = new Map()));
  const key = `${label}:${kinds.join(',')}`;
  let layout = cache.get(key);
  if (!layout) {
    const bindGroupLayout = device.createBindGroupLayout({
      label: `${label}.bindGroupLayout`,
      entries: kinds.map((type, binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } })),
    });
    const pipelineLayout = device.createPipelineLayout({ label: `${label}.pipelineLayout`, bindGroupLayouts: [bindGroupLayout] });
    layout = { bindGroupLayout, pipelineLayout };
    cache.set(key, layout);
  }
  return layout;
}
