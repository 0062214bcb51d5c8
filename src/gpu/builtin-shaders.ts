/**
 * The shipped shaders as full modules (file → text), common blocks appended (wgsl-modules.ts): what the
 * kernels compile, the Shaders view shows and edits, and stored custom kernels are checked against.
 * Read at build time from shaders/*.wgsl.
 */
import { composeModules } from './wgsl-modules';

const FILES = Object.fromEntries(
  Object.entries(import.meta.glob<string>('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true })).map(([path, code]) => [
    path.replace(/^(\.\.\/)+/, ''),
    code,
  ]),
);

/** Every shipped kernel's full module text by file (`shaders/matmul.wgsl`), common files left out. */
export const BUILTIN_SHADERS: ReadonlyMap<string, string> = composeModules(FILES);

/** The full module text of a shipped kernel file; throws for a file that is not one (a programming error). */
export function builtinShader(file: string): string {
  const code = BUILTIN_SHADERS.get(file);
  if (code === undefined) throw new Error(`no shipped shader ${file} (shipped: ${[...BUILTIN_SHADERS.keys()].join(', ')})`);
  return code;
}
