/**
 * Which module owns the SQL of each workspace table (issue 12 §4; CONTRIBUTING.md, "SQL: which
 * module owns which table"). Paths are below src/main.
 *
 * - The **owner** holds the table's statements: its single-table reads and writes. Other modules
 *   call the owner's functions instead of writing SQL on the table.
 * - An **aggregate** is a query module that answers one question across several tables (a JOIN, or
 *   one statement per table combined into one answer where that is faster than a JOIN, as the
 *   snapshot readers do); its name says what it answers. It is listed under every table it reads.
 *
 * sql-ownership.test.ts fails when SQL names a table outside its owner and aggregates, when a
 * table of the schema is missing here, and when CONTRIBUTING.md's table disagrees with this map.
 */

export interface TableSql {
  owner: string;
  aggregates: readonly string[];
}

export const SQL_OWNERS: Readonly<Record<string, TableSql>> = {
  annotation_batches: { owner: 'review/annotation-batches.ts', aggregates: [] },
  annotations: {
    owner: 'store/annotations.ts',
    aggregates: [
      'reconcile/action-list.ts',
      'reconcile/period-summary.ts',
      'reconcile/runs/results-filter.ts',
      'review/signoff-care.ts',
    ],
  },
  audit_log: { owner: 'store/audit.ts', aggregates: [] },
  comparison_runs: {
    owner: 'reconcile/runs/runs.ts',
    aggregates: [
      'reconcile/run-diff.ts',
      'reconcile/runs/result-sources.ts',
      'reconcile/runs/tender-filter.ts',
      'reconcile/runs/writer.ts',
      'store/snapshot-delete.ts',
      'sync/will-not-sync.ts',
    ],
  },
  disputes: { owner: 'store/disputes.ts', aggregates: [] },
  dry_run_orders: { owner: 'sync/dry-run-store.ts', aggregates: [] },
  dry_runs: { owner: 'sync/dry-run-store.ts', aggregates: [] },
  // Matched results stored as ids (migration 026); readers read it beside `results` (CONTRIBUTING.md).
  matched_results: {
    owner: 'reconcile/runs/matched-results.ts',
    aggregates: [
      'reconcile/runs/result-sources.ts',
      'reconcile/runs/results-filter.ts',
      'reconcile/runs/search-index.ts',
      'reconcile/runs/writer.ts',
    ],
  },
  netsuite_accounts: { owner: 'store/accounts.ts', aggregates: [] },
  push_batches: { owner: 'sync/journal.ts', aggregates: [] },
  push_journal: { owner: 'sync/journal.ts', aggregates: [] },
  readiness_confirmations: { owner: 'sync/readiness.ts', aggregates: [] },
  refund_lines: {
    owner: 'store/refunds.ts',
    aggregates: ['reconcile/snapshot-reader.ts', 'store/line-summary.ts'],
  },
  refund_sync_settings: { owner: 'store/refund-sync-settings.ts', aggregates: ['store/accounts.ts'] },
  refunds: {
    owner: 'store/refunds.ts',
    aggregates: [
      'reconcile/match-columns.ts',
      'reconcile/runs/detail.ts',
      'reconcile/runs/matched-results.ts',
      'reconcile/runs/result-tenders.ts',
      'reconcile/runs/results-page.ts',
      'reconcile/runs/search-index.ts',
      'reconcile/runs/tender-filter.ts',
      'reconcile/snapshot-reader.ts',
      'store/line-summary.ts',
      'sync/will-not-sync.ts',
    ],
  },
  // Readers list a result's NetSuite records from the view result_netsuite_refunds (migration 024,
  // CONTRIBUTING.md): detail, result-tenders, results-page and will-not-sync.
  result_netsuite_records: {
    owner: 'reconcile/runs/writer.ts',
    aggregates: ['reconcile/runs/tender-filter.ts'],
  },
  result_side_amounts: {
    owner: 'reconcile/runs/writer.ts',
    aggregates: [
      'reconcile/action-list.ts',
      'reconcile/period-summary.ts',
      'reconcile/runs/totals.ts',
      'reconcile/side-amounts.ts',
    ],
  },
  results: {
    owner: 'reconcile/runs/writer.ts',
    aggregates: [
      'reconcile/action-list.ts',
      'reconcile/period-summary.ts',
      'reconcile/run-diff.ts',
      'reconcile/runs/charts.ts',
      'reconcile/runs/detail.ts',
      'reconcile/runs/result-tenders.ts',
      'reconcile/runs/results-filter.ts',
      'reconcile/runs/search-index.ts',
      'reconcile/runs/totals.ts',
      'review/signoff-care.ts',
      'sync/will-not-sync.ts',
    ],
  },
  results_search: { owner: 'reconcile/runs/results-filter.ts', aggregates: ['reconcile/runs/search-index.ts'] },
  run_result_totals: { owner: 'reconcile/runs/totals.ts', aggregates: [] },
  run_signoffs: { owner: 'store/run-signoffs.ts', aggregates: [] },
  saved_views: { owner: 'review/saved-views.ts', aggregates: [] },
  signoff_withdrawals: { owner: 'review/signoff-care.ts', aggregates: [] },
  snapshot_match_cache: { owner: 'store/match-cache.ts', aggregates: ['reconcile/match-columns.ts'] },
  snapshot_order_ids: { owner: 'store/order-ids.ts', aggregates: [] },
  snapshots: {
    owner: 'store/snapshots.ts',
    aggregates: ['reconcile/snapshot-reader.ts', 'store/accounts.ts', 'sync/will-not-sync.ts'],
  },
  storefront_accounts: { owner: 'store/accounts.ts', aggregates: [] },
  sync_order_context: { owner: 'sync/sources.ts', aggregates: [] },
  workspace_people: { owner: 'review/people.ts', aggregates: [] },
  workspace_settings: { owner: 'store/workspace-settings.ts', aggregates: [] },
};

/**
 * Files whose SQL speaks to a database of their own, not the workspace: their table names are
 * theirs (the Shopify JSONL importer's temporary on-disk index has its own `orders` and `refunds`).
 */
export const OWN_DATABASES: Readonly<Record<string, string>> = {
  'importers/shopify-jsonl.ts': 'a temporary index database of the JSONL file being imported',
};
