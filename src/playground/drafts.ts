/**
 * The user's edits per kernel, persisted in localStorage so they survive reloads: the current draft, and
 * up to MAX_BACKUPS earlier texts put aside with a time (by opening a shared link, Reset, Load naive or
 * Restore), so nothing the user wrote is overwritten without a copy they can bring back. Every record is
 * schema-checked when read; an invalid one is removed with a notice (storage-notices).
 */
import { msg, str } from '@lit/localize';
import type { OverrideStorage } from './kernel-overrides';
import { MAX_BACKUPS, checkBackupList, checkDraft, type DraftBackup } from './storage-schema';
import { storageNotices, type StorageNotices } from './storage-notices';

export type { DraftBackup } from './storage-schema';

/** localStorage key prefix of drafts (the kernel id follows). */
export const DRAFT_PREFIX = 'gp.shader-draft.v1:';
/** localStorage key prefix of the backups list (JSON, newest first). */
export const BACKUPS_PREFIX = 'gp.shader-draft-backups.v1:';
// The single backup an earlier version kept: read once into the list, then removed.
const LEGACY_BACKUP = 'gp.shader-draft-backup.v1:';

function defaultStorage(): OverrideStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Per-kernel drafts and backups: `get` returns null when the user has not edited that kernel. */
export class DraftStore {
  private memory = new Map<string, string>();
  private memoryBackups = new Map<string, DraftBackup[]>();

  constructor(
    private readonly storage: OverrideStorage | null = defaultStorage(),
    private readonly notices: StorageNotices = storageNotices,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): string | null {
    const key = DRAFT_PREFIX + id;
    const v = this.read(key);
    if (v === null) return null;
    const c = checkDraft(v);
    if (c.ok) return c.value;
    this.drop(key, msg(str`Your stored draft of ${id} was invalid (${c.reason}) and has been removed; the built-in text is shown [${key}].`));
    return null;
  }

  /** Saves a draft; saving the built-in text itself removes the draft. Returns false if storage refused. */
  set(id: string, code: string, builtIn?: string): boolean {
    if (code === builtIn) {
      this.remove(id);
      return true;
    }
    return this.write(DRAFT_PREFIX + id, code);
  }

  remove(id: string): void {
    this.delete(DRAFT_PREFIX + id);
  }

  /** The kept copies of a kernel's earlier texts, newest first. */
  backups(id: string): DraftBackup[] {
    const key = BACKUPS_PREFIX + id;
    let list: DraftBackup[] = [];
    // This page's copy first (it holds what storage may have refused), else what storage has.
    const mine = this.memoryBackups.get(id);
    const raw = mine ? null : this.read(key, false);
    if (mine) {
      list = mine;
    } else if (raw !== null) {
      const { valid, dropped } = checkBackupList(raw);
      list = valid;
      if (dropped.length) {
        this.notices.add(key, 'dropped', msg(str`Some stored backups of ${id} were invalid and have been removed (${dropped.join('; ')}) [${key}].`));
        this.persistBackups(id, list);
      }
    }
    const legacy = this.read(LEGACY_BACKUP + id);
    if (legacy !== null) {
      this.delete(LEGACY_BACKUP + id);
      if (checkDraft(legacy).ok && !list.some((b) => b.code === legacy)) {
        list = [{ code: legacy, at: this.now() }, ...list].slice(0, MAX_BACKUPS);
        this.persistBackups(id, list);
      }
    }
    return list.map((b) => ({ ...b }));
  }

  /**
   * Keeps `code` as the newest backup of `id` (an equal older copy moves to the top; beyond MAX_BACKUPS the
   * oldest goes). Returns false if storage refused (the copy is then kept for this page only).
   */
  addBackup(id: string, code: string): boolean {
    const list = [{ code, at: this.now() }, ...this.backups(id).filter((b) => b.code !== code)].slice(0, MAX_BACKUPS);
    return this.persistBackups(id, list);
  }

  /** Deletes one backup (matched by time and text). */
  removeBackup(id: string, backup: DraftBackup): void {
    this.persistBackups(
      id,
      this.backups(id).filter((b) => !(b.at === backup.at && b.code === backup.code)),
    );
  }

  private persistBackups(id: string, list: DraftBackup[]): boolean {
    const key = BACKUPS_PREFIX + id;
    this.memoryBackups.set(id, list);
    if (list.length === 0) {
      this.delete(key);
      this.memoryBackups.delete(id);
      return true;
    }
    return this.write(key, JSON.stringify(list), false);
  }

  private drop(key: string, text: string): void {
    this.delete(key);
    this.notices.add(key, 'dropped', text);
  }

  private delete(key: string): void {
    this.memory.delete(key);
    try {
      this.storage?.removeItem(key);
    } catch {
      // nothing stored
    }
  }

  private read(key: string, useMemory = true): string | null {
    try {
      const v = this.storage?.getItem(key);
      if (typeof v === 'string') return v;
    } catch {
      // fall through to memory
    }
    return useMemory ? (this.memory.get(key) ?? null) : null;
  }

  private write(key: string, value: string, useMemory = true): boolean {
    if (useMemory) this.memory.set(key, value);
    try {
      this.storage?.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }
}
