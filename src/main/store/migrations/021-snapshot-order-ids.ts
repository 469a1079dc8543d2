import type { Migration } from './migration';

/**
 * Issue 18 (tenders.md §3.1): Shopify's REST disputes name their order by its numeric id
 * (`order_id`), while a snapshot keys refunds by the order's name. `snapshot_order_ids` keeps, per
 * storefront snapshot, the id → name of every order its file carried (orders without refunds too:
 * a chargeback's order often has none), so a REST dispute attaches to its order. New table only:
 * existing snapshots have no rows, and their disputes resolve as before (by name or not at all).
 */
export const migration021: Migration = {
  version: 21,
  name: 'order ids of storefront snapshots (REST disputes name orders by id)',
  up: `
CREATE TABLE snapshot_order_ids (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  order_id TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, order_id)
) STRICT, WITHOUT ROWID;
`,
};
