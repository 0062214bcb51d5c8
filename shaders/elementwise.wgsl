// Elementwise kernels: activation forward / backward and per-column normalization.
//
// Algorithm: one invocation per element, no reduction.
//   forward:   out[i] = f(x[i])                      f chosen by the ACTIVATION override
//   backward:  out[i] = g[i] * f'(x[i % x_period])   x holds the pre-activation z, g holds dJ/da; a
//                                                   period < count reuses one z for many gradients
//                                                   (several nets' backward passes through one layer)
//   forward4, backward4: the same on vec4s, VEC4_ITEMS consecutive vec4s per invocation (x, g and out
//                                                   seen as array<vec4f>; count, the offsets and x_period
//                                                   in vec4s). The host runs them when every count, offset
//                                                   and period is a multiple of 4: on a CPU adapter one
//                                                   vec4 access per lane costs far less than four scalar
//                                                   ones, and a few fat invocations less than many thin.
//   normalize: out[r, c] = (x[r, c] - mu[c]) / sigma[c]   row-major, `cols` columns
//   scale:     out[i] = alpha * x[i]                   (e.g. dJ/da[L] = a[L] / m)
// ACTIVATION: 0 linear, 1 ReLU, 2 tanh, 3 sigmoid.
// Bindings (group 0): 0 uniform Params, 1 x, 2 g (backward) or mu (normalize), 3 sigma (normalize),
//   4 out (read_write). Offsets are in elements, so one big buffer can hold many layers' segments.
// Dispatch: (min(W, 65535), ceil(W / 65535), 1) workgroups of WORKGROUP invocations,
//   W = ceil(count / WORKGROUP); the flat index is (wid.y * num_workgroups.x + wid.x) * WORKGROUP + lid.x.
//   forward4 / backward4: W = ceil(count / (WORKGROUP · VEC4_ITEMS)) (count in vec4s).

override ACTIVATION: u32 = 0u;
override WORKGROUP: u32 = 256u;
override VEC4_ITEMS: u32 = 4u;

struct Params {
  count: u32,      // elements to process
  offset_x: u32,   // element offsets into x, g/mu, out
  offset_g: u32,
  offset_out: u32,
  cols: u32,       // normalize only: columns of the row-major matrix
  alpha: f32,      // scale only
  x_period: u32,   // backward only: x index wraps every x_period elements (0 = no wrap)
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> sigma: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;

// tanh(±10) already rounds to ±1 in f32; clamping keeps implementations that compute tanh through
// exp(2x) away from inf/inf.
fn tanh_safe(v: f32) -> f32 {
  return tanh(clamp(v, -10.0, 10.0));
}

// Evaluated on the side where exp() cannot overflow.
fn sigmoid(v: f32) -> f32 {
  if (v >= 0.0) {
    return 1.0 / (1.0 + exp(-v));
  }
  let e = exp(v);
  return e / (1.0 + e);
}

fn activate(v: f32) -> f32 {
  switch ACTIVATION {
    case 1u: { return max(v, 0.0); }
    case 2u: { return tanh_safe(v); }
    case 3u: { return sigmoid(v); }
    default: { return v; }
  }
}

// linear and ReLU; tanh and sigmoid go through grad_times_derivative.
fn derivative(v: f32) -> f32 {
  switch ACTIVATION {
    case 1u: { return select(0.0, 1.0, v > 0.0); }
    default: { return 1.0; }
  }
}

// g · f'(v) without losing a saturated unit's gradient: tanh' = sech² = 4e/(1+e)², e = exp(−2|v|), and
// sigmoid' = e/(1+e)², e = exp(−|v|), have no 1 − t² cancellation (which is exactly 0 once t rounds to
// ±1, at |v| ≈ 9); far out, where f' itself is no longer a normal f32, the product is formed in the log
// domain, so a large g times a tiny f' is not flushed to 0 while float64 still has a number.
fn grad_times_derivative(gv: f32, v: f32) -> f32 {
  switch ACTIVATION {
    case 2u: {
      let a = abs(v);
      if (a < 40.0) {
        let e = exp(-2.0 * a);
        let d = 1.0 + e;
        return gv * (4.0 * e / (d * d));
      }
      if (gv == 0.0) { return 0.0; }
      return sign(gv) * exp(log(abs(gv)) + 1.3862944 - 2.0 * a);
    }
    case 3u: {
      let a = abs(v);
      if (a < 80.0) {
        let e = exp(-a);
        let d = 1.0 + e;
        return gv * (e / (d * d));
      }
      if (gv == 0.0) { return 0.0; }
      return sign(gv) * exp(log(abs(gv)) - a);
    }
    default: { return gv * derivative(v); }
  }
}

fn flat_index(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * WORKGROUP + lid.x;
}

@compute @workgroup_size(WORKGROUP)
fn forward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flat_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  out[params.offset_out + i] = activate(x[params.offset_x + i]);
}

@compute @workgroup_size(WORKGROUP)
fn backward(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flat_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  let xi = select(i, i % params.x_period, params.x_period != 0u);
  out[params.offset_out + i] = grad_times_derivative(g[params.offset_g + i], x[params.offset_x + xi]);
}

@compute @workgroup_size(WORKGROUP)
fn normalize(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flat_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  let c = i % params.cols;
  out[params.offset_out + i] = (x[params.offset_x + i] - g[c]) / sigma[c];
}

@compute @workgroup_size(WORKGROUP)
fn scale(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = flat_index(wid, nwg, lid);
  if (i >= params.count) { return; }
  out[params.offset_out + i] = params.alpha * x[params.offset_x + i];
}

// The vec4 views of x, g and out (only forward4 and backward4 use them).
@group(0) @binding(1) var<storage, read> x4: array<vec4f>;
@group(0) @binding(2) var<storage, read> g4: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> out4: array<vec4f>;

fn activate4(v: vec4f) -> vec4f {
  return vec4f(activate(v.x), activate(v.y), activate(v.z), activate(v.w));
}

fn grad_times_derivative4(gv: vec4f, v: vec4f) -> vec4f {
  return vec4f(grad_times_derivative(gv.x, v.x), grad_times_derivative(gv.y, v.y), grad_times_derivative(gv.z, v.z), grad_times_derivative(gv.w, v.w));
}

@compute @workgroup_size(WORKGROUP)
fn forward4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let base = (wid.y * nwg.x + wid.x) * WORKGROUP * VEC4_ITEMS + lid.x;
  for (var k = 0u; k < VEC4_ITEMS; k++) {
    let i = base + k * WORKGROUP;
    if (i < params.count) {
      out4[params.offset_out + i] = activate4(x4[params.offset_x + i]);
    }
  }
}

@compute @workgroup_size(WORKGROUP)
fn backward4(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let base = (wid.y * nwg.x + wid.x) * WORKGROUP * VEC4_ITEMS + lid.x;
  for (var k = 0u; k < VEC4_ITEMS; k++) {
    let i = base + k * WORKGROUP;
    if (i < params.count) {
      let xi = select(i, i % params.x_period, params.x_period != 0u);
      out4[params.offset_out + i] = grad_times_derivative4(g4[params.offset_g + i], x4[params.offset_x + xi]);
    }
  }
}
