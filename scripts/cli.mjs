// Command-line options for the benchmark scripts: node:util's parseArgs, plus --help (prints the usage and
// exits 0), and an unknown or malformed option reported in one line with the usage (exit 2), not a stack.
import { parseArgs } from 'node:util';

/** Parses process.argv against `options`; `usage` is printed for --help and after a bad option. */
export function parseCli(options, usage) {
  try {
    const { values } = parseArgs({ options: { ...options, help: { type: 'boolean', default: false } } });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    return values;
  } catch (err) {
    console.error(`${err.message}\n${usage}`);
    process.exit(2);
  }
}
