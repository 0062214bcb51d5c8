// The roofline's words in the language shown (DOM-free): the Performance view passes them to rooflineSvg, which
// keeps its English defaults for bench-results/roofline.svg.
import { msg, str } from '@lit/localize';
import { esc, type RooflineLabels, type RooflineRowName } from '../bench/roofline';
import { benchImplText, benchShapeText, ROW_NAMES } from '../bench/row-words';

/** Worded text as SVG markup: names and formulas kept as they are, in translate="no" tspans. */
function markedSvg(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(ROW_NAMES)) {
    out += esc(text.slice(at, m.index)) + `<tspan translate="no">${esc(m[0])}</tspan>`;
    at = m.index + m[0].length;
  }
  return out + esc(text.slice(at));
}

/** One part of a row's name: worded (`shown`), or, for a form row-words.ts does not know, the English data marked so. */
function part(data: string, shown: string | null): string {
  return shown === null ? `<tspan lang="en" translate="no">${esc(data)}</tspan>` : markedSvg(shown);
}

/** A row's name in the legend, "implementation · shape", worded as the Performance table words them. */
export function rooflineRowName(row: RooflineRowName): string {
  return `${part(row.impl, benchImplText(row.impl))} · ${part(row.shape, benchShapeText(row.shape))}`;
}

/** The chart's words in the language shown. */
export function rooflinePageLabels(): RooflineLabels {
  return {
    xAxis: msg('arithmetic intensity (FLOP/byte, log)'),
    yAxis: msg('attained GFLOP/s (log)'),
    fmaRoof: (r) => msg(str`FMA roof ${r} GFLOP/s`),
    copyRoof: (r) => msg(str`copy roof ${r} GB/s`),
    // The tooltip names the point by its number (the legend line has the row's name).
    tip: (p) =>
      p.verified
        ? msg(str`Point ${p.index}: ${p.gflops} GFLOP/s at ${p.intensity} FLOP/byte`)
        : msg(str`Point ${p.index}: ${p.gflops} GFLOP/s at ${p.intensity} FLOP/byte (failed float64 check)`),
    legend: (p) =>
      p.verified ? msg(str`${p.gflops} GFLOP/s at ${p.intensity} FLOP/byte`) : msg(str`${p.gflops} GFLOP/s at ${p.intensity} FLOP/byte — FAILED float64 check`),
    notPlaced: msg('not placed (no rate):'),
    unnumbered: msg('points too crowded to number on the chart (see the legend):'),
    name: rooflineRowName,
  };
}
