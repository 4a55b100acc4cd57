import { Hono } from 'hono';
import type { AppEnv } from '../../../server/env.ts';
import type { Role } from '../../../server/env.ts';
import { addUser, authenticate, authRoutes, csrf, requireRole, requireScope, type AuthDeps, type LoginLimits } from '../../../server/auth/index.ts';
import type { Logger } from '../../../server/log.ts';
import { createDb } from '../../../server/store/db.ts';
import { testDbConfig } from '../../helpers/test-db.ts';
import { upsertSite } from '../../../server/store/sites.ts';
import { fakeClock } from '../../helpers/app.ts';

export const ORIGIN = 'http://localhost';
export const PASSWORD = 'plum-orchard-44-lantern';

export interface AuthAppOptions {
  secureCookies?: boolean;
  loginLimits?: LoginLimits;
  /** authRoutes alone, without the app-wide authenticate() */
  bare?: boolean;
  /** roles that must sign in with a second factor */
  secondFactorRoles?: Role[];
}

/**
 * authRoutes on an in-memory database, wired the way app.ts wires it: authenticate() app-wide on /api/*
 * (the guards check CSRF themselves), plus probe routes guarded like the stats and privacy APIs will be
 * and one unguarded like a visitor-facing endpoint.
 */
export async function authApp(options: AuthAppOptions = {}) {
  const store = await createDb(testDbConfig());
  const clock = fakeClock();
  const logLines: string[] = [];
  const log: Logger = (level, msg, fields) => logLines.push(JSON.stringify({ level, msg, ...fields }));
  const deps: AuthDeps = {
    db: store.db,
    clock,
    log,
    secureCookies: options.secureCookies,
    clientIp: (c) => c.req.header('x-test-peer') ?? '203.0.113.77',
    loginLimits: options.loginLimits,
    secondFactorRoles: options.secondFactorRoles,
  };
  const app = new Hono<AppEnv>();
  if (!options.bare) app.use('/api/*', authenticate(deps));
  app
    .route('/', authRoutes(deps))
    .get('/api/probe/stats', requireScope('stats:read'), (c) => c.json({ ok: true, user: c.get('user') }))
    .get('/api/probe/privacy', requireScope('privacy:read'), (c) => c.json({ ok: true }))
    .post('/api/probe/privacy', requireScope('privacy:write'), (c) => c.json({ ok: true }))
    .get('/api/probe/admin', requireRole('admin'), (c) => c.json({ ok: true }))
    .post('/api/probe/visitor', (c) => c.json({ ok: true, staff: c.get('user')?.email ?? null }))
    .post('/api/probe/csrf-only', csrf({ secureCookies: options.secureCookies }), (c) => c.json({ ok: true }));
  await upsertSite(store.db, { id: 'example.com', hosts: ['example.com'] }, clock());
  await upsertSite(store.db, { id: 'other.example', hosts: ['other.example'] }, clock());
  return { app, db: store.db, clock, deps, logLines, close: () => store.close() };
}

export type AuthApp = Awaited<ReturnType<typeof authApp>>;

export async function makeUser(t: AuthApp, email: string, role: Role, password = PASSWORD) {
  const { user } = await addUser(t.db, { email, role, password }, t.clock());
  return user;
}

export interface Session {
  token: string;
  csrf: string;
}

export interface CallOptions {
  session?: Session;
  bearer?: string;
  body?: unknown;
  /** null: no Origin header */
  origin?: string | null;
  csrf?: string | null;
  headers?: Record<string, string>;
  url?: string;
}

/** A request as the dashboard sends it: same-origin, the session cookie and its CSRF token when given. */
export async function call(t: AuthApp, method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.origin !== null && method !== 'GET') headers.origin = opts.origin ?? ORIGIN;
  if (opts.session) headers.cookie = `ashiato_staff=${opts.session.token}`;
  const csrfToken = opts.csrf === undefined ? opts.session?.csrf : opts.csrf;
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return t.app.request(opts.url ?? path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
}

export function sessionCookie(res: Response): { value: string; attributes: string[] } | null {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';').map((s) => s.trim());
    if (pair!.startsWith('ashiato_staff=')) return { value: pair!.slice('ashiato_staff='.length), attributes };
  }
  return null;
}

export async function login(t: AuthApp, email: string, password = PASSWORD, opts: CallOptions = {}): Promise<Session> {
  const res = await call(t, 'POST', '/api/auth/login', { ...opts, body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string };
  return { token: sessionCookie(res)!.value, csrf: body.csrfToken };
}

export async function tryLogin(t: AuthApp, email: string, password: string, opts: CallOptions = {}) {
  return call(t, 'POST', '/api/auth/login', { ...opts, body: { email, password } });
}
