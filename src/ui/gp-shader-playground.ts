import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { GpuContext } from '../gpu/context';
import { KERNEL_CATALOG, findKernel, type CatalogKernel } from '../playground/catalog';
import type { DraftBackup } from '../playground/drafts';
import { EditorSessions, type Notice } from '../playground/editor-sessions';
import { diffLines } from '../playground/line-diff';
import { naiveMatmulFor } from '../playground/examples';
import { kernelOverrides } from '../playground/kernel-overrides';
import { kernelInHash, makeShareHash, readShareHash, ShareLinkError } from '../playground/share-link';
import { verifyCasesFor } from '../playground/verify-shapes';
import type { EditorDiagnostics, GpWgslEditor, WgslChangeDetail } from './gp-wgsl-editor';
import { base, view } from './shared-styles';
import { hashRouter } from './hash-router';
import { parseRoute } from './route';
import { renderInterface } from './shaders/interface-view';
import { renderCompileStatus, renderExplainer, renderKernelList, renderNotice, renderToolbar } from './shaders/kernel-view';
import { renderTiming, renderVerify } from './shaders/results-view';
import { ShaderRunController } from './shaders/run-controller';
import { renderBackups, renderShareBox, renderShared, type SharedLink } from './shaders/shared-view';
import { shadersStyles } from './shaders/styles';
import './gp-wgsl-editor';
import './gp-override-badge';

/**
 * The Shaders view: every kernel's WGSL in an editor (recompiled as you type, errors at their line),
 * its bindings and override constants below it, Verify against the float64 reference, Time against the
 * built-in, Use it in the Depth lab (and switch back), share as a link, reset to the built-in. The
 * kernels' texts and results live in `EditorSessions` (DOM-free), Verify and Time in
 * `ShaderRunController`; the parts of the page are rendered by the modules in `./shaders/`.
 */
@customElement('gp-shader-playground')
@localized()
export class GpShaderPlayground extends LitElement {
  static override styles = [base, view, shadersStyles];

  /** The GPU context (null while connecting): editing works without it, compiling waits for it. */
  @property({ attribute: false }) gpu: GpuContext | null = null;
  /** True when the browser has no WebGPU (the app's CPU fallback): compiling, Verify and Time need WebGPU. */
  @property({ type: Boolean }) cpuFallback = false;
  /** Base time limit of one Verify case or Time submission in ms (undefined: 10 s), scaled by its work. */
  @property({ attribute: false }) timeLimitMs: number | undefined = undefined;

  /** Id of the kernel in the editor. */
  @state() selected: string = KERNEL_CATALOG[0]?.id ?? '';
  @state() private notice: Notice | null = null;
  @state() private share: { kernel: string; url: string; copied: boolean } | null = null;
  @state() private overridesVersion = 0;
  /**
   * A shared kernel from the address, shown read-only against the built-in until "Open in editor": nothing
   * of it is compiled or saved before. `reading` while the link is being decoded.
   */
  @state() private shared: SharedLink | 'reading' | null = null;

  private readonly sessions = new EditorSessions(() => this.requestUpdate());
  private readonly runs = new ShaderRunController(this, this.sessions);
  private unsubscribe: (() => void) | null = null;

  /** Stops the Verify or Time in progress after the case or submission in flight. */
  cancelRun(): void {
    this.runs.cancel();
  }

  private readonly onOverrides = () => {
    this.overridesVersion++;
  };

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
        if (!k) throw new ShareLinkError(msg(str`The link is for a kernel called “${link.kernel.slice(0, 40)}”, which this playground does not have.`));
        if (location.hash !== hash) return; // the address moved on while this link was read (its own readHash runs)
        this.selected = k.id;
        this.share = null;
        this.shared = { kernel: k.id, code: link.code, diff: diffLines(k.code, link.code) };
        return;
      }
    } catch (err) {
      if (location.hash !== hash) return;
      this.shared = null;
      const why = err instanceof ShareLinkError ? err.message : msg('it could not be read.');
      this.notice = { kind: 'error', text: msg(str`This share link could not be opened: ${why} Nothing of yours was changed.`) };
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
    this.shared = null;
    this.forgetLink(k.id);
    this.notice = this.sessions.acceptShared(k, link.code);
    this.afterSetText(k.id, link.code);
  }

  /** "Discard": the link is forgotten; nothing of it ran or was stored. */
  private discardShared(): void {
    const link = this.shared;
    if (!link || link === 'reading') return;
    this.shared = null;
    this.forgetLink(link.kernel);
    this.notice = { kind: 'info', text: msg('Discarded the shared kernel: nothing of it was run or stored.') };
  }

  /** Puts a backup back in the editor; the text it replaces becomes a backup itself. */
  private restoreFrom(b: DraftBackup): void {
    const k = this.kernel;
    if (!k) return;
    this.notice = this.sessions.restoreFrom(k, b);
    this.afterSetText(k.id, b.code);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      (changed.has('gpu') || changed.has('selected') || (changed as Map<PropertyKey, unknown>).has('shared')) &&
      this.gpu &&
      this.selected &&
      this.shared === null
    ) {
      const s = this.sessions.get(this.selected);
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

  /** After the sessions replaced a kernel's text: the editor shows it, and it compiles. */
  private afterSetText(id: string, code: string): void {
    const editor = this.editor();
    if (id === this.selected && editor && editor.code !== code) editor.setCode(code);
    if (this.gpu) void this.compile(id, code);
  }

  private editor(): GpWgslEditor | null {
    return this.renderRoot.querySelector('gp-wgsl-editor');
  }

  private onInput(e: CustomEvent<WgslChangeDetail>): void {
    // Saved on every keystroke: a reload right after typing loses nothing.
    this.sessions.setText(this.selected, e.detail.code, false);
  }

  private onChange(e: CustomEvent<WgslChangeDetail>): void {
    if (this.gpu) void this.compile(this.selected, e.detail.code);
  }

  private compile(id: string, code: string): Promise<void> {
    // A shared link shown read-only compiles nothing.
    return this.gpu && this.shared === null ? this.sessions.compile(this.gpu, id, code) : Promise.resolve();
  }

  private useIt(): void {
    const k = this.kernel;
    if (!k) return;
    const v = this.sessions.get(k.id).verify;
    if (!v || !v.report.ok) return;
    try {
      if (!kernelOverrides.set(k.file, v.code, { passed: v.report.passed, total: v.report.total })) {
        this.sessions.patch(k.id, {
          error: msg('Your browser refused to store the custom kernel switch (storage full or disabled): it applies only until you close the page.'),
        });
      }
    } catch (err) {
      this.sessions.patch(k.id, { error: (err as Error).message });
    }
  }

  private resetToBuiltIn(): void {
    const k = this.kernel;
    if (!k) return;
    const notice = this.sessions.resetToBuiltIn(k);
    if (notice) this.notice = notice;
    this.afterSetText(k.id, k.code);
  }

  private restoreBackup(): void {
    const k = this.kernel;
    const code = this.notice?.restore;
    if (!k || code === undefined) return;
    this.sessions.setText(k.id, code);
    this.afterSetText(k.id, code);
    this.notice = { kind: 'info', text: msg('Your edit is back in the editor.') };
  }

  private loadNaive(): void {
    const k = this.kernel;
    const loaded = k && this.sessions.loadNaive(k);
    if (!k || !loaded) return;
    if (loaded.notice) this.notice = loaded.notice;
    this.afterSetText(k.id, loaded.code);
  }

  private async makeShare(): Promise<void> {
    const k = this.kernel;
    if (!k) return;
    try {
      const hash = await makeShareHash(k.id, this.sessions.get(k.id).code);
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
    const s = k ? this.sessions.get(k.id) : undefined;
    // The selected kernel's Verify or Time: running, done (a result is shown) or idle.
    const runState = s?.busy ? 'running' : s?.verify || s?.timing ? 'done' : 'idle';
    return html`<section aria-labelledby="sp-title" data-testid="shader-playground" data-run-state=${runState}>
      <h2 id="sp-title">${msg('Shaders')}</h2>
      <p>
        ${msg(html`These are the WGSL compute shaders that do every lesson’s maths on your GPU. Pick one: it opens in an editor that recompiles a moment after you stop typing and shows the compiler’s errors at their line. <strong>Verify</strong> runs your version on awkward shapes against a float64 CPU reference; <strong>Time</strong> races it against the built-in; a version that passes Verify can be switched on for the Depth lab with <strong>Use it</strong>.`)}
      </p>
      ${renderNotice(this.notice, { restore: () => this.restoreBackup(), dismiss: () => (this.notice = null) })}
      ${this.runs.recovery.render()}
      ${
        this.shared !== null
          ? renderShared(
              this.shared,
              this.shared === 'reading' ? undefined : findKernel(this.shared.kernel),
              this.shared === 'reading' ? null : this.sessions.drafts.get(this.shared.kernel),
              {
                open: () => this.acceptShared(),
                discard: () => this.discardShared(),
              },
            )
          : html`<div class="layout">
        ${renderKernelList(
          KERNEL_CATALOG,
          this.selected,
          (c) => ({ edited: this.sessions.edited(c), inUse: kernelOverrides.get(c.file) !== undefined }),
          (id) => this.select(id),
        )}
        <div>${k ? this.renderKernel(k) : html`<p>${msg('No kernels found.')}</p>`}</div>
      </div>`
      }
    </section>`;
  }

  private renderKernel(k: CatalogKernel) {
    const s = this.sessions.get(k.id);
    const override = kernelOverrides.get(k.file);
    const verifiable = verifyCasesFor(k).length > 0;
    const verified = s.verify && s.verify.code === s.lastGood && s.verify.report.ok;
    const canRun = !!this.gpu && s.lastGood !== null && s.busy === null;
    const behind = s.lastGood !== null && s.lastGood !== s.code;
    const diagnostics: EditorDiagnostics | null = s.compile
      ? { code: s.compile.code, list: s.compile.outcome.diagnostics, general: s.compile.outcome.pipelineError }
      : null;
    return html`
      <h3 data-testid="kernel-title"><code>${k.file}</code> — ${k.title}</h3>
      ${renderExplainer(k, this.gpu)}
      <details>
        <summary>${msg('How this kernel works (its header comment)')}</summary>
        <pre translate="no">${k.header}</pre>
      </details>
      ${override ? html`<gp-override-badge .gpu=${this.gpu}></gp-override-badge>` : nothing}
      ${renderToolbar(
        renderCompileStatus(s, this.gpu, this.cpuFallback, this.kernel),
        { session: s, kernel: k, override, verifiable, verified: !!verified, canRun, behind, naive: naiveMatmulFor(k.variant) !== null },
        {
          verify: () => void this.runs.verify(k),
          time: () => void this.runs.time(k),
          cancel: () => this.cancelRun(),
          switchBack: () => kernelOverrides.clear(k.file),
          useIt: () => this.useIt(),
          reset: () => this.resetToBuiltIn(),
          loadNaive: () => this.loadNaive(),
          share: () => void this.makeShare(),
        },
      )}
      ${
        verifiable
          ? nothing
          : html`<p class="muted" data-testid="no-reference">
            ${msg('This kernel belongs to the Performance view’s measurements and has no float64 reference here, so Verify, Time and Use it are off; you can still read and edit it, and the compiler checks every edit.')}
          </p>`
      }
      ${s.error ? html`<p class="notice error" role="alert" data-testid="kernel-error">${s.error}</p>` : nothing}
      ${this.runs.watchdogNotice ? html`<p class="notice error" role="alert" data-testid="watchdog-notice">${this.runs.watchdogNotice}</p>` : nothing}
      ${this.share && this.share.kernel === k.id ? renderShareBox(this.share) : nothing}
      <div class="work">
        <gp-wgsl-editor
          docKey=${k.id}
          .value=${s.code}
          .diagnostics=${diagnostics}
          label=${msg(str`WGSL source of ${k.file}`)}
          @wgsl-input=${(e: CustomEvent<WgslChangeDetail>) => this.onInput(e)}
          @wgsl-change=${(e: CustomEvent<WgslChangeDetail>) => this.onChange(e)}
        ></gp-wgsl-editor>
        <aside class="side" aria-label=${msg('Interface of this kernel')}>${renderInterface(k, s.code !== k.code)}</aside>
      </div>
      ${renderVerify(s, this.runs.verifyLab, this.runs.verifyTotal)} ${renderTiming(s)}
      ${renderBackups(k, this.sessions.drafts.backups(k.id), s.code, { restore: (b) => this.restoreFrom(b), remove: (b) => this.sessions.deleteBackup(k, b) })}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-shader-playground': GpShaderPlayground;
  }
}
