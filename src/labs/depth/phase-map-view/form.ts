import { msg, str } from '@lit/localize';
// The gain × depth phase map's part of the Depth lab's form: its fields as typed (gains, depths, ratio), their
// problems (the link parsers' InputErrors, without the field prefix), the state they describe with the lab's
// other fields, and its preset ("Phase map: He + ReLU") at a full and a small size. DOM-free.
import { InputError } from '../../../errors';
import { DEFAULT_CONFIG, validateDeepNetConfig, type DeepNetConfig } from '../config';
import { draftFromState, parseDraft, type DraftField, type LabDraft } from '../form';
import { PHASE_QUANTITIES, type PhaseMapSpec, type PhaseQuantity } from '../phase-map';
import { PRESETS, presetRun, type PresetSize } from '../presets';
import { formatPhaseList, parsePhaseDepths, parsePhaseGains, type PhaseMapState } from './url-state';

/** The map's fields as the user typed them (a bad value is kept, not lost). */
export interface PhaseDraft {
  gains: string;
  depths: string;
  ratio: PhaseQuantity;
}

/** Fields a problem can be attached to: the lab's config fields, and the map's gains and depths. */
export type PhaseField = DraftField | 'gains' | 'depths';

export interface ParsedPhaseDraft {
  /** The map the form describes, or null while any field is bad. */
  state: PhaseMapState | null;
  problems: Partial<Record<PhaseField, string>>;
}

/** The form's text of a map's grid and ratio. */
export function phaseDraftFromState(state: Pick<PhaseMapState, 'spec' | 'quantity'>): PhaseDraft {
  return { gains: formatPhaseList(state.spec.gains), depths: formatPhaseList(state.spec.depths), ratio: state.quantity };
}

/**
 * Parses the lab's draft with the map's fields: every problem at once. The depth and gain fields are set per
 * cell by the map (their text is ignored, as a sweep's own field is, and kept for the other sweeps); the base
 * config carries DEFAULT_CONFIG's depth and gain, as the CLI's does, so the page's link and exports equal the
 * CLI's for the same settings.
 */
export function parsePhaseDraft(draft: LabDraft, phase: PhaseDraft): ParsedPhaseDraft {
  // A gain sweep with a placeholder depth: the lab's own parser then checks every other field, with its messages.
  const base = parseDraft({ ...draft, sweepKind: 'gain', gainValues: '1', depth: '1' });
  const problems: Partial<Record<PhaseField, string>> = { ...base.problems };
  delete problems.values;
  delete problems.depth;
  const read = (field: 'gains' | 'depths', parse: (t: string) => number[], text: string): number[] | null => {
    try {
      return parse(text);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems[field] = err.detail;
      return null;
    }
  };
  const gains = read('gains', parsePhaseGains, phase.gains);
  const depths = read('depths', parsePhaseDepths, phase.depths);
  if (!base.state || !gains || !depths || Object.keys(problems).length > 0) return { state: null, problems };
  const config = validateDeepNetConfig({ ...base.state.config, depth: DEFAULT_CONFIG.depth, gain: DEFAULT_CONFIG.gain });
  const quantity = PHASE_QUANTITIES.includes(phase.ratio) ? phase.ratio : 'forward';
  return { state: { base: { config, sweep: { kind: 'gain', gains } }, spec: { gains, depths }, quantity }, problems };
}

/** A ready-made phase map: its net and grid at one size, and what to look for. */
export interface PhasePresetRun {
  config: DeepNetConfig;
  spec: PhaseMapSpec;
  explanation: string;
}

export interface PhasePreset extends PhasePresetRun {
  id: string;
  title: string;
  small: PhasePresetRun;
}

const GAINS = Array.from({ length: 25 }, (_, i) => 0.5 + i * 0.0625);
const depthsTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

const HE_RELU_FULL = validateDeepNetConfig({ depth: 100, width: 256, batch: 128, activation: 'relu', init: 'he-normal', gain: 1, input: 'normal', seed: 1 });
const HE_RELU_SMALL = validateDeepNetConfig({ ...HE_RELU_FULL, depth: 50, width: 64, batch: 16 });

const heReluExplanation = () =>
  msg(
    'Left of the dashed line at gain 1 every layer shrinks the signal, so the colour turns to shrinkage as the net gets deeper; right of it every layer grows it; the measured boundary marks (where the ratio is 1) sit on the line at every depth.',
  );

/** The phase map presets, in menu order (after the lab's sweep presets). */
export const PHASE_PRESETS: readonly PhasePreset[] = Object.freeze([
  {
    id: 'phase-he-relu',
    get title() {
      return msg('Phase map: He + ReLU');
    },
    config: HE_RELU_FULL,
    spec: { gains: GAINS, depths: depthsTo(100) },
    get explanation() {
      return heReluExplanation();
    },
    small: {
      config: HE_RELU_SMALL,
      spec: { gains: GAINS, depths: depthsTo(50) },
      get explanation() {
        return heReluExplanation();
      },
    },
  },
]);

/** The preset's map at `size`. */
export function phasePresetRun(p: PhasePreset, size: PresetSize): PhasePresetRun {
  return size === 'small' ? p.small : p;
}

/** The preset (and size) whose net and grid equal the state's, or undefined. */
export function matchPhasePreset(state: PhaseMapState | null): { preset: PhasePreset; size: PresetSize } | undefined {
  if (!state) return undefined;
  const c = state.base.config;
  for (const preset of PHASE_PRESETS) {
    for (const size of ['full', 'small'] as const) {
      const r = phasePresetRun(preset, size);
      const same = (Object.keys(r.config) as (keyof DeepNetConfig)[]).every((k) => k === 'gain' || k === 'depth' || r.config[k] === c[k]);
      if (same && JSON.stringify(r.spec) === JSON.stringify(state.spec)) return { preset, size };
    }
  }
  return undefined;
}

/** What the small size changes, in words. */
export function describeSmallPhase(p: PhasePreset): string {
  const s = p.small;
  return msg(
    str`width n ${s.config.width} (full: ${p.config.width}), batch m ${s.config.batch} (full: ${p.config.batch}), depths ${formatPhaseList(s.spec.depths)} (full: ${formatPhaseList(p.spec.depths)})`,
  );
}

/**
 * The form a preset button loads (a sweep preset or a phase map preset, at `size`): the lab's draft, and for a
 * map its fields (the ratio shown is kept); null for an unknown id.
 */
export function presetForm(id: string, size: PresetSize, ratio: PhaseQuantity): { draft: LabDraft; phase: PhaseDraft | null } | null {
  const p = PRESETS.find((x) => x.id === id);
  if (p) {
    const run = presetRun(p, size);
    return { draft: draftFromState({ config: { ...run.config }, sweep: structuredClone(run.sweep) }), phase: null };
  }
  const map = PHASE_PRESETS.find((x) => x.id === id);
  if (!map) return null;
  const run = phasePresetRun(map, size);
  return {
    draft: draftFromState({ config: { ...run.config }, sweep: { kind: 'gain', gains: [...run.spec.gains] } }),
    phase: phaseDraftFromState({ spec: run.spec, quantity: ratio }),
  };
}
