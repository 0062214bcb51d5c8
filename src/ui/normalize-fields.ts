import { html, nothing } from 'lit';
import { cpuCapProblem, parseLabNumber, type LabDraft, type LabField, type ParsedLabDraft } from '../labs/normalize/form';
import { prose } from './prose-numbers';

/** What the lab's form panels read and call (the lab element implements it). */
export interface NormalizeFieldsView {
  readonly draft: LabDraft;
  readonly parsed: ParsedLabDraft;
  /** A run is in progress (the fields are disabled). */
  readonly pending: boolean;
  /** No WebGPU context: the lab runs on the CPU, with a cap on m. */
  readonly cpuMode: boolean;
  readonly source: 'generated' | 'csv';
  setDraft(patch: Partial<LabDraft>): void;
}

type TextField = 'm' | 'noise' | 'testFraction' | 'testShift' | 'seed' | 'steps' | 'tol';

/** An input handler that writes one text field of the draft. */
export function onText(v: NormalizeFieldsView, field: Exclude<keyof LabDraft, 'ranges' | 'plots' | 'lrScale'>) {
  return (e: Event) =>
    v.setDraft({
      [field]: (e.target as HTMLInputElement).value,
    } as Partial<LabDraft>);
}

/** The problem message of `field` (or nothing), with the id the field's aria-describedby points to. */
export function problem(v: NormalizeFieldsView, field: LabField | 'split') {
  const p = v.parsed.problems[field];
  return p ? html`<span class="problem" id="p-${field}" data-problem=${field} role="alert">${prose(p)}</span>` : nothing;
}

/** On the CPU fallback, m above its cap: a problem of the m field (shown next to it), not only a disabled Run. */
function cpuCapFieldProblem(v: NormalizeFieldsView): string | null {
  if (!v.cpuMode || v.source !== 'generated' || v.parsed.problems.m !== undefined) return null;
  return cpuCapProblem(parseLabNumber(v.draft.m));
}

/** One labelled text field with its hint, or its problem when the value is bad. */
export function textField(v: NormalizeFieldsView, field: TextField, label: string, hint: string, disabled: boolean) {
  const cap = field === 'm' ? cpuCapFieldProblem(v) : null;
  if (cap) {
    return html`<div class="field">
      <label for="f-m">${label}</label>
      <input type="text" id="f-m" inputmode="decimal" .value=${v.draft.m} ?disabled=${disabled} aria-invalid="true" aria-describedby="p-m" @input=${onText(v, 'm')} />
      <span class="problem" id="p-m" data-problem="m" data-cause="cpu-cap" role="alert">${cap}</span>
    </div>`;
  }
  const bad = v.parsed.problems[field] !== undefined;
  return html`<div class="field">
    <label for="f-${field}">${label}</label>
    <input
      type="text"
      id="f-${field}"
      inputmode="decimal"
      .value=${v.draft[field]}
      ?disabled=${disabled}
      aria-invalid=${bad ? 'true' : 'false'}
      aria-describedby=${bad ? `p-${field}` : `h-${field}`}
      @input=${onText(v, field)}
    />
    ${bad ? problem(v, field) : html`<span class="hint" id="h-${field}">${hint}</span>`}
  </div>`;
}
