import type { Migration } from './migration';

/**
 * Storing a run (issue 15): most results have exactly one NetSuite record, and writing its link
 * as a row of `result_netsuite_records` (a rowid table, its primary-key index and the by-refund
 * index: three B-trees, and two foreign-key lookups) was ≈ 20 % of storing a run's rows
 * (docs/benchmarks/reconcile.md, session 6). From this version:
 * - `results.netsuite_refund_id`: the result's one NetSuite record, written in the result's row;
 *   a result with two or more keeps all of them in `result_netsuite_records`, and then this is NULL.
 *   No foreign key: a snapshot a run uses cannot be deleted (store/snapshot-delete.ts), so its
 *   refunds outlive the run's results; a key would cost a lookup per result, and without an index
 *   on the column a scan of `results` per deleted refund of any snapshot.
 * - `result_netsuite_refunds`: every (result, NetSuite record) pair, from either place — what
 *   readers query. Results stored before this version have the column NULL and all their links in
 *   the table: they read the same.
 * Only adds a column and a view: no stored result changes.
 */
export const migration024: Migration = {
  version: 24,
  name: 'results: the one NetSuite record in the result row',
  up: `
ALTER TABLE results ADD COLUMN netsuite_refund_id INTEGER;
CREATE VIEW result_netsuite_refunds (result_id, refund_id) AS
  SELECT id, netsuite_refund_id FROM results WHERE netsuite_refund_id IS NOT NULL
  UNION ALL
  SELECT result_id, refund_id FROM result_netsuite_records;
`,
};
