import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../../src/main/reconcile/engine';
import { hintFor } from '../../../src/main/reconcile/hints';
import { CanonicalRefund } from '../../../src/shared/model';
import { importRefunds } from '../importers/helpers';
import { ns } from './helpers';

/**
 * Issue 14 defect 4: refunds that arrive in a bulk file with `totalRefundedSet` only are compared
 * on that total, with a hint that their lines were not exported — never "no money moved".
 */
const BULK = path.join(__dirname, '..', '..', 'fixtures', 'vendor-docs', 'shopify', 'graphql-bulk-ungrouped.jsonl');

async function storefront(): Promise<CanonicalRefund[]> {
  const { refunds } = await importRefunds(BULK, { side: 'storefront', format: 'shopify-jsonl' });
  return refunds.map((r) => CanonicalRefund.parse(r));
}

describe('refunds known only by their total', () => {
  it('match a NetSuite record with lines on the total; a difference says the lines were not exported', async () => {
    const sf = (await storefront()).filter((r) => r.id === '509562969');
    const lines = [
      { sku: 'IPOD2008BLACK', description: '', quantity: 1, amount: 10450, tax: 0, role: 'item' as const },
      { sku: 'IPOD2008GREEN', description: '', quantity: 1, amount: 10450, tax: 0, role: 'item' as const },
    ];
    const same = reconcile(sf, [ns({ id: '1', date: '2023-10-03', total: 20900, kind: 'line_item', lines })]);
    expect(same.results.map((r) => r.code)).toEqual(['matched']);
    expect(hintFor(same.results[0]!)).toContain('carried only the total of storefront refund 509562969');

    const off = reconcile(sf, [ns({ id: '1', date: '2023-10-03', total: 20000, kind: 'line_item', lines })]);
    const result = off.results[0]!;
    expect(result.code).toBe('amount_mismatch');
    expect(hintFor(result)).toContain('not its lines, so it was compared on its total');
  });

  it('money that moved with no NetSuite record is missing_in_netsuite, not no_money_moved', async () => {
    const out = reconcile(await storefront(), []);
    const codes = Object.fromEntries(out.results.map((r) => [r.storefront[0]!.id, r.code]));
    expect(codes).toEqual({
      '509562969': 'missing_in_netsuite',
      '929361465': 'missing_in_netsuite',
      '509562970': 'no_money_moved',
      '509562971': 'missing_in_netsuite',
    });
    const r = out.results.find((x) => x.storefront[0]!.id === '509562969')!;
    expect(hintFor(r)).toContain('carried only the total');
  });
});
