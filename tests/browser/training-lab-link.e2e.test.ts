import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { connectBrowser, gotoView, newTestPage } from '../helpers/browser';
import { trainBaseline } from '../../src/labs/training/baseline';

// The Training lab opened from a link with unusable settings (walk s11 T1): the link's problems are a notice
// (defaults used for those fields only, each saying what it uses, with Dismiss), not field errors, and Run works.

const RUN_TIMEOUT = 240_000;
// Bad depth, lr and inits; small sizes keep the run short on SwiftShader.
const BAD_LINK = 'depth=-3&lr=abc&inits=foo:1,he-normal:1&steps=12&evalEvery=4&width=8&batch=8&trainSize=16&heldOutSize=8';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await connectBrowser();
  page = await newTestPage(browser, { width: 1280, height: 900 });
  await gotoView(page, `/index.html#/training-lab?${BAD_LINK}`, 'gp-training-lab');
});
afterAll(async () => {
  await page?.close();
  await browser?.disconnect();
});

/** Runs `fn` on the lab element in the page. */
function inLab<T>(p: Page, fn: (lab: HTMLElement & Record<string, any>) => T | Promise<T>): Promise<T> {
  return p.evaluate((src) => {
    const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-training-lab')!;
    return new Function('lab', `return (${src})(lab)`)(lab);
  }, fn.toString()) as Promise<T>;
}

describe('Training lab from a link with unusable settings', () => {
  it(
    'lists them in the link notice with the values used, keeps Run enabled, and a run completes',
    async () => {
      const seen = await inLab(page, async (lab) => {
        await lab.updateComplete;
        const root = lab.shadowRoot!;
        const v = (n: string) => (root.querySelector(`[name=${n}]`) as HTMLInputElement).value;
        return {
          notice: root.querySelector('[data-testid=url-problems]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null,
          params: [...root.querySelectorAll('[data-testid=url-problems] li')].map((li) => li.getAttribute('data-param')),
          fieldProblems: root.querySelector('[data-testid=train-problems]') !== null,
          fields: { depth: v('depth'), lr: v('lr'), inits: v('inits'), steps: v('steps') },
        };
      });
      expect(seen.notice).toMatch(/^Some settings in this link could not be used; defaults were used for those fields only:/);
      expect(seen.notice).toMatch(/Dismiss$/);
      expect(seen.params).toEqual(['depth', 'lr', 'inits']);
      expect(seen.notice).toContain('got -3; using the default 20');
      expect(seen.notice).toContain('using the default inits he-normal:1,xavier-normal:1');
      expect(seen.fieldProblems).toBe(false);
      expect(seen.fields).toEqual({ depth: '20', lr: '0.01', inits: 'he-normal:1,xavier-normal:1', steps: '12' });

      // Once the GPU is there, Run is enabled (no field needs editing first), and the run completes.
      await page.waitForFunction(() => !!(document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-training-lab') as unknown as { gpu: unknown }).gpu, {
        timeout: RUN_TIMEOUT,
        polling: 250,
      });
      const disabled = await inLab(page, async (lab) => {
        await lab.updateComplete;
        return (lab.shadowRoot!.querySelector('[data-testid=train-run]') as HTMLButtonElement).disabled;
      });
      expect(disabled).toBe(false);
      await inLab(page, (lab) => (lab.shadowRoot!.querySelector('[data-testid=train-run]') as HTMLButtonElement).click());
      await page.waitForFunction(
        () => {
          const lab = document.querySelector('gp-app')!.shadowRoot!.querySelector('gp-training-lab') as unknown as { ctl: { phase: string } };
          return ['done', 'failed'].includes(lab.ctl.phase);
        },
        { timeout: RUN_TIMEOUT, polling: 250 },
      );
      const r = await inLab(page, (lab) => ({
        phase: lab.ctl.phase,
        error: lab.ctl.error,
        runs: lab.ctl.runs.map((x: { result: { completedSteps: number; config: { depth: number; lr: number } } }) => [
          x.result.completedSteps,
          x.result.config.depth,
          x.result.config.lr,
        ]),
      }));
      expect(r).toEqual({
        phase: 'done',
        error: null,
        runs: [
          [12, 20, 0.01],
          [12, 20, 0.01],
        ],
      });

      // Dismiss removes the notice; the settings stay.
      const after = await inLab(page, async (lab) => {
        (lab.shadowRoot!.querySelector('[data-testid=url-problems] button') as HTMLButtonElement).click();
        await lab.updateComplete;
        return {
          notice: lab.shadowRoot!.querySelector('[data-testid=url-problems]') !== null,
          depth: (lab.shadowRoot!.querySelector('[name=depth]') as HTMLInputElement).value,
        };
      });
      expect(after).toEqual({ notice: false, depth: '20' });
    },
    RUN_TIMEOUT,
  );

  it('the loss chart draws always predicting the average target as a labelled reference line, and each summary compares with it', async () => {
    const r = await inLab(page, async (lab) => {
      const chart = lab.shadowRoot!.querySelector('[data-testid=loss-chart]') as unknown as HTMLElement & { updateComplete: Promise<unknown> };
      await chart.updateComplete;
      const line = chart.shadowRoot!.querySelector('line.reference');
      const runs = lab.ctl.runs as { result: { config: Record<string, unknown>; heldOutLoss: Float64Array } }[];
      return {
        config: runs[0].result.config,
        lastHeld: runs.map((x) => x.result.heldOutLoss[x.result.heldOutLoss.length - 1]),
        value: line ? Number(line.getAttribute('data-value')) : null,
        title: line?.querySelector('title')?.textContent ?? null,
        legend: chart.shadowRoot!.querySelector('svg')!.textContent!.includes('always predicting the average target (held-out loss)'),
        summaries: [...lab.shadowRoot!.querySelectorAll('[data-testid=train-summary] li')].map((li) => ({
          vs: li.getAttribute('data-vs-baseline'),
          text: li.textContent!.replace(/\s+/g, ' ').trim(),
        })),
        task: lab.shadowRoot!.querySelector('[data-testid=train-task]')?.textContent ?? '',
      };
    });
    // The baseline of the run's own task, computed here in Node (float64) from the same settings.
    const b = trainBaseline(r.config);
    expect(r.value).toBe(b.heldOut);
    expect(r.title).toBe(`always predicting the average target (held-out loss): ${Number(b.heldOut.toPrecision(4))}`);
    expect(r.legend).toBe(true);
    expect(r.summaries).toHaveLength(2);
    r.summaries.forEach((s, i) => {
      expect(s.vs).toBe(r.lastHeld[i] < b.heldOut ? 'below' : 'above');
      expect(s.text).toContain(`average target (${Number(b.heldOut.toPrecision(4))})`);
    });
    expect(r.task).toContain('teacher');
  });
});
