import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import type { CatalogKernel } from '../../playground/catalog';

/**
 * The built-in kernel's interface, shown below the editor: what the host binds (group 0), the override
 * constants it sets, the entry points. An edit must keep them, whatever it declares.
 */
export function renderInterface(k: CatalogKernel, edited: boolean) {
  const iface = k.iface;
  return html`
    <div>
      <h3>${msg('Bindings')}</h3>
      <p class="muted">${msg('What the host code binds (group 0). An edit must keep them: same numbers, types and access.')}</p>
      <table data-testid="bindings">
        <thead><tr><th translate="no">@binding</th><th>${msg('name')}</th><th>${msg('space, access')}</th><th>${msg('type')}</th></tr></thead>
        <tbody>
          ${iface.bindings.map(
            (b) =>
              html`<tr><td>${b.group}/${b.binding}</td><td translate="no">${b.name}</td><td translate="no">${b.addressSpace}${b.addressSpace === 'storage' ? `, ${b.access}` : ''}</td><td translate="no">${b.type}</td></tr>`,
          )}
        </tbody>
      </table>
    </div>
    <div>
      <h3>${msg('Override constants')}</h3>
      <p class="muted">${msg('Set by the host when it builds the pipeline (no string templating); defaults apply otherwise.')}</p>
      <table data-testid="overrides">
        <thead><tr><th>${msg('name')}</th><th>${msg('type')}</th><th>${msg('default')}</th></tr></thead>
        <tbody>
          ${iface.overrides.map((o) => html`<tr title=${o.comment ?? ''} translate="no"><td>${o.name}</td><td>${o.type ?? '—'}</td><td>${o.defaultValue ?? html`<span translate="yes">${msg('(host sets)')}</span>`}</td></tr>`)}
        </tbody>
      </table>
    </div>
    <div>
      <h3>${msg('Entry points')}</h3>
      <ul>
        ${iface.entryPoints.map((e) => html`<li translate="no"><code>${e.name}</code> @workgroup_size(${e.workgroupSize.join(', ')})</li>`)}
      </ul>
      ${edited ? html`<p class="muted">${msg('Shown: the built-in kernel’s interface.')}</p>` : nothing}
    </div>
  `;
}
