import { msg, str } from '@lit/localize';
import type { CpuCapError } from '../errors';
import { formatCount } from '../locale-format';

/**
 * A CPU cap as the labs show it: one whole sentence in the language shown ("<cap>: needs X, the CPU fallback
 * allows Y. <what to change>"), numbers in the page's format. The error's own message stays English (logs,
 * exports); its cap and suggestion come from the lab's cap check, already in the language shown.
 */
export function cpuCapText(err: CpuCapError): string {
  const needs = formatCount(err.requested);
  const allows = formatCount(err.allowed);
  return msg(str`${err.cap}: needs ${needs}, the CPU fallback allows ${allows}. ${err.suggestion}`);
}
