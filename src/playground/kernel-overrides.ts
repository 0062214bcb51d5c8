/**
 * The user kernels in use: for a shader file (`shaders/matmul-direct.wgsl`), the verified WGSL that
 * replaces it wherever the library builds that kernel (the Depth lab included), until switched back.
 * Persisted in localStorage; a `change` event tells views (the "custom kernel in use" badge) to update.
 * DOM-free: without localStorage (Node, private mode) it keeps the overrides in memory.
 */

/** One active replacement. */
export interface KernelOverride {
  /** The built-in file it replaces, e.g. `shaders/matmul-direct.wgsl`. */
  file: string;
  code: string;
  /** Date.now() when it was switched on. */
  since: number;
  /** What Verify said when it was switched on: cases passed of cases run. */
  verified: { passed: number; total: number };
}

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
   * otherwise this throws (the Depth lab must never run a kernel that failed its check).
   */
  set(file: string, code: string, verified: { passed: number; total: number }): void {
    if (typeof code !== 'string' || code.trim() === '') throw new Error(`${file}: the replacement kernel is empty`);
    if (!(verified.total > 0) || verified.passed !== verified.total) {
      throw new Error(`${file}: only a kernel that passes every Verify case can replace the built-in (${verified.passed} of ${verified.total} passed)`);
    }
    this.map.set(file, { file, code, since: Date.now(), verified: { ...verified } });
    this.save();
    this.emit(file, true);
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
    try {
      const list = JSON.parse(raw) as unknown;
      if (!Array.isArray(list)) return;
      for (const o of list as Partial<KernelOverride>[]) {
        if (o && typeof o.file === 'string' && typeof o.code === 'string' && o.verified && o.verified.passed === o.verified.total) {
          this.map.set(o.file, { file: o.file, code: o.code, since: Number(o.since) || 0, verified: { passed: o.verified.passed, total: o.verified.total } });
        }
      }
    } catch {
      // A corrupt entry means no override: the built-in kernels run, which is always safe.
    }
  }

  private save(): void {
    try {
      if (this.map.size === 0) this.storage?.removeItem(this.key);
      else this.storage?.setItem(this.key, JSON.stringify(this.list()));
    } catch {
      // Storage full or disabled: the override still applies for this page's lifetime.
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
