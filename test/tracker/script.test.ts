import { describe, expect, it } from 'vitest';
import { deviceNames } from '../../server/ingest/wire.ts';
import type { Sending } from '../../tracker/banner/sending.ts';
import { fakePage } from './fake-page.ts';

const ID = 'AbCdEfGhIjKlMnOpQrStUv';

describe('page view on load', () => {
  it('posts the payload as a text/plain string with keepalive to the script origin’s /api/event', async () => {
    const page = await fakePage({ url: 'https://www.example.co.jp/about?x=1', referrer: 'https://search.example/', data: { site: 'corp' } });
    expect(page.sent).toHaveLength(1);
    const [first] = page.sent;
    expect(first!.url).toBe('https://www.example.co.jp/api/event');
    expect(first!.via).toBe('fetch');
    expect(first!.init).toMatchObject({ method: 'POST', keepalive: true });
    expect(typeof first!.init!.body).toBe('string'); // a string body is sent as text/plain: no preflight
    expect(first!.init!.headers).toBeUndefined();
    // no `t` (no `n` makes it a page view), no `l` (the server reads Accept-Language), no `c` (no choice yet)
    expect(first!.payload).toEqual({
      s: 'corp',
      u: 'https://www.example.co.jp/about?x=1',
      r: 'https://search.example/',
      w: 1440,
    });
  });

  it('defaults the site to the hostname and follows data-api', async () => {
    const page = await fakePage({ src: 'https://cdn.example/ashiato.js', data: { api: 'https://stats.example/e' } });
    expect(page.sent[0]!.url).toBe('https://stats.example/e');
    expect(page.sent[0]!.payload.s).toBe('www.example.co.jp');
    const fromCdn = await fakePage({ src: 'https://cdn.example/js/ashiato.js' });
    expect(fromCdn.sent[0]!.url).toBe('https://cdn.example/api/event');
  });

  it('sends the title only with data-title, and h:1 with data-hash', async () => {
    const plain = await fakePage({ title: '会社概要' });
    expect(plain.sent[0]!.payload).not.toHaveProperty('ti');
    expect(plain.sent[0]!.payload).not.toHaveProperty('h');
    const opted = await fakePage({ title: '会社概要', data: { title: '', hash: '' } });
    expect(opted.sent[0]!.payload).toMatchObject({ ti: '会社概要', h: 1 });
  });
});

describe('where it does not send', () => {
  it('stays quiet on localhost, 127.0.0.1 and file: without data-local', async () => {
    for (const url of ['http://localhost:3000/', 'http://127.0.0.1:8080/', 'file:///home/me/site/index.html']) {
      const page = await fakePage({ url, src: 'http://127.0.0.1:9/ashiato.js' });
      expect(page.sent, url).toEqual([]);
      page.ashiato('signup');
      expect(page.sent, url).toEqual([]);
    }
    const local = await fakePage({ url: 'http://127.0.0.1:8080/', data: { local: '' } });
    expect(local.sent).toHaveLength(1);
  });

  it('stays quiet under automation (navigator.webdriver) unless data-local', async () => {
    expect((await fakePage({ webdriver: true })).sent).toEqual([]);
    expect((await fakePage({ webdriver: true, data: { local: '' } })).sent).toHaveLength(1);
  });

  it('sends nothing while opted out, and again after opting in', async () => {
    const out = await fakePage({ storage: { [deviceNames.optOutKey]: '1' } });
    expect(out.sent).toEqual([]);
    out.ashiato.optIn();
    expect(out.storage).not.toHaveProperty('ashiato_ignore');
    out.ashiato('signup');
    await out.settle();
    expect(out.sent.map((s) => s.payload.n)).toEqual(['signup']);
    out.ashiato.optOut();
    expect(out.storage.ashiato_ignore).toBe('1');
    out.ashiato('signup');
    await out.settle();
    expect(out.sent).toHaveLength(1);
  });
});

/** the banner's cookie with analytics accepted (a consent id not yet issued reads as '') */
const YES = 'ashiato_consent=k~r1~necessary+analytics';

describe('the visitor-id cookie', () => {
  it('is written when a consented event’s answer returns an id, for d seconds', async () => {
    const page = await fakePage({ cookie: YES, answer: () => ({ ok: true, m: 'notice', v: ID, d: 15552000 }) });
    expect(page.cookieWrites).toEqual([]); // nothing before the answer
    await page.settle();
    expect(page.cookieWrites).toEqual([`ashiato_id=${ID};max-age=15552000;path=/;SameSite=Lax;Secure`]);
    page.ashiato('signup');
    await page.settle();
    expect(page.sent[1]!.payload.v).toBe(ID);
  });

  it('is never kept without a "yes", whatever the server answers', async () => {
    const page = await fakePage({ answer: () => ({ ok: true, m: 'notice', v: ID, d: 15552000 }) });
    await page.settle();
    page.ashiato('signup');
    await page.settle();
    expect(page.jar.has('ashiato_id')).toBe(false);
    expect(page.sent.map((s) => [s.payload.c, s.payload.v])).toEqual([
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  it('sends every event at once, not after an earlier answer, and attaches the id once it has arrived', async () => {
    const page = await fakePage({
      cookie: YES,
      queue: [['early']],
      data: { '404': '' },
      answer: () => ({ ok: true, m: 'notice', v: ID, d: 1 }),
    });
    page.history.pushState({}, '', '/next');
    page.history.pushState({}, '', '/last');
    // all five are on their way before any answer, each with the page it was sent for
    expect(page.sent.map((s) => [s.payload.n ?? s.payload.u, s.payload.c, s.payload.v])).toEqual([
      ['https://www.example.co.jp/', 1, undefined],
      ['404', 1, undefined],
      ['early', 1, undefined],
      ['https://www.example.co.jp/next', 1, undefined],
      ['https://www.example.co.jp/last', 1, undefined],
    ]);
    await page.settle();
    page.ashiato('later');
    expect(page.sent[5]!.payload).toMatchObject({ n: 'later', c: 1, v: ID });
  });

  it('is not Secure on http', async () => {
    const page = await fakePage({ url: 'http://intranet.example/', cookie: YES, answer: () => ({ ok: true, m: 'notice', v: ID, d: 86400 }) });
    await page.settle();
    expect(page.cookieWrites).toEqual([`ashiato_id=${ID};max-age=86400;path=/;SameSite=Lax`]);
  });

  it('is deleted when an accepted event comes back without an id', async () => {
    const page = await fakePage({ cookie: `ashiato_id=${ID}; ${YES}`, answer: () => ({ ok: true, m: 'opt-in' }) });
    expect(page.sent[0]!.payload.v).toBe(ID);
    await page.settle();
    expect(page.jar.has('ashiato_id')).toBe(false);
    page.ashiato('signup');
    await page.settle();
    expect(page.sent[1]!.payload).not.toHaveProperty('v');
  });

  it('is left alone when the event was not recorded, or the answer could not be read', async () => {
    const ignored = await fakePage({ cookie: `ashiato_id=${ID}; ${YES}`, answer: () => ({ ok: true, dropped: 'bot' }) });
    const failed = await fakePage({ cookie: `ashiato_id=${ID}; ${YES}`, fetchFails: 'reject' });
    await Promise.all([ignored.settle(), failed.settle()]);
    expect(ignored.cookieWrites).toEqual([]);
    expect(failed.cookieWrites).toEqual([]);
  });

  it('is neither sent nor kept under GPC, and the pageview still counts', async () => {
    const page = await fakePage({ gpc: true, cookie: `ashiato_id=${ID}; ${YES}` });
    expect(page.sent[0]!.payload).toMatchObject({ g: 1, c: 1 });
    expect(page.sent[0]!.payload).not.toHaveProperty('v');
    await page.settle();
    expect(page.jar.has('ashiato_id')).toBe(false);
    expect((await fakePage({ gpc: false })).sent[0]!.payload).not.toHaveProperty('g');
  });

  it('is deleted by ashiato.optOut()', async () => {
    const page = await fakePage({ cookie: `ashiato_id=${ID}; ${YES}` });
    page.ashiato.optOut();
    expect(page.jar.has('ashiato_id')).toBe(false);
    expect(page.storage.ashiato_ignore).toBe('1');
  });
});

describe('consent, without the banner on the page (its cookie from another page)', () => {
  it('sends c:1 with analytics accepted, nothing without, and no c without a choice', async () => {
    const sent = async (cookie?: string) => (await fakePage(cookie ? { cookie } : {})).sent.map((s) => s.payload.c);
    expect(await sent()).toEqual([undefined]);
    expect(await sent(YES)).toEqual([1]);
    expect(await sent('ashiato_consent=k~r1~necessary')).toEqual([]);
  });

  it('reads the choice afresh for every event', async () => {
    const page = await fakePage();
    page.jar.set('ashiato_consent', 'k~r1~necessary+analytics');
    page.dispatch('ashiato:consent');
    page.ashiato('after');
    page.jar.set('ashiato_consent', 'k~r1~necessary');
    page.ashiato('refused');
    await page.settle();
    expect(page.sent.map((s) => [s.payload.n, s.payload.c])).toEqual([
      [undefined, undefined],
      ['after', 1],
    ]);
  });

  it('deletes the id at once on a denial, when the banner says so', async () => {
    const page = await fakePage({ cookie: `ashiato_id=${ID}; ${YES}` });
    expect(page.jar.get('ashiato_id')).toBe(ID);
    page.jar.set('ashiato_consent', 'k~r2~necessary');
    page.dispatch('ashiato:consent');
    expect(page.jar.has('ashiato_id')).toBe(false);
    expect(page.sent).toHaveLength(1); // a choice is not a page view
  });
});

describe('consent, with the banner on the page', () => {
  it('holds events while the banner does not know, then sends each as it says, or drops them', async () => {
    let answer: Sending = undefined;
    const page = await fakePage({ cookie: `ashiato_id=${ID}`, queue: [['early']], banner: () => answer });
    page.ashiato('meanwhile');
    page.dispatch('ashiato:consent');
    expect(page.sent).toEqual([]);
    expect(page.jar.get('ashiato_id')).toBe(ID); // not known yet is no refusal: the id stays
    answer = 2; // cookieless: no c, no id (and the id is deleted)
    page.dispatch('ashiato:consent');
    expect(page.sent.map((s) => [s.payload.n, s.payload.c, s.payload.v])).toEqual([
      [undefined, undefined, undefined],
      ['early', undefined, undefined],
      ['meanwhile', undefined, undefined],
    ]);
    expect(page.jar.has('ashiato_id')).toBe(false);

    answer = undefined; // a "yes" on its way to the server
    page.ashiato('while pending');
    expect(page.sent).toHaveLength(3);
    answer = 1;
    page.jar.set('ashiato_id', ID);
    page.dispatch('ashiato:consent');
    expect(page.sent[3]!.payload).toMatchObject({ n: 'while pending', c: 1, v: ID });

    answer = undefined;
    page.ashiato('then refused');
    answer = 0; // a refusal: what was held is dropped, nothing more is sent, the id is gone
    page.dispatch('ashiato:consent');
    page.ashiato('after the refusal');
    expect(page.sent).toHaveLength(4);
    expect(page.jar.has('ashiato_id')).toBe(false);
  });
});

describe('navigation', () => {
  it('counts SPA navigations once each, without a referrer', async () => {
    const page = await fakePage({ url: 'https://www.example.co.jp/', referrer: 'https://search.example/' });
    page.history.pushState({}, '', '/products');
    page.history.replaceState({}, '', '/products'); // same page: not again
    page.history.pushState({}, '', '/products#specs'); // only the fragment: not again
    page.history.replaceState({}, '', '/products?item=2');
    page.navigate('/products', 'popstate');
    await page.settle();
    expect(page.sent.map((s) => [s.payload.u, s.payload.r])).toEqual([
      ['https://www.example.co.jp/', 'https://search.example/'],
      ['https://www.example.co.jp/products', undefined],
      ['https://www.example.co.jp/products?item=2', undefined],
      ['https://www.example.co.jp/products', undefined],
    ]);
  });

  it('follows the #fragment with data-hash', async () => {
    const page = await fakePage({ url: 'https://www.example.co.jp/app#/', data: { hash: '' } });
    page.navigate('#/orders', 'hashchange');
    page.navigate('#/orders', 'hashchange');
    page.history.pushState({}, '', '#/orders/7');
    await page.settle();
    expect(page.sent.map((s) => [s.payload.u, s.payload.h])).toEqual([
      ['https://www.example.co.jp/app#/', 1],
      ['https://www.example.co.jp/app#/orders', 1],
      ['https://www.example.co.jp/app#/orders/7', 1],
    ]);
  });

  it('ignores hashchange without data-hash', async () => {
    const page = await fakePage();
    page.navigate('#/orders', 'hashchange');
    expect(page.sent).toHaveLength(1);
  });
});

describe('custom events', () => {
  it('sends ashiato(name, {props}) and the calls queued before load, after the page view', async () => {
    const page = await fakePage({ queue: [['early'], ['signup', { props: { plan: 'pro', seats: 3, trial: false } }]] });
    page.ashiato('late', { props: { from: 'footer' } });
    await page.settle();
    expect(page.sent.map((s) => s.payload)).toMatchObject([
      { w: 1440 },
      { n: 'early' },
      { n: 'signup', p: { plan: 'pro', seats: 3, trial: false } },
      { n: 'late', p: { from: 'footer' } },
    ]);
    expect(page.sent.every((s) => !('t' in s.payload))).toBe(true); // the server derives the type from `n`
    expect(page.sent[0]!.payload).not.toHaveProperty('n');
    expect(page.sent[1]!.payload).not.toHaveProperty('p');
    expect(page.sent[1]!.payload).not.toHaveProperty('r');
  });

  it('sends 404 by call or by data-404, without props (the server adds the scrubbed path)', async () => {
    const called = await fakePage({ url: 'https://www.example.co.jp/nope?q=1' });
    called.ashiato('404');
    await called.settle();
    expect(called.sent[1]!.payload).toMatchObject({ n: '404', u: 'https://www.example.co.jp/nope?q=1' });
    expect(called.sent[1]!.payload).not.toHaveProperty('p');
    const tagged = await fakePage({ url: 'https://www.example.co.jp/gone', data: { '404': '' } });
    await tagged.settle();
    expect(tagged.sent.map((s) => s.payload.n)).toEqual([undefined, '404']);
    expect(tagged.sent[1]!.payload).not.toHaveProperty('p');
  });

  it('sends nothing from the page’s clicks without the add-on', async () => {
    const page = await fakePage();
    expect(page.scripts).toEqual([]);
    page.dispatch('click', { target: page.element('BUTTON', { 'data-ashiato-event': 'Signup' }), button: 0 });
    page.dispatch('click', { target: page.element('A', { href: 'https://other.example/' }), button: 0 });
    await page.settle();
    expect(page.sent).toHaveLength(1);
  });
});

describe('the add-on ashiato.links.js', () => {
  it('is loaded from the core’s own directory when the tag has data-outbound, data-downloads or data-events', async () => {
    for (const attr of ['outbound', 'downloads', 'events']) {
      const page = await fakePage({ data: { [attr]: '' } });
      expect(page.scripts, attr).toEqual(['https://www.example.co.jp/ashiato.links.js']);
    }
    const all = await fakePage({ src: 'https://cdn.example/js/ashiato.js?v=2', data: { outbound: '', downloads: 'pdf', events: '' } });
    expect(all.scripts).toEqual(['https://cdn.example/js/ashiato.links.js']);
  });

  it('is not loaded without those attributes, nor where nothing is sent', async () => {
    expect((await fakePage({ data: { title: '', hash: '', '404': '' } })).scripts).toEqual([]);
    expect((await fakePage({ url: 'http://localhost:3000/', src: 'http://localhost:3000/ashiato.js', data: { outbound: '' } })).scripts).toEqual([]);
    expect((await fakePage({ webdriver: true, data: { events: '' } })).scripts).toEqual([]);
    expect((await fakePage({ webdriver: true, data: { events: '', local: '' } })).scripts).toHaveLength(1);
  });

  it('reads the core tag’s settings from ashiato.d and sends through the public ashiato(name, {props})', async () => {
    const page = await fakePage({ data: { site: 'corp', outbound: '', events: '' } });
    expect((page.window.ashiato as { d: unknown }).d).toEqual({ site: 'corp', outbound: '', events: '' });
    const calls: unknown[][] = [];
    // the add-on looks ashiato up on every event: a wrapper put in its place sees each call
    page.window.ashiato = Object.assign((...args: unknown[]) => calls.push(args), page.window.ashiato as object);
    page.dispatch('click', { target: page.element('A', { href: 'https://other.example/' }), button: 0 });
    page.dispatch('click', { target: page.element('BUTTON', { 'data-ashiato-event': 'Signup', 'data-ashiato-prop-plan': 'pro' }), button: 0 });
    expect(calls).toEqual([
      ['Outbound Link: Click', { props: { url: 'https://other.example/' } }],
      ['Signup', { props: { plan: 'pro' } }],
    ]);
  });

  it('goes through the core’s gates: nothing while opted out', async () => {
    const page = await fakePage({ data: { outbound: '', events: '' }, storage: { ashiato_ignore: '1' } });
    page.dispatch('click', { target: page.element('A', { href: 'https://other.example/' }), button: 0 });
    page.dispatch('click', { target: page.element('BUTTON', { 'data-ashiato-event': 'Signup' }), button: 0 });
    await page.settle();
    expect(page.sent).toEqual([]);
  });

  it('fires tagged elements on click, tagged forms on submit only, with data-events', async () => {
    const page = await fakePage({ data: { events: '' } });
    const button = page.element('BUTTON', { 'data-ashiato-event': 'Signup', 'data-ashiato-prop-plan': 'pro' });
    const icon = page.element('SPAN', {}, button);
    const form = page.element('FORM', { 'data-ashiato-event': 'Contact', 'data-ashiato-prop-topic': 'sales' });
    const submit = page.element('BUTTON', { type: 'submit' }, form);
    page.dispatch('click', { target: icon, button: 0 });
    page.dispatch('click', { target: submit, button: 0 }); // the form fires on submit, not on its button's click
    page.dispatch('submit', { target: form });
    page.dispatch('auxclick', { target: icon, button: 2 }); // right click
    await page.settle();
    expect(page.sent.slice(1).map((s) => [s.payload.n, s.payload.p])).toEqual([
      ['Signup', { plan: 'pro' }],
      ['Contact', { topic: 'sales' }],
    ]);
  });

  it('names outbound links and downloads only when asked, on left and middle clicks', async () => {
    const off = await fakePage({ data: { events: '' } }); // the add-on is loaded, but for tagged elements only
    off.dispatch('click', { target: off.element('A', { href: 'https://other.example/' }), button: 0 });
    off.dispatch('click', { target: off.element('A', { href: '/files/a.pdf' }), button: 0 });
    await off.settle();
    expect(off.sent).toHaveLength(1);

    const page = await fakePage({ data: { outbound: '', downloads: '' } });
    const out = page.element('A', { href: 'https://other.example/x' });
    page.dispatch('click', { target: page.element('IMG', {}, out), button: 0 });
    page.dispatch('auxclick', { target: out, button: 1 });
    page.dispatch('auxclick', { target: out, button: 2 });
    page.dispatch('click', { target: page.element('A', { href: '/files/catalog.pdf' }), button: 0 });
    page.dispatch('click', { target: page.element('A', { href: '/about' }), button: 0 });
    await page.settle();
    expect(page.sent.slice(1).map((s) => [s.payload.n, s.payload.p])).toEqual([
      ['Outbound Link: Click', { url: 'https://other.example/x' }],
      ['Outbound Link: Click', { url: 'https://other.example/x' }],
      ['File Download', { url: 'https://www.example.co.jp/files/catalog.pdf' }],
    ]);
  });

  it('names a link by its host and path: another port or subdomain is another host; no host, no event', async () => {
    const page = await fakePage({ data: { outbound: '', downloads: '' } });
    const click = (href: string) => page.dispatch('click', { target: page.element('A', { href }), button: 0 });
    const outbound = ['https://other.example/', 'http://other.example/x?y#z', 'https://www.example.co.jp:8443/', 'https://example.co.jp/'];
    const nothing = ['/about', 'https://www.example.co.jp/about', '#top', 'mailto:info@example.com', 'tel:+81312345678', 'javascript:void 0'];
    const downloads = ['/files/catalog.pdf', 'https://cdn.example/catalog.PDF?v=2']; // on any host, before outbound
    for (const href of [...outbound, ...nothing, ...downloads]) click(href);
    await page.settle();
    expect(page.sent.slice(1).map((s) => [s.payload.n, s.payload.p!.url])).toEqual([
      ...outbound.map((href) => ['Outbound Link: Click', new URL(href, page.url).href]),
      ...downloads.map((href) => ['File Download', new URL(href, page.url).href]),
    ]);
  });

  it('takes data-ashiato-prop-<key> attributes as props, and nothing else', async () => {
    const page = await fakePage({ data: { events: '' } });
    const tagged = page.element('BUTTON', {
      class: 'btn',
      'data-ashiato-event': 'signup',
      'data-ashiato-prop-plan': 'pro',
      'data-ashiato-prop-billing-cycle': 'yearly',
      'data-ashiato-prop-': 'no key',
      'data-ashiato-props': 'not a prop',
    });
    page.dispatch('click', { target: tagged, button: 0 });
    page.dispatch('click', { target: page.element('A', { 'data-ashiato-event': 'bare' }), button: 0 });
    await page.settle();
    expect(page.sent.slice(1).map((s) => [s.payload.n, s.payload.p])).toEqual([
      ['signup', { plan: 'pro', 'billing-cycle': 'yearly' }],
      ['bare', {}],
    ]);
  });

  it('ignores events whose target is not an element', async () => {
    const page = await fakePage({ data: { outbound: '', events: '' } });
    expect(() => page.dispatch('click', { target: {}, button: 0 })).not.toThrow();
    expect(page.sent).toHaveLength(1);
  });

  it('leaves tagged elements alone without data-events', async () => {
    const page = await fakePage({ data: { outbound: '', downloads: '' } });
    page.dispatch('click', { target: page.element('BUTTON', { 'data-ashiato-event': 'Signup' }), button: 0 });
    page.dispatch('submit', { target: page.element('FORM', { 'data-ashiato-event': 'Contact' }) });
    await page.settle();
    expect(page.sent).toHaveLength(1);
  });
});

describe('sending', () => {
  it('falls back to sendBeacon when fetch throws, but never sends twice after a failed fetch', async () => {
    const thrown = await fakePage({ fetchFails: 'throw' });
    await thrown.settle();
    expect(thrown.sent.map((s) => [s.via, s.payload.u])).toEqual([['beacon', 'https://www.example.co.jp/']]);
    expect(thrown.sent[0]!.url).toBe('https://www.example.co.jp/api/event');

    const rejected = await fakePage({ fetchFails: 'reject' });
    await rejected.settle();
    expect(rejected.sent.map((s) => s.via)).toEqual(['fetch']);
  });
});
