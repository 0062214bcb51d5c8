import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';
import { makeDepthSweep, makeWideSweep } from './viz-data';
import { cellInfo, makeHeatmapModel } from '../../src/viz/heatmap-model';
import { VIRIDIS } from '../../src/viz/colormap';
import { formatMagnitude } from '../../src/locale-format';
import type { GpHeatmap, HeatmapLayout } from '../../src/ui/gp-heatmap';
import type { Viz } from './viz';

declare global {
  interface Window {
    viz: Viz;
    rowSelects: { row: number; target: string }[];
    /** The mounted heatmap (it may sit inside another shadow root). */
    hm: () => GpHeatmap;
  }
}

type Page = HarnessPage['page'];
let h: HarnessPage;
const model = makeHeatmapModel(makeDepthSweep());
const COLS = 20;

beforeAll(async () => {
  h = await openHarness('/tests/browser/viz.html');
  // Test files share one browser: without this, a page another file brought to the front takes the focus, and
  // focus-driven behaviour (tooltips on focus, keyboard navigation) would depend on which file ran when.
  await h.page.emulateFocusedPage(true);
  // High-DPI: every CSS pixel is 2 × 2 device pixels, so blurry scaling would show at cell edges.
  await h.page.setViewport({ width: 900, height: 1000, deviceScaleFactor: 2 });
  await h.page.waitForFunction(() => window.viz?.ready === true);
});
afterAll(() => h?.close());

/** Mounts a fresh <gp-heatmap> in #host and waits until it has been measured and drawn. */
async function mount(page: Page, kind: 'depth' | 'wide' = 'depth', inShadow = false): Promise<HeatmapLayout> {
  return page.evaluate(
    async (kind, inShadow) => {
      let host: Element | ShadowRoot = document.getElementById('host')!;
      host.replaceChildren();
      if (inShadow) {
        // Like the lab page: the heatmap lives in another component's shadow root.
        const wrap = document.createElement('div');
        host.append(wrap);
        host = wrap.attachShadow({ mode: 'open' });
      }
      if (!window.rowSelects) {
        document.addEventListener('row-select', (e) => {
          window.rowSelects.push({ row: (e as CustomEvent<{ row: number }>).detail.row, target: (e.target as Element).tagName });
        });
      }
      window.rowSelects = [];
      const el = document.createElement('gp-heatmap');
      el.data = kind === 'wide' ? window.viz.makeWideSweep() : window.viz.makeDepthSweep();
      host.append(el);
      window.hm = () => el;
      await el.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await el.updateComplete;
      return JSON.parse(JSON.stringify(el.layout)) as HeatmapLayout;
    },
    kind,
    inShadow,
  );
}

/** RGBA of device pixels (x, y) of the heatmap's canvas. */
function pixels(page: Page, pts: [number, number][]): Promise<number[][]> {
  return page.evaluate((pts) => {
    const canvas = window.hm().shadowRoot!.querySelector('canvas')!;
    const ctx = canvas.getContext('2d')!;
    return pts.map(([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data));
  }, pts);
}

/** Centre of cell (row, col) in CSS px relative to the canvas. */
function cellCentre(lay: HeatmapLayout, row: number, col: number): [number, number] {
  return [lay.plot.x + (col + 0.5) * lay.cellWidth, lay.plot.y + (row + 0.5) * lay.cellHeight];
}

function expectedRgba(row: number, col: number): number[] {
  const i = 4 * (row * COLS + col);
  const c = Array.from(model.rgba.slice(i, i + 4));
  return c[3] === 0 ? [255, 255, 255, 255] : c; // 'none' is transparent over the white background
}

/** Moves the mouse to CSS point (x, y) of the canvas. */
async function hoverAt(page: Page, x: number, y: number): Promise<void> {
  const box = await page.evaluate(() => {
    const r = window.hm().shadowRoot!.querySelector('canvas')!.getBoundingClientRect();
    return { left: r.left, top: r.top };
  });
  await page.mouse.move(box.left + x, box.top + y);
}

const shadowText = (page: Page, selector: string) =>
  page.evaluate((s) => window.hm().shadowRoot!.querySelector(s)?.textContent?.replace(/\s+/g, ' ').trim() ?? null, selector);

describe('<gp-heatmap>', () => {
  it('draws every cell in its model colour, into a device-pixel-sized canvas', async () => {
    const lay = await mount(h.page);
    const size = await h.page.evaluate(() => {
      const c = window.hm().shadowRoot!.querySelector('canvas')!;
      return { dpr: window.devicePixelRatio, w: c.width, h: c.height, cssW: c.getBoundingClientRect().width };
    });
    expect(size.dpr).toBe(2);
    expect(size.w).toBe(Math.round(lay.width * 2));
    expect(size.h).toBe(Math.round(lay.height * 2));
    expect(size.cssW).toBeCloseTo(lay.width, 3);

    const cells: [number, number][] = [];
    for (let r = 0; r < model.rows; r++) for (let c = 0; c < COLS; c++) cells.push([r, c]);
    const got = await pixels(
      h.page,
      cells.map(([r, c]) => cellCentre(lay, r, c).map((v) => Math.floor(v * 2)) as [number, number]),
    );
    const wrong = cells.filter(([r, c], i) => got[i].join() !== expectedRgba(r, c).join());
    expect(wrong, `cells drawn in the wrong colour: ${JSON.stringify(wrong.slice(0, 5))}`).toEqual([]);

    // The planted cells really are the special colours (guards against a model that is wrong too).
    const [nan, over, under] = await pixels(
      h.page,
      (
        [
          [11, 7],
          [18, 17],
          [5, 0],
        ] as const
      ).map(([r, c]) => cellCentre(lay, r, c).map((v) => Math.floor(v * 2)) as [number, number]),
    );
    expect(nan).toEqual([0, 0, 0, 255]);
    expect(over).toEqual([0xd6, 0x27, 0x28, 255]);
    expect(under).toEqual([0xa6, 0xc8, 0xff, 255]);
  });

  it('keeps cell edges sharp at devicePixelRatio 2 (no smoothing across cells)', async () => {
    const lay = await mount(h.page);
    // Cells are whole device pixels wide and start on a device pixel.
    expect(Number.isInteger(lay.cellWidth * 2)).toBe(true);
    expect(Number.isInteger(lay.plot.x * 2) && Number.isInteger(lay.plot.y * 2)).toBe(true);
    // Horizontal neighbours in the last row (L = 20): layers 4 | 5.
    const bx = (lay.plot.x + 4 * lay.cellWidth) * 2;
    const cy = Math.floor(cellCentre(lay, 19, 3)[1] * 2);
    // Vertical neighbours in layer 1: L = 18 above L = 19.
    const by = (lay.plot.y + 18 * lay.cellHeight) * 2;
    const cx = Math.floor(cellCentre(lay, 17, 0)[0] * 2);
    const [left, right, above, below] = await pixels(h.page, [
      [bx - 1, cy],
      [bx, cy],
      [cx, by - 1],
      [cx, by],
    ]);
    expect(expectedRgba(19, 3)).not.toEqual(expectedRgba(19, 4));
    expect(left).toEqual(expectedRgba(19, 3));
    expect(right).toEqual(expectedRgba(19, 4));
    expect(above).toEqual(expectedRgba(17, 0));
    expect(below).toEqual(expectedRgba(18, 0));
  });

  it('draws the colour bar from viridis low (bottom) to high (top)', async () => {
    const lay = await mount(h.page);
    const x = Math.floor((lay.bar.x + lay.bar.width / 2) * 2);
    const [top, bottom] = await pixels(h.page, [
      [x, Math.floor(lay.bar.y * 2) + 1],
      [x, Math.floor((lay.bar.y + lay.bar.height) * 2) - 2],
    ]);
    const close = (a: number[], b: number[]) => a.slice(0, 3).every((v, i) => Math.abs(v - b[i]) <= 4);
    expect(close(top, Array.from(VIRIDIS.slice(765, 768))), `top ${top}`).toBe(true);
    expect(close(bottom, Array.from(VIRIDIS.slice(0, 3))), `bottom ${bottom}`).toBe(true);
  });

  it('shows the hovered cell in a tooltip', async () => {
    const lay = await mount(h.page);
    const tip = async (r: number, c: number) => {
      await hoverAt(h.page, ...cellCentre(lay, r, c));
      return shadowText(h.page, '.tip');
    };
    const v = model.data.values[11 * COLS + 4];
    expect(await tip(11, 4)).toBe(`depth L = 12, layer 5 ‖∂J/∂W[l]‖ = ${formatMagnitude(v)} status: finite`);
    expect(await tip(11, 7)).toBe('depth L = 12, layer 8 ‖∂J/∂W[l]‖ = NaN status: NaN');
    expect(await tip(18, 17)).toBe('depth L = 19, layer 18 ‖∂J/∂W[l]‖ = ∞ status: overflow');
    expect(await tip(19, 18)).toBe('depth L = 20, layer 19 ‖∂J/∂W[l]‖ = 3.5e38 status: overflow');
    expect(await tip(5, 1)).toBe('depth L = 6, layer 2 ‖∂J/∂W[l]‖ = 0 status: underflow');
    expect(await tip(2, 10)).toBe('depth L = 3, layer 11 no such layer');
    await h.page.screenshot({ path: '/tmp/heatmap-hover.png' });
    await hoverAt(h.page, lay.plot.x - 20, lay.plot.y - 5);
    expect(await shadowText(h.page, '.tip')).toBeNull();
  });

  it('moves a focused cell with the keyboard, announces it, and selects the row with Enter', async () => {
    const lay = await mount(h.page);
    // The readout follows focus and keys through Lit's asynchronous update (and the page may be in the
    // background while other test files run): wait until it shows the expected text, then assert it.
    const readout = () => shadowText(h.page, '#readout');
    const expectReadout = async (expected: string) => {
      await h.page
        .waitForFunction(
          (t) => window.hm().shadowRoot!.querySelector('#readout')!.textContent!.replace(/\s+/g, ' ').trim() === t,
          { timeout: 10_000, polling: 50 },
          expected,
        )
        .catch(() => undefined); // the assertion below reports what was there instead
      expect(await readout()).toBe(expected);
    };
    expect(await h.page.evaluate(() => window.hm().shadowRoot!.querySelector('#readout')!.getAttribute('aria-live'))).toBe('polite');
    expect(await readout()).toBe('');

    // Focus ring: the pixel 3 CSS px left of cell (L = 10, l = 3) turns black once the cell has focus.
    const ringPx: [number, number] = [Math.floor((lay.plot.x + 2 * lay.cellWidth) * 2) - 6, Math.floor(cellCentre(lay, 9, 2)[1] * 2)];
    const [before] = await pixels(h.page, [ringPx]);
    expect(before).toEqual(expectedRgba(9, 1));

    await h.page.evaluate(() => window.hm().shadowRoot!.querySelector('canvas')!.focus());
    await expectReadout(cellInfo(model, 0, 0).text);
    for (let i = 0; i < 11; i++) await h.page.keyboard.press('ArrowDown');
    for (let i = 0; i < 7; i++) await h.page.keyboard.press('ArrowRight');
    await expectReadout('depth L = 12, layer 8: ‖∂J/∂W[l]‖ = NaN');
    await h.page.keyboard.press('End');
    await expectReadout(cellInfo(model, 11, 11).text); // last layer of a depth-12 net
    await h.page.keyboard.press('Home');
    await expectReadout(cellInfo(model, 11, 0).text);
    await h.page.keyboard.press('ArrowUp');
    await h.page.keyboard.press('ArrowUp');
    for (let i = 0; i < 2; i++) await h.page.keyboard.press('ArrowRight');
    await expectReadout(`depth L = 10, layer 3: ‖∂J/∂W[l]‖ = ${formatMagnitude(model.data.values[9 * COLS + 2])}`);
    const [after] = await pixels(h.page, [ringPx]);
    expect(after).toEqual([0, 0, 0, 255]);
    // Clamped at the edges.
    for (let i = 0; i < 30; i++) await h.page.keyboard.press('ArrowUp');
    await expectReadout(cellInfo(model, 0, 2).text);

    await h.page.keyboard.press('Enter');
    const state = await h.page.evaluate(() => ({ events: window.rowSelects, selected: window.hm().selectedRow }));
    // Caught on document: the event bubbles.
    expect(state.events).toEqual([{ row: 0, target: 'GP-HEATMAP' }]);
    expect(state.selected).toBe(0);
  });

  it('selects a row on click, with an event that leaves an enclosing shadow root', async () => {
    const lay = await mount(h.page, 'depth', true);
    const [x, y] = cellCentre(lay, 4, 1);
    const box = await h.page.evaluate(() => {
      const r = window.hm().shadowRoot!.querySelector('canvas')!.getBoundingClientRect();
      return { left: r.left, top: r.top };
    });
    await h.page.mouse.click(box.left + x, box.top + y);
    // Caught on document although the heatmap is inside a shadow root: bubbles + composed (retargeted to the wrapper).
    expect(await h.page.evaluate(() => window.rowSelects)).toEqual([{ row: 4, target: 'DIV' }]);
    expect(await h.page.evaluate(() => window.hm().selectedRow)).toBe(4);
  });

  it('shows the same numbers in the table view', async () => {
    await mount(h.page);
    expect(await shadowText(h.page, 'table')).toBeNull();
    await h.page.evaluate(() => (window.hm().shadowRoot!.querySelector('.toolbar button') as HTMLButtonElement).click());
    await h.page.evaluate(() => window.hm().updateComplete);
    const table = await h.page.evaluate(() => {
      const t = window.hm().shadowRoot!.querySelector('table')!;
      return {
        head: Array.from(t.querySelectorAll('thead th')).map((e) => e.textContent!.trim()),
        rows: Array.from(t.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.children).map((e) => e.textContent!.trim())),
        pressed: window.hm().shadowRoot!.querySelector('.toolbar button')!.getAttribute('aria-pressed'),
      };
    });
    expect(table.pressed).toBe('true');
    expect(table.head).toEqual(['depth L \\ layer', ...Array.from({ length: 20 }, (_, i) => String(i + 1))]);
    expect(table.rows.length).toBe(20);
    for (let r = 0; r < 20; r++) {
      expect(table.rows[r][0]).toBe(String(r + 1));
      for (let c = 0; c < COLS; c++) {
        const info = cellInfo(model, r, c);
        expect(table.rows[r][c + 1], `row ${r} col ${c}`).toBe(info.status === 'none' ? '—' : info.valueText);
      }
    }
    expect(table.rows[11][8]).toBe('NaN');
    expect(table.rows[18][18]).toBe('∞ (overflow)');
    expect(table.rows[5][1]).toBe('0 (underflow)');
    expect(table.rows[11][5]).toBe(formatMagnitude(1.5 ** 5 * 10 ** (-11 / 4)));
  });

  it('pages the table 32 layers at a time for wide grids', async () => {
    await mount(h.page, 'wide');
    await h.page.evaluate(() => (window.hm().shadowRoot!.querySelector('.toolbar button') as HTMLButtonElement).click());
    const page = () =>
      h.page.evaluate(async () => {
        const root = window.hm().shadowRoot!;
        await window.hm().updateComplete;
        return {
          note: root.querySelector('.pager span')!.textContent!.trim(),
          head: Array.from(root.querySelectorAll('thead th')).map((e) => e.textContent!.trim()),
          lastRow: Array.from(root.querySelectorAll('tbody tr:last-child > *')).map((e) => e.textContent!.trim()),
        };
      });
    const p1 = await page();
    expect(p1.note).toBe('layers 1–32 of 128');
    expect(p1.head.length).toBe(33);
    await h.page.evaluate(() => (window.hm().shadowRoot!.querySelectorAll('.pager button')[1] as HTMLButtonElement).click());
    const p2 = await page();
    expect(p2.note).toBe('layers 33–64 of 128');
    expect(p2.head.slice(1, 3)).toEqual(['33', '34']);
    const wide = makeHeatmapModel(makeWideSweep());
    expect(p2.lastRow[1]).toBe(cellInfo(wide, 7, 32).valueText);
  });

  it('exports a PNG with the cells and the colour bar', async () => {
    const lay = await mount(h.page);
    const out = await h.page.evaluate(async (lay) => {
      const el = window.hm();
      const url = el.toDataURL();
      const blob = await el.toPngBlob();
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const at = (x: number, y: number) => Array.from(ctx.getImageData(Math.floor(x * 2), Math.floor(y * 2), 1, 1).data);
      return {
        prefix: url.slice(0, 22),
        blobType: blob.type,
        blobSize: blob.size,
        w: img.naturalWidth,
        h: img.naturalHeight,
        cell: at(lay.plot.x + 4.5 * lay.cellWidth, lay.plot.y + 11.5 * lay.cellHeight),
        nan: at(lay.plot.x + 7.5 * lay.cellWidth, lay.plot.y + 11.5 * lay.cellHeight),
        barTop: at(lay.bar.x + lay.bar.width / 2, lay.bar.y + 1),
      };
    }, lay);
    expect(out.prefix).toBe('data:image/png;base64,');
    expect(out.blobType).toBe('image/png');
    expect(out.blobSize).toBeGreaterThan(2000);
    expect(out.w).toBe(Math.round(lay.width * 2));
    expect(out.h).toBe(Math.round(lay.height * 2));
    expect(out.cell).toEqual(expectedRgba(11, 4));
    expect(out.nan).toEqual([0, 0, 0, 255]);
    expect(out.barTop.slice(0, 3).every((v, i) => Math.abs(v - VIRIDIS[765 + i]) <= 4)).toBe(true);
  });

  it('outlines the selected row (and the focused cell), then takes a screenshot for a human check', async () => {
    const lay = await mount(h.page);
    // Just left of the plot, at row L = 12: the grey frame before selection, the black outline after.
    const px: [number, number] = [Math.floor(lay.plot.x * 2) - 3, Math.floor(cellCentre(lay, 11, 0)[1] * 2)];
    const [before] = await pixels(h.page, [px]);
    await h.page.evaluate(async () => {
      window.hm().selectedRow = 11;
      await window.hm().updateComplete;
    });
    const [after] = await pixels(h.page, [px]);
    expect(before).not.toEqual([0, 0, 0, 255]);
    expect(after).toEqual([0, 0, 0, 255]);
    // Focus starts on the selected row.
    await h.page.evaluate(() => window.hm().shadowRoot!.querySelector('canvas')!.focus());
    for (let i = 0; i < 4; i++) await h.page.keyboard.press('ArrowRight');
    expect(await shadowText(h.page, '#readout')).toBe(cellInfo(model, 11, 4).text);
    const el = await h.page.$('gp-heatmap');
    await el!.screenshot({ path: '/tmp/heatmap.png' });
  });

  // Review item: on a 390 px phone the legend's later items were drawn below the canvas (the layout counted
  // legend lines in the 9 px superscript font the colour-bar ticks leave set, the drawing wraps in 12 px),
  // so they were cut off under the Export row; and the layer numbers ran into each other ("80100120").
  it('draws every legend item and layer label inside the canvas, without overlaps, on a phone-wide chart', async () => {
    for (const [kind, px] of [
      ['depth', 240],
      ['depth', 270],
      ['depth', 300],
      ['depth', 330],
      ['wide', 300],
    ] as const) {
      const out = await h.page.evaluate(
        async (kind, px) => {
          const host = document.getElementById('host')!;
          host.replaceChildren();
          const box = document.createElement('div');
          box.style.width = `${px}px`;
          host.append(box);
          const texts: { text: string; x: number; y: number; w: number; align: string; baseline: string }[] = [];
          const proto = CanvasRenderingContext2D.prototype;
          const fillText = proto.fillText;
          proto.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number) {
            if (this.canvas.isConnected) texts.push({ text, x, y, w: this.measureText(text).width, align: this.textAlign, baseline: this.textBaseline });
            return fillText.call(this, text, x, y);
          };
          try {
            const el = document.createElement('gp-heatmap');
            el.data = kind === 'wide' ? window.viz.makeWideSweep() : window.viz.makeDepthSweep();
            el.domain = { min: -40, max: 40 }; // the Depth lab's lesson scale: decade ticks 10⁻⁴⁰ … 10⁴⁰
            box.append(el);
            window.hm = () => el;
            await el.updateComplete;
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            await el.updateComplete;
            texts.length = 0; // the texts of one drawing: redraw once more, as it stands
            el.requestUpdate();
            await el.updateComplete;
            const lay = el.layout!;
            const legendNames = el.heatmapModel!.legend.map((e) => `${e.label}: ${e.count}`);
            const legend = texts.filter((t) => legendNames.includes(t.text));
            const layerLabels = texts.filter((t) => t.baseline === 'top' && t.align === 'center' && /^\d+$/.test(t.text));
            const canvas = el.shadowRoot!.querySelector('canvas')!.getBoundingClientRect();
            return {
              width: lay.width,
              height: lay.height,
              boxWidth: box.getBoundingClientRect().width,
              canvasRight: canvas.right - box.getBoundingClientRect().left,
              legendNames,
              legend: legend.map((t) => ({ text: t.text, right: t.x + t.w, bottom: t.y + 7 })),
              layerLabels: layerLabels.map((t) => ({ text: t.text, left: t.x - t.w / 2, right: t.x + t.w / 2 })),
            };
          } finally {
            proto.fillText = fillText;
          }
        },
        kind,
        px,
      );
      expect(out.canvasRight, `${kind}: the canvas is wider than its box`).toBeLessThanOrEqual(out.boxWidth + 0.5);
      expect(out.legendNames.length, `${kind}: the sample has a legend`).toBeGreaterThanOrEqual(kind === 'depth' ? 4 : 1);
      // Every item drawn, once, inside the canvas.
      expect(out.legend.map((t) => t.text).sort(), kind).toEqual([...out.legendNames].sort());
      for (const t of out.legend) {
        expect(t.bottom, `${kind}: legend item “${t.text}” is cut off at the bottom`).toBeLessThanOrEqual(out.height);
        expect(t.right, `${kind}: legend item “${t.text}” is cut off at the right`).toBeLessThanOrEqual(out.width);
      }
      expect(out.layerLabels.length, kind).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < out.layerLabels.length; i++) {
        const [a, b] = [out.layerLabels[i - 1], out.layerLabels[i]];
        expect(b.left, `${kind}: layer labels ${a.text} and ${b.text} overlap`).toBeGreaterThan(a.right);
      }
    }
  });
});

describe('<gp-line-chart>', () => {
  it('draws measured (solid, points) and predicted (dashed) series with non-finite markers', async () => {
    const d = makeDepthSweep();
    const r = 19; // L = 20: overflow at layers 17..20
    const values = Array.from(d.values.slice(r * COLS, r * COLS + COLS));
    const status = Array.from(d.status as Uint8Array).slice(r * COLS, r * COLS + COLS);
    status[3] = 2; // underflow at layer 4
    values[9] = NaN; // NaN at layer 10 (status 'finite' → drawn as NaN)
    const out = await h.page.evaluate(
      async (values, status) => {
        const host = document.getElementById('host')!;
        host.replaceChildren();
        const lc = document.createElement('gp-line-chart');
        lc.series = [
          { label: 'measured', values: new Float64Array(values.map((v) => (v === null ? NaN : v))), status: new Uint8Array(status) },
          { label: 'prediction', values: new Float64Array(20).map((_, i) => 1.5 ** (i + 1) * 10 ** (-19 / 4) * 1.3), dashed: true },
        ];
        lc.yTitle = '‖∂J/∂W[l]‖';
        host.append(lc);
        await lc.updateComplete;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        await lc.updateComplete;
        const root = lc.shadowRoot!;
        const paths = Array.from(root.querySelectorAll('path.series'));
        return {
          role: root.querySelector('svg')!.getAttribute('role'),
          title: root.querySelector('svg > title')!.textContent,
          desc: root.querySelector('svg > desc')!.textContent,
          series: paths.map((p) => ({
            label: p.getAttribute('data-label'),
            dash: p.getAttribute('stroke-dasharray'),
            moves: (p.getAttribute('d')!.match(/M/g) ?? []).length,
          })),
          overflow: Array.from(root.querySelectorAll('.marker.overflow')).map((e) => Number(e.getAttribute('data-layer'))),
          underflow: Array.from(root.querySelectorAll('.marker.underflow')).map((e) => Number(e.getAttribute('data-layer'))),
          nan: Array.from(root.querySelectorAll('.marker.nan')).map((e) => Number(e.getAttribute('data-layer'))),
          points: root.querySelectorAll('circle.point').length,
          yTicks: Array.from(root.querySelectorAll('text.ytick')).map((e) => e.textContent!.replace(/\s+/g, '')),
          legend: Array.from(root.querySelectorAll('.legend-item text')).map((e) => e.textContent),
          overflowTop: root.querySelector('.marker.overflow')!.getBoundingClientRect().top - root.querySelector('rect.axis')!.getBoundingClientRect().top,
        };
      },
      values.map((v) => (Number.isNaN(v) ? null : v)),
      status,
    );
    expect(out.role).toBe('img');
    expect(out.title).toBe('‖∂J/∂W[l]‖ by layer l');
    expect(out.desc).toContain('measured: 20 layers');
    expect(out.desc).toContain('4 overflow, 1 underflow, 1 NaN');
    expect(out.series).toEqual([
      { label: 'measured', dash: null, moves: 3 }, // runs 1–3, 5–9, 11–16
      { label: 'prediction', dash: '6 4', moves: 1 },
    ]);
    expect(out.overflow).toEqual([17, 18, 19, 20]);
    expect(out.underflow).toEqual([4]);
    expect(out.nan).toEqual([10]);
    expect(out.points).toBe(14); // finite measured points; the dashed prediction has none
    expect(out.overflowTop).toBeLessThan(4); // ▲ sits at the top edge
    // Decade ticks as 10^k (the superscript is a tspan), covering the finite data.
    expect(out.yTicks).toContain('10-3');
    expect(out.yTicks.every((t) => /^10-?\d+$/.test(t))).toBe(true);
    expect(out.legend).toEqual(['measured', 'prediction', 'overflow (above 1e38)', 'underflow (below 1e-37)', 'NaN']);
    const el = await h.page.$('gp-line-chart');
    await el!.screenshot({ path: '/tmp/linechart.png' });
  });

  // Item 9 of the learner-first issue: the y title overprinted the tick labels next to it, and a long legend
  // (measured, predicted, a pinned run's line, the markers) ran over the chart. No text box may overlap
  // another or stick out of the chart, at a narrow width and with non-decade tick labels.
  it('marks a legitimate 0 (Var z of equal entries) as exactly 0, not as underflow', async () => {
    // An identity net on an all-ones input: Var z is exactly 0 at every layer ('finite'), then lost.
    const out = await h.page.evaluate(async () => {
      const host = document.getElementById('host')!;
      host.replaceChildren();
      const lc = document.createElement('gp-line-chart');
      lc.series = [
        {
          label: 'measured',
          values: new Float64Array([0, 0, 0, 0, 0.5, 1]),
          status: ['finite', 'finite', 'finite', 'finite', 'lost', 'lost'],
        },
      ];
      lc.yTitle = 'Var z';
      host.append(lc);
      await lc.updateComplete;
      const root = lc.shadowRoot!;
      return {
        zero: Array.from(root.querySelectorAll('.marker.zero')).map((e) => Number(e.getAttribute('data-layer'))),
        underflow: root.querySelectorAll('.marker.underflow').length,
        legend: Array.from(root.querySelectorAll('.legend-item text')).map((e) => e.textContent),
        desc: root.querySelector('svg > desc')!.textContent,
        yTitle: Array.from(root.querySelectorAll('text.title'))
          .map((t) => t.textContent)
          .find((t) => t !== 'layer l'),
      };
    });
    expect(out.yTitle, 'the y axis says it is logarithmic').toBe('Var z (log scale)');
    expect(out.zero).toEqual([1, 2, 3, 4]);
    expect(out.underflow).toBe(0);
    expect(out.legend).toEqual(['measured', 'exactly 0', 'after a value passed 1e38 or became NaN']);
    expect(out.desc).toContain('4 exactly 0, 2 after a value passed 1e38 or became NaN');
    expect(out.desc).not.toMatch(/underflow/);
  });

  it('shades a lost layer over the whole plot only where every solid series is lost; one lost series of several gets its own small markers', async () => {
    const heights = await h.page.evaluate(async () => {
      const host = document.getElementById('host')!;
      const draw = async (series: { label: string; values: number[]; status: string[] }[]) => {
        host.replaceChildren();
        const lc = document.createElement('gp-line-chart');
        lc.series = series.map((x) => ({ label: x.label, values: new Float64Array(x.values), status: x.status }));
        lc.yTitle = 'J';
        host.append(lc);
        await lc.updateComplete;
        return Array.from(lc.shadowRoot!.querySelectorAll('rect.marker.lost')).map((r) => [
          Number(r.getAttribute('data-layer')),
          Number(r.getAttribute('height')),
        ]);
      };
      const exploded = { label: 'normal × 1', values: [1e44, 0, 0, 0], status: ['overflow', 'lost', 'lost', 'lost'] };
      const healthy = { label: 'he-normal × 1', values: [8.7, 8.1, 7.9, 7.8], status: ['finite', 'finite', 'finite', 'finite'] };
      return { several: await draw([exploded, healthy]), alone: await draw([exploded]) };
    });
    expect(heights.several).toEqual([
      [2, 8],
      [3, 8],
      [4, 8],
    ]);
    expect(heights.alone.map(([layer]) => layer)).toEqual([2, 3, 4]);
    for (const [, height] of heights.alone) expect(height).toBeGreaterThan(100);
  });

  it('keeps a curve at the top of the range clear of the top-edge markers, and draws a sparse series at its own x with open rings, explained by a legend key', async () => {
    const out = await h.page.evaluate(async () => {
      const host = document.getElementById('host')!;
      host.replaceChildren();
      const lc = document.createElement('gp-line-chart');
      lc.series = [
        // Lost after an overflow: squares along the top edge at steps 2–5.
        { label: 'normal × 1', values: new Float64Array([1e44, 0, 0, 0, 0]), status: ['overflow', 'lost', 'lost', 'lost', 'lost'] },
        // Flat at the top of the finite range, where those squares sit.
        { label: 'xavier-normal × 1', values: new Float64Array([8.7, 8.7, 8.7, 8.7, 8.7]) },
        { label: 'he-normal × 1', values: new Float64Array([8.5, 8.3, 8.1, 7.9, 7.7]) },
        // Measured every 2 steps and after the last (x = 1, 3, 5, 6), with names for the tooltips.
        {
          label: 'he-normal × 1, held-out loss',
          values: new Float64Array([7.4, 7.3, 7.2, 7.15]),
          x: [1, 3, 5, 6],
          dash: '2 3',
          marker: 'ring',
          pointNames: ['initial weights', 'after 2 updates', 'after 4 updates', 'after 5 updates'],
          inLegend: false,
        },
      ];
      lc.legendKeys = [{ label: 'held-out loss, every 2 steps', dash: '2 3', marker: 'ring' }];
      lc.yTitle = 'J';
      host.append(lc);
      await lc.updateComplete;
      const root = lc.shadowRoot!;
      const lostBottom = Math.max(
        ...Array.from(root.querySelectorAll('rect.marker.lost'), (r) => Number(r.getAttribute('y')) + Number(r.getAttribute('height'))),
      );
      const xavierTop = Math.min(
        ...Array.from(root.querySelectorAll('circle.point'))
          .filter((c) => c.querySelector('title')!.textContent!.startsWith('xavier-normal × 1, '))
          .map((c) => Number(c.getAttribute('cy')) - Number(c.getAttribute('r'))),
      );
      const heDots = Array.from(root.querySelectorAll('circle.point:not(.ring)')).filter((c) =>
        c.querySelector('title')!.textContent!.startsWith('he-normal × 1, '),
      );
      const rings = Array.from(root.querySelectorAll('circle.point.ring'));
      return {
        lostBottom,
        xavierTop,
        heX: heDots.map((c) => Number(c.getAttribute('cx'))),
        rings: rings.map((c) => ({
          layer: Number(c.getAttribute('data-layer')),
          cx: Number(c.getAttribute('cx')),
          fill: c.getAttribute('fill'),
          tip: c.querySelector('title')!.textContent,
        })),
        dash: root.querySelector('path.series[data-label="he-normal × 1, held-out loss"]')!.getAttribute('stroke-dasharray'),
        legend: Array.from(root.querySelectorAll('.legend-item text'), (e) => e.textContent),
        xTicks: Array.from(root.querySelectorAll('text.xtick'), (e) => Number(e.textContent)),
        desc: root.querySelector('svg > desc')!.textContent,
      };
    });
    // The flat curve at the top of the range is drawn below the lost squares, not under them.
    expect(out.xavierTop).toBeGreaterThan(out.lostBottom);
    expect(out.rings.map((r) => r.layer)).toEqual([1, 3, 5, 6]);
    // A ring sits at the same x as the training loss's dot of that step; the axis reaches the last ring (x = 6).
    expect(out.rings.slice(0, 3).map((r) => r.cx)).toEqual([out.heX[0], out.heX[2], out.heX[4]]);
    expect(out.rings[3].cx).toBeGreaterThan(out.heX[4]);
    expect(Math.max(...out.xTicks)).toBe(6);
    expect(out.rings.map((r) => r.fill)).toEqual(['#fff', '#fff', '#fff', '#fff']);
    expect(out.rings[1].tip).toBe('he-normal × 1, held-out loss, after 2 updates: 7.3');
    expect(out.dash).toBe('2 3');
    // The description counts its points (not steps) and names its ends as its tooltips do.
    expect(out.desc).toContain('he-normal × 1, held-out loss: 4 points, 7.4 (initial weights) to 7.15 (after 5 updates)');
    // The sparse series is not listed; the key explains its style once.
    expect(out.legend).toEqual([
      'normal × 1',
      'xavier-normal × 1',
      'he-normal × 1',
      'held-out loss, every 2 steps',
      'overflow (above 1e38)',
      'after a value passed 1e38 or became NaN',
    ]);
  });

  it('keeps every label legible: no text overlaps another or leaves the chart', async () => {
    const clashes = await h.page.evaluate(async () => {
      const host = document.getElementById('host')!;
      host.replaceChildren();
      const box = document.createElement('div');
      box.style.width = '420px';
      host.append(box);
      const lc = document.createElement('gp-line-chart');
      const n = 12;
      const values = new Float64Array(n).map((_, i) => 0.0000021 * 1.04 ** i); // less than a decade: 2e-6, 3e-6 … ticks
      const status = new Uint8Array(n);
      status[n - 1] = 1; // overflow, so the marker legend has an entry
      lc.series = [
        { label: '‖∂J/∂W‖ measured', values, status },
        { label: '‖∂J/∂W‖ predicted', values: values.map((v) => v * 1.01), dashed: true },
        { label: '‖∂J/∂W‖, pinned: depth=12 (Lecture: W = 1.5·I)', values: values.map((v) => v * 0.98), color: '#6b6b6b' },
      ];
      lc.yTitle = '‖∂J/∂W‖';
      box.append(lc);
      await lc.updateComplete;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await lc.updateComplete;
      const svg = lc.shadowRoot!.querySelector('svg')!;
      const frame = svg.getBoundingClientRect();
      const boxes = Array.from(svg.querySelectorAll('text'))
        .map((t) => ({ t: (t.textContent ?? '').trim(), b: t.getBoundingClientRect() }))
        .filter((x) => x.b.width > 0 && x.b.height > 0);
      const out: string[] = [];
      const eps = 0.5;
      for (let i = 0; i < boxes.length; i++) {
        const a = boxes[i].b;
        if (a.left < frame.left - eps || a.right > frame.right + eps || a.top < frame.top - eps || a.bottom > frame.bottom + eps)
          out.push(`${boxes[i].t} sticks out`);
        for (let j = i + 1; j < boxes.length; j++) {
          const b = boxes[j].b;
          if (a.left < b.right - eps && b.left < a.right - eps && a.top < b.bottom - eps && b.top < a.bottom - eps) out.push(`${boxes[i].t} × ${boxes[j].t}`);
        }
      }
      return { out, ticks: Array.from(svg.querySelectorAll('text.ytick')).map((t) => t.textContent!.trim()) };
    });
    expect(clashes.ticks.length).toBeGreaterThan(1);
    expect(clashes.out).toEqual([]);
  });
});
