import type { Page } from 'puppeteer';

/**
 * Waits (up to `timeout` ms) until the Shaders view's editor holds code that starts with `text`
 * (`at: 'start'`) or contains it (`at: 'anywhere'`).
 */
export async function waitForEditorCode(page: Page, text: string, at: 'start' | 'anywhere', timeout: number): Promise<void> {
  await page.waitForFunction(
    (text, at) => {
      const code = document.querySelector('gp-app')?.shadowRoot?.querySelector('gp-shader-playground')?.shadowRoot?.querySelector('gp-wgsl-editor')?.code;
      return code !== undefined && (at === 'start' ? code.startsWith(text) : code.includes(text));
    },
    { timeout },
    text,
    at,
  );
}
