import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigcommerceClient } from '../../../src/main/connectors/bigcommerce/client';
import { fetchOrderProducts } from '../../../src/main/connectors/bigcommerce/refunds';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import { netsuiteRecordToRefund } from '../../../src/main/importers/record-json';
import { pullNetsuiteRefunds } from '../../../src/main/pull/netsuite';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/snapshot-writer';
import { generateBigcommerceData } from '../../emulators/bigcommerce/dataset';
import { startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { generateWooData } from '../../emulators/woocommerce/dataset';
import { startWooEmulator } from '../../emulators/woocommerce/server';

/**
 * Issue 14: emulators say no where the vendor says no, and answer in the vendor's documented
 * shapes. Each rule cites its source (comment in the emulator and docs/connections.md).
 */

beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

describe('NetSuite emulator rules', () => {
  // One shipping line of the data set becomes a shipping item (SuiteQL itemtype 'ShipItem'):
  // on the record it is the body `shippingCost`, not an `item.items` line.
  const data = generateNetsuiteData({ refunds: 20, seed: 5 });
  data.items.push({ id: 92, itemid: 'UPS Ground', displayname: 'UPS Ground', itemtype: 'ShipItem' });
  const shipLine = data.lines.find((l) => l.item === 90)!;
  shipLine.item = 92;
  shipLine.itemtype = 'ShipItem';
  const shipTx = data.transactions.find((t) => t.id === shipLine.transaction)!;
  // A Discount item line right after an item line (the second of two consecutive item lines).
  data.items.push({ id: 93, itemid: 'Spring sale', displayname: 'Spring sale', itemtype: 'Discount' });
  const itemLines = data.lines.filter((l) => l.itemtype === 'InvtPart');
  const discounted = itemLines.find(
    (l, i) => itemLines[i + 1]?.transaction === l.transaction && itemLines[i + 1]!.id === l.id + 1,
  )!;
  const discountLine = data.lines.find((l) => l.id === discounted.id + 1)!;
  discountLine.item = 93;
  discountLine.itemtype = 'Discount';
  discountLine.quantity = null;
  discountLine.foreignamount = '.5';
  const creditMemo = data.transactions.find((t) => t.type === 'CustCred')!;
  let emu: Awaited<ReturnType<typeof startNetsuiteEmulator>>;
  let client: NetsuiteClient;
  beforeAll(async () => {
    emu = await startNetsuiteEmulator({ data });
    client = new NetsuiteClient({
      accountId: emu.accountId,
      baseUrl: emu.url,
      auth: { kind: 'tba', ...DEFAULT_TBA },
      limiter: new ConcurrencyLimiter(3),
      baseDelayMs: 5,
      maxAttempts: 3,
    });
  });
  afterAll(async () => {
    await emu?.close();
  });

  // Oracle, SuiteQL via REST: limit 1..1000; a query returns at most 100,000 rows (apis.md §1.5).
  it('SuiteQL: limit over 1,000 → 400 INVALID_PARAMETER', () => {
    const r = emu.suiteql('SELECT t.id FROM transaction t', 1001, 0);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/INVALID_PARAMETER/);
    expect(JSON.stringify(r.body)).toMatch(/limit/);
  });

  it('SuiteQL: an offset at or past 100,000 rows is refused, even for a short query', () => {
    const r = emu.suiteql('SELECT t.id FROM transaction t', 1000, 100_000);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/past the 100000 rows/);
    expect(emu.suiteql('SELECT t.id FROM transaction t', 1000, 99_000).status).toBe(200);
  });

  // REST record schema names (apis.md §1.4): externalId, shippingCost, amountRemaining, item.items.
  it('record GET names fields as the REST record schema does', async () => {
    const type = shipTx.type === 'CashRfnd' ? 'cashRefund' : 'creditMemo';
    const record = await client.getRecord(type, String(shipTx.id), { expandSubResources: true });
    expect(record.shippingCost).toBeGreaterThan(0);
    expect(record).not.toHaveProperty('shippingcost');
    const items = (record.item as { items: Array<{ item: { refName: string } }> }).items;
    expect(Array.isArray(items)).toBe(true);
    expect(items.map((i) => i.item.refName)).not.toContain('UPS Ground');
    if (shipTx.externalid) expect(record.externalId).toBe(shipTx.externalid);
    const memo = await client.getRecord('creditMemo', String(creditMemo.id), { expandSubResources: true });
    expect(typeof memo.amountRemaining).toBe('number');
    expect(memo).not.toHaveProperty('amountremaining');
  });

  it('the pull reads a shipping-item line as shipping (the body shipping cost)', async () => {
    const db = openWorkspace(':memory:');
    const result = await pullNetsuiteRefunds(db, client, { pageSize: 50 });
    const refund = readSnapshotRefunds(db, result.snapshotId).find((r) => r.id === String(shipTx.id))!;
    const line = refund.lines.find((l) => l.sku === 'UPS Ground')!;
    expect(line.role).toBe('shipping');
    expect(refund.shipping).toBeGreaterThanOrEqual(line.amount);
    // The Discount line is folded into the item line above it (0.50 less), not a line of its own.
    const withDiscount = readSnapshotRefunds(db, result.snapshotId).find(
      (r) => r.id === String(discounted.transaction),
    )!;
    expect(withDiscount.lines.map((l) => l.sku)).not.toContain('Spring sale');
    const sku = data.items.find((i) => i.id === discounted.item)!.itemid;
    const folded = withDiscount.lines.find((l) => l.sku === sku)!;
    expect(folded.amount).toBe(Math.round(Math.abs(Number(discounted.foreignamount)) * 100) - 50);
    // The record GET shows the line's item type; the record-JSON reader folds it the same way.
    const type = data.transactions.find((t) => t.id === discounted.transaction)!.type;
    const record = await client.getRecord(
      type === 'CashRfnd' ? 'cashRefund' : 'creditMemo',
      String(discounted.transaction),
      {
        expandSubResources: true,
      },
    );
    const asImported = netsuiteRecordToRefund(record);
    expect(asImported.lines!.find((l) => l.sku === sku)!.amount).toBe(folded.amount);
    expect(asImported.lines!.map((l) => l.sku)).not.toContain('Spring sale');
  });
});

describe('BigCommerce emulator rules', () => {
  const data = generateBigcommerceData({ refunds: 12, seed: 3 });
  let emu: Awaited<ReturnType<typeof startBigcommerceEmulator>>;
  beforeAll(async () => {
    emu = await startBigcommerceEmulator({ data, quota: 1000, windowMs: 1000 });
  });
  afterAll(async () => {
    await emu?.close();
  });
  const get = async (path: string) => {
    const res = await fetch(`${emu.url}/stores/${emu.storeHash}${path}`, {
      headers: { 'x-auth-token': emu.accessToken, accept: 'application/json' },
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  // bigcommerce/docs reference/orders.v3.yml, RefundItem: item_type, item_id, reason, quantity,
  // adjustments, requested_amount (null for products) — no SKU, no name, no price.
  it('refund items carry no SKU, name or price; product items no requested amount', async () => {
    const { body } = await get('/v3/orders/payment_actions/refunds?limit=250');
    const items = (body as { data: Array<{ items: Array<Record<string, unknown>> }> }).data.flatMap((r) => r.items);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item).not.toHaveProperty('sku');
      expect(item).not.toHaveProperty('name');
      expect(item).not.toHaveProperty('price');
      if (item.item_type === 'PRODUCT') expect(item.requested_amount).toBeNull();
    }
  });

  // reference/orders.v2.oas2.yml, "List Order Products": a bare array, money as 4-dp strings.
  it('order products: v2 bare array with SKU and 4-decimal price strings; unknown order 404; limit > 250 refused', async () => {
    const order = data.orders[0]!;
    const { status, body } = await get(`/v2/orders/${order.id}/products`);
    expect(status).toBe(200);
    const products = body as Array<Record<string, unknown>>;
    expect(products.map((p) => p.sku)).toEqual(order.products.map((p) => p.sku));
    expect(products[0]!.price_ex_tax).toMatch(/^\d+\.\d{4}$/);
    expect((await get('/v2/orders/999999/products')).status).toBe(404);
    expect((await get(`/v2/orders/${order.id}/products?limit=251`)).status).toBe(400);
    const client = new BigcommerceClient({
      storeHash: emu.storeHash,
      baseUrl: emu.apiUrl,
      accessToken: emu.accessToken,
      limiter: new ConcurrencyLimiter(2),
    });
    expect((await fetchOrderProducts(client, order.id)).map((p) => p.id)).toEqual(order.products.map((p) => p.id));
  });
});

describe('WooCommerce emulator rules', () => {
  const data = generateWooData({ refunds: 10, seed: 2 });
  let emu: Awaited<ReturnType<typeof startWooEmulator>>;
  beforeAll(async () => {
    emu = await startWooEmulator({ data });
  });
  afterAll(async () => {
    await emu?.close();
  });

  // woocommerce-rest-api-docs _order-refunds.md: `amount` a string; refund line values negative
  // in responses ("quantity": -1, "subtotal": "-9.00", "price": -9).
  it('refund amounts are strings and refund line values negative', async () => {
    const orderId = [...data.refunds.entries()].find(([, list]) =>
      list.some((r) => (r.line_items as unknown[]).length > 0),
    )![0];
    const auth = Buffer.from(`${emu.consumerKey}:${emu.consumerSecret}`).toString('base64');
    const res = await fetch(`${emu.url}/wp-json/wc/v3/orders/${orderId}/refunds`, {
      headers: { authorization: `Basic ${auth}` },
    });
    expect(res.status).toBe(200);
    const refunds = (await res.json()) as Array<{ amount: unknown; line_items: Array<Record<string, unknown>> }>;
    for (const r of refunds) {
      expect(typeof r.amount).toBe('string');
      for (const line of r.line_items) {
        expect(line.quantity as number).toBeLessThan(0);
        expect(line.subtotal).toMatch(/^-\d+\.\d{2}$/);
        expect(line.total).toMatch(/^-\d+\.\d{2}$/);
        expect(line.price as number).toBeLessThan(0);
      }
    }
  });
});

describe('NetSuite emulator: a Customer Refund that applies a Credit Memo links the two', () => {
  // Oracle, Customer Refund record (docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_0830082954.html;
  // apis.md §1.4 "customerRefund: `customer`, `total`, `apply.items[]` (doc, apply, amount) | applies
  // credits"): the lines of `apply` marked `apply: true` pay out the credits they name. NetSuite keeps
  // that as a transaction link, memo = `previousdoc`, refund = `nextdoc` (the PreviousTransactionLink
  // usage of tenders.md [S15]); the pull reads it to see the memo paid out.
  let emu: Awaited<ReturnType<typeof startNetsuiteEmulator>>;
  let client: NetsuiteClient;
  beforeAll(async () => {
    emu = await startNetsuiteEmulator({ data: generateNetsuiteData({ refunds: 5, seed: 9 }) });
    client = new NetsuiteClient({
      accountId: emu.accountId,
      baseUrl: emu.url,
      auth: { kind: 'tba', ...DEFAULT_TBA },
      limiter: new ConcurrencyLimiter(2),
      baseDelayMs: 5,
      maxAttempts: 2,
    });
  });
  afterAll(async () => {
    await emu?.close();
  });

  const links = (id: string) =>
    emu.db
      .prepare('SELECT previousdoc, nextdoc, linktype, foreignamount FROM previoustransactionlink WHERE nextdoc = ?')
      .all(Number(id));

  async function memo(externalId: string, amount: number): Promise<string> {
    const item = emu.db.prepare("SELECT id FROM item WHERE itemtype = 'InvtPart' ORDER BY id LIMIT 1").get() as {
      id: number;
    };
    const { id } = await client.upsertByExternalId('creditMemo', externalId, {
      entity: { id: '107' },
      tranDate: '2026-03-02',
      currency: { id: '1' },
      item: { items: [{ item: { id: String(item.id) }, quantity: 1, amount }] },
    });
    return id!;
  }

  it('apply: true on a memo (by internal id or external id) writes memo → refund with the applied amount', async () => {
    const byId = await memo('link-memo-1', 30);
    const byEid = await memo('link-memo-2', 20);
    const { id: refund } = await client.upsertByExternalId('customerRefund', 'link-refund-1', {
      customer: { id: '107' },
      tranDate: '2026-03-03',
      currency: { id: '1' },
      total: 50,
      apply: {
        items: [
          { doc: { id: byId }, apply: true, amount: 30 },
          { doc: { externalId: 'link-memo-2' }, apply: true, amount: 20 },
        ],
      },
    });
    expect(links(refund!)).toEqual([
      { previousdoc: Number(byId), nextdoc: Number(refund), linktype: 'Payment', foreignamount: '30' },
      { previousdoc: Number(byEid), nextdoc: Number(refund), linktype: 'Payment', foreignamount: '20' },
    ]);
    // The same link as SuiteQL serves it to the pull.
    const q = emu.suiteql(`SELECT previousdoc, nextdoc FROM previoustransactionlink WHERE nextdoc = ${refund}`);
    expect(q.status).toBe(200);
    expect((q.body as { items: Record<string, unknown>[] }).items.map((r) => String(r.previousdoc)).sort()).toEqual(
      [byId, byEid].sort(),
    );
  });

  it('a line with apply: false pays nothing out: no link', async () => {
    const open = await memo('link-memo-3', 15);
    const { id: refund } = await client.upsertByExternalId('customerRefund', 'link-refund-2', {
      customer: { id: '107' },
      tranDate: '2026-03-03',
      currency: { id: '1' },
      total: 15,
      apply: { items: [{ doc: { id: open }, apply: false, amount: 15 }] },
    });
    expect(links(refund!)).toEqual([]);
  });
});
