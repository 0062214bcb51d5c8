// npm run bench [-- --preset full|quick|tiny --only fma,matmul,copy,moments,norms --sweep-max-depth 128 --no-sweep --no-tf --no-autotune
//   --precise-timestamps]  (--only runs just those parts of the table, e.g. --only moments,copy,norms --no-sweep)
// Issue 5's benchmark, in headless Chromium with the tests' WebGPU flags (SwiftShader when there is no GPU),
// one run on one device: matmul GFLOP/s (our variants, the plain tiled kernel and tf.matMul), moments and
// norms GB/s (ours, tf.moments, a plain two-pass Σx²) against a vec4 copy kernel (bandwidth roof) and a
// register-only multiply-add loop (arithmetic roof), then the Depth lab's default depth sweep. Each row is
// the median of several timed submissions after a warm-up, by GPU timestamps where offered (Chrome
// quantizes them to 100 µs unless --precise-timestamps adds --enable-webgpu-developer-features), else
// submit-to-done wall time; every row is checked against float64 and a failed check fails the run.
// Prints the tables and writes bench-results/bench.json. On SwiftShader these are CPU figures: compare the
// ratios within one run, not absolute numbers across machines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCli } from './cli.mjs';
import puppeteer from 'puppeteer';
import { WEBGPU_FLAGS } from './chromium.mjs';
import { serve } from './serve.mjs';

const values = parseCli(
  {
    preset: { type: 'string', default: 'full' },
    only: { type: 'string', default: 'fma,matmul,copy,moments,norms' },
    'sweep-max-depth': { type: 'string', default: '128' },
    'sweep-width': { type: 'string', default: '256' },
    'sweep-batch': { type: 'string', default: '128' },
    'no-sweep': { type: 'boolean', default: false },
    'no-tf': { type: 'boolean', default: false },
    'no-autotune': { type: 'boolean', default: false },
    'precise-timestamps': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results/bench.json' },
  },
  'usage: npm run bench [-- --preset full|quick|tiny --only fma,matmul,copy,moments,norms --sweep-max-depth 128\n' +
    '  --sweep-width 256 --sweep-batch 128 --no-sweep --no-tf --no-autotune --precise-timestamps --out FILE]',
);
const PARTS = ['fma', 'matmul', 'copy', 'moments', 'norms'];
const only = values.only.split(',').map((p) => p.trim()).filter(Boolean);
for (const p of only) {
  if (!PARTS.includes(p)) {
    console.error(`--only: unknown part '${p}'; choose from ${PARTS.join(', ')}`);
    process.exit(2);
  }
}
const sweepConfig = { maxDepth: Number(values['sweep-max-depth']), width: Number(values['sweep-width']), batch: Number(values['sweep-batch']) };

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const server = await serve();
const args = values['precise-timestamps'] ? [...WEBGPU_FLAGS, '--enable-webgpu-developer-features'] : WEBGPU_FLAGS;
const browser = await puppeteer.launch({ headless: true, args, protocolTimeout: 3_600_000 });
let failed = false;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('[page]', e));
  page.on('console', (m) => {
    if (m.text().startsWith('[bench]')) process.stderr.write(`\r\x1b[K${elapsed()} ${m.text()}`);
    else if (m.type() === 'error') console.error('[page console]', m.text());
  });
  await page.goto(`${server.baseUrl}/scripts/bench-page.html`);
  await page.waitForFunction(() => 'bench' in window, { timeout: 120_000 });
  const info = await page.evaluate(() => window.bench.init());
  let tuning = null;
  if (!values['no-autotune'] && only.includes('matmul')) {
    tuning = await page.evaluate(() => window.bench.autotune());
    console.log(`${elapsed()}: matmul autotune (${(tuning.ms / 1000).toFixed(1)} s) picked ${tuning.variant} ${JSON.stringify(tuning.constants)}; the "ours: auto" rows use it`);
  }
  const { rows, summary } = await page.evaluate((preset, withTf, parts) => window.bench.run(preset, withTf, parts), values.preset, !values['no-tf'], only);
  process.stderr.write('\n');
  const a = info.adapter;
  console.log(`\nadapter: ${a.vendor} / ${a.architecture}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}; timestamps: ${a.hasTimestamps ? 'yes' : 'no'}; tfjs backend: ${info.tfBackend}`);
  console.log(`preset ${values.preset}${only.length < PARTS.length ? ` (only ${only.join(', ')})` : ''}; each row: median of the timed runs after warm-up; "method" says how it was timed.`);
  console.log('On SwiftShader (no GPU) every figure is a CPU figure: compare ratios within this run, not across machines.\n');
  const fmt = (x, d = 2) => (Number.isFinite(x) ? +x.toFixed(d) : '—');
  console.table(
    rows.map((r) => ({
      kernel: r.group,
      impl: r.impl,
      shape: r.shape,
      rate: `${fmt(r.rate, r.rate < 1 ? 3 : 2)} ${r.metric}`,
      'ms (median)': fmt(r.ms, 3),
      method: r.method,
      'wall ms': fmt(r.wallMs, 1),
      check: r.verification.ok ? '✓' : `✗ ${r.verification.how}`,
    })),
  );
  const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '—');
  const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
  console.log(`Roofs: FMA loop ${fmt(summary.fmaRoof)} GFLOP/s; copy ${summary.copyRoof.map(([n, r]) => `${n >= 2 ** 20 ? `${n / 2 ** 20}M` : `${n / 1024}K`} floats: ${fmt(r)} GB/s`).join(', ')}`);
  console.table(
    summary.lines.map((l) => ({
      kernel: l.kernel,
      shape: l.shape,
      ours: `${fmt(l.ours)} ${l.metric}${l.best ? ` (${l.best})` : ''}`,
      ...(l.kernel === 'matmul' ? { 'plain tiled': fmt(l.tiled ?? NaN) } : {}),
      other: l.other !== undefined ? `${l.otherName} ${fmt(l.other)}` : l.baseline !== undefined ? `two-pass Σx² ${fmt(l.baseline, 4)}` : '—',
      'ours/tfjs': x(l.oursOverOther),
      'tiled/tfjs': l.kernel === 'matmul' ? x(l.tiledOverOther ?? NaN) : '',
      'ours/roof': l.kernel === 'matmul' ? `${pct(l.oursOverRoof)} of FMA` : `${x(l.oursOverRoof)} copy`,
      'ours/plain Σx²': l.oursOverBaseline !== undefined ? x(l.oursOverBaseline) : '',
    })),
  );
  console.log('Targets (issue 5; ratios within this run):');
  for (const t of summary.targets) console.log(`  ${t.met ? '✓' : '✗'} ${t.target}: ${t.goal < 1 ? pct(t.value) : x(t.value)}`);
  if (!summary.allVerified) {
    failed = true;
    for (const r of summary.failed) console.error(`FAILED float64 check: ${r.impl} ${r.shape}: ${r.verification.how}, max rel. error ${r.verification.maxRelError}`);
  }

  let sweep = null;
  if (!values['no-sweep']) {
    console.log(`\n${elapsed()}: depth sweep L = 1..${sweepConfig.maxDepth}, n = ${sweepConfig.width}, m = ${sweepConfig.batch} …`);
    sweep = await page.evaluate((c) => window.bench.sweep(c), sweepConfig);
    console.table({
      sweep: {
        rows: sweep.rows,
        'wall s': fmt(sweep.wallMs / 1000),
        'GFLOP done': fmt(sweep.flop / 1e9, 1),
        'GFLOP/s': fmt(sweep.gflops),
        'float64 check': `${sweep.ok ? '✓' : '✗'} depths ${sweep.checkedDepths.join(', ')} (max rel. error ${sweep.maxRelError.toExponential(1)})`,
      },
    });
    if (!sweep.ok) {
      failed = true;
      console.error('FAILED float64 check of the depth sweep');
    }
  }
  console.log(`total ${elapsed()}`);
  mkdirSync(dirname(values.out), { recursive: true });
  const json = { date: new Date().toISOString(), preset: values.preset, preciseTimestamps: values['precise-timestamps'], info, tuning, rows, summary, sweep, totalSeconds: (Date.now() - t0) / 1000 };
  writeFileSync(values.out, JSON.stringify(json, null, 2));
  console.log(`wrote ${values.out}`);
} finally {
  await browser.close();
  await server.close();
}
if (failed) process.exit(1);
