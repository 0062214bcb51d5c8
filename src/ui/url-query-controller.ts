import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { rememberLabQuery } from '../labs/lab-settings'; // Verify runs the labs' shapes
import { hashRouter } from './hash-router';
import { parseHash, type Route } from './route';

/**
 * Keeps a view's settings and its `#/<route>?query` in step: on connect and on every hash change to a
 * different query it calls `load(query)` (a pasted or edited link loads); `write(query)` mirrors valid
 * settings back with replaceState (no history entry per keystroke), on the view's own route only. A bare
 * `#/<route>` (the nav link) keeps the current settings. The query it reads and writes is the view's own:
 * app-wide parameters (`lang`) are left to the router, which keeps them.
 */
export class UrlQueryController implements ReactiveController {
  private last: string | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    host: ReactiveControllerHost,
    private readonly route: string,
    private readonly load: (query: string) => void,
  ) {
    host.addController(this);
  }

  /** The view's query of a `#/<route>?…` hash, '' for the bare route, null for another route. */
  query(hash = location.hash): string | null {
    const loc = parseHash(hash);
    return loc.route === this.route ? loc.query : null;
  }

  hostConnected(): void {
    this.unsubscribe = hashRouter.subscribe((_loc, hash) => this.onHashChange(hash));
    const q = this.query();
    if (q) this.apply(q);
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Writes `query` into the URL when this view's route is showing and it differs (null: leave the URL). */
  write(query: string | null): void {
    const current = this.query();
    if (current !== null && query !== null) rememberLabQuery(this.route, query);
    if (current === null || query === null || query === current) return;
    this.last = query;
    hashRouter.replace(this.route as Route, query);
  }

  private onHashChange(hash: string): void {
    const q = this.query(hash);
    if (q && q !== this.last) this.apply(q);
  }

  private apply(q: string): void {
    this.last = q;
    rememberLabQuery(this.route, q);
    this.load(q);
  }
}
