/** Realistic, varied request material for load tests: many user agents and client addresses. */

const chromeVersions = [118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131];
const platforms = [
  'Windows NT 10.0; Win64; x64',
  'Macintosh; Intel Mac OS X 10_15_7',
  'X11; Linux x86_64',
  'Linux; Android 14; Pixel 8',
  'Linux; Android 13; SM-S918B',
];

export function userAgents(): string[] {
  const list: string[] = [];
  for (const v of chromeVersions) {
    for (const p of platforms) {
      const mobile = p.includes('Android') ? ' Mobile' : '';
      list.push(`Mozilla/5.0 (${p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0${mobile} Safari/537.36`);
    }
    list.push(`Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`);
  }
  for (const v of [16, 17, 18]) {
    list.push(`Mozilla/5.0 (iPhone; CPU iPhone OS ${v}_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v}.1 Mobile/15E148 Safari/604.1`);
    list.push(`Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${v}.1 Safari/605.1.15`);
  }
  for (const v of [128, 130, 132, 133]) list.push(`Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`);
  return list;
}

/** Public-looking addresses spread over many networks, v4 and v6. */
export function clientAddresses(n: number, seed = 7): string[] {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  return Array.from({ length: n }, (_, i) =>
    i % 10 === 9
      ? `2001:db8:${(next() % 0xffff).toString(16)}:${(next() % 0xffff).toString(16)}::${(next() % 0xffff).toString(16)}`
      : `${1 + (next() % 222)}.${next() % 256}.${next() % 256}.${1 + (next() % 254)}`,
  );
}

const paths = ['/', '/products', '/products/sensor', '/about', '/news/2026-autumn-release', '/contact', '/careers'];
const referrers = ['', 'https://www.google.com/', 'https://search.yahoo.co.jp/search?p=x', 'https://www.linkedin.com/feed/'];

export function eventBodies(site: string, host: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify(
      i % 5 === 4
        ? { s: site, t: 'event', n: 'File Download', u: `http://${host}/products`, p: { url: `http://${host}/catalog.pdf` }, w: 1440, l: 'ja' }
        : { s: site, t: 'pageview', u: `http://${host}${paths[i % paths.length]}?utm_source=news&page=${i % 3}`, r: referrers[i % referrers.length], ...(i % 3 === 0 ? { c: 1 } : {}), w: i % 2 ? 390 : 1440, l: 'ja-JP' },
    ),
  );
}
