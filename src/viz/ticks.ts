// Tick maths for log-scale colour bars and axes, the layer axis, and number formatting for tooltips.
// Depth-lab quantities span hundreds of decades, so log ticks are whole decades with a step of
// 1, 2, 5, 10, 20, 50, 100… decades; narrow ranges (a training loss within a decade) get values inside
// the decades instead: 2, 3, 5, 7 … or 0.4, 0.5, 0.6 …, spaced so their labels do not collide.

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
 * fall inside, values inside the range (see `narrowLogTicks`: up to four, at least (max − min)/(maxTicks − 1)
 * apart); if still fewer than two, the range ends themselves. Non-finite input → [].
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

  // Narrow range (less than two decades inside): values inside the decades, spaced for their labels.
  const ticks = narrowLogTicks(lo, hi, n);
  if (ticks.length >= 2) return ticks;
  // Still fewer than two: label the ends of the range with their values.
  const a = minLog10 === maxLog10 ? [minLog10] : [Math.min(minLog10, maxLog10), Math.max(minLog10, maxLog10)];
  return a.map((p) => ({ log10: p, label: formatValue(10 ** p), exponent: Number.isInteger(p) ? p : null }));
}

/** A narrow axis aims at this many labelled values (fewer where their labels would not fit)… */
const NARROW_TARGET = 4;
/** …but fills in evenly spaced mantissas (1.5, 1.2, 8.4 …) only up to this many: they read less easily. */
const LINEAR_TARGET = 3;
/** Mantissas of a narrow axis's ticks, by priority: 1 (the decade), then 5 and 2, then 3, then the other digits. */
const MANTISSA_LEVELS = [[1], [5, 2], [3], [4, 6, 7, 8, 9]];
/** Then, for ranges within a decade or so, evenly spaced mantissas (multiples of these steps), finer and finer. */
const LINEAR_STEPS = [0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

/** A narrow axis fills in more mantissa levels while two neighbouring ticks are more than this many minimum gaps apart. */
const UNEVEN_GAP = 2;
/** …at this fraction of the minimum gap (a line chart's 7 y ticks over 222 px: 28 px, labels are 12 px high). */
const FILL_GAP = 0.75;

function narrowTick(m: number, e: number): LogTick {
  return m === 1 ? { log10: e + 0, label: decadeLabel(e), exponent: e + 0 } : { log10: e + Math.log10(m), label: formatValue(m * 10 ** e), exponent: null };
}

/**
 * Ticks m·10^e inside [lo, hi] (log10 units, less than two whole decades inside) whose neighbours are at least
 * (hi − lo)/(n − 1) apart, so at most n of them and their labels never collide: level by level (1; 5, 2; 3;
 * 4, 6 … 9) each value that keeps that gap, until a level ends with NARROW_TARGET or more placed and no two
 * neighbours more than UNEVEN_GAP gaps apart; then, while
 * fewer than LINEAR_TARGET, multiples of 0.5, 0.2, 0.1 … as mantissas the same way. `seeds` (m, e) are placed
 * before all of them. May return fewer than two.
 */
function narrowLogTicks(lo: number, hi: number, n: number, seeds: readonly (readonly [number, number])[] = []): LogTick[] {
  const target = Math.min(NARROW_TARGET, n);
  const minGap = ((hi - lo) / (n - 1)) * (1 - 1e-9);
  const inRange = (pos: number) => pos >= lo && pos <= hi;
  const kept: LogTick[] = [];
  const add = (m: number, e: number, gap = 1) => {
    const pos = e + Math.log10(m);
    if (kept.length < n && inRange(pos) && kept.every((k) => Math.abs(k.log10 - pos) >= gap * minGap)) kept.push(narrowTick(m, e));
  };
  // Seeds (m, e) first: an axis's end ticks, which the other values then keep their distance from.
  for (const [m, e] of seeds) add(m, e);
  // A seeded end from a finer level (55 = 5.5·10, or 60) can leave a wide hole among coarse ticks (15, 20, 30, 55
  // with no 40): the levels go on while a gap is more than UNEVEN_GAP times the narrowest allowed, filling in at
  // FILL_GAP of it (still at most n ticks).
  const uneven = () => {
    const pos = kept.map((k) => k.log10).sort((a, b) => a - b);
    return seeds.length > 0 && pos.some((p, i) => i > 0 && p - pos[i - 1] > UNEVEN_GAP * minGap);
  };
  for (const level of MANTISSA_LEVELS) {
    const filling = kept.length >= target;
    if (filling && !uneven()) break;
    for (const m of level) for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) add(m, e, filling ? FILL_GAP : 1);
  }
  for (const d of LINEAR_STEPS) {
    if (kept.length >= Math.min(LINEAR_TARGET, target)) break;
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      // Only the multiples of d whose value m·10^e can fall inside [lo, hi].
      const k0 = Math.max(Math.round(1 / d), Math.floor(10 ** (lo - e) / d));
      const k1 = Math.min(Math.round(10 / d) - 1, Math.ceil(10 ** (hi - e) / d));
      for (let k = k0; k <= k1; k++) add(Number((k * d).toFixed(3)), e);
    }
  }
  kept.sort((a, b) => a.log10 - b.log10);
  return kept;
}

/**
 * A log10 domain for an axis or colour scale from a data range: a degenerate range (all values equal,
 * or one value) becomes ±0.5 decade around it; no data (non-finite ends) becomes [-1, 1].
 * With `wholeDecades`, ranges of two decades or more are widened to whole decades (axes look cleaner);
 * narrower ranges are kept as they are, or, with `pad`, widened by that fraction of their span at each end (so a
 * chart's highest and lowest points sit inside its frame, not on it).
 */
export function niceLogDomain(minLog10: number, maxLog10: number, wholeDecades = false, pad = 0): LogDomain {
  if (!Number.isFinite(minLog10) || !Number.isFinite(maxLog10)) return { min: -1, max: 1 };
  const lo = Math.min(minLog10, maxLog10);
  const hi = Math.max(minLog10, maxLog10);
  if (hi - lo < 1e-9 * Math.max(1, Math.abs(lo))) return { min: lo - 0.5, max: hi + 0.5 };
  if (wholeDecades && hi - lo >= 2) return { min: Math.floor(lo), max: Math.ceil(hi) };
  return { min: lo - pad * (hi - lo), max: hi + pad * (hi - lo) };
}

/** A log axis fitted to data: the frame's log10 domain and the ticks drawn on it. */
export interface LogAxis {
  domain: LogDomain;
  ticks: LogTick[];
}

/** A narrow axis may grow to this many times its padded data range to reach nice end ticks (else a finer level is tried). */
const MAX_AXIS_GROWTH = 1.5;

/** The mantissas (in [1, 10)) of the nice values a narrow axis may end on, coarsest level first: 1; 1, 2, 5; … 1 … 9; then multiples of 0.5, 0.2 … */
const END_LEVELS: readonly (readonly number[])[] = [
  ...MANTISSA_LEVELS.map((_, i) =>
    MANTISSA_LEVELS.slice(0, i + 1)
      .flat()
      .sort((a, b) => a - b),
  ),
  ...LINEAR_STEPS.map((d) => Array.from({ length: Math.round(9 / d) }, (_, k) => Number((1 + k * d).toFixed(3)))),
];

/** The largest m·10^e ≤ 10^pos (or, with `up`, the smallest ≥) whose mantissa m is in `mantissas` (sorted, holding 1), as [m, e]. */
function niceEnd(pos: number, mantissas: readonly number[], up: boolean): [number, number] {
  const e = Math.floor(pos);
  const m = 10 ** (pos - e);
  if (up) {
    const a = mantissas.find((x) => x >= m * (1 - 1e-12));
    return a === undefined ? [1, e + 1] : [a, e];
  }
  let b = 1;
  for (const x of mantissas) if (x <= m * (1 + 1e-12)) b = x;
  return [b, e];
}

/**
 * A chart's log axis for data whose log10 values span [minLog10, maxLog10]: its domain (`niceLogDomain` with
 * `wholeDecades` and `pad`, widened where needed) and at most `maxTicks` ticks, so that a tick lies at or below the
 * lowest point and one at or above the highest: no point is below or above every label. Neighbouring ticks stay
 * at least (domain span)/(maxTicks − 1) apart, as in `logTicks`, so their labels do not collide.
 * Two decades or more: whole decades, the domain widened to multiples of the step (1, 2, 5, 10 … decades).
 * Narrower: the domain reaches down and up to the nearest nice values (decades; then 2 and 5; 3; other digits;
 * then 7.5, 7.2 …), at the coarsest level that widens it at most 1.5×, and those two values are ticks.
 * Non-finite input: [-1, 1] and its ticks.
 */
export function fitLogAxis(minLog10: number, maxLog10: number, maxTicks = 8, pad = 0): LogAxis {
  const n = Math.max(2, Math.floor(maxTicks));
  const base = niceLogDomain(minLog10, maxLog10, true, pad);
  const first = logTicks(base.min, base.max, n);
  if (!Number.isFinite(minLog10) || !Number.isFinite(maxLog10)) return { domain: base, ticks: first };
  const lo = Math.min(minLog10, maxLog10);
  const hi = Math.max(minLog10, maxLog10);
  const eps = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
  const brackets = (t: LogTick[]) => t.length > 0 && t[0].log10 <= lo + eps && t[t.length - 1].log10 >= hi - eps;
  if (brackets(first)) return { domain: base, ticks: first };

  if (hi - lo >= 2) {
    // Whole decades: widen to multiples of the smallest nice step that keeps at most n ticks.
    let a = base.min;
    let b = base.max;
    let step = 1;
    for (; step <= 1e4; step = niceStep(step + 1)) {
      a = Math.floor(base.min / step) * step;
      b = Math.ceil(base.max / step) * step;
      if ((b - a) / step + 1 <= n) break;
    }
    // With n = 2 no step may fit: then only the frame's ends are labelled.
    const ks = (b - a) / step + 1 <= n ? Array.from({ length: (b - a) / step + 1 }, (_, i) => a + i * step) : [a, b];
    return { domain: { min: a, max: b }, ticks: ks.map((k) => ({ log10: k + 0, label: decadeLabel(k), exponent: k + 0 })) };
  }

  const span = base.max - base.min;
  for (let i = 0; i < END_LEVELS.length; i++) {
    const [mb, eb] = niceEnd(lo, END_LEVELS[i], false);
    const [mt, et] = niceEnd(hi, END_LEVELS[i], true);
    const domain = { min: Math.min(base.min, eb + Math.log10(mb)), max: Math.max(base.max, et + Math.log10(mt)) };
    if (domain.max - domain.min > MAX_AXIS_GROWTH * span && i < END_LEVELS.length - 1) continue;
    const ticks = narrowLogTicks(domain.min, domain.max, n, [
      [mb, eb],
      [mt, et],
    ]);
    if (brackets(ticks)) return { domain, ticks };
  }
  // No nice ends fit (n = 2, or a range narrower than the finest level): label the frame's ends with their values.
  return {
    domain: base,
    ticks: [base.min, base.max].map((p) => ({ log10: p, label: formatValue(10 ** p), exponent: Number.isInteger(p) ? p : null })),
  };
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

/**
 * Which of an axis' tick labels to draw, where `extent(t)` is a label's [left, right] in px and labels need `gap`
 * px between them: all when they fit; otherwise an evenly spaced subset, the ticks at multiples of k steps
 * (k = 2, 3 …, the smallest that fits: 40, 80, 120, 160 for ticks 20 apart), so the labels drawn stay evenly
 * spaced (dropping each label that touches the one before it read "1 20 40 60 80 120 160"). A first tick off
 * the step's grid (the axis' first layer, 1) keeps its label when it fits before the next one drawn.
 */
export function thinnedTickLabels(ticks: readonly number[], extent: (t: number) => readonly [number, number], gap = 4): number[] {
  const fits = (ls: readonly number[]) => ls.every((t, i) => i === 0 || extent(ls[i - 1])[1] + gap <= extent(t)[0]);
  if (fits(ticks)) return [...ticks];
  if (ticks.length < 3) return ticks.slice(0, 1);
  const step = ticks[2] - ticks[1];
  const offGrid = Math.abs(ticks[1] - ticks[0] - step) > 1e-9 * step;
  const grid = offGrid ? ticks.slice(1) : [...ticks];
  for (let k = 2; k <= grid.length; k++) {
    const kept = grid.filter((t) => Math.round(t / step) % k === 0);
    if (kept.length === 0 || !fits(kept)) continue;
    return offGrid && fits([ticks[0], ...kept]) ? [ticks[0], ...kept] : kept;
  }
  return grid.slice(0, 1);
}
