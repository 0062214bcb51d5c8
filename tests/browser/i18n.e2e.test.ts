import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'puppeteer';
import { openOwnContext, type OwnContextPage } from '../helpers/browser';
import { waitFor } from '../helpers/wait';

// The app in Korean (real WebGPU on SwiftShader): every translated view, opened with ?lang=ko, is scanned —
// text and user-facing attributes, shadow roots included — for English words that bypassed msg(); the header
// switch changes the language in place, <html lang> follows, the choice survives a reload (localStorage)
// and a shared link opens in its language. Runs in its own browser context, so its stored choice never
// reaches the other test files.

/** Runs the Depth lab's W = 1.5·I preset to the end and opens the heatmap's table view, so the results, the table, the selected row's chart, verdict and f32 limits are scanned too. */
async function runDepthPreset(page: Page): Promise<void> {
  const lab = 'gp-app >>> gp-depth-lab';
  await waitFor(async () => page.$eval(`${lab} >>> [data-preset="lecture-1.5I"]`, (b) => !(b as HTMLButtonElement).disabled), 'the preset button', 150_000);
  await page.$eval(`${lab} >>> [data-preset="lecture-1.5I"]`, (b) => (b as HTMLButtonElement).click());
  await waitFor(async () => page.$eval(`${lab} >>> [data-testid=run]`, (b) => !(b as HTMLButtonElement).disabled), 'the Run button');
  await page.$eval(`${lab} >>> [data-testid=run]`, (b) => (b as HTMLButtonElement).click());
  await waitFor(
    async () => (await page.$eval(lab, (el) => el.shadowRoot!.querySelector('[data-run-state]')?.getAttribute('data-run-state'))) === 'complete',
    'the sweep to complete',
    170_000,
  );
  await page.$eval(`${lab} >>> gp-heatmap[data-testid=current-heatmap] >>> .toolbar button`, (b) => (b as HTMLButtonElement).click());
  await waitFor(async () => (await page.$(`${lab} >>> gp-heatmap >>> table`)) !== null, 'the heatmap table');
  await waitFor(async () => (await page.$(`${lab} >>> gp-depth-row >>> [data-testid=verdict]`)) !== null, 'the selected row verdict');
}

/**
 * The views scanned in Korean: a route and the element (under gp-app's shadow root) that holds it. `run`
 * first presses this button and waits for the results, or runs this function, so tables and summaries are
 * scanned too.
 */
const TRANSLATED_VIEWS: readonly { route: string; selector: string; run?: string | ((page: Page) => Promise<void>); show?: string }[] = [
  { route: '', selector: 'header.site' },
  { route: '', selector: 'gp-home' },
  { route: '', selector: 'footer' },
  // `run`: press this button first and wait for the results (the view's [data-run-state] says done or
  // complete), so tables and summaries are scanned too; `show`: then press this button to open the table.
  { route: 'kernel-check', selector: 'gp-kernel-check', run: 'gp-app >>> gp-kernel-check >>> button[data-testid=run]' },
  { route: 'depth-lab', selector: 'gp-depth-lab', run: runDepthPreset },
  // A sweep small enough for SwiftShader (depth 50, n = m = 8, 24 steps): He trains, N(0, 1) overflows and its
  // later steps are lost, so the loss curves, the heatmap with its table and the statuses are all scanned.
  {
    route: 'training-lab?depth=50&width=8&batch=8&trainSize=8&heldOutSize=8&steps=24&evalEvery=8&inits=he-normal:1,normal:1',
    selector: 'gp-training-lab',
    run: 'gp-app >>> gp-training-lab >>> button[data-testid=train-run]',
    show: 'gp-app >>> gp-training-lab >>> gp-heatmap >>> .toolbar button',
  },
  // A small generated dataset (m = 200), so the run's tables, explanations and plots are scanned quickly; steps=0
  // is a bad link parameter, so a link problem is scanned too.
  {
    route: 'normalization-lab?m=200&steps=0',
    selector: 'gp-normalize-lab',
    run: 'gp-app >>> gp-normalize-lab >>> button[data-testid=run]',
  },
  // Time on the first kernel, so its results table is scanned beside the editor, bindings and toolbar.
  { route: 'shaders', selector: 'gp-shader-playground', run: 'gp-app >>> gp-shader-playground >>> button[data-testid=time]' },
  // The Quick benchmark (its default size): results, comparisons, chart and roofline are scanned.
  { route: 'performance', selector: 'gp-shader-bench', run: 'gp-app >>> gp-shader-bench >>> button[data-testid=run]' },
];

/**
 * Latin-script words allowed in Korean text: product and API names, function names, units and math. Text in
 * <code>, in elements marked translate="no" (data such as the adapter's vendor) and in elements with another
 * lang (the switch's "English") is not scanned.
 */
const ALLOWED = new Set(
  [
    'gradient',
    'playground',
    'webgpu',
    'gpu',
    'cpu',
    'wgsl',
    'float',
    'float64',
    'f32',
    'javascript',
    'swiftshader',
    'chrome',
    'edge',
    'safari',
    'firefox',
    'android',
    'windows',
    'linux',
    'https',
    'http',
    'relu',
    'tanh',
    'sigmoid',
    'linear',
    'xavier',
    'he',
    'welford',
    'chan',
    'auto',
    'matmul',
    'inf',
    'nan',
    'max',
    'min',
    'flop',
    'gflop',
    'gb',
    'kib',
    'mib',
    'gib',
    'tib',
    'µs',
    'ms',
    'op',
    // Optimizers, init schemes (he-normal, normal, lecun-normal) and export formats: identifiers, as in the URL.
    'sgd',
    'adam',
    'normal',
    // Math, names and file formats: Var z and Var(W) are the lessons' notation, RMS a glossary term, LeCun the init's name, and the export buttons name their formats.
    'var',
    'rms',
    'lecun',
    'json',
    'csv',
    'png',
    // A key name, as printed on the key (the heatmap's keyboard help).
    'enter',
    // File formats (the Normalization lab's upload and exports) and its formula symbols (lr × 2/λmax, tol · J*).
    'lr',
    'tol',
  ].map((w) => w.toLowerCase()),
);

let own: OwnContextPage;
let page: Page;
const base = () => inject('baseUrl');

beforeAll(async () => {
  own = await openOwnContext({ viewport: { width: 390, height: 900 } });
  page = own.page;
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[page console]', m.text());
  });
});
afterAll(() => own?.close());

const navLabels = () => page.$$eval('gp-app >>> nav a', (as) => as.map((a) => (a.textContent ?? '').trim()));
const htmlLang = () => page.evaluate(() => document.documentElement.lang);

async function openApp(url: string): Promise<void> {
  await page.goto(url);
  await waitFor(async () => (await page.$('gp-app >>> gp-home >>> [data-testid=home]')) !== null, 'the home view', 150_000);
}

/** Latin-script words in the text and user-facing attributes under `selector` (in gp-app's shadow root), shadow roots included. */
function latinWords(selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const root = document.querySelector('gp-app')!.shadowRoot!.querySelector(sel);
    if (!root) throw new Error(`no ${sel}`);
    const out: string[] = [];
    const ATTRS = ['title', 'aria-label', 'placeholder', 'alt', 'aria-description'];
    const skip = (el: Element) =>
      el.localName === 'code' ||
      el.localName === 'style' ||
      el.getAttribute('translate') === 'no' ||
      (el.hasAttribute('lang') && el.getAttribute('lang') !== 'ko');
    const visit = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        out.push(node.textContent ?? '');
        return;
      }
      if (node instanceof Element) {
        if (skip(node)) return;
        for (const a of ATTRS) if (node.hasAttribute(a)) out.push(node.getAttribute(a)!);
        if (node.shadowRoot) node.shadowRoot.childNodes.forEach(visit);
      }
      node.childNodes.forEach(visit);
    };
    visit(root);
    return out.join(' ').match(/[A-Za-zµ][A-Za-z0-9µ]*/g) ?? [];
  }, selector);
}

/** The scanned texts under `selector` that hold any of `words` (for a failure message). */
function textsWith(selector: string, words: string[]): Promise<string[]> {
  return page.evaluate(
    (sel, words) => {
      const out = new Set<string>();
      const visit = (node: Node) => {
        if (node.nodeType === Node.TEXT_NODE) {
          const t = (node.textContent ?? '').trim();
          if (words.some((w) => new RegExp(`\\b${w}\\b`).test(t))) out.add(`${node.parentElement?.localName}: ${t.slice(0, 160)}`);
          return;
        }
        if (node instanceof Element) {
          if (node.localName === 'code' || node.localName === 'style' || node.getAttribute('translate') === 'no') return;
          for (const a of ['title', 'aria-label', 'placeholder', 'alt', 'aria-description']) {
            const v = node.getAttribute(a);
            if (v && words.some((w) => new RegExp(`\\b${w}\\b`).test(v))) out.add(`${node.localName}[${a}]: ${v.slice(0, 160)}`);
          }
          if (node.shadowRoot) node.shadowRoot.childNodes.forEach(visit);
        }
        node.childNodes.forEach(visit);
      };
      visit(document.querySelector('gp-app')!.shadowRoot!.querySelector(sel)!);
      return [...out];
    },
    selector,
    words,
  );
}

describe('Korean (?lang=ko)', () => {
  it('a shared link opens in its language, and <html lang> says so', async () => {
    await openApp(`${base()}/?lang=ko#/`);
    await waitFor(async () => (await navLabels())[0] === '홈', 'the Korean nav');
    expect(await navLabels()).toEqual(['홈', '정규화 실험실', '깊이 실험실', '훈련 실험실', '커널 검사', '셰이더', '성능']);
    expect(await htmlLang()).toBe('ko');
    expect(await page.title()).toBe('Gradient Playground');
    expect(await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=ko]', (b) => b.getAttribute('aria-pressed'))).toBe('true');
  });

  it('a lang in the hash query is honoured and moved to the search part, leaving the view its own query', async () => {
    await openApp(`${base()}/#/kernel-check?lang=ko`);
    await waitFor(async () => (await htmlLang()) === 'ko', '<html lang=ko>');
    const url = new URL(page.url());
    expect(url.search).toBe('?lang=ko');
    expect(url.hash).toBe('#/kernel-check');
    await waitFor(async () => (await page.title()) === '커널 검사 · Gradient Playground', 'the Korean <title>');
  });

  it('a bad lang in the URL falls back without an error', async () => {
    const errors: string[] = [];
    const onError = (e: unknown) => errors.push(String(e));
    page.on('pageerror', onError);
    await openApp(`${base()}/?lang=%3Cscript%3E#/`);
    page.off('pageerror', onError);
    expect(['en', 'ko']).toContain(await htmlLang());
    expect(new URL(page.url()).searchParams.get('lang')).toBe(await htmlLang());
    expect(errors).toEqual([]);
  });

  it("a shared link's unusable settings are listed in Korean when it is the first page opened (Depth and Training labs)", async () => {
    // The link is read before the Korean texts have loaded; its problems are worded again when they arrive.
    for (const [route, sel, testid] of [
      ['depth-lab?depth=abc&width=-3', 'gp-depth-lab', 'url-problems'],
      ['training-lab?lr=-1', 'gp-training-lab', 'url-problems'],
    ]) {
      await page.goto(`${base()}/?lang=ko#/${route}`);
      const problems = `gp-app >>> ${sel} >>> [data-testid=${testid}]`;
      const text = () => page.$eval(problems, (e) => (e.textContent ?? '').replace(/\s+/g, ' ')).catch(() => '');
      await waitFor(async () => /[가-힣]/.test(await text()), `the ${sel} link problems in Korean`, 150_000);
      expect(await text(), route).not.toMatch(/must be|using the default|got /);
    }
    // The next test opens the app fresh, not on this link's state (a hash change would keep the page).
    await page.goto('about:blank');
  });

  for (const view of TRANSLATED_VIEWS) {
    it(`has no untranslated English in ${view.selector} (#/${view.route})`, async () => {
      await openApp(`${base()}/?lang=ko#/${view.route}`);
      await waitFor(async () => (await htmlLang()) === 'ko', '<html lang=ko>');
      // Wait for the adapter line, so the header is scanned in its final state.
      await waitFor(async () => (await page.$('gp-app >>> gp-adapter-info >>> [data-testid=adapter]')) !== null, 'the adapter line');
      if (typeof view.run === 'function') {
        await view.run(page);
      } else if (view.run) {
        const button = view.run;
        // The view may still be loading (labs are defined on first use): no button yet counts as not ready.
        await waitFor(async () => page.$eval(button, (b) => !(b as HTMLButtonElement).disabled).catch(() => false), 'the Run button');
        await page.$eval(button, (b) => (b as HTMLButtonElement).click());
        await waitFor(
          async () =>
            ['done', 'complete'].includes(
              (await page.$eval(`gp-app >>> ${view.selector}`, (el) => el.shadowRoot!.querySelector('[data-run-state]')?.getAttribute('data-run-state'))) ?? '',
            ),
          'the results',
          170_000,
        );
        if (view.show) {
          await waitFor(async () => (await page.$(view.show!)) !== null, 'the button that shows the table');
          await page.$eval(view.show, (b) => (b as HTMLButtonElement).click());
        }
        await waitFor(async () => (await page.$(`gp-app >>> ${view.selector} >>> table`)) !== null, 'the results table');
      }
      const words = await latinWords(view.selector);
      expect(words.length, 'the scan reached the view (every view names WebGPU, GPU or a kernel)').toBeGreaterThan(0);
      const english = words.filter((w) => !ALLOWED.has(w.toLowerCase()) && !/^[A-Za-z]$/.test(w) && !/\d/.test(w));
      // On failure, name the texts the words came from.
      const where = english.length ? await textsWith(view.selector, english) : [];
      expect(english, where.join('\n')).toEqual([]);
    });
  }
});

describe('the language switch', () => {
  it('switches in place (the same elements, no reload), updates <html lang> and the URL, and survives a reload', async () => {
    await openApp(`${base()}/?lang=en#/kernel-check`);
    await waitFor(async () => (await navLabels())[0] === 'Home', 'the English nav');
    expect(await htmlLang()).toBe('en');
    // A marker on the page and on a view: a reload or a re-created view would lose them.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
      document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')!.setAttribute('data-marker', 'kept');
    });
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=ko]', (b) => (b as HTMLButtonElement).click());
    await waitFor(async () => (await navLabels())[0] === '홈', 'the Korean nav after the switch').catch(async (err) => {
      throw new Error(`${err.message}; html lang ${await htmlLang()}, url ${page.url()}, nav ${await navLabels()}`);
    });
    expect(await htmlLang()).toBe('ko');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.$eval('gp-app >>> gp-kernel-check', (el) => el.getAttribute('data-marker'))).toBe('kept');
    expect(await page.$eval('gp-app >>> gp-kernel-check >>> h2', (el) => el.textContent)).toBe('커널 검사');
    expect(await page.title()).toBe('커널 검사 · Gradient Playground');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('ko');
    expect(new URL(page.url()).hash).toBe('#/kernel-check');

    // Reload without lang in the URL: localStorage keeps the choice.
    await openApp(`${base()}/#/`);
    await waitFor(async () => (await navLabels())[0] === '홈', 'Korean after a reload');
    expect(await htmlLang()).toBe('ko');

    // And back to English, in place.
    await page.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
    await waitFor(async () => (await navLabels())[0] === 'Home', 'the English nav after switching back');
    expect(await htmlLang()).toBe('en');
    expect(await page.$eval('gp-app >>> gp-home >>> h2', (el) => el.textContent)).toBe('Two lessons from deep learning, tried for real');
  });
});
