import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors';
import { CONFIG_FIELDS, CONFIG_LIMITS, configProblems, memoryEstimate, validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import { makeSweepGrid, parseSweepSpec, parseNumberList } from '../../src/labs/depth/sweep-grid';
import { cpuCapProblem } from '../../src/labs/depth/cpu/deep-net-cpu';
import { checkNetBuffers } from '../../src/labs/depth/deep-net';
import { GpuLimitError } from '../../src/gpu/errors';

// Property-based fuzz of the Depth lab's validators (fast-check): any value of any type, in any field,
// gives either a valid config or an InputError naming a field — never another exception, never a config
// outside the documented ranges.

const anything = fc.oneof(
  fc.anything(),
  fc.double(),
  fc.integer(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, -1, 1.5, 2 ** 32, 2 ** 53, 1e308, 1e-320, '1', '', 'relu', 'he-normal', 'ones', null, undefined, [], {}),
  fc.string(),
);
const fieldName = fc.oneof(fc.constantFrom(...CONFIG_FIELDS), fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'toString'));

function isValid(c: DeepNetConfig): boolean {
  const int = (v: number, { min, max }: { min: number; max: number }) => Number.isInteger(v) && v >= min && v <= max;
  return (
    int(c.depth, CONFIG_LIMITS.depth) &&
    int(c.width, CONFIG_LIMITS.width) &&
    int(c.batch, CONFIG_LIMITS.batch) &&
    int(c.seed, CONFIG_LIMITS.seed) &&
    Number.isFinite(c.gain) &&
    c.gain >= CONFIG_LIMITS.gain.min &&
    c.gain <= CONFIG_LIMITS.gain.max &&
    ['linear', 'relu', 'tanh', 'sigmoid'].includes(c.activation) &&
    ['identity', 'normal', 'xavier-normal', 'xavier-uniform', 'he-normal', 'lecun-normal'].includes(c.init) &&
    ['ones', 'normal'].includes(c.input) &&
    Object.keys(c).sort().join() === [...CONFIG_FIELDS].sort().join()
  );
}

describe('fuzz: validateDeepNetConfig / configProblems', () => {
  it('returns a valid config or throws an InputError, for any input at all', () => {
    fc.assert(
      fc.property(fc.oneof(anything, fc.dictionary(fieldName, anything, { maxKeys: 10 })), (input) => {
        // validateDeepNetConfig() with no argument is the default config (configProblems wants an object).
        const problems = input === undefined ? [] : configProblems(input);
        expect(Array.isArray(problems)).toBe(true);
        try {
          const c = validateDeepNetConfig(input as never);
          expect(problems).toEqual([]);
          expect(isValid(c)).toBe(true);
          // Every valid config has a finite memory estimate.
          expect(Number.isFinite(memoryEstimate(c).total)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
          expect(problems.length).toBeGreaterThan(0);
          expect((err as InputError).field).toBe(problems[0].field);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('integrality and range: non-integers, out-of-range and non-finite numbers are refused in every integer field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('depth', 'width', 'batch', 'seed' as const),
        fc.oneof(fc.double({ noInteger: true }), fc.constantFrom(NaN, Infinity, -Infinity, -1, 0.5, 2 ** 33, 1e6 + 0.5)),
        (field, v) => {
          const { min, max } = CONFIG_LIMITS[field];
          fc.pre(!(Number.isInteger(v) && v >= min && v <= max));
          expect(() => validateDeepNetConfig({ [field]: v })).toThrow(InputError);
          expect(configProblems({ [field]: v }).map((p) => p.field)).toEqual([field]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('sweep specs: parse to valid grids or throw InputError (never anything else, never > 256 rows)', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .array(
          fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), fc.double().map(String), fc.constantFrom('..', ':', '*', ',', ' ', 'e', '-', '.', '1e400')),
          { maxLength: 12 },
        )
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(fc.constantFrom('depth', 'gain', 'init' as const), text, (kind, t) => {
        try {
          const spec = parseSweepSpec(kind, t);
          const rows = makeSweepGrid(validateDeepNetConfig({ width: 2, batch: 1 }), spec);
          expect(rows.length).toBeGreaterThan(0);
          expect(rows.length).toBeLessThanOrEqual(256);
          for (const r of rows) expect(isValid(r.config)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 3000 },
    );
    expect(() => parseNumberList('1..1e300')).toThrow(/at most 256/);
  });

  it('the CPU caps and the GPU buffer check never throw for valid configs, and name a limit when they refuse', () => {
    const cfg = fc.record({
      depth: fc.integer({ min: 1, max: 1000 }),
      width: fc.integer({ min: 1, max: 1024 }),
      batch: fc.integer({ min: 1, max: 4096 }),
    });
    fc.assert(
      fc.property(cfg, fc.integer({ min: 1, max: 64 }), (c, nets) => {
        const config = validateDeepNetConfig(c);
        const cap = cpuCapProblem([config]);
        if (cap) expect(cap.message).toMatch(/needs [\d,]+, the CPU fallback allows [\d,]+\. /);
        const limits = { maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 };
        try {
          checkNetBuffers(limits, { ...c, nets }, { weights: true });
        } catch (err) {
          expect(err).toBeInstanceOf(GpuLimitError);
          expect((err as GpuLimitError).message).toMatch(
            /needs [\d,]+ bytes, but this device's max(Buffer|StorageBufferBinding)Size is [\d,]+ bytes\. Use a smaller/,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });
});
