import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalRefund, Tender } from '../../../src/shared/model';
import { importRefunds } from './helpers';

/** tenders.md §7, input side: the canonical tenders each case's records import with (test/fixtures/tenders). */

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'tenders');
const file = (name: string) => path.join(DIR, name);

function t(kind: Tender['kind'], gateway: string, amount: number, extra: Partial<Tender> = {}): Tender {
  return { kind, gateway, amount, presentmentAmount: null, state: 'settled', ref: '', ...extra };
}
function byOrder(refunds: CanonicalRefund[]): Map<string, CanonicalRefund> {
  return new Map(refunds.map((r) => [r.orderRef.replace('#', ''), r]));
}

describe('tenders.md §7 cases as imported', () => {
  it('Shopify REST: cases 1, 5, 12 and 14 (card, store credit, gift card, split; failed transactions left out)', async () => {
    const { refunds } = await importRefunds(file('shopify-orders.json'), {
      side: 'storefront',
      format: 'shopify-json',
    });
    const r = byOrder(refunds);
    expect(r.get('1001')!.tenders).toEqual([
      t('card', 'shopify_payments', 5000, { ref: '9001', presentmentAmount: null }),
    ]);
    expect(r.get('1005')!.tenders).toEqual([t('store_credit', 'shopify_store_credit', 5000, { ref: '9005' })]);
    expect(r.get('1012')!.tenders).toEqual([t('gift_card', 'gift_card', 4000, { ref: '9012' })]);
    expect(r.get('1014')!.total).toBe(10000);
    expect(r.get('1014')!.tenders).toEqual([
      t('card', 'shopify_payments', 6000, { ref: '9141' }),
      t('gift_card', 'gift_card', 4000, { ref: '9142' }),
    ]);
  });

  it('BigCommerce: case 16 (storecredit) and case 17 (offline custom payment)', async () => {
    const { refunds } = await importRefunds(file('bigcommerce-refunds.json'), {
      side: 'storefront',
      format: 'bigcommerce-json',
      currency: 'USD',
    });
    const r = byOrder(refunds);
    expect(r.get('1016')!.tenders).toEqual([t('store_credit', 'storecredit', 2500, { ref: '161' })]);
    expect(r.get('1017')!.tenders).toEqual([t('other', 'custom', 2500, { ref: '171' })]);
  });

  it('WooCommerce: case 18 (refunded_payment false → manual) and case 19 (true → the order gateway)', async () => {
    const { refunds } = await importRefunds(file('woocommerce-orders.json'), {
      side: 'storefront',
      format: 'woocommerce-json',
    });
    const r = byOrder(refunds);
    expect(r.get('1018')!.tenders).toEqual([t('other', 'manual', 2500)]);
    expect(r.get('1019')!.tenders).toEqual([t('card', 'stripe', 2500)]);
  });

  it('NetSuite saved search with tender columns and tender items from the mapping file (cases 1, 5, 8, 12, 14, 16–18)', async () => {
    const { refunds } = await importRefunds(file('netsuite-saved-search.csv'), {
      side: 'netsuite',
      format: 'saved-search-csv',
      mapping: file('mapping.json'),
    });
    const r = byOrder(refunds);
    expect(r.get('1001')!.tenders).toEqual([t('card', 'VISA', 5000)]);
    expect(r.get('1005')!).toMatchObject({
      amountRemaining: 5000,
      tenders: [t('store_credit', 'open-credit', 5000, { state: 'open' })],
    });
    // Case 8: the store-credit item is a tender added to the total; NetSuite's own total stays 0.00.
    expect(r.get('1008')!).toMatchObject({
      total: 5000,
      recordTotal: 0,
      tenders: [t('store_credit', 'Store Credit', 5000)],
    });
    expect(r.get('1008')!.lines.map((l) => [l.sku, l.amount])).toEqual([['TEE', 5000]]);
    expect(r.get('1012')!.tenders).toEqual([t('gift_card', 'Shopify Gift Card', 4000)]);
    // Case 14: items 100.00, the GC Discount −40.00 a gift-card tender; VISA pays the record's 60.00.
    expect(r.get('1014')!).toMatchObject({
      total: 10000,
      recordTotal: 6000,
      tenders: [t('gift_card', 'GC Discount', 4000), t('card', 'VISA', 6000)],
    });
    expect(r.get('1016')!.tenders).toEqual([t('store_credit', 'open-credit', 2500, { state: 'open' })]);
    expect(r.get('1017')!.tenders).toEqual([t('cash', 'Check', 2500)]);
    // Case 18: Open without a balance column: the whole memo is open credit.
    expect(r.get('1018')!.tenders).toEqual([t('store_credit', 'open-credit', 2500, { state: 'open' })]);
  });

  it('without the tender role (case 15) the gift-card item stays a line and the total is NetSuite’s', async () => {
    const { refunds } = await importRefunds(file('netsuite-saved-search.csv'), {
      side: 'netsuite',
      format: 'saved-search-csv',
    });
    const r = byOrder(refunds).get('1014')!;
    expect(r).toMatchObject({ total: 6000, recordTotal: 6000, tenders: [t('card', 'VISA', 6000)] });
  });

  it('the user’s tender mapping overrides the default kinds (§1.3)', async () => {
    const { refunds } = await importRefunds(file('bigcommerce-refunds.json'), {
      side: 'storefront',
      format: 'bigcommerce-json',
      currency: 'USD',
      mapping: { tenders: { storefront: [{ platform: 'bigcommerce', gateway: 'Custom', kind: 'cash' }] } },
    });
    expect(byOrder(refunds).get('1017')!.tenders).toEqual([t('cash', 'custom', 2500, { ref: '171' })]);
    const ns = await importRefunds(file('netsuite-saved-search.csv'), {
      side: 'netsuite',
      format: 'saved-search-csv',
      mapping: { tenders: { netsuite: [{ paymentMethod: 'visa', kind: 'store_credit' }] } },
    });
    expect(byOrder(ns.refunds).get('1001')!.tenders).toEqual([t('store_credit', 'VISA', 5000)]);
  });
});
