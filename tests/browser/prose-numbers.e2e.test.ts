import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'puppeteer';
import { gotoView, openOwnContext, type OwnContextPage } from '../helpers/browser';
import { inNormalizeLab, runNormalizeLab } from '../helpers/normalize-lab-page';
import { defaultLabState, type NormalizeLabState } from '../../src/labs/normalize/form';
import { encodeNormalizeState } from '../../src/labs/normalize/url-state';

// Numbers in prose never break across lines (walk F8: "…반올림하면 1.24e-⏎5입니다." at 390 px). The
// Normalization lab's one-rate note, rate hint, explanations and next step, in Korean and English, are laid
// out at every width from 100 to 400 px, and each number written with an exponent (1.24e-5) must sit on one
// line: its characters' boxes all on one line box. Measured on the text, not on how the view marks numbers up.
// Own browser context: the stored language choice never reaches the other test files.

const STATE: NormalizeLabState = { ...defaultLabState(), data: { ...defaultLabState().data, m: 200, testFraction: 0.2, seed: 5 } };
const QUERY = encodeNormalizeState(STATE);
const PROSE = ['lr-note', 'lr-hint', 'next-step', 'stats-explain', 'scatter-explain', 'mode-note', 'mode-caption', 'contours-explain', 'results-explain'];

let own: OwnContextPage;
let page: Page;

beforeAll(async () => {
  own = await openOwnContext({ viewport: { width: 390, height: 900 } });
  page = own.page;
});
afterAll(() => own?.close());

const inLab = <T>(fn: string) => inNormalizeLab<T>(page, fn);

/**
 * Lays each element matching `selectors` in the shadow root `rootExpr` out at widths 100..400 px and lists every
 * exponent number, fraction (2/λmax), ratio of symbols (λmax/λmin), scaled matrix (W = 1.5·I), range of layers (5–12)
 * or norm (‖∂J/∂a‖), and with `units` every "× 1.5" and
 * "n = 64", whose characters fall on more than one line (a Range over the number's characters, across
 * the text nodes it spans); also how many numbers were checked, and the texts, so a test cannot pass on no
 * numbers at all.
 */
const brokenNumbersIn = (rootExpr: string, selectors: string[], units = false) =>
  page.evaluate(`(() => {
     const root = ${rootExpr};
     // With units: also a gain with its sign (× 1.5) and a size with its name (n = 64), as a row title writes them.
     const NUM = /${units ? '×\\s\\d+(?:[.,]\\d+)*|\\b[nm]\\s=\\s\\d+(?:,\\d{3})*|' : ''}‖[^‖\\s]{1,24}‖|\\b[A-Z]\\s=\\s\\d+(?:\\.\\d+)?·[A-Z]|[α-ω][a-z]{0,4}\\/[α-ω][a-z]{0,4}|(?<![A-Za-z0-9_.])[-−]?\\d+(?:\\.\\d+)?(?:[eE][-−+]?\\d+|\\/√?[\\p{L}\\d]+|–\\d+)/gu;
     const els = ${JSON.stringify(selectors)}.flatMap((sel) => [...root.querySelectorAll(sel)]);
     let checked = 0;
     const broken = new Set();
     for (const box of els) {
       const nodes = [];
       let text = '';
       const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
       while (walker.nextNode()) { nodes.push({ node: walker.currentNode, start: text.length }); text += walker.currentNode.data; }
       const at = (i) => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k].start <= i) return [nodes[k].node, i - nodes[k].start]; };
       const numbers = [...text.matchAll(NUM)];
       const saved = box.getAttribute('style');
       for (let w = 100; w <= 400; w += 2) {
         box.style.width = w + 'px';
         box.style.maxWidth = 'none';
         for (const m of numbers) {
           checked++;
           const r = document.createRange();
           const [sn, so] = at(m.index);
           const [en, eo] = at(m.index + m[0].length - 1);
           r.setStart(sn, so);
           r.setEnd(en, eo + 1);
           const tops = [...r.getClientRects()].filter((q) => q.width > 0).map((q) => q.top).sort((a, b) => a - b);
           if (tops.length && tops[tops.length - 1] - tops[0] > 4) broken.add(m[0] + ' at ' + w + ' px in ' + (box.dataset.testid || box.tagName));
         }
       }
       if (saved === null) box.removeAttribute('style'); else box.setAttribute('style', saved);
     }
     return { checked, broken: [...broken], texts: els.map((e) => e.textContent.replace(/\\s+/g, ' ').trim()) };
   })()`) as Promise<{ checked: number; broken: string[]; texts: string[] }>;

const LAB_ROOT = 'document.querySelector("gp-app").shadowRoot.querySelector("gp-normalize-lab").shadowRoot';
const brokenNumbers = () =>
  brokenNumbersIn(
    LAB_ROOT,
    PROSE.map((id) => `[data-testid=${id}]`),
  );

async function oneRateForAll(): Promise<void> {
  await inLab<void>(`root.querySelector('input[name=lrscale][value=relative]').click();`);
  await inLab<void>(`root.querySelector('input[name=lrscale][value=absolute]').click();`);
  await page.waitForFunction(
    (l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=lr-note]'),
    { timeout: 10_000 },
    'document.querySelector("gp-app").shadowRoot.querySelector("gp-normalize-lab")',
  );
}

describe('numbers in prose stay on one line', () => {
  it('Korean, 390 px: the one-rate note, the rate hint and the explanations', async () => {
    await gotoView(page, `/?lang=ko#/normalization-lab?${QUERY}`, 'gp-normalize-lab', 180_000);
    await page.waitForFunction(() => document.documentElement.lang === 'ko', { timeout: 30_000 });
    await runNormalizeLab(page, 170_000);
    // Before switching: the contour section's hint at each mode's own fraction of 2/λmax and the results intro
    // (walk s11 C1: '자기 한계 2/⏎λmax의 같은 비율' and 'λmax/⏎λmin').
    const own = await brokenNumbersIn(LAB_ROOT, ['[data-testid=contours-explain]', '[data-testid=results-explain]']);
    expect(own.texts.join(' ')).toContain('자기 한계 2/λmax의 같은 비율');
    expect(own.texts.join(' ')).toContain('λmax/λmin');
    expect(own.checked).toBeGreaterThan(300);
    expect(own.broken, JSON.stringify(own.broken)).toEqual([]);
    await oneRateForAll();
    const r = await brokenNumbers();
    // The walk's sentence: the rate rounded to the field's 3 significant digits, an exponent number.
    expect(r.texts.join(' ')).toMatch(/유효숫자 3자리로 반올림하면 \d(\.\d+)?e-\d+/);
    // Each mode's caption under its plot (walk s10 N1: 'lr 1.24e-⏎5 (0.5004 × 2/λmax)').
    expect(r.texts.join(' ')).toMatch(/lr \d(\.\d+)?e-\d+ \([\d.e-]+ × 2\/λmax\)/);
    expect(r.checked).toBeGreaterThan(300);
    expect(r.broken).toEqual([]);
  });

  it('English, 390 px: the same texts', async () => {
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction(() => document.documentElement.lang === 'en', { timeout: 30_000 });
    await oneRateForAll();
    const r = await brokenNumbers();
    expect(r.texts.join(' ')).toMatch(/rounded to the rate field’s 3 significant digits: \d(\.\d+)?e-\d+/);
    expect(r.texts.join(' ')).toContain('field: 1e-12 to 10000; log slider above: ');
    expect(r.checked).toBeGreaterThan(300);
    expect(r.broken).toEqual([]);
  });

  it('Depth lab, 390 px: the f32-limit bullets of a Xavier + ReLU row whose gradients flush to 0 (the walk’s row), EN and KO', async () => {
    const DEPTH_ROOT = 'document.querySelector("gp-app").shadowRoot.querySelector("gp-depth-lab").shadowRoot';
    const ROW_ROOT = DEPTH_ROOT + '.querySelector("gp-depth-row").shadowRoot';
    await gotoView(
      page,
      '/?lang=en#/depth-lab?v=1&depth=124&width=64&batch=16&act=relu&init=xavier-normal&gain=1&seed=1&input=normal&sweep=depth&values=124&view=grad-a',
      'gp-depth-lab',
      180_000,
    );
    await page.evaluate(`${DEPTH_ROOT}.querySelector('[data-testid=run]').click()`);
    await page.waitForFunction(
      `${DEPTH_ROOT}.querySelector('[data-run-state]').getAttribute('data-run-state') === 'complete' && !!${DEPTH_ROOT}.querySelector('gp-depth-row')?.shadowRoot?.querySelector('[data-testid=limits]')`,
      {
        timeout: 170_000,
        polling: 250,
      },
    );
    const SELECTORS = ['[data-testid=limits] li', '[data-testid=prediction-note]', '[data-testid=verdict-line]', '[data-testid=zero-gap-note]'];
    const en = await brokenNumbersIn(ROW_ROOT, SELECTORS);
    expect(en.texts.join(' ')).toMatch(/predicts ‖∂J\/∂a‖ ≈ \d(\.\d+)?e-\d+/);
    expect(en.checked).toBeGreaterThan(300);
    expect(en.broken, JSON.stringify(en.broken)).toEqual([]);
    // The row title's gain, n and m (walk s10 N4: '항등 행렬 ×⏎1.5' at 390 px in Korean).
    const enTitle = await brokenNumbersIn(ROW_ROOT, ['[data-testid=row-title]'], true);
    expect(enTitle.texts.join(' ')).toMatch(/Xavier normal × 1, n = 64, m = 16/);
    expect(enTitle.checked).toBeGreaterThan(400);
    expect(enTitle.broken, JSON.stringify(enTitle.broken)).toEqual([]);
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=ko]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction(() => document.documentElement.lang === 'ko', { timeout: 30_000 });
    await page.waitForFunction(`${ROW_ROOT}.querySelector('[data-testid=limits]').textContent.includes('기울기')`, { timeout: 30_000 });
    const ko = await brokenNumbersIn(ROW_ROOT, SELECTORS);
    expect(ko.checked).toBeGreaterThan(300);
    expect(ko.broken, JSON.stringify(ko.broken)).toEqual([]);
    const koTitle = await brokenNumbersIn(ROW_ROOT, ['[data-testid=row-title]'], true);
    expect(koTitle.texts.join(' ')).toMatch(/^행 .*124개 층, ReLU, Xavier 정규분포 × 1, n = 64, m = 16$/);
    expect(koTitle.broken, JSON.stringify(koTitle.broken)).toEqual([]);
  });

  it('Home, 390 px: the lesson claims’ W = 1.5·I and W = 0.5·I, KO and EN (walk s11 C1: "W =⏎1.5·I" in Korean)', async () => {
    const HOME_ROOT = 'document.querySelector("gp-app").shadowRoot.querySelector("gp-home").shadowRoot';
    for (const lang of ['ko', 'en']) {
      await page.goto(`${inject('baseUrl')}/?lang=${lang}#/`);
      await page.waitForFunction(`!!${HOME_ROOT}?.querySelector('[data-testid=claim]') && document.documentElement.lang === '${lang}'`, { timeout: 60_000 });
      const r = await brokenNumbersIn(HOME_ROOT, ['[data-testid=claim]']);
      expect(r.texts.join(' ')).toContain('W = 1.5·I');
      expect(r.texts.join(' ')).toContain('W = 0.5·I');
      expect(r.checked).toBeGreaterThan(300);
      expect(r.broken, `${lang}: ${JSON.stringify(r.broken)}`).toEqual([]);
    }
  });
});
