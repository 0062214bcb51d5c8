// Matrix multiply for CPU adapters with subgroups: C[b] = alpha · op(A[b]) · op(B[b]), row-major f32.
// Same contract, Params struct and bindings as shaders/matmul-direct.wgsl (any shape, offset and stride;
// scalar loads), but the four invocations of a workgroup (one subgroup: a CPU adapter such as SwiftShader
// runs them as the four lanes of one SIMD vector) share their rows of op(A) through subgroupBroadcast
// instead of each loading them.
//
// Why: on a CPU adapter every storage load whose address depends on the invocation is a gather (four
// scalar loads with bounds checks), the dominant cost of a register-blocked matmul. In
// shaders/matmul-direct.wgsl the four lanes of a SIMD vector own neighbouring columns and the same rows, so
// each load of op(A) fetches one value four times. Here lane L loads op(A)[row, p + L] for each row of the
// block, and column q of the 4×4 block of op(A) is subgroupBroadcast(that vec4, q): one gather of four
// useful values and four cheap lane broadcasts instead of four gathers. Per step of 4 in k, a 16×16 block
// takes 16 + 64 gathers instead of 64 + 64. (On SwiftShader: ~1.2–1.5× the direct kernel, and it
// compiles in about half the time.) src/kernels/matmul.ts offers it only on devices with the
// 'subgroups' feature; the autotune verifies it against float64 before it can be chosen. For arguments
// whose B and C split into whole vec4s, the variant runs shaders/matmul-subgroup-vec4.wgsl instead (the
// same algorithm with vec4 loads of B and vec4 stores of C); this file serves every other shape.
//
// op(A) is m×k: A is stored m×k, or k×m when trans_a. op(B) is k×n: B is stored k×n, or n×k when trans_b.
// Batch item b reads A from offset_a + b·stride_a, B from offset_b + b·stride_b and writes C (m×n) at
// offset_c + b·stride_c (all in elements, any alignment; a stride of 0 broadcasts that operand).
//
// Algorithm: workgroup (x, y, z) is one subgroup of 4 lanes. They share rows 4·ROW_BLOCKS·y .. + 4·ROW_BLOCKS
// − 1 of batch item z; lane L owns column blocks 4·(L + 4·s) + 16·COL_BLOCKS·x .. + 3 for s < COL_BLOCKS
// (interleaved, so neighbouring lanes read neighbouring columns). Each keeps its (4·ROW_BLOCKS) ×
// (4·COL_BLOCKS) block of C as 4×4 matrices written out by hand (as in the direct kernel: no loops or
// indexed arrays in the hot path), walks k in steps of 4 and adds the mat4x4 products. Rows and columns
// past m, n are clamped to the last one (loaded, computed, never stored); the first step takes the first
// ((k − 1) mod 4) + 1 depths and zeroes the others on both sides, so every later step is whole. Every
// invocation runs the same loop (no early return), so the broadcasts happen in uniform control flow. Same
// error bound as the direct kernel (the partial step comes first rather than last):
// ≤ γ_{k+2}·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ, γ_j = j·2⁻²⁴/(1 − j·2⁻²⁴).
//
// ROW_BLOCKS = 8 (microM 32) keeps two groups of four block rows, each in its own Acc: a step loads the
// lane's blocks of B once and multiplies both groups' rows of A by them, so each load of B serves 32 rows
// instead of 16. Gathers (per-lane loads) are what a CPU adapter pays most for, so on SwiftShader this
// measured ~1.1–1.15× the 16-row block (docs/benchmarks.md), at about twice the compile time.
//
// A CPU adapter runs both sides of every branch and one more trip of every loop with the lanes masked
// off, so code that does not run still costs its time: hence the partial step first and straight-line,
// and an epilogue of straight-line masked stores rather than loops.
//
// Bindings (group 0): 0 uniform Params, 1 a (read), 2 b (read), 3 c (read_write; not a or b).
// Dispatch: (ceil(n / (16·COL_BLOCKS)), ceil(m / (4·ROW_BLOCKS)), batch) workgroups of 4 invocations.
//   Needs subgroups of at least 4 invocations whose ids are 0..3 in a 4-invocation workgroup.

enable subgroups;

override ROW_BLOCKS: u32 = 4u;  // 4×4 blocks of C per invocation, down (1 to 4, or 8)
override COL_BLOCKS: u32 = 4u;  // and across (1 to 4)

// Params and its binding `params` (0), Lines, Acc and row_lines: shaders/matmul-common.wgsl, appended to this file
// when the module is loaded (one declaration for every matmul kernel).
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

// Lines here: element offsets of four rows of op(A) (at depth 0), or of four columns of op(B).
// Acc here: four block rows of the invocation's block of C: cRS is rows 4R .. 4R + 3 (of those four) × its
// column block S, stored [column][row]. With ROW_BLOCKS = 8 a second Acc holds block rows 4 .. 7.

fn load_a(o: vec4u) -> vec4f {
  return vec4f(a[o.x], a[o.y], a[o.z], a[o.w]);
}

fn load_b(o: vec4u) -> vec4f {
  return vec4f(b[o.x], b[o.y], b[o.z], b[o.w]);
}

// Column q = op(A)[four rows, p + q] (0 past k): this lane loads depth p + lane (rows: the rows' offsets
// at that depth), and column q comes from lane q.
fn block_a(rows: vec4u, keep: bool) -> mat4x4f {
  let v = select(vec4f(0.0), load_a(rows), keep);
  return mat4x4f(subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u), subgroupBroadcast(v, 2u), subgroupBroadcast(v, 3u));
}

// Column j = op(B)[p .. p + 3, column j], rows past k zeroed. cols: the columns' offsets at depth 0;
// depth: (p, p + 1, p + 2, p + 3) · op(B)'s depth stride (clamped to k − 1).
fn block_b(cols: vec4u, depth: vec4u, keep: vec4<bool>) -> mat4x4f {
  let z = vec4f(0.0);
  return mat4x4f(
    select(z, load_b(cols.x + depth), keep),
    select(z, load_b(cols.y + depth), keep),
    select(z, load_b(cols.z + depth), keep),
    select(z, load_b(cols.w + depth), keep),
  );
}

// One step of 4 in k: acc += op(A)[rows, p .. p + 3] · op(B)[p .. p + 3, cols], and acc_hi likewise for
// rows_hi when ROW_BLOCKS = 8. da: this lane's depth offset in A ((p + lane)·a_depth, clamped), keep_a:
// p + lane < k.
fn step(acc: ptr<function, Acc>, acc_hi: ptr<function, Acc>, rows: Lines, rows_hi: Lines, cols: Lines, da: u32, keep_a: bool, depth_b: vec4u, keep_b: vec4<bool>) {
  let b0 = block_b(cols.l0, depth_b, keep_b);
  var b1 = mat4x4f();
  var b2 = mat4x4f();
  var b3 = mat4x4f();
  if (COL_BLOCKS > 1u) { b1 = block_b(cols.l1, depth_b, keep_b); }
  if (COL_BLOCKS > 2u) { b2 = block_b(cols.l2, depth_b, keep_b); }
  if (COL_BLOCKS > 3u) { b3 = block_b(cols.l3, depth_b, keep_b); }
  rows_step(acc, rows, da, keep_a, b0, b1, b2, b3);
  if (ROW_BLOCKS > 4u) { rows_step(acc_hi, rows_hi, da, keep_a, b0, b1, b2, b3); }
}

// Four block rows of a step (those past ROW_BLOCKS skipped; with ROW_BLOCKS = 8, all four of both groups).
fn rows_step(acc: ptr<function, Acc>, rows: Lines, da: u32, keep_a: bool, b0: mat4x4f, b1: mat4x4f, b2: mat4x4f, b3: mat4x4f) {
  let a0 = block_a(rows.l0 + da, keep_a);
  var a1 = mat4x4f();
  var a2 = mat4x4f();
  var a3 = mat4x4f();
  if (ROW_BLOCKS > 1u) { a1 = block_a(rows.l1 + da, keep_a); }
  if (ROW_BLOCKS > 2u) { a2 = block_a(rows.l2 + da, keep_a); }
  if (ROW_BLOCKS > 3u) { a3 = block_a(rows.l3 + da, keep_a); }

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

// alpha · blk into C at o (its top-left element; rows n apart): element (i, j) stored when rows_in[i] and
// column col + j < n.
fn store_block(blk: mat4x4f, o: u32, rows_in: vec4<bool>, col: u32) {
  let n = params.n;
  let t = transpose(blk) * params.alpha;
  store_block_row(t[0], o, rows_in.x, col, n);
  store_block_row(t[1], o + n, rows_in.y, col, n);
  store_block_row(t[2], o + 2u * n, rows_in.z, col, n);
  store_block_row(t[3], o + 3u * n, rows_in.w, col, n);
}

// One row of a block: four elements at o .. o + 3, columns col .. col + 3.
fn store_block_row(v: vec4f, o: u32, row_in: bool, col: u32, n: u32) {
  if (row_in) {
    if (col < n) { c[o] = v.x; }
    if (col + 1u < n) { c[o + 1u] = v.y; }
    if (col + 2u < n) { c[o + 2u] = v.z; }
    if (col + 3u < n) { c[o + 3u] = v.w; }
  }
}

// A row of blocks; column block S starts at column col + 16·S.
fn store_row(b0: mat4x4f, b1: mat4x4f, b2: mat4x4f, b3: mat4x4f, o: u32, rows_in: vec4<bool>, col: u32) {
  store_block(b0, o, rows_in, col);
  if (COL_BLOCKS > 1u) { store_block(b1, o + 16u, rows_in, col + 16u); }
  if (COL_BLOCKS > 2u) { store_block(b2, o + 32u, rows_in, col + 32u); }
  if (COL_BLOCKS > 3u) { store_block(b3, o + 48u, rows_in, col + 48u); }
}

// Four block rows (rows row .. row + 15) from acc at o (its top-left element): block row R at o + 4R·n,
// those past ROW_BLOCKS skipped; element (i, j) stored when its row is < m and its column < n.
fn store_rows(acc: Acc, o: u32, row: u32, col: u32) {
  let n = params.n;
  let m = vec4u(params.m);
  let iota = vec4u(0u, 1u, 2u, 3u);
  store_row(acc.c00, acc.c01, acc.c02, acc.c03, o, row + iota < m, col);
  if (ROW_BLOCKS > 1u) { store_row(acc.c10, acc.c11, acc.c12, acc.c13, o + 4u * n, row + 4u + iota < m, col); }
  if (ROW_BLOCKS > 2u) { store_row(acc.c20, acc.c21, acc.c22, acc.c23, o + 8u * n, row + 8u + iota < m, col); }
  if (ROW_BLOCKS > 3u) { store_row(acc.c30, acc.c31, acc.c32, acc.c33, o + 12u * n, row + 12u + iota < m, col); }
}

@compute @workgroup_size(4)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let row0 = wid.y * 4u * ROW_BLOCKS;
  // Column block s of this lane starts at col0 + 16·s.
  let col0 = wid.x * 16u * COL_BLOCKS + 4u * lane;

  // op(A)[i, p] = a[base_a + i·a_row + p·a_depth]; op(B)[p, j] = b[base_b + p·b_depth + j·b_col].
  let trans_a = params.trans_a != 0u;
  let trans_b = params.trans_b != 0u;
  let a_row = select(k, 1u, trans_a);
  let a_depth = select(1u, m, trans_a);
  let b_depth = select(n, 1u, trans_b);
  let b_col = select(1u, k, trans_b);
  let base_a = params.offset_a + wid.z * params.stride_a;
  let base_b = params.offset_b + wid.z * params.stride_b;

  let iota = vec4u(0u, 1u, 2u, 3u);
  let last_col = vec4u(n - 1u);
  let rows = row_lines(base_a, row0, a_row);
  let rows_hi = row_lines(base_a, row0 + 16u, a_row);
  let cols = Lines(
    base_b + min(col0 + iota, last_col) * b_col,
    base_b + min(col0 + 16u + iota, last_col) * b_col,
    base_b + min(col0 + 32u + iota, last_col) * b_col,
    base_b + min(col0 + 48u + iota, last_col) * b_col,
  );

  var acc: Acc;
  var acc_hi: Acc;
  // The first step takes depths 0 .. r − 1 and zeroes the others, so that r + 4·j = k for a whole number j
  // of later steps (on a CPU adapter a partial step in a branch after the loop would cost a step in every
  // workgroup: both sides of a branch run, with the lanes masked off).
  let r = ((k - 1u) & 3u) + 1u;
  let last = r - 1u;
  step(&acc, &acc_hi, rows, rows_hi, cols, min(lane, last) * a_depth, lane < r, min(iota, vec4u(last)) * b_depth, iota < vec4u(r));
  for (var p = r; p < k; p += 4u) {
    step(&acc, &acc_hi, rows, rows_hi, cols, (p + lane) * a_depth, true, (p + iota) * b_depth, vec4<bool>(true));
  }

  // Epilogue: straight-line block stores, each element masked to C (no loops: a CPU adapter runs one more
  // masked trip of every loop).
  let o = params.offset_c + wid.z * params.stride_c + row0 * n + col0;
  store_rows(acc, o, row0, col0);
  if (ROW_BLOCKS > 4u) { store_rows(acc_hi, o + 16u * n, row0 + 16u, col0); }
}
