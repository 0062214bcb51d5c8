// Training step kernels: the loss residual and the SGD / Adam weight updates of the Training lab.
//
// Algorithm: one invocation per element, no reduction (norms.wgsl reduces the results).
//   residual: c[oc + i] = alpha * (a[oa + i] - b[ob + i])      e.g. dJ/dA[L] = (A[L] - Y) / m
//   sgd:      d = -lr * g;  w += d;  g = d                      (a = w, b = g: g's slot then holds ΔW)
//   adam:     m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;
//             d = −lr · (m / c1) / (√(v / c2) + ε);  w += d;  g = d   (a = w, b = g, c = m, d = v;
//             c1 = 1 − β1^t, c2 = 1 − β2^t computed by the host in float64)
// Writing ΔW over g lets the host take ‖ΔW[l]‖ with the same segmented norms as ‖∂J/∂W[l]‖.
// Bindings (group 0): 0 uniform Params, 1..4 read_write arrays a, b, c, d (entry points use what they
//   need; unused ones are bound to a small placeholder). Offsets are in elements.
// Dispatch: (min(W, 65535), ceil(W / 65535), 1) workgroups of WORKGROUP invocations, W = ceil(count / WORKGROUP).

override WORKGROUP: u32 = 256u;

struct Params {
  count: u32,
  offset_a: u32,
  offset_b: u32,
  offset_c: u32,
  alpha: f32,   // residual: scale
  lr: f32,      // sgd, adam: learning rate
  beta1: f32,   // adam
  beta2: f32,   // adam
  eps: f32,     // adam
  c1: f32,      // adam: 1 − β1^t
  c2: f32,      // adam: 1 − β2^t
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<storage, read_write> d: array<f32>;

fn flat_index(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * WORKGROUP + lid.x;
}

@compute @workgroup_size(WORKGROUP)
fn residual(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flat_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  c[params.offset_c + i] = params.alpha * (a[params.offset_a + i] - b[params.offset_b + i]);
}

@compute @workgroup_size(WORKGROUP)
fn sgd(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flat_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  let delta = -params.lr * b[params.offset_b + i];
  a[params.offset_a + i] = a[params.offset_a + i] + delta;
  b[params.offset_b + i] = delta;
}

@compute @workgroup_size(WORKGROUP)
fn adam(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flat_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  let g = b[params.offset_b + i];
  let j = params.offset_c + i;
  let m = params.beta1 * c[j] + (1.0 - params.beta1) * g;
  let v = params.beta2 * d[j] + (1.0 - params.beta2) * g * g;
  c[j] = m;
  d[j] = v;
  let delta = -params.lr * (m / params.c1) / (sqrt(v / params.c2) + params.eps);
  a[params.offset_a + i] = a[params.offset_a + i] + delta;
  b[params.offset_b + i] = delta;
}
