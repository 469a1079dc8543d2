import type { Migration } from './migration';

/**
 * Issue 13 (accounts, readiness, settings):
 *
 * - `workspace_settings`: one row per setting of the workspace (the comparison's tolerances and
 *   date window live under `reconcile_rules`), JSON values.
 * - `readiness_confirmations` accepts the connector documentation's "first two activation steps"
 *   item beside the two it knew. SQLite cannot widen a CHECK, so the table is rebuilt with every
 *   row kept (same ids, so "latest confirmation" stays the same row).
 */
export const migration012: Migration = {
  version: 12,
  name: 'workspace settings; readiness activation item',
  up: `
CREATE TABLE workspace_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE readiness_confirmations_new (
  id INTEGER PRIMARY KEY,
  storefront_account_id INTEGER NOT NULL REFERENCES storefront_accounts(id) ON DELETE CASCADE,
  item TEXT NOT NULL CHECK (item IN ('activation_steps','order_sync_tested','deployment_reviewed')),
  confirmed INTEGER NOT NULL CHECK (confirmed IN (0,1)),
  note TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
INSERT INTO readiness_confirmations_new (id, storefront_account_id, item, confirmed, note, actor, at)
  SELECT id, storefront_account_id, item, confirmed, note, actor, at FROM readiness_confirmations;
DROP TABLE readiness_confirmations;
ALTER TABLE readiness_confirmations_new RENAME TO readiness_confirmations;
CREATE INDEX readiness_by_account ON readiness_confirmations(storefront_account_id, item, id);
`,
};
