import { describe, expect, it } from 'vitest';
import { buildNetsuiteRecord, type NetsuiteBuildSettings } from '../../../src/main/sync/builders/netsuite-record';
import {
  buildStorefrontRequest,
  type StorefrontBuildSettings,
  type StorefrontTenderSettings,
} from '../../../src/main/sync/builders/storefront-request';
import { checkNetsuiteBuild, checkStorefrontBuild } from '../../../src/main/sync/checks';
import { NetsuiteOrderContext, StorefrontOrderContext, SyncOptions } from '../../../src/main/sync/types';
import { CanonicalRefund, type CanonicalRefundInput, type Tender, type TenderKind } from '../../../src/shared/model';

/** tenders.md §5.1–5.3: the would-be record per tender, each direction, and the `tender` check. */

const OPTIONS = SyncOptions.parse({
  genericItemId: '91',
  refundAccountId: '1',
  currencyIds: { USD: '1' },
  paymentMethods: [
    { gateway: 'shopify_payments', id: '4', name: 'VISA' },
    { gateway: 'gift_card', id: '9', name: 'Shopify Gift Card' },
  ],
  tenderItems: { store_credit: '77', gift_card: '78' },
});
const NO_TENDER_ITEMS = SyncOptions.parse({ ...OPTIONS, paymentMethods: [], tenderItems: {} });

function tender(kind: TenderKind, gateway: string, amount: number, extra: Partial<Tender> = {}): Tender {
  return { kind, gateway, amount, presentmentAmount: null, state: 'settled', ref: '', ...extra };
}

const sfRefund = (tenders: Tender[], extra: Partial<CanonicalRefundInput> = {}): CanonicalRefund =>
  CanonicalRefund.parse({
    side: 'storefront',
    recordType: 'refund',
    id: 'gid://shopify/Refund/5005',
    orderRef: '#1005',
    date: '2026-03-17',
    currency: 'USD',
    total: tenders.reduce((s, t) => s + t.amount, 0),
    lines: [{ sku: 'TEE', quantity: 1, amount: tenders.reduce((s, t) => s + t.amount, 0) }],
    kind: 'line_item',
    tenders,
    ...extra,
  });

const nsOrder = (billing: 'cashSale' | 'invoice') =>
  NetsuiteOrderContext.parse({
    orderRef: '#1005',
    customerId: '8205',
    currency: 'USD',
    billing: billing === 'cashSale' ? { type: 'cashSale', id: '3005' } : { type: 'invoice', id: '2005' },
    items: [{ sku: 'TEE', itemId: '11' }],
  });

const toNetsuite = (options = OPTIONS): NetsuiteBuildSettings => ({
  platform: 'shopify',
  lineItemRefunds: 'yes',
  options,
});

describe('storefront refund → NetSuite record, per tender (§5.1)', () => {
  it('card: as today, with the payment method mapped from the gateway; the tender check reads money back', () => {
    const refund = sfRefund([tender('card', 'shopify_payments', 5000)]);
    const b = buildNetsuiteRecord(refund, nsOrder('cashSale'), toNetsuite());
    expect(b.problems).toEqual([]);
    expect(b.writes.map((w) => w.recordType)).toEqual(['cashRefund']);
    expect(b.writes[0]!.body.paymentMethod).toEqual({ id: '4' });
    const checks = checkNetsuiteBuild(refund, b, nsOrder('cashSale'), null, OPTIONS);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.name === 'tender')!.found).toBe('money USD 50.00');
  });

  it('card on an Invoice: the Customer Refund carries the payment method', () => {
    const refund = sfRefund([tender('card', 'shopify_payments', 5000)]);
    const b = buildNetsuiteRecord(refund, nsOrder('invoice'), toNetsuite());
    expect(b.writes.map((w) => w.recordType)).toEqual(['creditMemo', 'customerRefund']);
    expect(b.writes[1]!.body.paymentMethod).toEqual({ id: '4' });
    expect(checkNetsuiteBuild(refund, b, nsOrder('invoice'), null, OPTIONS).filter((c) => !c.ok)).toEqual([]);
  });

  it('store credit only, order billed by Cash Sale: never a Cash Refund of 0 — the open Credit Memo', () => {
    const refund = sfRefund([tender('store_credit', 'shopify_store_credit', 5000)]);
    const b = buildNetsuiteRecord(refund, nsOrder('cashSale'), toNetsuite());
    expect(b.problems).toEqual([]);
    expect(b.writes.map((w) => w.recordType)).toEqual(['creditMemo']);
    expect(b.writes[0]!.body.createdFrom).toBeUndefined();
    expect(b.writes[0]!.body.otherRefNum).toBe('#1005');
    const checks = checkNetsuiteBuild(refund, b, nsOrder('cashSale'), null, OPTIONS);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.name === 'record_type')!.message).toMatch(/left open/);
  });

  it('gift card alone, mapped method: the record as today with the gift-card payment method', () => {
    const refund = sfRefund([tender('gift_card', 'gift_card', 4000)]);
    const b = buildNetsuiteRecord(refund, nsOrder('cashSale'), toNetsuite());
    expect(b.problems).toEqual([]);
    expect(b.writes[0]!.recordType).toBe('cashRefund');
    expect(b.writes[0]!.body.paymentMethod).toEqual({ id: '9' });
    const checks = checkNetsuiteBuild(refund, b, nsOrder('cashSale'), null, OPTIONS);
    expect(checks.find((c) => c.name === 'tender')).toMatchObject({ ok: true, found: 'stored value USD 40.00' });
  });

  it('gift card with nothing mapped → gift_card_not_mapped', () => {
    const refund = sfRefund([tender('gift_card', 'gift_card', 4000)]);
    const b = buildNetsuiteRecord(refund, nsOrder('cashSale'), toNetsuite(NO_TENDER_ITEMS));
    expect(b.problems.map((p) => p.code)).toEqual(['gift_card_not_mapped']);
    expect(b.problems[0]!.message).toMatch(/^No gift-card payment method or item is mapped\./);
    expect(b.writes).toEqual([]);
  });

  it('split card 60.00 + gift card 40.00: items 100.00, a −40.00 line on the gift-card item, record total 60.00', () => {
    const refund = sfRefund([tender('card', 'shopify_payments', 6000), tender('gift_card', 'gift_card', 4000)]);
    const b = buildNetsuiteRecord(refund, nsOrder('cashSale'), toNetsuite());
    expect(b.problems).toEqual([]);
    expect(b.recordTotal).toBe(6000);
    const items = (b.writes[0]!.body.item as { items: { item: { id: string }; amount: number }[] }).items;
    expect(items.map((l) => [l.item.id, l.amount])).toEqual([
      ['11', 100],
      ['78', -40],
    ]);
    expect(b.writes[0]!.body.paymentMethod).toEqual({ id: '4' });
    const checks = checkNetsuiteBuild(refund, b, nsOrder('cashSale'), null, OPTIONS);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.name === 'tender')!.found).toBe('money USD 60.00, stored value USD 40.00');
  });

  it('split card 20.00 + store credit 30.00 on an Invoice: memo with the store-credit line, payout of the money only', () => {
    const refund = sfRefund([
      tender('card', 'shopify_payments', 2000),
      tender('store_credit', 'shopify_store_credit', 3000),
    ]);
    const b = buildNetsuiteRecord(refund, nsOrder('invoice'), toNetsuite());
    expect(b.problems).toEqual([]);
    expect(b.writes.map((w) => w.recordType)).toEqual(['creditMemo', 'customerRefund']);
    expect(b.writes[1]!.body.total).toBe(20);
    expect(checkNetsuiteBuild(refund, b, nsOrder('invoice'), null, OPTIONS).filter((c) => !c.ok)).toEqual([]);
  });

  it('split with no store-credit item configured → tender_item_missing, nothing built', () => {
    const refund = sfRefund([
      tender('card', 'shopify_payments', 2000),
      tender('store_credit', 'shopify_store_credit', 3000),
    ]);
    const b = buildNetsuiteRecord(refund, nsOrder('invoice'), toNetsuite(NO_TENDER_ITEMS));
    expect(b.problems.map((p) => p.code)).toEqual(['tender_item_missing']);
    expect(b.writes).toEqual([]);
  });

  it('a source tender `other` is not refused: the tender check passes, "tender unverified"', () => {
    const refund = sfRefund([tender('other', 'manual', 2500)]);
    const b = buildNetsuiteRecord(refund, nsOrder('cashSale'), toNetsuite());
    expect(b.problems).toEqual([]);
    const t = checkNetsuiteBuild(refund, b, nsOrder('cashSale'), null, OPTIONS).find((c) => c.name === 'tender')!;
    expect(t.ok).toBe(true);
    expect(t.message).toMatch(/tender unverified/);
  });

  it('an exchange part → exchange_not_syncable; so does an exchange block with a known value', () => {
    const refund = sfRefund([tender('exchange', 'exchange-credit', 4000), tender('card', 'shopify_payments', 1000)]);
    expect(buildNetsuiteRecord(refund, nsOrder('invoice'), toNetsuite()).problems.map((p) => p.code)).toEqual([
      'exchange_not_syncable',
    ]);
    const withBlock = {
      ...sfRefund([tender('card', 'shopify_payments', 1000)]),
      exchange: { returnId: 'gid://shopify/Return/1', returnedValue: 5000, exchangeValue: 4000, balanceDue: 0 },
    };
    expect(buildNetsuiteRecord(withBlock, nsOrder('invoice'), toNetsuite()).problems.map((p) => p.code)).toEqual([
      'exchange_not_syncable',
    ]);
  });
});

const nsRecord = (input: Partial<CanonicalRefundInput> & { tenders: Tender[] }): CanonicalRefund =>
  CanonicalRefund.parse({
    side: 'netsuite',
    recordType: 'creditMemo',
    id: '141',
    documentNumber: 'CM1041',
    orderRef: '#1041',
    date: '2026-03-18',
    currency: 'USD',
    total: input.tenders.reduce((s, t) => s + t.amount, 0),
    lines: [{ sku: 'TEE', quantity: 1, amount: input.tenders.reduce((s, t) => s + t.amount, 0) }],
    kind: 'line_item',
    ...input,
  });

const sfOrder = (extra: Record<string, unknown> = {}) =>
  StorefrontOrderContext.parse({
    orderRef: '#1041',
    orderId: 'gid://shopify/Order/1041',
    currency: 'USD',
    orderTotal: 10000,
    lines: [{ sku: 'TEE', lineItemId: 'gid://shopify/LineItem/3041', quantity: 2 }],
    payments: [
      { parentId: 'gid://shopify/OrderTransaction/1', gateway: 'shopify_payments', kind: 'card', refundable: 6000 },
      { parentId: 'gid://shopify/OrderTransaction/2', gateway: 'gift_card', kind: 'gift_card', refundable: 4000 },
    ],
    customerId: 'gid://shopify/Customer/1',
    ...extra,
  });

const TENDERS: StorefrontTenderSettings = {
  storeCredit: true,
  splitTender: true,
  shopifyApiVersion: '2025-10',
  refundInputFields: null,
};
const toStore = (
  platform: StorefrontBuildSettings['platform'] = 'shopify',
  tenders: Partial<StorefrontTenderSettings> = {},
  options = OPTIONS,
): StorefrontBuildSettings => ({ platform, lineItemRefunds: 'yes', options, tenders: { ...TENDERS, ...tenders } });

const input = (b: ReturnType<typeof buildStorefrontRequest>) =>
  (b.writes[0]!.body.variables as { input: Record<string, unknown> }).input;
const STORE_CREDIT_ITEM = tender('store_credit', 'Store Credit', 5000);
const codes = (b: ReturnType<typeof buildStorefrontRequest>) => b.problems.map((p) => p.code);

describe('NetSuite record → storefront request, per tender (§5.2) and the refusals (§5.3)', () => {
  it('Cash Refund by a money method: one transaction to the order gateway, as today', () => {
    const record = nsRecord({ recordType: 'cashRefund', tenders: [tender('card', 'VISA', 5000)] });
    const b = buildStorefrontRequest(record, sfOrder(), toStore());
    expect(b.problems).toEqual([]);
    expect(input(b).transactions).toEqual([
      {
        orderId: 'gid://shopify/Order/1041',
        parentId: 'gid://shopify/OrderTransaction/1',
        amount: '50.00',
        gateway: 'shopify_payments',
        kind: 'REFUND',
      },
    ]);
    expect(input(b).refundMethods).toBeUndefined();
    expect(checkStorefrontBuild(record, b, null).filter((c) => !c.ok)).toEqual([]);
  });

  it('Credit Memo open, not marked: a card refund as today (the open part is money pending payout)', () => {
    const record = nsRecord({ tenders: [tender('store_credit', 'open-credit', 5000, { state: 'open' })] });
    const b = buildStorefrontRequest(record, sfOrder(), toStore());
    expect(b.problems).toEqual([]);
    expect((input(b).transactions as unknown[]).length).toBe(1);
    expect(checkStorefrontBuild(record, b, null).filter((c) => !c.ok)).toEqual([]);
  });

  it('Credit Memo marked by the storeCreditMarker body field: store credit, not a card refund', () => {
    const record = {
      ...nsRecord({ tenders: [tender('store_credit', 'open-credit', 5000, { state: 'open' })] }),
      bodyFlags: ['custbody_store_credit'],
    };
    const options = SyncOptions.parse({ ...OPTIONS, storeCreditMarker: 'custbody_store_credit' });
    const b = buildStorefrontRequest(record, sfOrder(), toStore('shopify', {}, options));
    expect(b.problems).toEqual([]);
    expect(input(b).transactions).toEqual([]);
    expect(checkStorefrontBuild(record, b, null).filter((c) => !c.ok)).toEqual([]);
  });

  it('gift card: a REFUND on gateway gift_card against the order’s gift-card SALE', () => {
    const record = nsRecord({ recordType: 'cashRefund', tenders: [tender('gift_card', 'Shopify Gift Card', 4000)] });
    const b = buildStorefrontRequest(record, sfOrder(), toStore());
    expect(b.problems).toEqual([]);
    expect(input(b).transactions).toEqual([
      {
        orderId: 'gid://shopify/Order/1041',
        parentId: 'gid://shopify/OrderTransaction/2',
        amount: '40.00',
        gateway: 'gift_card',
        kind: 'REFUND',
      },
    ]);
    expect(checkStorefrontBuild(record, b, null).filter((c) => !c.ok)).toEqual([]);
  });

  it('gift card on an order with no gift-card SALE able to take it → gift_card_not_mapped', () => {
    const record = nsRecord({ recordType: 'cashRefund', tenders: [tender('gift_card', 'Shopify Gift Card', 4000)] });
    const order = sfOrder({
      payments: [{ parentId: 'gid://shopify/OrderTransaction/1', gateway: 'shopify_payments', kind: 'card' }],
    });
    const b = buildStorefrontRequest(record, order, toStore());
    expect(codes(b)).toEqual(['gift_card_not_mapped']);
    expect(b.writes).toEqual([]);
  });

  it('split card 20.00 + store credit 30.00: transactions and refundMethods in one refundCreate', () => {
    const record = nsRecord({
      tenders: [tender('store_credit', 'Store Credit', 3000), tender('card', '', 2000, { state: 'paid_out' })],
    });
    const b = buildStorefrontRequest(record, sfOrder(), toStore());
    expect(b.problems).toEqual([]);
    expect((input(b).transactions as { amount: string }[]).map((t) => t.amount)).toEqual(['20.00']);
    expect(input(b).refundMethods).toEqual([
      { storeCreditRefund: { amount: { amount: '30.00', currencyCode: 'USD' } } },
    ]);
    expect(checkStorefrontBuild(record, b, null).filter((c) => !c.ok)).toEqual([]);
  });

  it('split on an account with splitTender off, or on BigCommerce → split_tender_unsupported', () => {
    const record = nsRecord({
      tenders: [tender('store_credit', 'Store Credit', 3000), tender('card', '', 2000, { state: 'paid_out' })],
    });
    expect(codes(buildStorefrontRequest(record, sfOrder(), toStore('shopify', { splitTender: false })))).toEqual([
      'split_tender_unsupported',
    ]);
    const bc = buildStorefrontRequest(
      record,
      sfOrder({ orderId: '141', payment: { providerId: 'braintree' }, payments: [] }),
      toStore('bigcommerce'),
    );
    expect(codes(bc)).toEqual(['split_tender_unsupported']);
    expect(bc.problems[0]!.message).toBe(
      'This storefront cannot take one refund in several tenders; refund each part by hand.',
    );
  });

  it('store credit refused: account off, WooCommerce, an order without customer — store_credit_unsupported', () => {
    const record = nsRecord({ tenders: [STORE_CREDIT_ITEM] });
    expect(codes(buildStorefrontRequest(record, sfOrder(), toStore('shopify', { storeCredit: false })))).toEqual([
      'store_credit_unsupported',
    ]);
    expect(codes(buildStorefrontRequest(record, sfOrder({ orderId: '727' }), toStore('woocommerce')))).toEqual([
      'store_credit_unsupported',
    ]);
    const guest = buildStorefrontRequest(record, sfOrder({ customerId: '' }), toStore());
    expect(codes(guest)).toEqual(['store_credit_unsupported']);
    expect(guest.notes.join(' ')).toMatch(/no customer/);
  });

  it('Shopify before 2025-10: refused unless introspection shows refundMethods', () => {
    const record = nsRecord({ tenders: [STORE_CREDIT_ITEM] });
    const old = buildStorefrontRequest(record, sfOrder(), toStore('shopify', { shopifyApiVersion: '2025-07' }));
    expect(codes(old)).toEqual(['store_credit_unsupported']);
    expect(old.notes.join(' ')).toMatch(/2025-07.*documented from 2025-10/);
    const asked = buildStorefrontRequest(
      record,
      sfOrder(),
      toStore('shopify', { shopifyApiVersion: '2025-07', refundInputFields: ['orderId', 'refundMethods'] }),
    );
    expect(asked.problems).toEqual([]);
  });

  it('store credit above the amount paid → store_credit_exceeds_paid', () => {
    const record = nsRecord({ tenders: [tender('store_credit', 'Store Credit', 12000)] });
    const b = buildStorefrontRequest(record, sfOrder({ orderTotal: 20000 }), toStore());
    expect(codes(b)).toEqual(['store_credit_exceeds_paid']);
    expect(b.problems[0]!.message).toBe("Store credit can't exceed the amount paid (USD 100.00).");
  });

  it('BigCommerce store credit for a customer in the default currency: provider storecredit', () => {
    const record = nsRecord({ tenders: [STORE_CREDIT_ITEM] });
    const order = sfOrder({
      orderId: '141',
      lines: [{ sku: 'TEE', lineItemId: '87', quantity: 2 }],
      payment: { providerId: 'braintree' },
      payments: [],
      customerId: '42',
      storeCurrency: 'USD',
    });
    const b = buildStorefrontRequest(record, order, toStore('bigcommerce'));
    expect(b.problems).toEqual([]);
    expect(b.writes[1]!.body.payments).toEqual([{ provider_id: 'storecredit', amount: 50, offline: false }]);
    expect(checkStorefrontBuild(record, b, null).filter((c) => !c.ok)).toEqual([]);
    const euro = buildStorefrontRequest(
      record,
      { ...order, currency: 'USD', storeCurrency: 'EUR' },
      toStore('bigcommerce'),
    );
    expect(codes(euro)).toEqual(['store_credit_guest']);
  });

  it('Credit Memo applied to another invoice → credit_applied_elsewhere, naming it', () => {
    const record = nsRecord({ tenders: [tender('store_credit', '', 5000, { state: 'applied', ref: 'INV2001' })] });
    const b = buildStorefrontRequest(record, sfOrder(), toStore());
    expect(codes(b)).toEqual(['credit_applied_elsewhere']);
    expect(b.problems[0]!.message).toBe(
      'NetSuite spent this credit on INV2001; there is nothing left to refund (`refundCreate` cannot issue a gift card either).',
    );
  });

  it('chargebacks won or prevented, and inquiries, do not refuse; an open or lost chargeback does', () => {
    const record = nsRecord({ recordType: 'cashRefund', tenders: [tender('card', 'VISA', 5000)] });
    const with_ = (type: string, status: string) =>
      codes(buildStorefrontRequest(record, sfOrder({ disputes: [{ id: 'd1', type, status }] }), toStore()));
    expect(with_('CHARGEBACK', 'WON')).toEqual([]);
    expect(with_('chargeback', 'prevented')).toEqual([]);
    expect(with_('INQUIRY', 'NEEDS_RESPONSE')).toEqual([]);
    expect(with_('CHARGEBACK', 'LOST')).toEqual(['chargeback_open']);
    expect(with_('CHARGEBACK', 'NEEDS_RESPONSE')).toEqual(['chargeback_open']);
  });
});
