import { describe, expect, it } from 'vitest';
import { isPersonalParam, scrubPageUrl, scrubReferrer } from '../../../server/http/url.ts';

describe('scrubPageUrl', () => {
  it('drops query parameters whose names look personal and keeps the rest', () => {
    const s = scrubPageUrl('https://example.com/a?email=x%40y.jp&tel=0312345678&name=Taro&token=abc&page=2&sort=asc')!;
    expect(s.path).toBe('/a');
    expect(s.query).toBe('page=2&sort=asc');
  });

  it('drops parameters whose values look personal whatever their name', () => {
    const s = scrubPageUrl('https://example.com/?q=taro%40example.jp&ref=090-1234-5678&x=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0&h=0123456789abcdef0123456789abcdef&lang=ja')!;
    expect(s.query).toBe('lang=ja');
  });

  it('lifts utm_* into their own fields', () => {
    const s = scrubPageUrl('https://example.com/?utm_source=News&utm_medium=email&utm_campaign=nov&utm_term=iot&utm_content=top&utm_other=1')!;
    expect(s.utm).toEqual({ source: 'News', medium: 'email', campaign: 'nov', term: 'iot', content: 'top' });
    expect(s.query).toBeNull();
  });

  it('never keeps personal data in utm values either', () => {
    expect(scrubPageUrl('https://example.com/?utm_source=taro%40example.jp')!.utm.source).toBeNull();
  });

  it('masks e-mail addresses and tokens in the path', () => {
    expect(scrubPageUrl('https://example.com/users/taro%40example.jp/settings')!.path).toBe('/users/[email]/settings');
    expect(scrubPageUrl('https://example.com/reset/0123456789abcdef0123456789abcdef')!.path).toBe('/reset/[id]');
    expect(scrubPageUrl('https://example.com/news/2026-autumn-release')!.path).toBe('/news/2026-autumn-release');
  });

  it('keeps the hash only for hash-routed sites, without its query', () => {
    expect(scrubPageUrl('https://example.com/app#/orders?email=a@b.jp', true)!.path).toBe('/app#/orders');
    expect(scrubPageUrl('https://example.com/app#/orders', false)!.path).toBe('/app');
  });

  it('rejects non-http URLs', () => {
    expect(scrubPageUrl('javascript:alert(1)')).toBeNull();
    expect(scrubPageUrl('file:///etc/passwd')).toBeNull();
    expect(scrubPageUrl('not a url')).toBeNull();
  });

  it('recognises common personal parameter spellings', () => {
    for (const k of ['Email', 'e-mail', 'mail_address', 'first_name', 'lastName', 'phone_number', 'access_token', 'api_key', 'password', 'sessionid', 'zip_code', 'user_id']) {
      expect(isPersonalParam(k, 'x')).toBe(true);
    }
    for (const k of ['page', 'sort', 'lang', 'category', 'q']) expect(isPersonalParam(k, 'value')).toBe(false);
  });
});

describe('scrubReferrer', () => {
  it('keeps host and path, never the query', () => {
    expect(scrubReferrer('https://www.google.com/search?q=taro+yamada', ['example.com'])).toEqual({ host: 'www.google.com', path: '/search' });
  });

  it('internal navigation is not a referrer', () => {
    expect(scrubReferrer('https://example.com/prev', ['example.com'])).toBeNull();
    // the site's own www. host is internal too, whichever form the site was added in
    expect(scrubReferrer('https://www.example.com/prev', ['example.com'])).toBeNull();
    expect(scrubReferrer('https://example.com/prev', ['www.example.com'])).toBeNull();
    expect(scrubReferrer('https://blog.example.com/post', ['example.com'])).toEqual({ host: 'blog.example.com', path: '/post' });
  });

  it('ignores junk', () => {
    expect(scrubReferrer('android-app://com.google.android.gm', ['example.com'])).toBeNull();
    expect(scrubReferrer(undefined, [])).toBeNull();
  });
});
