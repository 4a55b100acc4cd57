import { parseArgs } from 'node:util';
import { loadPolicy, PolicyError } from '../policy/load.ts';
import { resolveConfig, type ConfigFlags } from './config.ts';
import { DEMO_SITE, seedDemo } from './demo/seed.ts';
import { userAddCommand, userListCommand, userResetCommand } from './auth/cli.ts';
import { consentVerifyCommand } from './consent/cli.ts';
import { retentionRunCommand } from './jobs/retention-cli.ts';
import { audit, auditVerifyCommand, cliActor } from './privacy/index.ts';
import { exportAnonymizedCommand } from './anonymize/index.ts';
import { rollupAll } from './jobs/rollup.ts';
import { startServer } from './main.ts';
import { createLogger } from './log.ts';
import { isWorker, superviseWorkers } from './workers.ts';
import { copyDatabase } from './store/copy.ts';
import { createDb } from './store/db.ts';
import { redactUrl } from './store/postgres.ts';
import { hostsForDomain, upsertSite } from './store/sites.ts';
import type { Kysely } from 'kysely';
import type { Database } from './store/schema.ts';

const usage = `ashiato — privacy-first site analytics and consent collector

Usage:
  ashiato start [--port N] [--host H] [--data DIR] [--policy FILE] [--demo] [--workers N]
  ashiato migrate [--data DIR]
  ashiato copy-to-postgres <postgres://…> [--data DIR]
                                            copy the SQLite database into a new, empty PostgreSQL one
  ashiato site add <domain> [--alias HOST]... [--timezone TZ] [--data DIR]
  ashiato site list [--data DIR]
  ashiato demo [--days N] [--data DIR]      create the demo site with a few weeks of traffic
  ashiato policy check [FILE]               validate a policy file (default: the bundled example)
  ashiato consent verify [--data DIR]       check the consent receipts' hash chain (exit 1 if broken)
  ashiato audit verify [--data DIR]         check the staff audit log's hash chain (exit 1 if broken)
  ashiato retention run [--dry-run] [--data DIR] [--policy FILE]
                                            delete what is past its retention now (the server does it hourly)
  ashiato export anonymized --site SITE --level pageview|session --from DATE --to DATE [--columns a,b]
                            [--out DIR] [--data DIR] [--policy FILE]
                                            build an anonymized dataset (its items go on /privacy/anonymized);
                                            dates are the site's days, --to exclusive
  ashiato user add <email> --role admin|marketer|privacy [--data DIR]   prints a one-time password
  ashiato user reset-password <email> [--data DIR]
  ashiato user list [--data DIR]
  ashiato rollup [--data DIR]               roll up statistics now (the server does it every minute)

Environment: PORT, HOST, ASHIATO_DATA, ASHIATO_POLICY, ASHIATO_GEO_DB, ASHIATO_TRUSTED_PROXIES,
ASHIATO_SECURE_COOKIES, ASHIATO_DEMO, LOG_LEVEL, DATABASE_URL (postgres://…; unset: SQLite under --data),
ASHIATO_PG_POOL, ASHIATO_WORKERS`;

const options = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  policy: { type: 'string' },
  demo: { type: 'boolean' },
  workers: { type: 'string' },
  days: { type: 'string' },
  alias: { type: 'string', multiple: true },
  timezone: { type: 'string' },
  role: { type: 'string' },
  'dry-run': { type: 'boolean' },
  site: { type: 'string' },
  level: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  columns: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Commands that change who may do what, or what is collected, are in the audit log under the OS user. */
const cliAudit = (db: Kysely<Database>) => (action: string, details: Record<string, string | number | boolean | null>) => audit(db, cliActor(), action, details, { now: Date.now() });

async function withDb<T>(flags: ConfigFlags, fn: (store: Awaited<ReturnType<typeof createDb>>) => Promise<T>): Promise<T> {
  const config = resolveConfig(flags);
  const store = await createDb(config.db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 1;
  }
  switch (command) {
    case 'start': {
      const config = resolveConfig(values);
      if (values.demo && !isWorker()) {
        const n = await withDb(values, (s) => seedDemo(s.db, s.dialect, Date.now(), Number(values.days ?? 28)));
        if (n) console.log(`demo: generated ${n} events for site "${DEMO_SITE.id}"`);
      }
      loadPolicy(config.policyPath); // fail fast, with readable errors, before opening a port
      if (config.workers > 1 && !isWorker()) {
        superviseWorkers(config.workers, createLogger(config.logLevel));
        return -1;
      }
      await startServer(config, (_rt, url) => {
        if (values.demo) console.log(`demo site: ${url}/demo/`);
      });
      return -1; // keep running
    }
    case 'copy-to-postgres': {
      if (!sub || !/^postgres(ql)?:\/\//.test(sub)) break;
      const source = await createDb({ kind: 'sqlite', file: resolveConfig(values).dbFile });
      const target = await createDb({ kind: 'postgres', url: sub, poolSize: 2 }).catch(async (err: unknown) => {
        await source.close();
        throw err;
      });
      try {
        const copied = await copyDatabase(source, target, ({ table, rows }) => process.stderr.write(`\r${table}: ${rows} rows`));
        process.stderr.write('\n');
        for (const { table, rows } of copied) console.log(`${table}\t${rows}`);
        console.log(`copied into ${redactUrl(sub)}: point DATABASE_URL at it and start ashiato`);
      } finally {
        await source.close();
        await target.close();
      }
      return 0;
    }
    case 'migrate': {
      await withDb(values, async () => {});
      console.log('database is up to date');
      return 0;
    }
    case 'site': {
      if (sub === 'add' && arg) {
        const hosts = hostsForDomain(arg, values.alias ?? []);
        await withDb(values, async (s) => {
          await upsertSite(s.db, { id: hosts[0]!, hosts, timezone: values.timezone }, Date.now());
          await cliAudit(s.db)('site.upsert', { site: hosts[0]!, hosts: hosts.join(' '), timezone: values.timezone ?? null });
        });
        console.log(`site "${hosts[0]}" accepts events from: ${hosts.join(', ')}`);
        console.log(`tracker tag: <script defer src="https://YOUR-ASHIATO-HOST/ashiato.js" data-site="${hosts[0]}"></script>`);
        return 0;
      }
      if (sub === 'list') {
        const sites = await withDb(values, (s) => s.db.selectFrom('sites').selectAll().orderBy('id').execute());
        for (const site of sites) console.log(`${site.id}\t${site.timezone}\t${JSON.parse(site.domains).join(', ')}`);
        return 0;
      }
      break;
    }
    case 'demo': {
      const n = await withDb(values, (s) => seedDemo(s.db, s.dialect, Date.now(), Number(values.days ?? 28)));
      console.log(n ? `generated ${n} events for site "${DEMO_SITE.id}"` : `site "${DEMO_SITE.id}" already has events; nothing generated`);
      return 0;
    }
    case 'user': {
      if (sub === 'add' && arg) return withDb(values, (s) => userAddCommand(s.db, arg, values.role, console.log, console.error, cliAudit(s.db)));
      if (sub === 'reset-password' && arg) return withDb(values, (s) => userResetCommand(s.db, arg, console.log, console.error, cliAudit(s.db)));
      if (sub === 'list') return withDb(values, (s) => userListCommand(s.db));
      break;
    }
    case 'rollup': {
      const { hours } = await withDb(values, (s) => rollupAll(s.db, s.dialect, Date.now(), 100_000));
      console.log(`rolled up ${hours} hours`);
      return 0;
    }
    case 'consent': {
      if (sub === 'verify') return withDb(values, (s) => consentVerifyCommand(s.db));
      break;
    }
    case 'audit': {
      if (sub === 'verify') return withDb(values, (s) => auditVerifyCommand(s.db));
      break;
    }
    case 'retention': {
      if (sub === 'run') {
        const policy = loadPolicy(resolveConfig(values).policyPath);
        return withDb(values, (s) => retentionRunCommand(s.db, policy, { dryRun: values['dry-run'] ?? false }));
      }
      break;
    }
    case 'export': {
      if (sub === 'anonymized') {
        const policy = loadPolicy(resolveConfig(values).policyPath);
        const { site, level, from, to, columns, out } = values;
        return withDb(values, (s) => exportAnonymizedCommand(s.db, policy, { site, level, from, to, columns, dir: out }));
      }
      break;
    }
    case 'policy': {
      if (sub === 'check') {
        const { policy, revision } = loadPolicy(arg);
        console.log(`valid policy, revision ${revision}: ${policy.items.length} items, ${policy.revisions.length} revisions`);
        return 0;
      }
      break;
    }
  }
  console.error(usage);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof PolicyError ? err.message : `error: ${(err as Error).message}`);
    process.exit(1);
  },
);
