// DOM-free model of the gain × depth phase map chart: gains along x (one column each), depths along y (one row
// each, the shallowest at the top), colour = log10 of the ratio on a diverging scale centred on 0 (teal where
// the net shrinks the signal, brown where it grows it, near white where it keeps it), the statuses' reserved
// colours for cells f32 could not measure, the predicted critical gain as a position on the x axis and the
// measured boundary per depth. Takes plain arrays (a PhaseMap from labs/depth/phase-map.ts fits).
import { SPECIAL_COLORS, type Rgba } from './colormap';
import type { CellStatusName } from './heatmap-model';

/** What the chart draws: values[g·depths + d] is log10 of the ratio at gains[g], depths[d]. */
export interface PhaseMapData {
  gains: readonly number[];
  depths: readonly number[];
  values: ArrayLike<number>;
  /** Per cell: 'finite', 'overflow', 'underflow', 'nan' or 'lost'. */
  status: readonly string[];
  predictedGain: number | null;
  /** Per depth, the gain where the ratio crosses 1, or null. */
  measuredGain: readonly (number | null)[];
}

/** ColorBrewer BrBG (11 classes): teal = shrinks (negative log10), white = kept, brown = grows (positive). */
const BRBG: readonly (readonly [number, number, number])[] = [
  [0x00, 0x3c, 0x30],
  [0x01, 0x66, 0x5e],
  [0x35, 0x97, 0x8f],
  [0x80, 0xcd, 0xc1],
  [0xc7, 0xea, 0xe5],
  [0xf5, 0xf5, 0xf5],
  [0xf6, 0xe8, 0xc3],
  [0xdf, 0xc2, 0x7d],
  [0xbf, 0x81, 0x2d],
  [0x8c, 0x51, 0x0a],
  [0x54, 0x30, 0x05],
];

/** The diverging colour of t ∈ [−1, 1] (clamped): −1 darkest teal, 0 near white, +1 darkest brown. */
export function divergingColor(t: number): Rgba {
  const x = ((Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0)) + 1) / 2) * (BRBG.length - 1);
  const i = Math.min(BRBG.length - 2, Math.floor(x));
  const f = x - i;
  const a = BRBG[i];
  const b = BRBG[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + f * (b[k] - a[k]))).concat(255) as unknown as Rgba;
}

/** Statuses with a reserved colour, in legend order. */
export const PHASE_STATUS_ORDER: readonly Exclude<CellStatusName, 'finite' | 'none'>[] = ['overflow', 'underflow', 'nan', 'lost'];

export interface PhaseMapModel {
  data: PhaseMapData;
  /** Columns (gains) and rows (depths). */
  cols: number;
  rows: number;
  /** The colour scale runs from −range to +range decades (the largest |log10| measured, rounded up, at least 1). */
  range: number;
  /** x of the predicted critical gain in column units (column i spans [i, i + 1]), or null (none, or outside the gains). */
  predictedX: number | null;
  /** Per depth with a measured crossing: its row and x in column units. */
  marks: { row: number; x: number }[];
  /** Statuses present, with their cell counts, in legend order. */
  statuses: { name: (typeof PHASE_STATUS_ORDER)[number]; count: number }[];
}

/**
 * Where gain `g` sits on the x axis in column units: column i's centre (i + 0.5) for gains[i], linear in
 * log(gain) between neighbouring columns; null outside [gains[0], gains[last]].
 */
export function gainX(gains: readonly number[], g: number): number | null {
  if (!(g > 0) || gains.length === 0) return null;
  if (gains.length === 1) return g === gains[0] ? 0.5 : null;
  for (let i = 0; i + 1 < gains.length; i++) {
    const a = gains[i];
    const b = gains[i + 1];
    if (g >= a && g <= b) return i + 0.5 + (Math.log(g) - Math.log(a)) / (Math.log(b) - Math.log(a));
  }
  return null;
}

export function makePhaseMapModel(data: PhaseMapData): PhaseMapModel {
  const cols = data.gains.length;
  const rows = data.depths.length;
  let max = 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < cols * rows; i++) {
    const v = data.values[i];
    if (data.status[i] === 'finite' && Number.isFinite(v)) max = Math.max(max, Math.abs(v));
    else counts.set(data.status[i], (counts.get(data.status[i]) ?? 0) + 1);
  }
  const marks: PhaseMapModel['marks'] = [];
  data.measuredGain.forEach((g, row) => {
    const x = g === null ? null : gainX(data.gains, g);
    if (x !== null) marks.push({ row, x });
  });
  return {
    data,
    cols,
    rows,
    range: Math.max(1, Math.ceil(max)),
    predictedX: data.predictedGain === null ? null : gainX(data.gains, data.predictedGain),
    marks,
    statuses: PHASE_STATUS_ORDER.filter((s) => counts.has(s)).map((name) => ({ name, count: counts.get(name)! })),
  };
}

/** One cell's numbers, for a tooltip or table. */
export interface PhaseCell {
  col: number;
  row: number;
  gain: number;
  depth: number;
  /** log10 of the ratio, NaN where not measured. */
  log10: number;
  status: string;
}

export function phaseCell(m: PhaseMapModel, col: number, row: number): PhaseCell {
  const i = col * m.rows + row;
  return { col, row, gain: m.data.gains[col], depth: m.data.depths[row], log10: m.data.values[i], status: m.data.status[i] };
}

/** The colour of a cell: the diverging scale for a finite ratio, the status's reserved colour otherwise. */
export function phaseCellColor(m: PhaseMapModel, col: number, row: number): Rgba {
  const c = phaseCell(m, col, row);
  if (c.status === 'finite' && Number.isFinite(c.log10)) return divergingColor(c.log10 / m.range);
  const special = SPECIAL_COLORS[c.status as keyof typeof SPECIAL_COLORS] ?? SPECIAL_COLORS.nan;
  return special;
}

/** The cell under a point of a plot rectangle (column = gain, row = depth), or null outside it. */
export function phaseCellAt(
  m: { cols: number; rows: number },
  x: number,
  y: number,
  plot: { x: number; y: number; w: number; h: number },
): { col: number; row: number } | null {
  if (x < plot.x || y < plot.y || x >= plot.x + plot.w || y >= plot.y + plot.h) return null;
  return { col: Math.min(m.cols - 1, Math.floor(((x - plot.x) / plot.w) * m.cols)), row: Math.min(m.rows - 1, Math.floor(((y - plot.y) / plot.h) * m.rows)) };
}

/** Indices of at most `max` evenly spread labels out of n (always the first and the last). */
export function labelIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil((n - 1) / (max - 1));
  const out: number[] = [];
  for (let i = 0; i < n - 1; i += step) out.push(i);
  if (n - 1 - out[out.length - 1] < step / 2) out.pop();
  out.push(n - 1);
  return out;
}
