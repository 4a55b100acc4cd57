import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import type { ApiError } from './errors.ts';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './sessions.ts';

/** Validates a JSON body with a zod schema; `c.req.valid('json')` is then typed (and so is the hc client). */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return validator('json', (value, c) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as z.output<T>;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return c.json<ApiError, 400>({ error: 'invalid_body', message: `${where}${issue?.message ?? 'the body does not match'}` }, 400);
  });
}

export function isHttps(c: Context, secureCookies: boolean): boolean {
  return secureCookies || new URL(c.req.url).protocol === 'https:';
}

/**
 * Whether a browser sent this request from our own pages. Origin must equal the request's own origin
 * (or its https form behind a TLS proxy); without Origin, Sec-Fetch-Site must say same-origin; a client
 * that sends neither is not a browser (CSRF is a browser attack) and is let through to the token check.
 */
export function fromOwnOrigin(c: Context, secureCookies: boolean): boolean {
  const url = new URL(c.req.url);
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin === url.origin || (secureCookies && origin === `https://${url.host}`);
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin';
}

export function setSessionCookie(c: Context, token: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure, maxAge: SESSION_ABSOLUTE_MS / 1000 });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', path: '/', secure });
}

export const errors = {
  unauthenticated: { error: 'unauthenticated', message: 'sign in first' },
  invalidCredentials: { error: 'invalid_credentials', message: 'the email address or the password is wrong' },
  tooManyAttempts: { error: 'too_many_attempts', message: 'too many failed attempts; try again later' },
  originMismatch: { error: 'origin_mismatch', message: 'the request did not come from this site' },
  csrf: { error: 'csrf_token_invalid', message: 'the X-CSRF-Token header is missing or wrong' },
  sessionOnly: { error: 'session_required', message: 'this needs a signed-in staff member, not an API token' },
  mustChangePassword: { error: 'password_change_required', message: 'choose a new password first' },
  forbidden: { error: 'forbidden', message: 'your role does not allow this' },
} satisfies Record<string, ApiError>;
