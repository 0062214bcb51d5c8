// Arithmetic roof: a register-only loop of multiply-adds, no memory traffic but one store per invocation.
// The benchmark and the Performance view compare matmul's GFLOP/s with what this loop reaches.
//
// Algorithm: every invocation keeps CHAINS (2, 4 or 8) independent vec4 accumulators (enough to hide the
//   latency of each multiply-add; more can spill registers on a CPU adapter, so the host times several
//   and takes the best) and runs ITERS trips of  v = v · a + b  on each (a, b from the uniform, so the
//   compiler cannot fold the loop). FLOPs = invocations · ITERS · 4·CHAINS · 2. Accumulators beyond
//   CHAINS keep their start value (CHAINS is an override: the unused updates compile away).
//   With a = 1 and b = 1/1024 every updated lane ends at seed + ITERS/1024, exactly representable in f32, so
//   the host checks the result exactly: lane j (0..31) of invocation i starts at ((32·i) mod 1024 + j) / 1024.
// Bindings (group 0): 0 uniform Params { a, b, count, groups_x }, 1 out (read_write, one f32 per
//   invocation: the sum of its 32 lanes).
// Dispatch: G = ceil(count / WORKGROUP) workgroups as (min(G, 65535), ceil(G / 65535), 1).

override WORKGROUP: u32 = 64u;
override ITERS: u32 = 1024u;
override CHAINS: u32 = 8u;

struct Params {
  a: f32,
  b: f32,
  count: u32,
  groups_x: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * params.groups_x + wid.x) * WORKGROUP + lid;
  let s = f32((i * 32u) % 1024u) / 1024.0;
  let q = 1.0 / 1024.0;
  let lane = vec4f(0.0, q, 2.0 * q, 3.0 * q);
  var v0 = vec4f(s) + lane;
  var v1 = v0 + vec4f(4.0 * q);
  var v2 = v0 + vec4f(8.0 * q);
  var v3 = v0 + vec4f(12.0 * q);
  var v4 = v0 + vec4f(16.0 * q);
  var v5 = v0 + vec4f(20.0 * q);
  var v6 = v0 + vec4f(24.0 * q);
  var v7 = v0 + vec4f(28.0 * q);
  let a = vec4f(params.a);
  let b = vec4f(params.b);
  for (var t = 0u; t < ITERS; t++) {
    v0 = v0 * a + b;
    v1 = v1 * a + b;
    if (CHAINS >= 4u) {
      v2 = v2 * a + b;
      v3 = v3 * a + b;
    }
    if (CHAINS >= 8u) {
      v4 = v4 * a + b;
      v5 = v5 * a + b;
      v6 = v6 * a + b;
      v7 = v7 * a + b;
    }
  }
  if (i < params.count) {
    let sum = (v0 + v1) + (v2 + v3) + ((v4 + v5) + (v6 + v7));
    out[i] = sum.x + sum.y + sum.z + sum.w;
  }
}
