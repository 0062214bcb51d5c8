import { afterAll, beforeAll, it } from 'vitest';
import { openHarness, type HarnessPage } from '../helpers/browser';
let h: HarnessPage;
beforeAll(async () => { h = await openHarness(); await h.page.evaluate(`import('/src/kernels/norms.ts').then((m) => { window.gpNorms = m; })`); });
afterAll(() => h?.close());
it('probe', async () => {
  const r = await h.page.evaluate(async () => {
    const { gpu } = window.gp;
    const m = (window as any).gpNorms;
    const out: unknown[] = [];
    out.push(Array.from(await m.l2Norms(gpu!, new Float32Array([3, 4, 1e30, 1e30, 1e-40, 1e-40]), [0, 2, 2, 4, 6])));
    for (const S of [70000]) {
      const x = new Float32Array(S * 2).fill(1);
      const offs = Uint32Array.from({ length: S + 1 }, (_, i) => 2 * i);
      const t0 = performance.now();
      const n = await m.l2Norms(gpu!, x, offs);
      out.push([S, performance.now() - t0, n[0], n[S - 1]]);
    }
    {
      const x = new Float32Array(1_000_000).fill(1);
      const t0 = performance.now();
      const n = await m.l2Norms(gpu!, x, [0, x.length]);
      out.push([performance.now() - t0, n[0]]);
    }
    return out;
  });
  console.log(JSON.stringify(r));
});
