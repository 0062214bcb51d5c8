// The series of <gp-line-chart> as it draws them: each point with its status and name, each line's style, and the
// chart described in words. No component state.
import { msg, str } from '@lit/localize';
import { formatCount, formatMagnitude } from '../locale-format';
import { SERIES_PALETTE } from '../viz/series-palette';
import { CellStatus, effectiveStatus, statusCountText, toStatusCodes } from '../viz/heatmap-model';
import type { PointMarker } from './line-chart-parts';

/** One line: a value per layer (index i is layer i + 1, unless `x` says otherwise). */
export interface LineSeries {
  label: string;
  values: Float64Array | readonly number[];
  /** Per point: `CellStatus` codes or names; default: derived from the values. */
  status?: Uint8Array | readonly string[];
  /** Dashed, without point markers (e.g. a theoretical prediction). */
  dashed?: boolean;
  /** CSS colour; default from `PALETTE`, whose colours no status marker uses. */
  color?: string;
  /** Per point, its x position (default i + 1, 1-based like layers): e.g. a loss measured every k steps, or 0 for the initial weights (the axis then starts at 0). */
  x?: ArrayLike<number>;
  /** SVG dash pattern of the line (e.g. '2 3'); default: '6 4' when `dashed`, else solid. */
  dash?: string;
  /** Point markers; default: none when `dashed` (single points still get a dot), else dots. */
  marker?: PointMarker;
  /** Per point, its name in tooltips instead of "step 7" / "layer 7" (e.g. "after 10 updates"). */
  pointNames?: readonly string[];
  /** Listed in the legend (default true): a series family can be explained once by a `legendKeys` entry instead. */
  inLegend?: boolean;
}

/** Line colours: none of them can be taken for a status marker's colour (see viz/series-palette). */
export const PALETTE = SERIES_PALETTE;
/** "layer 7" or "step 7" in the language shown (point and marker tooltips). */
export function unitAt(unit: string, n: number): string {
  return unit === 'step' ? msg(str`step ${n}`) : msg(str`layer ${n}`);
}

export interface Point {
  layer: number;
  value: number;
  status: CellStatus;
  /** Its name in tooltips (null: "step 7" / "layer 7"). */
  name: string | null;
}

export interface PreparedSeries {
  series: LineSeries;
  color: string;
  points: Point[];
}

export function prepare(series: readonly LineSeries[]): PreparedSeries[] {
  return series.map((s, k) => {
    const n = s.values.length;
    const codes = s.status ? toStatusCodes(s.status, n) : null;
    const points: Point[] = [];
    for (let i = 0; i < n; i++) {
      const value = s.values[i];
      points.push({
        layer: s.x ? s.x[i] : i + 1,
        value,
        status: effectiveStatus(value, codes ? (codes[i] as CellStatus) : CellStatus.Finite),
        name: s.pointNames?.[i] ?? null,
      });
    }
    return { series: s, color: s.color ?? PALETTE[k % PALETTE.length], points };
  });
}

/** A series' dash pattern (null: solid) and point markers. */
export function styleOf(s: LineSeries): { dash: string | null; marker: PointMarker } {
  return { dash: s.dash ?? (s.dashed ? '6 4' : null), marker: s.marker ?? (s.dashed ? 'none' : 'dot') };
}

/** The chart in words (its aria-label): each series' length, first and last value and off-scale counts, then the reference lines. */
export function describeSeries(prepared: readonly PreparedSeries[], xUnit: string, refs: readonly string[]): string {
  const parts = [
    ...prepared.map(({ series, points }) => {
      const finite = points.filter((p) => p.status === CellStatus.Finite);
      const count = (s: CellStatus) => points.filter((p) => p.status === s).length;
      const length = series.x
        ? msg(str`${formatCount(points.length)} points`)
        : xUnit === 'step'
          ? msg(str`${formatCount(points.length)} steps`)
          : msg(str`${formatCount(points.length)} layers`);
      let text = series.dashed ? msg(str`${series.label} (dashed): ${length}`) : msg(str`${series.label}: ${length}`);
      if (finite.length) {
        const first = finite[0];
        const last = finite[finite.length - 1];
        // Named points ("after 10 updates") read as an aside; unnamed ones as "at step 10".
        text +=
          first.name !== null && last.name !== null
            ? msg(str`, ${formatMagnitude(first.value)} (${first.name}) to ${formatMagnitude(last.value)} (${last.name})`)
            : msg(str`, ${formatMagnitude(first.value)} at ${unitAt(xUnit, first.layer)} to ${formatMagnitude(last.value)} at ${unitAt(xUnit, last.layer)}`);
      }
      const bad = (
        [
          [CellStatus.Overflow, 'overflow'],
          [CellStatus.Underflow, 'underflow'],
          [CellStatus.Zero, 'zero'],
          [CellStatus.NaN, 'nan'],
          [CellStatus.Lost, 'lost'],
        ] as const
      )
        .map(([s, name]) => [count(s), name] as const)
        .filter(([c]) => c > 0)
        .map(([c, name]) => statusCountText(name, c));
      return bad.length ? `${text}; ${bad.join(', ')}` : text;
    }),
    ...refs,
  ];
  return msg(str`Log-scale line chart. ${parts.join('. ')}.`);
}
