// gradient-playground: the app's engine from the command line (Node, Dawn's WebGPU), no browser.
// Commands: sweep (Depth lab, also its gain × depth phase map), normalize (Normalization lab), train (Training
// lab), kernel-check, bench. Every bad option is one
// line on stderr and exit code 2; a runtime failure one line and exit code 1; results on stdout or --out.
import { InputError } from '../errors';
import type { GpuContext } from '../gpu/context';
import { outFiles, outFormat, parseCommand, PROGRAM, UsageError, type CommandSpec, type Values } from './args';
import { BENCH_COMMAND, benchSettingsFromOptions, runBenchCommand } from './bench';
import { adapterLine, openNodeGpu, RuntimeFailure, type AdapterChoice } from './gpu';
import { KERNEL_CHECK_COMMAND, checkKernelOut, kernelCheckLines, runKernelCheckCommand, selectChecks, writeKernelCheck } from './kernel-check';
import { NORMALIZE_COMMAND, normalizeJobFromOptions, normalizeSummaryLines, runNormalizeExport, writeNormalizeExports } from './normalize';
import {
  checkNotPhaseMapOptions,
  checkPhaseMapFits,
  isPhaseMapCommand,
  phaseMapStateFromOptions,
  phaseMapSummaryLines,
  runPhaseMapExport,
  writePhaseMapExports,
} from './phase-map';
import { TRAIN_COMMAND, runTrainCommand, trainStateFromOptions, trainSummaryLines, writeTrainExports } from './train';
import { SWEEP_COMMAND, checkSweepFits, runSweepExport, sweepStateFromOptions, sweepSummaryLines, writeSweepExports } from './sweep';

/** `sweep --sweep gain-depth`: the phase map, written as the app's phase map export. */
async function runPhaseMapCommand(values: Values, open: () => Promise<GpuContext>): Promise<number> {
  const state = phaseMapStateFromOptions(values);
  const files = outFiles(values.out);
  const gpu = await open();
  const refuse = checkPhaseMapFits(state, gpu);
  if (refuse) throw new UsageError(refuse);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const { doc, error } = await runPhaseMapExport(gpu, state, { signal: abort.signal, progress: !!values.progress });
  process.off('SIGINT', onSigint);
  const written = writePhaseMapExports(files, doc);
  if (written.length) err(`wrote ${written.join(' and ')} (${doc.gainsDone} of ${doc.gainsTotal} gains, ${doc.outcome})`);
  else for (const line of phaseMapSummaryLines(doc)) out(line);
  if (error) throw error;
  return doc.outcome === 'cancelled' ? 130 : 0;
}

/** A command: its spec, the checks that need no GPU (throwing UsageError), and the run (returning the exit code). */
interface Command {
  spec: CommandSpec;
  run(values: Values, open: () => Promise<GpuContext>): Promise<number>;
}

const out = (line: string) => process.stdout.write(line + '\n');
const err = (line: string) => process.stderr.write(line + '\n');

const COMMANDS: Record<string, Command> = {
  sweep: {
    spec: SWEEP_COMMAND,
    async run(values, open) {
      if (isPhaseMapCommand(values)) return runPhaseMapCommand(values, open);
      checkNotPhaseMapOptions(values);
      const state = sweepStateFromOptions(values);
      const files = outFiles(values.out);
      const gpu = await open();
      const refuse = checkSweepFits(state, gpu);
      if (refuse) throw new UsageError(refuse);
      // Ctrl-C stops after the row in flight; the finished rows are still written (outcome "cancelled").
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      const { doc, error } = await runSweepExport(gpu, state, { signal: abort.signal, timing: !!values.timing, progress: !!values.progress });
      process.off('SIGINT', onSigint);
      const written = writeSweepExports(files, doc);
      if (written.length) {
        err(`wrote ${written.join(' and ')} (${doc.rowsDone} of ${doc.rowsTotal} rows, ${doc.outcome})`);
      } else {
        for (const line of sweepSummaryLines(doc)) out(line);
      }
      if (error) throw error;
      return doc.outcome === 'cancelled' ? 130 : 0;
    },
  },
  normalize: {
    spec: NORMALIZE_COMMAND,
    async run(values, open) {
      const job = normalizeJobFromOptions(values);
      const files = outFiles(values.out);
      const paths = typeof values.paths === 'string' ? values.paths : undefined;
      if (paths) outFormat(paths, ['csv']);
      const gpu = await open();
      const doc = await runNormalizeExport(gpu, job, { progress: !!values.progress });
      const written = writeNormalizeExports(doc, files, paths);
      if (written.length) err(`wrote ${written.join(' and ')}`);
      else for (const line of normalizeSummaryLines(doc)) out(line);
      return 0;
    },
  },
  train: {
    spec: TRAIN_COMMAND,
    async run(values, open) {
      const state = trainStateFromOptions(values);
      const files = outFiles(values.out);
      const gpu = await open();
      // Ctrl-C stops after the chunk of steps in flight; what was trained is still written.
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      const { runs, query, error } = await runTrainCommand(gpu, state, { signal: abort.signal, progress: !!values.progress });
      process.off('SIGINT', onSigint);
      const written = writeTrainExports(files, runs, query);
      if (written.length) err(`wrote ${written.join(' and ')} (${runs.length} of ${state.inits.length} inits${abort.signal.aborted ? ', cancelled' : ''})`);
      else for (const line of trainSummaryLines(runs)) out(line);
      if (error) throw error;
      return abort.signal.aborted ? 130 : 0;
    },
  },
  'kernel-check': {
    spec: KERNEL_CHECK_COMMAND,
    async run(values, open) {
      const checks = selectChecks(values.kernel);
      checkKernelOut(values.out);
      const gpu = await open();
      const results = await runKernelCheckCommand(gpu, checks, { progress: !!values.progress });
      for (const line of kernelCheckLines(results)) out(line);
      if (typeof values.out === 'string') {
        writeKernelCheck(values.out, results, gpu.summary);
        err(`wrote ${values.out}`);
      }
      return results.length > 0 && results.every((r) => r.ok) ? 0 : 1;
    },
  },
  bench: {
    spec: BENCH_COMMAND,
    async run(values, open) {
      const settings = benchSettingsFromOptions(values);
      const gpu = await open();
      return (await runBenchCommand(gpu, settings, { progress: !!values.progress })) ? 0 : 1;
    },
  },
};

/** The top-level help. */
export function mainHelp(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    "Gradient Playground's engine (WebGPU compute shaders) in Node on Dawn, no browser.",
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(w)}${c.spec.short}`),
    '',
    `Run ${PROGRAM} <command> --help for its options. Every command takes --adapter swiftshader|default and --progress.`,
    'Exit codes: 0 done, 1 runtime failure (or a failed check), 2 bad command line.',
  ].join('\n');
}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  let gpu: GpuContext | null = null;
  const where = name && name in COMMANDS ? `${PROGRAM} ${name}` : PROGRAM;
  try {
    if (name === undefined) {
      err(mainHelp());
      return 2;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      out(mainHelp());
      return 0;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command '${name}'; commands: ${Object.keys(COMMANDS).join(', ')} (see ${PROGRAM} --help)`);
    const values = parseCommand(command.spec, rest, out);
    if (!values) return 0;
    const open = async () => {
      gpu = await openNodeGpu(values.adapter as AdapterChoice);
      err(`adapter: ${adapterLine(gpu)}`);
      gpu.events.addEventListener('gpu-error', (e) => err(`GPU error: ${(e as CustomEvent<{ message: string }>).detail.message.split('\n')[0]}`));
      return gpu;
    };
    return await command.run(values, open);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      err(`${where}: ${e.message} (see --help)`);
      return 2;
    }
    const message = e instanceof RuntimeFailure ? e.message : `${(e as Error)?.name ?? 'Error'}: ${String((e as Error)?.message ?? e)}`;
    err(`${where}: ${message.split('\n')[0]}`);
    return 1;
  } finally {
    (gpu as GpuContext | null)?.destroy();
  }
}

// Dawn keeps the event loop alive: exit explicitly once the command is done.
const code = await main(process.argv.slice(2));
process.exitCode = code;
process.exit(code);
