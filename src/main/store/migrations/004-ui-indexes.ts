import type { Migration } from './migration';

/**
 * Review screen (issue 7): indexes for the paged results query on runs of a million results.
 * Every sortable column gets a `(run_id, column)` index so the first page of any sort is read in
 * index order instead of sorting the whole run; the severity sort and the absolute-difference sort
 * are expressions, indexed with exactly the expression the query uses. No covering index for the
 * per-currency totals: SQLite would prefer it (it avoids a sort) even when a selective filter
 * has a better index. Only adds indexes: no data changes.
 */
export const SEVERITY_RANK_SQL = `CASE severity WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END`;

export const migration004: Migration = {
  version: 4,
  name: 'review screen: sort and totals indexes on results',
  up: `
CREATE INDEX results_ui_severity ON results(run_id, (${SEVERITY_RANK_SQL}));
CREATE INDEX results_ui_date ON results(run_id, date);
CREATE INDEX results_ui_order ON results(run_id, order_key);
CREATE INDEX results_ui_difference ON results(run_id, difference);
CREATE INDEX results_ui_abs_difference ON results(run_id, abs(difference));
CREATE INDEX results_ui_storefront_total ON results(run_id, storefront_total);
CREATE INDEX results_ui_netsuite_total ON results(run_id, netsuite_total);
`,
};
