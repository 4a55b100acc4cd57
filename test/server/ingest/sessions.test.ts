import { describe, expect, it } from 'vitest';
import { createSessionTracker, SESSION_IDLE_MS, type SessionLookup } from '../../../server/ingest/sessions.ts';

const T = Date.UTC(2026, 10, 22, 3);
const MIN = 60_000;

/** A sessions table another process wrote to, and a record of the questions asked of it. */
function fakeTable(rows: { id: string; visitor: string; last_seen_at: number }[]) {
  const asked: string[] = [];
  const lookup: SessionLookup = async (_site, visitor, ts) => {
    asked.push(visitor);
    await new Promise((r) => setTimeout(r, 5));
    return rows.filter((r) => r.visitor === visitor && r.last_seen_at > ts - SESSION_IDLE_MS).sort((a, b) => b.last_seen_at - a.last_seen_at)[0];
  };
  return { asked, lookup };
}

describe('sessions across processes', () => {
  it('a visit begun on another process continues here', async () => {
    const { lookup } = fakeTable([{ id: 'other-process-visit', visitor: 'v1', last_seen_at: T - 10 * MIN }]);
    const tracker = createSessionTracker({ lookup });
    expect(await tracker.assign('s', 'v1', T)).toEqual({ id: 'other-process-visit', isNew: false });
    // from memory now: no second question
    expect(tracker.assign('s', 'v1', T + MIN)).toEqual({ id: 'other-process-visit', isNew: false });
  });

  it('a visit idle here but continued elsewhere is looked up again, not restarted', async () => {
    const rows = [{ id: 'visit', visitor: 'v1', last_seen_at: T }];
    const { lookup, asked } = fakeTable(rows);
    const tracker = createSessionTracker({ lookup });
    expect((await tracker.assign('s', 'v1', T)).id).toBe('visit');
    rows[0]!.last_seen_at = T + 25 * MIN; // the visitor's events went to another process meanwhile
    expect(await tracker.assign('s', 'v1', T + 40 * MIN)).toEqual({ id: 'visit', isNew: false });
    expect(asked).toEqual(['v1', 'v1']);
  });

  it('concurrent first events of one visitor share one question and one new visit', async () => {
    const { lookup, asked } = fakeTable([]);
    const tracker = createSessionTracker({ lookup });
    const got = await Promise.all([tracker.assign('s', 'v2', T), tracker.assign('s', 'v2', T + 1), tracker.assign('s', 'v2', T + 2)]);
    expect(new Set(got.map((g) => g.id)).size).toBe(1);
    expect(got.filter((g) => g.isNew)).toHaveLength(1);
    expect(asked).toEqual(['v2']);
  });

  it('a database that does not answer means a new visit, not an error', async () => {
    const tracker = createSessionTracker({ lookup: () => Promise.reject(new Error('connection refused')) });
    expect(await tracker.assign('s', 'v3', T)).toMatchObject({ isNew: true });
  });

  it('without a lookup (one process on SQLite) memory decides synchronously', () => {
    const tracker = createSessionTracker();
    const first = tracker.assign('s', 'v4', T);
    expect(first).not.toBeInstanceOf(Promise);
    expect(tracker.assign('s', 'v4', T + MIN)).toEqual({ id: (first as { id: string }).id, isNew: false });
  });
});

describe('one visit across a change of id', () => {
  it('a visit spanning the salt turn continues under the hash it began with', () => {
    const tracker = createSessionTracker();
    const first = tracker.assign('s', 'yesterdays-hash', T) as { id: string };
    expect(tracker.assign('s', 'todays-hash', T + 5 * MIN, { via: ['yesterdays-hash'] })).toEqual({ id: first.id, isNew: false, visitor: 'yesterdays-hash' });
    // later events find it under today's id directly
    expect(tracker.assign('s', 'todays-hash', T + 10 * MIN)).toEqual({ id: first.id, isNew: false, visitor: 'yesterdays-hash' });
  });

  it('a link reaches open visits only: an idle visit is not continued', () => {
    const tracker = createSessionTracker();
    tracker.assign('s', 'hash', T);
    expect(tracker.assign('s', 'cookie', T + SESSION_IDLE_MS, { via: ['hash'] })).toEqual({ id: expect.any(String), isNew: true });
  });

  it('a withdrawal moves the cookie visit, found through its browser key, to the hash', () => {
    const tracker = createSessionTracker();
    const first = tracker.assign('s', 'cookie-id', T, { via: [], aliases: ['browser:h'] }) as { id: string };
    expect(tracker.assign('s', 'h', T + 5 * MIN, { via: [], viaMemory: ['browser:h'] })).toEqual({ id: first.id, isNew: false, relinkedFrom: 'cookie-id' });
    // from now on the visit is the hash's
    expect(tracker.assign('s', 'h', T + 6 * MIN)).toEqual({ id: first.id, isNew: false });
  });

  it('without a link, another id of the same browser is another visit', () => {
    const tracker = createSessionTracker();
    tracker.assign('s', 'cookie-id', T, { via: [], aliases: ['browser:h'] });
    expect(tracker.assign('s', 'h', T + MIN)).toMatchObject({ isNew: true });
  });

  it('across processes, a linked id is asked of the database after the visitor’s own', async () => {
    const { lookup, asked } = fakeTable([{ id: 'hash-visit', visitor: 'hash', last_seen_at: T - 5 * MIN }]);
    const tracker = createSessionTracker({ lookup });
    expect(await tracker.assign('s', 'new-cookie', T, { via: ['hash'], viaMemory: ['browser:x'] })).toEqual({ id: 'hash-visit', isNew: false, visitor: 'hash' });
    expect(asked).toEqual(['new-cookie', 'hash']);
  });
});
