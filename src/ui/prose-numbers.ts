import { html, type TemplateResult } from 'lit';
import { proseTokens } from '../viz/number-tokens';

/**
 * Prose with each number in a `<span class="num">` (`white-space: nowrap`, in shared-styles' `base`), so a
 * line never breaks inside a number such as 1.24e-5. The text (textContent, copy-paste) stays as it is.
 */
export function prose(text: string): TemplateResult {
  return html`${proseTokens(text).map((t) => (t.num ? html`<span class="num">${t.text}</span>` : t.text))}`;
}
