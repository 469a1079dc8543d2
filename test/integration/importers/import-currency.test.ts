import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { openWorkspace } from '../../../src/main/store/open';

/**
 * Issue 14 defect 5 in the app's import (snapshot:detect-format + snapshot:import, as the
 * Snapshots screen calls them): the format of a BigCommerce refunds file needs a currency; the
 * linked account's currency is offered and used when none is chosen; without one the error has
 * the code the screen words as a control (and no CLI flag).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-import-cur-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// v3 refunds as GET /orders/payment_actions/refunds returns them (apis.md §3): no currency.
const refunds = {
  data: [
    {
      id: 12,
      order_id: 180,
      user_id: 0,
      created: '2022-06-16T16:44:15+00:00',
      reason: 'Customer requires a refund.',
      total_amount: 4.5,
      total_tax: 0,
      uses_merchant_override_values: false,
      payments: [{ id: 13, provider_id: 'storecredit', amount: 4.5, offline: true, is_declined: false }],
      items: [{ item_type: 'SHIPPING', item_id: 3, requested_amount: 4.5 }],
    },
  ],
  meta: {},
};

function context(workspace: string): AppContext {
  return { db: openWorkspace(workspace), workspacePath: workspace, isDemo: false, appVersion: 'test', emit: () => {} };
}

function addAccount(ctx: AppContext, settings: string): number {
  const now = new Date().toISOString();
  return Number(
    ctx.db
      .prepare(
        "INSERT INTO storefront_accounts (platform, name, api_settings, created_at, updated_at) VALUES ('bigcommerce', 'BC', ?, ?, ?)",
      )
      .run(settings, now, now).lastInsertRowid,
  );
}

describe('import currency in the app (issue 14 defect 5)', () => {
  const file = path.join(dir, 'bc-refunds.json');
  fs.writeFileSync(file, JSON.stringify(refunds));

  it('no account currency: detection asks for one; the import without it fails with currency_required', async () => {
    const ctx = context(path.join(dir, 'a.sqlite'));
    const detected = await dispatch('snapshot:detect-format', { path: file, side: 'storefront' }, ctx);
    expect(detected).toMatchObject({
      ok: true,
      value: { format: 'bigcommerce-json', currency: { needed: true, default: null } },
    });
    const failed = await dispatch(
      'snapshot:import',
      { path: file, side: 'storefront', format: 'bigcommerce-json' },
      ctx,
    );
    expect(failed).toMatchObject({ ok: false, error: { code: 'currency_required' } });
    expect((failed as { error: { message: string } }).error.message).not.toMatch(/--/);
    const chosen = await dispatch(
      'snapshot:import',
      { path: file, side: 'storefront', format: 'bigcommerce-json', options: { currency: 'EUR' } },
      ctx,
    );
    expect(chosen).toMatchObject({ ok: true, value: { refundCount: 1 } });
    const row = ctx.db.prepare('SELECT currency FROM refunds').get() as { currency: string };
    expect(row.currency).toBe('EUR');
    ctx.db.close();
  }, 60_000);

  it("the linked account's currency is offered and used when none is chosen", async () => {
    const ctx = context(path.join(dir, 'b.sqlite'));
    const id = addAccount(ctx, JSON.stringify({ currency: 'CAD' }));
    const detected = await dispatch(
      'snapshot:detect-format',
      { path: file, side: 'storefront', storefrontAccountId: id },
      ctx,
    );
    expect(detected).toMatchObject({ ok: true, value: { currency: { needed: true, default: 'CAD' } } });
    const imported = await dispatch(
      'snapshot:import',
      { path: file, side: 'storefront', format: 'bigcommerce-json', options: { storefrontAccountId: id } },
      ctx,
    );
    expect(imported).toMatchObject({ ok: true, value: { refundCount: 1 } });
    const row = ctx.db.prepare('SELECT currency FROM refunds').get() as { currency: string };
    expect(row.currency).toBe('CAD');
    ctx.db.close();
  }, 60_000);

  it('the contract takes an order products file beside BigCommerce refunds (defect 6)', async () => {
    const ctx = context(path.join(dir, 'd.sqlite'));
    const productRefund = path.join(dir, 'bc-product-refund.json');
    fs.writeFileSync(
      productRefund,
      JSON.stringify({
        data: [
          {
            ...refunds.data[0],
            total_amount: 10,
            payments: [{ id: 13, provider_id: 'storecredit', amount: 10, offline: true, is_declined: false }],
            items: [{ item_type: 'PRODUCT', item_id: 87, quantity: 1, requested_amount: null }],
          },
        ],
      }),
    );
    const products = path.join(dir, 'bc-products.json');
    fs.writeFileSync(
      products,
      JSON.stringify([
        { id: 87, order_id: 180, product_id: 77, name: 'Mug', sku: 'MUG', price_ex_tax: '10.0000', quantity: 2 },
      ]),
    );
    const imported = await dispatch(
      'snapshot:import',
      {
        path: productRefund,
        side: 'storefront',
        format: 'bigcommerce-json',
        options: { currency: 'USD', orderProducts: products },
      },
      ctx,
    );
    expect(imported).toMatchObject({ ok: true, value: { refundCount: 1, lineCount: 1 } });
    const line = ctx.db.prepare('SELECT sku, quantity, amount FROM refund_lines').get();
    expect(line).toEqual({ sku: 'MUG', quantity: 1, amount: 1000 });
    ctx.db.close();
  }, 60_000);

  it('formats that carry their currency are not asked for one', async () => {
    const ctx = context(path.join(dir, 'c.sqlite'));
    const detected = await dispatch(
      'snapshot:detect-format',
      { path: path.resolve('resources/demo/shopify-orders.json') },
      ctx,
    );
    expect(detected).toMatchObject({ ok: true, value: { format: 'shopify-json' } });
    expect((detected as { value: { currency?: unknown } }).value.currency).toBeUndefined();
    ctx.db.close();
  });
});
