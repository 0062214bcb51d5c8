// node scripts/bench-matmul.mjs — times every matmul variant (MATMUL_VARIANTS): 'tiled' (workgroup memory)
// for several tile shapes, 'direct' (registers only, scalar loads) and 'vec4' (registers, vec4 loads where
// shapes allow) for several micro-tiles, on the Depth lab's shapes and the square / batched ones,
// side by side in one run, and writes bench-results/matmul.json (with the autotune's pick when --tune). Figures on SwiftShader are CPU figures: read the ratios
// between rows, not the absolute GFLOP/s. Each cell is the best of ROUNDS runs, and the rounds cycle
// through every configuration, so a busy machine slows all rows alike instead of whichever ran last.
import { mkdirSync, writeFileSync } from 'node:fs';
import { withHarnessPage } from './serve.mjs';

const CONFIGS = [
  { variant: 'tiled', tileM: 64, tileN: 64, tileK: 16 }, // the tiled default: the 'vs tiled' baseline
  { variant: 'tiled', tileM: 32, tileN: 32, tileK: 16 },
  { variant: 'tiled', tileM: 32, tileN: 64, tileK: 8 },
  { variant: 'tiled', tileM: 16, tileN: 16, tileK: 16 },
  { variant: 'tiled', tileM: 16, tileN: 32, tileK: 32 },
  { variant: 'tiled', tileM: 8, tileN: 8, tileK: 32 },
  { variant: 'direct', microM: 16, microN: 16 }, // the direct default
  { variant: 'direct', microM: 8, microN: 16 },
  { variant: 'direct', microM: 16, microN: 8 },
  { variant: 'direct', microM: 8, microN: 8 },
  { variant: 'direct', microM: 4, microN: 4 },
  { variant: 'vec4', microM: 16, microN: 16 },
  { variant: 'vec4', microM: 8, microN: 16 },
  { variant: 'vec4', microM: 16, microN: 8 },
  { variant: 'vec4', microM: 8, microN: 8 },
];
const SHAPES = [
  { m: 128, n: 256, k: 256, transA: false, transB: true, name: 'forward Z = A·Wᵀ' },
  { m: 256, n: 256, k: 128, transA: true, transB: false, name: 'dW = dZᵀ·A' },
  { m: 128, n: 256, k: 256, transA: false, transB: false, name: 'dA = dZ·W' },
  { m: 256, n: 256, k: 256, transA: false, transB: false, name: '256×256×256' },
  { m: 64, n: 64, k: 64, batch: 64, transA: false, transB: false, name: 'batched 64 × 64×64×64' },
];
const TUNE = process.argv.includes('--tune');
const REPS = 5;
const ROUNDS = 3;

await withHarnessPage(async (page) => {
  const { adapter, auto, rows, tuning, variants } = await page.evaluate(
    async (CONFIGS, SHAPES, REPS, ROUNDS, TUNE) => {
      const { lib, ready } = window.gp;
      const adapter = await ready;
      const gpu = window.gp.gpu;
      const tuning = TUNE ? await lib.autotuneMatmul(gpu, { store: 'memory' }) : null;
      const kernels = [];
      for (const config of CONFIGS) kernels.push(await lib.createMatmulKernel(gpu, config));
      const auto = (await lib.createMatmulKernel(gpu)).variant;
      const inputs = SHAPES.map((s) => ({ a: lib.makeUniform((s.batch ?? 1) * s.m * s.k, 1), b: lib.makeUniform((s.batch ?? 1) * s.k * s.n, 2) }));
      const run = async (kernel, s, { a, b }) => {
        const batch = new lib.GpuBatch(gpu, 'bench.matmul', { timing: true });
        const ab = batch.upload('a', a);
        const bb = batch.upload('b', b);
        const c = batch.scratch('c', (s.batch ?? 1) * s.m * s.n * 4);
        for (let r = 0; r < REPS; r++) kernel.encode(batch, { a: ab, b: bb, c, ...s });
        const t0 = performance.now();
        await batch.submit();
        return { wall: performance.now() - t0, gpu: batch.timings.reduce((t, x) => t + x.ms, 0) };
      };
      const best = new Map();
      for (let round = 0; round < ROUNDS; round++) {
        for (const [ci, kernel] of kernels.entries()) {
          for (const [si, s] of SHAPES.entries()) {
            if (round === 0) await run(kernel, s, inputs[si]); // warm-up
            const t = await run(kernel, s, inputs[si]);
            const key = `${ci}/${si}`;
            if (!best.has(key) || t.wall < best.get(key).wall) best.set(key, t);
          }
        }
      }
      const rows = [];
      for (const [ci, kernel] of kernels.entries()) {
        const c = CONFIGS[ci];
        const config = c.variant === 'tiled' ? `${c.tileM}×${c.tileN}×${c.tileK}` : `${c.microM}×${c.microN} per invocation`;
        for (const [si, s] of SHAPES.entries()) {
          const { wall, gpu: gpuMs } = best.get(`${ci}/${si}`);
          const flop = 2 * (s.batch ?? 1) * s.m * s.n * s.k * REPS;
          rows.push({
            variant: kernel.variant,
            config,
            workgroup: `${kernel.tileM}×${kernel.tileN}`,
            shape: s.name,
            wallMs: wall,
            gpuMs,
            gflops: flop / (wall * 1e6),
          });
        }
      }
      return { adapter, auto, rows, tuning, variants: lib.MATMUL_VARIANTS };
    },
    CONFIGS,
    SHAPES,
    REPS,
    ROUNDS,
    TUNE,
  );
  for (const v of variants) console.log(`${v.name.padEnd(7)} ${v.file}: ${v.description}`);
  if (tuning) {
    console.log(`autotune picked ${tuning.variant} ${JSON.stringify(tuning.constants)}`);
    console.table(
      tuning.candidates.map((c) => ({ variant: c.variant, constants: JSON.stringify(c.constants), ms: c.ms === null ? 'rejected' : +c.ms.toFixed(2) })),
    );
  }
  const baseline = new Map(rows.filter((r) => r.variant === 'tiled' && r.config === '64×64×16').map((r) => [r.shape, r.gflops]));
  const best = Math.max(...rows.map((r) => r.gflops));
  console.log(`adapter: ${adapter.vendor} / ${adapter.architecture}${adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}; 'auto' picks '${auto}'`);
  console.log(`matmul, ${REPS} repetitions per cell, best of ${ROUNDS} rounds (SwiftShader = CPU figures; compare ratios)`);
  console.table(
    rows.map((r) => ({
      variant: r.variant,
      config: r.config,
      'C per workgroup': r.workgroup,
      shape: r.shape,
      'wall ms': +r.wallMs.toFixed(1),
      'GPU ms': +r.gpuMs.toFixed(1),
      'GFLOP/s': +r.gflops.toFixed(2),
      'vs tiled': +(r.gflops / baseline.get(r.shape)).toFixed(2),
      'vs best': +(r.gflops / best).toFixed(2),
    })),
  );
  // One line per shape: the best configuration of each variant and their ratio.
  const bestOf = (variant, shape) => rows.filter((r) => r.variant === variant && r.shape === shape).reduce((x, y) => (y.gflops > x.gflops ? y : x));
  console.table(
    SHAPES.map(({ name }) => {
      const [t, d, v] = [bestOf('tiled', name), bestOf('direct', name), bestOf('vec4', name)];
      return {
        shape: name,
        'best tiled': `${t.config}: ${t.gflops.toFixed(2)}`,
        'best direct': `${d.config}: ${d.gflops.toFixed(2)}`,
        'best vec4': `${v.config}: ${v.gflops.toFixed(2)}`,
        'direct / tiled': +(d.gflops / t.gflops).toFixed(2),
        'vec4 / direct': +(v.gflops / d.gflops).toFixed(2),
      };
    }),
  );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/matmul.json',
    JSON.stringify({ date: new Date().toISOString(), adapter, auto, reps: REPS, rounds: ROUNDS, tuning, rows }, null, 2),
  );
  console.log('wrote bench-results/matmul.json');
});
