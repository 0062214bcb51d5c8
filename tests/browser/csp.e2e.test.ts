import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { build, preview, type PreviewServer } from 'vite';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';

// The built app (`vite build`, served by `vite preview`) carries the Content-Security-Policy of
// vite.config.ts and works under it in headless Chromium with WebGPU: no violation, no console error, the
// GPU found, every view's module loaded, the Shaders editor styled and compiling, a Kernel check run passing.
// The dev server sends none (its tooling and the test drivers evaluate strings).

/** The policy in a page's <meta http-equiv="Content-Security-Policy">. */
function policyIn(html: string): string | null {
  return html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1]?.replace(/&#39;/g, "'") ?? null;
}

const TIMEOUT = 170_000;

let outDir: string;
let server: PreviewServer;
let baseUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'gp-csp-build-'));
  await build({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  baseUrl = `http://127.0.0.1:${address.port}`;

  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  context = await browser.createBrowserContext();
  page = await context.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`page error: ${(err as Error).message}`));
  await recordViolations(page);
}, TIMEOUT);

afterAll(async () => {
  await context?.close();
  await browser?.disconnect();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const violations = (p = page) => p.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

/** Collects violations from the first byte of every document of `p`. */
const recordViolations = (p: Page) =>
  p.evaluateOnNewDocument(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
    );
  });

describe('Content-Security-Policy of the built app', () => {
  it('the build puts a policy at least as strict as the issue asks before any script or style; the source index.html has none', () => {
    expect(policyIn(readFileSync('index.html', 'utf8'))).toBeNull();
    const directives = CONTENT_SECURITY_POLICY.split(/;\s*/);
    for (const d of ["script-src 'self'", "style-src 'self' 'unsafe-inline'", "object-src 'none'", "base-uri 'none'", "worker-src 'self'"])
      expect(directives).toContain(d);
    expect(directives[0]).toMatch(/^default-src '(none|self)'$/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|https?:/); // no eval, no wildcard, no other origin
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(policyIn(html)).toBe(CONTENT_SECURITY_POLICY);
    const meta = html.indexOf('http-equiv="Content-Security-Policy"');
    expect(meta).toBeGreaterThan(0);
    expect(meta).toBeLessThan(html.indexOf('<script'));
    expect(meta).toBeLessThan(html.indexOf('<style'));
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script for the policy to block
  });

  it('is enforced: the page has it, and an inline script is refused and reported', async () => {
    await page.goto(`${baseUrl}/#/kernel-check`);
    const got = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null);
    expect(got).toBe(CONTENT_SECURITY_POLICY);
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.inlineRan = true';
      document.body.append(s);
      s.remove();
      await new Promise((r) => setTimeout(r, 100));
      const w = window as unknown as { inlineRan?: boolean; cspViolations: string[] };
      const seen = w.cspViolations.splice(0); // this one was on purpose
      return { ran: w.inlineRan === true, seen };
    });
    expect(ran.ran).toBe(false);
    expect(ran.seen).toHaveLength(1);
    expect(ran.seen[0]).toMatch(/^script-src/);
    // The browser logged the inline script's refusal as a console error: on purpose, so it does not count below.
    const ours = consoleErrors.filter((e) => /Content Security Policy/.test(e));
    expect(ours.length).toBeGreaterThanOrEqual(1);
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !ours.includes(e)));
  });

  it('the app works under it: WebGPU adapter, every view, the Shaders editor, a Kernel check run; no violation, no console error', async () => {
    await page.waitForFunction(() => !!document.querySelector('gp-app')?.gpu, { timeout: TIMEOUT });
    const adapter = await page.evaluate(() => document.querySelector('gp-app')!.gpu!.summary.architecture);
    expect(adapter).toBeTruthy();

    // Every view's module loaded and rendered (no "coming soon" placeholder left).
    for (const tag of ['gp-kernel-check', 'gp-depth-lab', 'gp-normalize-lab', 'gp-shader-playground', 'gp-shader-bench']) {
      await page.waitForFunction(
        (tag) => !!customElements.get(tag) && !!document.querySelector('gp-app')!.shadowRoot!.querySelector(tag)?.shadowRoot,
        { timeout: TIMEOUT },
        tag,
      );
    }

    // Shaders: CodeMirror renders with its injected theme styles, and the kernel compiles.
    await page.evaluate(() => (location.hash = '#/shaders?kernel=matmul-direct'));
    await page.waitForFunction(
      () => {
        const root = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!;
        const ed = root.querySelector('gp-wgsl-editor');
        return !!ed?.editorView && root.querySelector('[data-testid=compile-status]')?.getAttribute('data-state') === 'ok';
      },
      { timeout: TIMEOUT },
    );
    const editor = await page.evaluate(() => {
      const ed = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('gp-wgsl-editor')!;
      const cm = ed.shadowRoot!.querySelector('.cm-editor')!;
      const content = ed.shadowRoot!.querySelector('.cm-content')!;
      return {
        text: ed.code.slice(0, 200),
        // CodeMirror's base theme (injected style rules) makes .cm-editor a flex column and .cm-content pre-wrapped text.
        display: getComputedStyle(cm).display,
        whiteSpace: getComputedStyle(content).whiteSpace,
        lines: ed.shadowRoot!.querySelectorAll('.cm-line').length,
      };
    });
    expect(editor.text.length).toBeGreaterThan(0);
    expect(editor.display).toBe('flex');
    expect(editor.whiteSpace).toMatch(/^(pre|break-spaces|pre-wrap)/);
    expect(editor.lines).toBeGreaterThan(5);

    // Kernel check: the first kernel's cases run on the GPU and pass against float64.
    await page.evaluate(() => (location.hash = '#/kernel-check'));
    await page.evaluate(() => {
      const el = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')!;
      el.checks = el.checks.slice(0, 1);
      (el.shadowRoot!.querySelector('[data-testid=run]') as HTMLButtonElement).click();
    });
    await page.waitForFunction(
      () =>
        ['done', 'error'].includes(
          document
            .querySelector('gp-app')!
            .shadowRoot!.querySelector('gp-kernel-check')!
            .shadowRoot!.querySelector('[data-run-state]')!
            .getAttribute('data-run-state')!,
        ),
      { timeout: TIMEOUT, polling: 250 },
    );
    const kc = await page.evaluate(() => {
      const root = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-kernel-check')!.shadowRoot!;
      const s = root.querySelector('[data-testid=kernel-check-summary]');
      return {
        state: root.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
        status: s?.getAttribute('data-status'),
        total: Number(s?.getAttribute('data-total')),
      };
    });
    expect(kc.state).toBe('done');
    expect(kc.status).toBe('pass');
    expect(kc.total).toBeGreaterThan(0);

    expect(await violations()).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('the dev server sends no policy (its tooling and test drivers evaluate strings); the built app does', async () => {
    const dev = await context.newPage();
    try {
      await dev.goto(`${inject('baseUrl')}/index.html`);
      expect(await dev.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]'))).toBeNull();
      expect(await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null)).toBe(
        CONTENT_SECURITY_POLICY,
      );
    } finally {
      await dev.close();
    }
  });
});
