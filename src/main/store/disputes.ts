import { type CanonicalDispute, normaliseOrderRef } from '../../shared/model';
import type { Db } from './open';
import { orderRefOfId } from './order-ids';

/**
 * Shopify Payments disputes beside a storefront snapshot (migration 016, tenders.md §3.1). A
 * dispute names its order by id (REST `order_id`) or by the order itself (GraphQL `order { name }`);
 * ids are resolved to order names through the orders the snapshot's file carried (store/order-ids.ts)
 * or its refunds, so the matcher keys disputes by order reference like everything else.
 */

export interface DisputeInput extends CanonicalDispute {
  /** The source's order id (REST `order_id`, GraphQL `order.legacyResourceId`), '' when unknown. */
  orderId: string;
}

function hasTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'disputes'").get() !== undefined;
}

/**
 * The order name a dispute belongs to: the name the file gave, else the name the snapshot's file
 * gave that order id (REST `order_id`; store/order-ids.ts), else the snapshot refund whose order
 * reference is the order id (refunds exported per order id), else null (not in this snapshot).
 */
function resolveOrder(db: Db, snapshotId: number, d: DisputeInput): string | null {
  if (d.orderRef !== '' && d.orderRef !== d.orderId) return d.orderRef;
  if (d.orderId === '') return null;
  const named = orderRefOfId(db, snapshotId, d.orderId);
  if (named !== undefined) return named;
  const hit = db
    .prepare('SELECT order_ref FROM refunds WHERE snapshot_id = ? AND order_key = ? LIMIT 1')
    .pluck()
    .get(snapshotId, normaliseOrderRef(d.orderId)) as string | undefined;
  return hit ?? null;
}

/**
 * Stores the disputes with the storefront snapshot (a dispute id given again replaces the earlier
 * row). Returns the ids of disputes whose order is not in the snapshot (kept, keyed by order id).
 */
export function writeDisputes(db: Db, snapshotId: number, disputes: readonly DisputeInput[]): string[] {
  const unresolved: string[] = [];
  const insert = db.prepare(
    `INSERT OR REPLACE INTO disputes (snapshot_id, dispute_id, order_id, order_ref, type, status, amount, currency, initiated_at, finalized_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const d of disputes) {
      const order = resolveOrder(db, snapshotId, d);
      if (order === null) unresolved.push(d.id);
      insert.run(
        snapshotId,
        d.id,
        d.orderId,
        order ?? d.orderRef,
        d.type,
        d.status,
        d.amount,
        d.currency,
        d.initiatedAt,
        d.finalizedOn,
      );
    }
  })();
  return unresolved;
}

/** The disputes stored with these storefront snapshots (none on a workspace older than migration 016). */
export function readDisputes(db: Db, snapshotIds: readonly number[]): CanonicalDispute[] {
  if (snapshotIds.length === 0 || !hasTable(db)) return [];
  const rows = db
    .prepare(
      `SELECT dispute_id, order_ref, type, status, amount, currency, initiated_at, finalized_on FROM disputes
       WHERE snapshot_id IN (${snapshotIds.map(() => '?').join(',')}) ORDER BY snapshot_id, dispute_id`,
    )
    .all(...snapshotIds) as Array<{
    dispute_id: string;
    order_ref: string;
    type: CanonicalDispute['type'];
    status: CanonicalDispute['status'];
    amount: number | null;
    currency: string;
    initiated_at: string | null;
    finalized_on: string | null;
  }>;
  return rows.map((r) => ({
    id: r.dispute_id,
    orderRef: r.order_ref,
    type: r.type,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    initiatedAt: r.initiated_at,
    finalizedOn: r.finalized_on,
  }));
}

/** Whether any disputes are stored with these snapshots (the hint's "import disputes" advice). */
export function hasDisputes(db: Db, snapshotIds: readonly number[]): boolean {
  if (snapshotIds.length === 0 || !hasTable(db)) return false;
  return (
    db
      .prepare(`SELECT 1 FROM disputes WHERE snapshot_id IN (${snapshotIds.map(() => '?').join(',')}) LIMIT 1`)
      .get(...snapshotIds) !== undefined
  );
}
