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

/**
 * Runs of consecutive integer x positions in `layers` (any order, repeats ignored) that `skip` does not exclude:
 * the Depth lab's band of layers its verdict calls lowered by flushing to 0 (exactly 0 or too small), leaving out
 * the layers an exactly-0 band already covers, so each layer is shaded once and the chart groups the layers as the
 * verdict's text does.
 */
export function layerBands(layers: readonly number[], skip: (x: number) => boolean = () => false): StatusBand[] {
  const xs = [...new Set(layers)].filter((x) => Number.isInteger(x) && !skip(x)).sort((a, b) => a - b);
  const bands: StatusBand[] = [];
  for (const x of xs) {
    const cur = bands[bands.length - 1];
    if (cur && x === cur.to + 1) {
      cur.to = x;
      cur.count++;
    } else bands.push({ from: x, to: x, count: 1 });
  }
  return bands;
}

/** Layers the Depth lab's verdict calls lowered by flushing to 0: exactly 0 (`zero`), or too small (`partial`). */
export interface FlushLayers {
  zero: readonly number[];
  partial: readonly number[];
}

/** A band of flushed layers: 'zero' (f32 holds 0) or 'partial' (the value comes out too small). */
export interface FlushBand extends StatusBand {
  kind: 'zero' | 'partial';
}

/**
 * The bands of flushed layers, in x order: one per run of the verdict's 0 layers and one per run of its too-small
 * layers, so the chart groups them as the verdict's sentence does ("0 at layers 1–4 … too small at layers 5–12"),
 * leaving out what `skip` excludes (the exactly-0 bands).
 */
export function flushBands(layers: FlushLayers, skip: (x: number) => boolean = () => false): FlushBand[] {
  return [
    ...layerBands(layers.zero, skip).map((b) => ({ ...b, kind: 'zero' as const })),
    ...layerBands(layers.partial, skip).map((b) => ({ ...b, kind: 'partial' as const })),
  ].sort((a, b) => a.from - b.from);
}

/** What a series' own colour marks on the chart, to decide whether the legend lists it. */
export interface OwnMarks {
  /** Exact zeros drawn as bands (not ◆ markers). */
  zeroBands: boolean;
  /** Whether `x` lies in a band of exactly-0 layers (a zero there is the band's, not the series'). */
  inZeroBand: (x: number) => boolean;
  /** Whether every solid series is lost at `x` (the column is shaded, not marked in one series' colour). */
  allLost: (x: number) => boolean;
}

/**
 * Whether a series draws anything in its own colour: a line or dot (a finite point), an overflow or underflow
 * marker (outlined in it), a zero outside the exactly-0 bands, a lost point where not every solid series is lost.
 * A series that draws nothing of its own (every point in a shared band, or NaN) is left out of the legend: the
 * legend would name a line nobody can find. The bands and markers keep their own legend entries.
 */
export function drawsOwnMarks(series: BandSeries, o: OwnMarks): boolean {
  return series.status.some((s, i) => {
    const x = series.x[i];
    switch (s) {
      case CellStatus.Finite:
      case CellStatus.Overflow:
      case CellStatus.Underflow:
        return true;
      case CellStatus.Zero:
        return !o.zeroBands || !o.inZeroBand(x);
      case CellStatus.Lost:
        return !o.allLost(x);
      default:
        return false;
    }
  });
}
