// Issue 13, items 2 and 7, end to end in the app page (real WebGPU on SwiftShader).
// A share link is inert until accepted: it opens read-only with a diff against the built-in and a banner,
// nothing of it is compiled (createShaderModule is spied on before the app loads) or stored; Open in editor
// keeps the user's own draft as a backup that Restore brings back; Discard leaves everything as it was.
// Corrupt storage records (an override with empty code and `verified: {}`, a tuning with tileM: 7) are
// dropped with a notice naming them, and the Depth lab runs the built-ins correctly.
// Its own browser context: its localStorage never reaches other tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'puppeteer';
import { inAppView, openOwnContext, type OwnContextPage } from '../helpers/browser';
import { clickInDepthLab, waitForDepthRunEnd } from '../helpers/depth-lab-page';
import { waitForEditorCode } from '../helpers/shaders-page';
import { makeShareHash } from '../../src/playground/share-link';
import { PRESETS } from '../../src/labs/depth/presets';
import { depthRange, type SweepSpec } from '../../src/labs/depth/sweep-grid';
import { encodeState } from '../../src/labs/depth/url-state';
import { readShaderModule } from '../helpers/shader-module';

const DIRECT = readShaderModule('shaders/matmul-direct.wgsl');
const TIMEOUT = 150_000;
const MARKER = 'shared-link-marker-4721';
const OWN = `// my own draft\n${DIRECT}`;
// The shared version: one comment line added and the K loop's first step skipped.
const SHARED = `// ${MARKER}\n${DIRECT.replace('for (var p = 0u; p < whole; p += 4u)', 'for (var p = 4u; p < whole; p += 4u)')}`;

let own: OwnContextPage;
let page: Page;

beforeAll(async () => {
  expect(SHARED).toContain('var p = 4u');
  own = await openOwnContext({ viewport: { width: 1400, height: 1000 } });
  page = own.page;
  // Before any page script: record the WGSL of every shader module the page creates.
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __modules: string[] };
    w.__modules = [];
    if (typeof GPUDevice === 'undefined') return;
    const create = GPUDevice.prototype.createShaderModule;
    GPUDevice.prototype.createShaderModule = function (this: GPUDevice, desc: GPUShaderModuleDescriptor) {
      w.__modules.push(desc.code);
      return create.call(this, desc);
    };
  });
});

afterAll(() => own?.close());

/** Runs `fn` with the playground's shadow root in the page. */
const inView = <T, A = undefined>(fn: (root: ShadowRoot, arg: A) => T, arg?: A) => inAppView(page, 'gp-shader-playground', fn, arg);

const click = (testid: string) => inView((root, id) => (root.querySelector(`[data-testid=${id}]`) as HTMLButtonElement).click(), testid);

/** A page of this origin that runs no app code, to read and seed localStorage. */
async function atOrigin(): Promise<void> {
  await page.goto(`${inject('baseUrl')}/shaders/copy.wgsl`);
}

const storageDump = () => page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)!])));
const modules = () => page.evaluate(() => (window as unknown as { __modules: string[] }).__modules);

/** Opens the app at `hash` and waits until the Shaders view has its GPU context and has rendered with it. */
async function openShaders(hash: string): Promise<void> {
  await page.goto(`${inject('baseUrl')}/index.html${hash}`);
  await page.waitForFunction(() => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground')?.gpu, { timeout: TIMEOUT });
  await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.updateComplete);
}

describe('a share link is inert until accepted', () => {
  let url: string;

  beforeAll(async () => {
    url = `${inject('baseUrl')}/index.html${await makeShareHash('matmul-direct', SHARED)}`;
    await atOrigin();
    await page.evaluate((own) => {
      localStorage.clear();
      localStorage.setItem('gp.shader-draft.v1:matmul-direct', own);
    }, OWN);
  });

  it('opens read-only: banner and diff, nothing compiled, nothing stored — also after a reload', async () => {
    for (const load of ['link', 'reload']) {
      if (load === 'link') await openShaders(url.slice(url.indexOf('#')));
      else await page.reload();
      await page.waitForFunction(
        () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground')?.shadowRoot?.querySelector('[data-testid=shared-banner]'),
        { timeout: TIMEOUT },
      );
      await page.waitForFunction(() => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.gpu, { timeout: TIMEOUT });
      await page.evaluate(() => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.updateComplete);
      const view = await inView((root) => ({
        banner: root.querySelector('[data-testid=shared-banner]')!.textContent!.replace(/\s+/g, ' ').trim(),
        added: [...root.querySelectorAll('[data-testid=shared-diff] [data-kind=add]')].map((e) => e.textContent),
        removed: [...root.querySelectorAll('[data-testid=shared-diff] [data-kind=del]')].map((e) => e.textContent),
        stats: root.querySelector('[data-testid=shared-stats]')!.textContent!.trim(),
        editor: !!root.querySelector('gp-wgsl-editor'),
      }));
      expect(view.banner).toMatch(
        /^Shared kernel from a link — not run\. It replaces shaders\/matmul-direct\.wgsl\. Nothing of it has been compiled, run or stored/,
      );
      expect(view.banner).toContain('keeps your own draft of matmul-direct as a backup');
      expect(view.added).toEqual([`+ // ${MARKER}\n`, expect.stringMatching(/^\+ +for \(var p = 4u; p < whole; p \+= 4u\)/)]);
      expect(view.removed).toEqual([expect.stringMatching(/^− +for \(var p = 0u; p < whole; p \+= 4u\)/)]);
      expect(view.stats).toBe('2 lines added, 1 removed.');
      expect(view.editor).toBe(false);
      // The GPU is there and the view has rendered with it, yet no shader module was created at all.
      expect(await modules(), load).toEqual([]);
      const stored = await storageDump();
      expect(
        Object.values(stored).some((v) => v.includes(MARKER)),
        load,
      ).toBe(false);
      expect(stored['gp.shader-draft.v1:matmul-direct']).toBe(OWN);
      expect(await page.evaluate(() => location.hash)).toBe(url.slice(url.indexOf('#')));
    }
    await page.screenshot({ path: '/tmp/shared-link-inert.png', fullPage: false });
  });

  it('Open in editor stores it as the draft after keeping the own draft as a listed backup; Restore brings that back', async () => {
    await click('shared-open');
    await waitForEditorCode(page, MARKER, 'anywhere', TIMEOUT);
    expect(await page.evaluate(() => location.hash)).toBe('#/shaders?kernel=matmul-direct');
    let stored = await storageDump();
    expect(stored['gp.shader-draft.v1:matmul-direct']).toBe(SHARED);
    expect(JSON.parse(stored['gp.shader-draft-backups.v1:matmul-direct']).map((b: { code: string }) => b.code)).toEqual([OWN]);
    const listed = await inView((root) => [...root.querySelectorAll('[data-testid=backup]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim()));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(new RegExp(`— ${OWN.split('\n').length} lines Restore Delete$`));
    // Accepted: now it compiles (it is the user's text now).
    await page.waitForFunction(
      (marker) => (window as unknown as { __modules: string[] }).__modules.some((c) => c.includes(marker)),
      { timeout: TIMEOUT },
      MARKER,
    );

    await click('backup-restore');
    await waitForEditorCode(page, '// my own draft', 'start', TIMEOUT);
    stored = await storageDump();
    expect(stored['gp.shader-draft.v1:matmul-direct']).toBe(OWN);
    // The shared text it replaced is a backup now, the own draft's copy stays too.
    expect(JSON.parse(stored['gp.shader-draft-backups.v1:matmul-direct']).map((b: { code: string }) => b.code)).toEqual([SHARED, OWN]);

    // A reload opens the user's draft, not the link again.
    await openShaders('#/shaders?kernel=matmul-direct');
    expect(await inView((root) => !!root.querySelector('[data-testid=shared-banner]'))).toBe(false);
    await waitForEditorCode(page, '// my own draft', 'start', TIMEOUT);
    expect(await inView((root) => root.querySelectorAll('[data-testid=backup]').length)).toBe(2);
    await page.screenshot({ path: '/tmp/shader-backups.png', fullPage: true });
  });

  it('Discard drops the link from the address and changes nothing', async () => {
    await page.goto('about:blank');
    await openShaders(url.slice(url.indexOf('#')));
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=shared-discard]'),
      { timeout: TIMEOUT },
    );
    const before = await storageDump();
    await click('shared-discard');
    await waitForEditorCode(page, '// my own draft', 'start', TIMEOUT);
    expect(await page.evaluate(() => location.hash)).toBe('#/shaders?kernel=matmul-direct');
    expect(await inView((root) => root.querySelector('[data-testid=notice]')!.textContent!.replace(/\s+/g, ' ').trim())).toMatch(
      /^Discarded the shared kernel: nothing of it was run or stored\./,
    );
    expect(await storageDump()).toEqual(before);
  });
});

describe('corrupt storage records are dropped with a notice, and the built-ins run', () => {
  const lecture = PRESETS.find((p) => p.id === 'lecture-1.5I')!;
  const SMALL = { config: { ...lecture.config, depth: 8 }, sweep: { kind: 'depth', depths: depthRange(1, 8) } as SweepSpec };

  it('an override with empty code and verified: {} and a tuning with tileM: 7 are removed and named; the Depth lab runs correctly', async () => {
    await atOrigin();
    // The tuning is stored under this adapter's own key (what the app computes), so it would be used.
    const tuningKey = await page.evaluate(async () => {
      const info = (await navigator.gpu.requestAdapter())!.info;
      const key = [info.vendor || 'unknown vendor', info.architecture || 'unknown architecture', info.device || '', info.description || ''].join('|');
      localStorage.clear();
      localStorage.setItem('gp.kernel-overrides.v1', JSON.stringify([{ file: 'shaders/matmul-direct.wgsl', code: '', since: 1, verified: {} }]));
      localStorage.setItem(
        'gp.matmulTuning.v1:' + key,
        JSON.stringify({
          adapterKey: key,
          variant: 'tiled',
          constants: { tileM: 7, tileN: 64, tileK: 16 },
          candidates: [],
          measuredAt: '2026-01-01T00:00:00.000Z',
        }),
      );
      return 'gp.matmulTuning.v1:' + key;
    });
    await page.goto(`${inject('baseUrl')}/index.html#/depth-lab?${encodeState({ ...SMALL, view: 'act' })}`);
    await page.waitForFunction(() => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-depth-lab')?.gpu, { timeout: TIMEOUT });
    const notice = await page.waitForFunction(
      () => {
        const el = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-storage-notice')?.shadowRoot?.querySelector('[data-testid=storage-notice]');
        return el
          ? [...el.querySelectorAll('li')].map((li) => ({ key: li.getAttribute('data-key'), text: li.textContent!.replace(/\s+/g, ' ').trim() }))
          : false;
      },
      { timeout: TIMEOUT },
    );
    const items = (await notice.jsonValue()) as { key: string; text: string }[];
    expect(items.map((i) => i.key).sort()).toEqual(['gp.kernel-overrides.v1', tuningKey].sort());
    expect(items.find((i) => i.key === 'gp.kernel-overrides.v1')!.text).toMatch(/custom kernel for shaders\/matmul-direct\.wgsl: its code is empty/);
    expect(items.find((i) => i.key === tuningKey)!.text).toMatch(/matmul tuning was invalid \(tileM is 7, not a multiple of 4 from 4 to 1024\)/);
    const stored = await storageDump();
    expect(stored['gp.kernel-overrides.v1']).toBeUndefined();
    expect(stored[tuningKey]).toBeUndefined();

    // The Depth lab runs on the built-in kernels: ‖a‖ of layer l is 1.5^l·√2 (float64), no badge.
    await clickInDepthLab(page, '[data-testid=run]');
    await waitForDepthRunEnd(page, TIMEOUT);
    const result = await page.evaluate(() => {
      const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!;
      const d = lab.shadowRoot!.querySelector('gp-heatmap')!.data!;
      return {
        state: lab.shadowRoot!.querySelector('[data-run-state]')!.getAttribute('data-run-state'),
        values: Array.from(d.values),
        badge: !!lab.shadowRoot!.querySelector('gp-override-badge')?.shadowRoot?.querySelector('[data-testid=override-badge]'),
      };
    });
    expect(result.state).toBe('complete');
    expect(result.badge).toBe(false);
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c <= r; c++)
        expect(Math.abs(result.values[r * 8 + c] / (1.5 ** (c + 1) * Math.SQRT2) - 1), `depth ${r + 1}, layer ${c + 1}`).toBeLessThan(1e-5);
    }
    await page.screenshot({ path: '/tmp/storage-notice.png', fullPage: false });
    // Dismiss closes the banner.
    await page.evaluate(() =>
      (
        document
          .querySelector('gp-app')!
          .shadowRoot!.querySelector('gp-storage-notice')!
          .shadowRoot!.querySelector('[data-testid=dismiss-storage-notice]') as HTMLElement
      ).click(),
    );
    await page.waitForFunction(
      () => !document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-storage-notice')!.shadowRoot!.querySelector('[data-testid=storage-notice]'),
      { timeout: TIMEOUT },
    );
  });
});
