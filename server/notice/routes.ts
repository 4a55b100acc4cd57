/**
 * The public notice pages, rendered from the policy: `GET /privacy` and `GET /privacy/external-transmission`
 * in Japanese or English (`?lang=ja|en`, else Accept-Language, else ja). Mount with
 * `app.route('/', noticeRoutes({ policy }))`.
 *
 * A page is rendered once per language (the policy is fixed for the life of the process) and served with a
 * strong ETag, a five-minute public cache, and a CSP that allows nothing but the page's inline CSS.
 * `/privacy/anonymized` lists datasets from the database, so it is rendered on each request and revalidated
 * every time (`no-cache` with its ETag): a dataset's items are public the moment it exists.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { LoadedPolicy } from '../../policy/load.ts';
import { renderAnonymizedRegister, type PublishedDataset } from '../../policy/notice/anonymized.ts';
import { renderExternalTransmission } from '../../policy/notice/external-transmission.ts';
import type { Lang } from '../../policy/notice/labels.ts';
import { noticePaths } from '../../policy/notice/paths.ts';
import { renderPrivacyNotice } from '../../policy/notice/privacy.ts';
import { negotiateLang } from './language.ts';

export interface NoticeRoutesDeps {
  policy: LoadedPolicy;
  /** the datasets on the anonymized-information register (server/anonymize/register.ts); none when absent */
  publishedDatasets?: () => Promise<PublishedDataset[]>;
}

export const NOTICE_CACHE_CONTROL = 'public, max-age=300';
export const REGISTER_CACHE_CONTROL = 'no-cache';
export const NOTICE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** If-None-Match with the weak comparison RFC 9110 §13.1.2 asks for. */
function isFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  return !!ifNoneMatch && ifNoneMatch.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')));
}

type Renderer = (loaded: LoadedPolicy, lang: Lang) => string;

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;

interface Rendered {
  body: string;
  etag: string;
}

export function noticeRoutes(deps: NoticeRoutesDeps) {
  const cache = new Map<string, Rendered>();
  const rendered = (key: string, render: Renderer, lang: Lang): Rendered => {
    const id = `${key}:${lang}`;
    let page = cache.get(id);
    if (!page) {
      const body = render(deps.policy, lang);
      page = { body, etag: etagOf(body) };
      cache.set(id, page);
    }
    return page;
  };

  const send = (c: Context, lang: Lang, { body, etag }: Rendered, cacheControl: string) => {
    c.header('Cache-Control', cacheControl);
    c.header('Content-Language', lang);
    c.header('Vary', 'Accept-Language');
    c.header('ETag', etag);
    if (isFresh(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    c.header('Content-Type', 'text/html; charset=utf-8');
    c.header('Content-Security-Policy', NOTICE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(body);
  };
  const langOf = (c: Context) => negotiateLang(c.req.query('lang'), c.req.header('accept-language'));

  const serve = (key: string, render: Renderer) =>
    function serveNotice(c: Context) {
      const lang = langOf(c);
      return send(c, lang, rendered(key, render, lang), NOTICE_CACHE_CONTROL);
    };

  const serveRegister = async function serveAnonymizedRegister(c: Context) {
    const lang = langOf(c);
    const body = renderAnonymizedRegister(deps.policy, lang, (await deps.publishedDatasets?.()) ?? []);
    return send(c, lang, { body, etag: etagOf(body) }, REGISTER_CACHE_CONTROL);
  };

  return new Hono()
    .get(noticePaths.privacy, serve('privacy', renderPrivacyNotice))
    .get(noticePaths.external, serve('external', renderExternalTransmission))
    .get(noticePaths.anonymized, serveRegister);
}
