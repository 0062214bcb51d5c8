// The notice a lab shows when some settings of its link could not be used: each parameter with what was wrong
// (defaults were used for those only), and Dismiss.
import { html, nothing } from 'lit';
import { msg } from '@lit/localize';

/** The settings of a link that could not be used (defaults were), with Dismiss; nothing without problems. */
export function renderUrlProblems(problems: readonly { param: string; message: string }[], dismiss: () => void) {
  if (problems.length === 0) return nothing;
  return html`<div class="notice" role="alert" data-testid="url-problems">
    ${msg(html`<strong>Some settings in this link could not be used</strong>; defaults were used for those fields only:`)}
    <ul>
      ${problems.map((p) => html`<li data-param=${p.param}><code>${p.param}</code> ${p.message}</li>`)}
    </ul>
    <button type="button" @click=${dismiss}>${msg('Dismiss')}</button>
  </div>`;
}
