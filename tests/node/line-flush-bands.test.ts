// Walk s10 N2: on Xavier + ReLU at depth 124, ∂J/∂a, the verdict says "0 at layers 1–4 … too small at layers
// 5–12" (flushing), while the chart drew ▽ underflow markers at layers 1–7 and ordinary points at 8–12: three
// groupings for one effect. The chart now shades the verdict's flushed layers as bands (flushBands), one per run of
// its 0 layers and one per run of its too-small layers, so it groups them as the text does.
import { describe, expect, it } from 'vitest';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { findPreset } from '../../src/labs/depth/presets';
import { analyzeQuantity } from '../../src/labs/depth/row-analysis';
import { chartStatus } from '../../src/labs/depth/zero-gaps';
import { CellStatus, toStatusCodes } from '../../src/viz/heatmap-model';
import { flushBands, layerBands, statusBands } from '../../src/viz/line-bands';
import { runF32 } from '../helpers/deep-net-f32';

describe('bands of flushed layers', () => {
  it('runs of consecutive layers, in any order and with repeats, skipping what an exactly-0 band covers', () => {
    expect(layerBands([7, 5, 6, 6, 9, 12, 11])).toEqual([
      { from: 5, to: 7, count: 3 },
      { from: 9, to: 9, count: 1 },
      { from: 11, to: 12, count: 2 },
    ]);
    expect(layerBands([1, 2, 3, 4, 5], (x) => x <= 2)).toEqual([{ from: 3, to: 5, count: 3 }]);
    expect(layerBands([])).toEqual([]);
  });

  it('the 0 layers and the too-small layers are separate bands, in x order', () => {
    expect(flushBands({ zero: [1, 2, 3, 4], partial: [5, 6, 7, 8, 9, 10, 11, 12] })).toEqual([
      { from: 1, to: 4, count: 4, kind: 'zero' },
      { from: 5, to: 12, count: 8, kind: 'partial' },
    ]);
    expect(flushBands({ zero: [], partial: [] })).toEqual([]);
  });

  const xavier = findPreset('xavier-relu')!;
  const c = validateDeepNetConfig({ ...xavier.small.config, depth: 124 });

  it('Xavier + ReLU, depth 124, ∂J/∂a on a flushing GPU: bands 1–4 (0) and 5–12 (too small), as the verdict says', () => {
    const run = runF32(c, { flush: true });
    const v = analyzeQuantity(c, run, 'gradActNorm').verdict!;
    // The chart's own exactly-0 bands (the row's solid series alone): the flushed 0s are underflow, not finite 0s.
    const values = run.layers.gradActNorm;
    const status = toStatusCodes(chartStatus(values, run.status.gradActNorm as string[]), values.length);
    const x = Array.from(values, (_, i) => i + 1);
    const zero = statusBands([{ x, status: Array.from(status) as CellStatus[] }], CellStatus.Zero);
    const inZero = (l: number) => zero.some((b) => b.from <= l && l <= b.to);
    expect(flushBands({ zero: v.flushedLayers ?? [], partial: v.partialLayers ?? [] }, inZero)).toEqual([
      { from: 1, to: 4, count: 4, kind: 'zero' },
      { from: 5, to: 12, count: 8, kind: 'partial' },
    ]);
  });

  it('the same row on a GPU that keeps subnormals: no band', () => {
    const v = analyzeQuantity(c, runF32(c, { flush: false }), 'gradActNorm').verdict!;
    expect(flushBands({ zero: v.flushedLayers ?? [], partial: v.partialLayers ?? [] })).toEqual([]);
  });
});
