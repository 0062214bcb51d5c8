/**
 * Shader modules from shader files: a `<family>-common.wgsl` is appended to every file of its family
 * (`<family>.wgsl` and `<family>-*.wgsl` in the same folder), so declarations shared by several kernels
 * (the matmul Params, its binding, helper structs) are written once. Appended, not prepended: a kernel's
 * `enable` directives must open the module, its header comment stays on top (the Shaders view reads it),
 * and compiler messages keep the kernel file's line numbers. WGSL module-scope declarations may come in
 * any order. Plain functions (no Vite, no fs): builtin-shaders.ts applies them to the shipped files,
 * tests and scripts/wgsl-lint.mjs (which repeats the rule, checked by tests/node/wgsl-compile.test.ts) to
 * files read from disk.
 */

/** Whether `file` is a common block (`…/<family>-common.wgsl`), appended to others, never a kernel. */
export function isCommonFile(file: string): boolean {
  return /(^|\/)[^/]+-common\.wgsl$/.test(file);
}

/** The common file among `files` appended to `file` (`shaders/matmul-direct.wgsl` → `shaders/matmul-common.wgsl`), if any. */
export function commonFileOf(file: string, files: Iterable<string>): string | undefined {
  if (isCommonFile(file)) return undefined;
  const slash = file.lastIndexOf('/');
  const dir = file.slice(0, slash + 1);
  const name = file.slice(slash + 1).replace(/\.wgsl$/, '');
  for (const candidate of files) {
    if (!isCommonFile(candidate) || !candidate.startsWith(dir) || candidate.slice(dir.length).includes('/')) continue;
    const family = candidate.slice(dir.length).replace(/-common\.wgsl$/, '');
    if (name === family || name.startsWith(`${family}-`)) return candidate;
  }
  return undefined;
}

/** A kernel's text with a common block appended (a line break between them). */
export function appendCommon(kernel: string, common: string): string {
  return `${kernel}${kernel.endsWith('\n') ? '' : '\n'}\n${common}`;
}

/**
 * The full module text of every kernel file in `files` (file → its text), common blocks appended; the
 * common files themselves are left out (they are parts, not kernels).
 */
export function composeModules(files: Readonly<Record<string, string>>): Map<string, string> {
  const names = Object.keys(files);
  const out = new Map<string, string>();
  for (const file of names.sort()) {
    if (isCommonFile(file)) continue;
    const common = commonFileOf(file, names);
    out.set(file, common === undefined ? files[file] : appendCommon(files[file], files[common]));
  }
  return out;
}
