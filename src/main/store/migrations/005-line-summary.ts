import type { Migration } from './migration';

/**
 * Reconcile speed (issue 4):
 * - `refunds.line_summary`: a per-refund summary of its lines, all the matcher needs to compare
 *   lines (item SKU, quantity, amount in line order; shipping by role), so a comparison of 1M
 *   refunds never reads the 3M rows of refund_lines. Filled by `lineSummary()`
 *   (src/main/store/line-summary.ts) at import, or on the first comparison of a snapshot for
 *   rows where it is NULL (rows written before this version).
 * - `snapshot_match_cache`: the matching columns of a snapshot (snapshots never change once
 *   written) encoded as one blob by src/main/store/match-cache.ts, written on the first
 *   comparison; later comparisons read one row instead of scanning the wide refunds table.
 *   Deleted with its snapshot; `format` lets a newer encoder ignore (and replace) older blobs.
 * Only adds: existing rows keep their meaning.
 */
export const migration005: Migration = {
  version: 5,
  name: 'refunds: line summary and match cache for matching',
  up: `
ALTER TABLE refunds ADD COLUMN line_summary TEXT;
CREATE TABLE snapshot_match_cache (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
  key_field TEXT NOT NULL,
  format INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (snapshot_id, key_field)
) STRICT;
`,
};
