import { msg } from '@lit/localize';
import { INIT_SCHEMES, type InitScheme } from '../labs/depth/config';
import { initName } from '../labs/depth/init';

/** The sweep kind ('depth', 'gain', 'init', …) in the language shown; an unknown kind as it is. */
export function sweepKindLabel(kind: string): string {
  return kind === 'depth' ? msg('depth') : kind === 'gain' ? msg('gain') : kind === 'init' ? msg('init') : kind;
}

/**
 * A row's label (`depth=32`, `init=he-normal`, the export's identifier) as shown: the kind in the language shown,
 * an init by its learner's name (`initName`, as the heatmap rows name it: `init=He normal`), a number as is.
 */
export function shownRowLabel(label: string): string {
  const at = label.indexOf('=');
  if (at < 0) return label;
  const kind = label.slice(0, at);
  const value = label.slice(at + 1);
  const shown = kind === 'init' && (INIT_SCHEMES as readonly string[]).includes(value) ? initName(value as InitScheme) : value;
  return `${sweepKindLabel(kind)}=${shown}`;
}
