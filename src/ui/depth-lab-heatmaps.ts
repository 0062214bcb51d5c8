// The Depth lab's heatmap data: the run on screen's and the pinned run's grids of the chosen quantity, and
// the colour range they share, remade only when one of them (or the language of their titles) changes.
import { heatmapDomain, type ColorScale } from '../labs/depth/compare';
import { makeLabHeatmapData, type Quantity } from '../labs/depth/form';
import type { DepthSession } from '../labs/depth/session';
import type { HeatmapData } from '../viz/heatmap-model';
import type { LogDomain } from '../viz/ticks';
import { currentLocale } from './locale';

export class LabHeatmaps {
  data: HeatmapData | null = null;
  pinned: HeatmapData | null = null;
  domain: LogDomain | null = null;
  /** What `shown`, `pinned`, the quantity, the scale and the language were when the data was last made. */
  private madeFor: unknown[] = [];

  update(session: Pick<DepthSession, 'shown' | 'pinned'>, quantity: Quantity, scale: ColorScale): void {
    const { shown, pinned } = session;
    const key = [shown, pinned, quantity, scale, currentLocale()]; // titles are made in the language shown
    if (key.every((k, i) => k === this.madeFor[i])) return;
    this.madeFor = key;
    this.data = shown ? makeLabHeatmapData(shown.results, quantity, shown.sweep.spec.kind, shown.cols) : null;
    this.pinned = pinned ? makeLabHeatmapData(pinned.results, quantity, pinned.kind, pinned.cols) : null;
    this.domain = heatmapDomain(scale, this.data, this.pinned);
  }
}
