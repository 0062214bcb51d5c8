// npm run screenshots [-- --out docs/images --width 1200 --only training-lab]
// Renders the home view and each lab after a preset run (headless Chromium, WebGPU on SwiftShader where
// there is no GPU) into PNG files for the docs, in English (home.png, depth-lab.png, …) and in Korean
// (home-ko.png, depth-lab-ko.png, …, opened with ?lang=ko). Each lab is started the way a learner starts it:
// from a start button of the home view, which opens the lab on its preset (and presses Run, except for the
// Training lab, whose Run button the script presses). --only renders just the named views (comma-separated:
// home, depth-lab, normalization-lab, training-lab), so one view's images can be redone without the others.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCli } from './cli.mjs';
import { serve } from './serve.mjs';
import { launchChromium } from './chromium.mjs';

const values = parseCli(
  {
    out: { type: 'string', default: 'docs/images' },
    width: { type: 'string', default: '1200' },
    timeout: { type: 'string', default: '300' },
    only: { type: 'string', default: '' },
  },
  'usage: npm run screenshots [-- --out DIR --width PX --timeout SECONDS --only VIEW,…]',
);
const VIEWS = ['home', 'depth-lab', 'normalization-lab', 'training-lab'];
const only = values.only ? values.only.split(',').map((v) => v.trim()) : VIEWS;
const unknown = only.filter((v) => !VIEWS.includes(v));
if (unknown.length) {
  console.error(`--only: ${unknown.join(', ')} is not a view; the views are ${VIEWS.join(', ')}`);
  process.exit(2);
}
const width = Number(values.width);
const timeoutMs = Number(values.timeout) * 1000;
if (!(width >= 320 && width <= 3840) || !(timeoutMs > 0)) {
  console.error('--width must be 320..3840 pixels and --timeout a positive number of seconds');
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });

/** Waits until `fn` (run in the page) returns true. */
const until = (page, fn, arg) => page.waitForFunction(fn, { timeout: timeoutMs, polling: 250 }, arg);

const server = await serve();
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewport({ width, height: 900 });
  page.setDefaultNavigationTimeout(timeoutMs); // the dev server's first transform is slow on a busy machine
  page.on('pageerror', (e) => console.error('[page]', e.message));
  for (const lang of ['en', 'ko']) {
    const query = `?lang=${lang}`;
    const name = (file) => (lang === 'en' ? `${file}.png` : `${file}-${lang}.png`);
    await page.goto(`${server.baseUrl}/${query}`);
    await until(page, () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-home')?.shadowRoot?.querySelector('[data-testid=home]'));
    // Wait for the adapter line, so the header shows what the lessons run on.
    await until(
      page,
      () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-adapter-info')?.shadowRoot?.querySelector('[data-testid=adapter]'),
    );
    if (only.includes('home')) await shot(page, name('home'));

    const shots = [
      { start: 'lecture-1.5I', tag: 'gp-depth-lab', file: 'depth-lab' },
      { start: 'lecture-data', tag: 'gp-normalize-lab', file: 'normalization-lab' },
      { start: 'train-depth50-relu', tag: 'gp-training-lab', file: 'training-lab', press: 'button[data-testid=train-run]' },
    ].filter((s) => only.includes(s.file));
    for (const s of shots) {
      await page.goto(`${server.baseUrl}/${query}`);
      await until(page, () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-home')?.shadowRoot?.querySelector('a[data-start]'));
      const t0 = Date.now();
      await page.click(`gp-app >>> gp-home >>> a[data-start="${s.start}"]`);
      if (s.press) {
        await until(
          page,
          ({ tag, press }) => {
            const b = document.querySelector('gp-app')?.shadowRoot?.querySelector(tag)?.shadowRoot?.querySelector(press);
            return !!b && !b.disabled;
          },
          { tag: s.tag, press: s.press },
        );
        await page.click(`gp-app >>> ${s.tag} >>> ${s.press}`);
      }
      // Done when the lab says its run is complete (the Training lab: its progress line's phase is done).
      await until(
        page,
        ({ tag }) => {
          const root = document.querySelector('gp-app')?.shadowRoot?.querySelector(tag)?.shadowRoot;
          return (
            root?.querySelector('[data-run-state]')?.getAttribute('data-run-state') === 'complete' ||
            root?.querySelector('[data-testid=train-progress]')?.getAttribute('data-phase') === 'done'
          );
        },
        { tag: s.tag },
      );
      console.log(`${name(s.file)}: ${s.start} ran in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await new Promise((r) => setTimeout(r, 500));
      await shot(page, name(s.file));
    }
  }
} finally {
  await browser.close();
  await server.close();
}

async function shot(page, file) {
  const path = join(values.out, file);
  await page.screenshot({ path, fullPage: true });
  console.log(`wrote ${path}`);
}
