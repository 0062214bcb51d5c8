import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser } from '../helpers/browser';
import { clickInDepthLab, openDepthLab, waitForDepthRunEnd } from '../helpers/depth-lab-page';
import { PRESETS } from '../../src/labs/depth/presets';
import { LESSON_DOMAIN } from '../../src/labs/depth/compare';
import { encodeState } from '../../src/labs/depth/url-state';

// The selected-row panel and comparable runs, in the real app on SwiftShader: every preset at its small
// size opens its row chart on a row with a drawn line and one verdict about the quantity shown (‖a‖ and
// ‖∂J/∂W‖); a pinned run stays on screen next to the next run, both heatmaps on the lesson scale.

const RUN_TIMEOUT = 170_000;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await connectBrowser();
  const first = PRESETS[0].small;
  page = await openDepthLab(browser, `/index.html#/depth-lab?${encodeState({ config: first.config, sweep: first.sweep, view: 'act' })}`);
});
afterAll(async () => {
  await page?.close();
  browser?.disconnect();
});

function inLab<T>(fn: string): Promise<T> {
  return page.evaluate(
    `(() => { const lab = document.querySelector('gp-app').shadowRoot.querySelector('gp-depth-lab'); const root = lab.shadowRoot; ${fn} })()`,
  ) as Promise<T>;
}

async function runPreset(i: number): Promise<void> {
  const p = PRESETS[i].small;
  const q = encodeState({ config: p.config, sweep: p.sweep, view: 'act' });
  await page.evaluate((q) => (location.hash = `#/depth-lab?${q}`), q);
  // The form has read the link once the URL-derived share link matches it.
  await page.waitForFunction(
    (w, act) => {
      const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!;
      const form = lab.shadowRoot!.querySelector('gp-depth-controls')!.shadowRoot!;
      return (form.querySelector('#f-width') as HTMLInputElement)?.value === w && (form.querySelector('#f-activation') as HTMLSelectElement)?.value === act;
    },
    { timeout: 20_000 },
    String(p.config.width),
    p.config.activation,
  );
  await clickInDepthLab(page, '[data-testid=run]');
  await waitForDepthRunEnd(page, RUN_TIMEOUT);
  expect(await inLab(`return root.querySelector('[data-run-state]').getAttribute('data-run-state');`)).toBe('complete');
}

async function showQuantity(name: string): Promise<void> {
  await inLab(`root.querySelector('.quantities [data-quantity=${name}]').click();`);
  await page.waitForFunction(
    (name) =>
      document
        .querySelector('gp-app')!
        .shadowRoot!.querySelector('gp-depth-lab')!
        .shadowRoot!.querySelector('gp-depth-row')
        ?.shadowRoot?.querySelector(`[data-quantity=${name}]`) != null,
    { timeout: 10_000 },
    name,
  );
}

interface RowView {
  title: string;
  labels: string[];
  drawn: Record<string, { d: number; points: number }>;
  verdictLines: number;
  verdictText: string;
  verdict: string | null;
}

const readRow = (): Promise<RowView> =>
  inLab<RowView>(`
    const row = root.querySelector('gp-depth-row').shadowRoot;
    const chart = row.querySelector('gp-line-chart');
    const svg = chart.shadowRoot;
    const drawn = {};
    for (const s of chart.series) {
      const path = svg.querySelector('path.series[data-label="' + s.label + '"]');
      const points = Array.from(svg.querySelectorAll('circle.point title')).filter((t) => t.textContent.startsWith(s.label + ',')).length;
      drawn[s.label] = { d: path ? path.getAttribute('d').length : 0, points };
    }
    const line = row.querySelector('[data-testid=verdict-line]');
    return {
      title: row.querySelector('[data-testid=row-title]').textContent.replace(/\\s+/g, ' ').trim(),
      labels: chart.series.map((s) => s.label),
      drawn,
      verdictLines: row.querySelectorAll('[data-testid=verdict]').length,
      verdictText: line ? line.textContent.replace(/\\s+/g, ' ').trim() : '',
      verdict: row.querySelector('[data-testid=verdict]')?.getAttribute('data-verdict') ?? null,
    };
  `);

/**
 * Texts of the row chart that overprint one another (a y tick label under the y title, a legend entry over
 * a tick, …) or stick out of the chart, by their on-screen boxes: empty when the chart is legible.
 */
const textClashes = () =>
  inLab<string[]>(`
    const svg = root.querySelector('gp-depth-row').shadowRoot.querySelector('gp-line-chart').shadowRoot.querySelector('svg');
    const frame = svg.getBoundingClientRect();
    const boxes = Array.from(svg.querySelectorAll('text'))
      .map((t) => ({ t: t.textContent.trim(), b: t.getBoundingClientRect() }))
      .filter((x) => x.b.width > 0 && x.b.height > 0);
    const clashes = [];
    const eps = 0.5;
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i].b;
      if (a.left < frame.left - eps || a.right > frame.right + eps || a.top < frame.top - eps || a.bottom > frame.bottom + eps) clashes.push(boxes[i].t + ' sticks out');
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j].b;
        if (a.left < b.right - eps && b.left < a.right - eps && a.top < b.bottom - eps && b.top < a.bottom - eps) clashes.push(boxes[i].t + ' × ' + boxes[j].t);
      }
    }
    return clashes;
  `);

const heatmaps = () =>
  inLab<{ testid: string; rows: number; domain: { min: number; max: number } | null; visible: boolean }[]>(`
    return Array.from(root.querySelectorAll('gp-heatmap')).map((h) => ({
      testid: h.getAttribute('data-testid'),
      rows: h.data ? h.data.rowLabels.length : 0,
      domain: h.domain,
      visible: h.getBoundingClientRect().height > 50,
    }));
  `);

describe('Depth lab: selected row and pinned runs, every preset at its small size', () => {
  const zVarCaptions: string[] = [];
  PRESETS.forEach((preset, i) => {
    it(`${preset.id}: the selected row has a drawn line and a verdict about ‖a‖ and about ‖∂J/∂W‖`, async () => {
      if (i === 1) {
        // Pin the first preset's run before running the second.
        await inLab(`root.querySelector('[data-testid=pin]').click();`);
        await page.waitForFunction(
          () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-testid=pinned-heatmap]'),
        );
      }
      await runPreset(i);
      const titles: string[] = [];
      for (const [name, label] of [
        ['actNorm', '‖a‖'],
        ['gradWNorm', '‖∂J/∂W‖'],
      ] as const) {
        await showQuantity(name);
        const row = await readRow();
        titles.push(row.title);
        const measured = row.drawn[`${label} measured`];
        expect(measured, `${preset.id} ${label}: ${JSON.stringify(row)}`).toBeDefined();
        expect(measured.d, `${preset.id} ${label}: no line drawn (${row.title})`).toBeGreaterThan(0);
        expect(measured.points).toBeGreaterThan(1);
        expect(row.drawn[`${label} predicted`]?.d ?? 0, `${preset.id} ${label}: no dashed forecast`).toBeGreaterThan(0);
        expect(row.verdictLines).toBe(1); // one verdict per chart
        expect(row.verdictText.startsWith(`${label} against the`), row.verdictText).toBe(true);
        expect(['agree', 'disagree']).toContain(row.verdict);
        expect(await textClashes(), `${preset.id} ${label}`).toEqual([]);
      }
      // Review item: switching the tab kept the quantity but moved the selection to another net (1.5·I: depth
      // 240 under ‖a‖, 100 under ‖∂J/∂W‖). The selected row is the same net under every tab.
      expect(titles[1], preset.id).toBe(titles[0]);
      if (i === 1) {
        const hms = await heatmaps();
        expect(hms.map((h) => h.testid)).toEqual(['current-heatmap', 'pinned-heatmap']);
        expect(hms.every((h) => h.visible && h.rows > 0)).toBe(true);
        // The lesson scale (the default): both heatmaps on the same fixed range.
        expect(hms[0].domain).toEqual(LESSON_DOMAIN);
        expect(hms[1].domain).toEqual(hms[0].domain);
        expect(await inLab(`return root.querySelector('[data-testid=pinned-label]').textContent;`)).toMatch(/^Lecture: W = 1\.5·I \(small\)/);
        // The pinned run's row is the chart's second line.
        const row = await readRow();
        expect(row.labels.some((l) => l.startsWith('‖∂J/∂W‖, pinned: '))).toBe(true);
        expect(await textClashes(), 'with the pinned line').toEqual([]);
        await page.screenshot({ path: '/tmp/depth-lab-pinned.png', fullPage: true });
        // Auto: the two still share one range, now the data's.
        await inLab(`const s = root.querySelector('[data-testid=color-scale]'); s.value = 'auto'; s.dispatchEvent(new Event('change'));`);
        await page.waitForFunction(() => location.hash.includes('scale=auto'));
        const auto = await heatmaps();
        expect(auto[0].domain).not.toEqual(LESSON_DOMAIN);
        expect(auto[1].domain).toEqual(auto[0].domain);
        await inLab(`const s = root.querySelector('[data-testid=color-scale]'); s.value = 'lesson'; s.dispatchEvent(new Event('change'));`);
        await inLab(`root.querySelector('[data-testid=unpin]').click();`);
        await page.waitForFunction(
          () => !document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-testid=pinned-heatmap]'),
        );
      }
      // Review item: the Var z caption was the same for every preset. It now says what this run shows.
      await showQuantity('zVar');
      const caption = await inLab<string>(`return root.querySelector('[data-testid=quantity-caption]')?.textContent.replace(/\\s+/g, ' ').trim() ?? '';`);
      expect(caption, preset.id).toMatch(/^In this run Var z /);
      expect(caption.includes('is exactly 0 at every measured layer'), `${preset.id}: ${caption}`).toBe(preset.id.startsWith('lecture'));
      expect(zVarCaptions, `${preset.id}: ${caption}`).not.toContain(caption);
      zVarCaptions.push(caption);
      // Review item: where Var z is exactly 0 at every layer (the lecture presets) the row chart was an empty frame
      // with made-up ticks under "the line is the measurement only". It now says so in words, and draws no chart.
      const zRow = await inLab<{ chart: boolean; noChart: string; text: string }>(`
        const row = root.querySelector('gp-depth-row');
        const shadow = row.shadowRoot;
        return {
          chart: !!shadow.querySelector('gp-line-chart'),
          noChart: shadow.querySelector('[data-testid=no-chart]')?.textContent.replace(/\\s+/g, ' ').trim() ?? '',
          text: shadow.textContent.replace(/\\s+/g, ' '),
        };
      `);
      const allZero = preset.id.startsWith('lecture');
      expect(zRow.chart, preset.id).toBe(!allZero);
      if (allZero) expect(zRow.text).not.toContain('the line is the measurement only');
      if (allZero) expect(zRow.noChart).toBe('Var z is exactly 0 at every layer of this row: 0 has no place on a log axis, so there is no line to draw.');
      else expect(zRow.noChart).toBe('');
    });
  });
});

/** Runs the sweep and waits until the selected row's chart is drawn. */
async function runUntilRowChart(p: Page): Promise<void> {
  await clickInDepthLab(p, '[data-testid=run]');
  await waitForDepthRunEnd(p, RUN_TIMEOUT);
  await p.waitForFunction(
    () =>
      !!document
        .querySelector('gp-app')!
        .shadowRoot!.querySelector('gp-depth-lab')!
        .shadowRoot!.querySelector('gp-depth-row')
        ?.shadowRoot?.querySelector('gp-line-chart')
        ?.shadowRoot?.querySelector('svg'),
  );
}

describe('Depth lab: Var z on W = 1.5·I at depth 240 (exactly 0, then lost)', () => {
  // Learner walk (s9): layers 1–215 hold Var z = 0 (equal entries) and 216–240 are lost to the overflow, so the chart
  // was an empty frame with only the lost band (and made-up y ticks). It now shades the zeros as a band marked
  // "exactly 0" next to the lost band, and draws no y ticks, since there is no value to place on the log axis.
  it('shades layers 1–215 "exactly 0" and 216–240 lost, with no line, no point and no made-up y ticks', async () => {
    const lecture = PRESETS.find((p) => p.id === 'lecture-1.5I')!;
    const q = encodeState({ config: { ...lecture.config, depth: 240 }, sweep: { kind: 'depth', depths: [240] }, view: 'z-var' });
    const p = await openDepthLab(browser, `/index.html#/depth-lab?${q}`);
    try {
      await runUntilRowChart(p);
      const out = await p.evaluate(() => {
        const row = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('gp-depth-row')!.shadowRoot!;
        const svg = row.querySelector('gp-line-chart')!.shadowRoot!;
        const lost = Array.from(svg.querySelectorAll('rect.marker.lost'));
        const band = svg.querySelector('g.zero-band rect');
        return {
          bands: Array.from(svg.querySelectorAll('g.zero-band'), (g) => ({
            from: Number(g.getAttribute('data-from')),
            to: Number(g.getAttribute('data-to')),
            label: g.querySelector('text')?.textContent ?? '',
            tip: g.querySelector('title')?.textContent ?? '',
          })),
          lostLayers: lost.map((r) => Number(r.getAttribute('data-layer'))),
          // The zero band ends where the lost band begins: together they cover the row.
          gap: band && lost.length ? Number(lost[0].getAttribute('x')) - (Number(band.getAttribute('x')) + Number(band.getAttribute('width'))) : NaN,
          legend: Array.from(svg.querySelectorAll('.legend-item text'), (t) => t.textContent),
          yTicks: svg.querySelectorAll('text.ytick').length,
          paths: svg.querySelectorAll('path.series').length,
          points: svg.querySelectorAll('circle.point').length,
          zeroMarkers: svg.querySelectorAll('.marker.zero, .marker.zero-square').length,
          note: row.querySelector('[data-testid=zero-gap-note]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
          text: row.textContent!.replace(/\s+/g, ' '),
        };
      });
      expect(out.bands).toEqual([{ from: 1, to: 215, label: 'exactly 0', tip: 'layers 1–215: exactly 0' }]);
      expect(out.lostLayers).toEqual(Array.from({ length: 25 }, (_, i) => 216 + i));
      expect(Math.abs(out.gap)).toBeLessThan(0.5);
      // Walk F9: no line is drawn, so the legend lists no "Var z measured" line, only the two bands.
      expect(out.legend).toEqual(['exactly 0', 'after a value passed 1e38 or became NaN']);
      expect(out.yTicks).toBe(0);
      expect(out.paths).toBe(0);
      expect(out.points).toBe(0);
      expect(out.zeroMarkers).toBe(0);
      expect(out.note).toBe(
        'Var z is exactly 0 at layers 1–215: 0 has no place on a log axis, so the chart marks those layers “exactly 0” instead of drawing points.',
      );
      expect(out.text).not.toContain('the line is the measurement only');
    } finally {
      await p.close();
    }
  });
});

describe('Depth lab: Xavier + ReLU at depth 124, ∂J/∂a on a GPU that flushes subnormals (walk s10 N2)', () => {
  // The verdict says "0 at layers 1–4 … too small at layers 5–12" (flushing); the chart drew ▽ underflow at 1–7 and
  // ordinary points at 8–12. It now shades the verdict's layers as two bands with their own legend entries, and the
  // ▽ marker says which mark it is (below 1e-37, not f32's 1.2e-38).
  it('shades the layers the verdict calls 0 and too small from flushing, one band each, and names the ▽ mark', async () => {
    const q = 'v=1&depth=124&width=64&batch=16&act=relu&init=xavier-normal&gain=1&seed=1&input=normal&sweep=depth&values=124&view=grad-a';
    const p = await openDepthLab(browser, `/index.html#/depth-lab?${q}`);
    try {
      await runUntilRowChart(p);
      const out = await p.evaluate(() => {
        const row = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('gp-depth-row')!.shadowRoot!;
        const svg = row.querySelector('gp-line-chart')!.shadowRoot!;
        return {
          flushed: row.querySelector('[data-testid=verdict-flushed]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
          bands: Array.from(svg.querySelectorAll('g.flush-band'), (g) => ({
            from: Number(g.getAttribute('data-from')),
            to: Number(g.getAttribute('data-to')),
            tip: g.querySelector('title')?.textContent ?? '',
          })),
          zeroBands: svg.querySelectorAll('g.zero-band').length,
          legend: Array.from(svg.querySelectorAll('.legend-item text'), (t) => t.textContent),
          underTips: Array.from(svg.querySelectorAll('.marker.underflow title'), (t) => t.textContent ?? ''),
        };
      });
      // The verdict's two groups, read from its sentence ("0 at layers a–b …, too small at layers c–d").
      const m = /value is 0 at layers? (\d+)(?:–(\d+))?.*too small at layers? (\d+)(?:–(\d+))?/.exec(out.flushed);
      expect(m, out.flushed).not.toBeNull();
      const [zFrom, zTo, pFrom, pTo] = [m![1], m![2] ?? m![1], m![3], m![4] ?? m![3]].map(Number);
      expect(out.bands).toEqual([
        { from: zFrom, to: zTo, tip: `${zFrom === zTo ? `layer ${zFrom}` : `layers ${zFrom}–${zTo}`}: 0 from flushing` },
        { from: pFrom, to: pTo, tip: `${pFrom === pTo ? `layer ${pFrom}` : `layers ${pFrom}–${pTo}`}: too small from flushing` },
      ]);
      expect(pFrom).toBe(zTo + 1);
      expect(out.zeroBands).toBe(0);
      expect(out.legend).toContain('0 from flushing');
      expect(out.legend).toContain('too small from flushing');
      expect(out.legend).toContain('underflow (below 1e-37)');
      expect(out.legend).not.toContain('underflow');
      expect(out.underTips.length).toBeGreaterThan(0);
      for (const t of out.underTips) expect(t).toMatch(/\(underflow \(below 1e-37\)\)$/);
    } finally {
      await p.close();
    }
  });
});
