import { configureLocalization } from '@lit/localize';
import { setFormatLocale } from '../locale-format';
import { sourceLocale, targetLocales } from './locales/locale-codes';
import { LANG_STORAGE_KEY, chooseLocale, langParamOf, parseLocale, urlWithLang, type AppLocale } from './locale-choice';
import { hashRouter } from './hash-router';

/**
 * The app's language at run time (@lit/localize, runtime mode): picks it on load (URL `lang`, then
 * localStorage, then navigator.languages; see locale-choice.ts), keeps `<html lang>` in step, and switches
 * in place: components marked `@localized()` re-render, nothing reloads. The Korean messages are their own
 * module, loaded only when needed.
 */
const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: () => import('./locales/ko'),
});

/** The language currently shown. */
export function currentLocale(): AppLocale {
  return parseLocale(getLocale()) ?? 'en';
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked (privacy settings): the choice lives in the URL only
  }
}

function readStored(): string | null {
  try {
    return storage()?.getItem(LANG_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Puts `lang=<locale>` into the URL's search part (and out of the hash query) without a history entry. */
function writeUrl(locale: AppLocale): void {
  const { search, hash } = urlWithLang(location, locale);
  if (search === location.search && hash === location.hash) return;
  history.replaceState(history.state, '', `${location.pathname}${search}${hash}`);
}

async function apply(locale: AppLocale): Promise<void> {
  try {
    await setLocale(locale);
  } catch (err) {
    // The Korean module failed to load (offline, say): stay in English rather than show nothing.
    console.error(err);
    await setLocale('en');
  }
  setFormatLocale(currentLocale());
  document.documentElement.lang = currentLocale();
}

/** A `lang` typed or pasted into the URL's hash query (a hash change): apply it and move it to the search part. */
const onHashChange = () => {
  const raw = new URLSearchParams(location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '').get('lang');
  if (raw === null) return;
  const locale = parseLocale(raw) ?? currentLocale();
  writeUrl(locale);
  if (locale !== currentLocale()) void apply(locale);
};

let started: Promise<void> | null = null;

/**
 * Chooses and loads the language once, as the app starts. A `lang` in the URL (valid or not) is
 * rewritten into the search part with the language actually shown.
 */
export function initLocale(): Promise<void> {
  started ??= (async () => {
    // Synchronous up to apply(): called before the views connect, so they never see `lang` in their hash
    // query, and this hashchange listener runs before theirs.
    const urlParam = langParamOf(location);
    const locale = chooseLocale({ urlParam, stored: readStored(), languages: navigator.languages ?? [navigator.language] });
    if (urlParam !== null) writeUrl(locale);
    hashRouter.subscribe(onHashChange); // the app's one hashchange listener; this module subscribes first
    await apply(locale);
  })();
  return started;
}

/** The switch's action: show `locale` now, remember it in localStorage and in the URL (a shared link opens in it). */
export async function switchLocale(locale: AppLocale): Promise<void> {
  try {
    storage()?.setItem(LANG_STORAGE_KEY, locale);
  } catch {
    // quota or privacy mode: the URL still carries the choice
  }
  writeUrl(locale);
  await apply(locale);
}
