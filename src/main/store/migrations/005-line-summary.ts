import type { Migration } from './migration';

/**
 * Reconcile speed (issue 4): a per-refund summary of its lines, all the matcher needs to compare
 * lines (item SKU, quantity, amount in line order; shipping by role), so a comparison of 1M refunds
 * never reads the 3M rows of refund_lines. Filled by `lineSummary()` (src/main/reconcile/line-summary.ts)
 * at import, or on the first comparison of a snapshot for rows where it is NULL (rows written
 * before this version). Only adds a nullable column: existing rows keep their meaning.
 */
export const migration005: Migration = {
  version: 5,
  name: 'refunds: line summary for matching',
  up: `
ALTER TABLE refunds ADD COLUMN line_summary TEXT;
`,
};
