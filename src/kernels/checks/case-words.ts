import { msg, str } from '@lit/localize';
import { formatCount } from '../../locale-format';

/**
 * A Kernel check case whose shape needs words (not only sizes like `257×63`): the data the sentence is
 * made of, so the view can word it in the language shown while `CheckResult.shape` keeps the English
 * (the CLI's table and JSON).
 */
export type CaseWords =
  | { kind: 'shifted-values'; n: number }
  | { kind: 'segments'; lengths: readonly number[] }
  | { kind: 'relu-subnormal' }
  | { kind: 'activation'; n: number; activation: string }
  | { kind: 'normalize'; rows: number; cols: number }
  | { kind: 'residual'; rows: number; k: number; vectors: number; blockRows: number }
  | { kind: 'all-shapes' };

/** The case's shape in English, as `CheckResult.shape` holds it (logs, the CLI, exported JSON). */
export function shapeEnglish(w: CaseWords): string {
  switch (w.kind) {
    case 'shifted-values':
      return `all ${w.n.toLocaleString('en-US')} values of 10⁴ + U(0,1)`;
    case 'segments':
      return `segments of ${w.lengths.join(', ')}, mixed magnitudes`;
    case 'relu-subnormal':
      return '1,000 ReLU-like values (zeros, max < 1), 301 subnormals and small normals, 7 mostly zeros';
    case 'activation':
      return `${w.n} values, ${w.activation}`;
    case 'normalize':
      return `normalize ${w.rows}×${w.cols}`;
    case 'residual':
      return `${w.rows}×${w.k} data · ${w.vectors} weight vectors, blocks of ${w.blockRows} rows`;
    case 'all-shapes':
      return '(all shapes)';
  }
}

/** The case's shape in the language shown (the Kernel check table); activation names stay as they are. */
export function shapeText(w: CaseWords): string {
  switch (w.kind) {
    case 'shifted-values':
      return msg(str`all ${formatCount(w.n)} values of 10⁴ + U(0,1)`);
    case 'segments':
      return msg(str`segments of ${w.lengths.map(formatCount).join(', ')}, mixed magnitudes`);
    case 'relu-subnormal':
      return msg(str`${formatCount(1000)} ReLU-like values (zeros, max < 1), ${formatCount(301)} subnormals and small normals, ${formatCount(7)} mostly zeros`);
    case 'activation':
      return msg(str`${formatCount(w.n)} values, ${w.activation}`);
    case 'normalize':
      return msg(str`normalize ${w.rows}×${w.cols}`);
    case 'residual':
      return msg(str`${w.rows}×${w.k} data · ${formatCount(w.vectors)} weight vectors, blocks of ${formatCount(w.blockRows)} rows`);
    case 'all-shapes':
      return msg('(all shapes)');
  }
}
