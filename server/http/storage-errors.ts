import type { Context } from 'hono';
import type { Logger } from '../log.ts';
import type { ApiError } from './wire.ts';

/**
 * Errors that mean "storage cannot take this now" rather than "this code is wrong": a full or read-only
 * disk, a locked or unreachable database. They get 503 with Retry-After — the client may try again, and a
 * load balancer can tell an unhealthy node — never a 500.
 */
const sqliteCodes = /^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOLFS|AUTH)/;
// PostgreSQL: connection exceptions (08), insufficient resources (53: disk full, out of memory, too many
// connections), operator intervention (57: shutdown), system errors (58), read-only transaction (25006)
const postgresCodes = /^(08|53|57|58)...$|^25006$/;
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOSPC', 'EROFS', 'EIO', 'EACCES', 'EDQUOT']);

export function isStorageError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (sqliteCodes.test(code) || postgresCodes.test(code) || socketCodes.has(code))) return true;
  // Pools and drivers that lost their database say so in words only. SQLite rolls a transaction back by
  // itself on a full disk or an I/O error, so the ROLLBACK that follows fails and hides the first error.
  return /connection terminated|timeout exceeded when trying to connect|database is closed|driver has already been destroyed|cannot rollback - no transaction is active/i.test(err.message);
}

export const RETRY_AFTER_SECONDS = 5;

/** The one answer for storage that is unavailable, on every route. */
export function storageUnavailable(c: Context) {
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  return c.json<ApiError, 503>({ error: 'unavailable', message: 'storage is unavailable; retry later' }, 503);
}

/** One line per storage failure, naming the route pattern (paths can carry shared-link tokens) and the code. */
export function logStorageError(log: Logger, c: Context, err: Error): void {
  log('error', 'storage unavailable', { route: c.req.routePath, code: String((err as { code?: unknown }).code ?? ''), error: err.message });
}
