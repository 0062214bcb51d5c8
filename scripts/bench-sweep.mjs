// npm run bench:sweep [-- --max-depth 128 --width 256 --batch 128]
// Runs the Depth lab's default depth sweep (L = 1..128, n = 256, m = 128) on WebGPU in headless Chromium,
// prints wall time and achieved GFLOP/s, a per-kernel GPU-time breakdown of the sweep's last chunk, and writes
// bench-results/sweep.json. On SwiftShader (no GPU) these are CPU figures: compare the ratios within a
// run, not the absolute numbers across machines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseCli } from './cli.mjs';
import { withHarnessPage } from './serve.mjs';

const values = parseCli(
  {
    'max-depth': { type: 'string', default: '128' },
    width: { type: 'string', default: '256' },
    batch: { type: 'string', default: '128' },
    out: { type: 'string', default: 'bench-results/sweep.json' },
  },
  'usage: npm run bench:sweep [-- --max-depth 128 --width 256 --batch 128 --out FILE]',
);
const maxDepth = Number(values['max-depth']);
const width = Number(values.width);
const batch = Number(values.batch);

await withHarnessPage(async (page) => {
  const result = await page.evaluate(
    async (maxDepth, width, batch) => {
      const { lib, ready } = window.gp;
      const summary = await ready;
      const gpu = window.gp.gpu;
      const base = { ...lib.DEFAULT_CONFIG, width, batch };
      const spec = { kind: 'depth', depths: lib.depthRange(1, maxDepth) };
      // Warm-up: compile every pipeline once so the sweep measures steady-state work.
      await lib.runDeepNet(gpu, { ...base, depth: 2 });
      const t0 = performance.now();
      let flops = 0;
      let aloneFlops = 0;
      let rows = 0;
      let gpuRowsMs = 0;
      for await (const row of lib.runSweep(gpu, { base, spec })) {
        flops += row.run.flops;
        aloneFlops += 6 * row.config.batch * row.config.width ** 2 * row.config.depth;
        gpuRowsMs += row.run.wallMs;
        rows++;
      }
      const wallMs = performance.now() - t0;
      // The sweep's last chunk again, timed pass by pass: where the GPU time goes, by kernel.
      const grid = lib.makeSweepGrid(base, spec);
      const chunks = lib.makeChunks(gpu, grid, true);
      const last = chunks[chunks.length - 1];
      // Untimed first (its wall time is what the sweep pays), then with timestamps: the GPU span from the first
      // pass's start to the last pass's end. Wall minus span is the submission's overhead outside the kernels
      // (encoding, submit, readback and map, IPC to the GPU process).
      const configs = last.map((i) => grid[i].config);
      const w0 = performance.now();
      await lib.runDeepNets(gpu, configs);
      const lastChunkWallMs = performance.now() - w0;
      const timedRuns = await lib.runDeepNets(gpu, configs, { timing: true });
      const timings = timedRuns[0].timings;
      const lastChunkGpuSpanMs = lib.gpuSpanMs(timings);
      const byKernel = Object.fromEntries(lib.sumByKernel(timings));
      const timedRows = `${grid[last[0]].label} … ${grid[last[last.length - 1]].label}`;
      return { summary, rows, wallMs, flops, aloneFlops, gpuRowsMs, timedRows, byKernel, passes: timings.length, lastChunkWallMs, lastChunkGpuSpanMs };
    },
    maxDepth,
    width,
    batch,
  );
  const gflops = result.flops / (result.wallMs * 1e6);
  const totalKernelMs = Object.values(result.byKernel).reduce((a, b) => a + b, 0);
  console.log(`Depth sweep L = 1..${maxDepth}, n = ${width}, m = ${batch} on ${result.summary.vendor}/${result.summary.architecture}`);
  console.log('(SwiftShader = CPU emulation: absolute figures are CPU figures; compare ratios within one run.)\n');
  console.table({
    sweep: {
      rows: result.rows,
      'wall s': +(result.wallMs / 1000).toFixed(2),
      'GFLOP done': +(result.flops / 1e9).toFixed(1),
      'GFLOP/s': +gflops.toFixed(2),
      'GFLOP if rows ran alone': +(result.aloneFlops / 1e9).toFixed(1),
      'effective GFLOP/s': +(result.aloneFlops / (result.wallMs * 1e6)).toFixed(2),
    },
  });
  if (totalKernelMs > 0) {
    console.log(
      `GPU time by kernel in the sweep's last chunk (${result.timedRows}, one submission, ${result.passes} passes; timestamp queries are quantized):`,
    );
    console.log(
      `The same chunk untimed: ${(result.lastChunkWallMs / 1000).toFixed(2)} s wall; timed, its GPU span (first pass start to last pass end) ` +
        `${(result.lastChunkGpuSpanMs / 1000).toFixed(2)} s: ${(100 * (1 - result.lastChunkGpuSpanMs / result.lastChunkWallMs)).toFixed(0)} % of the wall time outside the kernels.`,
    );
    console.table(
      Object.fromEntries(
        Object.entries(result.byKernel).map(([k, ms]) => [k, { 'GPU ms': +ms.toFixed(2), share: `${((100 * ms) / totalKernelMs).toFixed(1)}%` }]),
      ),
    );
  }
  mkdirSync('bench-results', { recursive: true });
  const json = {
    date: new Date().toISOString(),
    config: { maxDepth, width, batch },
    ...result,
    gflops,
    effectiveGflops: result.aloneFlops / (result.wallMs * 1e6),
  };
  writeFileSync(values.out, JSON.stringify(json, null, 2));
  console.log(`wrote ${values.out}`);
});
