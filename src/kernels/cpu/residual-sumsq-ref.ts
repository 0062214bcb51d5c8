/**
 * float64 Σ_r (Σ_j z[r, j]·w[g, j])² for every weight vector g: z is row-major rows×k, w row-major G×k
 * (the residual-sumsq kernel's reference).
 */
export function residualSumsqRef(z: ArrayLike<number>, w: ArrayLike<number>, rows: number, k: number, G: number): Float64Array {
  const out = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    let acc = 0;
    for (let r = 0; r < rows; r++) {
      let e = 0;
      for (let j = 0; j < k; j++) e += z[r * k + j] * w[g * k + j];
      acc += e * e;
    }
    out[g] = acc;
  }
  return out;
}
