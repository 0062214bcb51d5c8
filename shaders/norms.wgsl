// Segmented L2 norms: ‖x[offsets[i] .. offsets[i+1])‖₂ for every segment i in one dispatch
// (per-layer gradient norms of one big gradient buffer).
//
// Algorithm: one workgroup per segment; invocations stride over the segment, then a tree reduction in
//   workgroup memory (WORKGROUP must be a power of two). Overflow-safe like BLAS nrm2, but with a
//   power-of-two scale: every partial result is a pair (e, ssq) meaning  norm² = 4^e · ssq,  where 2^e is
//   the largest power of two ≤ max |x| seen, so ssq ∈ [1, 4n). Pairs merge by rescaling the smaller
//   exponent's ssq by 4^(Δe), an exact multiplication by a power of two built from its bit pattern.
//   The input is read as raw u32 bits and every |x| is split as m·2^k with m ∈ [1, 2) using integer
//   ops only, so no float operation ever sees a value outside the normal range:
//     - no overflow: 1,000 × 1e30 or 100 × 3e38 (norm 3e39 > f32 max) give exact (e, ssq) pairs;
//     - no underflow: 1e-30 is as accurate as 1; subnormal inputs (e.g. 1e-40) are decoded exactly
//       from their bits, so a GPU that flushes subnormals to zero still gets them right;
//     - threshold: a value with |x| < 2^-63 · 2^e (the segment's scale) is dropped from the sum; its
//       square is below 2^-126 of the largest term, far below f32 rounding even for 2^32 such values.
// Inf / NaN: detected from the bit pattern (|bits| = bits & 0x7fffffff; exponent 0x7f800000 all ones:
//   mantissa 0 → Inf, otherwise NaN), never with isinf/isnan/v != v, which WGSL's finite-math rule lets
//   compilers fold away. They set status bits and do not enter the sum.
// Bad ranges: a segment with offsets[i+1] < offsets[i], or ending past the end of x (arrayLength, i.e.
//   the bound buffer, which may be padded), gets STATUS_BAD_RANGE and is treated as empty.
// Output: 4 u32 words per segment i at out[i]:
//   .x scale = 2^e as f32 bits (subnormal bit pattern when e < -126; 0 for an empty segment)
//   .y ssq as f32 bits (0 for an empty segment)
//   .z status: 1 = holds ±Inf, 2 = holds NaN, 4 = bad range
//   .w number of elements in the segment
//   The host computes norm = scale · √ssq in float64, so norms beyond f32's range are still reported.
// Bindings (group 0): 0 uniform Params, 1 x (f32 data read as u32 bits), 2 offsets (u32, segments + 1),
//   3 out (read_write, vec4u per segment). Offsets are element indices relative to params.offset_x.
// Dispatch: (min(S, 65535), ceil(S / 65535), 1) workgroups of WORKGROUP invocations (S = segments);
//   the segment index is wid.y * num_workgroups.x + wid.x.

override WORKGROUP: u32 = 256u;

const STATUS_INF: u32 = 1u;
const STATUS_NAN: u32 = 2u;
const STATUS_BAD_RANGE: u32 = 4u;
// Exponent of an empty partial result: below any real exponent (min −149), so max() ignores it.
const EMPTY_EXP: i32 = -100000;
// Partial results more than this many binades below the current scale are dropped (see header).
const MIN_DELTA: i32 = -63;

struct Params {
  segments: u32,
  offset_x: u32,   // element offset into x that offsets[] are relative to
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> offsets: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4u>;

var<workgroup> sh_exp: array<i32, WORKGROUP>;
var<workgroup> sh_ssq: array<f32, WORKGROUP>;
var<workgroup> sh_status: array<u32, WORKGROUP>;

// s · 4^d for d ≤ 0, or 0 when d < MIN_DELTA. The factor 2^(2d) ∈ [2^-126, 1] is built from its bits,
// so the multiplication is exact (s ≥ 1 keeps the product normal).
fn rescale(s: f32, d: i32) -> f32 {
  if (d < MIN_DELTA) {
    return 0.0;
  }
  return s * bitcast<f32>(u32(2 * d + 127) << 23u);
}

// A partial result: norm² = 4^e · ssq.
struct Partial {
  e: i32,
  ssq: f32,
}

fn merge(a: Partial, b: Partial) -> Partial {
  let e = max(a.e, b.e);
  return Partial(e, rescale(a.ssq, a.e - e) + rescale(b.ssq, b.e - e));
}

// |v| = m · 2^k with m ∈ [1, 2), from the magnitude bits of a finite non-zero f32 (integer ops only).
fn split(mag: u32) -> Partial {
  var k: i32;
  var mant: u32;
  if (mag < 0x00800000u) {
    // Subnormal: |v| = mag · 2^-149 and mag < 2^23 converts to f32 exactly (a normal number).
    let f = bitcast<u32>(f32(mag));
    k = i32(f >> 23u) - 127 - 149;
    mant = f & 0x007fffffu;
  } else {
    k = i32(mag >> 23u) - 127;
    mant = mag & 0x007fffffu;
  }
  let m = bitcast<f32>(mant | 0x3f800000u);
  return Partial(k, m * m);
}

// 2^e as f32 bits, including the subnormal patterns for e < -126.
fn pow2_bits(e: i32) -> u32 {
  if (e >= -126) {
    return u32(e + 127) << 23u;
  }
  return 1u << u32(e + 149);
}

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let seg = wid.y * nwg.x + wid.x;
  if (seg >= params.segments) {
    return;
  }
  let n = arrayLength(&x);
  let room = n - min(params.offset_x, n);
  let lo = offsets[seg];
  let hi = offsets[seg + 1u];
  var status = 0u;
  var count = 0u;
  if (hi < lo || hi > room) {
    status = STATUS_BAD_RANGE;
  } else {
    count = hi - lo;
  }
  let start = params.offset_x + lo;

  var acc = Partial(EMPTY_EXP, 0.0);
  for (var i = lid.x; i < count; i += WORKGROUP) {
    let mag = x[start + i] & 0x7fffffffu;
    if (mag >= 0x7f800000u) {
      status |= select(STATUS_NAN, STATUS_INF, mag == 0x7f800000u);
    } else if (mag != 0u) {
      acc = merge(acc, split(mag));
    }
  }

  sh_exp[lid.x] = acc.e;
  sh_ssq[lid.x] = acc.ssq;
  sh_status[lid.x] = status;
  workgroupBarrier();
  for (var stride = WORKGROUP / 2u; stride > 0u; stride /= 2u) {
    if (lid.x < stride) {
      let j = lid.x + stride;
      let m = merge(Partial(sh_exp[lid.x], sh_ssq[lid.x]), Partial(sh_exp[j], sh_ssq[j]));
      sh_exp[lid.x] = m.e;
      sh_ssq[lid.x] = m.ssq;
      sh_status[lid.x] |= sh_status[j];
    }
    workgroupBarrier();
  }

  if (lid.x == 0u) {
    var result = vec4u(0u, 0u, sh_status[0], count);
    if (sh_exp[0] != EMPTY_EXP) {
      result.x = pow2_bits(sh_exp[0]);
      result.y = bitcast<u32>(sh_ssq[0]);
    }
    out[seg] = result;
  }
}
