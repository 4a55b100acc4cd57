import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { fromOwnOrigin, type SameOriginOptions } from '../../../server/http/same-origin.ts';

async function ask(options: SameOriginOptions, headers: Record<string, string>): Promise<{ own: boolean }> {
  const app = new Hono().post('/x', (c) => c.json({ own: fromOwnOrigin(c, options) }));
  const res = await app.request('http://stats.example.com/x', { method: 'POST', headers });
  return res.json();
}

describe('fromOwnOrigin', () => {
  it('takes the Origin when there is one; its https form only behind a TLS proxy', async () => {
    expect((await ask({ secure: false }, { origin: 'http://stats.example.com' })).own).toBe(true);
    expect((await ask({ secure: false }, { origin: 'https://stats.example.com' })).own).toBe(false);
    expect((await ask({ secure: true }, { origin: 'https://stats.example.com' })).own).toBe(true);
    expect((await ask({ secure: true }, { origin: 'https://example.com', 'sec-fetch-site': 'same-origin' })).own).toBe(false);
  });

  it('without an Origin believes Sec-Fetch-Site, and lets a client that sends neither through', async () => {
    expect((await ask({ secure: false }, { 'sec-fetch-site': 'same-origin' })).own).toBe(true);
    expect((await ask({ secure: false }, { 'sec-fetch-site': 'cross-site' })).own).toBe(false);
    expect((await ask({ secure: false }, {})).own).toBe(true);
  });

  it('accepts a request the visitor started themselves (Sec-Fetch-Site: none) only when asked to', async () => {
    expect((await ask({ secure: false }, { 'sec-fetch-site': 'none' })).own).toBe(false);
    expect((await ask({ secure: false, userInitiated: true }, { 'sec-fetch-site': 'none' })).own).toBe(true);
  });
});
