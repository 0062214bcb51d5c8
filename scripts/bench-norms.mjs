// node scripts/bench-norms.mjs [--old FILE | --old-ref REF (default HEAD)] [--new FILE] [--rounds N] [--workgroup W] [--old-workgroup W]
// A/B timing of two versions of shaders/norms.wgsl in ONE Node process on Dawn + SwiftShader (a CPU):
// by default the committed shader (git ref HEAD) as old against the working tree's as new, i.e. an uncommitted edit. Each round
// times every shape with old and new alternately (order flipped every round), so a busy machine slows
// both alike; the report gives, per shape, the median and min–max over rounds of time(old) / time(new)
// (> 1: new is faster). Dispatches are set up as createNormsKernel + pickSegmentsPerGroup do (segments
// of more than SHORT = 64 values: one workgroup each); every timed result is checked against a float64
// norm first, so a broken shader cannot look fast (NOCHECK=1 skips that, for load-only experiments).
// Wall-clock per submission of --reps dispatches (default 5); --shapes 20x65536,1x1048576 picks the shapes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg('--rounds', 6));
const WORKGROUP = Number(arg('--workgroup', 32)); // what the labs and the bench pass on CPU adapters
const REPS = Number(arg('--reps', 5));
// The old side's workgroup (default: the same), to compare workgroup sizes of one shader.
const OLD_WORKGROUP = Number(arg('--old-workgroup', WORKGROUP));
const SHORT = 64;
const oldCode = arg('--old')
  ? readFileSync(arg('--old'), 'utf8')
  : execFileSync('git', ['show', `${arg('--old-ref', 'HEAD')}:shaders/norms.wgsl`], { encoding: 'utf8' });
const newCode = readFileSync(arg('--new', 'shaders/norms.wgsl'), 'utf8');
const SHAPES = (arg('--shapes') ?? '20x65536,20x32768,4x65536,16x65536,1x1048576').split(',').map((s) => s.split('x').map(Number));

const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(ICD)) process.env.VK_ICD_FILENAMES = ICD;
const dawn = await import('webgpu');
Object.assign(globalThis, dawn.globals);
const navGpu = dawn.create(['adapter=SwiftShader']);
const adapter = await navGpu.requestAdapter({ forceFallbackAdapter: true });
const device = await adapter.requestDevice();
device.addEventListener?.('uncapturederror', (e) => console.error('GPU error:', e.error?.message));
const info = adapter.info ?? {};
console.log(
  `adapter: ${info.vendor} / ${info.architecture} (${info.description ?? ''}); workgroup ${OLD_WORKGROUP === WORKGROUP ? WORKGROUP : `old ${OLD_WORKGROUP}, new ${WORKGROUP}`}, ${REPS} dispatches per submission, ${ROUNDS} rounds`,
);

const layout = device.createBindGroupLayout({
  entries: [
    { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
    { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
    { binding: 3, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
  ],
});
async function pipelineFor(code, label, workgroup) {
  const module = device.createShaderModule({ code, label });
  const ci = await module.getCompilationInfo();
  for (const m of ci.messages) if (m.type === 'error') throw new Error(`${label}:${m.lineNum}:${m.linePos} ${m.message}`);
  return device.createComputePipelineAsync({
    label,
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: 'main', constants: { WORKGROUP: workgroup, SHORT } },
  });
}
const pipes = { old: await pipelineFor(oldCode, 'old', OLD_WORKGROUP), new: await pipelineFor(newCode, 'new', WORKGROUP) };

function buffer(data, usage) {
  const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: usage | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(b, 0, data);
  return b;
}
// Deterministic normal-ish values of a few magnitudes (a ±3-decade spread), some exact zeros (like ReLU's).
function makeData(n, seed) {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = 0; i < n; i++) x[i] = rnd() < 0.1 ? 0 : (rnd() - 0.5) * 10 ** (6 * rnd() - 3);
  return x;
}
function refNorms(x, offsets) {
  const out = [];
  for (let j = 0; j + 1 < offsets.length; j++) {
    let s = 0;
    for (let i = offsets[j]; i < offsets[j + 1]; i++) s += x[i] * x[i];
    out.push(Math.sqrt(s));
  }
  return out;
}

const cases = SHAPES.map(([segments, len], k) => {
  const x = makeData(segments * len, 7 + k);
  const offsets = Uint32Array.from({ length: segments + 1 }, (_, i) => i * len);
  if (len <= SHORT) throw new Error(`--shapes: segments of ${len} ≤ ${SHORT} floats are summed one per invocation; time segments longer than ${SHORT}`);
  const perGroup = 1;
  const groups = Math.ceil(segments / perGroup);
  const grid = groups <= 65535 ? [groups, 1] : [Math.ceil(groups / Math.ceil(groups / 65535)), Math.ceil(groups / 65535)];
  const params = buffer(new Uint32Array([segments, 0, perGroup, 0]), GPUBufferUsage.UNIFORM);
  const xb = buffer(x, GPUBufferUsage.STORAGE);
  const ob = buffer(offsets, GPUBufferUsage.STORAGE);
  const out = device.createBuffer({ size: 16 * segments, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 16 * segments, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bind = device.createBindGroup({ layout, entries: [params, xb, ob, out].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  return { name: `${segments} × ${len}`, segments, ref: refNorms(x, offsets), grid, bind, out, read };
});

async function run(c, which, reps) {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipes[which]);
  pass.setBindGroup(0, c.bind);
  for (let r = 0; r < reps; r++) pass.dispatchWorkgroups(c.grid[0], c.grid[1]);
  pass.end();
  const t0 = performance.now();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
  return performance.now() - t0;
}
async function check(c, which) {
  await run(c, which, 1);
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(c.out, 0, c.read, 0, 16 * c.segments);
  device.queue.submit([enc.finish()]);
  await c.read.mapAsync(GPUMapMode.READ);
  const words = new Uint32Array(c.read.getMappedRange().slice(0));
  c.read.unmap();
  const f = new Float32Array(words.buffer);
  for (let i = 0; i < c.segments; i++) {
    const got = words[4 * i + 2] ? NaN : f[4 * i] * Math.sqrt(f[4 * i + 1]);
    if (!process.env.NOCHECK && !(Math.abs(got - c.ref[i]) <= 1e-5 * c.ref[i]))
      throw new Error(`${which} shader, ${c.name}: segment ${i} norm ${got}, float64 ${c.ref[i]}`);
  }
}

for (const c of cases) for (const which of ['old', 'new']) await check(c, which);
const ratios = cases.map(() => []);
const times = cases.map(() => ({ old: [], new: [] }));
for (let round = 0; round < ROUNDS; round++) {
  for (const [k, c] of cases.entries()) {
    const order = round % 2 ? ['new', 'old'] : ['old', 'new'];
    const t = {};
    for (const which of order) t[which] = await run(c, which, REPS);
    times[k].old.push(t.old / REPS);
    times[k].new.push(t.new / REPS);
    ratios[k].push(t.old / t.new);
  }
  process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
}
const median = (a) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log('\nshape                 old ms (median)  new ms (median)  old/new median (min–max)');
for (const [k, c] of cases.entries()) {
  const r = ratios[k];
  console.log(
    `${c.name.padEnd(20)}  ${median(times[k].old).toFixed(2).padStart(15)}  ${median(times[k].new).toFixed(2).padStart(15)}  ` +
      `${median(r).toFixed(2)} (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})`,
  );
}
process.exit(0);
