import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { formatFixed, formatScientific } from '../locale-format';
import { Task, TaskStatus } from '@lit/task';
import type { GpuContext } from '../gpu/context';
import { ALL_CHECKS, type CheckResult, type KernelCheck } from '../kernels/checks/index';
import { shapeText } from '../kernels/checks/case-words';
import { formatRelError, runKernelCheck, summarizeKernelCheck, type KernelCheckProgress, type KernelCheckSummary } from '../kernels/checks/kernel-check';
import { base, runControls, view } from './shared-styles';
import { tableFrame } from './scroll-cue';
import { GpuRecoveryController, deviceLossBehind } from './gpu-recovery';
import './gp-override-badge';
import { guardOverrides, switchOffAfter } from '../playground/override-guard';
import { prose } from './prose-numbers';

/** A finished run: its cases, and how long it took on the wall clock. */
interface CompletedRun {
  results: CheckResult[];
  wallMs: number;
}

/**
 * The Kernel check view: runs every kernel on a few awkward shapes on the user's GPU, compares each with
 * its float64 CPU reference, and shows pass/fail, max relative error and GPU time per case.
 */
@customElement('gp-kernel-check')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpKernelCheck extends LitElement {
  static override styles = [
    base,
    view,
    runControls,
    css`
      h3 {
        margin: 1.5rem 0 0.5rem;
        font-size: 1.05rem;
      }
      p,
      ul {
        max-width: 70ch;
      }
      .kernels {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.15rem 1rem;
        margin: 0.5rem 0 1rem;
        font-size: 0.9rem;
      }
      .kernels dt {
        font-family: var(--gp-mono);
        font-weight: 600;
      }
      .kernels dd {
        margin: 0;
        color: var(--gp-muted);
      }
      .progress {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        color: var(--gp-muted);
      }
      .summary {
        display: inline-block;
        margin: 0.25rem 0 0.75rem;
        padding: 0.35rem 0.75rem;
        border-radius: var(--gp-radius);
        border: 1px solid currentColor;
        font-weight: 600;
      }
      .summary[data-status='pass'] {
        color: var(--gp-pass);
        background: var(--gp-pass-bg);
      }
      .summary[data-status='fail'] {
        color: var(--gp-fail);
        background: var(--gp-fail-bg);
      }
      .meta {
        margin: 0 0 0.5rem;
        color: var(--gp-muted);
        font-size: 0.875rem;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      caption {
        text-align: left;
        padding: 0.5rem 0.75rem;
        font-weight: 600;
        background: var(--gp-surface);
        border-bottom: 1px solid var(--gp-border);
      }
      th,
      td {
        text-align: left;
        padding: 0.4rem 0.75rem;
        border-bottom: 1px solid var(--gp-border);
        vertical-align: top;
      }
      thead th {
        font-size: 0.8rem;
        text-transform: uppercase;
        letter-spacing: 0.03em;
        color: var(--gp-muted);
        white-space: nowrap;
      }
      tbody tr:last-child > * {
        border-bottom: none;
      }
      th[scope='row'] {
        font-family: var(--gp-mono);
        font-weight: 600;
      }
      .num {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .verdict {
        font-weight: 700;
        white-space: nowrap;
      }
      .verdict.pass {
        color: var(--gp-pass);
      }
      .verdict.fail {
        color: var(--gp-fail);
      }
      tr.fail {
        background: var(--gp-fail-bg);
      }
      .err {
        font-family: var(--gp-mono);
        font-size: 0.8rem;
        white-space: pre-wrap;
        word-break: break-word;
        color: var(--gp-fail);
      }
      .tol {
        color: var(--gp-muted);
      }
      /* A phone: the table keeps its columns but packs them (tighter cells, headers wrapping, the tolerance under
         the error), so the kernel, shape, result and error against tolerance fit; the GPU time may need the
         sideways scroll, which the table frame's hint points to. */
      @media (max-width: 600px) {
        th,
        td {
          padding: 0.35rem 0.4rem;
        }
        thead th {
          white-space: normal;
          text-transform: none;
          letter-spacing: 0;
        }
        .num .tol {
          display: block;
        }
      }
      .stale {
        opacity: 0.6;
      }
      .next {
        margin-top: 1.5rem;
      }
      a {
        color: var(--gp-accent);
      }
    `,
  ];

  /** The GPU context to run on; the Run button is disabled without one. */
  @property({ attribute: false }) gpu: GpuContext | null = null;
  /** True when the browser has no WebGPU (the app's CPU fallback): the view says it needs WebGPU instead of waiting. */
  @property({ type: Boolean }) cpuFallback = false;

  /** The checks to run (default: every kernel in the registry). */
  @property({ attribute: false }) checks: readonly KernelCheck[] = ALL_CHECKS;

  @state() private progress: KernelCheckProgress | null = null;
  // Kept apart from the task's value so the last results stay on screen while re-running or after an error.
  @state() private completed: CompletedRun | null = null;
  /** The cases of the run in progress (or of the last run, if it stopped), kernel by kernel. */
  @state() private partial: CompletedRun | null = null;

  // A device loss mid-run: a new device from the shell, and the run goes on at the kernel it interrupted.
  private readonly recovery = new GpuRecoveryController(this, 'resume');

  private readonly runTask = new Task(this, {
    task: async ([gpu, checks]: readonly [GpuContext | null, readonly KernelCheck[]], { signal }) => {
      if (!gpu) throw new Error(msg('There is no GPU context yet: wait for the GPU to connect, then run again.'));
      return this.runChecks(gpu, checks, signal);
    },
    args: () => [this.gpu, this.checks] as const,
    autoRun: false,
    onComplete: (run) => {
      this.completed = run;
      this.partial = null;
      this.progress = null;
    },
    onError: () => {
      this.progress = null;
    },
  });

  /**
   * Runs the checks one kernel at a time, keeping each kernel's cases as it finishes. After a device loss
   * (a check that threw, or failed, on a device found lost) that kernel's cases are dropped, a new device is
   * fetched and the run resumes at that kernel; the finished kernels are not run again.
   */
  private async runChecks(startGpu: GpuContext, checks: readonly KernelCheck[], signal: AbortSignal): Promise<CompletedRun> {
    const t0 = performance.now();
    const results: CheckResult[] = [];
    this.partial = { results: [], wallMs: 0 };
    this.recovery.begin();
    // A custom kernel running when the device is lost is switched off; the check resumes on the built-in.
    const guard = guardOverrides();
    let gpu = await this.recovery.ensureLive(startGpu, signal);
    for (let i = 0; i < checks.length;) {
      try {
        const part = await runKernelCheck(gpu, [checks[i]], {
          signal,
          onProgress: (p) => (this.progress = { ...p, index: i, total: checks.length, casesDone: results.length }),
        });
        // A lost device can make cases fail (or throw into a failed case) before its loss is reported.
        const loss = part.every((r) => r.ok) ? gpu.lost : await deviceLossBehind(gpu);
        if (loss) throw loss;
        results.push(...part);
        this.partial = { results: [...results], wallMs: performance.now() - t0 };
        i++;
      } catch (err) {
        const off = switchOffAfter(err, guard);
        const cases =
          i === 1
            ? msg(str`The ${results.length} cases of the 1 finished kernel are kept.`)
            : msg(str`The ${results.length} cases of the ${i} finished kernels are kept.`);
        const kept = `${cases}${off ? ` ${off}` : ''}`;
        gpu = await this.recovery.recover(gpu, err, msg(str`after ${i} of ${checks.length} kernels (in ${checks[i].kernel})`), kept, signal);
      }
    }
    signal.throwIfAborted();
    return { results, wallMs: performance.now() - t0 };
  }

  /** Starts a run (what the Run button does). */
  run(): Promise<void> {
    return this.runTask.run();
  }

  override render() {
    const pending = this.runTask.status === TaskStatus.PENDING;
    const state = pending ? 'running' : this.runTask.status === TaskStatus.ERROR ? 'error' : this.completed ? 'done' : 'idle';
    return html`
      <section aria-labelledby="kc-title" data-testid="kernel-check" data-run-state=${state}>
        <h2 id="kc-title">${msg('Kernel check')}</h2>
        <p>
          ${msg(html`Every GPU kernel this playground uses is run on a few awkward shapes (sizes that are not multiples of the workgroup size, single rows, long thin matrices) in <em>your</em> browser, on <em>your</em> GPU, and each result is compared with a float64 reference computed on the CPU. A case passes when its maximum relative error stays within the kernel's tolerance.`)}
        </p>
        <dl class="kernels" aria-label=${msg('Kernels checked')}>
          ${this.checks.map((c) => html`<dt translate="no">${c.kernel}</dt><dd>${c.description}</dd>`)}
        </dl>
        <p>
          ${msg('GPU times come from timestamp queries. They are quantized (to 100 µs by default in Chrome) and implementation-defined, and on a software adapter such as SwiftShader they are really CPU times: compare kernels with each other, not across machines.')}
        </p>

        <gp-override-badge .gpu=${this.gpu}></gp-override-badge><!-- custom kernels in use -->
        <div class="controls">
          <button class="primary" data-testid="run" @click=${() => void this.run()} ?disabled=${!this.gpu || pending}>
            ${pending ? msg('Running…') : this.completed ? msg('Run again') : msg('Run kernel check')}
          </button>
          <div class="progress" role="status" aria-live="polite" data-testid="progress">
            ${
              pending
                ? this.renderProgress()
                : !this.gpu
                  ? this.cpuFallback
                    ? msg('Needs WebGPU: this browser has none, so there is no GPU kernel to check.')
                    : msg('Waiting for the GPU…')
                  : this.completed
                    ? html`<span class="visually-hidden">${msg(str`Finished: ${summaryText(summarizeKernelCheck(this.completed.results))}`)}</span>`
                    : nothing
            }
          </div>
        </div>

        ${
          this.runTask.status === TaskStatus.ERROR
            ? html`<p class="run-error" role="alert" data-testid="run-error">
              ${prose(msg(str`The run stopped: ${(this.runTask.error as Error)?.message ?? String(this.runTask.error)}`))}
            </p>`
            : nothing
        }
        ${this.recovery.render()} ${this.renderShownResults(pending)}

        <p class="next">
          ${msg(html`<strong>What to try next:</strong> with the kernels known to be correct here, open the <a href="#/depth-lab">Depth lab</a> to watch gradients vanish or explode as a network gets deeper.`)}
        </p>
      </section>
    `;
  }

  private renderProgress() {
    const p = this.progress;
    if (!p) return msg('Starting…');
    return html`<progress max=${p.total} value=${p.index} aria-hidden="true"></progress>
      <span>${msg(html`Running <code>${p.kernel}</code> (${p.index + 1} of ${p.total}) · ${p.casesDone} cases done`)}</span>`;
  }

  /**
   * The results on screen: the last complete run (dimmed while a new run is on); the finished kernels of the
   * run in progress when there is no complete run yet, and of a run that stopped (error, device lost).
   */
  private renderShownResults(pending: boolean) {
    const partial = this.partial;
    const stopped = !pending && this.runTask.status === TaskStatus.ERROR;
    if (partial && partial.results.length > 0 && ((pending && !this.completed) || stopped)) {
      const kernels = new Set(partial.results.map((r) => r.kernel)).size;
      return this.renderResults(
        partial,
        false,
        pending
          ? msg(str`This run so far: ${kernels} of ${this.checks.length} kernels finished.`)
          : msg(str`This run stopped after ${kernels} of ${this.checks.length} kernels; the cases of the finished ones are shown.`),
      );
    }
    return this.completed ? this.renderResults(this.completed, pending) : nothing;
  }

  private renderResults({ results, wallMs }: CompletedRun, stale: boolean, partialNote?: string) {
    const summary = summarizeKernelCheck(results);
    const withErrors = results.some((r) => r.error);
    return html`
      <div class=${stale ? 'stale' : ''} aria-busy=${stale ? 'true' : 'false'}>
        <p class="summary" data-testid="kernel-check-summary" data-status=${summary.status} data-total=${summary.total} data-failed=${summary.failed}>
          ${summary.status === 'pass' ? '✓' : '✗'} ${prose(summaryText(summary))}
        </p>
        <p class="meta" data-testid="results-meta">
          ${
            partialNote !== undefined
              ? partialNote
              : html`${stale ? msg('Previous run, shown until this one finishes.') : ''}
              ${msg(str`Finished in ${formatFixed(wallMs / 1000, 1)} s (wall clock, including compilation and CPU references).`)}`
          }
        </p>
        ${tableFrame(
          html`<table data-testid="results">
            <caption>
              ${msg(str`Results: ${summary.total} cases`)}
            </caption>
            <thead>
              <tr>
                <th scope="col">${msg('Kernel')}</th>
                <th scope="col">${msg('Shape')}</th>
                <th scope="col">${msg('Result')}</th>
                <th scope="col">${msg('Max rel. error vs tolerance')}</th>
                <th scope="col">${msg('GPU time')}</th>
                ${withErrors ? html`<th scope="col">${msg('Error')}</th>` : nothing}
              </tr>
            </thead>
            <tbody>
              ${results.map((r) => this.renderRow(r, withErrors))}
            </tbody>
          </table>`,
          msg(str`Results: ${summary.total} cases`),
        )}
      </div>
    `;
  }

  private renderRow(r: CheckResult, withErrors: boolean) {
    const threw = r.error !== undefined;
    // Not "≤ / >": a pass allows |gpu − ref| ≤ atol + rtol·|ref|, so the relative error alone may exceed rtol.
    const tol = Number.isFinite(r.rtol) ? formatScientific(r.rtol, 2) : '—';
    return html`<tr class=${r.ok ? 'pass' : 'fail'} data-kernel=${r.kernel} data-ok=${String(r.ok)}>
      <th scope="row" translate="no">${r.kernel}</th>
      ${r.words ? html`<td>${shapeText(r.words)}</td>` : html`<td translate="no">${r.shape}</td>`}
      <td class="verdict ${r.ok ? 'pass' : 'fail'}"><span aria-hidden="true">${r.ok ? '✓' : '✗'}</span> ${r.ok ? msg('Pass') : msg('Fail')}</td>
      <td class="num">${threw ? '—' : formatRelError(r.maxRelError)} <span class="tol">/ ${msg('tol')} ${tol}</span></td>
      <td class="num">${gpuMsText(r.gpuMs)}</td>
      ${withErrors ? html`<td class="err" lang="en">${r.error ?? ''}</td>` : nothing}
    </tr>`;
  }
}

/** A case's GPU time in the language shown (kernel-check.ts's `formatGpuMs` is the CLI's English one). */
function gpuMsText(ms: number | null): string {
  if (ms === null) return msg('n/a: this device has no timestamp queries');
  if (!Number.isFinite(ms)) return msg('n/a');
  return `${formatFixed(ms, ms >= 100 ? 0 : ms >= 10 ? 1 : 2)} ms`;
}

/** The run's one-line summary in the language shown (kernel-check.ts's `text` is the English one, for logs). */
function summaryText(s: KernelCheckSummary): string {
  if (s.total === 0) return msg('No cases ran');
  if (s.failed === 0) return s.total === 1 ? msg('The 1 case passes') : msg(str`All ${s.total} cases pass`);
  return s.total === 1 ? msg('The 1 case fails') : msg(str`${s.failed} of ${s.total} cases fail`);
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-kernel-check': GpKernelCheck;
  }
}
