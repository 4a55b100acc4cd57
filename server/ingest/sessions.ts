import { VISIT_IDLE_MINUTES } from '../../policy/visits.ts';
import { timeOrderedId } from '../http/random-id.ts';

export const SESSION_IDLE_MS = VISIT_IDLE_MINUTES * 60 * 1000;

interface Live {
  id: string;
  lastSeen: number;
  /** the id the visit began with: every event of the visit is stored under it */
  visitor: string;
}

export interface Assigned {
  id: string;
  isNew: boolean;
  /** the visit's visitor id when the visit was found under a linked id rather than the one asked */
  visitor?: string;
  /** the id the visit was stored under until now, when it was found through `viaMemory` and continues under the one asked */
  relinkedFrom?: string;
}

/**
 * Where else one browser's open visit may be known, so that a visit continues across a change of id: the
 * hash under the previous day's salt (a visit spanning the salt turn), the browser's hash when a consent
 * choice swaps a hash id for a cookie id or back. Links live in memory for the visit only.
 */
export interface VisitLinks {
  /** ids tried in order when the visitor's own id has no open visit */
  via: readonly string[];
  /**
   * keys known to memory only (never asked of the database), tried after `via`: a visit found through one
   * continues under the id asked from now on (a withdrawal: the visit leaves its cookie id for the hash)
   */
  viaMemory?: readonly string[];
  /** keys the visit is found under from now on, in memory only (e.g. a cookie visit under its browser's hash) */
  aliases?: readonly string[];
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
  assign(site: string, visitor: string, ts: number, links?: VisitLinks): Assigned | Promise<Assigned>;
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
  const noLinks: VisitLinks = { via: [] };

  function remember(k: string, id: string, lastSeen: number, visitor: string) {
    const s = live.get(k);
    if (!s || s.lastSeen < lastSeen) live.set(k, { id, lastSeen, visitor });
  }

  const open = (s: Live | undefined, ts: number): s is Live => s !== undefined && ts - s.lastSeen < idleMs && ts >= s.lastSeen - idleMs;

  function linked(site: string, ids: readonly string[], ts: number): Live | undefined {
    for (const other of ids) {
      const found = live.get(key(site, other));
      if (open(found, ts)) return found;
    }
    return undefined;
  }

  /** the open visit memory knows under the visitor's id or a linked one, or a new one when `orStart` */
  function fromMemory(site: string, visitor: string, ts: number, links: VisitLinks, orStart: boolean): Assigned | undefined {
    const own = key(site, visitor);
    let s = live.get(own);
    let relinkedFrom: string | undefined;
    if (!open(s, ts)) {
      s = linked(site, links.via, ts);
      if (!s && links.viaMemory) {
        s = linked(site, links.viaMemory, ts);
        if (s && s.visitor !== visitor) {
          relinkedFrom = s.visitor;
          s.visitor = visitor;
        }
      }
      if (s) live.set(own, s);
    }
    if (s) {
      if (ts > s.lastSeen) s.lastSeen = ts;
      for (const a of links.aliases ?? []) live.set(key(site, a), s);
      if (relinkedFrom) return { id: s.id, isNew: false, relinkedFrom };
      return s.visitor === visitor ? { id: s.id, isNew: false } : { id: s.id, isNew: false, visitor: s.visitor };
    }
    if (!orStart) return undefined;
    const fresh: Live = { id: timeOrderedId(ts), lastSeen: ts, visitor };
    live.set(own, fresh);
    for (const a of links.aliases ?? []) live.set(key(site, a), fresh);
    return { id: fresh.id, isNew: true };
  }

  async function ask(site: string, visitor: string, ts: number, links: VisitLinks): Promise<Assigned> {
    const k = key(site, visitor);
    const pending = asking.get(k);
    if (pending) {
      await pending.catch(() => {});
      return fromMemory(site, visitor, ts, links, true)!;
    }
    // the database knows visits by the id they began with: the visitor's own, then the linked ones
    const question = (async () => {
      for (const id of [visitor, ...links.via]) {
        const row = await lookup!(site, id, ts);
        if (row) return remember(key(site, id), row.id, Number(row.last_seen_at), id);
      }
    })();
    asking.set(k, question);
    try {
      await question;
    } catch {
      // the database did not answer: a new visit is the safe guess (the event itself will meet the same
      // database in the writer, and get a 503 there if it is really down)
    } finally {
      asking.delete(k);
    }
    return fromMemory(site, visitor, ts, links, true)!;
  }

  return {
    assign(site, visitor, ts, links = noLinks) {
      if (!lookup) return fromMemory(site, visitor, ts, links, true)!;
      return (!asking.has(key(site, visitor)) && fromMemory(site, visitor, ts, links, false)) || ask(site, visitor, ts, links);
    },
    warm(rows) {
      for (const r of rows) remember(key(r.site_id, r.visitor_id), r.id, Number(r.last_seen_at), r.visitor_id);
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
      // with every key linked to the visitor's visits, so no later event continues them
      const gone = new Set<Live>();
      for (const [k, s] of live) if (k.startsWith(`${site}\0`) && s.visitor === visitor) gone.add(s);
      for (const [k, s] of live) if (gone.has(s)) live.delete(k);
      live.delete(key(site, visitor));
    },
    size: () => live.size,
  };
}
