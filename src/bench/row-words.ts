import { msg, str } from '@lit/localize';
import { formatCount } from '../locale-format';
import type { BenchRow } from './runner';

// The Performance view's rows in the language shown. A row's `group`, `impl` and `shape` are data: the
// exported JSON and CSV keep them in English, and the view words them here. Kernel, variant and library
// names (matmul, tiled, tf.matMul) and the products' formulas stay as they are. A text none of these forms
// matches (a new case name) is returned as null, and the view shows the English marked lang="en". In
// English each text reads exactly as the data does.

/** Parses an en-US grouped count ("16,777,216"). */
const count = (s: string) => Number(s.replace(/,/g, ''));

/** Where in the run a multiply-add roof row was measured (`runner.ts`'s `when`). */
function whenText(when: string): string | null {
  if (when === 'start of run') return msg('start of run');
  if (when === 'end of run') return msg('end of run');
  const after = /^after (.+)$/.exec(when);
  if (after) {
    const c = caseText(after[1]);
    return c === null ? null : msg(str`after ${c}`);
  }
  return null;
}

/** A matmul case's name (`cases.ts`): sizes stay, words are translated. */
function caseText(name: string): string | null {
  if (/^\d+×\d+×\d+$/.test(name) || /^d[WA] = /.test(name)) return name;
  const batched = /^batched (\d+) × (\d+×\d+×\d+)$/.exec(name);
  if (batched) return msg(str`batched ${batched[1]} × ${batched[2]}`);
  const forward = /^forward (Z = .+)$/.exec(name);
  if (forward) return msg(str`forward ${forward[1]}`);
  return null;
}

/** A row's shape in the language shown, or null when it has no known form. */
export function benchShapeText(shape: string): string | null {
  const floats = /^([\d,]+) floats$/.exec(shape);
  if (floats) return msg(str`${formatCount(count(floats[1]))} floats`);
  const segs = /^([\d,]+) floats \((\d+) × ([\d,]+)\)$/.exec(shape);
  if (segs) return msg(str`${formatCount(count(segs[1]))} floats (${formatCount(count(segs[2]))} × ${formatCount(count(segs[3]))})`);
  const fma = /^([\d,]+) invocations × ([\d,]+) trips × (\d+) vec4 chains \((.+)\)$/.exec(shape);
  if (fma) {
    const when = whenText(fma[4]);
    if (when === null) return null;
    return msg(str`${formatCount(count(fma[1]))} invocations × ${formatCount(count(fma[2]))} trips × ${fma[3]} vec4 chains (${when})`);
  }
  return caseText(shape);
}

/** Where an 'auto' matmul's variant came from (`MatmulKernel['source']`). */
function sourceText(source: string): string {
  switch (source) {
    case 'tuned':
      return msg('tuned');
    case 'default':
      return msg('default');
    case 'explicit':
      return msg('explicit');
    default:
      return msg('override');
  }
}

/** A row's implementation in the language shown, or null when it has no known form. */
export function benchImplText(impl: string): string | null {
  if (impl === 'FMA roof') return msg('FMA roof');
  if (impl === 'copy (vec4)') return msg('copy (vec4)');
  if (impl === 'two-pass Σx² (plain)') return msg('two-pass Σx² (plain)');
  // runner.ts's describeKernel: `ours: auto → direct 4×4 per invocation (tuned)`, `… tiled 64×64×16 (default)`.
  const auto = /^ours: auto → (\S+) (\d+×\d+(?:×\d+)?)( per invocation)?(?: \((tuned|default|explicit|override)\))?$/.exec(impl);
  if (auto) {
    const [, variant, sizes, perInvocation, source] = auto;
    const shown = perInvocation ? msg(str`${sizes} per invocation`) : sizes;
    return source === undefined ? msg(str`ours: auto → ${variant} ${shown}`) : msg(str`ours: auto → ${variant} ${shown} (${sourceText(source)})`);
  }
  const ours = /^ours: (.+)$/.exec(impl);
  if (ours) return msg(str`ours: ${ours[1]}`);
  if (/^tf\./.test(impl)) return impl;
  return null;
}

/** A row's group (the Kernel column): kernel names stay, the roofs' group is a word. */
export function benchGroupText(group: BenchRow['group']): string {
  return group === 'roof' ? msg('roof') : group;
}

/**
 * Names and formulas inside a worded row (variant, kernel and library names; a backprop product with its sizes):
 * the views keep them as they are and mark them translate="no".
 */
export const ROW_NAMES = /\b(?:tiled|direct|vec4|subgroup|auto|matmul|moments|norms|tf\.\w+)\b|\bd?[WAZ] = \S+ \([^)]*\)/g;
