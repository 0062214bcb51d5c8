// Moments: per-column mean and population variance (÷ n) of a row-major rows×cols matrix; with cols = 1,
// of a contiguous range of a buffer. Numerically stable: never E[x²] − E[x]².
//
// Algorithm: every invocation keeps a state (n, mean, M2 = Σ (x − mean)²).
//   partial:  a workgroup owns a tile of TILE = params.tile columns (a power of two dividing WORKGROUP)
//             and LANES = WORKGROUP / TILE lanes per column; invocation (column c, lane l) of chunk g = wid.z
//             runs Welford over rows r = g·LANES + l + k·(chunks·LANES). The LANES states of each column
//             are then merged in workgroup memory by a tree of Chan et al. merges:
//               δ = mean_b − mean_a,  n = n_a + n_b,  mean = mean_a + δ·n_b/n,  M2 = M2_a + M2_b + δ²·n_a·n_b/n.
//             With chunks = 1 it writes the result; otherwise state (g, c) goes to dst for finalize.
//   finalize: the same tiling over the params.rows (= chunks of partial) states of each column: each lane
//             merges its strided states, the tree merges the lanes, lane 0 writes the result.
//   all:      cols = 1 only (a contiguous range, momentsAll): a few fat workgroups (params.chunks of them,
//             along x) stream the range as aligned vec4 quads (src seen as array<vec4f>). Each invocation
//             keeps a vec4 state (n, mean, M2): four interleaved streams sharing one count. It takes blocks
//             of quads; a block's own (size, mean, M2) per lane is exact two-pass in registers and is
//             Chan-merged into the state (one division per block). Which quads: with
//             params.contiguous = 1 (CPU adapters) invocation t of T = chunks·WORKGROUP owns one run of
//             P = ⌊quads / T⌋ rounded down to a multiple of 8 consecutive quads, in blocks of eight (each
//             CPU lane streams its own run; a longer block spreads the merge over more values, which pays
//             where every vector operation is executed per lane); otherwise (GPUs) block k of t is the four
//             quads t + 4kT, … + 3T (neighbouring invocations read neighbouring quads). Leftover quads go one per invocation by Welford. The four lanes
//             are merged (Chan), then the head (elements before the first 16-byte boundary) and tail
//             (after the last whole quad) are folded in by invocations 0..2 and 3..5, then the workgroup
//             tree merges the invocations. Its states go to dst for finalize (or the result, chunks = 1).
//             The host uses `all` only when x's buffer holds every quad the range touches.
// Result (elements from dst_offset): dst[c] = mean_c, dst[cols + c] = M2_c / n_c.
// Partial states: 3 f32 (n, mean, M2) at dst[dst_offset + (g·cols + c)·3]. Counts are f32: exact to 2²⁴,
//   and beyond that only the weights n_b/n round (relative 6e-8), not the sums.
// Bindings (group 0): 0 uniform Params, 1 src (read: x, or partial states; `all` sees it as src4, vec4s),
//   2 dst (read_write).
// Dispatch: (gx, gy, chunks) workgroups of WORKGROUP invocations, gx·gy ≥ ceil(cols / TILE) (the host
//   splits big tile counts over x and y); tile t = wid.y·nwg.x + wid.x. finalize: (gx, gy, 1).
//   all: (chunks, 1, 1) with params.tile = 1, then finalize over chunks states when chunks > 1.

override WORKGROUP: u32 = 256u;

struct Params {
  rows: u32,        // partial: matrix rows; finalize: partial states per column (= chunks of partial)
  cols: u32,
  src_offset: u32,  // element offsets into src and dst
  dst_offset: u32,
  chunks: u32,      // partial: workgroups along z sharing the rows of a column tile
  tile: u32,        // columns per workgroup, a power of two ≤ WORKGROUP
  contiguous: u32,  // all: 1 = each invocation streams its own run of quads (CPU adapters), 0 = interleaved
  _pad1: u32,
}

struct State {
  n: f32,
  mean: f32,
  m2: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

var<workgroup> states: array<State, WORKGROUP>;

fn welford(s: State, v: f32) -> State {
  let n = s.n + 1.0;
  let d = v - s.mean;
  let mean = s.mean + d / n;
  return State(n, mean, s.m2 + d * (v - mean));
}

fn merge(a: State, b: State) -> State {
  if (b.n == 0.0) { return a; }
  if (a.n == 0.0) { return b; }
  let n = a.n + b.n;
  let d = b.mean - a.mean;
  let wb = b.n / n;
  return State(n, a.mean + d * wb, a.m2 + b.m2 + d * d * a.n * wb);
}

// Tree-merges the lanes of each column; the column's total is returned to its lane 0.
// Called from uniform control flow by every invocation of the workgroup.
fn reduce_lanes(idx: u32, lane: u32, s: State) -> State {
  states[idx] = s;
  workgroupBarrier();
  for (var step = WORKGROUP / params.tile / 2u; step > 0u; step = step / 2u) {
    if (lane < step) {
      states[idx] = merge(states[idx], states[idx + step * params.tile]);
    }
    workgroupBarrier();
  }
  return states[idx];
}

fn write_result(c: u32, s: State) {
  dst[params.dst_offset + c] = s.mean;
  dst[params.dst_offset + params.cols + c] = s.m2 / s.n;
}

fn column_of(wid: vec3u, nwg: vec3u, lid: vec3u) -> u32 {
  return (wid.y * nwg.x + wid.x) * params.tile + lid.x % params.tile;
}

@compute @workgroup_size(WORKGROUP)
fn partial(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let lanes = WORKGROUP / params.tile;
  let lane = lid.x / params.tile;
  let c = column_of(wid, nwg, lid);
  var s = State(0.0, 0.0, 0.0);
  if (c < params.cols) {
    let stride = params.chunks * lanes;
    for (var r = wid.z * lanes + lane; r < params.rows; r += stride) {
      s = welford(s, src[params.src_offset + r * params.cols + c]);
    }
  }
  let total = reduce_lanes(lid.x, lane, s);
  if (lane == 0u && c < params.cols) {
    if (params.chunks == 1u) {
      write_result(c, total);
    } else {
      let o = params.dst_offset + (wid.z * params.cols + c) * 3u;
      dst[o] = total.n;
      dst[o + 1u] = total.mean;
      dst[o + 2u] = total.m2;
    }
  }
}

@compute @workgroup_size(WORKGROUP)
fn finalize(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let lanes = WORKGROUP / params.tile;
  let lane = lid.x / params.tile;
  let c = column_of(wid, nwg, lid);
  var s = State(0.0, 0.0, 0.0);
  if (c < params.cols) {
    for (var g = lane; g < params.rows; g += lanes) {
      let o = params.src_offset + (g * params.cols + c) * 3u;
      s = merge(s, State(src[o], src[o + 1u], src[o + 2u]));
    }
  }
  let total = reduce_lanes(lid.x, lane, s);
  if (lane == 0u && c < params.cols) {
    write_result(c, total);
  }
}

// Four interleaved streams (the vec4's lanes) that have each seen n values.
struct State4 {
  n: f32,
  mean: vec4f,
  m2: vec4f,
}

fn welford4(s: State4, v: vec4f) -> State4 {
  let n = s.n + 1.0;
  let d = v - s.mean;
  let mean = s.mean + d * (1.0 / n);
  return State4(n, mean, s.m2 + d * (v - mean));
}

// Chan merge of a block of four quads (a, b, c, d) into s: the block's own (4, mean, M2) is exact two-pass
// in registers, so one division serves sixteen values.
fn block4(s: State4, a: vec4f, b: vec4f, c: vec4f, d: vec4f) -> State4 {
  let bm = (a + b + c + d) * 0.25;
  let da = a - bm;
  let db = b - bm;
  let dc = c - bm;
  let dd = d - bm;
  let bm2 = da * da + db * db + dc * dc + dd * dd;
  let n = s.n + 4.0;
  let w = 4.0 / n;
  let delta = bm - s.mean;
  return State4(n, s.mean + delta * w, s.m2 + bm2 + delta * delta * (s.n * w));
}

// Chan merge of a block of eight quads into s, as block4 (one division serves thirty-two values).
fn block8(s: State4, a: vec4f, b: vec4f, c: vec4f, d: vec4f, e: vec4f, f: vec4f, g: vec4f, h: vec4f) -> State4 {
  let bm = ((a + b) + (c + d) + ((e + f) + (g + h))) * 0.125;
  let da = a - bm;
  let db = b - bm;
  let dc = c - bm;
  let dd = d - bm;
  let de = e - bm;
  let df = f - bm;
  let dg = g - bm;
  let dh = h - bm;
  let bm2 = ((da * da + db * db) + (dc * dc + dd * dd)) + ((de * de + df * df) + (dg * dg + dh * dh));
  let n = s.n + 8.0;
  let w = 8.0 / n;
  let delta = bm - s.mean;
  return State4(n, s.mean + delta * w, s.m2 + bm2 + delta * delta * (s.n * w));
}

// The `all` pass reads whole quads: the same binding as `src`, seen as vec4s (only `all` uses it).
@group(0) @binding(1) var<storage, read> src4: array<vec4f>;

// Element e of src, through src4 (an entry point may use only one of the two views).
fn at4(e: u32) -> f32 {
  return src4[e / 4u][e % 4u];
}

@compute @workgroup_size(WORKGROUP)
fn all(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let count = params.rows;
  let start = params.src_offset;
  // Quads are aligned to 16 bytes of the buffer: the first starts at the first multiple of 4 ≥ start.
  let head = min((4u - start % 4u) % 4u, count);
  let quads = (count - head) / 4u;
  let first = (start + head) / 4u;
  let t = wid.x * WORKGROUP + lid.x;
  let total = nwg.x * WORKGROUP;

  var s4 = State4(0.0, vec4f(0.0), vec4f(0.0));
  var q = t;
  if (params.contiguous == 1u) {
    // Quads [t·P, (t + 1)·P) in blocks of eight, then quads T·P + t, + T, … one at a time.
    let per = (quads / total) & ~7u;
    let lo = first + t * per;
    for (var k = 0u; k < per; k += 8u) {
      let o = lo + k;
      s4 = block8(s4, src4[o], src4[o + 1u], src4[o + 2u], src4[o + 3u], src4[o + 4u], src4[o + 5u], src4[o + 6u], src4[o + 7u]);
    }
    q = total * per + t;
  } else if (quads >= 3u * total) {
    // Blocks of quads q, q + T, q + 2T, q + 3T, then the last few quads one at a time.
    let full = quads - 3u * total;
    for (; q < full; q += 4u * total) {
      let o = first + q;
      s4 = block4(s4, src4[o], src4[o + total], src4[o + 2u * total], src4[o + 3u * total]);
    }
  }
  for (; q < quads; q += total) {
    s4 = welford4(s4, src4[first + q]);
  }
  var s = merge(merge(State(s4.n, s4.mean.x, s4.m2.x), State(s4.n, s4.mean.y, s4.m2.y)),
                merge(State(s4.n, s4.mean.z, s4.m2.z), State(s4.n, s4.mean.w, s4.m2.w)));
  // Head (< 4 values) and tail (< 4 values): one value each for invocations 0..2 and 3..5 of the grid.
  if (t < head) {
    s = merge(s, State(1.0, at4(start + t), 0.0));
  }
  let done = head + 4u * quads;
  if (t >= 3u && t - 3u < count - done) {
    s = merge(s, State(1.0, at4(start + done + t - 3u), 0.0));
  }
  let sum = reduce_lanes(lid.x, lid.x, s);
  if (lid.x == 0u) {
    if (nwg.x == 1u) {
      write_result(0u, sum);
    } else {
      let o = params.dst_offset + wid.x * 3u;
      dst[o] = sum.n;
      dst[o + 1u] = sum.mean;
      dst[o + 2u] = sum.m2;
    }
  }
}
