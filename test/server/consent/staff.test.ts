import { afterEach, describe, expect, it } from 'vitest';
import { DAY } from '../../helpers/app.ts';
import { appendMany, choice, createConsentApp, postConsent, type ConsentTestApp } from './helpers.ts';
import { columnNames } from '../../helpers/test-db.ts';

let t: ConsentTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const list = async (query: string) => {
  const res = await t!.app.request(`/api/consent/receipts${query}`, { headers: { 'x-test-role': 'privacy' } });
  return { status: res.status, body: await res.json() };
};

describe('GET /api/consent/receipts (staff)', () => {
  it('is behind the guard', async () => {
    t = await createConsentApp();
    expect((await t.app.request('/api/consent/receipts')).status).toBe(403);
  });

  it('lists newest first with every field, and pages with a cursor', async () => {
    t = await createConsentApp();
    await appendMany(t, 5);
    const first = await list('?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.receipts.map((r: { seq: number }) => r.seq)).toEqual([5, 4]);
    expect(first.body.nextCursor).toBe('4');
    expect(first.body.receipts[0]).toEqual({
      seq: 5,
      ts: expect.any(Number),
      site: 'example.com',
      consentId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      revision: t.policy.revision,
      bannerHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      mode: 'notice',
      action: 'custom',
      accepted: ['necessary', 'analytics'],
      rejected: ['external_analytics'],
      language: 'ja',
      path: '/products/list',
      ipTrunc: '203.0.113.0',
      browser: 'Chrome',
      browserVersion: '131',
      os: 'Windows',
      device: 'desktop',
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      redactedAt: null,
    });
    const second = await list('?limit=2&cursor=4');
    expect(second.body.receipts.map((r: { seq: number }) => r.seq)).toEqual([3, 2]);
    const last = await list(`?limit=2&cursor=${second.body.nextCursor}`);
    expect(last.body).toMatchObject({ nextCursor: null });
    expect(last.body.receipts.map((r: { seq: number }) => r.seq)).toEqual([1]);
  });

  it('filters by site, time range (ms or ISO) and consent id', async () => {
    t = await createConsentApp();
    const start = t.clock();
    const { consentId } = await (await postConsent(t.app, choice(t))).json();
    t.clock.advance(DAY);
    await appendMany(t, 2);
    await t.store.db.insertInto('sites').values({ id: 'other.example', domains: '["other.example"]', timezone: 'Asia/Tokyo', created_at: start }).execute();
    await postConsent(t.app, choice(t, { s: 'other.example', u: 'https://other.example/' }), { origin: 'https://other.example' });
    const seqs = async (q: string) => (await list(q)).body.receipts.map((r: { seq: number }) => r.seq);
    expect(await seqs('?site=other.example')).toEqual([4]);
    expect(await seqs(`?site=example.com&from=${start + DAY}`)).toEqual([3, 2]);
    expect(await seqs(`?to=${new Date(start + DAY).toISOString()}`)).toEqual([1]);
    expect(await seqs(`?consentId=${consentId}`)).toEqual([1]);
  });

  it('400 for a query it does not understand', async () => {
    t = await createConsentApp();
    for (const q of ['?limit=0', '?limit=501', '?from=yesterday', '?cursor=abc', '?sort=asc']) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error).toBe('invalid_query');
    }
  });
});

describe('the consent tables', () => {
  it('have no column that could hold a raw address or user agent', async () => {
    t = await createConsentApp();
    for (const table of ['consent_receipts', 'consent_chain']) {
      const names = await columnNames(t.store.db, table);
      expect(names.length).toBeGreaterThan(0);
      for (const forbidden of ['ip', 'ip_address', 'user_agent', 'ua', 'email', 'user_id']) expect(names).not.toContain(forbidden);
    }
  });
});
