#!/usr/bin/env node
// WGSL lint: compiles .wgsl files with Dawn (the `webgpu` npm package) on its null backend, a real WGSL
// front end that needs no driver. Usage:
//   node scripts/wgsl-lint.mjs [file.wgsl …]      (no files: every shaders/*.wgsl)
//   node scripts/wgsl-lint.mjs --json [file …]     (prints { "<file>": ["line:col message", …] })
// Exits 1 when any file has an error, 2 when Dawn cannot run here.
//
// Runs in its own process on purpose: Dawn's native threads can crash or hang a process that is torn
// down from outside (a Vitest fork worker is), so the test suite spawns this script instead of loading
// Dawn into a worker.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
let files = args.filter((a) => a !== '--json');
if (files.length === 0) {
  files = readdirSync('shaders').filter((f) => f.endsWith('.wgsl')).sort().map((f) => join('shaders', f));
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
