import type { Kysely } from 'kysely';
import type { LoadedPolicy } from '../../policy/load.ts';
import type { ItemId } from '../../policy/schema.ts';
import { purgeExpiredReceipts } from '../consent/retention.ts';
import type { Logger } from '../log.ts';
import { audit, expiredAuditEntries, purgeExpiredAudit, systemActor } from '../privacy/audit.ts';
import { purgeClosedCases } from '../privacy/case-documents.ts';
import { eventColumnItems } from '../store/column-items.ts';
import type { Database, EventsTable, SessionsTable } from '../store/schema.ts';
import { blankableColumns, type BlankableColumn, type EventStore } from '../store/events/event-store.ts';

/**
 * Retention, per data class, from the policy. Raw events go whole once past the retention of the items
 * every event must have (time, visitor id) or of the longest-kept item, whichever is shorter; before that,
 * columns of items kept for less are blanked (e.g. `ip_trunc` after the `ip_address` item's days). Visits
 * go with their events. Salts, consent receipts (re-anchoring their chain), closed cases' documents,
 * provision records, the deletion log, the suppression list and audit entries (re-anchoring their chain)
 * follow their own rules. Statistics (`stats_*`) are aggregates and are never touched.
 *
 * Every step counts first, then works in batches (so the ingest writer is never locked out for long) and
 * reports progress; `dryRun` only counts. The whole run is one audit entry with its counts.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface RetentionContext {
  db: Kysely<Database>;
  policy: LoadedPolicy;
  now(): number;
  log?: Logger;
  /** the reports' event store when it is not these tables (DuckDB): the same rules are applied there */
  events?: EventStore;
}

export interface RetentionOptions {
  dryRun?: boolean;
  /** rows per statement */
  batchSize?: number;
  onProgress?: (progress: { step: string; done: number; total: number }) => void;
}

export type RetentionAction = 'delete' | 'blank' | 'purge';

export interface RetentionStep {
  /** data class, e.g. `events`, `events.ip_trunc`, `case_documents` */
  name: string;
  action: RetentionAction;
  /** rows older than this are affected (ms), null when the rule is not a single instant */
  cutoff: number | null;
  /** rows affected (or, on a dry run, that would be) */
  count: number;
}

export interface RetentionReport {
  now: number;
  dryRun: boolean;
  steps: RetentionStep[];
}

/** Event columns that cannot be blanked: an event without them is no event. */
const requiredEventColumns = new Set<keyof EventsTable>(['id', 'ts', 'site_id', 'type', 'visitor_id', 'visitor_kind', 'session_id']);

/** Which policy item each nullable visit column comes from (visits copy them from their first event). */
export const sessionColumnItems: Partial<Record<keyof SessionsTable, ItemId>> = {
  entry_path: 'page_url',
  exit_path: 'page_url',
  referrer_host: 'referrer',
  utm_source: 'page_url',
  utm_medium: 'page_url',
  utm_campaign: 'page_url',
  country: 'country',
  browser: 'device_info',
  os: 'device_info',
  device: 'device_info',
};

export interface EventRetention {
  /** whole events (and their visits) go after this many days */
  deleteDays: number;
  /** columns blanked earlier, by item */
  blank: { item: ItemId; days: number; eventColumns: (keyof EventsTable)[]; sessionColumns: (keyof SessionsTable)[] }[];
}

/** The event rules a policy implies. */
export function eventRetention(policy: LoadedPolicy): EventRetention {
  const days = new Map(policy.policy.items.map((i) => [i.id, i.retentionDays]));
  const longest = Math.max(...days.values());
  const requiredItems = new Set([...requiredEventColumns].map((c) => eventColumnItems[c]));
  const deleteDays = Math.min(longest, ...[...requiredItems].map((i) => days.get(i) ?? longest));
  const blank = [...days.entries()]
    .filter(([item, d]) => d < deleteDays && !requiredItems.has(item))
    .map(([item, d]) => ({
      item,
      days: d,
      eventColumns: (Object.keys(eventColumnItems) as (keyof EventsTable)[]).filter((c) => eventColumnItems[c] === item && !requiredEventColumns.has(c)),
      sessionColumns: (Object.keys(sessionColumnItems) as (keyof SessionsTable)[]).filter((c) => sessionColumnItems[c] === item),
    }));
  return { deleteDays, blank };
}

async function mark(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db.selectFrom('retention_marks').select('until').where('name', '=', name).executeTakeFirst();
  return row ? Number(row.until) : 0;
}

async function setMark(db: Kysely<Database>, name: string, until: number): Promise<void> {
  await db
    .insertInto('retention_marks')
    .values({ name, until })
    .onConflict((oc) => oc.column('name').doUpdateSet({ until }))
    .execute();
}

const count = (n: { n: number | string | bigint } | undefined) => Number(n?.n ?? 0);

export async function runRetention(ctx: RetentionContext, options: RetentionOptions = {}): Promise<RetentionReport> {
  const { db, policy } = ctx;
  const now = ctx.now();
  const dryRun = options.dryRun ?? false;
  const batch = options.batchSize ?? 2_000;
  const progress = options.onProgress ?? (() => {});
  const steps: RetentionStep[] = [];
  const { retention } = policy.policy;
  const sites = (await db.selectFrom('sites').select('id').orderBy('id').execute()).map((s) => s.id);
  const rules = eventRetention(policy);

  /** Runs `work` (which handles up to `batch` rows and says how many) until it comes back short. */
  const batches = async (step: string, total: number, work: () => Promise<number>) => {
    let done = 0;
    progress({ step, done, total });
    if (dryRun || total === 0) {
      if (total) progress({ step, done: total, total });
      return total;
    }
    for (;;) {
      const n = await work();
      done += n;
      progress({ step, done: Math.min(done, total), total });
      if (n < batch) return done;
    }
  };

  // ---- columns of short-lived items, in events and visits
  for (const rule of rules.blank) {
    const cutoff = now - rule.days * DAY_MS;
    if (rule.eventColumns.length) {
      const name = `events.${rule.eventColumns.join('+')}`;
      const markName = `blank:events:${rule.item}`;
      const from = await mark(db, markName);
      let total = 0;
      for (const site of sites) {
        const scope = db
          .selectFrom('events')
          .where('site_id', '=', site)
          .where('ts', '>=', from)
          .where('ts', '<', cutoff)
          .where((eb) => eb.or(rule.eventColumns.map((c) => eb(c, 'is not', null))));
        total += count(await scope.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
      }
      let done = 0;
      for (const site of sites) {
        // a keyset over (ts) moves forward batch by batch, so each row of the range is read about once
        let since = from;
        done += await batches(name, total, async () => {
          const page = await db
            .selectFrom('events')
            .select(['id', 'ts'])
            .where('site_id', '=', site)
            .where('ts', '>=', since)
            .where('ts', '<', cutoff)
            .where((eb) => eb.or(rule.eventColumns.map((c) => eb(c, 'is not', null))))
            .orderBy('ts')
            .limit(batch)
            .execute();
          if (!page.length) return 0;
          since = Number(page[page.length - 1]!.ts);
          const res = await db
            .updateTable('events')
            .set(Object.fromEntries(rule.eventColumns.map((c) => [c, null])))
            .where(
              'id',
              'in',
              page.map((r) => r.id),
            )
            .executeTakeFirst();
          return Number(res.numUpdatedRows);
        });
      }
      if (!dryRun) await setMark(db, markName, cutoff);
      steps.push({ name, action: 'blank', cutoff, count: dryRun ? total : done });
    }
    if (rule.sessionColumns.length) {
      const name = `sessions.${rule.sessionColumns.join('+')}`;
      const markName = `blank:sessions:${rule.item}`;
      // a visit counts once all of it is past the limit; one that started a day before the mark may not have been
      const from = Math.max(0, (await mark(db, markName)) - DAY_MS);
      const where = (site: string) =>
        db
          .selectFrom('sessions')
          .where('site_id', '=', site)
          .where('started_at', '>=', from)
          .where('started_at', '<', cutoff)
          .where('last_seen_at', '<', cutoff)
          .where((eb) => eb.or(rule.sessionColumns.map((c) => eb(c, 'is not', null))));
      let total = 0;
      for (const site of sites) total += count(await where(site).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
      let done = 0;
      for (const site of sites) {
        done += await batches(name, total, async () => {
          const res = await db
            .updateTable('sessions')
            .set(Object.fromEntries(rule.sessionColumns.map((c) => [c, null])))
            .where('id', 'in', where(site).select('id').limit(batch))
            .executeTakeFirst();
          return Number(res.numUpdatedRows);
        });
      }
      if (!dryRun) await setMark(db, markName, cutoff);
      steps.push({ name, action: 'blank', cutoff, count: dryRun ? total : done });
    }
  }

  // ---- whole events, then the visits whose events are all gone
  {
    const cutoff = now - rules.deleteDays * DAY_MS;
    const events = (site: string) => db.selectFrom('events').where('site_id', '=', site).where('ts', '<', cutoff);
    let total = 0;
    for (const site of sites) total += count(await events(site).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
    let done = 0;
    for (const site of sites) {
      done += await batches('events', total, async () => {
        const res = await db.deleteFrom('events').where('id', 'in', events(site).select('id').limit(batch)).executeTakeFirst();
        return Number(res.numDeletedRows);
      });
    }
    steps.push({ name: 'events', action: 'delete', cutoff, count: dryRun ? total : done });

    const visits = (site: string) => db.selectFrom('sessions').where('site_id', '=', site).where('started_at', '<', cutoff).where('last_seen_at', '<', cutoff);
    total = 0;
    for (const site of sites) total += count(await visits(site).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
    done = 0;
    for (const site of sites) {
      done += await batches('sessions', total, async () => {
        const res = await db.deleteFrom('sessions').where('id', 'in', visits(site).select('id').limit(batch)).executeTakeFirst();
        return Number(res.numDeletedRows);
      });
    }
    steps.push({ name: 'sessions', action: 'delete', cutoff, count: dryRun ? total : done });
  }

  if (ctx.events?.engine === 'duckdb' && !dryRun) steps.push(...(await columnarRetention(ctx.events, rules, now)));

  // ---- salts (rotation deletes them too; here so a stopped server's database is cleaned as well)
  {
    const cutoff = now - retention.salts_hours * HOUR_MS;
    // the salt in effect now stays; a next one, written ahead (SALT_LEAD_MS), is newer still and young
    const newest = db.selectFrom('salts').select('id').where('created_at', '<=', now).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1);
    const total = count(
      await db
        .selectFrom('salts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('created_at', '<=', cutoff)
        .where('id', 'not in', newest)
        .executeTakeFirst(),
    );
    progress({ step: 'salts', done: 0, total });
    const done = dryRun || !total ? total : Number((await db.deleteFrom('salts').where('created_at', '<=', cutoff).where('id', 'not in', newest).executeTakeFirst()).numDeletedRows);
    progress({ step: 'salts', done, total });
    steps.push({ name: 'salts', action: 'delete', cutoff, count: dryRun ? total : done });
  }

  // ---- consent receipts: from the front of their chain, which re-anchors
  {
    const cutoff = now - retention.consent_receipts_days * DAY_MS;
    const chain = await db.selectFrom('consent_chain').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    const firstKept = await db
      .selectFrom('consent_receipts')
      .select('seq')
      .where('seq', '>', Number(chain.anchor_seq))
      .where('ts', '>=', cutoff)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    const total = Math.max(0, (firstKept ? Number(firstKept.seq) - 1 : Number(chain.head_seq)) - Number(chain.anchor_seq));
    progress({ step: 'consent_receipts', done: 0, total });
    const done = dryRun || !total ? total : (await purgeExpiredReceipts(db, policy, now)).purged;
    progress({ step: 'consent_receipts', done, total });
    steps.push({ name: 'consent_receipts', action: 'delete', cutoff, count: done });
  }

  // ---- closed cases: documents, requester details and linked ids, a year (policy) after the answer
  {
    const cutoff = now - retention.case_documents_days * DAY_MS;
    progress({ step: 'case_documents', done: 0, total: 0 });
    const purge = await purgeClosedCases(db, policy, now, dryRun);
    progress({ step: 'case_documents', done: purge.documents, total: purge.documents });
    steps.push({ name: 'case_documents', action: 'purge', cutoff, count: purge.documents });
    steps.push({ name: 'cases', action: 'purge', cutoff, count: purge.cases });
  }

  // ---- provision records (with the exports made under them), counted from the provision's last day
  {
    const cutoffDay = new Date(now - retention.provision_records_days * DAY_MS).toISOString().slice(0, 10);
    const expired = await db
      .selectFrom('provisions')
      .select('id')
      .where((eb) => eb(eb.fn.coalesce('period_to', 'period_from'), '<', cutoffDay))
      .execute();
    const ids = expired.map((r) => r.id);
    progress({ step: 'provision_records', done: 0, total: ids.length });
    if (!dryRun && ids.length) {
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < ids.length; i += 500) {
          const chunk = ids.slice(i, i + 500);
          await trx.deleteFrom('privacy_exports').where('provision_id', 'in', chunk).execute();
          await trx.deleteFrom('provisions').where('id', 'in', chunk).execute();
        }
      });
    }
    progress({ step: 'provision_records', done: ids.length, total: ids.length });
    steps.push({ name: 'provision_records', action: 'delete', cutoff: Date.parse(`${cutoffDay}T00:00:00Z`), count: ids.length });
  }

  // ---- the deletion log (kept as long as the audit log) and suppressions (until the cookie has expired)
  for (const [name, days, table, column] of [
    ['deletion_log', retention.audit_log_days, 'deletion_log', 'at'],
    ['suppressions', policy.policy.cookie.lifetimeDays, 'suppressions', 'created_at'],
  ] as const) {
    const cutoff = now - days * DAY_MS;
    const total = count(await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column, '<', cutoff).executeTakeFirst());
    progress({ step: name, done: 0, total });
    const done = dryRun || !total ? total : Number((await db.deleteFrom(table).where(column, '<', cutoff).executeTakeFirst()).numDeletedRows);
    progress({ step: name, done, total });
    steps.push({ name, action: 'delete', cutoff, count: done });
  }

  // ---- the audit log, last: from the front of its chain, which re-anchors
  {
    const cutoff = now - retention.audit_log_days * DAY_MS;
    const expired = await expiredAuditEntries(db, policy, now);
    const total = expired?.count ?? 0;
    progress({ step: 'audit_log', done: 0, total });
    const done = dryRun || !total ? total : (await purgeExpiredAudit(db, policy, now)).purged;
    progress({ step: 'audit_log', done, total });
    steps.push({ name: 'audit_log', action: 'delete', cutoff, count: done });
  }

  if (!dryRun) {
    const counts = Object.fromEntries(steps.map((s) => [s.name, s.count]));
    await audit(db, systemActor('retention'), 'retention.run', counts, { now });
    ctx.log?.('info', 'retention', counts);
  }
  return { now, dryRun, steps };
}

/**
 * The event store's copy (DuckDB) under the same rules: columns of short-lived items blanked, old events
 * deleted. Its visits are recomputed from events, so they follow on their next update.
 */
async function columnarRetention(events: EventStore, rules: ReturnType<typeof eventRetention>, now: number): Promise<RetentionStep[]> {
  const steps: RetentionStep[] = [];
  const blankable = new Set<string>(blankableColumns);
  for (const rule of rules.blank) {
    const columns = rule.eventColumns.filter((c): c is BlankableColumn => blankable.has(c));
    if (!columns.length) continue;
    const cutoff = now - rule.days * DAY_MS;
    steps.push({ name: `event-store.${columns.join('+')}`, action: 'blank', cutoff, count: await events.blankEventColumns(columns, cutoff) });
  }
  const cutoff = now - rules.deleteDays * DAY_MS;
  steps.push({ name: 'event-store.events', action: 'delete', cutoff, count: (await events.deleteBefore(cutoff)).events });
  return steps;
}

/** For the job table: the counts of one run, by data class. */
export async function retentionTask(ctx: RetentionContext): Promise<Record<string, number>> {
  const report = await runRetention(ctx);
  return Object.fromEntries(report.steps.map((s) => [s.name, s.count]));
}
