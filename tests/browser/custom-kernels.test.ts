// Issue 13, item 4, in real WebGPU (Chromium, SwiftShader here), through window.gp.lib: a matmul edit that
// is wrong only at the labs' shape (n = k = 256) passes Verify's own nine shapes and is caught by the labs'
// shapes; a kernel that runs for seconds is stopped by the watchdog (short limit here) with a clear message;
// Cancel stops Verify between cases. Own browser context: nothing reaches other tests' pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer';
import { openOwnContext, type OwnContextPage } from '../helpers/browser';
import { readShaderModule } from '../helpers/shader-module';

let own: OwnContextPage;
let page: Page;

beforeAll(async () => {
  own = await openOwnContext({ harness: true });
  page = own.page;
});

afterAll(() => own?.close());

const DIRECT = readShaderModule('shaders/matmul-direct.wgsl');
const STORE = 'c[base_c + row * n + col] = params.alpha * blk[j][i];';
// Right everywhere except where n = k = 256 (the Depth lab's default width): there it writes 0.
const WRONG_AT_256 = DIRECT.replace(STORE, 'c[base_c + row * n + col] = select(params.alpha * blk[j][i], 0.0, n == 256u && k == 256u);');
// Right everywhere, but on a 1×1·1×1 product it first spins for SPINS dependent steps (seconds on a CPU adapter).
const SPINS = 'SPINS';
const SLOW_AT_1 = DIRECT.replace(
  '  let k = params.k;\n',
  `  let k = params.k;\n  var spin = 0.0;\n  let spins = select(0u, ${SPINS}u, m == 1u && n == 1u && k == 1u);\n  for (var t = 0u; t < spins; t++) { spin = spin * 0.999 + 1.0; }\n`,
).replace(STORE, 'c[base_c + row * n + col] = select(params.alpha * blk[j][i], spin, spin < 0.0);');

describe('Verify and the labs’ shapes', () => {
  it('passes an edit wrong only at n = k = 256 on its own nine shapes, and fails it on the Depth lab’s shapes', async () => {
    expect(WRONG_AT_256).not.toBe(DIRECT);
    const out = await page.evaluate(async (code) => {
      const { lib, gpu } = window.gp;
      const k = lib.findKernel('matmul-direct')!;
      const lab = lib.labSettingsFromQueries(null, null);
      const own = await lib.verifyKernel(gpu!, k, code);
      const withLab = await lib.verifyKernel(gpu!, k, code, { lab });
      return { own, withLab, summary: lib.summarizeVerify(withLab), lab };
    }, WRONG_AT_256);
    expect(out.lab.depth.width).toBe(256);
    expect(out.own.ok).toBe(true);
    expect(out.own.total).toBe(9);
    expect(out.withLab.ok).toBe(false);
    expect(out.withLab.cases.slice(0, 9).every((c) => c.ok)).toBe(true);
    const failed = out.withLab.cases.filter((c) => !c.ok);
    // Z = A·Wᵀ and dA = dZ·W have n = k = 256; dW (k = batch = 128) and the Normalization lab's XᵀX do not.
    expect(failed.map((c) => c.shape)).toEqual([
      'Depth lab (width 256, batch 128): Z = A·Wᵀ, 128×256 · 256×256, Bᵀ',
      'Depth lab (width 256, batch 128): dA = dZ·W, 2 × (128×256 · 256×256), W shared',
    ]);
    expect(failed.every((c) => c.lab && c.firstBad === 0 && c.got === 0 && c.expected !== 0)).toBe(true);
    expect(out.summary).toMatch(
      /^2 of \d+ shapes fail\. First failing shape: Depth lab \(width 256, batch 128\): Z = A·Wᵀ.* first mismatch at index 0 \(C\[0, 0\]\)/,
    );
    // The built-in passes the same list (the lab shapes' references and tolerances are right).
    const builtIn = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const k = lib.findKernel('matmul-direct')!;
      return lib.verifyKernel(gpu!, k, k.code, { lab: lib.labSettingsFromQueries(null, null) });
    });
    expect(builtIn.ok).toBe(true);
    expect(builtIn.cases.filter((c) => c.lab).length).toBeGreaterThanOrEqual(4);
  });

  it('the built-in moments, norms and elementwise kernels pass their lab shapes', async () => {
    const out = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const lab = lib.labSettingsFromQueries('width=64&batch=33&act=tanh', 'm=3000&test=0.2');
      const res: Record<string, { ok: boolean; lab: number; bad: string[] }> = {};
      for (const id of ['moments', 'norms', 'elementwise']) {
        const k = lib.findKernel(id)!;
        const r = await lib.verifyKernel(gpu!, k, k.code, { lab });
        res[id] = {
          ok: r.ok,
          lab: r.cases.filter((c) => c.lab).length,
          bad: r.cases.filter((c) => !c.ok).map((c) => `${c.shape}: ${c.error ?? c.firstBadAt}`),
        };
      }
      return res;
    });
    for (const [id, r] of Object.entries(out)) {
      expect(r.bad, id).toEqual([]);
      expect(r.ok, id).toBe(true);
      expect(r.lab, id).toBeGreaterThan(0);
    }
  });
});

describe('the watchdog and Cancel', () => {
  it('stops Verify on a kernel that does not finish within the limit, says so, and calls onTimeout', async () => {
    const code = SLOW_AT_1.replace(SPINS, '50000000'); // seconds on SwiftShader (≈ 50–100 ns a step)
    const out = await page.evaluate(async (code) => {
      const { lib, gpu } = window.gp;
      const k = lib.findKernel('matmul-direct')!;
      // Build the pipeline first, so the limit is spent on the kernel itself, not on compiling it.
      await lib.createMatmulKernel(gpu!, { variant: 'direct', code });
      let timeouts = 0;
      const report = await lib.verifyKernel(gpu!, k, code, { timeLimitMs: 250, onTimeout: () => timeouts++ });
      // Let the spinning submission finish before the next test uses the device.
      await gpu!.device.queue.onSubmittedWorkDone();
      return { report, timeouts, summary: lib.summarizeVerify(report) };
    }, code);
    expect(out.timeouts).toBe(1);
    expect(out.report.ok).toBe(false);
    expect(out.report.cases).toHaveLength(1);
    expect(out.report.cases[0]).toMatchObject({ shape: '1×1 · 1×1', ok: false, timedOut: true });
    expect(out.report.cases[0].error).toMatch(/^Your kernel did not finish within 0\.25 s on this shape .*it may loop forever here\. Verify stopped\.$/);
    expect(out.report.timedOut).toEqual({ shape: '1×1 · 1×1', limitMs: 250, notRun: 8 });
    expect(out.summary).toBe('Your kernel did not finish within 0.25 s on 1×1 · 1×1; Verify stopped there (8 shapes not run).');
  }, 400_000);

  it('the same slow kernel passes when the limit is long enough (the watchdog judged time, not the result)', async () => {
    const out = await page.evaluate(
      async (code) => {
        const { lib, gpu } = window.gp;
        const k = lib.findKernel('matmul-direct')!;
        const r = await lib.verifyKernel(gpu!, k, code, { timeLimitMs: 120_000 });
        return { ok: r.ok, total: r.total };
      },
      SLOW_AT_1.replace(SPINS, '1500000'),
    );
    expect(out).toEqual({ ok: true, total: 9 });
  });

  it('Cancel stops Verify between cases', async () => {
    const out = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const k = lib.findKernel('matmul-direct')!;
      const abort = new AbortController();
      let seen = 0;
      try {
        await lib.verifyKernel(gpu!, k, k.code, {
          signal: abort.signal,
          onCase: (done) => {
            seen = done.length;
            if (done.length === 2) abort.abort(new DOMException('Cancelled by the user', 'AbortError'));
          },
        });
        return { threw: null, seen };
      } catch (err) {
        return { threw: (err as Error).name, seen };
      }
    });
    expect(out).toEqual({ threw: 'AbortError', seen: 2 });
  });

  it('Cancel stops Time between submissions, and a cancelled Time reports nothing', async () => {
    const out = await page.evaluate(async () => {
      const { lib, gpu } = window.gp;
      const k = lib.findKernel('matmul-direct')!;
      const abort = new AbortController();
      // Cancelled right after it starts: the check before the next submission stops it.
      const running = lib.timeKernel(gpu!, k, k.code, { signal: abort.signal, reps: 50 });
      abort.abort(new DOMException('Cancelled by the user', 'AbortError'));
      try {
        await running;
        return 'finished';
      } catch (err) {
        return (err as Error).name;
      }
    });
    expect(out).toBe('AbortError');
  });
});
