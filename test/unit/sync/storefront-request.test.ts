import { describe, expect, it } from 'vitest';
import {
  buildStorefrontRequest,
  SHOPIFY_REFUND_CREATE,
  type StorefrontBuildSettings,
} from '../../../src/main/sync/builders/storefront-request';
import { checkStorefrontBuild } from '../../../src/main/sync/checks';
import * as F from '../../fixtures/sync/refunds';

const shopify: StorefrontBuildSettings = { platform: 'shopify', lineItemRefunds: 'yes', options: F.OPTIONS };
const shop = (ref: string) => F.SHOPIFY_ORDERS.find((o) => o.orderRef === ref)!;

describe('NetSuite refund → storefront request', () => {
  it('Shopify: refundCreate input with line items, transactions against the parent sale, and an idempotency key', () => {
    const b = buildStorefrontRequest(F.NS_CREDIT_MEMO, shop('#2001'), shopify);
    expect(b.problems).toEqual([]);
    expect(b.idempotencyKey).toBe('netsuite-creditMemo-5001');
    expect(b.writes).toHaveLength(1);
    const w = b.writes[0]!;
    expect(w.body.query).toBe(SHOPIFY_REFUND_CREATE);
    expect(SHOPIFY_REFUND_CREATE).toMatch(/@idempotent\(key: \$idempotencyKey\)/);
    expect(w.body.variables).toEqual({
      idempotencyKey: 'netsuite-creditMemo-5001',
      input: {
        orderId: 'gid://shopify/Order/820001',
        note: 'NetSuite CM5001 [netsuite-creditMemo-5001]',
        notify: false,
        refundLineItems: [{ lineItemId: 'gid://shopify/LineItem/1', quantity: 1, restockType: 'NO_RESTOCK' }],
        transactions: [
          {
            orderId: 'gid://shopify/Order/820001',
            parentId: 'gid://shopify/OrderTransaction/71',
            amount: '27.00',
            gateway: 'shopify_payments',
            kind: 'REFUND',
          },
        ],
      },
    });
    expect(checkStorefrontBuild(F.NS_CREDIT_MEMO, b, null).filter((c) => !c.ok)).toEqual([]);
  });

  it('Shopify: full refund with shipping carries the shipping amount', () => {
    const b = buildStorefrontRequest(F.NS_CASH_REFUND_FULL, shop('#2002'), shopify);
    expect(b.problems).toEqual([]);
    const input = (b.writes[0]!.body.variables as { input: Record<string, unknown> }).input;
    expect(input.shipping).toEqual({ amount: '5.00' });
    expect(input.refundLineItems).toEqual([
      { lineItemId: 'gid://shopify/LineItem/2', quantity: 2, restockType: 'NO_RESTOCK' },
    ]);
    expect((input.transactions as { amount: string }[])[0]!.amount).toBe('62.96');
  });

  it('generic NetSuite refund, or a storefront without line-item refunds: amount only', () => {
    const general = buildStorefrontRequest(F.NS_GENERAL, shop('#2003'), shopify);
    expect(general.mode).toBe('amount_only');
    const input = (general.writes[0]!.body.variables as { input: Record<string, unknown> }).input;
    expect(input.refundLineItems).toBeUndefined();
    expect((input.transactions as { amount: string }[])[0]!.amount).toBe('7.50');
    const noLines = buildStorefrontRequest(F.NS_CREDIT_MEMO, shop('#2001'), { ...shopify, lineItemRefunds: 'no' });
    expect(noLines.mode).toBe('amount_only');
    expect(
      (noLines.writes[0]!.body.variables as { input: Record<string, unknown> }).input.refundLineItems,
    ).toBeUndefined();
  });

  it('BigCommerce: a refund quote (calculation, not a write), then the refund with the payment amount', () => {
    const b = buildStorefrontRequest(F.NS_CASH_REFUND_FULL, F.BIGCOMMERCE_ORDER, {
      ...shopify,
      platform: 'bigcommerce',
    });
    expect(b.problems).toEqual([]);
    expect(b.writes.map((w) => [w.kind, w.path, w.writes])).toEqual([
      ['bigcommerce_refund_quote', '/orders/180/payment_actions/refund_quotes', false],
      ['bigcommerce_refund', '/orders/180/payment_actions/refunds', true],
    ]);
    const items = b.writes[1]!.body.items as Record<string, unknown>[];
    expect(items.map((i) => [i.item_type, i.item_id, i.quantity ?? i.amount])).toEqual([
      ['PRODUCT', 87, 2],
      ['SHIPPING', 12, 5],
    ]);
    expect(b.writes[1]!.body.payments).toEqual([{ provider_id: 'braintree', amount: 62.96, offline: false }]);
    expect(b.writes[1]!.body.reason).toBe('NetSuite CR5003 [netsuite-cashRefund-5003]');
    expect(b.writes[0]!.body).toEqual({ items });
  });

  it('WooCommerce: refund with refund_total per line (ex tax), refund_tax by rate id, amount as the exact total', () => {
    const b = buildStorefrontRequest(F.NS_CASH_REFUND_FULL, F.WOO_ORDER, { ...shopify, platform: 'woocommerce' });
    expect(b.problems).toEqual([]);
    expect(b.writes[0]!.path).toBe('/orders/727/refunds');
    expect(b.writes[0]!.body).toMatchObject({
      amount: '62.96',
      reason: 'NetSuite CR5003 [netsuite-cashRefund-5003]',
      meta_data: [{ key: '_refund_recon_key', value: 'netsuite-cashRefund-5003' }],
      api_refund: false,
      line_items: [
        { id: '111', quantity: 2, refund_total: 54, refund_tax: [{ id: '222', refund_total: 3.96 }] },
        { id: '333', refund_total: 5 },
      ],
    });
    expect(checkStorefrontBuild(F.NS_CASH_REFUND_FULL, b, null).filter((c) => !c.ok)).toEqual([]);
  });

  it('refuses Customer Refunds, records the other sync wrote being sent back is filtered by the plan, and says why', () => {
    expect(buildStorefrontRequest(F.NS_CUSTOMER_REFUND, shop('#2001'), shopify).problems[0]!.code).toBe(
      'not_a_refund_record',
    );
    expect(buildStorefrontRequest(F.NS_CREDIT_MEMO, null, shopify).problems[0]!.code).toBe('order_not_in_storefront');
    const tooMany = buildStorefrontRequest(
      { ...F.NS_CREDIT_MEMO, lines: [{ ...F.NS_CREDIT_MEMO.lines[0]!, quantity: 3 }] },
      shop('#2001'),
      shopify,
    );
    expect(tooMany.problems.map((p) => p.code)).toContain('quantity_exceeds_order');
    expect(
      buildStorefrontRequest(F.NS_CREDIT_MEMO, shop('#2001'), { ...shopify, platform: 'amazon' }).problems[0]!.code,
    ).toBe('no_refund_api');
  });

  it('already synced: the check fails with the reason', () => {
    const b = buildStorefrontRequest(F.NS_CREDIT_MEMO, shop('#2001'), shopify);
    const c = checkStorefrontBuild(
      F.NS_CREDIT_MEMO,
      b,
      'storefront refund 1 carries key netsuite-creditMemo-5001',
    ).find((x) => x.name === 'already_synced')!;
    expect(c.ok).toBe(false);
  });
});
