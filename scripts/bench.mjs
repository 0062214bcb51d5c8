// npm run bench [-- --preset full|quick|tiny --rounds N --only fma,matmul,copy,moments,norms --sweep-max-depth 128 --no-sweep
//   --no-tf --no-autotune --precise-timestamps]  (--only runs just those parts of the table, e.g. --only moments,copy,norms --no-sweep)
// Issue 5's benchmark, in headless Chromium with the tests' WebGPU flags (SwiftShader when there is no GPU):
// matmul GFLOP/s (our variants, the plain tiled kernel and tf.matMul), moments and norms GB/s (ours,
// tf.moments, a plain two-pass Σx²) against a vec4 copy kernel (bandwidth roof) and a register-only
// multiply-add loop (arithmetic roof), then the training row (SGD steps of a deep net, src/bench/training-bench.ts)
// and the Depth lab's default depth sweep. Each row is the median of
// several timed submissions after a warm-up, by GPU timestamps where offered (Chrome quantizes them to
// 100 µs unless --precise-timestamps adds --enable-webgpu-developer-features), else submit-to-done wall
// time; every row is checked against float64 and a failed check fails the run. All of it runs --rounds
// times in this one page, interleaved (round 1 of every row, then round 2, …); every ratio is taken within
// a round and reported as the median and min–max over rounds, and the targets are checked on the medians.
// Prints the tables, writes bench-results/bench.json (every round) and bench-results/roofline.svg. On
// SwiftShader these are CPU figures: compare the ratios within one run, not absolute numbers across machines.
// With --node the same rows run in Node on Dawn (`gradient-playground bench`, src/cli/bench.ts) instead, on
// SwiftShader's Vulkan driver or with --adapter default on the system's GPU; tf.js rows are left out there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './cli.mjs';
import { printBenchReport } from './bench-report.mjs';

const USAGE =
  'usage: npm run bench [-- --preset full|quick|tiny --rounds N --only fma,matmul,copy,moments,norms --sweep-max-depth 128\n' +
  '  --sweep-width 256 --sweep-batch 128 --no-sweep --no-training --no-tf --no-autotune --precise-timestamps --out FILE --node --adapter swiftshader|default]\n' +
  '  --rounds N   run every row N times in this one process (1..20; default 3 for full, 1 for tiny and quick),\n' +
  '               rounds interleaved; each ratio is taken within a round and reported as median (min–max)\n' +
  '  --out FILE   the JSON (every round recorded); the roofline chart goes to roofline.svg beside it\n' +
  '  --no-training  leave out the training row (full preset: depth 20, n = 256, m = 128, 100 SGD steps; its\n' +
  "               GFLOP/s over the same round's 256³ matmul rate, target ≥ 70 %)\n" +
  "  --node       run in Node on Dawn (the CLI's bench command) instead of headless Chromium; no tf.js rows there\n" +
  "  --adapter    with --node: swiftshader (CPU Vulkan driver, the default) or default (the system's GPU driver)";
const values = parseCli(
  {
    preset: { type: 'string', default: 'full' },
    only: { type: 'string', default: 'fma,matmul,copy,moments,norms' },
    'sweep-max-depth': { type: 'string', default: '128' },
    'sweep-width': { type: 'string', default: '256' },
    'sweep-batch': { type: 'string', default: '128' },
    'no-sweep': { type: 'boolean', default: false },
    'no-training': { type: 'boolean', default: false },
    'no-tf': { type: 'boolean', default: false },
    'no-autotune': { type: 'boolean', default: false },
    'precise-timestamps': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    out: { type: 'string', default: 'bench-results/bench.json' },
    node: { type: 'boolean', default: false },
    adapter: { type: 'string' },
  },
  USAGE,
);
const MAX_ROUNDS = 20;
// Full preset: 3 rounds unless told (a ratio from one run on a shared machine is not a claim); tiny and quick: 1.
const roundsText = values.rounds ?? (values.preset === 'full' ? '3' : '1');
const rounds = Number(roundsText);
if (!/^\d+$/.test(roundsText.trim()) || !Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) {
  console.error(`--rounds must be a whole number from 1 to ${MAX_ROUNDS}, got ${JSON.stringify(values.rounds)}\n${USAGE}`);
  process.exit(2);
}
const PARTS = ['fma', 'matmul', 'copy', 'moments', 'norms'];
const only = values.only
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean);
for (const p of only) {
  if (!PARTS.includes(p)) {
    console.error(`--only: unknown part '${p}'; choose from ${PARTS.join(', ')}`);
    process.exit(2);
  }
}
if (values.adapter !== undefined && !values.node) {
  console.error(`--adapter applies to --node only (headless Chromium picks its own adapter)\n${USAGE}`);
  process.exit(2);
}
if (values.node) {
  // The same plan through the CLI's bench command, in this terminal (its report says "Node (Dawn)").
  const cli = fileURLToPath(new URL('./gradient-playground.mjs', import.meta.url));
  const args = [
    'bench',
    '--preset',
    values.preset,
    '--rounds',
    String(rounds),
    '--only',
    only.join(','),
    '--sweep-max-depth',
    values['sweep-max-depth'],
    '--sweep-width',
    values['sweep-width'],
    '--sweep-batch',
    values['sweep-batch'],
    '--out',
    values.out,
    '--adapter',
    values.adapter ?? 'swiftshader',
  ];
  for (const flag of ['no-sweep', 'no-training', 'no-autotune']) if (values[flag]) args.push(`--${flag}`);
  if (values['precise-timestamps']) console.error('--precise-timestamps is a Chromium flag; ignored with --node');
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const RUNTIME = 'headless Chromium';
const { default: puppeteer } = await import('puppeteer');
const { WEBGPU_FLAGS } = await import('./chromium.mjs');
const { serve } = await import('./serve.mjs');
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
    console.log(
      `${elapsed()}: matmul autotune (${(tuning.ms / 1000).toFixed(1)} s) picked ${tuning.variant} ${JSON.stringify(tuning.constants)}; the "ours: auto" rows use it`,
    );
  }
  const roundRows = [];
  const sweeps = [];
  const trainings = [];
  for (let round = 1; round <= rounds; round++) {
    // Interleaved: every row of round 1, then of round 2, …, so a slow spell of the machine hits all rows alike.
    console.log(`${elapsed()}: round ${round} of ${rounds} …`);
    const { rows } = await page.evaluate((preset, withTf, parts) => window.bench.run(preset, withTf, parts), values.preset, !values['no-tf'], only);
    process.stderr.write('\n');
    roundRows.push(rows);
    if (!values['no-training']) {
      console.log(`${elapsed()}: round ${round}: training row …`);
      trainings.push(await page.evaluate((preset) => window.bench.training(preset), values.preset));
    }
    if (!values['no-sweep']) {
      console.log(`${elapsed()}: round ${round}: depth sweep L = 1..${sweepConfig.maxDepth}, n = ${sweepConfig.width}, m = ${sweepConfig.batch} …`);
      sweeps.push(await page.evaluate((c) => window.bench.sweep(c), sweepConfig));
    }
  }
  const a = info.adapter;
  const adapterLine = `${a.vendor} / ${a.architecture}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
  const { combined, rows, roofline, svg } = await page.evaluate(
    (r, s, t, preset, title) => window.bench.combine(r, s, t, preset, title),
    roundRows,
    sweeps.length ? sweeps.map((w) => w.gflops) : null,
    trainings.length ? trainings.map((t) => t.gflops) : null,
    values.preset,
    `Roofline, ${values.preset} preset, median of ${rounds} round${rounds > 1 ? 's' : ''} (${adapterLine}, headless Chromium)`,
  );
  // Every round is recorded; `rows` are the medians over rounds, `summary` the paired ratios' spreads.
  const json = {
    date: new Date().toISOString(),
    runtime: RUNTIME,
    preset: values.preset,
    only,
    parts: PARTS,
    rounds,
    preciseTimestamps: values['precise-timestamps'],
    info,
    tuning,
    rows,
    summary: combined,
    roofline,
    perRound: roundRows.map((r, i) => ({ round: i + 1, rows: r, training: trainings[i] ?? null, sweep: sweeps[i] ?? null })),
    totalSeconds: 0,
  };
  failed = printBenchReport(json);
  console.log(`total ${elapsed()}`);
  mkdirSync(dirname(values.out), { recursive: true });
  json.totalSeconds = (Date.now() - t0) / 1000;
  writeFileSync(values.out, JSON.stringify(json, null, 2));
  const svgOut = join(dirname(values.out), 'roofline.svg');
  writeFileSync(svgOut, svg);
  console.log(`wrote ${values.out} and ${svgOut}`);
} finally {
  await browser.close();
  await server.close();
}
if (failed) process.exit(1);
