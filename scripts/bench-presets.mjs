// npm run bench:presets [-- --size auto|small|full --only he-relu,xavier-relu --out FILE]
// Runs every Depth-lab preset as the lab does (runSweep on WebGPU in headless Chromium; on a machine without
// a GPU that is SwiftShader, so these are CPU timings) and prints, per preset, the time to its first row and to
// its end, then writes bench-results/presets.json. `--size auto` (the default) runs the size the lab picks for
// this adapter: small on a software adapter, full on a GPU. Pipelines are built by a warm-up row first, as
// they are once per page in the app, and that warm-up time is reported on its own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCli } from './cli.mjs';
import { withHarnessPage } from './serve.mjs';

const usage = 'usage: npm run bench:presets [-- --size auto|small|full --only ID,ID --out FILE]';
const values = parseCli(
  {
    size: { type: 'string', default: 'auto' },
    only: { type: 'string', default: '' },
    out: { type: 'string', default: 'bench-results/presets.json' },
  },
  usage,
);
if (!['auto', 'small', 'full'].includes(values.size)) {
  console.error(`--size must be auto, small or full, got ${JSON.stringify(values.size)}\n${usage}`);
  process.exit(2);
}
const only = values.only ? values.only.split(',').map((s) => s.trim()) : [];

await withHarnessPage(async (page) => {
  const result = await page.evaluate(
    async (sizeOption, only) => {
      const { lib, ready } = window.gp;
      const summary = await ready;
      const gpu = window.gp.gpu;
      const size = sizeOption === 'auto' ? lib.presetSizeFor({ softwareAdapter: lib.isSoftwareAdapter(gpu.summary), cpuFallback: false }) : sizeOption;
      const unknown = only.filter((id) => !lib.findPreset(id));
      if (unknown.length) throw new Error(`unknown preset ${unknown.join(', ')}; known: ${lib.PRESETS.map((p) => p.id).join(', ')}`);
      const rows = [];
      for (const p of lib.PRESETS) {
        if (only.length && !only.includes(p.id)) continue;
        const run = lib.presetRun(p, size);
        // Warm-up: the pipelines of this activation and width (built once per page in the app).
        const w0 = performance.now();
        await lib.runDeepNet(gpu, { ...run.config, depth: 2 });
        const warmupMs = performance.now() - w0;
        const t0 = performance.now();
        let firstRowMs = NaN;
        let count = 0;
        let flops = 0;
        for await (const row of lib.runSweep(gpu, { base: run.config, spec: run.sweep })) {
          if (count === 0) firstRowMs = performance.now() - t0;
          count++;
          flops += row.run.flops;
        }
        const totalMs = performance.now() - t0;
        rows.push({ id: p.id, title: p.title, size, width: run.config.width, batch: run.config.batch, rows: count, warmupMs, firstRowMs, totalMs, flops });
      }
      return { summary, size, rows };
    },
    values.size,
    only,
  );
  const adapter = `${result.summary.vendor} ${result.summary.architecture} ${result.summary.description}`.trim();
  console.log(`adapter: ${adapter}${result.summary.isFallbackAdapter ? ' (fallback adapter)' : ''}; preset size: ${result.size}`);
  console.log('times are wall-clock in the page; on a software adapter they are CPU timings');
  const pad = (s, n) => String(s).padEnd(n);
  const padl = (s, n) => String(s).padStart(n);
  console.log(
    `${pad('preset', 14)} ${pad('size', 6)} ${padl('n', 4)} ${padl('m', 4)} ${padl('rows', 5)} ${padl('warm-up s', 10)} ${padl('first row s', 12)} ${padl('total s', 8)}`,
  );
  for (const r of result.rows) {
    console.log(
      `${pad(r.id, 14)} ${pad(r.size, 6)} ${padl(r.width, 4)} ${padl(r.batch, 4)} ${padl(r.rows, 5)} ${padl((r.warmupMs / 1000).toFixed(2), 10)} ${padl((r.firstRowMs / 1000).toFixed(2), 12)} ${padl((r.totalMs / 1000).toFixed(1), 8)}`,
    );
  }
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify({ when: new Date().toISOString(), ...result }, null, 2));
  console.log(`wrote ${values.out}`);
});
