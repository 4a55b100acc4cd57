import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../policy/load.ts';
import { createDb, type Store } from '../../../server/store/db.ts';
import { testDbConfig } from '../../helpers/test-db.ts';
import { AUDIT_GENESIS, audit, auditHash, auditPolicyRevision, purgeExpiredAudit, systemActor, verifyAuditLog } from '../../../server/privacy/audit.ts';
import { auditVerifyCommand } from '../../../server/privacy/cli.ts';
import { DAY, fakeClock, policyWith } from '../../helpers/app.ts';

let store: Store;
const clock = fakeClock();
const staff = { id: 7, label: 'privacy@example.com' };
beforeEach(async () => {
  store = await createDb(testDbConfig());
});
afterEach(() => store.close());

async function appendMany(n: number) {
  for (let i = 0; i < n; i++) {
    await audit(store.db, staff, 'case.update', { changed: ['summary'], n: i }, { target: `case:${i}`, now: clock() });
    clock.advance(1000);
  }
}
const rows = () => store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

describe('the audit log chain', () => {
  it('chains every entry to the one before it, from the genesis hash', async () => {
    await appendMany(3);
    const [first, second] = await rows();
    expect(first).toMatchObject({ seq: 1, actor_id: 7, actor: 'privacy@example.com', action: 'case.update', target: 'case:0', prev_hash: AUDIT_GENESIS });
    expect(second!.prev_hash).toBe(first!.hash);
    expect(first!.hash).toBe(auditHash(AUDIT_GENESIS, first!));
    expect(await verifyAuditLog(store.db)).toEqual({ ok: true, count: 3, anchorSeq: 0, head: (await rows())[2]!.hash });
  });

  it('joins the caller’s transaction: a rolled-back action leaves no entry and no gap', async () => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await audit(trx, staff, 'case.create', {}, { now: clock() });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    await appendMany(1);
    expect((await rows()).map((r) => r.seq)).toEqual([1]);
    expect((await verifyAuditLog(store.db)).ok).toBe(true);
  });

  it('detects an edited entry', async () => {
    await appendMany(4);
    await store.db.updateTable('audit_log').set({ details: '{"changed":["nothing"]}' }).where('seq', '=', 2).execute();
    expect(await verifyAuditLog(store.db)).toEqual({ ok: false, firstBadSeq: 2, reason: 'altered' });
  });

  it('detects an entry edited and re-hashed in place', async () => {
    await appendMany(4);
    const row = (await rows())[1]!;
    const forged = { ...row, actor: 'someone-else@example.com' };
    await store.db.updateTable('audit_log').set({ actor: forged.actor, hash: auditHash(row.prev_hash, forged) }).where('seq', '=', 2).execute();
    expect(await verifyAuditLog(store.db)).toEqual({ ok: false, firstBadSeq: 2, reason: 'altered' });
  });

  it('detects a deleted entry, in the middle and at the head', async () => {
    await appendMany(4);
    await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    expect(await verifyAuditLog(store.db)).toEqual({ ok: false, firstBadSeq: 3, reason: 'missing' });
    await store.db.deleteFrom('audit_log').where('seq', '>=', 3).execute();
    expect(await verifyAuditLog(store.db)).toEqual({ ok: false, firstBadSeq: 3, reason: 'missing' });
  });

  it('detects reordered entries', async () => {
    await appendMany(4);
    // swap the positions of entries 2 and 3
    await store.db.updateTable('audit_log').set({ seq: 100 }).where('seq', '=', 2).execute();
    await store.db.updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 3).execute();
    await store.db.updateTable('audit_log').set({ seq: 3 }).where('seq', '=', 100).execute();
    expect(await verifyAuditLog(store.db)).toEqual({ ok: false, firstBadSeq: 2, reason: 'reordered' });
  });

  it('ashiato audit verify prints the result and exits 1 when broken', async () => {
    await appendMany(2);
    const out: string[] = [];
    const err: string[] = [];
    expect(await auditVerifyCommand(store.db, (l) => out.push(l), (l) => err.push(l))).toBe(0);
    expect(out[0]).toBe('audit log: OK, 2 entries verified (from anchor seq 0)');
    await sql`update audit_log set action = 'case.read' where seq = 1`.execute(store.db);
    expect(await auditVerifyCommand(store.db, (l) => out.push(l), (l) => err.push(l))).toBe(1);
    expect(err).toEqual(['audit log: FAILED at seq 1: the entry was edited (its hash no longer matches its fields or its successor)']);
  });
});

describe('audit retention', () => {
  const shortAudit = policyWith((p) => (p.retention.audit_log_days = 30));

  it('purges from the front and re-anchors: the rest still verifies, and a later deletion is still found', async () => {
    const start = clock();
    await appendMany(3);
    clock.set(start + 20 * DAY);
    await appendMany(3);
    clock.set(start + 31 * DAY);
    expect(await purgeExpiredAudit(store.db, shortAudit, clock())).toEqual({ purged: 3 });
    expect((await rows()).map((r) => r.seq)).toEqual([4, 5, 6]);
    expect(await verifyAuditLog(store.db)).toMatchObject({ ok: true, count: 3, anchorSeq: 3 });
    expect(await purgeExpiredAudit(store.db, shortAudit, clock())).toEqual({ purged: 0 });
    await appendMany(1);
    expect(await verifyAuditLog(store.db)).toMatchObject({ ok: true, count: 4, anchorSeq: 3 });
    await store.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
    expect(await verifyAuditLog(store.db)).toEqual({ ok: false, firstBadSeq: 5, reason: 'missing' });
  });
});

describe('policy changes', () => {
  it('records each new policy revision once', async () => {
    const policy = loadPolicy();
    expect(await auditPolicyRevision(store.db, policy, clock())).toBe(true);
    expect(await auditPolicyRevision(store.db, policy, clock())).toBe(false);
    const changed = policyWith((p) => (p.requests.responseDays = 10));
    expect(await auditPolicyRevision(store.db, changed, clock(), systemActor('start'))).toBe(true);
    const entries = await rows();
    expect(entries.map((e) => [e.action, JSON.parse(e.details)])).toEqual([
      ['policy.revision', { revision: policy.revision, previous: null, revisedOn: '2026-10-01' }],
      ['policy.revision', { revision: changed.revision, previous: policy.revision, revisedOn: '2026-10-01' }],
    ]);
    expect((await verifyAuditLog(store.db)).ok).toBe(true);
  });
});
