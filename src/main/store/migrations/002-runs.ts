import type { Migration } from './migration';

/**
 * Comparison runs (issue 4): what the results screen filters, searches and sorts on, and the
 * index run-to-run diffs and annotations use. Only adds columns and indexes; existing results
 * keep their meaning (search text and matched-by are empty for runs stored before).
 */
export const migration002: Migration = {
  version: 2,
  name: 'comparison runs: result search text, matched-by, run/key index',
  up: `
ALTER TABLE results ADD COLUMN matched_by TEXT NOT NULL DEFAULT '';
-- Lower-case order reference, storefront refund ids, NetSuite document numbers and internal ids.
ALTER TABLE results ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX results_by_run_key ON results(run_id, result_key);
CREATE INDEX results_by_run_severity ON results(run_id, severity);
CREATE INDEX result_netsuite_records_by_refund ON result_netsuite_records(refund_id);
`,
};
