// The command-line runner (src/cli, bin gradient-playground): --help, bad options (one line, exit 2, before
// any GPU is opened), and each command on small sizes through Dawn on SwiftShader's Vulkan driver, with its
// JSON and CSV compared with what the app's own export functions make of a float64 CPU run of the same
// settings (same structure, same text where no GPU number is involved, GPU numbers within f32 tolerance).
// The bundle is built once, into a temporary folder. Skipped, with the reason printed, only where Vulkan
// itself is missing (no libvulkan, or no SwiftShader ICD); CI installs both (.ci/run).
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldProblem } from '../../src/labs/depth/config';
import { runSweepCpu } from '../../src/labs/depth/cpu/deep-net-cpu';
import { CSV_COLUMNS, exportCsv, fromJsonNumber, makeDepthLabExport, type DepthLabExport } from '../../src/labs/depth/export';
import { draftFromState, parseDraft } from '../../src/labs/depth/form';
import { phaseMapSweep } from '../../src/labs/depth/phase-map';
import { makePhaseMapExport, phaseMapCsv, type PhaseMapExport } from '../../src/labs/depth/phase-map-view/export';
import { decodePhaseMapState, encodePhaseMapState } from '../../src/labs/depth/phase-map-view/url-state';
import type { SweepResult } from '../../src/labs/depth/sweep';
import { decodeState, encodeState } from '../../src/labs/depth/url-state';
import { makeDataset } from '../../src/labs/normalize/data';
import { runTrainingCpu } from '../../src/labs/training/cpu/train-cpu';
import { decodeTrainState, DEFAULT_TRAIN_LAB_STATE, encodeTrainState, TRAIN_RUN_PARAMS } from '../../src/labs/training/url-state';
import { TRAIN_COMMAND } from '../../src/cli/train';
import {
  makeNormalizeExport,
  normalizePathsCsv,
  normalizeSummaryCsv,
  summaryCsvColumns,
  type NormalizeLabExport,
  type NormalizeModeRun,
} from '../../src/labs/normalize/export';
import { modeLearningRate } from '../../src/labs/normalize/form';
import { gradientDescent, normalizeStudy } from '../../src/labs/normalize/study';
import { NORMALIZE_MODES } from '../../src/labs/normalize/types';
import { decodeNormalizeState, encodeNormalizeState } from '../../src/labs/normalize/url-state';

const ROOT = resolve(__dirname, '../..');
const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const LIBVULKAN = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];
function hasLibvulkan(): boolean {
  if (LIBVULKAN.some((p) => existsSync(p) || existsSync(p.replace(/^\/usr/, '')))) return true;
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes('libvulkan.so.1');
  } catch {
    return false;
  }
}
const vulkanMissing = !hasLibvulkan()
  ? 'libvulkan.so.1 is not installed (Debian: apt-get install libvulkan1; .ci/run does this)'
  : !existsSync(ICD)
    ? `SwiftShader's Vulkan ICD is missing at ${ICD} (Debian: apt-get install chromium)`
    : null;
if (vulkanMissing) console.warn(`[cli.test] GPU cases skipped: ${vulkanMissing}`);

// The bundle goes under dist/ (git-ignored) so its packages resolve from node_modules; the files the
// commands write go to a temporary folder, their working directory.
let dir = '';
let bundleDir = '';
let bundle = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gp-cli-test-'));
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  bundleDir = mkdtempSync(join(ROOT, 'dist', 'cli-test-'));
  bundle = join(bundleDir, 'main.js');
  await build({ root: ROOT, configFile: join(ROOT, 'vite.cli.config.ts'), logLevel: 'error', build: { outDir: bundleDir, sourcemap: false } });
}, 180_000);

afterAll(() => {
  for (const d of [dir, bundleDir]) if (d) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bundle, ...args], { cwd: dir, timeout: 170_000, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Dawn's Vulkan loader prints a harmless XDG_RUNTIME_DIR line; the CLI's own lines are the rest.
const ownLines = (stderr: string) => stderr.split('\n').filter((l) => l && !l.includes('XDG_RUNTIME_DIR'));

/** |got − ref| ≤ rtol·|ref| + atol, else a message naming where. */
function closeTo(got: number, ref: number, rtol: number, atol: number, where: string): string | null {
  if (Number.isNaN(ref) && Number.isNaN(got)) return null;
  return Math.abs(got - ref) <= rtol * Math.abs(ref) + atol ? null : `${where}: ${got} vs float64 ${ref}`;
}

describe('gradient-playground --help', () => {
  it('lists the five commands and the exit codes, exit 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['sweep', 'normalize', 'train', 'kernel-check', 'bench']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout).toContain('2 bad command line');
  });
  it("each command documents its options: sweep and normalize take exactly the labs' URL parameters", async () => {
    const sweep = await cli('sweep', '--help');
    expect(sweep.code).toBe(0);
    expect(sweep.stdout).toMatch(/^usage: gradient-playground sweep \[options\]/);
    for (const p of ['depth', 'width', 'batch', 'act', 'init', 'gain', 'seed', 'input', 'sweep', 'values', 'out', 'adapter', 'progress'])
      expect(sweep.stdout).toContain(`--${p} `);
    const normalize = await cli('normalize', '--help');
    expect(normalize.code).toBe(0);
    for (const p of ['m', 'ranges', 'noise', 'test', 'shift', 'seed', 'lrscale', 'lr', 'steps', 'tol', 'csv', 'target', 'out', 'paths'])
      expect(normalize.stdout).toContain(`--${p} `);
    const check = await cli('kernel-check', '--help');
    expect(check.stdout).toContain('--kernel LIST');
    const bench = await cli('bench', '--help');
    expect(bench.stdout).toContain('--rounds N');
    expect(bench.stdout).toContain('tf.js rows: not run in Node');
  });
  it("train's options are the Training lab's run parameters (its URL without stat, sel, scale) and --out", () => {
    const urlKeys = [...new URLSearchParams(encodeTrainState(DEFAULT_TRAIN_LAB_STATE)).keys()];
    expect([...TRAIN_RUN_PARAMS].sort()).toEqual(urlKeys.filter((k) => !['stat', 'sel', 'scale'].includes(k)).sort());
    expect(Object.keys(TRAIN_COMMAND.options).sort()).toEqual([...TRAIN_RUN_PARAMS, 'out'].sort());
  });
});

describe.concurrent('bad command lines: one line on stderr, exit 2, no GPU opened', () => {
  const cases: [string[], string][] = [
    [['sweep', '--nope'], "gradient-playground sweep: Unknown option '--nope' (see --help)"],
    [['sweep', '--depth', '0'], `gradient-playground sweep: --depth ${fieldProblem('depth', 0)} (see --help)`],
    [
      ['sweep', '--width', '2000', '--act', 'softmax'],
      `gradient-playground sweep: --width ${fieldProblem('width', 2000)}; --act ${fieldProblem('activation', 'softmax')} (see --help)`,
    ],
    [['sweep', '--sweep', 'width'], 'gradient-playground sweep: --sweep must be one of depth, gain, init; got "width" (see --help)'],
    [
      ['sweep', '--out', 'a.json', '--out', 'b.json'],
      'gradient-playground sweep: --out is given two .json files (a.json, b.json); give at most one per format (see --help)',
    ],
    [
      ['sweep', '--out', 'result.txt'],
      'gradient-playground sweep: --out "result.txt": the file name must end in .json or .csv (the format is chosen by the extension) (see --help)',
    ],
    [['sweep', '--adapter', 'metal'], 'gradient-playground sweep: --adapter must be swiftshader or default, got "metal" (see --help)'],
    [['sweep', 'extra'], "gradient-playground sweep: Unexpected argument 'extra'. This command does not take positional arguments (see --help)"],
    [['normalize', '--m', '5'], null as unknown as string],
    [
      ['normalize', '--csv', 'data.csv', '--m', '100'],
      'gradient-playground normalize: --m describes generated data and cannot be used with --csv (see --help)',
    ],
    [['normalize', '--csv', 'no-such-file.csv'], 'gradient-playground normalize: --csv no-such-file.csv: no such file (see --help)'],
    [['normalize', '--lrscale', 'fast'], null as unknown as string],
    [
      ['kernel-check', '--kernel', 'matmul,fft'],
      "gradient-playground kernel-check: --kernel: unknown kernel 'fft'; choose from matmul, moments, norms, elementwise, residual-sumsq (see --help)",
    ],
    [['bench', '--rounds', '0'], 'gradient-playground bench: --rounds must be a whole number from 1 to 20, got "0" (see --help)'],
    [['bench', '--preset', 'huge'], 'gradient-playground bench: --preset must be one of tiny, quick, full, got "huge" (see --help)'],
    [['bench', '--only', 'gemm'], "gradient-playground bench: --only: unknown part 'gemm'; choose from fma, matmul, copy, moments, norms (see --help)"],
    [['sweep', '--sweep', 'gain-depth', '--gains', '0.5,zz'], null as unknown as string],
    [
      ['sweep', '--sweep', 'gain-depth', '--depths', '1..300'],
      "gradient-playground sweep: --depths depths: item 1 ('1..300') gives 300 values; at most 256 are allowed in all (see --help)",
    ],
    [
      ['sweep', '--sweep', 'gain-depth', '--depth', '5', '--gain', '2'],
      'gradient-playground sweep: --depth, --gain are not used by --sweep gain-depth: give the grid as --gains LIST and --depths LIST (see --help)',
    ],
    [
      ['sweep', '--sweep', 'gain', '--values', '1', '--gains', '1'],
      'gradient-playground sweep: --gains belongs to --sweep gain-depth; other sweeps take --values (see --help)',
    ],
    [
      ['frobnicate'],
      "gradient-playground: unknown command 'frobnicate'; commands: sweep, normalize, train, kernel-check, bench (see gradient-playground --help) (see --help)",
    ],
    [['train', '--steps', '0'], null as unknown as string],
    [['train', '--optimizer', 'rmsprop'], null as unknown as string],
    [
      ['train', '--inits', 'he-normal:1,bogus'],
      'gradient-playground train: --inits "bogus" is not an init; use one of identity, normal, xavier-normal, xavier-uniform, he-normal, lecun-normal (see --help)',
    ],
    [['train', '--act', 'relu'], "gradient-playground train: Unknown option '--act' (see --help)"],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      const lines = ownLines(r.stderr);
      expect(lines).toHaveLength(1);
      if (message) expect(lines[0]).toBe(message);
      else expect(lines[0]).toMatch(new RegExp(`^gradient-playground ${args[0]}: --${args[args.length - 2].slice(2)} `));
      expect(r.stderr).not.toContain('adapter:');
      expect(r.stdout).toBe('');
    });
  }
  it("normalize --m 5 says what m allows, from the lab's own URL decoder", async () => {
    const r = await cli('normalize', '--m', '5');
    const { problems } = decodeNormalizeState('m=5');
    expect(ownLines(r.stderr)[0]).toContain(problems[0].message.replace(/; using the default.*$/, ''));
  });
  it('no command prints the help on stderr, exit 2', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: gradient-playground <command>');
  });
});

describe.skipIf(vulkanMissing !== null)('on Dawn + SwiftShader', () => {
  // Awkward sizes (7 wide, batch 3), a random init, tanh and a normal input: every layer's numbers differ.
  const sweepArgs = [
    '--values',
    '1..4',
    '--width',
    '7',
    '--batch',
    '3',
    '--act',
    'tanh',
    '--init',
    'xavier-normal',
    '--gain',
    '1.3',
    '--seed',
    '11',
    '--input',
    'normal',
  ];
  let cpuDoc: DepthLabExport;

  beforeAll(async () => {
    // The app's path for the same settings: the link's decoder, the form's parser, the CPU (float64) engine, the export.
    const query = 'v=1&values=1..4&width=7&batch=3&act=tanh&init=xavier-normal&gain=1.3&seed=11&input=normal';
    const state = parseDraft(draftFromState(decodeState(query).state)).state!;
    const sweep = { base: state.config, spec: state.sweep };
    const results: SweepResult[] = [];
    for await (const r of runSweepCpu(sweep)) results.push(r);
    cpuDoc = makeDepthLabExport({ sweep, results, device: null, outcome: 'complete', query: encodeState(state) });
  });

  /** Every per-layer value within f32 tolerance of the float64 run; everything else about the rows equal. */
  function expectRowsMatch(doc: DepthLabExport) {
    expect(doc.rows.map((r) => [r.index, r.label, r.sweepValue, r.config, r.lossStatus, r.status, r.prediction.actNorm])).toEqual(
      cpuDoc.rows.map((r) => [r.index, r.label, r.sweepValue, r.config, r.lossStatus, r.status, r.prediction.actNorm]),
    );
    const bad: string[] = [];
    doc.rows.forEach((row, i) => {
      const ref = cpuDoc.rows[i];
      for (const [q, values] of Object.entries(row.layers)) {
        const refValues = ref.layers[q as keyof typeof ref.layers].map(fromJsonNumber);
        const scale = Math.max(...refValues.map(Math.abs));
        values.forEach((v, l) => {
          const p = closeTo(fromJsonNumber(v), refValues[l], 1e-4, 1e-6 * scale, `${row.label} ${q}[${l + 1}]`);
          if (p) bad.push(p);
        });
      }
      const p = closeTo(fromJsonNumber(row.loss), fromJsonNumber(ref.loss), 1e-4, 0, `${row.label} loss`);
      if (p) bad.push(p);
    });
    expect(bad).toEqual([]);
  }

  it('sweep --out FILE.json --out FILE.csv writes the Depth lab export of the same settings (float64 within f32 tolerance) and its CSV', async () => {
    const r = await cli('sweep', ...sweepArgs, '--out', 'sweep.json', '--out', 'sweep.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^adapter: .*swiftshader.*fallback adapter/im);
    expect(r.stderr).toContain('wrote sweep.json and sweep.csv (4 of 4 rows, complete)');
    const doc = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as DepthLabExport;
    // Same document keys, and the same link, config, sweep and status meanings as the app's export.
    expect(Object.keys(doc)).toEqual(Object.keys(cpuDoc));
    expect(Object.keys(doc.rows[0])).toEqual(Object.keys(cpuDoc.rows[0]));
    expect([doc.format, doc.version, doc.query, doc.outcome, doc.rowsDone, doc.rowsTotal, doc.statuses, doc.config, doc.sweep]).toEqual([
      cpuDoc.format,
      cpuDoc.version,
      cpuDoc.query,
      cpuDoc.outcome,
      cpuDoc.rowsDone,
      cpuDoc.rowsTotal,
      cpuDoc.statuses,
      cpuDoc.config,
      cpuDoc.sweep,
    ]);
    expect(doc.device?.architecture).toBe('swiftshader');
    expectRowsMatch(doc);

    // The CSV of this run is exactly what the app's CSV button makes of its JSON …
    const csv = readFileSync(join(dir, 'sweep.csv'), 'utf8');
    expect(csv).toBe(exportCsv(doc));
    // … and line by line the float64 run's CSV, values within f32 tolerance.
    const got = csv.trimEnd().split('\n');
    const want = exportCsv(cpuDoc).trimEnd().split('\n');
    expect(got[0]).toBe(CSV_COLUMNS.join(','));
    expect(got).toHaveLength(want.length);
    const value = CSV_COLUMNS.indexOf('value');
    const bad: string[] = [];
    for (let i = 1; i < want.length; i++) {
      const g = got[i].split(',');
      const w = want[i].split(',');
      expect([...g.slice(0, value), ...g.slice(value + 1)], `line ${i + 1}`).toEqual([...w.slice(0, value), ...w.slice(value + 1)]);
      const p = closeTo(Number(g[value]), Number(w[value]), 1e-4, 1e-6, `line ${i + 1}`);
      if (p) bad.push(p);
    }
    expect(bad).toEqual([]);
  });

  it('sweep without --out prints one line per row; --progress draws the bar on a non-terminal stderr', async () => {
    const r = await cli('sweep', '--sweep', 'gain', '--values', '0.5,2', '--depth', '3', '--width', '5', '--batch', '2', '--progress');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^gain=0\.5 /);
    expect(lines[2]).toMatch(/^gain=2 /);
    expect(r.stderr).toMatch(/sweep \[[█░]+\] 2\/2 \| 0 s left/);
  });

  it("sweep --sweep gain-depth writes the phase map export of the same grid: float64 within f32 tolerance, the app's CSV", async () => {
    const args = [
      '--gains',
      '2,0.5,1',
      '--depths',
      '1..6',
      '--width',
      '7',
      '--batch',
      '3',
      '--act',
      'relu',
      '--init',
      'he-normal',
      '--seed',
      '5',
      '--input',
      'normal',
    ];
    const r = await cli('sweep', '--sweep', 'gain-depth', ...args, '--out', 'pm.json', '--out', 'pm.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('wrote pm.json and pm.csv (3 of 3 gains, complete)');
    const { state } = decodePhaseMapState('sweep=gain-depth&gains=2,0.5,1&depths=1..6&width=7&batch=3&act=relu&init=he-normal&seed=5&input=normal');
    const runs = [];
    for await (const row of runSweepCpu(phaseMapSweep(state.base.config, state.spec))) runs.push(row.run);
    const ref = makePhaseMapExport({ config: state.base.config, spec: state.spec, runs, outcome: 'complete', query: encodePhaseMapState(state) });
    const doc = JSON.parse(readFileSync(join(dir, 'pm.json'), 'utf8')) as PhaseMapExport;
    expect(Object.keys(doc)).toEqual(Object.keys(ref));
    expect([doc.format, doc.query, doc.gains, doc.depths, doc.config, doc.forward.status, doc.backward.status, doc.forward.predictedGain]).toEqual([
      ref.format,
      ref.query,
      ref.gains,
      ref.depths,
      ref.config,
      ref.forward.status,
      ref.backward.status,
      1,
    ]);
    const bad: string[] = [];
    for (const q of ['forward', 'backward'] as const) {
      doc[q].log10Ratio.forEach((row, g) =>
        row.forEach((v, d) => {
          const p = closeTo(fromJsonNumber(v), fromJsonNumber(ref[q].log10Ratio[g][d]), 0, 1e-4, `${q}[gain ${doc.gains[g]}, depth ${doc.depths[d]}]`);
          if (p) bad.push(p);
        }),
      );
    }
    expect(bad).toEqual([]);
    expect(readFileSync(join(dir, 'pm.csv'), 'utf8')).toBe(phaseMapCsv(doc));
  });

  it('sweep --sweep gain-depth marks cells past f32 with their status; without --out it prints the crossings per depth', async () => {
    // Both runs sweep identity nets (W = gain·I, linear, width 3, batch 2) over their own gains and depths.
    const identitySweep = (gains: string, depths: string, ...more: string[]) =>
      cli(
        'sweep',
        '--sweep',
        'gain-depth',
        '--gains',
        gains,
        '--depths',
        depths,
        '--width',
        '3',
        '--batch',
        '2',
        '--act',
        'linear',
        '--init',
        'identity',
        ...more,
      );
    const r = await identitySweep('0.5,2,1000', '1,12,13,20', '--out', 'big.json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'big.json'), 'utf8')) as PhaseMapExport;
    // identity nets: forward ratio L·log10(gain) exactly; 1000^13·‖a[0]‖ ≥ 1e38 overflows f32, and the layers after it are lost.
    expect(doc.forward.log10Ratio[1][3] as number).toBeCloseTo(20 * Math.log10(2), 4);
    expect(doc.forward.log10Ratio[2][1] as number).toBeCloseTo(12 * 3, 3);
    expect(doc.forward.status[2]).toEqual(['finite', 'finite', 'overflow', 'lost']);
    expect(doc.forward.log10Ratio[2].slice(2)).toEqual(['NaN', 'NaN']);
    for (const g of doc.forward.measuredGain) expect(g!).toBeCloseTo(1, 5);
    const p = await identitySweep('0.5,2', '1,4');
    expect(p.code, p.stderr).toBe(0);
    const lines = p.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^predicted critical gain: 1 \(identity, linear, n = 3\)/);
    expect(lines.slice(2).map((l) => l.trim().split(/\s+/))).toEqual([
      // at depth 1 the backward ratio is ‖∂J/∂a[1]‖/‖∂J/∂a[1]‖ = 1 at every gain: the first gain is where it is 1
      ['1', '1', '0.5'],
      ['4', '1', '1'],
    ]);
  });

  it("train writes the Training lab export: every init's losses and per-layer series match the float64 engine", async () => {
    const args = [
      '--depth',
      '3',
      '--width',
      '5',
      '--batch',
      '4',
      '--activation',
      'tanh',
      '--steps',
      '6',
      '--evalEvery',
      '3',
      '--trainSize',
      '16',
      '--heldOutSize',
      '8',
      '--seed',
      '2',
      '--inits',
      'he-normal:1,xavier-normal:1.3',
    ];
    const r = await cli('train', ...args, '--out', 'tr.json', '--out', 'tr.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('wrote tr.json and tr.csv (2 of 2 inits)');
    const { state } = decodeTrainState(
      'depth=3&width=5&batch=4&activation=tanh&steps=6&evalEvery=3&trainSize=16&heldOutSize=8&seed=2&inits=he-normal:1,xavier-normal:1.3',
    );
    const doc = JSON.parse(readFileSync(join(dir, 'tr.json'), 'utf8')) as {
      kind: string;
      url: string;
      runs: {
        init: string;
        gain: number;
        config: unknown;
        completedSteps: number;
        trainLoss: number[];
        trainLossStatus: string[];
        layers: Record<string, { values: number[] }>;
      }[];
    };
    expect([doc.kind, doc.url]).toEqual(['gradient-playground/training-lab', encodeTrainState(state)]);
    expect(doc.runs.map((x) => [x.init, x.gain, x.completedSteps])).toEqual([
      ['he-normal', 1, 6],
      ['xavier-normal', 1.3, 6],
    ]);
    const bad: string[] = [];
    for (const [i, choice] of state.inits.entries()) {
      const ref = await runTrainingCpu({ ...state.config, init: choice.init, gain: choice.gain });
      expect(doc.runs[i].config).toEqual(ref.config);
      doc.runs[i].trainLoss.forEach((v, t) => {
        const p = closeTo(v, ref.trainLoss[t], 1e-3, 1e-7, `${choice.init} trainLoss[${t}]`);
        if (p) bad.push(p);
      });
      doc.runs[i].layers.gradWNorm.values.forEach((v, k) => {
        const p = closeTo(v, ref.layers.gradWNorm[k], 1e-3, 1e-7, `${choice.init} gradWNorm[${k}]`);
        if (p) bad.push(p);
      });
    }
    expect(bad).toEqual([]);
    const csv = readFileSync(join(dir, 'tr.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('init,gain,step,layer,quantity,value,status');
    expect(csv).toContain(`he-normal,1,0,,trainLoss,${doc.runs[0].trainLoss[0]},finite`);
    expect(csv).toContain(`xavier-normal,1.3,5,,trainLoss,${doc.runs[1].trainLoss[5]},finite`);
  });

  it("normalize writes the Normalization lab export: the four modes match the float64 engine; the paths CSV is the app's", async () => {
    const opts = ['--m', '300', '--ranges', '1:1000,0:1,-5:5', '--seed', '4', '--shift', '0.5', '--steps', '40'];
    const r = await cli('normalize', ...opts, '--out', 'normalize.json', '--out', 'summary.csv', '--paths', 'paths.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('wrote normalize.json and summary.csv and paths.csv');
    const doc = JSON.parse(readFileSync(join(dir, 'normalize.json'), 'utf8')) as NormalizeLabExport;
    // The same run through the app's CPU engine and export.
    const { state } = decodeNormalizeState('m=300&ranges=1:1000,0:1,-5:5&seed=4&shift=0.5&steps=40');
    const d = state.data;
    const dataset = makeDataset({ m: d.m, ranges: d.ranges, noise: d.noise, testFraction: d.testFraction, testShift: d.testShift, seed: d.seed });
    const runs: NormalizeModeRun[] = [];
    for (const mode of NORMALIZE_MODES) {
      const study = await normalizeStudy(null, dataset, { mode });
      const lr = modeLearningRate(state.lrScale, state.lr, study.maxStableLr);
      runs.push({ mode, study, lr, descent: await gradientDescent(null, study, { lr, steps: state.steps, tol: state.tol }) });
    }
    const settings = { lrScale: state.lrScale, lr: state.lr, steps: state.steps, tol: state.tol };
    const ref = makeNormalizeExport({ dataset, runs, settings, backend: 'cpu', query: encodeNormalizeState(state) });
    expect(Object.keys(doc)).toEqual(Object.keys(ref));
    expect([doc.format, doc.query, doc.backend, doc.dataset, doc.settings]).toEqual([ref.format, ref.query, 'gpu', ref.dataset, ref.settings]);
    expect(doc.modes.map((m) => [m.mode, m.label, m.outcome])).toEqual(ref.modes.map((m) => [m.mode, m.label, m.outcome]));
    const bad: string[] = [];
    doc.modes.forEach((m, i) => {
      const w = ref.modes[i];
      const num = (x: unknown) => fromJsonNumber(x as never);
      for (const k of ['mu', 'sigma', 'trainMu', 'trainDivisor', 'testMu', 'testDivisor'] as const) {
        m[k].forEach((v, j) => {
          const p = closeTo(num(v), num(w[k][j]), 1e-4, 1e-5 * num(w.sigma[j]), `${m.mode} ${k}[${j}]`);
          if (p) bad.push(p);
        });
      }
      for (const [k, rtol] of [
        ['kappa', 1e-3],
        ['maxStableLr', 1e-4],
        ['lr', 1e-4],
      ] as const) {
        const p = closeTo(num(m[k]), num(w[k]), rtol, 0, `${m.mode} ${k}`);
        if (p) bad.push(p);
      }
      const p = closeTo(num(m.optimum.trainCost), num(w.optimum.trainCost), 1e-4, 0, `${m.mode} J*`);
      if (p) bad.push(p);
      expect(Math.abs((m.steps ?? 0) - (w.steps ?? 0)), `${m.mode}: steps ${m.steps} vs ${w.steps}`).toBeLessThanOrEqual(1);
    });
    expect(bad).toEqual([]);
    // The CSVs of this very run are exactly what the app's CSV and Paths buttons make of its JSON.
    expect(readFileSync(join(dir, 'paths.csv'), 'utf8')).toBe(normalizePathsCsv(doc));
    const summary = readFileSync(join(dir, 'summary.csv'), 'utf8');
    expect(summary).toBe(normalizeSummaryCsv(doc));
    const lines = summary.trimEnd().split('\n');
    expect(lines[0]).toBe(summaryCsvColumns(3).join(','));
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([...NORMALIZE_MODES]);
  });

  it('normalize --csv studies a file: its columns, the target, the split from --test and --seed', async () => {
    const rows = ['size,rooms,price'];
    for (let i = 0; i < 40; i++) rows.push(`${500 + 37 * i},${1 + (i % 5)},${1000 + 3 * (500 + 37 * i) + 50 * (1 + (i % 5)) + (i % 3)}`);
    writeFileSync(join(dir, 'houses.csv'), rows.join('\n') + '\n');
    const r = await cli('normalize', '--csv', 'houses.csv', '--target', 'price', '--test', '0.25', '--steps', '20', '--out', 'houses.json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'houses.json'), 'utf8')) as NormalizeLabExport;
    expect(doc.query).toBeNull();
    expect(doc.dataset.source).toEqual({ kind: 'csv', fileName: 'houses.csv', rows: 40 });
    expect([doc.dataset.featureNames, doc.dataset.targetName, doc.dataset.trainRows, doc.dataset.testRows]).toEqual([['size', 'rooms'], 'price', 30, 10]);
    const bad = await cli('normalize', '--csv', 'houses.csv', '--target', 'cost');
    expect(bad.code).toBe(2);
    expect(ownLines(bad.stderr)).toEqual([
      'gradient-playground normalize: --csv houses.csv: --target: no column is named "cost"; the columns are size, rooms, price (see --help)',
    ]);
  });

  it('kernel-check runs the checks against float64 and writes them as JSON', async () => {
    const r = await cli('kernel-check', '--kernel', 'moments', '--out', 'check.json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^All \d+ cases pass$/m);
    const doc = JSON.parse(readFileSync(join(dir, 'check.json'), 'utf8'));
    expect(doc.format).toBe('gradient-playground/kernel-check');
    expect(doc.results.length).toBeGreaterThan(0);
    expect(doc.results.every((x: { kernel: string; ok: boolean }) => x.kernel === 'moments' && x.ok)).toBe(true);
  });

  it("kernel-check --adapter default takes the system's Vulkan driver: it runs where that driver offers a GPU, else one line saying what to install, exit 1", async () => {
    const r = await cli('kernel-check', '--kernel', 'moments', '--adapter', 'default');
    if (r.code === 0) {
      expect(r.stdout).toMatch(/^All \d+ cases pass$/m);
    } else {
      // Without a GPU (this machine, CI): Dawn's own warnings may come first; the CLI's line is the last.
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(ownLines(r.stderr).filter((l) => l.startsWith('gradient-playground'))).toEqual([
        "gradient-playground kernel-check: no WebGPU adapter: Dawn found no GPU through the system's Vulkan driver (requestAdapter() returned null); install the GPU vendor's Vulkan driver (vulkaninfo lists what Vulkan sees), or use --adapter swiftshader to run on the CPU",
      ]);
    }
  });

  it('bench runs the rows in rounds in Node, says so, and records every round with the roofline', async () => {
    const r = await cli('bench', '--preset', 'tiny', '--only', 'copy', '--no-sweep', '--rounds', '2', '--out', 'bench/bench.json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('runtime: Node (Dawn)');
    expect(r.stdout).toContain('tf.js rows: not run in Node');
    const doc = JSON.parse(readFileSync(join(dir, 'bench/bench.json'), 'utf8'));
    expect([doc.runtime, doc.rounds, doc.perRound.length, doc.info.adapter.architecture]).toEqual(['Node (Dawn)', 2, 2, 'swiftshader']);
    expect(doc.rows.length).toBeGreaterThan(0);
    expect(
      doc.perRound.every((p: { rows: { verification: { ok: boolean } }[] }) => p.rows.length === doc.rows.length && p.rows.every((x) => x.verification.ok)),
    ).toBe(true);
    expect(readFileSync(join(dir, 'bench/roofline.svg'), 'utf8')).toContain('<svg');
    // The training row runs every round (tiny: depth 4, n = 32, m = 16, 12 SGD steps), timed after its first
    // submission and checked against float64; without the matmul rows there is no ratio and no target.
    for (const p of doc.perRound) {
      expect(p.training).toMatchObject({
        config: { depth: 4, width: 32, batch: 16, steps: 12 },
        steps: 12,
        timedSteps: 8,
        checkedSteps: 3,
        ok: true,
        problem: '',
      });
      expect(p.training.gflops).toBeGreaterThan(0);
      expect(p.training.stepsPerSecond).toBeGreaterThan(0);
      expect(p.training.flop).toBe(8 * p.training.flopPerStep);
      expect(p.training.maxRelError).toBeLessThan(1e-3);
      expect(p.training.lastLoss).toBeLessThan(p.training.firstLoss);
      expect(p.training.flopCounted).toContain('Not counted');
    }
    expect(doc.summary.trainingReference).toBe('64×64×64');
    expect(doc.summary.targets.some((t: { kernel: string }) => t.kernel === 'training')).toBe(false);
    expect(r.stdout).toContain('Training row: depth 4, n = 32, m = 16, 12 SGD steps');
  });
});

describe('npm run bench --node', () => {
  it('--adapter without --node is refused (Chromium picks its own adapter), exit 2', async () => {
    const r = await promisify(execFile)(process.execPath, ['scripts/bench.mjs', '--adapter', 'default'], { cwd: ROOT }).catch((e) => e);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--adapter applies to --node only/);
  });
});
