// Shader modules composed from files (src/gpu/wgsl-modules.ts): a family's common block appended to each
// of its kernels, and the same rule in scripts/wgsl-lint.mjs (which compiles the composed modules).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appendCommon, commonFileOf, composeModules, isCommonFile } from '../../src/gpu/wgsl-modules';
import { structLayout } from '../../src/gpu/uniforms';

const files = ['s/matmul.wgsl', 's/matmul-common.wgsl', 's/matmul-direct.wgsl', 's/matmulx.wgsl', 's/moments.wgsl', 's/x/matmul-y.wgsl'];

describe('composeModules', () => {
  it('appends <family>-common.wgsl to <family>.wgsl and <family>-*.wgsl of the same folder only', () => {
    expect(isCommonFile('s/matmul-common.wgsl')).toBe(true);
    expect(isCommonFile('s/matmul.wgsl')).toBe(false);
    expect(commonFileOf('s/matmul.wgsl', files)).toBe('s/matmul-common.wgsl');
    expect(commonFileOf('s/matmul-direct.wgsl', files)).toBe('s/matmul-common.wgsl');
    expect(commonFileOf('s/matmulx.wgsl', files)).toBeUndefined();
    expect(commonFileOf('s/moments.wgsl', files)).toBeUndefined();
    expect(commonFileOf('s/x/matmul-y.wgsl', files)).toBeUndefined();
    expect(commonFileOf('s/matmul-common.wgsl', files)).toBeUndefined();
  });

  it('keeps the kernel first (its directives and header on top, its line numbers unchanged) and leaves the common file out', () => {
    const m = composeModules({ 's/matmul.wgsl': 'enable subgroups;\nK', 's/matmul-common.wgsl': 'C\n', 's/moments.wgsl': 'M' });
    expect([...m.keys()]).toEqual(['s/matmul.wgsl', 's/moments.wgsl']);
    expect(m.get('s/matmul.wgsl')).toBe('enable subgroups;\nK\n\nC\n');
    expect(m.get('s/moments.wgsl')).toBe('M');
    expect(appendCommon('K\n', 'C')).toBe('K\n\nC');
  });

  it('every shipped matmul kernel declares Params only through shaders/matmul-common.wgsl', () => {
    const shipped = Object.fromEntries(
      readdirSync('shaders')
        .filter((f) => f.endsWith('.wgsl'))
        .map((f) => [`shaders/${f}`, readFileSync(`shaders/${f}`, 'utf8')]),
    );
    const modules = composeModules(shipped);
    const matmul = [...modules.keys()].filter((f) => /\/matmul(-|\.)/.test(f));
    expect(matmul.length).toBe(5);
    for (const f of matmul) {
      expect(shipped[f]).not.toMatch(/struct\s+Params\b/);
      expect(modules.get(f)!.match(/struct\s+Params\b/g)).toHaveLength(1);
      expect(structLayout(modules.get(f)!, 'params', f).size).toBe(48);
    }
  });

  it('scripts/wgsl-lint.mjs appends the same common files', () => {
    const run = spawnSync(process.execPath, ['scripts/wgsl-lint.mjs', '--modules'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    const lint = JSON.parse(run.stdout) as Record<string, string | null>;
    const all = Object.keys(lint);
    expect(all).toContain('shaders/matmul-direct.wgsl');
    expect(all).toContain('shaders/examples/naive-matmul-direct.wgsl');
    for (const f of all) expect(lint[f]).toBe(commonFileOf(f, all) ?? null);
    expect(Object.values(lint).filter((c) => c === 'shaders/matmul-common.wgsl')).toHaveLength(5);
  });
});
