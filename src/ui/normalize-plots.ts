import { html } from 'lit';
import { msg, str } from '@lit/localize';
import type { NormalizeExplanations } from '../labs/normalize/explain';
import { MODE_COLORS, MODE_LABELS } from '../labs/normalize/form';
import type { NormalizeLabRun } from '../labs/normalize/session';
import type { NormalizeMode } from '../labs/normalize/types';
import type { ScatterModel } from '../viz/scatter-model';
import { formatMagnitude } from '../locale-format';
import type { GpContourPlot } from './gp-contour-plot';
import type { GpScatterPlot } from './gp-scatter-plot';
import { outcomeText, term } from './normalize-explain';
import './gp-contour-plot';
import './gp-scatter-plot';
import { prose } from './prose-numbers';

const fmt = (v: number) => formatMagnitude(v);

/** What the scatter panel reads and calls. */
export interface NormalizeScatterView {
  readonly explained: NormalizeExplanations | null;
  readonly afterMode: NormalizeMode;
  readonly scatterBefore: ScatterModel | null;
  readonly scatterAfter: ScatterModel | null;
  setAfterMode(mode: NormalizeMode): void;
}

/** The data before normalizing and after the chosen mode. */
export function renderScatterPanel(v: NormalizeScatterView, run: NormalizeLabRun) {
  return html`<div class="panel" data-testid="scatter-panel">
    <h3>${msg('The data before and after normalizing')}</h3>
    <p class="explain" data-testid="scatter-explain">${prose(v.explained?.scatter ?? '')}</p>
    <div class="toolbar" role="group" aria-label=${msg('After mode')}>
      <span class="muted">${msg('After:')}</span>
      ${run.runs
        .filter((r) => r.mode !== 'raw')
        .map(
          (r) =>
            html`<button type="button" data-after=${r.mode} aria-pressed=${v.afterMode === r.mode ? 'true' : 'false'} @click=${() => v.setAfterMode(r.mode)}>${MODE_LABELS[r.mode]}</button>`,
        )}
    </div>
    <div class="plots">
      <div class="plot">
        <h4>${msg('Before: raw inputs')}</h4>
        <gp-scatter-plot .model=${v.scatterBefore}></gp-scatter-plot>
      </div>
      <div class="plot">
        <h4>${msg(str`After: ${MODE_LABELS[v.afterMode]}`)}</h4>
        <gp-scatter-plot .model=${v.scatterAfter}></gp-scatter-plot>
      </div>
    </div>
  </div>`;
}

/** Each mode's cost surface with its descent path; `replay` replays the paths' animation. */
export function renderContoursPanel(run: NormalizeLabRun, explained: NormalizeExplanations | null, replay: () => void) {
  const [ax, ay] = run.runs[0].study.costGrid.axes;
  return html`<div class="panel" data-testid="contours-panel">
    <h3>${msg(str`Cost surfaces J(w${ax + 1}, w${ay + 1}) and the descent paths`)}</h3>
    <p class="explain" data-testid="contours-explain">
      ${msg(
        html`Each plot is one mode’s cost over two weights (b at its best for each w), centred on the minimum ${term('J*', 'jStar')} (✕), with equal scales on both axes so the shapes are true. Lines are levels of J spaced by powers of ten above J*; the path starts at □ (w = 0), has a dot per step and ends at ◆ (its last step); a path too short to see is ringed ○ and shown zoomed in an inset. The key under each plot names its markers.`,
      )}
      ${
        // The advice depends on how the rate is read: at one fraction of each mode's own limit no path leaves before the others.
        run.settings.lrScale === 'absolute'
          ? msg('Raise the learning rate until the raw path zig-zags and leaves the window; the standardized path still goes straight in.')
          : prose(
              msg(
                'Here every mode runs at the same fraction of its own limit 2/λmax, so the paths differ only by the shape of the surface. Switch to “one rate for all” and raise the rate: the raw path leaves the window while the standardized one still goes straight in.',
              ),
            )
      }
    </p>
    <div class="toolbar">
      <button type="button" data-testid="replay" @click=${replay}>${msg('Replay the paths')}</button>
    </div>
    <div class="plots">
      ${run.runs.map((r) => {
        const o = outcomeText(r.descent);
        const coords = r.mode === 'raw' ? msg('raw units') : r.mode === 'divide-variance' ? msg('σ² units') : msg('σ units');
        const desc = msg(
          str`Contour plot of the ${MODE_LABELS[r.mode]} cost surface: κ = ${fmt(r.study.kappa)}, descent ${o} at lr ${fmt(r.lr)}. The results table holds the numbers.`,
        );
        return html`<div class="plot" data-mode=${r.mode}>
          <h4><span class="swatch" style="background:${MODE_COLORS[r.mode]}"></span>${MODE_LABELS[r.mode]}</h4>
          <gp-contour-plot
            .grid=${r.study.costGrid}
            .path=${r.descent?.path ?? null}
            .d=${r.study.d}
            .optimum=${r.study.optimum.w}
            color=${MODE_COLORS[r.mode]}
            x-title=${msg(str`w${ax + 1} (for x${ax + 1} in ${coords})`)}
            y-title=${msg(str`w${ay + 1} (for x${ay + 1} in ${coords})`)}
            description=${desc}
          ></gp-contour-plot>
          <p data-testid="mode-caption">${prose(`κ = ${fmt(r.study.kappa)} · ${o} · lr ${fmt(r.lr)} (${fmt(r.lr / r.study.maxStableLr)} × 2/λmax)`)}</p>
          <p data-testid="mode-note">${prose(explained?.modeNotes[r.mode] ?? '')}</p>
        </div>`;
      })}
    </div>
  </div>`;
}

/** The contour plots (or the scatter plots) side by side on one canvas, two per row, with a title over each, as PNG. */
export async function plotsPng(plots: readonly (GpContourPlot | GpScatterPlot)[], titles: readonly string[]): Promise<Blob | null> {
  const canvases = plots.map((p) => p.exportCanvas(2));
  if (canvases.length === 0) return null;
  const cols = Math.min(canvases.length, 2);
  const rows = Math.ceil(canvases.length / cols);
  const cw = Math.max(...canvases.map((c) => c.width));
  const ch = Math.max(...canvases.map((c) => c.height));
  const titleH = 40;
  const out = document.createElement('canvas');
  out.width = cw * cols;
  out.height = (ch + titleH) * rows;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  canvases.forEach((c, i) => {
    const x = (i % cols) * cw;
    const y = Math.floor(i / cols) * (ch + titleH);
    ctx.fillStyle = '#1f1f1f';
    ctx.font = '600 24px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillText(titles[i] ?? '', x + 20, y + titleH / 2);
    ctx.drawImage(c, x, y + titleH);
  });
  return new Promise((resolve) => out.toBlob((b) => resolve(b), 'image/png'));
}
