import type { Migration } from './migration';

/**
 * Refund sync (issue 6): per-account sync options, readiness confirmations, dry runs with their
 * per-order results, push batches, and the journal columns a resumable push needs. Only adds:
 * every existing row keeps its meaning (the one-direction CHECK of version 1 stays as it is).
 */
export const migration003: Migration = {
  version: 3,
  name: 'refund sync: options, readiness, dry runs, push batches',
  up: `
ALTER TABLE refund_sync_settings ADD COLUMN options TEXT NOT NULL DEFAULT '{}';

-- What a sync needs to know about an order beyond its refunds: how NetSuite billed it, the item ids
-- of its lines, the storefront's line-item ids and parent transaction. Filled from API reads or a file.
CREATE TABLE sync_order_context (
  storefront_account_id INTEGER NOT NULL REFERENCES storefront_accounts(id) ON DELETE CASCADE,
  order_key TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('storefront','netsuite')),
  context TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (storefront_account_id, order_key, side)
) STRICT;

CREATE TABLE readiness_confirmations (
  id INTEGER PRIMARY KEY,
  storefront_account_id INTEGER NOT NULL REFERENCES storefront_accounts(id) ON DELETE CASCADE,
  item TEXT NOT NULL CHECK (item IN ('order_sync_tested','deployment_reviewed')),
  confirmed INTEGER NOT NULL CHECK (confirmed IN (0,1)),
  note TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX readiness_by_account ON readiness_confirmations(storefront_account_id, item, id);

CREATE TABLE dry_runs (
  id INTEGER PRIMARY KEY,
  storefront_account_id INTEGER NOT NULL REFERENCES storefront_accounts(id) ON DELETE CASCADE,
  direction TEXT NOT NULL CHECK (direction IN ('storefront_to_netsuite','netsuite_to_storefront')),
  selection TEXT NOT NULL,
  source_snapshot_id INTEGER REFERENCES snapshots(id) ON DELETE SET NULL,
  status TEXT NOT NULL CHECK (status IN ('pass','fail','empty')),
  passed INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  coverage TEXT NOT NULL DEFAULT '{}',
  round_trip TEXT,
  actor TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX dry_runs_by_account ON dry_runs(storefront_account_id, id);

CREATE TABLE dry_run_orders (
  id INTEGER PRIMARY KEY,
  dry_run_id INTEGER NOT NULL REFERENCES dry_runs(id) ON DELETE CASCADE,
  order_ref TEXT NOT NULL,
  refund_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  currency TEXT NOT NULL,
  total INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass','fail')),
  reasons TEXT NOT NULL DEFAULT '[]',
  checks TEXT NOT NULL DEFAULT '[]',
  payload TEXT NOT NULL DEFAULT 'null'
) STRICT;
CREATE INDEX dry_run_orders_by_run ON dry_run_orders(dry_run_id, id);

CREATE TABLE push_batches (
  id INTEGER PRIMARY KEY,
  storefront_account_id INTEGER NOT NULL REFERENCES storefront_accounts(id) ON DELETE CASCADE,
  direction TEXT NOT NULL CHECK (direction IN ('storefront_to_netsuite','netsuite_to_storefront')),
  environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
  refund_count INTEGER NOT NULL,
  totals TEXT NOT NULL,
  confirmed_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running','complete','incomplete')),
  created_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;

ALTER TABLE push_journal ADD COLUMN batch_id INTEGER REFERENCES push_batches(id) ON DELETE SET NULL;
ALTER TABLE push_journal ADD COLUMN step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE push_journal ADD COLUMN order_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE push_journal ADD COLUMN currency TEXT NOT NULL DEFAULT '';
ALTER TABLE push_journal ADD COLUMN amount INTEGER NOT NULL DEFAULT 0;
CREATE INDEX push_journal_by_account_state ON push_journal(storefront_account_id, state, id);
CREATE INDEX push_journal_by_refund ON push_journal(storefront_account_id, refund_key, step);
`,
};
