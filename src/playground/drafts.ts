/**
 * The user's edits per kernel, persisted in localStorage so they survive reloads: the current draft,
 * and the one a shared link displaced (so opening a link never loses the user's own work).
 */
import type { OverrideStorage } from './kernel-overrides';

const PREFIX = 'gp.shader-draft.v1:';
const BACKUP = 'gp.shader-draft-backup.v1:';

function defaultStorage(): OverrideStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Per-kernel drafts: `get` returns null when the user has not edited that kernel. */
export class DraftStore {
  private memory = new Map<string, string>();

  constructor(private readonly storage: OverrideStorage | null = defaultStorage()) {}

  get(id: string): string | null {
    return this.read(PREFIX + id);
  }

  /** Saves a draft; saving the built-in text itself removes the draft. Returns false if storage refused. */
  set(id: string, code: string, builtIn?: string): boolean {
    if (code === builtIn) {
      this.remove(id);
      return true;
    }
    return this.write(PREFIX + id, code);
  }

  remove(id: string): void {
    this.memory.delete(PREFIX + id);
    try {
      this.storage?.removeItem(PREFIX + id);
    } catch {
      // nothing stored
    }
  }

  /** The draft a shared link replaced, if any. */
  backup(id: string): string | null {
    return this.read(BACKUP + id);
  }

  setBackup(id: string, code: string): boolean {
    return this.write(BACKUP + id, code);
  }

  clearBackup(id: string): void {
    this.memory.delete(BACKUP + id);
    try {
      this.storage?.removeItem(BACKUP + id);
    } catch {
      // nothing stored
    }
  }

  private read(key: string): string | null {
    try {
      const v = this.storage?.getItem(key);
      if (typeof v === 'string') return v;
    } catch {
      // fall through to memory
    }
    return this.memory.get(key) ?? null;
  }

  private write(key: string, code: string): boolean {
    this.memory.set(key, code);
    try {
      this.storage?.setItem(key, code);
      return true;
    } catch {
      return false;
    }
  }
}
