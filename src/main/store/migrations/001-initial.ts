import type { Migration } from './migration';

/**
 * The first schema. STRICT tables; money is INTEGER minor units beside a currency column;
 * times are ISO-8601 UTC text. Never edit a migration once released: add the next file.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial workspace schema',
  up: `
CREATE TABLE storefront_accounts (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL CHECK (platform IN ('shopify','bigcommerce','woocommerce','magento','amazon','ebay','walmart','other')),
  name TEXT NOT NULL,
  line_item_refunds TEXT NOT NULL DEFAULT 'unknown' CHECK (line_item_refunds IN ('yes','no','unknown')),
  directions TEXT NOT NULL DEFAULT 'storefront_to_netsuite,netsuite_to_storefront',
  store_credit INTEGER NOT NULL DEFAULT 0 CHECK (store_credit IN (0,1)),
  split_tender INTEGER NOT NULL DEFAULT 0 CHECK (split_tender IN (0,1)),
  api_settings TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE netsuite_accounts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  account_id TEXT NOT NULL,
  environment TEXT NOT NULL CHECK (environment IN ('sandbox','production')),
  rest_host TEXT NOT NULL DEFAULT '',
  auth_method TEXT NOT NULL DEFAULT 'tba' CHECK (auth_method IN ('tba','oauth2')),
  api_settings TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- One row per storefront account, one direction column: "both" cannot be stored.
CREATE TABLE refund_sync_settings (
  storefront_account_id INTEGER PRIMARY KEY REFERENCES storefront_accounts(id) ON DELETE CASCADE,
  netsuite_account_id INTEGER REFERENCES netsuite_accounts(id) ON DELETE SET NULL,
  direction TEXT NOT NULL DEFAULT 'off' CHECK (direction IN ('off','storefront_to_netsuite','netsuite_to_storefront')),
  import_orders_after TEXT,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  side TEXT NOT NULL CHECK (side IN ('storefront','netsuite')),
  label TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('file','api','demo')),
  storefront_account_id INTEGER REFERENCES storefront_accounts(id) ON DELETE SET NULL,
  netsuite_account_id INTEGER REFERENCES netsuite_accounts(id) ON DELETE SET NULL,
  format TEXT NOT NULL,
  importer_version TEXT NOT NULL,
  file_name TEXT,
  file_size INTEGER,
  file_sha256 TEXT,
  query_window TEXT,
  request_count INTEGER,
  row_count INTEGER NOT NULL DEFAULT 0,
  refund_count INTEGER NOT NULL DEFAULT 0,
  line_count INTEGER NOT NULL DEFAULT 0,
  provenance TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX snapshots_by_sha ON snapshots(file_sha256);

CREATE TABLE refunds (
  id INTEGER PRIMARY KEY,
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  source_id TEXT NOT NULL,
  document_number TEXT NOT NULL DEFAULT '',
  record_type TEXT NOT NULL CHECK (record_type IN ('refund','cashRefund','creditMemo','customerRefund','returnAuthorization')),
  order_ref TEXT NOT NULL DEFAULT '',
  order_key TEXT NOT NULL DEFAULT '',
  created_from_type TEXT,
  created_from_ref TEXT,
  date TEXT NOT NULL,
  currency TEXT NOT NULL,
  total INTEGER NOT NULL,
  shipping INTEGER NOT NULL DEFAULT 0,
  tax INTEGER NOT NULL DEFAULT 0,
  adjustment INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL CHECK (kind IN ('line_item','general')),
  external_id TEXT NOT NULL DEFAULT '',
  memo TEXT NOT NULL DEFAULT '',
  is_test INTEGER NOT NULL DEFAULT 0 CHECK (is_test IN (0,1)),
  status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok','failed','voided','pending')),
  applies_to TEXT NOT NULL DEFAULT '',
  money_moved INTEGER NOT NULL DEFAULT 1 CHECK (money_moved IN (0,1)),
  presentment_currency TEXT,
  presentment_total INTEGER
) STRICT;
CREATE INDEX refunds_by_snapshot_order ON refunds(snapshot_id, order_key);

CREATE TABLE refund_lines (
  id INTEGER PRIMARY KEY,
  refund_id INTEGER NOT NULL REFERENCES refunds(id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  quantity INTEGER NOT NULL,
  amount INTEGER NOT NULL,
  tax INTEGER NOT NULL DEFAULT 0,
  role TEXT NOT NULL DEFAULT 'item' CHECK (role IN ('item','shipping','generic','tax'))
) STRICT;
CREATE INDEX refund_lines_by_refund ON refund_lines(refund_id);

CREATE TABLE comparison_runs (
  id INTEGER PRIMARY KEY,
  storefront_snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE RESTRICT,
  netsuite_snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE RESTRICT,
  storefront_account_id INTEGER REFERENCES storefront_accounts(id) ON DELETE SET NULL,
  rules TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running','complete','failed','cancelled')),
  summary TEXT NOT NULL DEFAULT '{}',
  started_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;

CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES comparison_runs(id) ON DELETE CASCADE,
  -- Stable across runs (e.g. "sf:<refund id>" or "ns:<internal id>"): annotations and run diffs key on it.
  result_key TEXT NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('ok','info','warning','error')),
  order_ref TEXT NOT NULL DEFAULT '',
  order_key TEXT NOT NULL DEFAULT '',
  currency TEXT NOT NULL,
  date TEXT,
  storefront_refund_id INTEGER REFERENCES refunds(id) ON DELETE SET NULL,
  storefront_total INTEGER,
  netsuite_total INTEGER,
  difference INTEGER NOT NULL DEFAULT 0,
  hint TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX results_by_run_code ON results(run_id, code);
CREATE INDEX results_by_key ON results(result_key);

CREATE TABLE result_netsuite_records (
  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
  refund_id INTEGER NOT NULL REFERENCES refunds(id) ON DELETE CASCADE,
  PRIMARY KEY (result_id, refund_id)
) STRICT;

CREATE TABLE annotations (
  id INTEGER PRIMARY KEY,
  result_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open','explained','ignored','fixed')),
  reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK (status NOT IN ('explained','ignored') OR length(reason) > 0)
) STRICT;
CREATE INDEX annotations_by_key ON annotations(result_key, id);

CREATE TABLE run_signoffs (
  run_id INTEGER NOT NULL REFERENCES comparison_runs(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('preparer','reviewer')),
  name TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  PRIMARY KEY (run_id, role)
) STRICT;

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  before TEXT,
  after TEXT
) STRICT;

-- Every write to a vendor is journaled here before it is sent (issue "Refund sync").
CREATE TABLE push_journal (
  id INTEGER PRIMARY KEY,
  storefront_account_id INTEGER NOT NULL REFERENCES storefront_accounts(id) ON DELETE CASCADE,
  direction TEXT NOT NULL CHECK (direction IN ('storefront_to_netsuite','netsuite_to_storefront')),
  refund_key TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  target TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending','sending','confirmed','already_synced','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  remote_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`,
};
