// Matrix multiply without workgroup memory: C[b] = alpha · op(A[b]) · op(B[b]) for b in 0..batch, row-major f32.
// Same contract, Params struct and bindings as shaders/matmul.wgsl (the tiled kernel), so one bind-group
// layout and one uniform serve both; src/kernels/matmul.ts picks this one on CPU adapters.
//
// op(A) is m×k: A is stored m×k, or k×m when trans_a. op(B) is k×n: B is stored k×n, or n×k when trans_b.
// Batch item b reads A from offset_a + b·stride_a, B from offset_b + b·stride_b and writes C (m×n) at
// offset_c + b·stride_c (all in elements, any alignment; a stride of 0 broadcasts that operand).
//
// Why: on CPU implementations of WebGPU (SwiftShader, llvmpipe, WARP) workgroup memory and barriers are
// emulated and cost more than the reuse they buy, and loops are not unrolled, so a register array indexed
// in a loop lives in memory (such a version measured 4–5× slower). Here each invocation keeps a
// (4·ROW_BLOCKS) × (4·COL_BLOCKS) block of C in registers as 4×4 matrices, written out by hand (no loops,
// no indexed arrays in the hot path). Blocks the override constants switch off sit behind branches that
// are constant once the pipeline is built, and cost nothing. On SwiftShader, 16×16 per invocation runs
// 7–10× faster than the tiled kernel on the Depth lab's shapes (scripts/bench-matmul.mjs).
//
// Algorithm: walk k in steps of 4. Each step loads, straight from the storage buffers, one 4×4 block of
// op(A) per block row (column q = op(A)[rows, p + q]) and one of op(B) per block column (column j =
// op(B)[p .. p + 3, col j]), then c[r][s] += a[r] · b[s] (a mat4x4 product: 64 multiply-adds per load of
// 32 values; a 16×16 micro-tile does 1024 per 128). Addresses come from the element strides of op(A) and
// op(B), so the four transposes and any offset share one code path. Loads are scalar: array<vec4f> loads
// measured ~15% faster but need offsets and dimensions that are multiples of 4 and buffers of at least 16
// bytes, which encode() accepts without. A CPU gathers each invocation's words one at a time anyway, so
// which axis of op(A) or op(B) is contiguous makes no measurable difference. Rows and columns past m or n
// are clamped to the last one (loaded, computed, never stored), so the inner loop has no bounds branches.
// The last partial step (k % 4 ≠ 0) zeroes op(A)'s columns and op(B)'s rows past k, both, so stray
// values cannot turn into 0·Inf. Each step adds a 4-term dot product to the accumulator: another
// summation order, same bound: error ≤ γ_{k+2}·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ, γ_j = j·2⁻²⁴/(1 − j·2⁻²⁴).
//
// Bindings (group 0): 0 uniform Params, 1 a (read), 2 b (read), 3 c (read_write; not a or b).
// Dispatch: (ceil(n / (4·COL_BLOCKS·THREADS_X)), ceil(m / (4·ROW_BLOCKS·THREADS_Y)), batch) workgroups of
//   (THREADS_X, THREADS_Y) invocations; invocation (x, y) owns rows from 4·ROW_BLOCKS·y, columns from
//   4·COL_BLOCKS·x (global ids). No workgroup memory, no barriers.

override ROW_BLOCKS: u32 = 4u;  // 4×4 blocks of C per invocation, down (1 to 4)
override COL_BLOCKS: u32 = 4u;  // and across (1 to 4)
override THREADS_X: u32 = 4u;
override THREADS_Y: u32 = 4u;

// Params and its binding `params` (0), Lines and Acc: shaders/matmul-common.wgsl, appended to this file
// when the module is loaded (one declaration for every matmul kernel).
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

// Lines here: element offsets of four rows of op(A) (at depth 0), or of four columns of op(B).
// Acc here: the invocation's block of C: cRS is rows 4R .. 4R + 3 × columns 4S .. 4S + 3, stored [column][row].

fn load_a(o: vec4u) -> vec4f {
  return vec4f(a[o.x], a[o.y], a[o.z], a[o.w]);
}

fn load_b(o: vec4u) -> vec4f {
  return vec4f(b[o.x], b[o.y], b[o.z], b[o.w]);
}

// Column q = op(A)[four rows, p + q], or 0 where keep[q] is false. rows: the rows' offsets at depth p;
// depth: (0, 1, 2, 3) · op(A)'s depth stride.
fn block_a(rows: vec4u, depth: vec4u, keep: vec4<bool>) -> mat4x4f {
  let z = vec4f(0.0);
  return mat4x4f(
    select(z, load_a(rows + depth.x), keep.x),
    select(z, load_a(rows + depth.y), keep.y),
    select(z, load_a(rows + depth.z), keep.z),
    select(z, load_a(rows + depth.w), keep.w),
  );
}

// Column j = op(B)[p .. p + 3, column j], rows past k zeroed. cols: the columns' offsets at depth 0;
// depth: (p, p + 1, p + 2, p + 3) · op(B)'s depth stride.
fn block_b(cols: vec4u, depth: vec4u, keep: vec4<bool>) -> mat4x4f {
  let z = vec4f(0.0);
  return mat4x4f(
    select(z, load_b(cols.x + depth), keep),
    select(z, load_b(cols.y + depth), keep),
    select(z, load_b(cols.z + depth), keep),
    select(z, load_b(cols.w + depth), keep),
  );
}

// One step of 4 in k: acc += op(A)[rows, p .. p + 3] · op(B)[p .. p + 3, cols].
fn step(acc: ptr<function, Acc>, rows: Lines, cols: Lines, pa: u32, depth_a: vec4u, depth_b: vec4u, keep: vec4<bool>) {
  let a0 = block_a(rows.l0 + pa, depth_a, keep);
  var a1 = mat4x4f();
  var a2 = mat4x4f();
  var a3 = mat4x4f();
  if (ROW_BLOCKS > 1u) { a1 = block_a(rows.l1 + pa, depth_a, keep); }
  if (ROW_BLOCKS > 2u) { a2 = block_a(rows.l2 + pa, depth_a, keep); }
  if (ROW_BLOCKS > 3u) { a3 = block_a(rows.l3 + pa, depth_a, keep); }
  let b0 = block_b(cols.l0, depth_b, keep);
  var b1 = mat4x4f();
  var b2 = mat4x4f();
  var b3 = mat4x4f();
  if (COL_BLOCKS > 1u) { b1 = block_b(cols.l1, depth_b, keep); }
  if (COL_BLOCKS > 2u) { b2 = block_b(cols.l2, depth_b, keep); }
  if (COL_BLOCKS > 3u) { b3 = block_b(cols.l3, depth_b, keep); }

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

@compute @workgroup_size(THREADS_X, THREADS_Y)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let row0 = gid.y * 4u * ROW_BLOCKS;
  let col0 = gid.x * 4u * COL_BLOCKS;
  if (row0 >= m || col0 >= n) { return; }

  // op(A)[i, p] = a[base_a + i·a_row + p·a_depth]; op(B)[p, j] = b[base_b + p·b_depth + j·b_col].
  let trans_a = params.trans_a != 0u;
  let trans_b = params.trans_b != 0u;
  let a_row = select(k, 1u, trans_a);
  let a_depth = select(1u, m, trans_a);
  let b_depth = select(n, 1u, trans_b);
  let b_col = select(1u, k, trans_b);
  let base_a = params.offset_a + gid.z * params.stride_a;
  let base_b = params.offset_b + gid.z * params.stride_b;

  let lane = vec4u(0u, 1u, 2u, 3u);
  let last_row = vec4u(m - 1u);
  let last_col = vec4u(n - 1u);
  let rows = Lines(
    base_a + min(row0 + lane, last_row) * a_row,
    base_a + min(row0 + 4u + lane, last_row) * a_row,
    base_a + min(row0 + 8u + lane, last_row) * a_row,
    base_a + min(row0 + 12u + lane, last_row) * a_row,
  );
  let cols = Lines(
    base_b + min(col0 + lane, last_col) * b_col,
    base_b + min(col0 + 4u + lane, last_col) * b_col,
    base_b + min(col0 + 8u + lane, last_col) * b_col,
    base_b + min(col0 + 12u + lane, last_col) * b_col,
  );
  let depth_a = lane * a_depth;

  var acc: Acc;
  let whole = k & ~3u;
  for (var p = 0u; p < whole; p += 4u) {
    step(&acc, rows, cols, p * a_depth, depth_a, (p + lane) * b_depth, vec4<bool>(true));
  }
  // A separate call rather than a mask in every step: a branch in the loop costs ~20% on SwiftShader.
  if (whole < k) {
    step(&acc, rows, cols, whole * a_depth, depth_a, (whole + lane) * b_depth, whole + lane < vec4u(k));
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
      for (var j = 0u; j < 4u; j++) {
        let col = col0 + s * 4u + j;
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
