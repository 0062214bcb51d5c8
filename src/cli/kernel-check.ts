// `gradient-playground kernel-check`: the Shaders view's Kernel check from the command line — every kernel
// on awkward shapes against its float64 reference.
import { writeFileSync } from 'node:fs';
import type { GpuContext } from '../gpu/context';
import { ALL_CHECKS } from '../kernels/checks';
import { formatGpuMs, formatRelError, runKernelCheck, summarizeKernelCheck } from '../kernels/checks/kernel-check';
import type { CheckResult } from '../kernels/checks/types';
import { outFormat, UsageError, type CommandSpec, type Values } from './args';
import { startProgress } from './progress';

export const KERNEL_CHECK_COMMAND: CommandSpec = {
  name: 'kernel-check',
  short: 'every kernel against its float64 reference (the Kernel check)',
  summary:
    'Runs the Kernel check: every kernel (matmul, moments, norms, elementwise, residual-sumsq) on awkward shapes against its float64 reference. Exits 1 when a case fails.',
  options: {
    kernel: { type: 'string', arg: 'LIST', help: `only these kernels: ${ALL_CHECKS.map((c) => c.kernel).join(', ')}` },
    out: { type: 'string', arg: 'FILE.json', help: 'write the results (kernel, shape, ok, maxRelError, rtol, gpuMs, error) as JSON' },
  },
  examples: ['gradient-playground kernel-check', 'gradient-playground kernel-check --kernel matmul,norms --adapter default --out check.json'],
};

/** The checks --kernel selects (all by default); a UsageError for an unknown name. */
export function selectChecks(list: Values[string]): typeof ALL_CHECKS {
  if (typeof list !== 'string') return ALL_CHECKS;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = ALL_CHECKS.map((c) => c.kernel);
  for (const n of names) if (!known.includes(n)) throw new UsageError(`--kernel: unknown kernel '${n}'; choose from ${known.join(', ')}`);
  if (names.length === 0) throw new UsageError(`--kernel is empty; choose from ${known.join(', ')}`);
  return ALL_CHECKS.filter((c) => names.includes(c.kernel));
}

/** Checks --out before anything runs. */
export function checkKernelOut(out: Values[string]): void {
  if (typeof out === 'string') outFormat(out, ['json']);
}

/** Runs the checks with a progress bar; returns the results. */
export async function runKernelCheckCommand(gpu: GpuContext, checks: typeof ALL_CHECKS, options: { progress?: boolean } = {}): Promise<CheckResult[]> {
  const bar = startProgress('kernel-check', checks.length, { force: options.progress ?? false });
  const t0 = performance.now();
  try {
    return await runKernelCheck(gpu, checks, {
      onProgress: (p) => {
        const spent = performance.now() - t0;
        bar.update(p.index, p.index > 0 ? (spent / p.index) * (p.total - p.index) : NaN, p.kernel);
      },
    });
  } finally {
    bar.update(checks.length, 0);
    bar.stop();
  }
}

/** The results as a table for the terminal, and the summary line. */
export function kernelCheckLines(results: readonly CheckResult[]): string[] {
  const w = Math.max(5, ...results.map((r) => r.shape.length));
  const lines = [`${'kernel'.padEnd(15)} ${'shape'.padEnd(w)}  ok  ${'max rel. err'.padStart(12)} ${'rtol'.padStart(8)}  GPU time`];
  for (const r of results) {
    lines.push(
      `${r.kernel.padEnd(15)} ${r.shape.padEnd(w)}  ${r.ok ? '✓ ' : '✗ '}  ${formatRelError(r.maxRelError, !!r.error).padStart(12)} ${(Number.isFinite(r.rtol) ? r.rtol.toExponential(0) : '—').padStart(8)}  ${formatGpuMs(r.gpuMs)}${r.error ? `  error: ${r.error.split('\n')[0]}` : ''}`,
    );
  }
  lines.push(summarizeKernelCheck(results).text);
  return lines;
}

/** Writes the results as JSON (non-finite numbers as strings). */
export function writeKernelCheck(file: string, results: readonly CheckResult[], device: GpuContext['summary']): void {
  const safe = (v: number | null) => (v === null || Number.isFinite(v) ? v : String(v));
  const doc = {
    format: 'gradient-playground/kernel-check',
    version: 1,
    exportedAt: new Date().toISOString(),
    device,
    summary: summarizeKernelCheck(results),
    results: results.map((r) => ({ ...r, maxRelError: safe(r.maxRelError), rtol: safe(r.rtol), error: r.error ?? null })),
  };
  writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
}
