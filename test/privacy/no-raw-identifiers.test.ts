import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedGeo } from '../../server/http/geo.ts';
import { createLogger } from '../../server/log.ts';
import { createRuntime } from '../../server/runtime.ts';
import { upsertSite } from '../../server/store/sites.ts';
import { pageview, sendEvent, testCountries } from '../helpers/app.ts';

const dir = mkdtempSync(join(tmpdir(), 'ashiato-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fullIps = ['203.0.113.77', '198.51.100.23', '192.0.2.44', '2001:db8:abcd:12:3456:789a:bcde:f012', '2001:db8:abcd:12'];
const uas = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Kx9Tag/1.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 Kx9Tag/2.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) Kx9Tag/3.0',
];
const needles = [...fullIps, ...uas, 'Kx9Tag', 'AppleWebKit', 'taro@example.jp'];

describe('privacy invariants, checked on the bytes', () => {
  it('no full IP, raw user agent or unconsented cookie id reaches the database file or the logs (events and consent receipts)', async () => {
    const lines: string[] = [];
    const file = join(dir, 'ashiato.sqlite');
    const rt = await createRuntime({
      db: { kind: 'sqlite', file },
      geo: fixedGeo(testCountries),
      peerAddress: (c) => c.req.header('x-test-peer'),
      log: createLogger('debug', (l) => lines.push(l)),
      jobs: false,
    });
    await upsertSite(rt.store.db, { id: 'example.com', hosts: ['example.com'] }, Date.now());
    const unconsented = 'UnconsentedCookieId000';
    let accepted = 0;
    let receipts = 0;
    for (const peer of fullIps.slice(0, 4)) {
      for (const ua of uas) {
        for (const c of ['unset', 'granted', 'denied'] as const) {
          // a cookie id the visitor has not allowed: refused consent anywhere, or no choice yet in an opt-in region
          const mayHaveCookie = c === 'granted' || (c === 'unset' && testCountries[peer] !== 'DE');
          const wire = { unset: undefined, granted: 1, denied: 0 }[c];
          const res = await sendEvent(rt.app, pageview({ c: wire, v: mayHaveCookie ? undefined : unconsented }), { peer, ua });
          if (res.status === 202) accepted++;
        }
        await sendEvent(rt.app, pageview({ s: 'unknown.example' }), { peer, ua });
        await sendEvent(rt.app, pageview(), { peer, ua, origin: 'https://evil.example' });
        // consent choices go through the same address and user-agent handling
        const choice = await rt.app.request('/api/consent', {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': ua, 'x-test-peer': peer, origin: 'https://example.com' },
          body: JSON.stringify({ s: 'example.com', a: 'reject_all', acc: [], rej: [], rev: rt.deps.policy.revision, th: 'a'.repeat(64), l: 'ja', u: 'https://example.com/?email=taro@example.jp' }),
        });
        if (choice.status === 201) receipts++;
      }
    }
    expect(accepted).toBe(24);
    expect(receipts).toBe(8);
    expect(lines.length).toBeGreaterThan(0);
    await rt.close();

    const bytes = ['', '-wal', '-shm']
      .map((suffix) => file + suffix)
      .filter(existsSync)
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    expect(bytes).toContain('203.0.113.0');
    for (const needle of [...needles, unconsented]) {
      expect(bytes.includes(needle), `database file contains "${needle}"`).toBe(false);
      expect(lines.join('\n').includes(needle), `a log line contains "${needle}"`).toBe(false);
    }
  });
});
