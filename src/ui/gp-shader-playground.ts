import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { GpuContext } from '../gpu/context';
import { MATMUL_VARIANTS, autoMatmulVariant } from '../kernels/matmul';
import { KERNEL_CATALOG, findKernel, type CatalogKernel } from '../playground/catalog';
import { compileKernel, type CompileOutcome } from '../playground/compile';
import { DraftStore, type DraftBackup } from '../playground/drafts';
import { diffHunks, diffLines, diffStats, type DiffLine } from '../playground/line-diff';
import { MAX_BACKUPS } from '../playground/storage-schema';
import { naiveMatmulFor } from '../playground/examples';
import { kernelOverrides } from '../playground/kernel-overrides';
import { kernelInHash, makeShareHash, readShareHash, ShareLinkError } from '../playground/share-link';
import { timeKernel, type TimingReport } from '../playground/timing';
import { summarizeVerify, verifyCasesFor, verifyKernel, type VerifyCase, type VerifyReport } from '../playground/verify';
import type { LabSettings } from '../playground/lab-shapes';
import { currentLabSettings } from '../labs/lab-settings';
import { formatLimit, WatchdogTimeoutError } from '../gpu/watchdog';
import type { GpuReconnectDetail } from './gpu-recovery';
import type { EditorDiagnostics, GpWgslEditor, WgslChangeDetail } from './gp-wgsl-editor';
import { base, view } from './shared-styles';
import { GpuRecoveryController, deviceLossBehind } from './gpu-recovery';
import { hashRouter } from './hash-router';
import { parseRoute } from './route';
import './gp-wgsl-editor';
import './gp-override-badge';

/** Everything the view holds for one kernel while the page is open (drafts also persist in storage). */
interface Session {
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

const fmt = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '∞' : v === 0 ? '0' : v.toExponential(2));
const fmtMs = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);

/**
 * The Shaders view: every kernel's WGSL in an editor (recompiled as you type, errors at their line),
 * its bindings and override constants beside it, Verify against the float64 reference, Time against the
 * built-in, Use it in the Depth lab (and switch back), share as a link, reset to the built-in.
 */
@customElement('gp-shader-playground')
export class GpShaderPlayground extends LitElement {
  static override styles = [
    base,
    view,
    css`
      h3 {
        margin: 1rem 0 0.4rem;
        font-size: 1.05rem;
      }
      p {
        max-width: 75ch;
      }
      .layout {
        display: grid;
        grid-template-columns: 12rem minmax(0, 1fr);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 60rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .kernels ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .kernels button {
        display: block;
        width: 100%;
        text-align: left;
        margin: 0 0 0.3rem;
        font-family: var(--gp-mono);
        font-size: 0.85rem;
      }
      .kernels button[aria-current='true'] {
        background: var(--gp-accent);
        border-color: var(--gp-accent);
        color: var(--gp-accent-fg);
      }
      .tag {
        display: inline-block;
        margin-left: 0.3rem;
        padding: 0 0.3rem;
        border-radius: 3px;
        font-family: var(--gp-font);
        font-size: 0.7rem;
        font-weight: 600;
        background: var(--gp-warn-bg);
        color: var(--gp-warn);
      }
      .work {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 18rem;
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 80rem) {
        .work {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin: 0.5rem 0;
      }
      .status {
        display: inline-block;
        padding: 0.2rem 0.6rem;
        border-radius: var(--gp-radius);
        border: 1px solid currentColor;
        font-size: 0.85rem;
        font-weight: 600;
      }
      .status[data-state='ok'] {
        color: var(--gp-pass);
        background: var(--gp-pass-bg);
      }
      .status[data-state='error'] {
        color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .status[data-state='compiling'],
      .status[data-state='waiting'] {
        color: var(--gp-muted);
      }
      table {
        border-collapse: collapse;
        font-size: 0.82rem;
        width: 100%;
      }
      th,
      td {
        border-bottom: 1px solid var(--gp-border);
        padding: 0.25rem 0.4rem;
        text-align: left;
        vertical-align: top;
      }
      td.num {
        font-family: var(--gp-mono);
        text-align: right;
        white-space: nowrap;
      }
      .side table {
        font-family: var(--gp-mono);
        font-size: 0.78rem;
      }
      .pass {
        color: var(--gp-pass);
        font-weight: 600;
      }
      .fail {
        color: var(--gp-fail);
        font-weight: 600;
      }
      .summary {
        display: inline-block;
        margin: 0.25rem 0;
        padding: 0.3rem 0.7rem;
        border-radius: var(--gp-radius);
        border: 1px solid currentColor;
        font-weight: 600;
      }
      .summary[data-ok='true'] {
        color: var(--gp-pass);
        background: var(--gp-pass-bg);
      }
      .summary[data-ok='false'] {
        color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .notice {
        margin: 0.5rem 0;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        background: var(--gp-surface);
      }
      .notice.error {
        border-color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .share input {
        width: 100%;
        font-family: var(--gp-mono);
        font-size: 0.8rem;
      }
      details pre {
        white-space: pre-wrap;
        font-size: 0.8rem;
        background: var(--gp-surface);
        padding: 0.5rem;
        border-radius: var(--gp-radius);
      }
      .muted {
        color: var(--gp-muted);
      }
      .shared-banner {
        border-color: var(--gp-warn);
        background: var(--gp-warn-bg);
      }
      pre.diff {
        font-family: var(--gp-mono);
        font-size: 0.8rem;
        background: var(--gp-surface);
        padding: 0.5rem;
        border-radius: var(--gp-radius);
        overflow-x: auto;
        max-height: 70vh;
      }
      pre.diff .add {
        color: var(--gp-pass);
        background: var(--gp-pass-bg);
      }
      pre.diff .del {
        color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      pre.diff .skip {
        color: var(--gp-muted);
        font-style: italic;
      }
      ul.backups {
        list-style: none;
        padding: 0;
      }
      ul.backups li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin: 0.25rem 0;
      }
    `,
  ];

  /** The GPU context (null while connecting): editing works without it, compiling waits for it. */
  @property({ attribute: false }) gpu: GpuContext | null = null;
  /** True when the browser has no WebGPU (the app's CPU fallback): compiling, Verify and Time need WebGPU. */
  @property({ type: Boolean }) cpuFallback = false;

  /** Id of the kernel in the editor. */
  @state() selected: string = KERNEL_CATALOG[0]?.id ?? '';
  @state() private sessions = new Map<string, Session>();
  @state() private notice: { kind: 'info' | 'error'; text: string; restore?: string } | null = null;
  @state() private share: { kernel: string; url: string; copied: boolean } | null = null;
  @state() private overridesVersion = 0;
  /**
   * A shared kernel from the address, shown read-only against the built-in until "Open in editor": nothing
   * of it is compiled or saved before. `reading` while the link is being decoded.
   */
  @state() private shared: { kernel: string; code: string; diff: DiffLine[] } | 'reading' | null = null;
  @state() private backupsVersion = 0;

  private readonly drafts = new DraftStore();
  private compileSeq = new Map<string, number>();

  // ---- Verify / Time: Cancel, the labs' shapes, the watchdog (issue 13) ----
  /** Base time limit of one Verify case or Time submission in ms (undefined: 10 s), scaled by its work. */
  @property({ attribute: false }) timeLimitMs: number | undefined = undefined;
  /** The labs' settings the last Verify ran their shapes with. */
  @state() private verifyLab: LabSettings | null = null;
  /** Shapes of the Verify in progress. */
  @state() private verifyTotal = 0;
  /** Set when a kernel hit the watchdog: what happened to the device and the custom kernel. */
  @state() private watchdogNotice: string | null = null;
  private runAbort: AbortController | null = null;

  /** Stops the Verify or Time in progress after the case or submission in flight. */
  cancelRun(): void {
    this.runAbort?.abort(new DOMException('Cancelled by the user', 'AbortError'));
  }

  /**
   * A kernel did not finish in time: the GPU is presumed stuck on it. Switches `file`'s custom kernel off
   * when it is the code that hung, and replaces the device (the shell's gpu-reconnect; without a shell the
   * device is destroyed and a reload gets a new one).
   */
  private onWatchdog(gpu: GpuContext, file: string, code: string, err: WatchdogTimeoutError): void {
    const o = kernelOverrides.get(file);
    const off = o && o.code === code;
    if (off) kernelOverrides.clear(file);
    const detail: GpuReconnectDetail = { lost: gpu };
    this.dispatchEvent(new CustomEvent('gpu-reconnect', { detail, bubbles: true, composed: true }));
    if (!detail.reply) {
      try {
        gpu.destroy();
      } catch {
        // Already gone.
      }
    }
    const say = (device: string) =>
      (this.watchdogNotice =
        `${err.what} did not finish within ${formatLimit(err.ms)}. A kernel that does not finish keeps the GPU busy, so ${device}` +
        (off ? `; your custom kernel ${file} was switched off, and the built-in runs in the labs now.` : '.'));
    if (!detail.reply) return void say('the GPU device was closed: reload the page to get a new one');
    say('the GPU device is being replaced');
    void detail.reply.then(
      (next) => say(next ? 'the GPU device was replaced with a new one' : 'the GPU device could not be replaced: press Reconnect above, or reload the page'),
      () => say('the GPU device could not be replaced: press Reconnect above, or reload the page'),
    );
  }

  private readonly onOverrides = () => {
    this.overridesVersion++;
  };
  private unsubscribe: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    kernelOverrides.addEventListener('change', this.onOverrides);
    this.unsubscribe = hashRouter.subscribe(() => void this.readHash());
    void this.readHash();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    kernelOverrides.removeEventListener('change', this.onOverrides);
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The selected kernel's catalog entry. */
  get kernel(): CatalogKernel | undefined {
    return findKernel(this.selected);
  }

  private session(id: string): Session {
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

  private patch(id: string, p: Partial<Session>): void {
    const next = new Map(this.sessions);
    next.set(id, { ...this.session(id), ...p });
    this.sessions = next;
  }

  /**
   * `#/shaders?kernel=<id>` selects a kernel; with `&code=` it opens a shared version read-only (inert: not
   * compiled, not saved) until the user accepts or discards it.
   */
  private async readHash(): Promise<void> {
    const hash = location.hash;
    if (parseRoute(hash) !== 'shaders') return;
    const id = kernelInHash(hash);
    const hasCode = new URLSearchParams(hash.slice(hash.indexOf('?') + 1)).has('code') && hash.includes('?');
    // Set before the first await, so nothing compiles while the link is being read.
    // (An address without code closes a link shown before, e.g. after Back: nothing of it was kept.)
    this.shared = hasCode ? 'reading' : null;
    try {
      const link = await readShareHash(hash);
      if (link) {
        const k = findKernel(link.kernel);
        if (!k) throw new ShareLinkError(`The link is for a kernel called “${link.kernel.slice(0, 40)}”, which this playground does not have.`);
        if (location.hash !== hash) return; // the address moved on while this link was read (its own readHash runs)
        this.selected = k.id;
        this.share = null;
        this.shared = { kernel: k.id, code: link.code, diff: diffLines(k.code, link.code) };
        return;
      }
    } catch (err) {
      if (location.hash !== hash) return;
      this.shared = null;
      const why = err instanceof ShareLinkError ? err.message : 'it could not be read.';
      this.notice = { kind: 'error', text: `This share link could not be opened: ${why} Nothing of yours was changed.` };
    }
    if (this.shared === 'reading') this.shared = null;
    if (id && findKernel(id)) this.selected = findKernel(id)!.id;
  }

  /** Drops the link's code from the address, so a reload does not open it again. */
  private forgetLink(id: string): void {
    hashRouter.replace('shaders', `kernel=${encodeURIComponent(id)}`);
  }

  /** "Open in editor": the user's own draft (if any, and different) is kept as a backup first. */
  private acceptShared(): void {
    const link = this.shared;
    if (!link || link === 'reading') return;
    const k = findKernel(link.kernel)!;
    const own = this.session(k.id).code;
    const keep = own !== link.code && own !== k.code;
    const kept = keep ? this.drafts.addBackup(k.id, own) : true;
    this.shared = null;
    this.forgetLink(k.id);
    this.setCode(k.id, link.code);
    this.backupsVersion++;
    this.notice = {
      kind: kept ? 'info' : 'error',
      text: `Opened the shared version of ${k.file} in the editor.${
        !keep ? '' : kept ? ' Your own draft is kept under Backups below.' : ' Your browser refused to store a backup of your own draft (storage full or disabled): it is kept only until you close the page:'
      }`,
      restore: keep ? own : undefined,
    };
  }

  /** "Discard": the link is forgotten; nothing of it ran or was stored. */
  private discardShared(): void {
    const link = this.shared;
    if (!link || link === 'reading') return;
    this.shared = null;
    this.forgetLink(link.kernel);
    this.notice = { kind: 'info', text: 'Discarded the shared kernel: nothing of it was run or stored.' };
  }

  /** Puts a backup back in the editor; the text it replaces becomes a backup itself. */
  private restoreFrom(b: DraftBackup): void {
    const k = this.kernel;
    if (!k) return;
    const own = this.session(k.id).code;
    const kept = own === b.code || own === k.code ? true : this.drafts.addBackup(k.id, own);
    this.setCode(k.id, b.code);
    this.backupsVersion++;
    this.notice = kept
      ? { kind: 'info', text: `Restored your backup from ${new Date(b.at).toLocaleString()}.${own !== b.code && own !== k.code ? ' The text it replaced is now a backup.' : ''}` }
      : { kind: 'error', text: 'Restored the backup, but your browser refused to store the replaced text as a backup (storage full or disabled):', restore: own };
  }

  private deleteBackup(b: DraftBackup): void {
    const k = this.kernel;
    if (!k) return;
    this.drafts.removeBackup(k.id, b);
    this.backupsVersion++;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('gpu') || changed.has('selected') || (changed as Map<PropertyKey, unknown>).has('shared')) && this.gpu && this.selected && this.shared === null) {
      const s = this.session(this.selected);
      if (!s.compile || s.compile.code !== s.code) void this.compile(this.selected, s.code);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A replacement device: a compile that failed on the lost one is judged again on the new one.
    const s = this.selected ? this.sessions.get(this.selected) : undefined;
    if (changed.has('gpu') && changed.get('gpu') && this.gpu && s?.compile && !s.compile.outcome.ok && !s.compiling) void this.compile(this.selected, s.code);
  }

  private select(id: string): void {
    this.selected = id;
    this.share = null;
    if (hashRouter.current.route === 'shaders') hashRouter.replace('shaders', `kernel=${encodeURIComponent(id)}`);
  }

  /** Sets a kernel's text (saved as its draft) and recompiles. */
  private setCode(id: string, code: string): void {
    const k = findKernel(id)!;
    const saved = this.drafts.set(id, code, k.code);
    this.patch(id, { code, error: saved ? this.session(id).error : 'Your browser refused to store this edit (storage full or disabled): it is kept only until you close the page.' });
    const editor = this.editor();
    if (id === this.selected && editor && editor.code !== code) editor.setCode(code);
    if (this.gpu) void this.compile(id, code);
  }

  private editor(): GpWgslEditor | null {
    return this.renderRoot.querySelector('gp-wgsl-editor');
  }

  private onInput(e: CustomEvent<WgslChangeDetail>): void {
    // Saved on every keystroke: a reload right after typing loses nothing.
    const id = this.selected;
    const k = findKernel(id)!;
    const saved = this.drafts.set(id, e.detail.code, k.code);
    this.patch(id, {
      code: e.detail.code,
      error: saved ? null : 'Your browser refused to store this edit (storage full or disabled): it is kept only until you close the page.',
    });
  }

  private onChange(e: CustomEvent<WgslChangeDetail>): void {
    if (this.gpu) void this.compile(this.selected, e.detail.code);
  }

  private async compile(id: string, code: string): Promise<void> {
    const gpu = this.gpu;
    const k = findKernel(id);
    if (!gpu || !k || this.shared !== null) return; // a shared link shown read-only compiles nothing
    if (gpu.lost) return; // a lost device fails every compile; the replacement compiles this text (willUpdate)
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
    const s = this.session(id);
    this.patch(id, { compiling: false, compile: { code, outcome }, lastGood: outcome.ok ? code : s.lastGood });
  }

  private async runVerify(): Promise<void> {
    const gpu = this.gpu;
    const k = this.kernel;
    if (!gpu || !k) return;
    const id = k.id;
    const code = this.session(id).lastGood;
    if (code === null) return;
    this.patch(id, { busy: 'verify', verifyProgress: [], error: null });
    const lab = currentLabSettings();
    const abort = (this.runAbort = new AbortController());
    this.verifyLab = lab;
    this.verifyTotal = verifyCasesFor(k, lab).length;
    this.watchdogNotice = null;
    let done = 0;
    try {
      const report = await this.lossChecked(
        gpu,
        'Verify',
        (g) =>
          verifyKernel(g, k, code, {
            lab,
            signal: abort.signal,
            timeLimitMs: this.timeLimitMs,
            onTimeout: (err) => this.onWatchdog(g, k.file, code, err),
            onCase: (cases) => {
              done = cases.length;
              this.patch(id, { verifyProgress: cases });
            },
          }),
        (r) => !r.ok,
        (r) => r.timedOut !== undefined,
      );
      this.patch(id, { verify: { code, report } });
    } catch (err) {
      this.patch(id, {
        error: abort.signal.aborted
          ? `Verify cancelled after ${done} of ${this.verifyTotal} shapes: nothing was recorded, and Use it needs a Verify that runs to the end.`
          : `Verify stopped: ${(err as Error).message}`,
      });
    } finally {
      if (this.runAbort === abort) this.runAbort = null;
      this.patch(id, { busy: null, verifyProgress: null });
    }
  }

  private async runTime(): Promise<void> {
    const gpu = this.gpu;
    const k = this.kernel;
    if (!gpu || !k) return;
    const id = k.id;
    const code = this.session(id).lastGood;
    if (code === null) return;
    this.patch(id, { busy: 'time', error: null });
    const abort = (this.runAbort = new AbortController());
    this.watchdogNotice = null;
    try {
      const report = await this.lossChecked(
        gpu,
        'Time',
        (g) =>
          timeKernel(g, k, code, {
            signal: abort.signal,
            timeLimitMs: this.timeLimitMs,
            onTimeout: (err) => this.onWatchdog(g, k.file, code, err),
          }),
        () => false,
      );
      this.patch(id, { timing: { code, report } });
    } catch (err) {
      this.patch(id, { error: abort.signal.aborted ? 'Time cancelled: nothing was measured.' : `Time stopped: ${(err as Error).message}` });
    } finally {
      if (this.runAbort === abort) this.runAbort = null;
      this.patch(id, { busy: null });
    }
  }

  // A device loss during Verify or Time is reported as one (not as failing shapes), a new device is fetched
  // through the shell, and the run is not repeated by itself: the edit may be what killed the device.
  private readonly recovery = new GpuRecoveryController(this, 'stop');

  /**
   * Runs `work` on a live device (replacing `gpu` first if it was lost while idle). If it throws, or returns
   * a result `failed` says is bad, on a device that turns out lost, this throws a loss message instead; the
   * editor text and the last finished results are untouched.
   */
  private async lossChecked<T>(
    gpu: GpuContext,
    what: string,
    work: (gpu: GpuContext) => Promise<T>,
    failed: (result: T) => boolean,
    watchdogFired: (result: T) => boolean = () => false,
  ): Promise<T> {
    this.recovery.begin();
    const live = await this.recovery.ensureLive(gpu);
    const kept = `Your text and the last finished results are kept; press ${what} to run it again (it is not repeated by itself, in case the edit is what lost the device).`;
    let result: T;
    try {
      result = await work(live);
    } catch (err) {
      // The watchdog already replaced the device and said so (onWatchdog): not a loss to recover from.
      if (err instanceof WatchdogTimeoutError) throw err;
      await this.recovery.recover(live, err, `during ${what}`, kept);
      throw err;
    }
    if (watchdogFired(result)) return result;
    const loss = failed(result) ? await deviceLossBehind(live) : live.lost;
    if (loss) await this.recovery.recover(live, loss, `during ${what}`, kept);
    return result;
  }

  private useIt(): void {
    const k = this.kernel;
    if (!k) return;
    const v = this.session(k.id).verify;
    if (!v || !v.report.ok) return;
    try {
      if (!kernelOverrides.set(k.file, v.code, { passed: v.report.passed, total: v.report.total })) {
        this.patch(k.id, { error: 'Your browser refused to store the custom kernel switch (storage full or disabled): it applies only until you close the page.' });
      }
    } catch (err) {
      this.patch(k.id, { error: (err as Error).message });
    }
  }

  private resetToBuiltIn(): void {
    const k = this.kernel;
    if (!k) return;
    const own = this.session(k.id).code;
    if (own !== k.code) {
      const kept = this.drafts.addBackup(k.id, own);
      this.backupsVersion++;
      this.notice = { kind: 'info', text: `${k.file} is back to the built-in text. Your edit is kept${kept ? ' under Backups' : ' (only until you close the page: your browser refused to store it)'}:`, restore: own };
    }
    this.setCode(k.id, k.code);
  }

  private restoreBackup(): void {
    const k = this.kernel;
    const code = this.notice?.restore;
    if (!k || code === undefined) return;
    this.setCode(k.id, code);
    this.notice = { kind: 'info', text: 'Your edit is back in the editor.' };
  }

  private loadNaive(): void {
    const k = this.kernel;
    const code = k && naiveMatmulFor(k.variant);
    if (!k || !code) return;
    const own = this.session(k.id).code;
    if (own !== k.code && own !== code) {
      const kept = this.drafts.addBackup(k.id, own);
      this.backupsVersion++;
      this.notice = { kind: 'info', text: `Loaded the naive matmul. Your previous text is kept${kept ? ' under Backups' : ''} (and Ctrl+Z undoes the load):`, restore: own };
    }
    this.setCode(k.id, code);
  }

  private async makeShare(): Promise<void> {
    const k = this.kernel;
    if (!k) return;
    try {
      const hash = await makeShareHash(k.id, this.session(k.id).code);
      const url = `${location.origin}${location.pathname}${location.search}${hash}`;
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        // No clipboard permission (or an insecure context): the link is shown to copy by hand.
      }
      this.share = { kernel: k.id, url, copied };
    } catch (err) {
      this.share = null;
      this.notice = { kind: 'error', text: (err as Error).message };
    }
  }

  override render() {
    void this.overridesVersion;
    const k = this.kernel;
    return html`<section aria-labelledby="sp-title" data-testid="shader-playground">
      <h2 id="sp-title">Shaders</h2>
      <p>
        These are the WGSL compute shaders that do every lesson’s maths on your GPU. Pick one: it opens in an editor that
        recompiles a moment after you stop typing and shows the compiler’s errors at their line. <strong>Verify</strong> runs
        your version on awkward shapes against a float64 CPU reference; <strong>Time</strong> races it against the built-in;
        a version that passes Verify can be switched on for the Depth lab with <strong>Use it</strong>.
      </p>
      ${this.renderNotice()}
      ${this.recovery.render()}
      ${this.shared !== null ? this.renderShared() : html`<div class="layout">
        <nav class="kernels" aria-label="Kernels">
          <ul>
            ${KERNEL_CATALOG.map((c) => {
              const edited = this.sessions.has(c.id) ? this.session(c.id).code !== c.code : this.drafts.get(c.id) !== null;
              const inUse = kernelOverrides.get(c.file) !== undefined;
              return html`<li>
                <button type="button" data-kernel=${c.id} aria-current=${c.id === this.selected ? 'true' : 'false'} @click=${() => this.select(c.id)}>
                  ${c.id}${edited ? html`<span class="tag" data-tag="edited">edited</span>` : nothing}${inUse
                    ? html`<span class="tag" data-tag="in-use">in use</span>`
                    : nothing}
                </button>
              </li>`;
            })}
          </ul>
        </nav>
        <div>${k ? this.renderKernel(k) : html`<p>No kernels found.</p>`}</div>
      </div>`}
    </section>`;
  }

  private renderNotice() {
    const n = this.notice;
    if (!n) return nothing;
    return html`<div class="notice ${n.kind}" role=${n.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      ${n.text}
      ${n.restore !== undefined ? html`<button type="button" data-testid="restore" @click=${() => this.restoreBackup()}>Restore my edit</button>` : nothing}
      <button type="button" @click=${() => (this.notice = null)}>Dismiss</button>
    </div>`;
  }

  private renderKernel(k: CatalogKernel) {
    const s = this.session(k.id);
    const override = kernelOverrides.get(k.file);
    const verifiable = verifyCasesFor(k).length > 0;
    const verified = s.verify && s.verify.code === s.lastGood && s.verify.report.ok;
    const busy = s.busy !== null;
    const canRun = !!this.gpu && s.lastGood !== null && !busy;
    const behind = s.lastGood !== null && s.lastGood !== s.code;
    const diagnostics: EditorDiagnostics | null = s.compile
      ? { code: s.compile.code, list: s.compile.outcome.diagnostics, general: s.compile.outcome.pipelineError }
      : null;
    const naive = naiveMatmulFor(k.variant);
    const autoVariant = this.gpu ? autoMatmulVariant(this.gpu) : null;
    const pathOf = MATMUL_VARIANTS.find((v) => v.vec4PathFile === k.file); // this file is a variant's vec4 path
    return html`
      <h3 data-testid="kernel-title"><code>${k.file}</code> — ${k.title}</h3>
      <p data-testid="kernel-explainer">
        ${k.family === 'matmul' && autoVariant
          ? html`This is the <strong>${k.variant}</strong> matmul variant${pathOf
                ? html` (its vec4 path, which it runs where B and C split into whole vec4s, built twice: once per
                    layout of B, <code>override TRANS_B</code>; shapes that do not split run <code>${pathOf.file}</code>)`
                : nothing}; on this adapter the Depth lab runs the
              <strong>${autoVariant}</strong> one${k.variant === autoVariant ? ' — this one.' : '; Use it on a verified edit of this file makes it run yours instead.'}`
          : nothing}
        <strong>What to try:</strong> ${k.tryThis}
      </p>
      <details>
        <summary>How this kernel works (its header comment)</summary>
        <pre>${k.header}</pre>
      </details>
      ${override
        ? html`<gp-override-badge .gpu=${this.gpu}></gp-override-badge>`
        : nothing}
      <div class="toolbar">
        ${this.renderStatus(s)}
        <button type="button" class="primary" data-testid="verify" ?disabled=${!canRun || !verifiable} @click=${() => void this.runVerify()}
          title=${verifiable ? 'Compare with the float64 reference on every shape' : 'No reference for this kernel'}>
          ${s.busy === 'verify' ? 'Verifying…' : behind ? 'Verify last compiled version' : 'Verify'}
        </button>
        <button type="button" data-testid="time" ?disabled=${!canRun || !verifiable} @click=${() => void this.runTime()}>
          ${s.busy === 'time' ? 'Timing…' : 'Time vs built-in'}
        </button>
        ${busy ? html`<button type="button" data-testid="cancel-run" @click=${() => this.cancelRun()}>Cancel ${s.busy === 'verify' ? 'Verify' : 'Time'}</button>` : nothing}
        ${override
          ? html`<button type="button" data-testid="switch-back" @click=${() => kernelOverrides.clear(k.file)}>Switch back to built-in</button>`
          : nothing}
        ${!override || (verified && s.verify!.code !== override.code)
          ? html`<button type="button" data-testid="use-it" ?disabled=${!verified || busy || !verifiable}
              title=${verified ? 'Run the Depth lab (and every use of this kernel) on your version' : 'Verify must pass first'}
              @click=${() => this.useIt()}>${override ? 'Use this version instead' : 'Use it'}</button>`
          : nothing}
        <button type="button" data-testid="reset" ?disabled=${s.code === k.code} @click=${() => this.resetToBuiltIn()}>Reset to built-in</button>
        ${naive ? html`<button type="button" data-testid="load-naive" @click=${() => this.loadNaive()}>Load naive matmul</button>` : nothing}
        <button type="button" data-testid="share" @click=${() => void this.makeShare()}>Share link</button>
      </div>
      ${verifiable
        ? nothing
        : html`<p class="muted" data-testid="no-reference">
            This kernel belongs to the Performance view’s measurements and has no float64 reference here, so Verify, Time and
            Use it are off; you can still read and edit it, and the compiler checks every edit.
          </p>`}
      ${s.error ? html`<p class="notice error" role="alert" data-testid="kernel-error">${s.error}</p>` : nothing}
      ${this.watchdogNotice ? html`<p class="notice error" role="alert" data-testid="watchdog-notice">${this.watchdogNotice}</p>` : nothing}
      ${this.share && this.share.kernel === k.id
        ? html`<p class="share" data-testid="share-box">
            <label>Link to this version ${this.share.copied ? '(copied to the clipboard)' : '(copy it)'}:
              <input readonly .value=${this.share.url} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
            </label>
          </p>`
        : nothing}
      <div class="work">
        <gp-wgsl-editor
          docKey=${k.id}
          .value=${s.code}
          .diagnostics=${diagnostics}
          label=${`WGSL source of ${k.file}`}
          @wgsl-input=${(e: CustomEvent<WgslChangeDetail>) => this.onInput(e)}
          @wgsl-change=${(e: CustomEvent<WgslChangeDetail>) => this.onChange(e)}
        ></gp-wgsl-editor>
        <aside class="side">${this.renderInterface(k, s)}</aside>
      </div>
      ${this.renderVerify(s)} ${this.renderTiming(s)} ${this.renderBackups(k)}
    `;
  }

  /** The inert view of a shared link: banner, Open in editor / Discard, and the diff against the built-in. */
  private renderShared() {
    const link = this.shared;
    if (link === 'reading' || link === null) return html`<p role="status" data-testid="shared-reading">Reading the shared link…</p>`;
    const k = findKernel(link.kernel)!;
    const { added, removed } = diffStats(link.diff);
    const own = this.drafts.get(k.id);
    return html`<section class="shared" data-testid="shared-view" aria-labelledby="shared-title">
      <div class="notice shared-banner" role="status" data-testid="shared-banner">
        <strong id="shared-title">Shared kernel from a link — not run.</strong>
        It replaces <code>${k.file}</code>. Nothing of it has been compiled, run or stored: read the changes below first.
        ${own !== null && own !== link.code ? html`Opening it keeps your own draft of ${k.id} as a backup you can restore.` : nothing}
        <div class="toolbar">
          <button type="button" class="primary" data-testid="shared-open" @click=${() => this.acceptShared()}>Open in editor</button>
          <button type="button" data-testid="shared-discard" @click=${() => this.discardShared()}>Discard</button>
        </div>
      </div>
      <h3>Changes against the built-in <code>${k.file}</code></h3>
      <p class="muted" data-testid="shared-stats">
        ${added === 0 && removed === 0 ? 'Identical to the built-in text.' : `${added} line${added === 1 ? '' : 's'} added, ${removed} removed.`}
      </p>
      <pre class="diff" data-testid="shared-diff">${diffHunks(link.diff).map((d) =>
        d.kind === 'skip'
          ? html`<span class="skip">⋯ ${d.count} unchanged line${d.count === 1 ? '' : 's'}\n</span>`
          : html`<span class=${d.kind} data-kind=${d.kind}>${d.kind === 'add' ? '+ ' : d.kind === 'del' ? '− ' : '  '}${d.text}\n</span>`,
      )}</pre>
    </section>`;
  }

  /** The kept copies of this kernel's earlier texts, newest first, each with Restore and Delete. */
  private renderBackups(k: CatalogKernel) {
    void this.backupsVersion;
    const list = this.drafts.backups(k.id);
    if (list.length === 0) return nothing;
    return html`<section data-testid="backups">
      <h3>Backups of ${k.id}</h3>
      <p class="muted">Earlier texts put aside when a link, Reset, Load naive or Restore replaced them (newest first; up to ${MAX_BACKUPS} are kept, the oldest goes first).</p>
      <ul class="backups">
        ${list.map(
          (b) => html`<li data-testid="backup" data-at=${b.at}>
            <span>${new Date(b.at).toLocaleString()} — ${b.code.split('\n').length} lines${b.code === this.session(k.id).code ? ' (in the editor)' : ''}</span>
            <button type="button" data-testid="backup-restore" ?disabled=${b.code === this.session(k.id).code} @click=${() => this.restoreFrom(b)}>Restore</button>
            <button type="button" data-testid="backup-delete" @click=${() => this.deleteBackup(b)}>Delete</button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderStatus(s: Session) {
    let st: string;
    let text: string;
    if (!this.gpu && this.cpuFallback) [st, text] = ['needs-webgpu', 'Needs WebGPU to compile: this browser has none. You can read and edit the WGSL here; Verify, Time and Use it need WebGPU.'];
    else if (!this.gpu) [st, text] = ['waiting', 'Waiting for the GPU to compile…'];
    else if (this.gpu.lost) [st, text] = ['waiting', 'The GPU device was lost: compiling waits for a new one (Reconnect above, or press Verify).'];
    else if (s.compiling || !s.compile || s.compile.code !== s.code) [st, text] = ['compiling', 'Compiling…'];
    else if (s.compile.outcome.ok) {
      const warnings = s.compile.outcome.diagnostics.filter((d) => d.severity === 'warning').length;
      const built = this.kernel?.family === 'other' ? '' : '; pipeline built';
      [st, text] = ['ok', `Compiles${warnings ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}${built}`];
    } else {
      const errors = s.compile.outcome.diagnostics.filter((d) => d.severity === 'error').length;
      const what = errors ? `${errors} compile error${errors > 1 ? 's' : ''}` : 'the pipeline could not be built';
      [st, text] = ['error', `Does not compile: ${what}. ${s.lastGood !== null ? 'Verify and Time use the last version that compiled.' : ''}`];
    }
    return html`<span class="status" data-testid="compile-status" data-state=${st} role="status">${text}</span>`;
  }

  private renderInterface(k: CatalogKernel, s: Session) {
    // The built-in's interface: the host binds and sets exactly these, whatever the edit declares.
    const iface = k.iface;
    return html`
      <h3>Bindings</h3>
      <p class="muted">What the host code binds (group 0). An edit must keep them: same numbers, types and access.</p>
      <table data-testid="bindings">
        <thead><tr><th>@binding</th><th>name</th><th>space, access</th><th>type</th></tr></thead>
        <tbody>
          ${iface.bindings.map(
            (b) => html`<tr><td>${b.group}/${b.binding}</td><td>${b.name}</td><td>${b.addressSpace}${b.addressSpace === 'storage' ? `, ${b.access}` : ''}</td><td>${b.type}</td></tr>`,
          )}
        </tbody>
      </table>
      <h3>Override constants</h3>
      <p class="muted">Set by the host when it builds the pipeline (no string templating); defaults apply otherwise.</p>
      <table data-testid="overrides">
        <thead><tr><th>name</th><th>type</th><th>default</th></tr></thead>
        <tbody>
          ${iface.overrides.map((o) => html`<tr title=${o.comment ?? ''}><td>${o.name}</td><td>${o.type ?? '—'}</td><td>${o.defaultValue ?? '(host sets)'}</td></tr>`)}
        </tbody>
      </table>
      <h3>Entry points</h3>
      <ul>
        ${iface.entryPoints.map((e) => html`<li><code>${e.name}</code> @workgroup_size(${e.workgroupSize.join(', ')})</li>`)}
      </ul>
      ${s.code !== k.code ? html`<p class="muted">Shown: the built-in kernel’s interface.</p>` : nothing}
    `;
  }

  private renderVerify(s: Session) {
    const progress = s.verifyProgress;
    const v = s.verify;
    if (!v && !progress) return nothing;
    const cases = progress ?? v!.report.cases;
    const stale = v && !progress && v.code !== s.lastGood;
    return html`<section data-testid="verify-results">
      <h3>Verify</h3>
      ${progress
        ? html`<p role="status">Running shape ${progress.length + 1} of ${this.verifyTotal}…</p>`
        : html`<p class="summary" data-testid="verify-summary" data-ok=${v!.report.ok ? 'true' : 'false'}>${summarizeVerify(v!.report)}</p>
            ${stale ? html`<p class="muted">(for an earlier version of the text: press Verify again)</p>` : nothing}`}
      <p class="muted">
        Each shape runs on your GPU in f32 and is compared with float64; it passes when every element is within
        atol + rtol·|reference|, the rounding a correct f32 kernel can make. The first mismatching index is the first output
        element outside that bound.
      </p>
      ${this.renderLabNote()}
      <table>
        <thead><tr><th>shape</th><th>result</th><th>max abs error</th><th>max rel error (rtol)</th><th>first mismatch</th></tr></thead>
        <tbody>
          ${cases.map(
            (c) => html`<tr data-testid="verify-case" data-ok=${c.ok ? 'true' : 'false'} data-first-bad=${c.firstBad} data-lab=${c.lab ? 'true' : 'false'}>
              <td>${c.shape}${c.lab ? html` <span class="tag" data-tag="lab-shape">lab shape</span>` : nothing}</td>
              <td class=${c.ok ? 'pass' : 'fail'}>${c.ok ? 'pass' : 'FAIL'}</td>
              <td class="num">${c.error ? '—' : fmt(c.maxAbsError)}</td>
              <td class="num">${c.error ? '—' : `${fmt(c.maxRelError)} (${fmt(c.rtol)})`}</td>
              <td>
                ${c.error
                  ? html`<span class="fail">${c.error}</span>`
                  : c.firstBad >= 0
                    ? html`index ${c.firstBad}: ${c.firstBadAt}, got ${c.got === null ? '—' : String(c.got)}, expected ${c.expected === null ? '—' : String(c.expected)}`
                    : '—'}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  /** Which lab settings the "lab shape" rows come from (issue 13). */
  private renderLabNote() {
    const lab = this.verifyLab;
    if (!lab) return nothing;
    const from = (f: 'link' | 'defaults') => (f === 'link' ? 'its current settings' : 'its defaults: not opened in this tab yet');
    return html`<p class="muted" data-testid="lab-shapes-note">
      Rows marked <span class="tag">lab shape</span> are the shapes the labs run: the Depth lab at width ${lab.depth.width}, batch
      ${lab.depth.batch}, ${lab.depth.activation} (${from(lab.from.depth)}), and the Normalization lab at
      ${lab.normalize.rows.toLocaleString('en-US')} training rows × ${lab.normalize.features} features (${from(lab.from.normalize)}; an
      uploaded CSV's size is not included). Change a lab’s settings and Verify again to check its new shapes. Each shape runs
      under a time limit (10 s per 2²⁴ operations); larger lab shapes are cut to Verify’s work limit, as the row says.
    </p>`;
  }

  private renderTiming(s: Session) {
    const t = s.timing;
    if (!t) return nothing;
    const r = t.report;
    const slower = r.ratio >= 1;
    const basis = r.basis === 'gpu' ? 'GPU timestamps' : 'wall time per submission';
    return html`<section data-testid="timing-results">
      <h3>Time</h3>
      <p class="summary" data-testid="timing-summary" data-ratio=${r.ratio.toFixed(3)}>
        Yours is ${slower ? `${r.ratio.toFixed(2)}× slower than` : `${(1 / r.ratio).toFixed(2)}× faster than`} the built-in
        (${basis}, median of ${r.reps}).
      </p>
      <table>
        <thead><tr><th></th><th>median wall</th><th>median GPU</th></tr></thead>
        <tbody>
          <tr><td>built-in</td><td class="num">${fmtMs(r.builtIn.wallMs)}</td><td class="num">${r.builtIn.gpuMs === null ? 'n/a' : fmtMs(r.builtIn.gpuMs)}</td></tr>
          <tr><td>yours</td><td class="num">${fmtMs(r.edited.wallMs)}</td><td class="num">${r.edited.gpuMs === null ? 'n/a' : fmtMs(r.edited.gpuMs)}</td></tr>
        </tbody>
      </table>
      <p class="muted">
        Workload: ${r.workload}; both kernels run interleaved in the same run on the same buffers. GPU timestamps are quantized
        and implementation-defined${r.software ? '; this adapter runs WebGPU on the CPU (SwiftShader or similar), so these are CPU times' : ''}.
        Compare the two rows with each other, not with other machines.
      </p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-shader-playground': GpShaderPlayground;
  }
}
