import { html, nothing } from 'lit';
import type { CatalogKernel } from '../../playground/catalog';

/**
 * The built-in kernel's interface, shown below the editor: what the host binds (group 0), the override
 * constants it sets, the entry points. An edit must keep them, whatever it declares.
 */
export function renderInterface(k: CatalogKernel, edited: boolean) {
  const iface = k.iface;
  return html`
    <div>
      <h3>Bindings</h3>
      <p class="muted">What the host code binds (group 0). An edit must keep them: same numbers, types and access.</p>
      <table data-testid="bindings">
        <thead><tr><th>@binding</th><th>name</th><th>space, access</th><th>type</th></tr></thead>
        <tbody>
          ${iface.bindings.map(
            (b) => html`<tr><td>${b.group}/${b.binding}</td><td>${b.name}</td><td>${b.addressSpace}${b.addressSpace === 'storage' ? `, ${b.access}` : ''}</td><td>${b.type}</td></tr>`,
          )}
        </tbody>
      </table>
    </div>
    <div>
      <h3>Override constants</h3>
      <p class="muted">Set by the host when it builds the pipeline (no string templating); defaults apply otherwise.</p>
      <table data-testid="overrides">
        <thead><tr><th>name</th><th>type</th><th>default</th></tr></thead>
        <tbody>
          ${iface.overrides.map((o) => html`<tr title=${o.comment ?? ''}><td>${o.name}</td><td>${o.type ?? '—'}</td><td>${o.defaultValue ?? '(host sets)'}</td></tr>`)}
        </tbody>
      </table>
    </div>
    <div>
      <h3>Entry points</h3>
      <ul>
        ${iface.entryPoints.map((e) => html`<li><code>${e.name}</code> @workgroup_size(${e.workgroupSize.join(', ')})</li>`)}
      </ul>
      ${edited ? html`<p class="muted">Shown: the built-in kernel’s interface.</p>` : nothing}
    </div>
  `;
}
