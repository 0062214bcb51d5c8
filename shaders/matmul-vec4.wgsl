// Matrix multiply with vec4 loads and register blocks: C[b] = alpha · op(A[b]) · op(B[b]), row-major f32.
// Same contract, Params struct and bind-group layout as shaders/matmul.wgsl and shaders/matmul-direct.wgsl,
// but A and B are read as array<vec4f>, so src/kernels/matmul.ts runs this kernel only when every vec4
// lies inside one operand (shapes and offsets allow it, see "Alignment") and shaders/matmul-direct.wgsl
// (scalar loads, any shape) otherwise.
//
// op(A) is m×k: A is stored m×k, or k×m when trans_a. op(B) is k×n: B is stored k×n, or n×k when trans_b.
// Batch item b reads A from offset_a + b·stride_a, B from offset_b + b·stride_b and writes C (m×n) at
// offset_c + b·stride_c (elements; a stride of 0 broadcasts that operand).
//
// Alignment (checked by the host): offset_a, offset_b and, for batch > 1, stride_a, stride_b are multiples
// of 4, and so is each operand's contiguous axis: k for A (m when trans_a), n for B (k when trans_b).
//
// Algorithm: each invocation keeps a (4·ROW_BLOCKS) × (4·COL_BLOCKS) block of C in registers as 4×4
// matrices written out by hand (no loops or indexed arrays in the hot path: CPU implementations would put
// those in memory) and walks k in steps of 4. Per step it loads, for each block row, four vec4s along
// A's contiguous axis (rows of the 4×4 block of op(A), or its columns when trans_a) and for each block
// column four vec4s of B, turns them into 4×4 matrices (a transpose is free register renaming) and adds
// the mat4x4 products: 64 multiply-adds per 8 vec4 loads. Column blocks are interleaved across the
// THREADS_X invocations of a row (invocation x owns columns 4·(x + THREADS_X·s) .. + 3), so neighbouring
// invocations read neighbouring vec4s of B and store neighbouring words of C. Rows and columns past m, n
// are clamped to the last whole vec4 or line (loaded, computed, never stored); the last partial step of
// k (only when k is not A's or B's contiguous axis) zeroes the vec4s past k. Blocks switched off by the
// overrides sit behind branches that are constant once the pipeline is built.
// Accumulation: a 4-term dot product per step added to the f32 accumulator, so the error bound is the
// tiled kernel's: ≤ γ_{k+2}·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ, γ_j = j·2⁻²⁴/(1 − j·2⁻²⁴).
//
// Bindings (group 0): 0 uniform Params, 1 a (read, as vec4f), 2 b (read, as vec4f), 3 c (read_write).
// Dispatch: (ceil(n / (4·COL_BLOCKS·THREADS_X)), ceil(m / (4·ROW_BLOCKS·THREADS_Y)), batch) workgroups of
//   (THREADS_X, THREADS_Y) invocations. No workgroup memory, no barriers.

override ROW_BLOCKS: u32 = 4u;  // 4×4 blocks of C per invocation, down (1 to 4)
override COL_BLOCKS: u32 = 4u;  // and across (1 to 4)
override THREADS_X: u32 = 4u;
override THREADS_Y: u32 = 4u;

// Params and its binding `params` (0), Lines and Acc: shaders/matmul-common.wgsl, appended to this file
// when the module is loaded (one declaration for every matmul kernel).
@group(0) @binding(1) var<storage, read> a: array<vec4f>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

// Lines here: vec4 indices (at depth 0) of the four vec4s that make one 4×4 block of op(A), one per block row.
// Acc here: the invocation's block of C: cRS is rows 4R .. 4R + 3 × its column block S, stored [column][row].

/** What one step needs besides the lines: the depth advance in vec4s and which vec4s survive. */
struct Step {
  pa: u32,          // added to A's lines
  pb: u32,          // added to B's lines
  keep_a: vec4<bool>,
  keep_b: vec4<bool>,
  trans_a: bool,
  trans_b: bool,
}

// The 4×4 block of op(A) (column q = op(A)[four rows, p + q]) from four vec4s along A's contiguous axis:
// rows of the block, or its columns when trans_a.
fn block_a(l: vec4u, s: Step) -> mat4x4f {
  let z = vec4f(0.0);
  let v = mat4x4f(
    select(z, a[l.x + s.pa], s.keep_a.x),
    select(z, a[l.y + s.pa], s.keep_a.y),
    select(z, a[l.z + s.pa], s.keep_a.z),
    select(z, a[l.w + s.pa], s.keep_a.w),
  );
  let t = transpose(v);
  return mat4x4f(select(t[0], v[0], s.trans_a), select(t[1], v[1], s.trans_a), select(t[2], v[2], s.trans_a), select(t[3], v[3], s.trans_a));
}

// The 4×4 block of op(B) (column j = op(B)[p .. p + 3, column j]) from four vec4s: rows of the block, or
// its columns when trans_b.
fn block_b(l: vec4u, s: Step) -> mat4x4f {
  let z = vec4f(0.0);
  let v = mat4x4f(
    select(z, b[l.x + s.pb], s.keep_b.x),
    select(z, b[l.y + s.pb], s.keep_b.y),
    select(z, b[l.z + s.pb], s.keep_b.z),
    select(z, b[l.w + s.pb], s.keep_b.w),
  );
  let t = transpose(v);
  return mat4x4f(select(t[0], v[0], s.trans_b), select(t[1], v[1], s.trans_b), select(t[2], v[2], s.trans_b), select(t[3], v[3], s.trans_b));
}

// One step of 4 in k: acc += op(A)[rows, p .. p + 3] · op(B)[p .. p + 3, cols].
fn step(acc: ptr<function, Acc>, rows: Lines, cols: Lines, s: Step) {
  let a0 = block_a(rows.l0, s);
  var a1 = mat4x4f();
  var a2 = mat4x4f();
  var a3 = mat4x4f();
  if (ROW_BLOCKS > 1u) { a1 = block_a(rows.l1, s); }
  if (ROW_BLOCKS > 2u) { a2 = block_a(rows.l2, s); }
  if (ROW_BLOCKS > 3u) { a3 = block_a(rows.l3, s); }
  let b0 = block_b(cols.l0, s);
  var b1 = mat4x4f();
  var b2 = mat4x4f();
  var b3 = mat4x4f();
  if (COL_BLOCKS > 1u) { b1 = block_b(cols.l1, s); }
  if (COL_BLOCKS > 2u) { b2 = block_b(cols.l2, s); }
  if (COL_BLOCKS > 3u) { b3 = block_b(cols.l3, s); }

  (*acc).c00 += a0 * b0;
  if (COL_BLOCKS > 1u) { (*acc).c01 += a0 * b1; }
  if (COL_BLOCKS > 2u) { (*acc).c02 += a0 * b2; }
  if (COL_BLOCKS > 3u) { (*acc).c03 += a0 * b3; }
  if (ROW_BLOCKS > 1u) {
    (*acc).c10 += a1 * b0;
    if (COL_BLOCKS > 1u) { (*acc).c11 += a1 * b1; }
    if (COL_BLOCKS > 2u) { (*acc).c12 += a1 * b2; }
    if (COL_BLOCKS > 3u) { (*acc).c13 += a1 * b3; }
  }
  if (ROW_BLOCKS > 2u) {
    (*acc).c20 += a2 * b0;
    if (COL_BLOCKS > 1u) { (*acc).c21 += a2 * b1; }
    if (COL_BLOCKS > 2u) { (*acc).c22 += a2 * b2; }
    if (COL_BLOCKS > 3u) { (*acc).c23 += a2 * b3; }
  }
  if (ROW_BLOCKS > 3u) {
    (*acc).c30 += a3 * b0;
    if (COL_BLOCKS > 1u) { (*acc).c31 += a3 * b1; }
    if (COL_BLOCKS > 2u) { (*acc).c32 += a3 * b2; }
    if (COL_BLOCKS > 3u) { (*acc).c33 += a3 * b3; }
  }
}

// vec4 indices of the four vec4s of A making the block of rows r .. r + 3 (at depth 0).
fn lines_a(base: u32, r: u32, trans: bool) -> vec4u {
  let m = params.m;
  let k = params.k;
  let lane = vec4u(0u, 1u, 2u, 3u);
  if (trans) {
    // A is k×m: depth line q holds rows r .. r + 3 (m is a multiple of 4: clamp the whole vec4).
    return (base + lane * m + min(r, m - 4u)) / 4u;
  }
  // A is m×k: row r + i, depth 0 .. 3.
  return (base + min(vec4u(r) + lane, vec4u(m - 1u)) * k) / 4u;
}

// vec4 indices of the four vec4s of B making the block of columns q .. q + 3 (at depth 0).
fn lines_b(base: u32, q: u32, trans: bool) -> vec4u {
  let n = params.n;
  let k = params.k;
  let lane = vec4u(0u, 1u, 2u, 3u);
  if (trans) {
    // B is n×k: column q + j, depth 0 .. 3.
    return (base + min(vec4u(q) + lane, vec4u(n - 1u)) * k) / 4u;
  }
  // B is k×n: depth line q' holds columns q .. q + 3 (n is a multiple of 4: clamp the whole vec4).
  return (base + lane * n + min(q, n - 4u)) / 4u;
}

@compute @workgroup_size(THREADS_X, THREADS_Y)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let row0 = gid.y * 4u * ROW_BLOCKS;
  // Column block s of this invocation starts at col0 + 4·THREADS_X·s.
  let col0 = 4u * (wid.x * THREADS_X * COL_BLOCKS + lid.x);
  let col_step = 4u * THREADS_X;
  if (row0 >= m || col0 >= n) { return; }

  let trans_a = params.trans_a != 0u;
  let trans_b = params.trans_b != 0u;
  let base_a = params.offset_a + gid.z * params.stride_a;
  let base_b = params.offset_b + gid.z * params.stride_b;
  let rows = Lines(
    lines_a(base_a, row0, trans_a),
    lines_a(base_a, row0 + 4u, trans_a),
    lines_a(base_a, row0 + 8u, trans_a),
    lines_a(base_a, row0 + 12u, trans_a),
  );
  let cols = Lines(
    lines_b(base_b, col0, trans_b),
    lines_b(base_b, col0 + col_step, trans_b),
    lines_b(base_b, col0 + 2u * col_step, trans_b),
    lines_b(base_b, col0 + 3u * col_step, trans_b),
  );
  // Depth advance per step of 4, in vec4s: along the contiguous axis 1, else a whole line (m or n floats).
  let adv_a = select(1u, m, trans_a);
  let adv_b = select(n, 1u, trans_b);

  var acc: Acc;
  let whole = k & ~3u;
  let all = vec4<bool>(true);
  for (var p = 0u; p < whole; p += 4u) {
    step(&acc, rows, cols, Step((p / 4u) * adv_a, (p / 4u) * adv_b, all, all, trans_a, trans_b));
  }
  // Only when k is neither operand's contiguous axis (trans_a and not trans_b): zero the vec4s past k.
  if (whole < k) {
    let live = whole + vec4u(0u, 1u, 2u, 3u) < vec4u(k);
    step(&acc, rows, cols, Step((whole / 4u) * adv_a, (whole / 4u) * adv_b, live, live, trans_a, trans_b));
  }

  // Once per invocation, so a plain indexed loop is fine here.
  var blocks = array<mat4x4f, 16>(
    acc.c00, acc.c01, acc.c02, acc.c03, acc.c10, acc.c11, acc.c12, acc.c13,
    acc.c20, acc.c21, acc.c22, acc.c23, acc.c30, acc.c31, acc.c32, acc.c33,
  );
  let base_c = params.offset_c + gid.z * params.stride_c;
  for (var r = 0u; r < ROW_BLOCKS; r++) {
    for (var s = 0u; s < COL_BLOCKS; s++) {
      let blk = blocks[r * 4u + s];
      let q = col0 + s * col_step;
      for (var j = 0u; j < 4u; j++) {
        let col = q + j;
        if (col >= n) { break; }
        for (var i = 0u; i < 4u; i++) {
          let row = row0 + r * 4u + i;
          if (row >= m) { break; }
          c[base_c + row * n + col] = params.alpha * blk[j][i];
        }
      }
    }
  }
}
