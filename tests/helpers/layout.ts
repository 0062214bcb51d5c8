import type { Page } from 'puppeteer';

/**
 * The page's horizontal overflow at its current width (`scroll` > `client` means a sideways scroll bar), with
 * the last dozen elements that stick out, for the failure message. An element inside a scrolling or clipping
 * box (a table's wrapper) does not count: only the page's own overflow does. Shadow roots are searched too.
 */
export function pageOverflow(page: Page): Promise<{ scroll: number; client: number; culprits: string[] }> {
  return page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    const culprits: string[] = [];
    const up = (el: Element): Element | null => el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
    const clipped = (el: Element) => {
      for (let q = up(el); q; q = up(q)) if (getComputedStyle(q).overflowX !== 'visible') return true;
      return false;
    };
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > client + 0.5 && r.width > 0 && !clipped(el))
          culprits.push(`${el.localName}.${el.getAttribute('class') ?? ''}[${el.getAttribute('data-testid') ?? ''}] right=${Math.round(r.right)}`);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return { scroll: (document.scrollingElement ?? document.documentElement).scrollWidth, client, culprits: culprits.slice(-12) };
  });
}
