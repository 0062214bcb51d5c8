import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { formatCount, formatFixed, formatMagnitude } from '../locale-format';
import { clipText } from '../labs/normalize/csv';
import { descentOutcome } from '../labs/normalize/export';
import { outcomeText } from './normalize-explain';
import type { NormalizeExplanations } from '../labs/normalize/explain';
import { MODE_COLORS, MODE_LABELS } from '../labs/normalize/form';
import type { NormalizeLabRun, NormalizeSession } from '../labs/normalize/session';
import { term } from './normalize-explain';
import { tableFrame } from './scroll-cue';
import { prose } from './prose-numbers';

const nf = { format: formatCount };
const fmt = (v: number) => formatMagnitude(v);
const fmtMs = (ms: number) => (ms < 1000 ? `${formatCount(Math.round(ms))} ms` : msg(str`${formatFixed(ms / 1000, 1)} s`));

/** What the run bar reads and calls. */
export interface NormalizeRunBarView {
  readonly session: NormalizeSession;
  readonly pending: boolean;
  readonly cpuMode: boolean;
  /** Why Run cannot start now, or null. */
  readonly blocked: string | null;
  /** Run is blocked because the CPU fallback's cap on the examples is exceeded. */
  readonly cpuRefused: boolean;
  /** The share link's query of the current settings, or null. */
  readonly query: string | null;
  run(): void;
  cancel(): void;
}

/** Run and Cancel, the share link, the progress (or why Run is disabled) and the last run's error. */
export function renderRunBar(v: NormalizeRunBarView) {
  const s = v.session;
  const why = v.blocked;
  return html`<div class="run-bar">
      <button class="primary" data-testid="run" ?disabled=${v.pending || why !== null} @click=${() => v.run()}>${v.pending ? msg('Running…') : msg('Run')}</button>
      ${v.pending ? html`<button data-testid="cancel" @click=${() => v.cancel()}>${msg('Cancel')}</button>` : nothing}
      ${v.query ? html`<a href="#/normalization-lab?${v.query}" data-testid="permalink" title=${msg('A link that reproduces these settings (generated data only)')}>${msg('Link to these settings')}</a>` : nothing}
    </div>
    <p class="progress" role="status" aria-live="polite" data-testid="progress">
      ${
        v.pending
          ? html`<progress max=${s.stage.total || 1} value=${s.stage.done}></progress> ${s.progress || msg('Starting…')}`
          : why
            ? html`<span class=${v.cpuRefused ? 'refuse' : ''}>${why}</span>`
            : s.cancelled
              ? s.shown
                ? msg('Cancelled; the previous results are shown.')
                : msg('Cancelled.')
              : v.cpuMode
                ? msg('No WebGPU context: Run computes on the CPU in float64.')
                : msg('Ready.')
      }
    </p>
    ${s.runError ? html`<p class="run-error" role="alert" data-testid="run-error">${msg(str`The run failed: ${s.runError}`)}${s.shown ? '\n' + msg('The previous results are still shown.') : ''}</p>` : nothing}`;
}

/** What the results panel reads and calls. */
export interface NormalizeResultsView {
  readonly pending: boolean;
  readonly source: 'generated' | 'csv';
  readonly explained: NormalizeExplanations | null;
  /** The adapter is a software one (its timings are CPU timings). */
  readonly software: boolean;
  readonly plots: readonly ('scatter' | 'contours')[];
  save(kind: 'json' | 'csv' | 'paths'): void;
  savePng(which: 'scatter' | 'contours'): void;
}

/** The placeholder before a first run. */
export function renderNoResults(v: NormalizeResultsView) {
  return html`<div class="panel">
    <div class="placeholder" data-testid="no-results">
      ${v.pending ? msg('Computing the four modes…') : v.source === 'csv' ? msg('No results yet: press Run to study your file.') : msg('No results yet: set the data (or keep the lecture’s) and press Run.')}
    </div>
  </div>`;
}

/** Under results computed from a file whose f32 rounding merged values: a pointer to the warning. */
export function renderRunF32Note(run: NormalizeLabRun) {
  if (run.f32Warnings.length === 0) return nothing;
  return html`<p class="notice" data-testid="results-f32-warning">
    ${msg(
      str`These results come from a file whose values f32 rounding merged (${run.f32Warnings.map((w) => w.slice(0, w.indexOf(':'))).join('; ')}); the fit treats those rows as equal, so treat κ, the optimum and the costs with care.`,
    )}
  </p>`;
}

/**
 * A mode's name with each formula in it kept on one line: in a narrow column "(x−μ)/σ" would otherwise break
 * after its slash, leaving σ alone on a line.
 */
function modeName(label: string) {
  return label.split(/(\S*\/\S*)/).map((part, i) => (i % 2 ? html`<span class="formula">${part}</span>` : part));
}

/** The results per mode, the μ and σ each mode used, and the export buttons. */
export function renderResultsPanel(v: NormalizeResultsView, run: NormalizeLabRun) {
  const d = run.dataset.d;
  const grid = run.runs[0].study.costGrid;
  return html`<div class="panel">
    <h3>
      ${msg('Results per mode')}
      ${
        run.backend === 'cpu'
          ? html`<span class="badge cpu" data-testid="backend-badge" data-backend="cpu">${msg('CPU fallback (float64, no WebGPU)')}</span>`
          : html`<span class="badge gpu" data-testid="backend-badge" data-backend="gpu">${msg('GPU (WebGPU, f32)')}</span>`
      }
    </h3>
    <p class="explain" data-testid="results-explain">
      ${msg(
        html`${term('κ', 'kappa')} = <span class="num">${term('λmax', 'lambdaMax')}/λmin</span> of the ${term(msg('Hessian XᵀX/m'), 'hessian')} (${term(msg('b profiled out'), 'bProfiledOut')}) says how stretched the cost surface is: 1 is a round bowl. ${term('2/λmax', 'maxStableLr')} is the largest learning rate for which gradient descent does not blow up. Steps count until the cost is within the tolerance of its minimum ${term('J*', 'jStar')}. Test cost is J on the held-out set with the same w and b.`,
      )}
    </p>
    ${tableFrame(
      html`<table data-testid="results-table">
        <thead>
          <tr>
            <th scope="col">${msg('mode')}</th>
            <th scope="col">${term('κ', 'kappa')}</th>
            <th scope="col">${term('2/λmax', 'maxStableLr')}</th>
            <th scope="col">${msg('lr used')}</th>
            <th scope="col">${msg('steps to converge')}</th>
            <th scope="col">${msg('final train cost')}</th>
            <th scope="col">${msg('test cost')}</th>
          </tr>
        </thead>
        <tbody>
          ${run.runs.map((r) => {
            const o = descentOutcome(r.descent);
            const s = r.study;
            return html`<tr data-mode=${r.mode}>
              <th scope="row">
                <span class="mode-name"><span class="swatch" style="background:${MODE_COLORS[r.mode]}"></span><span>${modeName(MODE_LABELS[r.mode])}</span></span>
              </th>
              <td data-col="kappa" data-value=${s.kappa}>${fmt(s.kappa)}</td>
              <td data-col="maxStableLr" data-value=${s.maxStableLr}>${fmt(s.maxStableLr)}</td>
              <td data-col="lr" data-value=${r.lr}>
                <span class="num">${fmt(r.lr)}</span>
                <span class="muted lr-multiple">(${fmt(r.lr / s.maxStableLr)}×)</span>
              </td>
              <td data-col="steps" data-outcome=${o.outcome} data-value=${r.descent?.steps ?? ''} class=${o.outcome === 'converged' ? 'good' : o.outcome === 'diverged' ? 'bad' : ''}>
                ${r.error ? html`<span class="bad">${r.error}</span>` : outcomeText(r.descent)}
              </td>
              <td data-col="trainCost" data-value=${r.descent?.trainCost ?? ''}>${r.descent ? fmt(r.descent.trainCost) : '—'}</td>
              <td data-col="testCost" data-value=${r.descent?.testCost ?? ''}>${r.descent ? fmt(r.descent.testCost) : '—'}</td>
            </tr>`;
          })}
        </tbody>
      </table>`,
      msg('Results per mode'),
    )}
    <p class="muted">
      ${msg(str`Statistics and cost surfaces ${fmtMs(run.studyMs)}, gradient descents ${fmtMs(run.descentMs)} (wall time)`)}${run.backend === 'gpu' && v.software ? msg('; this adapter is software (SwiftShader), so these are CPU timings') : ''}${run.backend === 'cpu' ? msg('; computed on the CPU') : ''}.
      ${msg(str`Cost grids ${grid.size}×${grid.size} over ${nf.format(grid.rowsUsed)} of ${nf.format(run.dataset.train.m)} training rows`)}${grid.rowsUsed < run.dataset.train.m ? msg(' (an even subsample: the contours, not the table, use it)') : ''}.
    </p>
    <h3>${msg(html`μ and ${term('σ', 'sigma')} used`)}</h3>
    <p class="explain" data-testid="stats-explain">${prose(v.explained?.stats ?? '')}</p>
    ${tableFrame(
      html`<table class="stats" data-testid="stats-table">
        <thead>
          <tr>
            <th scope="col">${msg('mode')}</th>
            <th scope="col">${msg('set')}</th>
            ${Array.from(
              { length: d },
              (_, j) =>
                html`<th scope="col">${msg(html`<span translate="no">${clipText(run.dataset.featureNames[j])}</span>: subtract`)}</th>
                  <th scope="col">${msg('divide by')}</th>`,
            )}
          </tr>
        </thead>
        <tbody>
          <tr data-mode="train-stats" data-set="stats">
            <th scope="row">${msg('training μ, σ')}</th>
            <td>${msg('train')}</td>
            ${Array.from({ length: d }, (_, j) => {
              const s = run.runs[0].study;
              return html`<td data-col="mu" data-feature=${j} data-value=${s.mu[j]}>${fmt(s.mu[j])}</td>
                <td data-col="sigma" data-feature=${j} data-value=${s.sigma[j]}>${fmt(s.sigma[j])}</td>`;
            })}
          </tr>
          ${run.runs.flatMap((r) =>
            (['train', 'test'] as const).map(
              (set) =>
                html`<tr data-mode=${r.mode} data-set=${set}>
                  <th scope="row">${set === 'train' ? modeName(MODE_LABELS[r.mode]) : ''}</th>
                  <td>${set === 'train' ? msg('train') : msg('test')}</td>
                  ${Array.from({ length: d }, (_, j) => {
                    const mu = set === 'train' ? r.study.trainMu[j] : r.study.testMu[j];
                    const div = set === 'train' ? r.study.trainDivisor[j] : r.study.testDivisor[j];
                    return html`<td data-col="shift" data-feature=${j} data-value=${mu}>${fmt(mu)}</td>
                      <td data-col="divisor" data-feature=${j} data-value=${div}>${fmt(div)}</td>`;
                  })}
                </tr>`,
            ),
          )}
        </tbody>
      </table>`,
      msg('μ and σ used'),
    )}
    <div class="toolbar" style="margin-top:0.75rem">
      <span class="muted">${msg('Export:')}</span>
      <button type="button" data-testid="export-json" @click=${() => v.save('json')}>JSON</button>
      <button type="button" data-testid="export-csv" @click=${() => v.save('csv')}>${msg('CSV (table)')}</button>
      <button type="button" data-testid="export-paths" @click=${() => v.save('paths')}>${msg('CSV (paths)')}</button>
      ${v.plots.includes('contours') ? html`<button type="button" data-testid="export-png-contours" @click=${() => v.savePng('contours')}>${msg('Contours PNG')}</button>` : nothing}
      ${v.plots.includes('scatter') ? html`<button type="button" data-testid="export-png-scatter" @click=${() => v.savePng('scatter')}>${msg('Scatter PNG')}</button>` : nothing}
    </div>
  </div>`;
}
