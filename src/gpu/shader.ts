import type { GpuContext } from './context';
import { PipelineError, ShaderCompileError, type ShaderMessage } from './errors';
import { logPipelineWGSL } from './debug-flags';

const modules = new WeakMap<GPUDevice, Map<string, Promise<GPUShaderModule>>>();

/**
 * Compiles WGSL into a module labelled with its file path (`shaders/matmul.wgsl`), so errors read
 * `shaders/matmul.wgsl:12:5 error: …`. Throws ShaderCompileError with every error message.
 * Modules are cached per device by (file, code).
 */
export function createShaderModule(gpu: GpuContext, file: string, code: string): Promise<GPUShaderModule> {
  let cache = modules.get(gpu.device);
  if (!cache) modules.set(gpu.device, (cache = new Map()));
  const key = `${file}\n${code}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = compile(gpu.device, file, code);
    cache.set(key, entry);
    // A failed compile must not poison the cache: the user may fix the shader and retry.
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

async function compile(device: GPUDevice, file: string, code: string): Promise<GPUShaderModule> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: file, code });
  const [info, scopeError] = await Promise.all([module.getCompilationInfo(), device.popErrorScope()]);
  const messages: ShaderMessage[] = info.messages.map((m) => ({
    file,
    line: m.lineNum,
    column: m.linePos,
    type: m.type,
    message: m.message,
  }));
  const errors = messages.filter((m) => m.type === 'error');
  if (errors.length > 0) throw new ShaderCompileError(file, errors);
  if (scopeError) throw new ShaderCompileError(file, [{ file, line: 0, column: 0, type: 'error', message: scopeError.message }]);
  return module;
}

/** What a kernel needs to build (or find) its pipeline. */
export interface PipelineSpec {
  /** Namespaced label, e.g. `matmul.pipeline`. */
  label: string;
  file: string;
  code: string;
  entryPoint?: string;
  layout: GPUPipelineLayout | 'auto';
  constants?: Record<string, number>;
}

/**
 * A compute pipeline cached on the context by (file, entry point, constants): a sweep builds each
 * kernel variant once. Creation errors become PipelineError / ShaderCompileError.
 */
export function getPipeline(gpu: GpuContext, spec: PipelineSpec): Promise<GPUComputePipeline> {
  const constants = spec.constants ?? {};
  const constKey = Object.keys(constants)
    .sort()
    .map((k) => `${k}=${constants[k]}`)
    .join(',');
  const key = `${spec.file}#${spec.entryPoint ?? 'main'}{${constKey}}#${hash(spec.code)}`;
  let entry = gpu.pipelines.get(key);
  if (!entry) {
    entry = build(gpu, spec, constants);
    gpu.pipelines.set(key, entry);
    entry.catch(() => gpu.pipelines.delete(key));
  }
  return entry;
}

async function build(gpu: GpuContext, spec: PipelineSpec, constants: Record<string, number>): Promise<GPUComputePipeline> {
  const module = await createShaderModule(gpu, spec.file, spec.code);
  const label = `${spec.label}{${Object.entries(constants).map(([k, v]) => `${k}=${v}`).join(',')}}`;
  logPipelineWGSL({ label, file: spec.file, entryPoint: spec.entryPoint ?? 'main', constants, code: spec.code }); // ?log-wgsl
  // No error scope here: createComputePipelineAsync reports its own failure by rejecting, and a scope
  // held open across the await would swallow unrelated errors raised meanwhile by other work.
  try {
    return await gpu.device.createComputePipelineAsync({
      label,
      layout: spec.layout,
      compute: { module, entryPoint: spec.entryPoint ?? 'main', constants },
    });
  } catch (err) {
    throw new PipelineError(label, (err as Error).message);
  }
}

// FNV-1a: distinguishes edited shader sources that share a file name.
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}
