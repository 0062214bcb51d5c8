// The benchmark scripts' command lines: --help prints the usage, a bad option is one line plus the usage
// (exit 2), before any browser is launched.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const run = (script: string, ...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('benchmark command lines', () => {
  for (const [script, name] of [
    ['scripts/bench.mjs', 'npm run bench'],
    ['scripts/bench-sweep.mjs', 'npm run bench:sweep'],
    ['scripts/bench-presets.mjs', 'npm run bench:presets'],
    ['scripts/screenshots.mjs', 'npm run screenshots'],
  ] as const) {
    it(`${name} --help prints the usage and exits 0`, () => {
      const r = run(script, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`usage: ${name} [`);
    });
    it(`${name} with an unknown option names it, prints the usage and exits 2`, () => {
      const r = run(script, '--no-such-option');
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^Unknown option '--no-such-option'/);
      expect(r.stderr).toContain(`usage: ${name} [`);
    });
  }
  it('npm run bench with an unknown --only part lists the parts', () => {
    const r = run('scripts/bench.mjs', '--only', 'matmul,gemm');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--only: unknown part 'gemm'; choose from fma, matmul, copy, moments, norms");
  });
  it('npm run bench:presets with a bad --size says what is allowed', () => {
    const r = run('scripts/bench-presets.mjs', '--size', 'huge');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--size must be auto, small or full, got "huge"');
  });
});
