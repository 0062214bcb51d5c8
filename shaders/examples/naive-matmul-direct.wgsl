// Naive matrix multiply: C[b] = alpha · op(A[b]) · op(B[b]), one plain dot product per element of C.
// A drop-in for shaders/matmul-direct.wgsl: same Params, bindings, overrides and dispatch grid.
// Workgroup (x, y) owns a tile of (4·ROW_BLOCKS·THREADS_Y) rows × (4·COL_BLOCKS·THREADS_X) columns of C;
// invocation (lx, ly) computes the elements of that tile whose row ≡ ly and column ≡ lx (mod THREADS_Y/X).

override ROW_BLOCKS: u32 = 4u;
override COL_BLOCKS: u32 = 4u;
override THREADS_X: u32 = 4u;
override THREADS_Y: u32 = 4u;

struct Params {
  m: u32,
  n: u32,
  k: u32,
  trans_a: u32,
  offset_a: u32,
  offset_b: u32,
  offset_c: u32,
  trans_b: u32,
  stride_a: u32,
  stride_b: u32,
  stride_c: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

@compute @workgroup_size(THREADS_X, THREADS_Y)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let m = params.m;
  let n = params.n;
  let k = params.k;
  let tile_m = 4u * ROW_BLOCKS * THREADS_Y;
  let tile_n = 4u * COL_BLOCKS * THREADS_X;
  let base_a = params.offset_a + wid.z * params.stride_a;
  let base_b = params.offset_b + wid.z * params.stride_b;
  let base_c = params.offset_c + wid.z * params.stride_c;
  let trans_a = params.trans_a != 0u;
  let trans_b = params.trans_b != 0u;
  let row_end = min(m, (wid.y + 1u) * tile_m);
  let col_end = min(n, (wid.x + 1u) * tile_n);
  for (var row = wid.y * tile_m + lid.y; row < row_end; row += THREADS_Y) {
    for (var col = wid.x * tile_n + lid.x; col < col_end; col += THREADS_X) {
      var sum = 0.0;
      for (var p = 0u; p < k; p++) {
        let av = a[base_a + select(row * k + p, p * m + row, trans_a)];
        let bv = b[base_b + select(p * n + col, col * k + p, trans_b)];
        sum += av * bv;
      }
      c[base_c + row * n + col] = params.alpha * sum;
    }
  }
}
