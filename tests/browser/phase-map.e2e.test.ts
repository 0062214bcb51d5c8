import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { phaseMapStateFromOptions } from '../../src/cli/phase-map';
import { deepNetRef } from '../../src/labs/depth/cpu/deep-net-ref';
import { validateDeepNetConfig } from '../../src/labs/depth/config';
import { phaseMapConfigs } from '../../src/labs/depth/phase-map';
import { makePhaseMapExport, phaseMapCsv, phaseMapFilename, type PhaseMapExport } from '../../src/labs/depth/phase-map-view/export';
import { PHASE_PRESETS } from '../../src/labs/depth/phase-map-view/form';
import { encodePhaseMapState, type PhaseMapState } from '../../src/labs/depth/phase-map-view/url-state';
import { decodeState } from '../../src/labs/depth/url-state';

// The Depth lab's gain × depth phase map end to end in the app page (WebGPU on SwiftShader): the preset runs
// and draws the map with the predicted line, the measured boundary of linear and ReLU nets sits within 5 % of
// the predicted gain (width 512, depth 50 is the engine test's, tests/browser/phase-map.test.ts; here the
// preset's small size), a link restores the map's fields, a bad field is reported and keeps everything else,
// the files the page saves are the CLI's, and Cancel keeps the finished gains.

const RUN_TIMEOUT = 240_000;
const preset = PHASE_PRESETS[0];

let browser: Browser;
beforeAll(async () => {
  browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
  // The dev server compiles the app on its first load, which on a loaded machine takes minutes: load it once first.
  await (await openLab('')).close();
}, 600_000);
afterAll(() => browser?.disconnect());

async function openLab(query: string): Promise<Page> {
  const page = await browser.newPage();
  // Test files share one browser: without this, a page another file brought to the front takes the focus, and
  // focus-driven behaviour (tooltips on focus, keyboard navigation) would depend on which file ran when.
  await page.emulateFocusedPage(true);
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (err) => console.error('[page error]', err));
  await page.goto(`${inject('baseUrl')}/index.html#/depth-lab${query ? `?${query}` : ''}`, { timeout: 480_000 });
  await page.waitForFunction(() => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-depth-lab')?.gpu, { timeout: 480_000 });
  return page;
}

const LAB = `document.querySelector('gp-app').shadowRoot.querySelector('gp-depth-lab')`;
/** Evaluates `body` with `lab`, `panel` (the phase map panel or null), `form` (the controls' shadow root) and `map` (the chart or null) in scope. */
function inLab<T>(page: Page, body: string): Promise<T> {
  return page.evaluate(`(async () => {
    const lab = ${LAB};
    const panel = lab.shadowRoot.querySelector('gp-phase-map-panel');
    const form = lab.shadowRoot.querySelector('gp-depth-controls').shadowRoot;
    const map = panel?.shadowRoot.querySelector('gp-phase-map') ?? null;
    ${body}
  })()`) as Promise<T>;
}

const text = (page: Page, root: 'lab' | 'panel' | 'form' | 'map', sel: string) =>
  inLab<string | null>(
    page,
    `const root = ${root === 'lab' ? 'lab.shadowRoot' : `${root}?.shadowRoot ?? ${root}`};
     const el = root?.querySelector(${JSON.stringify(sel)});
     return el ? el.textContent.replace(/\\s+/g, ' ').trim() : null;`,
  );

async function setField(page: Page, id: string, value: string): Promise<void> {
  await inLab(
    page,
    `const el = form.querySelector('#${id}'); el.focus(); el.value = ${JSON.stringify(value)}; el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true })); await lab.updateComplete;`,
  );
}

async function runMap(page: Page): Promise<void> {
  await inLab(page, `panel.shadowRoot.querySelector('[data-testid=run]').click();`);
  await waitForEnd(page);
}

async function waitForEnd(page: Page): Promise<void> {
  await page.waitForFunction(
    `(() => { const s = ${LAB}.shadowRoot.querySelector('gp-phase-map-panel')?.shadowRoot.querySelector('[data-run-state]')?.getAttribute('data-run-state'); return s === 'complete' || s === 'cancelled' || s === 'error'; })()`,
    { timeout: RUN_TIMEOUT, polling: 250 },
  );
}

const exportJson = (page: Page) => inLab<PhaseMapExport | null>(page, `return panel.exportJson();`);
const hash = (page: Page) => page.evaluate(() => location.hash);

/** The chart's model as plain numbers. */
const chart = (page: Page) =>
  inLab<{ cols: number; rows: number; predictedX: number | null; predictedGain: number | null; marks: number; measured: (number | null)[] } | null>(
    page,
    `const m = map?.phaseModel; return m ? { cols: m.cols, rows: m.rows, predictedX: m.predictedX, predictedGain: m.data.predictedGain, marks: m.marks.length, measured: [...m.data.measuredGain] } : null;`,
  );

/** The CLI's state for the same settings (`sweep --sweep gain-depth --gains … --depths … --init … --act …`). */
function cliState(
  c: { width: number; batch: number; activation: string; init: string; seed: number; input: string },
  gains: string,
  depths: string,
): PhaseMapState {
  return phaseMapStateFromOptions({
    sweep: 'gain-depth',
    width: String(c.width),
    batch: String(c.batch),
    act: c.activation,
    init: c.init,
    seed: String(c.seed),
    input: c.input,
    gains,
    depths,
  });
}

describe('phase map: the preset “Phase map: He + ReLU”', () => {
  let page: Page;
  beforeAll(async () => {
    page = await openLab('');
    await inLab(page, `lab.shadowRoot.querySelector('[data-preset=${preset.id}]').click(); await lab.updateComplete;`);
    await runMap(page);
  }, RUN_TIMEOUT);
  afterAll(() => page?.close());

  it('loads its small size on this software adapter, says so, and fills the map’s fields', async () => {
    expect(await inLab(page, `return lab.shadowRoot.querySelector('[data-preset=${preset.id}]').getAttribute('aria-pressed');`)).toBe('true');
    expect(await text(page, 'lab', '[data-testid=preset-size]')).toContain('A GPU runs the full size.');
    expect(await text(page, 'lab', '[data-testid=preset-explanation]')).toContain(preset.small.explanation);
    expect(await inLab(page, `return form.querySelector('input[name=sweepKind]:checked').value;`)).toBe('gain-depth');
    expect(
      await inLab(page, `return [form.querySelector('#f-gains').value, form.querySelector('#f-depths').value, form.querySelector('#f-ratio').value];`),
    ).toEqual(['0.5..2:0.0625', '1..50', 'forward']);
    expect(await text(page, 'form', '[data-field=depth]')).toContain('set per cell by the gain × depth map');
    expect(await hash(page)).toBe(`#/depth-lab?${encodePhaseMapState(cliState(preset.small.config, '0.5..2:0.0625', '1..50'))}`);
  });

  it('draws the map with the predicted line at gain 1 and the measured boundary within 5 % of it at every depth', async () => {
    const c = (await chart(page))!;
    expect(c.cols).toBe(25);
    expect(c.rows).toBe(50);
    expect(c.predictedGain).toBe(1);
    expect(c.predictedX).toBeCloseTo(8.5, 6); // gain 1 is the 9th column's centre
    expect(c.marks).toBe(50);
    for (const g of c.measured) expect(Math.abs(g! - 1)).toBeLessThan(0.05);
    expect(await text(page, 'panel', '[data-testid=phase-summary]')).toMatch(
      /^25 of 25 gains measured\. At depth 50 the ratio crosses 1 at gain 0\.9\d|1\.0\d/,
    );
    expect(await text(page, 'panel', '[data-testid=phase-note]')).toContain('Weight gradients ‖∂J/∂W[l]‖ are not mapped');
  });

  it('reads a cell by keyboard and shows the table', async () => {
    const readout = await inLab<string>(
      page,
      `const c = map.shadowRoot.querySelector('canvas'); c.focus(); await map.updateComplete;
       c.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })); c.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
       await map.updateComplete; return map.shadowRoot.querySelector('[data-testid=phase-readout]').textContent.trim();`,
    );
    const doc = (await exportJson(page))!;
    const v = doc.forward.log10Ratio[1][1] as number;
    expect(readout).toBe(`gain 0.5625, depth 2: log10 ratio ${v.toFixed(2)} (ratio ≈ ${Number((10 ** v).toPrecision(4))}), finite`);
    const table = await inLab<{ cols: number; rows: number }>(
      page,
      `map.shadowRoot.querySelector('[data-testid=phase-table-toggle]').click(); await map.updateComplete;
       const t = map.shadowRoot.querySelector('[data-testid=phase-table]'); return { cols: t.querySelectorAll('thead th').length, rows: t.querySelectorAll('tbody tr').length };`,
    );
    expect(table).toEqual({ cols: 26, rows: 50 });
  });

  it('saves JSON and CSV as the CLI writes them for the same settings, and a PNG', async () => {
    const files = await inLab<{ download: string; type: string; text: string; head: number[] }[]>(
      page,
      `const seen = []; const click = HTMLAnchorElement.prototype.click;
       HTMLAnchorElement.prototype.click = function () { seen.push({ download: this.download, href: this.href }); };
       try {
         for (const f of ['json', 'csv', 'png']) {
           panel.shadowRoot.querySelector('[data-testid=phase-export-' + f + ']').click();
           const n = seen.length; for (let i = 0; i < 100 && seen.length === n; i++) await new Promise((r) => setTimeout(r, 20));
         }
       } finally { HTMLAnchorElement.prototype.click = click; }
       return Promise.all(seen.map(async ({ download, href }) => { const b = await (await fetch(href)).blob(); const bytes = new Uint8Array(await b.arrayBuffer());
         return { download, type: b.type, text: b.type === 'image/png' ? '' : await b.text(), head: Array.from(bytes.slice(0, 8)) }; }));`,
    );
    const state = cliState(preset.small.config, '0.5..2:0.0625', '1..50');
    expect(files.map((f) => f.download)).toEqual((['json', 'csv', 'png'] as const).map((e) => phaseMapFilename(state.base.config, state.spec, e)));
    expect(files[2].head).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // What the CLI writes (its writer, on float64 runs of the same nets): same document but for the numbers' last f32 digits.
    const runs = phaseMapConfigs(state.base.config, state.spec).map((c) => deepNetRef(c));
    const cli = makePhaseMapExport({ config: state.base.config, spec: state.spec, runs, outcome: 'complete', query: encodePhaseMapState(state) });
    const page_ = JSON.parse(files[0].text) as PhaseMapExport;
    const numbersOut = (d: PhaseMapExport) => ({
      ...d,
      exportedAt: '',
      wallMs: 0,
      device: null,
      forward: { ...d.forward, log10Ratio: [], measuredGain: [] },
      backward: { ...d.backward, log10Ratio: [], measuredGain: [] },
    });
    expect(numbersOut(page_)).toEqual(numbersOut(cli));
    expect(page_.device).not.toBeNull();
    for (const q of ['forward', 'backward'] as const) {
      page_[q].log10Ratio.forEach((row, g) =>
        row.forEach((v, d) => expect(Math.abs((v as number) - (cli[q].log10Ratio[g][d] as number)), `${q} ${g},${d}`).toBeLessThan(1e-3)),
      );
      page_[q].measuredGain.forEach((v, d) => expect(Math.abs(v! - cli[q].measuredGain[d]!)).toBeLessThan(1e-3));
    }
    const pageCsv = files[1].text.trimEnd().split('\n');
    const cliCsv = phaseMapCsv(cli).trimEnd().split('\n');
    expect(pageCsv).toHaveLength(cliCsv.length);
    expect(pageCsv[0]).toBe('quantity,gain,depth,log10_ratio,status,predicted_gain,measured_gain');
    pageCsv.forEach((line, i) => {
      const a = line.split(',');
      const b = cliCsv[i].split(',');
      expect([a[0], a[1], a[2], a[4], a[5]]).toEqual([b[0], b[1], b[2], b[4], b[5]]);
      if (i > 0) expect(Math.abs(Number(a[3]) - Number(b[3]))).toBeLessThan(1e-3);
    });
  });
});

describe('phase map: a link', () => {
  // Linear + Xavier: critical gain 1; a small grid around it (width 64, batch 8, depths 1..30).
  const linear = validateDeepNetConfig({ width: 64, batch: 8, activation: 'linear', init: 'xavier-normal', input: 'normal', seed: 5 }); // depth and gain: the defaults, as the page and the CLI write them
  const state: PhaseMapState = {
    base: { config: linear, sweep: decodeState('').state.sweep },
    spec: { gains: [0.8, 0.9, 1, 1.1, 1.2], depths: Array.from({ length: 30 }, (_, i) => i + 1) },
    quantity: 'backward',
  };
  let page: Page;
  beforeAll(async () => {
    page = await openLab(encodePhaseMapState(state));
  });
  afterAll(() => page?.close());

  it('opens the map with its fields filled, and a linear net’s measured boundary is within 5 % of the predicted gain', async () => {
    expect(await inLab(page, `return form.querySelector('input[name=sweepKind]:checked').value;`)).toBe('gain-depth');
    expect(
      await inLab(
        page,
        `return ['#f-gains', '#f-depths', '#f-ratio', '#f-width', '#f-batch', '#f-activation', '#f-init', '#f-seed'].map((s) => form.querySelector(s).value);`,
      ),
    ).toEqual(['0.8..1.2:0.1', '1..30', 'backward', '64', '8', 'linear', 'xavier-normal', '5']);
    expect(await text(page, 'lab', '[data-testid=url-problems]')).toBeNull();
    await runMap(page);
    const c = (await chart(page))!;
    expect(c.predictedGain).toBe(1);
    // The forward ratio of a linear net is exactly linear in log(gain), so its crossing is the net's own.
    const doc = (await exportJson(page))!;
    expect(doc.outcome).toBe('complete');
    for (const g of doc.forward.measuredGain.slice(4)) expect(Math.abs(g! - 1)).toBeLessThan(0.05);
    // Backward, the lab's zero targets send the gradient into layer L along the net's output, which the Jacobians
    // amplify more than a random direction (engine note in phase-map.ts): the crossing sits a few per cent below 1.
    expect(doc.backward.measuredGain[29]!).toBeLessThan(1);
    expect(doc.backward.measuredGain[29]!).toBeGreaterThan(0.9);
    expect(c.measured).toEqual(doc.backward.measuredGain); // the chart shows the link's ratio
    expect(await hash(page)).toBe(`#/depth-lab?${encodePhaseMapState(state)}`);
  });

  it('reports a bad gains field next to it, disables Run, and keeps the other fields, the map and the link', async () => {
    await setField(page, 'f-gains', '0.5..2:0');
    expect(await text(page, 'form', '[data-testid=problem-gains]')).toMatch(/step/i);
    expect(await inLab(page, `return form.querySelector('#f-gains').getAttribute('aria-invalid');`)).toBe('true');
    expect(await inLab(page, `await panel.updateComplete; return panel.shadowRoot.querySelector('[data-testid=run]').disabled;`)).toBe(true);
    expect(
      await inLab(page, `return [form.querySelector('#f-gains').value, form.querySelector('#f-depths').value, form.querySelector('#f-width').value];`),
    ).toEqual(['0.5..2:0', '1..30', '64']);
    expect((await chart(page))!.cols).toBe(5);
    expect(await hash(page)).toBe(`#/depth-lab?${encodePhaseMapState(state)}`);
  });

  it('a link with a bad depths value names it and loads everything else', async () => {
    const p2 = await openLab(encodePhaseMapState(state).replace('depths=1..30', 'depths=0..30'));
    try {
      const problems = (await text(p2, 'lab', '[data-testid=url-problems]'))!;
      expect(problems).toContain('depths');
      expect(problems).toContain('using the default 1..100');
      expect(await inLab(p2, `return ['#f-gains', '#f-depths', '#f-ratio', '#f-width'].map((s) => form.querySelector(s).value);`)).toEqual([
        '0.8..1.2:0.1',
        '1..100',
        'backward',
        '64',
      ]);
    } finally {
      await p2.close();
    }
  });
});

describe('phase map: Cancel', () => {
  it(
    'stops after the gain in flight and keeps the finished gains',
    async () => {
      const base = validateDeepNetConfig({ width: 64, batch: 16, activation: 'relu', init: 'he-normal', input: 'normal', seed: 2 });
      const state: PhaseMapState = {
        base: { config: base, sweep: decodeState('').state.sweep },
        spec: { gains: Array.from({ length: 25 }, (_, i) => 0.5 + i * 0.0625), depths: Array.from({ length: 150 }, (_, i) => i + 1) },
        quantity: 'forward',
      };
      const page = await openLab(encodePhaseMapState(state));
      try {
        // Press Cancel in the page as soon as the first gain is drawn (a round trip per poll could miss the run).
        await inLab(
          page,
          `panel.shadowRoot.querySelector('[data-testid=run]').click();
           const t0 = performance.now();
           while (!/[1-9]\\d* of 25 rows done/.test(panel.shadowRoot.querySelector('[data-testid=progress-text]')?.textContent ?? '')) {
             if (performance.now() - t0 > 240000) throw new Error('no gain finished in 240 s');
             await new Promise((r) => setTimeout(r, 5));
           }
           panel.shadowRoot.querySelector('[data-testid=cancel]').click();`,
        );
        await waitForEnd(page);
        expect(await inLab(page, `return panel.shadowRoot.querySelector('[data-run-state]').getAttribute('data-run-state');`)).toBe('cancelled');
        const doc = (await exportJson(page))!;
        const k = doc.gainsDone;
        expect(k).toBeGreaterThanOrEqual(1);
        expect(k).toBeLessThan(25);
        expect(doc.outcome).toBe('cancelled');
        expect(doc.gainsTotal).toBe(25);
        expect(doc.gains).toEqual(state.spec.gains.slice(0, k));
        expect((await chart(page))!.cols).toBe(k);
        expect(await text(page, 'panel', '[data-testid=phase-summary]')).toContain(`${k} of 25 gains measured.`);
        expect(await text(page, 'panel', '[data-testid=run-end]')).toBe(`Cancelled after ${k} of 25 rows; the finished rows are shown.`);
        expect(await inLab(page, `return panel.shadowRoot.querySelector('[data-testid=run]').disabled;`)).toBe(false);
      } finally {
        await page.close();
      }
    },
    RUN_TIMEOUT,
  );
});
