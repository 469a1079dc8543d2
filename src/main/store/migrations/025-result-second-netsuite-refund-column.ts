import type { Migration } from './migration';

/**
 * Storing a run (issue 15): after migration 024 the results with two NetSuite records (a Credit
 * Memo and the Customer Refund applying it: ≈ 20 % of a rich run's results) still wrote both as
 * rows of `result_netsuite_records` — two rows in a table with three B-trees per row, ≈ 10 % of
 * storing a run (docs/benchmarks/reconcile.md, session 7). From this version:
 * - `results.netsuite_refund_id_2`: a result with exactly two NetSuite records has them in its row
 *   (`netsuite_refund_id` and this); three or more stay in `result_netsuite_records`, both NULL.
 *   No foreign key, for 024's reasons (a snapshot a run uses cannot be deleted).
 * - `result_netsuite_refunds` reads the new column too. Results stored before this version have it
 *   NULL: they read the same.
 * Only adds a column and redefines the view: no stored result changes. The view is named with its
 * schema: a connection that read the workspace before migrating has a temporary view of the same
 * name (ensureNetsuiteLinksView), which an unqualified DROP would drop instead.
 */
export const migration025: Migration = {
  version: 25,
  name: 'results: a second NetSuite record in the result row',
  up: `
ALTER TABLE results ADD COLUMN netsuite_refund_id_2 INTEGER;
DROP VIEW main.result_netsuite_refunds;
CREATE VIEW main.result_netsuite_refunds (result_id, refund_id) AS
  SELECT id, netsuite_refund_id FROM results WHERE netsuite_refund_id IS NOT NULL
  UNION ALL
  SELECT id, netsuite_refund_id_2 FROM results WHERE netsuite_refund_id_2 IS NOT NULL
  UNION ALL
  SELECT result_id, refund_id FROM result_netsuite_records;
`,
};
