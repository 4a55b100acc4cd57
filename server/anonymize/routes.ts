import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import { datasetColumns, datasetLevels, isQuasiIdentifier, type DatasetLevel } from '../../policy/dataset-columns.ts';
import type { LoadedPolicy } from '../../policy/load.ts';
import { datasetK, type Localized } from '../../policy/schema.ts';
import { requireScope } from '../auth/index.ts';
import type { AppEnv } from '../env.ts';
import type { ApiError } from '../http/wire.ts';
import { actorOf } from '../privacy/audit.ts';
import { jsonBody } from '../http/validate.ts';
import { attachment, idParam, refusal } from '../privacy/http.ts';
import type { Database } from '../store/schema.ts';
import { disclosureBody, noticeBody, publishNotice, recordDisclosure, type DisclosureView, type NoticeView } from './publication.ts';
import { createRelease, createReleaseBody, getRelease, listReleases, readReleaseFile, type ReleaseView } from './releases.ts';

/** What a dataset of each level may hold under the running policy, for the dashboard's form. */
export interface ReleaseColumnsView {
  k: number;
  levels: Record<DatasetLevel, { name: string; label: Localized; quasiIdentifier: boolean }[]>;
  /** the sites a dataset can be built from, with the zone their days are counted in (the form's days are theirs) */
  sites: { id: string; timeZone: string }[];
}

export interface AnonymizeDeps {
  db: Kysely<Database>;
  policy: LoadedPolicy;
  clock: () => number;
  /** see MAX_HTTP_BUILD_EVENTS */
  maxBuildEvents?: number;
}

const read = requireScope('privacy:read');
const write = requireScope('privacy:write');
const scoped: MiddlewareHandler<AppEnv> = (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? read(c, next) : write(c, next));

/**
 * Creating, providing and downloading datasets is for the privacy role alone (ARCHITECTURE: "only privacy
 * staff can create or release"): admins, who hold the privacy scopes to run the office's other pages, may
 * read the register but not take the data or hand it out. Runs after the scope check.
 */
const privacyRoleOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('user')?.role !== 'privacy') {
    return c.json<ApiError, 403>({ error: 'privacy_role_required', message: 'only privacy staff may create, provide or download anonymized datasets' }, 403);
  }
  return next();
};

/**
 * A build runs in this process and holds the period's records in memory: through HTTP only periods up to
 * this many events, so a large build cannot stall ingest on the same event loop; the CLI has no limit.
 */
export const MAX_HTTP_BUILD_EVENTS = 250_000;

const smallBody = bodyLimit({
  maxSize: 16 * 1024,
  onError: (c) => c.json<ApiError, 413>({ error: 'payload_too_large', message: 'at most 16 KB' }, 413),
});

/**
 * The privacy office's API for anonymously processed information: datasets, their files, the notices of
 * how they are provided and the provisions made. Mount with `app.route('/', anonymizeRoutes(deps))`; the
 * public register is /privacy/anonymized (server/notice/routes.ts).
 */
export function anonymizeRoutes(deps: AnonymizeDeps) {
  const { db, policy } = deps;
  const actor = (c: Context<AppEnv>) => actorOf(c.get('user')!);
  return new Hono<AppEnv>()
    .use('/api/privacy/releases', scoped)
    .use('/api/privacy/releases/*', scoped)
    .use('/api/privacy/releases', (c, next) => (c.req.method === 'POST' ? privacyRoleOnly(c, next) : next()))
    .use('/api/privacy/releases/*', (c, next) => (c.req.method !== 'GET' || c.req.path.includes('/files/') ? privacyRoleOnly(c, next) : next()))
    .use('/api/privacy/releases/*', (c, next) => {
      c.header('Cache-Control', 'no-store');
      return next();
    })
    .get('/api/privacy/releases', async function listAnonymizedReleases(c) {
      c.header('Cache-Control', 'no-store');
      return c.json<{ releases: ReleaseView[] }, 200>({ releases: await listReleases(db) }, 200);
    })
    .post('/api/privacy/releases', smallBody, jsonBody(createReleaseBody), async function createAnonymizedRelease(c) {
      try {
        const { release } = await createRelease(db, policy, c.req.valid('json'), actor(c), deps.clock(), { maxEvents: deps.maxBuildEvents ?? MAX_HTTP_BUILD_EVENTS });
        return c.json<ReleaseView, 201>(release, 201);
      } catch (err) {
        return refusal(c, err);
      }
    })
    .get('/api/privacy/releases/columns', async function listReleaseColumns(c) {
      const levels = Object.fromEntries(
        datasetLevels.map((level) => [level, datasetColumns(policy.policy, level).map(({ name, label }) => ({ name, label, quasiIdentifier: isQuasiIdentifier(name) }))]),
      ) as ReleaseColumnsView['levels'];
      const sites = (await db.selectFrom('sites').select(['id', 'timezone']).orderBy('id').execute()).map((s) => ({ id: s.id, timeZone: s.timezone }));
      return c.json<ReleaseColumnsView, 200>({ k: datasetK(policy.policy), levels, sites }, 200);
    })
    .get('/api/privacy/releases/:id', async function getAnonymizedRelease(c) {
      try {
        const found = await getRelease(db, idParam(c));
        if (!found) return c.json<ApiError, 404>({ error: 'not_found', message: `no release ${c.req.param('id')}` }, 404);
        return c.json<ReleaseView, 200>(found, 200);
      } catch (err) {
        return refusal(c, err);
      }
    })
    .get('/api/privacy/releases/:id/files/:name', async function downloadAnonymizedFile(c) {
      try {
        const file = await readReleaseFile(db, idParam(c), c.req.param('name'), actor(c), deps.clock());
        c.header('Content-Type', file.mediaType);
        c.header('X-Content-Type-Options', 'nosniff');
        c.header('Content-Security-Policy', "default-src 'none'; sandbox");
        c.header('X-Export-Sha256', file.sha256);
        attachment(c, file.name);
        return c.body(file.content, 200);
      } catch (err) {
        return refusal(c, err);
      }
    })
    .post('/api/privacy/releases/:id/notices', smallBody, jsonBody(noticeBody), async function publishReleaseNotice(c) {
      try {
        return c.json<NoticeView, 201>(await publishNotice(db, idParam(c), c.req.valid('json'), actor(c), deps.clock()), 201);
      } catch (err) {
        return refusal(c, err);
      }
    })
    .post('/api/privacy/releases/:id/disclosures', smallBody, jsonBody(disclosureBody), async function recordReleaseDisclosure(c) {
      try {
        return c.json<DisclosureView, 201>(await recordDisclosure(db, idParam(c), c.req.valid('json'), actor(c), deps.clock()), 201);
      } catch (err) {
        return refusal(c, err);
      }
    });
}
