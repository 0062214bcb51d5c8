// The Shaders view end to end in the app page (real WebGPU, SwiftShader here): pick the matmul, type a
// syntax error (inline diagnostic + list entry at its line; Verify still runs the last version that
// compiled), load the naive matmul, Verify, Use it (the Depth lab shows the badge), reload (the edit
// persists), share link, Reset to built-in, Switch back. Its own browser context: its localStorage
// (drafts, overrides) never reaches other tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'puppeteer';
import { inAppView, openOwnContext, type OwnContextPage } from '../helpers/browser';
import { waitForEditorCode } from '../helpers/shaders-page';
import { readFileSync } from 'node:fs';
import { readShaderModule } from '../helpers/shader-module';

const DIRECT = readShaderModule('shaders/matmul-direct.wgsl');
const TIMEOUT = 120_000;

let own: OwnContextPage;
let page: Page;

beforeAll(async () => {
  own = await openOwnContext({ viewport: { width: 1400, height: 1000 } });
  page = own.page;
});

afterAll(() => own?.close());

/** Runs `fn` with the playground's shadow root (and the editor's) in the page. */
const inView = <T, A = undefined>(fn: (root: ShadowRoot, arg: A) => T, arg?: A) => inAppView(page, 'gp-shader-playground', fn, arg);

async function open(hash: string): Promise<void> {
  await page.goto(`${inject('baseUrl')}/index.html${hash}`);
  await page.waitForFunction(
    () => {
      const pg = document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground');
      return !!pg?.gpu && !!pg.shadowRoot?.querySelector('gp-wgsl-editor')?.editorView;
    },
    // The first load transforms the whole app in the dev server; the CI machine is small and shared.
    { timeout: 150_000 },
  );
}

const waitState = (state: string) =>
  page.waitForFunction(
    (state) =>
      document
        .querySelector('gp-app')!
        .shadowRoot!.querySelector('gp-shader-playground')!
        .shadowRoot!.querySelector('[data-testid=compile-status]')
        ?.getAttribute('data-state') === state,
    { timeout: TIMEOUT },
    state,
  );

const editorText = () => inView((root) => root.querySelector('gp-wgsl-editor')!.code);

const click = (testid: string) => inView((root, id) => (root.querySelector(`[data-testid=${id}]`) as HTMLButtonElement).click(), testid);

const isDisabled = (testid: string) => inView((root, id) => (root.querySelector(`[data-testid=${id}]`) as HTMLButtonElement).disabled, testid);

async function verifyAndWait(): Promise<{ ok: string; text: string }> {
  await click('verify');
  await page.waitForFunction(
    () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=verify-summary]'),
    { timeout: TIMEOUT },
  );
  return inView((root) => {
    const s = root.querySelector('[data-testid=verify-summary]')!;
    return { ok: s.getAttribute('data-ok')!, text: s.textContent!.replace(/\s+/g, ' ').trim() };
  });
}

describe('Shaders view', () => {
  it('lists every kernel, explains the selected one and shows its bindings and overrides', async () => {
    await open('#/shaders');
    const ids = await inView((root) => [...root.querySelectorAll('[data-kernel]')].map((b) => b.getAttribute('data-kernel')));
    expect(ids).toEqual(expect.arrayContaining(['matmul', 'matmul-direct', 'moments', 'norms', 'elementwise']));
    await inView((root) => (root.querySelector('[data-kernel=matmul-direct]') as HTMLButtonElement).click());
    await waitState('ok');
    const info = await inView((root) => ({
      title: root.querySelector('[data-testid=kernel-title]')!.textContent,
      explainer: root.querySelector('[data-testid=kernel-explainer]')!.textContent!.replace(/\s+/g, ' '),
      bindings: [...root.querySelectorAll('[data-testid=bindings] tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent!.trim()).join(' | ')),
      overrides: [...root.querySelectorAll('[data-testid=overrides] tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent!.trim()).join(' | ')),
      highlighted: new Set([...root.querySelector('gp-wgsl-editor')!.shadowRoot!.querySelectorAll('.cm-content span[class]')].map((e) => e.className)).size,
    }));
    expect(info.title).toContain('shaders/matmul-direct.wgsl');
    expect(info.explainer).toMatch(/Depth lab runs the subgroup one; Use it on a verified edit of this file makes it run yours instead/);
    expect(info.explainer).toMatch(/off-by-one in the K loop/);
    expect(info.bindings).toEqual([
      '0/0 | params | uniform | Params',
      '0/1 | a | storage, read | array<f32>',
      '0/2 | b | storage, read | array<f32>',
      '0/3 | c | storage, read_write | array<f32>',
    ]);
    expect(info.overrides).toEqual(['ROW_BLOCKS | u32 | 4u', 'COL_BLOCKS | u32 | 4u', 'THREADS_X | u32 | 4u', 'THREADS_Y | u32 | 4u']);
    expect(info.highlighted).toBeGreaterThanOrEqual(4); // WGSL highlighting: comments, keywords, types, numbers… each styled
  });

  it("the subgroup variant's vec4 path says so, and lists TRANS_B among its overrides", async () => {
    await open('#/shaders');
    await inView((root) => (root.querySelector('[data-kernel=matmul-subgroup-vec4]') as HTMLButtonElement).click());
    await waitState('ok');
    const info = await inView((root) => ({
      explainer: root.querySelector('[data-testid=kernel-explainer]')!.textContent!.replace(/\s+/g, ' '),
      overrides: [...root.querySelectorAll('[data-testid=overrides] tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent!.trim()).join(' | ')),
    }));
    expect(info.explainer).toMatch(
      /This is the subgroup matmul variant \(its vec4 path, which it runs where B and C split into whole vec4s, built twice: once per layout of B, override TRANS_B; shapes that do not split run shaders\/matmul-subgroup\.wgsl\)/,
    );
    expect(info.overrides).toEqual(['ROW_BLOCKS | u32 | 4u', 'COL_BLOCKS | u32 | 4u', 'TRANS_B | bool | false']);
    // The tests below work on matmul-direct.
    await inView((root) => (root.querySelector('[data-kernel=matmul-direct]') as HTMLButtonElement).click());
    await waitState('ok');
  });

  it('a syntax error shows inline and in the list at its line and column; Verify still runs the last version that compiled', async () => {
    const lines = DIRECT.split('\n');
    const line = lines.findIndex((l) => l.trim() === 'let k = params.k;') + 1;
    expect(line).toBeGreaterThan(0);
    // Put the cursor after the `;` of that line, then type like a user: Backspace, then " +;".
    await inView((root, line) => {
      const ed = root.querySelector('gp-wgsl-editor')!;
      const view = ed.editorView!;
      const pos = view.state.doc.line(line).to;
      view.dispatch({ selection: { anchor: pos } });
      view.focus();
    }, line);
    await page.keyboard.press('Backspace');
    await page.keyboard.type(' +;');
    await waitState('error');
    const column = lines[line - 1].indexOf(';') + 3; // "let k = params.k +;" — the new ';'
    const d = await inView((root) => {
      const ed = root.querySelector('gp-wgsl-editor')!;
      const sr = ed.shadowRoot!;
      const view = ed.editorView!;
      const range = sr.querySelector('.cm-lintRange-error');
      const rangeLine = range ? view.state.doc.lineAt(view.posAtDOM(range)).number : null;
      const marker = sr.querySelector('.cm-lint-marker-error');
      return {
        list: [...sr.querySelectorAll('[data-testid=diagnostics] li[data-severity=error]')].map((li) => ({
          line: Number(li.getAttribute('data-line')),
          column: Number(li.getAttribute('data-column')),
          text: li.textContent!.replace(/\s+/g, ' ').trim(),
        })),
        rangeLine,
        marker: !!marker,
        status: root.querySelector('[data-testid=compile-status]')!.textContent!.replace(/\s+/g, ' ').trim(),
        verifyLabel: root.querySelector('[data-testid=verify]')!.textContent!.trim(),
      };
    });
    expect(d.list.length).toBeGreaterThan(0);
    expect(d.list[0]).toMatchObject({ line, column });
    expect(d.list[0].text).toMatch(new RegExp(`^${line}:${column} error: `));
    expect(d.rangeLine).toBe(line);
    expect(d.marker).toBe(true);
    expect(d.status).toMatch(/Does not compile: 1 compile error\. Verify and Time use the last version that compiled/);
    expect(d.verifyLabel).toBe('Verify last compiled version');
    expect(await editorText()).toContain('let k = params.k +;');
    // The last working pipeline (the built-in text) is what Verify runs: it passes.
    const v = await verifyAndWait();
    expect(v.ok).toBe('true');
    expect(v.text).toMatch(/^All \d+ shapes pass/);
  });

  it('a compiling matmul with an off-by-one in the K loop fails Verify, naming the first bad index per shape', async () => {
    const offByOne = DIRECT.replace('for (var p = 0u; p < whole; p += 4u)', 'for (var p = 4u; p < whole; p += 4u)');
    expect(offByOne).not.toBe(DIRECT);
    // Pasted in (one edit), as a user would.
    await inView((root, code) => root.querySelector('gp-wgsl-editor')!.setCode(code), offByOne);
    await waitState('ok');
    const v = await verifyAndWait();
    expect(v.ok).toBe('false');
    expect(v.text).toMatch(/shapes fail\. First failing shape: 65×63 · 63×257, Bᵀ — first mismatch at index \d+ \(C\[\d+, \d+\]\)/);
    const rows = await inView((root) =>
      [...root.querySelectorAll('[data-testid=verify-case]')].map((tr) => ({
        ok: tr.getAttribute('data-ok'),
        firstBad: Number(tr.getAttribute('data-first-bad')),
      })),
    );
    expect(rows[0]).toEqual({ ok: 'true', firstBad: -1 }); // k = 1 never reaches the skipped step
    expect(rows[1].ok).toBe('false');
    expect(rows[1].firstBad).toBeGreaterThanOrEqual(0);
    expect(await isDisabled('use-it')).toBe(true); // a failing kernel cannot replace the built-in
    await page.screenshot({ path: '/tmp/playground-verify.png', fullPage: true });
  });

  it('gives the editor the width of its column at 1400 px (the kernel interface goes below it)', async () => {
    expect(await page.evaluate(() => window.innerWidth)).toBe(1400);
    const box = await inView((root) => {
      const r = (el: Element) => el.getBoundingClientRect();
      const editor = r(root.querySelector('gp-wgsl-editor')!);
      const work = r(root.querySelector('.work')!);
      const side = r(root.querySelector('.side')!);
      return {
        editor: { left: editor.left, right: editor.right, width: editor.width, bottom: editor.bottom },
        work: { left: work.left, right: work.right },
        sideTop: side.top,
      };
    });
    expect(box.editor.width, `editor ${box.editor.width} px wide`).toBeGreaterThan(800);
    expect(Math.abs(box.editor.left - box.work.left)).toBeLessThanOrEqual(1);
    expect(Math.abs(box.editor.right - box.work.right)).toBeLessThanOrEqual(1);
    expect(box.sideTop).toBeGreaterThanOrEqual(box.editor.bottom);
  });

  it('the naive matmul passes Verify, Use it switches the Depth lab to it (badge), and the edit survives a reload', async () => {
    await click('load-naive');
    await waitState('ok');
    expect(await editorText()).toContain('Naive matrix multiply');
    expect(await isDisabled('use-it')).toBe(true); // not verified yet
    const v = await verifyAndWait();
    expect(v.ok).toBe('true');
    // Time: the naive and the built-in kernel in one run.
    await click('time');
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=timing-summary]'),
      { timeout: TIMEOUT },
    );
    const timing = await inView((root) => root.querySelector('[data-testid=timing-results]')!.textContent!.replace(/\s+/g, ' '));
    expect(timing).toMatch(/Yours is [\d.]+× (slower|faster) than the built-in/);
    expect(timing).toMatch(/these are CPU times/);
    // Each numeric column reads down: its header and its numbers end at the same x (right-aligned), in tabular digits.
    const columns = await inView((root) => {
      const table = root.querySelector('[data-testid=timing-table]') as HTMLTableElement;
      const right = (cell: Element) => {
        const r = document.createRange();
        r.selectNodeContents(cell);
        return r.getBoundingClientRect().right;
      };
      return [1, 2].map((col) => ({
        header: right(table.tHead!.rows[0].cells[col]),
        cells: [...table.tBodies[0].rows].map((tr) => right(tr.cells[col])),
        cellRight: table.tBodies[0].rows[0].cells[col].getBoundingClientRect().right,
        digits: getComputedStyle(table.tBodies[0].rows[0].cells[col]).fontVariantNumeric,
      }));
    });
    for (const c of columns) {
      for (const x of c.cells) expect(Math.abs(x - c.header), `header ends at ${c.header}, number at ${x}`).toBeLessThanOrEqual(1);
      expect(c.cellRight - c.header).toBeLessThan(12); // at the cell's right edge (its padding), not its left
      expect(c.digits).toContain('tabular-nums');
    }
    await click('use-it');
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=switch-back]'),
      { timeout: TIMEOUT },
    );
    const tags = await inView((root) => [...root.querySelectorAll('[data-kernel=matmul-direct] .tag')].map((t) => t.getAttribute('data-tag')));
    expect(tags).toEqual(['edited', 'in-use']);

    // The Depth lab says so, and can switch back from there.
    await page.evaluate(() => (location.hash = '#/depth-lab'));
    const badge = await page.waitForFunction(
      () => {
        const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab');
        const el = lab?.shadowRoot?.querySelector('gp-override-badge')?.shadowRoot?.querySelector('[data-testid=override-badge]');
        return el ? { text: el.textContent!.replace(/\s+/g, ' ').trim(), used: el.getAttribute('data-used') } : false;
      },
      { timeout: TIMEOUT },
    );
    const b = (await badge.jsonValue()) as { text: string; used: string };
    expect(b.text).toMatch(/Custom matmul in use/);
    expect(b.text).toContain('shaders/matmul-direct.wgsl');
    expect(b.used).toBe('true');

    // Reload: the edit and the override are still there.
    await open('#/shaders?kernel=matmul-direct');
    await waitState('ok');
    expect(await editorText()).toContain('Naive matrix multiply');
    const after = await inView((root) => ({
      tags: [...root.querySelectorAll('[data-kernel=matmul-direct] .tag')].map((t) => t.getAttribute('data-tag')),
      switchBack: !!root.querySelector('[data-testid=switch-back]'),
    }));
    expect(after).toEqual({ tags: ['edited', 'in-use'], switchBack: true });
  });

  it('shares the edit as a link; Reset to built-in keeps the edit restorable; Switch back removes the badge', async () => {
    await click('share');
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=share-box] input'),
      { timeout: TIMEOUT },
    );
    const url = await inView((root) => (root.querySelector('[data-testid=share-box] input') as HTMLInputElement).value);
    expect(url).toMatch(/#\/shaders\?kernel=matmul-direct&code=z[A-Za-z0-9_-]+$/);

    await click('reset');
    await waitState('ok');
    expect(await editorText()).toBe(DIRECT);
    expect(await inView((root) => [...root.querySelectorAll('[data-kernel=matmul-direct] .tag')].map((t) => t.getAttribute('data-tag')))).toEqual(['in-use']);
    // Nothing lost: the edit is one click away.
    expect(await inView((root) => !!root.querySelector('[data-testid=restore]'))).toBe(true);

    await click('switch-back');
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-shader-playground')!.shadowRoot!.querySelector('[data-testid=use-it]'),
      { timeout: TIMEOUT },
    );
    expect(await page.evaluate(() => localStorage.getItem('gp.kernel-overrides.v1'))).toBeNull();
    await page.evaluate(() => (location.hash = '#/depth-lab'));
    await page.waitForFunction(() => !!document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')?.shadowRoot, { timeout: TIMEOUT });
    expect(
      await page.evaluate(
        () =>
          !!document
            .querySelector('gp-app')!
            .shadowRoot!.querySelector('gp-depth-lab')!
            .shadowRoot!.querySelector('gp-override-badge')!
            .shadowRoot!.querySelector('[data-testid=override-badge]'),
      ),
    ).toBe(false);

    // The shared link opens read-only; Open in editor opens the shared text (and the address drops the code,
    // so a reload keeps later edits).
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground')?.shadowRoot?.querySelector('[data-testid=shared-open]'),
      { timeout: 150_000 },
    );
    await click('shared-open');
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground')?.shadowRoot?.querySelector('gp-wgsl-editor')?.editorView,
      { timeout: 150_000 },
    );
    await waitForEditorCode(page, 'Naive matrix multiply', 'anywhere', TIMEOUT);
    expect(await page.evaluate(() => location.hash)).toBe('#/shaders?kernel=matmul-direct');
    expect(await inView((root) => root.querySelector('[data-testid=notice]')?.textContent ?? '')).toMatch(
      /Opened the shared version of shaders\/matmul-direct\.wgsl in the editor/,
    );
    await page.screenshot({ path: '/tmp/playground-e2e.png', fullPage: false });
  });

  it('each kernel keeps its own text and undo history when switching between kernels', async () => {
    const norms = readFileSync('shaders/norms.wgsl', 'utf8');
    await inView((root) => (root.querySelector('[data-kernel=norms]') as HTMLButtonElement).click());
    await waitForEditorCode(page, norms.split('\n')[0], 'start', TIMEOUT);
    await inView((root) => {
      const view = root.querySelector('gp-wgsl-editor')!.editorView!;
      view.dispatch({ selection: { anchor: 0 } });
      view.focus();
    });
    await page.keyboard.type('// mine\n');
    expect(await editorText()).toBe('// mine\n' + norms);
    await inView((root) => (root.querySelector('[data-kernel=matmul-direct]') as HTMLButtonElement).click());
    await waitForEditorCode(page, 'Naive matrix multiply', 'anywhere', TIMEOUT);
    await inView((root) => (root.querySelector('[data-kernel=norms]') as HTMLButtonElement).click());
    await waitForEditorCode(page, '// mine', 'start', TIMEOUT);
    // Undo in norms undoes norms' typing, never brings in another kernel's text.
    await inView((root) => root.querySelector('gp-wgsl-editor')!.editorView!.focus());
    // (Typing is undone in groups: press until nothing is left; extra presses are no-ops at the history's root.)
    for (let i = 0; i < 4; i++) {
      await page.keyboard.down('Control');
      await page.keyboard.press('z');
      await page.keyboard.up('Control');
    }
    expect(await editorText()).toBe(norms);
  });
});
