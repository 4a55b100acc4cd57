import type { Context } from 'hono';
import { readBodyWithin } from './read-body.ts';

/**
 * What the browser endpoints (/api/event, /api/consent) share: pages on other origins post to them without
 * credentials, so anyone may read the answers; which origins may write is decided per site after parsing.
 */
export function beaconPreflight(c: Context) {
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Access-Control-Allow-Methods', 'POST');
  c.header('Access-Control-Allow-Headers', 'Content-Type');
  c.header('Access-Control-Max-Age', '86400');
  return c.body(null, 204);
}

/** Sets the answer headers and reads the body, or returns the 4xx to send. */
export async function readBeacon(c: Context, maxBytes: number, what: string): Promise<Uint8Array | Response> {
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  const body = await readBodyWithin(c, maxBytes, what);
  return body.ok ? body.bytes : c.json({ error: body.error, message: body.message }, body.status);
}
