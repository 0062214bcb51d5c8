/**
 * Which language the app shows, decided without the DOM (so Node tests can check it): the `lang` URL
 * parameter, then the stored choice, then the browser's languages, then English. Every input is untrusted:
 * only the codes in LOCALES are accepted, anything else is passed over without an error.
 *
 * The URL keeps the choice in its search part (`/?lang=ko#/depth-lab?…`), outside the views' hash queries,
 * so it survives route changes and the views' own URL state never sees it. A `lang` in the hash query
 * (`#/depth-lab?lang=ko`) is accepted too and moved to the search part on load.
 */

/** The app's languages; the first is the source language of every message. */
export const LOCALES = ['en', 'ko'] as const;
export type AppLocale = (typeof LOCALES)[number];
export const SOURCE_LOCALE: AppLocale = 'en';
/** The URL parameter and the localStorage key holding the choice. */
export const LANG_PARAM = 'lang';
export const LANG_STORAGE_KEY = 'gp.lang';
/** Each language's name in itself, for the switch. */
export const LOCALE_NAMES: Readonly<Record<AppLocale, string>> = Object.freeze({ en: 'English', ko: '한국어' });

/** `value` if it is exactly one of LOCALES, else null (no trimming or case folding: untrusted input). */
export function parseLocale(value: unknown): AppLocale | null {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value) ? (value as AppLocale) : null;
}

/** The app locale for a BCP 47 tag from `navigator.languages` (`ko-KR` → ko, `en-GB` → en), or null. */
export function localeOfLanguageTag(tag: unknown): AppLocale | null {
  if (typeof tag !== 'string') return null;
  return parseLocale(tag.split('-')[0].toLowerCase());
}

/** The query part of a hash (`#/depth-lab?a=1` → `a=1`), '' without one. */
function hashQuery(hash: string): string {
  const i = hash.indexOf('?');
  return i < 0 ? '' : hash.slice(i + 1);
}

/** The `lang` value in a URL's hash query, else in its search part (raw, unvalidated), or null. */
export function langParamOf(url: { search: string; hash: string }): string | null {
  return new URLSearchParams(hashQuery(url.hash)).get(LANG_PARAM) ?? new URLSearchParams(url.search).get(LANG_PARAM);
}

/** The locale to show: a valid URL parameter, else a valid stored choice, else the first browser language we have, else English. */
export function chooseLocale(inputs: { urlParam: string | null; stored: string | null; languages: readonly string[] }): AppLocale {
  return parseLocale(inputs.urlParam) ?? parseLocale(inputs.stored) ?? inputs.languages.map(localeOfLanguageTag).find((l) => l !== null) ?? SOURCE_LOCALE;
}

/**
 * The URL with `lang=<locale>` in its search part and no `lang` in its hash query (other parameters and
 * their order are kept). Returns the `search + hash` to pass to history.replaceState after the pathname.
 */
export function urlWithLang(url: { search: string; hash: string }, locale: AppLocale): { search: string; hash: string } {
  const search = new URLSearchParams(url.search);
  search.set(LANG_PARAM, locale);
  let hash = url.hash;
  const i = hash.indexOf('?');
  if (i >= 0) {
    // Drop the lang pairs textually, so the view's own parameters keep their exact encoding.
    const pairs = hash.slice(i + 1).split('&');
    const rest = pairs.filter((p) => p.split('=')[0] !== LANG_PARAM);
    if (rest.length !== pairs.length) hash = hash.slice(0, i) + (rest.length ? `?${rest.join('&')}` : '');
  }
  return { search: `?${search.toString()}`, hash };
}
