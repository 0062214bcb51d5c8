// DOM-free contour lines of a cost grid: marching squares over ValueGrid values at log-spaced levels
// above the grid's minimum J*. Segments are in grid coordinates (column, row), fractional; `gridToWeights`
// maps them to the weights (w_i, w_j) of the grid's axes.

/**
 * A square grid of values over two axes (plain data; the Normalization lab's CostGrid is one): `values`
 * row-major, values[r * size + c] at x = lerp(x.min, x.max, c/(size−1)), y = lerp(y.min, y.max, r/(size−1)).
 */
export interface ValueGrid {
  /** Which weights vary along the axes: [i, j] = w_i along x, w_j along y. */
  readonly axes: readonly [number, number];
  readonly x: { readonly min: number; readonly max: number };
  readonly y: { readonly min: number; readonly max: number };
  /** Points per axis. */
  readonly size: number;
  readonly values: Float32Array;
}

/** One contour level and its line segments. */
export interface ContourLine {
  /** The cost J of this line. */
  level: number;
  /** Segments as [c0, r0, c1, r1, c0, r0, …] in grid coordinates (column, row), 4 numbers per segment. */
  segments: Float32Array;
}

/** Contours of a grid at `levels`. */
export interface Contours {
  /** Smallest finite value on the grid (the J* the levels are spaced from). */
  min: number;
  /** Largest finite value on the grid. */
  max: number;
  levels: number[];
  lines: ContourLine[];
}

/** Options of `makeContours`. */
export interface ContourOptions {
  /** Number of levels (default 14). */
  count?: number;
  /** Decades of J − J* covered, down from the grid's largest J − J* (default 5). */
  decades?: number;
  /** Explicit levels instead (costs, any order; non-finite ones are dropped). */
  levels?: readonly number[];
}

/**
 * `count` levels J* + Δ with Δ log-spaced from Δmax·10^(−decades) up to Δmax (exclusive of the top so
 * the highest line is inside the window), where Δmax = max − min. For a quadratic bowl J − J* ∝ r², so
 * log-spaced levels give rings evenly spaced in log radius: both the round bowl and the long thin valley
 * show many lines. A flat grid (max = min) or no finite values gives [].
 */
export function contourLevels(min: number, max: number, count = 14, decades = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min) || count < 1) return [];
  const top = max - min;
  const n = Math.floor(count);
  const d = Math.max(0.1, decades);
  const levels: number[] = [];
  for (let k = 0; k < n; k++) {
    // exponents from −d to slightly below 0: t_k = −d + d·(k + 0.5)/n … keeps every level strictly inside (min, max)
    const t = -d + (d * (k + 0.5)) / n;
    levels.push(min + top * 10 ** t);
  }
  return levels;
}

/** Smallest and largest finite values of an array (Infinity / −Infinity when none are finite). */
export function finiteRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

// Interpolated crossing of `level` on the edge from value a to value b, as a fraction of the edge.
function cross(a: number, b: number, level: number): number {
  const t = (level - a) / (b - a);
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/**
 * Marching squares for one level over a size×size row-major grid. A cell with a non-finite corner is
 * skipped (the line breaks there). Saddles are resolved by the cell's centre value (mean of its corners).
 * Returns segments [c0, r0, c1, r1, …] in grid coordinates.
 */
export function marchingSquares(values: ArrayLike<number>, size: number, level: number): Float32Array {
  const out: number[] = [];
  // Edge points: 0 bottom (r, c→c+1), 1 right (c+1, r→r+1), 2 top (r+1, c→c+1), 3 left (c, r→r+1).
  for (let r = 0; r + 1 < size; r++) {
    for (let c = 0; c + 1 < size; c++) {
      const v00 = values[r * size + c];
      const v01 = values[r * size + c + 1];
      const v10 = values[(r + 1) * size + c];
      const v11 = values[(r + 1) * size + c + 1];
      if (!Number.isFinite(v00) || !Number.isFinite(v01) || !Number.isFinite(v10) || !Number.isFinite(v11)) continue;
      const idx = (v00 > level ? 1 : 0) | (v01 > level ? 2 : 0) | (v11 > level ? 4 : 0) | (v10 > level ? 8 : 0);
      if (idx === 0 || idx === 15) continue;
      const edge = (e: number): [number, number] => {
        switch (e) {
          case 0:
            return [c + cross(v00, v01, level), r];
          case 1:
            return [c + 1, r + cross(v01, v11, level)];
          case 2:
            return [c + cross(v10, v11, level), r + 1];
          default:
            return [c, r + cross(v00, v10, level)];
        }
      };
      const seg = (e0: number, e1: number) => {
        const [a0, a1] = edge(e0);
        const [b0, b1] = edge(e1);
        out.push(a0, a1, b0, b1);
      };
      switch (idx) {
        case 1:
        case 14:
          seg(3, 0);
          break;
        case 2:
        case 13:
          seg(0, 1);
          break;
        case 3:
        case 12:
          seg(3, 1);
          break;
        case 4:
        case 11:
          seg(1, 2);
          break;
        case 6:
        case 9:
          seg(0, 2);
          break;
        case 7:
        case 8:
          seg(3, 2);
          break;
        case 5:
        case 10: {
          // Saddle: corners 00 and 11 on one side, 01 and 10 on the other.
          const centre = (v00 + v01 + v10 + v11) / 4 > level;
          const highDiag = idx === 5; // 00 and 11 above
          if (centre === highDiag) {
            // the above-level corners connect through the centre: cut off the two below-level corners
            seg(0, 1);
            seg(3, 2);
          } else {
            seg(3, 0);
            seg(1, 2);
          }
          break;
        }
      }
    }
  }
  return new Float32Array(out);
}

/** Contour lines of a cost grid at log-spaced levels above its minimum (or at explicit levels). */
export function makeContours(grid: Pick<ValueGrid, 'values' | 'size'>, options: ContourOptions = {}): Contours {
  const { min, max } = finiteRange(grid.values);
  const levels = options.levels
    ? options.levels.filter((l) => Number.isFinite(l)).sort((a, b) => a - b)
    : contourLevels(min, max, options.count ?? 14, options.decades ?? 5);
  return {
    min,
    max,
    levels,
    lines: levels.map((level) => ({ level, segments: marchingSquares(grid.values, grid.size, level) })),
  };
}

/** Grid coordinates (column, row) → the weights (w_x, w_y) of the grid's axes. */
export function gridToWeights(grid: Pick<ValueGrid, 'x' | 'y' | 'size'>, col: number, row: number): [number, number] {
  const s = Math.max(1, grid.size - 1);
  return [grid.x.min + ((grid.x.max - grid.x.min) * col) / s, grid.y.min + ((grid.y.max - grid.y.min) * row) / s];
}

/** Weights (w_x, w_y) → grid coordinates (column, row); the inverse of `gridToWeights`. */
export function weightsToGrid(grid: Pick<ValueGrid, 'x' | 'y' | 'size'>, wx: number, wy: number): [number, number] {
  const s = Math.max(1, grid.size - 1);
  return [((wx - grid.x.min) / (grid.x.max - grid.x.min)) * s, ((wy - grid.y.min) / (grid.y.max - grid.y.min)) * s];
}

/** Where a path lies relative to a grid's window: its bounding box, and whether any point is outside (or not finite). */
export function pathExtent(
  grid: Pick<ValueGrid, 'axes' | 'x' | 'y'>,
  path: ArrayLike<number>,
  d: number,
): { x: { min: number; max: number }; y: { min: number; max: number }; leaves: boolean } {
  const [ax, ay] = grid.axes;
  const n = Math.floor(path.length / Math.max(1, d));
  const x = { min: Infinity, max: -Infinity };
  const y = { min: Infinity, max: -Infinity };
  let leaves = false;
  for (let k = 0; k < n; k++) {
    const wx = path[k * d + ax];
    const wy = path[k * d + ay];
    if (!Number.isFinite(wx) || !Number.isFinite(wy)) {
      leaves = true;
      break;
    }
    if (wx < grid.x.min || wx > grid.x.max || wy < grid.y.min || wy > grid.y.max) leaves = true;
    x.min = Math.min(x.min, wx);
    x.max = Math.max(x.max, wx);
    y.min = Math.min(y.min, wy);
    y.max = Math.max(y.max, wy);
  }
  return { x, y, leaves };
}

/**
 * The square zoom window of a path too small to see in the plot (its larger side under `fraction` of the
 * window's), centred on the path with 15 % margins; null when the path is visible as it is or leaves the window.
 */
export function insetWindow(
  grid: Pick<ValueGrid, 'axes' | 'x' | 'y'>,
  path: ArrayLike<number> | null,
  d: number,
  fraction = 0.08,
): { x: { min: number; max: number }; y: { min: number; max: number }; zoom: number } | null {
  if (!path || path.length < 2 * d) return null;
  const e = pathExtent(grid, path, d);
  if (e.leaves || !Number.isFinite(e.x.min)) return null;
  const side = grid.x.max - grid.x.min;
  const ext = Math.max(e.x.max - e.x.min, e.y.max - e.y.min);
  if (!(ext < fraction * side)) return null;
  const half = Math.max(ext, side * 1e-9) * 0.65;
  const cx = (e.x.min + e.x.max) / 2;
  const cy = (e.y.min + e.y.max) / 2;
  return { x: { min: cx - half, max: cx + half }, y: { min: cy - half, max: cy + half }, zoom: side / (2 * half) };
}
