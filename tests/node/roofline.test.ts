// The roofline model (intensities, roofs, log axes, point placement) and its SVG, in Node.
import { describe, expect, it } from 'vitest';
import {
  FLOP_PER_FLOAT,
  attainable,
  logAxis,
  logScale,
  logTicks,
  makeRoofline,
  matmulIntensity,
  rooflineSvg,
  rooflineChart,
  legendHtml,
  rowGflops,
  rowIntensity,
  tickLabel,
  decadeTickLabels,
} from '../../src/bench/roofline';
import { matmulFlop } from '../../src/bench/bench-math';
import { boxesOverlap } from '../../src/bench/roofline-labels';
import type { BenchRow } from '../../src/bench/runner';
import { benchRow as row } from '../helpers/bench-row';

/** A matmul row as the runner records it: 2mnk·batch FLOPs, 4 bytes per element of A, B and C. */
function mm(m: number, n: number, k: number, rate: number, p: Partial<BenchRow> = {}, batch = 1): BenchRow {
  const bytes = 4 * batch * (m * k + k * n + m * n);
  return row({ shape: `${m}×${n}×${k}`, flop: matmulFlop({ m, n, k, batch }), bytes, rate, ...p });
}

/**
 * A small XML well-formedness check (no XML parser is installed): every tag closes in order, attributes are
 * quoted, and text holds no raw '<' or a '&' that does not start an entity. Returns true or the first fault.
 */
function wellFormed(xml: string): true | string {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  let roots = 0;
  while ((m = token.exec(xml))) {
    const [, close, name, , self, text, stray] = m;
    if (stray) return `stray '<' at ${m.index}`;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) return `bare '&' in ${JSON.stringify(text)}`;
      if (stack.length === 0 && text.trim()) return 'text outside the root';
      continue;
    }
    if (close) {
      if (stack.pop() !== name) return `</${name}> closes the wrong element`;
    } else if (!self) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length) return `unclosed <${stack[stack.length - 1]}>`;
  return roots === 1 ? true : `${roots} root elements`;
}

describe('the well-formedness check itself', () => {
  it('accepts nested, self-closing and escaped markup; rejects the usual faults', () => {
    expect(wellFormed('<svg a="1"><g><t>x &amp; y</t><line b="2"/></g></svg>')).toBe(true);
    expect(wellFormed('<svg><g></svg>')).not.toBe(true);
    expect(wellFormed('<svg><t>a < b</t></svg>')).not.toBe(true);
    expect(wellFormed('<svg><t>a & b</t></svg>')).not.toBe(true);
    expect(wellFormed('<svg a=1></svg>')).not.toBe(true);
    expect(wellFormed('<svg></svg><svg></svg>')).not.toBe(true);
  });
});

describe('arithmetic intensity', () => {
  it('matmul: 2mnk / (4(mk + kn + mn)) FLOP/byte', () => {
    expect(matmulIntensity({ m: 256, n: 256, k: 256 })).toBeCloseTo(256 / 6, 12); // 2n³ / 12n²
    expect(matmulIntensity({ m: 1024, n: 1024, k: 1024 })).toBeCloseTo(1024 / 6, 12);
    expect(matmulIntensity({ m: 2, n: 3, k: 4 })).toBeCloseTo(48 / (4 * (8 + 12 + 6)), 12);
    // The row's own FLOPs over bytes give the same, batched or not.
    expect(rowIntensity(mm(256, 256, 256, 1))).toBeCloseTo(256 / 6, 12);
    expect(rowIntensity(mm(64, 64, 64, 1, {}, 64))).toBeCloseTo(matmulIntensity({ m: 64, n: 64, k: 64 }), 12);
  });
  it('moments and norms are bytes-bound: 3 and 2 FLOP per 4-byte float', () => {
    expect(FLOP_PER_FLOAT).toEqual({ moments: 3, norms: 2 });
    expect(rowIntensity(row({ group: 'moments', metric: 'GB/s' }))).toBe(0.75);
    expect(rowIntensity(row({ group: 'norms', metric: 'GB/s' }))).toBe(0.5);
    expect(rowIntensity(row({ group: 'roof', impl: 'copy (vec4)' }))).toBeNaN();
  });
  it('attained GFLOP/s: matmul its rate, memory rows GB/s × intensity', () => {
    expect(rowGflops(mm(64, 64, 64, 3.5))).toBe(3.5);
    expect(rowGflops(row({ group: 'moments', metric: 'GB/s', rate: 8 }))).toBe(6);
    expect(rowGflops(row({ group: 'norms', metric: 'GB/s', rate: 8 }))).toBe(4);
  });
});

describe('log axes', () => {
  it('ticks are the decades covering the range', () => {
    expect(logTicks(0.5, 42)).toEqual([0.1, 1, 10, 100]);
    expect(logTicks(1, 100)).toEqual([1, 10, 100]);
    expect(logTicks(0.001, 0.002)).toEqual([0.001, 0.01]);
    expect(logTicks(0, 10)).toEqual([]);
    expect(logTicks(NaN, 10)).toEqual([]);
  });
  it('an axis is at least a decade wide and ignores non-positive values', () => {
    expect(logAxis([10])).toEqual({ min: 10, max: 100, ticks: [10, 100] });
    expect(logAxis([0, -1, NaN, 3, 30])).toEqual({ min: 1, max: 100, ticks: [1, 10, 100] });
    expect(logAxis([])).toEqual({ min: 1, max: 10, ticks: [1, 10] });
  });
  it('log scale maps decades to equal steps', () => {
    const axis = { min: 1, max: 100 };
    expect(logScale(1, axis, 0, 200)).toBe(0);
    expect(logScale(10, axis, 0, 200)).toBeCloseTo(100, 9);
    expect(logScale(100, axis, 0, 200)).toBeCloseTo(200, 9);
    expect(logScale(10, axis, 300, 100)).toBeCloseTo(200, 9); // y grows upwards
  });
  it('tick labels', () => {
    expect(tickLabel(0.01)).toBe('0.01');
    expect(tickLabel(100)).toBe('100');
    expect(tickLabel(1e6)).toBe('1e+6');
    expect(tickLabel(1e-4)).toBe('1e-4');
  });
  it('an axis labels its decades in one notation (walk: 0.001, 0.01, … with 1e-4 at the bottom)', () => {
    expect(decadeTickLabels([1e-4, 1e-3, 0.01, 0.1, 1, 10])).toEqual(['0.0001', '0.001', '0.01', '0.1', '1', '10']);
    expect(decadeTickLabels([1, 10, 100, 1e3, 1e4])).toEqual(['1', '10', '100', '1000', '10000']);
    expect(decadeTickLabels([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10])).toEqual(['10⁻⁶', '10⁻⁵', '10⁻⁴', '10⁻³', '10⁻²', '10⁻¹', '10⁰', '10¹']);
    expect(decadeTickLabels([100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12])).toEqual([
      '10²',
      '10³',
      '10⁴',
      '10⁵',
      '10⁶',
      '10⁷',
      '10⁸',
      '10⁹',
      '10¹⁰',
      '10¹¹',
      '10¹²',
    ]);
    // Property: on any axis the labels are all plain or all powers of ten, and each reads as its value.
    for (let lo = -12; lo <= 8; lo++) {
      for (let hi = lo + 1; hi <= lo + 9; hi++) {
        const ticks = logTicks(10 ** lo, 10 ** hi);
        const labels = decadeTickLabels(ticks);
        const powers = labels.filter((l) => l.startsWith('10') && /[⁰¹²³⁴⁵⁶⁷⁸⁹]/.test(l)).length;
        expect([0, labels.length]).toContain(powers);
        labels.forEach((l, i) => {
          const v = powers ? 10 ** Number(l.slice(2).replace(/[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (c) => (c === '⁻' ? '-' : String('⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c))))) : Number(l);
          expect(v / ticks[i]).toBeCloseTo(1, 12);
        });
      }
    }
  });
  it('the drawn y axis uses that one notation', () => {
    const m = makeRoofline([mm(64, 64, 64, 0.0008), row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 's', rate: 5 })]);
    expect(m.y.ticks[0]).toBe(1e-4);
    const labels = [...rooflineSvg(m).matchAll(/data-tick="y"[^>]*>([^<]*)</g)].map((x) => x[1]);
    expect(labels).toEqual(['0.0001', '0.001', '0.01', '0.1', '1', '10']);
  });
});

const runRows = [
  row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'roof (start)', rate: 12 }),
  row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'roof (end)', rate: 8 }),
  row({ group: 'roof', impl: 'FMA roof', ours: false, shape: 'roof (mid)', rate: 10 }),
  mm(256, 256, 256, 6, { impl: 'ours: direct', variant: 'direct' }),
  mm(256, 256, 256, 0.5, { impl: 'tf.matMul', ours: false }),
  row({ group: 'roof', impl: 'copy (vec4)', ours: false, metric: 'GB/s', shape: '1M', floats: 1, rate: 4 }),
  row({ group: 'roof', impl: 'copy (vec4)', ours: false, metric: 'GB/s', shape: '4M', floats: 4, rate: 5 }),
  row({ group: 'moments', impl: 'ours: moments', metric: 'GB/s', shape: '4M', floats: 4, rate: 4 }),
  row({
    group: 'norms',
    impl: 'two-pass Σx² (plain)',
    ours: false,
    metric: 'GB/s',
    shape: '<1M> & co',
    floats: 1,
    rate: 0.02,
    verification: { ok: false, maxRelError: 1, checked: 1, firstBad: 0, how: 'x', rule: 'exact', total: 1 },
  }),
  row({ group: 'norms', impl: 'ours: norms', metric: 'GB/s', shape: 'not measured', floats: 1, rate: NaN }),
];

describe('roofline model', () => {
  const m = makeRoofline(runRows);
  it('roofs: the median FMA measurement and the best copy; they meet at the ridge', () => {
    expect(m.fmaRoof).toBe(10);
    expect(m.copyRoof).toBe(5);
    expect(m.ridge).toBe(2);
    expect(attainable(m, 1)).toBe(5); // below the ridge: bandwidth-bound
    expect(attainable(m, 100)).toBe(10); // above: compute-bound
    expect(makeRoofline(runRows, { fma: 20, copy: 2 })).toMatchObject({ fmaRoof: 20, copyRoof: 2, ridge: 10 });
  });
  it('one numbered point per kernel row at (intensity, GFLOP/s); roofs are lines, not points; unmeasured rows are listed', () => {
    expect(m.points.map((p) => [p.index, p.label, +p.intensity.toFixed(4), +p.gflops.toFixed(4), p.ours, p.verified])).toEqual([
      [1, 'ours: direct · 256×256×256', 42.6667, 6, true, true],
      [2, 'tf.matMul · 256×256×256', 42.6667, 0.5, false, true],
      [3, 'ours: moments · 4M', 0.75, 3, true, true],
      [4, 'two-pass Σx² (plain) · <1M> & co', 0.5, 0.01, false, false],
    ]);
    expect(m.unplaced).toEqual(['ours: norms · not measured']);
  });
  it('the axes hold every point and both roofs', () => {
    expect(m.x).toEqual({ min: 0.1, max: 100, ticks: [0.1, 1, 10, 100] });
    expect(m.y).toEqual({ min: 0.01, max: 10, ticks: [0.01, 0.1, 1, 10] });
  });
});

describe('roofline SVG', () => {
  const m = makeRoofline(runRows);
  const svg = rooflineSvg(m, { width: 700, plotHeight: 300, title: 'Roofline <tiny> & test' });
  it('is well-formed XML with an svg root', () => {
    expect(wellFormed(svg)).toBe(true);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Roofline &lt;tiny&gt; &amp; test');
  });
  it('draws both roofs, labelled with their rates', () => {
    expect(svg.match(/data-roof="fma"/g)).toHaveLength(1);
    expect(svg.match(/data-roof="copy"/g)).toHaveLength(1);
    expect(svg).toContain('FMA roof 10.0 GFLOP/s');
    expect(svg).toContain('copy roof 5.00 GB/s');
  });
  it('the FMA roof is horizontal at its rate; the copy roof rises one decade per decade', () => {
    const attrs = (name: string) =>
      Object.fromEntries([...svg.match(new RegExp(`<line data-roof="${name}"[^>]*>`))![0].matchAll(/(\w+)="([\d.-]+)"/g)].map((x) => [x[1], Number(x[2])]));
    const fma = attrs('fma');
    const top = 40;
    const bottom = top + 300;
    expect(fma.y1).toBe(fma.y2);
    // 10 GFLOP/s is the top of a 0.01..10 axis.
    expect(fma.y1).toBeCloseTo(top, 0);
    const copy = attrs('copy');
    // x spans 3 decades, y 3 decades over 300 px: slope 1 in log–log goes from 5·0.1 = 0.5 to 5·100 = 500.
    expect(copy.y1).toBeCloseTo(bottom - (Math.log10(0.5 / 0.01) / 3) * 300, 0);
    expect(copy.y2).toBeCloseTo(bottom - (Math.log10(500 / 0.01) / 3) * 300, 0);
  });
  it('one labelled point per kernel row, placed on the log axes, with a legend line each', () => {
    const points = [...svg.matchAll(/<g data-point="(\d+)"><title>([^<]*)<\/title><circle cx="([\d.]+)" cy="([\d.]+)"/g)];
    expect(points.map((p) => Number(p[1]))).toEqual([1, 2, 3, 4]);
    for (const p of points) expect(svg).toContain(`data-legend="${p[1]}"`);
    // Point 3: moments at 0.75 FLOP/byte, 3 GFLOP/s.
    const [, , title, cx, cy] = points[2];
    expect(title).toContain('ours: moments · 4M');
    expect(Number(cx)).toBeCloseTo(logScale(0.75, m.x, 70, 680), 0);
    expect(Number(cy)).toBeCloseTo(logScale(3, m.y, 340, 40), 0);
    expect(svg).toContain('FAILED float64 check');
    expect(svg).toContain('not placed (no rate): ours: norms · not measured');
  });
  it("no two tick labels touch, the corner's first x and lowest y label included (walk s10 N6)", () => {
    const models = [m, makeRoofline([mm(64, 64, 64, 0.0021), mm(2, 2, 2, 0.3)]), makeRoofline([...runRows, mm(4, 4, 4, 0.0004)])];
    for (const model of models) {
      const s = rooflineSvg(model);
      const boxes = [...s.matchAll(/data-tick="[xy]" data-box="([^"]+)"[^>]*>([^<]*)</g)].map((t) => {
        const [left, top, width, height] = t[1].split(' ').map(Number);
        return { text: t[2], box: { left, top, width, height } };
      });
      expect(boxes).toHaveLength(model.x.ticks.length + model.y.ticks.length);
      boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(boxesOverlap(a.box, b.box, 1), `${a.text} and ${b.text}`).toBe(false)));
    }
  });
  it("legend 'outside': the SVG holds no legend and ends under the axis title; the lines are the inside legend's, made once", () => {
    const notNumbered = makeRoofline([...runRows, ...Array.from({ length: 30 }, (_, i) => mm(64, 64, 64, 1 + i * 0.001))]);
    for (const model of [m, notNumbered]) {
      const inside = rooflineChart(model);
      const outside = rooflineChart(model, { legend: 'outside' });
      expect(outside.svg).not.toMatch(/data-legend|data-unnumbered|not placed/);
      expect(wellFormed(outside.svg)).toBe(true);
      expect(Number(outside.svg.match(/height="(\d+)"/)![1])).toBe(40 + 380 + 46);
      expect(outside.legend).toEqual(inside.legend);
      // The SVG's legend texts are exactly these lines, in order.
      const drawn = [...inside.svg.matchAll(/<text (?:data-legend="\d+" font-size="11" |data-unnumbered )?x="70" y="\d+(?:\.\d+)?">(.*)<\/text>/g)].map(
        (t) => t[1],
      );
      expect(drawn).toEqual(inside.legend.map((l) => l.markup));
      expect(inside.legend.filter((l) => l.kind === 'legend').map((l) => l.index)).toEqual(model.points.map((p) => p.index));
    }
    expect(rooflineChart(notNumbered).legend.at(-1)).toMatchObject({ kind: 'unnumbered' });
    expect(rooflineChart(m).legend.at(-1)).toEqual({ kind: 'not-placed', markup: 'not placed (no rate): ours: norms · not measured' });
  });
  it('a legend line as HTML: its tspans become spans, the escaped text stays as it is', () => {
    expect(legendHtml('1. <tspan translate="no">tiled</tspan> · a &lt;b&gt;: <tspan lang="en" translate="no">x</tspan>')).toBe(
      '1. <span translate="no">tiled</span> · a &lt;b&gt;: <span lang="en" translate="no">x</span>',
    );
  });
  it('with no roofs measured, no roof lines and still valid', () => {
    const s = rooflineSvg(makeRoofline([mm(64, 64, 64, 2)]));
    expect(wellFormed(s)).toBe(true);
    expect(s).not.toContain('data-roof');
    expect(s.match(/data-point=/g)).toHaveLength(1);
  });
});
