import { existsSync, renameSync, rmSync } from 'node:fs';
import type { DuckDatabase } from './database.ts';

/**
 * Makes deleted rows' bytes leave the file. DuckDB only marks deleted rows in their row groups; neither
 * CHECKPOINT nor VACUUM nor rewriting the table inside the file removes the old bytes (tested: the marker
 * is still in the file after each), because freed blocks keep their content until reused. So the whole
 * database is copied into a fresh file (live rows only, which also packs it) that replaces the old one.
 * It takes about as long as reading the file once, so deletions are rare and batched enough to afford it.
 */
export async function compact(db: DuckDatabase): Promise<void> {
  if (db.options.file === ':memory:') return;
  const file = db.options.file;
  const fresh = `${file}.compact`;
  rmSync(fresh, { force: true });
  rmSync(`${fresh}.wal`, { force: true });
  await db.rewrite(
    async (c) => {
      const catalog = String((await c.runAndReadAll('select current_database() as name')).getRowObjectsJS()[0]!.name);
      await c.run(`attach '${fresh.replaceAll("'", "''")}' as compacted`);
      await c.run(`copy from database "${catalog.replaceAll('"', '""')}" to compacted`);
      await c.run('detach compacted');
    },
    () => {
      renameSync(fresh, file);
      if (existsSync(`${file}.wal`)) rmSync(`${file}.wal`);
    },
  );
}
