// A shipped shader's full module as the app loads it (src/gpu/wgsl-modules.ts): the file with its
// family's common block appended (shaders/matmul-common.wgsl for shaders/matmul*.wgsl). Tests that
// edit, override or store a built-in kernel start from this text, as the Shaders view does.
import { readdirSync, readFileSync } from 'node:fs';
import { appendCommon, commonFileOf } from '../../src/gpu/wgsl-modules';

/** The module text of `file` (`shaders/matmul-direct.wgsl`), read from disk. */
export function readShaderModule(file: string): string {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const common = commonFileOf(
    file,
    readdirSync(dir).map((f) => `${dir}/${f}`),
  );
  const code = readFileSync(file, 'utf8');
  return common === undefined ? code : appendCommon(code, readFileSync(common, 'utf8'));
}
