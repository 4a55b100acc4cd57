import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRetention } from '../../../server/jobs/retention.ts';
import type { CaseDetail, CaseView } from '../../../server/privacy/index.ts';
import type { MyDataExport } from '../../../server/privacy/visitor-export.ts';
import { DAY } from '../../helpers/app.ts';
import { browse, privacyApp, type PrivacyTestApp } from './helpers.ts';

let t: PrivacyTestApp;
beforeAll(async () => {
  t = await privacyApp();
});
afterAll(() => t.close());

const post = (path: string, json: unknown) => t.as.privacy(path, { method: 'POST', json });
const patch = (path: string, json: unknown) => t.as.privacy(path, { method: 'PATCH', json });

async function newCase(body: Record<string, unknown> = {}): Promise<CaseView> {
  const res = await post('/api/privacy/cases', { type: 'disclosure', channel: 'email', receivedAt: t.clock(), requester: { name: '山田 花子', contact: 'hanako@example.jp' }, ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as CaseView;
}
const move = (id: number, to: string, extra: Record<string, unknown> = {}) => post(`/api/privacy/cases/${id}/transition`, { to, ...extra });
const error = async (res: Response) => ((await res.json()) as { error: string }).error;

/** identity checked with the first document of the policy's list */
const verified = { identity: { status: 'verified', method: 'document', document: 0 } };

describe('creating a case', () => {
  it('takes the fee from the policy and the due date from responseDays, and is audited', async () => {
    const c = await newCase();
    expect(c).toMatchObject({ type: 'disclosure', status: 'received', fee: { due: 1000, paidAt: null }, dueAt: c.receivedAt + 14 * DAY, overdue: false });
    expect(c.identity).toEqual({ status: 'pending', method: null, document: null });
    expect(c.next).toEqual(['verifying', 'in_progress', 'refused']);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('target', '=', `case:${c.id}`).execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([['case.create', 'privacy@example.com']]);
    // the audit entry carries no personal data
    expect(audit[0]!.details).not.toContain('山田');
  });

  it('lets only purpose notification and disclosure carry a fee', async () => {
    for (const type of ['correction', 'addition', 'deletion', 'suspension', 'stop_third_party_provision', 'complaint']) {
      const res = await post('/api/privacy/cases', { type, channel: 'mail', receivedAt: t.clock(), feeDue: 500 });
      expect(res.status, type).toBe(400);
      expect(await error(res)).toBe('fee_not_allowed');
    }
    const deletion = await newCase({ type: 'deletion' });
    expect(deletion.fee.due).toBe(0);
    const res = await patch(`/api/privacy/cases/${deletion.id}`, { feeDue: 300 });
    expect(res.status).toBe(400);
    expect(await error(res)).toBe('fee_not_allowed');
    const notification = await newCase({ type: 'purpose_notification', feeDue: 1500 });
    expect(notification.fee.due).toBe(1500);
  });

  it('answers unknown and malformed case ids with 404', async () => {
    for (const path of ['/api/privacy/cases/99999', '/api/privacy/cases/abc', '/api/privacy/cases/0/letter']) {
      expect((await t.as.privacy(path)).status, path).toBe(404);
    }
    expect((await move(99999, 'verifying')).status).toBe(404);
  });

  it('checks the identity document against the policy list', async () => {
    const res = await post('/api/privacy/cases', { type: 'disclosure', channel: 'mail', receivedAt: t.clock(), identity: { status: 'verified', method: 'document', document: 9 } });
    expect(await error(res)).toBe('unknown_identity_document');
    const noMethod = await post('/api/privacy/cases', { type: 'disclosure', channel: 'mail', receivedAt: t.clock(), identity: { status: 'verified' } });
    expect(await error(noMethod)).toBe('identity_method_required');
  });
});

describe('status transitions', () => {
  it('rejects transitions the machine does not have with 409', async () => {
    const c = await newCase();
    for (const to of ['answered', 'awaiting_fee', 'received']) {
      const res = await move(c.id, to);
      expect(res.status, to).toBe(409);
      expect(await error(res)).toBe('invalid_transition');
    }
  });

  it('needs verified identity, verified agent authority and a paid fee before work starts', async () => {
    const c = await newCase({ agent: true });
    expect((await move(c.id, 'verifying')).status).toBe(200);
    expect(await error(await move(c.id, 'in_progress'))).toBe('identity_not_verified');
    await patch(`/api/privacy/cases/${c.id}`, verified);
    expect(await error(await move(c.id, 'in_progress'))).toBe('agent_not_verified');
    await patch(`/api/privacy/cases/${c.id}`, { agentAuthority: 'verified' });
    expect(await error(await move(c.id, 'in_progress'))).toBe('fee_unpaid');
    expect((await move(c.id, 'awaiting_fee')).status).toBe(200);
    await patch(`/api/privacy/cases/${c.id}`, { feePaid: true });
    const res = await move(c.id, 'in_progress');
    expect(res.status).toBe(200);
    expect(((await res.json()) as CaseView).next).toEqual(['answered', 'refused']);

    const deletion = await newCase({ type: 'deletion' });
    await move(deletion.id, 'verifying');
    expect(await error(await move(deletion.id, 'awaiting_fee'))).toBe('no_fee_due');
  });

  it('refuses only with a reason from the policy, and a closed case stays closed', async () => {
    const c = await newCase();
    const none = await move(c.id, 'refused');
    expect(none.status).toBe(400);
    expect(await error(none)).toBe('reason_required');
    expect(await error(await move(c.id, 'refused', { reason: 'no_such_reason' }))).toBe('unknown_reason');
    expect(await error(await move(c.id, 'verifying', { reason: 'harm' }))).toBe('reason_not_allowed');
    const res = await move(c.id, 'refused', { reason: 'identity_mismatch' });
    expect(res.status).toBe(200);
    expect((await res.json()) as CaseView).toMatchObject({ status: 'refused', refusalReason: 'identity_mismatch', closedAt: t.clock(), next: [] });
    expect(await error(await move(c.id, 'in_progress'))).toBe('invalid_transition');
    expect(await error(await patch(`/api/privacy/cases/${c.id}`, { summary: 'late edit' }))).toBe('case_closed');
  });

  it('is overdue after responseDays unless answered (fake clock)', async () => {
    const c = await newCase({ type: 'complaint' });
    const overdueIds = async () =>
      ((await (await t.as.privacy('/api/privacy/cases?state=overdue')).json()) as { cases: CaseView[] }).cases.map((x) => x.id);
    expect(await overdueIds()).not.toContain(c.id);
    t.clock.advance(14 * DAY + 1);
    await t.signIn();
    expect(await overdueIds()).toContain(c.id);
    expect(((await (await t.as.privacy(`/api/privacy/cases/${c.id}`)).json()) as CaseDetail).overdue).toBe(true);
    // a complaint needs no identity check
    expect((await move(c.id, 'in_progress')).status).toBe(200);
    expect((await move(c.id, 'answered', { answerNote: 'We have changed the banner text.' })).status).toBe(200);
    expect(await overdueIds()).not.toContain(c.id);
  });
});

describe('acting on the data of a case', () => {
  it('exports and deletes the linked browser data only while in progress, with the same functions as my-data', async () => {
    const v = await browse(t, ['/', '/products']);
    const c = await newCase({ type: 'disclosure', links: [{ cookieId: v }] });
    const early = await post(`/api/privacy/cases/${c.id}/export`, {});
    expect(early.status).toBe(409);
    expect(await error(early)).toBe('case_not_in_progress');

    await patch(`/api/privacy/cases/${c.id}`, { identity: { status: 'verified', method: 'cookie' }, feePaid: true });
    expect((await move(c.id, 'in_progress')).status).toBe(200);
    const exported = await post(`/api/privacy/cases/${c.id}/export?format=json`, {});
    expect(exported.status).toBe(200);
    const file = (await exported.json()) as MyDataExport;
    expect(file.events.map((e) => e.path)).toEqual(['/', '/products']);
    expect(file.keys.cookieIds).toEqual([v]);
    expect((await move(c.id, 'answered')).status).toBe(200);

    const detail = (await (await t.as.privacy(`/api/privacy/cases/${c.id}`)).json()) as CaseDetail;
    expect(detail.actions.map((a) => [a.action, a.details.rows])).toEqual([['export', 3]]);
    const letter = await (await t.as.privacy(`/api/privacy/cases/${c.id}/letter?lang=ja&format=text`)).text();
    expect(letter).toContain('山田 花子 様');
    expect(letter).toContain('電子データ');
    expect(letter).toContain('3件の記録');
    expect(letter).toContain('1,000円');

    const deletion = await newCase({ type: 'deletion', links: [{ cookieId: v }], identity: { status: 'verified', method: 'cookie' } });
    await move(deletion.id, 'in_progress');
    const res = await post(`/api/privacy/cases/${deletion.id}/delete`, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ events: 2, sessions: 1, receipts: 0 });
    const log = await t.db.selectFrom('deletion_log').selectAll().where('case_id', '=', deletion.id).execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ source: 'case', id_hash: t.suppressions.hash(v) });
    // the deletion blanked the id on every case that named it; its hash stays
    const links = await t.db.selectFrom('privacy_case_links').selectAll().where('value_hash', '=', t.suppressions.hash(v)).execute();
    expect(links.map((l) => l.value)).toEqual([null, null]);
  });
});

describe('answer letters', () => {
  it('names the refusal reason from the policy, in Japanese and in English', async () => {
    const c = await newCase({ requester: { name: 'Jane Roe' }, language: 'en' });
    await move(c.id, 'refused', { reason: 'fee_unpaid' });
    const reason = t.policy.policy.requests.nonDisclosureReasons.find((r) => r.id === 'fee_unpaid')!.label;
    const ja = await t.as.privacy(`/api/privacy/cases/${c.id}/letter?lang=ja`);
    expect(ja.headers.get('content-type')).toMatch(/^text\/html/);
    const jaHtml = await ja.text();
    expect(jaHtml).toContain('<html lang="ja">');
    expect(jaHtml).toContain(reason.ja);
    expect(jaHtml).toContain('お応えすることができません');
    const en = await (await t.as.privacy(`/api/privacy/cases/${c.id}/letter?format=text`)).text();
    expect(en).toContain('Dear Jane Roe,');
    expect(en).toContain(`Reason: ${reason.en}`);
    expect(en).toContain('Our answer to your request: Disclosure');
    expect(en).toContain(t.policy.policy.controller.contact.email!);
  });

  it('is not written before the case is decided', async () => {
    const c = await newCase();
    const res = await t.as.privacy(`/api/privacy/cases/${c.id}/letter`);
    expect(res.status).toBe(409);
    expect(await error(res)).toBe('not_decided');
  });

  it('escapes what staff and requesters wrote', async () => {
    const c = await newCase({ type: 'complaint', requester: { name: '<script>x</script>' } });
    await move(c.id, 'in_progress');
    await move(c.id, 'answered', { answerNote: '<img src=x onerror=alert(1)>' });
    const body = await (await t.as.privacy(`/api/privacy/cases/${c.id}/letter?lang=en`)).text();
    expect(body).not.toContain('<script>x');
    expect(body).not.toContain('<img');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('case documents', () => {
  const pdf = Buffer.from('%PDF-1.4 request form').toString('base64');

  it('stores documents with a size limit, and reads them back (audited)', async () => {
    const c = await newCase();
    const added = await post(`/api/privacy/cases/${c.id}/documents`, { name: 'request-form.pdf', mediaType: 'application/pdf', content: pdf });
    expect(added.status).toBe(201);
    const doc = (await added.json()) as { id: number; size: number };
    expect(doc.size).toBe(21);
    const read = await t.as.privacy(`/api/privacy/cases/${c.id}/documents/${doc.id}`);
    expect(read.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await read.arrayBuffer()).toString()).toBe('%PDF-1.4 request form');
    expect(await t.db.selectFrom('audit_log').select('action').where('action', '=', 'case.document.read').execute()).toHaveLength(1);

    expect((await post(`/api/privacy/cases/${c.id}/documents`, { name: 'x.exe', mediaType: 'application/x-msdownload', content: pdf })).status).toBe(400);
    expect(await error(await post(`/api/privacy/cases/${c.id}/documents`, { name: 'a.txt', mediaType: 'text/plain', content: '***not base64***' }))).toBe('invalid_content');
    const big = Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64');
    const tooBig = await post(`/api/privacy/cases/${c.id}/documents`, { name: 'big.pdf', mediaType: 'application/pdf', content: big });
    expect(tooBig.status).toBe(413);
  });

  it('purges documents, requester details and linked ids one year after the answer (fake clock), leaving a minimal record', async () => {
    const c = await newCase({ type: 'deletion', links: [{ cookieId: 'BBBBBBBBBBBBBBBBBBBBBB' }], summary: 'asks to delete cookie data' });
    const added = (await (await post(`/api/privacy/cases/${c.id}/documents`, { name: 'passport.jpg', mediaType: 'image/jpeg', content: pdf })).json()) as { id: number };
    await patch(`/api/privacy/cases/${c.id}`, verified);
    await move(c.id, 'in_progress');
    await move(c.id, 'answered');
    const answeredAt = t.clock();
    const retention = () => runRetention({ db: t.db, policy: t.policy, now: () => t.clock() });

    t.clock.set(answeredAt + 364 * DAY);
    await retention();
    await t.signIn();
    let detail = (await (await t.as.privacy(`/api/privacy/cases/${c.id}`)).json()) as CaseDetail;
    expect(detail.purgedAt).toBeNull();
    expect(detail.documents[0]!.name).toBe('passport.jpg');

    t.clock.set(answeredAt + 365 * DAY + 1);
    const report = await retention();
    await t.signIn();
    expect(report.steps.find((s) => s.name === 'case_documents')!.count).toBeGreaterThanOrEqual(1);
    detail = (await (await t.as.privacy(`/api/privacy/cases/${c.id}`)).json()) as CaseDetail;
    expect(detail).toMatchObject({ purgedAt: t.clock(), status: 'answered', type: 'deletion', requester: { name: null, contact: null }, summary: null });
    expect(detail.documents).toEqual([{ id: added.id, name: null, mediaType: 'image/jpeg', size: 21, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), createdAt: answeredAt, purgedAt: t.clock() }]);
    expect(detail.links).toEqual([{ id: expect.any(Number), kind: 'cookie', value: null, valueHash: t.suppressions.hash('BBBBBBBBBBBBBBBBBBBBBB') }]);
    const row = await t.db.selectFrom('privacy_case_documents').select('content').where('id', '=', added.id).executeTakeFirstOrThrow();
    expect(row.content).toBeNull();
    const gone = await t.as.privacy(`/api/privacy/cases/${c.id}/documents/${added.id}`);
    expect(gone.status).toBe(410);
    expect((await post(`/api/privacy/cases/${c.id}/documents`, { name: 'late.pdf', mediaType: 'application/pdf', content: pdf })).status).toBe(409);
  });
});
