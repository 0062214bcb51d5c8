// Layers a log-axis line chart cannot place on its y axis, shaded as a band over their whole column: layers
// lost to an earlier overflow, and (where the caller asks) layers exactly 0. Such a band gives the layers a place
// on the chart without giving them a value.
import { CellStatus } from './heatmap-model';

/** One series as the bands see it: its points' x positions and statuses. */
export interface BandSeries {
  x: readonly number[];
  status: readonly CellStatus[];
}

/** A run of neighbouring x positions, `from` to `to` inclusive, and how many points it spans. */
export interface StatusBand {
  from: number;
  to: number;
  count: number;
}

/**
 * Runs of x positions (over the union of every series' points, in order) at which every series has a point
 * with status `status`: one band per run. With no series, no bands.
 */
export function statusBands(series: readonly BandSeries[], status: CellStatus): StatusBand[] {
  if (series.length === 0) return [];
  const at = series.map((s) => new Map(s.x.map((x, i) => [x, s.status[i]])));
  const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const bands: StatusBand[] = [];
  let cur: StatusBand | null = null;
  for (const x of xs) {
    if (at.every((m) => m.get(x) === status)) {
      if (cur) {
        cur.to = x;
        cur.count++;
      } else cur = { from: x, to: x, count: 1 };
    } else if (cur) {
      bands.push(cur);
      cur = null;
    }
  }
  if (cur) bands.push(cur);
  return bands;
}
