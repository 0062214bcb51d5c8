import { LitElement, css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { LOCALES, LOCALE_NAMES } from './locale-choice';
import { currentLocale, switchLocale } from './locale';
import { base, tokens } from './shared-styles';

/**
 * The header's language switch (English / 한국어): two toggle buttons, each named in its own language.
 * Switching re-renders the app in place (results stay), and is remembered in localStorage and the URL.
 */
@customElement('gp-lang-switch')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpLangSwitch extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: inline-flex;
      }
      [role='group'] {
        display: inline-flex;
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        overflow: hidden;
      }
      button {
        border: 0;
        border-radius: 0;
        padding: 0.3rem 0.7rem;
        background: var(--gp-surface);
        color: var(--gp-fg);
        font: inherit;
        font-size: 0.9rem;
        cursor: pointer;
        white-space: nowrap;
      }
      button + button {
        border-left: 1px solid var(--gp-border);
      }
      button[aria-pressed='true'] {
        background: var(--gp-accent);
        color: var(--gp-accent-fg);
      }
    `,
  ];

  override render() {
    const active = currentLocale();
    return html`<div role="group" aria-label=${msg('Language')} data-testid="lang-switch">
      ${LOCALES.map(
        (l) => html`<button
          type="button"
          lang=${l}
          data-lang=${l}
          aria-pressed=${l === active ? 'true' : 'false'}
          @click=${() => void switchLocale(l)}
        >
          ${LOCALE_NAMES[l]}
        </button>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-lang-switch': GpLangSwitch;
  }
}
