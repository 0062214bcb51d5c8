// A table that may be wider than its column (a phone, long Korean headers) scrolls sideways inside its
// .table-wrap. Without a cue a learner does not know there are more columns: `tableFrame` puts the table in a
// frame whose `scrollCue` directive watches the scroller and marks the frame (`data-overflow`,
// `data-more-left`, `data-more-right`); the shared view styles then show a shadow at each edge with more
// columns behind it and a short "scroll →" hint above the table, only while it overflows.

import { html, nothing, type TemplateResult } from 'lit';
import { AsyncDirective, PartType, directive, type ElementPart, type PartInfo } from 'lit/async-directive.js';
import { msg } from '@lit/localize';

/** What the cue shows for a scroller's position and sizes (CSS pixels); half a pixel of slack for rounding. */
export function scrollCueState(scrollLeft: number, clientWidth: number, scrollWidth: number): { overflow: boolean; moreLeft: boolean; moreRight: boolean } {
  const overflow = scrollWidth - clientWidth > 0.5;
  return { overflow, moreLeft: overflow && scrollLeft > 0.5, moreRight: overflow && scrollLeft + clientWidth < scrollWidth - 0.5 };
}

class ScrollCueDirective extends AsyncDirective {
  private frame: HTMLElement | null = null;
  private scroller: HTMLElement | null = null;
  private observed: Element | null = null;
  private resize: ResizeObserver | null = null;
  private readonly onScroll = () => this.measure();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('scrollCue() goes on the element that holds the scroller');
  }

  render() {
    return nothing;
  }

  override update(part: ElementPart) {
    if (this.frame !== part.element) {
      this.detach();
      this.frame = part.element as HTMLElement;
      this.attach();
    }
    // The table inside may have changed (new rows, a language switch): measure once it is in place.
    queueMicrotask(() => this.measure());
    return nothing;
  }

  protected override disconnected(): void {
    this.detach();
  }

  protected override reconnected(): void {
    this.attach();
  }

  private attach(): void {
    const scroller = this.frame?.querySelector<HTMLElement>('.table-wrap') ?? null;
    if (!scroller) return;
    this.scroller = scroller;
    scroller.addEventListener('scroll', this.onScroll, { passive: true });
    this.resize = new ResizeObserver(() => this.measure());
    this.resize.observe(scroller);
    queueMicrotask(() => this.measure());
  }

  private detach(): void {
    this.scroller?.removeEventListener('scroll', this.onScroll);
    this.resize?.disconnect();
    this.resize = null;
    this.scroller = null;
    this.observed = null;
  }

  private measure(): void {
    const frame = this.frame;
    const s = this.scroller;
    if (!frame || !s || !this.resize) return;
    // The table's own width changes with its content: watch it too.
    const content = s.firstElementChild;
    if (content && content !== this.observed) {
      if (this.observed) this.resize.unobserve(this.observed);
      this.resize.observe(content);
      this.observed = content;
    }
    const st = scrollCueState(s.scrollLeft, s.clientWidth, s.scrollWidth);
    frame.toggleAttribute('data-overflow', st.overflow);
    frame.toggleAttribute('data-more-left', st.moreLeft);
    frame.toggleAttribute('data-more-right', st.moreRight);
    // A scroller the keyboard can reach (arrow keys scroll it) only while there is something to scroll.
    if (st.overflow) s.setAttribute('tabindex', '0');
    else s.removeAttribute('tabindex');
  }
}

/** Marks a table frame with its scroller's overflow (see `tableFrame`). */
export const scrollCue = directive(ScrollCueDirective);

/** The hint's two texts: while more is hidden to the right, and once only the left is. */
export interface ScrollHints {
  right: string;
  left: string;
}

/**
 * A table (or another wide block, with its own `hints`) in a sideways-scrolling frame with a scroll cue: a
 * shadow at each edge that hides content and, while it is wider than its frame, a hint above it. `label`
 * names the scroll region for screen readers.
 */
export function tableFrame(table: TemplateResult, label: string, hints?: ScrollHints): TemplateResult {
  return html`<div class="table-frame" ${scrollCue()}>
    <p class="scroll-hint" data-testid="scroll-hint">
      <span class="to-right">${hints?.right ?? msg('More columns to the right: scroll sideways →')}</span>
      <span class="to-left">${hints?.left ?? msg('← More columns to the left')}</span>
    </p>
    <div class="table-scroll">
      <div class="table-wrap" role="region" aria-label=${label}>${table}</div>
    </div>
  </div>`;
}
