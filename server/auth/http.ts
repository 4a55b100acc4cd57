import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { ApiError } from '../http/wire.ts';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE } from './sessions.ts';

export function isHttps(c: Context, secureCookies: boolean): boolean {
  return secureCookies || new URL(c.req.url).protocol === 'https:';
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
  allSitesRequired: { error: 'all_sites_required', message: 'the privacy office spans every site: this needs access to all sites' },
  secondFactorRequired: { error: 'second_factor_required', message: 'enter the code from your authenticator app' },
  invalidSecondFactor: { error: 'invalid_second_factor', message: 'the code is wrong or was already used' },
  secondFactorEnrolment: { error: 'second_factor_enrolment_required', message: 'your role signs in with a second factor: set up an authenticator app first' },
} satisfies Record<string, ApiError>;
