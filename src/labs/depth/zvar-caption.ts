// What the Var z view shows for the run on screen, in one or two sentences made from the run's numbers (not
// from its preset): exactly 0 at every layer (e.g. W = s·I on an all-ones input: every entry of z is equal)
// while ‖a‖ explodes or vanishes, or — for random weights — the band Var z stays in, or how fast it grows or
// shrinks per layer and in all, in the row where it spreads most.
import { msg, str } from '@lit/localize';
import { formatCount, formatMagnitude, formatSignificant } from '../../locale-format';
import type { DeepNetResult } from './types';

/** f32's largest finite number. */
const F32_LARGEST = 3.4028234663852886e38;

/** A finished row: its label (`depth=240`) and its run. */
export interface CaptionRow {
  label: string;
  run: Pick<DeepNetResult, 'layers' | 'status'>;
}

/** How Var z behaves over the run, from its measured (not lost) layers. */
export interface ZVarSummary {
  /** Rows whose every measured Var z is exactly 0, and rows with at least one measured layer. */
  zeroRows: number;
  measuredRows: number;
  /**
   * The non-zero row where Var z spreads most (largest max / min over its measured layers), or null: its first
   * and last non-zero values, their log10 ratio, and its smallest and largest value.
   */
  drift: { row: number; first: number; firstLayer: number; last: number; lastLayer: number; log10Ratio: number; min: number; max: number } | null;
  /** log10 of the drift row's geometric factor per layer, (last / first)^(1 / (lastLayer − firstLayer)). */
  log10PerLayer: number;
  /** The first overflow of Var z (row, layer), or null. */
  overflow: { row: number; layer: number } | null;
  /**
   * Where z itself left f32's range (its mean is Infinity, NaN or beyond 3.4e38): per row the first such layer,
   * whatever its status; the rows counted and the range of those layers, or null. Var z there is never a 0.
   */
  zOverflow: { rows: number; first: number; last: number; row: number } | null;
  /** What ‖a‖ does in the deepest all-zero row: its first overflow or underflow layer, or its first and last values. */
  act: { row: number; overflow: number | null; underflow: number | null; first: number; last: number; lastLayer: number } | null;
}

/** Measures Var z (and, for all-zero rows, ‖a‖) over the rows. */
export function summarizeZVar(rows: readonly CaptionRow[]): ZVarSummary {
  let zeroRows = 0;
  let measuredRows = 0;
  let drift: ZVarSummary['drift'] = null;
  let overflow: ZVarSummary['overflow'] = null;
  let zeroRow = -1;
  let zeroDepth = -1;
  let zOverflow: ZVarSummary['zOverflow'] = null;
  rows.forEach((r, row) => {
    const v = r.run.layers.zVar;
    const s = r.run.status.zVar;
    const zMean = r.run.layers.zMean;
    // z past f32's range: a Var z of 0 (or anything) there is no measurement of spread.
    const zOut = (i: number) => !(Math.abs(zMean[i]) <= F32_LARGEST) || !Number.isFinite(v[i]);
    const measured: number[] = [];
    let zOutFirst = -1;
    for (let i = 0; i < v.length; i++) {
      if (s[i] === 'overflow' && !overflow) overflow = { row, layer: i + 1 };
      if (zOutFirst < 0 && zOut(i)) zOutFirst = i;
      if (s[i] === 'finite' && zOutFirst < 0) measured.push(i);
    }
    if (zOutFirst >= 0) {
      const l = zOutFirst + 1;
      const z = zOverflow as ZVarSummary['zOverflow'];
      zOverflow = z ? { ...z, rows: z.rows + 1, first: Math.min(z.first, l), last: Math.max(z.last, l) } : { rows: 1, first: l, last: l, row };
    }
    if (measured.length === 0) return;
    measuredRows++;
    if (measured.every((i) => v[i] === 0)) {
      zeroRows++;
      if (v.length >= zeroDepth) [zeroRow, zeroDepth] = [row, v.length];
      return;
    }
    const nz = measured.filter((i) => v[i] !== 0);
    const [a, b] = [nz[0], nz[nz.length - 1]];
    if (b === a) return; // one layer: no change to speak of
    const abs = nz.map((i) => Math.abs(v[i]));
    const [min, max] = [Math.min(...abs), Math.max(...abs)];
    if (!drift || max / min > drift.max / drift.min) {
      drift = { row, first: v[a], firstLayer: a + 1, last: v[b], lastLayer: b + 1, log10Ratio: Math.log10(Math.abs(v[b] / v[a])), min, max };
    }
  });
  let act: ZVarSummary['act'] = null;
  if (zeroRow >= 0) {
    const a = rows[zeroRow].run.layers.actNorm;
    const st = rows[zeroRow].run.status.actNorm;
    const at = (k: string) => (st.indexOf(k as never) >= 0 ? st.indexOf(k as never) + 1 : null);
    let lastI = 0;
    for (let i = 0; i < a.length; i++) if (st[i] === 'finite') lastI = i;
    act = { row: zeroRow, overflow: at('overflow'), underflow: at('underflow'), first: a[0], last: a[lastI], lastLayer: lastI + 1 };
  }
  const d = drift as ZVarSummary['drift'];
  return { zeroRows, measuredRows, drift: d, log10PerLayer: d ? d.log10Ratio / (d.lastLayer - d.firstLayer) : 0, overflow, act, zOverflow };
}

/** A ratio 10^|x| as "2E39" or "12". */
function factor(log10: number): string {
  const f = 10 ** Math.abs(log10);
  return f >= 1e5 ? formatMagnitude(f) : formatSignificant(f, 2);
}

/** From this change between its first and last layer (1000×) on, Var z counts as exploding or vanishing. */
const EXPONENTIAL_LOG10 = 3;

/**
 * The sentences under the Var z tab for this run (language shown), or '' without a measured layer.
 * `rowLabel` words a row's label (`depth=240`) as the page shows it.
 */
export function zVarCaption(rows: readonly CaptionRow[], rowLabel: (label: string) => string = (l) => l): string {
  const s = summarizeZVar(rows);
  if (s.measuredRows === 0) return '';
  const out: string[] = [];
  const name = (row: number) => rowLabel(rows[row].label);
  if (s.zeroRows > 0 && s.zeroRows < s.measuredRows) {
    out.push(
      msg(
        str`In this run Var z is exactly 0 at every measured layer of ${formatCount(s.zeroRows)} of the ${formatCount(s.measuredRows)} rows: in those nets every pre-activation of a layer is the same number.`,
      ),
    );
  } else if (s.zeroRows > 0) {
    // Whole sentences (one per case of ‖a‖), so a translation can order them freely.
    const a = s.act!;
    const row = name(a.row);
    out.push(
      a.overflow !== null
        ? msg(
            str`In this run Var z is exactly 0 at every measured layer: within each layer every pre-activation is the same number, so they have no spread at all, while ‖a‖ grows until it passes the lab’s 1e38 overflow mark at layer ${formatCount(a.overflow)} (row ${row}).`,
          )
        : a.underflow !== null
          ? msg(
              str`In this run Var z is exactly 0 at every measured layer: within each layer every pre-activation is the same number, so they have no spread at all, while ‖a‖ shrinks until it drops below the lab’s 1e-37 underflow mark at layer ${formatCount(a.underflow)} (row ${row}).`,
            )
          : msg(
              str`In this run Var z is exactly 0 at every measured layer: within each layer every pre-activation is the same number, so they have no spread at all, while ‖a‖ goes from ${formatMagnitude(a.first)} at layer 1 to ${formatMagnitude(a.last)} at layer ${formatCount(a.lastLayer)} (row ${row}).`,
            ),
    );
  }
  const d = s.drift;
  if (d) {
    const [first, last, from, layer, row] = [
      formatMagnitude(d.first),
      formatMagnitude(d.last),
      formatCount(d.firstLayer),
      formatCount(d.lastLayer),
      name(d.row),
    ];
    const perLayer = 10 ** s.log10PerLayer;
    out.push(
      Math.abs(d.log10Ratio) < EXPONENTIAL_LOG10
        ? msg(
            str`In this run Var z neither explodes nor vanishes: in row ${row} it stays between ${formatMagnitude(d.min)} and ${formatMagnitude(d.max)} (${first} at layer ${from}, ${last} at layer ${layer}).`,
          )
        : d.log10Ratio > 0
          ? msg(
              str`In this run Var z grows with depth, by a factor of about ${formatSignificant(perLayer, 2)} per layer: in row ${row} it goes from ${first} at layer ${from} to ${last} at layer ${layer}, ${factor(d.log10Ratio)} times larger.`,
            )
          : msg(
              str`In this run Var z shrinks with depth, by a factor of about ${formatSignificant(perLayer, 2)} per layer: in row ${row} it goes from ${first} at layer ${from} to ${last} at layer ${layer}, ${factor(d.log10Ratio)} times smaller.`,
            ),
    );
  }
  if (s.overflow) {
    out.push(msg(str`Var z passes the lab’s 1e38 overflow mark at layer ${formatCount(s.overflow.layer)} of row ${name(s.overflow.row)}.`));
  }
  const zo = s.zOverflow;
  if (zo) {
    // Never counted among the zeros above: z itself had overflowed there, so its spread is an overflow too.
    const rowsText = formatCount(zo.rows);
    out.push(
      zo.rows === 1
        ? msg(
            str`In row ${name(zo.row)} z itself leaves f32’s range at layer ${formatCount(zo.first)}: Var z there is not 0 but an overflow (on the heatmap: “overflow (above 1e38)”, or “after a value passed 1e38 or became NaN” where an earlier layer had already passed 1e38).`,
          )
        : zo.first === zo.last
          ? msg(
              str`In ${rowsText} rows z itself leaves f32’s range at layer ${formatCount(zo.first)}: Var z there is not 0 but an overflow (on the heatmap: “overflow (above 1e38)”, or “after a value passed 1e38 or became NaN” where an earlier layer had already passed 1e38).`,
            )
          : msg(
              str`In ${rowsText} rows z itself leaves f32’s range, at layers ${formatCount(zo.first)} to ${formatCount(zo.last)}: Var z there is not 0 but an overflow (on the heatmap: “overflow (above 1e38)”, or “after a value passed 1e38 or became NaN” where an earlier layer had already passed 1e38).`,
            ),
    );
  }
  return out.join(' ');
}
