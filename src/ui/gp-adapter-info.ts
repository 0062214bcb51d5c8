import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
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
  @property() placeholder = 'Connecting to the GPU…';

  override render() {
    const s = this.summary;
    if (!s) return html`<p class="status" role="status">${this.placeholder}</p>`;
    // Browsers often leave description and device empty (privacy); show them only when present.
    const name = s.description || s.device;
    const software = isSoftwareAdapter(s);
    const title = name || [s.vendor, s.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    return html`
      <div class="line" data-testid="adapter">
        <span class="visually-hidden">GPU adapter:</span>
        <span>GPU: <span class="name">${title}</span></span>
        <span class="badge ${software ? 'warn' : ''}" data-testid="adapter-kind"
          >${software ? 'software adapter: runs on your CPU, so timings are CPU timings' : 'hardware adapter'}</span
        >
        <details>
          <summary>Details and limits</summary>
          <p class="adapter">
            <span>vendor <strong>${s.vendor}</strong></span>
            <span>architecture <strong>${s.architecture}</strong></span>
            ${s.device && s.device !== name ? html`<span>device <strong>${s.device}</strong></span>` : nothing}
            <span class="badge ${s.isFallbackAdapter ? 'warn' : ''}">fallback adapter: ${s.isFallbackAdapter ? 'yes' : 'no'}</span>
            <span class="badge ${s.hasTimestamps ? '' : 'warn'}">timestamps: ${s.hasTimestamps ? 'yes' : 'no'}</span>
          </p>
          <dl aria-label="Key device limits">
            ${LIMITS.map(
              ({ key, label, bytes }) => html`<div>
                <dt>${label}</dt>
                <dd title=${s.limits[key].toLocaleString('en-US')}>${bytes ? formatBytes(s.limits[key]) : s.limits[key].toLocaleString('en-US')}</dd>
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
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-adapter-info': GpAdapterInfo;
  }
}
