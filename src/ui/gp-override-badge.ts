import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { GpuContext } from '../gpu/context';
import { autoMatmulVariant } from '../kernels/matmul';
import { findKernel } from '../playground/catalog';
import { kernelOverrides, type KernelOverride } from '../playground/kernel-overrides';
import { base } from './shared-styles';

/**
 * "Custom matmul in use — Use built-in": shown in every view whose results come from kernels the user may
 * have replaced in the Shaders view (Depth lab, Normalization lab, Kernel check, Performance). Lists every
 * active override with what Verify said of it, says whether this adapter actually runs it (a replaced
 * tiled matmul is unused where the direct variant runs), and offers one click back to the built-in and a
 * link to the editor. Renders nothing while every built-in kernel is in use.
 */
@customElement('gp-override-badge')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpOverrideBadge extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .badge {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.35rem 0.75rem;
        margin: 0.5rem 0;
        padding: 0.45rem 0.75rem;
        border: 2px solid var(--gp-warn);
        border-radius: var(--gp-radius);
        background: var(--gp-warn-bg);
        color: var(--gp-fg);
        font-size: 0.9rem;
      }
      .badge strong {
        color: var(--gp-warn);
      }
      button {
        padding: 0.2rem 0.7rem;
      }
      .unused {
        color: var(--gp-muted);
      }
    `,
  ];

  /** Optional: the context the view runs on, to tell which matmul variant it really uses. */
  @property({ attribute: false }) gpu: GpuContext | null = null;

  @state() private overrides: KernelOverride[] = kernelOverrides.list();

  private readonly onChange = () => {
    this.overrides = kernelOverrides.list();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    kernelOverrides.addEventListener('change', this.onChange);
    this.onChange();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    kernelOverrides.removeEventListener('change', this.onChange);
  }

  /** Whether the kernel of `file` runs here: for a matmul variant, whether it is the one 'auto' resolves to. */
  private used(file: string): boolean {
    const k = findKernel(file);
    if (!k || k.family !== 'matmul' || !this.gpu) return true;
    return k.variant === autoMatmulVariant(this.gpu);
  }

  override render() {
    if (this.overrides.length === 0) return nothing;
    return html`${this.overrides.map((o) => {
      const k = findKernel(o.file);
      const name = k?.family === 'matmul' ? 'matmul' : (k?.id ?? o.file);
      const used = this.used(o.file);
      return html`<div class="badge" role="status" data-testid="override-badge" data-file=${o.file} data-used=${used ? 'true' : 'false'}>
        <span>
          <strong>${msg(str`Custom ${name} in use`)}</strong> —
          ${
            used
              ? msg(html`your <code>${o.file}</code> from the Shaders view replaces the built-in kernel in these results.`)
              : msg(html`your <code>${o.file}</code> from the Shaders view replaces the built-in kernel.`)
          }
          <span data-testid="override-verified">${msg(str`Verify passed ${o.verified.passed} of ${o.verified.total} shapes when you switched it on.`)}</span>
          ${used ? nothing : html`<span class="unused">${msg('This device runs another matmul variant, so it is not used here.')}</span>`}
        </span>
        <button type="button" data-testid="override-switch-back" title=${msg(str`Switch ${o.file} back to the built-in kernel`)} @click=${() => kernelOverrides.clear(o.file)}>${msg('Use built-in')}</button>
        <a href="#/shaders?kernel=${encodeURIComponent(k?.id ?? '')}">${msg('Edit')}</a>
      </div>`;
    })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-override-badge': GpOverrideBadge;
  }
}
