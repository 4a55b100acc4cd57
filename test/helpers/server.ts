import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { ConsentMode } from '../../server/ingest/wire.ts';
import { fixedGeo } from '../../server/http/geo.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../server/runtime.ts';
import { upsertSite } from '../../server/store/sites.ts';
import { policyWith } from './policy.ts';

const countryForMode: Record<ConsentMode, string> = { 'opt-in': 'DE', notice: 'JP', 'opt-out': 'US' };

export interface TestServerOptions extends Partial<Omit<RuntimeOptions, 'db'>> {
  /** forces the consent mode for every visitor by giving 127.0.0.1 a country in that region */
  consentMode?: ConsentMode;
  /** static fixture pages, path → HTML, served before the app's own routes */
  pages?: Record<string, string>;
  /** extra fixture routes, registered before the app's own routes */
  routes?: (app: Hono) => void;
  /** a file path for the database instead of memory (for tests that reopen or scan it) */
  dbFile?: string;
}

export interface TestServer {
  url: string;
  port: number;
  runtime: Runtime;
  db: Runtime['store']['db'];
  close(): Promise<void>;
}

/**
 * The full app on a real socket on 127.0.0.1, for browser tests: the site `localhost` accepts events from
 * pages served on localhost and 127.0.0.1.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { consentMode, pages, routes, dbFile, ...rest } = options;
  const geo = consentMode
    ? fixedGeo({ '127.0.0.1': countryForMode[consentMode], '::1': countryForMode[consentMode] })
    : fixedGeo({});
  const runtime = await createRuntime({ geo, jobs: false, serveDemo: true, policy: policyWith(() => {}), ...rest, db: { kind: 'sqlite', file: dbFile ?? ':memory:' } });
  await upsertSite(runtime.store.db, { id: 'localhost', hosts: ['localhost', '127.0.0.1'] }, Date.now());

  const outer = new Hono();
  for (const [path, html] of Object.entries(pages ?? {})) outer.get(path, (c) => c.html(html));
  routes?.(outer);
  outer.route('/', runtime.app);

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: outer.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    runtime,
    db: runtime.store.db,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await runtime.close();
    },
  };
}
