import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shopifyDisputesRestText } from '../../../src/main/demo/disputes';
import type { ShopOrder } from '../../../src/main/demo/model';
import type { DemoDispute } from '../../../src/main/demo/tender-cases';
import { type DisputeRead, readDisputesFile } from '../../../src/main/importers/shopify-disputes';
import type { SnapshotColumns } from '../../../src/main/store/match-cache';
import { TextColumn } from '../../../src/main/store/match-cache';
import { disputeOrderIds, resolveDisputesInMemory } from '../../../src/main/use-cases/import-disputes';

/**
 * Disputes of the one-shot `reconcile` (no workspace): resolved against the storefront files read
 * in memory as `writeDisputes` resolves them against a stored snapshot (tenders.md §3.1), and the
 * benchmark's REST disputes file read back by the importer.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-mem-disputes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rest = (id: string, orderId: string, status: DisputeRead['status'] = 'lost'): DisputeRead => ({
  id,
  orderRef: orderId,
  orderId,
  type: 'chargeback',
  status,
  amount: 8000,
  currency: 'USD',
  initiatedAt: '2026-03-05',
  finalizedOn: null,
});

/** Storefront columns with just the order references the resolution reads. */
function columns(refs: string[], keys: string[]): SnapshotColumns {
  return { n: refs.length, orderKey: keys, orderRef: TextColumn.from(refs) } as unknown as SnapshotColumns;
}

describe('disputes resolved in memory', () => {
  it('asks the import only for order ids the disputes name without a name', () => {
    const named: DisputeRead = { ...rest('3', '450'), orderRef: '#1003' };
    expect(disputeOrderIds([rest('1', '450'), rest('2', '450'), named, rest('4', '')])).toEqual(['450']);
  });

  it('a name from the file first, then the storefront file’s id → name, then a refund keyed by the id; else unresolved', () => {
    const named: DisputeRead = { ...rest('30', '777'), orderRef: '#1030' };
    const out = resolveDisputesInMemory(
      [rest('20', '450'), named, rest('10', '1042'), rest('40', '999')],
      new Map([['450', '#1001']]),
      [columns(['#1000', 'Order 1042'], ['1000', '1042'])],
    );
    expect(out.disputes.map((d) => [d.id, d.orderRef])).toEqual([
      ['10', 'Order 1042'],
      ['20', '#1001'],
      ['30', '#1030'],
      ['40', '999'],
    ]);
    expect(out.unresolved).toEqual(['40']);
    // The source's order id stays out of the canonical dispute.
    expect(Object.keys(out.disputes[0]!)).not.toContain('orderId');
  });

  it('a dispute id given twice keeps the later one, as the stored table’s INSERT OR REPLACE does', () => {
    const out = resolveDisputesInMemory(
      [rest('7', '450', 'under_review'), rest('7', '450', 'won')],
      new Map([['450', '#1001']]),
      [],
    );
    expect(out.disputes).toHaveLength(1);
    expect(out.disputes[0]!.status).toBe('won');
  });

  it('the benchmark’s REST disputes file (Shopify’s REST shape) reads back through the importer', () => {
    const order = { id: 5120100729, number: 100731, currency: 'JPY' } as unknown as ShopOrder;
    const dispute: DemoDispute = {
      id: 7301000,
      order,
      type: 'CHARGEBACK',
      status: 'UNDER_REVIEW',
      amount: 15517,
      initiatedAt: '2025-06-27T15:00:00Z',
      finalizedOn: null,
    };
    const file = path.join(tmp, 'disputes.json');
    fs.writeFileSync(file, shopifyDisputesRestText([dispute]));
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { disputes: Array<Record<string, unknown>> };
    expect(Object.keys(raw.disputes[0]!).sort()).toEqual(
      [
        'amount',
        'currency',
        'evidence_due_by',
        'evidence_sent_on',
        'finalized_on',
        'id',
        'initiated_at',
        'network_reason_code',
        'order_id',
        'reason',
        'status',
        'type',
      ].sort(),
    );
    expect(readDisputesFile(file)).toEqual([
      {
        id: '7301000',
        orderRef: '5120100729',
        orderId: '5120100729',
        type: 'chargeback',
        status: 'under_review',
        amount: 15517,
        currency: 'JPY',
        initiatedAt: '2025-06-27',
        finalizedOn: null,
      },
    ]);
  });
});
