import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../server/runtime.ts';
import { createTestApp } from '../helpers/app.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestApp();
});
afterAll(() => rt.close());

describe('security headers', () => {
  it('a route’s own header is the one sent: the dashboard and shared links keep their tokens in this origin', async () => {
    for (const path of ['/app', '/app/privacy', '/share/some-token']) {
      const res = await rt.app.request(path);
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('content-security-policy'), path).toMatch(/^default-src 'self'/);
    }
  });

  it('pages that set nothing get the defaults, and every page gets the rest of the set', async () => {
    const res = await rt.app.request('/privacy');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    for (const path of ['/privacy', '/app', '/api/stats/example.com/summary']) {
      const headers = (await rt.app.request(path)).headers;
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(headers.get('strict-transport-security'), path).toMatch(/max-age=/);
    }
  });
});
