import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyReceiptChain } from '../../../server/consent/verify.ts';
import { rolledDimensions } from '../../../server/jobs/rollup.ts';
import { recordSeen } from '../../../server/jobs/rollup-seen.ts';
import type { MyDataDeleted, MyDataView, MyDataWithdrawn } from '../../../server/privacy/index.ts';
import { renderMyDataPage } from '../../../server/privacy/my-data-page.ts';
import type { MyDataExport } from '../../../server/privacy/visitor-export.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { pageview, sendEvent } from '../../helpers/app.ts';
import { browse, ingestSuppresses, myData, ORIGIN, privacyApp, tablesHolding, type PrivacyTestApp } from './helpers.ts';

let t: PrivacyTestApp;
beforeEach(async () => {
  t = await privacyApp({}, { staff: false });
});
afterEach(() => t.close());

/** A consent choice from the banner on example.com, as the visitor's browser sends it. */
async function consent(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.app.request(`${ORIGIN}/api/consent`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://example.com', 'x-test-peer': '203.0.113.77', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0' },
    body: JSON.stringify({ s: 'example.com', a: 'custom', acc: ['analytics'], rej: ['external_analytics'], rev: t.policy.revision, th: 'a'.repeat(64), l: 'ja', u: 'https://example.com/', ...extra }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { consentId: string }).consentId;
}

describe('POST /api/my-data', () => {
  it('shows what is held for the cookie id and the consent id, newest first', async () => {
    const v = await browse(t, ['/', '/products', '/about']);
    const c = await consent();
    const res = await myData(t, '', { v, c });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const view = (await res.json()) as MyDataView;
    expect(view.counts).toEqual({ events: 3, sessions: 1, receipts: 1, provisions: 0 });
    expect(view.events.map((e) => e.path)).toEqual(['/about', '/products', '/']);
    expect(view.events[0]).toMatchObject({ site: 'example.com', type: 'pageview', country: 'JP', ipTruncated: '203.0.113.0' });
    expect(view.receipts[0]).toMatchObject({ consentId: c, action: 'custom', accepted: ['necessary', 'analytics'] });
    expect(view.firstSeen).toBeLessThan(view.lastSeen!);
    expect(view.suppressed).toBe(false);
  });

  it('never matches cookieless (hash) visitors, and answers an unknown id with nothing', async () => {
    await sendEvent(t.rt.app, pageview({ c: 0 })); // refused: a daily hash, not a cookie id
    const hashed = await t.db.selectFrom('events').select('visitor_id').where('visitor_kind', '=', 'hash').executeTakeFirstOrThrow();
    const view = (await (await myData(t, '', { v: hashed.visitor_id })).json()) as MyDataView;
    expect(view.counts.events).toBe(0);
    const unknown = (await (await myData(t, '', { v: 'AAAAAAAAAAAAAAAAAAAAAA' })).json()) as MyDataView;
    expect(unknown.counts).toEqual({ events: 0, sessions: 0, receipts: 0, provisions: 0 });
  });

  it('refuses malformed ids, empty bodies, other origins and other media types', async () => {
    expect((await myData(t, '', { v: 'short' })).status).toBe(400);
    expect((await myData(t, '', {})).status).toBe(400);
    expect((await myData(t, '', { v: 'AAAAAAAAAAAAAAAAAAAAAA', extra: 1 })).status).toBe(400);
    const foreign = await myData(t, '/delete', { v: 'AAAAAAAAAAAAAAAAAAAAAA' }, { origin: 'https://example.com' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: 'origin_mismatch' });
    expect((await myData(t, '', { v: 'AAAAAAAAAAAAAAAAAAAAAA' }, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await myData(t, '', { v: 'A'.repeat(2000) })).status).toBe(413);
  });

  it('without an Origin, believes Sec-Fetch-Site: its own page or the address bar yes, another site no', async () => {
    const post = (site: string) =>
      t.app.request(`${ORIGIN}/api/my-data`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-test-peer': '203.0.113.77', 'sec-fetch-site': site },
        body: JSON.stringify({ v: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      });
    expect((await post('same-origin')).status).toBe(200);
    expect((await post('none')).status).toBe(200);
    expect((await post('same-site')).status).toBe(403);
    expect((await post('cross-site')).status).toBe(403);
  });
});

describe('POST /api/my-data/export', () => {
  it('downloads everything as JSON and as CSV', async () => {
    const v = await browse(t, ['/', '/products?page=2']);
    const c = await consent();
    const json = await myData(t, '/export?format=json', { v, c });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="my-data-\d{8}\.json"$/);
    const file = (await json.json()) as MyDataExport;
    expect(file).toMatchObject({ format: 'ashiato-my-data-v1', policyRevision: t.policy.revision, keys: { cookieIds: [v], consentIds: [c] } });
    expect(file.events.map((e) => [e.path, e.query])).toEqual([
      ['/', null],
      ['/products', 'page=2'],
    ]);
    expect(file.consentReceipts).toHaveLength(1);

    const csv = await myData(t, '/export?format=csv', { v, c });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]!.split(',').slice(0, 4)).toEqual(['record', 'time', 'site', 'kind']);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['event', 'event', 'visit', 'consent_receipt']);
    expect((await myData(t, '/export?format=xml', { v })).status).toBe(400);
  });
});

describe('POST /api/my-data/delete', () => {
  it('deletes events and visits, redacts receipts, logs the deletion without the id, and recognises a repeat', async () => {
    const v = await browse(t, ['/', '/products']);
    const other = await browse(t, ['/careers']);
    const c = await consent();
    // the rollup's record of who it counted today holds the id too
    await recordSeen(t.db, 'example.com', '2026-01-01', rolledDimensions, 0, t.clock() + 1);
    expect(await tablesHolding(t.db, v)).toContain('stats_seen.visitor_id');
    const res = await myData(t, '/delete', { v, c });
    expect(res.status).toBe(200);
    expect((await res.json()) as MyDataDeleted).toEqual({ deleted: { events: 2, sessions: 1, receipts: 1 }, previousDeletions: 0 });

    expect(await tablesHolding(t.db, v)).toEqual([]);
    expect(await tablesHolding(t.db, c)).toEqual([]);
    // someone else's data stays
    expect((await t.db.selectFrom('events').select('visitor_id').execute()).map((r) => r.visitor_id)).toEqual([other]);
    const receipt = await t.db.selectFrom('consent_receipts').selectAll().executeTakeFirstOrThrow();
    expect(receipt).toMatchObject({ consent_id: null, accepted: null, ip_trunc: null, redacted_at: t.clock() });
    expect(await verifyReceiptChain(t.db)).toMatchObject({ ok: true, redacted: 1 });

    const log = await t.db.selectFrom('deletion_log').selectAll().execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ source: 'visitor', case_id: null, id_hash: t.suppressions.hash(v), consent_hash: t.suppressions.hash(c) });
    expect(JSON.parse(log[0]!.classes)).toEqual(['events', 'sessions', 'consent_receipts']);
    expect(JSON.parse(log[0]!.counts)).toEqual({ events: 2, sessions: 1, consent_receipts: 1 });

    // the same browser comes back and asks again
    await browse(t, ['/news'], v);
    const again = (await (await myData(t, '/delete', { v })).json()) as MyDataDeleted;
    expect(again).toEqual({ deleted: { events: 1, sessions: 1, receipts: 0 }, previousDeletions: 1 });
  });

  it('a deleted visitor starts a fresh visit', async () => {
    const v = await browse(t, ['/']);
    const before = await t.db.selectFrom('sessions').select('id').executeTakeFirstOrThrow();
    await myData(t, '/delete', { v });
    await browse(t, ['/again'], v);
    const after = await t.db.selectFrom('sessions').select('id').executeTakeFirstOrThrow();
    expect(after.id).not.toBe(before.id);
  });
});

describe('POST /api/my-data/suspend and /withdraw', () => {
  it('suspension stores only a keyed hash and is reported back', async () => {
    const v = await browse(t, ['/']);
    expect((await myData(t, '/suspend', { c: 'AAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(400);
    expect((await myData(t, '/suspend', { v })).status).toBe(200);
    expect(t.suppressions.has(v)).toBe(true);
    expect(await t.db.selectFrom('suppressions').selectAll().execute()).toEqual([{ id_hash: t.suppressions.hash(v), reason: 'suspend', created_at: t.clock() }]);
    expect(((await (await myData(t, '', { v })).json()) as MyDataView).suppressed).toBe(true);
    expect(await tablesHolding(t.db, v)).toEqual(['events.visitor_id', 'sessions.visitor_id']);
  });

  it.skipIf(!ingestSuppresses)('ingest drops a suspended cookie id with 200 {dropped: "suppressed"}', async () => {
    const v = await browse(t, ['/']);
    await myData(t, '/suspend', { v });
    const res = await sendEvent(t.app as unknown as Runtime['app'], pageview({ v }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, dropped: 'suppressed' });
    expect(await t.db.selectFrom('events').selectAll().execute()).toHaveLength(1);
  });

  it('withdrawal records a withdraw receipt through the consent chain and stops the cookie id', async () => {
    const v = await browse(t, ['/']);
    const c = await consent();
    const res = await myData(t, '/withdraw', { v, c, l: 'en' });
    expect(res.status).toBe(201);
    expect((await res.json()) as MyDataWithdrawn).toEqual({ consentId: c, suppressed: true });
    const rows = await t.db.selectFrom('consent_receipts').selectAll().orderBy('seq').execute();
    expect(rows[1]).toMatchObject({
      site_id: 'example.com',
      consent_id: c,
      action: 'withdraw',
      accepted: '["necessary"]',
      rejected: '["analytics","external_analytics"]',
      language: 'en',
      path: '/privacy/my-data',
      mode: 'notice',
      ip_trunc: '203.0.113.0',
      banner_hash: null,
    });
    expect(await verifyReceiptChain(t.db)).toMatchObject({ ok: true, count: 2 });
    expect(t.suppressions.has(v)).toBe(true);
    expect((await myData(t, '/withdraw', { c: 'AAAAAAAAAAAAAAAAAAAAAA' })).status).toBe(409);
  });
});

describe('GET /privacy/my-data and its script', () => {
  it('serves the page in ja and en with a CSP that allows only its own script', async () => {
    for (const lang of ['ja', 'en'] as const) {
      const res = await t.app.request(`${ORIGIN}/privacy/my-data?lang=${lang}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-language')).toBe(lang);
      const html = await res.text();
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain('<script src="/privacy/my-data.js" defer></script>');
      // no inline script: the only other <script> is a JSON data block
      expect(html.match(/<script(?![^>]*(src=|type="application\/json"))/g)).toBeNull();
    }
    const ja = renderMyDataPage(t.policy, 'ja');
    expect(ja).toContain('あなたのデータ');
    expect(ja).toContain('48時間');
    const en = renderMyDataPage(t.policy, 'en');
    expect(en).toContain('cannot show them');
    expect(en).toContain('remain after a deletion');
  });

  it('compiles the script once and serves it as JavaScript', async () => {
    const res = await t.app.request(`${ORIGIN}/privacy/my-data.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await res.text();
    expect(code).toContain('/api/my-data');
    expect(code).not.toContain('import ');
  });
});
