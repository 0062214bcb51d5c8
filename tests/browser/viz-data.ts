// Synthetic depth-sweep data shared by the viz test page (in the browser) and its tests (in Node).
import { CellStatus, type HeatmapData } from '../../src/viz/heatmap-model';

/**
 * Rows = depth L = 1..20, columns = layer l = 1..20, value 1.5^l · 10^(−(L−1)/4); layers past L are
 * 'none'. Planted: overflow at L = 19, 20 for l ≥ 17 (Infinity / 3.5e38), underflow at L = 6, l ≤ 2
 * (0) and L = 7, l = 1 (1e-40), NaN at L = 12, l = 8.
 */
export function makeDepthSweep(): HeatmapData {
  const rows = 20;
  const cols = 20;
  const values = new Float64Array(rows * cols);
  const status = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const L = r + 1;
    for (let c = 0; c < cols; c++) {
      const l = c + 1;
      const i = r * cols + c;
      if (l > L) {
        values[i] = NaN;
        status[i] = CellStatus.None;
      } else {
        values[i] = 1.5 ** l * 10 ** (-(L - 1) / 4);
        status[i] = CellStatus.Finite;
      }
    }
  }
  const set = (L: number, l: number, v: number, s: CellStatus) => {
    values[(L - 1) * cols + (l - 1)] = v;
    status[(L - 1) * cols + (l - 1)] = s;
  };
  for (let l = 17; l <= 20; l++) {
    if (l <= 19) set(19, l, Infinity, CellStatus.Overflow);
    set(20, l, 3.5e38, CellStatus.Overflow);
  }
  set(6, 1, 0, CellStatus.Underflow);
  set(6, 2, 0, CellStatus.Underflow);
  set(7, 1, 1e-40, CellStatus.Underflow);
  set(12, 8, NaN, CellStatus.NaN);
  return {
    rowLabels: Array.from({ length: rows }, (_, r) => String(r + 1)),
    rowTitle: 'depth L',
    colTitle: 'layer l',
    cols,
    values,
    status,
    quantity: '‖∂J/∂W[l]‖',
  };
}

/** A wide sweep: depths 1, 2, 4 … 128 (8 rows) × 128 layers with values spanning ~600 decades. */
export function makeWideSweep(): HeatmapData {
  const depths = [1, 2, 4, 8, 16, 32, 64, 128];
  const cols = 128;
  const values = new Float64Array(depths.length * cols);
  const status: string[] = [];
  depths.forEach((L, r) => {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const l = c + 1;
      if (l > L) {
        values[i] = NaN;
        status.push('none');
        continue;
      }
      // log10 value from +300 (r = 0) down, steeper for deeper nets: spans the float64 range.
      const lg = 300 - (600 * l) / 128 - r;
      values[i] = 10 ** lg;
      status.push(lg > 307 ? 'overflow' : lg < -307 ? 'underflow' : 'finite');
    }
  });
  return { rowLabels: depths.map(String), rowTitle: 'depth L', colTitle: 'layer l', cols, values, status, quantity: '‖a[l]‖' };
}
