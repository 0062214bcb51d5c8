#!/usr/bin/env node
// The `gradient-playground` command (package.json "bin"): runs the CLI bundle dist/cli/main.js, building it
// first with Vite (vite.cli.config.ts) when it is missing or older than any source it is built from.
// Build output goes to stderr, so stdout carries only the command's own output.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/cli/main.js');

// Newest modification time under `path` (a file or a folder, recursively).
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['src', 'shaders', 'scripts/bench-report.mjs', 'vite.cli.config.ts', 'package.json'].map((p) => join(root, p));
if (!existsSync(bundle) || Math.max(...sources.map(newest)) > statSync(bundle).mtimeMs) {
  process.stderr.write('gradient-playground: building the CLI bundle (dist/cli/main.js)…\n');
  try {
    const { build } = await import('vite');
    await build({ root, configFile: join(root, 'vite.cli.config.ts'), logLevel: 'warn' });
  } catch (err) {
    process.stderr.write(`gradient-playground: building the CLI bundle failed: ${String(err?.message ?? err).split('\n')[0]}\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(bundle).href);
