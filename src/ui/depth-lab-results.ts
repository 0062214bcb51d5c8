// The Depth lab's results panel (templates only; rendered into gp-depth-lab's shadow root, so the lab's
// styles and test hooks apply): run statistics, the quantity picker, colour scale and pin, the heatmap(s),
// exports and the selected row.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { canPin, LESSON_DOMAIN, runLabel, type ColorScale, type PinnedRun } from '../labs/depth/compare';
import { throughput } from '../labs/depth/export';
import { QUANTITIES, type Quantity } from '../labs/depth/form';
import { zVarCaption } from '../labs/depth/zvar-caption';
import type { LabRun } from '../labs/depth/session';
import type { SweepResult } from '../labs/depth/sweep';
import type { HeatmapData } from '../viz/heatmap-model';
import type { LogDomain } from '../viz/ticks';
import { term, termed } from './depth-terms';
import { prose } from './prose-numbers';
import { shownRowLabel, sweepKindLabel } from './depth-labels';
import { formatCount, formatFixed, formatSignificant } from '../locale-format';
import './gp-depth-row';
import './gp-heatmap';

/** Runs of at least this many matmul FLOPs show their GFLOP/s in the headline; smaller ones only under Details. */
export const GFLOPS_HEADLINE_MIN_FLOPS = 1e8;

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
/** 10 to an integer power in plain text: 10⁻⁴⁰. */
function superscriptPower(e: number): string {
  return `10${[...String(e)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const s = ms / 1000;
  if (s < 10) return `${formatFixed(s, 1)} s`;
  if (s < 90) return `${formatCount(Math.round(s))} s`;
  return msg(str`${formatCount(Math.floor(s / 60))} min ${formatCount(Math.round(s % 60))} s`);
}

/** What the results panel shows. */
export interface ResultsProps {
  run: LabRun | null;
  pending: boolean;
  /** The run is the previous one, shown until the new one's first row arrives. */
  stale: boolean;
  quantity: Quantity;
  heatmapData: HeatmapData | null;
  pinnedData: HeatmapData | null;
  domain: LogDomain | null;
  colorScale: ColorScale;
  pinned: PinnedRun | null;
  /** The selected row's index and the pinned run's matching row. */
  selected: number;
  pinnedRow: SweepResult | null;
  /** Where the numbers come from: 'cpu' (the fallback), 'software' (a software adapter, named) or 'gpu'. */
  device: { kind: 'cpu' | 'software' | 'gpu'; name?: string };
}

/** What the results panel's controls do. */
export interface ResultsHandlers {
  quantity(q: Quantity): void;
  colorScale(scale: string): void;
  pin(): void;
  unpin(): void;
  selectRow(row: number): void;
  save(format: 'json' | 'csv' | 'png'): void;
}

/** The quantity tabs and the shown quantity's description; `caption`: what this run shows of it, if anything. */
export function renderQuantities(quantity: Quantity, on: Pick<ResultsHandlers, 'quantity'>, caption = '') {
  return html`<div class="quantities" role="group" aria-label=${msg('Quantity shown')}>
      ${QUANTITIES.map(
        (q) => html`<button type="button" data-quantity=${q.name} aria-pressed=${q.name === quantity.name ? 'true' : 'false'} @click=${() => on.quantity(q)}>
          ${q.label}
        </button>`,
      )}
    </div>
    <p class="qdesc">${termed(quantity.description)}</p>
    ${caption ? html`<p class="qdesc" data-testid="quantity-caption" data-quantity=${quantity.name}>${prose(caption)}</p>` : nothing}`;
}

/** Colour scale (lesson / auto) and Pin this run. */
function renderCompareControls(p: ResultsProps, on: ResultsHandlers) {
  const pinnable = !p.pending && canPin(p.run);
  return html`<div class="compare" role="group" aria-label=${msg('Compare runs')}>
    <label
      >${msg('Colour scale')}
      <select data-testid="color-scale" .value=${p.colorScale} @change=${(e: Event) => on.colorScale((e.target as HTMLSelectElement).value)}>
        <option value="lesson" ?selected=${p.colorScale === 'lesson'}>
          ${msg(str`lesson scale (${superscriptPower(LESSON_DOMAIN.min)}…${superscriptPower(LESSON_DOMAIN.max)}, the same for every run)`)}
        </option>
        <option value="auto" ?selected=${p.colorScale === 'auto'}>${msg("auto (this run's range)")}</option>
      </select>
    </label>
    <button
      type="button"
      data-testid="pin"
      ?disabled=${!pinnable}
      title=${pinnable ? msg('Keep this run on screen next to the next one') : msg('A run can be pinned once it has finished')}
      @click=${() => on.pin()}
    >
      ${msg('Pin this run')}
    </button>
    ${p.pinned ? html`<span class="muted">${msg('Run another sweep to compare it with the pinned one; both use one colour scale.')}</span>` : nothing}
  </div>`;
}

/**
 * Rows, wall time and work; the speed (GFLOP/s) is a headline only for runs big enough for it to mean
 * something, otherwise it sits under "Details" with what it measures.
 */
function renderStats(run: LabRun, p: ResultsProps) {
  const { flops, gflopsPerSecond } = throughput(run.results, run.wallMs);
  const big = flops >= GFLOPS_HEADLINE_MIN_FLOPS;
  const gflops = html`<div>
    <dt>${term('GFLOP/s', msg('speed'))}</dt>
    <dd data-testid="stat-gflops">${gflopsPerSecond === null ? '—' : `${formatSignificant(gflopsPerSecond, 3)} GFLOP/s`}</dd>
  </div>`;
  const note = html`<p class="muted" data-testid="stats-note">
    ${msg("GFLOP/s = the rows' matmul FLOPs over the sweep's wall time (including uploads, readbacks and the page's own work).")}
    ${
      p.device.kind === 'cpu'
        ? html`<strong>${msg("CPU fallback: float64 JavaScript on this page's main thread, no GPU involved.")}</strong>`
        : p.device.kind === 'software'
          ? html`<strong>${msg(html`This is a software adapter (<span translate="no">${p.device.name || 'SwiftShader'}</span>): these are CPU figures, not a GPU's.`)}</strong>`
          : msg('Indicative only: compare runs on this machine, not across machines.')
    }
  </p>`;
  return html`<dl class="stats" data-testid="stats" data-headline-speed=${big ? 'true' : 'false'}>
      <div><dt>${msg('rows')}</dt><dd data-testid="stat-rows">${msg(str`${formatCount(run.results.length)} of ${formatCount(run.total)}`)}</dd></div>
      <div><dt>${msg('wall time')}</dt><dd>${formatSeconds(run.wallMs)}</dd></div>
      ${big ? gflops : nothing}
    </dl>
    ${
      big
        ? note
        : html`<details class="speed" data-testid="speed-details">
          <summary>${msg('Details: speed')}</summary>
          <dl class="stats">
            ${gflops}
            <div><dt>${term('GFLOP', msg('matmul work'))}</dt><dd>${formatSignificant(flops / 1e9, 3)} GFLOP</dd></div>
          </dl>
          ${note}
          <p class="muted">${msg('This run is too small for its speed to say much about the device.')}</p>
        </details>`
    }`;
}

/** The results panel: a placeholder before the first row, then the sweep's heatmap(s), exports and the selected row. */
export function renderResults(p: ResultsProps, on: ResultsHandlers) {
  const run = p.run;
  if (!run || !p.heatmapData) {
    return html`<div class="panel">
      <h3>${msg(str`Results: ${p.quantity.label} by row and layer`)}</h3>
      ${renderQuantities(p.quantity, on)}
      <div class="placeholder" data-testid="no-results">
        ${p.pending ? msg('The first row is on its way…') : msg('No results yet: pick a preset or set the sweep, then press Run sweep.')}
      </div>
    </div>`;
  }
  const { pinned: pin, pinnedRow, selected: sel } = p;
  return html`
    <div class=${p.stale ? 'stale' : ''} aria-busy=${p.stale ? 'true' : 'false'}>
      <div class="panel">
        <h3>${msg(str`Sweep over ${sweepKindLabel(run.sweep.spec.kind)}: ${p.quantity.label} by row and layer`)}</h3>
        ${p.stale ? html`<p class="muted">${msg("Previous run, shown until the new one's first row arrives.")}</p>` : nothing}
        ${renderStats(run, p)} ${renderQuantities(p.quantity, on, p.quantity.name === 'zVar' ? zVarCaption(run.results, shownRowLabel) : '')}
        ${renderCompareControls(p, on)}
        ${pin ? html`<p class="run-label" data-testid="current-label">${msg(html`This run: <span translate="no">${runLabel(run.sweep.base, run.sweep.spec)}</span>`)}</p>` : nothing}
        <gp-heatmap
          data-testid="current-heatmap"
          .data=${p.heatmapData}
          .domain=${p.domain}
          selected-row=${sel}
          @row-select=${(e: CustomEvent<{ row: number }>) => on.selectRow(e.detail.row)}
        ></gp-heatmap>
        ${
          pin && p.pinnedData
            ? html`<div class="pinned" data-testid="pinned">
              <p class="run-label">
                ${msg('Pinned:')} <span data-testid="pinned-label" translate="no">${pin.label}</span>
                <button type="button" data-testid="unpin" @click=${() => on.unpin()}>${msg('Unpin')}</button>
              </p>
              <gp-heatmap
                data-testid="pinned-heatmap"
                .data=${p.pinnedData}
                .domain=${p.domain}
                selected-row=${pinnedRow ? pin.results.indexOf(pinnedRow) : -1}
              ></gp-heatmap>
            </div>`
            : nothing
        }
        <div class="exports">
          <span class="muted">${msg('Export:')}</span>
          <button type="button" data-testid="export-json" @click=${() => on.save('json')}>JSON</button>
          <button type="button" data-testid="export-csv" @click=${() => on.save('csv')}>CSV</button>
          <button type="button" data-testid="export-png" @click=${() => on.save('png')}>${msg('Heatmap PNG')}</button>
          <span class="muted">${msg('CSV: one line per row × layer × quantity.')}</span>
        </div>
      </div>
      <div class="panel">
        <h3>${msg(html`Selected row <span class="muted">(click a heatmap row, or use the arrow keys and Enter)</span>`)}</h3>
        <gp-depth-row
          .result=${run.results[sel]}
          .quantity=${p.quantity}
          .pinned=${pinnedRow}
          .pinnedLabel=${pin && pinnedRow ? msg(str`pinned: ${shownRowLabel(pinnedRow.label)}`) : ''}
        ></gp-depth-row>
      </div>
    </div>
  `;
}
