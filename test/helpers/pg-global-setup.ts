import pg from 'pg';

/**
 * The Postgres leg on a real server (ASHIATO_TEST_PG_URL): every test database is a schema named t_<hex>;
 * they are dropped here, before the run (leftovers of an interrupted one) and after it.
 */
async function dropTestSchemas(): Promise<void> {
  const url = process.env.ASHIATO_TEST_PG_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`select nspname as name from pg_namespace where nspname ~ '^t_[0-9a-f]{12}$'`);
    for (const { name } of rows) await client.query(`drop schema if exists ${name} cascade`);
  } finally {
    await client.end();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  if (!process.env.ASHIATO_TEST_PG_URL) console.log('[postgres leg] ASHIATO_TEST_PG_URL is not set: running on PGlite (in process); the two-process test is skipped');
  await dropTestSchemas();
  return dropTestSchemas;
}
