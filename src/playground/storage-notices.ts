/**
 * What the browser storage did that the user should know: a stored record that failed its schema check and
 * was dropped, or a save the browser refused. Stores report here; the app shell lists the notices in a
 * dismissible banner. DOM-free (an EventTarget with a `change` event), so Node tests can read it.
 */

/** One notice: the storage key it is about and a sentence for the user. */
export interface StorageNotice {
  id: number;
  /** The localStorage key (e.g. `gp.kernel-overrides.v1`). */
  key: string;
  kind: 'dropped' | 'save-failed';
  text: string;
}

/** Most notices kept (older ones are summarised by a count): a corrupt store cannot flood the page. */
export const MAX_STORAGE_NOTICES = 10;

/** The registry: add, list, dismiss; `change` after each. */
export class StorageNotices extends EventTarget {
  private items: StorageNotice[] = [];
  private next = 1;
  /** Notices dropped from the list because it was full. */
  overflow = 0;

  /** Adds a notice (an identical one still listed is not repeated) and returns it. */
  add(key: string, kind: StorageNotice['kind'], text: string): StorageNotice {
    const same = this.items.find((n) => n.key === key && n.kind === kind && n.text === text);
    if (same) return same;
    const n = { id: this.next++, key, kind, text };
    this.items.push(n);
    if (this.items.length > MAX_STORAGE_NOTICES) {
      this.items.shift();
      this.overflow++;
    }
    this.dispatchEvent(new Event('change'));
    return n;
  }

  list(): readonly StorageNotice[] {
    return this.items;
  }

  dismiss(id: number): void {
    const before = this.items.length;
    this.items = this.items.filter((n) => n.id !== id);
    if (this.items.length !== before) this.dispatchEvent(new Event('change'));
  }

  clear(): void {
    if (this.items.length === 0 && this.overflow === 0) return;
    this.items = [];
    this.overflow = 0;
    this.dispatchEvent(new Event('change'));
  }
}

/** The app-wide registry. */
export const storageNotices = new StorageNotices();
