/**
 * The Shaders view's state per kernel, DOM-free: the text in the editor (saved as a draft on every
 * change), the last text that compiled, the compile, Verify and Time results with the text each was for,
 * and the operations that replace the text without losing the user's (Reset, Load naive, a shared link,
 * Restore: the replaced text becomes a backup). The view renders it and is told of every change.
 */
import { msg, str } from '@lit/localize';
import type { GpuContext } from '../gpu/context';
import { formatDateTime } from '../locale-format';
import { findKernel, type CatalogKernel } from './catalog';
import { compileKernel, type CompileOutcome } from './compile';
import { DraftStore, type DraftBackup } from './drafts';
import { naiveMatmulFor } from './examples';
import type { TimingReport } from './timing';
import type { VerifyCase, VerifyReport } from './verify';

/** Everything the view holds for one kernel while the page is open (drafts also persist in storage). */
export interface Session {
  code: string;
  /** The last text that compiled and built: what Verify, Time and Use it run. */
  lastGood: string | null;
  compile: { code: string; outcome: CompileOutcome } | null;
  compiling: boolean;
  verify: { code: string; report: VerifyReport } | null;
  verifyProgress: VerifyCase[] | null;
  timing: { code: string; report: TimingReport } | null;
  busy: 'verify' | 'time' | null;
  error: string | null;
}

/** A message above the editor; `restore` offers the text it names back. */
export interface Notice {
  kind: 'info' | 'error';
  text: string;
  restore?: string;
}

/** Said when storage refuses a draft (in English; the view shows `draftRefused()`, the text in the language shown). */
export const DRAFT_REFUSED = 'Your browser refused to store this edit (storage full or disabled): it is kept only until you close the page.';

/** DRAFT_REFUSED in the language shown. */
export const draftRefused = (): string => msg('Your browser refused to store this edit (storage full or disabled): it is kept only until you close the page.');

/** The per-kernel sessions; `changed` is called after every change. */
export class EditorSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly compileSeq = new Map<string, number>();

  constructor(
    private readonly changed: () => void,
    readonly drafts: DraftStore = new DraftStore(),
  ) {}

  /** The session of kernel `id` (made from its draft or built-in text on first use). */
  get(id: string): Session {
    let s = this.sessions.get(id);
    if (!s) {
      const k = findKernel(id)!;
      s = {
        code: this.drafts.get(id) ?? k.code,
        lastGood: null,
        compile: null,
        compiling: false,
        verify: null,
        verifyProgress: null,
        timing: null,
        busy: null,
        error: null,
      };
      this.sessions.set(id, s);
    }
    return s;
  }

  patch(id: string, p: Partial<Session>): void {
    this.sessions.set(id, { ...this.get(id), ...p });
    this.changed();
  }

  /** True when the kernel's text differs from the built-in (in this page or in a stored draft). */
  edited(k: CatalogKernel): boolean {
    return this.sessions.has(k.id) ? this.get(k.id).code !== k.code : this.drafts.get(k.id) !== null;
  }

  /** Puts `code` in the session and saves it as the draft (an error says so when storage refuses). */
  setText(id: string, code: string, keepError = true): void {
    const saved = this.drafts.set(id, code, findKernel(id)!.code);
    this.patch(id, { code, error: saved ? (keepError ? this.get(id).error : null) : draftRefused() });
  }

  /** Compiles `code` for kernel `id`; a result for text that was edited again meanwhile is dropped. */
  async compile(gpu: GpuContext, id: string, code: string): Promise<void> {
    const k = findKernel(id);
    if (!k || gpu.lost) return; // a lost device fails every compile; the replacement compiles this text
    const seq = (this.compileSeq.get(id) ?? 0) + 1;
    this.compileSeq.set(id, seq);
    this.patch(id, { compiling: true });
    let outcome: CompileOutcome;
    try {
      outcome = await compileKernel(gpu, k, code);
    } catch (err) {
      outcome = { ok: false, diagnostics: [], pipelineError: (err as Error).message };
    }
    if (this.compileSeq.get(id) !== seq) return; // a newer edit is compiling
    this.patch(id, { compiling: false, compile: { code, outcome }, lastGood: outcome.ok ? code : this.get(id).lastGood });
  }

  /** Keeps `own` as a backup unless it is the built-in or `next`; false when storage refused it. */
  private keep(k: CatalogKernel, own: string, next: string): boolean {
    if (own === k.code || own === next) return true;
    const kept = this.drafts.addBackup(k.id, own);
    this.changed();
    return kept;
  }

  /** "Open in editor" of a shared link: the user's own draft (if any, and different) is kept first. */
  acceptShared(k: CatalogKernel, code: string): Notice {
    const own = this.get(k.id).code;
    const keep = own !== code && own !== k.code;
    const kept = this.keep(k, own, code);
    this.setText(k.id, code);
    return {
      kind: kept ? 'info' : 'error',
      text: !keep
        ? msg(str`Opened the shared version of ${k.file} in the editor.`)
        : kept
          ? msg(str`Opened the shared version of ${k.file} in the editor. Your own draft is kept under Backups below.`)
          : msg(
              str`Opened the shared version of ${k.file} in the editor. Your browser refused to store a backup of your own draft (storage full or disabled): it is kept only until you close the page:`,
            ),
      restore: keep ? own : undefined,
    };
  }

  /** Puts a backup back; the text it replaces becomes a backup itself. */
  restoreFrom(k: CatalogKernel, b: DraftBackup): Notice {
    const own = this.get(k.id).code;
    const kept = this.keep(k, own, b.code);
    this.setText(k.id, b.code);
    return kept
      ? {
          kind: 'info',
          text:
            own !== b.code && own !== k.code
              ? msg(str`Restored your backup from ${formatDateTime(new Date(b.at))}. The text it replaced is now a backup.`)
              : msg(str`Restored your backup from ${formatDateTime(new Date(b.at))}.`),
        }
      : {
          kind: 'error',
          text: msg('Restored the backup, but your browser refused to store the replaced text as a backup (storage full or disabled):'),
          restore: own,
        };
  }

  deleteBackup(k: CatalogKernel, b: DraftBackup): void {
    this.drafts.removeBackup(k.id, b);
    this.changed();
  }

  /** Reset to built-in: an edit is kept as a backup (and offered back). Null notice when nothing was edited. */
  resetToBuiltIn(k: CatalogKernel): Notice | null {
    const own = this.get(k.id).code;
    let notice: Notice | null = null;
    if (own !== k.code) {
      const kept = this.drafts.addBackup(k.id, own);
      const text = kept
        ? msg(str`${k.file} is back to the built-in text. Your edit is kept under Backups:`)
        : msg(str`${k.file} is back to the built-in text. Your edit is kept (only until you close the page: your browser refused to store it):`);
      notice = { kind: 'info', text, restore: own };
    }
    this.setText(k.id, k.code);
    return notice;
  }

  /** Load naive matmul (for a matmul variant): the previous text is kept as a backup. */
  loadNaive(k: CatalogKernel): { code: string; notice: Notice | null } | null {
    const code = naiveMatmulFor(k.variant);
    if (!code) return null;
    const own = this.get(k.id).code;
    let notice: Notice | null = null;
    if (own !== k.code && own !== code) {
      const kept = this.drafts.addBackup(k.id, own);
      const text = kept
        ? msg('Loaded the naive matmul. Your previous text is kept under Backups (and Ctrl+Z undoes the load):')
        : msg('Loaded the naive matmul. Your previous text is kept (and Ctrl+Z undoes the load):');
      notice = { kind: 'info', text, restore: own };
    }
    this.setText(k.id, code);
    return { code, notice };
  }
}
