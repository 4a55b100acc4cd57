import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too_large' };

/**
 * Reads a request body, refusing it as soon as it passes `max` bytes. On Node it reads the socket's
 * IncomingMessage directly: building a WHATWG Request and stream for every event costs more than the rest
 * of the ingest pipeline. Elsewhere (app.request in tests, other runtimes) it reads the web stream.
 */
export async function readBody(c: Context, max: number): Promise<BodyResult> {
  const declared = Number(c.req.header('content-length') ?? NaN);
  if (declared > max) return { ok: false, reason: 'too_large' };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming && typeof incoming.on === 'function' ? readNode(incoming, max) : readWeb(c.req.raw, max);
}

/** A body that could not be read, as the 4xx answer will say it. */
export type BodyFailure = { ok: false; status: 400 | 413; error: string; message: string };

/** Reads the body within `maxBytes` (`what` names it in messages: 'an event'), or says which 4xx to answer. */
export async function readBodyWithin(c: Context, maxBytes: number, what: string): Promise<{ ok: true; bytes: Uint8Array } | BodyFailure> {
  try {
    const body = await readBody(c, maxBytes);
    if (!body.ok) return { ok: false, status: 413, error: 'payload_too_large', message: `${what} may be at most ${maxBytes} bytes` };
    return body;
  } catch {
    return { ok: false, status: 400, error: 'incomplete_body', message: 'the request body could not be read' };
  }
}

function readNode(incoming: IncomingMessage, max: number): Promise<BodyResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        cleanup();
        incoming.resume(); // discard the rest so the connection stays usable for the 413
        resolve({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
  });
}

async function readWeb(req: Request, max: number): Promise<BodyResult> {
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return { ok: false, reason: 'too_large' };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
