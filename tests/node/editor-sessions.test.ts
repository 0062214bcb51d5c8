// The Shaders view's DOM-free state: texts saved as drafts, and every operation that replaces the user's
// text keeps it as a backup first (Reset, Load naive, a shared link, Restore).
import { describe, expect, it } from 'vitest';
import { findKernel } from '../../src/playground/catalog';
import { DraftStore } from '../../src/playground/drafts';
import { DRAFT_REFUSED, EditorSessions } from '../../src/playground/editor-sessions';
import { naiveMatmulFor } from '../../src/playground/examples';
import type { OverrideStorage } from '../../src/playground/kernel-overrides';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

const k = findKernel('matmul-direct')!;
let clock = 1_000;
const make = (storage: OverrideStorage = memoryStorage()) => {
  let changes = 0;
  const s = new EditorSessions(() => changes++, new DraftStore(storage, undefined, () => clock++));
  return { s, changes: () => changes, storage };
};

describe('EditorSessions', () => {
  it('starts from the built-in text, or from a stored draft; edits are saved and reported', () => {
    const { s, changes, storage } = make();
    expect(s.get(k.id).code).toBe(k.code);
    expect(s.edited(k)).toBe(false);
    s.setText(k.id, '// mine');
    expect(changes()).toBeGreaterThan(0);
    expect(s.edited(k)).toBe(true);
    expect(make(storage).s.get(k.id).code).toBe('// mine');
    expect(make(storage).s.edited(k)).toBe(true);
  });

  it('Reset keeps the edit as a backup and offers it back', () => {
    const { s } = make();
    s.setText(k.id, '// mine');
    const n = s.resetToBuiltIn(k)!;
    expect(s.get(k.id).code).toBe(k.code);
    expect(n).toMatchObject({ kind: 'info', restore: '// mine' });
    expect(s.drafts.backups(k.id).map((b) => b.code)).toEqual(['// mine']);
    expect(make().s.resetToBuiltIn(k)).toBeNull(); // nothing edited: nothing to keep
  });

  it('Load naive and a shared link keep the user text; Restore swaps it with the backup', () => {
    const { s } = make();
    s.setText(k.id, '// mine');
    const naive = s.loadNaive(k)!;
    expect(naive.code).toBe(naiveMatmulFor(k.variant));
    expect(naive.notice?.restore).toBe('// mine');
    const n = s.acceptShared(k, '// shared');
    expect(s.get(k.id).code).toBe('// shared');
    expect(n.restore).toBe(naive.code);
    expect(s.drafts.backups(k.id).map((b) => b.code)).toEqual([naive.code, '// mine']);
    const mine = s.drafts.backups(k.id)[1];
    s.restoreFrom(k, mine);
    expect(s.get(k.id).code).toBe('// mine');
    expect(s.drafts.backups(k.id).map((b) => b.code)).toContain('// shared');
    s.deleteBackup(k, s.drafts.backups(k.id)[0]);
    expect(s.drafts.backups(k.id)).toHaveLength(2);
  });

  it('says so when storage refuses a draft, keeping the text in the page', () => {
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceeded');
      },
      removeItem: () => {},
    };
    const { s } = make(full);
    s.setText(k.id, '// mine');
    expect(s.get(k.id)).toMatchObject({ code: '// mine', error: DRAFT_REFUSED });
  });
});
