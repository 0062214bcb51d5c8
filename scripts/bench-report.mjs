// The benchmark's printed report, shared by the Chromium run (scripts/bench.mjs) and the Node (Dawn) run
// (`gradient-playground bench`, src/cli/bench.ts): the rows with their spread over rounds, the roofs, the
// paired ratios, the depth sweep and the targets, all read from the JSON document both write.

/**
 * Prints the report of `doc` (the bench JSON: runtime, info, tuning, preset, only, rounds, rows, summary,
 * perRound) with `log` / `table` / `error` (console's by default). Returns true when a float64 check failed.
 */
export function printBenchReport(doc, out = console) {
  const { rounds, preset, only, parts } = doc;
  const combined = doc.summary;
  const rows = doc.rows;
  const roundRows = doc.perRound.map((r) => r.rows);
  const sweeps = doc.perRound.map((r) => r.sweep).filter(Boolean);
  const trainings = doc.perRound.map((r) => r.training).filter(Boolean);
  const a = doc.info.adapter;
  const adapterLine = `${a.vendor} / ${a.architecture}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
  out.log(`\nruntime: ${doc.runtime}; adapter: ${adapterLine}; timestamps: ${a.hasTimestamps ? 'yes' : 'no'}; tfjs backend: ${doc.info.tfBackend ?? 'none'}`);
  if (doc.tfNote) out.log(doc.tfNote);
  out.log(
    `preset ${preset}${only.length < parts.length ? ` (only ${only.join(', ')})` : ''}; ${rounds} round${rounds > 1 ? 's' : ''}, interleaved; each row per round: median of the timed runs after warm-up; "method" says how it was timed.`,
  );
  out.log('Rates below: median over rounds (min–max). Ratios: taken within each round (paired), then median (min–max).');
  out.log('On SwiftShader (no GPU) every figure is a CPU figure: compare ratios within this run, not across machines.\n');
  const fmt = (x, d = 2) => (Number.isFinite(x) ? +x.toFixed(d) : '—');
  const rateOf = (v) => fmt(v, v < 1 ? 3 : 2);
  const rangeOf = (vals, f) => {
    const v = vals.filter(Number.isFinite);
    return v.length > 1 ? ` (${f(Math.min(...v))}–${f(Math.max(...v))})` : '';
  };
  const key = (r) => (r.impl === 'FMA roof' ? 'FMA roof' : `${r.group}|${r.impl}|${r.shape}`);
  out.table(
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
  const copyRoofs = rows
    .filter((r) => r.impl.startsWith('copy'))
    .map((r) => `${r.floats >= 2 ** 20 ? `${r.floats / 2 ** 20}M` : `${r.floats / 1024}K`} floats: ${fmt(r.rate)} GB/s`);
  out.log(`Roofs: FMA loop ${spreadOf(combined.fmaRoof, fmt)} GFLOP/s; copy ${copyRoofs.join(', ') || '—'}`);
  out.table(
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
  let failed = false;
  const failedRows = roundRows.flatMap((rr, i) => rr.filter((r) => !r.verification.ok).map((r) => ({ round: i + 1, r })));
  if (trainings.length) {
    const t = trainings[0].config;
    out.log(
      `Training row: depth ${t.depth}, n = ${t.width}, m = ${t.batch}, ${t.steps} SGD steps (He + ReLU, seed 1, lr ${t.lr}), ${t.chunk} steps per submission; ` +
        `rates over the ${trainings[0].timedSteps} steps after the first submission. FLOPs counted ${trainings[0].flopCounted}`,
    );
    const ref = combined.trainingReference ?? '256³';
    out.table(
      Object.fromEntries(
        trainings.map((tr, i) => [
          `round ${i + 1}`,
          {
            'steps/s': fmt(tr.stepsPerSecond),
            'GFLOP/s': fmt(tr.gflops),
            [`/ ${ref} matmul`]: pct(combined.trainingOverMatmul?.values[i]),
            'wall s (whole run)': fmt(tr.wallMs / 1000),
            loss: `${fmt(tr.firstLoss, 4)} → ${fmt(tr.lastLoss, 4)}`,
            'float64 check': `${tr.ok ? '✓' : `✗ ${tr.problem}`} first ${tr.checkedSteps} steps' loss and ‖∂J/∂W[l]‖ (max rel. error ${tr.maxRelError.toExponential(1)})`,
          },
        ]),
      ),
    );
    out.log(`training / ${ref} matmul rate of the same round: ${spreadOf(combined.trainingOverMatmul, pct)}`);
  }
  if (sweeps.length) {
    out.table(
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
    out.log(`depth sweep / 256³ matmul rate of the same round: ${spreadOf(combined.sweepOverMatmul, pct)}`);
  }
  out.log(`Targets (median of the ${rounds} rounds' paired ratios, min–max in brackets):`);
  for (const t of combined.targets) {
    const f = t.goal < 1 ? pct : x;
    out.log(`  ${t.met ? '✓' : '✗'} ${t.target}: ${f(t.value)}${t.n > 1 ? ` (${f(t.min)}–${f(t.max)})` : ''}`);
  }
  for (const { round, r } of failedRows) {
    failed = true;
    out.error(`FAILED float64 check (round ${round}): ${r.impl} ${r.shape}: ${r.verification.how}, max rel. error ${r.verification.maxRelError}`);
  }
  for (const [i, tr] of doc.perRound.map((r) => r.training).entries()) {
    if (!tr || tr.ok) continue;
    failed = true;
    out.error(`FAILED float64 check of the training row (round ${i + 1}): ${tr.problem}`);
  }
  for (const [i, sw] of sweeps.entries()) {
    if (sw.ok) continue;
    failed = true;
    out.error(`FAILED float64 check of the depth sweep (round ${i + 1})`);
  }
  return failed;
}
