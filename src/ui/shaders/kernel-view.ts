import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { GpuContext } from '../../gpu/context';
import { autoMatmulVariant } from '../../kernels/matmul';
import { MATMUL_VARIANTS } from '../../kernels/matmul-variants';
import type { CatalogKernel } from '../../playground/catalog';
import type { Notice, Session } from '../../playground/editor-sessions';

/**
 * The Shaders view's pieces around the editor, as template functions: the kernel list, the notice above
 * the editor, the explainer under a kernel's title, the compile status and the toolbar. They render what
 * they are given and call back; the state stays in `gp-shader-playground` and `EditorSessions`.
 */

/** The list of kernels on the left, with "edited" and "in use" tags. */
export function renderKernelList(
  catalog: readonly CatalogKernel[],
  selected: string,
  tags: (k: CatalogKernel) => { edited: boolean; inUse: boolean },
  select: (id: string) => void,
) {
  return html`<nav class="kernels" aria-label=${msg('Kernels')}>
    <ul>
      ${catalog.map((c) => {
        const { edited, inUse } = tags(c);
        return html`<li>
          <button type="button" data-kernel=${c.id} aria-current=${c.id === selected ? 'true' : 'false'} @click=${() => select(c.id)}>
            <span translate="no">${c.id}</span>${edited ? html`<span class="tag" data-tag="edited">${msg('edited')}</span>` : nothing}${
              inUse ? html`<span class="tag" data-tag="in-use">${msg('in use')}</span>` : nothing
            }
          </button>
        </li>`;
      })}
    </ul>
  </nav>`;
}

/** The message above the editor, with Restore my edit when it offers a text back, and Dismiss. */
export function renderNotice(n: Notice | null, on: { restore(): void; dismiss(): void }) {
  if (!n) return nothing;
  return html`<div class="notice ${n.kind}" role=${n.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
    ${n.text}
    ${n.restore !== undefined ? html`<button type="button" data-testid="restore" @click=${on.restore}>${msg('Restore my edit')}</button>` : nothing}
    <button type="button" @click=${on.dismiss}>${msg('Dismiss')}</button>
  </div>`;
}

/** Under the kernel's title: which matmul variant this is and which one the Depth lab runs here, then what to try. */
export function renderExplainer(k: CatalogKernel, gpu: GpuContext | null) {
  const autoVariant = gpu ? autoMatmulVariant(gpu) : null;
  const pathOf = MATMUL_VARIANTS.find((v) => v.vec4PathFile === k.file); // this file is a variant's vec4 path
  return html`<p data-testid="kernel-explainer">
    ${
      k.family === 'matmul' && autoVariant
        ? html`${
            pathOf
              ? msg(
                  html`This is the <strong translate="no">${k.variant}</strong> matmul variant (its vec4 path, which it runs where B and C split into whole vec4s, built twice: once per layout of B, <code>override TRANS_B</code>; shapes that do not split run <code>${pathOf.file}</code>).`,
                )
              : msg(html`This is the <strong translate="no">${k.variant}</strong> matmul variant.`)
          }
          ${
            k.variant === autoVariant
              ? msg(html`On this adapter the Depth lab runs the <strong translate="no">${autoVariant}</strong> one — this one.`)
              : msg(
                  html`On this adapter the Depth lab runs the <strong translate="no">${autoVariant}</strong> one; Use it on a verified edit of this file makes it run yours instead.`,
                )
          }`
        : nothing
    }
    <strong>${msg('What to try:')}</strong> ${k.tryThis}
  </p>`;
}

/** The compile status beside the toolbar (`data-state`: needs-webgpu, waiting, compiling, ok or error). */
export function renderCompileStatus(s: Session, gpu: GpuContext | null, cpuFallback: boolean, kernel: CatalogKernel | undefined) {
  let st: string;
  let text: string;
  if (!gpu && cpuFallback)
    [st, text] = [
      'needs-webgpu',
      msg('Needs WebGPU to compile: this browser has none. You can read and edit the WGSL here; Verify, Time and Use it need WebGPU.'),
    ];
  else if (!gpu) [st, text] = ['waiting', msg('Waiting for the GPU to compile…')];
  else if (gpu.lost) [st, text] = ['waiting', msg('The GPU device was lost: compiling waits for a new one (Reconnect above, or press Verify).')];
  else if (s.compiling || !s.compile || s.compile.code !== s.code) [st, text] = ['compiling', msg('Compiling…')];
  else if (s.compile.outcome.ok) {
    const warnings = s.compile.outcome.diagnostics.filter((d) => d.severity === 'warning').length;
    const built = kernel?.family !== 'other';
    const w = warnings === 0 ? '' : warnings === 1 ? msg(' (1 warning)') : msg(str` (${warnings} warnings)`);
    [st, text] = ['ok', built ? msg(str`Compiles${w}; pipeline built`) : msg(str`Compiles${w}`)];
  } else {
    const errors = s.compile.outcome.diagnostics.filter((d) => d.severity === 'error').length;
    const what = errors === 0 ? msg('the pipeline could not be built') : errors === 1 ? msg('1 compile error') : msg(str`${errors} compile errors`);
    [st, text] = [
      'error',
      s.lastGood !== null ? msg(str`Does not compile: ${what}. Verify and Time use the last version that compiled.`) : msg(str`Does not compile: ${what}. `),
    ];
  }
  return html`<span class="status" data-testid="compile-status" data-state=${st} role="status">${text}</span>`;
}

/** What the toolbar shows: derived by the view from the session, the override and the GPU. */
export interface ToolbarState {
  session: Session;
  kernel: CatalogKernel;
  /** The custom kernel in use for this file, if any. */
  override: { code: string } | undefined;
  verifiable: boolean;
  verified: boolean;
  canRun: boolean;
  /** The editor's text differs from the last one that compiled. */
  behind: boolean;
  /** This kernel has a naive matmul to load. */
  naive: boolean;
}

/** The toolbar's buttons' actions. */
export interface ToolbarActions {
  verify(): void;
  time(): void;
  cancel(): void;
  switchBack(): void;
  useIt(): void;
  reset(): void;
  loadNaive(): void;
  share(): void;
}

/** Verify, Time, Cancel, Switch back, Use it, Reset, Load naive and Share link (the status goes first, given by the view). */
export function renderToolbar(status: unknown, t: ToolbarState, on: ToolbarActions) {
  const s = t.session;
  const busy = s.busy !== null;
  return html`<div class="toolbar">
    ${status}
    <button type="button" class="primary" data-testid="verify" ?disabled=${!t.canRun || !t.verifiable} @click=${on.verify}
      title=${t.verifiable ? msg('Compare with the float64 reference on every shape') : msg('No reference for this kernel')}>
      ${s.busy === 'verify' ? msg('Verifying…') : t.behind ? msg('Verify last compiled version') : msg('Verify')}
    </button>
    <button type="button" data-testid="time" ?disabled=${!t.canRun || !t.verifiable} @click=${on.time}>
      ${s.busy === 'time' ? msg('Timing…') : msg('Time vs built-in')}
    </button>
    ${busy ? html`<button type="button" data-testid="cancel-run" @click=${on.cancel}>${s.busy === 'verify' ? msg('Cancel Verify') : msg('Cancel Time')}</button>` : nothing}
    ${t.override ? html`<button type="button" data-testid="switch-back" @click=${on.switchBack}>${msg('Switch back to built-in')}</button>` : nothing}
    ${
      !t.override || (t.verified && s.verify!.code !== t.override.code)
        ? html`<button type="button" data-testid="use-it" ?disabled=${!t.verified || busy || !t.verifiable}
          title=${t.verified ? msg('Run the Depth lab (and every use of this kernel) on your version') : msg('Verify must pass first')}
          @click=${on.useIt}>${t.override ? msg('Use this version instead') : msg('Use it')}</button>`
        : nothing
    }
    <button type="button" data-testid="reset" ?disabled=${s.code === t.kernel.code} @click=${on.reset}>${msg('Reset to built-in')}</button>
    ${t.naive ? html`<button type="button" data-testid="load-naive" @click=${on.loadNaive}>${msg('Load naive matmul')}</button>` : nothing}
    <button type="button" data-testid="share" @click=${on.share}>${msg('Share link')}</button>
  </div>`;
}
