import { Hono } from 'hono';
import { rollupRunnerFor } from '../../../server/jobs/rollup-thread.ts';
import { statsRoutes } from '../../../server/stats/routes.ts';
import { upsertSite } from '../../../server/store/sites.ts';
import { createTestApp } from '../../helpers/app.ts';
import { groundTruthSuite, type RuntimeFactory } from './fixture.ts';

/** The row-store engine (SQLite here, PostgreSQL in the postgres project) with its hourly rollups. */
const rowStore: RuntimeFactory = async (clock, sites) => {
  const rt = await createTestApp({ clock, sites: [] });
  for (const site of sites) await upsertSite(rt.store.db, { id: site.id, hosts: site.hosts, timezone: site.timezone }, clock());
  const rollups = rollupRunnerFor(rt.store);
  const stats = new Hono().route('/api/stats', statsRoutes({ db: rt.store.db, dialect: rt.store.dialect, sites: rt.deps.sites, clock }));
  return {
    app: rt.app,
    stats: async (path) => stats.request(path),
    settle: async (now) => void (await rollups.run(now, 10_000)),
    close: async () => {
      await rollups.close();
      await rt.close();
    },
  };
};

groundTruthSuite('row store', rowStore);
