import { html, type TemplateResult } from 'lit';
import { DEPTH_GLOSSARY, splitTerms } from '../labs/depth/glossary';
import './gp-term';

/** `text` with each Depth-lab glossary term (first occurrence) as a `<gp-term>` that explains it on hover or focus. */
export function termed(text: string): TemplateResult {
  return html`${splitTerms(text).map((p) => (p.term ? html`<gp-term tip=${DEPTH_GLOSSARY[p.text]}>${p.text}</gp-term>` : p.text))}`;
}

/** One glossary term as a `<gp-term>`. */
export function term(name: keyof typeof DEPTH_GLOSSARY & string, shown: string = name): TemplateResult {
  return html`<gp-term tip=${DEPTH_GLOSSARY[name]}>${shown}</gp-term>`;
}
