import { afterEach, describe, expect, it } from 'vitest';
import { readChain } from '../../../server/consent/chain.ts';
import { verifyReceiptChain } from '../../../server/consent/verify.ts';
import { choice, createConsentApp, DE, JP, JP6, postConsent, receipts, US, type ConsentTestApp } from './helpers.ts';

let t: ConsentTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('concurrent appends', () => {
  it('50 simultaneous POSTs each get their own place in one unbroken chain', async () => {
    t = await createConsentApp();
    const peers = [JP, DE, US, JP6];
    const actions = [
      choice(t),
      choice(t, { a: 'accept_all', acc: ['analytics', 'external_analytics'], rej: [] }),
      choice(t, { a: 'reject_all', acc: [], rej: ['analytics', 'external_analytics'] }),
    ];
    const posts = Array.from({ length: 50 }, (_, i) => postConsent(t!.app, actions[i % 3], { peer: peers[i % 4] }));
    // a verification in the middle of the burst must not see a half-written append
    const [responses, during] = await Promise.all([Promise.all(posts), verifyReceiptChain(t.store.db, 5)]);
    expect(responses.map((r) => r.status)).toEqual(new Array(50).fill(201));
    expect(during).toMatchObject({ ok: true });
    const rows = await receipts(t);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(50);
    expect(new Set(rows.map((r) => r.consent_id)).size).toBe(50);
    expect((await readChain(t.store.db)).head_seq).toBe(50);
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 50 });
  });
});
