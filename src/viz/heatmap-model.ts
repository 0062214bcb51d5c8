import { msg, str } from '@lit/localize';
// DOM-free model behind <gp-heatmap>: per-cell colours (log10 of the value through a colour table,
// or a reserved colour for cells off the scale), the colour-scale domain and ticks, legend entries,
// hit-testing and the text a tooltip, a screen reader or the table view shows for a cell.

import { COLORMAPS, SPECIAL_COLORS, colorIndex, type ColormapName, type Rgba } from './colormap';
import { linearTicks, logTicks, niceLogDomain, type LogDomain, type LogTick } from './ticks';
import { formatCount, formatMagnitude } from '../locale-format';

/** What a cell holds; the numeric codes are what a `Uint8Array` status carries. */
export enum CellStatus {
  /** A finite value, coloured by log10|value|. */
  Finite = 0,
  /** The quantity exploded past the experiment's threshold (or is ±Infinity). */
  Overflow = 1,
  /** The quantity vanished below the experiment's threshold (reported so by the experiment). */
  Underflow = 2,
  /** NaN. */
  NaN = 3,
  /** No such layer (e.g. layer 50 of a depth-10 net). */
  None = 4,
  /** Computed from an earlier value that overflowed or became NaN: whatever it holds says nothing. */
  Lost = 5,
  /**
   * Exactly 0: where 0 is a legitimate value (reported 'finite': e.g. Var z of a layer whose entries are all
   * equal), or a norm the experiment reports as exactly 0 (the Depth lab's flushed ‖a‖). A log scale has no
   * place for it, so it has its own colour.
   */
  Zero = 6,
}

/** A status as a string, as the experiment engine may report it. */
export type CellStatusName = 'finite' | 'overflow' | 'underflow' | 'nan' | 'none' | 'lost' | 'zero';

/** Status names indexed by `CellStatus` code. */
export const STATUS_NAMES: readonly CellStatusName[] = ['finite', 'overflow', 'underflow', 'nan', 'none', 'lost', 'zero'];

/** Human-readable status, for legends, tooltips and the table. */
export const STATUS_LABELS: Readonly<Record<CellStatusName, string>> = {
  get finite() {
    return msg('finite');
  },
  get overflow() {
    return msg('overflow');
  },
  get underflow() {
    return msg('underflow');
  },
  nan: 'NaN',
  get none() {
    return msg('no such layer');
  },
  // True of every lost value: those right after the 1e38 mark (still f32 numbers, e.g. layers 216–218 of
  // W = 1.5·I, where f32 overflows at 219) and those after a real Infinity or NaN alike.
  get lost() {
    return msg('after a value passed 1e38 or became NaN');
  },
  get zero() {
    return msg('exactly 0');
  },
};

/** How many values have an off-scale status, as one phrase in the language shown ("4 overflow", Korean "오버플로 4개"); the count is grouped in the page's locale. */
export function statusCountText(status: 'overflow' | 'underflow' | 'nan' | 'lost' | 'zero', count: number): string {
  const n = formatCount(count);
  switch (status) {
    case 'overflow':
      return msg(str`${n} overflow`);
    case 'underflow':
      return msg(str`${n} underflow`);
    case 'nan':
      return msg(str`${n} NaN`);
    case 'lost':
      return msg(str`${n} after a value passed 1e38 or became NaN`);
    case 'zero':
      return msg(str`${n} exactly 0`);
  }
}

/**
 * A status's name in a legend: overflow and underflow with the labs' marks (classify's 1e38 and 1e-37, which
 * are not f32's own limits: 1e38 is an f32 number, f32 overflows past 3.4e38), so a cell or marker drawn at
 * 1.024e38 is not read as f32 overflowing; every other status as `STATUS_LABELS` names it.
 */
export function legendLabel(name: CellStatusName): string {
  if (name === 'overflow') return msg('overflow (above 1e38)');
  if (name === 'underflow') return msg('underflow (below 1e-37)');
  return STATUS_LABELS[name];
}

/** Off-scale statuses in the order legends list them. */
export const LEGEND_ORDER: readonly CellStatus[] = [
  CellStatus.Overflow,
  CellStatus.Underflow,
  CellStatus.Zero,
  CellStatus.NaN,
  CellStatus.Lost,
  CellStatus.None,
];

/** Input of a heatmap: a rows × cols grid of raw (not log) values with a status per cell. */
export interface HeatmapData {
  /** One label per row: the sweep value (depth, gain, init scheme…). */
  rowLabels: string[];
  /** What the rows sweep, e.g. `depth L`. */
  rowTitle: string;
  /** What the columns are, e.g. `layer l`; column c is layer c + 1. */
  colTitle: string;
  /**
   * What the columns count, in the table and descriptions: `layer` (default; column c is layer c + 1) or `update`
   * (the Training lab: column c is the step measured after c weight updates, numbered c as on the loss chart's x axis).
   */
  colUnit?: 'layer' | 'update';
  /** The number of the first column on the axis and in the table: 1 (default) or 0 (`update`: 0 = the initial weights). */
  firstCol?: number;
  /** Per column, its name in tooltips, the readout and the table (e.g. "step 12, after 11 updates"); default "layer 7". */
  colNames?: readonly string[];
  /** Number of columns (layers 1..cols). */
  cols: number;
  /** rows × cols values, row-major, raw (the model takes log10|v|). */
  values: Float64Array;
  /** Per cell: `CellStatus` codes or names. */
  status: Uint8Array | readonly string[];
  /** The quantity shown, e.g. `‖∂J/∂W‖`. */
  quantity: string;
  /** Per row, what its 'lost' cells were lost to (e.g. `‖a‖ passed the lab's 1e38 overflow mark at layer 35`), for tooltips and the table. */
  lostCauses?: readonly (string | null)[];
}

/** Options of `makeHeatmapModel`. */
export interface HeatmapModelOptions {
  /** Colour table (default viridis). */
  colormap?: ColormapName;
  /** Fixed log10 colour domain (e.g. to compare sweeps); values outside it get the end colours. */
  domain?: LogDomain;
  /** At most this many colour-bar ticks (default 8). */
  maxTicks?: number;
  /** At most this many layer-axis ticks (default 8). */
  maxColTicks?: number;
}

/** A legend entry for a status present in the data. */
export interface LegendEntry {
  status: CellStatus;
  name: CellStatusName;
  label: string;
  rgba: Rgba;
  count: number;
}

/** Everything a renderer needs, derived once from `HeatmapData`. */
export interface HeatmapModel {
  data: HeatmapData;
  rows: number;
  cols: number;
  colormap: ColormapName;
  /** Effective status per cell (a 'finite' NaN becomes NaN, ±Infinity overflow, 0 zero). */
  status: Uint8Array;
  /** log10|value| per finite cell, NaN elsewhere. */
  log10: Float64Array;
  /** rows × cols × 4 RGBA, row-major, ready for `new ImageData(rgba, cols, rows)`. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** log10 range over finite cells only; null when there are none. */
  range: LogDomain | null;
  /** The colour scale's log10 domain: `options.domain`, or `range` (a degenerate one widened ±0.5). */
  domain: LogDomain;
  /** Colour-bar ticks inside `domain`. */
  ticks: LogTick[];
  /** The first column's number (`HeatmapData.firstCol`, default 1). */
  firstCol: number;
  /** Column numbers to label on the column axis (column c is number c + firstCol). */
  colTicks: number[];
  /** Cell count per effective status. */
  counts: Record<CellStatusName, number>;
  /** Non-finite statuses present in the data, in `LEGEND_ORDER` (overflow, underflow, zero, NaN, lost, none). */
  legend: LegendEntry[];
}

/** The `CellStatus` for a code or name; throws on anything else. */
export function statusCode(s: number | string): CellStatus {
  if (typeof s === 'number') {
    if (Number.isInteger(s) && s >= 0 && s < STATUS_NAMES.length) return s as CellStatus;
  } else {
    const i = STATUS_NAMES.indexOf(s.toLowerCase() as CellStatusName);
    if (i >= 0) return i as CellStatus;
  }
  throw new Error(`unknown cell status ${JSON.stringify(s)}: expected one of ${STATUS_NAMES.join(', ')} or 0–${STATUS_NAMES.length - 1}`);
}

/**
 * The status a cell is drawn with: a reported non-finite status stands; a 'finite' cell whose value
 * is NaN, ±Infinity or 0 is shown as NaN, overflow or zero, since log10 has no place for it. (A 0 the
 * experiment reports as 'finite' is a legitimate value, not a vanished one: a vanished value comes
 * reported as 'underflow'.)
 */
export function effectiveStatus(value: number, status: CellStatus): CellStatus {
  if (status !== CellStatus.Finite) return status;
  if (Number.isNaN(value)) return CellStatus.NaN;
  if (!Number.isFinite(value)) return CellStatus.Overflow;
  if (value === 0) return CellStatus.Zero;
  return CellStatus.Finite;
}

/** Per-cell status codes from a `Uint8Array` of codes or an array of names (validated). */
export function toStatusCodes(status: Uint8Array | readonly (string | number)[], n: number): Uint8Array {
  if (status.length !== n) throw new Error(`status has ${status.length} entries, expected ${n}`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = statusCode(status[i]);
  return out;
}

/** log10 range of |values| over cells whose effective status is finite; null when there are none. */
export function finiteLogRange(values: ArrayLike<number>, status?: ArrayLike<number>): LogDomain | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (effectiveStatus(v, status ? (status[i] as CellStatus) : CellStatus.Finite) !== CellStatus.Finite) continue;
    const l = Math.log10(Math.abs(v));
    if (l < min) min = l;
    if (l > max) max = l;
  }
  return min <= max ? { min, max } : null;
}

/** Builds the model: validates shapes, maps every cell to RGBA, and derives range, ticks and legend. */
export function makeHeatmapModel(data: HeatmapData, options: HeatmapModelOptions = {}): HeatmapModel {
  const rows = data.rowLabels.length;
  const cols = data.cols;
  if (!Number.isInteger(cols) || cols < 0) throw new Error(`cols must be a non-negative integer, got ${cols}`);
  const n = rows * cols;
  if (data.values.length !== n) {
    throw new Error(`values has ${data.values.length} entries, expected rows × cols = ${rows} × ${cols} = ${n}`);
  }
  const firstCol = data.firstCol ?? 1;
  if (!Number.isInteger(firstCol)) throw new Error(`firstCol must be an integer, got ${firstCol}`);
  if (data.colNames && data.colNames.length !== cols) throw new Error(`colNames has ${data.colNames.length} entries, expected cols = ${cols}`);
  const reported = toStatusCodes(data.status, n);
  const colormap = options.colormap ?? 'viridis';
  const table = COLORMAPS[colormap];
  if (!table) throw new Error(`unknown colormap ${JSON.stringify(colormap)}`);

  const status = new Uint8Array(n);
  const log10 = new Float64Array(n).fill(NaN);
  const counts: Record<CellStatusName, number> = { finite: 0, overflow: 0, underflow: 0, nan: 0, none: 0, lost: 0, zero: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = effectiveStatus(data.values[i], reported[i]);
    status[i] = s;
    counts[STATUS_NAMES[s]]++;
    if (s === CellStatus.Finite) {
      const l = Math.log10(Math.abs(data.values[i]));
      log10[i] = l;
      if (l < min) min = l;
      if (l > max) max = l;
    }
  }
  const range = min <= max ? { min, max } : null;
  const domain = options.domain ? niceLogDomain(options.domain.min, options.domain.max) : range ? niceLogDomain(range.min, range.max) : { min: -1, max: 1 };

  const rgba = new Uint8ClampedArray(4 * n);
  const span = domain.max - domain.min;
  for (let i = 0; i < n; i++) {
    const s = status[i] as CellStatus;
    if (s === CellStatus.Finite) {
      const j = 3 * colorIndex((log10[i] - domain.min) / span);
      rgba[4 * i] = table[j];
      rgba[4 * i + 1] = table[j + 1];
      rgba[4 * i + 2] = table[j + 2];
      rgba[4 * i + 3] = 255;
    } else {
      rgba.set(SPECIAL_COLORS[STATUS_NAMES[s] as Exclude<CellStatusName, 'finite'>], 4 * i);
    }
  }

  const legend: LegendEntry[] = [];
  for (const s of LEGEND_ORDER) {
    const name = STATUS_NAMES[s];
    if (counts[name] > 0) {
      legend.push({ status: s, name, label: legendLabel(name), rgba: SPECIAL_COLORS[name as Exclude<CellStatusName, 'finite'>], count: counts[name] });
    }
  }

  return {
    data,
    rows,
    cols,
    colormap,
    status,
    log10,
    rgba,
    range,
    domain,
    ticks: logTicks(domain.min, domain.max, options.maxTicks ?? 8),
    firstCol,
    colTicks: cols > 0 ? linearTicks(firstCol, firstCol + cols - 1, options.maxColTicks ?? 8) : [],
    counts,
    legend,
  };
}

/** A rectangle in CSS pixels; for hit-testing, the plot area the cells fill. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A cell position. */
export interface CellRef {
  row: number;
  col: number;
}

/** The cell under point (x, y) when the cells fill `plot`, or null outside it (or for an empty grid). */
export function cellAt(model: { rows: number; cols: number }, x: number, y: number, plot: Rect): CellRef | null {
  if (model.rows === 0 || model.cols === 0) return null;
  const u = (x - plot.x) / plot.width;
  const v = (y - plot.y) / plot.height;
  if (!(u >= 0 && u < 1 && v >= 0 && v < 1)) return null;
  return {
    row: Math.min(model.rows - 1, Math.floor(v * model.rows)),
    col: Math.min(model.cols - 1, Math.floor(u * model.cols)),
  };
}

/** The rectangle of cell (row, col) when the cells fill `plot`. */
export function cellRect(model: { rows: number; cols: number }, row: number, col: number, plot: Rect): Rect {
  const w = plot.width / model.cols;
  const h = plot.height / model.rows;
  return { x: plot.x + col * w, y: plot.y + row * h, width: w, height: h };
}

/** What a tooltip, the live region and the table say about one cell. */
export interface CellInfo extends CellRef {
  /** Layer number, col + 1. */
  layer: number;
  /** The column's name (`HeatmapData.colNames`), or null for "layer 7". */
  colName: string | null;
  rowLabel: string;
  /** The raw value. */
  value: number;
  status: CellStatusName;
  /** The value (formatMagnitude: the page's locale) for finite cells, else the value with its status, or 'no such layer'. */
  valueText: string;
  /** One sentence, e.g. `depth L = 20, layer 7: ‖∂J/∂W‖ = 17.09`. */
  text: string;
  /** For a 'lost' cell, what it was lost to (`HeatmapData.lostCauses`), else null. */
  lostCause: string | null;
}

/** Describes cell (row, col) of the model. */
export function cellInfo(model: HeatmapModel, row: number, col: number): CellInfo {
  const i = row * model.cols + col;
  const value = model.data.values[i];
  const status = STATUS_NAMES[model.status[i]];
  const rowLabel = model.data.rowLabels[row];
  const valueText =
    status === 'finite' || status === 'zero'
      ? formatMagnitude(value)
      : status === 'none'
        ? STATUS_LABELS.none
        : status === 'nan'
          ? 'NaN'
          : `${formatMagnitude(value)} (${STATUS_LABELS[status]})`;
  const colName = model.data.colNames?.[col] ?? null;
  const where =
    colName !== null ? msg(str`${model.data.rowTitle} = ${rowLabel}, ${colName}`) : msg(str`${model.data.rowTitle} = ${rowLabel}, layer ${col + 1}`);
  const lostCause = status === 'lost' ? (model.data.lostCauses?.[row] ?? null) : null;
  const text = status === 'none' ? `${where}: ${valueText}` : `${where}: ${model.data.quantity} = ${valueText}${lostCause ? ` (${lostCause})` : ''}`;
  return { row, col, layer: col + 1, colName, rowLabel, value, status, valueText, text, lostCause };
}

/** Label every k-th item so labels `pitch` px apart are at least `minGap` px apart: returns k ≥ 1. */
export function labelStride(pitch: number, minGap: number): number {
  if (!(pitch > 0)) return 1;
  const k = Math.ceil(minGap / pitch - 1e-9);
  // Prefer 1, 2, 5, 10, 20 … so labelled rows are easy to count.
  for (let p = 1; ; p *= 10) for (const m of [1, 2, 5]) if (m * p >= k) return m * p;
}
