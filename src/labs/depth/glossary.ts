import { msg } from '@lit/localize';

/**
 * One-line explanations of the Depth lab's technical terms, for a learner who just watched the lecture. The
 * view shows each as a hover/focus tip wherever the term appears in its text (`src/ui/depth-terms.ts`).
 * Keys are matched as written, longest first; the explanations are getters around msg() (the language shown when read).
 */
export const DEPTH_GLOSSARY: Readonly<Record<string, string>> = Object.freeze({
  get 'Frobenius norm'() {
    return msg('The square root of the sum of the squares of all entries of a matrix: its overall size.');
  },
  get 'mean-field forecast'() {
    return msg('A prediction for very wide random nets, where every layer scales the signal’s variance by the same factor.');
  },
  get 'mean-field'() {
    return msg('The picture of very wide random nets in which every layer scales the signal’s variance by the same factor.');
  },
  get 'mean field'() {
    return msg('The picture of very wide random nets in which every layer scales the signal’s variance by the same factor.');
  },
  get 'finite-width scatter'() {
    return msg('A real net has finitely many units, so its values wander around the wide-net forecast, more so the deeper it is.');
  },
  get 'exact closed form'() {
    return msg('A formula that gives the value exactly, here for nets whose weights are a multiple of the identity.');
  },
  get 'closed form'() {
    return msg('A formula that gives the value exactly, here for nets whose weights are a multiple of the identity.');
  },
  get 'GFLOP/s'() {
    return msg('Billions of floating-point operations per second: how fast the matrix products ran.');
  },
  get GFLOP() {
    return msg('A billion floating-point operations (the matrix products’ multiply-adds count as two each).');
  },
  get RMS() {
    return msg('Root mean square: the square root of the average of the squares.');
  },
  get backprop() {
    return msg('Backpropagation: the chain rule applied layer by layer, from the loss down to the first layer.');
  },
  get f32() {
    return msg('32-bit floating point, the GPU’s number format: it holds about 1.2e-38 to 3.4e38, and 7 significant digits.');
  },
});

/**
 * How each term is written in the language shown (getters around msg()): a Korean text names "mean field"
 * 평균장, so that is what `termedShown` looks for. Names that stay the same in every language (f32, RMS,
 * GFLOP) are not translated.
 */
export const DEPTH_TERM_NAMES: Readonly<Record<keyof typeof DEPTH_GLOSSARY & string, string>> = Object.freeze({
  get 'Frobenius norm'() {
    return msg('Frobenius norm');
  },
  get 'mean-field forecast'() {
    return msg('mean-field forecast');
  },
  get 'mean-field'() {
    return msg('mean-field');
  },
  get 'mean field'() {
    return msg('mean field');
  },
  get 'finite-width scatter'() {
    return msg('finite-width scatter');
  },
  get 'exact closed form'() {
    return msg('exact closed form');
  },
  get 'closed form'() {
    return msg('closed form');
  },
  'GFLOP/s': 'GFLOP/s',
  GFLOP: 'GFLOP',
  RMS: 'RMS',
  get backprop() {
    return msg('backprop');
  },
  f32: 'f32',
});

/** The glossary's terms, longest first (so "mean-field forecast" wins over "mean-field"). */
export const DEPTH_TERMS: readonly string[] = Object.keys(DEPTH_GLOSSARY).sort((a, b) => b.length - a.length);

/** The terms as written in the language shown, each with its explanation, longest first. */
export function shownTerms(): { name: string; tip: string }[] {
  const byName = new Map<string, string>();
  for (const id of DEPTH_TERMS) {
    const name = DEPTH_TERM_NAMES[id as keyof typeof DEPTH_TERM_NAMES] ?? id;
    if (!byName.has(name)) byName.set(name, DEPTH_GLOSSARY[id]);
  }
  return [...byName].map(([name, tip]) => ({ name, tip })).sort((a, b) => b.name.length - a.name.length);
}

/**
 * A text cut into plain parts and glossary terms, in order (each term at most once, its first occurrence).
 * `tips` gives each term's explanation (default: the English glossary); terms sharing one are used once.
 */
export function splitTerms(
  text: string,
  terms: readonly string[] = DEPTH_TERMS,
  tips: (term: string) => string | undefined = (t) => DEPTH_GLOSSARY[t],
): { text: string; term: boolean }[] {
  const parts: { text: string; term: boolean }[] = [];
  const used = new Set<string>();
  let rest = text;
  for (;;) {
    let best: { at: number; term: string } | null = null;
    for (const t of terms) {
      if (used.has(tips(t) ?? t)) continue;
      const at = rest.indexOf(t);
      if (at >= 0 && (!best || at < best.at || (at === best.at && t.length > best.term.length))) best = { at, term: t };
    }
    if (!best) break;
    if (best.at > 0) parts.push({ text: rest.slice(0, best.at), term: false });
    parts.push({ text: best.term, term: true });
    used.add(tips(best.term) ?? best.term);
    rest = rest.slice(best.at + best.term.length);
  }
  if (rest) parts.push({ text: rest, term: false });
  return parts;
}
