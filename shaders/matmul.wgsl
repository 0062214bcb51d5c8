// Matrix multiply: C[b] = alpha · op(A[b]) · op(B[b]) for b in 0..batch, row-major f32.
//
// op(A) is m×k: A is stored m×k, or k×m when trans_a. op(B) is k×n: B is stored k×n, or n×k when trans_b.
// The transposes are uniforms, not overrides, so one pipeline per tile shape serves all four products.
// Batch item b reads A from offset_a + b·stride_a, B from offset_b + b·stride_b and writes C (m×n) at
// offset_c + b·stride_c (all in elements; a stride of 0 broadcasts that operand).
//
// Algorithm: each workgroup owns a TILE_M × TILE_N block of C and walks k in steps of TILE_K. Per step it
// stages a TILE_M × TILE_K slab of op(A) and a TILE_K × TILE_N slab of op(B) in workgroup memory, both
// depth-major so the inner loop reads contiguous words (rows padded by one word, so stores that walk the
// depth do not all land in one bank). Then every invocation accumulates a WPT × WPT micro-tile in
// registers. The micro-tile is strided: invocation (tx, ty) owns rows ty + i·THREADS_Y and columns
// tx + j·THREADS_X, so neighbouring invocations read neighbouring words of tile_b, share (broadcast) words
// of tile_a, and store neighbouring words of C. Global loads walk each operand's contiguous axis.
// Entries outside m, n or k are staged as 0 and never stored, so any m, n, k ≥ 1 works.
// Accumulation is plain f32 in k order: error ≤ γ_{k+2}·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ, γ_j = j·2⁻²⁴/(1 − j·2⁻²⁴).
//
// Bindings (group 0): 0 uniform Params, 1 a (read), 2 b (read), 3 c (read_write; not a or b).
// Dispatch: (ceil(n / TILE_N), ceil(m / TILE_M), batch) workgroups of (TILE_N / WPT, TILE_M / WPT)
//   invocations. Workgroup storage: 4·TILE_K·(TILE_M + TILE_N + 2) bytes (8.1 KiB at the defaults).

override TILE_M: u32 = 64u;   // rows of C per workgroup, multiple of WPT
override TILE_N: u32 = 64u;   // columns of C per workgroup, multiple of WPT
override TILE_K: u32 = 16u;   // depth staged per step

// Micro-tile side: a const, because function-scope arrays (the accumulators) need a const size.
const WPT: u32 = 4u;  // the accumulators and the tile_b reads are vec4f: change together

override THREADS_X: u32 = TILE_N / WPT;
override THREADS_Y: u32 = TILE_M / WPT;
override STRIDE_A: u32 = TILE_M + 1u;  // words between depth rows of tile_a
override STRIDE_B: u32 = TILE_N + 1u;

// Params and its binding `params` (0): shaders/matmul-common.wgsl, appended to this file
// when the module is loaded (one declaration for every matmul kernel).
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

var<workgroup> tile_a: array<f32, TILE_K * STRIDE_A>;  // tile_a[p * STRIDE_A + r] = op(A)[row0 + r, k0 + p]
var<workgroup> tile_b: array<f32, TILE_K * STRIDE_B>;  // tile_b[p * STRIDE_B + q] = op(B)[k0 + p, col0 + q]

@compute @workgroup_size(THREADS_X, THREADS_Y)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let row0 = wid.y * TILE_M;
  let col0 = wid.x * TILE_N;
  let base_a = params.offset_a + wid.z * params.stride_a;
  let base_b = params.offset_b + wid.z * params.stride_b;
  let base_c = params.offset_c + wid.z * params.stride_c;
  let threads = THREADS_X * THREADS_Y;
  let flat = lid.y * THREADS_X + lid.x;
  let trans_a = params.trans_a != 0u;
  let trans_b = params.trans_b != 0u;

  // acc[i][j] accumulates C[row0 + lid.y + i·THREADS_Y, col0 + lid.x + j·THREADS_X].
  var acc: array<vec4f, WPT>;

  for (var k0 = 0u; k0 < k; k0 += TILE_K) {
    for (var t = flat; t < TILE_M * TILE_K; t += threads) {
      var r: u32;
      var p: u32;
      if (trans_a) {
        r = t % TILE_M;  // A is k×m: consecutive invocations walk m
        p = t / TILE_M;
      } else {
        r = t / TILE_K;  // A is m×k: consecutive invocations walk k
        p = t % TILE_K;
      }
      let gr = row0 + r;
      let gp = k0 + p;
      var v = 0.0;
      if (gr < m && gp < k) {
        v = a[base_a + select(gr * k + gp, gp * m + gr, trans_a)];
      }
      tile_a[p * STRIDE_A + r] = v;
    }
    for (var t = flat; t < TILE_K * TILE_N; t += threads) {
      var q: u32;
      var p: u32;
      if (trans_b) {
        q = t / TILE_K;  // B is n×k: consecutive invocations walk k
        p = t % TILE_K;
      } else {
        q = t % TILE_N;  // B is k×n: consecutive invocations walk n
        p = t / TILE_N;
      }
      let gq = col0 + q;
      let gp = k0 + p;
      var v = 0.0;
      if (gq < n && gp < k) {
        v = b[base_b + select(gp * n + gq, gq * k + gp, trans_b)];
      }
      tile_b[p * STRIDE_B + q] = v;
    }
    workgroupBarrier();

    for (var p = 0u; p < TILE_K; p++) {
      let rb = p * STRIDE_B + lid.x;
      let bv = vec4f(tile_b[rb], tile_b[rb + THREADS_X], tile_b[rb + 2u * THREADS_X], tile_b[rb + 3u * THREADS_X]);
      let ra = p * STRIDE_A + lid.y;
      for (var i = 0u; i < WPT; i++) {
        acc[i] += tile_a[ra + i * THREADS_Y] * bv;
      }
    }
    // Nobody may overwrite the slabs for the next step while others still read them.
    workgroupBarrier();
  }

  for (var i = 0u; i < WPT; i++) {
    let row = row0 + lid.y + i * THREADS_Y;
    if (row >= m) { break; }
    for (var j = 0u; j < WPT; j++) {
      let col = col0 + lid.x + j * THREADS_X;
      if (col >= n) { break; }
      c[base_c + row * n + col] = params.alpha * acc[i][j];
    }
  }
}
