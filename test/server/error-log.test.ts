import { describe, expect, it } from 'vitest';
import { addUser, createSharedLink } from '../../server/auth/index.ts';
import { createLogger } from '../../server/log.ts';
import { createTestApp } from '../helpers/app.ts';

describe('unexpected errors', () => {
  it('are answered with a JSON 500 and logged by route pattern, never by a path that may carry a secret', async () => {
    const lines: string[] = [];
    const rt = await createTestApp({ log: createLogger('debug', (l) => lines.push(l)) });
    const { user } = await addUser(rt.store.db, { email: 'm@example.com', role: 'marketer', password: 'correct horse battery staple' });
    const { token: secret } = await createSharedLink(rt.store.db, { siteId: 'example.com', createdBy: user.id }, rt.clock());
    // make the shared-link lookup fail inside the handler
    await rt.store.db.schema.dropTable('shared_links').execute();
    const res = await rt.app.request(`/api/shared/${secret}/summary`, { headers: { 'x-test-peer': '203.0.113.77' } });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'internal' });
    const log = lines.join('\n');
    expect(log).toContain('unhandled error');
    expect(log).toContain('/api/shared/:token/summary');
    expect(log).not.toContain(secret);
    await rt.close();
  });
});
