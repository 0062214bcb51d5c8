import { msg } from '@lit/localize';

/** The sweep kind ('depth', 'gain', 'init', …) in the language shown; an unknown kind as it is. */
export function sweepKindLabel(kind: string): string {
  return kind === 'depth' ? msg('depth') : kind === 'gain' ? msg('gain') : kind === 'init' ? msg('init') : kind;
}

/** A row's label (`depth=32`, the export's identifier) as shown: the kind in the language shown, the value as is. */
export function shownRowLabel(label: string): string {
  const at = label.indexOf('=');
  return at < 0 ? label : `${sweepKindLabel(label.slice(0, at))}=${label.slice(at + 1)}`;
}
