import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser, gotoView, newTestPage } from '../helpers/browser';
import { pageOverflow } from '../helpers/layout';
import { findTrainPreset } from '../../src/labs/training/presets';
import { trainRef } from '../../src/labs/training/cpu/train-ref';
import { SPECIAL_COLORS } from '../../src/viz/colormap';
import { deltaE2000, hexToRgb } from '../../src/viz/series-palette';

// The Training lab end to end in the real app page (WebGPU on SwiftShader): a preset applied from its
// button, run as an init sweep on the GPU; the loss curves and the heatmap hold the runs' data; JSON and
// CSV export; the URL carries the settings (seed included) and restores them; Cancel keeps finished steps.

const RUN_TIMEOUT = 240_000;
const preset = findTrainPreset('depth50-relu')!;

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await connectBrowser();
  page = await openLab('');
});
afterAll(async () => {
  await page?.close();
  await browser?.disconnect();
});

async function openLab(query: string): Promise<Page> {
  const p = await newTestPage(browser, { width: 1280, height: 900 });
  await gotoView(p, `/index.html#/training-lab${query ? `?${query}` : ''}`, 'gp-training-lab');
  return p;
}

/** Runs `fn` on the lab element in the page. */
function inLab<T, A>(p: Page, fn: (lab: HTMLElement & Record<string, any>, arg: A) => T | Promise<T>, arg?: A): Promise<T> {
  return p.evaluate(
    (src, arg) => {
      const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-training-lab')!;
      return new Function('lab', 'arg', `return (${src})(lab, arg)`)(lab, arg);
    },
    fn.toString(),
    arg as never,
  ) as Promise<T>;
}

function setInput(p: Page, name: string, value: string) {
  return inLab(
    p,
    (lab, a: { name: string; value: string }) => {
      const input = lab.shadowRoot!.querySelector(`[name=${a.name}]`) as HTMLInputElement;
      input.value = a.value;
      input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    },
    { name, value },
  );
}

function waitPhase(p: Page, phases: string[]) {
  return p.waitForFunction(
    (phases: string[]) => {
      const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-training-lab') as unknown as { ctl: { phase: string } };
      return phases.includes(lab.ctl.phase);
    },
    { timeout: RUN_TIMEOUT, polling: 250 },
    phases,
  );
}

describe('Training lab', () => {
  it(
    'a preset runs as an init sweep: four loss curves and a layers × steps heatmap with data',
    async () => {
      await inLab(page, (lab) => (lab.shadowRoot!.querySelector('[data-preset=depth50-relu]') as HTMLButtonElement).click());
      await inLab(page, (lab) => lab.updateComplete);
      const look = await inLab(page, (lab) => lab.shadowRoot!.querySelector('[data-testid=preset-look]')?.textContent ?? '');
      expect(look).toBe(preset.look);
      // The software adapter gets the small size; fewer steps keep the test short.
      expect(await inLab(page, (lab) => (lab.shadowRoot!.querySelector('[name=width]') as HTMLInputElement).value)).toBe(String(preset.small.width));
      await setInput(page, 'steps', '32');
      await setInput(page, 'evalEvery', '8');
      await inLab(page, (lab) => (lab.shadowRoot!.querySelector('[data-testid=train-run]') as HTMLButtonElement).click());
      await waitPhase(page, ['done', 'failed']);
      const seen = await inLab(page, async (lab) => {
        await lab.updateComplete;
        const chart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]') as unknown as {
          series: { label: string; values: ArrayLike<number>; status: string[]; inLegend?: boolean }[];
        };
        const heat = lab.shadowRoot!.querySelector('[data-testid=train-heatmap]') as unknown as {
          data: { rowLabels: string[]; cols: number; values: Float64Array; status: string[]; colTitle: string; colNames: string[] };
          heatmapModel: { colTicks: number[] };
        };
        const lossChart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]') as unknown as { xTitle: string };
        return {
          phase: lab.ctl.phase,
          error: lab.ctl.error,
          // The training-loss curves (the held-out ones, explained by a legend key, are checked below).
          series: chart.series
            .filter((s) => s.inLegend !== false)
            .map((s) => ({ label: s.label, n: s.values.length, first: s.values[0], status: [...new Set(s.status)] })),
          heat: { rows: heat.data.rowLabels.length, cols: heat.data.cols, finite: Array.from(heat.data.values).filter(Number.isFinite).length },
          // The heatmap's columns read as the loss chart's x axis: same title, from 0, the same point names.
          heatCounting: { title: heat.data.colTitle, lossTitle: lossChart.xTitle, firstTick: heat.heatmapModel.colTicks[0], name3: heat.data.colNames[3] },
          progress: lab.shadowRoot!.querySelector('[data-testid=train-progress]')?.textContent?.replace(/\s+/g, ' ').trim(),
        };
      });
      expect(seen.error).toBeNull();
      expect(seen.phase).toBe('done');
      expect(seen.series.map((s) => s.label)).toEqual(['He normal × 1', 'Xavier normal × 1', 'N(0, 1) × 1', 'identity × 0.5']);
      expect(seen.series.every((s) => s.n === 32)).toBe(true);
      // He trains in f32's range; N(0, 1) at depth 50 breaks at once, and its later steps are lost.
      expect(seen.series[0].status).toEqual(['finite']);
      expect(seen.series[2].status).toContain('lost');
      expect(seen.heat).toEqual({ rows: 50, cols: 32, finite: 50 * 32 });
      expect(seen.heatCounting).toEqual({
        title: 'weight updates so far (0 = the initial weights)',
        lossTitle: 'weight updates so far (0 = the initial weights)',
        firstTick: 0,
        name3: 'step 4, after 3 updates',
      });
      expect(seen.progress).toBe('Done · 4 inits × 32 steps: all 128 done');
    },
    RUN_TIMEOUT,
  );

  it('the loss chart draws every init’s held-out loss at its evaluated steps, with a legend key that says what it is', async () => {
    const r = await inLab(page, async (lab) => {
      const chart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]') as unknown as HTMLElement & { updateComplete: Promise<unknown> };
      await chart.updateComplete;
      const root = chart.shadowRoot!;
      // The chart names an init as a learner does (initName), not by its id; written out here, in the page.
      const NAMES: Record<string, string> = {
        identity: 'identity',
        normal: 'N(0, 1)',
        'xavier-normal': 'Xavier normal',
        'xavier-uniform': 'Xavier uniform',
        'he-normal': 'He normal',
        'lecun-normal': 'LeCun normal',
      };
      const runs = lab.ctl.runs as {
        choice: { init: string; gain: number };
        result: { heldOutStep: Int32Array; heldOutLoss: Float64Array; status: { heldOutLoss: Uint8Array } };
      }[];
      return {
        keys: Array.from(root.querySelectorAll('.legend-key text'), (e) => e.textContent),
        xTitle: Array.from(root.querySelectorAll('text.title'), (e) => e.textContent)[0],
        xTicks: Array.from(root.querySelectorAll('text.xtick'), (e) => e.textContent),
        // Screen y of the y tick labels and of every point (larger y = lower value).
        yTickYs: Array.from(root.querySelectorAll('text.ytick'), (e) => Number(e.getAttribute('y'))),
        pointYs: Array.from(root.querySelectorAll('circle.point'), (c) => Number(c.getAttribute('cy'))),
        legend: Array.from(root.querySelectorAll('.legend-item text'), (e) => e.textContent),
        // Points whose circle reaches the plot frame's top or bottom edge (clipped or drawn over the axis line).
        onFrame: (() => {
          const frame = root.querySelector('rect.axis')!;
          const top = Number(frame.getAttribute('y'));
          const bottom = top + Number(frame.getAttribute('height'));
          return Array.from(root.querySelectorAll('circle.point'))
            .filter((c) => {
              const cy = Number(c.getAttribute('cy'));
              const rr = Number(c.getAttribute('r'));
              return cy - rr <= top || cy + rr >= bottom;
            })
            .map((c) => c.querySelector('title')!.textContent);
        })(),
        runs: runs.map(({ choice, result }) => {
          const label = `${NAMES[choice.init]} × ${choice.gain}, held-out loss`;
          const path = root.querySelector(`path.series[data-label="${label}"]`);
          const rings = Array.from(root.querySelectorAll('circle.point.ring')).filter((c) => c.querySelector('title')!.textContent!.startsWith(`${label}, `));
          const train = root.querySelector(`path.series[data-label="${NAMES[choice.init]} × ${choice.gain}"]`);
          return {
            label,
            finiteSteps: Array.from(result.heldOutStep).filter((_, i) => result.status.heldOutLoss[i] === 0),
            dash: path?.getAttribute('stroke-dasharray') ?? null,
            sameColour: !!path && !!train && path.getAttribute('stroke') === train.getAttribute('stroke'),
            ringAt: rings.map((c) => Number(c.getAttribute('data-layer'))),
            ringCx: rings.map((c) => c.getAttribute('cx')),
            dotCxAtRings: rings.map((c) => {
              const dot = Array.from(root.querySelectorAll(`circle.point:not(.ring)[data-layer="${c.getAttribute('data-layer')}"]`)).find((d) =>
                d.querySelector('title')!.textContent!.startsWith(`${NAMES[choice.init]} × ${choice.gain}, `),
              );
              return dot?.getAttribute('cx') ?? null;
            }),
            ringFill: [...new Set(rings.map((c) => c.getAttribute('fill')))],
            firstTip: rings[0]?.querySelector('title')!.textContent ?? '',
            value0: result.heldOutLoss[0],
          };
        }),
      };
    });
    // One key per line style, after the four inits (the held-out curves are not listed one by one).
    expect(r.keys).toEqual(['training loss (its minibatch), every step', 'held-out loss, every 8 steps']);
    expect(r.legend.slice(0, 6)).toEqual(['He normal × 1', 'Xavier normal × 1', 'N(0, 1) × 1', 'identity × 0.5', ...r.keys]);
    // He, Xavier and 0.5·I are measured on the initial weights, after 8, 16, 24 updates and after the last (32):
    // chart x = the updates made, the axis says so and starts at 0.
    expect(r.xTitle).toBe('weight updates so far (0 = the initial weights)');
    expect(r.xTicks[0]).toBe('0');
    for (const i of [0, 1, 3]) {
      const run = r.runs[i];
      expect(run.finiteSteps).toEqual([0, 8, 16, 24, 32]);
      expect(run.dash).toBe('2 3');
      expect(run.sameColour).toBe(true);
      expect(run.ringAt).toEqual([0, 8, 16, 24, 32]);
      // Each ring lines up with the training loss's dot of the same weights (the last ring, after the last update, has none).
      expect(run.ringCx.slice(0, 4)).toEqual(run.dotCxAtRings.slice(0, 4));
      expect(run.dotCxAtRings[4]).toBeNull();
      // Open rings (white inside): they stay readable over the training loss's dots where the two curves meet.
      expect(run.ringFill).toEqual(['#fff']);
      expect(run.firstTip.startsWith(`${run.label}, initial weights: `)).toBe(true);
    }
    // The y axis leaves room at both ends: no dot or ring touches the frame (the last held-out loss sat on the x axis).
    expect(r.onFrame).toEqual([]);
    // …and every point can be read off the axis: a labelled tick at or below the lowest point and one at or above the
    // highest (review: He's final loss 7.12 sat below the lowest tick, 7.5).
    expect(Math.max(...r.yTickYs)).toBeGreaterThanOrEqual(Math.max(...r.pointYs) - 0.01);
    expect(Math.min(...r.yTickYs)).toBeLessThanOrEqual(Math.min(...r.pointYs) + 0.01);
    // N(0, 1): its first held-out loss overflowed and the rest is lost, so it has no ring and no line.
    expect(r.runs[2].finiteSteps).toEqual([]);
    expect(r.runs[2].ringAt).toEqual([]);
  });

  it('status markers use colours no series uses: N(0, 1)’s lost squares are the heatmap’s lost violet, far from every init’s colour', async () => {
    const r = await inLab(page, async (lab) => {
      const chart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]') as unknown as HTMLElement & { updateComplete: Promise<unknown> };
      await chart.updateComplete;
      const root = chart.shadowRoot!;
      return {
        series: [...new Set(Array.from(root.querySelectorAll('path.series'), (p) => p.getAttribute('stroke')!))],
        swatches: Array.from(lab.shadowRoot!.querySelectorAll('[data-testid=train-summary] .swatch'), (e) => getComputedStyle(e).backgroundColor),
        markers: Array.from(root.querySelectorAll('.marker'), (m) => ({
          kind: m.getAttribute('class')!.replace('marker ', ''),
          fill: m.getAttribute('fill') ?? m.querySelector('path')?.getAttribute('stroke') ?? '',
        })),
      };
    });
    const rgb = (c: string): [number, number, number] => {
      if (c.startsWith('#')) return hexToRgb(c) as [number, number, number];
      const m = /rgba?\((\d+), (\d+), (\d+)/.exec(c);
      if (!m) throw new Error(`unreadable colour ${c}`);
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    };
    // One colour per init (the summary's swatches); N(0, 1), lost from its first step on, draws no line.
    const colours = r.swatches.map(rgb);
    expect(new Set(colours.map((c) => c.join())).size).toBe(4);
    expect(r.series.map((c) => rgb(c).join()).every((c) => colours.some((k) => k.join() === c))).toBe(true);
    expect(r.markers.filter((m) => m.kind === 'lost').length).toBeGreaterThan(0);
    // The lost squares have the heatmap's lost colour (one status, one colour across the lab)…
    for (const m of r.markers.filter((m) => m.kind === 'lost')) expect(rgb(m.fill)).toEqual(SPECIAL_COLORS.lost.slice(0, 3));
    // …and no marker colour equals, or looks like, a series colour.
    for (const m of r.markers) {
      for (const c of colours) expect(deltaE2000(rgb(m.fill), c), `${m.kind} ${m.fill} against ${c.join()}`).toBeGreaterThanOrEqual(25);
    }
  });

  it('says under the chart that Xavier and 0.5·I coincide, and per init how its run ended: N(0, 1) exploded at the start', async () => {
    const r = await inLab(page, async (lab) => {
      await lab.updateComplete;
      const chart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]')!;
      const t = (e: Element) => e.textContent!.replace(/\s+/g, ' ').trim();
      return {
        lines: Array.from(chart.shadowRoot!.querySelectorAll('path.series'), (p) => p.getAttribute('data-label')),
        coincide: Array.from(lab.shadowRoot!.querySelectorAll('[data-testid=train-coincide]'), t),
        summary: Array.from(lab.shadowRoot!.querySelectorAll('[data-testid=train-summary] li'), (li) => ({
          outcome: li.getAttribute('data-outcome'),
          text: t(li),
        })),
        brokeAt: lab.ctl.runs.map((x: { result: { brokeAt: unknown } }) => x.result.brokeAt),
        loss: lab.ctl.runs.map((x: { result: { trainLoss: Float64Array } }) => Array.from(x.result.trainLoss)),
      };
    });
    // Xavier's and 0.5·I's outputs are ≈ 0 at depth 50, so their losses are equal at every step: both lines are
    // drawn (one over the other), and the note says so.
    expect(r.loss[1]).toEqual(r.loss[3]);
    expect(r.lines).toContain('Xavier normal × 1');
    expect(r.lines).toContain('identity × 0.5');
    expect(r.coincide).toEqual([
      'Xavier normal × 1 and identity × 0.5 have the same training and held-out loss at every step, so their lines lie on top of each other: the chart shows one line for them.',
    ]);
    expect(r.summary.map((s) => s.outcome)).toEqual(['fell', 'flat', 'exploded', 'flat']);
    expect(r.summary[0].text).toMatch(/^He normal × 1: the loss fell: the held-out loss from /);
    expect(r.summary[1].text).toMatch(
      /^Xavier normal × 1: the loss did not move: .* \(vanishing gradients; see the update ratio in the heatmap\)\. Its final held-out loss, [\d.]+, is still above always predicting the average target \([\d.]+\): it has not learned the task yet\.$/,
    );
    const b = r.brokeAt[2] as { step: number; what: string; layer: number };
    // The engine's record: on the first step the backpropagated gradients overflowed at some layer.
    expect(b).toMatchObject({ step: 0, what: 'gradActivations', status: 'overflow' });
    expect(r.summary[2].text).toMatch(
      new RegExp(
        `^N\\(0, 1\\) × 1 exploded at the start: the backpropagated gradients ∂J/∂a overflowed f32 at layer ${b.layer}\\. Its loss on that step, worked out in float64 from the GPU’s f32 norm of ∂J\\/∂a\\[L\\], was [\\d.]+e\\d+: past f32’s range \\(> 3\\.403e38\\) and the lab’s 1e38 overflow mark \\(▲ on the chart\\)\\. Its very first pass was already out of range: with these initial weights the signal grows layer after layer \\(exploding activations and gradients\\)\\.`,
      ),
    );
    expect(r.summary[2].text).toMatch(/Every later step is lost/);
  });

  it('the heatmap of N(0, 1) has its status legend (overflow, NaN, lost) drawn inside the canvas, at 1280 px and at 390 px', async () => {
    const legendAt = () =>
      inLab(page, async (lab) => {
        const select = lab.shadowRoot!.querySelector('[data-testid=init-select]') as HTMLSelectElement;
        select.value = '2';
        select.dispatchEvent(new Event('change'));
        await lab.updateComplete;
        const heat = lab.shadowRoot!.querySelector('[data-testid=train-heatmap]') as unknown as HTMLElement & {
          updateComplete: Promise<unknown>;
          heatmapModel: { legend: { label: string; rgba: number[] }[] };
          layout: { width: number; height: number; legendY: number };
        };
        await heat.updateComplete;
        await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        await heat.updateComplete;
        const canvas = heat.shadowRoot!.querySelector('canvas')!;
        const ctx = canvas.getContext('2d')!;
        const dpr = canvas.width / heat.layout.width;
        const top = Math.floor(heat.layout.legendY * dpr);
        const px = ctx.getImageData(0, top, canvas.width, canvas.height - top).data;
        // Each entry's swatch: a block of its colour in the legend rows (below the cells), not cut off.
        const drawn = heat.heatmapModel.legend.map((e) => {
          let n = 0;
          for (let i = 0; i < px.length; i += 4) if (px[i] === e.rgba[0] && px[i + 1] === e.rgba[1] && px[i + 2] === e.rgba[2]) n++;
          return n;
        });
        const box = canvas.getBoundingClientRect();
        return {
          labels: heat.heatmapModel.legend.map((e) => e.label),
          drawn,
          dpr,
          fits: box.right <= document.documentElement.clientWidth && box.left >= 0,
        };
      });
    const wide = await legendAt();
    expect(wide.labels).toEqual(['overflow (above 1e38)', 'NaN', 'after a value passed 1e38 or became NaN']);
    // A 12 × 12 px swatch (fewer pixels only where the frame overlaps it).
    for (const n of wide.drawn) expect(n).toBeGreaterThanOrEqual(100 * wide.dpr * wide.dpr);
    expect(wide.fits).toBe(true);
    await page.setViewport({ width: 390, height: 900 });
    try {
      const narrow = await legendAt();
      expect(narrow.labels).toEqual(wide.labels);
      for (const n of narrow.drawn) expect(n).toBeGreaterThanOrEqual(100 * narrow.dpr * narrow.dpr);
      expect(narrow.fits).toBe(true);
    } finally {
      await page.setViewport({ width: 1280, height: 900 });
      await inLab(page, async (lab) => {
        const select = lab.shadowRoot!.querySelector('[data-testid=init-select]') as HTMLSelectElement;
        select.value = '0';
        select.dispatchEvent(new Event('change'));
        await lab.updateComplete;
      });
    }
  });

  it('exports JSON and CSV of every run', async () => {
    const files = await exports(page);
    expect(files.map((f) => f.download)).toEqual(['training-lab.json', 'training-lab.csv']);
    const json = JSON.parse(files[0].text);
    expect(json.runs.map((r: { init: string }) => r.init)).toEqual(['he-normal', 'xavier-normal', 'normal', 'identity']);
    expect(json.runs[0].trainLoss).toHaveLength(32);
    expect(json.runs[0].layers.gradWNorm.values).toHaveLength(32 * 50);
    const csv = files[1].text.trimEnd().split('\n');
    expect(csv[0]).toBe('init,gain,step,layer,quantity,value,status');
    // Per init: 32 steps × (1 + 3·50) rows, and held-out losses at 0, 8, 16, 24 and 32.
    expect(csv.length - 1).toBe(4 * (32 * 151 + 5));
  });

  it(
    'pins the finished sweep (dashed loss curves, same colours) and exports the loss chart and heatmap as PNG',
    async () => {
      const r = await inLab(page, async (lab) => {
        (lab.shadowRoot!.querySelector('[data-testid=train-pin]') as HTMLButtonElement).click();
        await lab.updateComplete;
        const chart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]') as unknown as HTMLElement & {
          series: { label: string; dashed?: boolean; color?: string; values: ArrayLike<number>; inLegend?: boolean }[];
          updateComplete: Promise<unknown>;
        };
        await chart.updateComplete;
        const titles = Array.from(chart.shadowRoot!.querySelectorAll('circle.point title'), (t) => t.textContent ?? '');
        const seen: { download: string; href: string }[] = [];
        const click = HTMLAnchorElement.prototype.click;
        HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
          seen.push({ download: this.download, href: this.href });
        };
        try {
          (lab.shadowRoot!.querySelector('[data-testid=export-png-loss]') as HTMLButtonElement).click();
          (lab.shadowRoot!.querySelector('[data-testid=export-png-heatmap]') as HTMLButtonElement).click();
          for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((res) => setTimeout(res, 100));
        } finally {
          HTMLAnchorElement.prototype.click = click;
        }
        const svgWidth = Number(chart.shadowRoot!.querySelector('svg')!.getAttribute('width'));
        const pngs = await Promise.all(
          seen.map(async ({ download, href }) => {
            const blob = await (await fetch(href)).blob();
            const head = Array.from(new Uint8Array(await blob.slice(0, 8).arrayBuffer()));
            const bmp = await createImageBitmap(blob);
            // The image must hold drawn (non-white) pixels, not just the white background.
            const c = new OffscreenCanvas(bmp.width, bmp.height);
            const ctx = c.getContext('2d')!;
            ctx.drawImage(bmp, 0, 0);
            const px = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
            let dark = 0;
            for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] < 700) dark++;
            return { download, head, width: bmp.width, dark };
          }),
        );
        return {
          pinned: lab.shadowRoot!.querySelector('[data-testid=pinned-label]')?.textContent?.replace(/\s+/g, ' ').trim(),
          coincide: Array.from(lab.shadowRoot!.querySelectorAll('[data-testid=train-coincide]'), (e) => e.textContent!.replace(/\s+/g, ' ').trim()),
          series: chart.series.filter((s) => s.inLegend !== false).map((s) => ({ label: s.label, dashed: !!s.dashed, color: s.color, n: s.values.length })),
          titles: titles.slice(0, 2),
          pngs,
          svgWidth,
        };
      });
      expect(r.pinned).toBe(`Pinned (dashed): ReLU, depth 50, n = ${preset.small.width}, m = ${preset.small.batch}, SGD, η = ${preset.small.lr}, 32 steps`);
      // Right after pinning, the same four runs are drawn twice: solid, and dashed in the same colour.
      expect(r.series.map((s) => s.dashed)).toEqual([false, false, false, false, true, true, true, true]);
      expect(r.series[4].label).toBe('He normal × 1 (pinned)');
      // Each pinned dashed line lies exactly over its current one (the same run), and the notes say so.
      expect(r.coincide[0]).toBe(
        'He normal × 1 and He normal × 1 (pinned) have the same training and held-out loss at every step, so their lines lie on top of each other: the chart shows one line for them.',
      );
      expect(r.coincide[1]).toMatch(/^Xavier normal × 1, identity × 0\.5, Xavier normal × 1 \(pinned\), and identity × 0\.5 \(pinned\) have the same/);
      for (let i = 0; i < 4; i++) expect(r.series[i + 4].color).toBe(r.series[i].color);
      expect(new Set(r.series.slice(0, 4).map((s) => s.color)).size).toBe(4);
      // Tooltips name the step, not a layer, and the weights it was measured on.
      expect(r.titles[0]).toMatch(/^He normal × 1, step 1, on the initial weights: /);
      // The two encodings finish in either order.
      expect(r.pngs.map((p) => p.download).sort()).toEqual(['training-lab-heatmap.png', 'training-lab-loss.png']);
      for (const p of r.pngs) {
        expect(p.head).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        expect(p.dark).toBeGreaterThan(2000);
      }
      expect(r.pngs.find((p) => p.download === 'training-lab-loss.png')!.width).toBe(2 * r.svgWidth);
    },
    RUN_TIMEOUT,
  );

  it(
    'the URL carries every setting with the seed, and a fresh page restores them',
    async () => {
      const hash = await page.evaluate(() => location.hash);
      const query = hash.slice(hash.indexOf('?') + 1);
      const q = new URLSearchParams(query);
      expect(q.get('steps')).toBe('32');
      expect(q.get('seed')).toBe('1');
      expect(q.get('inits')).toBe('he-normal:1,xavier-normal:1,normal:1,identity:0.5');
      const other = await openLab(query.replace('seed=1', 'seed=5'));
      try {
        const values = await inLab(other, async (lab) => {
          await lab.updateComplete;
          const v = (n: string) => (lab.shadowRoot!.querySelector(`[name=${n}]`) as HTMLInputElement).value;
          return { steps: v('steps'), seed: v('seed'), depth: v('depth'), width: v('width'), inits: v('inits') };
        });
        expect(values).toEqual({
          steps: '32',
          seed: '5',
          depth: '50',
          width: String(preset.small.width),
          inits: 'he-normal:1,xavier-normal:1,normal:1,identity:0.5',
        });
      } finally {
        await other.close();
      }
    },
    RUN_TIMEOUT,
  );

  it(
    'Cancel stops at the next chunk and keeps the finished steps on screen',
    async () => {
      await setInput(page, 'steps', '2000');
      await setInput(page, 'inits', 'he-normal:1');
      await inLab(page, (lab) => (lab.shadowRoot!.querySelector('[data-testid=train-run]') as HTMLButtonElement).click());
      await page.waitForFunction(
        () =>
          ((document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-training-lab') as unknown as { ctl: { progress: { done: number } | null } }).ctl
            .progress?.done ?? 0) >= 32,
        { timeout: RUN_TIMEOUT, polling: 100 },
      );
      await inLab(page, (lab) => (lab.shadowRoot!.querySelector('[data-testid=train-cancel]') as HTMLButtonElement).click());
      await waitPhase(page, ['cancelled', 'done', 'failed']);
      const r = await inLab(page, async (lab) => {
        await lab.updateComplete;
        const run = lab.ctl.runs[0]?.result;
        const chart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]') as unknown as { series: { values: ArrayLike<number> }[] };
        const series = chart?.series as { values: ArrayLike<number>; dashed?: boolean }[];
        return {
          phase: lab.ctl.phase,
          completed: run?.completedSteps,
          cancelled: run?.cancelled,
          points: series?.[0]?.values.length,
          // The sweep pinned earlier stays next to the new run: its four curves, dashed, 32 steps each.
          pinned: series?.filter((s) => s.dashed).map((s) => s.values.length),
        };
      });
      expect(r.phase).toBe('cancelled');
      expect(r.cancelled).toBe(true);
      expect(r.completed).toBeGreaterThanOrEqual(32);
      expect(r.completed).toBeLessThan(2000);
      expect(r.completed! % 32).toBe(0);
      expect(r.points).toBe(r.completed);
      expect(r.pinned).toEqual([32, 32, 32, 32]);
    },
    RUN_TIMEOUT,
  );

  it(
    'without WebGPU the view trains on the CPU fallback (float64), says so, and shows the same kind of result',
    async () => {
      const cpu = await openLab(
        'depth=6&width=8&batch=4&trainSize=8&heldOutSize=4&steps=12&evalEvery=4&activation=tanh&optimizer=sgd&lr=0.1&seed=3&inits=xavier-normal:1,normal:3',
      );
      try {
        // As the shell hands it over when WebGPU is missing: no context, the CPU fallback on.
        await inLab(cpu, async (lab) => {
          lab.gpu = null;
          lab.cpuFallback = true;
          await lab.updateComplete;
          (lab.shadowRoot!.querySelector('[data-testid=train-run]') as HTMLButtonElement).click();
        });
        await waitPhase(cpu, ['done', 'failed']);
        const r = await inLab(cpu, async (lab) => {
          await lab.updateComplete;
          const run = lab.ctl.runs[0].result;
          return {
            config: run.config,
            loss: Array.from(run.trainLoss as Float64Array),
            phase: lab.ctl.phase,
            note: lab.shadowRoot!.textContent!.includes('runs on the CPU fallback'),
            runs: lab.ctl.runs.length,
            steps: run.completedSteps,
          };
        });
        const { config, loss, ...rest } = r;
        expect(rest).toEqual({ phase: 'done', note: true, runs: 2, steps: 12 });
        // The fallback is the float64 reference itself: the same numbers up to the last bits of Math.tanh, whose
        // implementation differs between the page's and Node's JavaScript engines (measured: ≤ 1e-15 relative).
        const ref = trainRef(config).trainLoss;
        expect(loss).toHaveLength(12);
        loss.forEach((v, i) => expect(Math.abs(v - ref[i]) / ref[i]).toBeLessThan(1e-12));
      } finally {
        await cpu.close();
      }
    },
    RUN_TIMEOUT,
  );
});

/** The JSON and CSV exports of the sweep on screen, as the user would download them. */
function exports(p: Page): Promise<{ download: string; text: string }[]> {
  return inLab(p, async (lab) => {
    const seen: { download: string; href: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      seen.push({ download: this.download, href: this.href });
    };
    try {
      for (const id of ['export-json', 'export-csv']) (lab.shadowRoot!.querySelector(`[data-testid=${id}]`) as HTMLButtonElement).click();
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    return Promise.all(seen.map(async ({ download, href }) => ({ download, text: await (await fetch(href)).text() })));
  });
}

describe('Training lab in Korean', () => {
  it(
    'a sweep runs with Korean texts, nothing sticks out of the page at 1400 px or 390 px, and the exports equal the English ones',
    async () => {
      // Own browser context: the stored language choice never reaches the other tests.
      const context = await browser.createBrowserContext();
      const ko = await newTestPage(context, { width: 1400, height: 900 });
      try {
        const query = 'depth=50&width=8&batch=8&trainSize=8&heldOutSize=8&steps=16&evalEvery=8&inits=he-normal:1,normal:1';
        await gotoView(ko, `/index.html?lang=ko#/training-lab?${query}`, 'gp-training-lab');
        await inLab(ko, (lab) => (lab.shadowRoot!.querySelector('[data-testid=train-run]') as HTMLButtonElement).click());
        await waitPhase(ko, ['done', 'failed']);
        const texts = await inLab(ko, async (lab) => {
          await lab.updateComplete;
          // Open the heatmap's table too: its headers must fit as well.
          const heat = lab.shadowRoot!.querySelector('[data-testid=train-heatmap]') as HTMLElement & { updateComplete: Promise<unknown> };
          (heat.shadowRoot!.querySelector('.toolbar button') as HTMLButtonElement).click();
          await heat.updateComplete;
          const t = (sel: string) => lab.shadowRoot!.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim();
          return {
            phase: lab.ctl.phase,
            h2: t('h2'),
            run: t('[data-testid=train-run]'),
            progress: t('[data-testid=train-progress]'),
            preset: t('[data-preset=depth50-relu]'),
            // The Activation picker names each activation as a learner reads it; its values stay the URL's ids.
            activations: Array.from((lab.shadowRoot!.querySelector('select[name=activation]') as HTMLSelectElement).options, (o) => [
              o.value,
              o.textContent!.trim(),
            ]),
            activation: (lab.shadowRoot!.querySelector('select[name=activation]') as HTMLSelectElement).value,
            // The optimizers by their names (SGD, Adam), the values the URL's ids.
            optimizers: Array.from((lab.shadowRoot!.querySelector('select[name=optimizer]') as HTMLSelectElement).options, (o) => [
              o.value,
              o.textContent!.trim(),
            ]),
            table: !!heat.shadowRoot!.querySelector('table'),
            // The table's columns count the weight updates, as the loss chart's x axis does (the Depth lab's are layers).
            corner: heat.shadowRoot!.querySelector('thead th')?.textContent?.trim(),
            firstCols: Array.from(heat.shadowRoot!.querySelectorAll('thead th'), (th) => th.textContent!.trim()).slice(1, 3),
            firstColTitle: heat.shadowRoot!.querySelectorAll('thead th')[1]?.getAttribute('title'),
          };
        });
        expect(texts).toEqual({
          phase: 'done',
          h2: '훈련 실험실',
          run: '실행',
          progress: '완료 · 초기화 2개 × 16단계: 32단계 모두 완료',
          preset: '깊이 50, ReLU: 초기화 네 가지',
          activations: [
            ['linear', '선형'],
            ['relu', 'ReLU'],
            ['tanh', 'tanh'],
            ['sigmoid', '시그모이드'],
          ],
          activation: 'relu',
          optimizers: [
            ['sgd', 'SGD'],
            ['adam', 'Adam'],
          ],
          table: true,
          corner: '층 l \\ 갱신 횟수',
          firstCols: ['0', '1'],
          firstColTitle: '1단계, 초기 가중치에서',
        });
        let o = await pageOverflow(ko);
        expect(o.scroll, `wider than the viewport at 1400 px: ${o.culprits.join('; ')}`).toBeLessThanOrEqual(o.client);
        await ko.setViewport({ width: 390, height: 900 });
        await inLab(ko, async (lab) => {
          await lab.updateComplete;
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        });
        o = await pageOverflow(ko);
        expect(o.scroll, `wider than the viewport at 390 px: ${o.culprits.join('; ')}`).toBeLessThanOrEqual(o.client);

        // The same run exported from the Korean page and, after switching in place, from the English one.
        const inKorean = await exports(ko);
        await ko.$eval('gp-app >>> gp-lang-switch >>> button[data-lang=en]', (b) => (b as HTMLButtonElement).click());
        await ko.waitForFunction(
          () => document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-training-lab')!.shadowRoot!.querySelector('h2')!.textContent === 'Training lab',
          { timeout: 30_000 },
        );
        const inEnglish = await exports(ko);
        expect(inKorean.map((f) => f.download)).toEqual(['training-lab.json', 'training-lab.csv']);
        expect(JSON.parse(inKorean[0].text).runs).toHaveLength(2);
        expect(inKorean).toEqual(inEnglish);
      } finally {
        await ko.close();
        await context.close();
      }
    },
    RUN_TIMEOUT,
  );
});
