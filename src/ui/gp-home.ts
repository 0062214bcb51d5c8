import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import type { PresetSize } from '../labs/depth/presets';
import { homeLead, homeLessons, type LessonStart } from './home-lessons';
import { prose } from './prose-numbers';
import { base, tokens } from './shared-styles';

/** Detail of the `gp-start` event: open `route` with `query` and run it at once. */
export interface StartDetail {
  route: string;
  query: string;
}

/**
 * The home view at `/`: the two lessons in plain words (one claim each, from the lecture), what each lab
 * shows, and a start button into each lab on a preset that answers in seconds. The developers' views are
 * linked below, secondary. Start buttons are real links (they work opened in a new tab too); a plain click
 * fires `gp-start` so the shell can also press Run.
 */
@customElement('gp-home')
// Below @customElement, so it is applied first: an element upgraded during define() gets its controller too.
@localized()
export class GpHome extends LitElement {
  static override styles = [
    tokens,
    base,
    css`
      :host {
        display: block;
      }
      .lead {
        max-width: 62ch;
        font-size: 1.1rem;
        margin: 0 0 1.5rem;
      }
      .lessons {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));
        gap: 1.25rem;
      }
      article {
        border: 1px solid var(--gp-border);
        border-radius: var(--gp-radius);
        background: var(--gp-surface);
        padding: 1.1rem 1.25rem 1.25rem;
      }
      article h3 {
        margin: 0 0 0.25rem;
        font-size: 1.25rem;
      }
      .number {
        color: var(--gp-muted);
        font-size: 0.85rem;
        text-transform: uppercase;
        letter-spacing: 0.04em;
      }
      .claim {
        font-size: 1.05rem;
        margin: 0.5rem 0;
      }
      .see {
        color: var(--gp-muted);
        margin: 0.5rem 0 1rem;
      }
      .starts {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      a.start {
        display: inline-block;
        padding: 0.45rem 0.9rem;
        border-radius: var(--gp-radius);
        border: 1px solid var(--gp-accent);
        color: var(--gp-accent);
        text-decoration: none;
        font-weight: 500;
      }
      a.start.primary {
        background: var(--gp-accent);
        color: var(--gp-accent-fg);
      }
      a.start:hover,
      a.start:focus-visible {
        text-decoration: underline;
      }
      .dev {
        margin-top: 2rem;
        color: var(--gp-muted);
        font-size: 0.95rem;
      }
      .dev h3 {
        font-size: 1rem;
        margin: 0 0 0.25rem;
        color: var(--gp-fg);
      }
      .dev ul {
        margin: 0;
        padding-left: 1.25rem;
      }
    `,
  ];

  /** True when the labs run on the CPU fallback (no WebGPU): the texts then say so instead of "your GPU". */
  @property({ type: Boolean }) cpuFallback = false;
  /** The size the start links open the Depth lab presets at (see presetSizeFor). */
  @property() presetSize: PresetSize = 'full';

  override render() {
    return html`<section aria-labelledby="home-title" data-testid="home">
      <h2 id="home-title">${msg('Two lessons from deep learning, tried for real')}</h2>
      <p class="lead">
        ${homeLead(this.cpuFallback)}
        ${msg('Pick a lesson and press start: the first results appear within seconds.')}
      </p>
      <div class="lessons">
        ${homeLessons(this.presetSize).map(
          (l, i) => html`<article data-testid="lesson" data-lesson=${l.id}>
            <div class="number">${msg(str`Lesson ${i + 1}`)}</div>
            <h3>${l.title}</h3>
            <p class="claim" data-testid="claim">${prose(l.claim)}</p>
            <p class="see"><strong>${msg('You will see:')}</strong> ${l.see}</p>
            <div class="starts">${l.starts.map((s, j) => this.renderStart(s, j === 0))}</div>
          </article>`,
        )}
      </div>
      <div class="dev" data-testid="dev-views">
        <h3>${msg('For GPU developers')}</h3>
        <ul>
          <li>${msg(html`<a href="#/kernel-check">Kernel check</a>: every compute kernel against a float64 reference on awkward shapes.`)}</li>
          <li>${msg(html`<a href="#/shaders">Shaders</a>: read and edit the WGSL, verify your version, and run the labs on it.`)}</li>
          <li>${msg(html`<a href="#/performance">Performance</a>: the kernels' speed against this device's copy and multiply-add roofs.`)}</li>
        </ul>
      </div>
    </section>`;
  }

  private renderStart(s: LessonStart, primary: boolean) {
    const href = `#/${s.route}${s.query ? `?${s.query}` : ''}`;
    return html`<a
      class="start ${primary ? 'primary' : ''}"
      href=${href}
      data-testid="start"
      data-start=${s.id}
      title=${s.hint}
      @click=${(e: MouseEvent) => {
        // A modified click (new tab, new window) just follows the link.
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        const detail: StartDetail = { route: s.route, query: s.query };
        this.dispatchEvent(new CustomEvent('gp-start', { detail, bubbles: true, composed: true }));
      }}
      >${s.label}</a
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gp-home': GpHome;
  }
  interface HTMLElementEventMap {
    'gp-start': CustomEvent<StartDetail>;
  }
}
