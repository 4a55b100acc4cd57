import { describe, expect, it } from 'vitest';
import { browserFamily, coarserTime, osFamily, sectionOf, sourceDomain, sourceOf, timeBucketer, zonedMidnight } from '../../../server/anonymize/generalize.ts';
import { looksLikeIdentifier } from '../../../server/anonymize/identifier-like.ts';

describe('coarsening (standard 4)', () => {
  it('keeps a path’s first segment only, and no segment that looks like an id', () => {
    expect(sectionOf('/products/sensor/specs')).toBe('/products');
    expect(sectionOf('/Products?x=1')).toBe('/products');
    expect(sectionOf('/')).toBe('/');
    expect(sectionOf('')).toBe('/');
    expect(sectionOf(null)).toBe(null);
    expect(sectionOf('/taro.yamada@example.jp/orders')).toBe('(other)');
    expect(sectionOf('/8f14e45fceea167a5a36dedd4bea2543')).toBe('(other)');
    expect(sectionOf('/[email]/x')).toBe('(other)');
  });

  it('reduces a referrer to its registrable domain, and never keeps an address or an intranet name', () => {
    expect(sourceDomain('www.google.com')).toBe('google.com');
    expect(sourceDomain('news.yahoo.co.jp')).toBe('yahoo.co.jp');
    expect(sourceDomain('a.b.example.com.au')).toBe('example.com.au');
    expect(sourceDomain('t.co')).toBe('t.co');
    expect(sourceDomain('10.20.30.40')).toBe('(other)');
    expect(sourceDomain('[2001:db8::1]')).toBe('(other)');
    expect(sourceDomain('intranet-host')).toBe('(other)');
    expect(sourceOf(null, null)).toBe('(direct)');
    expect(sourceOf('www.bing.com', 'Newsletter')).toBe('newsletter');
    expect(sourceOf(null, 'jiro@example.com')).toBe('(other)');
  });

  it('drops versions: browser and OS families', () => {
    expect(browserFamily('Mobile Safari')).toBe('Safari');
    expect(browserFamily('Chrome WebView')).toBe('Chrome');
    expect(browserFamily('Firefox')).toBe('Firefox');
    expect(browserFamily(null)).toBe(null);
    expect(osFamily('Mac OS')).toBe('macOS');
    expect(osFamily('Ubuntu')).toBe('Linux');
    expect(osFamily('SomeRareOS 3')).toBe('(other)');
  });

  it('buckets time in the site’s zone by hour or day, and coarsens hour → day → ISO week → *', () => {
    const ts = Date.UTC(2026, 10, 21, 16, 30); // 01:30 on the 22nd in Tokyo
    expect(timeBucketer('Asia/Tokyo', 'hour')(ts)).toBe('2026-11-22T01');
    expect(timeBucketer('Asia/Tokyo', 'day')(ts)).toBe('2026-11-22');
    expect(timeBucketer('UTC', 'day')(ts)).toBe('2026-11-21');
    expect(coarserTime('2026-11-22T01')).toBe('2026-11-22');
    expect(coarserTime('2026-11-22')).toBe('2026-W47');
    expect(coarserTime('2024-12-30')).toBe('2025-W01');
    expect(coarserTime('2021-01-03')).toBe('2020-W53');
    expect(coarserTime('2026-W47')).toBe('*');
  });

  it('finds a day’s midnight in a zone, across daylight-saving changes too', () => {
    expect(zonedMidnight('2026-10-01', 'Asia/Tokyo')).toBe(Date.UTC(2026, 8, 30, 15));
    expect(zonedMidnight('2026-10-01', 'UTC')).toBe(Date.UTC(2026, 9, 1));
    expect(zonedMidnight('2026-03-08', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 5));
    expect(zonedMidnight('2026-03-09', 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4));
  });
});

describe('identifier-like values (standard 2)', () => {
  it.each(['203.0.113.0', '2001:db8:abcd:12::', 'hanako@example.jp', '+81 90-1234-5678', 'Xk3_aB9-qw2ZpL0mN7vR1s', '8f14e45fceea167a5a36dedd4bea2543'])('%s is refused', (v) => {
    expect(looksLikeIdentifier(v)).toBe(true);
  });
  it.each(['pro', 'enterprise', '/products', 'google.com', 'Home', 'お問い合わせ', '2026-autumn-release', 'signup'])('%s is kept', (v) => {
    expect(looksLikeIdentifier(v)).toBe(false);
  });
});
