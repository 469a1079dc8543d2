import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalCsvHeader, canonicalCsvRows } from '../../../src/main/importers/canonical-csv';
import { netsuiteRecordToRefund } from '../../../src/main/importers/record-json';
import { bigcommerceRefundToRefund } from '../../../src/main/mapping/bigcommerce';
import { shopifyGraphqlOrderToRefunds, shopifyOrderToRefunds } from '../../../src/main/mapping/shopify';
import { woocommerceRefundToRefund } from '../../../src/main/mapping/woocommerce';
import { type CanonicalRefund, CanonicalRefund as Schema, TenderKind } from '../../../src/shared/model';
import { importRefunds, tempFile } from './helpers';

/**
 * tenders.md §1.1: after every importer, Σ tenders[].amount = total exactly (none on a Return
 * Authorization), every tender positive. Inputs are generated in each vendor's documented shape
 * (apis.md; tenders.md §1.2–1.4), amounts as the vendors write them (decimal strings / numbers).
 */

function holds(r: CanonicalRefund): void {
  let sum = 0;
  for (const t of r.tenders) {
    expect(t.amount).toBeGreaterThan(0);
    expect(TenderKind.options).toContain(t.kind);
    sum += t.amount;
  }
  if (r.recordType === 'returnAuthorization') expect(r.tenders).toEqual([]);
  else if (r.total > 0) expect(sum).toBe(r.total);
  else expect(r.tenders).toEqual([]);
}

const cents = fc.integer({ min: 0, max: 5_000_000 });
const dec = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const shopifyGateway = fc.constantFrom(
  'shopify_payments',
  'shopify_store_credit',
  'gift_card',
  'exchange-credit',
  'cash',
  'manual',
  'paypal',
  'bogus',
  '',
);
const status = fc.constantFrom('success', 'success', 'failure', 'pending', 'error');
const kind = fc.constantFrom('refund', 'refund', 'refund', 'sale', 'void');

describe('tenders sum to the total after every importer (property)', () => {
  it('shopify-json (REST transactions[], shop money or bare amount)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ c: cents, gateway: shopifyGateway, status, kind, set: fc.boolean() }), { maxLength: 5 }),
        (txns) => {
          const order = {
            id: 1,
            name: '#1001',
            currency: 'USD',
            refunds: [
              {
                id: 9,
                created_at: '2026-03-01T10:00:00Z',
                processed_at: '2026-03-01T10:00:00Z',
                refund_line_items: [],
                transactions: txns.map((t, i) => ({
                  id: 100 + i,
                  kind: t.kind,
                  status: t.status,
                  gateway: t.gateway,
                  amount: dec(t.c),
                  currency: 'USD',
                  ...(t.set ? { amount_set: { shop_money: { amount: dec(t.c), currency_code: 'USD' } } } : {}),
                })),
              },
            ],
          };
          for (const r of shopifyOrderToRefunds(order)) holds(Schema.parse(r));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('shopify-jsonl / pulls (GraphQL transactions nodes, manualPaymentGateway)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ c: cents, gateway: shopifyGateway, status, manual: fc.boolean() }), { maxLength: 5 }),
        (txns) => {
          const order = {
            id: 'gid://shopify/Order/1',
            name: '#1001',
            currencyCode: 'USD',
            refunds: [
              {
                id: 'gid://shopify/Refund/9',
                createdAt: '2026-03-01T10:00:00Z',
                transactions: {
                  nodes: txns.map((t, i) => ({
                    id: `gid://shopify/OrderTransaction/${i}`,
                    kind: 'REFUND',
                    status: t.status.toUpperCase(),
                    gateway: t.gateway,
                    manualPaymentGateway: t.manual,
                    amountSet: { shopMoney: { amount: dec(t.c), currencyCode: 'USD' } },
                  })),
                },
              },
            ],
          };
          for (const r of shopifyGraphqlOrderToRefunds(order)) {
            const parsed = Schema.parse(r);
            holds(parsed);
            for (const t of parsed.tenders) if (t.kind !== 'other') expect(t.gateway).not.toBe('manual');
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('bigcommerce-json (payments[]: provider_id, offline, is_declined; or total_amount only)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: cents,
            provider: fc.constantFrom('storecredit', 'braintree', 'custom', 'stripe'),
            offline: fc.boolean(),
            declined: fc.boolean(),
          }),
          { maxLength: 4 },
        ),
        cents,
        (payments, totalOnly) => {
          const refund = {
            id: 12,
            order_id: 180,
            created: '2026-03-01T10:00:00+00:00',
            items: [],
            ...(payments.length > 0
              ? {
                  payments: payments.map((p, i) => ({
                    id: i + 1,
                    provider_id: p.provider,
                    amount: p.c / 100,
                    offline: p.offline,
                    is_declined: p.declined,
                  })),
                }
              : { total_amount: totalOnly / 100 }),
          };
          const r = Schema.parse(bigcommerceRefundToRefund(refund, { currency: 'USD' }));
          holds(r);
          for (const t of r.tenders) if (t.gateway === 'storecredit') expect(t.kind).toBe('store_credit');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('woocommerce-json (refunded_payment true/false/absent; the order payment_method)', () => {
    fc.assert(
      fc.property(cents, fc.constantFrom(true, false, undefined), fc.boolean(), (c, refunded, withOrder) => {
        const refund = {
          id: 726,
          date_created: '2026-03-01T10:00:00',
          amount: dec(c),
          line_items: [],
          ...(refunded === undefined ? {} : { refunded_payment: refunded }),
        };
        const order = withOrder ? { number: '723', currency: 'USD', paymentMethod: 'stripe' } : undefined;
        const r = Schema.parse(woocommerceRefundToRefund(refund, order, { currency: 'USD' }));
        holds(r);
        if (c > 0 && refunded === true)
          expect(r.tenders[0]).toMatchObject({ kind: 'card', gateway: withOrder ? 'stripe' : '' });
        if (c > 0 && refunded === false) expect(r.tenders[0]).toMatchObject({ kind: 'other', gateway: 'manual' });
      }),
      { numRuns: 200 },
    );
  });

  it('record-json (payment method, apply sublist, amountRemaining, status, tender items)', () => {
    const types = ['cashRefund', 'creditMemo', 'customerRefund', 'returnAuthorization'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.option(fc.constantFrom('VISA', 'Store Credit', 'Shopify Gift Card', 'Check', 'Cash'), { nil: undefined }),
        fc.array(
          fc.record({ c: fc.integer({ min: 0, max: 2_000_000 }), type: fc.constantFrom('Invoice', 'Customer Refund') }),
          {
            maxLength: 3,
          },
        ),
        fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 500_000 }), { nil: undefined }),
        fc.constantFrom('Open', 'Fully Applied', undefined),
        (type, amounts, method, apply, remaining, tenderItem, st) => {
          const lines = amounts.map((a, i) => ({
            item: { id: String(i), refName: `SKU${i}` },
            quantity: 1,
            amount: a / 100,
          }));
          if (tenderItem !== undefined)
            lines.push({ item: { id: '99', refName: 'Store Credit' }, quantity: 1, amount: -tenderItem / 100 });
          const record = {
            id: '1',
            tranId: 'X1',
            tranDate: '2026-03-17',
            links: [
              {
                rel: 'self',
                href: `https://a.suitetalk.api.netsuite.com/services/rest/record/v1/${type.toLowerCase()}/1`,
              },
            ],
            currency: { refName: 'USD' },
            item: { items: lines },
            ...(method ? { paymentMethod: { id: '5', refName: method } } : {}),
            ...(st ? { status: { refName: st } } : {}),
            ...(remaining !== undefined ? { amountRemaining: remaining / 100 } : {}),
            apply: {
              items: apply.map((a, i) => ({
                apply: true,
                doc: { id: String(50 + i) },
                type: a.type,
                refNum: `D${i}`,
                amount: a.c / 100,
              })),
            },
          };
          const r = Schema.parse(
            netsuiteRecordToRefund(record, {
              currency: 'USD',
              itemRoles: {
                shipping: [],
                generic: [],
                tax: [],
                tender: [{ item: 'Store Credit', kind: 'store_credit' }],
              },
            }),
          );
          holds(r);
          expect(r.recordTotal).not.toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('suiteql-json, saved-search-csv, shopify-csv and canonical-csv (through the file importers)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            c: fc.integer({ min: 1, max: 1_000_000 }),
            type: fc.constantFrom('CashRfnd', 'CustCred', 'CustRfnd'),
            method: fc.constantFrom('', 'VISA', 'Store Credit', 'Check'),
            status: fc.constantFrom('CustCred:A', 'CustCred:B', ''),
            remaining: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (recs) => {
          const rows = recs.map((r, i) => ({
            id: String(i + 1),
            tranid: `T${i}`,
            type: r.type,
            trandate: '2026-03-17',
            currency: 'USD',
            mainline: 'T',
            foreignamount: -r.c / 100,
            status: r.status,
            ...(r.method ? { paymentmethod: r.method } : {}),
            ...(r.remaining !== undefined ? { foreignamountremaining: r.remaining / 100 } : {}),
          }));
          const suiteql = tempFile('p.json', JSON.stringify({ items: rows, hasMore: false }));
          const ns = await importRefunds(suiteql, { side: 'netsuite', format: 'suiteql-json' });
          expect(ns.refunds.length).toBe(recs.length);
          for (const r of ns.refunds) holds(r);

          const csv = [
            'Internal ID,Type,Date,Document Number,Main Line,Item,Amount,Currency,Status,Payment Method,Amount Remaining',
            ...recs.map(
              (r, i) =>
                `${i + 1},${r.type === 'CashRfnd' ? 'Cash Refund' : r.type === 'CustCred' ? 'Credit Memo' : 'Customer Refund'},3/17/2026,T${i},*,,${-r.c / 100},USD,${r.status === 'CustCred:A' ? 'Open' : r.status === 'CustCred:B' ? 'Fully Applied' : ''},${r.method},${r.remaining === undefined ? '' : r.remaining / 100}`,
            ),
          ].join('\n');
          const ss = await importRefunds(tempFile('s.csv', `${csv}\n`), {
            side: 'netsuite',
            format: 'saved-search-csv',
          });
          expect(ss.refunds.length).toBe(recs.length);
          for (const r of ss.refunds) holds(r);

          const canon = tempFile('c.csv', canonicalCsvHeader() + ss.refunds.map(canonicalCsvRows).join(''));
          const back = await importRefunds(canon, { side: 'netsuite', format: 'canonical-csv' });
          expect(back.refunds.map((r) => r.tenders)).toEqual(ss.refunds.map((r) => r.tenders));

          const shop = [
            'Name,Email,Financial Status,Paid at,Currency,Total,Refunded Amount,Created at',
            ...recs.map(
              (r, i) =>
                `#${1000 + i},a@b.c,refunded,2026-03-01 10:00:00 +0000,USD,${r.c / 100},${r.c / 100},2026-03-01 10:00:00 +0000`,
            ),
          ].join('\n');
          const sc = await importRefunds(tempFile('o.csv', `${shop}\n`), { side: 'storefront', format: 'shopify-csv' });
          expect(sc.refunds.length).toBe(recs.length);
          for (const r of sc.refunds) {
            holds(r);
            expect(r.tenders.every((t) => t.kind === 'other')).toBe(true);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
