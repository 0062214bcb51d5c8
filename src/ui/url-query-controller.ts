import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { rememberLabQuery } from '../labs/lab-settings'; // Verify runs the labs' shapes

/**
 * Keeps a view's settings and its `#/<route>?query` in step: on connect and on every hash change to a
 * different query it calls `load(query)` (a pasted or edited link loads); `write(query)` mirrors valid
 * settings back with replaceState (no history entry per keystroke), on the view's own route only. A bare
 * `#/<route>` (the nav link) keeps the current settings.
 */
export class UrlQueryController implements ReactiveController {
  private last: string | null = null;
  private readonly pattern: RegExp;

  constructor(
    host: ReactiveControllerHost,
    private readonly route: string,
    private readonly load: (query: string) => void,
  ) {
    this.pattern = new RegExp(`^#/?${route}(?:[/?]|$)`);
    host.addController(this);
  }

  /** The query of a `#/<route>?…` hash, '' for the bare route, null for another route. */
  query(hash = location.hash): string | null {
    if (!this.pattern.test(hash)) return null;
    const i = hash.indexOf('?');
    return i < 0 ? '' : hash.slice(i + 1);
  }

  hostConnected(): void {
    window.addEventListener('hashchange', this.onHashChange);
    const q = this.query();
    if (q) this.apply(q);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /** Writes `query` into the URL when this view's route is showing and it differs (null: leave the URL). */
  write(query: string | null): void {
    const current = this.query();
    if (current !== null && query !== null) rememberLabQuery(this.route, query);
    if (current === null || query === null || query === current) return;
    this.last = query;
    history.replaceState(history.state, '', `${location.pathname}${location.search}#/${this.route}?${query}`);
  }

  private readonly onHashChange = () => {
    const q = this.query();
    if (q && q !== this.last) this.apply(q);
  };

  private apply(q: string): void {
    this.last = q;
    rememberLabQuery(this.route, q);
    this.load(q);
  }
}
