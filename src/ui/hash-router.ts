import { carryAppParams, formatHash, parseHash, type HashLocation, type Route } from './route';

/** What the router needs of `window` (a fake one in Node tests). */
export interface RouterWindow {
  location: { hash: string; pathname: string; search: string };
  history: { state: unknown; replaceState(state: unknown, unused: string, url: string): void };
  addEventListener(type: 'hashchange', fn: () => void): void;
  removeEventListener(type: 'hashchange', fn: () => void): void;
}

/** Told the new address after every hash change (with the app-wide parameters already carried over). */
export type RouteListener = (loc: HashLocation, hash: string) => void;

/**
 * The one place that listens to `hashchange`: it keeps the app-wide parameters (`lang`) on the new
 * address (a plain `#/shaders` link after `#/?lang=ko` becomes `#/shaders?lang=ko`, with replaceState),
 * then tells its subscribers, in subscription order. Views navigate and rewrite their query through it.
 */
export class HashRouter {
  private readonly listeners = new Set<RouteListener>();
  /** The address as of the last change this router saw or made. */
  private last: string;

  constructor(private readonly win: RouterWindow) {
    this.last = win.location?.hash ?? ''; // no location in Node, where tests build their own router
  }

  /** The current address, parsed. */
  get current(): HashLocation {
    return parseHash(this.win.location.hash);
  }

  /** Calls `fn` after every hash change until the returned function is called. */
  subscribe(fn: RouteListener): () => void {
    if (this.listeners.size === 0) {
      this.last = this.win.location.hash;
      this.win.addEventListener('hashchange', this.onHashChange);
    }
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0) this.win.removeEventListener('hashchange', this.onHashChange);
    };
  }

  /** The address of `route` with `query`, keeping the current app-wide parameters (for links). */
  href(route: Route, query: string | URLSearchParams = ''): string {
    return formatHash(route, query, this.current.app);
  }

  /** Goes to `route` (a history entry; subscribers are told through the hashchange). */
  navigate(route: Route, query: string | URLSearchParams = ''): void {
    this.win.location.hash = this.href(route, query);
  }

  /**
   * Rewrites the address in place (no history entry, no notification: the view that calls it already
   * shows what the address now says).
   */
  replace(route: Route, query: string | URLSearchParams = ''): void {
    this.replaceHash(this.href(route, query));
  }

  private replaceHash(hash: string): void {
    const { pathname, search } = this.win.location;
    this.win.history.replaceState(this.win.history.state, '', `${pathname}${search}${hash}`);
    this.last = this.win.location.hash;
  }

  private readonly onHashChange = () => {
    const carried = carryAppParams(this.last, this.win.location.hash);
    if (carried !== null) this.replaceHash(carried);
    this.last = this.win.location.hash;
    const loc = parseHash(this.last);
    for (const fn of [...this.listeners]) fn(loc, this.last);
  };
}

/** The page's router. */
export const hashRouter = new HashRouter(globalThis as unknown as RouterWindow);
