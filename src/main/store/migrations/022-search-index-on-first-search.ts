import type { Migration } from './migration';

/**
 * Storing a run (issue 15): the FTS5 trigram index over `results.search_text` was a quarter of the
 * time it takes to store a run of 840k results (docs/benchmarks/reconcile.md), for a search most
 * runs never get. From this version a run's results are indexed for search on the run's first
 * search (`reconcile/runs/search-index.ts`), not as they are written:
 * - the insert trigger goes; the delete and update triggers stay, but touch the index only for a
 *   row that is in it (`results_search_docsize` holds one row per indexed result): an FTS5
 *   'delete' of a row that was never indexed would corrupt the index;
 * - `results_search_runs`: the runs whose results are in the index, up to which result id.
 *   Every run stored before this version was indexed by the trigger: marked here, so existing
 *   runs stay searchable without rebuilding anything.
 * Only adds a table and replaces triggers: no result changes.
 */
export const migration022: Migration = {
  version: 22,
  name: 'results search index built on a run’s first search',
  up: `
DROP TRIGGER IF EXISTS results_search_ai;
DROP TRIGGER IF EXISTS results_search_ad;
DROP TRIGGER IF EXISTS results_search_au;
CREATE TRIGGER results_search_ad AFTER DELETE ON results
WHEN EXISTS (SELECT 1 FROM results_search_docsize WHERE id = old.id) BEGIN
  INSERT INTO results_search(results_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER results_search_au AFTER UPDATE OF search_text ON results
WHEN EXISTS (SELECT 1 FROM results_search_docsize WHERE id = old.id) BEGIN
  INSERT INTO results_search(results_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
  INSERT INTO results_search(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TABLE results_search_runs (
  run_id INTEGER PRIMARY KEY REFERENCES comparison_runs(id) ON DELETE CASCADE,
  -- Every result of the run with an id up to this one is in results_search.
  indexed_to INTEGER NOT NULL
) STRICT;
INSERT INTO results_search_runs (run_id, indexed_to)
  SELECT c.id, COALESCE((SELECT max(r.id) FROM results r WHERE r.run_id = c.id), 0) FROM comparison_runs c;
`,
};
