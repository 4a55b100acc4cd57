import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../policy/load.ts';
import { eventColumnItems } from '../../../server/store/column-items.ts';
import type { Store } from '../../../server/store/db.ts';
import { columnNames, createTestDb } from '../../helpers/test-db.ts';

let store: Store;
beforeAll(async () => {
  store = await createTestDb();
});
afterAll(() => store.close());

describe('every stored column is covered by the policy', () => {
  it('each events column maps to a policy item with a purpose and a retention', async () => {
    const rows = (await columnNames(store.db, 'events')).map((name) => ({ name }));
    const { policy } = loadPolicy();
    expect(rows.length).toBeGreaterThan(10);
    for (const { name } of rows) {
      const itemId = eventColumnItems[name as keyof typeof eventColumnItems];
      expect(itemId, `column events.${name} has no policy item in server/store/column-items.ts`).toBeDefined();
      const item = policy.items.find((i) => i.id === itemId);
      expect(item, `policy lists no item "${itemId}" for events.${name}`).toBeDefined();
      expect(item!.purposes.length).toBeGreaterThan(0);
      expect(item!.retentionDays).toBeGreaterThan(0);
    }
  });

  it('the map names no column the table lacks', async () => {
    const rows = (await columnNames(store.db, 'events')).map((name) => ({ name }));
    const names = new Set(rows.map((r) => r.name));
    for (const column of Object.keys(eventColumnItems)) expect(names.has(column), column).toBe(true);
  });

  it('no column could hold a raw address or user agent', async () => {
    const rows = (await columnNames(store.db, 'events')).map((name) => ({ name }));
    const names = rows.map((r) => r.name);
    for (const forbidden of ['ip', 'ip_address', 'user_agent', 'ua', 'email', 'user_id']) expect(names).not.toContain(forbidden);
  });
});
