import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'puppeteer';
import { openOwnContext, type OwnContextPage } from '../helpers/browser';
import { waitFor } from '../helpers/wait';

// The Kernel check and Performance views' result rows in Korean (real WebGPU on SwiftShader): after a run
// with ?lang=ko, every word in the tables (headers, caption, each row's kernel, implementation, shape,
// status, tolerance, time and float64 check) and in the verdict and comparison lines is Korean, except
// identifiers: kernel and variant names, activation and library names, units and math. Unlike the app-wide
// scan (i18n.e2e), text marked translate="no" is scanned too, since the rows' shapes used to hide there;
// only text marked lang="en" (a compiler's error message) is skipped. Runs in its own browser context.

const RUN_TIMEOUT = 200_000;

/** Identifiers and units a Korean row keeps as they are (lower case). */
const IDENTIFIERS = new Set([
  // kernels, matmul variants, libraries
  'matmul',
  'moments',
  'norms',
  'elementwise',
  'residual',
  'sumsq',
  'tiled',
  'direct',
  'vec4',
  'subgroup',
  'auto',
  'tf',
  'matmul',
  // activations (the lab's identifiers), formats and units
  'linear',
  'relu',
  'tanh',
  'sigmoid',
  'float',
  'float64',
  'f32',
  'gpu',
  'cpu',
  'ms',
  'gflop',
  'gb',
  'flop',
  'rtol',
  'atol',
  'nan',
  'inf',
]);

let own: OwnContextPage;
let page: Page;
beforeAll(async () => {
  own = await openOwnContext({ viewport: { width: 1400, height: 900 } });
  page = own.page;
});
afterAll(() => own?.close());

const runState = (tag: string) =>
  page.evaluate(
    (tag) =>
      document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)?.shadowRoot!.querySelector('[data-run-state]')?.getAttribute('data-run-state') ?? null,
    tag,
  );

async function clickWhenEnabled(selector: string): Promise<void> {
  await waitFor(async () => (await page.$(selector)) !== null && (await page.$eval(selector, (b) => !(b as HTMLButtonElement).disabled)), selector, 150_000);
  await page.$eval(selector, (b) => (b as HTMLButtonElement).click());
}

/**
 * The texts (one per element holding text, and title/aria-label) under `selectors` in the view's shadow root,
 * translate="no" included, lang="en" skipped.
 */
function texts(tag: string, selectors: string): Promise<string[]> {
  return page.evaluate(
    (tag, selectors) => {
      const root = document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!;
      const out: string[] = [];
      const visit = (node: Node) => {
        if (node.nodeType === Node.TEXT_NODE) {
          const t = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
          if (t) out.push(t);
          return;
        }
        if (!(node instanceof Element) || node.localName === 'style' || node.getAttribute('lang') === 'en') return;
        for (const a of ['title', 'aria-label']) if (node.hasAttribute(a)) out.push(node.getAttribute(a)!);
        node.childNodes.forEach(visit);
      };
      root.querySelectorAll(selectors).forEach(visit);
      return out;
    },
    tag,
    selectors,
  );
}

/**
 * The texts in `list` holding an English word: a Latin-script word of two letters or more that is not an
 * identifier, an exponent (the e of 1e30) or a backprop product's factor (dW, dZ, dA).
 */
function english(list: string[]): string[] {
  return list.filter((t) =>
    (t.match(/(?<![\d.])[A-Za-z][A-Za-z0-9]*/g) ?? []).some((w) => w.length > 1 && !IDENTIFIERS.has(w.toLowerCase()) && !/^d[A-Z]$/.test(w)),
  );
}

/** The cells of each row of a table: `[row][column]` texts. */
const cells = (tag: string, table: string) =>
  page.evaluate(
    (tag, table) =>
      [...document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)!.shadowRoot!.querySelectorAll(`${table} tbody tr`)].map((tr) =>
        [...tr.children].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()),
      ),
    tag,
    table,
  );

describe('Kernel check in Korean', () => {
  it('runs with ?lang=ko: every row, header and caption is Korean but for identifiers', async () => {
    await page.goto(`${inject('baseUrl')}/?lang=ko#/kernel-check`);
    await clickWhenEnabled('gp-app >>> gp-kernel-check >>> button[data-testid=run]');
    await waitFor(async () => (await runState('gp-kernel-check')) === 'done', 'the Kernel check results', RUN_TIMEOUT);
    const found = await texts('gp-kernel-check', '[data-testid=results], [data-testid=kernel-check-summary], [data-testid=results-meta]');
    expect(found.length).toBeGreaterThan(50);
    expect(english(found)).toEqual([]);
    // The shapes with words are worded in Korean, sizes and names kept.
    const rows = await cells('gp-kernel-check', '[data-testid=results]');
    const shapes = rows.map((r) => r[1]);
    expect(shapes).toContain('값 4,097개, relu');
    expect(shapes).toContain('정규화 257×63');
    expect(shapes).toContain('10⁴ + U(0,1) 값 100,003개 전체');
    expect(shapes).toContain('65×63 · 63×257, Bᵀ');
    expect(rows.every((r) => /통과|실패/.test(r[2]))).toBe(true);

    // At 390 px (walk F6b: the table was 543 px in a 358 px box, tolerances off-screen with no hint): the
    // kernel, shape, result and error against tolerance are in view without scrolling, and whenever the table
    // is wider than its frame the hint says so.
    await page.setViewport({ width: 390, height: 900 });
    await new Promise((r) => setTimeout(r, 300));
    const narrow = await page
      .evaluate(() => {
        const root = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')!.shadowRoot!;
        const frame = root.querySelector('.table-frame')!;
        const wrap = frame.querySelector('.table-wrap')!;
        const hint = frame.querySelector<HTMLElement>('[data-testid=scroll-hint] .to-right')!;
        const box = wrap.getBoundingClientRect();
        const rows = [...wrap.querySelectorAll('tbody tr')];
        return {
          overflow: wrap.scrollWidth > wrap.clientWidth + 0.5,
          marked: frame.hasAttribute('data-overflow'),
          hint: hint.getClientRects().length > 0 ? (hint.textContent ?? '').trim() : null,
          // The right edge of each row's 4th cell (error / tolerance) and of its tolerance text, against the frame's.
          hidden: rows.flatMap((tr) =>
            [...tr.children].slice(0, 4).flatMap((c) => {
              const tol = c.querySelector('.tol');
              return [c, ...(tol ? [tol] : [])].filter((e) => e.getBoundingClientRect().right > box.right + 1).map((e) => (e.textContent ?? '').trim());
            }),
          ),
        };
      })
      .finally(() => page.setViewport({ width: 1400, height: 900 }));
    expect(narrow.hidden).toEqual([]);
    expect(narrow.marked).toBe(narrow.overflow);
    expect(narrow.hint).toBe(narrow.overflow ? '오른쪽에 열이 더 있습니다: 옆으로 스크롤하세요 →' : null);
  }, 300_000);
});

describe('Performance in Korean', () => {
  it('runs Tiny with ?lang=ko: every row, header, verdict and comparison is Korean but for identifiers', async () => {
    await page.goto(`${inject('baseUrl')}/?lang=ko#/performance`);
    await clickWhenEnabled('gp-app >>> gp-shader-bench >>> input[data-testid=preset-tiny]');
    await clickWhenEnabled('gp-app >>> gp-shader-bench >>> button[data-testid=run]');
    await waitFor(async () => (await runState('gp-shader-bench')) === 'done', 'the benchmark rows', RUN_TIMEOUT);
    const found = await texts('gp-shader-bench', '[data-testid=bench-rows], [data-testid=bench-verdict], [data-testid=bench-lines]');
    expect(found.length).toBeGreaterThan(50);
    expect(english(found)).toEqual([]);
    const rows = await cells('gp-shader-bench', '[data-testid=bench-rows]');
    // Kernel | implementation | shape: the roofs' group and names, our variants and the reductions' sizes.
    expect(rows.some(([g, impl]) => g === '한계' && impl === '곱셈-덧셈 한계')).toBe(true);
    expect(rows.some(([g, impl, shape]) => g === '한계' && impl === '복사 (vec4)' && /^float [\d,]+개$/.test(shape))).toBe(true);
    expect(rows.some(([g, impl]) => g === 'matmul' && impl === '우리 커널: tiled')).toBe(true);
    expect(rows.some(([g, , shape]) => g === 'matmul' && /^배치 4 × 32×32×32$/.test(shape))).toBe(true);
    expect(
      rows.some(([g, impl, shape]) => g === 'norms' && impl === '단순한 두 번 훑는 Σx²' && /^float [\d,]+개 \(구간 [\d,]+개 × [\d,]+\)$/.test(shape)),
    ).toBe(true);
    // The float64 check's tolerances as the project writes them (1e-6), not 0.000001.
    expect(rows.some((r) => /상대 허용 오차 \d(?:\.\d+)?e-\d+/.test(r[r.length - 1]))).toBe(true);
    expect(rows.every((r) => !/0\.0000/.test(r[r.length - 1]))).toBe(true);

    // The charts: the bar charts' labels (drawn on canvas) and the roofline's legend, roofs and axes (an SVG in
    // gp-roofline's own shadow root) are Korean too, but for identifiers and units; lang="en" data skipped.
    const charts = await page.evaluate(() => {
      const bench = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-bench')!.shadowRoot!;
      const bars = Array.from(bench.querySelectorAll('canvas[data-chart]')).flatMap((c) => JSON.parse(c.getAttribute('data-labels') ?? '[]') as string[]);
      const svg = bench.querySelector('gp-roofline')!.shadowRoot!.querySelector('[data-testid=roofline] svg')!;
      const roofline: string[] = [];
      const visit = (node: Node) => {
        if (node.nodeType === Node.TEXT_NODE) {
          const t = (node.textContent ?? '').replace(/\s+/g, ' ').trim();
          if (t) roofline.push(t);
          return;
        }
        if (!(node instanceof Element) || node.getAttribute('lang') === 'en') return;
        node.childNodes.forEach(visit);
      };
      visit(svg);
      // The legend: an HTML list under the chart (walk s10 N6).
      const list = bench.querySelector('gp-roofline')!.shadowRoot!.querySelector('[data-testid=roofline-legend]')!;
      visit(list);
      return { bars, roofline, legend: Array.from(list.querySelectorAll('[data-legend]'), (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()) };
    });
    expect(charts.bars.length).toBeGreaterThan(5);
    expect(english(charts.bars)).toEqual([]);
    expect(charts.bars.some((l) => /우리 커널: tiled$/.test(l))).toBe(true);
    expect(charts.legend.length).toBeGreaterThan(5);
    expect(english(charts.roofline)).toEqual([]);
    expect(charts.legend.some((l) => /^\d+\. 우리 커널: tiled · /.test(l))).toBe(true);

    // The bar charts' x-axis labels: the unit after the last number, and no two labels run together.
    const axes = await page.evaluate(() =>
      Array.from(
        document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-bench')!.shadowRoot!.querySelectorAll('canvas[data-chart]'),
        (c) => JSON.parse(c.getAttribute('data-tick-labels') ?? '[]') as { text: string; left: number; width: number }[],
      ),
    );
    expect(axes.length).toBeGreaterThan(1);
    for (const labels of axes) {
      expect(labels[labels.length - 1].text).toMatch(/ (GFLOP|GB)\/s$/);
      for (let i = 1; i < labels.length; i++) expect(labels[i - 1].left + labels[i - 1].width).toBeLessThan(labels[i].left);
    }

    // At 390 px each label is drawn above its bar, across the chart, so that every row keeps its implementation
    // whole (walk s10: beside the bars, 152 px left an 'auto' row with '우리 커널: auto → s…'). The charts redraw
    // when the width changes.
    await page.setViewport({ width: 390, height: 900 });
    type Chart = { width: number; labels: string[]; boxes: { left: number; right: number; bottom: number; barTop: number }[] };
    const narrow = await page
      .waitForFunction(
        () =>
          [...document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-bench')!.shadowRoot!.querySelectorAll('canvas[data-chart]')].every(
            (c) => c.getAttribute('data-layout') === 'stacked',
          ),
        { timeout: 30_000, polling: 200 },
      )
      .then(() =>
        page.evaluate(() =>
          [...document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-bench')!.shadowRoot!.querySelectorAll('canvas[data-chart]')].map(
            (c): Chart => ({
              width: c.getBoundingClientRect().width,
              labels: JSON.parse(c.getAttribute('data-labels') ?? '[]') as string[],
              boxes: JSON.parse(c.getAttribute('data-label-boxes') ?? '[]') as Chart['boxes'],
            }),
          ),
        ),
      )
      .finally(() => page.setViewport({ width: 1400, height: 900 }));
    expect(narrow).toHaveLength(2);
    const autoRows = narrow.flatMap((c) => c.labels).filter((l) => l.includes('auto'));
    expect(autoRows.length).toBeGreaterThan(0);
    for (const c of narrow) {
      expect(c.width).toBeLessThan(390);
      for (const [i, label] of c.labels.entries()) {
        const box = c.boxes[i];
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right, label).toBeLessThanOrEqual(c.width);
        expect(box.bottom, label).toBeLessThanOrEqual(box.barTop);
        // Whatever is shortened, it is the shape before ' · ', never the implementation after it.
        const impl = label.split(' · ').slice(1).join(' · ');
        expect(impl.length, label).toBeGreaterThan(0);
        expect(impl.endsWith('…'), label).toBe(false);
      }
    }
  }, 300_000);
});
