import { afterEach, describe, expect, it } from 'vitest';
import type { LoadedPolicy } from '../../../policy/load.ts';
import { appendReceipt } from '../../../server/consent/chain.ts';
import { verifyReceiptChain } from '../../../server/consent/verify.ts';
import { eventRetention, retentionTask, runRetention, type RetentionReport } from '../../../server/jobs/retention.ts';
import { rollupAll } from '../../../server/jobs/rollup.ts';
import { audit, verifyAuditLog } from '../../../server/privacy/audit.ts';
import { retentionRunCommand } from '../../../server/jobs/retention-cli.ts';
import { createTestApp, DAY, fakeClock, HOUR, pageview, policyWith, sendEvent } from '../../helpers/app.ts';

type Rt = Awaited<ReturnType<typeof createTestApp>>;
let rt: Rt | undefined;
afterEach(async () => {
  await rt?.close();
  rt = undefined;
});

async function setup(policy?: LoadedPolicy) {
  rt = await createTestApp({ clock: fakeClock(), ...(policy ? { policy } : {}) });
  return rt;
}
const run = (options: { dryRun?: boolean } = {}) => runRetention({ db: rt!.store.db, policy: rt!.deps.policy, now: () => rt!.clock() }, options);
const countOf = (report: RetentionReport, name: string) => report.steps.find((s) => s.name === name)?.count;
async function view(path: string, cookieId?: string) {
  const res = await sendEvent(rt!.app, pageview({ u: `https://example.com${path}`, v: cookieId }));
  expect(res.status).toBe(202);
  return ((await res.json()) as { v: string }).v;
}
const events = () => rt!.store.db.selectFrom('events').selectAll().orderBy('id').execute();

describe('raw events (fake clock)', () => {
  it('blanks ip_trunc after the ip_address item’s 30 days, deletes whole events and visits after 395, keeps statistics', async () => {
    await setup();
    expect(eventRetention(rt!.deps.policy)).toEqual({
      deleteDays: 395,
      blank: [{ item: 'ip_address', days: 30, eventColumns: ['ip_trunc'], sessionColumns: [] }],
    });
    const start = rt!.clock();
    const v = await view('/old');
    rt!.clock.advance(40 * DAY);
    await view('/newer', v);

    let report = await run();
    expect(countOf(report, 'events.ip_trunc')).toBe(1);
    expect(countOf(report, 'events')).toBe(0);
    expect((await events()).map((e) => [e.path, e.ip_trunc, e.browser])).toEqual([
      ['/old', null, 'Chrome'],
      ['/newer', '203.0.113.0', 'Chrome'],
    ]);
    // the mark remembers how far it got: the next run looks only at rows newly past the limit
    expect(countOf(await run(), 'events.ip_trunc')).toBe(0);

    await rollupAll(rt!.store.db, rt!.store.dialect, rt!.clock() + 2 * HOUR, 100_000);
    const stats = await rt!.store.db.selectFrom('stats_hourly').selectAll().orderBy('hour').execute();
    expect(stats.map((s) => s.pageviews)).toEqual([1, 1]);

    rt!.clock.set(start + 395 * DAY + HOUR);
    report = await run();
    expect(countOf(report, 'events')).toBe(1);
    expect(countOf(report, 'sessions')).toBe(1);
    expect((await events()).map((e) => e.path)).toEqual(['/newer']);
    expect(await rt!.store.db.selectFrom('sessions').select('entry_path').execute()).toEqual([{ entry_path: '/newer' }]);
    expect(await rt!.store.db.selectFrom('stats_hourly').selectAll().orderBy('hour').execute()).toEqual(stats);
    expect((await rt!.store.db.selectFrom('stats_dims_hourly').selectAll().execute()).length).toBeGreaterThan(0);
  });

  it('blanks every column of a short-lived item in events and in visits', async () => {
    await setup(policyWith((p) => (p.items.find((i) => i.id === 'device_info')!.retentionDays = 60)));
    const rule = eventRetention(rt!.deps.policy).blank.find((b) => b.item === 'device_info')!;
    expect(rule.eventColumns).toEqual(['browser', 'browser_version', 'os', 'device', 'language']);
    expect(rule.sessionColumns).toEqual(['browser', 'os', 'device']);
    await view('/');
    rt!.clock.advance(61 * DAY);
    const report = await run();
    expect(countOf(report, 'events.browser+browser_version+os+device+language')).toBe(1);
    expect(countOf(report, 'sessions.browser+os+device')).toBe(1);
    expect((await events())[0]).toMatchObject({ browser: null, browser_version: null, os: null, device: null, language: null, path: '/' });
    expect(await rt!.store.db.selectFrom('sessions').select(['browser', 'os', 'device', 'entry_path']).execute()).toEqual([
      { browser: null, os: null, device: null, entry_path: '/' },
    ]);
  });

  it('deletes whole events at the visitor_id item’s retention when that is the shorter', async () => {
    await setup(policyWith((p) => (p.items.find((i) => i.id === 'visitor_id')!.retentionDays = 90)));
    expect(eventRetention(rt!.deps.policy).deleteDays).toBe(90);
    await view('/');
    rt!.clock.advance(91 * DAY);
    expect(countOf(await run(), 'events')).toBe(1);
    expect(await events()).toEqual([]);
  });

  it('works in batches and reports progress', async () => {
    await setup();
    for (let i = 0; i < 7; i++) await view(`/p${i}`);
    rt!.clock.advance(396 * DAY);
    const seen: { step: string; done: number; total: number }[] = [];
    const report = await runRetention(
      { db: rt!.store.db, policy: rt!.deps.policy, now: () => rt!.clock() },
      { batchSize: 3, onProgress: (p) => p.step === 'events' && seen.push(p) },
    );
    expect(countOf(report, 'events')).toBe(7);
    expect(seen.map((p) => p.done)).toEqual([0, 3, 6, 7]);
    expect(seen.every((p) => p.total === 7)).toBe(true);
  });
});

describe('other data classes (fake clock)', () => {
  it('salts: deletes those past salts_hours, never one that can still be in effect', async () => {
    await setup();
    const db = rt!.store.db;
    const now = rt!.clock();
    const salt = (c: string, hoursAgo: number) => ({ site_id: 'example.com', secret: c.repeat(64), created_at: now - hoursAgo * HOUR });
    await db.insertInto('salts').values([salt('a', 72), salt('b', 60), salt('c', 20)]).execute();
    expect(countOf(await run(), 'salts')).toBe(2);
    expect((await db.selectFrom('salts').select('created_at').execute()).map((s) => Number(s.created_at))).toEqual([now - 20 * HOUR]);
    rt!.clock.advance(100 * HOUR);
    expect(countOf(await run(), 'salts')).toBe(1);
  });

  it('consent receipts: purged from the front of the chain, which still verifies', async () => {
    await setup(policyWith((p) => (p.retention.consent_receipts_days = 30)));
    const db = rt!.store.db;
    const receipt = (ts: number) => ({
      ts, site_id: 'example.com', consent_id: 'CCCCCCCCCCCCCCCCCCCCCC', revision: 'r', banner_hash: null, mode: 'notice' as const, action: 'custom' as const,
      accepted: '["necessary"]', rejected: '[]', language: 'ja' as const, path: '/', ip_trunc: null, browser: null, browser_version: null, os: null, device: null,
    });
    await appendReceipt(db, receipt(rt!.clock()));
    rt!.clock.advance(20 * DAY);
    await appendReceipt(db, receipt(rt!.clock()));
    rt!.clock.advance(11 * DAY);
    expect(countOf(await run({ dryRun: true }), 'consent_receipts')).toBe(1);
    expect(countOf(await run(), 'consent_receipts')).toBe(1);
    expect(await verifyReceiptChain(db)).toMatchObject({ ok: true, count: 1, anchorSeq: 1 });
  });

  it('provision records: kept provision_records_days from their last day, then deleted with their exports', async () => {
    await setup();
    const db = rt!.store.db;
    const day = new Date(rt!.clock()).toISOString().slice(0, 10);
    const p = await db
      .insertInto('provisions')
      .values({
        recipient_name: 'R', recipient_address: 'A', recipient_representative: 'P', items: '["page_url"]', period_from: day, period_to: null,
        legal_ground: 'law', consent_confirmation: null, note: null, created_at: rt!.clock(), created_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('privacy_exports')
      .values({ at: rt!.clock(), actor_id: null, kind: 'third_party', case_id: null, provision_id: p.id, site_id: 'example.com', from_ts: 0, to_ts: 1, format: 'json', rows: 0, sha256: 'x' })
      .execute();
    rt!.clock.advance(1095 * DAY);
    expect(countOf(await run(), 'provision_records')).toBe(0);
    rt!.clock.advance(2 * DAY);
    expect(countOf(await run(), 'provision_records')).toBe(1);
    expect(await db.selectFrom('provisions').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('privacy_exports').selectAll().execute()).toEqual([]);
  });

  it('deletion log after audit_log_days; suppressions once the cookie they stop has expired', async () => {
    await setup();
    const db = rt!.store.db;
    await db.insertInto('deletion_log').values({ at: rt!.clock(), source: 'visitor', case_id: null, id_hash: 'h', consent_hash: null, classes: '[]', counts: '{}' }).execute();
    await db.insertInto('suppressions').values({ id_hash: 'h', reason: 'suspend', created_at: rt!.clock() }).execute();
    rt!.clock.advance(181 * DAY); // cookie lifetime 180 days
    let report = await run();
    expect([countOf(report, 'suppressions'), countOf(report, 'deletion_log')]).toEqual([1, 0]);
    rt!.clock.advance(1095 * DAY);
    report = await run();
    expect(countOf(report, 'deletion_log')).toBe(1);
  });

  it('audit entries: purged from the front; the run itself is audited and the chain verifies', async () => {
    await setup(policyWith((p) => (p.retention.audit_log_days = 10)));
    const db = rt!.store.db;
    await audit(db, { id: 1, label: 'privacy@example.com' }, 'case.create', {}, { now: rt!.clock() });
    // (with the runtime's start-up entry for the policy revision, when it writes one)
    const old = (await db.selectFrom('audit_log').select('seq').execute()).length;
    rt!.clock.advance(11 * DAY);
    const report = await run();
    expect(countOf(report, 'audit_log')).toBe(old);
    const left = await db.selectFrom('audit_log').selectAll().execute();
    expect(left.map((e) => [e.action, e.actor])).toEqual([['retention.run', 'system:retention']]);
    expect(JSON.parse(left[0]!.details)).toMatchObject({ audit_log: old, events: 0 });
    expect(await verifyAuditLog(db)).toMatchObject({ ok: true, count: 1, anchorSeq: old });
  });
});

describe('dry runs, the job table and the CLI', () => {
  it('a dry run counts and changes nothing, and is not audited', async () => {
    await setup();
    await view('/');
    rt!.clock.advance(400 * DAY);
    const before = await events();
    const audited = await rt!.store.db.selectFrom('audit_log').selectAll().execute();
    const report = await run({ dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(countOf(report, 'events')).toBe(1);
    expect(await events()).toEqual(before);
    expect(await rt!.store.db.selectFrom('audit_log').selectAll().execute()).toEqual(audited);
    expect(await rt!.store.db.selectFrom('retention_marks').selectAll().execute()).toEqual([]);
  });

  it('retentionTask returns the counts by data class', async () => {
    await setup();
    const counts = await retentionTask({ db: rt!.store.db, policy: rt!.deps.policy, now: () => rt!.clock() });
    expect(Object.keys(counts)).toEqual([
      'events.ip_trunc', 'events', 'sessions', 'salts', 'consent_receipts', 'case_documents', 'cases', 'provision_records', 'deletion_log', 'suppressions', 'audit_log',
    ]);
  });

  it('ashiato retention run prints a progress bar on stderr and a summary table', async () => {
    await setup();
    await view('/');
    rt!.clock.advance(400 * DAY);
    const out: string[] = [];
    let err = '';
    const code = await retentionRunCommand(rt!.store.db, rt!.deps.policy, {
      dryRun: true,
      now: rt!.clock(),
      out: (l) => out.push(l),
      progress: { write: (s: string) => (err += s), isTTY: false },
    });
    expect(code).toBe(0);
    expect(err).toMatch(/^events\s+\[#{24}\] 100%  1\/1$/m);
    expect(out[0]).toMatch(/^data class\s+would\s+older than \(UTC\)\s+rows$/);
    expect(out.find((l) => l.startsWith('events '))).toMatch(/^events\s+delete\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+1$/);
    // the site's salt from that visit is 400 days old too: nothing keeps it, a new event gets a new one
    expect(out.at(-1)).toBe('dry run: 4 rows would be affected; nothing was changed');
  });
});
