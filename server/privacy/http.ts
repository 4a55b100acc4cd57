import type { Context } from 'hono';
import { z } from 'zod';
import type { ApiError } from '../http/wire.ts';

/** A refusal the caller can act on; routes answer `{error, message}` with its status. */
export class PrivacyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 404 | 409 | 410 | 413 = 400,
  ) {
    super(message);
    this.name = 'PrivacyError';
  }

  toJSON(): ApiError {
    return { error: this.code, message: this.message };
  }
}

/** Answers a PrivacyError with its status; anything else is rethrown (the app's onError logs it). */
export function refusal(c: Context, err: unknown) {
  if (err instanceof PrivacyError) return c.json<ApiError, PrivacyError['status']>(err.toJSON(), err.status);
  throw err;
}

/** A point in time as milliseconds since the epoch (number or digits) or an ISO 8601 date/time. */
export const instant = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected milliseconds since the epoch or an ISO 8601 date' });
    return z.NEVER;
  }
  return ms;
});

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** A route parameter that must be a positive integer id. */
export function idParam(c: Context, name = 'id'): number {
  const n = Number(c.req.param(name));
  if (!Number.isSafeInteger(n) || n <= 0) throw new PrivacyError('not_found', `no ${name} ${c.req.param(name)}`, 404);
  return n;
}

/** `attachment` with a plain-ASCII file name. */
export function attachment(c: Context, fileName: string): void {
  c.header('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`);
}
