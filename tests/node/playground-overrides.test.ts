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
    a.set(FILE, 'fn main() {}', { passed: 1, total: 1 });
    b.reload();
    expect(b.codeFor(FILE)).toBe('fn main() {}');
    expect(seen).toEqual([{ file: FILE, active: true }]);
  });

  it('works without storage, and survives a storage that throws', () => {
    const mem = new KernelOverrides(null);
    mem.set(FILE, 'c', { passed: 1, total: 1 });
    expect(mem.codeFor(FILE)).toBe('c');
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
      removeItem: () => {},
    };
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
  });

  it('keeps up to 5 backups per kernel with their times, newest first, across instances; Delete removes one', () => {
    const storage = memoryStorage();
    let t = 1000;
    const d = new DraftStore(storage, undefined, () => t++);
    for (const code of ['a', 'b', 'c', 'd', 'e', 'f']) expect(d.addBackup('norms', code)).toBe(true);
    const again = new DraftStore(storage).backups('norms');
    expect(again.map((b) => b.code)).toEqual(['f', 'e', 'd', 'c', 'b']);
    expect(again.map((b) => b.at)).toEqual([1005, 1004, 1003, 1002, 1001]);
    expect(new DraftStore(storage).backups('matmul')).toEqual([]);
    // The same text again moves to the top instead of taking a second slot.
    d.addBackup('norms', 'c');
    expect(d.backups('norms').map((b) => b.code)).toEqual(['c', 'f', 'e', 'd', 'b']);
    d.removeBackup('norms', d.backups('norms')[1]);
    expect(new DraftStore(storage).backups('norms').map((b) => b.code)).toEqual(['c', 'e', 'd', 'b']);
  });

  it("reads an earlier version's single backup into the list", () => {
    const storage = memoryStorage();
    storage.setItem('gp.shader-draft-backup.v1:norms', 'old edit');
    const d = new DraftStore(storage, undefined, () => 42);
    expect(d.backups('norms')).toEqual([{ code: 'old edit', at: 42 }]);
    expect(storage.map.has('gp.shader-draft-backup.v1:norms')).toBe(false);
    expect(new DraftStore(storage).backups('norms')).toEqual([{ code: 'old edit', at: 42 }]);
  });

  it('keeps drafts in memory when storage refuses them, and says so', () => {
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceeded');
      },
      removeItem: () => {},
    };
    const d = new DraftStore(full);
    expect(d.set('matmul', 'x')).toBe(false);
    expect(d.get('matmul')).toBe('x');
    expect(d.addBackup('matmul', 'y')).toBe(false);
    expect(d.backups('matmul').map((b) => b.code)).toEqual(['y']);
  });
});
