import { describe, expect, it } from 'vitest';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { canPin, heatmapDomain, LESSON_DOMAIN, pinnedRowFor, pinRun, runLabel, type PinnableRun } from '../../src/labs/depth/compare';
import { displayDomain, makeLabHeatmapData, quantityForView } from '../../src/labs/depth/form';
import { PRESETS } from '../../src/labs/depth/presets';
import type { SweepResult } from '../../src/labs/depth/sweep';
import { makeSweepGrid } from '../../src/labs/depth/sweep-grid';
import { informativeRow } from '../../src/labs/depth/row-analysis';

// A finished run of a preset's small size, computed by the float64 reference (no GPU).
function presetRunOf(id: string, everyNth = 1): PinnableRun {
  const p = PRESETS.find((x) => x.id === id)!;
  const rows = makeSweepGrid(p.small.config, p.small.sweep).filter((_, i) => i % everyNth === 0);
  const results = rows.map((r, index) => ({ ...r, index, run: { ...deepNetRef(r.config), wallMs: 1, timings: [] } })) as unknown as SweepResult[];
  return {
    sweep: { base: p.small.config, spec: p.small.sweep },
    query: `preset=${id}`,
    results,
    cols: Math.max(...rows.map((r) => r.config.depth)),
    outcome: 'complete',
  };
}

describe('depth-compare: pin and colour scale', () => {
  const grow = presetRunOf('lecture-1.5I', 4);
  const he = presetRunOf('he-relu', 8);
  const act = quantityForView('act');

  it('the lesson scale is the same fixed range for every run; auto follows the run', () => {
    const dGrow = makeLabHeatmapData(grow.results, act, 'depth', grow.cols);
    const dHe = makeLabHeatmapData(he.results, act, 'depth', he.cols);
    expect(heatmapDomain('lesson', dGrow)).toEqual(LESSON_DOMAIN);
    expect(heatmapDomain('lesson', dHe)).toEqual(LESSON_DOMAIN);
    const autoGrow = heatmapDomain('auto', dGrow)!;
    const autoHe = heatmapDomain('auto', dHe)!;
    expect(autoGrow).toEqual(displayDomain(dGrow.values, dGrow.status as Uint8Array));
    // He + ReLU spans a few decades, W = 1.5·I dozens: auto gives them different ranges.
    expect(autoGrow.max - autoGrow.min).toBeGreaterThan(20);
    expect(autoHe.max - autoHe.min).toBeLessThan(10);
    // With a pinned run, auto widens to cover both, so the two heatmaps share one scale.
    const both = heatmapDomain('auto', dHe, dGrow)!;
    expect(both.min).toBeLessThanOrEqual(Math.min(autoGrow.min, autoHe.min));
    expect(both.max).toBeGreaterThanOrEqual(Math.max(autoGrow.max, autoHe.max));
    expect(heatmapDomain('auto', null, null)).toBeNull();
  });

  it('pins only a finished run with rows, as a snapshot labelled with its settings', () => {
    expect(canPin(null)).toBe(false);
    expect(canPin({ ...he, outcome: 'running' })).toBe(false);
    expect(canPin({ ...he, results: [] })).toBe(false);
    expect(canPin({ ...he, outcome: 'cancelled' })).toBe(true);
    expect(() => pinRun({ ...he, outcome: 'running' })).toThrow(/finished/);
    const results = [...he.results];
    const pinned = pinRun({ ...he, results });
    results.pop();
    expect(pinned.results.length).toBe(he.results.length);
    expect(pinned.label).toBe(runLabel(he.sweep.base, he.sweep.spec));
    expect(pinned.label).toMatch(/^He \+ ReLU \(small\): ReLU, He normal × 1, n = 64, m = 16, depth /);
    expect(runLabel({ ...he.sweep.base, seed: 999 }, he.sweep.spec)).toMatch(/^ReLU, He normal × 1, n = 64/); // not a preset
  });

  it('the pinned row next to a selected row: same label if there is one, else the same index (clamped)', () => {
    const pinned = pinRun(grow);
    const sel = grow.results[2];
    expect(pinnedRowFor(pinned, sel, 2)).toBe(pinned.results[2]);
    const other = pinRun(he);
    const byLabel = other.results.find((r) => r.label === he.results[1].label)!;
    expect(pinnedRowFor(other, he.results[1], 0)).toBe(byLabel);
    expect(pinnedRowFor(pinned, { ...sel, label: 'nowhere' }, 999)).toBe(pinned.results[pinned.results.length - 1]);
  });
});

describe('informativeRow: the selected row opens on a row with a line to draw', () => {
  for (const p of PRESETS) {
    it(`${p.id}: under ‖a‖, ‖∂J/∂a‖ and ‖∂J/∂W‖ the default row is finite on at least half its layers`, () => {
      const run = presetRunOf(p.id, p.id.startsWith('lecture') ? 2 : 4);
      for (const q of ['actNorm', 'gradActNorm', 'gradWNorm'] as const) {
        const i = informativeRow(run.results, q);
        const status = run.results[i].run.status[q];
        expect(status.filter((s) => s === 'finite').length * 2, `${q}: row ${i}`).toBeGreaterThanOrEqual(status.length);
        // …and it is the deepest such row: every later row is mostly not finite.
        for (const later of run.results.slice(i + 1)) {
          const st = later.run.status[q];
          expect(st.filter((s) => s === 'finite').length * 2).toBeLessThan(st.length);
        }
      }
    });
  }

  // Review item: the Depth lab opened its selected row on the shown quantity's informative row, so switching
  // the tab (‖a‖ → ‖∂J/∂W‖) moved the selection from depth 240 to depth 100 on the W = 1.5·I preset. Given
  // every tab's quantity, one row is chosen, with a line to draw under each.
  const TABS = ['gradWNorm', 'gradActNorm', 'actNorm', 'zVar'] as const;
  for (const p of PRESETS) {
    it(`${p.id}: one default row for every quantity tab, finite on at least half its layers under each`, () => {
      const run = presetRunOf(p.id, p.id.startsWith('lecture') ? 2 : 4);
      const i = informativeRow(run.results, TABS);
      for (const q of TABS) {
        const status = run.results[i].run.status[q];
        expect(status.filter((s) => s === 'finite').length * 2, `${q}: row ${i}`).toBeGreaterThanOrEqual(status.length);
      }
      // The deepest such row: every later row is mostly not finite under some quantity.
      for (const later of run.results.slice(i + 1)) {
        const st = later.run.status;
        expect(TABS.some((q) => st[q].filter((s) => s === 'finite').length * 2 < st[q].length)).toBe(true);
      }
    });
  }

  it('on W = 1.5·I the ‖a‖-only row and the ‖∂J/∂W‖-only row differ, and the all-tabs row is the same under both', () => {
    const run = presetRunOf('lecture-1.5I');
    expect(informativeRow(run.results, 'actNorm')).not.toBe(informativeRow(run.results, 'gradWNorm'));
    const all = informativeRow(run.results, TABS);
    expect(run.results[all].config.depth).toBe(100); // gradients overflow from depth 110 (rows every 10)
    expect(informativeRow(run.results, [...TABS].reverse())).toBe(all);
  });

  it('falls back to the row with the most finite layers when none is mostly finite', () => {
    const mk = (st: string[]) => ({ run: { status: { actNorm: st } } }) as never;
    expect(informativeRow([mk(['overflow', 'finite', 'lost']), mk(['lost', 'lost', 'lost']), mk(['nan', 'lost', 'lost'])], 'actNorm')).toBe(0);
    expect(informativeRow([mk(['finite', 'finite']), mk(['finite', 'lost', 'lost', 'lost'])], 'actNorm')).toBe(0);
    // Several quantities: a row counts by its fewest finite layers.
    const mk2 = (a: string[], g: string[]) => ({ run: { status: { actNorm: a, gradWNorm: g } } }) as never;
    const rows = [mk2(['finite', 'overflow', 'lost'], ['finite', 'finite', 'lost']), mk2(['finite', 'finite', 'finite'], ['lost', 'lost', 'lost'])];
    expect(informativeRow(rows, 'actNorm')).toBe(1);
    expect(informativeRow(rows, ['actNorm', 'gradWNorm'])).toBe(0);
  });
});
