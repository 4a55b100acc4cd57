/**
 * The public notice pages, rendered from the policy: `GET /privacy` and `GET /privacy/external-transmission`
 * in Japanese or English (`?lang=ja|en`, else Accept-Language, else ja). Mount with
 * `app.route('/', noticeRoutes({ policy }))`.
 *
 * A page is rendered once per language (the policy is fixed for the life of the process) and served with a
 * strong ETag, a five-minute public cache, and a CSP that allows nothing but the page's inline CSS.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { LoadedPolicy } from '../../policy/load.ts';
import { renderExternalTransmission } from '../../policy/notice/external-transmission.ts';
import type { Lang } from '../../policy/notice/labels.ts';
import { noticePaths } from '../../policy/notice/paths.ts';
import { renderPrivacyNotice } from '../../policy/notice/privacy.ts';
import { negotiateLang } from './language.ts';

export interface NoticeRoutesDeps {
  policy: LoadedPolicy;
}

export const NOTICE_CACHE_CONTROL = 'public, max-age=300';
export const NOTICE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** If-None-Match with the weak comparison RFC 9110 §13.1.2 asks for. */
function isFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  return !!ifNoneMatch && ifNoneMatch.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')));
}

type Renderer = (loaded: LoadedPolicy, lang: Lang) => string;

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
      page = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      cache.set(id, page);
    }
    return page;
  };

  const serve = (key: string, render: Renderer) =>
    function serveNotice(c: Context) {
      const lang = negotiateLang(c.req.query('lang'), c.req.header('accept-language'));
      const { body, etag } = rendered(key, render, lang);
      c.header('Cache-Control', NOTICE_CACHE_CONTROL);
      c.header('Content-Language', lang);
      c.header('Vary', 'Accept-Language');
      c.header('ETag', etag);
      if (isFresh(c.req.header('if-none-match'), etag)) return c.body(null, 304);
      c.header('Content-Type', 'text/html; charset=utf-8');
      c.header('Content-Security-Policy', NOTICE_CSP);
      c.header('X-Content-Type-Options', 'nosniff');
      return c.body(body);
    };

  return new Hono()
    .get(noticePaths.privacy, serve('privacy', renderPrivacyNotice))
    .get(noticePaths.external, serve('external', renderExternalTransmission));
}
