import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { readDisputesFile } from '../../../src/main/importers/shopify-disputes';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { readDisputes, writeDisputes } from '../../../src/main/store/disputes';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { deleteSnapshot, readSnapshotRefunds } from '../../../src/main/store/snapshot-writer';

/**
 * Migration 021 and REST disputes (tenders.md §3.1): Shopify's REST Dispute resource names the order
 * by `order_id` only (fixture test/fixtures/tenders/cases/disputes-rest.json, in the documented
 * shape: id, order_id, type, amount, currency, reason, network_reason_code, status,
 * evidence_due_by, evidence_sent_on, finalized_on, initiated_at — shopify.dev admin-rest Dispute).
 * A storefront snapshot now keeps the id → name of every order its REST file carried, chargeback
 * orders without refunds included, so those disputes attach to their orders.
 */

const CASES = path.join(__dirname, '..', '..', 'fixtures', 'tenders', 'cases');
const cases = (name: string) => path.join(CASES, name);
const RULES = { tolerance: { default: '0.01', byCurrency: {} }, asOf: '2026-03-20' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-m021-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const orderIds = (db: Database.Database, snapshotId: number) =>
  db
    .prepare('SELECT order_id, order_ref FROM snapshot_order_ids WHERE snapshot_id = ? ORDER BY order_id')
    .all(snapshotId) as Array<{ order_id: string; order_ref: string }>;

const byOrder = (db: Database.Database, sf: number, ns: number) => {
  const out = compareSnapshots(
    db,
    { storefrontSnapshotId: sf, netsuiteSnapshotId: ns, rules: RULES },
    { store: false },
  );
  return new Map(out.output.results.map((r) => [r.orderRef, r]));
};

describe('migration 021: order ids beside storefront snapshots', () => {
  it('a workspace at 020 holding snapshots migrates: rows kept, old snapshots without order ids, new imports with them', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 21),
    );
    const old = await importFile(db, {
      file: cases('shopify-orders.json'),
      side: 'storefront',
      format: 'shopify-json',
    });
    const refundsBefore = readSnapshotRefunds(db, old.snapshotId);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(21);
    expect(readSnapshotRefunds(db, old.snapshotId)).toEqual(refundsBefore);
    expect(orderIds(db, old.snapshotId)).toEqual([]);
    // An old snapshot's REST disputes stay unresolved, as before (the hint says to export GraphQL).
    expect(writeDisputes(db, old.snapshotId, readDisputesFile(cases('disputes-rest.json')))).toEqual([
      '1026001',
      '1028001',
    ]);
    const fresh = await importFile(db, {
      file: cases('shopify-orders.json'),
      side: 'storefront',
      format: 'shopify-json',
      allowDuplicate: true,
    });
    const ids = orderIds(db, fresh.snapshotId);
    // Every order of the file, with or without refunds (#1026, #1028 and #1029 have none).
    expect(ids).toContainEqual({ order_id: '450789469026', order_ref: '#1026' });
    expect(ids).toContainEqual({ order_id: '450789469029', order_ref: '#1029' });
    expect(ids).toContainEqual({ order_id: '450789469001', order_ref: '#1001' });
    // Deleting the snapshot takes its order ids with it.
    expect(deleteSnapshot(db, fresh.snapshotId)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM snapshot_order_ids').pluck().get()).toBe(0);
  });

  it('REST disputes attach by order_id: case 26 is a chargeback, case 28 (won) a missing refund to reverse', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    const sf = await importFile(db, { file: cases('shopify-orders.json'), side: 'storefront', format: 'shopify-json' });
    const ns = await importFile(db, {
      file: cases('netsuite-records.json'),
      side: 'netsuite',
      format: 'record-json',
      mapping: path.join(CASES, '..', 'mapping.json'),
    });
    expect(writeDisputes(db, sf.snapshotId, readDisputesFile(cases('disputes-rest.json')))).toEqual([]);
    expect(readDisputes(db, [sf.snapshotId]).map((d) => [d.id, d.orderRef, d.status])).toEqual([
      ['1026001', '#1026', 'lost'],
      ['1028001', '#1028', 'won'],
    ]);
    const results = byOrder(db, sf.snapshotId, ns.snapshotId);
    expect(results.get('#1026')!.code).toBe('chargeback');
    expect(results.get('#1028')!.code).toBe('missing_in_storefront');
    // A dispute whose order the file did not carry is kept, unresolved (named by its id).
    const stray = path.join(tmp, 'stray.json');
    fs.writeFileSync(
      stray,
      JSON.stringify({
        disputes: [
          {
            id: 1099001,
            order_id: 450789469099,
            type: 'chargeback',
            amount: '12.00',
            currency: 'USD',
            reason: 'fraudulent',
            network_reason_code: '4837',
            status: 'needs_response',
            evidence_due_by: '2026-03-25T19:00:00-04:00',
            evidence_sent_on: null,
            finalized_on: null,
            initiated_at: '2026-03-10T20:00:00-04:00',
          },
        ],
      }),
    );
    expect(writeDisputes(db, sf.snapshotId, readDisputesFile(stray))).toEqual(['1099001']);
  });

  it('the parse thread and the NDJSON reader keep the same order ids as the plain reader', async () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    const plain = await importFile(db, {
      file: cases('shopify-orders.json'),
      side: 'storefront',
      format: 'shopify-json',
      parseThread: 'never',
    });
    const threaded = await importFile(db, {
      file: cases('shopify-orders.json'),
      side: 'storefront',
      format: 'shopify-json',
      parseThread: 'always',
      allowDuplicate: true,
    });
    const ndjson = path.join(tmp, 'orders.ndjson');
    const { orders } = JSON.parse(fs.readFileSync(cases('shopify-orders.json'), 'utf8')) as { orders: unknown[] };
    fs.writeFileSync(ndjson, `${orders.map((o) => JSON.stringify(o)).join('\n')}\n`);
    const lines = await importFile(db, { file: ndjson, side: 'storefront', format: 'shopify-json' });
    const expected = orderIds(db, plain.snapshotId);
    expect(expected.length).toBe(orders.length);
    expect(orderIds(db, threaded.snapshotId)).toEqual(expected);
    expect(orderIds(db, lines.snapshotId)).toEqual(expected);
  });
});
