import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shopifyGraphqlOrderToRefunds, shopifyOrderToRefunds } from '../../../src/main/mapping/shopify';
import { CanonicalRefund } from '../../../src/shared/model';

/**
 * The exchange block and tender of tenders.md §4.1, as the shared Shopify mapping builds them for
 * the GraphQL files (`shopify-jsonl`), the pull and REST files (`shopify-json`, `return` id only).
 * Shapes: `Refund.return { id exchangeLineItems { nodes { processedQuantity lineItems {
 * discountedTotalSet taxLines { priceSet } } } } }` [doc S7]; REST `refunds[].return` [doc S6].
 */

const money = (amount: string) => ({
  shopMoney: { amount, currencyCode: 'USD' },
  presentmentMoney: { amount, currencyCode: 'USD' },
});
const dec = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;

function graphqlOrder(
  lines: number,
  moneyBack: number,
  exchange: { amount: number; tax: number; processed: number }[],
) {
  return {
    id: 'gid://shopify/Order/1',
    name: '#1020',
    currencyCode: 'USD',
    presentmentCurrencyCode: 'USD',
    refunds: [
      {
        id: 'gid://shopify/Refund/920',
        legacyResourceId: '920',
        createdAt: '2026-03-17T10:00:00Z',
        refundLineItems: {
          nodes: [
            { quantity: 1, lineItem: { sku: 'TEE' }, subtotalSet: money(dec(lines)), totalTaxSet: money('0.00') },
          ],
        },
        transactions: {
          nodes:
            moneyBack > 0
              ? [
                  {
                    id: 'gid://shopify/OrderTransaction/1',
                    kind: 'REFUND',
                    status: 'SUCCESS',
                    gateway: 'shopify_payments',
                    amountSet: money(dec(moneyBack)),
                  },
                ]
              : [],
        },
        orderAdjustments: { nodes: [] },
        return: {
          id: 'gid://shopify/Return/20',
          exchangeLineItems: {
            nodes: exchange.map((e) => ({
              processedQuantity: e.processed,
              lineItems: [
                {
                  sku: 'TEE-BLUE',
                  discountedTotalSet: money(dec(e.amount)),
                  taxLines: e.tax ? [{ priceSet: money(dec(e.tax)) }] : [],
                },
              ],
            })),
          },
        },
      },
    ],
  };
}

describe('Shopify exchanges (tenders.md §4.1)', () => {
  it('GraphQL: R, E, balance due and the exchange tender (case 20)', () => {
    const [r] = shopifyGraphqlOrderToRefunds(graphqlOrder(5000, 1000, [{ amount: 4000, tax: 0, processed: 1 }]));
    const refund = CanonicalRefund.parse(r);
    expect(refund.exchange).toEqual({ returnId: '20', returnedValue: 5000, exchangeValue: 4000, balanceDue: 0 });
    expect(refund.tenders.map((t) => [t.kind, t.amount])).toEqual([
      ['card', 1000],
      ['exchange', 4000],
    ]);
    expect(refund.total).toBe(5000);
  });

  it('exchange items not yet processed are no exchange (no block, no tender)', () => {
    const [r] = shopifyGraphqlOrderToRefunds(graphqlOrder(5000, 5000, [{ amount: 4000, tax: 0, processed: 0 }]));
    expect(r!.exchange).toBeUndefined();
    expect(r!.tenders!.map((t) => t.kind)).toEqual(['card']);
  });

  it('REST: the return id only — E unknown, no exchange tender (case 25)', () => {
    const [r] = shopifyOrderToRefunds({
      id: 1,
      name: '#1025',
      currency: 'USD',
      refunds: [
        {
          id: 925,
          processed_at: '2026-03-17T10:00:00Z',
          return: { id: 25, admin_graphql_api_id: 'gid://shopify/Return/25' },
          refund_line_items: [{ quantity: 1, line_item: { sku: 'TEE' }, subtotal: '50.00', total_tax: '0.00' }],
          transactions: [{ id: 7, kind: 'refund', status: 'success', gateway: 'shopify_payments', amount: '10.00' }],
          order_adjustments: [],
        },
      ],
    });
    expect(r!.exchange).toEqual({ returnId: '25', returnedValue: 5000, exchangeValue: null, balanceDue: null });
    expect(r!.tenders!.map((t) => [t.kind, t.amount])).toEqual([['card', 1000]]);
    expect(r!.total).toBe(1000);
  });

  it('property: tenders sum to the total; the exchange tender is min(E, max(0, R − money))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.array(
          fc.record({
            amount: fc.integer({ min: 0, max: 90_000 }),
            tax: fc.integer({ min: 0, max: 9_000 }),
            processed: fc.integer({ min: 0, max: 2 }),
          }),
          { maxLength: 3 },
        ),
        (lines, moneyBack, exchange) => {
          const refund = CanonicalRefund.parse(
            shopifyGraphqlOrderToRefunds(graphqlOrder(lines, moneyBack, exchange))[0],
          );
          const sum = refund.tenders.reduce((n, t) => n + t.amount, 0);
          expect(sum).toBe(refund.total);
          const e = exchange.filter((x) => x.processed > 0).reduce((n, x) => n + x.amount + x.tax, 0);
          const tender = refund.tenders.find((t) => t.kind === 'exchange')?.amount ?? 0;
          expect(tender).toBe(e > 0 ? Math.min(e, Math.max(0, lines - moneyBack)) : 0);
          if (e > 0) expect(refund.exchange?.balanceDue).toBe(Math.max(0, e - lines));
        },
      ),
      { numRuns: 300 },
    );
  });
});
