import { timeOrderedId } from './random-id.ts';

export const SESSION_IDLE_MS = 30 * 60 * 1000;

interface Live {
  id: string;
  lastSeen: number;
}

/**
 * Assigns events to visits: a visitor's events belong to one session until 30 minutes pass without one.
 * Decided in memory so concurrent events of one visitor agree before they reach the writer; the sessions
 * table (written in the same transaction as the events) is what `warm` reloads after a restart.
 */
export interface SessionTracker {
  assign(site: string, visitor: string, ts: number): { id: string; isNew: boolean };
  warm(rows: Iterable<{ site_id: string; visitor_id: string; id: string; last_seen_at: number }>): void;
  prune(now: number): number;
  /** forgets a visitor (after a deletion request) so a later event starts a fresh session */
  forget(site: string, visitor: string): void;
  size(): number;
}

export function createSessionTracker(idleMs = SESSION_IDLE_MS): SessionTracker {
  const live = new Map<string, Live>();
  const key = (site: string, visitor: string) => `${site}\0${visitor}`;
  return {
    assign(site, visitor, ts) {
      const k = key(site, visitor);
      const s = live.get(k);
      if (s && ts - s.lastSeen < idleMs && ts >= s.lastSeen - idleMs) {
        if (ts > s.lastSeen) s.lastSeen = ts;
        return { id: s.id, isNew: false };
      }
      const id = timeOrderedId(ts);
      live.set(k, { id, lastSeen: ts });
      return { id, isNew: true };
    },
    warm(rows) {
      for (const r of rows) {
        const k = key(r.site_id, r.visitor_id);
        const at = Number(r.last_seen_at);
        const s = live.get(k);
        if (!s || s.lastSeen < at) live.set(k, { id: r.id, lastSeen: at });
      }
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
