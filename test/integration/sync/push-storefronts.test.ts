import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BigcommerceClient } from '../../../src/main/connectors/bigcommerce/client';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { WoocommerceClient } from '../../../src/main/connectors/woocommerce/client';
import { setCapabilities, setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import { previewPush, startPush } from '../../../src/main/sync/push';
import { BigcommerceTarget } from '../../../src/main/sync/targets/bigcommerce-target';
import { storefrontTargetFor } from '../../../src/main/sync/targets/storefront-connections';
import { WOO_KEY_META, WoocommerceTarget } from '../../../src/main/sync/targets/woocommerce-target';
import { defaultTenders } from '../../../src/shared/model';
import { startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { startWooEmulator } from '../../emulators/woocommerce/server';
import { meetReadiness } from '../../fixtures/sync/readiness';
import { OPTIONS } from '../../fixtures/sync/refunds';
import { bigcommercePushSet, keyIn, woocommercePushSet } from '../../fixtures/sync/storefront-push';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';

/**
 * NetSuite → BigCommerce / WooCommerce over real HTTP on loopback, in process: a realistic set
 * (full, partial, shipping-only, goodwill, two refunds on one order) with faults on the creates —
 * 503 (retried by the HTTP policy), 500 and a dropped connection (nothing created: read back, then
 * resent), a create whose answer is lost after the store made the refund (the client times out:
 * read back, found, not resent) — plus a rate-limited read-back and a refund already on the store
 * (recorded as already synced, never sent). At the end each NetSuite refund is on the store once.
 */

type Obj = Record<string, unknown>;
const cents = (n: unknown) => Math.round(Number(n) * 100);

beforeAll(() => {
  process.env.REFUND_RECON_ALLOW_LOOPBACK_APIS = '1';
  setLoopbackApisAllowed(undefined);
});
afterAll(() => setLoopbackApisAllowed(undefined));

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function perKey(texts: unknown[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of texts) {
    const k = keyIn(t);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('push NetSuite → BigCommerce (emulator, loopback HTTP)', () => {
  it('quotes, refunds with the quote amount, reads back around every fault: each refund once', async () => {
    const set = bigcommercePushSet(40);
    // A tax-rounding difference: NetSuite's line tax is a cent under BigCommerce's → quote ≠ total.
    const odd = set.records.find((r) => set.kinds[r.id] === 'partial')!;
    const oddLine = odd.lines[0]!;
    set.records[set.records.indexOf(odd)] = {
      ...odd,
      total: odd.total - 1,
      tenders: defaultTenders({ recordType: odd.recordType, total: odd.total - 1 }),
      tax: odd.tax - 1,
      lines: [{ ...oddLine, tax: oddLine.tax - 1 }],
    };
    // Already on the store: a goodwill refund someone made with the sync's key (an earlier push).
    const present = set.records.find((r) => set.kinds[r.id] === 'goodwill')!;
    const presentKey = `netsuite-${present.recordType}-${present.id}`;
    set.data.refunds.push({
      id: 1,
      order_id: Number(present.orderRef),
      user_id: 0,
      created: '2026-02-01T10:00:00+00:00',
      reason: `NetSuite ${present.documentNumber} [${presentKey}]`,
      total_amount: present.total / 100,
      total_tax: 0,
      uses_merchant_override_values: false,
      items: [
        {
          item_type: 'ORDER',
          item_id: Number(present.orderRef),
          quantity: null,
          requested_amount: present.total / 100,
        },
      ],
      payments: [{ id: 1, provider_id: 'custom', amount: present.total / 100, offline: true, is_declined: false }],
    });
    const emu = await startBigcommerceEmulator({ data: set.data, quota: 40, windowMs: 1000 });
    closers.push(() => emu.close());
    const create = /\/orders\/\d+\/payment_actions\/refunds$/;
    emu.faults.add(
      { kind: 'server-error', status: 503, match: create, after: 2 },
      { kind: 'server-error', status: 500, match: create, after: 6 },
      { kind: 'drop', match: create, after: 10 },
      { kind: 'slow', delayMs: 700, match: create, after: 14 },
      { kind: 'server-error', status: 500, match: /refund_quotes$/, after: 20 },
      { kind: 'rate-limit', match: /refunds\?page=1/, after: 25 },
    );
    const w = await makeSyncWorkspace({
      platform: 'bigcommerce',
      storefront: [],
      netsuite: set.records,
      storefrontOrders: set.contexts,
      options: OPTIONS,
      storefrontApiSettings: { storeHash: emu.storeHash, baseUrl: emu.apiUrl },
    });
    closers.push(async () => {
      w.db.close();
    });
    setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 'test' });
    // A store is production unless proven otherwise: the push needs the readiness checklist met.
    await meetReadiness(w.db, w.accountId);
    const preview = previewPush(w.db, w.accountId);
    expect(preview.notPushable).toEqual([]);
    expect(preview.count).toBe(40);
    // The factory builds this target from the account settings (destination checked, no secret read yet).
    expect(storefrontTargetFor('bigcommerce', { storeHash: emu.storeHash, baseUrl: emu.apiUrl })).toBeInstanceOf(
      BigcommerceTarget,
    );
    const client = new BigcommerceClient({
      storeHash: emu.storeHash,
      baseUrl: emu.apiUrl,
      accessToken: emu.accessToken,
      timeoutMs: 400,
      baseDelayMs: 5,
    });
    const target = new BigcommerceTarget({ client, settleMs: 600 });
    const outcome = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 'test' },
      target,
    );
    expect(emu.faults.pending).toBe(0);
    expect(outcome).toMatchObject({ sent: 38, alreadySynced: 1, failed: 1, remaining: 0 });
    const journal = listJournal(w.db, w.accountId);
    const failed = journal.filter((j) => j.state === 'failed');
    expect(failed.map((j) => j.refundKey)).toEqual([`netsuite-${odd.recordType}-${odd.id}`]);
    expect(failed[0]!.lastError).toMatch(/quotes .* the NetSuite record is/);
    expect(journal.find((j) => j.refundKey === presentKey)!.state).toBe('already_synced');

    // Each NetSuite refund (but the refused one) on the store exactly once, by its key.
    const created = set.data.refunds.filter((r) => r.id !== 1);
    const keys = perKey(created.map((r) => r.reason));
    expect(created).toHaveLength(38);
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
    expect(keys.size).toBe(38);
    // Payment = the quote's refund-method amount = the NetSuite total, to the order's own provider.
    for (const r of created) {
      const rec = set.records.find((x) => `netsuite-${x.recordType}-${x.id}` === keyIn(r.reason))!;
      const ctx = set.contexts.find((c) => c.orderRef === rec.orderRef)!;
      const payments = r.payments as Obj[];
      expect(payments).toHaveLength(1);
      expect(cents(payments[0]!.amount)).toBe(rec.total);
      expect(payments[0]!.provider_id).toBe(ctx.payment.providerId);
      expect((r.items as Obj[]).every((i) => keyIn(i.reason) === keyIn(r.reason))).toBe(true);
    }
    // Never a create for the refund already there, nor for the refused one (the quote stopped it).
    const posts = emu.requests.filter((q) => q.method === 'POST' && create.test(q.path));
    expect(posts.filter((q) => q.path.includes(`/orders/${present.orderRef}/`))).toEqual([]);
    expect(posts.filter((q) => q.path.includes(`/orders/${odd.orderRef}/`))).toEqual([]);
    // One 201 per refund (the slow one too: its answer was lost, the read-back found it, no resend)
    // + the 503 (retried by the policy) + the 500 and the drop (read back: absent, resent).
    expect(posts.filter((q) => q.status === 201)).toHaveLength(38);
    expect(posts).toHaveLength(38 + 3);
    expect(emu.faults.applied).toMatchObject({ 'server-error': 3, drop: 1, slow: 1, 'rate-limit': 1 });
    // A second push finds everything journaled; a resume sends nothing.
    const again = previewPush(w.db, w.accountId);
    expect(again.count).toBe(0);
    const before = emu.requests.length;
    const resumed = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: again.confirmationCode, actor: 'test' },
      target,
    );
    expect(resumed.sent).toBe(0);
    expect(emu.requests.slice(before).filter((q) => q.method === 'POST')).toEqual([]);
  }, 40_000);
});

describe('push NetSuite → WooCommerce (emulator, loopback HTTP)', () => {
  it('refund_total per line, amount as the total, api_refund false, read back around every fault: each once', async () => {
    const set = woocommercePushSet(40);
    const present = set.records.find((r) => set.kinds[r.id] === 'goodwill')!;
    const presentKey = `netsuite-${present.recordType}-${present.id}`;
    const existing = {
      id: 4242,
      date_created: '2026-02-01T10:00:00',
      date_created_gmt: '2026-02-01T15:00:00',
      amount: (present.total / 100).toFixed(2),
      reason: `NetSuite ${present.documentNumber} [${presentKey}]`,
      refunded_by: 1,
      refunded_payment: false,
      meta_data: [],
      line_items: [],
    };
    set.data.refunds.set(Number(present.orderRef), [existing]);
    (set.data.orders.find((o) => String(o.id) === present.orderRef)!.refunds as Obj[]).push({ id: 4242 });
    const emu = await startWooEmulator({ data: set.data, retryAfterS: 0.05 });
    closers.push(() => emu.close());
    const create = /\/orders\/\d+\/refunds$/;
    emu.faults.add(
      { kind: 'rate-limit', match: create, after: 2 },
      { kind: 'server-error', status: 500, match: create, after: 6 },
      { kind: 'drop', match: create, after: 10 },
      { kind: 'slow', delayMs: 700, match: create, after: 14 },
      { kind: 'server-error', status: 502, match: /refunds\?/, after: 30 },
    );
    const w = await makeSyncWorkspace({
      platform: 'woocommerce',
      storefront: [],
      netsuite: set.records,
      storefrontOrders: set.contexts,
      options: OPTIONS,
      storefrontApiSettings: { baseUrl: emu.url },
    });
    closers.push(async () => {
      w.db.close();
    });
    setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 'test' });
    // A store is production unless proven otherwise: the push needs the readiness checklist met.
    await meetReadiness(w.db, w.accountId);
    const preview = previewPush(w.db, w.accountId);
    expect(preview.notPushable).toEqual([]);
    expect(storefrontTargetFor('woocommerce', { baseUrl: emu.url })).toBeInstanceOf(WoocommerceTarget);
    const client = new WoocommerceClient({
      url: emu.url,
      consumerKey: emu.consumerKey,
      consumerSecret: emu.consumerSecret,
      timeoutMs: 400,
      baseDelayMs: 5,
    });
    const outcome = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 'test' },
      new WoocommerceTarget({ client, settleMs: 600 }),
    );
    expect(emu.faults.pending).toBe(0);
    expect(outcome).toMatchObject({ sent: 39, alreadySynced: 1, failed: 0, remaining: 0 });
    expect(listJournal(w.db, w.accountId).find((j) => j.refundKey === presentKey)!.state).toBe('already_synced');

    const all = [...set.data.refunds.values()].flat().filter((r) => r.id !== 4242);
    const keys = perKey(all.map((r) => r.reason));
    expect(all).toHaveLength(39);
    expect(keys.size).toBe(39);
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
    for (const r of all) {
      const rec = set.records.find((x) => `netsuite-${x.recordType}-${x.id}` === keyIn(r.reason))!;
      expect(cents(r.amount)).toBe(rec.total);
      expect(r.refunded_payment).toBe(false); // api_refund false: recorded, the gateway not asked
      const items = rec.lines.filter((l) => l.role === 'item');
      const lines = r.line_items as Obj[];
      expect(lines).toHaveLength(rec.kind === 'general' ? 0 : items.length);
      for (const [i, l] of lines.entries()) {
        expect(-cents(l.total)).toBe(items[i]!.amount); // refund_total ex-tax
        expect(-cents(l.total_tax)).toBe(items[i]!.tax);
        expect(l.quantity).toBe(-items[i]!.quantity);
      }
    }
    const posts = emu.requests.filter((q) => q.method === 'POST');
    expect(posts.filter((q) => q.path.includes(`/orders/${present.orderRef}/`))).toEqual([]);
    // One 201 per refund (the slow one too: its answer was lost, the read-back found it, no resend)
    // + the 429 (retried by the policy) + the 500 and the drop (read back: absent, resent).
    expect(posts.filter((q) => q.status === 201)).toHaveLength(39);
    expect(posts).toHaveLength(39 + 3);
  }, 40_000);

  it('a store without line-item refunds gets the amount only; the key is also in meta_data for a real store', async () => {
    const set = woocommercePushSet(6, 41);
    const emu = await startWooEmulator({ data: set.data });
    closers.push(() => emu.close());
    const w = await makeSyncWorkspace({
      platform: 'woocommerce',
      storefront: [],
      netsuite: set.records,
      storefrontOrders: set.contexts,
      options: OPTIONS,
      storefrontApiSettings: { baseUrl: emu.url },
    });
    closers.push(async () => {
      w.db.close();
    });
    setCapabilities(w.db, { accountId: w.accountId, lineItemRefunds: 'no', actor: 'test' });
    setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 'test' });
    // A store is production unless proven otherwise: the push needs the readiness checklist met.
    await meetReadiness(w.db, w.accountId);
    const preview = previewPush(w.db, w.accountId);
    const target = new WoocommerceTarget({
      client: new WoocommerceClient({ url: emu.url, consumerKey: emu.consumerKey, consumerSecret: emu.consumerSecret }),
      settleMs: 50,
    });
    const outcome = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 'test' },
      target,
    );
    expect(outcome).toMatchObject({ sent: 6, failed: 0 });
    const all = [...set.data.refunds.values()].flat();
    expect(all).toHaveLength(6);
    expect(all.every((r) => (r.line_items as unknown[]).length === 0)).toBe(true);
    const row = listJournal(w.db, w.accountId)[0]!;
    expect((row.payload as { body: Obj }).body).toMatchObject({
      api_refund: false,
      meta_data: [{ key: WOO_KEY_META, value: row.refundKey }],
    });
    expect((row.payload as { body: Obj }).body.line_items).toBeUndefined();
    // The read-back also recognises the key in meta_data alone (the emulator does not keep meta_data).
    const order = Number(row.orderRef);
    set.data.refunds.get(order)![0]!.reason = 'edited by the merchant';
    expect(await target.readBack(order, row.refundKey)).toBeNull();
    set.data.refunds.get(order)![0]!.meta_data = [{ id: 1, key: WOO_KEY_META, value: row.refundKey }];
    expect(await target.readBack(order, row.refundKey)).toBe(String(set.data.refunds.get(order)![0]!.id));
  }, 20_000);
});
