import { describe, expect, it } from 'vitest';
import { type ReconcileResult, reconcile } from '../../../src/main/reconcile/engine';
import { hintFor } from '../../../src/main/reconcile/hints';
import { resultTenders } from '../../../src/main/reconcile/tender-output';
import { CanonicalRefund, type CanonicalRefundInput, type Tender } from '../../../src/shared/model';

/**
 * tenders.md §7 cases 20–25 (exchanges, §4.3), with canonical refunds as the GraphQL importer will
 * build them (§4.1: `exchange` block, exchange tender = min(E, max(0, R − Σ other tenders))) until
 * the Shopify importers fill the block; NetSuite as the record importers build it (§1.4).
 */

const RULES = { tolerance: { default: '0.01', byCurrency: {} }, asOf: '2026-03-20' };

function t(kind: Tender['kind'], gateway: string, amount: number, extra: Partial<Tender> = {}): Tender {
  return { kind, gateway, amount, presentmentAmount: null, state: 'settled', ref: '', ...extra };
}

function sf(id: string, order: string, total: number, tenders: Tender[], extra: Partial<CanonicalRefundInput> = {}) {
  return CanonicalRefund.parse({
    side: 'storefront',
    id,
    recordType: 'refund',
    orderRef: order,
    date: '2026-03-17',
    currency: 'USD',
    total,
    kind: 'line_item',
    lines: [{ sku: 'TEE', quantity: 1, amount: extra.exchange?.returnedValue ?? total, role: 'item' }],
    tenders,
    ...extra,
  });
}

function ns(
  id: string,
  order: string,
  recordType: CanonicalRefund['recordType'],
  total: number,
  extra: Partial<CanonicalRefundInput> = {},
) {
  return CanonicalRefund.parse({
    side: 'netsuite',
    id,
    documentNumber: id,
    recordType,
    orderRef: order,
    date: '2026-03-17',
    currency: 'USD',
    total,
    kind: 'line_item',
    lines: [{ sku: 'TEE', quantity: 1, amount: total, role: 'item' }],
    ...extra,
  });
}

/** X1: RA → Credit Memo for R, E applied to the exchange Invoice, the rest paid out by a Customer Refund. */
function x1(order: string, n: string, returned: number, exchanged: number, refunded: number) {
  const memo = ns(`CM${n}`, order, 'creditMemo', returned, {
    createdFrom: { type: 'returnAuthorization', ref: `RA${n}` },
    amountRemaining: 0,
    applications: [
      ...(refunded > 0
        ? [{ docType: 'customerRefund' as const, doc: `CRF${n}`, tranId: `CRF${n}`, amount: refunded }]
        : []),
      { docType: 'invoice' as const, doc: `INV${n}`, tranId: `INV${n}`, amount: exchanged },
    ],
    tenders: [
      ...(refunded > 0 ? [t('other', '', refunded, { state: 'paid_out', ref: `CRF${n}` })] : []),
      t('store_credit', '', exchanged, { state: 'applied', ref: `INV${n}` }),
    ],
  });
  const payout =
    refunded > 0
      ? [
          ns(`CRF${n}`, order, 'customerRefund', refunded, {
            appliesTo: `CM${n}`,
            lines: [],
            kind: 'general',
            tenders: [t('card', 'VISA', refunded)],
          }),
        ]
      : [];
  return [memo, ...payout];
}

function one(results: ReconcileResult[], order: string): ReconcileResult {
  const found = results.filter((r) => r.orderRef === order);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const exchangeBlock = (returnId: string, r: number, e: number | null) => ({
  returnId,
  returnedValue: r,
  exchangeValue: e,
  balanceDue: e === null ? null : Math.max(0, e - r),
});

describe('tenders.md §7 exchange cases 20–25', () => {
  const storefront = [
    // 20: lines 50.00, card 10.00; return R 50.00, E 40.00 → exchange tender 40.00.
    sf('R20', '#1020', 5000, [t('card', 'shopify_payments', 1000), t('exchange', '', 4000)], {
      exchange: exchangeBlock('gid://shopify/Return/20', 5000, 4000),
    }),
    // 21: the exchange credit as a transaction (gateway exchange-credit), no exchange block.
    sf('R21', '#1021', 5000, [t('exchange', 'exchange-credit', 4000), t('card', 'shopify_payments', 1000)]),
    // 22: as 20, NetSuite pattern X2 (POS: Cash Refund of R, new Cash Sale for the exchange items).
    sf('R22', '#1022', 5000, [t('card', 'shopify_payments', 1000), t('exchange', '', 4000)], {
      exchange: exchangeBlock('gid://shopify/Return/22', 5000, 4000),
    }),
    // 23: lines 30.00, no transaction; R 30.00, E 45.00 → exchange 30.00, balance due 15.00.
    sf('R23', '#1023', 3000, [t('exchange', '', 3000)], {
      moneyMoved: false,
      exchange: exchangeBlock('gid://shopify/Return/23', 3000, 4500),
    }),
    // 24: as 23, nothing in NetSuite.
    sf('R24', '#1024', 3000, [t('exchange', '', 3000)], {
      moneyMoved: false,
      exchange: exchangeBlock('gid://shopify/Return/24', 3000, 4500),
    }),
    // 25: REST only: card 10.00 and the return's id; E unknown, no exchange tender.
    sf('R25', '#1025', 1000, [t('card', 'shopify_payments', 1000)], {
      exchange: exchangeBlock('25', 5000, null),
      lines: [{ sku: 'TEE', quantity: 1, amount: 5000, role: 'item' }],
    }),
  ];
  const netsuite = [
    ...x1('#1020', '2001', 5000, 4000, 1000),
    ...x1('#1021', '2021', 5000, 4000, 1000),
    ns('CASHR22', '#1022', 'cashRefund', 5000, {
      createdFrom: { type: 'cashSale', ref: 'CS1001' },
      tenders: [t('card', 'VISA', 5000)],
    }),
    ...x1('#1023', '2002', 3000, 3000, 0),
    ...x1('#1025', '2025', 5000, 4000, 1000),
  ];
  const results = reconcile(storefront, netsuite, RULES).results;

  it('20: X1 recorded consistently → exchange (info), naming the return, R, E and the invoice', () => {
    const r = one(results, '#1020');
    expect(r).toMatchObject({ code: 'exchange', severity: 'info' });
    const hint = hintFor(r);
    for (const w of [
      'gid://shopify/Return/20',
      'items returned USD 50.00',
      'exchange items USD 40.00',
      'INV2001',
      'recorded consistently',
    ])
      expect(hint).toContain(w);
    expect(resultTenders(r).exchange).toEqual({
      returnId: 'gid://shopify/Return/20',
      returned: '50.00',
      exchanged: '40.00',
      balanceDue: '0.00',
    });
  });

  it('21: an exchange-credit transaction against X1 → exchange (info)', () => {
    expect(one(results, '#1021')).toMatchObject({ code: 'exchange', severity: 'info' });
  });

  it('22: X2, NetSuite refunded the full R as money → exchange (warning), asking for the Cash Sale', () => {
    const r = one(results, '#1022');
    expect(r).toMatchObject({ code: 'exchange', severity: 'warning' });
    expect(r.issues).not.toContain('tender_mismatch');
    expect(hintFor(r)).toContain('check that a Cash Sale of USD 40.00 exists for order #1022');
  });

  it('23: the customer pays more → exchange (info) with the balance due named', () => {
    const r = one(results, '#1023');
    expect(r).toMatchObject({ code: 'exchange', severity: 'info' });
    expect(hintFor(r)).toContain('the customer owes USD 15.00');
  });

  it('24: an exchange with nothing in NetSuite → exchange (warning), not no_money_moved', () => {
    const r = one(results, '#1024');
    expect(r).toMatchObject({ code: 'exchange', severity: 'warning' });
    expect(hintFor(r)).toContain('NetSuite holds no record of this return');
  });

  it('25: REST only (return id, no exchange value) → amount_mismatch asking for a GraphQL export', () => {
    const r = one(results, '#1025');
    expect(r.code).toBe('amount_mismatch');
    expect(hintFor(r)).toContain('export or pull the refunds with GraphQL');
  });

  it('an exchange whose NetSuite side pays out neither money nor exchange credit is a tender_mismatch', () => {
    const out = reconcile(
      [sf('R26', '#1099', 5000, [t('card', 'shopify_payments', 1000), t('exchange', '', 4000)])],
      [ns('CM99', '#1099', 'creditMemo', 5000, { tenders: [t('card', 'VISA', 1000), t('gift_card', 'GC', 4000)] })],
      RULES,
    ).results;
    expect(out[0]!.code).toBe('tender_mismatch');
  });
});
