import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'puppeteer';
import { openOwnContext, type OwnContextPage } from '../helpers/browser';
import { waitFor } from '../helpers/wait';

// The Shaders and Performance views in Korean (real WebGPU on SwiftShader): after Time (Shaders) and a
// Tiny benchmark run (Performance) with ?lang=ko, the headers, buttons and roofline are Korean and no table
// header, button or heading is clipped at 390 px or 1400 px; switching to English in place keeps the
// results. Runs in its own browser context, so the stored language never reaches the other test files.

const RUN_TIMEOUT = 170_000;
const HANGUL = /[가-힣]/;

let own: OwnContextPage;
let page: Page;
beforeAll(async () => {
  own = await openOwnContext();
  page = own.page;
});
afterAll(() => own?.close());

/** Clicks `selector` (a `>>>` deep selector) once it is enabled. */
async function clickWhenEnabled(selector: string): Promise<void> {
  await waitFor(async () => (await page.$(selector)) !== null && (await page.$eval(selector, (b) => !(b as HTMLButtonElement).disabled)), selector, 150_000);
  await page.$eval(selector, (b) => (b as HTMLButtonElement).click());
}

const runState = (tag: string) =>
  page.evaluate(
    (tag) =>
      document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)?.shadowRoot!.querySelector('[data-run-state]')?.getAttribute('data-run-state') ?? null,
    tag,
  );

/**
 * Table headers, buttons, legends and headings in the view (its shadow root and those below) whose text
 * does not fit their box: wider content than the box (clipped or spilling out), or a word broken inside
 * (a header taller than one line while a Korean word is cut is caught by the width check, since
 * `word-break: keep-all` keeps words whole).
 */
function clipped(tag: string) {
  return page.evaluate((tag) => {
    const out: string[] = [];
    const visit = (root: ShadowRoot) => {
      for (const el of root.querySelectorAll<HTMLElement>('th, button, legend, h2, h3')) {
        if (el.getClientRects().length === 0) continue; // not shown
        if (el.scrollWidth > el.clientWidth + 1)
          out.push(`${el.localName} “${(el.textContent ?? '').trim().slice(0, 40)}” ${el.scrollWidth} > ${el.clientWidth}`);
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) visit(host.shadowRoot);
    };
    visit(document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!);
    return out;
  }, tag);
}

/** Texts of the view's table headers (every table, in order). */
const headers = (tag: string, table: string) =>
  page.evaluate(
    (tag, table) =>
      [...document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!.querySelectorAll(`${table} thead th`)].map((th) =>
        (th.textContent ?? '').replace(/\s+/g, ' ').trim(),
      ),
    tag,
    table,
  );

describe('Shaders view in Korean', () => {
  it('times a kernel with ?lang=ko: Korean headers and buttons, none clipped at 390 px or 1400 px', async () => {
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(`${inject('baseUrl')}/?lang=ko#/shaders?kernel=matmul`);
    await clickWhenEnabled('gp-app >>> gp-shader-playground >>> button[data-testid=time]');
    await waitFor(async () => (await runState('gp-shader-playground')) === 'done', 'the Time result', RUN_TIMEOUT);
    const timing = await headers('gp-shader-playground', '[data-testid=timing-table]');
    // The first header is visually hidden (the rows' names); the two medians are Korean.
    expect(
      timing.slice(1).every((h) => HANGUL.test(h)),
      timing.join(' | '),
    ).toBe(true);
    const summary = await page.$eval('gp-app >>> gp-shader-playground >>> [data-testid=timing-summary]', (el) => el.textContent ?? '');
    expect(summary).toMatch(HANGUL);
    expect(summary).toMatch(/\d\.\d\d배/); // “1.45배 느립니다”: the ratio through locale-format
    for (const width of [1400, 390]) {
      await page.setViewport({ width, height: 900 });
      await new Promise((r) => setTimeout(r, 300));
      expect(await clipped('gp-shader-playground'), `at ${width} px`).toEqual([]);
    }
    // The editor's own words (fold markers) are Korean too.
    const fold = await page.$$eval('gp-app >>> gp-shader-playground >>> gp-wgsl-editor >>> .cm-gutterElement [title]', (els) =>
      els.map((e) => e.getAttribute('title')),
    );
    expect(fold.length).toBeGreaterThan(0);
    for (const t of fold) expect(t).toMatch(HANGUL);
  }, 400_000);
});

describe('Performance view in Korean', () => {
  it('runs Tiny with ?lang=ko: Korean headers, roofline words and buttons, none clipped at 390 px or 1400 px; English in place keeps the rows', async () => {
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(`${inject('baseUrl')}/?lang=ko#/performance`);
    await clickWhenEnabled('gp-app >>> gp-shader-bench >>> input[data-testid=preset-tiny]');
    await clickWhenEnabled('gp-app >>> gp-shader-bench >>> button[data-testid=run]');
    await waitFor(
      async () => (await runState('gp-shader-bench')) === 'done' && (await page.$('gp-app >>> gp-shader-bench >>> gp-roofline >>> svg')) !== null,
      'the results',
      RUN_TIMEOUT,
    );
    const ko = await headers('gp-shader-bench', '[data-testid=bench-rows]');
    expect(ko).toEqual(['커널', '구현', '크기', '속도', '한계 대비', '시간 중앙값', 'float64 검사']);
    const svg = await page.$eval('gp-app >>> gp-shader-bench >>> gp-roofline >>> svg', (el) => el.textContent ?? '');
    expect(svg).toContain('산술 강도 (FLOP/바이트, 로그)');
    expect(svg).toContain('달성한 GFLOP/s (로그)');
    expect(svg).toMatch(/곱셈-덧셈 한계 [\d.,]+ GFLOP\/s/);
    expect(svg).toMatch(/복사 한계 [\d.,]+ GB\/s/);
    expect(svg).not.toMatch(/FMA roof|copy roof|arithmetic intensity/);
    const rows = await page.$$eval('gp-app >>> gp-shader-bench >>> [data-testid=bench-rows] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-rate')));
    expect(rows.length).toBeGreaterThan(5);
    for (const width of [1400, 390]) {
      await page.setViewport({ width, height: 900 });
      await new Promise((r) => setTimeout(r, 300));
      expect(await clipped('gp-shader-bench'), `at ${width} px`).toEqual([]);
      // The roofline (walk F6): drawn at its own size, never scaled down (its 11 px numbers read 4–5 px at 390 px
      // before), scrolling sideways with the chart's hint where the view is narrower; the point numbers, as the
      // browser measures them, overlap neither each other nor a circle. The table's hint shows when it overflows.
      const chart = await page.evaluate(() => {
        const bench = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-bench')!.shadowRoot!;
        const root = bench.querySelector('gp-roofline')!.shadowRoot!;
        const svg = root.querySelector<SVGSVGElement>('[data-testid=roofline] svg')!;
        const wrap = root.querySelector('.table-wrap')!;
        const hint = root.querySelector<HTMLElement>('[data-testid=scroll-hint] .to-right')!;
        const boxes = [...svg.querySelectorAll<SVGTextElement>('[data-label]')].map((t) => t.getBBox());
        const circles = [...svg.querySelectorAll<SVGCircleElement>('[data-point] circle')].map((c) => c.getBBox());
        const hit = (a: DOMRect, b: DOMRect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        const clashes: string[] = [];
        boxes.forEach((a, i) => {
          boxes.forEach((b, j) => j > i && hit(a, b) && clashes.push(`label ${i + 1} on label ${j + 1}`));
          circles.forEach((c, j) => hit(a, c) && clashes.push(`label ${i + 1} on point ${j + 1}`));
        });
        const tableFrame = bench.querySelector('.table-frame')!;
        const tableWrap = tableFrame.querySelector('.table-wrap')!;
        return {
          scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
          overflow: wrap.scrollWidth > wrap.clientWidth + 0.5,
          hint: hint.getClientRects().length > 0 ? (hint.textContent ?? '').trim() : null,
          labels: [...svg.querySelectorAll('[data-label]')].map((t) => Number(t.getAttribute('data-label'))),
          // Numbers with no room left on the chart (a crowd, which depends on the measured rates) are listed under
          // the legend instead.
          listed: (root.querySelector('[data-testid=roofline-legend] [data-unnumbered]')?.textContent?.match(/\d+/g) ?? []).map(Number),
          // The legend is an HTML list under the chart that wraps to the view (walk s10 N6): no line runs past the
          // view's right edge or is cut, and none is inside the SVG that scrolls sideways.
          legendLines: root.querySelectorAll('[data-testid=roofline-legend] li').length,
          legendCut: [...root.querySelectorAll<HTMLElement>('[data-testid=roofline-legend] li')]
            .filter((li) => li.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 || li.scrollWidth > li.clientWidth + 0.5)
            .map((li) => (li.textContent ?? '').trim()),
          legendInSvg: svg.querySelectorAll('[data-legend], [data-unnumbered]').length,
          points: [...svg.querySelectorAll('[data-point]')].map((g) => Number(g.getAttribute('data-point'))),
          clashes,
          tableOverflow: tableWrap.scrollWidth > tableWrap.clientWidth + 0.5,
          tableHint: tableFrame.querySelector<HTMLElement>('.scroll-hint')!.getClientRects().length > 0,
        };
      });
      expect(chart.scale, `at ${width} px`).toBeGreaterThanOrEqual(0.999);
      // Every point is numbered once: on the chart or in the list under the legend.
      expect([...chart.labels, ...chart.listed].sort((a, b) => a - b)).toEqual(chart.points);
      expect(chart.clashes).toEqual([]);
      expect(chart.legendLines, `at ${width} px`).toBeGreaterThanOrEqual(chart.points.length);
      expect(chart.legendCut, `at ${width} px`).toEqual([]);
      expect(chart.legendInSvg).toBe(0);
      expect(chart.hint).toBe(chart.overflow ? '오른쪽에 차트가 더 있습니다: 옆으로 스크롤하세요 →' : null);
      if (width === 390) expect(chart.overflow).toBe(true);
      expect(chart.tableHint).toBe(chart.tableOverflow);
    }

    // English in place: the same rows, English headers and roofline.
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
    await waitFor(async () => (await headers('gp-shader-bench', '[data-testid=bench-rows]'))[0] === 'Kernel', 'the English headers');
    expect(await headers('gp-shader-bench', '[data-testid=bench-rows]')).toEqual([
      'Kernel',
      'Implementation',
      'Shape',
      'Rate',
      'Share of roof',
      'Median time',
      'float64 check',
    ]);
    expect(
      await page.$$eval('gp-app >>> gp-shader-bench >>> [data-testid=bench-rows] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-rate'))),
    ).toEqual(rows);
    const en = await page.$eval('gp-app >>> gp-shader-bench >>> gp-roofline >>> svg', (el) => el.textContent ?? '');
    expect(en).toContain('arithmetic intensity (FLOP/byte, log)');
    expect(en).toMatch(/FMA roof [\d.,]+ GFLOP\/s/);
  }, 400_000);
});
