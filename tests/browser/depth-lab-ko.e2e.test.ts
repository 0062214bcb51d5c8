import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';

// The Depth lab in Korean: a preset run with ?lang=ko shows the heatmap legend, the selected row's
// verdict, forecast note and f32-limit sentences and a field problem in Korean, and switching to English
// in place keeps the results (same element, same rows) while every one of those texts follows the language.

const RUN_TIMEOUT = 170_000;
const HANGUL = /[가-힣]/;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (err) => console.error('[page error]', err));
});
afterAll(async () => {
  await page?.close();
  await browser?.disconnect();
});

/** What the test reads off the lab: heatmap rows and legend labels, the verdict, the width problem, the run state. */
const read = () =>
  page.evaluate(() => {
    const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!;
    const root = lab.shadowRoot!;
    const hm = root.querySelector('gp-heatmap') as
      (HTMLElement & { data: { rowLabels: string[]; values: Float64Array } | null; heatmapModel: { legend: { name: string; label: string }[] } | null }) | null;
    const row = root.querySelector('gp-depth-row')?.shadowRoot;
    const form = root.querySelector('gp-depth-controls')!.shadowRoot!;
    const text = (el: Element | null | undefined) => (el ? (el.textContent ?? '').replace(/\s+/g, ' ').trim() : null);
    return {
      marker: lab.getAttribute('data-marker'),
      state: root.querySelector('[data-run-state]')?.getAttribute('data-run-state') ?? null,
      rows: hm?.data?.rowLabels.length ?? 0,
      values: hm?.data ? Array.from(hm.data.values).slice(0, 50) : [],
      legend: (hm?.heatmapModel?.legend ?? []).filter((e) => e.name !== 'nan').map((e) => e.label),
      verdict: text(row?.querySelector('[data-testid=verdict]')),
      verdictId: row?.querySelector('[data-testid=verdict]')?.getAttribute('data-verdict') ?? null,
      verdictLine: text(row?.querySelector('[data-testid=verdict-line]')),
      limits: Array.from(row?.querySelectorAll('[data-testid=limits] li') ?? [], (li) => text(li)!),
      note: text(row?.querySelector('[data-testid=prediction-note]')),
      rowTitle: text(row?.querySelector('[data-testid=row-title]')),
      widthProblem: text(form.querySelector('[data-testid=problem-width]')),
      runButton: text(root.querySelector('[data-testid=run]')),
    };
  });

function setWidth(value: string) {
  return page.evaluate((value) => {
    const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!;
    const input = lab.shadowRoot!.querySelector('gp-depth-controls')!.shadowRoot!.querySelector('#f-width') as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  }, value);
}

describe('Depth lab in Korean', () => {
  it('runs a preset with ?lang=ko, shows legend, verdict and a field problem in Korean, and keeps the results when switched to English', async () => {
    await page.goto(`${inject('baseUrl')}/?lang=ko#/depth-lab`);
    await page.waitForFunction(() => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-depth-lab')?.gpu, { timeout: 150_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    await page.evaluate(() => {
      const root = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!;
      (root.querySelector('[data-preset="lecture-1.5I"]') as HTMLButtonElement).click();
    });
    await page.waitForFunction(() =>
      document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-preset="lecture-1.5I"][aria-pressed=true]'),
    );
    expect((await read()).runButton).toBe('스윕 실행');
    await page.evaluate(() =>
      (
        document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-testid=run]') as HTMLButtonElement
      ).click(),
    );
    await page.waitForFunction(
      () =>
        ['complete', 'error', 'cancelled'].includes(
          document
            .querySelector('gp-app')!
            .shadowRoot!.querySelector('gp-depth-lab')!
            .shadowRoot!.querySelector('[data-run-state]')!
            .getAttribute('data-run-state')!,
        ),
      { timeout: RUN_TIMEOUT, polling: 250 },
    );

    const ko = await read();
    expect(ko.state).toBe('complete');
    expect(ko.rows).toBeGreaterThan(1);
    // W = 1.5·I overflows f32 in the deep rows: the legend names the off-scale statuses, in Korean.
    expect(ko.legend).toContain('오버플로(1e38 초과)');
    for (const label of ko.legend) expect(label, label).toMatch(HANGUL);
    expect(['agree', 'disagree']).toContain(ko.verdictId);
    expect(ko.verdict).toBe(ko.verdictId === 'agree' ? '일치' : '불일치');
    expect(ko.verdictLine).toMatch(/에 견준 ‖a‖:/);
    // The selected row's explanations: the forecast's formula and where f32 ran out, in Korean sentences.
    expect(ko.note).toMatch(/^정확한 식: W = 1\.5·I/);
    // The row title names the init as the Training lab does (항등 행렬), not by its id, and the activation as the
    // Training lab's presets do (선형, walk F9), not as the id 'linear'.
    expect(ko.rowTitle).toContain('선형, 항등 행렬 × 1.5');
    expect(ko.rowTitle).not.toContain('identity');
    expect(ko.rowTitle).not.toContain('linear');
    expect(ko.limits.length).toBeGreaterThan(0);
    for (const s of ko.limits) {
      expect(s, s).toMatch(HANGUL);
      expect(s, s).not.toMatch(/\b(overflows?|layer|predicted|Gradients|lost)\b/);
    }

    // A bad width: the field problem is Korean, and the results stay on screen.
    await setWidth('0');
    await page.waitForFunction(
      () =>
        !!document
          .querySelector('gp-app')!
          .shadowRoot!.querySelector('gp-depth-lab')!
          .shadowRoot!.querySelector('gp-depth-controls')!
          .shadowRoot!.querySelector('[data-testid=problem-width]'),
    );
    const bad = await read();
    expect(bad.widthProblem).toBe('1부터 1024까지의 정수여야 합니다. 입력값: 0');
    expect(bad.rows).toBe(ko.rows);

    // Switch to English in place: the same element (marker kept), the same rows and values, English texts.
    await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.setAttribute('data-marker', 'kept'));
    await page.evaluate(() =>
      (
        document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-lang-switch')!.shadowRoot!.querySelector('button[data-lang=en]') as HTMLButtonElement
      ).click(),
    );
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await page.waitForFunction(() => {
      const b = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('[data-testid=run]');
      return (b?.textContent ?? '').trim() === 'Run sweep';
    });
    const en = await read();
    expect(en.marker).toBe('kept');
    expect(en.state).toBe('complete');
    expect(en.rows).toBe(ko.rows);
    expect(en.values).toEqual(ko.values);
    expect(en.legend).toContain('overflow (above 1e38)');
    for (const label of en.legend) expect(label, label).not.toMatch(HANGUL);
    expect(en.verdict).toBe(en.verdictId);
    expect(en.verdictLine).toMatch(/against the/);
    // The row's sentences were made in Korean: the switch remakes them in English.
    expect(en.note).toMatch(/^Exact: W = 1\.5·I/);
    expect(en.rowTitle).toContain('linear, identity × 1.5');
    expect(en.limits.length).toBe(ko.limits.length);
    for (const s of en.limits) expect(s, s).not.toMatch(HANGUL);
    expect(en.widthProblem).toBe('must be an integer from 1 to 1024, got 0');
  }, 400_000);
});
