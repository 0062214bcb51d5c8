import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { CONFIG_LIMITS, INIT_SCHEMES, INPUT_KINDS } from '../labs/depth/config';
import { formatCount, formatSignificant } from '../locale-format';
import { sweptField, type DraftField, type LabDraft } from '../labs/depth/form';
import { SWEEP_KINDS, type SweepKind } from '../labs/depth/sweep-grid';
import { INIT_LABELS } from '../labs/depth/init';
import { ACTIVATIONS } from '../kernels/activations';
import { activationName } from '../labs/activation-name';
import { MAX_PARAM_LENGTH } from '../labs/depth/url-state';
import { base, formControls } from './shared-styles';
import type { PhaseDraft, PhaseField } from '../labs/depth/phase-map-view/form';
import { PHASE_SWEEP_KIND } from '../labs/depth/phase-map-view/url-state';

/** Detail of `draft-change`: the whole new draft, and the phase map's fields and whether the map is chosen. */
export interface DraftChangeDetail {
  draft: LabDraft;
  phase?: PhaseDraft;
  phaseMode?: boolean;
}

/** Each sweep kind's name in the language shown (an unknown kind, e.g. one added later, as it is). */
function sweepLabel(k: SweepKind | typeof PHASE_SWEEP_KIND): string {
  const labels: Partial<Record<string, string>> = { depth: msg('depth'), gain: msg('gain'), init: msg('init scheme'), [PHASE_SWEEP_KIND]: msg('gain × depth') };
  return labels[k] ?? k;
}

type TextField = 'depth' | 'width' | 'batch' | 'gain' | 'seed';

// Longest text a number field takes (`0.000001`, `4294967295`, `1.4142135623730951e-3` all fit); a sweep's
// values take as much as a URL may carry (MAX_PARAM_LENGTH), so a pasted 100 kB string is cut, not parsed.
const MAX_NUMBER_LENGTH = 64;

/** Each number field's hint, in the language shown when read. */
const HINTS: Record<TextField, string> = {
  get depth() {
    return msg(str`layers, ${formatCount(CONFIG_LIMITS.depth.min)}–${formatCount(CONFIG_LIMITS.depth.max)}`);
  },
  get width() {
    return msg(str`units per layer, ${formatCount(CONFIG_LIMITS.width.min)}–${formatCount(CONFIG_LIMITS.width.max)}`);
  },
  get batch() {
    return msg(str`examples, ${formatCount(CONFIG_LIMITS.batch.min)}–${formatCount(CONFIG_LIMITS.batch.max)}`);
  },
  get gain() {
    return msg(str`multiplies every weight, ${formatSignificant(CONFIG_LIMITS.gain.min, 6)}–${formatSignificant(CONFIG_LIMITS.gain.max, 7)}`);
  },
  get seed() {
    return msg(str`weights and input, 0–${formatCount(CONFIG_LIMITS.seed.max)}`);
  },
};

/**
 * The Depth lab's settings form: every DeepNetConfig field and the sweep (kind and values). Stateless:
 * it shows `draft` and `problems` and fires `draft-change` with the whole new draft on every edit; the
 * field a sweep sets per row is replaced by a note.
 */
@customElement('gp-depth-controls')
@localized()
export class GpDepthControls extends LitElement {
  static override styles = [
    base,
    formControls,
    css`
      :host {
        display: block;
      }
      .field {
        display: grid;
        grid-template-columns: 5.5rem minmax(0, 1fr);
        align-items: baseline;
        gap: 0 0.5rem;
        margin: 0.4rem 0;
      }
      label,
      .label {
        font-weight: 500;
      }
      .hint,
      .problem,
      .swept {
        grid-column: 2;
        font-size: 0.8rem;
      }
      .hint,
      .swept {
        color: var(--gp-muted);
      }
      .kinds {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.9rem;
      }
      .kinds label,
      .inits label {
        font-weight: 400;
      }
      .inits {
        display: grid;
        gap: 0.1rem;
        margin: 0;
        padding: 0;
        border: 0;
      }
    `,
  ];

  /** The form's text. */
  @property({ attribute: false }) draft: LabDraft | null = null;

  /** One message per bad field. */
  @property({ attribute: false }) problems: Partial<Record<DraftField, string>> = {};

  /** Disables every control (e.g. while a sweep runs). */
  @property({ type: Boolean }) disabled = false;

  /** The gain × depth map's fields (kept while another sweep kind is chosen), and whether the map is chosen. */
  @property({ attribute: false }) phase: PhaseDraft | null = null;
  @property({ type: Boolean, attribute: 'phase-mode' }) phaseMode = false;
  /** One message per bad field of the map (gains, depths, and the lab's fields). */
  @property({ attribute: false }) phaseProblems: Partial<Record<PhaseField, string>> = {};

  private change(patch: Partial<LabDraft>, phase: Partial<PhaseDraft> = {}, phaseMode = this.phaseMode): void {
    if (!this.draft) return;
    const draft = { ...this.draft, ...patch };
    const detail: DraftChangeDetail = { draft, phaseMode, ...(this.phase ? { phase: { ...this.phase, ...phase } } : {}) };
    this.dispatchEvent(new CustomEvent<DraftChangeDetail>('draft-change', { detail, bubbles: true, composed: true }));
  }

  /** The field's problem: the map's while the map is chosen, else the sweep's. */
  private problemText(field: PhaseField): string | undefined {
    return this.phaseMode ? this.phaseProblems[field] : this.problems[field as DraftField];
  }

  /** A field set per row (by the sweep) or per cell (by the map) shows its label and a note that says so instead of a control; null otherwise. */
  private sweptNote(field: string, label: string) {
    const d = this.draft!;
    if (this.phaseMode ? field === 'depth' || field === 'gain' : sweptField(d.sweepKind) === field) {
      const note = this.phaseMode ? msg('set per cell by the gain × depth map') : msg(str`set per row by the ${sweepLabel(d.sweepKind)} sweep`);
      return html`<div class="field" data-field=${field}><span class="label">${label}</span><span class="swept">${note}</span></div>`;
    }
    return null;
  }

  private problem(field: PhaseField) {
    const p = this.problemText(field);
    return p ? html`<div class="problem" id="p-${field}" role="alert" data-testid="problem-${field}">${p}</div>` : nothing;
  }

  /** A labelled text input (id f-<key>) with its hint (h-<key>) and problem (p-<key>), which it points to by aria-describedby. */
  private textInput(key: PhaseField, label: string, value: string, hint: unknown, o: { maxlength: number; inputmode?: string; onInput: (v: string) => void }) {
    const bad = this.problemText(key) !== undefined;
    return html`<div class="field" data-field=${key}>
      <label for="f-${key}">${label}</label>
      <input
        id="f-${key}"
        name=${key}
        type="text"
        inputmode=${o.inputmode ?? nothing}
        maxlength=${o.maxlength}
        autocomplete="off"
        spellcheck="false"
        .value=${value}
        ?disabled=${this.disabled}
        aria-invalid=${bad ? 'true' : 'false'}
        aria-describedby=${bad ? `p-${key}` : `h-${key}`}
        @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
      />
      <div class="hint" id="h-${key}">${hint}</div>
      ${this.problem(key)}
    </div>`;
  }

  private textField(field: TextField, label: string) {
    return (
      this.sweptNote(field, label) ??
      this.textInput(field, label, this.draft![field], HINTS[field], {
        maxlength: MAX_NUMBER_LENGTH,
        inputmode: field === 'gain' ? 'decimal' : 'numeric',
        onInput: (v) => this.change({ [field]: v }),
      })
    );
  }

  private selectField(field: 'activation' | 'init' | 'input', label: string, options: readonly string[], labels?: Record<string, string>) {
    const d = this.draft!;
    const swept = this.sweptNote(field, label);
    if (swept) return swept;
    const bad = this.problemText(field) !== undefined;
    return html`<div class="field" data-field=${field}>
      <label for="f-${field}">${label}</label>
      <select
        id="f-${field}"
        name=${field}
        ?disabled=${this.disabled}
        aria-invalid=${bad ? 'true' : 'false'}
        @change=${(e: Event) => this.change({ [field]: (e.target as HTMLSelectElement).value })}
      >
        ${options.map((o) => (labels?.[o] !== undefined ? html`<option value=${o} ?selected=${o === d[field]}>${labels[o]}</option>` : html`<option value=${o} ?selected=${o === d[field]} translate="no">${o}</option>`))}
      </select>
      ${this.problem(field)}
    </div>`;
  }

  private phaseText(key: 'gains' | 'depths', label: string, hint: string) {
    return this.textInput(key, label, this.phase![key], hint, {
      maxlength: MAX_PARAM_LENGTH,
      onInput: (v) => this.change({}, { [key]: v }),
    });
  }

  private renderPhaseValues() {
    const ratio = this.phase!.ratio;
    return html`${this.phaseText('gains', msg('Gains'), msg('e.g. 0.5..2:0.0625 (25 gains) or 0.8, 1, 1.2; up to 64'))}
      ${this.phaseText('depths', msg('Depths'), msg('e.g. 1..100 or 10..100:10; up to 256'))}
      <div class="field" data-field="ratio">
        <label for="f-ratio">${msg('Ratio')}</label>
        <select id="f-ratio" name="ratio" ?disabled=${this.disabled} @change=${(e: Event) => this.change({}, { ratio: (e.target as HTMLSelectElement).value as PhaseDraft['ratio'] })}>
          <option value="forward" ?selected=${ratio === 'forward'}>${msg('forward: ‖a[L]‖ / ‖a[0]‖')}</option>
          <option value="backward" ?selected=${ratio === 'backward'}>${msg('backward: ‖∂J/∂a[1]‖ / ‖∂J/∂a[L]‖')}</option>
        </select>
      </div>`;
  }

  private renderSweepValues() {
    const d = this.draft!;
    if (this.phaseMode && this.phase) return this.renderPhaseValues();
    if (d.sweepKind === 'init') {
      const bad = this.problems.values !== undefined;
      return html`<div class="field" data-field="values">
        <span class="label" id="l-inits">${msg('Schemes')}</span>
        <fieldset class="inits" aria-labelledby="l-inits" aria-invalid=${bad ? 'true' : 'false'}>
          ${INIT_SCHEMES.map(
            (s) => html`<label>
              <input
                type="checkbox"
                name="inits"
                value=${s}
                .checked=${d.inits.includes(s)}
                ?disabled=${this.disabled}
                @change=${(e: Event) => {
                  const on = (e.target as HTMLInputElement).checked;
                  // Keep the menu's order, so rows read in a fixed order.
                  this.change({ inits: INIT_SCHEMES.filter((x) => (x === s ? on : d.inits.includes(x))) });
                }}
              />
              ${INIT_LABELS[s]}
            </label>`,
          )}
        </fieldset>
        ${this.problem('values')}
      </div>`;
    }
    const key = d.sweepKind === 'depth' ? 'depthValues' : 'gainValues';
    const hint =
      d.sweepKind === 'depth'
        ? msg('e.g. 1..128, or 1, 2, 4..64:4, or 1..512*2 (doubling); up to 256 rows')
        : msg('e.g. 0.5, 1, 1.5 or 0.25..2:0.25 or 0.125..8*2');
    return this.textInput('values', d.sweepKind === 'depth' ? msg('Depths') : msg('Gains'), d[key], hint, {
      maxlength: MAX_PARAM_LENGTH,
      onInput: (v) => this.change({ [key]: v }),
    });
  }

  override render() {
    if (!this.draft) return nothing;
    const d = this.draft;
    return html`
      <form @submit=${(e: Event) => e.preventDefault()} aria-label=${msg('Experiment settings')}>
        <fieldset>
          <legend>${msg('Sweep: one row per value')}</legend>
          <div class="field">
            <span class="label" id="l-kind">${msg('Vary')}</span>
            <div class="kinds" role="radiogroup" aria-labelledby="l-kind">
              ${SWEEP_KINDS.map(
                (k) => html`<label>
                  <input
                    type="radio"
                    name="sweepKind"
                    value=${k}
                    .checked=${!this.phaseMode && d.sweepKind === k}
                    ?disabled=${this.disabled}
                    @change=${() => this.change({ sweepKind: k }, {}, false)}
                  />
                  ${sweepLabel(k)}
                </label>`,
              )}
              ${
                this.phase
                  ? html`<label>
                      <input
                        type="radio"
                        name="sweepKind"
                        value=${PHASE_SWEEP_KIND}
                        .checked=${this.phaseMode}
                        ?disabled=${this.disabled}
                        @change=${() => this.change({}, {}, true)}
                      />
                      ${sweepLabel(PHASE_SWEEP_KIND)}
                    </label>`
                  : nothing
              }
            </div>
          </div>
          ${this.renderSweepValues()}
        </fieldset>
        <fieldset>
          <legend>${msg('Network')}</legend>
          ${this.textField('depth', msg('Depth L'))} ${this.textField('width', msg('Width n'))} ${this.textField('batch', msg('Batch m'))}
          ${this.selectField('activation', msg('Activation'), ACTIVATIONS, Object.fromEntries(ACTIVATIONS.map((a) => [a, activationName(a)])))} ${this.selectField('init', msg('Init'), INIT_SCHEMES, INIT_LABELS)}
          ${this.textField('gain', msg('Gain'))} ${this.selectField('input', msg('Input'), INPUT_KINDS, { ones: msg('all ones'), normal: 'N(0, 1)' })}
          ${this.textField('seed', msg('Seed'))}
        </fieldset>
      </form>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-depth-controls': GpDepthControls;
  }
  interface HTMLElementEventMap {
    'draft-change': CustomEvent<DraftChangeDetail>;
  }
}
