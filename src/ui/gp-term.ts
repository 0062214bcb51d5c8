import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { prose } from './prose-numbers';

/**
 * A technical term with a one-line explanation: focusable (Tab reaches it), the explanation shows on hover
 * and on keyboard focus, Escape hides it, and screen readers get it as the term's description
 * (aria-describedby). Usage: `<gp-term tip="λmax: the largest curvature of the cost.">λmax</gp-term>`.
 */
@customElement('gp-term')
export class GpTerm extends LitElement {
  static override styles = css`
    :host {
      position: relative;
      display: inline;
    }
    .num {
      white-space: nowrap;
    }
    .term {
      border-bottom: 1px dotted currentColor;
      cursor: help;
    }
    .term:focus-visible {
      outline: 3px solid var(--gp-focus, #0969da);
      outline-offset: 1px;
    }
    .tip {
      position: absolute;
      left: 0;
      top: calc(100% + 4px);
      z-index: 10;
      width: max-content;
      max-width: min(22rem, 80vw);
      padding: 0.3rem 0.5rem;
      border-radius: var(--gp-radius, 6px);
      background: #1f2328;
      color: #ffffff;
      font-size: 0.8rem;
      font-weight: 400;
      line-height: 1.35;
      white-space: normal;
      box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25);
    }
    .tip[hidden] {
      display: none;
    }
  `;

  /** The one-line explanation. */
  @property() tip = '';

  @state() private open = false;

  protected override updated(changed: PropertyValues): void {
    // Keep an open explanation inside the viewport: a term near the right edge (390 px phones) shifts its
    // explanation left by what would stick out, never past the left edge.
    if (!changed.has('open') || !this.open) return;
    const tip = this.renderRoot.querySelector<HTMLElement>('.tip');
    if (!tip) return;
    tip.style.left = '0px';
    const box = tip.getBoundingClientRect();
    const over = box.right - (document.documentElement.clientWidth - 8);
    if (over > 0) tip.style.left = `${-Math.min(over, Math.max(0, box.left - 8))}px`;
  }

  protected override render() {
    return html`<span
        class="term"
        tabindex="0"
        aria-describedby="tip"
        @focus=${() => (this.open = true)}
        @blur=${() => (this.open = false)}
        @mouseenter=${() => (this.open = true)}
        @mouseleave=${() => (this.open = false)}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Escape') this.open = false;
        }}
        ><slot></slot></span
      ><span class="tip" id="tip" role="tooltip" ?hidden=${!this.open}>${prose(this.tip)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-term': GpTerm;
  }
}
