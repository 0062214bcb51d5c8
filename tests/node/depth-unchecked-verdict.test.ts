import { describe, expect, it } from 'vitest';
import { analyzeQuantity, shownVerdict } from '../../src/labs/depth/row-analysis';
import { refSweep } from '../helpers/ref-sweep';

// Learner walk (W = 1.5·I, row depth 240, ‖∂J/∂W‖ and ‖∂J/∂a‖): every layer is lost to the forward pass's
// overflow, so no layer is compared, and the row showed a red "disagree" — read as "the GPU or the formula is
// wrong". A comparison of no layers is shown as "not checked"; one with layers keeps its verdict.

const LECTURE = { width: 2, batch: 1, activation: 'linear', init: 'identity', gain: 1.5, input: 'ones', seed: 1 } as const;

describe('shownVerdict: a verdict over no layers reads "not checked"', () => {
  it('W = 1.5·I, depth 240: the gradients are lost at every layer, so nothing is compared', () => {
    const { results } = refSweep({ ...LECTURE, depth: 240 }, { kind: 'depth', depths: [240] });
    const r = results[0];
    for (const q of ['gradWNorm', 'gradActNorm'] as const) {
      const qa = analyzeQuantity(r.config, r.run, q);
      expect(qa.lostLayers, q).toBe(240);
      expect(qa.verdict!.compared, q).toBe(0);
      expect(qa.verdict!.verdict, q).toBe('disagree'); // the data model's verdict (exports) is unchanged
      expect(shownVerdict(qa.verdict!), q).toBe('unchecked');
    }
    // ‖a‖ of the same row is compared up to its overflow and keeps its verdict.
    const act = analyzeQuantity(r.config, r.run, 'actNorm');
    expect(act.verdict!.compared).toBeGreaterThan(0);
    expect(shownVerdict(act.verdict!)).toBe(act.verdict!.verdict);
  });
});
