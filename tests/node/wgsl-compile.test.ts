// Compiles every shaders/*.wgsl with Dawn (the `webgpu` npm package) on its null backend: a real WGSL
// front end, no driver needed. Catches syntax and type errors before any browser starts.
// Dawn runs in a child process (scripts/wgsl-lint.mjs), never inside this Vitest worker: a worker that
// had loaded Dawn sometimes crashed or hung when Vitest tore it down.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const shaderFiles = readdirSync('shaders')
  .filter((f) => f.endsWith('.wgsl'))
  .sort();
const exampleFiles = readdirSync('shaders/examples')
  .filter((f) => f.endsWith('.wgsl'))
  .sort();

/** Runs the lint on `files`; returns its JSON report and exit code. Throws if Dawn could not run. */
function lint(files: string[]): { report: Record<string, string[]>; status: number } {
  const run = spawnSync(process.execPath, ['scripts/wgsl-lint.mjs', '--json', ...files], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw new Error(`wgsl-lint did not run: ${run.error.message}`);
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`wgsl-lint could not lint (exit ${run.status}, signal ${run.signal}):\n${run.stderr}`);
  }
  return { report: JSON.parse(run.stdout) as Record<string, string[]>, status: run.status };
}

let shaders: { report: Record<string, string[]>; status: number };
beforeAll(() => {
  shaders = lint([]);
});

describe('WGSL compile check (Dawn, null backend)', () => {
  it('finds the shaders and the examples and lints every one', () => {
    expect(shaderFiles).toContain('elementwise.wgsl');
    expect(exampleFiles).toContain('naive-matmul-direct.wgsl');
    expect(Object.keys(shaders.report).sort()).toEqual(
      [...shaderFiles.map((f) => join('shaders', f)), ...exampleFiles.map((f) => join('shaders', 'examples', f))].sort(),
    );
  });

  for (const file of exampleFiles) {
    it(`shaders/examples/${file} compiles without errors`, () => {
      expect(shaders.report[join('shaders', 'examples', file)]).toEqual([]);
    });
  }

  it('a matmul kernel with no common block beside it fails (the lint appends the block, the kernel needs it)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gp-wgsl-')), 'matmul-direct.wgsl');
    writeFileSync(file, readFileSync('shaders/matmul-direct.wgsl', 'utf8'));
    const { report, status } = lint([file]);
    expect(status).toBe(1);
    expect(report[file].join('\n')).toMatch(/unresolved/);
  });

  for (const file of shaderFiles) {
    it(`shaders/${file} compiles without errors`, () => {
      expect(shaders.report[join('shaders', file)]).toEqual([]);
    });
    it(`shaders/${file} opens with a header comment block`, () => {
      expect(readFileSync(`shaders/${file}`, 'utf8').trimStart().startsWith('//')).toBe(true);
    });
  }

  it('exits 0 when every shader compiles', () => {
    expect(shaders.status).toBe(0);
  });

  it('reports a broken shader with line and column and exits 1 (the lint can fail)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gp-wgsl-')), 'broken.wgsl');
    writeFileSync(file, '@compute @workgroup_size(1) fn main() {\n  let x: f32 = 1.0 +;\n}');
    const { report, status } = lint([file]);
    expect(status).toBe(1);
    expect(report[file].length).toBeGreaterThan(0);
    expect(report[file][0]).toMatch(/^2:\d+ /);
  });
});
