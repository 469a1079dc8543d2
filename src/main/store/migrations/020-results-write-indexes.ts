import type { Migration } from './migration';

/**
 * Storing a run (issue 15): every secondary index on `results` is one more B-tree insert per
 * result, and on a run of 840k results the index inserts are most of the store's time
 * (docs/benchmarks/reconcile.md). Three indexes no query reads any more are dropped:
 * - `results_by_key` (result_key across runs): annotations are looked up in `annotations` by key,
 *   never results by key;
 * - `results_by_run_key` (run_id, result_key): run diffs read a whole run by `run_id`;
 * - `results_ui_difference` (run_id, difference): the difference sorts compare within a currency
 *   since migration 014 (`results_ui_currency_difference`).
 * Only drops indexes: no data changes, every query keeps its answer.
 */
export const migration020: Migration = {
  version: 20,
  name: 'results: drop indexes no query reads (faster run store)',
  up: `
DROP INDEX IF EXISTS results_by_key;
DROP INDEX IF EXISTS results_by_run_key;
DROP INDEX IF EXISTS results_ui_difference;
`,
};
