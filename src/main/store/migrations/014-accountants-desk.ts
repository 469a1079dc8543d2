import type { Migration } from './migration';

/**
 * The accountant's desk (issue 16): saved review views, annotation batches (bulk annotate and
 * undo), the workspace's people (names for annotations and sign-off), sign-off care (open errors
 * at signing, withdrawals with a reason), and sorts by difference that stay within one currency.
 */
export const migration014: Migration = {
  version: 14,
  name: "accountant's desk: views, annotation batches, people, sign-off care, per-currency sorts",
  up: `
CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
  filters TEXT NOT NULL,
  columns TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- One row per annotation action (a single save or a bulk one): the unit that "undo" takes back.
CREATE TABLE annotation_batches (
  id INTEGER PRIMARY KEY,
  author TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  results INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  undone_at TEXT,
  undone_by TEXT
) STRICT;
ALTER TABLE annotations ADD COLUMN batch_id INTEGER REFERENCES annotation_batches(id);
CREATE INDEX annotations_by_batch ON annotations(batch_id);

CREATE TABLE workspace_people (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
  created_at TEXT NOT NULL
) STRICT;

-- How many results were open errors when the run was signed off (NULL: signed before this version).
ALTER TABLE run_signoffs ADD COLUMN open_errors INTEGER;
CREATE TABLE signoff_withdrawals (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES comparison_runs(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('preparer','reviewer')),
  name TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  withdrawn_by TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  withdrawn_at TEXT NOT NULL
) STRICT;
CREATE INDEX signoff_withdrawals_by_run ON signoff_withdrawals(run_id, id);

-- Sorting by difference compares within a currency, never minor units across currencies: the sort
-- value is the currency code followed by the (offset, zero-padded) minor units, one index each.
CREATE INDEX results_ui_currency_difference ON results(run_id, (currency || printf('%019d', difference + 4611686018427387904)));
CREATE INDEX results_ui_currency_abs_difference ON results(run_id, (currency || printf('%016d', abs(difference))));
`,
};
