import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MyDataView, ProvisionView } from '../../../server/privacy/index.ts';
import { DAY } from '../../helpers/app.ts';
import { browse, myData, privacyApp, type PrivacyTestApp } from './helpers.ts';

let t: PrivacyTestApp;
beforeAll(async () => {
  t = await privacyApp();
});
afterAll(() => t.close());

const post = (path: string, json: unknown) => t.as.privacy(path, { method: 'POST', json });
const error = async (res: Response) => ((await res.json()) as { error: string }).error;
const today = () => new Date(t.clock()).toISOString().slice(0, 10);

const recipient = { name: 'Kaede Research Inc.', address: '2-3-4 Sample, Minato-ku, Tokyo', representative: 'Ren Aoki, CEO' };
const provision = (extra: Record<string, unknown> = {}) => ({
  recipient,
  items: ['access_time', 'page_url', 'visitor_id'],
  periodFrom: today(),
  legalGround: 'consent',
  consentConfirmation: 'Consent collected by the recipient’s own form; we checked its records on receipt.',
  ...extra,
});

describe('the provision register', () => {
  it('records a provision with its legal ground from the policy, audited', async () => {
    const res = await post('/api/privacy/provisions', provision());
    expect(res.status).toBe(201);
    const p = (await res.json()) as ProvisionView;
    expect(p).toMatchObject({ recipient, items: ['access_time', 'page_url', 'visitor_id'], legalGround: 'consent', periodTo: null, exports: [] });
    expect((await (await t.as.privacy('/api/privacy/provisions')).json()) as { provisions: ProvisionView[] }).toMatchObject({ provisions: [{ id: p.id }] });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'provision.create').execute();
    expect(audit).toEqual([{ action: 'provision.create', target: `provision:${p.id}` }]);
  });

  it('needs a ground the policy lists, a record of consent where consent is the ground, and items the policy collects', async () => {
    expect(await error(await post('/api/privacy/provisions', provision({ legalGround: 'legitimate_interest' })))).toBe('unknown_legal_ground');
    expect(await error(await post('/api/privacy/provisions', provision({ consentConfirmation: null })))).toBe('consent_confirmation_required');
    const law = await post('/api/privacy/provisions', provision({ legalGround: 'law', consentConfirmation: undefined }));
    expect(law.status).toBe(201);
    expect(await error(await post('/api/privacy/provisions', provision({ items: ['shoe_size'] })))).toBe('invalid_body');
    expect(await error(await post('/api/privacy/provisions', provision({ periodTo: '2000-01-01' })))).toBe('invalid_period');
  });
});

describe('exports to a third party', () => {
  it('are refused (409) without a register entry, and with one that names someone else or another day', async () => {
    await browse(t, ['/', '/products']);
    const range = { site: 'example.com', from: t.clock() - DAY, to: t.clock() + DAY };
    const none = await post('/api/privacy/exports', { recipient: recipient.name, ...range });
    expect(none.status).toBe(409);
    expect(await error(none)).toBe('provision_record_required');
    expect(await error(await post('/api/privacy/exports', { provisionId: 9999, recipient: recipient.name, ...range }))).toBe('provision_record_required');

    const p = (await (await post('/api/privacy/provisions', provision())).json()) as ProvisionView;
    expect(await error(await post('/api/privacy/exports', { provisionId: p.id, recipient: 'Someone Else KK', ...range }))).toBe('recipient_mismatch');
    const old = (await (await post('/api/privacy/provisions', provision({ periodFrom: '2020-01-01', periodTo: '2020-01-31' }))).json()) as ProvisionView;
    expect(await error(await post('/api/privacy/exports', { provisionId: old.id, recipient: recipient.name, ...range }))).toBe('outside_provision_period');
    expect(await t.db.selectFrom('privacy_exports').selectAll().execute()).toEqual([]);
  });

  it('under a register entry: only the listed items, recorded against the entry, and shown to the visitors concerned', async () => {
    const v = await browse(t, ['/catalog']);
    const p = (await (await post('/api/privacy/provisions', provision({ items: ['page_url', 'visitor_id'] }))).json()) as ProvisionView;
    const res = await post('/api/privacy/exports', { provisionId: p.id, recipient: ' kaede research inc. ', site: 'example.com', from: t.clock() - DAY, to: t.clock() + DAY });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="provision-\d+-example\.com-\d{8}\.json"/);
    const file = (await res.json()) as { columns: string[]; rows: Record<string, unknown>[] };
    expect(file.columns).toEqual(['path', 'query', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'visitor_id', 'visitor_kind', 'session_id']);
    expect(file.rows.some((r) => r.visitor_id === v && r.path === '/catalog')).toBe(true);
    expect(Object.keys(file.rows[0]!)).not.toContain('ip_trunc');

    const entry = (await (await t.as.privacy(`/api/privacy/provisions/${p.id}`)).json()) as ProvisionView;
    expect(entry.exports).toEqual([expect.objectContaining({ kind: 'third_party', provisionId: p.id, site: 'example.com', rows: file.rows.length, sha256: res.headers.get('x-export-sha256') })]);
    expect(await t.db.selectFrom('audit_log').select('action').where('action', '=', 'export.third_party').execute()).toHaveLength(1);

    // the visitor sees the provision that concerned them
    const view = (await (await myData(t, '', { v })).json()) as MyDataView;
    expect(view.provisions.map((x) => [x.id, x.recipient.name])).toEqual([[p.id, recipient.name]]);
  });
});
