// Residual sums of squares: the Normalization lab's cost J(w) = ‖Z·w‖² / (2m) for many weight vectors at
// once — a matmul of the data against the grid of weights (R = Z·Wᵀ, rows × G) with the column
// reduction Σ_r R[r, g]² fused in, so the rows × G residual matrix is never stored (at 16,384 rows and a
// 128×128 grid it would be 1 GiB). Z holds [centred features | centred target], W rows [w | −1], so each
// residual is x_c·w − y_c.
//
// For every block s of params.block_rows rows and every weight vector g:
//   out[out_offset + s·G + g] = Σ_{r in block s} (Σ_j Z[r, j] · W[g, j])²
// The host adds the blocks in float64 and divides by 2m.
//
// Algorithm: one invocation per (4 consecutive weight vectors, block), accumulating in a vec4f: it walks
//   the block's rows serially, each row of Z loaded once for 4 vectors (4× fewer loads: on SwiftShader
//   3.5–4× faster than one vector per invocation); all invocations of a workgroup read the same row at the
//   same time (a broadcast, cache-resident). Past the last vector the lanes repeat it and are not stored.
//   No workgroup memory, no barriers (cheap on CPU adapters such as SwiftShader).
// Accuracy: each residual is a k-term f32 dot product (error ≤ γ_k·Σ_j |Z[r,j]·W[g,j]|); each block is a
//   sum of ≤ block_rows positive f32 terms (relative error ≤ block_rows·2⁻²⁴, 6e-5 for 1,024). WGSL may
//   assume no overflow: residuals beyond ~1e19 are not reliable (the host evaluates diverged runs on the CPU).
// Bindings (group 0): 0 uniform Params, 1 z (read, rows × k f32 from z_offset), 2 w (read, G × k f32),
//   3 out (read_write; not z or w).
// Dispatch: (gx, gy, blocks) workgroups of WORKGROUP invocations, gx·gy ≥ ceil(ceil(G / 4) / WORKGROUP)
//   (split over x and y by the host when large); first vector g0 = 4·((wid.y·nwg.x + wid.x)·WORKGROUP +
//   lid.x), block s = wid.z.

override WORKGROUP: u32 = 64u;

struct Params {
  rows: u32,        // rows of Z
  k: u32,           // columns of Z and W
  g_count: u32,     // weight vectors G (rows of W)
  z_offset: u32,    // element offset of Z[0, 0]
  out_offset: u32,  // element offset of block 0 in out
  block_rows: u32,  // rows per block
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let g0 = ((wid.y * nwg.x + wid.x) * WORKGROUP + lid.x) * 4u;
  if (g0 >= params.g_count) { return; }
  let last = params.g_count - 1u;
  let g = min(vec4u(g0, g0 + 1u, g0 + 2u, g0 + 3u), vec4u(last));
  let k = params.k;
  let start = wid.z * params.block_rows;
  let end = min(start + params.block_rows, params.rows);
  var acc = vec4f(0.0);
  if (k == 3u) {
    let wo = g * 3u;
    let w0 = vec4f(w[wo.x], w[wo.y], w[wo.z], w[wo.w]);
    let w1 = vec4f(w[wo.x + 1u], w[wo.y + 1u], w[wo.z + 1u], w[wo.w + 1u]);
    let w2 = vec4f(w[wo.x + 2u], w[wo.y + 2u], w[wo.z + 2u], w[wo.w + 2u]);
    for (var r = start; r < end; r++) {
      let o = params.z_offset + r * 3u;
      let e = z[o] * w0 + z[o + 1u] * w1 + z[o + 2u] * w2;
      acc += e * e;
    }
  } else {
    let wo = g * k;
    for (var r = start; r < end; r++) {
      let o = params.z_offset + r * k;
      var e = vec4f(0.0);
      for (var j = 0u; j < k; j++) {
        e += z[o + j] * vec4f(w[wo.x + j], w[wo.y + j], w[wo.z + j], w[wo.w + j]);
      }
      acc += e * e;
    }
  }
  let base = params.out_offset + wid.z * params.g_count;
  out[base + g.x] = acc.x;
  if (g0 + 1u <= last) { out[base + g.y] = acc.y; }
  if (g0 + 2u <= last) { out[base + g.z] = acc.z; }
  if (g0 + 3u <= last) { out[base + g.w] = acc.w; }
}
