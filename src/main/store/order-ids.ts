import type { Db } from './open';

/**
 * The `snapshot_order_ids` table (migration 021): a storefront snapshot's order id → order name, as
 * its file gave them (Shopify REST `orders[].id` and `name`). REST disputes name orders by id only
 * (tenders.md §3.1); this is how they find the refunds' order reference.
 */

/** Pairs per multi-row INSERT: one native call per 128 orders, not per order (800k at 1M refunds). */
const ORDER_ID_BATCH = 128;

function insertOrderIdsSql(rows: number): string {
  return `INSERT OR REPLACE INTO snapshot_order_ids (snapshot_id, order_id, order_ref) VALUES ${new Array(rows).fill('(?, ?, ?)').join(', ')}`;
}

/**
 * Stores the pairs with the snapshot (inside the snapshot's write transaction when called from it).
 * Rows go out ORDER_ID_BATCH at a time: a one-row statement per order was ~4 % of a Shopify
 * import's writing thread. SQLite inserts a multi-row VALUES list row by row, in order, so a
 * repeated order id is replaced by its later pair exactly as one statement per pair did.
 */
export function writeOrderIds(db: Db, snapshotId: number, pairs: Iterable<readonly [string, string]>): void {
  // A workspace opened without its migrations (tests of older versions) has no table: nothing to keep.
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshot_order_ids'").get()) return;
  const params: unknown[] = new Array(ORDER_ID_BATCH * 3);
  const many = db.prepare(insertOrderIdsSql(ORDER_ID_BATCH));
  let n = 0;
  for (const [orderId, orderRef] of pairs) {
    if (orderId === '' || orderRef === '') continue;
    params[n++] = snapshotId;
    params[n++] = orderId;
    params[n++] = orderRef;
    if (n === params.length) {
      // Spread: better-sqlite3 binds arguments directly, an array's elements one property read each.
      many.run(...params);
      n = 0;
    }
  }
  if (n > 0) db.prepare(insertOrderIdsSql(n / 3)).run(...params.slice(0, n));
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
