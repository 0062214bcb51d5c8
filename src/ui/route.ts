import { msg } from '@lit/localize';

/**
 * The app's addresses, `#/<route>?<query>`, as plain data (no DOM: Node tests read and write them).
 * The query has two parts: the view's own parameters (its settings, in the view's own encoding, kept
 * as written) and the app-wide parameters of `APP_PARAMS` (e.g. `lang`), which every route carries and
 * which navigation keeps (see `carryAppParams`). The language (`lang`) lives in the URL's search part
 * (ui/locale.ts moves one typed into the hash there), so hash navigation never touches it; the router still
 * splits any app-wide parameter off a view's query, so a lab's decoder never sees it.
 */

/** The views, in navigation order (the lessons as the write-up and the home page order them); the route is the hash `#/<id>`. `dev` marks the developers' views. */
export const ROUTES = [
  // Labels are getters: msg() answers in the language shown at the time of reading.
  {
    id: 'home',
    get label() {
      return msg('Home');
    },
    dev: false,
  },
  {
    id: 'normalization-lab',
    get label() {
      return msg('Normalization lab');
    },
    dev: false,
  },
  {
    id: 'depth-lab',
    get label() {
      return msg('Depth lab');
    },
    dev: false,
  },
  {
    id: 'training-lab',
    get label() {
      return msg('Training lab');
    },
    dev: false,
  },
  {
    id: 'kernel-check',
    get label() {
      return msg('Kernel check');
    },
    dev: true,
  },
  {
    id: 'shaders',
    get label() {
      return msg('Shaders');
    },
    dev: true,
  },
  {
    id: 'performance',
    get label() {
      return msg('Performance');
    },
    dev: true,
  },
] as const;
export type Route = (typeof ROUTES)[number]['id'];

/** Query parameters that belong to the whole app, not to one view: kept across navigation. */
export const APP_PARAMS: readonly string[] = ['lang'];

/** A parsed address. */
export interface HashLocation {
  /** The route shown: an empty or unknown path is the home view. */
  route: Route;
  /** The view's own query, as written, without the app-wide parameters ('' when none). */
  query: string;
  /** The view's own parameters, parsed. */
  params: URLSearchParams;
  /** The app-wide parameters present, in the order written (name → raw `name=value` pair). */
  app: Map<string, string>;
}

const isAppPair = (pair: string) => APP_PARAMS.includes(decodeName(pair));

function decodeName(pair: string): string {
  const name = pair.split('=')[0];
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** The route for a location hash (`#/depth-lab?x=1` → `depth-lab`); an empty or unknown hash is home. */
export function parseRoute(hash: string): Route {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.find((r) => r.id === id)?.id ?? 'home';
}

/** Reads `#/<route>?<query>`: the route, the view's query and the app-wide parameters. */
export function parseHash(hash: string): HashLocation {
  const route = parseRoute(hash);
  const i = hash.indexOf('?');
  const pairs =
    i < 0
      ? []
      : hash
          .slice(i + 1)
          .split('&')
          .filter((p) => p !== '');
  const app = new Map<string, string>();
  for (const p of pairs) if (isAppPair(p)) app.set(decodeName(p), p);
  const query = pairs.filter((p) => !isAppPair(p)).join('&');
  return { route, query, params: new URLSearchParams(query), app };
}

/**
 * Writes `#/<route>?<query>` (home is `#/`): `query` is the view's own query (a string is kept as
 * written; URLSearchParams and records are encoded), `app` the app-wide parameters, appended last.
 */
export function formatHash(route: Route, query: string | URLSearchParams | Record<string, string> = '', app: ReadonlyMap<string, string> = new Map()): string {
  const own = typeof query === 'string' ? query.replace(/^\?/, '') : new URLSearchParams(query).toString();
  const parts = [...own.split('&').filter((p) => p !== '' && !isAppPair(p)), ...app.values()];
  const path = route === 'home' ? '#/' : `#/${route}`;
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/**
 * The address navigation should end on when moving from `prev` to `next`: `next` with every app-wide
 * parameter it does not set taken from `prev` (a link to `#/shaders` keeps `?lang=ko`). Null when
 * `next` already has them all.
 */
export function carryAppParams(prev: string, next: string): string | null {
  const p = parseHash(prev);
  const n = parseHash(next);
  const missing = [...p.app].filter(([name]) => !n.app.has(name));
  if (missing.length === 0) return null;
  const app = new Map([...n.app, ...missing]);
  // Keep the next hash's own path text (an unknown route stays as typed; it shows home).
  const q = next.indexOf('?');
  const path = (q < 0 ? next : next.slice(0, q)) || '#/';
  const parts = [...(n.query ? [n.query] : []), ...app.values()];
  return `${path}?${parts.join('&')}`;
}

/** The link to `route` from the current address: the app-wide parameters go along. */
export function linkTo(route: Route, current: string, query = ''): string {
  return formatHash(route, query, parseHash(current).app);
}

/** The document title for a route. */
export function routeTitle(route: Route): string {
  return route === 'home' ? 'Gradient Playground' : `${ROUTES.find((r) => r.id === route)!.label} · Gradient Playground`;
}
