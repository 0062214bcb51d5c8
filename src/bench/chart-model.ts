// Plain data for the Performance view's bar charts: one bar per measured row, the roof as a line. The titles,
// roof names and bar labels (the rows' shapes and implementations, worded by row-words.ts) are in the language shown.
import { msg } from '@lit/localize';
import { fmaRoofOf } from './bench-math';
import { benchImplText, benchShapeText } from './row-words';
import type { BenchRow } from './runner';

/** One bar: a row's rate, labelled, with its kind (ours, another library or baseline, a roof). */
export interface Bar {
  label: string;
  value: number;
  kind: 'ours' | 'other' | 'roof';
  verified: boolean;
}

/** A horizontal bar chart of one metric with a roof line. */
export interface BarChartModel {
  title: string;
  metric: 'GFLOP/s' | 'GB/s';
  bars: Bar[];
  /** The roof drawn as a vertical line (NaN when not measured yet), and its name. */
  roof: number;
  roofLabel: string;
  /** Axis end: the largest of bars and roof, rounded up to the next tick (at most one tick step above). */
  max: number;
  /** The axis ticks, 0 … max in nice steps. */
  ticks: number[];
}

/** A "nice" axis end ≥ v: 1, 2 or 5 × 10^k. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** Tick steps per decade: 1, 2, 2.5 and 5 × 10^k. */
const STEPS = [1, 2, 2.5, 5, 10];

/**
 * Nice ticks for an axis from 0 to at least `v`: about five steps of 1, 2, 2.5 or 5 × 10^k, ending at
 * the first tick ≥ v (so the axis stops less than one step, < 40 %, past its largest value: a 5.7 bar
 * gets 0, 2, 4, 6).
 */
export function axisTicks(v: number): number[] {
  if (!(v > 0) || !Number.isFinite(v)) return [0, 1];
  const raw = v / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = STEPS.map((m) => m * p).find((s) => s >= raw * (1 - 1e-12)) ?? 10 * p;
  // Multiply (not add) and round to 12 digits, so 0.1-style steps do not drift (3 × 0.1 is 0.3).
  const tick = (i: number) => Number((i * step).toPrecision(12));
  let n = Math.max(1, Math.ceil(v / step - 1e-9));
  if (tick(n) < v) n++; // never end below the value: the bar would run past the axis
  return Array.from({ length: n + 1 }, (_, i) => tick(i));
}

/** Where a bar chart `width` CSS px wide draws each bar's label and bar (see barLayout). */
export interface BarLayout {
  /** Each label on its own line above its bar (narrow charts), or beside it at the plot's left (wide ones). */
  stacked: boolean;
  /** Height of one bar's row: its label (when stacked) and its bar. */
  row: number;
  /** The label's anchor: its right end beside the bar, its left end when stacked; and the width it may take. */
  labelX: number;
  labelWidth: number;
  /** The label's middle and the bar's top, below the row's top; the bar's height. */
  labelDy: number;
  barDy: number;
  barHeight: number;
  /** The plot's left edge (rate 0) and width (room for the value after the longest bar is left on its right). */
  plotLeft: number;
  plotWidth: number;
}

/** Charts narrower than this put each label above its bar. */
export const STACK_BELOW = 560;

/**
 * The layout of a bar chart `width` CSS px wide. Wide: labels right-aligned left of the plot, which takes what the
 * labels leave (up to 360 px of labels, 45 % of the width). Narrow: beside the bar a label would get 45 % of a
 * phone's width (152 px at 390 px, where "64×64×64 · ours: auto → subgroup …" kept 'auto → s…'), so each label
 * gets its own line above its bar, across the whole chart, and the bars the whole width under it.
 */
export function barLayout(width: number): BarLayout {
  const pad = 8;
  const valueRoom = 60;
  if (width < STACK_BELOW) {
    return {
      stacked: true,
      row: 32,
      labelX: pad,
      labelWidth: width - 2 * pad,
      labelDy: 9,
      barDy: 18,
      barHeight: 11,
      plotLeft: pad,
      plotWidth: width - pad - valueRoom,
    };
  }
  const labelEnd = Math.min(360, width * 0.45);
  const plotLeft = labelEnd + pad;
  return {
    stacked: false,
    row: 18,
    labelX: labelEnd,
    labelWidth: labelEnd - pad,
    labelDy: 9,
    barDy: 3,
    barHeight: 12,
    plotLeft,
    plotWidth: width - plotLeft - valueRoom,
  };
}

/** The longest prefix of `text` plus '…' that fits `maxWidth` ('' when not even '…' does). */
function shortened(text: string, maxWidth: number, measure: (s: string) => number): string {
  let lo = 0;
  let hi = text.length;
  // Binary search: measureText is not free.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${text.slice(0, mid).trimEnd()}…`) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? '' : `${text.slice(0, lo).trimEnd()}…`;
}

/**
 * `text` shortened with an ellipsis to fit `maxWidth` as `measure` says (the canvas's measureText in the
 * view): a label right-aligned at the plot's left edge then never runs off the chart's left side. A label
 * `shape · implementation` loses the end of its shape first and keeps the implementation whole, since that is
 * what tells a group's bars apart. When the whole implementation does not fit even beside the shape's first
 * character, it is the implementation that loses its end, after that character ('6… · ours: auto → subgr…'): every row keeps the start of its implementation, an 'auto' row as much as the
 * others. Only when not one character of the implementation fits is the whole text cut at its end.
 */
export function fitLabel(text: string, maxWidth: number, measure: (s: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const cut = text.lastIndexOf(' · ');
  if (cut > 0) {
    const tail = text.slice(cut);
    const shape = text.slice(0, cut);
    const head = shortened(shape, maxWidth - measure(tail), measure);
    if (head) return `${head}${tail}`;
    // The shortest a shape gets: its first character and '…'.
    const short = `${[...shape][0]}…`;
    const impl = shortened(text.slice(cut + 3), maxWidth - measure(`${short} · `), measure);
    if (impl.length > 1) return `${short} · ${impl}`;
  }
  return shortened(text, maxWidth, measure);
}

/**
 * The two charts: matmul GFLOP/s against the FMA roof, and the memory-bound kernels' GB/s against the
 * copy kernel's bandwidth (the best copy rate measured: the roof of this device).
 */
export function makeBarCharts(rows: readonly BenchRow[]): [BarChartModel, BarChartModel] {
  // The same roof as the summary and the roofline draw (the median of the checked measurements), not the fastest one.
  const fmaRoof = fmaRoofOf(rows);
  const copies = rows.filter((r) => r.impl.startsWith('copy'));
  const copyRoof = copies.length ? Math.max(...copies.map((r) => r.rate)) : NaN;
  const bar = (r: BenchRow): Bar => ({
    // Names and sizes stay as they are; a form row-words.ts does not know stays English.
    label: `${benchShapeText(r.shape) ?? r.shape} · ${benchImplText(r.impl) ?? r.impl}`,
    value: r.rate,
    kind: r.ours ? 'ours' : r.group === 'roof' ? 'roof' : 'other',
    verified: r.verification.ok,
  });
  const mm = rows.filter((r) => r.group === 'matmul').map(bar);
  const mem = rows.filter((r) => r.group === 'moments' || r.group === 'norms' || r.impl.startsWith('copy')).map(bar);
  const axis = (bars: Bar[], roof: number) => {
    const ticks = axisTicks(Math.max(Number.isFinite(roof) ? roof : 0, ...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
    return { ticks, max: ticks[ticks.length - 1] };
  };
  const roofOf = (r: number) => (Number.isFinite(r) ? r : NaN);
  return [
    {
      title: msg('Matmul (GFLOP/s)'),
      metric: 'GFLOP/s',
      bars: mm,
      roof: roofOf(fmaRoof),
      roofLabel: msg('FMA roof'),
      ...axis(mm, fmaRoof),
    },
    {
      title: msg('Moments, norms and copy (GB/s)'),
      metric: 'GB/s',
      bars: mem,
      roof: roofOf(copyRoof),
      roofLabel: msg('copy bandwidth'),
      ...axis(mem, copyRoof),
    },
  ];
}

/** One x-axis label of a bar chart: its text and its box (left edge and width, in the canvas's px). */
export interface AxisLabel {
  text: string;
  left: number;
  width: number;
}

/**
 * The x-axis labels of a bar chart: each tick's number centred under it, the unit after the last one
 * ("8 GFLOP/s", its number still under its tick, the box pulled left only where it would pass `right`), and
 * labels that would come closer than `gap` px to the label on their right left out, so that no two run
 * together (at 390 px "6" and "8 GFLOP/s" read as "68 GFLOP/s"). `texts[i]` is tick i's number as shown.
 */
export function axisLabels(texts: readonly string[], xs: readonly number[], unit: string, measure: (s: string) => number, right: number, gap = 6): AxisLabel[] {
  const n = Math.min(texts.length, xs.length);
  if (n === 0) return [];
  const boxes: AxisLabel[] = [];
  for (let i = 0; i < n; i++) {
    const w = measure(texts[i]);
    if (i < n - 1) {
      boxes.push({ text: texts[i], left: xs[i] - w / 2, width: w });
      continue;
    }
    const text = `${texts[i]} ${unit}`;
    const width = measure(text);
    boxes.push({ text, left: Math.min(xs[i] - w / 2, right - width), width });
  }
  const kept: AxisLabel[] = [boxes[n - 1]];
  for (let i = n - 2; i >= 0; i--) {
    const next = kept[kept.length - 1];
    if (boxes[i].left + boxes[i].width + gap <= next.left) kept.push(boxes[i]);
  }
  return kept.reverse();
}
