import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { chainHash, contentHash, GENESIS_HASH, readChain } from '../../../server/consent/chain.ts';
import { consentVerifyCommand } from '../../../server/consent/cli.ts';
import { redactReceipts } from '../../../server/consent/retention.ts';
import { verifyReceiptChain } from '../../../server/consent/verify.ts';
import { appendMany, choice, createConsentApp, postConsent, receipts, type ConsentTestApp } from './helpers.ts';

let t: ConsentTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function chainOf(n: number) {
  t = await createConsentApp();
  await appendMany(t, n);
  return t;
}

const row = (seq: number) => t!.store.db.selectFrom('consent_receipts').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
const update = (seq: number, values: Record<string, unknown>) => t!.store.db.updateTable('consent_receipts').set(values).where('seq', '=', seq).execute();
const remove = (seq: number) => t!.store.db.deleteFrom('consent_receipts').where('seq', '=', seq).execute();

/** What someone who knows the hash format would do: change a field and recompute the row's own hashes. */
async function rewrite(seq: number, values: Record<string, unknown>) {
  const r = { ...(await row(seq)), ...values };
  const content_hash = contentHash(r);
  await update(seq, { ...values, content_hash, hash: chainHash(r.prev_hash, r.ts, r.site_id, content_hash) });
}

async function swap(a: number, b: number) {
  await update(a, { seq: -1 });
  await update(b, { seq: a });
  await update(-1, { seq: b });
}

describe('the receipt hash chain', () => {
  it('links each receipt to the previous one from a fixed genesis value, and an intact chain verifies', async () => {
    await chainOf(5);
    expect(GENESIS_HASH).toBe(createHash('sha256').update('ashiato consent receipts v1').digest('hex'));
    const chain = await readChain(t!.store.db);
    expect(chain).toMatchObject({ anchor_seq: 0, anchor_hash: GENESIS_HASH, head_seq: 5 });
    const rows = await receipts(t!);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    rows.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]!.hash));
    expect(chain.head_hash).toBe(rows[4]!.hash);
    expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: true, count: 5, redacted: 0, anchorSeq: 0, head: rows[4]!.hash });
  });

  it('an empty chain verifies', async () => {
    t = await createConsentApp();
    expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('walks in pages', async () => {
    await chainOf(7);
    expect(await verifyReceiptChain(t!.store.db, 2)).toMatchObject({ ok: true, count: 7 });
    await remove(5);
    expect(await verifyReceiptChain(t!.store.db, 2)).toEqual({ ok: false, firstBadSeq: 5, reason: 'missing' });
  });

  describe('reports the first bad row', () => {
    it('an edited field', async () => {
      await chainOf(5);
      await update(3, { accepted: '["necessary","analytics","external_analytics"]', rejected: '[]' });
      await update(4, { ip_trunc: '198.51.100.0' });
      expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: false, firstBadSeq: 3, reason: 'altered' });
    });

    it('an edited time, site or hash', async () => {
      for (const change of [{ ts: 1 }, { site_id: 'other.example' }, { hash: 'f'.repeat(64) }, { prev_hash: GENESIS_HASH }]) {
        await chainOf(3);
        await update(2, change);
        expect(await verifyReceiptChain(t!.store.db), JSON.stringify(change)).toEqual({ ok: false, firstBadSeq: 2, reason: 'altered' });
        await t!.close();
      }
      t = undefined;
    });

    it('an edited row whose own hashes were recomputed', async () => {
      await chainOf(5);
      await rewrite(3, { action: 'accept_all' });
      expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: false, firstBadSeq: 3, reason: 'altered' });
    });

    it('the last row, edited and re-hashed (only the head knows)', async () => {
      await chainOf(5);
      await rewrite(5, { action: 'accept_all' });
      expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: false, firstBadSeq: 5, reason: 'altered' });
    });

    it('a deleted row: in the middle, the first, the last', async () => {
      for (const [seq, expected] of [[3, 3], [1, 1], [5, 5]] as const) {
        await chainOf(5);
        await remove(seq);
        expect(await verifyReceiptChain(t!.store.db), `deleting ${seq}`).toEqual({ ok: false, firstBadSeq: expected, reason: 'missing' });
        await t!.close();
      }
      t = undefined;
    });

    it('two rows swapped, or a row moved to the end', async () => {
      await chainOf(5);
      await swap(2, 3);
      expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: false, firstBadSeq: 2, reason: 'reordered' });
      await t!.close();

      await chainOf(5);
      await update(2, { seq: 6 });
      await t!.store.db.updateTable('consent_chain').set({ head_seq: 6 }).execute();
      expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: false, firstBadSeq: 2, reason: 'reordered' });
    });

    it('a renumbered row (the links hold but the position moved)', async () => {
      await chainOf(3);
      await update(3, { seq: 4 });
      await t!.store.db.updateTable('consent_chain').set({ head_seq: 4 }).execute();
      expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: false, firstBadSeq: 3, reason: 'reordered' });
    });

    it('a row added past the head', async () => {
      await chainOf(3);
      const copy = { ...(await row(3)), seq: 4 };
      await t!.store.db.insertInto('consent_receipts').values(copy).execute();
      expect(await verifyReceiptChain(t!.store.db)).toEqual({ ok: false, firstBadSeq: 4, reason: 'altered' });
    });
  });

  describe('redaction on a visitor request', () => {
    it('blanks the content, keeps the chain verifiable, and a redacted row cannot be given new content', async () => {
      t = await createConsentApp();
      const { consentId } = await (await postConsent(t.app, choice(t))).json();
      await appendMany(t, 2);
      await postConsent(t.app, choice(t, { a: 'withdraw', acc: [], rej: [], id: consentId }));
      expect(await redactReceipts(t.store.db, consentId, t.clock())).toEqual({ redacted: 2 });
      const rows = await receipts(t);
      expect(rows.filter((r) => r.redacted_at !== null).map((r) => r.seq)).toEqual([1, 4]);
      expect(rows[0]).toMatchObject({ seq: 1, site_id: 'example.com', consent_id: null, ip_trunc: null, accepted: null, path: null, browser: null });
      expect(JSON.stringify(rows)).not.toContain(consentId);
      expect(await verifyReceiptChain(t.store.db)).toMatchObject({ ok: true, count: 4, redacted: 2 });

      await update(4, { action: 'accept_all' });
      expect(await verifyReceiptChain(t.store.db)).toEqual({ ok: false, firstBadSeq: 4, reason: 'altered' });
    });
  });
});

describe('ashiato consent verify', () => {
  it('prints OK with the count and exits 0; prints the first bad row and exits 1', async () => {
    await chainOf(3);
    const out: string[] = [];
    const err: string[] = [];
    expect(await consentVerifyCommand(t!.store.db, (l) => out.push(l), (l) => err.push(l))).toBe(0);
    expect(out[0]).toBe('consent receipts: OK, 3 verified (from anchor seq 0)');
    expect(out[1]).toMatch(/^chain head: [0-9a-f]{64}$/);
    expect(err).toEqual([]);

    await remove(2);
    out.length = 0;
    expect(await consentVerifyCommand(t!.store.db, (l) => out.push(l), (l) => err.push(l))).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual(['consent receipts: FAILED at seq 2: the receipt was deleted']);
  });
});

describe('GET /api/consent/verify (staff)', () => {
  it('is behind the guard, and reports the chain', async () => {
    await chainOf(2);
    expect((await t!.app.request('/api/consent/verify')).status).toBe(403);
    const ok = await t!.app.request('/api/consent/verify', { headers: { 'x-test-role': 'privacy' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.json()).toMatchObject({ ok: true, count: 2 });
    await update(1, { path: '/elsewhere' });
    const broken = await t!.app.request('/api/consent/verify', { headers: { 'x-test-role': 'privacy' } });
    expect(await broken.json()).toEqual({ ok: false, firstBadSeq: 1, reason: 'altered' });
    expect(t!.logs.some((l) => l.includes('consent receipt chain broken'))).toBe(true);
  });
});
