import type { Migration } from './migration';

/**
 * Storing a run (issue 15): ≈ 98 % of a large run's results are matches keyed `sf:<storefront id>`
 * whose every stored column but a few ids can be derived from the refunds they name; writing them
 * as full `results` rows (20 columns, up to eleven indexes) is most of the store's 26 s CPU at 1M
 * (docs/benchmarks/reconcile.md, session 8, branch p8-plain: ≈ 6 s with ids only). From this version:
 * - `matched_results`: such a result as ids only — its run, its first storefront record (the result
 *   key is `'sf:' || that record's source_id`), a roll-up's other storefront records (a JSON array
 *   of `refunds.id`, NULL for one record), its one or two NetSuite records, and the rule that paired
 *   them as a small code (`MATCHED_BY_CODES`, reconcile/runs/matched-results.ts: not derivable).
 * - Its currency, date and total (both sides' total: a compact row has difference 0) are stored
 *   though derivable: the review sorts and filters by them, and a sort walks an index on a column
 *   of this table (built on first use) where a derived value would sort the whole run per page; a
 *   roll-up's total is a sum over several records that no index holds (session 8's measurements).
 * - `tender_classes`: NULL where the writer stores no tender split (a plain match), else the bits
 *   of the dropped split's classes (reconcile/tender-class-bits.ts): the split is rebuilt from the
 *   records, but the review's class filter cannot tell its classes from them in SQL.
 *   Code `matched`, severity `ok`, no hint; the rest is derived by the readers from the refunds.
 * - Its `id` is in the id space of `results.id` (the writer takes the next id over both tables), so
 *   annotations, cursors and the search index keep one id per result.
 * - `run_id` cascades like `results.run_id`; an index on it, appended to in id order, for the
 *   cascade and the per-run reads. No foreign key on the refund ids, for 024's reasons (a snapshot a
 *   run uses cannot be deleted).
 * Only adds a table: no stored result changes, and nothing writes it until the readers read it.
 */
export const migration026: Migration = {
  version: 26,
  name: 'matched_results: matched results stored as ids',
  up: `
CREATE TABLE matched_results (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES comparison_runs(id) ON DELETE CASCADE,
  storefront_refund_id INTEGER NOT NULL,
  storefront_others TEXT,
  netsuite_refund_id INTEGER NOT NULL,
  netsuite_refund_id_2 INTEGER,
  matched_by INTEGER NOT NULL,
  currency TEXT NOT NULL,
  date TEXT,
  total INTEGER NOT NULL,
  tender_classes INTEGER
) STRICT;
CREATE INDEX matched_results_by_run ON matched_results(run_id);
`,
};
