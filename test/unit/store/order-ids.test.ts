import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/store/open';
import { writeOrderIds } from '../../../src/main/store/order-ids';

/**
 * writeOrderIds inserts 128 pairs per statement; it must store exactly what one INSERT OR REPLACE
 * per pair stored: empty ids or names skipped, a repeated order id keeping its last name, whatever
 * the count (below, at and across the batch size).
 */
const read = (db: ReturnType<typeof openWorkspace>) =>
  db.prepare('SELECT snapshot_id, order_id, order_ref FROM snapshot_order_ids ORDER BY snapshot_id, order_id').all();

function workspaceWithSnapshots(): ReturnType<typeof openWorkspace> {
  const db = openWorkspace(':memory:');
  for (const id of [1, 2]) {
    db.prepare(
      "INSERT INTO snapshots (id, side, label, source, format, importer_version, created_at, refund_count, line_count, row_count) VALUES (?, 'storefront', 'x', 'file', 'shopify-json', 'x', 'x', 0, 0, 0)",
    ).run(id);
  }
  return db;
}

/** The pairs as the writer stored them before batching: one statement per pair. */
function oneByOne(db: ReturnType<typeof openWorkspace>, snapshotId: number, pairs: Array<[string, string]>): void {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO snapshot_order_ids (snapshot_id, order_id, order_ref) VALUES (?, ?, ?)',
  );
  for (const [orderId, orderRef] of pairs)
    if (orderId !== '' && orderRef !== '') insert.run(snapshotId, orderId, orderRef);
}

describe('writeOrderIds', () => {
  it('stores what one INSERT OR REPLACE per pair stored (empties skipped, the last of a repeated id kept)', () => {
    const id = fc.oneof(fc.constantFrom('', '1', '450789469001', '0'), fc.integer({ min: 0, max: 400 }).map(String));
    const name = fc.oneof(fc.constantFrom('', '#1001', 'é #2'), fc.string({ maxLength: 6 }));
    // Two workspaces for every run (migrating one per run is most of the test's time).
    const batched = workspaceWithSnapshots();
    const single = workspaceWithSnapshots();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(id, name), { maxLength: 400 }),
        fc.array(fc.tuple(id, name), { maxLength: 20 }),
        (pairs, earlier) => {
          batched.exec('DELETE FROM snapshot_order_ids');
          single.exec('DELETE FROM snapshot_order_ids');
          // Another snapshot's rows stay as they are.
          writeOrderIds(batched, 1, earlier);
          oneByOne(single, 1, earlier);
          writeOrderIds(batched, 2, pairs);
          oneByOne(single, 2, pairs);
          expect(read(batched)).toEqual(read(single));
        },
      ),
      { numRuns: 150 },
    );
    batched.close();
    single.close();
  });

  it('writes exactly one, two and a half batches of distinct ids', () => {
    for (const count of [127, 128, 129, 256, 320]) {
      const db = workspaceWithSnapshots();
      const pairs = Array.from({ length: count }, (_, i): [string, string] => [String(1000 + i), `#${i}`]);
      writeOrderIds(db, 2, new Map(pairs));
      const rows = read(db) as Array<{ order_id: string; order_ref: string }>;
      expect(rows).toHaveLength(count);
      expect(rows[0]).toEqual({ snapshot_id: 2, order_id: '1000', order_ref: '#0' });
      expect(rows[count - 1]).toEqual({ snapshot_id: 2, order_id: String(999 + count), order_ref: `#${count - 1}` });
      db.close();
    }
  });
});
