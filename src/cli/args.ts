// Command-line options of the CLI: node:util's parseArgs per command, `--help` per command, and every bad
// option reported as one UsageError (exit code 2) instead of a stack.
import { parseArgs } from 'node:util';

/** A bad command line: printed as one line (plus a hint to --help), exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parsed options: a string, a flag, or (for `multiple` options) a list of strings. */
export type Values = Record<string, string | boolean | string[] | undefined>;

/** One option: its parseArgs type, default, the value's name and one line of help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  default?: string | boolean;
  /** May be given more than once (parsed as a list). */
  multiple?: boolean;
  /** How the value is shown in the help (`N`, `FILE`, `LIST`). */
  arg?: string;
  help: string;
}

/** A command: its name, one-line summary, options, and examples for its --help. */
export interface CommandSpec {
  name: string;
  /** One line for the command list of `gradient-playground --help`. */
  short: string;
  summary: string;
  options: Record<string, OptionSpec>;
  examples?: string[];
  /** Extra paragraphs for the help (e.g. what --out writes). */
  notes?: string[];
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  adapter: {
    type: 'string',
    default: 'swiftshader',
    arg: 'swiftshader|default',
    help: "swiftshader: Dawn's CPU Vulkan driver (sets VK_ICD_FILENAMES when unset, forces the fallback adapter); default: the system's Vulkan driver (a GPU server)",
  },
  progress: { type: 'boolean', default: false, help: 'show the progress bar on stderr even when it is not a terminal' },
  help: { type: 'boolean', default: false, help: 'print this help and exit' },
};

/** The program's name as users type it. */
export const PROGRAM = 'gradient-playground';

/** The --help text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const all = { ...spec.options, ...COMMON_OPTIONS };
  const left = (name: string, o: OptionSpec) => `  --${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
  const width = Math.max(...Object.entries(all).map(([n, o]) => left(n, o).length)) + 2;
  const lines = [`usage: ${PROGRAM} ${spec.name} [options]`, '', spec.summary, '', 'options:'];
  for (const [name, o] of Object.entries(all)) {
    const def = o.default !== undefined && o.type === 'string' ? ` (default ${o.default})` : '';
    lines.push(`${left(name, o).padEnd(width)}${o.help}${def}`);
  }
  for (const note of spec.notes ?? []) lines.push('', note);
  if (spec.examples?.length) lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

/**
 * Parses a command's arguments. Returns null after printing the help for --help; throws a UsageError for an
 * unknown option, a missing value, a positional argument or a value given to a flag.
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[], print: (text: string) => void): Values | null {
  const all = { ...spec.options, ...COMMON_OPTIONS };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [
      name,
      { type: o.type, ...(o.default === undefined ? {} : { default: o.default }), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  ) as Parameters<typeof parseArgs>[0] extends infer C ? (C extends { options?: infer O } ? O : never) : never;
  let values: Values;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }) as { values: Values });
  } catch (err) {
    // parseArgs's messages run over several lines ("To specify a positional argument starting with a '-'…").
    throw new UsageError(String((err as Error).message).split('\n')[0]);
  }
  if (values.help) {
    print(commandHelp(spec));
    return null;
  }
  const adapter = values.adapter;
  if (adapter !== 'swiftshader' && adapter !== 'default') {
    throw new UsageError(`--adapter must be swiftshader or default, got ${JSON.stringify(adapter)}`);
  }
  return values;
}

/** A whole number option within [min, max], or a UsageError naming the option and the range. */
export function intOption(name: string, text: Values[string], min: number, max: number): number {
  const t = String(text ?? '').trim();
  const v = Number(t);
  if (!/^\d+$/.test(t) || !Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return v;
}

/**
 * The --out files: one per format at most (e.g. `--out run.json --out run.csv`), each format chosen by its
 * extension; a UsageError for a bad extension or two files of one format.
 */
export function outFiles(value: Values[string], allowed: readonly ('json' | 'csv')[] = ['json', 'csv']): Partial<Record<'json' | 'csv', string>> {
  const files = value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
  const out: Partial<Record<'json' | 'csv', string>> = {};
  for (const f of files) {
    const format = outFormat(f, allowed);
    if (out[format]) throw new UsageError(`--out is given two .${format} files (${out[format]}, ${f}); give at most one per format`);
    out[format] = f;
  }
  return out;
}

/** `json` or `csv` from --out's extension, or a UsageError naming what is allowed. */
export function outFormat(file: string, allowed: readonly ('json' | 'csv')[] = ['json', 'csv']): 'json' | 'csv' {
  const m = /\.([A-Za-z]+)$/.exec(file);
  const ext = m ? m[1].toLowerCase() : '';
  if ((allowed as readonly string[]).includes(ext)) return ext as 'json' | 'csv';
  throw new UsageError(
    `--out ${JSON.stringify(file)}: the file name must end in ${allowed.map((a) => `.${a}`).join(' or ')} (the format is chosen by the extension)`,
  );
}
