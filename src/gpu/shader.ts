import type { GpuContext } from './context';
import { PipelineError, ShaderCompileError, type ShaderMessage } from './errors';
import { logPipelineWGSL } from './debug-flags';
import { BUILTIN_SHADERS } from './builtin-shaders';

/**
 * Edited (non built-in) shader modules, and likewise edited pipelines, kept per device / context: past
 * this many the least recently used edit is dropped (built-in shaders are always kept).
 */
export const EDITED_CACHE_LIMIT = 32;

/**
 * Whether `code` is exactly the shipped module of `file` (common block included; compared in full,
 * character by character): a module or pipeline of a shipped text is never evicted; any other is an edit.
 */
export function isBuiltinShader(file: string, code: string): boolean {
  return BUILTIN_SHADERS.get(file) === code;
}

/**
 * A cache whose keys hold the FULL source text (never a short hash: two different texts can never share an
 * entry) and that evicts its least recently used edited entries past EDITED_CACHE_LIMIT.
 */
class SourceCache<T> {
  /** Edited keys, least recently used first (a Set iterates in insertion order). */
  private readonly edited = new Set<string>();

  constructor(readonly map: Map<string, Promise<T>>) {}

  /** The cached entry for `key` (marking an edit as just used), else the one `make` builds, cached. */
  get(key: string, builtin: boolean, make: () => Promise<T>): Promise<T> {
    let entry = this.map.get(key);
    if (entry && !builtin) {
      this.edited.delete(key);
      this.edited.add(key);
    }
    if (entry) return entry;
    const made = make();
    entry = made;
    this.map.set(key, made);
    if (!builtin) {
      this.edited.add(key);
      this.evict();
    }
    // A failed build must not poison the cache: the user may fix the shader and retry. Only this entry
    // goes: the key may since have been evicted and rebuilt.
    made.catch(() => this.drop(key, made));
    return made;
  }

  private drop(key: string, entry: Promise<T>): void {
    if (this.map.get(key) !== entry) return;
    this.map.delete(key);
    this.edited.delete(key);
  }

  private evict(): void {
    // Keys deleted from the map by others (e.g. a test clearing gpu.pipelines) no longer count.
    for (const key of this.edited) if (!this.map.has(key)) this.edited.delete(key);
    while (this.edited.size > EDITED_CACHE_LIMIT) {
      const oldest = this.edited.values().next().value as string;
      this.edited.delete(oldest);
      this.map.delete(oldest);
    }
  }

  /** Number of cached edited entries (for tests). */
  get editedCount(): number {
    let n = 0;
    for (const key of this.edited) if (this.map.has(key)) n++;
    return n;
  }
}

const modules = new WeakMap<GPUDevice, SourceCache<GPUShaderModule>>();
const pipelineCaches = new WeakMap<Map<string, Promise<GPUComputePipeline>>, SourceCache<GPUComputePipeline>>();

function moduleCache(device: GPUDevice): SourceCache<GPUShaderModule> {
  let cache = modules.get(device);
  if (!cache) modules.set(device, (cache = new SourceCache(new Map())));
  return cache;
}

function pipelineCache(gpu: GpuContext): SourceCache<GPUComputePipeline> {
  let cache = pipelineCaches.get(gpu.pipelines);
  if (!cache) pipelineCaches.set(gpu.pipelines, (cache = new SourceCache(gpu.pipelines)));
  return cache;
}

/**
 * Compiles WGSL into a module labelled with its file path (`shaders/matmul.wgsl`), so errors read
 * `shaders/matmul.wgsl:12:5 error: …`. Throws ShaderCompileError with every error message.
 * Modules are cached per device by file and full source text; edited ones are evicted LRU.
 */
export function createShaderModule(gpu: GpuContext, file: string, code: string): Promise<GPUShaderModule> {
  checkFile(file);
  return moduleCache(gpu.device).get(`${file}\n${code}`, isBuiltinShader(file, code), () => compile(gpu.device, file, code));
}

/** How many shader modules and pipelines are cached for `gpu`, and how many of those are edits (tests). */
export function shaderCacheStats(gpu: GpuContext): { modules: number; editedModules: number; pipelines: number; editedPipelines: number } {
  const m = moduleCache(gpu.device);
  const p = pipelineCache(gpu);
  return { modules: m.map.size, editedModules: m.editedCount, pipelines: p.map.size, editedPipelines: p.editedCount };
}

// Cache keys are `<file>…\n<code>`: a file name holding a line break could shift that boundary.
function checkFile(file: string): void {
  if (file.includes('\n')) throw new Error(`shader file name ${JSON.stringify(file)} must not contain a line break`);
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
 * A compute pipeline cached on the context by file, entry point, constants and the FULL source text (the
 * key is `<file>#<entry>{<constants>}` + a line break + the code), so a sweep builds each kernel variant
 * once and an edit can never be served another text's pipeline. Edited pipelines are evicted LRU past
 * EDITED_CACHE_LIMIT; built-ins stay. Creation errors become PipelineError / ShaderCompileError.
 */
export function getPipeline(gpu: GpuContext, spec: PipelineSpec): Promise<GPUComputePipeline> {
  checkFile(spec.file);
  const constants = spec.constants ?? {};
  const constKey = Object.keys(constants)
    .sort()
    .map((k) => `${k}=${constants[k]}`)
    .join(',');
  // Entry points and override names are WGSL identifiers and values are numbers (no '#', '{', '}' or line
  // break) and the file has no line break: the key's first line splits back into file, entry, constants.
  const key = `${spec.file}#${spec.entryPoint ?? 'main'}{${constKey}}\n${spec.code}`;
  return pipelineCache(gpu).get(key, isBuiltinShader(spec.file, spec.code), () => build(gpu, spec, constants));
}

async function build(gpu: GpuContext, spec: PipelineSpec, constants: Record<string, number>): Promise<GPUComputePipeline> {
  const module = await createShaderModule(gpu, spec.file, spec.code);
  const label = `${spec.label}{${Object.entries(constants)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}}`;
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
