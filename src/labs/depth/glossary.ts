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

/** The glossary's terms, longest first (so "mean-field forecast" wins over "mean-field"). */
export const DEPTH_TERMS: readonly string[] = Object.keys(DEPTH_GLOSSARY).sort((a, b) => b.length - a.length);

/** A text cut into plain parts and glossary terms, in order (each term at most once, its first occurrence). */
export function splitTerms(text: string, terms: readonly string[] = DEPTH_TERMS): { text: string; term: boolean }[] {
  const parts: { text: string; term: boolean }[] = [];
  const used = new Set<string>();
  let rest = text;
  for (;;) {
    let best: { at: number; term: string } | null = null;
    for (const t of terms) {
      if (used.has(DEPTH_GLOSSARY[t] ?? t)) continue;
      const at = rest.indexOf(t);
      if (at >= 0 && (!best || at < best.at || (at === best.at && t.length > best.term.length))) best = { at, term: t };
    }
    if (!best) break;
    if (best.at > 0) parts.push({ text: rest.slice(0, best.at), term: false });
    parts.push({ text: best.term, term: true });
    used.add(DEPTH_GLOSSARY[best.term] ?? best.term);
    rest = rest.slice(best.at + best.term.length);
  }
  if (rest) parts.push({ text: rest, term: false });
  return parts;
}
