import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { openHarness, type HarnessPage } from '../helpers/browser';
import { classifyLayers } from '../../src/labs/depth/classify';
import { validateDeepNetConfig, type DeepNetConfig } from '../../src/labs/depth/config';
import type { LayerStats } from '../../src/labs/depth/types';
import type { DepthLabExport } from '../../src/labs/depth/export';

// Fault injection through the library in the harness page (real WebGPU on SwiftShader): oversize configs
// refused before anything is allocated with the limit named, bad API arguments, an out-of-memory error
// scope, a forced device loss mid-sweep resumed on a new device with the same numbers; and, in the app,
// a sweep full of overflow / underflow / NaN / 0 through the heatmap, tooltip, table, line chart and exports.

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(() => h?.close());

describe('limits and memory (library)', () => {
  it('refuses a net beyond maxBufferSize before allocating anything, with needed vs allowed and what would fit', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const device = gpu!.device;
      let created = 0;
      const createBuffer = device.createBuffer;
      device.createBuffer = function (this: GPUDevice, d: GPUBufferDescriptor) {
        created++;
        return createBuffer.call(this, d);
      };
      const errors: { name: string; limit?: string; allowed?: number; requested?: number; message: string }[] = [];
      try {
        for (const attempt of [
          () => lib.runDeepNet(gpu!, { depth: 1000, width: 1024, batch: 4096 }),
          () =>
            lib.runDeepNets(
              gpu!,
              Array.from({ length: 301 }, () => ({ depth: 3, width: 1024, batch: 1 })),
            ),
          async () => {
            const it = lib.runSweep(gpu!, {
              base: lib.validateDeepNetConfig({ depth: 1000, width: 1024, batch: 4096 }),
              spec: { kind: 'gain', gains: [1, 2] },
            });
            await it.next();
          },
        ]) {
          try {
            await attempt();
            errors.push({ name: 'none', message: '' });
          } catch (err) {
            const e = err as { name: string; limit?: string; allowed?: number; requested?: number; message: string };
            errors.push({ name: e.name, limit: e.limit, allowed: e.allowed, requested: e.requested, message: e.message });
          }
        }
      } finally {
        device.createBuffer = createBuffer;
      }
      return { errors, created, maxBufferSize: device.limits.maxBufferSize };
    });
    expect(r.created).toBe(0);
    const [one, many, sweep] = r.errors;
    expect(one.name).toBe('GpuLimitError');
    expect(one.limit).toBe('maxBufferSize');
    expect(one.allowed).toBe(r.maxBufferSize);
    expect(one.requested).toBe(4 * 1001 * 4096 * 1024);
    const floats = r.maxBufferSize / 4;
    expect(one.message).toBe(
      `the activations A[0..L] ((L+1)·m·n = 1001·4096·1024 floats) needs ${(4 * 1001 * 4096 * 1024).toLocaleString('en-US')} bytes, but this device's maxBufferSize is ` +
        `${r.maxBufferSize.toLocaleString('en-US')} bytes. Use a smaller batch or width: batch m ≤ ${Math.floor(floats / (1001 * 1024))} or width n ≤ ${Math.floor(floats / (1001 * 4096))} would fit (or lower the depth L).`,
    );
    // 301 nets run together: their weight gradients (R·n²) are too many for one buffer.
    expect(many.name).toBe('GpuLimitError');
    expect(many.message).toMatch(
      /the weight gradients dW of 301 net\(s\) run together .* needs [\d,]+ bytes, but this device's max\w+Size is [\d,]+ bytes\..*run fewer nets together\./,
    );
    expect(sweep.name).toBe('GpuLimitError');
    expect(sweep.message).toMatch(/^the activations A\[0\.\.L\]/);
  });

  it('an out-of-memory error scope becomes a GpuOutOfMemoryError naming the buffers, their size and a suggestion', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const device = gpu!.device;
      const pop = device.popErrorScope;
      const push = device.pushErrorScope;
      const filters: GPUErrorFilter[] = [];
      let injected = false;
      device.pushErrorScope = function (this: GPUDevice, filter: GPUErrorFilter) {
        filters.push(filter);
        return push.call(this, filter);
      };
      // The device really pops its scope; the first out-of-memory scope's answer becomes an out-of-memory error.
      device.popErrorScope = function (this: GPUDevice) {
        const filter = filters.pop();
        const real = pop.call(this);
        if (filter !== 'out-of-memory' || injected) return real;
        injected = true;
        return real.then(() => new GPUOutOfMemoryError('injected: not enough memory for the allocation'));
      };
      try {
        await lib.runDeepNet(gpu!, { depth: 3, width: 8, batch: 4, init: 'he-normal', activation: 'relu' });
        return { name: 'none', message: '' };
      } catch (err) {
        return { name: (err as Error).name, message: (err as Error).message };
      } finally {
        device.popErrorScope = pop;
        device.pushErrorScope = push;
      }
    });
    expect(r.name).toBe('GpuOutOfMemoryError');
    expect(r.message).toMatch(
      /^The GPU ran out of memory for the weights W\[1\.\.3\] and input \(n = 8, m = 4\): it needed about 896 bytes, within this device's maxBufferSize of [\d,]+ bytes per buffer, but more than it had free \(injected: not enough memory for the allocation\)\. Use a smaller batch or width/,
    );
    // The device is fine afterwards: the same run now works.
    const ok = await h.page.evaluate(async () => (await window.gp.lib.runDeepNet(window.gp.gpu!, { depth: 3, width: 8, batch: 4 })).layers.actNorm.length);
    expect(ok).toBe(3);
  });
});

describe('bad input to the API', () => {
  it('validates type, range and integrality of every argument with a named InputError', async () => {
    const r = await h.page.evaluate(async () => {
      const { gpu, lib } = window.gp;
      const base = lib.validateDeepNetConfig({ depth: 4, width: 2, batch: 1 });
      const attempts: [string, () => Promise<unknown>][] = [
        ['gpu null', () => lib.runDeepNet(null as never, base)],
        ['gpu object', () => lib.runDeepNets({} as never, [base])],
        ['configs not a list', () => lib.runDeepNets(gpu!, 'depth=4' as never)],
        ['width 1.5', () => lib.runDeepNet(gpu!, { ...base, width: 1.5 })],
        ['depth NaN', () => lib.runDeepNet(gpu!, { ...base, depth: NaN })],
        ['gain -1', () => lib.runDeepNet(gpu!, { ...base, gain: -1 })],
        ['seed string', () => lib.runDeepNet(gpu!, { ...base, seed: '7' })],
        ['unknown field', () => lib.runDeepNet(gpu!, { ...base, depht: 4 } as never)],
        ['mixed nets', () => lib.runDeepNets(gpu!, [base, { ...base, width: 3 }])],
        ['sweep null', () => lib.runSweep(gpu!, null as never).next()],
        ['sweep from -1', () => lib.runSweep(gpu!, { base, spec: { kind: 'depth', depths: [1, 2] } }, { from: -1 }).next()],
        ['sweep from 2.5', () => lib.runSweep(gpu!, { base, spec: { kind: 'depth', depths: [1, 2] } }, { from: 2.5 }).next()],
        ['sweep no rows', () => lib.runSweep(gpu!, { base, spec: { kind: 'depth', depths: [] } }).next()],
        ['sweep kind', () => lib.runSweep(gpu!, { base, spec: { kind: 'width' } as never }).next()],
        ['cpu width', () => lib.runDeepNetCpu({ ...base, width: 2000 })],
      ];
      const out: Record<string, string> = {};
      for (const [name, f] of attempts) {
        try {
          await f();
          out[name] = 'no error';
        } catch (err) {
          out[name] = `${(err as Error).name}: ${(err as Error).message}`;
        }
      }
      return out;
    });
    expect(r['gpu null']).toMatch(/^InputError: gpu: must be a GpuContext from requestGpu\(\), got null; without WebGPU use runDeepNetsCpu/);
    expect(r['gpu object']).toMatch(/^InputError: gpu:/);
    expect(r['configs not a list']).toMatch(/^InputError: configs: must be an array/);
    expect(r['width 1.5']).toBe('InputError: width: must be an integer from 1 to 1024, got 1.5');
    expect(r['depth NaN']).toBe('InputError: depth: must be an integer from 1 to 1000, got NaN');
    expect(r['gain -1']).toMatch(/^InputError: gain: must be a finite number from 0.000001 to 1000000/);
    expect(r['seed string']).toMatch(/^InputError: seed: must be an integer from 0 to 4294967295, got "7"/);
    expect(r['unknown field']).toMatch(/^InputError: depht: is not a config field/);
    expect(r['mixed nets']).toMatch(/^InputError: configs: nets run together must differ only in depth/);
    expect(r['sweep null']).toMatch(/^InputError: sweep: must be an object/);
    expect(r['sweep from -1']).toMatch(/^InputError: from: must be an integer from 0 to 2/);
    expect(r['sweep from 2.5']).toMatch(/^InputError: from:/);
    expect(r['sweep no rows']).toMatch(/^InputError: sweep\.depths: is empty/);
    expect(r['sweep kind']).toMatch(/^InputError: sweep\.kind: must be one of depth, gain, init/);
    expect(r['cpu width']).toMatch(/^InputError: width: must be an integer from 1 to 1024, got 2000/);
  });
});

describe('device loss mid-sweep (library)', () => {
  it('a forced loss surfaces as GpuDeviceLostError; a new context resumes from the first unfinished row with identical results', async () => {
    const r = await h.page.evaluate(async () => {
      const { lib } = window.gp;
      const sweep = {
        base: lib.validateDeepNetConfig({ depth: 16, width: 4, batch: 2, activation: 'tanh', init: 'xavier-normal', input: 'normal', seed: 5 }),
        spec: { kind: 'depth' as const, depths: Array.from({ length: 16 }, (_, i) => i + 1) },
      };
      type Row = Awaited<ReturnType<ReturnType<typeof lib.runSweep>['next']>>['value'] & object;
      const plain = (rows: Row[]) =>
        rows.map((r) => ({ index: r.index, layers: Object.fromEntries(Object.entries(r.run.layers).map(([k, v]) => [k, Array.from(v as Float64Array)])) }));
      const first = await lib.requestGpu();
      const kept: Row[] = [];
      let error = '';
      let lostEvent = '';
      first.events.addEventListener('device-lost', (e) => (lostEvent = (e as CustomEvent<Error>).detail.message));
      try {
        for await (const row of lib.runSweep(first, sweep)) {
          kept.push(row);
          if (kept.length === 2) lib.forceDeviceLoss(first, 'robustness test');
        }
      } catch (err) {
        error = `${(err as Error).name}: ${(err as Error).message}`;
      }
      const second = await lib.requestGpu();
      const rest: typeof kept = [];
      for await (const row of lib.runSweep(second, sweep, { from: kept.length })) rest.push(row);
      const whole: typeof kept = [];
      for await (const row of lib.runSweep(second, sweep)) whole.push(row);
      second.destroy();
      return { kept: plain(kept), rest: plain(rest), whole: plain(whole), error, lostEvent, firstLost: first.lost?.reason ?? null };
    });
    // The first row alone, then chunks of 2 rows (an eighth of 16): the loss after row 2 (index 1) lets
    // row 3 (index 2, same chunk) through.
    expect(r.kept.map((x) => x.index)).toEqual([0, 1, 2]);
    expect(r.error).toMatch(/^GpuDeviceLostError: The GPU device was lost \(forced\): robustness test/);
    expect(r.lostEvent).toMatch(/robustness test/);
    expect(r.firstLost).toBe('forced');
    expect(r.rest.map((x) => x.index)).toEqual(Array.from({ length: 13 }, (_, i) => i + 3));
    // Same kernels, same chunk boundaries: the resumed sweep equals an uninterrupted one, bit for bit.
    expect([...r.kept, ...r.rest]).toEqual(r.whole);
  });
});

describe('numerics: a sweep full of overflow, underflow, NaN and 0 never breaks a chart, tooltip or export', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    browser = await puppeteer.connect({ browserWSEndpoint: inject('wsEndpoint'), protocolTimeout: 600_000 });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    await page.goto(`${inject('baseUrl')}/index.html#/depth-lab`);
    await page.waitForFunction(
      () => !!document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-depth-lab')?.shadowRoot?.querySelector('[data-testid=run]'),
      {
        timeout: 60_000,
        polling: 250,
      },
    );
  });
  afterAll(async () => {
    await page?.close();
    await browser?.disconnect();
  });

  // Rows whose per-layer values are the nastiest numbers there are.
  const NASTY = [Infinity, -Infinity, NaN, 0, -0, 5e-324, 1e-45, 1e-38, 3e38, 1e39, Number.MAX_VALUE, -1e300, 1, 1e-300];
  function makeRows(): unknown[] {
    const rows = [];
    for (let r = 0; r < 6; r++) {
      const depth = 4 + 2 * r;
      const config: DeepNetConfig = validateDeepNetConfig({ depth, width: 2, batch: 1, gain: 1.5 });
      const pick = (i: number, k: number) => NASTY[(i * 7 + k * 3 + r * 5) % NASTY.length];
      const layers = {} as LayerStats;
      (['actNorm', 'zMean', 'zVar', 'gradActNorm', 'gradWNorm'] as const).forEach((name, k) => {
        layers[name] = Float64Array.from({ length: depth }, (_, i) => (r === 5 ? NaN : pick(i, k)));
      });
      const enc = (v: number) => (Number.isFinite(v) ? (Object.is(v, -0) ? '-0' : v) : String(v));
      rows.push({
        label: `depth=${depth}`,
        config,
        index: r,
        run: {
          config,
          // Non-finite numbers travel as strings (the DevTools protocol would turn them into null).
          loss: enc([Infinity, NaN, 0, 1e39, 1, -0][r]),
          lossStatus: 'overflow',
          layers: Object.fromEntries(Object.entries(layers).map(([k, v]) => [k, Array.from(v, enc)])),
          status: classifyLayers(layers),
          wallMs: enc([NaN, Infinity, 0, -1, 1, 2][r]),
          flops: enc([NaN, Infinity, 0, 1e30, 1, 2][r]),
          timings: [],
        },
      });
    }
    return rows;
  }

  it('renders them in the heatmap (colours, tooltip, keyboard, table), the row chart, and exports them', async () => {
    const result = await page.evaluate(async (rows: unknown) => {
      const app = document.querySelector('gp-app')!;
      const lab = app.shadowRoot!.querySelector('gp-depth-lab')! as unknown as Record<string, unknown> & HTMLElement & { updateComplete: Promise<boolean> };
      const dec = (v: number | string) => (typeof v === 'number' ? v : Number(v));
      type Enc = number | string;
      const results = (rows as { run: { layers: Record<string, Enc[]>; loss: Enc; wallMs: Enc; flops: Enc } }[]).map((r) => ({
        ...r,
        run: {
          ...r.run,
          loss: dec(r.run.loss),
          wallMs: dec(r.run.wallMs),
          flops: dec(r.run.flops),
          layers: Object.fromEntries(Object.entries(r.run.layers).map(([k, v]) => [k, Float64Array.from(v, dec)])),
        },
      }));
      const sweep = { base: (results[5] as unknown as { config: unknown }).config, spec: { kind: 'depth', depths: [4, 6, 8, 10, 12, 14] } };
      lab.shown = { sweep, query: '', results, total: 6, cols: 14, outcome: 'complete', wallMs: NaN, error: null };
      await lab.updateComplete;
      const root = lab.shadowRoot!;
      const hm = root.querySelector('gp-heatmap') as unknown as HTMLElement & {
        data: { status: Uint8Array };
        updateComplete: Promise<boolean>;
        showTable: boolean;
        selectedRow: number;
      };
      await hm.updateComplete;
      const seen: string[] = [];
      const statuses = new Set<number>();
      // Every quantity, every row selected in turn (the row's line chart and verdict).
      for (const q of ['gradWNorm', 'gradActNorm', 'actNorm', 'zVar']) {
        (root.querySelector(`.quantities [data-quantity=${q}]`) as HTMLButtonElement).click();
        await lab.updateComplete;
        await hm.updateComplete;
        for (const c of hm.data.status) statuses.add(c);
        for (let r = 0; r < 6; r++) {
          lab.selectedRow = r;
          await lab.updateComplete;
          const row = root.querySelector('gp-depth-row') as unknown as HTMLElement & { updateComplete: Promise<boolean> };
          await row.updateComplete;
          const chart = row.shadowRoot!.querySelector('gp-line-chart') as unknown as { updateComplete: Promise<boolean> } | null;
          await chart?.updateComplete;
          seen.push((row.shadowRoot!.textContent ?? '').replace(/\s+/g, ' ').slice(0, 60));
        }
      }
      // Keyboard: walk every cell with the arrow keys.
      const canvas = hm.shadowRoot!.querySelector('canvas')!;
      canvas.focus();
      for (let i = 0; i < 30; i++) {
        canvas.dispatchEvent(new KeyboardEvent('keydown', { key: i % 3 === 0 ? 'ArrowDown' : 'ArrowRight', bubbles: true }));
        await hm.updateComplete;
      }
      hm.showTable = true;
      await hm.updateComplete;
      const cells = [...hm.shadowRoot!.querySelectorAll('td')].map((td) => `${td.className}:${td.textContent}`);
      hm.showTable = false;
      await hm.updateComplete;
      const exportLab = lab as unknown as { exportJson(): unknown; exportCsvText(): string };
      const json = JSON.stringify(exportLab.exportJson());
      const csv = exportLab.exportCsvText();
      const png = await (hm as unknown as { toPngBlob(): Promise<Blob> }).toPngBlob();
      const box = canvas.getBoundingClientRect();
      canvas.scrollIntoView({ block: 'center' });
      return {
        statuses: [...statuses],
        cells,
        json,
        csvLines: csv.trim().split('\n').length,
        csvHead: csv.split('\n').slice(0, 3),
        pngBytes: png.size,
        seen,
        box: { w: box.width, h: box.height },
      };
    }, makeRows());
    // Every kind of cell is there: finite 0, overflow 1, underflow 2, NaN 3, none 4, and exactly 0 (6: a norm that
    // is exactly 0, which the lab counts as underflow, is drawn as 'exactly 0' since walk s11 D3).
    expect(result.statuses.sort()).toEqual([0, 1, 2, 3, 4, 6]);
    expect(result.cells.some((c) => c.startsWith('overflow:'))).toBe(true);
    expect(result.cells.some((c) => c.startsWith('nan:'))).toBe(true);
    expect(result.cells.some((c) => c.startsWith('underflow:') || c.startsWith('finite:'))).toBe(true);
    expect(result.cells.some((c) => c.startsWith('none:—'))).toBe(true);
    expect(result.seen).toHaveLength(24);
    const doc = JSON.parse(result.json) as DepthLabExport;
    expect(doc.rows).toHaveLength(6);
    expect(result.json).toContain('"Infinity"');
    expect(result.json).toContain('"NaN"');
    expect(result.csvLines).toBe(1 + 5 * (4 + 6 + 8 + 10 + 12 + 14));
    expect(result.pngBytes).toBeGreaterThan(1000);

    // Hover the canvas everywhere: the tooltip shows each cell's value and status.
    const hm = await page.evaluateHandle(() =>
      document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-depth-lab')!.shadowRoot!.querySelector('gp-heatmap')!,
    );
    const box = (await (await hm.evaluateHandle((el) => el.shadowRoot!.querySelector('canvas')!)).asElement()!.boundingBox())!;
    const tips = new Set<string>();
    for (let y = 0.05; y < 1; y += 0.16) {
      for (let x = 0.1; x < 1; x += 0.07) {
        await page.mouse.move(box.x + x * box.width, box.y + y * box.height);
        const tip = await hm.evaluate((el) => el.shadowRoot!.querySelector('[role=tooltip]')?.textContent?.replace(/\s+/g, ' ').trim() ?? '');
        if (tip) tips.add(tip.replace(/^.*status: /, ''));
      }
    }
    expect(tips.size).toBeGreaterThan(2);
    expect(errors).toEqual([]);
    await page.screenshot({ path: '/tmp/robustness-numerics.png', fullPage: true });
  });
});
