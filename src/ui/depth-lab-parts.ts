// Parts of the Depth lab's page (templates only; rendered into gp-depth-lab's shadow root, styled by
// depth-lab-styles.ts): the CPU-fallback note, the link's problems, the preset buttons with the preset's
// sentence and size, and where the numbers come from. Split from gp-depth-lab.ts (text unchanged).
import { html, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import type { AdapterSummary } from '../gpu/context';
import { describeSmallSize } from '../labs/depth/form';
import { describeSmallPhase, PHASE_PRESETS, phasePresetRun, type PhasePreset } from '../labs/depth/phase-map-view/form';
import { PRESETS, presetRun, type Preset, type PresetSize } from '../labs/depth/presets';
import { prose } from './prose-numbers';

/** The lab's title (with the CPU-fallback badge), its introduction and, without WebGPU, the CPU note. */
export function renderIntro(onCpu: boolean) {
  return html`
  <h2 id="dl-title">
    ${msg('Depth lab')}
    ${
      onCpu
        ? html`<span class="badge" data-testid="cpu-badge" title=${msg('No WebGPU in this browser: sweeps run in float64 JavaScript on the CPU, with size caps')}
          >${msg('CPU fallback')}</span
        >`
        : nothing
    }
  </h2>
  <p class="lead" data-testid="lead">
    ${msg(`Each row of the heatmap is one deep network and each column one of its layers, coloured by how big the chosen
          quantity is there. With W = 1.5·I every layer multiplies the signal by 1.5, so it grows as 1.5^l until the GPU's
          numbers run out near layer 219; with W = 0.5·I it shrinks as 0.5^l and becomes exactly 0 near layer 150 (127 where the GPU flushes tiny numbers to zero). Pick a
          preset, press Run sweep, and compare with Xavier or He init, which keep the signal steady.`)}
  </p>
  ${onCpu ? renderCpuNote() : nothing}
  `;
}

export function renderCpuNote() {
  return html`<div class="cpu-note" role="note" data-testid="cpu-note">
    ${msg(html`<strong>CPU fallback:</strong> this browser has no WebGPU, so the sweeps run on the CPU with the float64 reference
      (the same forward and backward pass), at capped sizes.`)}
    <details>
      <summary>${msg('Details')}</summary>
      ${msg(`Values are classified with the same f32 thresholds (|v| > 1e38 is overflow, norms < 1e-37 underflow), but
        float64 itself does not overflow there, so the NaNs a GPU shows after f32 overflows do not appear. Caps: width ≤
        256, and the work per row and per sweep.`)}
    </details>
  </div>`;
}

/** "What to try next": the sweep's line (`nextStep`), or for the phase map (null) where to take it. */
export function renderNextStep(sweepLine: string | null) {
  const line = sweepLine ?? msg('Switch the ratio to backward, or the init to Xavier: with ReLU its line moves to gain √2 ≈ 1.41.');
  return html`<p class="next" data-testid="next-step"><strong>${msg('What to try next:')}</strong> ${prose(line)}</p>`;
}

/** The preset buttons: the lab's sweeps, then the phase maps; `pressed` is the id of the preset the settings equal. */
export function renderPresetButtons(pressed: string | undefined, pending: boolean, apply: (id: string) => void) {
  const all: readonly (Preset | PhasePreset)[] = [...PRESETS, ...PHASE_PRESETS];
  return html`<div class="presets" role="group" aria-label=${msg('Presets')}>
    ${all.map(
      (p) => html`<button
        type="button"
        data-preset=${p.id}
        aria-pressed=${pressed === p.id ? 'true' : 'false'}
        title=${p.explanation}
        ?disabled=${pending}
        @click=${() => apply(p.id)}
      >
        ${p.title}
      </button>`,
    )}
  </div>`;
}

/** The preset's sentence (or what the settings are a variation of). */
export function renderPresetExplanation(close: { preset: Preset | PhasePreset; exact: boolean; size?: PresetSize } | undefined) {
  const explanation = (p: Preset | PhasePreset, size: PresetSize) => ('sweep' in p ? presetRun(p, size).explanation : phasePresetRun(p, size).explanation);
  return html`<p class="preset-explanation" data-testid="preset-explanation">
    ${
      close
        ? html`<strong>${close.exact ? close.preset.title : msg(str`A variation of “${close.preset.title}” (other sizes, seed or sweep)`)}.</strong>
            ${prose(explanation(close.preset, close.size ?? 'full'))}`
        : msg('Custom settings (no preset matches them). Pick a preset to start from a known experiment.')
    }
  </p>`;
}

/** Which size of the preset is loaded, why, and a button to the other size. */
export function renderPresetSize(
  p: Preset | PhasePreset,
  size: PresetSize,
  here: { presetSize: PresetSize; onCpu: boolean; pending: boolean },
  apply: (id: string, size: PresetSize) => void,
) {
  const where = here.onCpu ? msg('the CPU fallback') : msg('this software adapter (it runs on your CPU)');
  if (size === 'small') {
    const what = 'sweep' in p ? describeSmallSize(p) : describeSmallPhase(p);
    return html`<p class="preset-size" data-testid="preset-size" data-size="small">
      ${prose(msg(str`Smaller version for ${here.presetSize === 'small' ? where : msg('a quick look')}, so it answers in seconds: ${what}.`))}
      ${msg('A GPU runs the full size.')}
      ${
        here.onCpu
          ? nothing
          : html`<button type="button" data-testid="preset-full" ?disabled=${here.pending} @click=${() => apply(p.id, 'full')}>${msg('Use the full size')}</button>`
      }
    </p>`;
  }
  if (here.presetSize === 'full') return nothing;
  return html`<p class="preset-size" data-testid="preset-size" data-size="full">
    ${msg(str`Full size: on ${where} this takes a minute or more.`)}
    <button type="button" data-testid="preset-small" ?disabled=${here.pending} @click=${() => apply(p.id, 'small')}>${msg('Use the quick size')}</button>
  </p>`;
}

/** Where the numbers come from: the CPU fallback, a software adapter (named) or a GPU. */
export function deviceKind(summary: AdapterSummary | undefined, onCpu: boolean): { kind: 'cpu' | 'software' | 'gpu'; name?: string } {
  if (onCpu) return { kind: 'cpu' };
  return summary &&
    (summary.isFallbackAdapter ||
      /swiftshader|llvmpipe|warp|software/i.test(`${summary.vendor} ${summary.architecture} ${summary.device} ${summary.description}`))
    ? { kind: 'software', name: summary.description || summary.device }
    : { kind: 'gpu' };
}
