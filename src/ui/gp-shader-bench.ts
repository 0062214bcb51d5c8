import { LitElement, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import type { GpuContext } from '../gpu/context';
import { runBench, type BenchProgress, type BenchRow } from '../bench/runner';
import { makeBenchPlan, type BenchPreset } from '../bench/cases';
import { summarize } from '../bench/summary';
import { formatRate } from '../bench/bench-math';
import { makeBarCharts } from '../bench/chart-model';
import { benchGroupText, benchImplText, benchShapeText, ROW_NAMES } from '../bench/row-words';
import { formatCount } from '../locale-format';
import { drawBars } from './bench-bars';
import { WidthController } from './width-controller';
import { showCheck, showMs, showRate, showRatio, showShare } from './bench-format';
import { base, runControls, view } from './shared-styles';
import { tableFrame } from './scroll-cue';
import { shaderBenchStyles } from './shader-bench-styles';
import { GpuRecoveryController } from './gpu-recovery';
import './gp-roofline';
import './gp-override-badge';

// The matmul autotune (src/kernels/autotune.ts) is optional: shown when the module exists.
const autotuneModules = import.meta.glob('../kernels/autotune.ts');
interface AutotuneModule {
  autotuneMatmul?: (gpu: GpuContext) => Promise<unknown>;
  getMatmulTuning?: (gpu: GpuContext) => unknown;
}
async function loadAutotune(): Promise<AutotuneModule | null> {
  const load = autotuneModules['../kernels/autotune.ts'];
  return load ? ((await load()) as AutotuneModule) : null;
}

/** A tuning result as "key: value" lines (whatever shape the autotune module returns). */
export function describeTuning(t: unknown): string[] {
  if (t === null || t === undefined) return [];
  if (typeof t !== 'object') return [String(t)];
  return Object.entries(t as Record<string, unknown>)
    .filter(([, v]) => typeof v !== 'function')
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? formatRate(v) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
}

/** The size presets' descriptions, in the language shown. */
function presetText(p: BenchPreset): string {
  switch (p) {
    case 'tiny':
      return msg('Tiny — smoke test, about a second');
    case 'quick':
      return msg('Quick — 256² matmuls and 1M floats, a few seconds on a CPU adapter');
    case 'full':
      return msg('Full — 256/512/1024 matmuls and 1M/4M/16M floats; minutes on a CPU adapter');
  }
}

/**
 * The Performance view: measures every kernel in GFLOP/s or GB/s on the user's GPU (median of several
 * timed runs after a warm-up, each result checked against float64), beside a vec4 copy kernel (the
 * bandwidth roof) and a register-only multiply-add loop (the arithmetic roof).
 */
@customElement('gp-shader-bench')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpShaderBench extends LitElement {
  static override styles = [base, view, runControls, shaderBenchStyles];

  /** The GPU context to measure; Run is disabled without one. */
  @property({ attribute: false }) gpu: GpuContext | null = null;
  /** True when the browser has no WebGPU (the app's CPU fallback): the view says it needs WebGPU instead of waiting. */
  @property({ type: Boolean }) cpuFallback = false;

  /** Size preset of the next run (the view's default is the short 'quick'). */
  @property() preset: BenchPreset = 'quick';

  @state() private rows: BenchRow[] = [];
  @state() private progress: BenchProgress | null = null;
  @state() private autotune: AutotuneModule | null = null;
  @state() private tuning: unknown = null;
  @state() private tuningError = '';
  @state() private tuningRunning = false;

  // The bar charts are drawn for the view's width (labels above the bars when narrow): a new width redraws them.
  private readonly size = new WidthController(this);
  @query('canvas[data-chart=matmul]') private matmulCanvas!: HTMLCanvasElement | null;
  @query('canvas[data-chart=memory]') private memoryCanvas!: HTMLCanvasElement | null;

  private readonly runTask = new Task(this, {
    task: async ([gpu, preset]: readonly [GpuContext | null, BenchPreset], { signal }) => {
      if (!gpu) throw new Error(msg('There is no GPU context yet: wait for the GPU to connect, then run again.'));
      return this.measure(gpu, preset, signal);
    },
    args: () => [this.gpu, this.preset] as const,
    autoRun: false,
    onComplete: () => (this.progress = null),
    onError: () => (this.progress = null),
  });

  // A device loss mid-run keeps the rows measured so far and gets a new device; the run is not resumed
  // there, since every rate is read against roofs measured in the same run (Run again measures afresh).
  private readonly recovery = new GpuRecoveryController(this, 'stop');

  /** One run: its rows replace the last run's and stay if it stops (Cancel, an error, a device loss). */
  private async measure(startGpu: GpuContext, preset: BenchPreset, signal: AbortSignal): Promise<{ wallMs: number }> {
    this.rows = [];
    this.recovery.begin();
    const gpu = await this.recovery.ensureLive(startGpu, signal);
    const t0 = performance.now();
    let rows: BenchRow[] = [];
    try {
      for await (const row of runBench(gpu, makeBenchPlan(preset), { signal, onProgress: (p) => (this.progress = p) })) {
        rows = [...rows, row];
        this.rows = rows;
      }
    } catch (err) {
      const kept = rows.length
        ? msg(str`The ${rows.length} rows measured before it are kept; Run again measures the whole plan anew.`)
        : msg('No row of this run had finished; Run again measures the whole plan anew.');
      await this.recovery.recover(gpu, err, msg(str`after ${rows.length} of ${this.progress?.total ?? '?'} rows`), kept, signal);
    }
    return { wallMs: performance.now() - t0 };
  }

  /** Starts a run (what the Run button does). */
  run(): Promise<void> {
    return this.runTask.run();
  }

  /** Stops after the submission in flight; rows measured so far stay. */
  cancel(): void {
    this.runTask.abort();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void loadAutotune().then((m) => {
      this.autotune = m;
      void this.refreshTuning();
    });
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('gpu') && this.autotune) void this.refreshTuning();
  }

  private async refreshTuning(): Promise<void> {
    if (!this.gpu || !this.autotune?.getMatmulTuning) return;
    try {
      this.tuning = await this.autotune.getMatmulTuning(this.gpu);
    } catch (err) {
      this.tuningError = (err as Error).message;
    }
  }

  private async runAutotune(): Promise<void> {
    if (!this.gpu || !this.autotune?.autotuneMatmul) return;
    this.tuningRunning = true;
    this.tuningError = '';
    try {
      const gpu = await this.recovery.ensureLive(this.gpu); // lost while idle: tune on a new device
      this.tuning = await this.autotune.autotuneMatmul(gpu);
    } catch (err) {
      this.tuningError = (err as Error).message;
    } finally {
      this.tuningRunning = false;
    }
  }

  override render() {
    const pending = this.runTask.status === TaskStatus.PENDING;
    const runState = pending ? 'running' : this.runTask.status === TaskStatus.ERROR ? 'error' : this.rows.length ? 'done' : 'idle';
    const aborted = this.runTask.status === TaskStatus.ERROR && (this.runTask.error as Error)?.name === 'AbortError';
    return html`
      <section aria-labelledby="pb-title" data-testid="shader-bench" data-run-state=${runState}>
        <h2 id="pb-title">${msg('Performance')}</h2>
        <p>
          ${msg(html`How fast are the kernels behind the labs, on <em>your</em> GPU? Each kernel runs several times after a warm-up; the table shows the median as <strong>GFLOP/s</strong> (matrix products: 2·m·n·k operations) or <strong>GB/s</strong> (reductions: bytes that must be read, and written for the copy). Every result is also checked against a float64 reference on the CPU, so a fast but wrong kernel shows a ✗.`)}
        </p>
        <p>
          ${msg(html`Two <strong>roofs</strong> put the numbers in proportion: a plain vec4 <em>copy</em> kernel shows how fast this device moves bytes (a reduction that reads each value once can at best match it), and a register-only <em>multiply-add loop</em> shows how much arithmetic it can do (a matmul gets close only when it reuses every value it loads many times, from registers or workgroup memory).`)}
        </p>
        <p>
          ${msg(html`<strong>What to try:</strong> compare the matmul variants on the same shape (<span translate="no">tiled</span>, with workgroup memory, is the textbook GPU kernel; on a CPU adapter the register-blocked ones win); see how far the reductions are from the copy roof; compare our overflow-safe norms with a plain two-pass sum of squares; run <em>Full</em> to see how rates change with size. Open <span translate="no">DevTools</span> → Performance and record while it runs: each timed dispatch appears on a <strong translate="no">GPU kernels</strong> track.`)}
        </p>
        <p class="caveats" data-testid="caveats">
          ${msg(html`<strong>Read the numbers with care.</strong> GPU times come from timestamp queries where the browser offers them; they are quantized (to 100&nbsp;µs by default in Chrome) and their meaning is implementation-defined. Without them the time is the wall clock from submit to done, which includes overhead. On a software adapter such as SwiftShader the "GPU" is your CPU, so every figure is a CPU figure. Compare rows measured in the same run, not numbers across machines or browsers.`)}
        </p>

        <gp-override-badge .gpu=${this.gpu}></gp-override-badge><!-- custom kernels in use -->
        <div class="controls">
          <fieldset>
            <legend>${msg('Size')}</legend>
            ${(['tiny', 'quick', 'full'] as const).map(
              (p) => html`<label
                ><input type="radio" name="preset" value=${p} data-testid="preset-${p}" .checked=${this.preset === p} ?disabled=${pending}
                  @change=${() => (this.preset = p)} />
                ${presetText(p)}</label
              >`,
            )}
          </fieldset>
          <button class="primary" data-testid="run" @click=${() => void this.run()} ?disabled=${!this.gpu || pending}>
            ${pending ? msg('Running…') : this.rows.length ? msg('Run again') : msg('Run benchmark')}
          </button>
          <button data-testid="cancel" @click=${() => this.cancel()} ?disabled=${!pending}>${msg('Cancel')}</button>
          <div class="progress" role="status" aria-live="polite" data-testid="progress">
            ${
              pending && this.progress
                ? html`<progress max=${this.progress.total} value=${this.progress.done}></progress> ${msg(str`${this.progress.done} of ${this.progress.total}:`)}
                    <span translate="no">${this.progress.current}</span>`
                : pending
                  ? msg('Starting…')
                  : !this.gpu
                    ? this.cpuFallback
                      ? msg(
                          'Needs WebGPU: this browser has none, so there is no GPU to measure. The Depth lab and the Normalization lab work here on the CPU fallback.',
                        )
                      : msg('Waiting for the GPU…')
                    : aborted
                      ? msg(str`Cancelled: ${this.rows.length} rows kept.`)
                      : nothing
            }
          </div>
        </div>
        ${
          this.runTask.status === TaskStatus.ERROR && !aborted
            ? html`<p class="run-error" role="alert" data-testid="run-error">
              ${msg(str`The run stopped: ${(this.runTask.error as Error)?.message ?? String(this.runTask.error)}`)}
            </p>`
            : nothing
        }
        ${this.recovery.render()} ${this.rows.length ? this.renderResults() : nothing} ${this.renderAutotune()}
      </section>
    `;
  }

  private renderResults() {
    const s = summarize(this.rows);
    const copies = [...s.copyRoof.entries()].map(([n, r]) => msg(str`${showRate(r)} GB/s at ${formatCount(n)} floats`)).join(', ') || '—';
    return html`
      <h3>${msg('Results')}</h3>
      <p data-testid="bench-verdict" data-verified=${String(s.allVerified)}>
        ${
          s.allVerified
            ? html`<span class="pass">${msg('✓ Every row matches float64.')}</span>`
            : html`<span class="fail-text">${msg(str`✗ ${s.failed.length} row(s) failed the float64 check.`)}</span>`
        }
        ${msg(str`Roofs measured here: multiply-add loop ${showRate(s.fmaRoof)} GFLOP/s (the median of its measurements through the run, since a shared machine's speed drifts); copy ${copies}.`)}
      </p>
      ${tableFrame(
        html`<table data-testid="bench-rows">
          <thead>
            <tr>
              <th scope="col">${msg('Kernel')}</th>
              <th scope="col">${msg('Implementation')}</th>
              <th scope="col">${msg('Shape')}</th>
              <th scope="col" class="num">${msg('Rate')}</th>
              <th scope="col" class="num">${msg('Share of roof')}</th>
              <th scope="col" class="num">${msg('Median time')}</th>
              <th scope="col">${msg('float64 check')}</th>
            </tr>
          </thead>
          <tbody>
            ${this.rows.map((r) => this.renderRow(r, s.fmaRoof, s.copyRoof))}
          </tbody>
        </table>`,
        msg('Results'),
      )}
      ${
        s.lines.length
          ? html`<h3>${msg('Comparisons')}</h3>
            <ul data-testid="bench-lines">
              ${s.lines.map(
                (l) =>
                  html`<li>
                    <code>${l.kernel}</code> ${shownShape(l.shape)}: ${showRate(l.ours)} ${l.metric}${
                      l.best ? msg(html` (best variant: <span translate="no">${l.best}</span>)`) : ''
                    }
                    ${
                      l.kernel === 'matmul'
                        ? html`${msg(str`— ${showShare(l.oursOverRoof)} of the multiply-add roof`)}${
                            l.tiled !== undefined ? msg(html`, ${showRatio(l.ours / l.tiled)} the plain <span translate="no">tiled</span> kernel`) : nothing
                          }`
                        : html`${msg(str`— ${showRatio(l.oursOverRoof)} the copy kernel's GB/s`)}${
                            l.oursOverBaseline !== undefined ? msg(str`, ${showRatio(l.oursOverBaseline)} a plain two-pass sum of squares`) : nothing
                          }`
                    }
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      <h3>${msg('Chart')}</h3>
      <p>${msg('Bars: our kernels (blue), baselines (grey), roof kernels (orange); the dashed line is the roof. Times are medians of this run only.')}</p>
      <canvas data-chart="matmul" role="img" aria-label=${msg('Matmul GFLOP/s per shape and variant, with the multiply-add roof')}></canvas>
      <canvas data-chart="memory" role="img" aria-label=${msg('GB/s of moments, norms and copy, with the copy bandwidth roof')}></canvas>
      ${this.runTask.status !== TaskStatus.PENDING ? html`<h3>${msg('Roofline')}</h3><gp-roofline .rows=${this.rows}></gp-roofline>` : nothing}
    `;
  }

  private renderRow(r: BenchRow, fmaRoof: number, copyRoof: Map<number, number>) {
    const anyCopy = copyRoof.size ? Math.max(...copyRoof.values()) : NaN;
    const roof = r.metric === 'GFLOP/s' ? fmaRoof : (copyRoof.get(r.floats ?? -1) ?? anyCopy);
    const share = r.group === 'roof' ? '' : r.metric === 'GFLOP/s' ? showShare(r.rate / roof) : showRatio(r.rate / roof);
    const cls = [r.group === 'roof' ? 'roof' : '', r.verification.ok ? '' : 'fail'].join(' ');
    const method = r.method === 'timestamps' ? msg('timestamps') : msg('wall clock');
    // Kernel groups, implementations and shapes are data, worded by row-words.ts (names and sizes stay as they
    // are); one it does not know shows in English, marked so.
    const impl = benchImplText(r.impl);
    return html`<tr class=${cls} data-impl=${r.impl} data-group=${r.group} data-rate=${String(r.rate)} data-ok=${String(r.verification.ok)}>
      <th scope="row" translate=${r.group === 'roof' ? 'yes' : 'no'}>${benchGroupText(r.group)}</th>
      ${impl === null ? html`<td lang="en">${r.impl}</td>` : html`<td>${marked(impl)}</td>`}
      <td>${shownShape(r.shape)}</td>
      <td class="num">${showRate(r.rate)} ${r.metric}</td>
      <td class="num">${share}</td>
      <td class="num" title=${msg(str`wall ${showMs(r.wallMs)} ms; ${r.samples} timed runs`)}>${showMs(r.ms)} ms (${method})</td>
      <td>${r.verification.ok ? html`<span class="pass">✓</span>` : html`<span class="fail-text">✗</span>`} <small>${showCheck(r.verification)}</small></td>
    </tr>`;
  }

  private renderAutotune() {
    if (!this.autotune) return nothing;
    const lines = describeTuning(this.tuning);
    return html`<h3>${msg('Matmul autotune')}</h3>
      <p>${msg('The autotune times the matmul variants and tile sizes on this device and remembers the fastest for the labs.')}</p>
      ${
        lines.length
          ? html`<ul class="tuning" data-testid="tuning" translate="no">${lines.map((l) => html`<li>${l}</li>`)}</ul>`
          : html`<p data-testid="tuning">${msg('No tuning result yet for this device.')}</p>`
      }
      ${this.tuningError ? html`<p class="run-error">${this.tuningError}</p>` : nothing}
      <button data-testid="autotune" @click=${() => void this.runAutotune()} ?disabled=${!this.gpu || this.tuningRunning || !this.autotune.autotuneMatmul}>
        ${this.tuningRunning ? msg('Tuning…') : msg('Run the autotune')}
      </button>`;
  }

  protected override updated(): void {
    // Drawn on every update, a new width (this.size) included; not while the view has no width (hidden).
    if (!this.rows.length || this.size.width === 0) return;
    const [mm, mem] = makeBarCharts(this.rows);
    if (this.matmulCanvas) drawBars(this.matmulCanvas, mm);
    if (this.memoryCanvas) drawBars(this.memoryCanvas, mem);
  }
}

/** `text` with its names and formulas marked translate="no". */
function marked(text: string) {
  const parts: unknown[] = [];
  let at = 0;
  for (const m of text.matchAll(ROW_NAMES)) {
    parts.push(text.slice(at, m.index), html`<span translate="no">${m[0]}</span>`);
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at));
  return parts;
}

/** A shape in the language shown (row-words.ts), or the English data marked as such. */
function shownShape(shape: string) {
  const text = benchShapeText(shape);
  return text === null ? html`<span lang="en">${shape}</span>` : html`<span>${marked(text)}</span>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-shader-bench': GpShaderBench;
  }
}
