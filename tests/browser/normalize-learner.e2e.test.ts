import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser } from '../helpers/browser';
import { NORMALIZE_LAB as lab, inNormalizeLab as inLab, normalizeLabText as text, openNormalizeLab, runNormalizeLab } from '../helpers/normalize-lab-page';
import { datasetFromTable } from '../../src/labs/normalize/csv-dataset';
import { parseCsv } from '../../src/labs/normalize/csv-parser';
import { approx } from '../../src/labs/normalize/explain';
import { defaultLabState, lrSliderRange, lrToSlider, type NormalizeLabState } from '../../src/labs/normalize/form';
import { encodeNormalizeState } from '../../src/labs/normalize/url-state';

// The Normalization lab as a learner meets it (real app, headless Chromium, WebGPU on SwiftShader, and the
// CPU fallback through ?debug=no-webgpu): a CSV run's explanations quote the CSV's own σ and σ² (computed
// here in Node from the same split) and nothing of the lecture's data; the raw scatter has equal units per
// pixel on both axes; at the default rate every mode's path is visible (a zoomed inset for the raw one) and
// no converging path is said to leave the window; terms explain themselves on keyboard focus; "one rate for
// all" states its starting rate; m above the CPU cap is a problem of the m field.

const RUN_TIMEOUT = 170_000;
const STATE: NormalizeLabState = { ...defaultLabState(), data: { ...defaultLabState().data, m: 400, testFraction: 0.2, seed: 7 } };

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(() => browser?.disconnect());

async function setField(page: Page, sel: string, v: string) {
  await inLab<void>(
    page,
    `const i = root.querySelector(${JSON.stringify(sel)}); i.value = ${JSON.stringify(v)}; i.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));`,
  );
}

async function run(page: Page) {
  await page.waitForFunction(
    (l) => !(eval(l) as HTMLElement).shadowRoot!.querySelector<HTMLButtonElement>('[data-testid=run]')!.disabled,
    { timeout: 20_000 },
    lab,
  );
  await runNormalizeLab(page, RUN_TIMEOUT);
  expect(await text(page, '[data-testid=run-error]')).toBeNull();
}

/** Population σ of column j of a row-major m×d split (independent of the lab's code). */
function sigmaOf(x: ArrayLike<number>, m: number, d: number, j: number): number {
  let s = 0;
  for (let r = 0; r < m; r++) s += x[r * d + j];
  const mean = s / m;
  let ss = 0;
  for (let r = 0; r < m; r++) ss += (x[r * d + j] - mean) ** 2;
  return Math.sqrt(ss / m);
}

describe('Normalization lab for learners (WebGPU)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openNormalizeLab(browser, encodeNormalizeState(STATE));
  });
  afterAll(() => page?.close());

  it('the intro is at most three sentences, and a term explains itself on keyboard focus', async () => {
    const lead = (await text(page, '[data-testid=lead]'))!;
    expect(lead.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 1).length).toBeLessThanOrEqual(3);
    await run(page);
    const tip = await inLab<{ before: boolean; after: boolean; described: string; tip: string }>(
      page,
      `const t = root.querySelector('[data-testid=results-explain] gp-term[data-term=kappa]');
       const focusable = t.shadowRoot.querySelector('[tabindex="0"]');
       const tipEl = t.shadowRoot.getElementById(focusable.getAttribute('aria-describedby'));
       const before = tipEl.hidden;
       focusable.focus();
       await t.updateComplete;
       return { before, after: tipEl.hidden, described: focusable.getAttribute('aria-describedby'), tip: tipEl.textContent };`,
    );
    expect(tip.before).toBe(true);
    expect(tip.after).toBe(false);
    expect(tip.tip).toMatch(/λmax\/λmin/);
  });

  it('at 390 px, "What to try next" links to the control it names, far below on a phone, and focuses it (walk s11 N3)', async () => {
    await page.setViewport({ width: 390, height: 800 });
    try {
      await page.evaluate(() => window.scrollTo(0, 0));
      expect(await text(page, '[data-testid=next-step]')).toContain('Now switch to “one rate for all”');
      const before = await inLab<{ control: string; top: number }>(
        page,
        `const sel = root.querySelector('[data-testid=next-step-jump]').dataset.control;
         return { control: sel, top: root.querySelector(sel).getBoundingClientRect().top };`,
      );
      expect(before.control).toBe('input[name=lrscale][value=absolute]');
      expect(before.top).toBeGreaterThan(2 * 800); // far below the advice: the reason for the link
      await inLab<void>(page, `root.querySelector('[data-testid=next-step-jump]').click();`);
      await page.waitForFunction(
        (l) => {
          const root = (eval(l) as HTMLElement).shadowRoot!;
          const r = root.querySelector('input[name=lrscale][value=absolute]')!.getBoundingClientRect();
          return root.activeElement === root.querySelector('input[name=lrscale][value=absolute]') && r.top >= 0 && r.bottom <= innerHeight;
        },
        { timeout: 10_000 },
        lab,
      );
    } finally {
      await page.setViewport({ width: 1280, height: 1000 });
    }
  });

  it('the raw scatter has equal units per pixel on both axes, so the lecture cloud is a thin line', async () => {
    const u = await inLab<{ x: number; y: number; yRange: number; inset: boolean }>(
      page,
      `const p = root.querySelector('[data-testid=scatter-panel] gp-scatter-plot');
       await p.updateComplete;
       const u = p.unitsPerPixel();
       return { ...u, yRange: p.model.y.max - p.model.y.min, inset: !!p.model.inset };`,
    );
    expect(Math.abs(u.x / u.y - 1)).toBeLessThan(1e-9);
    expect(u.yRange).toBeGreaterThan(500);
    expect(u.inset).toBe(true);
  });

  it('at the default rate every path is visible (raw in a zoomed inset) and none is said to leave the window', async () => {
    const plots = await inLab<{ mode: string; zoom: number | null; leaves: boolean; centred: boolean }[]>(
      page,
      `return [...root.querySelectorAll('[data-testid=contours-panel] .plot')].map((d) => {
         const p = d.querySelector('gp-contour-plot');
         const g = p.grid, o = p.optimum, [ax, ay] = g.axes;
         const centred = Math.abs((g.x.min + g.x.max) / 2 - o[ax]) < 1e-9 * (g.x.max - g.x.min) + 1e-12 && Math.abs((g.y.min + g.y.max) / 2 - o[ay]) < 1e-9 * (g.y.max - g.y.min) + 1e-12;
         return { mode: d.dataset.mode, zoom: p.insetZoom, leaves: !!p.shadowRoot.querySelector('[data-testid=leaves-window]'), centred };
       });`,
    );
    expect(plots.map((p) => p.mode)).toEqual(['raw', 'standardize', 'divide-variance', 'test-own-stats']);
    for (const p of plots) {
      expect(p.leaves, p.mode).toBe(false);
      expect(p.centred, p.mode).toBe(true);
    }
    expect(plots[0].zoom).toBeGreaterThan(10);
    expect(plots[1].zoom).toBeNull();
  });

  it('"one rate for all" starts at a stated rate: 0.5 × the raw limit', async () => {
    const rawLimit = Number(await inLab<string>(page, `return root.querySelector('tr[data-mode=raw] td[data-col=maxStableLr]').dataset.value;`));
    await inLab<void>(page, `root.querySelector('input[name=lrscale][value=absolute]').click();`);
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=lr-note]'), { timeout: 10_000 }, lab);
    const lrText = await inLab<string>(page, `return root.querySelector('#f-lr').value;`);
    const lr = Number(lrText);
    expect(Math.abs(lr / (0.5 * rawLimit) - 1)).toBeLessThan(5e-3);
    // The note states the rate as the field holds it, in the style of the slider's marks (2.55e-5, not 0.0000255).
    expect(lrText).toMatch(/^\d(\.\d+)?e-\d+$/);
    const note = (await text(page, '[data-testid=lr-note]'))!;
    expect(note).toContain('0.5 × the raw mode’s limit 2/λmax');
    // The field keeps 3 digits, so the rate is 0.5 × the limit rounded: the note quotes the multiple that the
    // results table shows for it after a run (learner walk: the note said 0.5, the table 0.5004).
    await run(page);
    const multiple = (await text(page, 'tr[data-mode=raw] td[data-col=lr] .lr-multiple'))!.replace(/^\(|×\)$/g, '');
    const limit = (await text(page, 'tr[data-mode=raw] td[data-col=maxStableLr]'))!;
    expect(await text(page, '[data-testid=lr-note]')).toBe(note);
    expect(note).toContain(`(${limit})`);
    expect(note).toContain(multiple === '0.5' ? `= ${lrText}, so raw runs as before` : `${lrText}, which is ${multiple} × that limit`);
    await inLab<void>(page, `root.querySelector('input[name=lrscale][value=relative]').click();`);
  });

  it('"what to try next" with one rate for all says what the lab then measures: past the raw mark raw diverges and standardized crawls; at half the standardized mark standardized converges in a few steps', async () => {
    const limit = (mode: string) =>
      inLab<string>(page, `return root.querySelector('tr[data-mode=${mode}] td[data-col=maxStableLr]').dataset.value;`).then(Number);
    const outcome = (mode: string) =>
      inLab<{ outcome: string; steps: number }>(
        page,
        `const td = root.querySelector('tr[data-mode=${mode}] td[data-col=steps]'); return { outcome: td.dataset.outcome, steps: Number(td.dataset.value) };`,
      );
    const rawLimit = await limit('raw');
    const stdLimit = await limit('standardize');
    expect(stdLimit / rawLimit).toBeGreaterThan(10); // the lesson's data: the advice's claims apply
    // A run at a multiple of each mode's limit (the default scale), whatever an earlier test left shown.
    await inLab<void>(page, `root.querySelector('input[name=lrscale][value=relative]').click();`);
    await run(page);
    expect(await text(page, '[data-testid=next-step]')).toContain('at about half the standardized mark');
    await inLab<void>(page, `root.querySelector('input[name=lrscale][value=absolute]').click();`);
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=lr-note]'), { timeout: 10_000 }, lab);
    // Just past the raw mark.
    await setField(page, '#f-lr', String(Number((1.2 * rawLimit).toPrecision(4))));
    await run(page);
    expect((await outcome('raw')).outcome).toBe('diverged');
    expect((await outcome('standardize')).outcome).toBe('not-converged');
    // About half the standardized mark.
    await setField(page, '#f-lr', String(Number((0.5 * stdLimit).toPrecision(4))));
    await run(page);
    expect((await outcome('raw')).outcome).toBe('diverged');
    const std = await outcome('standardize');
    expect(std.outcome).toBe('converged');
    expect(std.steps).toBeLessThanOrEqual(20);
    await inLab<void>(page, `root.querySelector('input[name=lrscale][value=relative]').click();`);
  });

  it('a CSV run’s explanations quote the CSV’s own σ and σ², never the lecture’s numbers', async () => {
    const lines = ['height,weight,price'];
    let s = 11;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 160; i++) {
      const h = 150 + 40 * rnd();
      const w = 40 + 8 * rnd();
      lines.push(`${h.toFixed(2)},${w.toFixed(2)},${(0.3 * h + 2 * w + rnd()).toFixed(3)}`);
    }
    const csv = lines.join('\n') + '\n';
    const dir = mkdtempSync(join(tmpdir(), 'gp-learner-'));
    writeFileSync(join(dir, 'people.csv'), csv);
    const input = await page.$('gp-app >>> gp-normalize-lab >>> [data-testid=csv-file]');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(join(dir, 'people.csv'));
    await page.waitForFunction(
      (l) => /CSV file people\.csv/.test((eval(l) as HTMLElement).shadowRoot!.querySelector('[data-testid=dataset-summary]')?.textContent ?? ''),
      { timeout: 60_000 },
      lab,
    );
    await run(page);

    const parsed = parseCsv(csv);
    if (!parsed.ok) throw new Error(parsed.message);
    const ds = datasetFromTable(parsed.table, { target: 'price', testFraction: STATE.data.testFraction, seed: STATE.data.seed, fileName: 'people.csv' });
    const sh = sigmaOf(ds.train.x, ds.train.m, ds.d, 0);
    const sw = sigmaOf(ds.train.x, ds.train.m, ds.d, 1);
    expect(sh).toBeGreaterThan(3 * sw); // height is the wide feature
    const stats = (await text(page, '[data-testid=stats-explain]'))!;
    expect(stats).toContain(`for height, σ² ≈ ${approx(sh * sh)} instead of σ ≈ ${approx(sh)}`);
    const notes = await inLab<string[]>(page, `return [...root.querySelectorAll('[data-testid=mode-note]')].map((e) => e.textContent);`);
    expect(notes[1]).toContain(`σ of height ≈ ${approx(sh)}, of weight ≈ ${approx(sw)}`);
    const all = [stats, ...notes, (await text(page, '[data-testid=scatter-explain]'))!, (await text(page, '[data-testid=next-step]'))!].join('\n');
    expect(all).not.toMatch(/1000 units|83,000|σ ≈ 288|x1|x2/);
  });
});

describe('Normalization lab for learners (CPU fallback)', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openNormalizeLab(browser, encodeNormalizeState(STATE), 'no-webgpu');
  });
  afterAll(() => page?.close());

  it('m above the CPU cap is a problem of the m field, not only a disabled Run', async () => {
    await setField(page, '#f-m', '200000');
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-problem=m][data-cause=cpu-cap]'), { timeout: 20_000 }, lab);
    expect(await text(page, '[data-problem=m]')).toBe('without WebGPU the lab runs on the CPU, which takes up to 100,000 examples; got 200,000. Lower m.');
    expect(await inLab<string>(page, `return root.querySelector('#f-m').getAttribute('aria-invalid');`)).toBe('true');
    expect(await inLab<string>(page, `return root.querySelector('#f-m').getAttribute('aria-describedby');`)).toBe('p-m');
    expect(await inLab<boolean>(page, `return root.querySelector('[data-testid=run]').disabled;`)).toBe(true);
    await setField(page, '#f-m', '500');
    await page.waitForFunction((l) => !(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-problem=m]'), { timeout: 20_000 }, lab);
    expect(await inLab<string>(page, `return root.querySelector('#f-m').getAttribute('aria-invalid');`)).toBe('false');
  });

  it('the relative slider follows a multiple typed in the field down to the field’s lowest, 1e-4; below it the field says what it allows', async () => {
    // Learner walk: the slider spanned 1e-3..10 while the field took 1e-4, so a typed 5e-4 left the slider at its end.
    const slider = () => inLab<number>(page, `return Number(root.querySelector('[data-testid=lr-slider]').value);`);
    const { lo, hi } = lrSliderRange('relative');
    for (const v of ['0.0001', '0.0005', '0.002', '10']) {
      await setField(page, '#f-lr', v);
      await page.waitForFunction(
        (l, t) => (eval(l) as HTMLElement).shadowRoot!.querySelector<HTMLInputElement>('#f-lr')!.value === t,
        { timeout: 10_000 },
        lab,
        v,
      );
      expect(await text(page, '[data-problem=lr]'), v).toBeNull();
      expect(await slider(), v).toBe(lrToSlider(Number(v), lo, hi));
    }
    // The two ends differ from their neighbours: nothing the field takes pins the slider at an end.
    expect(lrToSlider(5e-4, lo, hi)).toBeGreaterThan(0);
    await setField(page, '#f-lr', '0.00005');
    await page.waitForFunction((l) => !!(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-problem=lr]'), { timeout: 10_000 }, lab);
    expect(await text(page, '[data-problem=lr]')).toBe('must be at least 0.0001 (up to 10); got 0.00005');
    // A rate the field refuses leaves the slider where the last valid one (10) put it (walk s11 N4: "abc" moved it
    // to its left end, showing 0.0001, which nobody typed).
    expect(await slider()).toBe(lrToSlider(10, lo, hi));
    await setField(page, '#f-lr', 'abc');
    await page.waitForFunction(
      (l) => (eval(l) as HTMLElement).shadowRoot!.querySelector('[data-problem=lr]')?.textContent?.includes('abc'),
      { timeout: 10_000 },
      lab,
    );
    expect(await slider()).toBe(lrToSlider(10, lo, hi));
    await setField(page, '#f-lr', '0.5');
    await page.waitForFunction((l) => !(eval(l) as HTMLElement).shadowRoot!.querySelector('[data-problem=lr]'), { timeout: 10_000 }, lab);
  });

  it('disabled fields look disabled', async () => {
    // No CSV is loaded, so the "CSV file" source radio is disabled: it and its label must look it, unlike the
    // enabled "generated" radio and the noise field.
    const look = await inLab<{ on: string; off: string; cursor: string; onLabel: string; offLabel: string; isDisabled: boolean }>(
      page,
      `const off = root.querySelector('input[name=source][value=csv]');
       const on = root.querySelector('input[name=source][value=generated]');
       return { on: getComputedStyle(on).opacity, off: getComputedStyle(off).opacity, cursor: getComputedStyle(off).cursor,
                onLabel: getComputedStyle(on.closest('label')).color, offLabel: getComputedStyle(off.closest('label')).color, isDisabled: off.disabled };`,
    );
    expect(look.isDisabled).toBe(true);
    expect(Number(look.on)).toBe(1);
    expect(Number(look.off)).toBeLessThan(0.7);
    expect(look.cursor).toBe('not-allowed');
    expect(look.offLabel).not.toBe(look.onLabel);
  });
});
