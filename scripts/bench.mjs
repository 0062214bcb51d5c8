// npm run bench [-- --preset full|quick|tiny --rounds N --only fma,matmul,copy,moments,norms --sweep-max-depth 128 --no-sweep
//   --no-tf --no-autotune --precise-timestamps]  (--only runs just those parts of the table, e.g. --only moments,copy,norms --no-sweep)
// Issue 5's benchmark, in headless Chromium with the tests' WebGPU flags (SwiftShader when there is no GPU):
// matmul GFLOP/s (our variants, the plain tiled kernel and tf.matMul), moments and norms GB/s (ours,
// tf.moments, a plain two-pass Σx²) against a vec4 copy kernel (bandwidth roof) and a register-only
// multiply-add loop (arithmetic roof), then the Depth lab's default depth sweep. Each row is the median of
// several timed submissions after a warm-up, by GPU timestamps where offered (Chrome quantizes them to
// 100 µs unless --precise-timestamps adds --enable-webgpu-developer-features), else submit-to-done wall
// time; every row is checked against float64 and a failed check fails the run. All of it runs --rounds
// times in this one page, interleaved (round 1 of every row, then round 2, …); every ratio is taken within
// a round and reported as the median and min–max over rounds, and the targets are checked on the medians.
// Prints the tables, writes bench-results/bench.json (every round) and bench-results/roofline.svg. On
// SwiftShader these are CPU figures: compare the ratios within one run, not absolute numbers across machines.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCli } from './cli.mjs';
import puppeteer from 'puppeteer';
import { WEBGPU_FLAGS } from './chromium.mjs';
import { serve } from './serve.mjs';

const USAGE =
  'usage: npm run bench [-- --preset full|quick|tiny --rounds N --only fma,matmul,copy,moments,norms --sweep-max-depth 128\n' +
  '  --sweep-width 256 --sweep-batch 128 --no-sweep --no-tf --no-autotune --precise-timestamps --out FILE]\n' +
  '  --rounds N   run every row N times in this one process (1..20; default 3 for full, 1 for tiny and quick),\n' +
  '               rounds interleaved; each ratio is taken within a round and reported as median (min–max)\n' +
  '  --out FILE   the JSON (every round recorded); the roofline chart goes to roofline.svg beside it';
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
    rounds: { type: 'string' },
    out: { type: 'string', default: 'bench-results/bench.json' },
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
  const roundRows = [];
  const sweeps = [];
  for (let round = 1; round <= rounds; round++) {
    // Interleaved: every row of round 1, then of round 2, …, so a slow spell of the machine hits all rows alike.
    console.log(`${elapsed()}: round ${round} of ${rounds} …`);
    const { rows } = await page.evaluate((preset, withTf, parts) => window.bench.run(preset, withTf, parts), values.preset, !values['no-tf'], only);
    process.stderr.write('\n');
    roundRows.push(rows);
    if (!values['no-sweep']) {
      console.log(`${elapsed()}: round ${round}: depth sweep L = 1..${sweepConfig.maxDepth}, n = ${sweepConfig.width}, m = ${sweepConfig.batch} …`);
      sweeps.push(await page.evaluate((c) => window.bench.sweep(c), sweepConfig));
    }
  }
  const a = info.adapter;
  const adapterLine = `${a.vendor} / ${a.architecture}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
  const { combined, rows, roofline, svg } = await page.evaluate(
    (r, s, title) => window.bench.combine(r, s, title),
    roundRows,
    sweeps.length ? sweeps.map((w) => w.gflops) : null,
    `Roofline, ${values.preset} preset, median of ${rounds} round${rounds > 1 ? 's' : ''} (${adapterLine})`,
  );
  console.log(`\nadapter: ${adapterLine}; timestamps: ${a.hasTimestamps ? 'yes' : 'no'}; tfjs backend: ${info.tfBackend}`);
  console.log(`preset ${values.preset}${only.length < PARTS.length ? ` (only ${only.join(', ')})` : ''}; ${rounds} round${rounds > 1 ? 's' : ''}, interleaved; each row per round: median of the timed runs after warm-up; "method" says how it was timed.`);
  console.log('Rates below: median over rounds (min–max). Ratios: taken within each round (paired), then median (min–max).');
  console.log('On SwiftShader (no GPU) every figure is a CPU figure: compare ratios within this run, not across machines.\n');
  const fmt = (x, d = 2) => (Number.isFinite(x) ? +x.toFixed(d) : '—');
  const rateOf = (v) => fmt(v, v < 1 ? 3 : 2);
  const rangeOf = (vals, f) => {
    const v = vals.filter(Number.isFinite);
    return v.length > 1 ? ` (${f(Math.min(...v))}–${f(Math.max(...v))})` : '';
  };
  const key = (r) => (r.impl === 'FMA roof' ? 'FMA roof' : `${r.group}|${r.impl}|${r.shape}`);
  console.table(
    rows.map((r) => {
      const all = roundRows.flatMap((rr) => rr.filter((x) => key(x) === key(r)).map((x) => x.rate));
      return {
        kernel: r.group,
        impl: r.impl,
        shape: r.impl === 'FMA roof' ? `${r.shape.replace(/ \(.*\)$/, '')} (all points of the run)` : r.shape,
        rate: `${rateOf(r.rate)}${rangeOf(all, rateOf)} ${r.metric}`,
        'ms (median)': fmt(r.ms, 3),
        method: r.method,
        check: r.verification.ok ? '✓' : `✗ ${r.verification.how}`,
      };
    }),
  );
  const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : '—');
  const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
  const spreadOf = (pr, f) => (pr ? `${f(pr.spread.median)}${pr.spread.n > 1 ? ` (${f(pr.spread.min)}–${f(pr.spread.max)})` : ''}` : '');
  const copyRoofs = rows.filter((r) => r.impl.startsWith('copy')).map((r) => `${r.floats >= 2 ** 20 ? `${r.floats / 2 ** 20}M` : `${r.floats / 1024}K`} floats: ${fmt(r.rate)} GB/s`);
  console.log(`Roofs: FMA loop ${spreadOf(combined.fmaRoof, fmt)} GFLOP/s; copy ${copyRoofs.join(', ') || '—'}`);
  console.table(
    combined.lines.map((l) => {
      const bests = [...new Set(l.best.filter(Boolean))];
      return {
        kernel: l.kernel,
        shape: l.shape,
        ours: `${spreadOf(l.ours, fmt)} ${l.metric}${bests.length ? ` (${bests.join(' / ')})` : ''}`,
        other: l.otherName ? `${l.otherName} ${spreadOf(l.other, fmt)}` : '—',
        'ours/tfjs': spreadOf(l.ratios.oursOverOther, x) || '—',
        'tiled/tfjs': l.kernel === 'matmul' ? spreadOf(l.ratios.tiledOverOther, x) || '—' : '',
        'ours/roof': l.kernel === 'matmul' ? `${spreadOf(l.ratios.oursOverRoof, pct)} of FMA` : `${spreadOf(l.ratios.oursOverRoof, x)} copy`,
        'ours/plain Σx²': spreadOf(l.ratios.oursOverBaseline, x),
      };
    }),
  );
  const failedRows = roundRows.flatMap((rr, i) => rr.filter((r) => !r.verification.ok).map((r) => ({ round: i + 1, r })));
  if (sweeps.length) {
    console.table(
      Object.fromEntries(
        sweeps.map((sw, i) => [
          `round ${i + 1}`,
          {
            rows: sw.rows,
            'wall s': fmt(sw.wallMs / 1000),
            'GFLOP/s': fmt(sw.gflops),
            'sweep / 256³ matmul': pct(combined.sweepOverMatmul?.values[i]),
            'float64 check': `${sw.ok ? '✓' : '✗'} depths ${sw.checkedDepths.join(', ')} (max rel. error ${sw.maxRelError.toExponential(1)})`,
          },
        ]),
      ),
    );
    console.log(`depth sweep / 256³ matmul rate of the same round: ${spreadOf(combined.sweepOverMatmul, pct)}`);
  }
  console.log(`Targets (median of the ${rounds} rounds' paired ratios, min–max in brackets):`);
  for (const t of combined.targets) {
    const f = t.goal < 1 ? pct : x;
    console.log(`  ${t.met ? '✓' : '✗'} ${t.target}: ${f(t.value)}${t.n > 1 ? ` (${f(t.min)}–${f(t.max)})` : ''}`);
  }
  for (const { round, r } of failedRows) {
    failed = true;
    console.error(`FAILED float64 check (round ${round}): ${r.impl} ${r.shape}: ${r.verification.how}, max rel. error ${r.verification.maxRelError}`);
  }
  for (const [i, sw] of sweeps.entries()) {
    if (sw.ok) continue;
    failed = true;
    console.error(`FAILED float64 check of the depth sweep (round ${i + 1})`);
  }
  console.log(`total ${elapsed()}`);
  mkdirSync(dirname(values.out), { recursive: true });
  // Every round is recorded; `rows` are the medians over rounds, `summary` the paired ratios' spreads.
  const json = {
    date: new Date().toISOString(), preset: values.preset, rounds, preciseTimestamps: values['precise-timestamps'], info, tuning,
    rows, summary: combined, roofline,
    perRound: roundRows.map((r, i) => ({ round: i + 1, rows: r, sweep: sweeps[i] ?? null })),
    totalSeconds: (Date.now() - t0) / 1000,
  };
  writeFileSync(values.out, JSON.stringify(json, null, 2));
  const svgOut = join(dirname(values.out), 'roofline.svg');
  writeFileSync(svgOut, svg);
  console.log(`wrote ${values.out} and ${svgOut}`);
} finally {
  await browser.close();
  await server.close();
}
if (failed) process.exit(1);
