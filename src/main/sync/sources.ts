import { UserError } from '../../shared/errors';
import { type CanonicalRefund, normaliseOrderRef } from '../../shared/model';
import type { Db } from '../store/open';
import { nowIso } from '../store/open';
import { readSnapshotRefunds } from '../store/refunds';
import { newestAccountSnapshotId, snapshotSide } from '../store/snapshots';
import { type SyncDirection, sourceSide } from './catalogue';
import type { AccountSyncState } from './settings-store';
import { NetsuiteOrderContext, type OrderContextFile, StorefrontOrderContext } from './types';

/** The snapshot a sync reads its source refunds from: the given one, or the newest of the source side. */
export function sourceSnapshotId(
  db: Db,
  state: AccountSyncState,
  direction: SyncDirection,
  snapshotId?: number,
): number {
  const side = sourceSide(direction);
  if (snapshotId !== undefined) {
    const found = snapshotSide(db, snapshotId);
    if (!found)
      throw new UserError(
        'snapshot_not_found',
        `There is no snapshot ${snapshotId}: list snapshots with snapshot:list.`,
        { field: 'snapshotId' },
      );
    if (found !== side) {
      throw new UserError(
        'wrong_snapshot_side',
        `Snapshot ${snapshotId} holds ${found} refunds; ${direction} reads ${side} refunds. Choose a ${side} snapshot.`,
        { field: 'snapshotId' },
      );
    }
    return snapshotId;
  }
  const newest = newestAccountSnapshotId(db, side, state.account.id, state.account.netsuiteAccountId);
  if (newest === undefined) {
    throw new UserError(
      'no_source_snapshot',
      `${state.account.name} has no ${side} snapshot to sync from: import or pull ${side === 'storefront' ? 'the storefront refunds' : 'the NetSuite refund records'} for this account first.`,
    );
  }
  return newest;
}

/** The newest snapshot of the side that receives refunds in `direction` (empty when there is none). */
export function receivingSideRefunds(db: Db, state: AccountSyncState, direction: SyncDirection): CanonicalRefund[] {
  const side = direction === 'storefront_to_netsuite' ? 'netsuite' : 'storefront';
  const newest = newestAccountSnapshotId(db, side, state.account.id, state.account.netsuiteAccountId);
  return newest !== undefined ? readSourceRefunds(db, newest) : [];
}

export function readSourceRefunds(db: Db, snapshotId: number): CanonicalRefund[] {
  return readSnapshotRefunds(db, snapshotId);
}

export interface OrderContexts {
  netsuite: Map<string, NetsuiteOrderContext>;
  storefront: Map<string, StorefrontOrderContext>;
}

export function loadOrderContexts(db: Db, accountId: number): OrderContexts {
  const rows = db
    .prepare('SELECT order_key, side, context FROM sync_order_context WHERE storefront_account_id = ?')
    .all(accountId) as { order_key: string; side: 'netsuite' | 'storefront'; context: string }[];
  const out: OrderContexts = { netsuite: new Map(), storefront: new Map() };
  for (const r of rows) {
    const json = JSON.parse(r.context) as unknown;
    if (r.side === 'netsuite') out.netsuite.set(r.order_key, NetsuiteOrderContext.parse(json));
    else out.storefront.set(r.order_key, StorefrontOrderContext.parse(json));
  }
  return out;
}

/** Stores order contexts read from an API or a file (replacing those of the same orders). */
export function saveOrderContexts(db: Db, accountId: number, file: OrderContextFile): number {
  const now = nowIso();
  const upsert = db.prepare(
    `INSERT INTO sync_order_context (storefront_account_id, order_key, side, context, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(storefront_account_id, order_key, side) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at`,
  );
  let n = 0;
  db.transaction(() => {
    for (const c of file.netsuite)
      n += upsert.run(accountId, normaliseOrderRef(c.orderRef), 'netsuite', JSON.stringify(c), now).changes;
    for (const c of file.storefront)
      n += upsert.run(accountId, normaliseOrderRef(c.orderRef), 'storefront', JSON.stringify(c), now).changes;
  })();
  return n;
}

/** What the workspace knows of an account's orders: how many per side, which orders, and since when. */
export function orderContextSummary(
  db: Db,
  accountId: number,
): { netsuite: number; storefront: number; orders: string[]; updatedAt: string | null } {
  const rows = db
    .prepare(
      'SELECT side, COUNT(*) AS n, MAX(updated_at) AS at FROM sync_order_context WHERE storefront_account_id = ? GROUP BY side',
    )
    .all(accountId) as { side: 'netsuite' | 'storefront'; n: number; at: string }[];
  const orders = (
    db
      .prepare(
        "SELECT order_key, MIN(json_extract(context, '$.orderRef')) AS ref FROM sync_order_context WHERE storefront_account_id = ? GROUP BY order_key ORDER BY order_key LIMIT 200",
      )
      .all(accountId) as { order_key: string; ref: string | null }[]
  ).map((r) => r.ref ?? r.order_key);
  const at = rows.map((r) => r.at).sort();
  return {
    netsuite: rows.find((r) => r.side === 'netsuite')?.n ?? 0,
    storefront: rows.find((r) => r.side === 'storefront')?.n ?? 0,
    orders,
    updatedAt: at.length ? at[at.length - 1]! : null,
  };
}
