import { html, type TemplateResult } from 'lit';
import { DEPTH_GLOSSARY, shownTerms, splitTerms } from '../labs/depth/glossary';
import { prose } from './prose-numbers';
import './gp-term';

/**
 * `text` (in the language shown) with each Depth-lab glossary term, as written in that language (first
 * occurrence), as a `<gp-term>` that explains it on hover or focus; numbers kept on one line (`prose`).
 */
export function termed(text: string): TemplateResult {
  const terms = shownTerms();
  const tips = new Map(terms.map((t) => [t.name, t.tip]));
  const parts = splitTerms(
    text,
    terms.map((t) => t.name),
    (t) => tips.get(t),
  );
  return html`${parts.map((p) => (p.term ? html`<gp-term tip=${tips.get(p.text)!}>${p.text}</gp-term>` : prose(p.text)))}`;
}

/** One glossary term as a `<gp-term>`, shown as `shown` (the term's name in the language shown). */
export function term(name: keyof typeof DEPTH_GLOSSARY & string, shown: string = name): TemplateResult {
  return html`<gp-term tip=${DEPTH_GLOSSARY[name]}>${shown}</gp-term>`;
}
