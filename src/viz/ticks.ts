// Tick maths for log-scale colour bars and axes, the layer axis, and number formatting for tooltips.
// Depth-lab quantities span hundreds of decades, so log ticks are whole decades with a step of
// 1, 2, 5, 10, 20, 50, 100… decades; only narrow ranges fall back to 1-2-5 values inside a decade.

/** A tick on a log axis: position in log10 units and its label. */
export interface LogTick {
  /** Position, log10 of the value. */
  log10: number;
  /** Label for plain text, e.g. `1e-30`, `0.01`, `1`, `10`, `1e+12`, `2e-3`. */
  label: string;
  /** Integer k when the tick is exactly 10^k (so a renderer may draw 10 with a superscript k), else null. */
  exponent: number | null;
}

/** A log10 interval [min, max]. */
export interface LogDomain {
  min: number;
  max: number;
}

/** Formats 10^k for a tick label: plain for |k| ≤ 3 (`0.001` … `1000`), else `1e-30` / `1e+12`. */
export function decadeLabel(k: number): string {
  if (k === 0) return '1';
  if (k > 0 && k <= 3) return '1' + '0'.repeat(k);
  if (k < 0 && k >= -3) return '0.' + '0'.repeat(-k - 1) + '1';
  return k > 0 ? `1e+${k}` : `1e${k}`;
}

/** Nice steps in decades: 1, 2, 5, 10, 20, 50, 100, … */
function niceStep(minStep: number): number {
  if (!(minStep > 1)) return 1;
  let p = 1;
  for (;;) {
    for (const m of [1, 2, 5]) if (m * p >= minStep) return m * p;
    p *= 10;
  }
}

/** Smallest m·10^e (m ∈ {1,2,5}) ≥ x, for x > 0, returned as [m, e]. */
function nice125Above(x: number): [number, number] {
  let e = Math.floor(Math.log10(x));
  for (;;) {
    for (const m of [1, 2, 5]) if (m * 10 ** e >= x * (1 - 1e-12)) return [m, e];
    e++;
  }
}

/**
 * Ticks for a log axis covering log10 values [minLog10, maxLog10] (either order), at most `maxTicks`
 * of them (≥ 2). Integer-decade ticks with the smallest nice step that fits; if fewer than two decades
 * fall inside, ticks at 1, 2, 5 × 10^k inside the range; if still fewer than two, the range ends
 * themselves. Non-finite input → [].
 */
export function logTicks(minLog10: number, maxLog10: number, maxTicks = 8): LogTick[] {
  if (!Number.isFinite(minLog10) || !Number.isFinite(maxLog10)) return [];
  let lo = Math.min(minLog10, maxLog10);
  let hi = Math.max(minLog10, maxLog10);
  const n = Math.max(2, Math.floor(maxTicks));
  const eps = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
  lo -= eps;
  hi += eps;

  const first = Math.ceil(lo);
  const last = Math.floor(hi);
  const decades = last - first + 1;
  if (decades >= 2) {
    // Smallest nice step whose multiples inside [first, last] number at most n.
    const count = (s: number) => Math.floor(last / s) - Math.ceil(first / s) + 1;
    let step = niceStep((last - first) / (4 * n));
    while (count(step) > n) step = niceStep(step + 1);
    const ticks: LogTick[] = [];
    for (let k = Math.ceil(first / step) * step + 0; k <= last; k += step) {
      ticks.push({ log10: k + 0, label: decadeLabel(k), exponent: k + 0 }); // + 0 turns -0 into 0
    }
    if (ticks.length >= 2) return ticks;
    // The step that fits skips over all but one multiple: label the end decades instead.
    return [first + 0, last + 0].map((k) => ({ log10: k, label: decadeLabel(k), exponent: k }));
  }

  // Narrow range: values m·10^e with m ∈ {1, 2, 5} inside the range.
  const ticks: LogTick[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of [1, 2, 5]) {
      const pos = e + Math.log10(m);
      if (pos >= lo && pos <= hi) {
        ticks.push({ log10: m === 1 ? e + 0 : pos, label: m === 1 ? decadeLabel(e) : formatValue(m * 10 ** e), exponent: m === 1 ? e : null });
      }
    }
  }
  if (ticks.length >= 2 && ticks.length <= n) return ticks;
  if (ticks.length > n) {
    // Keep the decades and thin the rest evenly.
    const keep = Math.ceil(ticks.length / n);
    return ticks.filter((t, i) => t.exponent !== null || i % keep === 0).slice(0, n);
  }
  // Still fewer than two: label the ends of the range with their values.
  const a = minLog10 === maxLog10 ? [minLog10] : [Math.min(minLog10, maxLog10), Math.max(minLog10, maxLog10)];
  return a.map((p) => ({ log10: p, label: formatValue(10 ** p), exponent: Number.isInteger(p) ? p : null }));
}

/**
 * A log10 domain for an axis or colour scale from a data range: a degenerate range (all values equal,
 * or one value) becomes ±0.5 decade around it; no data (non-finite ends) becomes [-1, 1].
 * With `wholeDecades`, ranges of two decades or more are widened to whole decades (axes look cleaner);
 * narrower ranges are kept as they are.
 */
export function niceLogDomain(minLog10: number, maxLog10: number, wholeDecades = false): LogDomain {
  if (!Number.isFinite(minLog10) || !Number.isFinite(maxLog10)) return { min: -1, max: 1 };
  const lo = Math.min(minLog10, maxLog10);
  const hi = Math.max(minLog10, maxLog10);
  if (hi - lo < 1e-9 * Math.max(1, Math.abs(lo))) return { min: lo - 0.5, max: hi + 0.5 };
  if (wholeDecades && hi - lo >= 2) return { min: Math.floor(lo), max: Math.ceil(hi) };
  return { min: lo, max: hi };
}

/**
 * Integer-friendly ticks for a linear axis such as the layer index: always `min`, then multiples of
 * the smallest nice step (1, 2, 5, 10, 20 … ; powers of two when `max` is one) with at most `maxTicks`
 * multiples in (min, max], skipping a multiple closer than half a step to `min`.
 * `linearTicks(1, 128, 8)` → 1, 16, 32, 48, 64, 80, 96, 112, 128. With `integer` (default) steps are
 * whole numbers, so a short layer axis gets 1, 2, 3 rather than 1, 1.5, 2.
 */
export function linearTicks(min: number, max: number, maxTicks = 8, integer = true): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  const lo = Math.min(min, max);
  const hi = Math.max(min, max);
  if (hi === lo) return [lo];
  const n = Math.max(1, Math.floor(maxTicks));
  const span = hi - lo;
  let step: number;
  if (span / n < 1 && !integer) {
    // Sub-unit steps: 1-2-5.
    const [m, e] = nice125Above(span / n);
    step = m * 10 ** e;
    const count = (s: number) => Math.floor(hi / s + 1e-9) - Math.floor(lo / s + 1e-9);
    while (count(step) > n) {
      const [m2, e2] = nice125Above(step * 1.0001);
      step = m2 * 10 ** e2;
    }
  } else {
    // Layer counts in depth sweeps are often powers of two: then step in powers of two (1, 16, 32 … 128).
    const pow2 = Number.isInteger(hi) && hi >= 2 && (hi & (hi - 1)) === 0;
    const count = (s: number) => Math.floor(hi / s) - Math.floor(lo / s);
    const nth = (i: number) => (pow2 ? 2 ** i : [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));
    let i = 0;
    while (count(nth(i)) > n) i++;
    step = nth(i);
  }
  const ticks = [lo];
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  for (let k = Math.floor(lo / step + 1e-9) + 1; k * step <= hi + 1e-9 * step; k++) {
    const v = Number((k * step).toFixed(digits + 2));
    if (v - lo >= step / 2) ticks.push(v);
  }
  return ticks;
}

/**
 * A number for a tooltip or table: 4 significant digits, plain for 1e-3 ≤ |v| < 1e5, exponent form
 * otherwise (`1.235e+12`, `4e-30`), trailing zeros dropped; `NaN`, `Infinity`, `-Infinity`, `0`.
 */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) {
    const s = v.toPrecision(4);
    // toPrecision may round up into exponent form (99999.5 → "1.000e+5"); fall through to that case.
    if (!s.includes('e')) return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  }
  const [mant, exp] = v.toExponential(3).split('e');
  const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
  return `${m}e${exp}`;
}
