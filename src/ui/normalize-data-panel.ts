import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { formatCount, formatFixed } from '../locale-format';
import { clipText, describeF32Merge } from '../labs/normalize/csv';
import { LAB_LIMITS, type LabField } from '../labs/normalize/form';
import type { CsvSession } from '../labs/normalize/session';
import type { Dataset } from '../labs/normalize/types';
import { problem, textField, type NormalizeFieldsView } from './normalize-fields';
import { prose } from './prose-numbers';

/** What the Data panel reads and calls, besides the form fields. */
export interface NormalizeDataView extends NormalizeFieldsView {
  readonly csv: CsvSession;
  /** The dataset the next Run uses, and why the form's data could not become one (the old one stays). */
  readonly loaded: Dataset | null;
  readonly loadError: string | null;
  setSource(source: 'generated' | 'csv'): void;
  onFile(e: Event): void;
  setTarget(target: string): void;
}

const nf = { format: formatCount };

function setRange(v: NormalizeDataView, i: number, end: 'lo' | 'hi', value: string): void {
  v.setDraft({
    ranges: v.draft.ranges.map((r, j) => (j === i ? { ...r, [end]: value } : r)),
  });
}

function addFeature(v: NormalizeDataView): void {
  if (v.draft.ranges.length >= LAB_LIMITS.features.max) return;
  v.setDraft({ ranges: [...v.draft.ranges, { lo: '0', hi: '10' }] });
}

function removeFeature(v: NormalizeDataView, i: number): void {
  if (v.draft.ranges.length <= LAB_LIMITS.features.min) return;
  v.setDraft({ ranges: v.draft.ranges.filter((_, j) => j !== i) });
}

/** The Data fieldset: generated or CSV data, the generator's fields, the file input and what is loaded. */
export function renderDataPanel(v: NormalizeDataView) {
  const pending = v.pending;
  const gen = v.source === 'generated';
  const csv = v.csv.csv;
  const L = LAB_LIMITS;
  return html`<fieldset data-testid="data-panel">
    <legend>${msg('Data')}</legend>
    <div class="radios" role="radiogroup" aria-label=${msg('Data source')}>
      <label><input type="radio" name="source" value="generated" .checked=${gen} ?disabled=${pending} @change=${() => v.setSource('generated')} /> ${msg('generated')}</label>
      <label
        ><input type="radio" name="source" value="csv" .checked=${!gen} ?disabled=${pending || !csv} @change=${() => v.setSource('csv')} /> ${msg('CSV file')}${csv ? html` (<span translate="no">${clipText(csv.fileName)}</span>)` : nothing}</label
      >
    </div>
    <p class="hint">${msg('Generated: y = w·x + b + noise with each x_j ~ U(low, high); w is chosen so every feature matters equally once standardized.')}</p>
    ${textField(v, 'm', msg('m (examples)'), msg(str`train + test, ${nf.format(L.m.min)}–${nf.format(L.m.max)}`) + (v.cpuMode ? msg(str` (CPU: up to ${nf.format(L.cpuMaxM)})`) : ''), pending || !gen)}
    <div role="group" aria-label=${msg('Feature ranges')}>
      ${v.draft.ranges.map((r, i) => {
        const f = `range${i + 1}` as LabField;
        const bad = v.parsed.problems[f] !== undefined;
        return html`<div class="range-row" data-feature=${i + 1}>
            <span>x${i + 1}</span>
            <input
              type="text"
              aria-label=${msg(str`x${i + 1} low`)}
              id="f-range${i + 1}-lo"
              .value=${r.lo}
              ?disabled=${pending || !gen}
              aria-invalid=${bad ? 'true' : 'false'}
              @input=${(e: Event) => setRange(v, i, 'lo', (e.target as HTMLInputElement).value)}
            />
            <span>${msg('to')}</span>
            <input
              type="text"
              aria-label=${msg(str`x${i + 1} high`)}
              id="f-range${i + 1}-hi"
              .value=${r.hi}
              ?disabled=${pending || !gen}
              aria-invalid=${bad ? 'true' : 'false'}
              @input=${(e: Event) => setRange(v, i, 'hi', (e.target as HTMLInputElement).value)}
            />
            <button
              type="button"
              aria-label=${msg(str`Remove feature x${i + 1}`)}
              title=${msg(str`Remove feature x${i + 1}`)}
              ?disabled=${pending || !gen || v.draft.ranges.length <= L.features.min}
              @click=${() => removeFeature(v, i)}
            >
              ✕
            </button>
          </div>
          ${problem(v, f)}`;
      })}
      ${problem(v, 'ranges')}
      <button type="button" data-testid="add-feature" ?disabled=${pending || !gen || v.draft.ranges.length >= L.features.max} @click=${() => addFeature(v)}>${msg('Add a feature')}</button>
    </div>
    ${textField(v, 'noise', msg('noise σ'), msg('standard deviation of the noise added to y'), pending || !gen)}
    ${textField(v, 'testFraction', msg('test fraction'), msg('share of the examples held out for testing'), pending)}
    ${textField(v, 'testShift', msg('test shift'), msg('moves the test features by this many range widths (try 0.5)'), pending || !gen)}
    ${textField(v, 'seed', msg('seed'), msg('same seed, same data (also shuffles a CSV into train and test)'), pending)} ${problem(v, 'split')}
    <div class="field">
      <label for="f-csv">${msg('CSV file')}</label>
      <input type="file" id="f-csv" data-testid="csv-file" accept=".csv,text/csv,text/plain" ?disabled=${pending} @change=${(e: Event) => v.onFile(e)} />
      <span class="hint">${msg('numeric columns with a header row; you pick the target')}</span>
    </div>
    ${v.csv.error ? html`<p class="problem" role="alert" data-testid="csv-error">${prose(v.csv.error)}</p>` : nothing} ${renderCsvLoading(v.csv)} ${renderF32Warnings(v.csv)}
    ${
      csv
        ? html`<div class="field">
            <label for="f-target">${msg('target column')}</label>
            <select id="f-target" data-testid="csv-target" ?disabled=${pending} @change=${(e: Event) => v.setTarget((e.target as HTMLSelectElement).value)}>
              ${csv.table.columns.map((c) => html`<option value=${c} ?selected=${c === csv.target} translate="no">${clipText(c)}</option>`)}
            </select>
          </div>`
        : nothing
    }
    ${renderSummary(v)}
  </fieldset>`;
}

/** The file being read: progress and Cancel. */
function renderCsvLoading(s: CsvSession) {
  const l = s.loading;
  if (!l) return nothing;
  const p = l.progress;
  const mb = (b: number) => formatFixed(b / 1e6, 1);
  return html`<p class="progress" role="status" data-testid="csv-progress">
    <progress max=${p?.totalBytes || 1} value=${p?.bytes ?? 0}></progress>
    ${p ? msg(str`Reading ${l.fileName}: ${mb(p.bytes)} of ${mb(p.totalBytes)} MB, ${nf.format(p.rows)} rows…`) : msg(str`Reading ${l.fileName}…`)}
    <button type="button" data-testid="csv-cancel" @click=${() => s.cancel()}>${msg('Cancel')}</button>
  </p>`;
}

/** The loaded file's f32-rounding warnings (one per column whose distinct values f32 merges). */
function renderF32Warnings(s: CsvSession) {
  const merges = s.csv?.merges ?? [];
  if (merges.length === 0) return nothing;
  return html`<div class="notice" role="alert" data-testid="csv-f32-warning">
    ${merges.length === 1 ? msg(html`<strong>Precision warning:</strong> the GPU computes in f32, which merges distinct values of a column of this file:`) : msg(html`<strong>Precision warning:</strong> the GPU computes in f32, which merges distinct values of ${merges.length} columns of this file:`)}
    <ul>
      ${merges.map((m) => html`<li data-column=${m.name}>${describeF32Merge(m)}</li>`)}
    </ul>
  </div>`;
}

/** What the next Run uses, and why the form's data could not replace it. */
function renderSummary(v: NormalizeDataView) {
  const ds = v.loaded;
  const csv = v.csv.csv;
  if (!ds) return html`<p class="summary muted" data-testid="dataset-summary">${msg('No dataset loaded yet.')}</p>`;
  const src =
    ds.source.kind === 'generated'
      ? msg(str`generated (seed ${ds.source.options.seed})`)
      : msg(html`CSV file <span translate="no">${clipText(ds.source.fileName)}</span>, target <span translate="no">${clipText(ds.targetName)}</span>`);
  return html`<p class="summary" data-testid="dataset-summary" data-csv-upload=${csv?.upload ?? ''} data-csv-via=${csv?.via ?? ''}>
      ${msg(html`<strong>Loaded:</strong> ${src}; ${nf.format(ds.train.m + ds.test.m)} rows (${nf.format(ds.train.m)} train, ${nf.format(ds.test.m)} test), ${ds.d} features (<span translate="no">${ds.featureNames.join(', ')}</span>).`)}
    </p>
    ${v.loadError ? html`<p class="problem" role="alert" data-testid="load-error">${prose(v.loadError)}</p>` : nothing}
    ${
      v.cpuMode && ds.source.kind === 'csv' && ds.train.m + ds.test.m > LAB_LIMITS.cpuMaxM
        ? html`<p class="problem" role="alert" data-problem="rows" data-cause="cpu-cap">
            ${msg(str`This file has ${nf.format(ds.train.m + ds.test.m)} rows; without WebGPU the lab runs on the CPU, which takes up to ${nf.format(LAB_LIMITS.cpuMaxM)}. Use a smaller file.`)}
          </p>`
        : nothing
    }`;
}
