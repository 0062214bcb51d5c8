#!/usr/bin/env node
// WGSL lint: compiles .wgsl files with Dawn (the `webgpu` npm package) on its null backend, a real WGSL
// front end that needs no driver. Each file is compiled as the module it is loaded as: a kernel of a
// family with a common block (shaders/matmul-common.wgsl for shaders/matmul*.wgsl) has it appended, the
// rule of src/gpu/wgsl-modules.ts (repeated here; tests/node/wgsl-compile.test.ts checks they agree).
// Line numbers are those of the module, which begins with the file itself. Usage:
//   node scripts/wgsl-lint.mjs [file.wgsl …]      (no files: every shaders/*.wgsl and shaders/examples/*.wgsl)
//   node scripts/wgsl-lint.mjs --json [file …]     (prints { "<file>": ["line:col message", …] })
//   node scripts/wgsl-lint.mjs --modules [file …]  (prints { "<file>": "<common file appended>" | null }, no Dawn)
// Exits 1 when any file has an error, 2 when Dawn cannot run here.
//
// Runs in its own process on purpose: Dawn's native threads can crash or hang a process that is torn
// down from outside (a Vitest fork worker is), so the test suite spawns this script instead of loading
// Dawn into a worker.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const modulesOnly = args.includes('--modules');
let files = args.filter((a) => a !== '--json' && a !== '--modules');
if (files.length === 0) {
  const wgslIn = (dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.wgsl'))
          .sort()
          .map((f) => join(dir, f))
      : [];
  files = [...wgslIn('shaders'), ...wgslIn(join('shaders', 'examples'))];
}

/** The `<family>-common.wgsl` beside `file` that is appended to it (`matmul-direct.wgsl` → `matmul-common.wgsl`), or null. */
function commonFileOf(file) {
  const name = basename(file, '.wgsl');
  if (name.endsWith('-common')) return null;
  const dir = dirname(file);
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('-common.wgsl'))
    .sort()) {
    const family = f.slice(0, -'-common.wgsl'.length);
    if (name === family || name.startsWith(`${family}-`)) return join(dir, f);
  }
  return null;
}

if (modulesOnly) {
  console.log(JSON.stringify(Object.fromEntries(files.map((f) => [f, commonFileOf(f)]))));
  process.exit(0);
}

function fail(message) {
  console.error(`wgsl-lint: ${message}`);
  process.exit(2);
}

const require = createRequire(import.meta.url);
let dawn;
try {
  dawn = require('webgpu');
} catch (e) {
  fail(`cannot load the 'webgpu' package (Dawn for Node): ${e.message}. Run npm ci.`);
}
Object.assign(globalThis, dawn.globals);
// `gpu` is a module-level binding on purpose: it keeps the GPU object alive until the process ends.
// When it was garbage-collected while its device lived, Dawn aborted, segfaulted or hung at exit (in
// nearly every run here, and as a crashed Vitest worker in CI).
const gpu = dawn.create(['backend=null']);
const adapter = await gpu.requestAdapter();
if (!adapter) fail("Dawn's null backend gave no adapter");
// shaders/matmul-subgroup.wgsl says `enable subgroups;`, which compiles only on a device with the feature.
if (!adapter.features.has('subgroups')) fail("Dawn's null backend lacks 'subgroups': matmul-subgroup.wgsl cannot be linted");
const device = await adapter.requestDevice({ requiredFeatures: ['subgroups'] });

const report = {};
for (const file of files) {
  let code;
  try {
    code = readFileSync(file, 'utf8');
    const common = commonFileOf(file);
    // As src/gpu/wgsl-modules.ts appendCommon: one blank line between the kernel and its common block.
    if (common) code = `${code}${code.endsWith('\n') ? '' : '\n'}\n${readFileSync(common, 'utf8')}`;
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  // The error scope keeps Dawn from printing the validation error itself; getCompilationInfo has it.
  device.pushErrorScope('validation');
  const info = await device.createShaderModule({ code }).getCompilationInfo();
  await device.popErrorScope();
  report[file] = info.messages.filter((m) => m.type === 'error').map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
}
device.destroy();

const failed = Object.values(report).some((errors) => errors.length > 0);
if (json) {
  console.log(JSON.stringify(report));
} else {
  for (const [file, errors] of Object.entries(report)) {
    for (const error of errors) console.log(`${file}:${error}`);
  }
  console.log(`wgsl-lint: ${files.length} file(s), ${failed ? 'errors found' : 'no errors'}`);
}
process.exitCode = failed ? 1 : 0;
