import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CanonicalRefund, defaultTenders, type Tender } from '../../../src/shared/model';
import { importRefunds } from './helpers';

/**
 * Every Shopify format we read, from samples shaped after Shopify's published examples
 * (test/fixtures/vendor-docs/shopify/README.md says where from), against canonical refunds written
 * by hand.
 */

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'vendor-docs', 'shopify');
const file = (name: string) => path.join(DIR, name);

/** A canonical storefront refund with the defaults spelled out. */
function refund(over: Partial<CanonicalRefund> & Pick<CanonicalRefund, 'id' | 'date' | 'total'>): CanonicalRefund {
  return {
    amountRemaining: null,
    applications: [],
    recordTotal: null,
    tenders: defaultTenders({ recordType: 'refund', total: over.total }),
    side: 'storefront',
    documentNumber: over.id,
    recordType: 'refund',
    orderRef: '',
    createdFrom: null,
    currency: 'USD',
    shipping: 0,
    tax: 0,
    adjustment: 0,
    lines: [],
    kind: 'general',
    externalId: '',
    memo: '',
    isTest: false,
    status: 'ok',
    appliesTo: '',
    moneyMoved: true,
    presentment: null,
    ...over,
  };
}

/** A settled card tender (tenders.md §1.2: any gateway not named in its table is a card). */
function card(gateway: string, amount: number, ref: string): Tender {
  return { kind: 'card', gateway, amount, presentmentAmount: null, state: 'settled', ref };
}

describe('Shopify vendor-doc samples', () => {
  it('REST refunds endpoint: the transaction is the money refunded; lines with their tax', async () => {
    const { refunds } = await importRefunds(file('rest-refunds-endpoint.json'), {
      side: 'storefront',
      format: 'shopify-json',
    });
    expect(refunds).toEqual([
      refund({
        id: '509562969',
        orderRef: '450789469',
        date: '2023-10-03',
        total: 20900,
        tax: 796,
        kind: 'line_item',
        memo: 'it broke during shipping',
        tenders: [card('bogus', 20900, '179259969')],
        lines: [
          {
            sku: 'IPOD2008BLACK',
            description: 'IPod Nano - 8gb - black',
            quantity: 1,
            amount: 19566,
            tax: 398,
            role: 'item',
          },
          {
            sku: 'IPOD2008GREEN',
            description: 'IPod Nano - 8gb - green',
            quantity: 1,
            amount: 19567,
            tax: 398,
            role: 'item',
          },
        ],
      }),
    ]);
  });

  it('REST single refund: a shipping refund from its order adjustment; a test transaction marks it test', async () => {
    const { refunds } = await importRefunds(file('rest-refund-shipping.json'), {
      side: 'storefront',
      format: 'shopify-json',
    });
    expect(refunds).toEqual([
      refund({
        id: '929361465',
        orderRef: '450789469',
        date: '2023-10-03',
        total: 500,
        shipping: 500,
        isTest: true,
        tenders: [card('bogus', 500, '1068278483')],
        lines: [{ sku: '', description: 'Shipping refund', quantity: 0, amount: 500, tax: 0, role: 'shipping' }],
      }),
    ]);
  });

  it('REST order in two currencies: shop money, and every part in presentment money beside it', async () => {
    const { refunds } = await importRefunds(file('rest-order-multicurrency.json'), {
      side: 'storefront',
      format: 'shopify-json',
    });
    expect(refunds).toEqual([
      refund({
        id: '509562969',
        orderRef: '#1042',
        date: '2026-03-02',
        total: 6424,
        shipping: 434,
        kind: 'line_item',
        memo: 'wrong size',
        // The transaction is in presentment money only: its shop amount is the refund's total.
        tenders: [{ ...card('bogus', 6424, '179259969'), presentmentAmount: 8872 }],
        lines: [
          {
            sku: 'IPOD2008BLACK',
            description: 'IPod Nano - 8gb - black',
            quantity: 1,
            amount: 5990,
            tax: 0,
            role: 'item',
          },
          { sku: '', description: 'Shipping refund', quantity: 0, amount: 434, tax: 0, role: 'shipping' },
        ],
        presentment: {
          currency: 'CAD',
          total: 8872,
          parts: {
            shipping: 599,
            tax: 0,
            adjustment: 0,
            lines: [
              { amount: 8273, tax: 0 },
              { amount: 599, tax: 0 },
            ],
          },
        },
      }),
    ]);
  });

  // Refunds inline in a bulk file carry their totals only (a list field holds no connection).
  const bulkExpected = [
    refund({
      id: '509562969',
      orderRef: '#1001',
      date: '2023-10-03',
      total: 20900,
      memo: 'it broke during shipping',
      linesExported: false,
    }),
    refund({ id: '929361465', orderRef: '#1001', date: '2023-10-03', total: 500, linesExported: false }),
    refund({
      id: '509562970',
      orderRef: '#1002',
      date: '2023-10-04',
      total: 0,
      memo: 'restock only',
      moneyMoved: false,
      linesExported: false,
    }),
    refund({
      id: '509562971',
      orderRef: '#1002',
      date: '2023-10-04',
      total: 6424,
      linesExported: false,
      presentment: { currency: 'CAD', total: 8872 },
    }),
  ];

  for (const name of ['graphql-bulk-grouped.jsonl', 'graphql-bulk-ungrouped.jsonl']) {
    it(`GraphQL bulk JSONL (${name}): each refund on its total, never "no money moved" when money moved`, async () => {
      const { refunds } = await importRefunds(file(name), { side: 'storefront', format: 'shopify-jsonl' });
      expect(refunds).toEqual(bulkExpected);
    });
  }

  it('admin orders CSV: one general refund per order with a refunded amount, its lines not in the export', async () => {
    const { refunds } = await importRefunds(file('admin-orders-export.csv'), {
      side: 'storefront',
      format: 'shopify-csv',
    });
    expect(refunds).toEqual([
      refund({
        id: '450789469-refunded',
        documentNumber: '#1001',
        orderRef: '#1001',
        date: '2023-10-02',
        total: 21400,
        memo: 'partially_refunded',
        linesExported: false,
      }),
      refund({
        id: '450789471-refunded',
        documentNumber: '#1003',
        orderRef: '#1003',
        date: '2023-10-06',
        total: 21094,
        memo: 'refunded',
        linesExported: false,
      }),
    ]);
  });
});
