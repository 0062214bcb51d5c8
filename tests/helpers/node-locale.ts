import { configureLocalization } from '@lit/localize';
import { afterAll, beforeAll } from 'vitest';

/**
 * The app's Korean catalog in Node, for the tests of one file: registers its loading before them and the
 * return to English after them, and returns lit-localize's setLocale.
 */
export function useLocales(): (locale: 'en' | 'ko') => Promise<void> {
  let setLocale: ((locale: string) => Promise<void>) | null = null;
  beforeAll(() => {
    // lit-localize announces a locale change on window; Node has none.
    const g = globalThis as unknown as { window?: EventTarget };
    g.window ??= new EventTarget();
    ({ setLocale } = configureLocalization({ sourceLocale: 'en', targetLocales: ['ko'], loadLocale: () => import('../../src/ui/locales/ko') }));
  });
  afterAll(async () => {
    await setLocale?.('en');
  });
  return (locale) => setLocale!(locale);
}
