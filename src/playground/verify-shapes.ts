// The shapes Verify runs for a kernel: its family's own (verify-matmul/-moments/-norms/-elementwise.ts) and,
// with the labs' settings, the shapes the Depth and Normalization labs will run, cut to a work limit.

import { makeNormal } from '../kernels/cpu/random';
import type { MatmulRefOptions } from '../kernels/cpu/matmul-ref';
import type { CatalogKernel } from './catalog';
import { GRAM_CHUNK_ROWS, type LabSettings } from './lab-shapes';
import type { Case } from './verify-case';
import { activationCase, elementwiseCases, normalizeCase } from './verify-elementwise';
import { MATMUL_VERIFY_CASES, matmulCase, matmulWork } from './verify-matmul';
import { momentsAllCase, momentsCases, momentsColumnsCase } from './verify-moments';
import { normsCase, normsCases, offsetsFor } from './verify-norms';

/** Work limit of one lab-shape matmul case (multiply-adds): larger lab shapes are cut along their rows. */
export const MAX_LAB_MATMUL_WORK = 1 << 25;
/** Element limit of one lab-shape element-wise, moments or norms case. */
export const MAX_LAB_ELEMENTS = 1 << 22;

/** `count` cut to fit `limit` / `per` (at least 1), and the note saying so. */
function cut(count: number, per: number, limit: number, what: string): { count: number; note: string } {
  const fit = Math.max(1, Math.floor(limit / Math.max(1, per)));
  return fit >= count
    ? { count, note: '' }
    : { count: fit, note: ` — ${what} cut from ${count.toLocaleString('en-US')} to ${fit.toLocaleString('en-US')} by Verify's work limit` };
}

/** A lab matmul case, rows (`m`, or k where `along` says) cut to the work limit; batches drop to 1 first. */
function labMatmul(file: Pick<CatalogKernel, 'file' | 'variant'>, label: string, c: MatmulRefOptions, seed: number, along: 'm' | 'k' = 'm'): Case {
  let o: MatmulRefOptions = { ...c };
  let note = '';
  if (matmulWork(o) > MAX_LAB_MATMUL_WORK && (o.batch ?? 1) > 1) {
    note = ` — batch cut from ${o.batch} to 1 by Verify's work limit`;
    o = { ...o, batch: 1 };
  }
  if (matmulWork(o) > MAX_LAB_MATMUL_WORK) {
    const r = cut(o[along], matmulWork(o) / o[along], MAX_LAB_MATMUL_WORK, along === 'm' ? 'rows' : 'inner size k');
    o = { ...o, [along]: r.count };
    note += r.note;
  }
  return matmulCase(file, { ...o, shape: `${label}${note}` }, seed, true);
}

/**
 * The shapes the labs run `kernel` at with `lab`'s settings: the Depth lab's three matmuls per layer
 * (Z = A·Wᵀ, dW = dZᵀ·A and dA = dZ·W, the last two batched over nets with a shared operand), its
 * element-wise passes, moments and norms over m·n values; the Normalization lab's XᵀX in chunks of 1,024
 * rows, and its moments and normalize over rows × (features + 1).
 */
function labCasesFor(kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>, lab: LabSettings): Case[] {
  const { width: n, batch: m, activation } = lab.depth;
  const rows = lab.normalize.rows;
  const k = lab.normalize.features + 1;
  const mn = m * n;
  const D = `Depth lab (width ${n}, batch ${m})`;
  const N = `Normalization lab (${rows.toLocaleString('en-US')} training rows × ${k} columns)`;
  switch (kernel.family) {
    case 'matmul': {
      const cases = [
        labMatmul(kernel, `${D}: Z = A·Wᵀ, ${m}×${n} · ${n}×${n}, Bᵀ`, { m, n, k: n, transB: true }, 500),
        labMatmul(kernel, `${D}: dW = dZᵀ·A, 2 × (${n}×${m} · ${m}×${n}), Aᵀ, A shared`, { m: n, n, k: m, transA: true, batch: 2, strideB: 0 }, 502, 'k'),
        labMatmul(kernel, `${D}: dA = dZ·W, 2 × (${m}×${n} · ${n}×${n}), W shared`, { m, n, k: n, batch: 2, strideB: 0 }, 504),
      ];
      const full = Math.floor(rows / GRAM_CHUNK_ROWS);
      const rem = rows - full * GRAM_CHUNK_ROWS;
      if (full > 0) {
        cases.push(
          labMatmul(
            kernel,
            `${N}: XᵀX, ${full} × (${k}×${GRAM_CHUNK_ROWS} · ${GRAM_CHUNK_ROWS}×${k}), Aᵀ`,
            { m: k, n: k, k: GRAM_CHUNK_ROWS, transA: true, batch: full },
            506,
          ),
        );
      }
      if (rem > 0)
        cases.push(labMatmul(kernel, `${N}: XᵀX of the last ${rem} rows, ${k}×${rem} · ${rem}×${k}, Aᵀ`, { m: k, n: k, k: rem, transA: true }, 508, 'k'));
      return cases;
    }
    case 'moments': {
      const all = cut(mn, 1, MAX_LAB_ELEMENTS, 'values');
      const r = cut(rows, k, MAX_LAB_ELEMENTS, 'rows');
      return [
        momentsAllCase(all.count, () => makeNormal(all.count, 61, 0, 3), `${D}: all ${all.count.toLocaleString('en-US')} values of Z${all.note}`, 1e-4, true),
        momentsColumnsCase(r.count, k, true, `${N}: ${r.count}×${k}, per column${r.note}`),
      ];
    }
    case 'norms': {
      const a = cut(mn, 2, MAX_LAB_ELEMENTS, 'segment length');
      const w = cut(n * n, 2, MAX_LAB_ELEMENTS, 'segment length');
      const offsets = offsetsFor([a.count, a.count, w.count, w.count]);
      return [
        normsCase(
          `${D}: 2 segments of ${a.count.toLocaleString('en-US')} (m·n) and 2 of ${w.count.toLocaleString('en-US')} (n·n)${a.note || w.note}`,
          () => makeNormal(offsets[4], 63),
          offsets,
          true,
        ),
      ];
    }
    case 'elementwise': {
      const e = cut(mn, 1, MAX_LAB_ELEMENTS, 'values');
      const r = cut(rows, k, MAX_LAB_ELEMENTS, 'rows');
      return [
        activationCase('forward', activation, e.count, true, `${D}: forward, ${activation}, ${e.count.toLocaleString('en-US')} values${e.note}`),
        activationCase('backward', activation, e.count, true, `${D}: backward, ${activation}, ${e.count.toLocaleString('en-US')} values${e.note}`),
        normalizeCase(r.count, k, true, `${N}: normalize ${r.count}×${k}${r.note}`),
      ];
    }
    default:
      return [];
  }
}

/** The shapes Verify runs for a kernel (empty for kernels it has no reference for); `lab` adds the labs' shapes. */
export function verifyCasesFor(
  kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>,
  lab: LabSettings | null = null,
): readonly { shape: string; rtol: number; lab: boolean; work: number }[] {
  return casesFor(kernel, lab).map((c) => ({ shape: c.shape, rtol: c.rtol, lab: !!c.lab, work: c.work }));
}

/** The runners of verifyCasesFor's shapes, in the same order. */
export function casesFor(kernel: Pick<CatalogKernel, 'file' | 'family' | 'variant'>, lab: LabSettings | null = null): Case[] {
  const own = (() => {
    switch (kernel.family) {
      case 'matmul':
        return MATMUL_VERIFY_CASES.map((c, i) => matmulCase(kernel, c, 100 + 2 * i));
      case 'moments':
        return momentsCases();
      case 'norms':
        return normsCases();
      case 'elementwise':
        return elementwiseCases();
      default:
        return [];
    }
  })();
  return own.length && lab ? [...own, ...labCasesFor(kernel, lab)] : own;
}
