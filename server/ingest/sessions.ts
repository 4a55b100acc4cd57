import { timeOrderedId } from '../http/random-id.ts';

export const SESSION_IDLE_MS = 30 * 60 * 1000;

interface Live {
  id: string;
  lastSeen: number;
}

export interface Assigned {
  id: string;
  isNew: boolean;
}

/** The visitor's newest visit in the database still open at `ts`, if any (another process may have made it). */
export type SessionLookup = (site: string, visitor: string, ts: number) => Promise<{ id: string; last_seen_at: number } | undefined>;

/**
 * Assigns events to visits: a visitor's events belong to one session until 30 minutes pass without one.
 * Decided in memory so concurrent events of one visitor agree before they reach the writer; the sessions
 * table (written in the same transaction as the events) is what `warm` reloads after a restart.
 *
 * With several processes on one database, give a `lookup`: when this process knows no open visit for the
 * visitor, it asks the database, so a visit begun on another process continues here. Events of one visitor
 * waiting on the same lookup share its answer.
 */
export interface SessionTracker {
  /** synchronous when memory decides; a promise when the database is asked */
  assign(site: string, visitor: string, ts: number): Assigned | Promise<Assigned>;
  warm(rows: Iterable<{ site_id: string; visitor_id: string; id: string; last_seen_at: number }>): void;
  prune(now: number): number;
  /** forgets a visitor (after a deletion request) so a later event starts a fresh session */
  forget(site: string, visitor: string): void;
  size(): number;
}

export function createSessionTracker(options: { idleMs?: number; lookup?: SessionLookup } = {}): SessionTracker {
  const idleMs = options.idleMs ?? SESSION_IDLE_MS;
  const lookup = options.lookup;
  const live = new Map<string, Live>();
  const asking = new Map<string, Promise<unknown>>();
  const key = (site: string, visitor: string) => `${site}\0${visitor}`;

  function remember(k: string, id: string, lastSeen: number) {
    const s = live.get(k);
    if (!s || s.lastSeen < lastSeen) live.set(k, { id, lastSeen });
  }

  /** the open visit memory knows, or a new one when `orStart` */
  function fromMemory(k: string, ts: number, orStart: boolean): Assigned | undefined {
    const s = live.get(k);
    if (s && ts - s.lastSeen < idleMs && ts >= s.lastSeen - idleMs) {
      if (ts > s.lastSeen) s.lastSeen = ts;
      return { id: s.id, isNew: false };
    }
    if (!orStart) return undefined;
    const id = timeOrderedId(ts);
    live.set(k, { id, lastSeen: ts });
    return { id, isNew: true };
  }

  async function ask(site: string, visitor: string, k: string, ts: number): Promise<Assigned> {
    const pending = asking.get(k);
    if (pending) {
      await pending.catch(() => {});
      return fromMemory(k, ts, true)!;
    }
    const question = lookup!(site, visitor, ts).then((row) => {
      if (row) remember(k, row.id, Number(row.last_seen_at));
    });
    asking.set(k, question);
    try {
      await question;
    } catch {
      // the database did not answer: a new visit is the safe guess (the event itself will meet the same
      // database in the writer, and get a 503 there if it is really down)
    } finally {
      asking.delete(k);
    }
    return fromMemory(k, ts, true)!;
  }

  return {
    assign(site, visitor, ts) {
      const k = key(site, visitor);
      if (!lookup) return fromMemory(k, ts, true)!;
      return (!asking.has(k) && fromMemory(k, ts, false)) || ask(site, visitor, k, ts);
    },
    warm(rows) {
      for (const r of rows) remember(key(r.site_id, r.visitor_id), r.id, Number(r.last_seen_at));
    },
    prune(now) {
      let n = 0;
      for (const [k, s] of live) {
        if (now - s.lastSeen >= idleMs) {
          live.delete(k);
          n++;
        }
      }
      return n;
    },
    forget(site, visitor) {
      live.delete(key(site, visitor));
    },
    size: () => live.size,
  };
}
