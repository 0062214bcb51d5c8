import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { DescentResult } from '../labs/normalize/types';
import { formatCount } from '../locale-format';
import { NORMALIZE_TERMS, type NormalizeExplanations } from '../labs/normalize/explain';
import type { NormalizeLabRun } from '../labs/normalize/session';
import type { LossRecord } from './gpu-recovery';
import { prose } from './prose-numbers';
import './gp-term';

/** A technical term with its one-line explanation on hover and focus; a number in it (2/λmax) stays on one line. */
export function term(label: string, key: keyof typeof NORMALIZE_TERMS) {
  return html`<gp-term tip=${NORMALIZE_TERMS[key]} data-term=${key}>${prose(label)}</gp-term>`;
}

/** The three sentences that introduce the lab. */
export function renderLead() {
  return html`<p class="lead" data-testid="lead">
    ${msg(
      'Gradient descent fits a line faster when every input is on the same scale. This lab uses the same data four ways (raw, standardized, divided by σ² by mistake, and with the test set normalized on its own) and draws each one’s cost surface with the descent path over it. Press Run and compare the four plots.',
    )}
  </p>`;
}

/** "What to try next", from the run on screen (or, before a run, from the loaded data's explanations). */
export function nextStep(run: NormalizeLabRun | null, loaded: NormalizeExplanations | null): string {
  if (!run) return loaded?.firstStep ?? msg('load or generate data, press Run and compare the four contour plots.');
  const raw = run.runs.find((r) => r.mode === 'raw');
  const std = run.runs.find((r) => r.mode === 'standardize');
  const own = run.runs.find((r) => r.mode === 'test-own-stats');
  const shift = run.dataset.source.kind === 'generated' ? run.dataset.source.options.testShift : 0;
  // One rate for all is too slow for standardized data or too fast for raw data only when their stable
  // limits lie far apart (on the lesson's data by 10⁵); otherwise the advice says only what holds on any data.
  const rawLimit = raw?.study.maxStableLr ?? NaN;
  const stdLimit = std?.study.maxStableLr ?? NaN;
  const apart = stdLimit / rawLimit >= 10;
  if (run.settings.lrScale === 'relative') {
    return apart
      ? msg(
          'every mode runs at the same fraction of its own stable limit 2/λmax, so the step counts compare only the shape of the surface (κ). Now switch to “one rate for all”: raw data only tolerates a rate below its mark on the slider, where the standardized path barely moves; at about half the standardized mark, standardized converges in a few steps while raw diverges at once.',
        )
      : msg(
          'every mode runs at the same fraction of its own stable limit 2/λmax, so the step counts compare only the shape of the surface (κ). Now switch to “one rate for all” and compare each mode’s mark on the slider (its 2/λmax).',
        );
  }
  if (raw?.descent && !raw.descent.diverged)
    return apart
      ? msg(
          'raise the learning rate past the raw mode’s mark on the slider: raw diverges while the standardized path still crawls. Keep raising it to about half the standardized mark, where standardized converges in a few steps: no single rate serves raw data, which is why you normalize.',
        )
      : msg('raise the learning rate past the raw mode’s limit (its mark on the slider) and watch the raw path diverge.');
  if (shift === 0 && own?.descent && std?.descent)
    return msg(
      'set the test shift to 0.5 and Run: compare the test cost of “standardize” and “test with its own μ, σ”; then look at the “divide by” columns of the “μ and σ used” table, where the lecture’s formula divides by σ² instead of σ.',
    );
  return msg(
    'compare the test costs: normalizing the shifted test set with its own μ and σ moves it back onto the training data and hides the shift, so the model predicts the wrong targets. Note also the σ² divisors of the lecture’s formula.',
  );
}

/** The control "What to try next" asks the learner to change, as a selector in the lab's shadow root. */
export type NextStepControl = 'input[name=lrscale][value=absolute]' | '#f-lr' | '#f-testShift';

/**
 * The control the advice of nextStep (same run, same branches) asks for, or null when it asks for none: on a
 * phone the settings come after all the results, thousands of pixels below the advice (walk s11 N3).
 */
export function nextStepControl(run: NormalizeLabRun | null): NextStepControl | null {
  if (!run) return null;
  if (run.settings.lrScale === 'relative') return 'input[name=lrscale][value=absolute]';
  const raw = run.runs.find((r) => r.mode === 'raw');
  if (raw?.descent && !raw.descent.diverged) return '#f-lr';
  const shift = run.dataset.source.kind === 'generated' ? run.dataset.source.options.testShift : 0;
  const std = run.runs.find((r) => r.mode === 'standardize');
  const own = run.runs.find((r) => r.mode === 'test-own-stats');
  if (shift === 0 && own?.descent && std?.descent) return '#f-testShift';
  return null;
}

/** Scrolls `selector` (in `root`) into view and focuses it: the "What to try next" link. */
export function goToControl(root: ParentNode, selector: string): void {
  const el = root.querySelector<HTMLElement>(selector);
  if (!el) return;
  const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
  el.focus({ preventScroll: true });
}

/**
 * The device-loss notice: reconnecting now, and each loss of the last run with what the lab did (from the
 * shared GpuRecoveryController), plus the custom kernels the loss switched off.
 */
export function renderDeviceNotice(reconnecting: string | null, losses: readonly LossRecord[], switchedOff: string | null) {
  if (losses.length === 0 && !reconnecting) return nothing;
  return html`<div class="notice" role="status" data-testid="recovery-notice">
    ${reconnecting ? html`<p data-testid="reconnecting"><strong>${reconnecting}</strong></p>` : nothing}
    ${
      losses.length
        ? html`${msg(html`<strong>The GPU device was lost during this run</strong>; the finished studies, your settings and the loaded data were kept:`)}
            <ul>
              ${losses.map(
                (r) =>
                  html`<li data-result=${r.result}>${r.at}: ${r.result === 'resumed' ? msg('reconnected to a new device and continued') : msg('gave up (see the message below)')}. ${r.message}</li>`,
              )}
            </ul>
            ${switchedOff ? html`<strong data-testid="override-switched-off">${switchedOff}</strong>` : nothing}`
        : nothing
    }
  </div>`;
}

/** How a descent ended, for display (the export keeps its English `outcomeText`). */
export function outcomeText(d: DescentResult | null): string {
  if (!d) return '—';
  if (d.diverged) return msg(str`diverged at step ${formatCount(d.steps)}`);
  if (d.converged) return d.steps === 1 ? msg('1 step') : msg(str`${formatCount(d.steps)} steps`);
  return msg(str`not converged in ${formatCount(d.steps)} steps`);
}
