import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue 14 defect 5: BigCommerce and WooCommerce refund exports carry no currency; `reconcile`
 * takes it with --storefront-currency (and --netsuite-currency for a saved search without one).
 */

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-cur-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), 'reconcile', ...args], {
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// A WooCommerce refund as GET /orders/<id>/refunds returns it (apis.md §4: amounts as strings,
// line values negative), without the order, so without a currency.
const woo = [
  {
    id: 726,
    date_created: '2026-01-15T10:00:00',
    date_created_gmt: '2026-01-15T10:00:00',
    amount: '10.00',
    reason: 'damaged',
    refunded_by: 1,
    refunded_payment: true,
    meta_data: [],
    line_items: [
      {
        id: 314,
        name: 'Mug',
        product_id: 93,
        variation_id: 0,
        quantity: -1,
        tax_class: '',
        subtotal: '-10.00',
        subtotal_tax: '0.00',
        total: '-10.00',
        total_tax: '0.00',
        taxes: [],
        meta_data: [{ id: 1, key: '_refunded_item_id', value: '311' }],
        sku: 'MUG',
        price: -10,
      },
    ],
    _links: {
      self: [{ href: 'https://example.com/wp-json/wc/v3/orders/723/refunds/726' }],
      collection: [{ href: 'https://example.com/wp-json/wc/v3/orders/723/refunds' }],
      up: [{ href: 'https://example.com/wp-json/wc/v3/orders/723' }],
    },
  },
];
// A saved search without a Currency column.
const savedSearch = [
  'Internal ID,Type,Date,Document Number,Main Line,Item,Quantity,Amount,Other Ref Num',
  '5001,Cash Refund,1/15/2026,CR1001,*,,,-10.00,723',
  '5001,Cash Refund,1/15/2026,CR1001,,MUG,-1,-10.00,723',
].join('\n');

describe('reconcile --storefront-currency / --netsuite-currency', { timeout: 60_000 }, () => {
  const sf = path.join(tmp, 'woo-refunds.json');
  const ns = path.join(tmp, 'netsuite.csv');
  fs.writeFileSync(sf, JSON.stringify(woo));
  fs.writeFileSync(ns, savedSearch);

  it('without them: exit 2, the message names the flag of the side that lacks a currency', () => {
    const run = cli('--storefront', sf, '--netsuite', ns, '--netsuite-currency', 'USD');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/WooCommerce refunds do not say their currency/);
    expect(run.stderr).toMatch(/--storefront-currency USD/);
  });

  it('with them: the files are read and the refund matches', () => {
    const run = cli(
      '--storefront',
      sf,
      '--netsuite',
      ns,
      '--storefront-currency',
      'USD',
      '--netsuite-currency',
      'usd',
      '--format',
      'json',
    );
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { summary: { byCode: Record<string, number> } };
    expect(out.summary.byCode).toEqual({ matched: 1 });
    expect(run.status).toBe(0);
  });

  it('import words the same core error with its own flag, --currency', () => {
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, 'bin', 'refund-recon.js'),
        'import',
        sf,
        '--side',
        'storefront',
        '--workspace',
        path.join(tmp, 'w.sqlite'),
      ],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/WooCommerce refunds do not say their currency/);
    expect(run.stderr).toMatch(/Re-run with --currency <code> \(for example --currency USD\)/);
  });

  it('a currency that is not ISO 4217 is a usage error naming the flag', () => {
    const run = cli('--storefront', sf, '--netsuite', ns, '--storefront-currency', 'Dollarz');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--storefront-currency: "Dollarz" is not an ISO 4217 currency code/);
  });
});
