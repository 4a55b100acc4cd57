import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnLabel } from '../../../policy/dataset-columns.ts';
import type { DisclosureView, NoticeView, ReleaseColumnsView, ReleaseView } from '../../../server/anonymize/index.ts';
import { DAY } from '../../helpers/app.ts';
import { privacyApp, type PrivacyTestApp } from '../privacy/helpers.ts';
import { generateEvents } from './generate.ts';

let t: PrivacyTestApp;
let from: number;
beforeAll(async () => {
  t = await privacyApp();
  from = t.clock() - 20 * DAY;
  await generateEvents(t.db, { seed: 11, visitors: 300, start: from, days: 14 });
});
afterAll(() => t.close());

const post = (path: string, json: unknown, as = t.as.privacy) => as(path, { method: 'POST', json });
const error = async (res: Response) => ((await res.json()) as { error: string }).error;
const body = (extra: Record<string, unknown> = {}) => ({ site: 'example.com', level: 'session', from, to: t.clock(), ...extra });
const method = { ja: '暗号化したファイルを専用の転送サービスで受け渡します。', en: 'An encrypted file handed over through a dedicated transfer service.' };
const register = async (lang = 'en') => (await t.app.request(`http://localhost/privacy/anonymized?lang=${lang}`)).text();
const auditActions = async () => (await t.db.selectFrom('audit_log').select(['action', 'target']).where('action', 'like', 'release.%').orderBy('seq').execute()).map((r) => `${r.action} ${r.target}`);

async function create(extra: Record<string, unknown> = {}): Promise<ReleaseView> {
  const res = await post('/api/privacy/releases', body(extra));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as ReleaseView;
}

describe('who may reach anonymized datasets', () => {
  it('marketers reach none of it, anonymous callers are asked to sign in, admins read but cannot create, provide or download', async () => {
    const r = await create();
    const paths = ['/api/privacy/releases', `/api/privacy/releases/${r.id}`, `/api/privacy/releases/${r.id}/files/${r.files[0]!.name}`];
    for (const path of paths) {
      expect((await t.as.marketer(path)).status, path).toBe(403);
      expect((await t.anon(path)).status, path).toBe(401);
    }
    for (const [path, json] of [
      ['/api/privacy/releases', body()],
      [`/api/privacy/releases/${r.id}/notices`, { method }],
      [`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public' }],
    ] as const) {
      expect((await post(path, json, t.as.marketer)).status, path).toBe(403);
      const admin = await post(path, json, t.as.admin);
      expect(admin.status, path).toBe(403);
      expect(await error(admin)).toBe('privacy_role_required');
    }
    expect((await t.as.admin('/api/privacy/releases')).status).toBe(200);
    expect((await t.as.admin(`/api/privacy/releases/${r.id}`)).status).toBe(200);
    expect(await error(await t.as.admin(paths[2]!))).toBe('privacy_role_required');
    expect((await t.db.selectFrom('release_notices').selectAll().execute()).length).toBe(0);
  });
});

describe('creating a dataset', () => {
  it('stores CSV, JSON Lines and a manifest whose hashes match, each stating what the data is, and audits the download', async () => {
    const r = await create({ level: 'pageview' });
    expect(r).toMatchObject({ site: 'example.com', level: 'pageview', kRequired: 10, creator: 'privacy@example.com', publishedAt: t.clock() });
    expect(r.kAchieved).toBeGreaterThanOrEqual(10);
    expect(r.files.map((f) => f.name).sort()).toEqual([`anonymized-${r.id}-pageview.csv`, `anonymized-${r.id}-pageview.jsonl`, `anonymized-${r.id}-pageview.manifest.json`]);

    const download = async (name: string) => {
      const res = await t.as.privacy(`/api/privacy/releases/${r.id}/files/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
      const text = await res.text();
      expect(res.headers.get('x-export-sha256')).toBe(createHash('sha256').update(text).digest('hex'));
      return text;
    };
    const manifestFile = r.files.find((f) => f.name.endsWith('manifest.json'))!;
    const manifest = JSON.parse(await download(manifestFile.name)) as Record<string, any>;
    expect(createHash('sha256').update(JSON.stringify(manifest, null, 2) + '\n').digest('hex')).toBe(r.manifestSha256);
    expect(manifest).toMatchObject({ format: 'ashiato-anonymized-v1', release: r.id, creator: 'privacy@example.com', items: r.items, k: { required: 10, achieved: r.kAchieved } });
    expect(manifest.notice.ja).toMatch(/匿名加工情報/);
    expect(manifest.notice.en).toMatch(/anonymously processed information/);
    expect(manifest.method.key).not.toMatch(/[0-9a-f]{64}/);
    expect(manifest.risk.classes.histogram.length).toBeGreaterThan(0);
    for (const f of manifest.files as { name: string; sha256: string; rows: number }[]) {
      const text = await download(f.name);
      expect(createHash('sha256').update(text).digest('hex')).toBe(f.sha256);
      expect(f.rows).toBe(r.records);
      const first = text.split(/\r?\n/)[0]!;
      expect(first).toContain('匿名加工情報');
      if (f.name.endsWith('.csv')) expect(text.split('\r\n')[1]).toMatch(/^# This data is anonymously processed information/);
    }
    expect((await auditActions()).filter((a) => a.startsWith('release.download'))).toHaveLength(3);
  });

  it('refuses bad requests with a 4xx and the reason, never a 500, and creates nothing', async () => {
    const before = (await t.db.selectFrom('releases').select('id').execute()).length;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ level: 'visitor' }, 400, 'invalid_body'],
      [{ from: 'yesterday' }, 400, 'invalid_body'],
      [{ extra: 1 }, 400, 'invalid_body'],
      [{ from: t.clock(), to: from }, 400, 'invalid_range'],
      [{ from: 0, to: t.clock() }, 400, 'invalid_range'],
      [{ columns: ['key', 'visitor_id'] }, 400, 'column_not_allowed'],
      [{ columns: ['key', 'section'] }, 400, 'column_not_allowed'],
      [{ level: 'pageview', columns: ['title'] }, 400, 'column_not_allowed'],
      [{ site: 'nowhere.example' }, 404, 'unknown_site'],
      [{ from: t.clock() - 400 * DAY, to: t.clock() - 300 * DAY }, 409, 'empty_dataset'],
    ];
    for (const [extra, status, code] of cases) {
      const res = await post('/api/privacy/releases', body(extra));
      expect([res.status, await error(res)], JSON.stringify(extra)).toEqual([status, code]);
    }
    // a period too large to build inside a request is sent to the command line
    const { createRelease } = await import('../../../server/anonymize/releases.ts');
    await expect(createRelease(t.db, t.policy, { ...body(), level: 'session' } as never, { id: null, label: 'test' }, t.clock(), { maxEvents: 10 })).rejects.toMatchObject({ code: 'too_many_events', status: 409 });
    const { MAX_HTTP_BUILD_EVENTS } = await import('../../../server/anonymize/routes.ts');
    expect(MAX_HTTP_BUILD_EVENTS).toBeGreaterThan(100_000);
    expect((await t.as.privacy('/api/privacy/releases/9999')).status).toBe(404);
    expect((await t.as.privacy('/api/privacy/releases/abc')).status).toBe(404);
    expect((await t.as.privacy('/api/privacy/releases/1/files/..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await post('/api/privacy/releases/9999/notices', { method })).status).toBe(404);
    expect((await post('/api/privacy/releases/9999/disclosures', { recipient: 'public' })).status).toBe(404);
    expect((await t.db.selectFrom('releases').select('id').execute()).length).toBe(before);
  });
});

describe('the publication register', () => {
  it('shows a dataset’s items the moment it is created, in both languages, revalidated on every request', async () => {
    const r = await create({ columns: ['key', 'time', 'country', 'device', 'pageviews'] });
    for (const lang of ['ja', 'en'] as const) {
      const page = await register(lang);
      const card = page.slice(page.indexOf(`id="dataset-${r.id}"`));
      for (const item of r.items) expect(card).toContain(columnLabel(item)[lang].replace(/’/g, '’'));
    }
    const res = await t.app.request('http://localhost/privacy/anonymized?lang=en');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const etag = res.headers.get('etag')!;
    expect((await t.app.request('http://localhost/privacy/anonymized?lang=en', { headers: { 'if-none-match': etag } })).status).toBe(304);
    await create({ columns: ['key', 'time'] });
    expect((await t.app.request('http://localhost/privacy/anonymized?lang=en', { headers: { 'if-none-match': etag } })).status).toBe(200);
    expect(await (await t.app.request('http://localhost/privacy?lang=en')).text()).toContain('href="/privacy/anonymized?lang=en"');
  });

  it('refuses (409) a provision until the method of provision is published, and records it after, in that order', async () => {
    const r = await create();
    const refused = await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: { name: 'Kaede Research Inc.' } });
    expect(refused.status).toBe(409);
    expect(await error(refused)).toBe('method_not_published');
    expect(await t.db.selectFrom('release_disclosures').selectAll().where('release_id', '=', r.id).execute()).toEqual([]);

    expect(await error(await post(`/api/privacy/releases/${r.id}/notices`, { method: { ja: method.ja } }))).toBe('invalid_body');
    const noticeRes = await post(`/api/privacy/releases/${r.id}/notices`, { method });
    expect(noticeRes.status).toBe(201);
    const notice = (await noticeRes.json()) as NoticeView;
    expect((await register('en')).includes(method.en)).toBe(true);

    const today = new Date(t.clock()).toISOString().slice(0, 10);
    const yesterday = new Date(t.clock() - DAY).toISOString().slice(0, 10);
    const tomorrow = new Date(t.clock() + DAY).toISOString().slice(0, 10);
    expect(await error(await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public', releasedOn: yesterday }))).toBe('provided_before_notice');
    expect(await error(await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public', releasedOn: tomorrow }))).toBe('invalid_date');
    expect(await error(await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public', releasedOn: '2025-02-30' }))).toBe('invalid_date');
    expect(await error(await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public', noticeId: notice.id + 1000 }))).toBe('method_not_published');
    expect(await error(await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: { name: '' } }))).toBe('invalid_body');

    const third = await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: { name: 'Kaede Research Inc.' } });
    expect(third.status).toBe(201);
    expect((await third.json()) as DisclosureView).toMatchObject({ noticeId: notice.id, recipient: { name: 'Kaede Research Inc.' }, releasedOn: today });
    expect((await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public', noticeId: notice.id })).status).toBe(201);

    const detail = (await (await t.as.privacy(`/api/privacy/releases/${r.id}`)).json()) as ReleaseView;
    expect(detail.notices.map((n) => n.id)).toEqual([notice.id]);
    expect(detail.disclosures.map((d) => d.recipient)).toEqual([{ name: 'Kaede Research Inc.' }, 'public']);

    const page = await register('en');
    const card = page.slice(page.indexOf(`id="dataset-${r.id}"`), page.indexOf('</div>', page.indexOf(`id="dataset-${r.id}"`)));
    expect(card).toContain('A third party');
    expect(card).toContain('The public');
    expect(page).not.toContain('Kaede Research'); // the public sees that a third party received it, not who

    const actions = (await auditActions()).filter((a) => a.endsWith(`release:${r.id}`)).map((a) => a.split(' ')[0]);
    expect(actions).toEqual(['release.create', 'release.items_published', 'release.method_published', 'release.provided', 'release.provided']);
  });
});

describe('the columns a dataset may hold', () => {
  it('come from the policy, per level, with their descriptions; marketers cannot ask', async () => {
    const res = await t.as.privacy('/api/privacy/releases/columns');
    expect(res.status).toBe(200);
    const view = (await res.json()) as ReleaseColumnsView;
    expect(view.k).toBe(10);
    expect(view.levels.session.map((c) => c.name)).toEqual(['key', 'time', 'country', 'device', 'browser', 'os', 'entry_section', 'source', 'pageviews', 'events', 'duration_min']);
    expect(view.levels.pageview.find((c) => c.name === 'prop:plan')).toEqual({ name: 'prop:plan', label: columnLabel('prop:plan'), quasiIdentifier: false });
    expect(view.levels.session.filter((c) => c.quasiIdentifier).map((c) => c.name)).toEqual(['time', 'country', 'device', 'browser', 'os', 'entry_section', 'source']);
    // the form's days are the chosen site's: its zone comes with the columns
    expect(view.sites).toContainEqual({ id: 'example.com', timeZone: 'Asia/Tokyo' });
    expect((await t.as.admin('/api/privacy/releases/columns')).status).toBe(200);
    expect((await t.as.marketer('/api/privacy/releases/columns')).status).toBe(403);
  });
});

describe('bodies that are not JSON', () => {
  it('get a 400 with a reason, not a 500', async () => {
    for (const path of ['/api/privacy/releases', '/api/privacy/releases/1/notices', '/api/privacy/releases/1/disclosures']) {
      for (const body of ['not json', '', '{"site":']) {
        const res = await t.as.privacy(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        expect([res.status, await error(res)], `${path} ${body}`).toEqual([400, 'invalid_json']);
      }
    }
    const big = await t.as.privacy('/api/privacy/releases', { method: 'POST', body: JSON.stringify({ site: 'x'.repeat(20_000) }), headers: { 'content-type': 'application/json' } });
    expect([big.status, await error(big)]).toEqual([413, 'payload_too_large']);
  });
});

describe('days of provision', () => {
  it('are the site’s calendar days: at 08:30 in Tokyo, today is already the Tokyo date', async () => {
    t.clock.set(Date.UTC(2026, 10, 22, 23, 30)); // 08:30 on 23 November in Tokyo, the site's zone
    await t.signIn();
    const r = await create({ from: t.clock() - 20 * DAY, to: t.clock() });
    expect((await post(`/api/privacy/releases/${r.id}/notices`, { method })).status).toBe(201);
    const dated = await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public', releasedOn: '2026-11-23' });
    expect(dated.status, await dated.clone().text()).toBe(201);
    expect(((await (await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public' })).json()) as DisclosureView).releasedOn).toBe('2026-11-23');
    expect(await error(await post(`/api/privacy/releases/${r.id}/disclosures`, { recipient: 'public', releasedOn: '2026-11-24' }))).toBe('invalid_date');
  });
});
