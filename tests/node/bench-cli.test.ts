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
  it('npm run bench --help documents --rounds and the roofline file', () => {
    const r = run('scripts/bench.mjs', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--rounds N');
    expect(r.stdout).toContain('default 3 for full, 1 for tiny and quick');
    expect(r.stdout).toContain('roofline.svg');
  });
  for (const bad of ['0', '-1', '2.5', 'three', '21', '']) {
    it(`npm run bench --rounds ${JSON.stringify(bad)} is one line plus the usage, exit 2`, () => {
      const r = run('scripts/bench.mjs', `--rounds=${bad}`);
      expect(r.status).toBe(2);
      const [first, second] = r.stderr.split('\n');
      expect(first).toBe(`--rounds must be a whole number from 1 to 20, got ${JSON.stringify(bad)}`);
      expect(second).toMatch(/^usage: npm run bench \[/);
    });
  }
  it('npm run bench --rounds with no value says the value is missing', () => {
    const r = run('scripts/bench.mjs', '--rounds');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^Option '--rounds <value>' argument missing/);
  });
  it('npm run bench:presets with a bad --size says what is allowed', () => {
    const r = run('scripts/bench-presets.mjs', '--size', 'huge');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--size must be auto, small or full, got "huge"');
  });
});
