import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'puppeteer';
import { openOwnContext, type OwnContextPage } from '../helpers/browser';
import { NORMALIZE_LAB as lab, inNormalizeLab as inLab, runNormalizeLab } from '../helpers/normalize-lab-page';
import { defaultLabState, type NormalizeLabState } from '../../src/labs/normalize/form';
import { encodeNormalizeState } from '../../src/labs/normalize/url-state';

// The Normalization lab read as a student on a phone (390 px, real app, WebGPU on SwiftShader), in its own
// browser context (it switches the language): the tables that scroll sideways say so (a hint above them, a
// shadow on each edge with columns behind it, and the hint follows the scroll and the language), and do not
// at a desktop width; every marker on a contour plot is in the key under it, with the last step drawn in
// the path's colour; the scatter plot's stretched inset and its label cover no dot.

const RUN_TIMEOUT = 170_000;
const STATE: NormalizeLabState = { ...defaultLabState(), data: { ...defaultLabState().data, m: 400, testFraction: 0.2, seed: 11 } };

let own: OwnContextPage;
let page: Page;
beforeAll(async () => {
  own = await openOwnContext({ viewport: { width: 390, height: 900 } });
  page = own.page;
  await page.goto(`${inject('baseUrl')}/index.html?lang=en#/normalization-lab?${encodeNormalizeState(STATE)}`);
  await page.waitForFunction(() => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-normalize-lab')?.gpu, { timeout: 180_000 });
  await page.waitForFunction(
    (l) => !(eval(l) as HTMLElement).shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=run]')!.disabled,
    { timeout: 30_000 },
    lab,
  );
  await runNormalizeLab(page, RUN_TIMEOUT);
  expect(await inLab<string | null>(page, `return root.querySelector('[data-testid=run-error]')?.textContent ?? null;`)).toBeNull();
});
afterAll(() => own?.close());

interface Cue {
  overflow: boolean;
  left: boolean;
  right: boolean;
  hint: string | null;
  shadowLeft: string;
  shadowRight: string;
  tabindex: string | null;
}

/** The scroll cue of the frame around `table` (its testid): attributes, the visible hint's text, the edge shadows' opacity. */
function cue(table: string): Promise<Cue> {
  return inLab<Cue>(
    page,
    `const t = root.querySelector('[data-testid=${table}]');
     const frame = t.closest('.table-frame');
     const scroll = frame.querySelector('.table-scroll');
     const hint = frame.querySelector('[data-testid=scroll-hint]');
     const shown = hint && getComputedStyle(hint).display !== 'none' && hint.getBoundingClientRect().height > 0;
     const visibleText = shown ? [...hint.children].filter((c) => getComputedStyle(c).display !== 'none').map((c) => c.textContent.trim()).join(' ') : null;
     return {
       overflow: frame.hasAttribute('data-overflow'),
       left: frame.hasAttribute('data-more-left'),
       right: frame.hasAttribute('data-more-right'),
       hint: visibleText,
       shadowLeft: getComputedStyle(scroll, '::before').opacity,
       shadowRight: getComputedStyle(scroll, '::after').opacity,
       tabindex: frame.querySelector('.table-wrap').getAttribute('tabindex'),
     };`,
  );
}

/** Waits until the cue of `table` satisfies `pred` (the directive measures after a resize or scroll event). */
async function waitForCue(table: string, pred: string): Promise<Cue> {
  await page.waitForFunction(
    (l, table, pred) => {
      const frame = (eval(l) as HTMLElement).shadowRoot!.querySelector(`[data-testid=${table}]`)!.closest('.table-frame')!;
      return new Function('f', `return ${pred};`)(frame) as boolean;
    },
    { timeout: 10_000 },
    lab,
    table,
    pred,
  );
  // The shadows fade in over 0.15 s.
  await new Promise((r) => setTimeout(r, 300));
  return cue(table);
}

describe('Normalization lab read on a phone', () => {
  it('a table wider than the phone says there are more columns, and where', async () => {
    for (const table of ['results-table', 'stats-table']) {
      const c = await waitForCue(table, `f.hasAttribute('data-more-right')`);
      expect(c, table).toMatchObject({ overflow: true, left: false, right: true, shadowLeft: '0', shadowRight: '1', tabindex: '0' });
      expect(c.hint, table).toBe('More columns to the right: scroll sideways →');
    }
    // Scrolled to the far right: the hint and the shadow turn to the left.
    await inLab<void>(page, `const w = root.querySelector('[data-testid=results-table]').closest('.table-wrap'); w.scrollLeft = w.scrollWidth;`);
    const end = await waitForCue('results-table', `!f.hasAttribute('data-more-right')`);
    expect(end).toMatchObject({ overflow: true, left: true, right: false, shadowLeft: '1', shadowRight: '0' });
    expect(end.hint).toBe('← More columns to the left');
    await inLab<void>(page, `root.querySelector('[data-testid=results-table]').closest('.table-wrap').scrollLeft = 0;`);
    await waitForCue('results-table', `f.hasAttribute('data-more-right') && !f.hasAttribute('data-more-left')`);
  });

  it('every marker drawn on a contour plot is in the key under it, and the last step is drawn in the path’s colour', async () => {
    await page.waitForFunction(
      (l) => [...(eval(l) as HTMLElement).shadowRoot!.querySelectorAll('gp-contour-plot')].every((p) => !(p as unknown as { animating: boolean }).animating),
      { timeout: 30_000 },
      lab,
    );
    const plots = await inLab<
      {
        mode: string;
        markers: string[];
        key: string[];
        keyText: string;
        positions: Record<string, [number, number] | null>;
        endPixel: number[] | null;
        color: string;
      }[]
    >(
      page,
      `return [...root.querySelectorAll('[data-testid=contours-panel] .plot')].map((d) => {
         const p = d.querySelector('gp-contour-plot');
         const key = p.shadowRoot.querySelector('[data-testid=plot-key]');
         const positions = p.markerPositions();
         const canvas = p.shadowRoot.querySelector('canvas');
         const dpr = canvas.width / canvas.getBoundingClientRect().width;
         let endPixel = null;
         if (positions.end) {
           // 4 px above the diamond's centre: inside it (and its outline), off the minimum's ✕ arms, and off the path,
           // which comes in from the lower left (the start w = 0 is below and left of every minimum here)
           const [x, y] = positions.end;
           endPixel = [...canvas.getContext('2d').getImageData(Math.round(x * dpr), Math.round((y - 4) * dpr), 1, 1).data].slice(0, 3);
         }
         return {
           mode: d.dataset.mode,
           markers: p.markers,
           key: key ? [...key.querySelectorAll('li')].map((li) => li.dataset.marker) : [],
           keyText: key ? key.textContent.replace(/\\s+/g, ' ').trim() : '',
           positions,
           endPixel,
           color: p.color,
         };
       });`,
    );
    expect(plots.map((p) => p.mode)).toEqual(['raw', 'standardize', 'divide-variance', 'test-own-stats']);
    for (const p of plots) {
      // Every marker drawn (a position on the canvas) is listed in the key, and the key lists nothing else.
      const drawn = Object.entries(p.positions)
        .filter(([, v]) => v !== null)
        .map(([k]) => k)
        .sort();
      expect([...p.markers].sort(), p.mode).toEqual(drawn);
      expect(p.key, p.mode).toEqual(['path', ...p.markers]);
      expect(p.markers, p.mode).toEqual(expect.arrayContaining(['start', 'end', 'optimum']));
      const hex = p.color.replace('#', '');
      const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const distance = rgb.reduce((s, v, i) => s + Math.abs(p.endPixel![i] - v), 0);
      expect(distance, `${p.mode} end marker colour ${p.endPixel} vs ${p.color}`).toBeLessThan(60);
    }
    // The raw path is too short to see: it is ringed, and the key says the ring is the path zoomed in the inset.
    expect(plots[0].markers).toContain('ring');
    expect(plots[0].keyText).toMatch(/the path, too short to see here: zoomed ×[\d,]+ in the inset/);
    expect(plots[0].keyText).toContain('last step');
    expect(plots[0].keyText).toContain('minimum J*');
    expect(plots[0].keyText).toContain('start (w = 0)');
    expect(plots[1].markers).not.toContain('ring');
  });

  it('the exported PNG’s key lists what the page’s key lists, the descent path first, drawn in the path’s colour', async () => {
    const plots = await inLab<{ mode: string; page: string[]; png: string[]; pixel: number[]; color: string }[]>(
      page,
      `return [...root.querySelectorAll('[data-testid=contours-panel] .plot')].map((d) => {
         const p = d.querySelector('gp-contour-plot');
         const key = p.shadowRoot.querySelector('[data-testid=plot-key]');
         const top = p.shadowRoot.querySelector('canvas').getBoundingClientRect().height;
         const c = p.exportCanvas(1);
         // The first key item's symbol sits at x = 14, 10 px under the plot: the path's dot.
         const pixel = [...c.getContext('2d').getImageData(14, Math.round(top) + 10, 1, 1).data].slice(0, 3);
         return {
           mode: d.dataset.mode,
           page: [...key.querySelectorAll('li')].map((li) => li.dataset.marker + ': ' + li.textContent.replace(/\\s+/g, ' ').trim()),
           png: p.keyEntries().map((e) => e.m + ': ' + e.text),
           pixel,
           color: p.color,
         };
       });`,
    );
    expect(plots.length).toBe(4);
    for (const p of plots) {
      expect(p.png, p.mode).toEqual(p.page);
      expect(p.png[0], p.mode).toMatch(/^path: descent path/);
      const hex = p.color.replace('#', '');
      const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const distance = rgb.reduce((s, v, i) => s + Math.abs(p.pixel[i] - v), 0);
      expect(distance, `${p.mode} key path pixel ${p.pixel} vs ${p.color}`).toBeLessThan(60);
    }
  });

  it('the stretched inset and its label cover no dot of the scatter plot', async () => {
    const r = await inLab<{ inset: boolean; covered: number; points: number; coloured: number; labelPixels: number; labelAboveData: boolean }>(
      page,
      `const p = root.querySelector('[data-testid=scatter-panel] gp-scatter-plot');
       await p.updateComplete;
       const m = p.model;
       const g = p.geometry();
       if (!g || !g.inset) return { inset: false, covered: 0, points: 0, coloured: 0, labelPixels: 0, labelAboveData: false };
       const { plot, inset } = g;
       const px = (v) => plot.x + ((v - m.x.min) / (m.x.max - m.x.min)) * plot.w;
       const py = (v) => plot.y + plot.h - ((v - m.y.min) / (m.y.max - m.y.min)) * plot.h;
       const b = inset.box, r = 4;
       let covered = 0, points = 0;
       for (const s of [m.train, m.test]) for (let i = 0; i < s.shown; i++) {
         const x = px(s.xs[i]), y = py(s.ys[i]);
         points++;
         if (x + r > b.x && x - r < b.x + b.w && y + r > b.y && y - r < b.y + b.h) covered++;
       }
       // No train-blue or test-orange pixel in the label's strip: only the label's own dark text and white.
       const canvas = p.shadowRoot.querySelector('canvas');
       const dpr = canvas.width / canvas.getBoundingClientRect().width;
       const L = inset.label;
       const data = canvas.getContext('2d').getImageData(Math.round(L.x * dpr) + 2, Math.round(L.y * dpr) + 2, Math.round(L.w * dpr) - 4, Math.round(L.h * dpr) - 4).data;
       let coloured = 0;
       for (let i = 0; i < data.length; i += 4) if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) coloured++;
       return { inset: true, covered, points, coloured, labelPixels: data.length / 4, labelAboveData: L.y + L.h <= inset.data.y };`,
    );
    expect(r.inset).toBe(true);
    expect(r.points).toBe(400);
    expect(r.covered).toBe(0);
    expect(r.labelPixels).toBeGreaterThan(100);
    expect(r.coloured).toBe(0);
    expect(r.labelAboveData).toBe(true);
  });

  it('the contour caption’s advice fits how the rate is read: one fraction of each limit, or one rate for all', async () => {
    const caption = () => inLab<string>(page, `return root.querySelector('[data-testid=contours-panel] .explain').textContent.replace(/\\s+/g, ' ');`);
    const relative = await caption();
    expect(relative).toContain('every mode runs at the same fraction of its own limit 2/λmax');
    expect(relative).not.toContain('Raise the learning rate until the raw path zig-zags');
    await inLab<void>(page, `root.querySelector('input[name=lrscale][value=absolute]').click();`);
    // Switching reruns the descents at the stated rate; the caption follows the run on screen.
    await page.waitForFunction(
      (l) => (eval(l) as { shown: { settings: { lrScale: string } } | null }).shown?.settings.lrScale === 'absolute',
      { timeout: 60_000 },
      lab,
    );
    await page.waitForFunction((l) => !(eval(l) as { session: { running: boolean } }).session.running, { timeout: 60_000 }, lab);
    const absolute = await caption();
    expect(absolute).toContain('Raise the learning rate until the raw path zig-zags and leaves the window');
    expect(absolute).not.toContain('same fraction of its own limit');
  });

  it('the scroll hint speaks Korean after a language switch, and a desktop-wide page shows no hint', async () => {
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=ko]', (b) => (b as HTMLButtonElement).click());
    const ko = await waitForCue('results-table', `f.hasAttribute('data-overflow') && f.querySelector('.to-right').textContent.includes('스크롤')`);
    expect(ko.hint).toBe('오른쪽에 열이 더 있습니다: 옆으로 스크롤하세요 →');
    await page.setViewport({ width: 1400, height: 900 });
    for (const table of ['results-table', 'stats-table']) {
      const wide = await waitForCue(table, `!f.hasAttribute('data-overflow')`);
      expect(wide, table).toMatchObject({ overflow: false, left: false, right: false, hint: null, shadowLeft: '0', shadowRight: '0', tabindex: null });
    }
  });
});
