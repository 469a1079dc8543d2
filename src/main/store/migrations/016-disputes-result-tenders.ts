import type { Migration } from './migration';

/**
 * Issue 18 (tenders.md §3.1, §6).
 *
 * `disputes`: Shopify Payments disputes stored with the storefront snapshot they were given with
 * (`reconcile --disputes`), so a stored run repeats with the same chargebacks. `order_ref` is the
 * order's name once resolved through the snapshot (else the source's order id, kept in `order_id`).
 * Amounts in minor units of `currency`, NULL when the source gave none; dates `YYYY-MM-DD`.
 *
 * `results.tenders`: the result's tender split as shown (contract ResultTenders, JSON with decimal
 * strings), NULL for results written before this version or with nothing to show by tender; the
 * result detail then rebuilds it from the records.
 */
export const migration016: Migration = {
  version: 16,
  name: 'disputes beside storefront snapshots; tender split of stored results',
  up: `
CREATE TABLE disputes (
  id INTEGER PRIMARY KEY,
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  dispute_id TEXT NOT NULL,
  order_id TEXT NOT NULL DEFAULT '',
  order_ref TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL CHECK (type IN ('chargeback','inquiry')),
  status TEXT NOT NULL CHECK (status IN ('needs_response','under_review','accepted','won','lost','prevented')),
  amount INTEGER,
  currency TEXT NOT NULL,
  initiated_at TEXT,
  finalized_on TEXT,
  UNIQUE (snapshot_id, dispute_id)
) STRICT;
ALTER TABLE results ADD COLUMN tenders TEXT;
`,
};
