import { describe, expect, it } from 'vitest';
import { HashRouter, type RouterWindow } from '../../src/ui/hash-router';
import { carryAppParams, formatHash, linkTo, parseHash, parseRoute } from '../../src/ui/route';

describe('route: parse', () => {
  it('reads the route id; empty or unknown is home', () => {
    expect(parseRoute('')).toBe('home');
    expect(parseRoute('#/')).toBe('home');
    expect(parseRoute('#/depth-lab')).toBe('depth-lab');
    expect(parseRoute('#depth-lab?width=3')).toBe('depth-lab');
    expect(parseRoute('#/shaders/extra')).toBe('shaders');
    expect(parseRoute('#/nope?kernel=x')).toBe('home');
    expect(parseRoute('#/shadersx')).toBe('home');
  });
  it('splits the view query (kept as written) from the app-wide parameters', () => {
    const loc = parseHash('#/depth-lab?values=1..16&lang=ko&act=relu,tanh');
    expect(loc.route).toBe('depth-lab');
    expect(loc.query).toBe('values=1..16&act=relu,tanh');
    expect(loc.params.get('act')).toBe('relu,tanh');
    expect([...loc.app]).toEqual([['lang', 'lang=ko']]);
    expect(parseHash('#/?lang=ko')).toMatchObject({ route: 'home', query: '' });
    expect(parseHash('#/shaders').query).toBe('');
    expect(parseHash('#/shaders').app.size).toBe(0);
  });
});

describe('route: format', () => {
  it('writes #/<route>?<query>, home as #/, app parameters last', () => {
    expect(formatHash('home')).toBe('#/');
    expect(formatHash('shaders', 'kernel=matmul-direct')).toBe('#/shaders?kernel=matmul-direct');
    expect(formatHash('shaders', { kernel: 'a b' })).toBe('#/shaders?kernel=a+b');
    expect(formatHash('depth-lab', new URLSearchParams([['width', '3']]), new Map([['lang', 'lang=ko']]))).toBe('#/depth-lab?width=3&lang=ko');
    expect(formatHash('home', '', new Map([['lang', 'lang=ko']]))).toBe('#/?lang=ko');
  });
  it('round-trips: parse(format(route, query, app)) gives them back', () => {
    for (const [route, query] of [
      ['depth-lab', 'width=3&values=1..16'],
      ['normalization-lab', 'lrscale=abs&lr=1&m=200'],
      ['shaders', 'kernel=matmul-direct&code=z_-abc'],
      ['home', ''],
    ] as const) {
      const app = new Map([['lang', 'lang=ko']]);
      const loc = parseHash(formatHash(route, query, app));
      expect(loc).toMatchObject({ route, query });
      expect([...loc.app]).toEqual([...app]);
    }
  });
  it('a view query never duplicates an app parameter', () => {
    expect(formatHash('depth-lab', 'lang=en&width=3', new Map([['lang', 'lang=ko']]))).toBe('#/depth-lab?width=3&lang=ko');
  });
});

describe('route: app-wide parameters survive navigation', () => {
  it('carries lang to a link without it, keeps the view query', () => {
    expect(carryAppParams('#/?lang=ko', '#/shaders')).toBe('#/shaders?lang=ko');
    expect(carryAppParams('#/depth-lab?width=3&lang=ko', '#/normalization-lab?m=20')).toBe('#/normalization-lab?m=20&lang=ko');
    expect(carryAppParams('#/?lang=ko', '')).toBe('#/?lang=ko');
  });
  it('leaves an address that sets its own lang, or when there was none', () => {
    expect(carryAppParams('#/?lang=ko', '#/shaders?lang=en')).toBeNull();
    expect(carryAppParams('#/depth-lab?width=3', '#/shaders')).toBeNull();
  });
  it('links from the current address keep lang', () => {
    expect(linkTo('performance', '#/shaders?kernel=x&lang=ko')).toBe('#/performance?lang=ko');
    expect(linkTo('home', '#/shaders?kernel=x')).toBe('#/');
  });
});

/** A window whose hash assignments fire hashchange (synchronously, which is enough here). */
function fakeWindow(hash: string) {
  const listeners = new Set<() => void>();
  let h = hash;
  const win: RouterWindow & { replaced: string[] } = {
    replaced: [],
    location: {
      get hash() {
        return h;
      },
      set hash(v: string) {
        h = v.startsWith('#') ? v : `#${v}`;
        for (const fn of [...listeners]) fn();
      },
      pathname: '/',
      search: '',
    },
    history: {
      state: null,
      replaceState(_s, _u, url) {
        win.replaced.push(url);
        h = url.slice(url.indexOf('#'));
      },
    },
    addEventListener: (_t, fn) => listeners.add(fn),
    removeEventListener: (_t, fn) => listeners.delete(fn),
  };
  return { win, listeners };
}

describe('HashRouter', () => {
  it('keeps lang across nav links, navigate and replace, and tells every subscriber the carried address', () => {
    const { win } = fakeWindow('#/?lang=ko');
    const router = new HashRouter(win);
    const seen: string[] = [];
    const routes: string[] = [];
    router.subscribe((_l, hash) => seen.push(hash));
    router.subscribe((loc) => routes.push(loc.route));
    win.location.hash = '#/shaders'; // a plain link in a page's text
    expect(win.location.hash).toBe('#/shaders?lang=ko');
    expect(seen).toEqual(['#/shaders?lang=ko']);
    router.navigate('depth-lab', 'width=3');
    expect(win.location.hash).toBe('#/depth-lab?width=3&lang=ko');
    router.replace('depth-lab', 'width=4');
    expect(win.location.hash).toBe('#/depth-lab?width=4&lang=ko');
    expect(router.href('performance')).toBe('#/performance?lang=ko');
    win.location.hash = '#/normalization-lab?m=20';
    expect(win.location.hash).toBe('#/normalization-lab?m=20&lang=ko');
    expect(routes).toEqual(['shaders', 'depth-lab', 'normalization-lab']);
    expect(router.current).toMatchObject({ route: 'normalization-lab', query: 'm=20' });
  });
  it('a new lang replaces the old one and is kept from then on', () => {
    const { win } = fakeWindow('#/?lang=ko');
    const router = new HashRouter(win);
    router.subscribe(() => undefined);
    win.location.hash = '#/shaders?lang=en';
    win.location.hash = '#/performance';
    expect(win.location.hash).toBe('#/performance?lang=en');
  });
  it('listens once, and stops when the last subscriber leaves', () => {
    const { win, listeners } = fakeWindow('#/');
    const router = new HashRouter(win);
    const a = router.subscribe(() => undefined);
    const b = router.subscribe(() => undefined);
    expect(listeners.size).toBe(1);
    a();
    expect(listeners.size).toBe(1);
    b();
    expect(listeners.size).toBe(0);
  });
});
