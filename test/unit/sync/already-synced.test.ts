import { describe, expect, it } from 'vitest';
import { alreadySynced, pairRefunds } from '../../../src/main/sync/already-synced';
import type { SyncDirection } from '../../../src/main/sync/catalogue';
import { CanonicalRefund, type CanonicalRefundInput } from '../../../src/shared/model';

/**
 * Issue 13 item 8: "already synced" decides by key first, then by the order's lines, then by the
 * sum of its refunds — never by an equal total alone. Shapes follow the demo's cases (#1037, #1021).
 */
type Fields = Partial<CanonicalRefundInput> & Pick<CanonicalRefundInput, 'id' | 'date' | 'total'>;
const sf = (r: Fields) =>
  CanonicalRefund.parse({ side: 'storefront', recordType: 'refund', kind: 'line_item', currency: 'USD', ...r });
const ns = (r: Fields) =>
  CanonicalRefund.parse({ side: 'netsuite', recordType: 'cashRefund', kind: 'line_item', currency: 'USD', ...r });
const cap = (amount: number) => [{ sku: 'CAP-WOOL', quantity: 1, amount, tax: 0 }];

function verdict(direction: SyncDirection, source: CanonicalRefund[], receiving: CanonicalRefund[], which = 0) {
  return alreadySynced(pairRefunds(direction, source, receiving), direction, source[which]!);
}

describe('already synced: key first, then lines, then the sum of the order', () => {
  it('#1037: a NetSuite record made FROM a storefront refund is on the storefront, whatever its total', () => {
    const cr = ns({
      id: '40041',
      documentNumber: 'CR1041',
      orderRef: '#1037',
      date: '2026-02-19',
      total: 3246,
      memo: 'Shopify refund 908000038',
      lines: cap(2999),
    });
    const shown = sf({
      id: '908000038',
      orderRef: '#1037',
      date: '2026-02-19',
      total: 4041,
      shipping: 795,
      lines: cap(2999),
    });
    const v = verdict('netsuite_to_storefront', [cr], [shown]);
    expect(v?.certain).toBe(true);
    expect(v?.reason).toMatch(
      /^the storefront already shows this refund: storefront refund 908000038 \(USD 40\.41\) is the refund CR1041 was recorded from/,
    );
    expect(v?.reason).toMatch(/it shows USD 40\.41 where CR1041 records USD 32\.46/);
  });

  it('sibling, storefront → NetSuite: a storefront refund carrying a NetSuite sync key is in NetSuite', () => {
    const refund = sf({
      id: '777',
      orderRef: '#9',
      date: '2026-01-01',
      total: 1000,
      memo: 'NetSuite CM5001 [netsuite-creditMemo-5001]',
    });
    const memo = ns({
      id: '5001',
      recordType: 'creditMemo',
      documentNumber: 'CM5001',
      orderRef: '#9',
      date: '2026-01-01',
      total: 1000,
    });
    expect(verdict('storefront_to_netsuite', [refund], [memo])?.reason).toMatch(
      /^NetSuite already shows this refund: NetSuite Credit Memo CM5001/,
    );
  });

  it('same lines without a key: likely the same refund, even with another total', () => {
    const cr = ns({
      id: '1',
      documentNumber: 'CR1',
      orderRef: '#5',
      date: '2026-01-02',
      total: 3246,
      lines: cap(2999),
    });
    const shown = sf({ id: '2', orderRef: '#5', date: '2026-01-02', total: 4041, lines: cap(2999) });
    const v = verdict('netsuite_to_storefront', [cr], [shown]);
    expect(v?.certain).toBe(false);
    expect(v?.reason).toMatch(
      /^the storefront already shows this refund, probably: storefront refund 2 \(USD 40\.41\) on the same order #5 refunds the same lines \(CAP-WOOL × 1\)/,
    );
  });

  it('an equal total alone does not decide: a second refund of the same amount on the order passes', () => {
    const first = sf({
      id: '11',
      orderRef: '#7',
      date: '2026-01-01',
      total: 1000,
      lines: [{ sku: 'A', quantity: 1, amount: 1000 }],
    });
    const second = sf({
      id: '12',
      orderRef: '#7',
      date: '2026-01-03',
      total: 1000,
      lines: [{ sku: 'B', quantity: 1, amount: 1000 }],
    });
    const synced = ns({
      id: '90',
      documentNumber: 'CR90',
      orderRef: '#7',
      date: '2026-01-01',
      total: 1000,
      externalId: 'shopify-refund-11',
      lines: [{ sku: 'A', quantity: 1, amount: 1000 }],
    });
    const index = pairRefunds('storefront_to_netsuite', [first, second], [synced]);
    expect(alreadySynced(index, 'storefront_to_netsuite', first)?.certain).toBe(true);
    expect(alreadySynced(index, 'storefront_to_netsuite', second)).toBeNull();
  });

  it('#1021: one combined NetSuite record for two storefront refunds covers both; a smaller hand refund covers none', () => {
    const a = sf({
      id: '20',
      orderRef: '#1021',
      date: '2026-02-01',
      total: 9634,
      lines: [{ sku: 'PACK', quantity: 1, amount: 8900 }],
    });
    const b = sf({
      id: '21',
      orderRef: '#1021',
      date: '2026-02-01',
      total: 9634,
      lines: [{ sku: 'PACK', quantity: 1, amount: 8900 }],
    });
    const combined = ns({
      id: '40022',
      recordType: 'creditMemo',
      documentNumber: 'CM1022',
      orderRef: '#1021',
      date: '2026-02-02',
      total: 19268,
      lines: [{ sku: 'PACK', quantity: 2, amount: 17800 }],
    });
    const payout = ns({
      id: '40023',
      recordType: 'customerRefund',
      documentNumber: '1023',
      orderRef: '#1021',
      date: '2026-02-02',
      total: 19268,
      kind: 'general',
    });
    const index = pairRefunds('storefront_to_netsuite', [a, b], [combined, payout]);
    for (const r of [a, b]) {
      expect(alreadySynced(index, 'storefront_to_netsuite', r)?.reason).toMatch(
        /NetSuite already shows USD 192\.68 refunded on order #1021 \(NetSuite Credit Memo CM1022\) with no key/,
      );
    }
    const goodwill = ns({
      id: '4712',
      documentNumber: 'CR4712',
      orderRef: '#1021',
      date: '2026-02-02',
      total: 450,
      kind: 'general',
    });
    expect(verdict('storefront_to_netsuite', [a], [goodwill])).toBeNull();
  });

  it('two refunds, one entered by hand with the same lines: the hand one pairs, the other is still to send', () => {
    const one = sf({ id: '31', orderRef: '#8', date: '2026-01-01', total: 1000, lines: cap(1000) });
    const two = sf({ id: '32', orderRef: '#8', date: '2026-01-05', total: 1000, lines: cap(1000) });
    const hand = ns({
      id: '77',
      documentNumber: 'CR77',
      orderRef: '#8',
      date: '2026-01-02',
      total: 1000,
      lines: cap(1000),
    });
    const index = pairRefunds('storefront_to_netsuite', [one, two], [hand]);
    expect(alreadySynced(index, 'storefront_to_netsuite', one)?.certain).toBe(false);
    expect(alreadySynced(index, 'storefront_to_netsuite', two)).toBeNull();
  });

  it('a voided receiving record and a refund with no money moved do not count', () => {
    const refund = sf({ id: '41', orderRef: '#4', date: '2026-01-01', total: 1000, lines: cap(1000) });
    const voided = ns({
      id: '78',
      orderRef: '#4',
      date: '2026-01-01',
      total: 1000,
      lines: cap(1000),
      status: 'voided',
    });
    expect(verdict('storefront_to_netsuite', [refund], [voided])).toBeNull();
    const cr = ns({ id: '79', orderRef: '#4', date: '2026-01-01', total: 1000, lines: cap(1000) });
    const noMoney = sf({ id: '42', orderRef: '#4', date: '2026-01-01', total: 0, lines: cap(1000), moneyMoved: false });
    expect(verdict('netsuite_to_storefront', [cr], [noMoney])).toBeNull();
  });
});
