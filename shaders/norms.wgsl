// Segmented L2 norms: ‖x[offsets[i] .. offsets[i+1])‖₂ for every segment i in one dispatch
// (per-layer gradient norms of one big gradient buffer).
//
// Algorithm: each workgroup owns params.per_group consecutive segments, one per invocation. A segment of
//   at most SHORT elements is summed serially by its invocation (many tiny segments cost no barriers);
//   longer ones are queued and summed one after another by the whole workgroup, invocations striding
//   over the segment, then a tree reduction in workgroup memory
//   (WORKGROUP must be a power of two). The host picks per_group = 1 for long segments (one workgroup
//   each) and per_group = WORKGROUP for many short ones. Overflow-safe like BLAS nrm2, but with a
//   power-of-two scale: every partial result is a pair (e, ssq) meaning  norm² = 4^e · ssq,  where 2^e is
//   the largest power of two ≤ max |x| seen, so ssq ∈ [1, 4n). Pairs merge by rescaling the smaller
//   exponent's ssq by 4^(Δe), an exact multiplication by a power of two built from its bit pattern.
//   Elements are folded four at a time (quads of consecutive elements; an invocation of a long segment's
//   workgroup takes quads lid, lid + WORKGROUP, …) into four partial results side by side, without branches:
//   a CPU adapter runs both sides of every data-dependent branch, so the select form is the fast one.
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
// Output: 4 u32 words per segment i at out[out_offset + i]:
//   .x scale = 2^e as f32 bits (subnormal bit pattern when e < -126; 0 for an empty segment)
//   .y ssq as f32 bits (0 for an empty segment)
//   .z status: 1 = holds ±Inf, 2 = holds NaN, 4 = bad range
//   .w number of elements in the segment
//   The host computes norm = scale · √ssq in float64, so norms beyond f32's range are still reported.
// Bindings (group 0): 0 uniform Params, 1 x (f32 data read as u32 bits), 2 offsets (u32, segments + 1),
//   3 out (read_write, vec4u per segment). Offsets are element indices relative to params.offset_x.
// Dispatch: G = ceil(S / per_group) workgroups of WORKGROUP invocations as (min(G, 65535), ceil(G / 65535), 1)
//   (S = segments); workgroup w = wid.y * num_workgroups.x + wid.x owns segments [w·per_group, (w+1)·per_group).

override WORKGROUP: u32 = 256u;
// Segments of at most SHORT elements are summed by one invocation; longer ones by the whole workgroup.
override SHORT: u32 = 64u;

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
  per_group: u32,  // segments per workgroup, 1 ..= WORKGROUP
  out_offset: u32, // segment i is written to out[out_offset + i]
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> offsets: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4u>;

var<workgroup> sh_exp: array<i32, WORKGROUP>;
var<workgroup> sh_ssq: array<f32, WORKGROUP>;
var<workgroup> sh_status: array<u32, WORKGROUP>;
// Indices of this workgroup's long segments, and how many there are.
var<workgroup> sh_long: array<u32, WORKGROUP>;
var<workgroup> sh_long_count: atomic<u32>;
var<workgroup> sh_long_total: u32;

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

// 2^e as f32 bits, including the subnormal patterns for e < -126.
fn pow2_bits(e: i32) -> u32 {
  if (e >= -126) {
    return u32(e + 127) << 23u;
  }
  return 1u << u32(e + 149);
}

// The segment's element range in x, and STATUS_BAD_RANGE (with no elements) when its offsets are invalid.
struct Range {
  start: u32,
  count: u32,
  status: u32,
}

fn segment_range(seg: u32) -> Range {
  let n = arrayLength(&x);
  let room = n - min(params.offset_x, n);
  let lo = offsets[seg];
  let hi = offsets[seg + 1u];
  if (hi < lo || hi > room) {
    return Range(0u, 0u, STATUS_BAD_RANGE);
  }
  return Range(params.offset_x + lo, hi - lo, 0u);
}

// 4^d as f32 for each lane (d ≤ 0), or 0 where d < MIN_DELTA: built from its bits, so multiplying by it is
// exact. Lanes with d < MIN_DELTA may build garbage bits; the select never lets them through.
fn factor4(d: vec4i) -> vec4f {
  return select(vec4f(0.0), bitcast<vec4f>(vec4u(2 * max(d, vec4i(MIN_DELTA)) + 127) << vec4u(23u)), d >= vec4i(MIN_DELTA));
}

// Four partial results side by side (one per lane of a quad of elements): norm² = Σ 4^e[i] · ssq[i].
struct Partial4 {
  e: vec4i,
  ssq: vec4f,
}

// Folds four raw f32 bit patterns into the four partial results, without branches: each lane splits its
// |x| = m·2^k (integer ops only, subnormals decoded exactly), and its partial moves to the larger exponent
// (both sides rescaled by exact powers of four; the side already there by 1). Returns the status bits.
fn fold4(acc: ptr<function, Partial4>, bits: vec4u) -> u32 {
  let mag = bits & vec4u(0x7fffffffu);
  let nonfinite = mag >= vec4u(0x7f800000u);
  let st = select(vec4u(0u), select(vec4u(STATUS_NAN), vec4u(STATUS_INF), mag == vec4u(0x7f800000u)), nonfinite);
  let live = !nonfinite & (mag != vec4u(0u));
  // Subnormal: |v| = mag · 2^-149 and mag < 2^23 converts to f32 exactly (a normal number).
  let sub = mag < vec4u(0x00800000u);
  let kbits = select(mag, bitcast<vec4u>(vec4f(mag & vec4u(0x007fffffu))), sub);
  let k = vec4i(kbits >> vec4u(23u)) - vec4i(127) - select(vec4i(0), vec4i(149), sub);
  let m = bitcast<vec4f>((kbits & vec4u(0x007fffffu)) | vec4u(0x3f800000u));
  let kl = select(vec4i(EMPTY_EXP), k, live);
  let e = max((*acc).e, kl);
  (*acc).ssq = (*acc).ssq * factor4((*acc).e - e) + select(vec4f(0.0), m * m, live) * factor4(kl - e);
  (*acc).e = e;
  return st.x | st.y | st.z | st.w;
}

// Quads first, first + step, … of the range (elements 4q .. 4q + 3), then the last count % 4 elements
// (element t of them by the invocation with first ≡ t mod step), folded into one partial result.
fn accumulate(r: Range, first: u32, step: u32, acc: ptr<function, Partial>) -> u32 {
  var status = r.status;
  var acc4 = Partial4(vec4i(EMPTY_EXP), vec4f(0.0));
  let quads = r.count / 4u;
  for (var q = first; q < quads; q += step) {
    let o = r.start + 4u * q;
    status |= fold4(&acc4, vec4u(x[o], x[o + 1u], x[o + 2u], x[o + 3u]));
  }
  let done = 4u * quads;
  for (var t = first; t < r.count - done; t += step) {
    // One element in lane x; lanes y, z, w hold zeros, which fold4 skips.
    status |= fold4(&acc4, vec4u(x[r.start + done + t], 0u, 0u, 0u));
  }
  *acc = merge(merge(*acc, merge(Partial(acc4.e.x, acc4.ssq.x), Partial(acc4.e.y, acc4.ssq.y))), merge(Partial(acc4.e.z, acc4.ssq.z), Partial(acc4.e.w, acc4.ssq.w)));
  return status;
}

fn write_result(seg: u32, acc: Partial, status: u32, count: u32) {
  var result = vec4u(0u, 0u, status, count);
  if (acc.e != EMPTY_EXP) {
    result.x = pow2_bits(acc.e);
    result.y = bitcast<u32>(acc.ssq);
  }
  out[params.out_offset + seg] = result;
}

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let first = (wid.y * nwg.x + wid.x) * params.per_group;
  if (first >= params.segments) {
    return;
  }
  let last = min(first + params.per_group, params.segments);

  // Short segments: one invocation each, no barriers. Long ones are queued for the whole workgroup
  // (workgroup memory starts zeroed, so sh_long_count starts at 0).
  let mine = first + lid.x;
  if (lid.x < params.per_group && mine < last) {
    let r = segment_range(mine);
    if (r.count <= SHORT) {
      var acc = Partial(EMPTY_EXP, 0.0);
      let status = accumulate(r, 0u, 1u, &acc);
      write_result(mine, acc, status, r.count);
    } else {
      sh_long[atomicAdd(&sh_long_count, 1u)] = mine;
    }
  }
  workgroupBarrier();
  if (lid.x == 0u) {
    sh_long_total = atomicLoad(&sh_long_count);
  }
  let long_total = workgroupUniformLoad(&sh_long_total);

  // Long segments: the whole workgroup, one after another.
  for (var k = 0u; k < long_total; k++) {
    let seg = sh_long[k];
    let r = segment_range(seg);
    var acc = Partial(EMPTY_EXP, 0.0);
    let status = accumulate(r, lid.x, WORKGROUP, &acc);
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
    // Only invocation 0 touches index 0 from here until the next segment's barrier: no race.
    if (lid.x == 0u) {
      write_result(seg, Partial(sh_exp[0], sh_ssq[0]), sh_status[0], r.count);
    }
  }
}
