import { defineConfig } from 'vitest/config';

/**
 * The store, ingest and stats tests run once more on PostgreSQL (see test/helpers/test-db.ts).
 * ASHIATO_TEST_PG_ALL=1 runs every server test there (minutes longer; not part of `npm test`).
 */
const bothDialects =
  process.env.ASHIATO_TEST_PG_ALL === '1'
    ? ['test/server/**/*.test.ts', 'test/privacy/**/*.test.ts']
    : ['test/server/store/**/*.test.ts', 'test/server/ingest/**/*.test.ts', 'test/server/stats/**/*.test.ts', 'test/server/ground-truth/**/*.test.ts'];

// Two cores on the reference machine: keep the pool small so browser and child-process tests do not starve.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'], env: { ASHIATO_TEST_DIALECT: 'sqlite' } } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: bothDialects,
          // the writer and rollup threads and the crash tests are about SQLite's own files
          exclude: ['test/server/store/thread-committer.test.ts', 'test/server/stats/rollup-thread.test.ts', 'test/server/durability/**'],
          env: { ASHIATO_TEST_DIALECT: 'postgres' },
          globalSetup: ['test/helpers/pg-global-setup.ts'],
        },
      },
    ],
  },
});
