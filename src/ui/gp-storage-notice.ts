import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { appTunings } from './app-gpu';
import { localized, msg, str } from '@lit/localize';
import { formatCount } from '../locale-format';
import { storageNotices } from '../playground/storage-notices';
import { banner, base } from './shared-styles';

/**
 * The app shell's banner for storage notices (storage-notices.ts): stored records that failed their schema
 * check and were dropped, saves the browser refused. On connecting it checks the stored matmul tunings
 * (the app's tuning store reports to the registry), so a broken one is named before anything runs.
 */
@customElement('gp-storage-notice')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpStorageNotice extends LitElement {
  static override styles = [
    base,
    banner,
    css`
      .banner {
        color: var(--gp-warn);
        background: var(--gp-warn-bg);
      }
      ul {
        margin: 0.25rem 0 0;
        padding-left: 1.25rem;
        font-size: 0.9rem;
        word-break: break-word;
      }
    `,
  ];

  @state() private version = 0;

  private readonly onChange = () => {
    this.version++;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    storageNotices.addEventListener('change', this.onChange);
    appTunings.prune();
    this.version++;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    storageNotices.removeEventListener('change', this.onChange);
  }

  override render() {
    void this.version;
    const list = storageNotices.list();
    if (list.length === 0) return nothing;
    const dropped = list.some((n) => n.kind === 'dropped');
    return html`<div class="banner" role="alert" data-testid="storage-notice">
      <div class="text">
        <strong>${dropped ? msg('Some saved data in this browser was invalid and has been removed') : msg('Your browser refused to store something')}</strong>
        <ul>
          ${list.map((n) => html`<li data-key=${n.key} data-kind=${n.kind}>${n.text}</li>`)}
        </ul>
        ${storageNotices.overflow > 0 ? html`<p>${msg(str`(${formatCount(storageNotices.overflow)} earlier notices not shown)`)}</p>` : nothing}
      </div>
      <button type="button" data-testid="dismiss-storage-notice" @click=${() => storageNotices.clear()}>${msg('Dismiss')}</button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-storage-notice': GpStorageNotice;
  }
}
