// The Depth lab's run bar (templates only; rendered into gp-depth-lab's shadow root): memory or CPU-cap
// check, Run / Cancel / Resume, the share link, timing, progress with time left, and how the last run ended.
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { biggestRow, formatBytes, type MemoryCheck } from '../labs/depth/form';
import type { ExperimentState } from '../labs/depth/url-state';
import type { RunEnd } from '../labs/depth/session';
import type { SweepProgress } from '../labs/depth/sweep';
import { formatSeconds } from './depth-lab-results';
import { prose } from './prose-numbers';

/** What the run bar shows. */
export interface RunBarProps {
  pending: boolean;
  /** A GPU context or the CPU fallback is there to run on. */
  ready: boolean;
  onCpu: boolean;
  /** The valid settings, or null while a field is bad. */
  state: ExperimentState | null;
  /** Rows of the sweep the settings describe. */
  rows: number;
  memory: MemoryCheck | null;
  cpuRefuse: string | null;
  /** Why Run is refused for size, or null. */
  refusal: string | null;
  /** The share-link query of the settings, or null. */
  query: string | null;
  /** "Resume at row N" when the run on screen stopped early and can go on, else null. */
  resumeAt: number | null;
  /** Timestamp queries are available (the timing checkbox is shown) and whether they are on. */
  canTime: boolean;
  timing: boolean;
  progress: SweepProgress | null;
  /** Rows of the run in progress. */
  total: number;
  lastEnd: RunEnd | null;
  /** A run is on screen (an error with no new rows says the previous results are still shown). */
  hasShown: boolean;
}

export interface RunBarHandlers {
  run(): void;
  cancel(): void;
  resume(): void;
  timing(on: boolean): void;
}

/** GPU memory of the deepest row, or on the CPU fallback why it refuses the settings. */
export function renderMemory(p: RunBarProps) {
  const m = p.memory;
  const s = p.state;
  if (p.onCpu) return p.cpuRefuse ? html`<p class="refuse" role="alert" data-testid="cpu-refuse">${prose(p.cpuRefuse)}</p>` : nothing;
  if (!m || !s) return nothing;
  const deepest = biggestRow(s);
  return html`<p class="memory" data-testid="memory">
      ${msg(html`GPU memory of the deepest row (L = ${deepest.depth}): about <strong>${formatBytes(m.totalBytes)}</strong>; largest
      buffer ${formatBytes(m.largest.bytes)}`)}${m.limit ? msg(html` of ${formatBytes(m.limit.bytes)} allowed (<span translate="no">${m.limit.name}</span>)`) : nothing}.
    </p>
    ${m.refuse ? html`<p class="refuse" role="alert" data-testid="memory-refuse">${prose(m.refuse)}</p>` : nothing}
    ${m.warn ? html`<p class="warn" role="status" data-testid="memory-warn">${prose(m.warn)}</p>` : nothing}`;
}

function renderProgress(p: RunBarProps) {
  const pr = p.progress;
  if (!pr) return html`<progress max=${p.total} value="0"></progress><span>${msg('Starting: compiling kernels, uploading weights…')}</span>`;
  return html`<progress max=${pr.total} value=${pr.done}></progress>
    <span data-testid="progress-text">${msg(str`${pr.done} of ${pr.total} rows done · about ${formatSeconds(pr.remainingMs)} left`)}</span>`;
}

function renderEnd(p: RunBarProps) {
  const e = p.lastEnd;
  if (!e) return nothing;
  if (e.outcome === 'cancelled') {
    return html`<p class="status-line" role="status" data-testid="run-end" data-outcome="cancelled">
      ${e.done > 0 ? msg(str`Cancelled after ${e.done} of ${e.total} rows; the finished rows are shown.`) : msg(str`Cancelled after ${e.done} of ${e.total} rows.`)}
    </p>`;
  }
  if (e.outcome === 'error') {
    return html`<p class="run-error" role="alert" data-testid="run-error">
      ${msg(str`The sweep stopped after ${e.done} of ${e.total} rows: ${e.error}`)}${e.done === 0 && p.hasShown ? `\n${msg('The previous results are still shown.')}` : ''}
    </p>`;
  }
  return nothing;
}

export function renderRunBar(p: RunBarProps, on: RunBarHandlers) {
  const invalid = !p.state;
  const refused = !!p.refusal;
  const why = !p.ready
    ? msg('Waiting for the GPU…')
    : invalid
      ? msg('Fix the fields marked in red to run.')
      : refused
        ? p.onCpu
          ? msg('Too big for the CPU fallback.')
          : msg('Too big for this device.')
        : p.onCpu
          ? p.rows === 1
            ? msg('1 row to run on the CPU fallback.')
            : msg(str`${p.rows} rows to run on the CPU fallback.`)
          : p.rows === 1
            ? msg('1 row to run.')
            : msg(str`${p.rows} rows to run.`);
  return html`
    <div class="run-bar">
      <button class="primary" data-testid="run" @click=${() => on.run()} ?disabled=${p.pending || !p.ready || invalid || refused}>
        ${p.pending ? msg('Running…') : msg('Run sweep')}
      </button>
      ${p.pending ? html`<button data-testid="cancel" @click=${() => on.cancel()}>${msg('Cancel')}</button>` : nothing}
      ${
        !p.pending && p.resumeAt !== null
          ? html`<button data-testid="resume" title=${msg('Run the unfinished rows of the sweep shown, keeping its finished rows')} @click=${() => on.resume()}>
            ${msg(str`Resume at row ${p.resumeAt}`)}
          </button>`
          : nothing
      }
      ${
        p.query !== null
          ? html`<a class="permalink" data-testid="permalink" href="#/depth-lab?${p.query}" title=${msg('A link that reproduces this experiment, seed included')}
            >${msg('Link to this experiment')}</a
          >`
          : nothing
      }
    </div>
    ${
      p.canTime
        ? html`<label class="timing">
          <input
            type="checkbox"
            data-testid="timing"
            .checked=${p.timing}
            ?disabled=${p.pending}
            @change=${(e: Event) => on.timing((e.target as HTMLInputElement).checked)}
          />
          ${msg('Time each GPU pass (timestamp queries; slower, times go into the JSON export)')}
        </label>`
        : nothing
    }
    <div class="progress" role="status" aria-live="polite" data-testid="progress">
      ${p.pending ? renderProgress(p) : html`<span>${why}</span>`}
    </div>
    ${renderEnd(p)}
  `;
}
