// A plain two-pass sum of squares: the textbook reduction the benchmark's norms row is compared with
// (not overflow-safe, no Inf/NaN detection: the baseline, not a kernel the labs use).
//
// Algorithm: pass 1 (`partials`): workgroup (c, s) loads one element per invocation from chunk c of
//   segment s (segments are equal, seg_len elements each), squares it and tree-reduces the WORKGROUP
//   squares in workgroup memory with a barrier per level; invocation 0 writes the chunk's partial sum.
//   Pass 2 (`finish`): one invocation per segment adds its chunks' partials serially and writes √sum.
// Bindings (group 0): 0 uniform Params { seg_len, chunks, segments }, 1 x (read), 2 partial
//   (read_write, chunks · segments f32), 3 out (read_write, one norm per segment).
// Dispatch: pass 1 (chunks, segments, 1) workgroups with chunks = ceil(seg_len / WORKGROUP);
//   pass 2 ceil(segments / WORKGROUP) workgroups.

override WORKGROUP: u32 = 256u;

struct Params {
  seg_len: u32,
  chunks: u32,
  segments: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> partial: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

var<workgroup> sums: array<f32, WORKGROUP>;

@compute @workgroup_size(WORKGROUP)
fn partials(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * WORKGROUP + lid;
  var v = 0.0;
  if (i < params.seg_len) {
    let e = x[wid.y * params.seg_len + i];
    v = e * e;
  }
  sums[lid] = v;
  workgroupBarrier();
  for (var step = WORKGROUP / 2u; step > 0u; step = step / 2u) {
    if (lid < step) {
      sums[lid] = sums[lid] + sums[lid + step];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    partial[wid.y * params.chunks + wid.x] = sums[0];
  }
}

@compute @workgroup_size(WORKGROUP)
fn finish(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.x;
  if (s >= params.segments) {
    return;
  }
  var total = 0.0;
  for (var c = 0u; c < params.chunks; c++) {
    total = total + partial[s * params.chunks + c];
  }
  out[s] = sqrt(total);
}
