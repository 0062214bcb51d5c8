/**
 * The user kernels in use: for a shader file (`shaders/matmul-direct.wgsl`), the verified WGSL that
 * replaces it wherever the library builds that kernel (the Depth lab included), until switched back.
 * Persisted in localStorage; a `change` event tells views (the "custom kernel in use" badge) to update.
 * DOM-free: without localStorage (Node, private mode) it keeps the overrides in memory.
 */
import { msg, str } from '@lit/localize';
import { checkOverrideList, type KernelOverride } from './storage-schema';
import { storageNotices, type StorageNotices } from './storage-notices';

export type { KernelOverride } from './storage-schema';

/** Detail of the `change` event: which file, and whether it is now overridden. */
export interface KernelOverrideChange {
  file: string;
  active: boolean;
}

/** Minimal Storage surface (localStorage, or a Map-backed fake in tests). */
export type OverrideStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage key of the active overrides. */
export const OVERRIDES_KEY = 'gp.kernel-overrides.v1';

/** The store: get/set/clear per file, `change` events, persisted as JSON under OVERRIDES_KEY. */
export class KernelOverrides extends EventTarget {
  private map = new Map<string, KernelOverride>();

  constructor(
    private readonly storage: OverrideStorage | null,
    private readonly key = OVERRIDES_KEY,
    private readonly notices: StorageNotices = storageNotices,
  ) {
    super();
    this.load();
  }

  /** The active override of `file`, if any. */
  get(file: string): KernelOverride | undefined {
    return this.map.get(file);
  }

  /** The code replacing `file`, or undefined: what kernel create functions consult. */
  codeFor(file: string): string | undefined {
    return this.map.get(file)?.code;
  }

  /** Every active override. */
  list(): KernelOverride[] {
    return [...this.map.values()];
  }

  /**
   * Switches `file` to `code`. Only verified code belongs here: `verified` must say every case passed,
   * otherwise this throws (the Depth lab must never run a kernel that failed its check). Returns false when
   * the browser refused to store it (it then applies until the page closes, and a notice says so).
   */
  set(file: string, code: string, verified: { passed: number; total: number }): boolean {
    if (typeof code !== 'string' || code.trim() === '') throw new Error(msg(str`${file}: the replacement kernel is empty`));
    if (!(verified.total > 0) || verified.passed !== verified.total) {
      throw new Error(msg(str`${file}: only a kernel that passes every Verify case can replace the built-in (${verified.passed} of ${verified.total} passed)`));
    }
    this.map.set(file, { file, code, since: Date.now(), verified: { ...verified } });
    const saved = this.save();
    this.emit(file, true);
    return saved;
  }

  /** Switches `file` back to its built-in kernel (no-op when it is not overridden). */
  clear(file: string): void {
    if (!this.map.delete(file)) return;
    this.save();
    this.emit(file, false);
  }

  /** Re-reads storage (e.g. after another tab changed it) and reports what changed. */
  reload(): void {
    const before = new Map(this.map);
    this.load();
    for (const file of new Set([...before.keys(), ...this.map.keys()])) {
      if (before.get(file)?.code !== this.map.get(file)?.code) this.emit(file, this.map.has(file));
    }
  }

  private emit(file: string, active: boolean): void {
    this.dispatchEvent(new CustomEvent<KernelOverrideChange>('change', { detail: { file, active } }));
  }

  private load(): void {
    this.map = new Map();
    let raw: string | null = null;
    try {
      raw = this.storage?.getItem(this.key) ?? null;
    } catch {
      return;
    }
    if (!raw) return;
    // One schema check; whatever fails it is dropped from storage with a notice, and the built-in runs.
    const { valid, dropped } = checkOverrideList(raw);
    for (const o of valid) this.map.set(o.file, o);
    if (dropped.length === 0) return;
    const what = dropped.length === 1 ? dropped[0] : msg(str`${dropped.length} records (${dropped.join('; ')})`);
    this.notices.add(this.key, 'dropped', msg(str`A stored custom kernel was invalid and has been removed, so the built-in runs: ${what} [${this.key}].`));
    try {
      if (valid.length === 0) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(valid));
    } catch {
      // Could not rewrite it: it is checked (and ignored) again on the next load.
    }
  }

  /** Writes the overrides; false (and a notice) when the browser refused. */
  private save(): boolean {
    try {
      if (this.map.size === 0) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(this.list()));
      return true;
    } catch {
      // Storage full or disabled: the override still applies for this page's lifetime.
      this.notices.add(
        this.key,
        'save-failed',
        msg(str`Your browser refused to store the custom kernel switch (storage full or disabled): it applies only until you close the page [${this.key}].`),
      );
      return false;
    }
  }
}

function defaultStorage(): OverrideStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The app-wide store (localStorage-backed in browsers). */
export const kernelOverrides = new KernelOverrides(defaultStorage());

if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
  window.addEventListener('storage', (e) => {
    if (e.key === OVERRIDES_KEY || e.key === null) kernelOverrides.reload();
  });
}

/** The active replacement code for a built-in shader file, or undefined (the kernels' hook; synchronous). */
export function activeKernelCode(file: string): string | undefined {
  return kernelOverrides.codeFor(file);
}
