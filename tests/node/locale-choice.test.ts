import { describe, expect, it } from 'vitest';
import { chooseLocale, langParamOf, localeOfLanguageTag, parseLocale, urlWithLang } from '../../src/ui/locale-choice';

describe('locale choice', () => {
  it('accepts exactly en and ko, nothing else (untrusted URL and storage values)', () => {
    expect(parseLocale('en')).toBe('en');
    expect(parseLocale('ko')).toBe('ko');
    for (const bad of ['KO', ' ko', 'ko-KR', 'fr', '', 'constructor', '__proto__', 'toString', null, undefined, 1, {}]) expect(parseLocale(bad)).toBeNull();
  });

  it('maps browser language tags by their primary subtag', () => {
    expect(localeOfLanguageTag('ko-KR')).toBe('ko');
    expect(localeOfLanguageTag('KO')).toBe('ko');
    expect(localeOfLanguageTag('en-GB')).toBe('en');
    expect(localeOfLanguageTag('ja-JP')).toBeNull();
    expect(localeOfLanguageTag(42)).toBeNull();
  });

  it('prefers the URL, then storage, then the first browser language it has, then English', () => {
    expect(chooseLocale({ urlParam: 'ko', stored: 'en', languages: ['en-US'] })).toBe('ko');
    expect(chooseLocale({ urlParam: null, stored: 'ko', languages: ['en-US'] })).toBe('ko');
    expect(chooseLocale({ urlParam: 'xx', stored: 'ko', languages: ['en-US'] })).toBe('ko');
    expect(chooseLocale({ urlParam: 'xx', stored: '<script>', languages: ['fr-FR', 'ko-KR', 'en'] })).toBe('ko');
    expect(chooseLocale({ urlParam: null, stored: null, languages: ['fr', 'de'] })).toBe('en');
    expect(chooseLocale({ urlParam: null, stored: null, languages: [] })).toBe('en');
  });

  it('reads lang from the hash query first, then the search part', () => {
    expect(langParamOf({ search: '', hash: '#/depth-lab?lang=ko' })).toBe('ko');
    expect(langParamOf({ search: '?lang=en', hash: '#/depth-lab?depth=4&lang=ko' })).toBe('ko');
    expect(langParamOf({ search: '?lang=ko', hash: '#/depth-lab?depth=4' })).toBe('ko');
    expect(langParamOf({ search: '', hash: '#/' })).toBeNull();
  });

  it('writes lang into the search part and takes it out of the hash query, keeping the rest byte for byte', () => {
    expect(urlWithLang({ search: '', hash: '#/depth-lab?a=1%2C2&lang=ko&b=x' }, 'ko')).toEqual({ search: '?lang=ko', hash: '#/depth-lab?a=1%2C2&b=x' });
    expect(urlWithLang({ search: '?debug=x&lang=en', hash: '#/home' }, 'ko')).toEqual({ search: '?debug=x&lang=ko', hash: '#/home' });
    expect(urlWithLang({ search: '', hash: '#/depth-lab?lang=zz' }, 'en')).toEqual({ search: '?lang=en', hash: '#/depth-lab' });
    expect(urlWithLang({ search: '', hash: '' }, 'ko')).toEqual({ search: '?lang=ko', hash: '' });
  });
});
