// gp-heatmap's table view: every value of the grid as text, a page of layers at a time, with each cell's
// status as a class (and the cause of a lost value as its title).
import { css, html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { cellInfo, type HeatmapModel } from '../viz/heatmap-model';
import { formatCount } from '../locale-format';

/** Layers per table page. */
export const TABLE_PAGE = 32;

export const heatmapTableStyles = css`
    .table-wrap {
      margin-top: 8px;
      overflow: auto;
      max-height: 420px;
      border: 1px solid #ccc;
    }
    table {
      border-collapse: collapse;
      font-size: 12px;
      font-variant-numeric: tabular-nums;
    }
    caption {
      text-align: left;
      padding: 4px;
      font-weight: 600;
    }
    th,
    td {
      border: 1px solid #ddd;
      padding: 2px 6px;
      text-align: right;
      white-space: nowrap;
    }
    thead th {
      position: sticky;
      top: 0;
      background: #f3f3f3;
    }
    tbody th {
      position: sticky;
      left: 0;
      background: #fafafa;
    }
    tr.selected th,
    tr.selected td {
      background: #eef3fb;
    }
    td.overflow {
      color: #b0181c;
    }
    td.underflow {
      color: #2a5db0;
    }
    td.zero {
      color: #8b4513;
    }
    td.nan {
      font-weight: 600;
    }
    td.lost {
      color: #8b2f8b;
      font-style: italic;
    }
    td.none {
      color: #999;
    }
    .pager {
      display: flex;
      gap: 8px;
      align-items: center;
      margin-top: 4px;
    }
`;

/** The values of `m` as a table, `TABLE_PAGE` columns (layers or steps) a page, with a pager; the selected row is highlighted. */
export function renderHeatmapTable(m: HeatmapModel, page: number, selectedRow: number | null, setPage: (page: number) => void) {
  const d = m.data;
  const pages = Math.max(1, Math.ceil(m.cols / TABLE_PAGE));
  const c0 = page * TABLE_PAGE;
  const c1 = Math.min(m.cols, c0 + TABLE_PAGE);
  const cols = Array.from({ length: c1 - c0 }, (_, i) => c0 + i);
  // The Training lab's columns are steps, numbered by the weight updates before them (0 = the initial weights, as on
  // its loss chart); the Depth lab's (and the default) are layers.
  const steps = d.colUnit === 'update';
  const first = m.firstCol;
  return html`
    ${
      pages > 1
        ? html`<div class="pager">
          <button ?disabled=${page === 0} @click=${() => setPage(page - 1)}>${steps ? msg('◀ previous steps') : msg('◀ previous layers')}</button>
          <span>${
            steps
              ? msg(
                  str`weight updates so far ${formatCount(c0 + first)}–${formatCount(c1 - 1 + first)}, of ${formatCount(first)}–${formatCount(m.cols - 1 + first)}`,
                )
              : msg(str`layers ${formatCount(c0 + 1)}–${formatCount(c1)} of ${formatCount(m.cols)}`)
          }</span>
          <button ?disabled=${page >= pages - 1} @click=${() => setPage(page + 1)}>${steps ? msg('next steps ▶') : msg('next layers ▶')}</button>
        </div>`
        : nothing
    }
    <div class="table-wrap">
      <table>
        <caption>
          ${
            steps
              ? msg(str`${d.quantity} by ${d.rowTitle} (rows) and weight updates so far (columns; 0 = the initial weights)`)
              : msg(str`${d.quantity} by ${d.rowTitle} (rows) and layer (columns)`)
          }
        </caption>
        <thead>
          <tr>
            <th scope="col">${steps ? msg(str`${d.rowTitle} \\ updates so far`) : msg(str`${d.rowTitle} \\ layer`)}</th>
            ${cols.map((c) => html`<th scope="col" title=${d.colNames?.[c] ?? nothing}>${formatCount(c + first)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${d.rowLabels.map(
            (label, r) => html`<tr class=${r === selectedRow ? 'selected' : ''}>
              <th scope="row" translate="no">${label}</th>
              ${cols.map((c) => {
                const info = cellInfo(m, r, c);
                return html`<td class=${info.status} title=${info.lostCause ?? nothing} translate="no">${info.status === 'none' ? '—' : info.valueText}</td>`;
              })}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  `;
}
