import type { Db } from './open';

/**
 * The `snapshot_order_ids` table (migration 021): a storefront snapshot's order id → order name, as
 * its file gave them (Shopify REST `orders[].id` and `name`). REST disputes name orders by id only
 * (tenders.md §3.1); this is how they find the refunds' order reference.
 */

/** Stores the pairs with the snapshot (inside the snapshot's write transaction when called from it). */
export function writeOrderIds(db: Db, snapshotId: number, pairs: Iterable<readonly [string, string]>): void {
  // A workspace opened without its migrations (tests of older versions) has no table: nothing to keep.
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_order_ids'").get()) return;
  const insert = db.prepare(
    'INSERT OR REPLACE INTO snapshot_order_ids (snapshot_id, order_id, order_ref) VALUES (?, ?, ?)',
  );
  for (const [orderId, orderRef] of pairs) {
    if (orderId !== '' && orderRef !== '') insert.run(snapshotId, orderId, orderRef);
  }
}

/** The name of order `orderId` in this snapshot's file, or undefined when the file did not carry it. */
export function orderRefOfId(db: Db, snapshotId: number, orderId: string): string | undefined {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_order_ids'").get()) {
    return undefined;
  }
  return db
    .prepare('SELECT order_ref FROM snapshot_order_ids WHERE snapshot_id = ? AND order_id = ?')
    .pluck()
    .get(snapshotId, orderId) as string | undefined;
}
