// The Normalization lab's DOM-free session: state of a run (progress, result, error, cancel), what stays on
// screen when a run fails or is cancelled, device-loss recovery through an injected recovery, and the CSV
// file's loading (errors and cancel keep the data loaded before).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors';
import type { GpuContext } from '../../src/gpu/context';
import { DeviceLossInjector } from '../../src/gpu/debug';
import { GpuDeviceLostError } from '../../src/gpu/errors';
import { parseCsv, type CsvTable } from '../../src/labs/normalize/csv-parser';
import type { CsvLoad } from '../../src/labs/normalize/csv-load';
import { makeDataset } from '../../src/labs/normalize/data';
import { LAB_LIMITS, defaultLabState, draftFromState, parseLabDraft, type LabDraft } from '../../src/labs/normalize/form';
import { LabDataset, descentSettingsOf, runBlocked } from '../../src/labs/normalize/inputs';
import {
  CsvSession,
  NormalizeSession,
  type DescentSettings,
  type NormalizeEngine,
  type NormalizeJob,
  type RunRecovery,
} from '../../src/labs/normalize/session';
import { gradientDescent, normalizeStudy } from '../../src/labs/normalize/study';
import { NORMALIZE_MODES } from '../../src/labs/normalize/types';
import type { OverrideGuard } from '../../src/playground/override-guard';

const dataset = makeDataset({ m: 120, seed: 3 });
const settings: DescentSettings = { lrScale: 'relative', lr: 0.5, steps: 200, tol: 1e-6 };
const full = (over: Partial<Extract<NormalizeJob, { kind: 'full' }>> = {}): NormalizeJob => ({
  kind: 'full',
  gpu: null,
  dataset,
  settings,
  query: 'q=1',
  f32Warnings: [],
  ...over,
});
const noLoss = () => new DeviceLossInjector({ loseDeviceAfterRow: null, loseDeviceTimes: 1 });
const quietGuard = (): OverrideGuard => ({ files: [], switchOff: () => null });

/** A recovery that never sees a loss (CPU runs): recover rethrows. */
const idleRecovery = (): RunRecovery & { begun: number } => ({
  begun: 0,
  begin() {
    this.begun++;
  },
  ensureLive: async (gpu) => gpu,
  recover: async (_gpu, err) => {
    throw err;
  },
});

function session(
  engine?: Partial<NormalizeEngine>,
  recovery: RunRecovery = idleRecovery(),
  extra: { onGpu?: (g: GpuContext) => void; guard?: () => OverrideGuard } = {},
) {
  const seen: { running: boolean; done: number; total: number }[] = [];
  const s: NormalizeSession = new NormalizeSession({
    recovery,
    onChange: () => seen.push({ running: s.running, done: s.stage.done, total: s.stage.total }),
    injector: noLoss(),
    guard: extra.guard ?? quietGuard,
    onGpu: extra.onGpu,
    engine: { normalizeStudy, gradientDescent, ...engine },
  });
  return { s, seen };
}

/** A study that waits until its signal aborts (a long GPU step). */
const hangingStudy: NormalizeEngine['normalizeStudy'] = (_gpu, _ds, { signal }) =>
  new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason), { once: true }));

describe('NormalizeSession: a run on the CPU', () => {
  it('goes idle → running → complete, counts 4 studies + 4 descents, and shows the same numbers as the engine', async () => {
    const { s, seen } = session();
    expect(s.shown).toBeNull();
    const p = s.run(full());
    expect(s.running).toBe(true);
    const run = await p;
    expect(run).not.toBeNull();
    expect(s.running).toBe(false);
    expect(s.shown).toBe(run);
    expect(s.progress).toBe('');
    expect(s.runError).toBeNull();
    expect(s.stage).toEqual({ done: 8, total: 8 });
    expect(seen[0].running).toBe(true);
    expect(seen[seen.length - 1]).toEqual({ running: false, done: 8, total: 8 });
    // Progress is monotone.
    for (let i = 1; i < seen.length; i++) expect(seen[i].done).toBeGreaterThanOrEqual(seen[i - 1].done);
    expect(run!.backend).toBe('cpu');
    expect(run!.query).toBe('q=1');
    expect(run!.runs.map((r) => r.mode)).toEqual([...NORMALIZE_MODES]);
    const ref = await normalizeStudy(null, dataset, { mode: 'raw' });
    expect(run!.runs[0].study.kappa).toBe(ref.kappa);
    // Relative scale: each mode runs at 0.5 × its own 2/λmax.
    for (const r of run!.runs) expect(r.lr).toBeCloseTo(0.5 * r.study.maxStableLr, 12);
  });

  it('a descent-only job reuses the studies of the run on screen and counts 4 stages', async () => {
    const { s } = session();
    const first = (await s.run(full()))!;
    let studies = 0;
    const { s: s2 } = session({ normalizeStudy: async (...a) => (studies++, normalizeStudy(...a)) });
    const next = (await s2.run({ kind: 'descent', base: first, gpu: null, settings: { ...settings, lr: 0.25 } }))!;
    expect(studies).toBe(0);
    expect(s2.stage).toEqual({ done: 4, total: 4 });
    expect(next.runs.map((r) => r.study)).toEqual(first.runs.map((r) => r.study));
    expect(next.studyMs).toBe(first.studyMs);
    expect(next.settings.lr).toBe(0.25);
    expect(next.query).toBe(first.query);
  });

  it('exportDoc: null before a run; the device only for a GPU run', async () => {
    const { s } = session();
    expect(s.exportDoc(null)).toBeNull();
    await s.run(full());
    const doc = s.exportDoc({ vendor: 'x' } as never)!;
    expect(doc.backend).toBe('cpu');
    expect(doc.device).toBeNull();
  });
});

describe('NormalizeSession: cancel, errors and replaced runs keep what was on screen', () => {
  it('cancel: the run resolves null, says cancelled (no error) and the previous results stay', async () => {
    let hang = false;
    const { s } = session({ normalizeStudy: (...a) => (hang ? hangingStudy(...a) : normalizeStudy(...a)) });
    const first = await s.run(full());
    hang = true;
    const p = s.run(full());
    s.cancel();
    expect(await p).toBeNull();
    expect(s.cancelled).toBe(true);
    expect(s.runError).toBeNull();
    expect(s.running).toBe(false);
    expect(s.shown).toBe(first);
  });

  it('a failing study fails the run with its message (plus the f32 note for a merged CSV); the previous results stay', async () => {
    let fail = false;
    const { s } = session({
      normalizeStudy: async (gpu, ds, o) => {
        if (fail && o.mode === 'divide-variance') throw new InputError('dataset', 'a column is constant');
        return normalizeStudy(gpu, ds, o);
      },
    });
    const first = await s.run(full());
    fail = true;
    expect(await s.run(full({ f32Warnings: ['x: 3 values merge'] }))).toBeNull();
    expect(s.runError).toBe(
      'InputError: dataset: a column is constant\nNote: rounding this file to f32 merged distinct values (one column, see the warning under the file); that alone can cause this error.',
    );
    expect(s.cancelled).toBe(false);
    expect(s.shown).toBe(first);
    // The next good run clears the error.
    fail = false;
    expect(await s.run(full())).not.toBeNull();
    expect(s.runError).toBeNull();
  });

  it('a failing descent marks only its mode; the other modes still run', async () => {
    const { s } = session({
      gradientDescent: async (gpu, study, o) => {
        if (study.mode === 'standardize') throw new Error('step blew up');
        return gradientDescent(gpu, study, o);
      },
    });
    const run = (await s.run(full()))!;
    expect(s.runError).toBeNull();
    const std = run.runs.find((r) => r.mode === 'standardize')!;
    expect(std.descent).toBeNull();
    expect(std.error).toBe('step blew up');
    expect(run.runs.filter((r) => r.descent !== null)).toHaveLength(3);
  });

  it('a new run replaces one in progress: the old one’s result is dropped', async () => {
    let calls = 0;
    const { s } = session({ normalizeStudy: (...a) => (calls++ === 0 ? hangingStudy(...a) : normalizeStudy(...a)) });
    const old = s.run(full({ query: 'old' }));
    const fresh = await s.run(full({ query: 'new' }));
    expect(await old).toBeNull();
    expect(s.shown).toBe(fresh);
    expect(s.shown!.query).toBe('new');
    expect(s.cancelled).toBe(false);
    expect(s.running).toBe(false);
  });
});

describe('NormalizeSession: device loss', () => {
  const gpuA = { lost: null, label: 'A' } as unknown as GpuContext;
  const gpuB = { lost: null, label: 'B' } as unknown as GpuContext;
  // GPU studies are faked with the CPU engine; the descent then runs on the CPU path too.
  const lostOnA = (): NormalizeEngine['normalizeStudy'] => {
    let lost = false;
    return async (gpu, ds, o) => {
      if (gpu === gpuA && o.mode === 'standardize' && !lost) {
        lost = true;
        throw new GpuDeviceLostError('unknown', 'forced');
      }
      return normalizeStudy(null, ds, o);
    };
  };

  it('resumes the lost step on the new device, adopts it, and switches the custom kernels off', async () => {
    const calls: string[] = [];
    const recovery: RunRecovery = {
      begin: () => calls.push('begin'),
      ensureLive: async (g) => g,
      recover: async (g, err, at, kept) => {
        calls.push(`recover ${(g as unknown as { label: string }).label} ${at} | ${kept}`);
        expect(err).toBeInstanceOf(GpuDeviceLostError);
        return gpuB;
      },
    };
    const adopted: GpuContext[] = [];
    let switchOffs = 0;
    const guard = (): OverrideGuard => ({ files: ['shaders/x.wgsl'], switchOff: () => (switchOffs++, 'Your custom kernel shaders/x.wgsl was switched off') });
    const { s } = session({ normalizeStudy: lostOnA() }, recovery, { onGpu: (g) => adopted.push(g), guard });
    const run = await s.run(full({ gpu: gpuA }));
    expect(run).not.toBeNull();
    expect(calls).toEqual(['begin', 'recover A after 1 of 4 studies | Your settings and the loaded data are kept.']);
    expect(adopted).toEqual([gpuB]);
    expect(switchOffs).toBe(1);
    expect(s.switchedOff).toBe('Your custom kernel shaders/x.wgsl was switched off');
    expect(run!.runs.map((r) => r.mode)).toEqual([...NORMALIZE_MODES]);
  });

  it('when the recovery gives up, the run fails with its message (not one mode’s error) and the previous results stay', async () => {
    const recovery: RunRecovery = {
      begin() {},
      ensureLive: async (g) => g,
      recover: async () => {
        throw new Error('The GPU device was lost 4 times during this run; stopped after 3 automatic recoveries.');
      },
    };
    let lose = false;
    const { s } = session(
      {
        gradientDescent: async (_gpu, study, o) => {
          if (lose) throw new GpuDeviceLostError('unknown', 'forced');
          return gradientDescent(null, study, o);
        },
        normalizeStudy: async (_g, ds, o) => ({ ...(await normalizeStudy(null, ds, o)), backend: 'gpu' }),
      },
      recovery,
    );
    const first = await s.run(full({ gpu: gpuA }));
    expect(first!.backend).toBe('gpu');
    lose = true;
    expect(await s.run(full({ gpu: gpuA }))).toBeNull();
    expect(s.runError).toBe('The GPU device was lost 4 times during this run; stopped after 3 automatic recoveries.');
    expect(s.shown).toBe(first);
  });

  it('a run that starts on a lost device asks for a live one first', async () => {
    const lostGpu = { lost: new GpuDeviceLostError('unknown', 'idle'), label: 'L' } as unknown as GpuContext;
    const used: unknown[] = [];
    const recovery: RunRecovery = { begin() {}, ensureLive: async () => gpuB, recover: async (_g, e) => Promise.reject(e) };
    const { s } = session({ normalizeStudy: async (g, ds, o) => (used.push(g), normalizeStudy(null, ds, o)) }, recovery);
    await s.run(full({ gpu: lostGpu }));
    expect(used).toEqual([gpuB, gpuB, gpuB, gpuB]);
  });
});

describe('CsvSession: loading a file keeps the data loaded before on every problem', () => {
  const table = (text: string): CsvTable => {
    const r = parseCsv(text);
    if (!r.ok) throw new Error(r.message);
    return r.table;
  };
  const good = 'a,b,y\n' + Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${2 * i + 1}`).join('\n');
  const file = (name: string) => Object.assign(new Blob(['unused']), { name });
  const split = { testFraction: 0.25, seed: 1 };
  const loader =
    (result: CsvLoad['result'] | Error | 'hang') =>
    (_f: Blob, o: { signal?: AbortSignal }): Promise<CsvLoad> =>
      result === 'hang'
        ? new Promise((_, reject) => o.signal!.addEventListener('abort', () => reject(o.signal!.reason), { once: true }))
        : result instanceof Error
          ? Promise.reject(result)
          : Promise.resolve({ result, merges: [], via: 'main-thread' });

  it('a good file becomes the CSV with the y column as target; each upload gets a new number', async () => {
    const c = new CsvSession(() => {}, loader({ ok: true, table: table(good) }));
    expect(await c.read(file('one.csv'), split)).toBe(true);
    expect(c.csv!.target).toBe('y');
    expect(c.csv!.upload).toBe(1);
    expect(await c.read(file('one.csv'), split)).toBe(true);
    expect(c.csv!.upload).toBe(2);
    expect(c.loading).toBeNull();
    expect(c.error).toBeNull();
  });

  it('a parse error, a read error, a table that cannot become a dataset, or a cancel: message, and the old CSV stays', async () => {
    let next: Parameters<typeof loader>[0] = { ok: true, table: table(good) };
    const c = new CsvSession(
      () => {},
      (f, o) => loader(next)(f, o),
    );
    await c.read(file('good.csv'), split);
    const kept = c.csv;
    next = parseCsv('a,b,y\n1,2,3\n1,2\n');
    expect(await c.read(file('bad.csv'), split)).toBe(false);
    expect(c.error).toBe(
      'bad.csv, line 3: Line 3 has 2 fields but the header has 3 columns; every row needs exactly 3 comma-separated values. The previous data is still loaded.',
    );
    expect(c.csv).toBe(kept);
    next = new Error('disk gone');
    await c.read(file('gone.csv'), split);
    expect(c.error).toBe('gone.csv: disk gone. The previous data is still loaded.');
    next = { ok: true, table: table('a,y\n1,2\n2,3') };
    await c.read(file('tiny.csv'), split);
    expect(c.error).toMatch(/^tiny\.csv: .+\. The previous data is still loaded\.$/);
    expect(c.csv).toBe(kept);
    next = 'hang';
    const p = c.read(file('slow.csv'), split);
    expect(c.loading?.fileName).toBe('slow.csv');
    c.cancel();
    expect(await p).toBe(false);
    expect(c.error).toBe('Reading slow.csv was cancelled. The previous data is still loaded.');
    expect(c.loading).toBeNull();
    expect(c.csv).toBe(kept);
  });

  it('a second file replaces one being read: only the second is loaded', async () => {
    let n = 0;
    const c = new CsvSession(
      () => {},
      (f, o) => loader(n++ === 0 ? 'hang' : { ok: true, table: table(good) })(f, o),
    );
    const first = c.read(file('first.csv'), split);
    expect(await c.read(file('second.csv'), split)).toBe(true);
    expect(await first).toBe(false);
    expect(c.csv!.fileName).toBe('second.csv');
    expect(c.error).toBeNull();
  });

  it('a target that cannot work keeps the previous target, with a message', async () => {
    const withConst = 'a,k,y\n' + Array.from({ length: 40 }, (_, i) => `${i},5,${3 * i}`).join('\n');
    const c = new CsvSession(() => {}, loader({ ok: true, table: table(withConst) }));
    await c.read(file('k.csv'), split);
    c.setTarget('a', split);
    expect(c.csv!.target).toBe('a');
    // A column that is not in the table (a stale select): the dataset could not be built.
    c.setTarget('nope', split);
    expect(c.csv!.target).toBe('a');
    expect(c.error).toMatch(/^Target nope: InputError: target: no column is named .+\. The previous target stays\.$/);
    c.setTarget('y', split);
    expect(c.csv!.target).toBe('y');
    expect(c.error).toBeNull();
  });
});

describe('LabDataset and runBlocked: what the next Run uses, and why it cannot start', () => {
  const parse = (patch: Partial<LabDraft> = {}) => {
    const draft = { ...draftFromState(defaultLabState()), ...patch };
    return { draft, parsed: parseLabDraft(draft) };
  };
  const split = { testFraction: 0.25, seed: 1 };

  it('keeps the previous dataset while a field is bad, and rebuilds it only when its inputs change', () => {
    const d = new LabDataset();
    const ok = parse();
    d.refresh('generated', ok.parsed.data, null, split);
    const first = d.dataset!;
    expect(first.train.m + first.test.m).toBe(ok.parsed.data!.m);
    d.refresh('generated', parse().parsed.data, null, split);
    expect(d.dataset).toBe(first); // same inputs, same object
    const bad = parse({ m: 'lots' });
    expect(bad.parsed.data).toBeNull();
    d.refresh('generated', bad.parsed.data, null, split);
    expect(d.dataset).toBe(first);
    d.refresh('generated', parse({ seed: '9' }).parsed.data, null, split);
    expect(d.dataset).not.toBe(first);
    expect(d.error).toBeNull();
  });

  it('a CSV dataset is keyed by the upload: the same file name uploaded again is new data', () => {
    const r = parseCsv('a,b,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 7},${i * 3}`).join('\n'));
    if (!r.ok) throw new Error(r.message);
    const csv = { table: r.table, fileName: 'f.csv', target: 'y', upload: 1, merges: [], via: 'main-thread' as const };
    const d = new LabDataset();
    d.refresh('csv', null, csv, split);
    const first = d.dataset!;
    expect(first.source.kind).toBe('csv');
    d.refresh('csv', null, { ...csv }, split);
    expect(d.dataset).toBe(first);
    d.refresh('csv', null, { ...csv, upload: 2 }, split);
    expect(d.dataset).not.toBe(first);
    // A split that cannot work: the message, and the dataset before stays.
    const before = d.dataset;
    d.refresh('csv', null, { ...csv, upload: 2 }, { testFraction: 0.99, seed: 1 });
    expect(d.error).toMatch(/^InputError: testFraction: /);
    expect(d.dataset).toBe(before);
  });

  it('runBlocked names the first reason; the CPU cap names the limit and the size', () => {
    const { draft, parsed } = parse();
    const d = new LabDataset();
    d.refresh('generated', parsed.data, null, split);
    const base = {
      source: 'generated' as const,
      hasCsv: false,
      parsed,
      loaded: d.dataset,
      loadError: null,
      descent: descentSettingsOf(draft, parsed),
      cpuMode: false,
    };
    expect(runBlocked(base)).toBeNull();
    expect(runBlocked({ ...base, source: 'csv' })).toBe('Choose a CSV file first.');
    expect(runBlocked({ ...base, parsed: parse({ noise: '-1' }).parsed })).toBe('Fix the fields marked in red to run.');
    expect(runBlocked({ ...base, loadError: 'x: bad' })).toBe('x: bad');
    const badLr = parse({ lr: 'fast' });
    expect(descentSettingsOf(badLr.draft, badLr.parsed)).toBeNull();
    expect(runBlocked({ ...base, descent: null })).toBe('Fix the learning rate, steps or tolerance to run.');
    const big = parse({ m: String(LAB_LIMITS.cpuMaxM + 1) });
    const dBig = new LabDataset();
    dBig.refresh('generated', big.parsed.data, null, split);
    expect(runBlocked({ ...base, parsed: big.parsed, loaded: dBig.dataset, cpuMode: true })).toBe(
      `Without WebGPU the lab runs on the CPU, which is limited to ${LAB_LIMITS.cpuMaxM.toLocaleString('en-US')} examples; this dataset has ${(LAB_LIMITS.cpuMaxM + 1).toLocaleString('en-US')}. Lower m (or use a smaller file).`,
    );
    expect(runBlocked({ ...base, parsed: big.parsed, loaded: dBig.dataset, cpuMode: false })).toBeNull();
  });

  it('descent settings survive a bad data field', () => {
    const { draft, parsed } = parse({ m: 'lots', lr: '0.3' });
    expect(parsed.state).toBeNull();
    expect(descentSettingsOf(draft, parsed)).toEqual({ lrScale: draft.lrScale, lr: 0.3, steps: Number(draft.steps), tol: Number(draft.tol) });
  });
});
