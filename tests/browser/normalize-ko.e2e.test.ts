import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { gotoView, openOwnContext, type OwnContextPage } from '../helpers/browser';
import { pageOverflow } from '../helpers/layout';
import { NORMALIZE_LAB as lab, inNormalizeLab, normalizeLabText } from '../helpers/normalize-lab-page';
import { defaultLabState, type NormalizeLabState } from '../../src/labs/normalize/form';
import { encodeNormalizeState } from '../../src/labs/normalize/url-state';

// The Normalization lab in Korean (?lang=ko; real WebGPU on SwiftShader): a run completes with its
// explanations in Korean quoting the data's own σ; a field problem, CSV errors (a parse error from the worker
// too) and a bad link's problem are shown in Korean; the header switch changes the language in place without
// losing the results; the page never scrolls sideways (390 px with results and errors on screen, in both
// languages; 1400 px; a page opened in English). Own browser context: the stored language choice never
// reaches the other test files.

const RUN_TIMEOUT = 170_000;
const STATE: NormalizeLabState = { ...defaultLabState(), data: { ...defaultLabState().data, m: 200, testFraction: 0.2, seed: 5 } };
const QUERY = encodeNormalizeState(STATE);

let own: OwnContextPage;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'gp-normalize-ko-'));

beforeAll(async () => {
  own = await openOwnContext({ viewport: { width: 390, height: 900 } });
  page = own.page;
});
afterAll(() => own?.close());

const inLab = <T>(fn: string) => inNormalizeLab<T>(page, fn);
const text = (sel: string) => normalizeLabText(page, sel);
const runState = () => inLab<string | null>(`return root.querySelector('[data-run-state]')?.getAttribute('data-run-state') ?? null;`);

async function openLab(lang: 'ko' | 'en', query = QUERY): Promise<void> {
  await gotoView(page, `/?lang=${lang}#/normalization-lab?${query}`, 'gp-normalize-lab', 180_000);
  await page.waitForFunction((l) => document.documentElement.lang === l, { timeout: 30_000 }, lang);
}

async function run(): Promise<void> {
  await inLab<void>(`root.querySelector('[data-testid=run]').click();`);
  await page.waitForFunction(
    (l) => ['complete', 'error'].includes((eval(l) as HTMLElement).shadowRoot!.querySelector('[data-run-state]')!.getAttribute('data-run-state')!),
    { timeout: RUN_TIMEOUT, polling: 250 },
    lab,
  );
  expect(await runState()).toBe('complete');
}

async function expectNoSidewaysScroll(): Promise<void> {
  const o = await pageOverflow(page);
  expect(o.client).toBe((await page.viewport())!.width);
  expect(o.scroll, `wider than the viewport: ${o.culprits.join('; ')}`).toBeLessThanOrEqual(o.client);
}

/** The widest training σ in the stats table (the feature the explanations compare), and every feature's. */
const sigmas = () =>
  inLab<number[]>(`return [...root.querySelectorAll('[data-testid=stats-table] td[data-col=sigma]')].map((td) => Number(td.getAttribute('data-value')));`);
const approx3 = (v: number) => new Intl.NumberFormat('ko', { maximumSignificantDigits: 3 }).format(v);

/**
 * What collides under the learning-rate slider: two marks' labels whose boxes overlap, a mark's line drawn
 * through another's label, a mark's line over the middle of its own label (it belongs beside it: at the
 * label's left or right edge, within the label's 2 px padding), a label outside the viewport. Each label's box
 * (its text and padding) is measured.
 */
const markCollisions = () =>
  inLab<string[]>(
    `const box = (e) => { const r = e.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; };
     const meet = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;
     const labels = [...root.querySelectorAll('.marks .mark')].map((e) => ({ text: e.textContent.trim(), ...box(e) }));
     const lines = [...root.querySelectorAll('.marks .mark-line')].map(box);
     const out = [];
     labels.forEach((a, i) => {
       if (a.l < 0 || a.r > document.documentElement.clientWidth) out.push('"' + a.text + '" leaves the viewport');
       labels.forEach((b, j) => { if (i < j && meet(a, b)) out.push('"' + a.text + '" overlaps "' + b.text + '"'); });
       lines.forEach((line, j) => { if (i !== j && meet(a, line)) out.push('line ' + j + ' runs through "' + a.text + '"'); });
       const own = (lines[i].l + lines[i].r) / 2;
       if (own > a.l + 2.5 && own < a.r - 2.5) out.push('line ' + i + ' stands over the middle of its own label "' + a.text + '"');
     });
     return labels.length >= 3 ? out : ['only ' + labels.length + ' labels'];`,
  );

describe('the Normalization lab in Korean', () => {
  it('completes a run with its explanations in Korean, quoting the data’s own σ', async () => {
    await openLab('ko');
    expect(await text('h2')).toBe('정규화 실험실');
    await run();
    expect(await text('[data-testid=results-table] th[scope=col]')).toBe('모드');
    expect(await text('[data-testid=results-table] tr[data-mode=standardize] th')).toBe('표준화 (x−μ)/σ');
    // The explanations quote the training σ of this data (the table's σ, computed on the GPU in f32, agree to 3 digits).
    const s = await sigmas();
    expect(s.length).toBe(2);
    const wide = Math.max(...s);
    const stats = (await text('[data-testid=stats-explain]'))!;
    expect(stats).toContain('훈련 세트의 μ와 σ');
    expect(stats).toContain(`σ ≈ ${approx3(wide)}`);
    const note = (await text('[data-mode=standardize] [data-testid=mode-note]'))!;
    expect(note).toMatch(/^훈련 세트의 μ와 σ로 표준화/);
    expect(note).toContain(approx3(wide));
    expect(await text('[data-testid=next-step]')).toMatch(/^다음에 해 볼 것:/);
    expect(await text('[data-testid=backend-badge]')).toBe('GPU (WebGPU, f32)');
  });

  it('with one rate for all, the slider marks name the modes in Korean, not by their internal ids', async () => {
    await inLab<void>(`root.querySelector('input[name=lrscale][value=absolute]').click();`);
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelectorAll('.marks .mark').length >= 3, { timeout: 10_000 }, lab);
    const marks = await inLab<string[]>(`return [...root.querySelectorAll('.marks .mark')].map((m) => m.textContent.trim());`);
    expect(marks.join(' | ')).toMatch(/원래 값 .*\| 표준화, 테스트 자체 μ, σ .*\| ÷ σ² /);
    expect(marks.join(' ')).not.toMatch(/raw|standardize|divide-variance|test-own-stats/);
    // Learner walk at 390 px: the labels overlapped (the merged standardized label ran under raw's line).
    expect(await markCollisions()).toEqual([]);
    await inLab<void>(`root.querySelector('input[name=lrscale][value=relative]').click();`);
  });

  it('at 360 px too, each slider mark’s line runs beside its own label, not over its middle (Korean)', async () => {
    // Learner walk on a phone in Korean: raw's label "원래 값 …" was centred under its line to save a row.
    await page.setViewport({ width: 360, height: 900 });
    await inLab<void>(`root.querySelector('input[name=lrscale][value=absolute]').click();`);
    await page.waitForFunction(
      (l) => {
        const marks = (eval(l) as HTMLElement).shadowRoot!.querySelector('gp-lr-marks');
        return !!marks && marks.clientWidth < 300 && marks.querySelectorAll('.mark').length >= 3;
      },
      { timeout: 10_000 },
      lab,
    );
    // The marks lay out again when their width changes: measure after that render.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await markCollisions()).toEqual([]);
    await expectNoSidewaysScroll();
    await inLab<void>(`root.querySelector('input[name=lrscale][value=relative]').click();`);
    await page.setViewport({ width: 390, height: 900 });
    // What sizes itself to its width (plots, marks) renders again before the next test measures at 390 px.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  });

  it('at 390 px the page does not scroll sideways (Korean, with results)', async () => {
    await expectNoSidewaysScroll();
  });

  it('at 390 px the result tables keep whole Korean words (their frame scrolls sideways instead)', async () => {
    // Learner walk, 2026-12-07: the mode column stacked one character per line ('표/준/화…').
    // Each cell's text, line by line (characters grouped by the top of their box).
    const cells = await inLab<{ text: string; lines: string[] }[]>(
      `return [...root.querySelectorAll('[data-testid=results-table] tbody th, [data-testid=results-table] td[data-col=steps]')].map((c) => {
         const byTop = new Map();
         const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
         for (let n = walker.nextNode(); n; n = walker.nextNode()) {
           for (let i = 0; i < n.data.length; i++) {
             if (/\\s/.test(n.data[i])) continue;
             const r = document.createRange();
             r.setStart(n, i);
             r.setEnd(n, i + 1);
             const box = r.getClientRects()[0];
             if (!box) continue;
             const top = Math.round(box.top);
             byTop.set(top, (byTop.get(top) ?? '') + n.data[i]);
           }
         }
         return { text: c.textContent.trim(), lines: [...byTop.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]) };
       });`,
    );
    expect(cells.length).toBeGreaterThan(4);
    // No line holds a lone character: words are not split letter by letter.
    for (const c of cells)
      expect(
        c.lines.filter((l) => l.length === 1),
        `${c.text}: ${c.lines.join(' | ')}`,
      ).toEqual([]);
    await expectNoSidewaysScroll();
  });

  it('at 390 px every term’s explanation stays inside the viewport', async () => {
    // Learner walk, 2026-12-07: the J*, 2/λmax, κ and σ explanations ran past the right edge (to 448–587 px).
    const out = await inLab<{ term: string; left: number; right: number }[]>(
      `const res = [];
       for (const t of root.querySelectorAll('gp-term')) {
         const f = t.shadowRoot.querySelector('[tabindex="0"]');
         f.focus();
         await t.updateComplete;
         const r = t.shadowRoot.querySelector('.tip').getBoundingClientRect();
         res.push({ term: t.textContent.trim(), left: r.left, right: r.right });
         f.blur();
         await t.updateComplete;
       }
       return res;`,
    );
    expect(out.length).toBeGreaterThan(3);
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    for (const t of out) {
      expect(t.right, t.term).toBeLessThanOrEqual(width);
      expect(t.left, t.term).toBeGreaterThanOrEqual(0);
    }
  });

  it('a field problem is shown in Korean', async () => {
    await inLab<void>(`const i = root.querySelector('#f-m'); i.value = 'abc'; i.dispatchEvent(new Event('input'));`);
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-problem=m]'), { timeout: 10_000 }, lab);
    expect(await text('[data-problem=m]')).toBe('10부터 1,000,000까지의 정수여야 합니다. 입력값: "abc"');
    // The earlier switch to one rate for all reruns the descents (after a 250 ms pause, so possibly only now);
    // the progress line shows that run until it ends, then why Run is disabled. Wait for that, however long the run takes.
    const fixFields = '실행하려면 빨간색으로 표시된 칸을 고치세요.';
    await page
      .waitForFunction(
        (l, want) => (eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=progress]')?.textContent?.replace(/\s+/g, ' ').trim() === want,
        { timeout: RUN_TIMEOUT, polling: 250 },
        lab,
        fixFields,
      )
      .catch(() => undefined); // on a timeout the assertion below says what the line showed instead
    expect(await text('[data-testid=progress]')).toBe(fixFields);
    await inLab<void>(`const i = root.querySelector('#f-m'); i.value = '200'; i.dispatchEvent(new Event('input'));`);
    await page.waitForFunction((l) => !(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-problem=m]'), { timeout: 10_000 }, lab);
  });

  it('a CSV parse error (the file parsed in a Web Worker) is shown in Korean', async () => {
    writeFileSync(join(dir, 'bad-cell.csv'), 'a,b,y\n1,2,3\n4,five,6\n7,8,9\n');
    const input = await page.$('gp-app >>> gp-normalize-lab >>> [data-testid=csv-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(join(dir, 'bad-cell.csv'));
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=csv-error]'), { timeout: 60_000 }, lab);
    expect(await text('[data-testid=csv-error]')).toBe(
      'bad-cell.csv, 3행: 3번째 줄의 "b" 열 값("five")은 수가 아닙니다. 모든 열이 숫자여야 합니다(예: 12, -0.5, 3e4). 이전 데이터가 그대로 있습니다.',
    );
    expect(await text('[data-testid=dataset-summary]')).toMatch(/^불러옴: 생성 \(시드 5\)/);
    // A problem already on screen follows the header switch: it is worded when shown, not when it happened.
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('h2')!.textContent === 'Normalization lab', { timeout: 30_000 }, lab);
    expect(await text('[data-testid=csv-error]')).toMatch(/^bad-cell\.csv, line 3: .*"five".*\. The previous data is still loaded\.$/);
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=ko]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('h2')!.textContent === '정규화 실험실', { timeout: 30_000 }, lab);
    expect(await text('[data-testid=csv-error]')).toMatch(/^bad-cell\.csv, 3행: /);
  });

  it('a CSV error is shown in Korean and the loaded data stays', async () => {
    writeFileSync(join(dir, 'one-feature.csv'), 'x,y\n1,2\n3,4\n5,7\n8,9\n');
    const input = await page.$('gp-app >>> gp-normalize-lab >>> [data-testid=csv-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(join(dir, 'one-feature.csv'));
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=csv-error]'), { timeout: 60_000 }, lab);
    const err = (await text('[data-testid=csv-error]'))!;
    expect(err).toMatch(/^one-feature\.csv: /);
    expect(err).toContain('특징 열이 1개만 남습니다');
    expect(err).toMatch(/이전 데이터가 그대로 있습니다\.$/);
    expect(await text('[data-testid=dataset-summary]')).toMatch(/^불러옴: 생성 \(시드 5\); 200행 \(훈련 160, 테스트 40\), 특징 2개/);
    await expectNoSidewaysScroll();
  });

  it('the header switch changes the language in place, keeping the results', async () => {
    await inLab<void>(`el.setAttribute('data-marker', 'kept');`);
    const kappa = await inLab<string[]>(
      `return [...root.querySelectorAll('[data-testid=results-table] td[data-col=kappa]')].map((td) => td.textContent.trim());`,
    );
    expect(kappa.length).toBe(4);
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('h2')!.textContent === 'Normalization lab', { timeout: 30_000 }, lab);
    expect(await inLab<string | null>(`return el.getAttribute('data-marker');`)).toBe('kept');
    expect(await runState()).toBe('complete');
    expect(
      await inLab<string[]>(`return [...root.querySelectorAll('[data-testid=results-table] td[data-col=kappa]')].map((td) => td.textContent.trim());`),
    ).toEqual(kappa);
    expect(await text('[data-testid=results-table] tr[data-mode=standardize] th')).toBe('standardize (x−μ)/σ');
    expect(await text('[data-testid=stats-explain]')).toMatch(/^What was subtracted from each feature/);
    expect(await text('[data-mode=standardize] [data-testid=mode-note]')).toMatch(/^Standardized with the training μ and σ/);
    expect(await text('[data-testid=csv-error]')).toMatch(/^one-feature\.csv: /);
    await expectNoSidewaysScroll();
    // And back to Korean, in place.
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=ko]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('h2')!.textContent === '정규화 실험실', { timeout: 30_000 }, lab);
    expect(await text('[data-mode=standardize] [data-testid=mode-note]')).toMatch(/^훈련 세트의 μ와 σ로 표준화/);
  });

  it('at 1400 px neither language scrolls sideways', async () => {
    await page.setViewport({ width: 1400, height: 900 });
    await expectNoSidewaysScroll();
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('h2')!.textContent === 'Normalization lab', { timeout: 30_000 }, lab);
    await expectNoSidewaysScroll();
  });

  it('a bad link’s problem is listed in Korean, and the header switch re-words it in place', async () => {
    await page.setViewport({ width: 390, height: 900 });
    await openLab('ko', QUERY.replace(/(^|&)steps=[^&]*/, '$1steps=0'));
    const steps = '[data-testid=url-problems] li[data-param=steps]';
    await page.waitForFunction((l, sel) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector(sel), { timeout: 30_000 }, lab, steps);
    expect(await text(steps)).toBe('steps 1부터 100,000까지여야 합니다. 입력값: 0. 기본값을 씁니다: 500');
    await expectNoSidewaysScroll();
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('h2')!.textContent === 'Normalization lab', { timeout: 30_000 }, lab);
    expect(await text(steps)).toBe('steps must be from 1 to 100,000; got 0; using the default 500');
  });

  it('a page opened in English, after a run, does not scroll sideways at 390 px', async () => {
    await openLab('en');
    expect(await text('h2')).toBe('Normalization lab');
    await run();
    await expectNoSidewaysScroll();
  });

  it('at 390 px each mode’s swatch in the results table sits on the first line of its name (English)', async () => {
    // Learner walk at 390 px: the standardize row's swatch stood alone on a line above its name.
    const rows = await inLab<{ mode: string; swatchTop: number; textTop: number; lineHeight: number }[]>(
      `return [...root.querySelectorAll('[data-testid=results-table] tbody th')].map((th) => {
         const swatch = th.querySelector('.swatch').getBoundingClientRect();
         const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
         let n = walker.nextNode();
         while (n && !n.data.trim()) n = walker.nextNode();
         const r = document.createRange();
         r.setStart(n, n.data.search(/\\S/));
         r.setEnd(n, n.data.search(/\\S/) + 1);
         const first = r.getClientRects()[0];
         return { mode: th.textContent.trim(), swatchTop: swatch.top, textTop: first.top, lineHeight: first.height };
       });`,
    );
    expect(rows.length).toBe(4);
    for (const r of rows) expect(Math.abs(r.swatchTop - r.textTop), r.mode).toBeLessThan(r.lineHeight);
  });

  it('at 390 px the slider marks of one rate for all neither overlap nor cross (English: the longest labels)', async () => {
    await inLab<void>(`root.querySelector('input[name=lrscale][value=absolute]').click();`);
    await page.waitForFunction((l) => (eval(l) as HTMLElement).shadowRoot!.querySelectorAll('.marks .mark').length >= 3, { timeout: 10_000 }, lab);
    const marks = await inLab<string[]>(`return [...root.querySelectorAll('.marks .mark')].map((m) => m.textContent.trim());`);
    expect(marks.join(' | ')).toMatch(/^raw .*\| standardized, test’s own μ, σ .*\| ÷ σ² /);
    expect(await markCollisions()).toEqual([]);
    await expectNoSidewaysScroll();
  });
});
