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
// Block exponent: the input is read as raw u32 bits, and each |x| becomes "extended bits" (ext4), an i32
//   that orders like |x| and whose exponent field may go below 1: normal values keep their bits; a
//   subnormal (or 0) x = mag · 2^-149 becomes the bits of f32(mag) (exact, mag < 2^23) with 149 taken off
//   the exponent field. An invocation folds a block of four quads (16 values; quads of 4 consecutive
//   elements, an invocation of a long segment's workgroup taking quads lid, lid + WORKGROUP, …) at a time:
//   the block's largest extended bits (an integer max) raise the invocation's scale 2^(e−127) if needed
//   (its running ssq is rescaled once per block, exactly), then every value is divided by the scale in
//   the integer domain (e − 127 taken off its exponent field: exact, no float operation ever sees a value
//   outside the normal range) and squared. The fold has no data-dependent branch: a CPU adapter runs both
//   sides of every such branch, so the select / max form is the fast one. Hence:
//     - no overflow: 1,000 × 1e30 or 100 × 3e38 (norm 3e39 > f32 max) give exact (e, ssq) pairs;
//     - no underflow: 1e-30 is as accurate as 1; subnormal inputs (e.g. 1e-40) are decoded exactly
//       from their bits, so a GPU that flushes subnormals to zero still gets them right;
//     - threshold: a value with |x| < 2^-126 · 2^(e−127) (the invocation's scale when its block is
//       folded) is dropped, or kept as a subnormal (a GPU may flush it): its square is below 2^-252 of
//       the largest term; and a running ssq or partial result more than 63 binades below the scale it
//       is brought to (4^Δe < 4^-63) is dropped: below 2^-126 of the largest term, far below f32
//       rounding even for 2^32 such values.
// Inf / NaN: detected from the bit pattern (|bits| = bits & 0x7fffffff; exponent 0x7f800000 all ones:
//   mantissa 0 → Inf, otherwise NaN), never with isinf/isnan/v != v, which WGSL's finite-math rule lets
//   compilers fold away: NaN when the largest extended bits exceed 0x7f800000, ±Inf when the largest of
//   (extended bits XOR 0x007fffff) is 0x7fffffff (only 0x7f800000 maps there). They set status bits;
//   such a segment's scale and ssq words are meaningless (the host reports Inf or NaN and ignores them):
//   looking for them value by value would cost every segment.
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
// Exponent field of 2^-149 (the smallest subnormal) in extended bits (see ext4): the lowest scale.
const E_MIN: i32 = -22;
// Extended bits of 0.
const ZERO_EXT: i32 = -(149 << 23u);

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

// |x| of four raw f32 bit patterns as "extended bits", an i32 that orders like |x| and whose exponent field
// can go below 1: a normal |x| keeps its bits; a subnormal one (or 0), exactly mag · 2^-149, becomes the
// bits of f32(mag) (exact: mag < 2^23, a normal number) with 149 taken off the exponent field, so 0 maps
// to ZERO_EXT. ±Inf and NaN keep exponent field 255.
fn ext4(bits: vec4u) -> vec4i {
  let mag = bits & vec4u(0x7fffffffu);
  let sub = bitcast<vec4i>(vec4f(mag)) - vec4i(149 << 23u);
  return select(bitcast<vec4i>(mag), sub, mag < vec4u(0x00800000u));
}

// An invocation's running result: norm² = 4^(e − 127) · ssq, e the exponent field of its scale (≥ E_MIN,
// the field 2^-149 would have), ssq ∈ [1, 4n) once a nonzero value was seen, else 0; top and flip are the
// largest extended bits seen and the largest of them XOR 0x007fffff (NaN and ±Inf, see status).
struct Acc {
  e: i32,
  ssq: f32,
  top: i32,
  flip: i32,
}

// |x| / 2^(e − 127) of extended bits, exactly, by subtracting (e − 127) from the exponent field; values
// below 2^-126 of the scale come out as 0 or as a subnormal (their squares are below 2^-252 of ssq).
fn scaled4(x: vec4i, shift: vec4i) -> vec4f {
  return bitcast<vec4f>(max(x, shift) - shift);
}

// Folds a block of four quads (16 values as extended bits) into the running result, without branches:
// the block's largest magnitude (an integer max) raises the scale if needed, the running ssq is rescaled
// once by an exact power of four (0 when it falls below 4^MIN_DELTA of the new scale), then every value
// is divided by the scale exactly in the integer domain and squared.
fn fold(acc: ptr<function, Acc>, x0: vec4i, x1: vec4i, x2: vec4i, x3: vec4i) {
  let m = max(max(x0, x1), max(x2, x3));
  let top = max(max(m.x, m.y), max(m.z, m.w));
  (*acc).top = max((*acc).top, top);
  let k = vec4i(0x007fffff);
  let f = max(max(x0 ^ k, x1 ^ k), max(x2 ^ k, x3 ^ k));
  (*acc).flip = max((*acc).flip, max(max(f.x, f.y), max(f.z, f.w)));
  let e = max((*acc).e, top >> 23u);
  let d = (*acc).e - e;
  (*acc).ssq *= select(0.0, bitcast<f32>(u32(2 * max(d, MIN_DELTA) + 127) << 23u), d >= MIN_DELTA);
  (*acc).e = e;
  let shift = vec4i((e - 127) << 23u);
  let v0 = scaled4(x0, shift);
  let v1 = scaled4(x1, shift);
  let v2 = scaled4(x2, shift);
  let v3 = scaled4(x3, shift);
  let s = (v0 * v0 + v1 * v1) + (v2 * v2 + v3 * v3);
  (*acc).ssq += (s.x + s.y) + (s.z + s.w);
}

fn quad(o: u32) -> vec4u {
  return vec4u(x[o], x[o + 1u], x[o + 2u], x[o + 3u]);
}

// The range's quads (elements 4q .. 4q + 3) first, first + step, …: in blocks of four quads first, first
// + step, first + 2·step, first + 3·step (offset by multiples of 4·step), then the quads left over one by
// one, then the last count % 4 elements (element t of them by the invocation with first ≡ t mod step).
fn accumulate(r: Range, first: u32, step: u32) -> Acc {
  var acc = Acc(E_MIN, 0.0, ZERO_EXT, ZERO_EXT);
  let z = vec4i(ZERO_EXT);
  let quads = r.count / 4u;
  let span = 4u * step;
  let blocks_end = quads - quads % span;
  let d = 4u * step;
  var q = first;
  for (; q < blocks_end; q += span) {
    let o = r.start + 4u * q;
    fold(&acc, ext4(quad(o)), ext4(quad(o + d)), ext4(quad(o + 2u * d)), ext4(quad(o + 3u * d)));
  }
  for (; q < quads; q += step) {
    fold(&acc, ext4(quad(r.start + 4u * q)), z, z, z);
  }
  let done = 4u * quads;
  for (var t = first; t < r.count - done; t += step) {
    fold(&acc, ext4(vec4u(x[r.start + done + t], 0u, 0u, 0u)), z, z, z);
  }
  return acc;
}

// Status bits from an invocation's running result: NaN is the only extended bits above 0x7f800000 (Inf's),
// and ±Inf the only one whose XOR with 0x007fffff is 0x7fffffff.
fn status(acc: Acc) -> u32 {
  return select(0u, STATUS_NAN, acc.top > 0x7f800000) | select(0u, STATUS_INF, acc.flip == 0x7fffffff);
}

// An invocation's result as a partial result (EMPTY_EXP when it saw no nonzero value).
fn partial(acc: Acc) -> Partial {
  return Partial(select(EMPTY_EXP, acc.e - 127, acc.ssq > 0.0), acc.ssq);
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
      let acc = accumulate(r, 0u, 1u);
      write_result(mine, partial(acc), r.status | status(acc), r.count);
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
    let acc = accumulate(r, lid.x, WORKGROUP);
    let p = partial(acc);
    sh_exp[lid.x] = p.e;
    sh_ssq[lid.x] = p.ssq;
    sh_status[lid.x] = r.status | status(acc);
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
