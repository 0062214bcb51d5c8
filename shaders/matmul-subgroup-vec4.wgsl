// Matrix multiply for CPU adapters with subgroups, vec4 path: C[b] = alpha · op(A[b]) · op(B[b]), row-major
// f32. The kernel of shaders/matmul-subgroup.wgsl (same Params, bindings, grid and block sizes: the four
// lanes of a one-subgroup workgroup share their rows of op(A) through subgroupBroadcast), but B and C are
// read and written as array<vec4f>: src/kernels/matmul.ts runs it for the 'subgroup' variant only when
// every vec4 lies inside one operand (see "Alignment") and shaders/matmul-subgroup.wgsl otherwise.
//
// Why: after the broadcast of A, the loads of B and the stores of C are the gathers and scatters left
// (on a CPU adapter a per-invocation address costs four scalar accesses with bounds checks). As vec4s,
// a 16×16 block per step of 4 in k takes 16 scalar gathers of A and 16 vec4 loads of B instead of 16 + 64
// gathers, and its epilogue 64 vec4 stores instead of 256 scalar ones, which matters most for short k
// (the batched 64×64×64 case). On SwiftShader: ~1.2–1.3× the scalar subgroup kernel side by side.
//
// op(A) is m×k: A is stored m×k, or k×m when trans_a. op(B) is k×n: B is stored k×n, or n×k when trans_b.
// Batch item b reads A from offset_a + b·stride_a, B from offset_b + b·stride_b and writes C (m×n) at
// offset_c + b·stride_c (elements; a stride of 0 broadcasts that operand).
//
// Alignment (checked by the host): offset_b, offset_c and, for batch > 1, stride_b and stride_c are
// multiples of 4, and so are n (C's rows, and B's rows when not trans_b) and, when trans_b, k (B's rows).
// A is read with scalar loads: any offset, stride and layout.
//
// Algorithm: as in shaders/matmul-subgroup.wgsl, workgroup (x, y, z) is one subgroup of 4 lanes sharing
// rows 4·ROW_BLOCKS·y .. + 4·ROW_BLOCKS − 1 of batch item z; lane L owns column blocks 4·(L + 4·s) +
// 16·COL_BLOCKS·x .. + 3 for s < COL_BLOCKS, keeps its block of C as 4×4 matrices written out by hand and
// walks k in steps of 4. B's 4×4 block for a column block is four vec4s: rows of op(B) (depths p .. p + 3,
// turned into columns by a transpose, which is free register renaming) when B is stored k×n, or columns
// (four depths of one column) when trans_b. Column blocks lie wholly inside or outside C (n is a multiple
// of 4): those outside are clamped to the last one (loaded, computed, never stored); rows past m are
// clamped to the last row. Without trans_b the first step takes the first ((k − 1) mod 4) + 1 depths and
// zeroes the others on both sides, so every later step is whole (with trans_b, k is a multiple of 4).
// Every invocation runs the same loops (no early return), so the broadcasts happen in uniform control
// flow. Error bound as the scalar subgroup kernel (only the order of the steps differs):
// ≤ γ_{k+2}·|alpha|·(|op(A)|·|op(B)|)ᵢⱼ, γ_j = j·2⁻²⁴/(1 − j·2⁻²⁴). ROW_BLOCKS = 8 keeps two groups of
// four block rows sharing each load of B, as in the scalar kernel.
//
// Shaped for a CPU adapter, which runs a subgroup as the lanes of one SIMD vector and executes both sides
// of every branch and one more (masked) trip of every loop, with the lanes switched off: code that does
// not run still costs its time in every workgroup. So the choice between the two layouts of B is the
// pipeline-overridable TRANS_B (the host builds one pipeline per value and runs the one matching
// params.trans_b) rather than a branch; the partial step comes first, straight-line, rather than as a
// branch after the loop; and the epilogue is 4·4 straight-line block stores, each masked to C, rather
// than loops. (On SwiftShader, side by side: ~1.2–1.4× the previous form on the batched 64×64×64 case,
// the same at large k.)
//
// Bindings (group 0): 0 uniform Params, 1 a (read), 2 b (read, as vec4f), 3 c (read_write, as vec4f).
// Dispatch: (ceil(n / (16·COL_BLOCKS)), ceil(m / (4·ROW_BLOCKS)), batch) workgroups of 4 invocations.
//   Needs subgroups of at least 4 invocations whose ids are 0..3 in a 4-invocation workgroup.

enable subgroups;

override ROW_BLOCKS: u32 = 4u;  // 4×4 blocks of C per invocation, down (1 to 4, or 8)
override COL_BLOCKS: u32 = 4u;  // and across (1 to 4)
// B is stored n×k (params.trans_b = 1). The pipeline serves only arguments with this trans_b.
override TRANS_B: bool = false;

// Params and its binding `params` (0), Lines, Acc and row_lines: shaders/matmul-common.wgsl, appended to this file
// when the module is loaded (one declaration for every matmul kernel).
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> c: array<vec4f>;

// Lines here: element offsets of four rows of op(A) (at depth 0); or vec4 indices of four columns of B (trans_b).
// Acc here: four block rows of the invocation's block of C: cRS is rows 4R .. 4R + 3 (of those four) × its
// column block S, stored [column][row]. With ROW_BLOCKS = 8 a second Acc holds block rows 4 .. 7.

fn load_a(o: vec4u) -> vec4f {
  return vec4f(a[o.x], a[o.y], a[o.z], a[o.w]);
}

// Column q = op(A)[four rows, p + q] (0 past k): this lane loads depth p + lane (rows: the rows' offsets
// at that depth), and column q comes from lane q.
fn block_a(rows: vec4u, keep: bool) -> mat4x4f {
  let v = select(vec4f(0.0), load_a(rows), keep);
  return mat4x4f(subgroupBroadcast(v, 0u), subgroupBroadcast(v, 1u), subgroupBroadcast(v, 2u), subgroupBroadcast(v, 3u));
}

// B stored k×n: op(B)[p + d, 4 columns] is the vec4 at v + rows[d] (rows: the depths' vec4 offsets, zero
// where keep is false). Column j of the result is op(B)[p .. p + 3, column j].
fn block_b_rows(v: u32, rows: vec4u, keep: vec4<bool>) -> mat4x4f {
  let z = vec4f(0.0);
  return transpose(mat4x4f(
    select(z, b[v + rows.x], keep.x),
    select(z, b[v + rows.y], keep.y),
    select(z, b[v + rows.z], keep.z),
    select(z, b[v + rows.w], keep.w),
  ));
}

// B stored n×k (trans_b): op(B)[p .. p + 3, column j] is the vec4 at cols[j] + q (q = p / 4).
fn block_b_cols(cols: vec4u, q: u32) -> mat4x4f {
  return mat4x4f(b[cols.x + q], b[cols.y + q], b[cols.z + q], b[cols.w + q]);
}

/** op(B)[p .. p + 3, column block s] for the lane's column blocks s = 0..3 (those switched off: zero). */
struct BBlocks {
  b0: mat4x4f,
  b1: mat4x4f,
  b2: mat4x4f,
  b3: mat4x4f,
}

// B stored k×n: v holds the column blocks' vec4 indices at depth 0; depth and keep as in block_b_rows.
fn b_rows(v: vec4u, depth: vec4u, keep: vec4<bool>) -> BBlocks {
  var bb: BBlocks;
  bb.b0 = block_b_rows(v.x, depth, keep);
  if (COL_BLOCKS > 1u) { bb.b1 = block_b_rows(v.y, depth, keep); }
  if (COL_BLOCKS > 2u) { bb.b2 = block_b_rows(v.z, depth, keep); }
  if (COL_BLOCKS > 3u) { bb.b3 = block_b_rows(v.w, depth, keep); }
  return bb;
}

// B stored n×k: cols.lS holds the vec4 indices of column block S's four columns at depth 0.
fn b_cols(cols: Lines, q: u32) -> BBlocks {
  var bb: BBlocks;
  bb.b0 = block_b_cols(cols.l0, q);
  if (COL_BLOCKS > 1u) { bb.b1 = block_b_cols(cols.l1, q); }
  if (COL_BLOCKS > 2u) { bb.b2 = block_b_cols(cols.l2, q); }
  if (COL_BLOCKS > 3u) { bb.b3 = block_b_cols(cols.l3, q); }
  return bb;
}

// One step of 4 in k: acc += op(A)[rows, p .. p + 3] · bb, and acc_hi likewise for rows_hi when
// ROW_BLOCKS = 8. da: this lane's depth offset in A ((p + lane)·a_depth, clamped), keep_a: p + lane < k.
fn step(acc: ptr<function, Acc>, acc_hi: ptr<function, Acc>, rows: Lines, rows_hi: Lines, da: u32, keep_a: bool, bb: BBlocks) {
  rows_step(acc, rows, da, keep_a, bb);
  if (ROW_BLOCKS > 4u) { rows_step(acc_hi, rows_hi, da, keep_a, bb); }
}

// Four block rows of a step (those past ROW_BLOCKS skipped; with ROW_BLOCKS = 8, all four of both groups).
fn rows_step(acc: ptr<function, Acc>, rows: Lines, da: u32, keep_a: bool, bb: BBlocks) {
  let b0 = bb.b0;
  let b1 = bb.b1;
  let b2 = bb.b2;
  let b3 = bb.b3;
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

// alpha · blk into C: its rows are the vec4s at o, o + n/4, …; row i stored when row + i < m and on.
fn store_block(blk: mat4x4f, o: u32, row: u32, on: bool) {
  let m = params.m;
  let n4 = params.n / 4u;
  let t = transpose(blk) * params.alpha;
  if (on) {
    if (row < m) { c[o] = t[0]; }
    if (row + 1u < m) { c[o + n4] = t[1]; }
    if (row + 2u < m) { c[o + 2u * n4] = t[2]; }
    if (row + 3u < m) { c[o + 3u * n4] = t[3]; }
  }
}

// A row of blocks (rows row .. row + 3), column block S at o + 4·S when cs[S].
fn store_row(b0: mat4x4f, b1: mat4x4f, b2: mat4x4f, b3: mat4x4f, o: u32, row: u32, cs: vec4<bool>) {
  store_block(b0, o, row, cs.x);
  if (COL_BLOCKS > 1u) { store_block(b1, o + 4u, row, cs.y); }
  if (COL_BLOCKS > 2u) { store_block(b2, o + 8u, row, cs.z); }
  if (COL_BLOCKS > 3u) { store_block(b3, o + 12u, row, cs.w); }
}

// Four block rows (rows row .. row + 15) from acc at o: block row R at o + R·rs, those past ROW_BLOCKS skipped.
fn store_rows(acc: Acc, o: u32, rs: u32, row: u32, cs: vec4<bool>) {
  store_row(acc.c00, acc.c01, acc.c02, acc.c03, o, row, cs);
  if (ROW_BLOCKS > 1u) { store_row(acc.c10, acc.c11, acc.c12, acc.c13, o + rs, row + 4u, cs); }
  if (ROW_BLOCKS > 2u) { store_row(acc.c20, acc.c21, acc.c22, acc.c23, o + 2u * rs, row + 8u, cs); }
  if (ROW_BLOCKS > 3u) { store_row(acc.c30, acc.c31, acc.c32, acc.c33, o + 3u * rs, row + 12u, cs); }
}

@compute @workgroup_size(4)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(subgroup_invocation_id) lane: u32) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let n4 = n / 4u;
  let row0 = wid.y * 4u * ROW_BLOCKS;
  // Column block s of this lane starts at col0 + 16·s.
  let col0 = wid.x * 16u * COL_BLOCKS + 4u * lane;

  // op(A)[i, p] = a[base_a + i·a_row + p·a_depth].
  let a_row = select(k, 1u, params.trans_a != 0u);
  let a_depth = select(1u, m, params.trans_a != 0u);
  let base_a = params.offset_a + wid.z * params.stride_a;
  let base_b = (params.offset_b + wid.z * params.stride_b) / 4u;

  let iota = vec4u(0u, 1u, 2u, 3u);
  let rows = row_lines(base_a, row0, a_row);
  let rows_hi = row_lines(base_a, row0 + 16u, a_row);
  // First column of each column block, clamped to the last block of C.
  let first = min(vec4u(col0, col0 + 16u, col0 + 32u, col0 + 48u), vec4u(n - 4u));

  var acc: Acc;
  var acc_hi: Acc;
  if (!TRANS_B) {
    // B is k×n: the column blocks' vec4s at depth 0. The first step takes depths 0 .. r − 1, so that
    // r + 4·j = k for a whole number j of later steps.
    let v = base_b + first / 4u;
    let r = ((k - 1u) & 3u) + 1u;
    let last = r - 1u;
    step(&acc, &acc_hi, rows, rows_hi, min(lane, last) * a_depth, lane < r, b_rows(v, min(iota, vec4u(last)) * n4, iota < vec4u(r)));
    for (var p = r; p < k; p += 4u) {
      step(&acc, &acc_hi, rows, rows_hi, (p + lane) * a_depth, true, b_rows(v, (p + iota) * n4, vec4<bool>(true)));
    }
  } else {
    // B is n×k (k a multiple of 4): each column's vec4 at depth 0, per column block.
    let k4 = k / 4u;
    let cols = Lines(
      base_b + (first.x + iota) * k4,
      base_b + (first.y + iota) * k4,
      base_b + (first.z + iota) * k4,
      base_b + (first.w + iota) * k4,
    );
    for (var q = 0u; q < k4; q++) {
      step(&acc, &acc_hi, rows, rows_hi, (4u * q + lane) * a_depth, true, b_cols(cols, q));
    }
  }

  // Epilogue: row i of block (R, S) is one vec4 of C at o + R·rs + 4·S + i·n4; blocks past C store nothing.
  let o = (params.offset_c + wid.z * params.stride_c + row0 * n + col0) / 4u;
  let rs = 4u * n4;
  let cs = vec4<bool>(col0 < n, col0 + 16u < n, col0 + 32u < n, col0 + 48u < n);
  store_rows(acc, o, rs, row0, cs);
  if (ROW_BLOCKS > 4u) { store_rows(acc_hi, o + 4u * rs, rs, row0 + 16u, cs); }
}
