// Shared by every matmul kernel (shaders/matmul.wgsl and shaders/matmul-*.wgsl): appended to each of
// them when its module is loaded (src/gpu/wgsl-modules.ts), so there is one declaration of the host
// contract. The Shaders view shows and edits the whole module, this block included. WGSL declarations
// may come in any order, so the kernel above uses what is declared here.
//
// The host writes Params by field name through a layout read from this struct (src/gpu/uniforms.ts):
// fields may be reordered or retyped in an edited kernel, but every field below must stay.

struct Params {
  m: u32,
  n: u32,
  k: u32,
  trans_a: u32,   // 1: A is stored k×m
  offset_a: u32,  // element offsets of batch item 0 (vec4 kernels: multiples of 4)
  offset_b: u32,
  offset_c: u32,
  trans_b: u32,   // 1: B is stored n×k
  stride_a: u32,  // elements between batch items (0 = broadcast; vec4 kernels: else multiples of 4)
  stride_b: u32,
  stride_c: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> params: Params;

/** Four vec4u, one per row or column of a 4×4 block: what they index is said in each kernel ("Lines here"). */
struct Lines {
  l0: vec4u,
  l1: vec4u,
  l2: vec4u,
  l3: vec4u,
}

/** An invocation's block of C: cRS is the 4×4 block at block row R and block column S, stored [column][row]. */
struct Acc {
  c00: mat4x4f, c01: mat4x4f, c02: mat4x4f, c03: mat4x4f,
  c10: mat4x4f, c11: mat4x4f, c12: mat4x4f, c13: mat4x4f,
  c20: mat4x4f, c21: mat4x4f, c22: mat4x4f, c23: mat4x4f,
  c30: mat4x4f, c31: mat4x4f, c32: mat4x4f, c33: mat4x4f,
}

// Element offsets of rows row .. row + 15 of op(A) at depth 0, as four Lines (rows past m clamped to the
// last): op(A)[i, 0] = a[base_a + i·a_row]. Used by the subgroup kernels (a block row group of four).
fn row_lines(base_a: u32, row: u32, a_row: u32) -> Lines {
  let iota = vec4u(0u, 1u, 2u, 3u);
  let last_row = vec4u(params.m - 1u);
  return Lines(
    base_a + min(row + iota, last_row) * a_row,
    base_a + min(row + 4u + iota, last_row) * a_row,
    base_a + min(row + 8u + iota, last_row) * a_row,
    base_a + min(row + 12u + iota, last_row) * a_row,
  );
}
