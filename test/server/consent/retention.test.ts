import { afterEach, describe, expect, it } from 'vitest';
import { readChain } from '../../../server/consent/chain.ts';
import { purgeExpiredReceipts } from '../../../server/consent/retention.ts';
import { verifyReceiptChain } from '../../../server/consent/verify.ts';
import { DAY, policyWith } from '../../helpers/app.ts';
import { appendMany, createConsentApp, receipts, type ConsentTestApp } from './helpers.ts';

let t: ConsentTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const thirtyDays = policyWith((p) => (p.retention.consent_receipts_days = 30));
const purge = () => purgeExpiredReceipts(t!.store.db, t!.policy, t!.clock());
const seqs = async () => (await receipts(t!)).map((r) => r.seq);

describe('purgeExpiredReceipts (fake clock)', () => {
  it('keeps receipts inside their retention', async () => {
    t = await createConsentApp({ policy: thirtyDays });
    await appendMany(t, 3);
    t.clock.advance(29 * DAY);
    expect(await purge()).toEqual({ purged: 0 });
    expect(await seqs()).toEqual([1, 2, 3]);
  });

  it('deletes older receipts and anchors the chain at the last one deleted, so it still verifies', async () => {
    t = await createConsentApp({ policy: thirtyDays });
    const start = t.clock();
    await appendMany(t, 3);
    t.clock.advance(20 * DAY);
    await appendMany(t, 2);
    const third = (await receipts(t))[2]!;
    t.clock.set(start + 31 * DAY);
    expect(await purge()).toEqual({ purged: 3 });
    expect(await seqs()).toEqual([4, 5]);
    expect(await readChain(t.store.db)).toMatchObject({ anchor_seq: 3, anchor_hash: third.hash, anchor_ts: third.ts, head_seq: 5 });
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 2, anchorSeq: 3 });
    expect(await purge()).toEqual({ purged: 0 });

    await appendMany(t, 2);
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 4, anchorSeq: 3 });
  });

  it('can empty the table; new receipts chain on from the anchor', async () => {
    t = await createConsentApp({ policy: thirtyDays });
    await appendMany(t, 4);
    t.clock.advance(31 * DAY);
    expect(await purge()).toEqual({ purged: 4 });
    expect(await seqs()).toEqual([]);
    const chain = await readChain(t.store.db);
    expect(chain.anchor_hash).toBe(chain.head_hash);
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 0, anchorSeq: 4 });
    await appendMany(t, 1);
    expect((await receipts(t))[0]).toMatchObject({ seq: 5, prev_hash: chain.anchor_hash });
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 1 });
  });

  it('deletes from the front of the chain only, even when the clock stepped back', async () => {
    t = await createConsentApp({ policy: thirtyDays });
    const start = t.clock();
    await appendMany(t, 1); // day 0
    t.clock.set(start + 10 * DAY);
    await appendMany(t, 1); // day 10
    t.clock.set(start);
    await appendMany(t, 1); // day 0 again
    t.clock.set(start + 35 * DAY);
    expect(await purge()).toEqual({ purged: 1 });
    expect(await seqs()).toEqual([2, 3]);
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 2 });
    t.clock.set(start + 41 * DAY);
    expect(await purge()).toEqual({ purged: 2 });
  });

  it('the verifier still catches tampering with what is kept', async () => {
    t = await createConsentApp({ policy: thirtyDays });
    const start = t.clock();
    await appendMany(t, 3);
    t.clock.set(start + 20 * DAY);
    await appendMany(t, 3);
    t.clock.set(start + 31 * DAY);
    await purge();
    await t.store.db.deleteFrom('consent_receipts').where('seq', '=', 4).execute();
    expect(await verifyReceiptChain(t.store.db)).toEqual({ ok: false, firstBadSeq: 4, reason: 'missing' });
  });

  it('refuses to re-anchor past a receipt that was deleted by hand, and changes nothing', async () => {
    t = await createConsentApp({ policy: thirtyDays });
    const start = t.clock();
    await appendMany(t, 3);
    t.clock.set(start + 20 * DAY);
    await appendMany(t, 1);
    await t.store.db.deleteFrom('consent_receipts').where('seq', '=', 3).execute();
    t.clock.set(start + 31 * DAY);
    await expect(purge()).rejects.toThrow(/receipt 3 is missing/);
    expect(await seqs()).toEqual([1, 2, 4]);
    expect(await readChain(t.store.db)).toMatchObject({ anchor_seq: 0 });
  });

  it('a verification running beside a purge is not fooled by the rows disappearing', async () => {
    t = await createConsentApp({ policy: thirtyDays });
    await appendMany(t, 12);
    t.clock.advance(31 * DAY);
    await appendMany(t, 3);
    const [report, purged] = await Promise.all([verifyReceiptChain(t.store.db, 1), purge()]);
    expect(purged).toEqual({ purged: 12 });
    expect(report).toMatchObject({ ok: true });
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 3, anchorSeq: 12 });
  });
});
