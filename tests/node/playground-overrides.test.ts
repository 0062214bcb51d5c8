// The overrides store (which user kernel replaces which built-in), the drafts store, and the hook:
// createMatmulKernel consults the store when given no code.
import { describe, expect, it } from 'vitest';
import { KernelOverrides, OVERRIDES_KEY, type KernelOverrideChange } from '../../src/playground/kernel-overrides';
import { DraftStore } from '../../src/playground/drafts';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

const FILE = 'shaders/matmul-direct.wgsl';

describe('KernelOverrides', () => {
  it('sets, persists, reloads and clears an override, with change events', () => {
    const storage = memoryStorage();
    const store = new KernelOverrides(storage);
    const events: KernelOverrideChange[] = [];
    store.addEventListener('change', (e) => events.push((e as CustomEvent<KernelOverrideChange>).detail));
    expect(store.codeFor(FILE)).toBeUndefined();
    store.set(FILE, 'fn main() {}', { passed: 7, total: 7 });
    expect(store.codeFor(FILE)).toBe('fn main() {}');
    expect(JSON.parse(storage.map.get(OVERRIDES_KEY)!)[0]).toMatchObject({ file: FILE, code: 'fn main() {}', verified: { passed: 7, total: 7 } });
    // A new page (a reload) sees it.
    expect(new KernelOverrides(storage).codeFor(FILE)).toBe('fn main() {}');
    store.clear(FILE);
    expect(store.codeFor(FILE)).toBeUndefined();
    expect(storage.map.has(OVERRIDES_KEY)).toBe(false);
    expect(events).toEqual([
      { file: FILE, active: true },
      { file: FILE, active: false },
    ]);
    store.clear(FILE); // no-op, no event
    expect(events.length).toBe(2);
  });

  it('refuses code that did not pass every Verify case, or empty code', () => {
    const store = new KernelOverrides(memoryStorage());
    expect(() => store.set(FILE, 'x', { passed: 6, total: 7 })).toThrow(/passes every Verify case can replace the built-in \(6 of 7 passed\)/);
    expect(() => store.set(FILE, 'x', { passed: 0, total: 0 })).toThrow(/Verify/);
    expect(() => store.set(FILE, '  ', { passed: 1, total: 1 })).toThrow(/empty/);
    expect(store.list()).toEqual([]);
  });

  it('ignores corrupt or unverified stored entries (the built-in runs)', () => {
    const storage = memoryStorage();
    storage.setItem(OVERRIDES_KEY, '{not json');
    expect(new KernelOverrides(storage).list()).toEqual([]);
    storage.setItem(OVERRIDES_KEY, JSON.stringify([{ file: FILE, code: 'x', verified: { passed: 1, total: 2 } }, { file: 3 }]));
    expect(new KernelOverrides(storage).list()).toEqual([]);
  });

  it('reload() picks up another tab’s change and reports it', () => {
    const storage = memoryStorage();
    const a = new KernelOverrides(storage);
    const b = new KernelOverrides(storage);
    const seen: KernelOverrideChange[] = [];
    b.addEventListener('change', (e) => seen.push((e as CustomEvent<KernelOverrideChange>).detail));
    a.set(FILE, 'code', { passed: 1, total: 1 });
    b.reload();
    expect(b.codeFor(FILE)).toBe('code');
    expect(seen).toEqual([{ file: FILE, active: true }]);
  });

  it('works without storage, and survives a storage that throws', () => {
    const mem = new KernelOverrides(null);
    mem.set(FILE, 'c', { passed: 1, total: 1 });
    expect(mem.codeFor(FILE)).toBe('c');
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => {} };
    const t = new KernelOverrides(throwing);
    t.set(FILE, 'c', { passed: 1, total: 1 });
    expect(t.codeFor(FILE)).toBe('c');
  });
});

describe('DraftStore', () => {
  it('keeps a draft per kernel across instances, and drops it when it equals the built-in', () => {
    const storage = memoryStorage();
    const d = new DraftStore(storage);
    expect(d.get('matmul')).toBeNull();
    d.set('matmul', 'edited', 'builtin');
    expect(new DraftStore(storage).get('matmul')).toBe('edited');
    d.set('matmul', 'builtin', 'builtin');
    expect(new DraftStore(storage).get('matmul')).toBeNull();
    d.setBackup('norms', 'mine');
    expect(new DraftStore(storage).backup('norms')).toBe('mine');
    d.clearBackup('norms');
    expect(d.backup('norms')).toBeNull();
  });

  it('keeps drafts in memory when storage refuses them, and says so', () => {
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceeded'); }, removeItem: () => {} };
    const d = new DraftStore(full);
    expect(d.set('matmul', 'x')).toBe(false);
    expect(d.get('matmul')).toBe('x');
  });
});
