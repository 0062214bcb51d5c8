/**
 * Compiles edited WGSL for the editor: every getCompilationInfo() message (errors, warnings, info) with
 * line, column, offset and length, then, if it compiled, builds the kernel through its own create
 * function (same layout, override constants and entry points as the library uses), so a module that
 * compiles but does not fit the kernel's contract (a missing override, a wrong binding) is reported too.
 */
import type { GpuContext } from '../gpu/context';
import { createMatmulKernel } from '../kernels/matmul';
import { createMomentsKernel } from '../kernels/moments';
import { createNormsKernel } from '../kernels/norms';
import { createElementwiseKernel } from '../kernels/elementwise';
import { type CatalogKernel, matmulOptionsFor } from './catalog';

/** One compiler message, positions 1-based (line, column) and 0-based (offset) in UTF-16 units. */
export interface WgslDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  offset: number;
  length: number;
}

/** What compiling an edit produced. */
export interface CompileOutcome {
  /** Compiled and the kernel's pipelines were built: Verify, Time and Use it may use this code. */
  ok: boolean;
  diagnostics: WgslDiagnostic[];
  /** Set when the module compiled but the kernel's pipeline could not be built from it. */
  pipelineError: string | null;
}

/** Offset of (line, column), both 1-based, in `code`; clamped to the text. */
export function offsetOf(code: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = code.indexOf('\n', off);
    if (nl < 0) return code.length;
    off = nl + 1;
  }
  return Math.min(code.length, off + Math.max(0, column - 1));
}

/** getCompilationInfo() of `code`, inside an error scope so a broken edit raises no uncaptured error. */
export async function compileDiagnostics(gpu: GpuContext, file: string, code: string): Promise<WgslDiagnostic[]> {
  const device = gpu.device;
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: `${file} (edited)`, code });
  const [info, scopeError] = await Promise.all([module.getCompilationInfo(), device.popErrorScope()]);
  const out: WgslDiagnostic[] = info.messages.map((m) => {
    const line = m.lineNum || 1;
    const column = m.linePos || 1;
    // Some implementations leave offset at 0 for messages they can place only by line: recompute then.
    const offset = m.lineNum > 0 && (m.offset > 0 || (line === 1 && column === 1)) ? m.offset : offsetOf(code, line, column);
    return { severity: m.type, message: m.message, line, column, offset: Math.min(offset, code.length), length: m.length };
  });
  if (scopeError && !out.some((d) => d.severity === 'error')) {
    out.push({ severity: 'error', message: scopeError.message, line: 1, column: 1, offset: 0, length: 0 });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Builds the kernel's pipelines from `code` the way the library does; throws what the library throws. */
export async function buildKernel(gpu: GpuContext, kernel: CatalogKernel, code: string): Promise<void> {
  switch (kernel.family) {
    case 'matmul':
      await createMatmulKernel(gpu, matmulOptionsFor(kernel, code));
      return;
    case 'moments':
      await createMomentsKernel(gpu, { code });
      return;
    case 'norms':
      await createNormsKernel(gpu, { code });
      return;
    case 'elementwise':
      await createElementwiseKernel(gpu, { code });
      return;
    default:
      // No host contract known: compiling is all we can check.
      return;
  }
}

/** Compiles `code` and, when it compiles, builds the kernel from it (see the module comment). */
export async function compileKernel(gpu: GpuContext, kernel: CatalogKernel, code: string): Promise<CompileOutcome> {
  const diagnostics = await compileDiagnostics(gpu, kernel.file, code);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics, pipelineError: null };
  try {
    await buildKernel(gpu, kernel, code);
  } catch (err) {
    return { ok: false, diagnostics, pipelineError: err instanceof Error ? err.message : String(err) };
  }
  return { ok: true, diagnostics, pipelineError: null };
}
