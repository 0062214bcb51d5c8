import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { formatCount, formatMagnitude } from '../locale-format';
import {
  LAB_LIMITS,
  MODE_COLORS,
  MODE_LABELS,
  MODE_SHORT_LABELS,
  lrHintText,
  lrSliderRange,
  lrToSlider,
  rateText,
  sliderToLr,
  type LrScale,
  type PlotName,
} from '../labs/normalize/form';
import type { NormalizeLabRun } from '../labs/normalize/session';
import { onText, problem, textField, type NormalizeFieldsView } from './normalize-fields';
import { prose } from './prose-numbers';
import './gp-lr-marks';

/** What the Gradient descent panel reads and calls, besides the form fields. */
export interface NormalizeDescentView extends NormalizeFieldsView {
  /** The run on screen: its modes' stable limits are marked under the slider. */
  readonly shown: NormalizeLabRun | null;
  /** Where the learning rate came from after a switch of "how the rate is set", or null. */
  readonly lrNote: string | null;
  /** The rate the slider shows: the field's while valid, else the last valid one (sliderRate). */
  readonly sliderLr: number;
  setLrScale(scale: LrScale): void;
}

const nf = { format: formatCount };
const fmt = (v: number) => formatMagnitude(v);

interface Mark {
  label: string;
  value: number;
  color: string;
  title: string;
}

// One slider mark per distinct limit (standardize and test-own-stats train on the same features, so they share one).
function limitMarks(run: NormalizeLabRun | null): Mark[] {
  const marks: Mark[] = [];
  for (const r of run?.runs ?? []) {
    const v = r.study.maxStableLr;
    const same = marks.find((m) => Math.abs(m.value - v) <= 1e-6 * Math.abs(v));
    if (same) {
      same.label = `${same.label.replace(/ [^ ]+$/, '')}, ${MODE_SHORT_LABELS[r.mode]} ${fmt(v)}`;
      same.title += `; ${MODE_LABELS[r.mode]}`;
    } else {
      marks.push({
        label: `${MODE_SHORT_LABELS[r.mode]} ${fmt(v)}`,
        value: v,
        color: MODE_COLORS[r.mode],
        title: msg(str`2/λmax of ${MODE_LABELS[r.mode]}`),
      });
    }
  }
  return marks;
}

function togglePlot(v: NormalizeDescentView, name: PlotName, on: boolean): void {
  const plots = on ? [...new Set([...v.draft.plots, name])] : v.draft.plots.filter((p) => p !== name);
  v.setDraft({
    plots: (['scatter', 'contours'] as PlotName[]).filter((p) => plots.includes(p)),
  });
}

/** The Gradient descent fieldset: how the rate is set, the log slider with each mode's limit, steps, tolerance, plots shown. */
export function renderDescentPanel(v: NormalizeDescentView) {
  const pending = v.pending;
  const scale = v.draft.lrScale;
  const run = v.shown;
  // The slider spans the field's limits (relative), or a range around the limits of the run on screen (absolute).
  const { lo, hi } = lrSliderRange(
    scale,
    (run?.runs ?? []).map((r) => r.study.maxStableLr),
  );
  const lr = v.sliderLr;
  const bad = v.parsed.problems.lr !== undefined;
  const marks =
    scale === 'relative'
      ? [
          {
            label: msg('2/λmax of every mode'),
            value: 1,
            color: '#1f1f1f',
            title: msg('lr = 1 × each mode’s 2/λmax: above it, every mode diverges'),
          },
        ]
      : limitMarks(run);
  return html`<fieldset data-testid="descent-panel">
    <legend>${msg('Gradient descent')}</legend>
    <div class="radios" role="radiogroup" aria-label=${msg('How the learning rate is set')}>
      <label><input type="radio" name="lrscale" value="relative" .checked=${scale === 'relative'} ?disabled=${pending} @change=${() => v.setLrScale('relative')} /> ${msg('× each mode’s 2/λmax')}</label>
      <label><input type="radio" name="lrscale" value="absolute" .checked=${scale === 'absolute'} ?disabled=${pending} @change=${() => v.setLrScale('absolute')} /> ${msg('one rate for all')}</label>
    </div>
    <p class="hint">
      ${
        scale === 'relative'
          ? msg(
              'Each mode runs at this multiple of its own largest stable learning rate 2/λmax (above 1 it diverges): the step counts then compare only how round each surface is.',
            )
          : msg(
              'Every mode runs with this same learning rate, as you would train. Each mode’s stable limit 2/λmax is marked below the slider; above a mode’s mark its descent diverges.',
            )
      }
    </p>
    ${v.lrNote ? html`<p class="lr-note" role="status" data-testid="lr-note">${prose(v.lrNote)}</p>` : nothing}
    <label for="f-lr-slider" class="visually-hidden">${msg('learning rate (log scale)')}</label>
    <input
      type="range"
      class="lr-slider"
      id="f-lr-slider"
      data-testid="lr-slider"
      min="0"
      max="1000"
      step="1"
      .value=${String(lrToSlider(lr, lo, hi))}
      ?disabled=${pending}
      aria-valuetext=${msg(str`learning rate ${v.draft.lr}`) + (scale === 'relative' ? ' × 2/λmax' : '')}
      @input=${(e: Event) => v.setDraft({ lr: rateText(sliderToLr(Number((e.target as HTMLInputElement).value), lo, hi)) })}
    />
    <gp-lr-marks class="marks" aria-hidden="true" .marks=${marks.map((m) => ({ label: m.label, pos: lrToSlider(m.value, lo, hi) / 1000, color: m.color, title: m.title }))}></gp-lr-marks>
    <div class="field">
      <label for="f-lr">${scale === 'relative' ? 'lr × 2/λmax' : msg('learning rate')}</label>
      <input type="text" id="f-lr" data-testid="lr" .value=${v.draft.lr} ?disabled=${pending} aria-invalid=${bad ? 'true' : 'false'} @input=${onText(v, 'lr')} />
      ${bad ? problem(v, 'lr') : html`<span class="hint" data-testid="lr-hint">${prose(lrHintText(scale, lo, hi))}</span>`}
    </div>
    ${textField(v, 'steps', msg('max steps'), `${LAB_LIMITS.steps.min}–${nf.format(LAB_LIMITS.steps.max)}`, pending)} ${textField(v, 'tol', msg('tolerance'), msg('stop when J − J* ≤ tol · J* (relative)'), pending)}
    <div class="radios" role="group" aria-label=${msg('Plots shown')}>
      <label
        ><input type="checkbox" data-testid="show-scatter" .checked=${v.draft.plots.includes('scatter')} @change=${(e: Event) => togglePlot(v, 'scatter', (e.target as HTMLInputElement).checked)} />
        ${msg('scatter plots')}</label
      >
      <label
        ><input type="checkbox" data-testid="show-contours" .checked=${v.draft.plots.includes('contours')} @change=${(e: Event) => togglePlot(v, 'contours', (e.target as HTMLInputElement).checked)} />
        ${msg('contour plots')}</label
      >
    </div>
    <p class="hint">${msg('Changing the learning rate, steps or tolerance after a run reruns only the descents (the surfaces stay).')}</p>
  </fieldset>`;
}
