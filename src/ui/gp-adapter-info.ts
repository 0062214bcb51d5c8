import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg } from '@lit/localize';
import { formatCount, formatFixed } from '../locale-format';
import type { AdapterSummary } from '../gpu/context';
import { isSoftwareAdapter } from '../gpu/adapter';
import { base } from './shared-styles';

const LIMITS: { key: keyof AdapterSummary['limits']; label: string; bytes: boolean }[] = [
  { key: 'maxStorageBufferBindingSize', label: 'maxStorageBufferBindingSize', bytes: true },
  { key: 'maxBufferSize', label: 'maxBufferSize', bytes: true },
  { key: 'maxComputeWorkgroupsPerDimension', label: 'maxComputeWorkgroupsPerDimension', bytes: false },
  { key: 'maxComputeInvocationsPerWorkgroup', label: 'maxComputeInvocationsPerWorkgroup', bytes: false },
  { key: 'maxComputeWorkgroupStorageSize', label: 'maxComputeWorkgroupStorageSize', bytes: true },
];

/**
 * The GPU adapter in use, in one line (name, and whether it is a software adapter whose timings are CPU
 * timings), with vendor, architecture, fallback flag, timestamps and key limits behind a disclosure.
 */
@customElement('gp-adapter-info')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpAdapterInfo extends LitElement {
  static override styles = [
    base,
    css`
      :host {
        display: block;
        font-size: 0.875rem;
      }
      .status {
        margin: 0;
        color: var(--gp-muted);
      }
      .line {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.25rem 0.75rem;
      }
      details {
        flex-basis: 100%;
      }
      details:not([open]) {
        flex-basis: auto;
      }
      summary {
        cursor: pointer;
        color: var(--gp-muted);
      }
      .adapter {
        margin-top: 0.35rem !important;
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.25rem 0.75rem;
        margin: 0 0 0.25rem;
      }
      .name {
        font-weight: 600;
      }
      .badge {
        display: inline-block;
        padding: 0 0.5rem;
        border-radius: 999px;
        border: 1px solid var(--gp-border);
        background: var(--gp-bg);
        font-size: 0.8rem;
      }
      .badge.warn {
        background: var(--gp-warn-bg);
        color: var(--gp-warn);
        border-color: currentColor;
      }
      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1.25rem;
        margin: 0;
      }
      dl div {
        display: flex;
        gap: 0.35rem;
      }
      dt {
        color: var(--gp-muted);
        font-family: var(--gp-mono);
        font-size: 0.8rem;
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** The adapter summary from the GPU context, or null while connecting / when there is none. */
  @property({ attribute: false }) summary: AdapterSummary | null = null;

  /** What to say when there is no summary. */
  @property() placeholder = '';

  override render() {
    const s = this.summary;
    if (!s) return html`<p class="status" role="status">${this.placeholder || msg('Connecting to the GPU…')}</p>`;
    // Browsers often leave description and device empty (privacy); show them only when present.
    const name = s.description || s.device;
    const software = isSoftwareAdapter(s);
    const title = name || [s.vendor, s.architecture].filter(Boolean).join(' ') || msg('unnamed adapter');
    return html`
      <div class="line" data-testid="adapter">
        <span class="visually-hidden">${msg('GPU adapter:')}</span>
        <span>GPU: <span class="name" translate="no">${title}</span></span>
        <span class="badge ${software ? 'warn' : ''}" data-testid="adapter-kind"
          >${software ? msg('software adapter: runs on your CPU, so timings are CPU timings') : msg('hardware adapter')}</span
        >
        <details>
          <summary>${msg('Details and limits')}</summary>
          <p class="adapter">
            <span>${msg('vendor')} <strong translate="no">${s.vendor}</strong></span>
            <span>${msg('architecture')} <strong translate="no">${s.architecture}</strong></span>
            ${s.device && s.device !== name ? html`<span>${msg('device')} <strong translate="no">${s.device}</strong></span>` : nothing}
            <span class="badge ${s.isFallbackAdapter ? 'warn' : ''}">${msg('fallback adapter:')} ${s.isFallbackAdapter ? msg('yes') : msg('no')}</span>
            <span class="badge ${s.hasTimestamps ? '' : 'warn'}">${msg('timestamps:')} ${s.hasTimestamps ? msg('yes') : msg('no')}</span>
          </p>
          <dl aria-label=${msg('Key device limits')}>
            ${LIMITS.map(
              ({ key, label, bytes }) => html`<div>
                <dt translate="no">${label}</dt>
                <dd title=${formatCount(s.limits[key])}>${bytes ? formatBytes(s.limits[key]) : formatCount(s.limits[key])}</dd>
              </div>`,
            )}
          </dl>
        </details>
      </div>
    `;
  }
}

// Binary units, as limits are powers of two: 134217728 → "128 MiB".
function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? formatCount(v) : formatFixed(v, 1)} ${units[i]}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-adapter-info': GpAdapterInfo;
  }
}
