import { Hono } from 'hono';
import type { LoadedPolicy } from '../../../policy/load.ts';
import { addUser, authenticate } from '../../../server/auth/index.ts';
import type { AppEnv, Role } from '../../../server/env.ts';
import { steps } from '../../../server/ingest/pipeline.ts';
import { createUaSummarizer } from '../../../server/http/ua.ts';
import { loadSuppressions, privacyRoutes, type SuppressionList } from '../../../server/privacy/index.ts';
import type { Runtime } from '../../../server/runtime.ts';
import { createTestApp, fakeClock, pageview, sendEvent, type TestAppOptions } from '../../helpers/app.ts';
import { columnNames, tableNames } from '../../helpers/test-db.ts';

export const ORIGIN = 'http://localhost';
export const PASSWORD = 'plum-orchard-44-lantern';

/** Whether the ingest pipeline has the `suppressed` step (the lines given for server/ingest/pipeline.ts). */
export const ingestSuppresses = steps.some(([name]) => name === 'suppressed');

export type Caller = (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;

export interface PrivacyTestApp {
  rt: Runtime & { clock: ReturnType<typeof fakeClock> };
  app: Hono<AppEnv>;
  clock: ReturnType<typeof fakeClock>;
  db: Runtime['store']['db'];
  policy: LoadedPolicy;
  suppressions: SuppressionList;
  /** signed-in callers, one per role (none with `staff: false`: scrypt makes sign-ins slow) */
  as: Record<Role, Caller>;
  /** a caller without a session */
  anon: Caller;
  /** signs the role users in again (sessions end when the fake clock jumps) */
  signIn(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole app on an in-memory database with server/privacy mounted the way server/app.ts mounts it
 * (authenticate() on /api/* except visitor endpoints; the privacy routes guard themselves), and one
 * signed-in user per role. If app.ts already mounts the privacy routes (the runtime then has a suppression
 * list), that app is used as it is.
 */
export async function privacyApp(options: TestAppOptions = {}, { staff = true } = {}): Promise<PrivacyTestApp> {
  const rt = await createTestApp({ clock: fakeClock(), ...options });
  const clock = rt.clock;
  const db = rt.store.db;
  const builtIn = (rt.deps as { suppressions?: SuppressionList }).suppressions;
  const suppressions = builtIn ?? (await loadSuppressions(db));
  let app: Hono<AppEnv>;
  if (builtIn) {
    app = rt.app as unknown as Hono<AppEnv>;
  } else {
    const staff = authenticate({ db, clock });
    const summarizeUa = createUaSummarizer();
    app = new Hono<AppEnv>()
      .use('/api/*', (c, next) => (c.req.path.startsWith('/api/my-data') ? next() : staff(c, next)))
      .route(
        '/',
        privacyRoutes({
          db,
          policy: rt.deps.policy,
          clock,
          log: rt.deps.log,
          suppressions,
          sessions: rt.deps.sessions,
          geo: rt.deps.geo,
          clientIp: (c) => c.req.header('x-test-peer') ?? null,
          summarizeUa,
        }),
      )
      .route('/', rt.app);
    app.onError((err, c) => c.json({ error: 'internal', message: err.message }, 500));
  }

  const caller =
    (headers: Record<string, string>): Caller =>
    async (path, init = {}) => {
      const { json, ...rest } = init;
      const h: Record<string, string> = { origin: ORIGIN, ...headers, ...((rest.headers as Record<string, string>) ?? {}) };
      if (json !== undefined) h['content-type'] = 'application/json';
      return app.request(`${ORIGIN}${path}`, { ...rest, headers: h, body: json !== undefined ? JSON.stringify(json) : rest.body });
    };
  const as = {} as Record<Role, Caller>;
  const roles = staff ? (['admin', 'marketer', 'privacy'] as const) : [];
  for (const role of roles) await addUser(db, { email: `${role}@example.com`, role, password: PASSWORD }, clock());
  /** signs everyone in (again: after the fake clock jumped past the session lifetime) */
  const signIn = async () => {
    for (const role of roles) {
      const res = await caller({})('/api/auth/login', { method: 'POST', json: { email: `${role}@example.com`, password: PASSWORD } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      as[role] = caller({ cookie, 'x-csrf-token': csrfToken });
    }
  };
  await signIn();
  return { rt, app, clock, db, policy: rt.deps.policy, suppressions, as, anon: caller({}), signIn, close: () => rt.close() };
}

/** Posts page views as a cookie visitor of example.com (notice mode: JP) and returns the cookie id issued. */
export async function browse(t: PrivacyTestApp, pages: string[], cookieId?: string): Promise<string> {
  let id = cookieId;
  for (const path of pages) {
    const res = await sendEvent(t.app as unknown as Runtime['app'], pageview({ u: `https://example.com${path}`, v: id }));
    if (res.status !== 202) throw new Error(`event not accepted: ${res.status} ${await res.text()}`);
    id = ((await res.json()) as { v: string }).v;
    t.clock.advance(60_000);
  }
  return id!;
}

/** A visitor-side call to /api/my-data*, as the page's script makes it. */
export function myData(t: PrivacyTestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  return t.app.request(`${ORIGIN}/api/my-data${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN, 'x-test-peer': '203.0.113.77', ...headers },
    body: JSON.stringify(body),
  });
}

/** Every text cell of every table (statistics included) that contains `needle`: where an id still lingers. */
export async function tablesHolding(db: Runtime['store']['db'], needle: string): Promise<string[]> {
  const { sql } = await import('kysely');
  const found: string[] = [];
  for (const table of await tableNames(db)) {
    // compared here rather than in SQL: the same on every dialect, and the test tables are small
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    for (const column of await columnNames(db, table)) {
      if (rows.some((r) => r[column] !== null && String(r[column]).includes(needle))) found.push(`${table}.${column}`);
    }
  }
  return found;
}
