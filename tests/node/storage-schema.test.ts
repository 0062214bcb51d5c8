// Storage read defensively (issue 13, item 7): the schema checks of the playground's records and of the
// matmul tuning, the stores dropping what fails with a notice naming it, and fast-check properties (random
// JSON never throws, only valid records pass, valid records round-trip).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_BACKUPS, builtInEntryPoints, checkBackupList, checkDraft, checkOverrideList, checkOverrideRecord } from '../../src/playground/storage-schema';
import { StorageNotices } from '../../src/playground/storage-notices';
import { KernelOverrides, OVERRIDES_KEY } from '../../src/playground/kernel-overrides';
import { DraftStore } from '../../src/playground/drafts';
import {
  MATMUL_TUNING_PREFIX,
  MatmulTuningStore,
  checkMatmulTuning,
  getMatmulTuning,
  matmulAdapterKey,
  setMatmulTuning,
  type MatmulTuning,
  type TuningStorageReporter,
} from '../../src/kernels/matmul-tuning';

const FILE = 'shaders/matmul-direct.wgsl';
const DIRECT = readFileSync(FILE, 'utf8');

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    map: m,
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, String(v)),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
  };
}

const validOverride = fc.record({
  file: fc.constantFrom('shaders/matmul.wgsl', 'shaders/matmul-direct.wgsl', 'shaders/norms.wgsl'),
  code: fc.string({ maxLength: 40 }).map((s) => `${s}\n@compute @workgroup_size(1)\nfn main() {}`),
  since: fc.nat(),
  verified: fc.integer({ min: 1, max: 50 }).map((n) => ({ passed: n, total: n })),
});

describe('override records', () => {
  it('knows the entry points of the shipped shaders', () => {
    expect(builtInEntryPoints(FILE)).toEqual(['main']);
    expect(builtInEntryPoints('shaders/elementwise.wgsl')!.length).toBeGreaterThan(1);
    expect(builtInEntryPoints('shaders/nope.wgsl')).toBeUndefined();
  });

  it('accepts a verified record and names what is wrong with others', () => {
    const good = { file: FILE, code: DIRECT, since: 5, verified: { passed: 9, total: 9 } };
    expect(checkOverrideRecord(good)).toEqual({ ok: true, value: good });
    const reason = (x: unknown) => (checkOverrideRecord(x) as { reason: string }).reason;
    expect(reason({ ...good, code: '' })).toBe('its code is empty');
    expect(reason({ ...good, code: 'fn helper() {}' })).toBe('its code has no entry point main');
    expect(reason({ ...good, verified: {} })).toMatch(/Verify result is missing/);
    expect(reason({ ...good, verified: { passed: 8, total: 9 } })).toBe('it did not pass Verify (8 of 9)');
    expect(reason({ ...good, verified: { passed: 0, total: 0 } })).toMatch(/Verify result is missing/);
    expect(reason({ ...good, verified: { passed: 1.5, total: 1.5 } })).toMatch(/Verify result is missing/);
    expect(reason({ ...good, file: 'shaders/evil.wgsl' })).toMatch(/not a shipped shader/);
    expect(reason({ ...good, since: -1 })).toMatch(/time/);
    expect(reason([good])).toBe('it is not a record');
  });

  it('the store drops the issue’s corrupt record (empty code, verified: {}) from storage with a notice, keeping valid ones', () => {
    const storage = memoryStorage();
    const notices = new StorageNotices();
    const good = { file: 'shaders/norms.wgsl', code: 'fn main() {}', since: 1, verified: { passed: 3, total: 3 } };
    storage.setItem(OVERRIDES_KEY, JSON.stringify([{ file: FILE, code: '', since: 1, verified: {} }, good]));
    const store = new KernelOverrides(storage, OVERRIDES_KEY, notices);
    expect(store.codeFor(FILE)).toBeUndefined();
    expect(store.codeFor('shaders/norms.wgsl')).toBe('fn main() {}');
    expect(JSON.parse(storage.getItem(OVERRIDES_KEY)!)).toEqual([good]);
    expect(notices.list()).toHaveLength(1);
    expect(notices.list()[0]).toMatchObject({ key: OVERRIDES_KEY, kind: 'dropped' });
    expect(notices.list()[0].text).toContain('the custom kernel for shaders/matmul-direct.wgsl: its code is empty');
    // Not JSON at all: the key goes.
    storage.setItem(OVERRIDES_KEY, '{oops');
    expect(new KernelOverrides(storage, OVERRIDES_KEY, notices).list()).toEqual([]);
    expect(storage.getItem(OVERRIDES_KEY)).toBeNull();
    expect(notices.list()[1].text).toContain('not valid JSON');
  });

  it('a refused save returns false and says so', () => {
    const notices = new StorageNotices();
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceeded');
      },
      removeItem: () => {},
    };
    const store = new KernelOverrides(full, OVERRIDES_KEY, notices);
    expect(store.set(FILE, 'fn main() {}', { passed: 1, total: 1 })).toBe(false);
    expect(store.codeFor(FILE)).toBe('fn main() {}');
    expect(notices.list()[0]).toMatchObject({ kind: 'save-failed' });
    expect(notices.list()[0].text).toMatch(/Your browser refused to store/);
  });

  it('random JSON never throws and is accepted only when every entry is valid (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.array(fc.oneof(validOverride, fc.jsonValue()), { maxLength: 4 })), (x) => {
        const raw = JSON.stringify(x) ?? 'null';
        const { valid, dropped } = checkOverrideList(raw);
        for (const o of valid) expect(checkOverrideRecord(o)).toEqual({ ok: true, value: o });
        for (const o of valid) {
          expect(o.code.trim()).not.toBe('');
          expect(o.verified.passed).toBe(o.verified.total);
          expect(o.verified.total).toBeGreaterThan(0);
        }
        if (Array.isArray(x)) expect(valid.length + dropped.length).toBe(x.length);
      }),
      { numRuns: 500 },
    );
  });

  it('valid records round-trip through storage (fast-check)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(validOverride, { selector: (o) => o.file, maxLength: 3 }), (list) => {
        expect(checkOverrideList(JSON.stringify(list))).toEqual({ valid: list, dropped: [] });
        const storage = memoryStorage();
        storage.setItem(OVERRIDES_KEY, JSON.stringify(list));
        const notices = new StorageNotices();
        expect(new KernelOverrides(storage, OVERRIDES_KEY, notices).list()).toEqual(list);
        expect(notices.list()).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('drafts and backups', () => {
  it('drops an oversized draft and malformed backups with notices; keeps the valid backups', () => {
    const storage = memoryStorage();
    const notices = new StorageNotices();
    storage.setItem('gp.shader-draft.v1:norms', 'x'.repeat(1_000_001));
    storage.setItem('gp.shader-draft-backups.v1:norms', JSON.stringify([{ code: 'kept', at: 2 }, { code: 7, at: 1 }, { code: 'x' }]));
    const d = new DraftStore(storage, notices);
    expect(d.get('norms')).toBeNull();
    expect(storage.getItem('gp.shader-draft.v1:norms')).toBeNull();
    expect(d.backups('norms')).toEqual([{ code: 'kept', at: 2 }]);
    expect(JSON.parse(storage.getItem('gp.shader-draft-backups.v1:norms')!)).toEqual([{ code: 'kept', at: 2 }]);
    expect(notices.list().map((n) => n.key)).toEqual(['gp.shader-draft.v1:norms', 'gp.shader-draft-backups.v1:norms']);
    expect(notices.list()[1].text).toMatch(/backup 2: it is not text; backup 3: its time is not a time/);
  });

  it('random JSON never throws; only valid backups pass, at most MAX_BACKUPS, newest first; valid lists round-trip (fast-check)', () => {
    const backup = fc.record({ code: fc.string({ maxLength: 30 }), at: fc.nat() });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.array(fc.oneof(backup, fc.jsonValue()), { maxLength: 8 })), (x) => {
        const { valid } = checkBackupList(JSON.stringify(x) ?? 'null');
        expect(valid.length).toBeLessThanOrEqual(MAX_BACKUPS);
        for (const b of valid) expect(typeof b.code === 'string' && Number.isFinite(b.at) && b.at >= 0).toBe(true);
        for (let i = 1; i < valid.length; i++) expect(valid[i - 1].at).toBeGreaterThanOrEqual(valid[i].at);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(backup, { maxLength: MAX_BACKUPS }), (list) => {
        const sorted = [...list].sort((a, b) => b.at - a.at);
        expect(checkBackupList(JSON.stringify(sorted))).toEqual({ valid: sorted, dropped: [] });
      }),
    );
    expect(checkDraft('')).toEqual({ ok: true, value: '' });
  });
});

describe('matmul tunings', () => {
  // The store of the current test, over its storage and reporting to `reported`; the context reads it.
  let tunings: MatmulTuningStore;
  const ctx = {
    summary: { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true } as never,
    get tunings() {
      return tunings;
    },
  };
  const key = matmulAdapterKey(ctx.summary);
  const tuning = (variant: MatmulTuning['variant'], constants: MatmulTuning['constants']): MatmulTuning => ({
    adapterKey: key,
    variant,
    constants,
    candidates: [{ variant, constants, ms: 1, verified: true }],
    measuredAt: '2026-01-01T00:00:00.000Z',
  });
  let storage: ReturnType<typeof memoryStorage>;
  let reported: { key: string; kind: string; text: string }[];
  beforeEach(() => {
    storage = memoryStorage();
    reported = [];
    tunings = new MatmulTuningStore(storage, report);
  });
  const report: TuningStorageReporter = (key, kind, text) => reported.push({ key, kind, text });
  afterEach(() => {
    setMatmulTuning(ctx, null);
  });

  it('names what is wrong: tile sizes outside the allowed ones, sizes of another variant, unknown variants', () => {
    const reason = (x: unknown) => (checkMatmulTuning(x, key) as { reason: string }).reason;
    expect(checkMatmulTuning(tuning('tiled', { tileM: 64, tileN: 32, tileK: 8 }), key).ok).toBe(true);
    expect(checkMatmulTuning(tuning('direct', {}), key).ok).toBe(true);
    expect(reason(tuning('tiled', { tileM: 7 }))).toBe('tileM is 7, not a multiple of 4 from 4 to 1024');
    expect(reason(tuning('direct', { microM: 6 }))).toBe('microM is 6, not 4, 8, 12 or 16');
    // The subgroup kernels also keep 8 block rows (microM 32); the others do not.
    expect(checkMatmulTuning(tuning('subgroup', { microM: 32, microN: 16 }), key).ok).toBe(true);
    expect(
      checkMatmulTuning(tuning('subgroup', { microM: 32, microN: 16 }), key, {
        maxComputeInvocationsPerWorkgroup: 256,
        maxComputeWorkgroupSizeX: 256,
        maxComputeWorkgroupSizeY: 256,
        maxComputeWorkgroupStorageSize: 16384,
      } as GPUSupportedLimits).ok,
    ).toBe(true);
    expect(reason(tuning('subgroup', { microM: 20 }))).toBe('microM is 20, not 4, 8, 12, 16 or 32');
    expect(reason(tuning('subgroup', { microN: 32 }))).toBe('microN is 32, not 4, 8, 12 or 16');
    expect(reason(tuning('direct', { microM: 32 }))).toBe('microM is 32, not 4, 8, 12 or 16');
    expect(reason(tuning('tiled', { microM: 8 }))).toMatch(/microM is not a size of the tiled variant/);
    expect(reason({ ...tuning('tiled', {}), variant: 'turbo' })).toMatch(/variant "turbo" is not one of tiled, direct, vec4, subgroup/);
    expect(reason({ ...tuning('tiled', {}), measuredAt: 'yesterday' })).toMatch(/date/);
    expect(reason({ ...tuning('tiled', {}), candidates: [{}] })).toMatch(/candidate/);
    expect(reason({ ...tuning('tiled', {}), adapterKey: 'other' })).toMatch(/another adapter/);
    // Within the device's limits when they are known: 64×64 tiles need 256 invocations.
    const small = {
      maxComputeInvocationsPerWorkgroup: 64,
      maxComputeWorkgroupSizeX: 64,
      maxComputeWorkgroupSizeY: 64,
      maxComputeWorkgroupStorageSize: 16384,
    } as GPUSupportedLimits;
    expect(checkMatmulTuning(tuning('tiled', { tileM: 64, tileN: 64, tileK: 16 }), key).ok).toBe(true);
    expect((checkMatmulTuning(tuning('tiled', { tileM: 64, tileN: 64, tileK: 16 }), key, small) as { reason: string }).reason).toMatch(
      /maxComputeInvocationsPerWorkgroup/,
    );
  });

  it('the store drops the issue’s tileM: 7 tuning on load and reports it; the startup sweep finds every bad one', () => {
    storage.setItem(MATMUL_TUNING_PREFIX + key, JSON.stringify(tuning('tiled', { tileM: 7, tileN: 64, tileK: 16 })));
    expect(getMatmulTuning(ctx)).toBeNull();
    expect(storage.getItem(MATMUL_TUNING_PREFIX + key)).toBeNull();
    expect(reported).toEqual([
      { key: MATMUL_TUNING_PREFIX + key, kind: 'dropped', text: expect.stringContaining('(tileM is 7, not a multiple of 4 from 4 to 1024)') },
    ]);
    // The sweep: every stored tuning, whatever its adapter; good ones stay.
    storage.setItem(MATMUL_TUNING_PREFIX + 'a|b||', JSON.stringify({ ...tuning('tiled', { tileM: 7 }), adapterKey: 'a|b||' }));
    storage.setItem(MATMUL_TUNING_PREFIX + 'c|d||', '{broken');
    storage.setItem(MATMUL_TUNING_PREFIX + key, JSON.stringify(tuning('direct', { microM: 16, microN: 16, threadsX: 4, threadsY: 4 })));
    storage.setItem('unrelated', '{broken');
    expect(tunings.prune().sort()).toEqual([MATMUL_TUNING_PREFIX + 'a|b||', MATMUL_TUNING_PREFIX + 'c|d||']);
    expect([...storage.map.keys()].sort()).toEqual([MATMUL_TUNING_PREFIX + key, 'unrelated']);
    expect(getMatmulTuning(ctx)?.variant).toBe('direct');
  });

  it('a refused save is reported', () => {
    tunings = new MatmulTuningStore(
      {
        ...storage,
        setItem: () => {
          throw new Error('QuotaExceeded');
        },
      },
      report,
    );
    setMatmulTuning(ctx, tuning('direct', {}));
    expect(reported[0]).toMatchObject({ kind: 'save-failed', text: expect.stringMatching(/Your browser refused to store the matmul tuning/) });
  });

  it('random JSON never throws and passes only when well formed; valid tunings round-trip (fast-check)', () => {
    const sizes = fc.record(
      {
        tileM: fc.integer({ min: 1, max: 256 }).map((x) => x * 4),
        tileN: fc.integer({ min: 1, max: 256 }).map((x) => x * 4),
        tileK: fc.integer({ min: 1, max: 1024 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          sizes.map((c) => tuning('tiled', c)),
          fc.record({ adapterKey: fc.constant(key), variant: fc.constantFrom('tiled', 'direct', 'x'), constants: fc.jsonValue() }),
        ),
        (x) => {
          const c = checkMatmulTuning(JSON.parse(JSON.stringify(x) ?? 'null'), key);
          if (c.ok) {
            for (const [name, v] of Object.entries(c.tuning.constants)) {
              expect(Number.isSafeInteger(v)).toBe(true);
              if (name === 'tileM' || name === 'tileN') expect((v as number) % 4).toBe(0);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(sizes, (c) => {
        const t = tuning('tiled', c);
        expect(checkMatmulTuning(JSON.parse(JSON.stringify(t)), key)).toEqual({ ok: true, tuning: t });
      }),
    );
  });
});
