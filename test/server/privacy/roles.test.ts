import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, privacyApp, type PrivacyTestApp } from './helpers.ts';

/** Who may reach the privacy office's APIs: privacy staff and admins only, never marketers or visitors. */
let t: PrivacyTestApp;
beforeAll(async () => {
  t = await privacyApp();
});
afterAll(() => t.close());

const reads = [
  '/api/privacy/cases',
  '/api/privacy/cases/1',
  '/api/privacy/cases/1/letter',
  '/api/privacy/cases/1/documents/1',
  '/api/privacy/provisions',
  '/api/privacy/provisions/1',
  '/api/privacy/audit',
  '/api/privacy/audit/verify',
  '/api/privacy/deletions',
  '/api/consent/receipts',
];
const writes: [string, string, unknown][] = [
  ['POST', '/api/privacy/cases', { type: 'complaint', channel: 'mail', receivedAt: 0 }],
  ['PATCH', '/api/privacy/cases/1', { summary: 'x' }],
  ['POST', '/api/privacy/cases/1/transition', { to: 'verifying' }],
  ['POST', '/api/privacy/cases/1/delete', {}],
  ['POST', '/api/privacy/cases/1/export', {}],
  ['POST', '/api/privacy/provisions', {}],
  ['POST', '/api/privacy/exports', {}],
];

describe('privacy API role boundaries', () => {
  it('nobody reaches them without signing in', async () => {
    for (const path of reads) expect((await t.anon(path)).status, path).toBe(401);
    for (const [method, path, json] of writes) expect((await t.anon(path, { method, json })).status, path).toBe(401);
  });

  it('a marketer cannot read cases, receipts, provisions, deletions or the audit log, nor change anything', async () => {
    for (const path of reads) {
      const res = await t.as.marketer(path);
      expect(res.status, path).toBe(403);
    }
    for (const [method, path, json] of writes) expect((await t.as.marketer(path, { method, json })).status, path).toBe(403);
    // and the refusals are not audited as actions (a sign-in is, where auth records them)
    const audited = await t.db.selectFrom('audit_log').select('action').where('actor', '=', 'marketer@example.com').execute();
    expect(audited.filter((a) => !a.action.startsWith('auth.'))).toEqual([]);
  });

  it('privacy staff and admins can', async () => {
    const created = await t.as.privacy('/api/privacy/cases', { method: 'POST', json: { type: 'complaint', channel: 'mail', receivedAt: t.clock() } });
    expect(created.status).toBe(201);
    for (const caller of [t.as.privacy, t.as.admin]) {
      for (const path of ['/api/privacy/cases', '/api/privacy/cases/1', '/api/privacy/provisions', '/api/privacy/audit', '/api/privacy/audit/verify', '/api/privacy/deletions', '/api/consent/receipts']) {
        expect((await caller(path)).status, path).toBe(200);
      }
    }
    const entries = (await (await t.as.admin('/api/privacy/audit?action=case.create')).json()) as { entries: { actor: string; target: string }[] };
    expect(entries.entries).toEqual([expect.objectContaining({ actor: 'privacy@example.com', target: 'case:1' })]);
  });

  it('a state change riding on the session cookie needs the CSRF token', async () => {
    const res = await t.as.privacy('/api/privacy/cases', {
      method: 'POST',
      json: { type: 'complaint', channel: 'mail', receivedAt: 0 },
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(res.status).toBe(403);
    const cross = await t.as.privacy('/api/privacy/cases', { method: 'POST', json: { type: 'complaint', channel: 'mail', receivedAt: 0 }, headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
  });

  it('the visitor endpoints need no session at all', async () => {
    const res = await t.app.request(`${ORIGIN}/api/my-data`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ v: 'AAAAAAAAAAAAAAAAAAAAAA' }) });
    expect(res.status).toBe(200);
    expect((await t.app.request(`${ORIGIN}/privacy/my-data`)).status).toBe(200);
  });
});
