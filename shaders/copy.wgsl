// Plain vec4 copy: dst[i] = src[i] for i < count (count in vec4s). The bandwidth roof of the benchmark
// and the Performance view: a memory-bound kernel is compared with how fast this device moves bytes
// through the simplest possible kernel (bytes moved = 8 per float: one read, one write).
//
// Algorithm: each workgroup owns WORKGROUP·ITEMS consecutive vec4s; invocation t copies vec4s
//   base + t, base + t + WORKGROUP, … (ITEMS of them), so neighbouring invocations touch neighbouring
//   addresses on every step.
// Bindings (group 0): 0 uniform Params { count, groups_x }, 1 src (read), 2 dst (read_write).
// Dispatch: G = ceil(count / (WORKGROUP·ITEMS)) workgroups as (min(G, 65535), ceil(G / 65535), 1);
//   workgroup w = wid.y · groups_x + wid.x.

override WORKGROUP: u32 = 64u;
override ITEMS: u32 = 4u;

struct Params {
  count: u32,
  groups_x: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let group = wid.y * params.groups_x + wid.x;
  let base = group * WORKGROUP * ITEMS + lid;
  for (var i = 0u; i < ITEMS; i++) {
    let j = base + i * WORKGROUP;
    if (j < params.count) {
      dst[j] = src[j];
    }
  }
}
