// The roofline of a benchmark run, DOM-free: arithmetic intensity (FLOP per byte moved) against attained
// GFLOP/s on log–log axes, the measured FMA roof (horizontal) and copy roof (GFLOP/s = GB/s × intensity,
// slope 1) as the two lines, one labelled point per kernel row. `rooflineSvg` draws it as an SVG string,
// used for bench-results/roofline.svg and by the Performance view.
import { fmaRoofOf } from './bench-math';
import type { BenchRow } from './runner';
import { placePointLabels, placeRoofLabel, textWidth, type Box, type Segment } from './roofline-labels';

/**
 * Nominal FLOPs per input float of the memory-bound kernels: norms Σx² is a multiply and an add; moments
 * adds x and x² (an add, a multiply and an add). Their bytes are the minimum the run counts (4 per float).
 */
export const FLOP_PER_FLOAT = { moments: 3, norms: 2 } as const;

/** FLOP per byte of C = A·B for m×k by k×n: 2mnk over 4 bytes each of A, B and C read or written once (batch cancels). */
export function matmulIntensity(s: { m: number; n: number; k: number }): number {
  return (2 * s.m * s.n * s.k) / (4 * (s.m * s.k + s.k * s.n + s.m * s.n));
}

/** FLOP per byte of a row: matmul from its FLOPs and bytes, moments and norms from FLOP_PER_FLOAT; NaN for roofs. */
export function rowIntensity(r: Pick<BenchRow, 'group' | 'flop' | 'bytes'>): number {
  if (r.group === 'matmul') return r.bytes > 0 ? r.flop / r.bytes : NaN;
  if (r.group === 'moments' || r.group === 'norms') return FLOP_PER_FLOAT[r.group] / 4;
  return NaN;
}

/** GFLOP/s a row attained: matmul its rate; moments and norms their GB/s × FLOP per byte. */
export function rowGflops(r: Pick<BenchRow, 'group' | 'flop' | 'bytes' | 'rate'>): number {
  if (r.group === 'matmul') return r.rate;
  return r.rate * rowIntensity(r);
}

/** One kernel row on the chart; `index` (1-based) is its number on the chart and in the legend. */
export interface RooflinePoint {
  index: number;
  /** `impl · shape`, in English (the file's legend). */
  label: string;
  /** The row's implementation and shape as data (a page words them in its language). */
  impl: string;
  shape: string;
  group: BenchRow['group'];
  ours: boolean;
  verified: boolean;
  intensity: number;
  gflops: number;
}

/** A log axis: its ends (powers of ten) and the decades between. */
export interface LogAxis {
  min: number;
  max: number;
  ticks: number[];
}

/** Everything the chart draws. */
export interface RooflineModel {
  /** GFLOP/s of the FMA loop and GB/s of the copy kernel (NaN when not measured). */
  fmaRoof: number;
  copyRoof: number;
  /** Intensity where the two roofs meet: fmaRoof / copyRoof FLOP/byte. */
  ridge: number;
  x: LogAxis;
  y: LogAxis;
  points: RooflinePoint[];
  /** Rows with no positive finite rate or intensity: listed, not placed (`impl · shape`, English). */
  unplaced: string[];
  /** The same rows' implementations and shapes as data. */
  unplacedRows: RooflineRowName[];
}

/** A row's implementation and shape, as the run's data holds them (English). */
export interface RooflineRowName {
  impl: string;
  shape: string;
}

/** Powers of ten from the one at or below `lo` to the one at or above `hi`. */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return [];
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.ceil(Math.log10(hi) - 1e-9);
  const out: number[] = [];
  for (let k = a; k <= b; k++) out.push(Number(`1e${k}`));
  return out;
}

/** The decade-aligned axis around the positive finite values (at least one decade wide; 1..10 when none). */
export function logAxis(values: readonly number[]): LogAxis {
  const v = values.filter((x) => x > 0 && Number.isFinite(x));
  let ticks = v.length ? logTicks(Math.min(...v), Math.max(...v)) : [1, 10];
  if (ticks.length < 2) ticks = [ticks[0], ticks[0] * 10];
  return { min: ticks[0], max: ticks[ticks.length - 1], ticks };
}

/** Position of `v` on a log axis mapped to the pixel range [a, b]. */
export function logScale(v: number, axis: Pick<LogAxis, 'min' | 'max'>, a: number, b: number): number {
  const t = (Math.log10(v) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
  return a + t * (b - a);
}

/**
 * The roofline of `rows` (one run's, or the medians of several rounds'). Roofs default to the rows' own:
 * the median of the verified FMA roof measurements and the best copy rate.
 */
export function makeRoofline(rows: readonly BenchRow[], roofs: { fma?: number; copy?: number } = {}): RooflineModel {
  const copies = rows
    .filter((r) => r.impl.startsWith('copy'))
    .map((r) => r.rate)
    .filter(Number.isFinite);
  const fmaRoof = roofs.fma ?? fmaRoofOf(rows);
  const copyRoof = roofs.copy ?? (copies.length ? Math.max(...copies) : NaN);
  const ridge = fmaRoof / copyRoof;
  const points: RooflinePoint[] = [];
  const unplaced: string[] = [];
  const unplacedRows: RooflineRowName[] = [];
  for (const r of rows) {
    if (r.group === 'roof') continue;
    const label = `${r.impl} · ${r.shape}`;
    const intensity = rowIntensity(r);
    const gflops = rowGflops(r);
    if (intensity > 0 && Number.isFinite(intensity) && gflops > 0 && Number.isFinite(gflops)) {
      points.push({
        index: points.length + 1,
        label,
        impl: r.impl,
        shape: r.shape,
        group: r.group,
        ours: r.ours,
        verified: r.verification.ok,
        intensity,
        gflops,
      });
    } else {
      unplaced.push(label);
      unplacedRows.push({ impl: r.impl, shape: r.shape });
    }
  }
  const xs = [...points.map((p) => p.intensity), ridge];
  const ys = [...points.map((p) => p.gflops), fmaRoof];
  return { fmaRoof, copyRoof, ridge, x: logAxis(xs), y: logAxis(ys), points, unplaced, unplacedRows };
}

/** The attainable GFLOP/s at intensity `i`: the lower of the two roofs (NaN if neither is known). */
export function attainable(model: Pick<RooflineModel, 'fmaRoof' | 'copyRoof'>, i: number): number {
  const c = model.copyRoof * i;
  if (Number.isFinite(model.fmaRoof) && Number.isFinite(c)) return Math.min(model.fmaRoof, c);
  return Number.isFinite(model.fmaRoof) ? model.fmaRoof : c;
}

/** `s` escaped for SVG text and attribute values. */
export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number) => +v.toFixed(1);
/** A label's box as its data-box attribute: left top width height. */
const boxAttr = (b: Box) => [b.left, b.top, b.width, b.height].map(num).join(' ');
/** '0.01', '100', '1e+5': tick labels. */
export function tickLabel(v: number): string {
  return v >= 1e-3 && v < 1e5 ? String(+v.toPrecision(3)) : v.toExponential(0);
}
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/**
 * The labels of an axis's decade ticks, all in one notation: plain decimals while every tick is within
 * 0.0001 … 10000 ('0.0001', '0.01', '100'), else every tick as a power of ten ('10⁻⁶', '10⁰', '10³').
 */
export function decadeTickLabels(ticks: readonly number[]): string[] {
  const ks = ticks.map((t) => Math.round(Math.log10(t)));
  if (ks.every((k) => Math.abs(k) <= 4)) return ks.map((k) => (k < 0 ? `0.${'0'.repeat(-k - 1)}1` : `1${'0'.repeat(k)}`));
  return ks.map((k) => `10${k < 0 ? '⁻' : ''}${[...String(Math.abs(k))].map((d) => SUPERSCRIPT[+d]).join('')}`);
}
const rate = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));

/**
 * The chart's words. The defaults are English, for the files `npm run bench` writes (locale-independent);
 * the Performance view passes its own in the language shown. Texts are XML-escaped by rooflineSvg except
 * what `data` returns, which wraps an already escaped row name (the view marks it translate="no").
 */
export interface RooflineLabels {
  xAxis: string;
  yAxis: string;
  /** The roof lines' labels, given the rate already formatted. */
  fmaRoof(rate: string): string;
  copyRoof(rate: string): string;
  /** A point's tooltip (a `<title>`, plain text): its number, row name, GFLOP/s and FLOP/byte formatted. */
  tip(p: { index: number; label: string; gflops: string; intensity: string; verified: boolean }): string;
  /** A legend line after "n. name: ", given the GFLOP/s and FLOP/byte formatted. */
  legend(p: { gflops: string; intensity: string; verified: boolean }): string;
  /** The line listing rows without a rate, before the names. */
  notPlaced: string;
  /** The line listing the points whose number found no room on the chart, before the numbers. */
  unnumbered: string;
  /** A row's name in the legend and the not-placed line, as SVG markup (escaped by the function; tspans allowed). */
  name(row: RooflineRowName): string;
}

const ENGLISH: RooflineLabels = {
  xAxis: 'arithmetic intensity (FLOP/byte, log)',
  yAxis: 'attained GFLOP/s (log)',
  fmaRoof: (r) => `FMA roof ${r} GFLOP/s`,
  copyRoof: (r) => `copy roof ${r} GB/s`,
  tip: (p) => `${p.index}. ${p.label}: ${p.gflops} GFLOP/s at ${p.intensity} FLOP/byte${p.verified ? '' : ' (failed float64 check)'}`,
  legend: (p) => `${p.gflops} GFLOP/s at ${p.intensity} FLOP/byte${p.verified ? '' : ' — FAILED float64 check'}`,
  notPlaced: 'not placed (no rate):',
  unnumbered: 'points too crowded to number on the chart (see the legend):',
  name: (row) => esc(`${row.impl} · ${row.shape}`),
};

/** Sizes of the drawing, its title and its words (English unless given). */
export interface RooflineSvgOptions {
  width?: number;
  /** Height of the plot area; the legend adds a line per point below it. */
  plotHeight?: number;
  title?: string;
  labels?: Partial<RooflineLabels>;
  /**
   * Where the legend goes: 'inside' the SVG under the plot (the default: a file has no page around it), or
   * 'outside' (not drawn: the page lays out `rooflineChart`'s legend lines as HTML that wraps to its width).
   */
  legend?: 'inside' | 'outside';
}

/** One legend line, as markup (XML-escaped text, names in tspans) and the attribute that marks it. */
export interface RooflineLegendLine {
  /** 'legend' for a point's line (`index` is its number), 'not-placed' and 'unnumbered' for the two notes. */
  kind: 'legend' | 'not-placed' | 'unnumbered';
  index?: number;
  markup: string;
}

/** The chart as SVG and its legend's lines (drawn in the SVG too unless `legend: 'outside'`). */
export interface RooflineChart {
  svg: string;
  legend: RooflineLegendLine[];
}

/**
 * A legend line's markup for an HTML page: the tspans a row's name holds become spans (the rest is already
 * escaped text), so the page shows the same words as the SVG without formatting them again.
 */
export function legendHtml(markup: string): string {
  return markup.replace(/<tspan\b/g, '<span').replace(/<\/tspan>/g, '</span>');
}

/** The chart as a standalone SVG document string, its legend inside (see rooflineChart). */
export function rooflineSvg(model: RooflineModel, options: RooflineSvgOptions = {}): string {
  return rooflineChart(model, options).svg;
}

/**
 * The chart as a standalone SVG document string (no DOM needed): axes with decade ticks, the two roofs
 * (`data-roof="fma"`, `data-roof="copy"`), a numbered circle per point (`data-point`, with a `<title>`)
 * and a legend line per point; our kernels filled, other rows hollow, failed float64 checks in red. The
 * legend's lines are returned too, made once here: in the SVG (`data-legend`, `data-unnumbered`) unless
 * `legend: 'outside'`, where the page lays them out.
 */
export function rooflineChart(model: RooflineModel, options: RooflineSvgOptions = {}): RooflineChart {
  const width = options.width ?? 900;
  const plotH = options.plotHeight ?? 380;
  const title = options.title ?? 'Roofline: attained GFLOP/s against arithmetic intensity';
  const L: RooflineLabels = { ...ENGLISH, ...options.labels };
  const left = 70;
  const right = width - 20;
  const top = 40;
  const bottom = top + plotH;
  const legendTop = bottom + 50;
  const lineH = 16;
  const X = (v: number) => num(logScale(v, model.x, left, right));
  const Y = (v: number) => num(logScale(v, model.y, bottom, top));
  const out: string[] = [];
  // The root element and the background go first once the legend's height is known (it grows by a line when
  // some point numbers found no room on the chart).
  out.push('', `<title>${esc(title)}</title>`, '');
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="600">${esc(title)}</text>`);
  out.push(`<defs><clipPath id="plot"><rect x="${left}" y="${top}" width="${right - left}" height="${plotH}"/></clipPath></defs>`);
  // Grid and ticks.
  // Tick labels (12 px: the box from 11 px above the baseline to 3 px below). The y axis's lowest label sits
  // on the axis, not centred on it, so that it keeps clear of the x axis's first label at the corner.
  const tickText = (axis: 'x' | 'y', text: string, x: number, baseline: number, anchor: 'middle' | 'end') => {
    const w = textWidth(text, 12);
    const box = { left: anchor === 'middle' ? x - w / 2 : x - w, top: baseline - 11, width: w, height: 14 };
    return `<text data-tick="${axis}" data-box="${boxAttr(box)}" x="${x}" y="${num(baseline)}" text-anchor="${anchor}">${text}</text>`;
  };
  const xTicks = decadeTickLabels(model.x.ticks);
  model.x.ticks.forEach((t, i) => {
    out.push(`<line x1="${X(t)}" y1="${top}" x2="${X(t)}" y2="${bottom}" stroke="#ddd"/>`);
    out.push(tickText('x', xTicks[i], X(t), bottom + 16, 'middle'));
  });
  const yTicks = decadeTickLabels(model.y.ticks);
  model.y.ticks.forEach((t, i) => {
    out.push(`<line x1="${left}" y1="${Y(t)}" x2="${right}" y2="${Y(t)}" stroke="#ddd"/>`);
    out.push(tickText('y', yTicks[i], left - 6, i === 0 ? Y(t) - 1 : Y(t) + 4, 'end'));
  });
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${plotH}" fill="none" stroke="#555"/>`);
  out.push(`<text x="${(left + right) / 2}" y="${bottom + 34}" text-anchor="middle">${esc(L.xAxis)}</text>`);
  out.push(`<text transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(L.yAxis)}</text>`);
  // Roofs: each drawn across the whole plot (clipped); the attainable roof is the lower of the two. Their labels
  // sit beside the lines, never across either (roofline-labels.ts); the points' numbers keep off both.
  const plot: Box = { left, top, width: right - left, height: plotH };
  const roofLines: Segment[] = [];
  const roofs: string[] = [];
  const roofBoxes: Box[] = [];
  const fmaY = Number.isFinite(model.fmaRoof) && model.fmaRoof > 0 ? Y(model.fmaRoof) : null;
  if (fmaY !== null) roofLines.push({ x1: left, y1: fmaY, x2: right, y2: fmaY });
  const hasCopy = Number.isFinite(model.copyRoof) && model.copyRoof > 0;
  if (hasCopy) {
    const [x0, x1] = [model.x.min, model.x.max];
    roofLines.push({ x1: X(x0), y1: Y(model.copyRoof * x0), x2: X(x1), y2: Y(model.copyRoof * x1) });
  }
  // A label's box: 12 px text, baseline 11 px below its top.
  const roofLabel = (text: string, box: Box, colour: string) =>
    `<text data-box="${boxAttr(box)}" x="${num(box.left)}" y="${num(box.top + 11)}" fill="${colour}">${esc(text)}</text>`;
  if (fmaY !== null) {
    const text = L.fmaRoof(rate(model.fmaRoof));
    const [w, h] = [textWidth(text, 12), 14];
    const box = placeRoofLabel(
      [
        { left: right - 4 - w, top: fmaY - 3 - h, width: w, height: h },
        { left: left + 4, top: fmaY - 3 - h, width: w, height: h },
        { left: right - 4 - w, top: fmaY + 3, width: w, height: h },
        { left: left + 4, top: fmaY + 3, width: w, height: h },
      ],
      plot,
      roofLines,
    );
    roofBoxes.push(box);
    roofs.push(`<line data-roof="fma" x1="${left}" y1="${fmaY}" x2="${right}" y2="${fmaY}" stroke="#b35806" stroke-width="2"/>`);
    roofs.push(roofLabel(L.fmaRoof(rate(model.fmaRoof)), box, '#b35806'));
  }
  if (hasCopy) {
    const line = roofLines[roofLines.length - 1];
    roofs.push(`<line data-roof="copy" x1="${line.x1}" y1="${line.y1}" x2="${line.x2}" y2="${line.y2}" stroke="#542788" stroke-width="2"/>`);
    // The label sits along the line, a decade left of the ridge (or near the left edge) first: below the rising
    // line starting at that point, or above it ending there; then further along the line.
    const text = L.copyRoof(rate(model.copyRoof));
    const [w, h] = [textWidth(text, 12), 14];
    const first = Math.max(model.x.min * 1.2, (Number.isFinite(model.ridge) ? model.ridge : model.x.max) / 10);
    const spots = [first, ...Array.from({ length: 9 }, (_, k) => model.x.min * (model.x.max / model.x.min) ** ((k + 0.5) / 9))];
    const candidates = spots.flatMap((lx) => {
      const [px, py] = [X(lx), Y(model.copyRoof * lx)];
      return [
        { left: px + 2, top: py + 4, width: w, height: h },
        { left: px - 2 - w, top: py - 4 - h, width: w, height: h },
      ];
    });
    const box = placeRoofLabel(candidates, plot, roofLines, roofBoxes);
    roofBoxes.push(box);
    roofs.push(roofLabel(text, box, '#542788'));
  }
  out.push(`<g clip-path="url(#plot)">${roofs.join('')}</g>`);
  // Points: numbered beside the circle (or off it with a leader in a crowd), the full label in the legend and
  // the tooltip; a number with no room left is listed under the legend.
  const places = placePointLabels(
    model.points.map((p) => ({ x: X(p.intensity), y: Y(p.gflops), r: 6, width: textWidth(String(p.index), 11), height: 12 })),
    plot,
    roofBoxes,
    roofLines,
  );
  model.points.forEach((p, i) => {
    const colour = !p.verified ? '#d7191c' : p.ours ? '#1a9850' : '#2b83ba';
    const fill = p.ours ? colour : '#fff';
    const tip = L.tip({ index: p.index, label: p.label, gflops: rate(p.gflops), intensity: tickLabel(p.intensity), verified: p.verified });
    const place = places[i];
    const leader = place?.leader
      ? `<line data-leader="${p.index}" x1="${num(place.leader.x1)}" y1="${num(place.leader.y1)}" x2="${num(place.leader.x2)}" y2="${num(place.leader.y2)}" stroke="#888" stroke-width="1"/>`
      : '';
    const label = place
      ? `<text data-label="${p.index}" x="${num(place.box.left)}" y="${num(place.box.top + 9)}" font-size="11" data-box="${boxAttr(place.box)}">${p.index}</text>`
      : '';
    out.push(
      `<g data-point="${p.index}"><title>${esc(tip)}</title><circle cx="${X(p.intensity)}" cy="${Y(p.gflops)}" r="5" fill="${fill}" stroke="${colour}" stroke-width="2"/>` +
        `${leader}${label}</g>`,
    );
  });
  const legend: RooflineLegendLine[] = model.points.map((p) => ({
    kind: 'legend',
    index: p.index,
    markup: `${p.index}. ${L.name(p)}: ${esc(L.legend({ gflops: rate(p.gflops), intensity: tickLabel(p.intensity), verified: p.verified }))}`,
  }));
  if (model.unplaced.length) legend.push({ kind: 'not-placed', markup: `${esc(L.notPlaced)} ${model.unplacedRows.map((r) => L.name(r)).join('; ')}` });
  const unnumbered = model.points.filter((_, i) => !places[i]).map((p) => p.index);
  if (unnumbered.length) legend.push({ kind: 'unnumbered', markup: `${esc(L.unnumbered)} ${unnumbered.join(', ')}` });
  const inside = (options.legend ?? 'inside') === 'inside';
  if (inside) {
    legend.forEach((l, i) => {
      const attr = l.kind === 'legend' ? ` data-legend="${l.index}" font-size="11"` : l.kind === 'unnumbered' ? ' data-unnumbered' : '';
      out.push(`<text${attr} x="${left}" y="${legendTop + i * lineH}">${l.markup}</text>`);
    });
  }
  // Without the legend the drawing ends under the x axis's title.
  const height = inside ? legendTop + lineH * legend.length + 10 : bottom + 46;
  out[0] = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`;
  out[2] = `<rect width="${width}" height="${height}" fill="#fff"/>`;
  out.push('</svg>');
  return { svg: out.join('\n'), legend };
}
