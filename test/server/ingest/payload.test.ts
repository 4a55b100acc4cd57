import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../server/runtime.ts';
import { createTestApp, pageview, sendEvent } from '../../helpers/app.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestApp();
});
afterAll(() => rt.close());

async function expectError(res: Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  const body = (await res.json()) as { error: string; message: string };
  expect(body.error).toBe(error);
  expect(body.message.length).toBeGreaterThan(5);
  return body;
}

describe('bad input gets a clear 4xx JSON error, never a 500', () => {
  it('malformed JSON', async () => {
    await expectError(await sendEvent(rt.app, '{"s": "example.com",'), 400, 'invalid_json');
  });

  it('non-UTF-8 bytes', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await expectError(await sendEvent(rt.app, bytes), 400, 'invalid_encoding');
  });

  it('wrong types name the field', async () => {
    const body = await expectError(await sendEvent(rt.app, pageview({ w: 'wide' })), 400, 'invalid_event');
    expect(body.message).toMatch(/^w:/);
  });

  it('missing required fields', async () => {
    const { u: _u, ...noUrl } = pageview();
    const body = await expectError(await sendEvent(rt.app, noUrl), 400, 'invalid_event');
    expect(body.message).toMatch(/^u:/);
  });

  it('unknown keys are refused (strict schema)', async () => {
    const body = await expectError(await sendEvent(rt.app, pageview({ email: 'taro@example.jp' })), 400, 'invalid_event');
    expect(body.message).toContain('email');
  });

  it('an event needs a name, a page view has none', async () => {
    await expectError(await sendEvent(rt.app, pageview({ t: 'event' })), 400, 'invalid_event');
    await expectError(await sendEvent(rt.app, pageview({ t: 'pageview', n: 'x' })), 400, 'invalid_event');
  });

  it('consent is 1, 0 or absent', async () => {
    await expectError(await sendEvent(rt.app, pageview({ c: 'granted' })), 400, 'invalid_event');
    await expectError(await sendEvent(rt.app, pageview({ c: 2 })), 400, 'invalid_event');
  });

  it('a cookie id must be one this server issues (no e-mail or user ids)', async () => {
    await expectError(await sendEvent(rt.app, pageview({ v: 'taro@example.jp' })), 400, 'invalid_event');
  });

  it('props are bounded', async () => {
    const p = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, i]));
    await expectError(await sendEvent(rt.app, pageview({ t: 'event', n: 'x', p })), 400, 'invalid_event');
    await expectError(await sendEvent(rt.app, pageview({ t: 'event', n: 'x', p: { k: 'v'.repeat(257) } })), 400, 'invalid_event');
    await expectError(await sendEvent(rt.app, pageview({ t: 'event', n: 'x', p: { k: { nested: 1 } } })), 400, 'invalid_event');
  });

  it('oversized bodies get 413', async () => {
    const res = await sendEvent(rt.app, pageview({ ti: 'x'.repeat(9000) }));
    await expectError(res, 413, 'payload_too_large');
  });

  it('oversized bodies without a content-length get 413 too', async () => {
    const big = new TextEncoder().encode(JSON.stringify(pageview({ ti: 'x'.repeat(9000) })));
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(big);
        controller.close();
      },
    });
    const res = await rt.app.request('/api/event', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-test-peer': '203.0.113.77' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await expectError(res, 413, 'payload_too_large');
  });

  it('other media types get 415', async () => {
    const res = await rt.app.request('/api/event', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('JSON that is not an object', async () => {
    await expectError(await sendEvent(rt.app, '[1,2,3]'), 400, 'invalid_event');
    await expectError(await sendEvent(rt.app, 'null'), 400, 'invalid_event');
  });

  it('unknown routes are JSON 404s', async () => {
    await expectError(await rt.app.request('/api/nope'), 404, 'not_found');
  });

  it('nothing bad was stored along the way', async () => {
    const rows = await rt.store.db.selectFrom('events').selectAll().execute();
    expect(rows).toHaveLength(0);
  });
});

describe('the endpoint', () => {
  it('answers a CORS preflight for clients that send application/json', async () => {
    const res = await rt.app.request('/api/event', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
  });

  it('sends security headers and a health check', async () => {
    const res = await rt.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
  });
});
