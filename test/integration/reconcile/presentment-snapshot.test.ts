import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openWorkspace } from '../../../src/main/store/open';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-pres-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A NetSuite Cash Refund in CAD (REST record JSON, apis.md §1.4): the item and a shipping item. */
const cashRefund = [
  {
    links: [{ rel: 'self', href: 'https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/cashRefund/9001' }],
    id: '9001',
    tranId: 'CR9001',
    tranDate: '2026-03-02',
    currency: { id: '3', refName: 'CAD' },
    total: 88.72,
    memo: 'Refund for #1042',
    otherRefNum: '#1042',
    createdFrom: { id: '800', refName: 'Cash Sale #CS1042' },
    item: {
      items: [
        { line: 1, item: { id: '55', refName: 'IPOD2008BLACK' }, quantity: 1, rate: 82.73, amount: 82.73 },
        { line: 2, item: { id: '77', refName: 'Shipping' }, quantity: 1, amount: 5.99 },
      ],
    },
  },
];

describe('presentment parts through a snapshot (issue 14 defect 1)', () => {
  it('CAD 88.72 refunded on a USD shop matches a CAD 88.72 Cash Refund, read back from SQLite', async () => {
    const db = openWorkspace(path.join(tmp, 'w.sqlite'));
    const nsFile = path.join(tmp, 'netsuite-records.json');
    fs.writeFileSync(nsFile, JSON.stringify(cashRefund));
    const sf = await importFile(db, {
      file: path.join(root, 'test/fixtures/vendor-docs/shopify/rest-order-multicurrency.json'),
      side: 'storefront',
      format: 'shopify-json',
    });
    // The parse thread (packed batches) writes the same parts as the in-thread writer.
    const db2 = openWorkspace(path.join(tmp, 'thread.sqlite'));
    const viaThread = await importFile(db2, {
      file: path.join(root, 'test/fixtures/vendor-docs/shopify/rest-order-multicurrency.json'),
      side: 'storefront',
      format: 'shopify-json',
      parseThread: 'always',
    });
    const partsSql = 'SELECT presentment_parts, lines_exported FROM refunds WHERE snapshot_id = ?';
    expect(viaThread.parseThread).toBeDefined();
    expect(db2.prepare(partsSql).all(viaThread.snapshotId)).toEqual(db.prepare(partsSql).all(sf.snapshotId));
    db2.close();
    const ns = await importFile(db, { file: nsFile, side: 'netsuite', format: 'record-json' });
    const stored = db
      .prepare('SELECT presentment_currency, presentment_total, presentment_parts FROM refunds WHERE snapshot_id = ?')
      .get(sf.snapshotId) as Record<string, unknown>;
    expect(stored.presentment_currency).toBe('CAD');
    expect(stored.presentment_total).toBe(8872);
    expect(JSON.parse(stored.presentment_parts as string)).toEqual({
      shipping: 599,
      tax: 0,
      adjustment: 0,
      lines: [
        { amount: 8273, tax: 0 },
        { amount: 599, tax: 0 },
      ],
    });
    // Twice: the first run reads the snapshot with SQL, the second its match cache.
    for (const run of ['first', 'second']) {
      const { runId } = compareSnapshots(db, {
        storefrontSnapshotId: sf.snapshotId,
        netsuiteSnapshotId: ns.snapshotId,
      });
      const rows = db.prepare('SELECT code, currency FROM results WHERE run_id = ?').all(runId);
      expect(rows, run).toEqual([{ code: 'matched', currency: 'CAD' }]);
    }

    // A NetSuite record whose item line really differs: the hint speaks CAD, with CAD amounts.
    const other = structuredClone(cashRefund);
    other[0]!.id = '9002';
    other[0]!.item.items[0]!.amount = 80.73;
    other[0]!.item.items[0]!.rate = 80.73;
    other[0]!.item.items[1]!.amount = 7.99;
    const otherFile = path.join(tmp, 'netsuite-other.json');
    fs.writeFileSync(otherFile, JSON.stringify(other));
    const ns2 = await importFile(db, { file: otherFile, side: 'netsuite', format: 'record-json' });
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns2.snapshotId });
    const row = db.prepare('SELECT code, hint FROM results WHERE run_id = ?').get(runId) as {
      code: string;
      hint: string;
    };
    expect(row.code).toBe('line_mismatch');
    expect(row.hint).toContain('SKU IPOD2008BLACK: CAD 82.73 on the storefront, CAD 80.73 in NetSuite');
    expect(row.hint).toContain('shipping: CAD 5.99 on the storefront, CAD 7.99 in NetSuite');
    expect(row.hint).not.toContain('59.90');
    db.close();
  });

  it('migration 009 on a workspace holding a multi-currency refund: kept, parts unknown, compared on its total', async () => {
    const file = path.join(tmp, 'old.sqlite');
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    migrate(
      raw,
      MIGRATIONS.filter((m) => m.version < 9),
    );
    raw
      .prepare(
        "INSERT INTO snapshots (id, side, label, source, format, importer_version, created_at) VALUES (1, 'storefront', 's', 'file', 'shopify-json', '1', '2026-03-03T00:00:00Z')",
      )
      .run();
    raw
      .prepare(
        `INSERT INTO refunds (snapshot_id, source_id, record_type, order_ref, order_key, date, currency, total, shipping, kind,
                              presentment_currency, presentment_total, line_summary)
         VALUES (1, '509562969', 'refund', '#1042', '1042', '2026-03-02', 'USD', 6424, 434, 'line_item', 'CAD', 8872, ?)`,
      )
      .run('[1,434,"IPOD2008BLACK",1,5990]');
    const refundId = (raw.prepare('SELECT id FROM refunds').get() as { id: number }).id;
    raw
      .prepare(
        `INSERT INTO refund_lines (refund_id, line_no, sku, quantity, amount, role) VALUES
         (?, 1, 'IPOD2008BLACK', 1, 5990, 'item'), (?, 2, '', 0, 434, 'shipping')`,
      )
      .run(refundId, refundId);
    raw.close();

    const db = openWorkspace(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT source_id, total, presentment_total, presentment_parts FROM refunds').get()).toEqual({
      source_id: '509562969',
      total: 6424,
      presentment_total: 8872,
      presentment_parts: null,
    });
    const nsFile = path.join(tmp, 'netsuite-old.json');
    fs.writeFileSync(nsFile, JSON.stringify(cashRefund));
    const ns = await importFile(db, { file: nsFile, side: 'netsuite', format: 'record-json' });
    const { runId } = compareSnapshots(db, { storefrontSnapshotId: 1, netsuiteSnapshotId: ns.snapshotId });
    // Before 009 the shop-money lines (USD 59.90) were compared with NetSuite's CAD lines.
    expect(db.prepare('SELECT code, currency FROM results WHERE run_id = ?').all(runId)).toEqual([
      { code: 'matched', currency: 'CAD' },
    ]);
    db.close();
  });
});
