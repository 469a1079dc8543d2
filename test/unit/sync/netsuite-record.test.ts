import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiNumber } from '../../../src/main/sync/builders/common';
import {
  buildNetsuiteRecord,
  externalIdFor,
  type NetsuiteBuild,
  type NetsuiteBuildSettings,
} from '../../../src/main/sync/builders/netsuite-record';
import { checkNetsuiteBuild } from '../../../src/main/sync/checks';
import type { NetsuiteOrderContext } from '../../../src/main/sync/types';
import { CanonicalRefund } from '../../../src/shared/model';
import { minorFromApiNumber } from '../../../src/shared/money';
import * as F from '../../fixtures/sync/refunds';

const settings: NetsuiteBuildSettings = { platform: 'shopify', lineItemRefunds: 'yes', options: F.OPTIONS };
const order = (ref: string): NetsuiteOrderContext => F.NETSUITE_ORDERS.find((o) => o.orderRef === ref)!;
const build = (r: CanonicalRefund, s = settings) => buildNetsuiteRecord(r, order(r.orderRef), s);
const items = (b: NetsuiteBuild, i = 0) =>
  (b.writes[i]!.body.item as { items: { item: { id: string }; quantity: number; amount: number; rate?: number }[] })
    .items;

describe('storefront refund → NetSuite record', () => {
  it('full refund of a Cash Sale order: Cash Refund upserted by External ID, items by SKU, shipping and tax lines', () => {
    const b = build(F.FULL);
    expect(b.problems).toEqual([]);
    expect(b.recordType).toBe('cashRefund');
    expect(b.writes).toHaveLength(1);
    const w = b.writes[0]!;
    expect(w.method).toBe('PUT');
    expect(w.path).toBe('/record/v1/cashRefund/eid:shopify-refund-900001');
    expect(w.body).toMatchObject({
      externalId: 'shopify-refund-900001',
      entity: { id: '507' },
      createdFrom: { id: '2001' },
      currency: { id: '1' },
      tranDate: '2026-01-05',
      otherRefNum: '#1001',
      account: { id: '1' },
    });
    expect(items(b)).toEqual([
      { item: { id: '101' }, quantity: 2, amount: 50, rate: 25, description: 'TEE-M' },
      { item: { id: '105' }, quantity: 1, amount: 12, rate: 12, description: 'MUG-12' },
      { item: { id: '90' }, quantity: 1, amount: 5, rate: 5, description: 'Shipping refund' },
      { item: { id: '91' }, quantity: 1, amount: 4.96, rate: 4.96, description: 'Tax refund' },
    ]);
    const checks = checkNetsuiteBuild(F.FULL, b, order('#1001'), null, F.OPTIONS);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('partial refund of an Invoice order: Credit Memo, then a Customer Refund that applies it', () => {
    const b = build(F.PARTIAL);
    expect(b.problems).toEqual([]);
    expect(b.recordType).toBe('creditMemo');
    expect(b.writes.map((w) => [w.recordType, w.externalId])).toEqual([
      ['creditMemo', 'shopify-refund-900002'],
      ['customerRefund', 'shopify-refund-900002-cr'],
    ]);
    expect(b.writes[0]!.body).toMatchObject({ createdFrom: { id: '2002' } });
    expect(b.writes[1]!.body).toMatchObject({
      customer: { id: '507' },
      total: 27,
      apply: { items: [{ doc: { externalId: 'shopify-refund-900002' }, apply: true, amount: 27 }] },
    });
    expect(items(b).map((l) => [l.item.id, l.amount])).toEqual([
      ['101', 25],
      ['91', 2],
    ]);
  });

  it('shipping-only refund: one positive line on the shipping item', () => {
    const b = build(F.SHIPPING_ONLY);
    expect(b.problems).toEqual([]);
    expect(items(b)).toEqual([{ item: { id: '90' }, quantity: 1, amount: 5, rate: 5, description: 'Shipping refund' }]);
  });

  it('tax-only refund still carries one positive line (the tax-only item, tax as its rate)', () => {
    const b = build(F.TAX_ONLY);
    expect(b.problems).toEqual([]);
    expect(items(b)).toEqual([{ item: { id: '91' }, quantity: 1, amount: 3.2, rate: 3.2, description: 'Tax refund' }]);
    expect(checkNetsuiteBuild(F.TAX_ONLY, b, order('#1004'), null, F.OPTIONS).every((c) => c.ok)).toBe(true);
  });

  it('general refund: the whole amount on the generic refund item', () => {
    const b = build(F.GENERAL);
    expect(items(b)).toEqual([
      { item: { id: '91' }, quantity: 1, amount: 10, rate: 10, description: 'Refund adjustment' },
    ]);
  });

  it('storefront without line-item refunds: one generic line carries the total', () => {
    const b = build(F.FULL, { ...settings, lineItemRefunds: 'no' });
    expect(items(b)).toEqual([
      { item: { id: '91' }, quantity: 1, amount: 71.96, rate: 71.96, description: 'Refund adjustment' },
    ]);
    expect(b.notes.join(' ')).toMatch(/cannot refund single lines/);
  });

  it('multi-currency: recorded in the currency NetSuite holds the order in, from the presentment amount', () => {
    const b = build(F.MULTI_CURRENCY);
    expect(b.problems).toEqual([]);
    expect(b.currency).toBe('EUR');
    expect(b.total).toBe(2000);
    expect(b.writes[0]!.body).toMatchObject({ currency: { id: '2' } });
    expect(items(b).map((l) => l.amount)).toEqual([20]);
    expect(checkNetsuiteBuild(F.MULTI_CURRENCY, b, order('#1006'), null, F.OPTIONS).every((c) => c.ok)).toBe(true);
  });

  it('an amount not tied to an item goes on the generic item (EUR order with a 0.50 discrepancy)', () => {
    const b = build(F.EUR_WITH_DISCREPANCY);
    expect(b.problems).toEqual([]);
    expect(items(b).map((l) => [l.item.id, l.amount])).toEqual([
      ['101', 25],
      ['91', 0.5],
    ]);
  });

  it('refund before billing: a Customer Refund against the Customer Deposit', () => {
    const b = build(F.BEFORE_BILLING);
    expect(b.problems).toEqual([]);
    expect(b.recordType).toBe('customerRefund');
    expect(b.writes).toHaveLength(1);
    expect(b.writes[0]!.path).toBe('/record/v1/customerRefund/eid:shopify-refund-900007');
    expect(b.writes[0]!.body).toMatchObject({
      total: 30,
      deposit: { items: [{ doc: { id: '2007' }, apply: true, amount: 30 }] },
    });
  });

  it('not billed and no deposit: refused with what to do', () => {
    const b = buildNetsuiteRecord(F.BEFORE_BILLING, { ...order('#1007'), deposit: null }, settings);
    expect(b.problems.map((p) => p.code)).toEqual(['order_not_billed']);
    expect(b.problems[0]!.message).toMatch(/bill it/);
    expect(b.writes).toEqual([]);
  });

  it('already-synced refund: the check names the existing record', () => {
    const b = build(F.ALREADY_SYNCED);
    const checks = checkNetsuiteBuild(F.ALREADY_SYNCED, b, order('#1008'), 'NetSuite Cash Refund CR4711', F.OPTIONS);
    const already = checks.find((c) => c.name === 'already_synced')!;
    expect(already.ok).toBe(false);
    expect(already.message).toMatch(/Already synced.*duplicate/);
  });

  it('a SKU that is not on the NetSuite order is a problem; the item mapping fixes it', () => {
    const b = build(F.UNMAPPED);
    expect(b.problems.map((p) => p.code)).toEqual(['item_not_mapped']);
    const mapped = buildNetsuiteRecord(
      F.UNMAPPED,
      { ...order('#1009'), items: [{ sku: 'CAP-LOGO', itemId: '104' }] },
      { ...settings, options: { ...F.OPTIONS, itemMap: { 'CAP-01': 'CAP-LOGO' } } },
    );
    expect(mapped.problems).toEqual([]);
    expect(items(mapped)[0]!.item.id).toBe('104');
  });

  it('order missing, currency mismatch, no money moved, no generic item: each refused with the reason', () => {
    expect(buildNetsuiteRecord(F.FULL, null, settings).problems[0]!.code).toBe('order_not_in_netsuite');
    expect(buildNetsuiteRecord(F.FULL, { ...order('#1001'), currency: 'GBP' }, settings).problems[0]!.code).toBe(
      'currency_mismatch',
    );
    const restock = CanonicalRefund.parse({ ...F.FULL, total: 0, tenders: [], moneyMoved: false });
    expect(buildNetsuiteRecord(restock, order('#1001'), settings).problems[0]!.code).toBe('no_money_moved');
    const noGeneric = buildNetsuiteRecord(F.GENERAL, order('#1005'), {
      ...settings,
      options: { ...F.OPTIONS, genericItemId: '' },
    });
    expect(noGeneric.problems.map((p) => p.code)).toContain('generic_item_missing');
  });

  it('External ID comes from the storefront refund id (gid or plain)', () => {
    expect(externalIdFor('shopify', 'gid://shopify/Refund/123456')).toBe('shopify-refund-123456');
    expect(externalIdFor('bigcommerce', '12')).toBe('bigcommerce-refund-12');
  });

  it('amounts on the wire read back to the same minor units (no float drift)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999_999 }),
        fc.constantFrom('USD', 'JPY', 'BHD'),
        (minor, currency) => {
          const back = minorFromApiNumber(apiNumber(minor, currency), currency);
          expect(back).toEqual({ ok: true, minor });
        },
      ),
    );
  });

  it('the record total always equals the refund total (any split of lines, shipping, tax, remainder)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 5 }),
            amount: fc.integer({ min: 1, max: 50_000 }),
            tax: fc.integer({ min: 0, max: 5_000 }),
          }),
          { maxLength: 4 },
        ),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 0, max: 500 }),
        (lines, shipping, extra) => {
          const lineTotal = lines.reduce((n, l) => n + l.amount + l.tax, 0);
          const total = lineTotal + shipping + extra;
          fc.pre(total > 0);
          const refund = CanonicalRefund.parse({
            side: 'storefront',
            recordType: 'refund',
            id: '1',
            orderRef: '#1001',
            date: '2026-01-01',
            currency: 'USD',
            total,
            shipping,
            kind: lines.length ? 'line_item' : 'general',
            lines: lines.map((l, i) => ({ sku: i % 2 ? 'MUG-12' : 'TEE-M', ...l })),
          });
          const b = buildNetsuiteRecord(refund, order('#1001'), settings);
          const sum = items(b).reduce(
            (n, l) => n + (minorFromApiNumber(l.amount, 'USD') as { minor: number }).minor,
            0,
          );
          expect(sum).toBe(total);
        },
      ),
      { numRuns: 200 },
    );
  });
});
